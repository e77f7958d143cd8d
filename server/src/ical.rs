//! Hearings for other programs: the feed of every public hearing (`/hearings.ics`, to
//! subscribe to) and the file of one hearing (`/hearings/{id}/calendar.ics`, to import),
//! made by [`app::domain::ical`], which escapes and folds the text per RFC 5545; and a
//! published draw as JSON (`/hearings/{id}/draw.json`), for anyone to re-run it.

use app::{
    backend::AppState,
    domain::{
        hearing::HearingStatus,
        ical::{calendar, CalendarEvent, EventStatus},
    },
    model::HearingSummary,
};
use axum::{
    extract::Path,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension, Json,
};
use chrono::Duration;

/// The site's own address as the client reached it, for the events' links.
pub fn origin(headers: &HeaderMap, state: &AppState) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)));
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{}", host.unwrap_or("localhost"))
}

fn event(h: &HearingSummary, origin: &str) -> CalendarEvent {
    let host = origin.split("://").nth(1).unwrap_or("minyi");
    CalendarEvent {
        uid: format!("hearing-{}@{}", h.id, host.split(':').next().unwrap_or(host)),
        sequence: h.revision.clamp(0, i64::from(u32::MAX)) as u32,
        stamp: h.updated_at,
        start: h.starts_at,
        end: h.ends_at,
        summary: format!("听证会：{}", h.proposal_title),
        location: h.venue.clone(),
        description: format!("{}\n{origin}/hearings/{}", h.proposal_title, h.id),
        url: Some(format!("{origin}/hearings/{}", h.id)),
        status: match h.status {
            HearingStatus::Cancelled => EventStatus::Cancelled,
            HearingStatus::Scheduled => EventStatus::Tentative,
            _ => EventStatus::Confirmed,
        },
    }
}

fn ics(body: String, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// Every public hearing from 90 days ago to two years ahead.
pub async fn feed(Extension(state): Extension<AppState>, headers: HeaderMap) -> Response {
    let now = state.now();
    let hearings = match state.db.hearings_between(now - Duration::days(90), now + Duration::days(731), false, 1000).await {
        Ok(list) => list,
        Err(error) => {
            tracing::error!(error = ?error, "reading hearings for the calendar feed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let origin = origin(&headers, &state);
    let events: Vec<CalendarEvent> = hearings.iter().map(|h| event(h, &origin)).collect();
    ics(calendar("民意 · 听证会 / Minyi hearings", &events), "hearings.ics")
}

/// One public hearing.
pub async fn one(Extension(state): Extension<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let hearing = match state.db.hearing_summary(id).await {
        Ok(Some(h)) if h.status.is_public() => h,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(error = ?error, "reading a hearing for its calendar file");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let origin = origin(&headers, &state);
    ics(calendar("民意 · 听证会 / Minyi hearings", &[event(&hearing, &origin)]), &format!("hearing-{id}.ics"))
}

/// The published draw: algorithm, seed, commitment, seats, the ordered applicant list and
/// the outcome (and whether this server's re-run agrees), as JSON.
pub async fn draw(Extension(state): Extension<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    match state.db.hearing_draw(id).await {
        Ok(Some(record)) => ([(header::CACHE_CONTROL, "public, max-age=300")], Json(record)).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(error = ?error, "reading a published draw");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The published panel draw of a penalty case: algorithm, seed, commitment, size, the
/// eligible reviewers' numbers in order, the exclusions and the outcome, as JSON.
pub async fn panel_draw(Extension(state): Extension<AppState>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    match state.db.penalty_draw(id).await {
        Ok(Some(record)) => ([(header::CACHE_CONTROL, "public, max-age=300")], Json(record)).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(error = ?error, "reading a published panel draw");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
