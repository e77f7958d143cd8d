//! Durability test: kills the server with SIGKILL mid-write, many times, and checks that
//! every comment whose POST was acknowledged (2xx, complete response) survived, that
//! `PRAGMA integrity_check` says `ok`, and that the proposal's comment count matches its
//! rows.
//!
//! ```text
//! target/release/minyi-durability --cycles 200          # long version
//! target/debug/minyi-durability --cycles 20             # the short version in .ci/test.sh
//! target/debug/minyi-durability --postgres postgres://postgres@127.0.0.1:5432/postgres --cycles 20
//!                                                       # two servers on one PostgreSQL
//! ```
//!
//! With `--postgres`, two `minyi serve` processes share one fresh PostgreSQL database
//! (created for the run, dropped after it); the writers are split between them, and each
//! cycle kills one of the two, chosen at random, while the other keeps taking comments.
//! The check reads the database while the survivor writes: every comment acknowledged
//! by either is stored, and the counts read in one snapshot agree.
//!
//! It starts `minyi serve` (the binary next to this one unless `--server-bin`) on a fresh
//! temporary SQLite data folder with the demo data, signs in the six demo citizens, and
//! has one writer task per citizen post comments on the open demo proposal (id 1) at a
//! steady total rate, one request per connection. The main task kills the server at a
//! random moment, opens the SQLite file directly while the server is down, checks, and
//! restarts the server on the same port. The writers never stop: requests during the
//! outage fail and are counted as not acknowledged (a comment stored but not
//! acknowledged is allowed; an acknowledged comment missing is a loss).

