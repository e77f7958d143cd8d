//! What a server function or page render needs from the request it serves.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use super::{clock::SharedClock, store::sessions::SessionPolicy, Db};
use crate::{
    domain::{account::Viewer, role::Role},
    error::{AppError, AppResult},
};

/// Settings that change how requests are served.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Mark cookies `Secure` (served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
    pub session: SessionPolicy,
    /// Sign-in attempts allowed per minute from one address (failures per account are
    /// throttled by `domain::signin`, which no setting loosens).
    pub signin_per_ip: i64,
    /// Accounts one address may register in an hour.
    pub register_per_ip: i64,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// How many trusted proxies append to `X-Forwarded-For`: the client is the address the
    /// outermost of them added, this many entries from the right (1: the right-most).
    pub trusted_proxies: usize,
    /// Comments allowed per account in ten minutes (no flooding).
    pub comments_per_account: i64,
    /// Comments allowed per client address in ten minutes.
    pub comments_per_ip: i64,
    /// Requests served at once; beyond this the server answers 503 with Retry-After at
    /// once instead of queueing (load shedding keeps admitted requests fast).
    pub max_in_flight: usize,
    /// How long a page read without signing in may be served from memory (zero: never).
    /// Any change accepted by this server empties the cache at once.
    pub page_cache: std::time::Duration,
    /// Requests one client address may have in flight at once; beyond, 429.
    pub per_client_in_flight: usize,
    /// How long a request body may take to arrive; beyond, 408 and nothing done.
    pub body_deadline: std::time::Duration,
    /// The largest evidence file accepted, in bytes.
    pub max_upload_bytes: u64,
    /// Requests one client address may make to `/api/v1` in a minute.
    pub api_per_minute: u32,
}

/// 32 requests in flight per core: enough to keep every core busy while some requests
/// wait on the database, few enough that an admitted request waits milliseconds.
pub fn default_max_in_flight() -> usize {
    32 * std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session: SessionPolicy::default(),
            signin_per_ip: 10,
            register_per_ip: 5,
            trust_forwarded_for: false,
            trusted_proxies: 1,
            comments_per_account: 10,
            comments_per_ip: 60,
            max_in_flight: default_max_in_flight(),
            page_cache: std::time::Duration::from_secs(1),
            per_client_in_flight: 16,
            body_deadline: std::time::Duration::from_secs(10),
            max_upload_bytes: 20 * 1024 * 1024,
            api_per_minute: 120,
        }
    }
}

/// Shared by every request; carried in the request's extensions.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<RuntimeConfig>,
    /// Every decision by the time reads this clock (tests fix it).
    pub clock: SharedClock,
    /// Where evidence files are kept (a local folder or an S3-compatible store); none
    /// means uploads are refused with 503.
    pub files: Option<super::files::FileStore>,
    /// Sends the mails with one-time links (or logs their links when no relay is set).
    pub mailer: super::mail::Mailer,
    /// Commits people's comments together (one writer per process).
    pub comments: super::service::comments::CommentWriter,
}

impl AppState {
    /// A server's state: the system clock.
    pub fn new(db: Db, config: RuntimeConfig) -> Self {
        Self {
            db,
            config: Arc::new(config),
            clock: super::clock::system(),
            files: None,
            mailer: Default::default(),
            comments: Default::default(),
        }
    }

    pub fn with_files(mut self, files: super::files::FileStore) -> Self {
        self.files = Some(files);
        self
    }

    pub fn with_mailer(mut self, mailer: super::mail::Mailer) -> Self {
        self.mailer = mailer;
        self
    }

    pub fn with_clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// The signed-in person of this request, resolved once by the session middleware.
#[derive(Clone, Debug, Default)]
pub struct CurrentViewer(pub Option<Viewer>);

/// The client address of this request.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

fn parts() -> AppResult<Parts> {
    use_context::<Parts>().ok_or_else(|| internal("no request in context"))
}

pub fn state() -> AppResult<AppState> {
    parts()?.extensions.get::<AppState>().cloned().ok_or_else(|| internal("AppState missing from request extensions"))
}

pub fn viewer() -> Option<Viewer> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<CurrentViewer>().and_then(|v| v.0.clone()))
}

