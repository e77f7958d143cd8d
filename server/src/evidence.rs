//! Evidence files over HTTP: the upload form's target and the download.
//!
//! An upload is a plain `multipart/form-data` form (it works without JavaScript): the
//! fields `owner` (assessment, mitigation, legality, hearing), `owner_id` and `next` (the page to
//! return to) come first, then `file`. The file streams through
//! [`FileStore::put_checked`], which judges it by its bytes and stores only what it
//! accepts; then one transaction records it with its audit entry
//! ([`service::gates::attach_file`]). When that transaction refuses or fails, the
//! object is deleted at once, so a refused file leaves nothing behind. The answer is a
//! redirect back to the page (with the refused rule in `file_error`), or JSON for a
//! client that asks for it.

use app::{
    api::safe_next,
    backend::{
        context::{Change, CurrentViewer, CHANGE_HEADER},
        files::{PutError, StoredFile},
        service::{
            gates::{attach_file, FileOwner, StoredFileRow},
            Actor, ServiceError,
        },
        AppState,
    },
    domain::{attachment::FileKind, gate::GateSubject, Rule},
};
use axum::{
    extract::{Multipart, Path, Query},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Extension, Json,
};

/// What went wrong with an upload, for the page or the JSON client.
enum Refusal {
    Rule(Rule),
    Status(StatusCode, &'static str),
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}

fn back(next: &str, rule: Option<&Rule>) -> Response {
    // the page without its query: an earlier refusal's `file_error` must not stay on it
    let next = safe_next(next);
    let next = next.split(['?', '#']).next().unwrap_or("/").to_owned();
    let target = match rule {
        Some(rule) => {
            let json = serde_json::to_string(rule).unwrap_or_default();
            format!("{next}?file_error={}#gates", app::components::layout::urlencode(&json))
        }
        None => format!("{next}#gates"),
    };
    Redirect::to(&target).into_response()
}

/// Tells the page cache which public page changed.
fn changed(mut res: Response, subject: GateSubject) -> Response {
    res.headers_mut().append(CHANGE_HEADER, Change::from(subject).header_value());
    res
}

pub async fn upload(
    Extension(state): Extension<AppState>,
    Extension(viewer): Extension<CurrentViewer>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let json = wants_json(&headers);
    let (mut owner, mut owner_id, mut next) = (String::new(), None::<i64>, String::from("/"));
    let Some(viewer) = viewer.0 else {
        return if json { StatusCode::UNAUTHORIZED.into_response() } else { Redirect::to("/signin").into_response() };
    };
    let Some(files) = state.files.clone() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "file storage is not configured").into_response();
    };
    let outcome: Result<(GateSubject, i64, StoredFile), Refusal> = async {
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => return Err(Refusal::Rule(Rule::FileEmpty)),
                Err(_) => return Err(Refusal::Status(StatusCode::BAD_REQUEST, "the form could not be read")),
            };
            match field.name().unwrap_or_default() {
                "owner" => owner = field.text().await.unwrap_or_default(),
                "owner_id" => owner_id = field.text().await.ok().and_then(|t| t.trim().parse().ok()),
                "next" => next = field.text().await.unwrap_or_default(),
                "file" => {
                    let target = owner_id.and_then(|id| FileOwner::parse(&owner, id));
                    let Some(target) = target else {
                        return Err(Refusal::Status(StatusCode::UNPROCESSABLE_ENTITY, "owner and owner_id come before the file"));
                    };
                    let name = field.file_name().unwrap_or("file").to_owned();
                    let stored = match files.put_checked(field, state.config.max_upload_bytes, &name, state.now()).await {
                        Ok(stored) => stored,
                        Err(PutError::Refused(rule)) => return Err(Refusal::Rule(rule)),
                        Err(PutError::Body(_)) => return Err(Refusal::Status(StatusCode::BAD_REQUEST, "the upload broke off")),
                        Err(error) => {
                            tracing::error!(error = %error, "storing an evidence file");
                            return Err(Refusal::Status(StatusCode::INTERNAL_SERVER_ERROR, "the file could not be stored"));
                        }
                    };
                    let row = StoredFileRow {
                        object_key: stored.key.clone(),
                        original_name: stored.original_name.clone(),
                        content_type: stored.kind.as_str().to_owned(),
                        size: stored.size,
                        sha256: stored.sha256.clone(),
                    };
                    let actor = Actor::new(&viewer, state.clock.as_ref());
                    return match attach_file(&state.db, &actor, target, &row).await {
                        Ok((subject, id)) => Ok((subject, id, stored)),
                        Err(error) => {
                            // nothing may stay stored for a refused or failed record
                            if let Err(delete) = files.delete(&stored.key).await {
                                tracing::error!(error = %delete, key = %stored.key, "deleting a refused upload; the sweeper will");
                            }
                            Err(match error {
                                ServiceError::Refused(mut errors) if !errors.is_empty() => Refusal::Rule(errors.remove(0).rule),
                                ServiceError::Refused(_) | ServiceError::NotFound => Refusal::Status(StatusCode::NOT_FOUND, "no such item"),
                                ServiceError::Limited(_) => {
                                    Refusal::Status(StatusCode::TOO_MANY_REQUESTS, "too many attempts, try again later")
                                }
                                ServiceError::Db(error) => {
                                    tracing::error!(error = ?error, "recording an evidence file");
                                    Refusal::Status(StatusCode::INTERNAL_SERVER_ERROR, "the file could not be recorded")
                                }
                            })
                        }
                    };
                }
                _ => {}
            }
        }
    }
    .await;
    match (outcome, json) {
        (Ok((subject, id, stored)), true) => {
            changed(Json(serde_json::json!({ "id": id, "sha256": stored.sha256, "size": stored.size })).into_response(), subject)
        }
        (Ok((subject, _, _)), false) => changed(back(&next, None), subject),
        (Err(Refusal::Rule(rule)), true) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Json(serde_json::json!({ "field": "file", "rule": rule }))).into_response()
        }
        (Err(Refusal::Rule(rule)), false) => back(&next, Some(&rule)),
        (Err(Refusal::Status(status, text)), _) => (status, [(header::CACHE_CONTROL, "no-store")], text).into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    inline: Option<u8>,
}

