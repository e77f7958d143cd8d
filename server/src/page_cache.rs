//! A short-lived cache of the pages people read without signing in.
//!
//! A proposal page is read far more often than it changes, mostly by people who are not
//! signed in (a link shared in a chat group). Rendering it costs milliseconds of CPU;
//! sending a copy costs microseconds. So, for anonymous GETs of the public pages only
//! (`/`, `/proposals`, `/proposals/{id}`, no query string, no session cookie), the
//! rendered page is kept per (path, language) for a short time (`--page-cache-ms`,
//! 1 s by default) and no longer served as soon as this server makes a change that
//! touches it. A change is what a service committed, as the server function says in
//! the `x-minyi-change` header of its answer (`proposal=ID`, or `all`), never merely a
//! POST: a refused or junk request invalidates nothing, a change to one proposal renews
//! that proposal's page and the lists, not every other proposal's page. Entries are
//! keyed by generation numbers that a change bumps, so a copy made before a change is
//! never served after it (no timing window). Another server process sharing the
//! database shows a change at most `--page-cache-ms` after it happened.
//!
//! When a page is missing (first read, or just after a change) one request renders it
//! and the others asking for the same page at that moment wait for that render instead
//! of rendering it again (no stampede after each comment).
//!
//! A rendered page allows its inline scripts by a per-response nonce. A kept copy is
//! served byte for byte to many readers, so a shared nonce would be a guessable one;
//! instead its policy lists the SHA-256 hashes of exactly the inline scripts it holds
//! (and no nonce), computed once when the copy is kept. The gzip form is made once too,
//! so a copy costs no rendering and no compression.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use app::{backend::auth::has_session_cookie, i18n::Locale};
use axum::{
    body::{to_bytes, Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use moka::future::Cache;

/// Pages larger than this are sent but not kept (none is near it; it bounds one entry).
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// All kept pages together stay under this many bytes.
const MAX_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// A kept page: its path, language, and the generation it was rendered at.
type Key = (String, Locale, u64);

#[derive(Clone)]
pub struct PageCache {
    pages: Option<Cache<Key, Arc<Page>>>,
    generations: Arc<Generations>,
    /// HSTS on the copies too (`--secure-cookies`).
    secure: bool,
}

/// Generation numbers: `all` for changes that may touch any page, `lists` for the home
/// and list pages, and one per proposal changed since start-up.
#[derive(Default)]
struct Generations {
    all: std::sync::atomic::AtomicU64,
    lists: std::sync::atomic::AtomicU64,
    proposals: Mutex<std::collections::HashMap<i64, u64>>,
}

impl Generations {
    fn of(&self, path: &str) -> u64 {
        use std::sync::atomic::Ordering::SeqCst;
        let own = match proposal_id(path) {
            Some(id) => self.proposals.lock().map(|p| p.get(&id).copied().unwrap_or(0)).unwrap_or(0),
            None => self.lists.load(SeqCst),
        };
        // distinct for every (all, own) pair that can occur: both only grow
        (self.all.load(SeqCst) << 32) ^ own
    }

    fn record(&self, change: &str) {
        use std::sync::atomic::Ordering::SeqCst;
        match change.strip_prefix("proposal=").and_then(|id| id.parse::<i64>().ok()) {
            Some(id) => {
                if let Ok(mut proposals) = self.proposals.lock() {
                    *proposals.entry(id).or_default() += 1;
                }
                self.lists.fetch_add(1, SeqCst);
            }
            None => {
                self.all.fetch_add(1, SeqCst);
            }
        }
    }
}

pub use app::backend::context::CHANGE_HEADER;

fn proposal_id(path: &str) -> Option<i64> {
    path.strip_prefix("/proposals/").and_then(|id| id.parse().ok())
}

struct Page {
    body: Bytes,
    gzip: Bytes,
    policy: HeaderValue,
}

impl Page {
    fn new(body: Bytes) -> Option<Self> {
        let hashes = inline_script_hashes(&body);
        let policy = HeaderValue::from_str(&app::app::content_security_policy(&hashes)).ok()?;
        let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::default());
        std::io::Write::write_all(&mut gz, &body).ok()?;
        let gzip = Bytes::from(gz.finish().ok()?);
        Some(Self { body, gzip, policy })
    }
}

/// `'sha256-…'` for each inline `<script>` of a page Minyi rendered. Text from people
/// is always escaped, so every `<script` in the page is one Leptos wrote.
fn inline_script_hashes(page: &[u8]) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let mut sources = Vec::new();
    let mut rest = page;
    while let Some(start) = memchr::memmem::find(rest, b"<script") {
        let after = &rest[start..];
        let Some(open_end) = memchr::memchr(b'>', after) else { break };
        let content = &after[open_end + 1..];
        let Some(len) = memchr::memmem::find(content, b"</script>") else { break };
        if len > 0 {
            let digest = sha2::Sha256::digest(&content[..len]);
            sources.push(format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest)));
        }
        rest = &content[len..];
    }
    sources.join(" ")
}

