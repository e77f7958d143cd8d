//! Hooks for the browser journeys, mounted only by `serve --test-clock` on a loopback
//! address: move the server's clock forward (a hearing's steps are weeks apart) and load
//! demo applicants at the server's time. Never part of a production server's routes.

use std::sync::Arc;

use app::backend::{
    clock::{Clock, OffsetClock},
    demo, AppState,
};
use axum::{
    extract::Query,
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};

#[derive(serde::Deserialize)]
struct Advance {
    days: i64,
}

#[derive(serde::Deserialize)]
struct Applicants {
    hearing: i64,
    count: u32,
    #[serde(default)]
    low_income_percent: u32,
}

pub fn routes(clock: Arc<OffsetClock>, state: AppState) -> Router {
    let read = clock.clone();
    let moved = clock.clone();
    Router::new()
        .route("/test/clock", get(move || async move { Json(serde_json::json!({ "now": read.now() })) }))
        .route(
            "/test/clock",
            post(move |Query(q): Query<Advance>| async move {
                moved.advance(chrono::Duration::days(q.days.clamp(0, 400)));
                Json(serde_json::json!({ "now": moved.now() }))
            }),
        )
        .route(
            "/test/hearing-applicants",
            post(move |Query(q): Query<Applicants>| async move {
                let now = state.now();
                match demo::load_applicants(&state.db, q.hearing, q.count.min(2000), q.low_income_percent, now).await {
                    Ok(applied) => Json(serde_json::json!({ "applied": applied })).into_response(),
                    Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response() as Response,
                }
            }),
        )
}
