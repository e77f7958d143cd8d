//! Admission: what a request must do before it may take one of the places in flight.
//!
//! The global in-flight limit (load shedding, in `router`) keeps admitted requests fast,
//! but a place taken by a request whose body never arrives is a place lost: about 64
//! POSTs announcing a body and sending nothing once held every place. So, outside that
//! limit, each request
//! - counts against its client address, which may have at most `per_client` requests
//!   in flight (one address cannot take every place; 429 with `Retry-After`), and
//! - has its body read whole, bounded by its route class's size limit (413) and by a
//!   deadline (408), before it goes on: a slow or endless body holds its client's place,
//!   never a place of the server.
//!
//! Headers are bounded by the connection's header-read timeout (see `cli::serve_site`).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use app::backend::context::ClientIp;
use axum::{
    body::{to_bytes, Body},
    extract::{Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Bodies of these server functions carry a whole draft text (200,000 characters of
/// Chinese are 1.8 MB once form-encoded).
const LARGE_BODY_ENDPOINTS: &[&str] = &["/api/publish_proposal", "/api/publish_version"];

/// The evidence upload form: its body is not read whole here (it streams to storage,
/// see `evidence::upload`); only its announced size is checked.
pub const UPLOAD_PATH: &str = "/evidence/upload";

/// How large a body each route class may send.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    /// The upload form: the largest file plus the form's other fields.
    pub upload: usize,
    /// Server functions that carry a draft text.
    pub draft: usize,
    /// Every other server function and form.
    pub form: usize,
    /// Anything else (pages, files, health): no body is expected.
    pub other: usize,
}

impl Default for BodyLimits {
    fn default() -> Self {
        Self { upload: 20 * 1024 * 1024 + 64 * 1024, draft: 4 * 1024 * 1024, form: 256 * 1024, other: 16 * 1024 }
    }
}

impl BodyLimits {
    /// The largest limit: what the router's own body limit is set to.
    pub fn max(&self) -> usize {
        self.upload.max(self.draft).max(self.form).max(self.other)
    }

    /// The limits with the upload class fitted to the largest file accepted.
    pub fn with_max_upload(self, max_upload_bytes: u64) -> Self {
        Self { upload: usize::try_from(max_upload_bytes).unwrap_or(usize::MAX).saturating_add(64 * 1024), ..self }
    }

    fn for_path(&self, path: &str) -> usize {
        if path == UPLOAD_PATH {
            self.upload
        } else if LARGE_BODY_ENDPOINTS.contains(&path) {
            self.draft
        } else if path.starts_with("/api/") {
            self.form
        } else {
            self.other
        }
    }
}

#[derive(Clone)]
pub struct Admission {
    per_client: usize,
    body_deadline: Duration,
    limits: BodyLimits,
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
}

impl Admission {
    pub fn new(per_client: usize, body_deadline: Duration, limits: BodyLimits) -> Self {
        Self { per_client: per_client.max(1), body_deadline, limits, in_flight: Arc::default() }
    }

    /// Takes a place for `client`, or says how many it holds already.
    fn enter(&self, client: &str) -> Option<ClientPlace> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        let held = in_flight.entry(client.to_owned()).or_default();
        if *held >= self.per_client {
            return None;
        }
        *held += 1;
        Some(ClientPlace { admission: self.clone(), client: client.to_owned() })
    }
}

/// One request's place among its client's; given back when the request ends, however
/// it ends (the map never keeps an address with nothing in flight).
struct ClientPlace {
    admission: Admission,
    client: String,
}

impl Drop for ClientPlace {
    fn drop(&mut self) {
        let mut in_flight = self.admission.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(held) = in_flight.get_mut(&self.client) {
            *held = held.saturating_sub(1);
            if *held == 0 {
                in_flight.remove(&self.client);
            }
        }
    }
}

fn refuse(status: StatusCode, retry_after: Option<&'static str>, text: &'static str) -> Response {
    let mut res = (status, [(header::CACHE_CONTROL, "no-store")], text).into_response();
    if let Some(secs) = retry_after {
        res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(secs));
    }
    res
}

pub async fn middleware(State(admission): State<Admission>, req: Request, next: Next) -> Response {
    let client = req.extensions().get::<ClientIp>().map(|ip| ip.0.clone()).unwrap_or_else(|| "unknown".to_owned());
    let Some(_place) = admission.enter(&client) else {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            Some("1"),
            "Too many requests at once from your address: nothing was changed, try again in a moment. / 同一地址同时请求过多，未做任何更改，请稍后重试。",
        );
    };
    let limit = admission.limits.for_path(req.uri().path());
    let announced = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return too_large();
    }
    // GET and HEAD carry no body worth waiting for; everything else is read first,
    // except an upload, which streams to storage within the request's time limit
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && announced.unwrap_or(0) == 0 {
        return next.run(req).await;
    }
    if req.uri().path() == UPLOAD_PATH {
        if announced.is_none() {
            return refuse(StatusCode::LENGTH_REQUIRED, None, "An upload must say its length. / 上传须声明长度。");
        }
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = match tokio::time::timeout(admission.body_deadline, to_bytes(body, limit)).await {
        Err(_) => {
            return refuse(
                StatusCode::REQUEST_TIMEOUT,
                None,
                "The request body arrived too slowly: nothing was changed, please send it again. / 请求内容传输过慢，未做任何更改，请重新提交。",
            )
        }
        Ok(Err(error)) if is_length_limit(&error) => return too_large(),
        Ok(Err(_)) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                None,
                "The request body could not be read: nothing was changed. / 无法读取请求内容，未做任何更改。",
            )
        }
        Ok(Ok(bytes)) => bytes,
    };
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        None,
        "The request is larger than this form accepts: shorten the text and send it again. / 提交内容超过此表单的上限，请删减后重新提交。",
    )
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_classes_have_their_own_body_limits() {
        let limits = BodyLimits::default();
        assert_eq!(limits.for_path("/api/publish_proposal"), limits.draft);
        assert_eq!(limits.for_path("/api/post_comment"), limits.form);
        assert_eq!(limits.for_path("/proposals/1"), limits.other);
        assert!(limits.draft >= 2_000_000, "a 200,000-character draft, form-encoded, fits");
    }

    #[test]
    fn one_address_holds_at_most_its_share_and_gives_it_back() {
        let admission = Admission::new(2, Duration::from_secs(1), BodyLimits::default());
        let a = admission.enter("198.51.100.7").expect("first");
        let b = admission.enter("198.51.100.7").expect("second");
        assert!(admission.enter("198.51.100.7").is_none(), "a third is refused");
        assert!(admission.enter("203.0.113.9").is_some(), "another address is not");
        drop(a);
        assert!(admission.enter("198.51.100.7").is_some(), "a place given back is free again");
        drop(b);
        assert!(admission.in_flight.lock().unwrap().get("198.51.100.7").is_none());
    }
}