impl PageCache {
    /// `ttl` zero turns the cache off.
    pub fn new(ttl: Duration, secure: bool) -> Self {
        let pages = (!ttl.is_zero()).then(|| {
            Cache::builder()
                .time_to_live(ttl)
                .max_capacity(MAX_CACHE_BYTES)
                .weigher(|(path, _, _): &Key, page: &Arc<Page>| (path.len() + page.body.len()).try_into().unwrap_or(u32::MAX))
                .build()
        });
        Self { pages, generations: Arc::default(), secure }
    }
}

/// Whether this request may be answered from (and fill) the cache: its key if so.
fn cache_key(req: &Request) -> Option<(String, Locale)> {
    if req.method() != Method::GET || req.uri().query().is_some() || !is_public_page(req.uri().path()) {
        return None;
    }
    let cookies = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if has_session_cookie(cookies) {
        return None;
    }
    Some((req.uri().path().to_owned(), Locale::from_cookie_header(cookies)))
}

/// The pages whose content is the same for every anonymous reader.
fn is_public_page(path: &str) -> bool {
    match path {
        "/" | "/proposals" => true,
        _ => path.strip_prefix("/proposals/").is_some_and(|id| !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit())),
    }
}

pub async fn middleware(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let Some(pages) = &cache.pages else {
        let mut res = next.run(req).await;
        res.headers_mut().remove(CHANGE_HEADER);
        return res;
    };
    let Some((path, locale)) = cache_key(&req) else {
        let mut res = next.run(req).await;
        // what the action changed renews the pages it touches (the marker is internal)
        let changes: Vec<String> = res.headers().get_all(CHANGE_HEADER).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
        res.headers_mut().remove(CHANGE_HEADER);
        for change in changes {
            cache.generations.record(&change);
        }
        return res;
    };
    let generation = cache.generations.of(&path);
    let key = (path, locale, generation);
    // Only one of the callers waiting on a missing page runs its `render`; the request
    // stays in `slot` for the others.
    let gzip = accepts_gzip(req.headers());
    let mut slot = Some(req);
    let render = async {
        let mut req = slot.take().expect("the request is taken once");
        // the copy is kept plain (its gzip form is made here, once), so nothing inside
        // may compress it
        req.headers_mut().remove(header::ACCEPT_ENCODING);
        let res = next.clone().run(req).await;
        if !keepable(&res) {
            return Err(NotKept::answer(res));
        }
        // read whole (the page is sent anyway); only a page within the bound is kept
        let (parts, body) = res.into_parts();
        let body = match to_bytes(body, usize::MAX).await {
            Ok(body) => body,
            Err(error) => {
                tracing::error!(error = %error, "page body could not be read for the cache");
                return Err(NotKept::answer(unavailable()));
            }
        };
        match (body.len() <= MAX_PAGE_BYTES).then(|| Page::new(body.clone())).flatten() {
            Some(page) => Ok(Arc::new(page)),
            None => Err(NotKept::answer(Response::from_parts(parts, Body::from(body)))),
        }
    };
    match pages.try_get_with(key, render).await {
        Ok(page) => serve_copy(&page, gzip, if slot.is_none() { "miss" } else { "hit" }, cache.secure),
        Err(not_kept) => match slot {
            // this caller rendered: its own answer, as it was
            None => not_kept.0.lock().ok().and_then(|mut r| r.take()).unwrap_or_else(unavailable),
            // another caller rendered something that is not kept (an error page, say):
            // this request is answered on its own
            Some(req) => next.run(req).await,
        },
    }
}

