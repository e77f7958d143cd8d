//! One pool type for both databases. Each query is written once; the `on_db!` and
//! `in_tx!` macros compile it for the SQLite arm and the PostgreSQL arm, so booleans
//! and `DateTime<Utc>` decode natively on both (the Any driver cannot carry them).

use std::{str::FromStr, time::Duration};

use sqlx::{
    postgres::{PgPool, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous},
};

#[derive(Clone, Debug)]
pub enum Db {
    /// The pool, and the turn this process's writers take on this file (see
    /// [`Db::sqlite_write_turn`]).
    Sqlite(SqlitePool, std::sync::Arc<tokio::sync::Mutex<()>>),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of either database.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::backend::db::Db::Sqlite($pool, _) => $body,
            $crate::backend::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` inside one transaction, committed when the body finishes without an
/// early return. On SQLite the transaction is begun IMMEDIATE, taking the write lock
/// up front, so two writers never deadlock on a lock upgrade.
#[macro_export]
macro_rules! in_tx {
    ($db:expr, |$tx:ident| $body:expr) => {
        match $db {
            $crate::backend::db::Db::Sqlite(pool, _) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
            $crate::backend::db::Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let out = $body;
                $tx.commit().await?;
                out
            }
        }
    };
}

/// One write transaction on either database. Services open it with [`Db::begin_write`],
/// pass it to every store function that reads or writes for the action, and commit it
/// once: the checks and the writes they guard share it, and a refusal (an early return
/// that drops it) writes nothing, not even an audit entry.
pub enum Tx {
    /// On SQLite a write transaction is begun IMMEDIATE and holds this process's write
    /// turn; a read transaction ([`Db::begin_read`]) holds no turn.
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>, Option<tokio::sync::OwnedMutexGuard<()>>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    /// The clause that locks the rows read from `table` (a name or alias of the query) for
    /// the rest of the transaction: ` FOR UPDATE OF table` on PostgreSQL, nothing on
    /// SQLite, whose write transactions are serial already.
    pub fn for_update(&self, table: &str) -> String {
        match self {
            Tx::Postgres(_) => format!(" FOR UPDATE OF {table}"),
            Tx::Sqlite(..) => String::new(),
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(tx, _turn) => tx.commit().await,
            Tx::Postgres(tx) => tx.commit().await,
        }
    }
}

/// Runs `$body` with `$conn` bound to the connection of either arm of a [`Tx`]; the same
/// query text compiles for both (use `&mut *$conn` for each statement).
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::backend::db::Tx::Sqlite(t, _) => {
                let $conn: &mut sqlx::SqliteConnection = &mut *t;
                $body
            }
            $crate::backend::db::Tx::Postgres(t) => {
                let $conn: &mut sqlx::PgConnection = &mut *t;
                $body
            }
        }
    };
}

/// Drops the samples an `ANALYZE` keeps in `sqlite_stat4` (the table statistics in
/// `sqlite_stat1` stay). SQLite as sqlx bundles it is built with STAT4: with samples on
/// file, every prepared statement whose plan could depend on a bound value is compiled
/// again each time it is run with new values: a proposal page went from 449 to 732
/// renders a second without them (SQLite's parser under `sqlite3Reprepare` was the
/// largest cost), for plans that are the same for every value here: each query is made
/// for its index.
pub async fn drop_sqlite_samples(pool: &sqlx::SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query("DROP TABLE IF EXISTS sqlite_stat4").execute(pool).await.map(|_| ())
}

/// A PostgreSQL connection idle for longer than this is tested before it is used.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

pub static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
pub static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("the database URL {0:?} is neither sqlite: nor postgres:")]
    UnknownScheme(String),
    #[error("cannot open the database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// On SQLite, the hot write paths (comments, rate counters) queue here, in this
    /// process, before `BEGIN IMMEDIATE`: one writer at a time gets the lock at once,
    /// where colliding writers would wait in SQLite's busy handler, which sleeps in
    /// growing steps of up to 100 ms. PostgreSQL needs no turn.
    pub async fn sqlite_write_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self {
            Db::Sqlite(_, turn) => Some(turn.clone().lock_owned().await),
            Db::Postgres(_) => None,
        }
    }

    /// Begins the one transaction of a state-changing action. On SQLite it first waits
    /// for this process's write turn, then begins IMMEDIATE (the write lock up front, so
    /// two writers never deadlock on a lock upgrade).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        let start = std::time::Instant::now();
        let tx = match self {
            Db::Sqlite(pool, turn) => {
                let turn = turn.clone().lock_owned().await;
                Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?, Some(turn))
            }
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        };
        // the wait for a connection (and, on SQLite, the write turn) and the BEGIN
        metrics::histogram!("minyi_db_begin_seconds", "kind" => "write").record(start.elapsed().as_secs_f64());
        Ok(tx)
    }

    /// The pool's connections: how many are open, and how many of them are idle.
    pub fn pool_connections(&self) -> (u32, usize) {
        match self {
            Db::Sqlite(pool, _) => (pool.size(), pool.num_idle()),
            Db::Postgres(pool) => (pool.size(), pool.num_idle()),
        }
    }

    /// A transaction that only reads: one consistent snapshot for a page made of several
    /// queries, through the same store functions the services use. It takes no write
    /// turn; dropping it ends it.
    pub async fn begin_read(&self) -> Result<Tx, sqlx::Error> {
        let start = std::time::Instant::now();
        let tx = match self {
            Db::Sqlite(pool, _) => Tx::Sqlite(pool.begin().await?, None),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        };
        metrics::histogram!("minyi_db_begin_seconds", "kind" => "read").record(start.elapsed().as_secs_f64());
        Ok(tx)
    }

    /// Opens `sqlite:` (file created if missing) or `postgres:` URLs.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, ConnectError> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // nothing acknowledged may be lost on a crash: fsync the WAL at commit
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .pragma("cache_size", "-32000")
                .pragma("temp_store", "memory");
            // an SQLite connection is a file handle in this process: nothing to test
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections.max(2))
                .min_connections(1)
                .test_before_acquire(false)
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool, Default::default()))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            // sqlx pings a connection each time it is taken from the pool unless told
            // not to: a round trip before every query of a page. Only a connection
            // left idle long enough to have been dropped by the server or the network
            // is tested; a busy one is used as it is.
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(2))
                .acquire_timeout(Duration::from_secs(10))
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for > IDLE_BEFORE_PING {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(ConnectError::UnknownScheme(url.to_owned()))
        }
    }

    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match self {
            Db::Sqlite(pool, _) => {
                SQLITE_MIGRATOR.run(pool).await?;
                drop_sqlite_samples(pool).await?;
            }
            Db::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await?,
        }
        // entries written before the log was hash-chained join their chains now, once
        super::store::audit::seal_unchained(self).await?;
        Ok(())
    }

    /// For `/healthz`: one round trip.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        on_db!(self, |pool| pool.close().await)
    }
}

/// True when the error is a unique-constraint violation (a duplicate e-mail, say).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error.as_database_error().map(|e| e.is_unique_violation()).unwrap_or(false)
}