pub fn require_signed_in() -> AppResult<Viewer> {
    viewer().ok_or(AppError::Unauthenticated)
}

/// The caller, if they hold `role`; checked on the server for every action. An
/// administrator acts only with two-step sign-in on (ASVS 5.0 §6.3.3).
pub fn require(role: Role) -> AppResult<Viewer> {
    let viewer = require_signed_in()?;
    if !viewer.holds(role) {
        return Err(AppError::Forbidden(role));
    }
    if !viewer.has(role) {
        return Err(AppError::field("form", crate::domain::Rule::AdminNeedsSecondFactor));
    }
    Ok(viewer)
}

/// The caller, if they hold `role`, with the state their action runs on.
pub fn acting(role: Role) -> AppResult<(Viewer, AppState)> {
    Ok((require(role)?, state()?))
}

pub fn client_ip() -> String {
    use_context::<Parts>().and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.clone())).unwrap_or_else(|| "unknown".to_owned())
}

/// Logs an internal failure with its whole chain; the caller sees a generic message.
pub fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %error, "internal error");
    AppError::Internal
}

/// Converts a store error into the generic internal error, logging it.
pub fn db_error(error: sqlx::Error) -> AppError {
    tracing::error!(error = ?error, "database error");
    AppError::Internal
}

/// The current instant by the clock of the state serving this request (the system
/// clock outside a request: command-line tools).
pub fn now() -> DateTime<Utc> {
    use super::clock::Clock;
    use_context::<Parts>().and_then(|p| p.extensions.get::<AppState>().map(|s| s.now())).unwrap_or_else(|| super::clock::SystemClock.now())
}

pub fn append_set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        response.append_header(header::SET_COOKIE, value);
    }
}

/// True when a plain HTML form (no JavaScript) made this request: its answer is then
/// a redirect back to the form, which must keep its 302 status.
fn from_plain_form() -> bool {
    use_context::<Parts>()
        .and_then(|p| p.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// Gives a failed server function its real HTTP status (and `Retry-After` for 429).
pub fn with_status<T>(result: AppResult<T>) -> AppResult<T> {
    if let Err(error) = &result {
        if let Some(response) = use_context::<ResponseOptions>() {
            if !from_plain_form() {
                response.set_status(StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
            }
            if let AppError::RateLimited(secs) = error {
                response.insert_header(header::RETRY_AFTER, HeaderValue::from(*secs));
            }
        }
    }
    result
}

/// [`with_status`] for a read whose parameters are the request itself (a search, a list's
/// filter, a cursor): a bad one answers 400, not 422, with the same field errors.
pub fn with_query_status<T>(result: AppResult<T>) -> AppResult<T> {
    if let Err(AppError::Invalid(_)) = &result {
        if let Some(response) = use_context::<ResponseOptions>() {
            response.set_status(StatusCode::BAD_REQUEST);
        }
        return result;
    }
    with_status(result)
}

/// The header an action's answer carries when it changed something public; the
/// server's page cache reads it (and removes it) to renew exactly those pages.
pub const CHANGE_HEADER: &str = "x-minyi-change";

/// What a committed action changed that readers without an account can see.
#[derive(Clone, Copy, Debug)]
pub enum Change {
    /// One proposal's page (and the lists that show it).
    Proposal(i64),
    /// Possibly any public page.
    Everything,
}

impl Change {
    /// The value of [`CHANGE_HEADER`]: `proposal=ID` or `all`.
    pub fn header_value(self) -> HeaderValue {
        match self {
            Change::Proposal(id) => HeaderValue::from_str(&format!("proposal={id}")).unwrap_or(HeaderValue::from_static("all")),
            Change::Everything => HeaderValue::from_static("all"),
        }
    }
}

/// Evidence of a proposal changes its page; a project's pages are not kept.
impl From<crate::domain::gate::GateSubject> for Change {
    fn from(subject: crate::domain::gate::GateSubject) -> Self {
        match subject {
            crate::domain::gate::GateSubject::Proposal(id) => Change::Proposal(id),
            crate::domain::gate::GateSubject::Project(_) => Change::Everything,
        }
    }
}

/// Says, on this response, that the action changed public pages.
pub fn changed(change: Change) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.append_header(http::HeaderName::from_static(CHANGE_HEADER), change.header_value());
    }
}
