//! Open data: a proposal's published comments as CSV (`/proposals/{id}/comments.csv`,
//! UTF-8 with a byte-order mark so that spreadsheet programs read Chinese correctly) and as
//! JSON Lines (`/proposals/{id}/comments.jsonl`). Both are streamed a page of rows at a
//! time ([`EXPORT_PAGE`]), so the server's memory does not grow with the proposal's size.
//! Hidden comments are never exported, and authors appear by display name only.

use app::backend::{
    store::export::{comments_page, ExportedComment, EXPORT_PAGE},
    AppState,
};
use axum::{
    body::{Body, Bytes},
    extract::Path,
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Csv,
    JsonLines,
}

const CSV_HEADER: [&str; 9] = ["id", "created_at", "version", "clause", "stance", "campaign", "author", "supports", "body"];

pub async fn csv(state: Extension<AppState>, id: Path<String>) -> Response {
    export(state.0, &id.0, Format::Csv).await
}

pub async fn jsonl(state: Extension<AppState>, id: Path<String>) -> Response {
    export(state.0, &id.0, Format::JsonLines).await
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
/// return first) gets a leading apostrophe in the CSV (OWASP, CSV injection); the JSON
/// Lines keep every text exactly.
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

fn encode(rows: &[ExportedComment], format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Csv => {
            let mut out = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::with_capacity(rows.len() * 256));
            for r in rows {
                let record = [
                    r.id.to_string(),
                    r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    r.version.to_string(),
                    r.clause.map(|c| c.to_string()).unwrap_or_default(),
                    r.stance.clone(),
                    r.campaign.map(|c| c.to_string()).unwrap_or_default(),
                    cell(&r.author).into_owned(),
                    r.supports.to_string(),
                    cell(&r.body).into_owned(),
                ];
                out.write_record(&record).map_err(|e| e.to_string())?;
            }
            out.into_inner().map_err(|e| e.to_string())
        }
        Format::JsonLines => {
            let mut out = Vec::with_capacity(rows.len() * 256);
            for r in rows {
                serde_json::to_writer(&mut out, r).map_err(|e| e.to_string())?;
                out.push(b'\n');
            }
            Ok(out)
        }
    }
}

async fn export(state: AppState, id: &str, format: Format) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return (StatusCode::BAD_REQUEST, "the proposal id in the address must be a number").into_response();
    };
    match state.db.proposal(id, state.now()).await {
        Ok(Some(_)) => {}
        Ok(None) => return (StatusCode::NOT_FOUND, "no published proposal has this id").into_response(),
        Err(error) => {
            tracing::error!(error = ?error, "reading a proposal for an export");
            return (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "5")], "storage unavailable, try again shortly")
                .into_response();
        }
    }
    let head: Vec<u8> = match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            if w.write_record(CSV_HEADER).is_err() {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            w.into_inner().unwrap_or_default()
        }
        Format::JsonLines => Vec::new(),
    };
    let db = state.db.clone();
    // (the next page starts after this id; the header still to send)
    let pages = futures::stream::unfold((Some(0_i64), Some(head)), move |(after, head)| {
        let db = db.clone();
        async move {
            if let Some(head) = head {
                return Some((Ok::<_, std::io::Error>(Bytes::from(head)), (after, None)));
            }
            let after = after?;
            match comments_page(&db, id, after, EXPORT_PAGE).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let next = if (rows.len() as i64) < EXPORT_PAGE { None } else { rows.last().map(|r| r.id) };
                    match encode(&rows, format) {
                        Ok(bytes) => Some((Ok(Bytes::from(bytes)), (next, None))),
                        Err(error) => {
                            tracing::error!(%error, "encoding an export");
                            Some((Err(std::io::Error::other("export failed")), (None, None)))
                        }
                    }
                }
                Err(error) => {
                    // the client sees a cut-off download, never a complete-looking file
                    tracing::error!(error = ?error, "reading comments for an export");
                    Some((Err(std::io::Error::other("export failed")), (None, None)))
                }
            }
        }
    });
    let (content_type, extension) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        Format::JsonLines => ("application/jsonl; charset=utf-8", "jsonl"),
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"proposal-{id}-comments.{extension}\"")),
            (header::CACHE_CONTROL, "public, max-age=60".to_owned()),
        ],
        Body::from_stream(pages),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_defused_in_csv_only() {
        assert_eq!(cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("支持"), "支持");
    }
}