use std::{
    collections::HashSet,
    net::SocketAddr,
    path::PathBuf,
    process::{ExitCode, Stdio},
    str::FromStr,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use anyhow::{bail, Context};
use clap::Parser;
use minyi_server::loopback::{self, Rng};
use sqlx::{sqlite::SqliteConnectOptions, ConnectOptions, Connection};
use tokio::process::{Child, Command};

const CITIZENS: &[&str] = &[
    "zhang.wei@example.cn",
    "li.na@example.cn",
    "wang.fang@example.cn",
    "liu.yang@example.cn",
    "chen.jing@example.cn",
    "zhao.lei@example.cn",
];
const PROPOSAL_ID: &str = "1";
const MARK: &str = "耐久测试";

#[derive(Parser, Debug)]
#[command(name = "minyi-durability", about = "Kill -9 the server mid-write; check that nothing acknowledged is lost")]
struct Args {
    /// Kill/restart cycles.
    #[arg(long, default_value_t = 200)]
    cycles: u32,
    /// Total comment POSTs per second, spread over the writers.
    #[arg(long, default_value_t = 300)]
    rate: u32,
    /// Shortest and longest time the server runs before it is killed (ms, uniform).
    #[arg(long, default_value_t = 50)]
    min_ms: u64,
    #[arg(long, default_value_t = 600)]
    max_ms: u64,
    /// The `minyi` binary; default: the one next to this program.
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Keep the temporary data folder (for inspection).
    #[arg(long)]
    keep: bool,
    /// Seed for the kill moments (printed on every run, to replay one).
    #[arg(long)]
    seed: Option<u64>,
    /// Write the result as JSON to this file as well.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Two servers on one PostgreSQL: a URL of the server's maintenance database (a
    /// database for the run is created beside it and dropped after it).
    #[arg(long)]
    postgres: Option<String>,
}

#[derive(Default)]
struct Tally {
    attempted: AtomicU64,
    acknowledged: AtomicU64,
    failed: AtomicU64,
    refused: AtomicU64,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("durability: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

struct Server {
    bin: PathBuf,
    data_dir: PathBuf,
    /// PostgreSQL (else the SQLite file in `data_dir`).
    database_url: Option<String>,
    addr: SocketAddr,
    log: PathBuf,
    child: Option<Child>,
}

impl Server {
    async fn start(&mut self) -> anyhow::Result<Duration> {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log)?;
        let started = Instant::now();
        let mut command = Command::new(&self.bin);
        command.arg("--data-dir").arg(&self.data_dir);
        if let Some(url) = &self.database_url {
            command.arg("--database-url").arg(url);
        }
        let child = command
            .args([
                "--log-level",
                "warn",
                "serve",
                "--demo-if-empty",
                "--signin-per-ip",
                "100000",
                "--register-per-ip",
                "100000",
                "--comments-per-ip",
                "100000000",
                "--comments-per-account",
                "100000000",
            ])
            .arg("--bind")
            .arg(self.addr.to_string())
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", self.bin.display()))?;
        self.child = Some(child);
        if !loopback::wait_healthy(self.addr, Duration::from_secs(60)).await {
            bail!("the server did not become healthy within 60 s (log: {})", self.log.display());
        }
        Ok(started.elapsed())
    }

    /// SIGKILL: no shutdown handler runs, nothing is flushed.
    async fn kill9(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            child.start_kill()?;
            child.wait().await?;
        }
        Ok(())
    }
}

struct Check {
    present: usize,
    lost: Vec<String>,
    integrity: String,
    count_column: i64,
    count_rows: i64,
    /// The pictures' tallies against the visible rows.
    tally_sum: i64,
    visible_rows: i64,
}

/// Where the comments are kept.
enum Store {
    Sqlite(PathBuf),
    Postgres(String),
}

/// Opens the database directly: the SQLite file while its server is dead, as a restart
/// would; PostgreSQL while the other server keeps writing, so the counts are read in
/// one statement (one snapshot), and the acknowledged list was taken before the read.
async fn check(store: &Store, acked: &[String]) -> anyhow::Result<Check> {
    const COUNTS: &str = "SELECT (SELECT comment_count FROM proposals WHERE id = 1), \
         (SELECT COUNT(*) FROM comments WHERE proposal_id = 1), \
         (SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM comment_tallies WHERE proposal_id = 1), \
         (SELECT COUNT(*) FROM comments WHERE proposal_id = 1 AND hidden = FALSE)";
    const BODIES: &str = "SELECT body FROM comments WHERE proposal_id = 1 AND body LIKE '耐久测试%'";
    let (integrity, bodies, (count_column, count_rows, tally_sum, visible_rows)) = match store {
        Store::Sqlite(db_path) => {
            let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", db_path.display()))?
                .busy_timeout(Duration::from_secs(10))
                .connect()
                .await
                .context("opening the SQLite file")?;
            let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await?;
            let bodies: Vec<String> = sqlx::query_scalar(BODIES).fetch_all(&mut conn).await?;
            let counts: (i64, i64, i64, i64) = sqlx::query_as(COUNTS).fetch_one(&mut conn).await?;
            conn.close().await?;
            (integrity, bodies, counts)
        }
        Store::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.context("connecting to PostgreSQL")?;
            let bodies: Vec<String> = sqlx::query_scalar(BODIES).fetch_all(&mut conn).await?;
            let counts: (i64, i64, i64, i64) = sqlx::query_as(COUNTS).fetch_one(&mut conn).await?;
            conn.close().await?;
            // PostgreSQL checks its own pages; what can break here is the data
            ("ok".to_owned(), bodies, counts)
        }
    };
    let stored: HashSet<&str> = bodies.iter().map(String::as_str).collect();
    let lost: Vec<String> = acked.iter().filter(|b| !stored.contains(b.as_str())).cloned().collect();
    Ok(Check { present: bodies.len(), lost, integrity, count_column, count_rows, tally_sum, visible_rows })
}

