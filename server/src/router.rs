//! The HTTP router: Leptos pages and server functions, health, static files, and the
//! middleware stack around them.

use std::time::Duration;

use app::{app::{shell, App}, backend::AppState};
use axum::{
    extract::Extension,
    http::StatusCode,
    middleware,
    response::IntoResponse,
    routing::get,
    Json, Router,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer, timeout::TimeoutLayer, trace::TraceLayer,
};

pub fn build(state: AppState, options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    Router::new()
        .route("/healthz", get(healthz))
        .leptos_routes(&options, routes, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options)
        .layer(
            // outermost first
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(30)))
                .layer(Extension(state))
                .layer(middleware::from_fn(crate::middleware::security_headers))
                .layer(middleware::from_fn(crate::middleware::refuse_cross_site))
                .layer(middleware::from_fn(crate::middleware::client_ip))
                .layer(middleware::from_fn(crate::middleware::session))
                .layer(CompressionLayer::new()),
        )
}

/// Reports whether the database answers; 503 when it does not.
async fn healthz(Extension(state): Extension<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok", "database": state.db.kind() }))),
        Err(error) => {
            tracing::error!(error = ?error, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": state.db.kind() })),
            )
        }
    }
}
