//! Prometheus metrics, served on their own address (`--metrics-bind`), never on the
//! public port: request latency as the server saw it, per route class and outcome;
//! requests in flight; requests shed; how long an action waited for its database
//! transaction; the pool's connections. The `metrics` facade records (the app crate
//! records the database waits through it too) and `metrics-exporter-prometheus` renders.
//!
//! One recorder per process, installed on first use, so that every server built in
//! one process (the tests build many) shares it.

use std::{sync::OnceLock, time::Instant};

use app::backend::AppState;
use axum::{
    extract::{Extension, Request},
    http::{header, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets, in seconds: fine below 10 ms (a kept page, a rendered page), then
/// up to the 30-second request timeout.
const BUCKETS: &[f64] = &[0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed the first time it is asked for. When another
/// recorder is already global (not in this program), metrics are kept but not recorded.
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), BUCKETS)
            .expect("the buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics shows nothing");
        }
        handle
    })
}

/// What kind of request a path is, for the latency histograms: few values, so that a
/// label never grows with the ids in paths.
pub fn route_class(method: &Method, path: &str) -> &'static str {
    let read = method == Method::GET || method == Method::HEAD;
    if path == "/healthz" {
        "health"
    } else if path.starts_with("/api/v1") {
        "api_v1"
    } else if path.starts_with("/api/") {
        if read {
            "server_fn_read"
        } else {
            "server_fn_write"
        }
    } else if path.starts_with("/pkg/") || path == "/favicon.ico" || path.starts_with("/public/") {
        "static"
    } else if path.starts_with("/feeds/") || path.ends_with(".ics") || path.ends_with(".json") {
        "feed"
    } else if path.ends_with(".csv") || path.ends_with(".jsonl") {
        "export"
    } else if path.starts_with("/files/") || path == crate::admission::UPLOAD_PATH {
        "file"
    } else if read {
        "page"
    } else {
        "form"
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// Counts a request in flight and records how long the server took to answer it (to its
/// headers: a streamed export's body is not timed), outermost, so a kept page and a
/// shed request are measured too. The recorder is installed when the router is built.
pub async fn track(req: Request, next: Next) -> Response {
    let class = route_class(req.method(), req.uri().path());
    let start = Instant::now();
    let in_flight = metrics::gauge!("minyi_http_requests_in_flight");
    in_flight.increment(1.0);
    let response = next.run(req).await;
    in_flight.decrement(1.0);
    metrics::histogram!("minyi_http_request_duration_seconds", "class" => class, "status" => status_class(response.status()))
        .record(start.elapsed().as_secs_f64());
    response
}

/// A request refused for want of room (503 at once).
pub fn shed() {
    metrics::counter!("minyi_http_requests_shed_total").increment(1);
}

async fn render(Extension(state): Extension<AppState>) -> Response {
    let (size, idle) = state.db.pool_connections();
    metrics::gauge!("minyi_db_pool_connections", "state" => "idle").set(idle as f64);
    metrics::gauge!("minyi_db_pool_connections", "state" => "in_use").set((size as usize).saturating_sub(idle) as f64);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle().render()).into_response()
}

/// The metrics listener's router: `GET /metrics`.
pub fn router(state: AppState) -> Router {
    handle();
    Router::new().route("/metrics", get(render)).layer(Extension(state))
}