/// A stored evidence file, as an attachment (images may be shown inline), with its
/// checked type, `nosniff` and its SHA-256.
pub async fn download(
    Extension(state): Extension<AppState>,
    Extension(viewer): Extension<CurrentViewer>,
    Path(id): Path<String>,
    Query(query): Query<DownloadQuery>,
) -> Response {
    let Ok(id) = id.parse::<i64>() else { return StatusCode::NOT_FOUND.into_response() };
    let Some(files) = state.files.clone() else { return StatusCode::NOT_FOUND.into_response() };
    let record = match state.db.evidence_file(id).await {
        Ok(Some(record)) => record,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(error = ?error, "reading an evidence file's record");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // evidence of a draft is private to its agency, as the draft is
    let may_see = match record.hearing {
        // a hearing's materials: its participants, officers and organizers (everyone once
        // the report is out)
        Some(hearing) => {
            let reader = viewer.0.as_ref().map(|v| (v.id, v.has(app::domain::role::Role::Organizer)));
            match state.db.may_read_materials(hearing, reader).await {
                Ok(may) => may,
                Err(error) => {
                    tracing::error!(error = ?error, "checking who may read a hearing's materials");
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
            }
        }
        None => record.public || viewer.0.as_ref().is_some_and(|v| v.may_publish_for(record.agency_id)),
    };
    let Some(kind) = FileKind::parse(&record.kind).filter(|_| may_see) else { return StatusCode::NOT_FOUND.into_response() };
    let stored = StoredFile {
        key: record.object_key,
        kind,
        size: record.view.size as u64,
        sha256: record.view.sha256,
        original_name: record.view.name,
    };
    match files.download(&stored, query.inline == Some(1)).await {
        Ok(res) => res,
        Err(error) => {
            tracing::error!(error = %error, "reading an evidence file");
            StatusCode::NOT_FOUND.into_response()
        }
    }
}
