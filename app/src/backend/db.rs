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
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of either database.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::backend::db::Db::Sqlite($pool) => $body,
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
            $crate::backend::db::Db::Sqlite(pool) => {
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

/// This process's SQLite writes take turns here (see [`Db::sqlite_write_turn`]).
static SQLITE_WRITER: std::sync::LazyLock<tokio::sync::Mutex<()>> = std::sync::LazyLock::new(|| tokio::sync::Mutex::new(()));

impl Db {
    /// On SQLite, the hot write paths (comments, rate counters) queue here, in this
    /// process, before `BEGIN IMMEDIATE`: one writer at a time gets the lock at once,
    /// where colliding writers would wait in SQLite's busy handler, which sleeps in
    /// growing steps of up to 100 ms. PostgreSQL needs no turn.
    pub async fn sqlite_write_turn(&self) -> Option<tokio::sync::MutexGuard<'static, ()>> {
        match self {
            Db::Sqlite(_) => Some(SQLITE_WRITER.lock().await),
            Db::Postgres(_) => None,
        }
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
            let pool = SqlitePoolOptions::new().max_connections(max_connections.max(2)).min_connections(1).connect_with(options).await?;
            Ok(Db::Sqlite(pool))
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool =
                PgPoolOptions::new().max_connections(max_connections.max(2)).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
            Ok(Db::Postgres(pool))
        } else {
            Err(ConnectError::UnknownScheme(url.to_owned()))
        }
    }

    pub async fn migrate(&self) -> Result<(), ConnectError> {
        match self {
            Db::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await?,
        }
        Ok(())
    }

    /// For `/healthz`: one round trip.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_db!(self, |pool| sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
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
