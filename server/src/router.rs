//! The HTTP router: Leptos pages and server functions, health, static files, and the
//! middleware stack around them.

use std::time::Duration;

use app::{
    app::{shell, App},
    backend::AppState,
};
use axum::{
    error_handling::HandleErrorLayer,
    extract::Extension,
    http::{header, StatusCode},
    middleware,
    response::IntoResponse,
    routing::get,
    Json, Router,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::{limit::GlobalConcurrencyLimitLayer, load_shed::LoadShedLayer, BoxError, ServiceBuilder};
use tower_http::{compression::CompressionLayer, timeout::TimeoutLayer, trace::TraceLayer};

pub fn build(state: AppState, options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    // what the request-tracking layer and the database record goes to /metrics
    crate::metrics::handle();
    let max_in_flight = state.config.max_in_flight;
    let pages = crate::page_cache::PageCache::new(state.config.page_cache, state.config.secure_cookies);
    let body_limits = crate::admission::BodyLimits::default().with_max_upload(state.config.max_upload_bytes);
    let admission = crate::admission::Admission::new(state.config.per_client_in_flight, state.config.body_deadline, body_limits);
    Router::new()
        .route(crate::admission::UPLOAD_PATH, axum::routing::post(crate::evidence::upload))
        .route("/files/{id}", get(crate::evidence::download))
        .route("/proposals/{id}/comments.csv", get(crate::export::csv))
        .route("/proposals/{id}/comments.jsonl", get(crate::export::jsonl))
        .route("/feeds/proposals.atom", get(crate::feeds::all))
        .route("/feeds/agencies/{file}", get(crate::feeds::agency))
        .route("/feeds/domains/{file}", get(crate::feeds::domain))
        .route("/hearings.ics", get(crate::ical::feed))
        .route("/hearings/{id}/calendar.ics", get(crate::ical::one))
        .route("/hearings/{id}/draw.json", get(crate::ical::draw))
        .route("/penalties/{id}/draw.json", get(crate::ical::panel_draw))
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options)
        .merge(crate::api_v1::router(state.config.api_per_minute))
        // set here, not left to a dependency's default; the admission layer holds each
        // route class to its own, smaller limit
        .layer(axum::extract::DefaultBodyLimit::max(body_limits.max()))
        // Load shedding: one count of requests in flight shared by every route (a
        // per-route limit would multiply it); when it is full a request is answered 503
        // at once rather than queued behind work the server cannot finish in time.
        // Health checks (added below) stay outside so operators can see the service.
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(shed))
                .layer(LoadShedLayer::new())
                .layer(GlobalConcurrencyLimitLayer::new(max_in_flight)),
        )
        .route("/healthz", get(healthz))
        .layer(
            // outermost first
            ServiceBuilder::new()
                // outermost: every request's latency as the server saw it, kept pages too
                .layer(middleware::from_fn(crate::metrics::track))
                // first: a kept page is sent before any other work (it carries its own
                // security headers and gzip form)
                .layer(middleware::from_fn_with_state(pages, crate::page_cache::middleware))
                .layer(TraceLayer::new_for_http())
                .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30)))
                .layer(Extension(state))
                .layer(middleware::from_fn(crate::middleware::security_headers))
                .layer(CompressionLayer::new())
                .layer(middleware::from_fn(crate::middleware::refuse_cross_site))
                .layer(middleware::from_fn(crate::middleware::malformed_arguments_are_400))
                .layer(middleware::from_fn(crate::middleware::client_ip))
                // before a request may take a place in flight: its client's share, and
                // its whole body, bounded in size and time
                .layer(middleware::from_fn_with_state(admission, crate::admission::middleware))
                .layer(middleware::from_fn(crate::middleware::session)),
        )
}

/// The answer to a request the server had no room for. Nothing was done, so the
/// client may retry; browsers show the text.
async fn shed(error: BoxError) -> impl IntoResponse {
    if error.is::<tower::load_shed::error::Overloaded>() {
        crate::metrics::shed();
    } else {
        tracing::error!(error = %error, "middleware error");
    }
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "1"), (header::CACHE_CONTROL, "no-store")],
        "民意 is busy: nothing was changed, please try again in a moment. / 服务繁忙，未做任何更改，请稍后重试。",
    )
}

/// Reports whether the database answers; 503 when it does not.
async fn healthz(Extension(state): Extension<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok", "database": state.db.kind() }))),
        Err(error) => {
            tracing::error!(error = ?error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "database": state.db.kind() })))
        }
    }
}