async fn run(args: Args) -> anyhow::Result<bool> {
    let bin = match &args.server_bin {
        Some(b) => b.clone(),
        None => std::env::current_exe()?.parent().context("no parent folder")?.join("minyi"),
    };
    if !bin.exists() {
        bail!("{} not found: build it first (cargo build -p minyi) or pass --server-bin", bin.display());
    }
    let mut rng = Rng::new(args.seed);
    let seed = rng.seed();
    let data_dir = std::env::temp_dir().join(format!("minyi-durability-{}-{}", std::process::id(), seed % 100_000));
    std::fs::create_dir_all(&data_dir)?;
    // with PostgreSQL: a database of its own, beside the maintenance one
    let pg = match &args.postgres {
        Some(admin) => {
            let name = format!("minyi_durability_{}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(admin).await.context("connecting to PostgreSQL")?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn).await?;
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await?;
            conn.close().await?;
            let (base, _) = admin.rsplit_once('/').context("the PostgreSQL URL names no database")?;
            Some((admin.clone(), name.clone(), format!("{base}/{name}")))
        }
        None => None,
    };
    let store = match &pg {
        Some((_, _, url)) => Store::Postgres(url.clone()),
        None => Store::Sqlite(data_dir.join("minyi.db")),
    };
    let mut servers = Vec::new();
    for n in 0..if pg.is_some() { 2 } else { 1 } {
        let addr: SocketAddr = format!("127.0.0.1:{}", loopback::free_port()?).parse()?;
        servers.push(Server {
            bin: bin.clone(),
            // on SQLite the one server's folder holds the database the check opens
            data_dir: if pg.is_some() { data_dir.join(format!("server{n}")) } else { data_dir.clone() },
            database_url: pg.as_ref().map(|(_, _, url)| url.clone()),
            addr,
            log: data_dir.join(format!("server{n}.log")),
            child: None,
        });
    }
    println!(
        "durability: {} server(s) {} on {}, {}, {} cycles, {} POST/s, kill after {}–{} ms, seed {seed}",
        servers.len(),
        bin.display(),
        servers.iter().map(|s| s.addr.to_string()).collect::<Vec<_>>().join(" and "),
        match &store {
            Store::Sqlite(path) => format!("SQLite {}", path.display()),
            Store::Postgres(url) => format!("PostgreSQL {url}"),
        },
        args.cycles,
        args.rate,
        args.min_ms,
        args.max_ms
    );
    let began = Instant::now();
    // one after the other: the first loads the demo data into the empty database
    for server in &mut servers {
        server.start().await?;
    }
    let addrs: Vec<SocketAddr> = servers.iter().map(|s| s.addr).collect();
    let addr = addrs[0];

    // sign in once: sessions live in the database, so they survive the restarts
    let mut cookies = Vec::new();
    for email in CITIZENS {
        let r = loopback::call(
            addr,
            "sign_in",
            &[("email", email), ("password", app::backend::demo::DEMO_PASSWORD)],
            None,
            Duration::from_secs(30),
        )
        .await
        .with_context(|| format!("signing in {email}"))?;
        let cookie = r.session_cookie().with_context(|| format!("no session cookie for {email}: {} {}", r.status, r.body))?;
        cookies.push(cookie);
    }

    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let tally: Arc<Tally> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let interval = Duration::from_secs_f64(cookies.len() as f64 / args.rate.max(1) as f64);
    let mut writers = Vec::new();
    for (w, cookie) in cookies.into_iter().enumerate() {
        let (acked, tally, stop) = (acked.clone(), tally.clone(), stop.clone());
        // the writers are split between the servers (sessions are in the database)
        let addr = addrs[w % addrs.len()];
        writers.push(tokio::spawn(async move {
            let mut ticker = tokio::time::interval(interval);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut seq = 0u64;
            while !stop.load(Ordering::Relaxed) {
                ticker.tick().await;
                seq += 1;
                let body = format!("{MARK} 写者{w} 第{seq}条：建议第一阶梯水量按家庭人口核定。");
                let stance = ["support", "oppose", "suggestion"][(seq % 3) as usize];
                tally.attempted.fetch_add(1, Ordering::Relaxed);
                let reply = loopback::call(
                    addr,
                    "post_comment",
                    &[("proposal_id", PROPOSAL_ID), ("stance", stance), ("body", &body)],
                    Some(&cookie),
                    Duration::from_secs(10),
                )
                .await;
                match reply {
                    Ok(r) if r.is_success() => {
                        // acknowledged: from now on this comment must never be missing
                        acked.lock().unwrap().push(body);
                        tally.acknowledged.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(_) => {
                        tally.refused.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }

    let mut lost_total: Vec<String> = Vec::new();
    let mut bad_integrity = 0u32;
    let mut bad_count = 0u32;
    let mut restart_ms: Vec<u128> = Vec::new();
    let mut last = None;
    for cycle in 1..=args.cycles {
        let run_for = rng.between(args.min_ms, args.max_ms);
        tokio::time::sleep(Duration::from_millis(run_for)).await;
        let victim = rng.between(0, servers.len() as u64 - 1) as usize;
        servers[victim].kill9().await?;
        let snapshot = acked.lock().unwrap().clone();
        let c = check(&store, &snapshot).await?;
        if c.integrity != "ok" {
            bad_integrity += 1;
            eprintln!("durability: cycle {cycle}: integrity_check: {}", c.integrity);
        }
        if c.count_column != c.count_rows {
            bad_count += 1;
            eprintln!("durability: cycle {cycle}: comment_count {} but {} rows", c.count_column, c.count_rows);
        }
        if c.tally_sum != c.visible_rows {
            bad_count += 1;
            eprintln!("durability: cycle {cycle}: tallies add up to {} but {} visible rows", c.tally_sum, c.visible_rows);
        }
        for body in &c.lost {
            if !lost_total.contains(body) {
                eprintln!("durability: cycle {cycle}: LOST acknowledged comment {body:?}");
                lost_total.push(body.clone());
            }
        }
        if cycle % 10 == 0 || cycle == args.cycles {
            println!(
                "durability: cycle {cycle}/{}: {} acknowledged so far, {} stored, {} lost, integrity {}",
                args.cycles,
                snapshot.len(),
                c.present,
                lost_total.len(),
                c.integrity
            );
        }
        last = Some((snapshot.len(), c.present));
        if cycle < args.cycles {
            restart_ms.push(servers[victim].start().await?.as_millis());
        }
    }
    for server in &mut servers {
        server.kill9().await?;
    }
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        let _ = w.await;
    }
    // acknowledgements that arrived between the last kill and the writers stopping (none
    // can: the server was dead) are checked once more, with the final file
    let all = acked.lock().unwrap().clone();
    let final_check = check(&store, &all).await?;
    for body in &final_check.lost {
        if !lost_total.contains(body) {
            lost_total.push(body.clone());
        }
    }
    let (acked_n, stored_n) = last.unwrap_or((0, 0));
    let _ = acked_n;
    let ok = lost_total.is_empty() && bad_integrity == 0 && final_check.integrity == "ok" && bad_count == 0;
    restart_ms.sort_unstable();
    let median_restart = restart_ms.get(restart_ms.len() / 2).copied().unwrap_or(0);
    println!(
        "durability: {} cycles, {} acknowledged, {} lost ({} attempted, {} failed by the kills, {} refused; {} stored; \
         integrity_check ok on {}/{} checks; comment_count consistent on {}/{}; median restart {} ms; {:.1} s)",
        args.cycles,
        all.len(),
        lost_total.len(),
        tally.attempted.load(Ordering::Relaxed),
        tally.failed.load(Ordering::Relaxed),
        tally.refused.load(Ordering::Relaxed),
        final_check.present.max(stored_n),
        args.cycles - bad_integrity,
        args.cycles,
        args.cycles - bad_count,
        args.cycles,
        median_restart,
        began.elapsed().as_secs_f64()
    );
    if let Some(path) = &args.json {
        let json = serde_json::json!({
            "cycles": args.cycles,
            "rate_per_s": args.rate,
            "kill_after_ms": [args.min_ms, args.max_ms],
            "seed": seed,
            "servers": servers.len(),
            "database": if pg.is_some() { "postgres" } else { "sqlite" },
            "attempted": tally.attempted.load(Ordering::Relaxed),
            "acknowledged": all.len(),
            "lost": lost_total.len(),
            "failed_by_kills": tally.failed.load(Ordering::Relaxed),
            "refused": tally.refused.load(Ordering::Relaxed),
            "stored": final_check.present,
            "integrity_failures": bad_integrity,
            "comment_count_mismatches": bad_count,
            "median_restart_ms": median_restart,
            "seconds": began.elapsed().as_secs_f64(),
        });
        std::fs::write(path, serde_json::to_string_pretty(&json)?)?;
    }
    if tally.refused.load(Ordering::Relaxed) > 0 {
        eprintln!("durability: some POSTs were answered with a non-2xx status; see {}", data_dir.display());
    }
    if ok && !args.keep {
        let _ = std::fs::remove_dir_all(&data_dir);
        if let Some((admin, name, _)) = &pg {
            let mut conn = sqlx::PgConnection::connect(admin).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn).await?;
        }
    } else {
        println!("durability: data kept in {}", data_dir.display());
        if let Some((_, _, url)) = &pg {
            println!("durability: database kept: {url}");
        }
    }
    Ok(ok)
}
