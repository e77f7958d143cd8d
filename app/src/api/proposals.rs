//! Proposals: list, read, publish.

use leptos::prelude::*;

use super::types::{Agency, Page, ProposalDetail, ProposalSummary};
use crate::{domain::proposal::WindowPhase, error::AppError};

#[cfg(feature = "ssr")]
use crate::{
    backend::{context, markdown, store::proposals::{ListCursor, NewProposal}},
    domain::{
        proposal::{parse_domains, CommentWindow, ProposalKind},
        role::Role,
        rule::Errors,
        text::{ProposalBody, Title},
        time::parse_local_input,
        Rule,
    },
};

pub const LIST_PAGE_SIZE: i64 = 20;

#[server(endpoint = "proposals")]
pub async fn list_proposals(phase: WindowPhase, after: Option<String>) -> Result<Page<ProposalSummary>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let cursor = after.as_deref().and_then(ListCursor::decode);
            let mut rows = state
                .db
                .list_proposals(phase, cursor.as_ref(), LIST_PAGE_SIZE + 1, context::now())
                .await
                .map_err(context::db_error)?;
            let next = if rows.len() as i64 > LIST_PAGE_SIZE {
                rows.truncate(LIST_PAGE_SIZE as usize);
                rows.last().map(|(_, c)| c.encode())
            } else {
                None
            };
            Ok(Page { items: rows.into_iter().map(|(s, _)| s).collect(), next })
        }
        .await,
    )
}

#[server(endpoint = "proposal")]
pub async fn get_proposal(id: i64) -> Result<ProposalDetail, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            state.db.proposal(id, context::now()).await.map_err(context::db_error)?.ok_or(AppError::NotFound)
        }
        .await,
    )
}

#[server(endpoint = "agencies")]
pub async fn list_agencies() -> Result<Vec<Agency>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            Ok(state
                .db
                .agencies()
                .await
                .map_err(context::db_error)?
                .into_iter()
                .map(|a| Agency { id: a.id, name_zh: a.name_zh, name_en: a.name_en })
                .collect())
        }
        .await,
    )
}

/// An official publishes a draft of their agency for comment.
#[server(endpoint = "publish_proposal")]
#[allow(clippy::too_many_arguments)]
pub async fn publish_proposal(
    title: String,
    kind: String,
    #[server(default)] domains: Vec<String>,
    body: String,
    opens_at: String,
    closes_at: String,
    #[server(default)] short_reason: String,
) -> Result<i64, AppError> {
    context::with_status(
        async {
            let official = context::require(Role::Official)?;
            let Some(agency_id) = official.agency_id else {
                return Err(AppError::field("agency", Rule::NotYourAgency));
            };
            let mut errors = Errors::new();
            let title = errors.check("title", Title::parse(&title));
            let kind = errors.check("kind", ProposalKind::parse(&kind));
            let domains = errors.check("domains", parse_domains(&domains));
            let body = errors.check("body", ProposalBody::parse(&body));
            let opens = errors.check("opens_at", parse_local_input(&opens_at));
            let closes = errors.check("closes_at", parse_local_input(&closes_at));
            let window = match (opens, closes) {
                (Some(opens), Some(closes)) => match CommentWindow::parse(opens, closes, &short_reason) {
                    Ok(window) => Some(window),
                    Err((field, rule)) => {
                        errors.push(field, rule);
                        None
                    }
                },
                _ => None,
            };
            errors.into_result()?;
            let (Some(title), Some(kind), Some(domains), Some(body), Some(window)) = (title, kind, domains, body, window) else {
                return Err(AppError::Internal);
            };
            let clauses = markdown::render_clauses(body.as_str());
            let state = context::state()?;
            let id = state
                .db
                .create_proposal(
                    &NewProposal {
                        agency_id,
                        kind,
                        title: title.into_inner(),
                        domains,
                        body_md: body.into_inner(),
                        clauses,
                        window,
                        created_by: official.id,
                    },
                    context::now(),
                )
                .await
                .map_err(context::db_error)?;
            leptos_axum::redirect(&format!("/proposals/{id}"));
            Ok(id)
        }
        .await,
    )
}
