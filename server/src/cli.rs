//! `minyi serve | migrate | create-admin | demo-data`: configuration by flags and
//! environment variables.

use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

use anyhow::{bail, Context};
use app::backend::clock::Clock;
use app::{
    backend::{context::RuntimeConfig, demo, store::users::NewUser, AppState, Db},
    domain::{
        account::{Email, Password},
        role::Role,
        text::DisplayName,
    },
    i18n::Locale,
};
use clap::{Args, Parser, Subcommand};
use leptos::config::{Env, LeptosOptions};
use tracing_subscriber::{fmt, EnvFilter};

#[derive(Parser, Debug)]
#[command(name = "minyi", version, about = "Minyi (民意): public consultation and hearing platform")]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Database URL: sqlite://path/to/file.db or postgres://user@host/db.
    /// Defaults to an SQLite file in the data folder.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Folder for the SQLite database and attachments.
    #[arg(long, env = "MINYI_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Log filter, e.g. `info` or `minyi_server=debug,tower_http=info`.
    #[arg(long, env = "MINYI_LOG", default_value = "info", global = true)]
    pub log_level: String,
    /// Log format: `text` for people, `json` for log collectors.
    #[arg(long, env = "MINYI_LOG_FORMAT", default_value = "text", global = true)]
    pub log_format: String,
    /// Database connections per process.
    #[arg(long, env = "MINYI_DB_CONNECTIONS", default_value_t = 16, global = true)]
    pub db_connections: u32,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the site (migrates the database first).
    Serve(Box<Serve>),
    /// Run the database migrations and exit.
    Migrate,
    /// Create an administrator, or make an existing account one.
    /// The password is read from MINYI_ADMIN_PASSWORD or from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "管理员")]
        name: String,
    },
    /// Load the demo data set (realistic Chinese agencies, drafts, comments).
    /// The audit log: `minyi audit verify` checks every hash chain.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// Hearings: `minyi hearing verify-draw ID` re-runs a published draw.
    Hearing {
        #[command(subcommand)]
        action: HearingCommand,
    },
    /// Penalty review: `minyi penalty verify-draw ID` re-runs a published panel draw.
    Penalty {
        #[command(subcommand)]
        action: PenaltyCommand,
    },
    DemoData {
        /// Only when the database holds no proposal yet.
        #[arg(long)]
        if_empty: bool,
        /// Benchmark volume: N more proposals, 2,000 citizen accounts, and
        /// `--big-comments` comments on the first proposal (see `demo::load_scale`).
        #[arg(long, value_name = "N")]
        scale: Option<u64>,
        /// With --scale: comments on the first proposal.
        #[arg(long, default_value_t = 1_000_000)]
        big_comments: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Checks every entry's hash and every chain's links and head; prints the first
    /// broken link and exits 1 when the log was edited.
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum HearingCommand {
    /// Adds COUNT applicants (new demo citizens) to hearing ID, whose call must be open:
    /// a realistic mix of constituencies, LOW_INCOME_PERCENT of them low-income.
    DemoApplicants {
        id: i64,
        #[arg(long, default_value_t = 300)]
        count: u32,
        #[arg(long, default_value_t = 10)]
        low_income_percent: u32,
    },
    /// Re-runs the published draw of hearing ID from its revealed seed and ordered
    /// applicant list: checks the seed against the commitment published with the call
    /// and the outcome against the published participants; exits 1 when they differ.
    VerifyDraw { id: i64 },
}

#[derive(Subcommand, Debug)]
pub enum PenaltyCommand {
    /// Re-runs the published panel draw of case ID from its revealed seed and eligible
    /// list: checks the seed against the commitment published with the case and the
    /// outcome against the published panel and reserves; exits 1 when they differ.
    VerifyDraw { id: i64 },
}

#[derive(Args, Debug)]
pub struct Serve {
    /// Address to listen on.
    #[arg(long, env = "MINYI_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// Folder holding the built site (pkg/ with the wasm, JS and CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Load the demo data when the database is empty. Its accounts share a published
    /// password, so on a public address or with --secure-cookies it also needs
    /// --allow-demo-data.
    #[arg(long, env = "MINYI_DEMO_IF_EMPTY")]
    pub demo_if_empty: bool,
    /// Allow --demo-if-empty on a public address or behind TLS (a shared demonstration).
    #[arg(long, env = "MINYI_ALLOW_DEMO_DATA")]
    pub allow_demo_data: bool,
    /// For browser journeys only, on a loopback address: a clock that `POST /test/clock`
    /// moves forward, and the hearing applicant generator at `POST /test/hearing-applicants`.
    #[arg(long, hide = true)]
    pub test_clock: bool,
    /// Served over TLS (directly or by a proxy): Secure cookies and HSTS.
    #[arg(long, env = "MINYI_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Take the client address from X-Forwarded-For (only behind a trusted proxy).
    #[arg(long, env = "MINYI_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// With --trust-forwarded-for: how many trusted proxies stand in front, each appending
    /// to X-Forwarded-For; the client is the address the outermost one added (entries
    /// further left are whatever the client sent, and are never trusted).
    #[arg(long, env = "MINYI_TRUSTED_PROXIES", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub trusted_proxies: u8,
    /// Sign-in attempts per minute per client address, whatever their outcome. Failed
    /// attempts on an account are slowed down by fixed rules besides (see SECURITY.md).
    #[arg(long, env = "MINYI_SIGNIN_PER_IP", default_value_t = 10)]
    pub signin_per_ip: i64,
    /// Accounts registered per hour per client address.
    #[arg(long, env = "MINYI_REGISTER_PER_IP", default_value_t = 5)]
    pub register_per_ip: i64,
    /// Comments per account in ten minutes (0: no limit, for load tests only).
    #[arg(long, env = "MINYI_COMMENTS_PER_ACCOUNT", default_value_t = 10)]
    pub comments_per_account: i64,
    /// Comments per client address in ten minutes (0: no limit, for load tests only).
    #[arg(long, env = "MINYI_COMMENTS_PER_IP", default_value_t = 60)]
    pub comments_per_ip: i64,
    /// Requests served at once (default 32 per core); more are refused at once with
    /// 503 and Retry-After instead of queueing.
    #[arg(long, env = "MINYI_MAX_IN_FLIGHT", default_value_t = app::backend::context::default_max_in_flight(), value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u32).range(1..), |n| n as usize))]
    pub max_in_flight: usize,
    /// Milliseconds a public page read without signing in may be served from memory;
    /// 0 turns the cache off. Any change this server accepts empties it at once.
    #[arg(long, env = "MINYI_PAGE_CACHE_MS", default_value_t = 1000)]
    pub page_cache_ms: u64,
    /// Requests one client address may have in flight at once (beyond: 429).
    #[arg(long, env = "MINYI_PER_CLIENT_IN_FLIGHT", default_value_t = 16, value_parser = clap::builder::TypedValueParser::map(clap::value_parser!(u32).range(1..), |n| n as usize))]
    pub per_client_in_flight: usize,
    /// Seconds a request body may take to arrive (beyond: 408, nothing done).
    #[arg(long, env = "MINYI_BODY_TIMEOUT_SECS", default_value_t = 10)]
    pub body_timeout_secs: u64,
    /// Seconds a connection may take to send a request's headers.
    #[arg(long, env = "MINYI_HEADER_TIMEOUT_SECS", default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// The largest evidence file accepted, in MiB.
    #[arg(long, env = "MINYI_MAX_UPLOAD_MIB", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub max_upload_mib: u64,
    /// Requests one client address may make to /api/v1 in a minute (beyond: 429).
    #[arg(long, env = "MINYI_API_PER_MINUTE", default_value_t = 120, value_parser = clap::value_parser!(u32).range(1..))]
    pub api_per_minute: u32,
    /// Serve Prometheus metrics at /metrics on this address (keep it private: a
    /// loopback or internal address, not the public one). Off when not given.
    #[arg(long, env = "MINYI_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
    #[command(flatten)]
    pub files: FileStorage,
    #[command(flatten)]
    pub mail: MailSettings,
}

/// How mail with one-time links (verify an address, reset a password) leaves the server.
#[derive(Args, Debug, Clone)]
pub struct MailSettings {
    /// The SMTP relay, e.g. `smtp://relay.example.cn:587?tls=required` (STARTTLS),
    /// `smtps://user:password@relay.example.cn` (TLS) or `smtp://127.0.0.1:2525` (a local
    /// sink). Without it no mail is sent: each link is written to the log (target `mail`).
    #[arg(long, env = "MINYI_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of those mails.
    #[arg(long, env = "MINYI_MAIL_FROM", default_value = "民意平台 <no-reply@localhost>")]
    pub mail_from: String,
    /// The address people reach this server at, for the links in mails
    /// (default: http:// and the --bind address).
    #[arg(long, env = "MINYI_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl MailSettings {
    pub fn mailer(&self, bind: SocketAddr) -> anyhow::Result<app::backend::mail::Mailer> {
        let public_url = self.public_url.clone().unwrap_or_else(|| format!("http://{bind}"));
        if !public_url.starts_with("http://") && !public_url.starts_with("https://") {
            bail!("--public-url must start with http:// or https:// (e.g. https://minyi.example.gov.cn)");
        }
        Ok(match &self.smtp_url {
            Some(url) => app::backend::mail::Mailer::smtp(url, &self.mail_from, &public_url)?,
            None => {
                tracing::warn!("no --smtp-url: mails with verification and reset links are not sent; their links are written to this log");
                app::backend::mail::Mailer::log_only(&public_url)
            }
        })
    }
}

/// Where evidence files are kept: a folder (default `<data-dir>/files`), or an
/// S3-compatible bucket when `--s3-bucket` is given.
#[derive(Args, Debug, Clone)]
pub struct FileStorage {
    /// Folder for evidence files (default: `files` in the data folder).
    #[arg(long, env = "MINYI_FILES_DIR")]
    pub files_dir: Option<PathBuf>,
    /// Keep evidence files in this S3 bucket instead of a folder.
    #[arg(long, env = "MINYI_S3_BUCKET")]
    pub s3_bucket: Option<String>,
    /// The S3-compatible server, e.g. http://127.0.0.1:9000 (none: AWS itself).
    #[arg(long, env = "MINYI_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    #[arg(long, env = "MINYI_S3_REGION", default_value = "us-east-1")]
    pub s3_region: String,
    #[arg(long, env = "MINYI_S3_ACCESS_KEY_ID", default_value = "")]
    pub s3_access_key_id: String,
    #[arg(long, env = "MINYI_S3_SECRET_ACCESS_KEY", default_value = "", hide_env_values = true)]
    pub s3_secret_access_key: String,
    /// A folder inside the bucket for every key.
    #[arg(long, env = "MINYI_S3_PREFIX")]
    pub s3_prefix: Option<String>,
}

impl FileStorage {
    pub fn open(&self, data_dir: &std::path::Path) -> anyhow::Result<app::backend::files::FileStore> {
        use app::backend::files::{FileStore, S3Config};
        match &self.s3_bucket {
            Some(bucket) => {
                let config = S3Config {
                    endpoint: self.s3_endpoint.clone(),
                    bucket: bucket.clone(),
                    region: self.s3_region.clone(),
                    access_key_id: self.s3_access_key_id.clone(),
                    secret_access_key: self.s3_secret_access_key.clone(),
                    allow_http: self.s3_endpoint.as_deref().is_some_and(|e| e.starts_with("http://")),
                    prefix: self.s3_prefix.clone(),
                };
                FileStore::s3(&config).with_context(|| format!("cannot use the S3 bucket {bucket}"))
            }
            None => {
                let dir = self.files_dir.clone().unwrap_or_else(|| data_dir.join("files"));
                std::fs::create_dir_all(&dir).with_context(|| format!("cannot create the files folder {}", dir.display()))?;
                FileStore::local(&dir).with_context(|| format!("cannot use the files folder {}", dir.display()))
            }
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(error) => {
            eprintln!("cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(global: &Global) {
    let filter = EnvFilter::try_new(&global.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_target(true);
    if global.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

impl Global {
    pub fn database_url(&self) -> anyhow::Result<String> {
        if let Some(url) = &self.database_url {
            return Ok(url.clone());
        }
        std::fs::create_dir_all(&self.data_dir).with_context(|| format!("cannot create the data folder {}", self.data_dir.display()))?;
        Ok(format!("sqlite://{}", self.data_dir.join("minyi.db").display()))
    }

    pub async fn open_database(&self) -> anyhow::Result<Db> {
        let url = self.database_url()?;
        let db = Db::connect(&url, self.db_connections).await.with_context(|| format!("opening {}", redact(&url)))?;
        db.migrate().await.context("migrating the database")?;
        Ok(db)
    }
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate => {
            let db = cli.global.open_database().await?;
            tracing::info!(database = db.kind(), "migrations applied");
            db.close().await;
        }
        Command::CreateAdmin { email, name } => create_admin(&cli.global, &email, &name).await?,
        Command::DemoData { if_empty, scale: None, .. } => {
            let db = cli.global.open_database().await?;
            load_demo(&db, if_empty, None, app::backend::clock::SystemClock.now()).await?;
            db.close().await;
        }
        Command::DemoData { scale: Some(proposals), big_comments, .. } => {
            let db = cli.global.open_database().await?;
            let report = demo::load_scale(&db, app::backend::clock::SystemClock.now(), proposals, big_comments)
                .await
                .context("generating benchmark data")?;
            println!("{report:?}");
            db.close().await;
        }
        Command::Serve(serve) => serve_site(&cli.global, *serve).await?,
        Command::Hearing { action: HearingCommand::DemoApplicants { id, count, low_income_percent } } => {
            let db = cli.global.open_database().await?;
            let applied = demo::load_applicants(&db, id, count, low_income_percent, app::backend::clock::SystemClock.now())
                .await
                .context("adding demo applicants")?;
            db.close().await;
            println!("{applied} applications added to hearing {id}");
        }
        Command::Hearing { action: HearingCommand::VerifyDraw { id } } => {
            let db = cli.global.open_database().await?;
            let record = db.hearing_draw(id).await.context("reading the draw")?;
            db.close().await;
            let Some(record) = record else { bail!("hearing {id} has no published draw") };
            let seed = app::domain::draw::Seed::from_hex(&record.seed).context("the published seed is not 64 hex digits")?;
            let commitment_ok = seed.commitment() == record.commitment;
            let rerun = app::domain::draw::draw(&seed, &record.applicants, record.seats);
            println!("algorithm   {}", record.algorithm);
            println!("seed        {}", record.seed);
            println!("commitment  {} ({})", record.commitment, if commitment_ok { "matches the seed" } else { "DOES NOT match the seed" });
            println!("applicants  {} for {} seats", record.applicants.len(), record.seats);
            println!("selected    {:?}", rerun.selected);
            println!("waiting     {:?}", rerun.waiting);
            if record.algorithm != app::domain::draw::ALGORITHM || !commitment_ok || rerun != record.outcome {
                bail!("the published draw of hearing {id} does not re-run to its published outcome");
            }
            println!("verified: the re-run gives the published participants");
        }
        Command::Penalty { action: PenaltyCommand::VerifyDraw { id } } => {
            use app::domain::penalty;
            let db = cli.global.open_database().await?;
            let record = db.penalty_draw(id).await.context("reading the draw")?;
            db.close().await;
            let Some(record) = record else { bail!("case {id} has no published panel draw") };
            let seed = app::domain::draw::Seed::from_hex(&record.seed).context("the published seed is not 64 hex digits")?;
            let commitment_ok = seed.commitment() == record.commitment;
            let rerun = penalty::panel_draw(&seed, record.eligible.len(), record.size, 0);
            println!("algorithm   {}", record.algorithm);
            println!("seed        {}", record.seed);
            println!("commitment  {} ({})", record.commitment, if commitment_ok { "matches the seed" } else { "DOES NOT match the seed" });
            println!("eligible    {} for a panel of {}", record.eligible.len(), record.size);
            let codes = |ordinals: &[u32]| -> Vec<String> {
                ordinals.iter().filter_map(|o| record.eligible.get(*o as usize - 1).cloned()).collect()
            };
            if let Ok(d) = &rerun {
                println!("panel       {}", codes(&d.panel).join(" "));
                println!("reserves    {}", codes(&d.reserve).join(" "));
            }
            if record.algorithm != penalty::PANEL_ALGORITHM || !commitment_ok || rerun.as_ref().ok() != Some(&record.outcome) {
                bail!("the published panel draw of case {id} does not re-run to its published outcome");
            }
            println!("verified: the re-run gives the published panel and reserves");
        }
        Command::Audit { action: AuditCommand::Verify } => {
            let db = cli.global.open_database().await?;
            let report = app::backend::store::audit::verify(&db).await.context("reading the audit log")?;
            db.close().await;
            match report.broken {
                None => println!("audit log intact: {} entries in {} chains", report.entries, report.chains),
                Some(broken) => bail!("audit log broken after {} good entries: {broken}", report.entries.saturating_sub(1)),
            }
        }
    }
    Ok(())
}

/// Demo data holds accounts (an admin's among them) whose password is published: a server
/// on a public address or behind TLS looks like production and loads it only when asked
/// twice.
fn demo_allowed(serve: &Serve) -> Result<(), String> {
    let public = !serve.bind.ip().is_loopback() || serve.secure_cookies;
    if public && !serve.allow_demo_data {
        return Err(format!(
            "--demo-if-empty creates accounts whose password is published (\"{}\"), and this server looks public \
             ({}): add --allow-demo-data to load it anyway, or drop --demo-if-empty",
            demo::DEMO_PASSWORD,
            if serve.secure_cookies { "--secure-cookies".to_owned() } else { format!("bound to {}", serve.bind) },
        ));
    }
    Ok(())
}

async fn load_demo(
    db: &Db,
    if_empty: bool,
    files: Option<&app::backend::files::FileStore>,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<()> {
    if if_empty && !demo::is_empty(db).await? {
        tracing::info!("database holds data already; demo data not loaded");
        return Ok(());
    }
    demo::load(db, now, files).await.context("loading demo data")?;
    tracing::info!(password = demo::DEMO_PASSWORD, "demo data loaded");
    Ok(())
}

async fn create_admin(global: &Global, email: &str, name: &str) -> anyhow::Result<()> {
    let locale = Locale::En;
    let email = Email::parse(email).map_err(|rule| anyhow::anyhow!("--email: {}", locale.rule(&rule)))?;
    let name = DisplayName::parse_staff(name).map_err(|rule| anyhow::anyhow!("--name: {}", locale.rule(&rule)))?;
    let db = global.open_database().await?;
    let now = app::backend::clock::SystemClock.now();
    if let Some(user) = db.user_by_email(email.as_str()).await? {
        db.grant_role(user.id, Role::Admin, user.id, now).await?;
        println!("{} is now an administrator; they act as one once two-step sign-in is on (/account)", email.as_str());
        return Ok(());
    }
    let raw = match std::env::var("MINYI_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("password for {} (min {} characters):", email.as_str(), Password::MIN);
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
            line.trim_end_matches(['\n', '\r']).to_owned()
        }
    };
    let password =
        Password::choose(&raw, &[email.as_str(), name.as_str()]).map_err(|rule| anyhow::anyhow!("password: {}", locale.rule(&rule)))?;
    let hash =
        app::backend::auth::hash_password(password.expose().to_owned()).await.map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    let created = db
        .create_user(
            NewUser {
                email: email.as_str(),
                password_hash: &hash,
                display_name: name.as_str(),
                roles: &[Role::Citizen, Role::Admin],
                agency_id: None,
            },
            now,
        )
        .await;
    match created {
        Ok(_) => {
            println!("administrator {} created; sign in and turn on two-step sign-in at /account before administering", email.as_str())
        }
        Err(error) => bail!("creating the administrator: {error}"),
    }
    db.close().await;
    Ok(())
}

async fn serve_site(global: &Global, serve: Serve) -> anyhow::Result<()> {
    let db = global.open_database().await?;
    if serve.test_clock && !serve.bind.ip().is_loopback() {
        bail!("--test-clock is for browser tests on a loopback address only");
    }
    let test_clock = serve.test_clock.then(|| std::sync::Arc::new(app::backend::clock::OffsetClock::default()));
    let files = serve.files.open(&global.data_dir)?;
    if serve.demo_if_empty {
        demo_allowed(&serve).map_err(|e| anyhow::anyhow!(e))?;
        load_demo(&db, true, Some(&files), app::backend::clock::SystemClock.now()).await?;
    }
    if demo::published_password_in_use(&db).await? {
        tracing::warn!(
            password = demo::DEMO_PASSWORD,
            "DEMO ACCOUNTS ARE OPEN: accounts of the demo data sign in with the published password; \
             never run a real consultation on this database"
        );
    }
    let config = RuntimeConfig {
        secure_cookies: serve.secure_cookies,
        trust_forwarded_for: serve.trust_forwarded_for,
        trusted_proxies: serve.trusted_proxies as usize,
        signin_per_ip: serve.signin_per_ip,
        register_per_ip: serve.register_per_ip,
        comments_per_account: serve.comments_per_account,
        comments_per_ip: serve.comments_per_ip,
        max_in_flight: serve.max_in_flight,
        page_cache: std::time::Duration::from_millis(serve.page_cache_ms),
        per_client_in_flight: serve.per_client_in_flight,
        body_deadline: std::time::Duration::from_secs(serve.body_timeout_secs),
        max_upload_bytes: serve.max_upload_mib * 1024 * 1024,
        api_per_minute: serve.api_per_minute,
        ..RuntimeConfig::default()
    };
    let mailer = serve.mail.mailer(serve.bind)?;
    let mut state = AppState::new(db.clone(), config).with_files(files).with_mailer(mailer);
    if let Some(clock) = &test_clock {
        tracing::warn!("serving with a test clock: POST /test/clock moves time forward (browser tests only)");
        state = state.with_clock(clock.clone());
    }
    tokio::spawn(sweep(state.clone()));
    let options = leptos_options(&serve.site_root, serve.bind);
    let router = crate::router::build(state.clone(), options);
    let router = match test_clock {
        Some(clock) => router.merge(crate::testing::routes(clock, state.clone())),
        None => router,
    };
    if let Some(metrics_bind) = serve.metrics_bind {
        if metrics_bind == serve.bind {
            bail!("--metrics-bind must differ from --bind: metrics are not for the public");
        }
        let listener =
            tokio::net::TcpListener::bind(metrics_bind).await.with_context(|| format!("cannot listen on {metrics_bind} for metrics"))?;
        let metrics = crate::metrics::router(state.clone());
        tracing::info!(address = %metrics_bind, "Prometheus metrics on http://{metrics_bind}/metrics");
        tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, metrics).await {
                tracing::error!(%error, "the metrics listener stopped");
            }
        });
    }
    let listener = tokio::net::TcpListener::bind(serve.bind).await.with_context(|| format!("cannot listen on {}", serve.bind))?;
    tracing::info!(address = %serve.bind, database = db.kind(), "Minyi is serving on http://{}", serve.bind);
    crate::serve::serve(listener, router, std::time::Duration::from_secs(serve.header_timeout_secs), shutdown_signal()).await;
    tracing::info!("shutting down: closing the database");
    db.close().await;
    Ok(())
}

pub fn leptos_options(site_root: &str, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder().output_name("minyi").site_root(site_root).site_pkg_dir("pkg").site_addr(addr).env(Env::PROD).build()
}

/// Finishes in-flight requests on SIGTERM or Ctrl-C, then stops.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received");
}

/// Every ten minutes: sessions past their expiry and rate-limit attempts older than any
/// limit's window are deleted. Each process runs it; the deletes are idempotent, so
/// several processes on one database do not conflict.
async fn sweep(state: AppState) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let now = state.now();
        match state.db.purge_sessions(now).await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions removed"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "removing expired sessions failed"),
        }
        // the longest window any limit counts over is an hour (registrations, sign-in failures)
        let longest = chrono::Duration::hours(1).max(app::domain::signin::WINDOW);
        match app::backend::store::rate::purge(&state.db, now - longest).await {
            Ok(n) if n > 0 => tracing::info!(attempts = n, "stale rate-limit attempts removed"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "removing stale rate-limit attempts failed"),
        }
        // an address not used to sign in for half a year is no longer a known one
        match app::backend::store::rate::purge_addresses(&state.db, now - chrono::Duration::days(180)).await {
            Ok(n) if n > 0 => tracing::info!(addresses = n, "stale sign-in addresses removed"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "removing stale sign-in addresses failed"),
        }
        // one-time links a day past their expiry (a late click still hears "expired")
        match app::backend::store::tokens::purge(&state.db, now - chrono::Duration::days(1)).await {
            Ok(n) if n > 0 => tracing::info!(links = n, "expired one-time links removed"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "removing expired one-time links failed"),
        }
        if let Err(error) = sweep_files(&state, now).await {
            tracing::warn!(%error, "removing orphaned evidence files failed");
        }
    }
}

