//! Request guards that apply to every route: client address, session, cross-site
//! refusal and security headers.

use std::net::SocketAddr;

use app::backend::{
    auth::{session_token, token_hash},
    context::{ClientIp, CurrentViewer},
    AppState,
};
use axum::{
    extract::{ConnectInfo, Request},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The client's address in `X-Forwarded-For` behind `proxies` trusted proxies: each proxy
/// appends the address it was reached from, so the entry `proxies` places from the right
/// is the one the outermost trusted proxy saw; everything to its left came from the client
/// and may be forged. Every header line counts, in order. `None` when the header is
/// missing, too short, or that entry is not an IP address.
pub fn forwarded_client(headers: &HeaderMap, proxies: usize) -> Option<std::net::IpAddr> {
    let entries: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).collect();
    let index = entries.len().checked_sub(proxies.max(1))?;
    entries.get(index)?.parse().ok()
}

/// Who is calling: the TCP peer, or, when the operator said trusted proxies sit in front,
/// the address the outermost of them saw (see [`forwarded_client`]).
pub async fn client_ip(mut req: Request, next: Next) -> Response {
    let proxies = req.extensions().get::<AppState>().filter(|s| s.config.trust_forwarded_for).map(|s| s.config.trusted_proxies);
    let forwarded = proxies.and_then(|n| forwarded_client(req.headers(), n)).map(|ip| ip.to_string());
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let ip = forwarded.or(peer).unwrap_or_else(|| "unknown".to_owned());
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// Resolves the session cookie to the signed-in person once per request.
pub async fn session(mut req: Request, next: Next) -> Response {
    let state = req.extensions().get::<AppState>().cloned();
    let secure = state.as_ref().is_some_and(|s| s.config.secure_cookies);
    let token = req.headers().get(header::COOKIE).and_then(|v| v.to_str().ok()).and_then(|h| session_token(h, secure)).map(str::to_owned);
    let mut viewer = None;
    if let (Some(token), Some(state)) = (token, state) {
        let now = state.now();
        match state.db.session_user(&token_hash(&token), now).await {
            Ok(Some(user_id)) => match state.db.viewer(user_id).await {
                Ok(v) => viewer = v,
                Err(error) => return storage_unavailable(error),
            },
            Ok(None) => {}
            Err(error) => return storage_unavailable(error),
        }
    }
    let signed_in = viewer.is_some();
    req.extensions_mut().insert(CurrentViewer(viewer));
    let server_function = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    // a page a signed-in person reads (their name, an agency's drafts, the moderation
    // queue) and every server function's answer stay out of shared and browser caches;
    // static files, and an answer that set its own policy, keep theirs
    let page = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if server_function || (signed_in && page) {
        res.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    res
}

fn storage_unavailable(error: sqlx::Error) -> Response {
    tracing::error!(error = ?error, "session lookup failed");
    (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "5")], "storage unavailable, try again shortly").into_response()
}

/// Refuses state-changing requests made by another site. Browsers send
/// `Sec-Fetch-Site` (and `Origin`) with every POST; Leptos server functions have no
/// CSRF check of their own, so this is it. Requests without either header (curl,
/// scripts) carry no ambient browser credentials and pass.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if is_state_changing(req.method()) && is_cross_site(req.headers()) {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site requests are refused").into_response();
    }
    next.run(req).await
}

/// Methods that may change something (the rest must not).
pub fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
        // "null" origins (sandboxed frames, file:) are never our own pages
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("null");
        return origin_host != host;
    }
    false
}

/// Headers every response carries. The page CSP (with a per-response nonce for the
/// hydration scripts) is set by the app shell; this strict one covers everything else.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let secure = req.extensions().get::<AppState>().map(|s| s.config.secure_cookies).unwrap_or(false);
    let mut res = next.run(req).await;
    add_security_headers(res.headers_mut(), secure);
    res
}

/// The headers of [`security_headers`], for answers made outside that middleware (the
/// page cache answers before it).
pub fn add_security_headers(h: &mut HeaderMap, secure: bool) {
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(
        "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if secure {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
}

/// A server function whose arguments could not be read answers 500 from the framework
/// (its body never ran). That is the caller's mistake: 400, with the same message.
/// Recognised by the framework's error header and our error's `Transport` variant, so
/// a real internal failure (`"Internal"`) stays 500.
pub async fn malformed_arguments_are_400(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR || !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    };
    if bytes.starts_with(b"{\"Transport\"") {
        parts.status = StatusCode::BAD_REQUEST;
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_client_is_the_address_the_trusted_proxy_added_not_what_the_client_wrote() {
        let headers = |values: &[&str]| {
            let mut h = HeaderMap::new();
            for v in values {
                h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
            }
            h
        };
        // the client wrote 1.2.3.4 itself; the proxy appended the real address
        let h = headers(&["1.2.3.4, 198.51.100.7"]);
        assert_eq!(forwarded_client(&h, 1), Some("198.51.100.7".parse().unwrap()));
        assert_eq!(forwarded_client(&h, 2), Some("1.2.3.4".parse().unwrap()), "two proxies: one entry further left");
        assert_eq!(forwarded_client(&h, 3), None, "fewer entries than proxies");
        // several header lines are one list
        let h = headers(&["10.0.0.1", "2001:db8::7"]);
        assert_eq!(forwarded_client(&h, 1), Some("2001:db8::7".parse().unwrap()));
        // not an address: not trusted
        assert_eq!(forwarded_client(&headers(&["1.2.3.4, evil"]), 1), None);
        assert_eq!(forwarded_client(&HeaderMap::new(), 1), None);
    }

    #[test]
    fn cross_site_detection() {
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(is_cross_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(!is_cross_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_cross_site(&headers(&[("origin", "https://evil.example"), ("host", "minyi.example")])));
        assert!(!is_cross_site(&headers(&[("origin", "https://minyi.example"), ("host", "minyi.example")])));
        assert!(is_cross_site(&headers(&[("origin", "null"), ("host", "minyi.example")])));
        assert!(!is_cross_site(&headers(&[])));
    }
}
