//! The router in-process: status codes, headers, server functions, pages.

use std::sync::Arc;

use app::backend::{clock::FixedClock, context::RuntimeConfig, demo, AppState, Db};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use tower::ServiceExt;

struct TestApp {
    router: Router,
    db: Db,
    /// Every test runs at a fixed instant (2026-11-30 00:00 UTC) and moves it on purpose.
    clock: Arc<FixedClock>,
    _dir: Option<tempfile::TempDir>,
    _serial: Option<std::sync::MutexGuard<'static, ()>>,
    /// The evidence files' folder.
    files_dir: tempfile::TempDir,
    /// Where its database is (a second server may open it too).
    url: String,
}

/// One app at a time in this process. Each test runs its own single-threaded runtime;
/// with several apps rendering at once in one process, a request now and then stalled
/// until the 30 s timeout (never with one runtime, as in a real server, and never
/// serially). Serial, the suite takes about five seconds.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

thread_local! {
    /// This test's thread holds `SERIAL` already (a test that starts a second app).
    static HOLDS_SERIAL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("minyi_session=") && !c.starts_with("minyi_session=;"))
            .map(|c| c.split(';').next().unwrap().to_owned())
    }
}

fn start() -> chrono::DateTime<chrono::Utc> {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 30, 0, 0, 0).unwrap()
}

/// A fresh database with the demo data: SQLite by default, a new PostgreSQL database
/// when MINYI_TEST_DB=postgres (`.ci/test.sh` runs this suite both ways).
async fn fresh_db() -> (Db, Option<tempfile::TempDir>, String) {
    if std::env::var("MINYI_TEST_DB").as_deref() == Ok("postgres") {
        use sqlx::Connection;
        let admin = std::env::var("MINYI_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let name = format!("minyi_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("PostgreSQL for the HTTP tests");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.unwrap();
        let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
        let url = format!("{base}/{name}");
        (Db::connect(&url, 4).await.unwrap(), None, url)
    } else {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        (Db::connect(&url, 4).await.unwrap(), Some(dir), url)
    }
}

async fn spawn_app_with(config: RuntimeConfig) -> TestApp {
    spawn_app_mailing(config, None).await
}

/// An app whose mails go to `sink` (links under http://minyi.test).
async fn spawn_app_mailing(config: RuntimeConfig, sink: Option<&MailSink>) -> TestApp {
    let serial = (!HOLDS_SERIAL.get()).then(|| {
        let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        HOLDS_SERIAL.set(true);
        guard
    });
    let (db, dir, url) = fresh_db().await;
    db.migrate().await.unwrap();
    let files_dir = tempfile::tempdir().unwrap();
    let files = app::backend::files::FileStore::local(files_dir.path()).unwrap();
    demo::load(&db, start(), Some(&files)).await.unwrap();
    let clock = FixedClock::at(start());
    let mut state = AppState::new(db.clone(), config).with_clock(clock.clone()).with_files(files);
    if let Some(sink) = sink {
        let mailer = app::backend::mail::Mailer::smtp(&sink.url(), "民意平台 <no-reply@minyi.test>", "http://minyi.test").unwrap();
        state = state.with_mailer(mailer);
    }
    let options = minyi_server::cli::leptos_options("target/site", "127.0.0.1:3000".parse().unwrap());
    TestApp { router: minyi_server::router::build(state, options), db, clock, _dir: dir, _serial: serial, files_dir, url }
}

/// A second server on the same database, as another process would be: its own pool,
/// its own page cache and rate-limit memory, the same clock and files.
async fn twin(of: &TestApp, config: RuntimeConfig) -> TestApp {
    let db = Db::connect(&of.url, 4).await.unwrap();
    let files = app::backend::files::FileStore::local(of.files_dir.path()).unwrap();
    let state = AppState::new(db.clone(), config).with_clock(of.clock.clone()).with_files(files);
    let options = minyi_server::cli::leptos_options("target/site", "127.0.0.1:3000".parse().unwrap());
    TestApp {
        router: minyi_server::router::build(state, options),
        db,
        clock: of.clock.clone(),
        _dir: None,
        _serial: None,
        files_dir: tempfile::tempdir().unwrap(),
        url: of.url.clone(),
    }
}

async fn spawn_app() -> TestApp {
    spawn_app_with(RuntimeConfig::default()).await
}

/// A local SMTP server that keeps what it receives in a Maildir: Python's aiosmtpd
/// (Debian's `python3-aiosmtpd`, installed by `.ci/setup.sh`), on a free port.
struct MailSink {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl MailSink {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("aiosmtpd (apt-get install python3-aiosmtpd; .ci/setup.sh does)");
        let sink = Self { child, port, dir };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "the SMTP sink did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        sink
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The mails `to` received so far, read by a MIME parser: (subject, text), oldest first.
    fn mails_to(&self, to: &str) -> Vec<(String, String)> {
        let Ok(entries) = std::fs::read_dir(self.dir.path().join("mail").join("new")) else { return Vec::new() };
        let mut found: Vec<(std::time::SystemTime, String, String)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let raw = std::fs::read(e.path()).ok()?;
                let message = mail_parser::MessageParser::default().parse(&raw)?;
                let rcpt = message.header_raw("X-RcptTo")?.trim().to_owned();
                (rcpt == to).then(|| {
                    let when = e.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
                    (when, message.subject().unwrap_or_default().to_owned(), message.body_text(0).unwrap_or_default().into_owned())
                })
            })
            .collect();
        found.sort_by_key(|(when, ..)| *when);
        found.into_iter().map(|(_, subject, text)| (subject, text)).collect()
    }

    /// Waits (up to 15 s) until `to` has received `count` mails; the newest.
    async fn wait_for(&self, to: &str, count: usize) -> (String, String) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let mails = self.mails_to(to);
            if mails.len() >= count {
                return mails.last().cloned().unwrap();
            }
            assert!(std::time::Instant::now() < deadline, "no mail {count} to {to}: {mails:?}");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The link in a mail's text (the first line starting with the public address).
fn link_in(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("http://minyi.test/account/"))
        .unwrap_or_else(|| panic!("no link in {text}"))
        .to_owned()
}

/// The query parameter `name` of a link, decoded.
fn query_param(link: &str, name: &str) -> Option<String> {
    let query = link.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if self._serial.is_some() {
            HOLDS_SERIAL.set(false);
        }
    }
}

impl TestApp {
    async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// A server-function call as the hydrated page makes it (same origin, JSON back).
    async fn call(&self, endpoint: &str, pairs: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        let mut req = Request::post(format!("/api/{endpoint}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(form(pairs))).unwrap()).await
    }

    /// An administrator account (the demo has none), signed in.
    async fn admin(&self) -> String {
        let hash = app::backend::auth::hash_password("admin-password-2026".to_owned()).await.unwrap();
        self.db
            .create_user(
                app::backend::store::users::NewUser {
                    email: "admin@example.cn",
                    password_hash: &hash,
                    display_name: "平台管理",
                    roles: &[app::domain::role::Role::Citizen, app::domain::role::Role::Admin],
                    agency_id: None,
                },
                start(),
            )
            .await
            .unwrap();
        let id = self.db.user_by_email("admin@example.cn").await.unwrap().unwrap().id;
        // an administrator acts only with two-step sign-in on
        use app::backend::clock::Clock;
        let now = self.clock.now();
        let e = app::backend::service::accounts::begin_second_factor(&self.db, id, now).await.unwrap();
        let code = app::backend::second_factor::code_at(&e.secret, now).unwrap();
        app::backend::service::accounts::confirm_second_factor(&self.db, id, &code, now).await.unwrap();
        let r = self.call("sign_in", &[("email", "admin@example.cn"), ("password", "admin-password-2026")], None).await;
        assert!(r.body.contains("second_factor_required"), "{}", r.body);
        let next = app::backend::second_factor::code_at(&e.secret, now + chrono::Duration::seconds(30)).unwrap();
        let r = self.call("sign_in", &[("email", "admin@example.cn"), ("password", "admin-password-2026"), ("code", &next)], None).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
        r.session_cookie().expect("session cookie")
    }

    async fn sign_in(&self, email: &str, password: &str) -> String {
        let r = self.call("sign_in", &[("email", email), ("password", password)], None).await;
        assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
        r.session_cookie().expect("session cookie")
    }
}

#[tokio::test]
async fn healthz_reports_database() {
    let app = spawn_app().await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&format!("\"database\":\"{}\"", app.db.kind())), "{}", r.body);
    app.db.close().await;
    let r = app.get("/healthz", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
}

/// The hearing feed is iCalendar a parser reads: one event per public hearing of the demo
/// (the organizer's unannounced one left out), the cancelled one marked so.
#[tokio::test]
async fn the_hearing_feed_is_icalendar_with_every_public_hearing() {
    let app = spawn_app().await;
    let r = app.get("/hearings.ics", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/calendar"));
    let unfolded = icalendar::parser::unfold(&r.body);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let prop = |c: &icalendar::parser::Component<'_>, name: &str| {
        c.properties.iter().find(|p| p.name.as_str() == name).map(|p| p.val.as_str().to_owned())
    };
    let events: Vec<_> = calendar.components.iter().filter(|c| c.name.as_str() == "VEVENT").collect();
    assert_eq!(events.len(), 6, "{}", r.body);
    assert!(events.iter().any(|e| prop(e, "SUMMARY").is_some_and(|s| s.contains("养老机构收费管理办法"))));
    assert_eq!(events.iter().filter(|e| prop(e, "STATUS").as_deref() == Some("CANCELLED")).count(), 1);
    // one hearing's own file; an unannounced or unknown one is not there
    let one = app.get("/hearings/1/calendar.ics", None).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body.matches("BEGIN:VEVENT").count(), 1);
    assert_eq!(app.get("/hearings/3/calendar.ics", None).await.status, StatusCode::NOT_FOUND, "not announced yet");
    assert_eq!(app.get("/hearings/99/calendar.ics", None).await.status, StatusCode::NOT_FOUND);
}