/// Evidence objects that no row names, an hour after they were written: left by a
/// crash between an upload and its transaction (a refused or failed transaction
/// deletes its object at once).
async fn sweep_files(state: &AppState, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
    let Some(files) = &state.files else { return Ok(()) };
    let known: std::collections::HashSet<String> = state.db.evidence_keys().await?.into_iter().collect();
    let swept = files.sweep_orphans(|key| known.contains(key), chrono::Duration::hours(1), now).await?;
    if !swept.is_empty() {
        tracing::info!(objects = swept.len(), "orphaned evidence files removed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> Serve {
        let cli = Cli::try_parse_from(["minyi", "serve"].iter().chain(args)).expect("arguments parse");
        match cli.command {
            Command::Serve(serve) => *serve,
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn demo_data_with_its_published_password_is_refused_on_a_public_server_unless_asked_twice() {
        assert!(demo_allowed(&serve(&["--demo-if-empty"])).is_ok(), "loopback: a developer's machine");
        let refused = demo_allowed(&serve(&["--demo-if-empty", "--bind", "0.0.0.0:3000"])).unwrap_err();
        assert!(refused.contains("--allow-demo-data") && refused.contains("0.0.0.0:3000"), "{refused}");
        let refused = demo_allowed(&serve(&["--demo-if-empty", "--secure-cookies"])).unwrap_err();
        assert!(refused.contains("--secure-cookies"), "{refused}");
        assert!(demo_allowed(&serve(&["--demo-if-empty", "--bind", "0.0.0.0:3000", "--allow-demo-data"])).is_ok());
    }
}