fn unavailable() -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be produced, please reload").into_response()
}

/// A rendered answer that is not a keepable page, handed back to the request that made it.
struct NotKept(Mutex<Option<Response>>);

impl NotKept {
    fn answer(res: Response) -> Self {
        Self(Mutex::new(Some(res)))
    }
}

/// A freshly rendered page may be kept when it is a complete, successful HTML page with
/// nothing personal in it (no cookie being set).
fn keepable(res: &Response) -> bool {
    let headers = res.headers();
    let html = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    res.status() == StatusCode::OK && html && !headers.contains_key(header::SET_COOKIE) && !headers.contains_key(header::CONTENT_ENCODING)
}

/// Whether the client takes gzip (`Accept-Encoding: gzip`, not `gzip;q=0`).
fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

fn serve_copy(page: &Page, gzip: bool, how: &'static str, secure: bool) -> Response {
    let mut res = Response::new(Body::from(if gzip { page.gzip.clone() } else { page.body.clone() }));
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(header::CONTENT_SECURITY_POLICY, page.policy.clone());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if gzip {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    headers.insert("x-minyi-cache", HeaderValue::from_static(how));
    crate::middleware::add_security_headers(headers, secure);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_pages_are_kept() {
        assert!(is_public_page("/"));
        assert!(is_public_page("/proposals"));
        assert!(is_public_page("/proposals/42"));
        assert!(!is_public_page("/proposals/42/feedback"));
        assert!(!is_public_page("/proposals/new"));
        assert!(!is_public_page("/proposals/"));
        assert!(!is_public_page("/admin"));
        assert!(!is_public_page("/proposals/99999999999999999999999"));
    }

    #[test]
    fn signed_in_and_query_requests_bypass_the_cache() {
        let req = |uri: &str, cookie: Option<&str>| {
            let mut b = Request::get(uri);
            if let Some(c) = cookie {
                b = b.header(header::COOKIE, c);
            }
            b.body(Body::empty()).unwrap()
        };
        assert_eq!(cache_key(&req("/proposals/1", None)), Some(("/proposals/1".to_owned(), Locale::default())));
        assert_eq!(cache_key(&req("/proposals/1", Some("minyi_lang=en"))).map(|k| k.1), Some(Locale::En));
        assert_eq!(cache_key(&req("/proposals/1", Some("minyi_session=abc"))), None);
        assert_eq!(cache_key(&req("/proposals/1?clause=2", None)), None);
        assert_eq!(cache_key(&Request::post("/proposals/1").body(Body::empty()).unwrap()), None);
    }

    #[test]
    fn a_copy_allows_exactly_its_inline_scripts_by_hash() {
        let page = br#"<html><head><script nonce="abc">one()</script><script type="module" nonce="abc" src="/x.js"></script></head><body><p>&lt;script&gt;no()&lt;/script&gt;</p><script nonce="abc">two()</script></body></html>"#;
        let hashes = inline_script_hashes(page);
        use base64::Engine as _;
        use sha2::Digest as _;
        let h = |s: &str| format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(s)));
        assert_eq!(hashes, format!("{} {}", h("one()"), h("two()")));
        let copy = Page::new(Bytes::from_static(page)).unwrap();
        let policy = copy.policy.to_str().unwrap();
        assert!(policy.contains(&h("one()")) && !policy.contains("nonce"), "{policy}");
        let mut unzipped = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&copy.gzip[..]), &mut unzipped).unwrap();
        assert_eq!(unzipped.as_bytes(), page);
    }

    #[test]
    fn gzip_only_when_the_client_takes_it() {
        let h = |v: &'static str| {
            let mut m = axum::http::HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            m
        };
        assert!(accepts_gzip(&h("gzip, deflate, br")));
        assert!(accepts_gzip(&h("br;q=1.0, gzip;q=0.8")));
        assert!(!accepts_gzip(&h("gzip;q=0, br")));
        assert!(!accepts_gzip(&h("identity")));
        assert!(!accepts_gzip(&axum::http::HeaderMap::new()));
    }
}
