//! Ceilings for the benchmark (`.ci/bench.sh` runs them):
//!
//! ```text
//! minyi-bench serve-file --file page.html --bind 127.0.0.1:3101
//!     a bare axum handler answering every GET with the same bytes (a captured proposal
//!     page): what this machine can serve with no application work at all
//! minyi-bench insert-sqlite --path x.db --seconds 5 [--batch 1]
//!     raw INSERTs on one connection, WAL + synchronous=FULL, `--batch` rows per commit
//! minyi-bench insert-postgres --url postgres://… --seconds 5 --connections 16
//!     raw autocommit INSERTs from N connections (PostgreSQL groups the WAL flushes)
//! ```
//!
//! The insert ceilings print one JSON line: rows/s, commits/s and commit latency
//! percentiles.

use std::{
    net::SocketAddr,
    path::PathBuf,
    str::FromStr,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context;
use axum::{http::header, response::IntoResponse, Router};
use clap::{Parser, Subcommand};
use sqlx::{
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
    ConnectOptions, Connection,
};

#[derive(Parser)]
#[command(name = "minyi-bench", about = "Benchmark ceilings: bare HTTP, raw SQLite and PostgreSQL inserts")]
struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    ServeFile {
        #[arg(long)]
        file: PathBuf,
        #[arg(long, default_value = "127.0.0.1:3101")]
        bind: SocketAddr,
    },
    InsertSqlite {
        #[arg(long)]
        path: PathBuf,
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        #[arg(long, default_value_t = 1)]
        batch: usize,
    },
    InsertPostgres {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        #[arg(long, default_value_t = 16)]
        connections: u32,
    },
}

const BODY: &str = "第一阶梯 180 立方米对三口之家偏紧，建议提高到 216 立方米，与周边城市保持一致。";

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        match args.command {
            Cmd::ServeFile { file, bind } => serve_file(file, bind).await,
            Cmd::InsertSqlite { path, seconds, batch } => insert_sqlite(path, seconds, batch.max(1)).await,
            Cmd::InsertPostgres { url, seconds, connections } => insert_postgres(url, seconds, connections.max(1)).await,
        }
    })
}

async fn serve_file(file: PathBuf, bind: SocketAddr) -> anyhow::Result<()> {
    let bytes: Arc<[u8]> = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?.into();
    let app = Router::new().fallback(move || {
        let bytes = bytes.clone();
        async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], bytes.to_vec()).into_response() }
    });
    let listener = tokio::net::TcpListener::bind(bind).await?;
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM");
            tokio::select! { _ = term.recv() => {}, _ = tokio::signal::ctrl_c() => {} }
        })
        .await?;
    Ok(())
}

fn percentiles(mut micros: Vec<u64>) -> serde_json::Value {
    micros.sort_unstable();
    let at = |q: f64| -> f64 {
        if micros.is_empty() {
            return 0.0;
        }
        let i = ((micros.len() as f64 - 1.0) * q).round() as usize;
        micros[i] as f64 / 1000.0
    };
    serde_json::json!({ "p50_ms": at(0.5), "p99_ms": at(0.99), "p999_ms": at(0.999) })
}

const TABLE: &str = "CREATE TABLE IF NOT EXISTS bench_comments (id INTEGER PRIMARY KEY, proposal_id INTEGER NOT NULL, \
     author_id INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL)";

async fn insert_sqlite(path: PathBuf, seconds: u64, batch: usize) -> anyhow::Result<()> {
    let _ = std::fs::remove_file(&path);
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await?;
    sqlx::query(TABLE).execute(&mut conn).await?;
    sqlx::query("CREATE INDEX IF NOT EXISTS bench_comments_p ON bench_comments(proposal_id, id)").execute(&mut conn).await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let began = Instant::now();
    let (mut rows, mut commits) = (0u64, 0u64);
    let mut lat = Vec::new();
    while Instant::now() < deadline {
        let t = Instant::now();
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        for _ in 0..batch {
            sqlx::query("INSERT INTO bench_comments (proposal_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)")
                .bind(1i64)
                .bind((rows % 2000) as i64)
                .bind(BODY)
                .bind(chrono::Utc::now())
                .execute(&mut *tx)
                .await?;
            rows += 1;
        }
        tx.commit().await?;
        commits += 1;
        lat.push(t.elapsed().as_micros() as u64);
    }
    let secs = began.elapsed().as_secs_f64();
    conn.close().await?;
    let _ = std::fs::remove_file(&path);
    let mut out = serde_json::json!({
        "kind": "sqlite_insert", "synchronous": "FULL", "journal": "WAL", "rows_per_commit": batch,
        "seconds": secs, "rows_per_s": rows as f64 / secs, "commits_per_s": commits as f64 / secs,
    });
    out["commit_latency"] = percentiles(lat);
    println!("{out}");
    Ok(())
}

async fn insert_postgres(url: String, seconds: u64, connections: u32) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new().max_connections(connections).connect(&url).await?;
    sqlx::query("DROP TABLE IF EXISTS bench_comments").execute(&pool).await?;
    sqlx::query(
        "CREATE TABLE bench_comments (id BIGSERIAL PRIMARY KEY, proposal_id BIGINT NOT NULL, author_id BIGINT NOT NULL, \
         body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL)",
    )
    .execute(&pool)
    .await?;
    sqlx::query("CREATE INDEX bench_comments_p ON bench_comments(proposal_id, id)").execute(&pool).await?;
    let sync: String = sqlx::query_scalar("SHOW synchronous_commit").fetch_one(&pool).await?;
    let fsync: String = sqlx::query_scalar("SHOW fsync").fetch_one(&pool).await?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let began = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                sqlx::query("INSERT INTO bench_comments (proposal_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)")
                    .bind(1i64)
                    .bind(c as i64)
                    .bind(BODY)
                    .bind(chrono::Utc::now())
                    .execute(&pool)
                    .await?;
                n += 1;
                lat.push(t.elapsed().as_micros() as u64);
            }
            Ok::<_, sqlx::Error>((n, lat))
        }));
    }
    let (mut rows, mut lat) = (0u64, Vec::new());
    for t in tasks {
        let (n, l) = t.await??;
        rows += n;
        lat.extend(l);
    }
    let secs = began.elapsed().as_secs_f64();
    sqlx::query("DROP TABLE IF EXISTS bench_comments").execute(&pool).await?;
    pool.close().await;
    let mut out = serde_json::json!({
        "kind": "postgres_insert", "synchronous_commit": sync, "fsync": fsync, "connections": connections,
        "rows_per_commit": 1, "seconds": secs, "rows_per_s": rows as f64 / secs, "commits_per_s": rows as f64 / secs,
    });
    out["commit_latency"] = percentiles(lat);
    println!("{out}");
    Ok(())
}