/// A published draw as JSON: re-running the published algorithm on the published seed and
/// list gives the published outcome; the seed matches the commitment.
#[tokio::test]
async fn a_published_draw_re_runs_from_its_json() {
    let app = spawn_app().await;
    // the demo's drawn hearing (2); the open one (1) has no draw yet
    assert_eq!(app.get("/hearings/1/draw.json", None).await.status, StatusCode::NOT_FOUND);
    let r = app.get("/hearings/2/draw.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let record: app::model::DrawRecord = serde_json::from_str(&r.body).unwrap();
    assert_eq!(record.algorithm, app::domain::draw::ALGORITHM);
    assert_eq!(record.applicants.len(), 40);
    let seed = app::domain::draw::Seed::from_hex(&record.seed).unwrap();
    assert_eq!(seed.commitment(), record.commitment);
    assert_eq!(app::domain::draw::draw(&seed, &record.applicants, record.seats), record.outcome);
    assert!(record.verified);
}

/// A published panel draw re-runs from its JSON; the public pages of penalty cases carry
/// no personal data of the party, and a draft is nobody's but its agency's.
#[tokio::test]
async fn a_panel_draw_re_runs_from_its_json_and_case_pages_carry_no_personal_data() {
    use app::domain::penalty;
    let app = spawn_app().await;
    // the demo's replied case (1) was drawn from the whole pool; the open one (4) not yet
    assert_eq!(app.get("/penalties/4/draw.json", None).await.status, StatusCode::NOT_FOUND);
    let r = app.get("/penalties/1/draw.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let record: app::model::PanelDrawRecord = serde_json::from_str(&r.body).unwrap();
    assert_eq!((record.algorithm.as_str(), record.size, record.eligible.len()), (penalty::PANEL_ALGORITHM, 7, 20));
    let seed = app::domain::draw::Seed::from_hex(&record.seed).unwrap();
    assert_eq!(seed.commitment(), record.commitment);
    assert_eq!(penalty::panel_draw(&seed, record.eligible.len(), record.size, 0).unwrap(), record.outcome);
    assert!(record.verified);
    assert!(record.eligible.iter().all(|code| code.starts_with("R-")), "reviewers by number, never by name");

    let page = app.get("/penalties/1", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("市环罚〔2026〕21号"));
    for secret in ["恒通", "刘建设", "139 5601 2288", "芙蓉路168号"] {
        assert!(!page.body.contains(secret), "the public page shows {secret}");
    }
    let list = app.get("/penalties", None).await;
    assert_eq!(list.status, StatusCode::OK);
    for secret in ["恒通", "陈小东", "34010419851203221X", "鑫城"] {
        assert!(!list.body.contains(secret), "the public list shows {secret}");
    }
    // the draft whose masking is not confirmed
    assert_eq!(app.get("/penalties/5", None).await.status, StatusCode::NOT_FOUND);
}

/// A page read signed in, and every server function's answer, is never kept by a shared
/// or browser cache; a public page read anonymously may be, and static files keep theirs.
#[tokio::test]
async fn signed_in_pages_and_server_function_answers_are_not_stored() {
    let app = spawn_app().await;
    let no_store = |r: &Reply| r.headers.get(header::CACHE_CONTROL).is_some_and(|v| v == "no-store");
    let anonymous = app.get("/proposals", None).await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(!no_store(&anonymous), "an anonymous public page may be cached");
    let cookie = app.sign_in("official.jtj@example.cn", app::backend::demo::DEMO_PASSWORD).await;
    let page = app.get("/penalties", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(no_store(&page), "{:?}", page.headers);
    let answer = app.call("penalties", &[], None).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(no_store(&answer), "{:?}", answer.headers);
    let draw = app.get("/penalties/1/draw.json", Some(&cookie)).await;
    assert_eq!(draw.headers.get(header::CACHE_CONTROL).unwrap(), "public, max-age=300", "its own policy stands");
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_csp() {
    let app = spawn_app().await;
    // a rendered page allows its scripts by this response's nonce (cached copies of
    // public pages by hashes: see the page cache test)
    let r = app.get("/signin", None).await;
    let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    let start = csp.find("'nonce-").expect("a nonce") + "'nonce-".len();
    let nonce = &csp[start..start + csp[start..].find('\'').unwrap()];
    assert!(r.body.contains(&format!("nonce=\"{nonce}\"")), "the scripts carry the nonce");
    assert_ne!(app.get("/signin", None).await.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap(), csp);
    let r = app.get("/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self' '"] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert_eq!(r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    assert!(r.headers.get(header::REFERRER_POLICY).is_some());
    // zh-CN by default, with Chinese demo content
    assert!(r.body.contains("<html lang=\"zh-CN\""), "{}", &r.body[..200.min(r.body.len())]);
    assert!(r.body.contains("关于调整本市居民生活用水价格的方案"));
    let r = app.get("/", Some("minyi_lang=en")).await;
    assert!(r.body.contains("<html lang=\"en\"") && r.body.contains("Open for comment"));
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    let req = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(form(&[("email", "zhang.wei@example.cn"), ("password", demo::DEMO_PASSWORD)])))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.session_cookie().is_none());
    // an Origin that is not this host, without Sec-Fetch-Site (older browsers)
    let req = Request::post("/api/sign_out")
        .header(header::HOST, "minyi.example")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn no_get_changes_state() {
    let app = spawn_app().await;
    for path in ["/api/sign_out", "/api/post_comment?proposal_id=1&body=x", "/api/register?email=a@b.cn&password=12345678&display_name=ab"]
    {
        let r = app.get(path, None).await;
        assert!(r.status.is_client_error(), "{path}: {}", r.status);
    }
    assert!(app.db.user_by_email("a@b.cn").await.unwrap().is_none());
}

#[tokio::test]
async fn register_validates_every_field() {
    let app = spawn_app().await;
    let r = app.call("register", &[("email", "not-an-email"), ("password", "short"), ("display_name", "")], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    for field in ["\"email\"", "\"password\"", "\"display_name\""] {
        assert!(r.body.contains(field), "{field} missing in {}", r.body);
    }
}

/// The journey of issue 13 through the router and a real SMTP server: register (the same
/// answer for a known address), read the link from the mail, open it (nothing changes),
/// confirm with the button, comment; then forget the password and reset it by mail.
#[tokio::test]
async fn register_verify_by_the_mailed_link_comment_and_reset_the_password() {
    let sink = MailSink::start();
    let app = spawn_app_mailing(RuntimeConfig::default(), Some(&sink)).await;
    let email = "li.ming@example.cn";
    let register = |password: &'static str, name: &'static str| {
        let app = &app;
        async move {
            app.call(
                "register",
                &[("email", "Li.Ming@Example.cn"), ("password", password), ("display_name", name), ("next", "/proposals/1")],
                None,
            )
            .await
        }
    };
    let first = register("长城脚下的清晨六点", "李明").await;
    assert!(first.status.is_success() || first.status.is_redirection(), "{} {}", first.status, first.body);
    assert!(first.session_cookie().is_none(), "not signed in before the address is proved");
    let (subject, text) = sink.wait_for(email, 1).await;
    assert!(subject.contains("确认") && subject.contains("confirm"), "{subject}");
    let link = link_in(&text);
    assert!(link.starts_with("http://minyi.test/account/verify?token="), "{link}");
    assert_eq!(query_param(&link, "next").as_deref(), Some("/proposals/1"));

    // the same address again: the same answer; the mail tells the owner instead
    let again = register("another-pass-2026-x", "李明二").await;
    assert_eq!((again.status, again.headers.get(header::LOCATION)), (first.status, first.headers.get(header::LOCATION)));
    assert_eq!(again.body, first.body);
    let (subject, text) = sink.wait_for(email, 2).await;
    assert!(subject.contains("已经有账户"), "{subject}");
    assert!(link_in(&text).starts_with("http://minyi.test/account/reset?token="), "{text}");

    // opening the link shows a page and changes nothing
    let path = link.trim_start_matches("http://minyi.test");
    let page = app.get(path, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"token\""), "the page's form carries the token");
    let user = app.db.user_by_email(email).await.unwrap().unwrap();
    assert!(user.email_verified_at.is_none());

    // signed in with the password, the citizen cannot comment yet
    let cookie = app.sign_in(email, "长城脚下的清晨六点").await;
    let r = app.call("post_comment", &[("proposal_id", "1"), ("stance", "support"), ("body", "支持。")], Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("email_not_verified"), "{}", r.body);

    // the button confirms and signs in
    let token = query_param(&link, "token").unwrap();
    let r = app.call("verify_email", &[("token", &token), ("next", "/proposals/1")], None).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    let cookie = r.session_cookie().expect("signed in by the link");
    let r = app.call("post_comment", &[("proposal_id", "1"), ("stance", "support"), ("body", "支持这项调整。")], Some(&cookie)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let r = app.call("verify_email", &[("token", &token)], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("link_used"), "{}", r.body);

    // forgotten password: the same answer for an unknown address, a mail for a known one
    let known = app.call("request_password_reset", &[("email", email)], None).await;
    let unknown = app.call("request_password_reset", &[("email", "nobody@example.cn")], None).await;
    assert_eq!((known.status, &known.body), (unknown.status, &unknown.body));
    let (_, text) = sink.wait_for(email, 3).await;
    let reset = link_in(&text);
    let token = query_param(&reset, "token").unwrap();
    let r = app.call("reset_password", &[("token", &token), ("new_password", "12345678")], None).await;
    assert!(r.body.contains("password_guessable"), "{}", r.body);
    let r = app.call("reset_password", &[("token", &token), ("new_password", "玉兰花开在三月的街头")], None).await;
    assert!(r.status.is_success() || r.status.is_redirection(), "{} {}", r.status, r.body);
    // every session ended, the new password works
    let page = app.get("/account", Some(&cookie)).await;
    assert!(!page.body.contains("data-testid=\"sessions\""), "the old session ended");
    app.sign_in(email, "玉兰花开在三月的街头").await;
    assert!(sink.mails_to("nobody@example.cn").is_empty(), "no mail to an address without an account");
}

#[tokio::test]
async fn sign_in_rotates_session_and_wrong_password_is_refused() {
    let app = spawn_app().await;
    let r = app.call("sign_in", &[("email", "zhang.wei@example.cn"), ("password", "wrong-password")], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("wrong_credentials"), "{}", r.body);
    let first = app.sign_in("zhang.wei@example.cn", demo::DEMO_PASSWORD).await;
    // signing in again from the same browser replaces the session
    let r = app.call("sign_in", &[("email", "zhang.wei@example.cn"), ("password", demo::DEMO_PASSWORD)], Some(&first)).await;
    let second = r.session_cookie().unwrap();
    assert_ne!(first, second);
    let who = app.call("viewer", &[], Some(&first)).await;
    assert_eq!(who.body, "null", "the old session no longer works");
    let who = app.call("viewer", &[], Some(&second)).await;
    assert!(who.body.contains("张伟"), "{}", who.body);
    // sign out ends it
    app.call("sign_out", &[], Some(&second)).await;
    assert_eq!(app.call("viewer", &[], Some(&second)).await.body, "null");
}

#[tokio::test]
async fn sign_in_failures_hold_back_that_address_on_that_account_only() {
    let app = spawn_app_with(RuntimeConfig { signin_per_ip: 20, ..RuntimeConfig::default() }).await;
    for _ in 0..5 {
        let r = app.call("sign_in", &[("email", "li.na@example.cn"), ("password", "wrong-password")], None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // the sixth try from here waits, even with the right password
    let r = app.call("sign_in", &[("email", "li.na@example.cn"), ("password", demo::DEMO_PASSWORD)], None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let retry: u64 = r.headers.get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    assert!(r.session_cookie().is_none());
    // an account nobody has is held back the same way, with the same answer
    for _ in 0..5 {
        let r = app.call("sign_in", &[("email", "nobody@example.cn"), ("password", "wrong-password")], None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("wrong_credentials"), "{}", r.body);
    }
    let r = app.call("sign_in", &[("email", "nobody@example.cn"), ("password", "wrong-password")], None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // other accounts from the same address are not held back by those failures ...
    app.sign_in("wang.fang@example.cn", demo::DEMO_PASSWORD).await;
    // ... until the address has used its 20 attempts of the minute, whatever their outcome
    // (6 + 6 + 1 so far)
    for _ in 0..7 {
        app.call("sign_in", &[("email", "liu.yang@example.cn"), ("password", "wrong-password")], None).await;
    }
    let r = app.call("sign_in", &[("email", "chen.jing@example.cn"), ("password", demo::DEMO_PASSWORD)], None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    // no e-mail is kept in clear as a key
    let buckets: Vec<String> =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT DISTINCT bucket FROM rate_events").fetch_all(pool).await).unwrap();
    assert!(!buckets.is_empty());
    assert!(buckets.iter().all(|b| !b.contains('@') && b.len() < 80), "{buckets:?}");
}

#[tokio::test]
async fn an_administrator_without_two_step_sign_in_is_told_to_set_it_up_and_does_nothing() {
    let app = spawn_app().await;
    let hash = app::backend::auth::hash_password("admin-password-2026".to_owned()).await.unwrap();
    let roles = [app::domain::role::Role::Citizen, app::domain::role::Role::Admin];
    let user = app::backend::store::users::NewUser {
        email: "admin2@example.cn",
        password_hash: &hash,
        display_name: "管理员二",
        roles: &roles,
        agency_id: None,
    };
    app.db.create_user(user, start()).await.unwrap();
    let admin = app.sign_in("admin2@example.cn", "admin-password-2026").await;
    let roles_before = app.db.roles_of(1).await.unwrap();
    let r = app.call("admin/role", &[("user_id", "1"), ("role", "moderator"), ("grant", "1")], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(r.body.contains("admin_needs_second_factor"), "{}", r.body);
    assert_eq!(app.db.roles_of(1).await.unwrap(), roles_before);
    let page = app.get("/admin", Some(&admin)).await;
    assert!(page.body.contains("两步登录") && page.body.contains("href=\"/account\""), "{}", page.body);
}

#[tokio::test]
async fn weak_passwords_are_refused_at_registration_with_the_reason() {
    let app = spawn_app().await;
    let r = app.call("register", &[("email", "weak@example.cn"), ("password", "12345678"), ("display_name", "弱密码")], None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("password_guessable"), "{}", r.body);
    assert!(app.db.user_by_email("weak@example.cn").await.unwrap().is_none());
}

#[tokio::test]
async fn a_citizen_is_refused_an_officials_function() {
    let app = spawn_app().await;
    let citizen = app.sign_in("zhang.wei@example.cn", demo::DEMO_PASSWORD).await;
    let body = "第一条 为规范本市公交线路调整，制定本办法。\n\n第二条 本办法适用于中心城区。";
    let fields = [
        ("title", "公民不得发布的草案"),
        ("kind", "regulation"),
        ("domains[0]", "transport"),
        ("body", body),
        ("opens_at", "2026-12-01T09:00"),
        ("closes_at", "2027-01-15T09:00"),
    ];
    let r = app.call("publish_proposal", &fields, Some(&citizen)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let r = app.call("publish_proposal", &fields, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let r = app.call("admin/role", &[("user_id", "1"), ("role", "admin"), ("grant", "1")], Some(&citizen)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // the official of an agency may
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("publish_proposal", &fields, Some(&official)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let id: i64 = r.body.parse().unwrap();
    // a draft: private until published, previewed by its agency's officials only
    assert_eq!(app.get(&format!("/proposals/{id}"), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/proposals/{id}"), Some(&citizen)).await.status, StatusCode::NOT_FOUND);
    let other_agency = app.sign_in("official.fgw@example.cn", demo::DEMO_PASSWORD).await;
    assert_eq!(app.get(&format!("/proposals/{id}"), Some(&other_agency)).await.status, StatusCode::NOT_FOUND);
    // to another agency's official the draft does not exist
    let r = app.call("publish_draft", &[("id", &id.to_string())], Some(&other_agency)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let preview = app.get(&format!("/proposals/{id}"), Some(&official)).await;
    assert!(preview.body.contains("草稿预览") && preview.body.contains("公民不得发布的草案"));
    let r = app.call("publish_draft", &[("id", &id.to_string())], Some(&official)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let page = app.get(&format!("/proposals/{id}"), None).await;
    assert!(page.body.contains("公民不得发布的草案") && !page.body.contains("草稿预览"));
}

#[tokio::test]
async fn publishing_names_the_broken_rules() {
    let app = spawn_app().await;
    let official = app.sign_in("official.fgw@example.cn", demo::DEMO_PASSWORD).await;
    // 14 days without a reason, no domain, an unknown kind
    let r = app
        .call(
            "publish_proposal",
            &[
                ("title", "短期限草案"),
                ("kind", "decree"),
                ("body", "第一条 这是一条足够长的测试正文内容，用于检查规则。"),
                ("opens_at", "2026-12-01T09:00"),
                ("closes_at", "2026-12-15T09:00"),
            ],
            Some(&official),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("window_shorter_than_minimum") && r.body.contains("\"min_days\":30"), "{}", r.body);
    assert!(r.body.contains("no_domain") && r.body.contains("\"kind\""), "{}", r.body);
    // window ending before it starts
    let r = app
        .call(
            "publish_proposal",
            &[
                ("title", "倒置期限"),
                ("kind", "regulation"),
                ("domains[3]", "affordable_housing"),
                ("body", "第一条 这是一条足够长的测试正文内容，用于检查规则。"),
                ("opens_at", "2026-12-15T09:00"),
                ("closes_at", "2026-12-01T09:00"),
            ],
            Some(&official),
        )
        .await;
    assert!(r.body.contains("window_ends_before_start"), "{}", r.body);
    // with a reason the short window is accepted and the reason published
    let r = app
        .call(
            "publish_proposal",
            &[
                ("title", "应急短期限草案"),
                ("kind", "regulation"),
                ("domains[3]", "affordable_housing"),
                ("body", "第一条 这是一条足够长的测试正文内容，用于检查规则。"),
                ("opens_at", "2026-12-01T09:00"),
                ("closes_at", "2026-12-15T09:00"),
                ("short_reason", "防汛应急，必须在汛期前实施"),
            ],
            Some(&official),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let id: i64 = r.body.parse().unwrap();
    app.call("publish_draft", &[("id", &id.to_string())], Some(&official)).await;
    let page = app.get(&format!("/proposals/{id}"), None).await;
    assert!(page.body.contains("防汛应急，必须在汛期前实施"));
}

#[tokio::test]
async fn comment_flow_and_xss_is_inert() {
    let app = spawn_app().await;
    let citizen = app.sign_in("zhang.wei@example.cn", demo::DEMO_PASSWORD).await;
    // proposal 1 of the demo set is open and has 6 clauses
    let payload = "<script>alert('xss')</script><img src=x onerror=alert(1)> 第三条很好";
    let r =
        app.call("post_comment", &[("proposal_id", "1"), ("clause", "3"), ("stance", "support"), ("body", payload)], Some(&citizen)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let page = app.get("/proposals/1", None).await;
    assert!(page.body.contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;") || page.body.contains("&lt;script&gt;"), "escaped");
    assert!(!page.body.contains("<script>alert('xss')"), "never raw");
    assert!(!page.body.contains("<img src=x"), "never raw");
    // a clause that does not exist, an empty body, a closed window, no sign-in
    let r = app.call("post_comment", &[("proposal_id", "1"), ("clause", "99"), ("body", "x")], Some(&citizen)).await;
    assert!(r.body.contains("no_such_clause"), "{}", r.body);
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", "   ")], Some(&citizen)).await;
    assert!(r.body.contains("required"), "{}", r.body);
    let r = app.call("post_comment", &[("proposal_id", "5"), ("body", "已结束的草案")], Some(&citizen)).await;
    assert!(r.body.contains("window_not_open"), "{}", r.body);
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", "匿名")], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app.call("post_comment", &[("proposal_id", "999"), ("body", "不存在")], Some(&citizen)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn plain_form_posts_redirect_back_with_the_error() {
    let app = spawn_app().await;
    let req = Request::post("/api/sign_in")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/signin")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(form(&[("email", "zhang.wei@example.cn"), ("password", "wrong-password")])))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FOUND);
    let location = r.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
    assert!(location.contains("/signin") && location.contains("__err="), "{location}");
    // the page it lands on shows the message
    let path = location.trim_start_matches("http://127.0.0.1:3000");
    let page = app.get(path, None).await;
    assert!(page.body.contains("邮箱或密码不正确"), "{}", page.body);
}

#[tokio::test]
async fn unknown_pages_are_404_and_expired_cookies_are_signed_out() {
    let app = spawn_app().await;
    assert_eq!(app.get("/no/such/page", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/proposals/424242", None).await.status, StatusCode::NOT_FOUND);
    let r = app.get("/", Some("minyi_session=forged-or-expired")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("/register"), "shown as signed out");
}

#[tokio::test]
async fn supports_moderation_and_flood_limits() {
    let app = spawn_app().await;
    let author = app.sign_in("zhao.lei@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", "这条意见稍后会被隐藏")], Some(&author)).await;
    let comment: i64 = r.body.parse().unwrap();
    let fan = app.sign_in("chen.jing@example.cn", demo::DEMO_PASSWORD).await;
    let id = comment.to_string();
    let r = app.call("support_comment", &[("comment_id", &id)], Some(&fan)).await;
    assert_eq!(r.body, "1", "{}", r.body);
    let r = app.call("support_comment", &[("comment_id", &id)], Some(&fan)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("already_supported"), "{}", r.body);
    // a citizen cannot hide; a moderator can, only with a reason
    let r = app.call("hide_comment", &[("comment_id", &id), ("reason", "人身攻击")], Some(&fan)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let moderator = app.sign_in("moderator@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("hide_comment", &[("comment_id", &id), ("reason", "")], Some(&moderator)).await;
    assert!(r.body.contains("\"reason\"") && r.body.contains("required"), "{}", r.body);
    let r = app.call("hide_comment", &[("comment_id", &id), ("reason", "人身攻击，违反社区规范")], Some(&moderator)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let page = app.get("/proposals/1", None).await;
    assert!(page.body.contains("人身攻击，违反社区规范"));
    assert!(!page.body.contains("这条意见稍后会被隐藏"), "hidden text is not shown");
    let notices = app.call("notices", &[], Some(&author)).await;
    assert!(notices.body.contains("人身攻击，违反社区规范"), "{}", notices.body);

    // ten comments in ten minutes per account, then 429 with Retry-After
    for i in 0..9 {
        let r = app.call("post_comment", &[("proposal_id", "1"), ("body", &format!("第 {i} 条"))], Some(&author)).await;
        assert!(r.status.is_success(), "{i}: {} {}", r.status, r.body);
    }
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", "太多了")], Some(&author)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.headers.get(header::RETRY_AFTER).is_some());
    assert!(r.body.contains("comment_flood"), "{}", r.body);
}

#[tokio::test]
async fn officials_see_identity_the_public_does_not() {
    let app = spawn_app().await;
    let anonymous = app.call("comments", &[("proposal_id", "1")], None).await;
    assert!(anonymous.body.contains("\"author_identity\":null") && !anonymous.body.contains("@example.cn"), "{}", anonymous.body);
    let official = app.sign_in("official.fgw@example.cn", demo::DEMO_PASSWORD).await;
    let seen = app.call("comments", &[("proposal_id", "1")], Some(&official)).await;
    assert!(seen.body.contains("@example.cn"), "{}", seen.body);
}

#[tokio::test]
async fn new_versions_and_their_clause_diff() {
    let app = spawn_app().await;
    let citizen = app.sign_in("wang.fang@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("post_comment", &[("proposal_id", "2"), ("clause", "4"), ("body", "课后服务费不应超过 400 元")], Some(&citizen)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("publish_version", &[("proposal_id", "2"), ("body", "第一条 新的总则内容足够长。")], Some(&citizen)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = app.sign_in("official.fgw@example.cn", demo::DEMO_PASSWORD).await;
    let r = app
        .call("publish_version", &[("proposal_id", "2"), ("body", "第一条 新的总则内容足够长，超过二十个字符的最低要求。")], Some(&other))
        .await;
    assert!(r.body.contains("not_your_agency"), "{}", r.body);
    let official = app.sign_in("official.jyj@example.cn", demo::DEMO_PASSWORD).await;
    let current = app.call("current_body", &[("proposal_id", "2")], Some(&official)).await.body;
    let current: String = serde_json::from_str(&current).unwrap();
    let revised = current.replace("不超过 600 元", "不超过 400 元").replace("第五条", "第五条 新增：学校应公开课后服务收支。\n\n第六条");
    let r = app.call("publish_version", &[("proposal_id", "2"), ("body", &revised)], Some(&official)).await;
    assert_eq!(r.body, "2", "{}", r.body);
    let diff = app.call("version_diff", &[("proposal_id", "2"), ("number", "2")], None).await;
    assert!(diff.body.contains("Changed") && diff.body.contains("400 元"), "{}", diff.body);
    assert!(diff.body.contains("Unchanged"), "{}", diff.body);
    let page = app.get("/proposals/2", None).await;
    assert!(page.body.contains("当前为第 2 版") && page.body.contains("针对第 1 版第 4 条"), "the old comment stays on the old text");
    let old = app.get("/proposals/2/versions/1", None).await;
    assert!(old.body.contains("不超过 600 元"));
    assert_eq!(app.get("/proposals/2/versions/9", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn feedback_report_then_adoption_through_the_gates() {
    let app = spawn_app().await;
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    // the metro key project (closed): adoption refused, naming every unmet gate
    let r = app.call("adopt", &[("proposal_id", "5")], Some(&official)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("gates_unmet") && r.body.contains("feedback_report") && r.body.contains("stability_risk"), "{}", r.body);
    assert!(!r.body.contains("public_comment"), "the closed window meets that gate: {}", r.body);

    // a window that closed before publication is refused: it would meet the
    // public-comment gate without ever having been open
    let mut fields = vec![
        ("title", "调整中心城区路内停车收费时段"),
        ("kind", "policy_adjustment"),
        ("domains[8]", "transport"),
        ("body", "第一条 路内停车收费时段调整为 7:30 至 21:00。\n\n第二条 节假日照常收费。"),
        ("opens_at", "2026-09-01T09:00"),
        ("closes_at", "2026-10-15T09:00"),
    ];
    let r = app.call("publish_proposal", &fields, Some(&official)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("window_opens_in_the_past") && r.body.contains("opens_at"), "{}", r.body);
    // a draft saved with a good window cannot be published once the window has begun
    fields[4] = ("opens_at", "2026-12-01T09:00");
    fields[5] = ("closes_at", "2027-01-15T09:00");
    let late = app.call("publish_proposal", &fields, Some(&official)).await.body;
    let id = app.call("publish_proposal", &fields, Some(&official)).await.body;
    let r = app.call("publish_draft", &[("id", &id)], Some(&official)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    app.clock.advance(chrono::Duration::days(3));
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("publish_draft", &[("id", &late)], Some(&official)).await;
    assert!(r.body.contains("window_opens_in_the_past"), "{}", r.body);
    let audit = app.db.audit_for("proposal", late.parse().unwrap()).await.unwrap();
    assert_eq!(audit.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), ["drafted"], "a refusal leaves no audit entry");

    // the window closes: comments are refused, adoption names the feedback report
    app.clock.set(start() + chrono::Duration::days(47));
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let citizen = app.sign_in("li.na@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("post_comment", &[("proposal_id", &id), ("body", "晚了")], Some(&citizen)).await;
    assert!(r.body.contains("window_not_open"), "{}", r.body);
    let r = app.call("adopt", &[("proposal_id", &id)], Some(&official)).await;
    assert!(r.body.contains("feedback_report"), "{}", r.body);

    // before the window closes the report is refused (a proposal still open then)
    let fgw = app.sign_in("official.fgw@example.cn", demo::DEMO_PASSWORD).await;
    let open_fields = [
        ("title", "调整本市出租车运价"),
        ("kind", "policy_adjustment"),
        ("domains[4]", "pricing"),
        ("body", "第一条 起步价调整为 12 元。\n\n第二条 夜间加收 20%。\n\n第三条 自明年起施行。"),
        ("opens_at", "2027-01-16T09:00"),
        ("closes_at", "2027-03-01T09:00"),
    ];
    let open = app.call("publish_proposal", &open_fields, Some(&fgw)).await.body;
    app.call("publish_draft", &[("id", &open)], Some(&fgw)).await;
    let r = app
        .call(
            "publish_feedback",
            &[
                ("proposal_id", &open),
                ("summary", "总体采纳情况说明"),
                ("items[0][target]", "clause:3"),
                ("items[0][decision]", "adopted"),
                ("items[0][reason]", "提高第一阶梯水量"),
            ],
            Some(&fgw),
        )
        .await;
    assert!(r.body.contains("feedback_before_window_closes"), "{}", r.body);

    // a decision without a reason, and an empty report, are refused
    let r = app
        .call(
            "publish_feedback",
            &[("proposal_id", &id), ("summary", "总体采纳情况说明"), ("items[0][target]", "clause:1"), ("items[0][decision]", "adopted")],
            Some(&official),
        )
        .await;
    assert!(r.body.contains("items[0].reason"), "{}", r.body);
    let r = app.call("publish_feedback", &[("proposal_id", &id), ("summary", "总体采纳情况说明")], Some(&official)).await;
    assert!(r.body.contains("feedback_empty"), "{}", r.body);
    let r = app
        .call(
            "publish_feedback",
            &[
                ("proposal_id", &id),
                ("summary", "共收到意见若干，主要意见已采纳。"),
                ("items[0][target]", "clause:1"),
                ("items[0][decision]", "partly_adopted"),
                ("items[0][reason]", "收费结束时间提前至 20:00"),
                ("items[1][target]", "clause:2"),
                ("items[1][decision]", "not_adopted"),
                ("items[1][reason]", "节假日停车需求大，仍需收费调节"),
            ],
            Some(&official),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let r = app
        .call(
            "publish_feedback",
            &[
                ("proposal_id", &id),
                ("summary", "再发一次"),
                ("items[0][target]", "clause:1"),
                ("items[0][decision]", "adopted"),
                ("items[0][reason]", "重复发布"),
            ],
            Some(&official),
        )
        .await;
    assert!(r.body.contains("feedback_already_published"), "{}", r.body);
    let page = app.get(&format!("/proposals/{id}"), None).await;
    assert!(page.body.contains("收费结束时间提前至 20:00") && page.body.contains("采纳或部分采纳 1 项"), "counts shown");

    // now every gate has its evidence: adopted
    let r = app.call("adopt", &[("proposal_id", &id)], Some(&citizen)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.call("adopt", &[("proposal_id", &id)], Some(&official)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let page = app.get(&format!("/proposals/{id}"), None).await;
    assert!(
        page.body.contains("已通过"),
        "{} {:?} {}",
        page.status,
        page.headers.get("x-minyi-cache"),
        page.body.find("gates-title").map(|i| &page.body[i..(i + 400).min(page.body.len())]).unwrap_or(&page.body)
    );
}

#[tokio::test]
async fn windows_are_extended_with_a_reason_never_shortened_and_events_recorded() {
    let app = spawn_app().await;
    let official = app.sign_in("official.fgw@example.cn", demo::DEMO_PASSWORD).await;
    let r = app
        .call("extend_window", &[("proposal_id", "1"), ("closes_at", "2026-01-01T09:00"), ("reason", "缩短试试")], Some(&official))
        .await;
    assert!(r.body.contains("window_cannot_shorten"), "{}", r.body);
    let r = app.call("extend_window", &[("proposal_id", "1"), ("closes_at", "2099-01-01T09:00"), ("reason", "")], Some(&official)).await;
    assert!(r.body.contains("\"reason\"") && r.body.contains("required"), "{}", r.body);
    let r = app
        .call(
            "extend_window",
            &[("proposal_id", "1"), ("closes_at", "2099-01-01T09:00"), ("reason", "意见较多，延长征求意见期")],
            Some(&official),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let page = app.get("/proposals/1", None).await;
    assert!(page.body.contains("意见较多，延长征求意见期") && page.body.contains("2099-01-01 09:00"), "the extension is public");
    let other = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let r =
        app.call("extend_window", &[("proposal_id", "1"), ("closes_at", "2099-02-01T09:00"), ("reason", "别的机关")], Some(&other)).await;
    assert!(r.body.contains("not_your_agency"), "{}", r.body);
    let r = app
        .call(
            "record_event",
            &[
                ("proposal_id", "1"),
                ("kind", "forum"),
                ("held_at", "2026-11-28T14:00"),
                ("title", "居民代表座谈会"),
                ("minutes", "与会代表 **12** 人。<script>x</script>"),
            ],
            Some(&official),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let page = app.get("/proposals/1", None).await;
    assert!(page.body.contains("居民代表座谈会") && page.body.contains("<strong>12</strong>") && !page.body.contains("<script>x"));
}

#[tokio::test]
async fn overload_is_shed_with_503_and_retry_after_then_recovers() {
    // Room for one request at a time. A long write elsewhere (held here) keeps a comment
    // waiting for the database, and so in flight.
    let app = spawn_app_with(RuntimeConfig { max_in_flight: 1, ..RuntimeConfig::default() }).await;
    let citizen = app.sign_in("zhang.wei@example.cn", demo::DEMO_PASSWORD).await;
    // SQLite: this process's writers wait for the write turn held here (the session
    // lookup, which writes outside any turn, is not held up); PostgreSQL: the row the
    // comment's counters update is locked
    let turn = app.db.sqlite_write_turn().await;
    let mut held = match turn {
        Some(_) => None,
        None => {
            let mut tx = app.db.begin_write().await.unwrap();
            app::on_tx!(&mut tx, |c| sqlx::query("UPDATE proposals SET comment_count = comment_count WHERE id = 1")
                .execute(&mut *c)
                .await
                .map(|_| ()))
            .unwrap();
            Some(tx)
        }
    };
    let post = Request::post("/api/post_comment")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin")
        .header(header::COOKIE, &citizen)
        .body(Body::from(form(&[("proposal_id", "1"), ("body", "过载测试：这条意见要等数据库。")])))
        .unwrap();
    let router = app.router.clone();
    let in_flight = tokio::spawn(async move { router.oneshot(post).await.unwrap().status() });
    // let the comment reach its wait (this runtime has one thread: it runs while we sleep)
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut shed = None;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        // (a page that is never served from the page cache: cached copies cost no work
        // and are not counted)
        let r = app.get("/signin", None).await;
        if r.status == StatusCode::SERVICE_UNAVAILABLE {
            shed = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let shed = shed.expect("a second request while the only place is taken is refused with 503");
    assert!(!in_flight.is_finished(), "the comment is still waiting");
    assert_eq!(shed.headers.get(header::RETRY_AFTER).unwrap(), "1");
    assert!(shed.body.contains("try again"), "{}", shed.body);
    // Health checks are not counted: operators can still see the service.
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    // The long write ends: the comment goes through and frees its place.
    drop(turn);
    if let Some(tx) = held.take() {
        tx.commit().await.unwrap();
    }
    assert_eq!(in_flight.await.unwrap(), StatusCode::OK);
    assert_eq!(app.get("/signin", None).await.status, StatusCode::OK);
}

/// A body that never ends (or one too large) holds its client's place, never one of
/// the server's: the rest of the world is served.
#[tokio::test]
async fn a_slow_or_large_body_holds_only_its_clients_place() {
    let app = spawn_app_with(RuntimeConfig {
        max_in_flight: 1,
        per_client_in_flight: 2,
        trust_forwarded_for: true,
        body_deadline: std::time::Duration::from_millis(400),
        ..RuntimeConfig::default()
    })
    .await;
    let slow = |address: &'static str| {
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
        let body = Body::from_stream(futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) }));
        let req = Request::post("/api/proposals")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin")
            .header("x-forwarded-for", address)
            .body(body)
            .unwrap();
        let router = app.router.clone();
        (tx, tokio::spawn(async move { router.oneshot(req).await.unwrap().status() }))
    };
    let (tx1, first) = slow("198.51.100.7");
    let (tx2, second) = slow("198.51.100.7");
    tx1.send(Ok(axum::body::Bytes::from_static(b"phase=open&"))).await.unwrap();
    tx2.send(Ok(axum::body::Bytes::from_static(b"phase=open&"))).await.unwrap();
    for _ in 0..20 {
        tokio::task::yield_now().await;
    }
    let from = |address: &'static str| Request::get("/signin").header("x-forwarded-for", address).body(Body::empty()).unwrap();
    // the same address has used its share: refused at once
    let r = app.send(from("198.51.100.7")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.headers.get(header::RETRY_AFTER).unwrap(), "1");
    // everyone else is served, though the server has room for one request only
    assert_eq!(app.send(from("203.0.113.9")).await.status, StatusCode::OK);
    // the slow bodies end at their deadline with 408, nothing done
    assert_eq!(first.await.unwrap(), StatusCode::REQUEST_TIMEOUT);
    assert_eq!(second.await.unwrap(), StatusCode::REQUEST_TIMEOUT);
    drop((tx1, tx2));
    // a body over its route class's limit: 413 before anything is done
    let big = "x".repeat(300 * 1024);
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", &big)], None).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", &r.body[..r.body.len().min(200)]);
    assert_eq!(app.send(from("198.51.100.7")).await.status, StatusCode::OK, "its places were given back");
}

#[tokio::test]
async fn a_proposal_page_sends_each_text_once_and_a_refetch_sends_it_whole() {
    let app = spawn_app().await;
    let citizen = app.sign_in("zhang.wei@example.cn", demo::DEMO_PASSWORD).await;
    let text = "只出现一次：第三条的减免标准应当逐户公开。";
    let r = app.call("post_comment", &[("proposal_id", "1"), ("stance", "suggestion"), ("body", text)], Some(&citizen)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    // the server function (what a refetch in the browser gets) carries the whole text
    let detail = app.call("proposal", &[("id", "1")], None).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let detail: serde_json::Value = serde_json::from_str(&detail.body).unwrap();
    let clause_html = detail["clauses"][0]["html"].as_str().unwrap().to_owned();
    let clause_text: String = clause_html.trim_start_matches("<p>").chars().take_while(|c| *c != '<').take(12).collect();
    assert!(clause_text.chars().count() >= 6, "{clause_html}");
    let comments = app.call("comments", &[("proposal_id", "1")], None).await;
    assert!(comments.body.contains(text), "{}", comments.body);
    // the page: as markup once, not again inside the hydration data
    let page = app.get("/proposals/1", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body.matches(text).count(), 1, "the comment's text is sent once");
    assert_eq!(page.body.matches(clause_text.as_str()).count(), 1, "the clause's text ({clause_text}) is sent once");
    // and the hydration data still carries what the page needs to come alive
    assert!(page.body.contains("__RESOLVED_RESOURCES"), "the page has its hydration data");
    assert!(page.body.contains("\\\"body_html\\\":\\\"\\\""), "the comments' HTML left out of the hydration data");
}

#[tokio::test]
async fn anonymous_pages_come_from_the_cache_until_a_change() {
    // kept for a minute here, so that a slow test machine cannot expire a copy between
    // two requests; emptying on a change is what is tested
    let app = spawn_app_with(RuntimeConfig { page_cache: std::time::Duration::from_secs(60), ..RuntimeConfig::default() }).await;
    // browsers ask for gzip: the page is still kept (plain, and gzipped once)
    let zipped = app.send(Request::get("/proposals/2").header(header::ACCEPT_ENCODING, "gzip, br").body(Body::empty()).unwrap()).await;
    assert_eq!(zipped.headers.get("x-minyi-cache").unwrap(), "miss");
    assert_eq!(zipped.headers.get(header::CONTENT_ENCODING).unwrap(), "gzip");
    assert_eq!(app.get("/proposals/2", None).await.headers.get("x-minyi-cache").unwrap(), "hit");
    let first = app.get("/proposals/1", None).await;
    assert_eq!(first.headers.get("x-minyi-cache").unwrap(), "miss");
    let second = app.get("/proposals/1", None).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.headers.get("x-minyi-cache").unwrap(), "hit");
    assert_eq!(second.body, first.body);
    // a shared copy is not allowed its scripts by a (shared, so guessable) nonce but by
    // the hashes of exactly the inline scripts it holds
    let csp = second.headers.get(header::CONTENT_SECURITY_POLICY).unwrap().to_str().unwrap();
    assert!(!csp.contains("'nonce-"), "{csp}");
    let scripts = second.body.matches("<script").count();
    assert!(scripts >= 2, "the page has its hydration scripts");
    assert!(csp.matches("'sha256-").count() >= 2, "{csp}");
    for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert_eq!(second.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
    // gzip is made once and served to clients that take it
    let zipped = app.send(Request::get("/proposals/1").header(header::ACCEPT_ENCODING, "gzip, br").body(Body::empty()).unwrap()).await;
    assert_eq!(zipped.headers.get(header::CONTENT_ENCODING).unwrap(), "gzip");
    assert_eq!(zipped.headers.get("x-minyi-cache").unwrap(), "hit");
    // languages are kept apart
    let en = app.get("/proposals/1", Some("minyi_lang=en")).await;
    assert_eq!(en.headers.get("x-minyi-cache").unwrap(), "miss");
    assert!(en.body.contains("<html lang=\"en\""));
    // signed-in readers always get their own render
    let citizen = app.sign_in("zhang.wei@example.cn", demo::DEMO_PASSWORD).await;
    let mine = app.get("/proposals/1", Some(&citizen)).await;
    assert!(mine.headers.get("x-minyi-cache").is_none());
    // nothing that changed nothing renews a copy: a refused comment, junk, a sign-in
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", "  ")], Some(&citizen)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", "匿名")], None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    app.sign_in("li.na@example.cn", demo::DEMO_PASSWORD).await;
    assert_eq!(app.get("/proposals/1", None).await.headers.get("x-minyi-cache").unwrap(), "hit");
    // a change renews the pages it touches: the next anonymous reader sees the new comment
    let text = "缓存测试：第二条的阶梯水量应按季度核定。";
    let r = app.call("post_comment", &[("proposal_id", "1"), ("stance", "suggestion"), ("body", text)], Some(&citizen)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert!(r.headers.get("x-minyi-change").is_none(), "the change marker is internal");
    let after = app.get("/proposals/1", None).await;
    assert_eq!(after.headers.get("x-minyi-cache").unwrap(), "miss");
    assert!(after.body.contains(text));
    // and only those: another proposal's copy is still good
    assert_eq!(app.get("/proposals/2", None).await.headers.get("x-minyi-cache").unwrap(), "hit");
    // with the cache turned off every request renders
    let off = spawn_app_with(RuntimeConfig { page_cache: std::time::Duration::ZERO, ..RuntimeConfig::default() }).await;
    off.get("/proposals/1", None).await;
    assert!(off.get("/proposals/1", None).await.headers.get("x-minyi-cache").is_none());
}

/// The defects found in review, each as a user or an attacker met it.
#[tokio::test]
async fn a_hidden_comment_never_leaves_the_server_and_its_campaign_shows_a_visible_member() {
    let app = spawn_app().await;
    // demo proposal 1 has a form-letter campaign; its first member is shown for it
    let campaigns = app.call("campaigns", &[("proposal_id", "1")], None).await;
    let groups: Vec<(i64, i64, Option<String>)> = serde_json::from_str(&campaigns.body).expect(&campaigns.body);
    let (group, size, text) = groups[0].clone();
    assert!(size >= 2 && text.is_some());
    let members = app.call("campaign", &[("proposal_id", "1"), ("group_id", &group.to_string())], None).await;
    let page: serde_json::Value = serde_json::from_str(&members.body).unwrap();
    let first = page["items"][0]["id"].as_i64().unwrap();
    // the moderator hides the member the campaign is shown by
    let moderator = app.sign_in("moderator@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("hide_comment", &[("comment_id", &first.to_string()), ("reason", "含有他人隐私信息")], Some(&moderator)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let hidden_text: String =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT body FROM comments WHERE id = $1").bind(first).fetch_one(pool).await)
            .unwrap();
    let campaigns = app.call("campaigns", &[("proposal_id", "1")], None).await;
    let groups: Vec<(i64, i64, Option<String>)> = serde_json::from_str(&campaigns.body).unwrap();
    let shown = groups.iter().find(|g| g.0 == group).unwrap();
    assert!(shown.2.is_some(), "the campaign still shows a visible member");
    let list = app.call("comments", &[("proposal_id", "1")], None).await;
    let entry = serde_json::from_str::<serde_json::Value>(&list.body).unwrap()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["group_id"].as_i64() == Some(group))
        .cloned()
        .expect("the campaign is listed");
    assert!(entry["hidden_reason"].is_null(), "one hidden member does not hide the campaign: {entry}");
    assert_ne!(entry["id"].as_i64(), Some(first));
    // the hidden text reaches no answer the public can ask for (the campaign's other
    // members carry the same letter, so look for the hidden comment's own entry)
    let members = app.call("campaign", &[("proposal_id", "1"), ("group_id", &group.to_string())], None).await;
    let page: serde_json::Value = serde_json::from_str(&members.body).unwrap();
    let hidden = page["items"].as_array().unwrap().iter().find(|c| c["id"].as_i64() == Some(first)).unwrap();
    assert_eq!(hidden["body_html"], "", "{hidden}");
    assert_eq!(hidden["hidden_reason"], "含有他人隐私信息");
    assert!(!hidden_text.is_empty());
}

#[tokio::test]
async fn identity_is_for_the_officials_of_the_proposals_agency_only() {
    let app = spawn_app().await;
    let moderator = app.sign_in("moderator@example.cn", demo::DEMO_PASSWORD).await;
    let queue = app.call("moderation_queue", &[], Some(&moderator)).await;
    assert!(queue.status.is_success(), "{}", queue.body);
    assert!(!queue.body.contains("@example.cn"), "moderators see no e-mail: {}", queue.body);
    let other_agency = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let seen = app.call("comments", &[("proposal_id", "1")], Some(&other_agency)).await;
    assert!(!seen.body.contains("@example.cn"), "another agency's official sees no e-mail");
    let own = app.sign_in("official.fgw@example.cn", demo::DEMO_PASSWORD).await;
    let seen = app.call("comments", &[("proposal_id", "1")], Some(&own)).await;
    assert!(seen.body.contains("@example.cn"));
}

#[tokio::test]
async fn refused_comments_count_against_no_flood_limit_and_the_message_names_the_limit() {
    let app = spawn_app_with(RuntimeConfig { comments_per_account: 3, ..RuntimeConfig::default() }).await;
    let citizen = app.sign_in("li.na@example.cn", demo::DEMO_PASSWORD).await;
    for _ in 0..10 {
        let r = app.call("post_comment", &[("proposal_id", "1"), ("body", "  ")], Some(&citizen)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app.call("post_comment", &[("proposal_id", "1"), ("clause", "99"), ("body", "错了")], Some(&citizen)).await;
        assert!(r.body.contains("no_such_clause"), "{}", r.body);
    }
    for i in 0..3 {
        let r = app.call("post_comment", &[("proposal_id", "1"), ("body", &format!("有效意见 {i} 号"))], Some(&citizen)).await;
        assert!(r.status.is_success(), "typos did not use up the limit: {} {}", r.status, r.body);
    }
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", "第四条")], Some(&citizen)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("\"limit\":3") && r.body.contains("\"scope\":\"account\""), "{}", r.body);
}

#[tokio::test]
async fn unknown_ids_are_refused_with_a_field_error_not_500() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = app.call("admin/role", &[("user_id", "987654"), ("role", "moderator"), ("grant", "1")], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("unknown_user"), "{}", r.body);
    let r = app.call("admin/agency", &[("user_id", "1"), ("agency_id", "424242")], Some(&admin)).await;
    assert!(r.body.contains("unknown_agency"), "{}", r.body);
    // a feedback report naming another proposal's group or a clause that does not exist
    app.clock.set(start() + chrono::Duration::days(400));
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let foreign = app.db.campaigns(1, 1).await.unwrap()[0].0;
    let r = app
        .call(
            "publish_feedback",
            &[
                ("proposal_id", "5"),
                ("summary", "总体采纳情况说明"),
                ("items[0][target]", &format!("group:{foreign}")),
                ("items[0][decision]", "adopted"),
                ("items[0][reason]", "意见合理，予以采纳"),
                ("items[1][target]", "clause:99"),
                ("items[1][decision]", "adopted"),
                ("items[1][reason]", "意见合理，予以采纳"),
            ],
            Some(&official),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("no_such_group") && r.body.contains("no_such_clause"), "{}", r.body);
    // a campaign asked for under another proposal's address
    let r = app.get(&format!("/proposals/2/campaigns/{foreign}"), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn no_new_version_after_the_window_closed_without_a_new_window_or_after_the_report() {
    let app = spawn_app().await;
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    // demo proposal 5 (transport) is closed
    let body = "第一条 修订后的总则，足够长的正文内容。\n\n第二条 范围。";
    let r = app.call("publish_version", &[("proposal_id", "5"), ("body", body)], Some(&official)).await;
    assert!(r.body.contains("new_window_required"), "{}", r.body);
    let r = app
        .call(
            "publish_version",
            &[("proposal_id", "5"), ("body", body), ("opens_at", "2026-12-01T09:00"), ("closes_at", "2027-01-15T09:00")],
            Some(&official),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let page = app.get("/proposals/5", None).await;
    assert!(page.body.contains("当前为第 2 版"), "the new version is put to comment again");
    // once the report is published, no new version at all
    app.clock.set(start() + chrono::Duration::days(60));
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let feedback = [
        ("proposal_id", "5"),
        ("summary", "总体采纳情况说明"),
        ("items[0][target]", "clause:1"),
        ("items[0][decision]", "adopted"),
        ("items[0][reason]", "意见合理，予以采纳"),
    ];
    let r = app.call("publish_feedback", &feedback, Some(&official)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let r = app
        .call(
            "publish_version",
            &[("proposal_id", "5"), ("body", body), ("opens_at", "2027-02-01T09:00"), ("closes_at", "2027-03-15T09:00")],
            Some(&official),
        )
        .await;
    assert!(r.body.contains("not_in_state") && r.body.contains("feedback_published"), "{}", r.body);
    // withdrawal is public, with its reason, and final
    let r = app.call("withdraw", &[("proposal_id", "5"), ("reason", "规划调整，另行报批")], Some(&official)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let page = app.get("/proposals/5", None).await;
    assert!(page.body.contains("规划调整，另行报批"));
    let r = app.call("adopt", &[("proposal_id", "5")], Some(&official)).await;
    assert!(r.body.contains("not_in_state"), "{}", r.body);
}

#[tokio::test]
async fn the_audit_page_is_for_administrators_and_filters() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let r = app.call("admin/audit", &[("entity", "proposal"), ("entity_id", "1")], Some(&admin)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let page: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let actions: Vec<&str> = page["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["published", "drafted"], "newest first");
    let r = app.call("admin/audit", &[("entity", "planet")], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.call("admin/audit", &[("from", "2026-13-01")], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let citizen = app.sign_in("zhang.wei@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("admin/audit", &[], Some(&citizen)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let html = app.get("/admin/audit?entity=user", Some(&admin)).await;
    assert!(html.body.contains("registered"), "the page lists entries");
}

/// Hostile text in every place it can reach a page: the document title, headings, the
/// hydration data, names and public reasons. It must come out as text, never as markup.
#[tokio::test]
async fn hostile_titles_names_and_reasons_render_as_text() {
    let app = spawn_app().await;
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let hostile = "</title><script>alert(1)</script><img src=x onerror=alert(2)>\"'";
    let title = format!("停车{hostile}");
    let fields = [
        ("title", title.as_str()),
        ("kind", "policy_adjustment"),
        ("domains[8]", "transport"),
        ("body", "第一条 路内停车收费时段调整为 7:30 至 21:00。\n\n第二条 节假日照常收费。"),
        ("opens_at", "2026-12-01T09:00"),
        ("closes_at", "2027-01-15T09:00"),
    ];
    let id = app.call("publish_proposal", &fields, Some(&official)).await.body;
    let r = app.call("publish_draft", &[("id", &id)], Some(&official)).await;
    assert!(r.status.is_success(), "{}", r.body);
    app.clock.advance(chrono::Duration::days(2));
    // two idle days end an official's session (12 hours for staff)
    assert_eq!(app.call("viewer", &[], Some(&official)).await.body, "null");
    let official = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let citizen = app.sign_in("li.na@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("post_comment", &[("proposal_id", &id), ("body", hostile)], Some(&citizen)).await;
    assert!(r.status.is_success(), "{}", r.body);
    let r = app.call("withdraw", &[("proposal_id", &id), ("reason", &format!("撤回{hostile}"))], Some(&official)).await;
    assert!(r.status.is_success(), "{}", r.body);
    for (path, cookie) in [
        (format!("/proposals/{id}"), None),
        (format!("/proposals/{id}"), Some(official.as_str())),
        ("/".to_owned(), None),
        ("/proposals".to_owned(), None),
        (format!("/proposals/{id}/versions/1"), None),
    ] {
        let page = app.get(&path, cookie).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        for live in ["<script>alert(1)", "<img src=x", "</title><script>"] {
            assert!(!page.body.contains(live), "{path}: raw markup {live:?} in the page");
        }
    }
    let page = app.get(&format!("/proposals/{id}"), None).await;
    let head = &page.body[..page.body.find("</head>").unwrap()];
    assert!(head.contains("<title>停车&lt;/title&gt;&lt;script&gt;"), "the title is escaped: {head}");
}

/// Arguments a server function cannot read, and text over any limit, are the caller's
/// mistake: a 4xx with a message, never a 500.
#[tokio::test]
async fn malformed_arguments_and_overlong_text_are_4xx_with_a_message() {
    let app = spawn_app().await;
    for (endpoint, pairs) in [
        ("proposal", vec![("id", "abc")]),
        ("proposal", vec![]),
        ("comments", vec![("proposal_id", "1"), ("before", "yesterday")]),
        ("version_diff", vec![("proposal_id", "1"), ("number", "-3")]),
    ] {
        let r = app.call(endpoint, &pairs, None).await;
        assert!(r.status.is_client_error(), "{endpoint} {pairs:?}: {} {}", r.status, r.body);
        assert!(!r.body.is_empty(), "{endpoint}: a message");
    }
    for path in ["/proposals/abc", "/proposals/1/versions/x", "/proposals/99999999999999999999"] {
        assert_eq!(app.get(path, None).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let admin = app.admin().await;
    let long = "%".repeat(60_000);
    let r = app.call("admin/users", &[("q", &long)], Some(&admin)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &r.body[..r.body.len().min(300)]);
    assert!(r.body.contains("too_long"), "{}", &r.body[..r.body.len().min(300)]);
    let r = app.call("admin/users", &[("q", "zhang\u{0}")], Some(&admin)).await;
    assert!(r.body.contains("control_character"), "{}", r.body);
}

/// A small valid PDF.
fn pdf_bytes() -> Vec<u8> {
    app::domain::attachment::samples::pdf("")
}

/// A multipart upload of `bytes` as `name`, for `owner` `owner_id`.
fn upload_request(owner_id: i64, name: &str, bytes: &[u8], cookie: &str, json: bool) -> Request<Body> {
    let boundary = "----minyi-test-boundary";
    let mut body = Vec::new();
    for (field, value) in [("owner", "assessment".to_owned()), ("owner_id", owner_id.to_string()), ("next", "/projects/1".to_owned())] {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = Request::post("/evidence/upload")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::CONTENT_LENGTH, body.len())
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin");
    if json {
        req = req.header(header::ACCEPT, "application/json");
    }
    req.body(Body::from(body)).unwrap()
}

fn stored_objects(dir: &std::path::Path) -> usize {
    fn walk(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum())
            .unwrap_or(0)
    }
    walk(dir)
}

/// The demo's metro project has a pending (high-risk) assessment its agency may attach to.
async fn demo_assessment(db: &Db) -> i64 {
    app::on_db!(db, |pool| sqlx::query_scalar::<_, i64>("SELECT id FROM risk_assessments WHERE status = 'pending' ORDER BY id LIMIT 1")
        .fetch_one(pool)
        .await)
    .unwrap()
}

#[tokio::test]
async fn evidence_is_judged_by_its_bytes_and_served_as_a_verifiable_download() {
    let app = spawn_app().await;
    // the demo's hearing materials are stored already
    let demo = stored_objects(app.files_dir.path());
    let cookie = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let assessment = demo_assessment(&app.db).await;

    // an executable renamed .pdf: back to the page with the rule, nothing stored
    let r = app.send(upload_request(assessment, "报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", &cookie, false)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.headers.get(header::LOCATION).unwrap().to_str().unwrap().to_owned();
    assert!(location.starts_with("/projects/1?file_error=") && location.ends_with("#gates"), "{location}");
    assert_eq!(stored_objects(app.files_dir.path()) - demo, 0);
    // the same, asked for JSON: 422 naming the rule
    let r = app.send(upload_request(assessment, "报告.pdf", b"MZ\x90\x00\x03\x00", &cookie, true)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("\"rule\":\"file_type_refused\"") || r.body.contains("file_type"), "{}", r.body);
    // an empty file
    let r = app.send(upload_request(assessment, "空.pdf", b"", &cookie, true)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(stored_objects(app.files_dir.path()) - demo, 0);

    // a real PDF: stored, recorded, audited, and downloadable with its SHA-256
    let pdf = pdf_bytes();
    let r = app.send(upload_request(assessment, "稳评报告 \"终稿\".pdf", &pdf, &cookie, true)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let answer: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    let id = answer["id"].as_i64().unwrap();
    let sha = answer["sha256"].as_str().unwrap().to_owned();
    assert_eq!(sha.len(), 64);
    assert_eq!(stored_objects(app.files_dir.path()) - demo, 1);
    let res = app.router.clone().oneshot(Request::get(format!("/files/{id}")).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert_eq!(h.get(header::CONTENT_TYPE).unwrap(), "application/pdf");
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    let disposition = h.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"), "{disposition}");
    assert!(!disposition.contains('\n') && disposition.matches('"').count() == 2, "the name is encoded, never raw: {disposition}");
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body.as_ref(), pdf.as_slice());
    use sha2::Digest;
    assert_eq!(sha2::Sha256::digest(&body).iter().map(|b| format!("{b:02x}")).collect::<String>(), sha);
    // the project's page shows it with its SHA-256
    let page = app.get("/projects/1", None).await;
    assert!(page.body.contains(&sha), "the checksum is shown on the page");
    let actions: Vec<String> = app.db.audit_for("project", 1).await.unwrap().into_iter().map(|a| a.action).collect();
    assert!(actions.contains(&"file_attached".to_owned()), "{actions:?}");
    assert_eq!(app.get("/files/99999", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/files/abc", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_upload_for_another_agency_is_refused_and_leaves_no_object() {
    let app = spawn_app().await;
    // the demo's hearing materials are stored already
    let demo = stored_objects(app.files_dir.path());
    let cookie = app.sign_in("official.fgw@example.cn", demo::DEMO_PASSWORD).await;
    let assessment = demo_assessment(&app.db).await;
    let r = app.send(upload_request(assessment, "report.pdf", &pdf_bytes(), &cookie, true)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("not_your_agency"), "{}", r.body);
    assert_eq!(stored_objects(app.files_dir.path()) - demo, 0, "the object was deleted when the record was refused");
    // not signed in: sent to sign in, nothing stored
    let mut req = upload_request(assessment, "report.pdf", &pdf_bytes(), "minyi_session=none", false);
    req.headers_mut().remove(header::COOKIE);
    let r = app.send(req).await;
    assert!(r.status.is_redirection(), "{}", r.status);
    assert_eq!(stored_objects(app.files_dir.path()) - demo, 0);
}

#[tokio::test]
async fn adoption_and_proceed_are_refused_over_http_naming_every_unmet_gate() {
    let app = spawn_app().await;
    let cookie = app.sign_in("official.jtj@example.cn", demo::DEMO_PASSWORD).await;
    let gated: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar::<_, i64>("SELECT id FROM proposals WHERE kind = 'major_decision' AND agency_id = (SELECT agency_id FROM users WHERE email = 'official.jtj@example.cn')")
        .fetch_one(pool)
        .await)
    .unwrap();
    let r = app.call("adopt", &[("proposal_id", &gated.to_string())], Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("stability_risk") && r.body.contains("legality_review"), "{}", r.body);
    let r = app.call("proceed_project", &[("project_id", "1")], Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("stability_risk"), "{}", r.body);
    // the board is public, with the legality review's working-day clock
    let r = app.call("gates", &[("subject", "proposal"), ("id", &gated.to_string())], None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("\"working_days\""), "{}", r.body);
    // the reviewer queue is for reviewers
    assert_eq!(app.call("review_queue", &[], Some(&cookie)).await.status, StatusCode::FORBIDDEN);
    let reviewer = app.sign_in("reviewer@example.cn", demo::DEMO_PASSWORD).await;
    let r = app.call("review_queue", &[], Some(&reviewer)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("legality") && r.body.contains("assessment"), "{}", r.body);
    // an unknown risk level is refused with the rule, nothing written
    let r = app
        .call(
            "submit_assessment",
            &[
                ("subject", "proposal"),
                ("id", &gated.to_string()),
                ("level", "extreme"),
                ("method", "survey"),
                ("risk_points", "风险点说明"),
                ("prevention", "防范措施"),
                ("response_plan", "应急预案"),
            ],
            Some(&cookie),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("unknown_choice") && r.body.contains("level"), "{}", r.body);
}

#[tokio::test]
async fn published_comments_export_as_csv_and_json_lines_streamed_and_never_hidden_ones() {
    let app = spawn_app().await;
    let author = app.sign_in("zhao.lei@example.cn", demo::DEMO_PASSWORD).await;
    let formula = "=1+2 这样写是公式吗？导出时不应被电子表格执行。";
    let r = app.call("post_comment", &[("proposal_id", "1"), ("stance", "suggestion"), ("body", formula)], Some(&author)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let hidden = "这条意见会被隐藏，导出中不应出现：辱骂测试文本甲乙丙。";
    let r = app.call("post_comment", &[("proposal_id", "1"), ("body", hidden)], Some(&author)).await;
    let hidden_id: i64 = r.body.parse().unwrap();
    let moderator = app.sign_in("moderator@example.cn", demo::DEMO_PASSWORD).await;
    let r =
        app.call("hide_comment", &[("comment_id", &hidden_id.to_string()), ("reason", "人身攻击，违反社区规范")], Some(&moderator)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    // more than two pages of the export's reads
    demo::load_scale(&app.db, start(), 0, 2_500).await.unwrap();
    let visible: i64 =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE proposal_id = 1 AND hidden = $1")
            .bind(false)
            .fetch_one(pool)
            .await)
        .unwrap();
    assert!(visible > 2_500, "{visible}");

    let r = app.get("/proposals/1/comments.csv", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/csv"));
    assert!(r.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("proposal-1-comments.csv"));
    let body = r.body.strip_prefix('\u{feff}').expect("a byte-order mark first, for spreadsheet programs");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let header_row: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header_row, ["id", "created_at", "version", "clause", "stance", "campaign", "author", "supports", "body"]);
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a well-formed CSV record")).collect();
    assert_eq!(records.len() as i64, visible);
    let ids: Vec<i64> = records.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "oldest first, each once");
    assert!(!ids.contains(&hidden_id) && !body.contains("辱骂测试文本"));
    let formula_row = records.iter().find(|r| r[8].contains("这样写是公式吗")).expect("the formula comment");
    assert_eq!(&formula_row[8], format!("'{formula}"), "a formula is defused in the CSV");
    assert_eq!(&formula_row[4], "suggestion");
    assert!(records.iter().any(|r| !r[5].is_empty()), "campaign ids are exported");
    assert!(records.iter().any(|r| !r[3].is_empty()), "clause numbers are exported");

    let r = app.get("/proposals/1/comments.jsonl", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let lines: Vec<serde_json::Value> = r.body.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
    assert_eq!(lines.len() as i64, visible);
    assert!(lines.iter().any(|l| l["body"] == formula), "the JSON keeps the text exactly");
    assert!(lines.iter().all(|l| l["id"].as_i64() != Some(hidden_id) && l.get("email").is_none()));

    for (path, status) in [
        ("/proposals/abc/comments.csv", StatusCode::BAD_REQUEST),
        ("/proposals/999999/comments.csv", StatusCode::NOT_FOUND),
        ("/proposals/99999999999999999999999/comments.jsonl", StatusCode::BAD_REQUEST),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, status, "{path}: {}", r.body);
        assert!(!r.body.is_empty(), "{path}: the answer says what is wrong");
    }
}

#[tokio::test]
async fn atom_feeds_of_proposals_parse_and_follow_their_agency_or_domain() {
    let app = spawn_app().await;
    let (closes_at, agency_zh): (chrono::DateTime<chrono::Utc>, String) = app::on_db!(&app.db, |pool| sqlx::query_as(
        "SELECT p.closes_at, a.name_zh FROM proposals p JOIN agencies a ON a.id = p.agency_id WHERE p.id = 1"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    // two days before proposal 1's window closes
    app.clock.set(closes_at - chrono::Duration::days(2));
    let drafts: Vec<String> =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT title FROM proposals WHERE status = 'draft'").fetch_all(pool).await)
            .unwrap();

    let parse = |body: &str| feed_rs::parser::parse(body.as_bytes()).expect("a valid Atom document");
    let r = app.get("/feeds/proposals.atom", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("application/atom+xml"));
    let feed = parse(&r.body);
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert!(!feed.entries.is_empty() && feed.entries.len() <= 50);
    let ids: std::collections::HashSet<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), feed.entries.len(), "every entry has its own id");
    let titles: Vec<String> = feed.entries.iter().map(|e| e.title.as_ref().unwrap().content.clone()).collect();
    assert!(titles.iter().any(|t| t.starts_with("【发布征求意见】")), "{titles:?}");
    let closing = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content.starts_with("【征求意见即将截止】") && e.links[0].href.ends_with("/proposals/1"));
    assert!(closing.is_some(), "proposal 1 closes within three days: {titles:?}");
    // an announced hearing links to its page; one not announced (organizers only) is absent
    let announced: Vec<i64> = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT CAST(entity_id AS BIGINT) FROM audit_log WHERE entity = 'hearing' AND action = 'hearing_call_published'"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    let hearing_links: Vec<&str> = feed
        .entries
        .iter()
        .filter(|e| e.title.as_ref().unwrap().content.starts_with("【举行听证会】"))
        .map(|e| e.links[0].href.as_str())
        .collect();
    assert!(!hearing_links.is_empty(), "the demo's announced hearings are in the feed: {titles:?}");
    for href in &hearing_links {
        let id: i64 = href.rsplit_once("/hearings/").expect("a hearing's page").1.parse().unwrap();
        assert!(announced.contains(&id), "{href} was never announced");
    }
    for draft in &drafts {
        assert!(!r.body.contains(draft.as_str()), "a draft in the feed: {draft}");
    }
    // newest first
    let times: Vec<_> = feed.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // the same event keeps its id on the next fetch
    let again = parse(&app.get("/feeds/proposals.atom", None).await.body);
    assert_eq!(again.entries[0].id, feed.entries[0].id);

    let r = app.get("/feeds/agencies/fgw.atom", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let by_agency = parse(&r.body);
    assert!(!by_agency.entries.is_empty());
    assert!(by_agency.entries.iter().all(|e| e.authors[0].name == agency_zh), "only the agency's proposals");

    let r = app.get("/feeds/domains/transport.atom", None).await;
    let transport = parse(&r.body);
    assert!(!transport.entries.is_empty());
    let transport_ids: Vec<i64> = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT CAST(id AS BIGINT) FROM proposals WHERE (',' || domains || ',') LIKE '%,transport,%'"
    )
    .fetch_all(pool)
    .await)
    .unwrap();
    for e in transport.entries.iter().filter(|e| e.links[0].href.contains("/proposals/")) {
        let id: i64 = e.links[0].href.rsplit('/').next().unwrap().parse().unwrap();
        assert!(transport_ids.contains(&id), "{} is not a transport proposal", e.links[0].href);
    }

    for (path, status, says) in [
        ("/feeds/agencies/nosuch.atom", StatusCode::BAD_REQUEST, "agency"),
        ("/feeds/domains/planet.atom", StatusCode::BAD_REQUEST, "transport"),
        ("/feeds/domains/transport.rss", StatusCode::NOT_FOUND, ".atom"),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, status, "{path}");
        assert!(r.body.contains(says), "{path}: {}", r.body);
    }
}

/// `/search`: Chinese by one, two and more characters, matches marked, every text escaped;
/// bad input a 400 that says what to fix.
#[tokio::test]
async fn search_pages_mark_matches_and_answer_bad_input_with_400() {
    let app = spawn_app().await;
    let r = app.get("/search?q=%E6%B0%B4%E4%BB%B7", None).await; // 水价
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("<mark>水价</mark>"), "{}", &r.body[..r.body.len().min(3000)]);
    assert!(r.body.contains("居民生活用水价格"), "the demo's water-price draft is found");
    let r = app.get("/search?q=%E6%B0%B4", None).await; // 水
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<mark>水</mark>"));
    // a comment's text is shown escaped in its snippet
    let citizen = app.sign_in("zhang.wei@example.cn", app::backend::demo::DEMO_PASSWORD).await;
    let r = app
        .call(
            "post_comment",
            &[("proposal_id", "1"), ("stance", "oppose"), ("body", "<script>alert(1)</script>搜索测试文本")],
            Some(&citizen),
        )
        .await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    let r = app.get("/search?q=%E6%90%9C%E7%B4%A2%E6%B5%8B%E8%AF%95&kind=comments", None).await; // 搜索测试
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !r.body.contains("<script>alert(1)"), "escaped");
    assert!(r.body.contains("<mark>搜索测试</mark>"));
    let long = "a".repeat(10_000);
    for (path, field_text) in [
        ("/search?q=%EF%BC%81%EF%BC%9F%E3%80%82".to_owned(), "标点"),
        (format!("/search?q={long}"), "100"),
        ("/search?q=abc&kind=comments&after=xyz".to_owned(), ""),
        ("/search?q=abc&kind=everything".to_owned(), ""),
        ("/search?q=abc&agency=999999".to_owned(), ""),
        ("/search?q=abc&domain=planets".to_owned(), ""),
    ] {
        let r = app.get(&path, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", &r.body[..r.body.len().min(500)]);
        assert!(r.body.contains("error-panel") && r.body.contains(field_text), "{path}");
    }
    // the server function answers the same way
    let r = app.call("search", &[("q", "！？")], None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("search_needs_words"), "{}", r.body);
}

/// `/api/v1`: JSON with keyset cursors, the gate checklist, one error shape, CORS for
/// reads, a per-address rate limit, and an OpenAPI 3.1 document listing every route.
#[tokio::test]
async fn the_json_api_pages_with_cursors_documents_every_route_and_limits_each_address() {
    let app = spawn_app_with(RuntimeConfig { api_per_minute: 1000, ..RuntimeConfig::default() }).await;
    let json = |r: &Reply| serde_json::from_str::<serde_json::Value>(&r.body).unwrap_or_else(|e| panic!("{e}: {}", r.body));
    // the open proposals, closing soonest first, page after page
    let r = app.get("/api/v1/proposals?phase=closed", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("application/json"));
    let open = json(&app.get("/api/v1/proposals", None).await);
    let items = open["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|p| p["phase"] == "open" && p["url"].as_str().unwrap().starts_with("/proposals/")));
    let closes: Vec<&str> = items.iter().map(|p| p["closes_at"].as_str().unwrap()).collect();
    assert!(closes.windows(2).all(|w| w[0] <= w[1]), "closing soonest first: {closes:?}");
    // one proposal: its text and its checklist, the unmet gates named
    let id = items[0]["id"].as_i64().unwrap();
    let one = json(&app.get(&format!("/api/v1/proposals/{id}"), None).await);
    assert_eq!(one["id"], id);
    assert!(!one["clauses"].as_array().unwrap().is_empty());
    let gates: Vec<&str> = one["gates"].as_array().unwrap().iter().map(|g| g["gate"].as_str().unwrap()).collect();
    assert!(gates.contains(&"public_comment") && gates.contains(&"feedback_report"), "{gates:?}");
    assert!(one["unmet_gates"].as_array().unwrap().iter().any(|g| g == "public_comment"), "its window is open: {one}");
    // comments, newest first, by cursor; a hidden one is never listed
    let hidden: Vec<i64> = app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT CAST(id AS BIGINT) FROM comments WHERE hidden = TRUE")
        .fetch_all(pool)
        .await)
    .unwrap();
    let mut seen = Vec::new();
    for proposal in 1..=3 {
        let mut path = format!("/api/v1/proposals/{proposal}/comments");
        loop {
            let page = json(&app.get(&path, None).await);
            for c in page["items"].as_array().unwrap() {
                seen.push(c["id"].as_i64().unwrap());
                assert!(c["body_html"].is_string() && c["author"].is_string());
            }
            match page["next"].as_str() {
                Some(next) => path = format!("/api/v1/proposals/{proposal}/comments?before={next}"),
                None => break,
            }
        }
    }
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|id| !hidden.contains(id)), "a hidden comment listed");
    let mut sorted = seen.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no comment twice across pages");

    // one error shape, 4xx for what the caller sent
    for (path, status) in [
        ("/api/v1/proposals?phase=someday", StatusCode::BAD_REQUEST),
        ("/api/v1/proposals?after=not-a-cursor", StatusCode::BAD_REQUEST),
        ("/api/v1/proposals/abc", StatusCode::BAD_REQUEST),
        ("/api/v1/proposals/1/comments?before=xyz", StatusCode::BAD_REQUEST),
        ("/api/v1/proposals/99999999", StatusCode::NOT_FOUND),
        ("/api/v1/proposals/99999999/comments", StatusCode::NOT_FOUND),
        ("/api/v1/nothing-here", StatusCode::NOT_FOUND),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, status, "{path}: {}", r.body);
        let body = json(&r);
        assert!(body["error"]["code"].is_string() && !body["error"]["message"].as_str().unwrap().is_empty(), "{path}: {body}");
    }
    // a draft is not there
    let body = "第一条 尚未公开的草稿。";
    let draft = app
        .db
        .create_proposal(
            &app::backend::store::proposals::NewProposal {
                agency_id: one["agency"]["id"].as_i64().unwrap(),
                kind: app::domain::proposal::ProposalKind::Regulation,
                title: "未公开的草稿".into(),
                domains: vec![app::domain::proposal::PolicyDomain::Other],
                body_md: body.into(),
                clauses: app::backend::markdown::render_clauses(body).unwrap(),
                window: app::domain::proposal::CommentWindow {
                    opens_at: start() + chrono::Duration::days(1),
                    closes_at: start() + chrono::Duration::days(31),
                    short_reason: None,
                },
                created_by: 1,
                draft: true,
            },
            start(),
        )
        .await
        .unwrap();
    assert_eq!(app.get(&format!("/api/v1/proposals/{draft}"), None).await.status, StatusCode::NOT_FOUND);

    // CORS: any origin may read
    let req = Request::get("/api/v1/proposals").header(header::ORIGIN, "https://data.example.org").body(Body::empty()).unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).map(|v| v.to_str().unwrap()), Some("*"));

    // the OpenAPI document: 3.1, and every route answers as documented
    let doc = json(&app.get("/api/v1/openapi.json", None).await);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths: std::collections::BTreeSet<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "/api/v1/openapi.json",
            "/api/v1/proposals",
            "/api/v1/proposals/{id}",
            "/api/v1/proposals/{id}/comments",
            "/api/v1/proposals/{id}/feedback",
            "/api/v1/proposals/{id}/hearings",
            "/api/v1/hearings",
            "/api/v1/penalties",
        ]
        .into_iter()
        .collect()
    );
    // a proposal with a feedback report and public hearings (the demo's pricing drafts)
    let reported: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT CAST(MIN(proposal_id) AS BIGINT) FROM feedback_reports")
        .fetch_one(pool)
        .await)
    .unwrap();
    let heard: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT CAST(MIN(proposal_id) AS BIGINT) FROM hearings WHERE proposal_id IN (SELECT proposal_id FROM hearings WHERE status = 'scheduled')"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    for path in &paths {
        let with = if path.ends_with("/feedback") {
            reported
        } else if path.ends_with("/hearings") {
            heard
        } else {
            id
        };
        let r = app.get(&path.replace("{id}", &with.to_string()), None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        assert!(doc["paths"][path]["get"]["responses"]["200"].is_object(), "{path} documents its answer");
    }
    let report = json(&app.get(&format!("/api/v1/proposals/{reported}/feedback"), None).await);
    assert!(!report["items"].as_array().unwrap().is_empty() && report["summary"].is_string(), "{report}");
    let hearings = json(&app.get(&format!("/api/v1/proposals/{heard}/hearings"), None).await);
    assert!(hearings.as_array().unwrap().iter().all(|h| h["status"] != "scheduled"), "an unannounced hearing listed: {hearings}");
    // an open proposal has no report yet: 404 in the one shape
    let r = app.get(&format!("/api/v1/proposals/{id}/feedback"), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("\"not_found\""));
    for schema in [
        "Proposal",
        "ProposalDetail",
        "ProposalPage",
        "Comment",
        "CommentPage",
        "GateItem",
        "Hearing",
        "HearingPage",
        "FeedbackReport",
        "PenaltyOutcome",
        "PenaltyPage",
        "ApiError",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} in the document");
    }

    // a proposal's comments by stance, summed from the same tallies as its picture
    let stances = &one["stances"];
    let listed: i64 = ["support", "oppose", "suggestion"].iter().map(|k| stances[k].as_i64().unwrap()).sum();
    let visible: i64 =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM comments WHERE proposal_id = $1 AND hidden = FALSE")
            .bind(id)
            .fetch_one(pool)
            .await)
        .unwrap();
    assert_eq!(listed, visible, "{stances}");

    // filters: by agency, domain and kind; an unknown value is a 400 naming it
    let agency = one["agency"]["id"].as_i64().unwrap();
    let by_agency = json(&app.get(&format!("/api/v1/proposals?agency={agency}"), None).await);
    assert!(by_agency["items"].as_array().unwrap().iter().all(|p| p["agency"]["id"] == agency), "{by_agency}");
    let by_domain = json(&app.get("/api/v1/proposals?phase=closed&domain=pricing", None).await);
    assert!(by_domain["items"].as_array().unwrap().iter().all(|p| p["domains"].as_array().unwrap().iter().any(|d| d == "pricing")));
    let by_kind = json(&app.get("/api/v1/proposals?kind=regulation", None).await);
    assert!(by_kind["items"].as_array().unwrap().iter().all(|p| p["kind"] == "regulation"), "{by_kind}");
    for (path, names) in [
        ("/api/v1/proposals?domain=weather", "`domain`"),
        ("/api/v1/proposals?kind=law&agency=x", "`agency` and `kind`"),
        ("/api/v1/proposals?agency=999999", "999999"),
        ("/api/v1/hearings?before=soon", "before"),
        ("/api/v1/penalties?agency=transport", "agency"),
    ] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        assert!(json(&r)["error"]["message"].as_str().unwrap().contains(names), "{path}: {}", r.body);
    }

    // every announced hearing, newest first, page after page; none unannounced
    let mut path = "/api/v1/hearings".to_owned();
    let mut hearing_ids = Vec::new();
    loop {
        let page = json(&app.get(&path, None).await);
        for h in page["items"].as_array().unwrap() {
            assert_ne!(h["status"], "scheduled", "{h}");
            assert!(h["proposal_title"].is_string() && h["url"].as_str().unwrap().starts_with("/hearings/"));
            hearing_ids.push(h["id"].as_i64().unwrap());
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/hearings?before={next}"),
            None => break,
        }
    }
    let announced: i64 =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM hearings WHERE status <> 'scheduled'").fetch_one(pool).await)
            .unwrap();
    assert_eq!(hearing_ids.len() as i64, announced);
    assert!(hearing_ids.windows(2).all(|w| w[0] > w[1]), "newest first: {hearing_ids:?}");

    // penalty outcomes: only reviews that have ended, with the panel's opinion
    let outcomes = json(&app.get("/api/v1/penalties", None).await);
    let items = outcomes["items"].as_array().unwrap();
    let ended: i64 =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM penalty_cases WHERE status IN ('concluded', 'replied')")
            .fetch_one(pool)
            .await)
        .unwrap();
    assert!(ended > 0, "the demo has ended reviews");
    assert_eq!(items.len() as i64, ended.min(50));
    assert!(
        items.iter().all(|c| ["concluded", "replied"].contains(&c["status"].as_str().unwrap()) && c["panel_opinion"].is_string()),
        "{outcomes}"
    );
    let agency = items[0]["agency"]["id"].as_i64().unwrap();
    let theirs = json(&app.get(&format!("/api/v1/penalties?agency={agency}"), None).await);
    assert!(theirs["items"].as_array().unwrap().iter().all(|c| c["agency"]["id"] == agency));
}

#[tokio::test]
async fn the_json_api_answers_429_with_retry_after_past_an_addresss_share() {
    let app = spawn_app_with(RuntimeConfig { api_per_minute: 3, ..RuntimeConfig::default() }).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/proposals", None).await.status, StatusCode::OK);
    }
    let r = app.get("/api/v1/proposals", None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    let wait: u64 = r.headers.get(header::RETRY_AFTER).unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    assert!(r.body.contains("\"rate_limited\""), "{}", r.body);
    // the pages are not counted against it
    assert_eq!(app.get("/proposals", None).await.status, StatusCode::OK);
}

/// The home page shows the state of the city's decisions, narrowed by the filter form:
/// open consultations, what is blocked at a gate and why, the latest penalty outcomes;
/// a value no form offers is a 400 that names it. The pictures on a proposal and on a
/// hearing draw are SVG with the same figures in words.
#[tokio::test]
async fn the_home_page_narrows_by_its_filters_shows_what_is_blocked_and_draws_its_pictures() {
    let app = spawn_app().await;
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    for part in ["home-filters", "phase-open", "blocked-title", "home-outcomes", "data-testid=\"blocked-item\""] {
        assert!(home.body.contains(part), "{part} on the home page");
    }
    // what is blocked names the missing steps
    assert!(home.body.contains("unmet-gates"), "the gates holding something back are listed");

    // one agency, one domain, one kind: every card shown is of it
    let agency: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT CAST(agency_id AS BIGINT) FROM proposals WHERE status = 'published' ORDER BY id LIMIT 1"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let others: Vec<String> =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT title FROM proposals WHERE agency_id <> $1 AND status <> 'draft'")
            .bind(agency)
            .fetch_all(pool)
            .await)
        .unwrap();
    assert!(!others.is_empty());
    let r = app.get(&format!("/?agency={agency}&state=open"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for title in &others {
        assert!(!r.body.contains(&format!(">{title}<")), "{title} is another agency's");
    }
    assert!(!r.body.contains("blocked-title"), "state=open shows only the open list");
    let r = app.get("/?state=blocked&domain=pricing", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("blocked-title") && !r.body.contains("phase-open"));

    // values no form offers: 400, the page says what is wrong
    for path in
        ["/?domain=weather", "/?kind=law", "/?agency=999999", "/?state=someday", "/proposals?phase=open&after=nonsense", "/blocked?after=x"]
    {
        let r = app.get(path, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(r.body.contains("error-panel"), "{path}: the page says why");
    }
    let r = app.call("blocked", &[("agency", ""), ("domain", "weather"), ("kind", ""), ("short", "true")], None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);

    // /blocked pages on
    let r = app.get("/blocked", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("data-testid=\"blocked-item\""));

    // a proposal with comments: its stance bars and clause strip, and the same in words
    let busiest: i64 = app::on_db!(&app.db, |pool| sqlx::query_scalar(
        "SELECT CAST(proposal_id AS BIGINT) FROM comment_tallies GROUP BY proposal_id ORDER BY SUM(count) DESC LIMIT 1"
    )
    .fetch_one(pool)
    .await)
    .unwrap();
    let r = app.get(&format!("/proposals/{busiest}"), None).await;
    assert!(r.body.contains("data-testid=\"comment-pictures\""));
    assert!(r.body.contains("<svg") && r.body.contains("stance-caption") && r.body.contains("clause-strip-caption"));
    assert!(r.body.contains("%）") || r.body.contains("%)"), "shares in words");

    // a hearing's draw against its quotas
    let drawn: i64 =
        app::on_db!(&app.db, |pool| sqlx::query_scalar("SELECT CAST(MIN(hearing_id) AS BIGINT) FROM hearing_draws").fetch_one(pool).await)
            .unwrap();
    let r = app.get(&format!("/hearings/{drawn}/draw"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("make-up-caption") && r.body.contains("bar-mark"), "quota ticks on the draw's picture");
}

/// Two servers on one database keep nothing of their own that matters: a session made
/// on one works on the other and ends on both, sign-in failures count across both, and
/// a comment posted through one is on the other's anonymous pages once its kept copy
/// expires (`--page-cache-ms`). On SQLite (two pools on one file) and, with
/// MINYI_TEST_DB=postgres, on PostgreSQL.
#[tokio::test]
async fn two_servers_on_one_database_share_sessions_limits_and_fresh_pages() {
    let page_cache = std::time::Duration::from_millis(400);
    let config = || RuntimeConfig { page_cache, signin_per_ip: 100, ..RuntimeConfig::default() };
    let a = spawn_app_with(config()).await;
    let b = twin(&a, config()).await;
    // b keeps a copy of the page
    assert_eq!(b.get("/proposals/1", None).await.headers.get("x-minyi-cache").unwrap(), "miss");
    assert_eq!(b.get("/proposals/1", None).await.headers.get("x-minyi-cache").unwrap(), "hit");
    // a session made on a is known to b
    let cookie = a.sign_in("zhang.wei@example.cn", demo::DEMO_PASSWORD).await;
    assert!(b.call("viewer", &[], Some(&cookie)).await.body.contains("张伟"));
    // a comment through a: on b's pages once b's copy has expired
    let text = "两台服务器测试：第三条的优惠应覆盖退休人员。";
    let r = a.call("post_comment", &[("proposal_id", "1"), ("stance", "suggestion"), ("body", text)], Some(&cookie)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert!(a.get("/proposals/1", None).await.body.contains(text), "the server that took it shows it at once");
    tokio::time::sleep(page_cache + std::time::Duration::from_millis(100)).await;
    let page = b.get("/proposals/1", None).await;
    assert!(page.body.contains(text), "b shows it within --page-cache-ms");
    // a comment posted through b counts against the same flood limit and shows on a
    let r = b.call("post_comment", &[("proposal_id", "1"), ("stance", "support"), ("body", "同意第三条。")], Some(&cookie)).await;
    assert!(r.status.is_success(), "{} {}", r.status, r.body);
    assert!(a.get("/proposals/1", Some(&cookie)).await.body.contains("同意第三条。"));
    // signing out on b ends the session on a too
    b.call("sign_out", &[], Some(&cookie)).await;
    assert_eq!(a.call("viewer", &[], Some(&cookie)).await.body, "null");
    // failures alternate between the two servers and still add up: the sixth try waits
    for i in 0..5 {
        let server = if i % 2 == 0 { &a } else { &b };
        let r = server.call("sign_in", &[("email", "li.na@example.cn"), ("password", "wrong-password")], None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    for server in [&a, &b] {
        let r = server.call("sign_in", &[("email", "li.na@example.cn"), ("password", demo::DEMO_PASSWORD)], None).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    }
    b.db.close().await;
}

/// `/metrics` (on its own address in production; here its router) counts what the
/// public router served: latency per route class and outcome, requests in flight, the
/// database's transaction waits and its pool.
#[tokio::test]
async fn metrics_count_requests_by_route_class_and_the_database_waits() {
    let app = spawn_app().await;
    let state = AppState::new(app.db.clone(), RuntimeConfig::default());
    let metrics = TestApp {
        router: minyi_server::metrics::router(state),
        db: app.db.clone(),
        clock: app.clock.clone(),
        _dir: None,
        _serial: None,
        files_dir: tempfile::tempdir().unwrap(),
        url: app.url.clone(),
    };
    let count = |text: &str, series: &str| -> u64 {
        text.lines()
            .find(|l| l.starts_with(series))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|n| n.parse::<f64>().ok())
            .map_or(0, |n| n as u64)
    };
    let before = metrics.get("/metrics", None).await.body;
    let page = r#"minyi_http_request_duration_seconds_count{class="page",status="2xx"}"#;
    let missing = r#"minyi_http_request_duration_seconds_count{class="page",status="4xx"}"#;
    let api = r#"minyi_http_request_duration_seconds_count{class="api_v1",status="2xx"}"#;
    for _ in 0..3 {
        assert_eq!(app.get("/proposals/1", None).await.status, StatusCode::OK);
    }
    assert_eq!(app.get("/proposals/99999999", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/proposals", None).await.status, StatusCode::OK);
    let r = metrics.get("/metrics", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/plain"));
    let after = r.body;
    assert!(count(&after, page) >= count(&before, page) + 3, "{after}");
    assert!(count(&after, missing) > count(&before, missing), "{after}");
    assert!(count(&after, api) > count(&before, api), "{after}");
    for series in [
        "minyi_http_requests_in_flight",
        r#"minyi_db_begin_seconds_bucket{kind="read",le="0.001"}"#,
        r#"minyi_db_pool_connections{state="idle"}"#,
        r#"minyi_http_request_duration_seconds_bucket{class="page",status="2xx",le="0.01"}"#,
    ] {
        assert!(after.contains(series), "{series} in {after}");
    }
    // paths (and the ids in them) never become labels
    assert!(!after.contains("/proposals") && !after.contains("path="), "{after}");
    // and the public router has no /metrics
    assert_ne!(app.get("/metrics", None).await.status, StatusCode::OK);
}
