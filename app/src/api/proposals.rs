//! Proposals: list, read, publish.

use leptos::prelude::*;

use super::types::{Agency, DiffRow, Page, ProposalDetail, ProposalSummary, VersionView};
use crate::{domain::proposal::WindowPhase, error::AppError};

#[cfg(feature = "ssr")]
use crate::{
    backend::{
        context, markdown,
        service::{proposals as service, Actor},
        store::proposals::ListCursor,
    },
    domain::{
        proposal::{parse_domains, CommentWindow, ProposalFilter, ProposalKind},
        role::Role,
        rule::Errors,
        text::{ProposalBody, Title},
        time::parse_local_input,
        Rule,
    },
};

pub const LIST_PAGE_SIZE: i64 = 20;

/// Renders a draft's text into clauses off the async workers, within the render budget;
/// a text too complex to render is a field error on the body.
#[cfg(feature = "ssr")]
async fn render_body(body: &str) -> Result<Vec<markdown::RenderedClause>, AppError> {
    let body = body.to_owned();
    markdown::within_budget(move || markdown::render_clauses(&body)).await.map_err(|rule| AppError::field("body", rule))
}

/// Parses an optional comment window from a form: none when both times are empty.
#[cfg(feature = "ssr")]
fn parse_window(errors: &mut Errors, opens_at: &str, closes_at: &str, short_reason: &str) -> Option<CommentWindow> {
    let opens = errors.check("opens_at", parse_local_input(opens_at));
    let closes = errors.check("closes_at", parse_local_input(closes_at));
    match (opens, closes) {
        (Some(opens), Some(closes)) => match CommentWindow::parse(opens, closes, short_reason) {
            Ok(window) => Some(window),
            Err((field, rule)) => {
                errors.push(field, rule);
                None
            }
        },
        _ => None,
    }
}

/// Reads a list filter from its query fields and checks that its agency exists; a bad
/// value is a field error (which a list answers with 400).
#[cfg(feature = "ssr")]
pub(crate) async fn read_filter(
    state: &crate::backend::AppState,
    agency: &str,
    domain: &str,
    kind: &str,
    errors: &mut Errors,
) -> Result<ProposalFilter, AppError> {
    let filter = ProposalFilter::parse(agency, domain, kind, errors);
    if let Some(id) = filter.agency_id {
        if state.db.agency(id).await.map_err(context::db_error)?.is_none() {
            errors.push("agency", Rule::UnknownAgency);
        }
    }
    Ok(filter)
}

/// One page of the published proposals in a phase, narrowed by agency, domain and kind
/// (each "" for any); an unknown value or cursor answers 400 naming the field.
#[server(endpoint = "proposals")]
pub async fn list_proposals(
    phase: WindowPhase,
    #[server(default)] after: String,
    #[server(default)] agency: String,
    #[server(default)] domain: String,
    #[server(default)] kind: String,
) -> Result<Page<ProposalSummary>, AppError> {
    context::with_query_status(
        async {
            let state = context::state()?;
            let mut errors = Errors::new();
            let filter = read_filter(&state, &agency, &domain, &kind, &mut errors).await?;
            let cursor = match after.trim() {
                "" => None,
                raw => errors.check("after", ListCursor::decode(raw).ok_or(Rule::UnknownChoice)),
            };
            errors.into_result()?;
            let rows = state
                .db
                .list_proposals(phase, filter, cursor.as_ref(), LIST_PAGE_SIZE + 1, state.now())
                .await
                .map_err(context::db_error)?;
            Ok(Page::cut(rows, LIST_PAGE_SIZE, |(_, c)| c.encode()).map(|(s, _)| s))
        }
        .await,
    )
}

#[server(endpoint = "proposal")]
pub async fn get_proposal(id: i64) -> Result<ProposalDetail, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let detail = state.db.proposal_or_draft(id, state.now()).await.map_err(context::db_error)?.ok_or(AppError::NotFound)?;
            // a draft is private to the officials of its agency
            let may_see = detail.published || context::viewer().map(|v| v.may_publish_for(detail.summary.agency.id)).unwrap_or(false);
            if may_see {
                Ok(detail)
            } else {
                Err(AppError::NotFound)
            }
        }
        .await,
    )
}

#[server(endpoint = "agencies")]
pub async fn list_agencies() -> Result<Vec<Agency>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            state.db.agency_list().await.map_err(context::db_error)
        }
        .await,
    )
}

/// An official saves a draft of their agency privately; it is previewed exactly as it
/// will look, then published with `publish_draft`.
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
            let (official, state) = context::acting(Role::Official)?;
            let mut errors = Errors::new();
            let title = errors.check("title", Title::parse(&title));
            let kind = errors.check("kind", ProposalKind::parse(&kind));
            let domains = errors.check("domains", parse_domains(&domains));
            let body = errors.check("body", ProposalBody::parse(&body));
            let window = parse_window(&mut errors, &opens_at, &closes_at, &short_reason);
            errors.into_result()?;
            let (Some(title), Some(kind), Some(domains), Some(body), Some(window)) = (title, kind, domains, body, window) else {
                return Err(AppError::Internal);
            };
            let clauses = render_body(body.as_str()).await?;
            let input = service::DraftInput { kind, title: title.into_inner(), domains, body_md: body.into_inner(), clauses, window };
            let id = service::create_draft(&state.db, &Actor::new(&official, state.clock.as_ref()), input).await?;
            leptos_axum::redirect(&format!("/proposals/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// Makes a previewed draft public (the official of its agency only).
#[server(endpoint = "publish_draft")]
pub async fn publish_draft(id: i64) -> Result<(), AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            service::publish_draft(&state.db, &Actor::new(&official, state.clock.as_ref()), id).await?;
            context::changed(context::Change::Proposal(id));
            leptos_axum::redirect(&format!("/proposals/{id}"));
            Ok(())
        }
        .await,
    )
}

/// One version of a published proposal's text (older ones stay readable).
#[server(endpoint = "version")]
pub async fn get_version(proposal_id: i64, number: u32) -> Result<VersionView, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let detail = state.db.proposal(proposal_id, state.now()).await.map_err(context::db_error)?.ok_or(AppError::NotFound)?;
            let clauses = state.db.version_clauses(proposal_id, number).await.map_err(context::db_error)?;
            if clauses.is_empty() {
                return Err(AppError::NotFound);
            }
            Ok(VersionView {
                proposal_id,
                title: detail.summary.title,
                number,
                current: detail.version,
                clauses: clauses.into_iter().map(|(c, _)| c).collect(),
            })
        }
        .await,
    )
}

/// What changed from version `number - 1` to `number`, clause by clause.
#[server(endpoint = "version_diff")]
pub async fn version_diff(proposal_id: i64, number: u32) -> Result<Vec<DiffRow>, AppError> {
    use crate::domain::diff::{diff_clauses, ClauseChange};
    context::with_status(
        async {
            if number < 2 {
                return Err(AppError::NotFound);
            }
            let state = context::state()?;
            state.db.proposal(proposal_id, state.now()).await.map_err(context::db_error)?.ok_or(AppError::NotFound)?;
            let old = state.db.version_clauses(proposal_id, number - 1).await.map_err(context::db_error)?;
            let new = state.db.version_clauses(proposal_id, number).await.map_err(context::db_error)?;
            if new.is_empty() {
                return Err(AppError::NotFound);
            }
            // stored when the version was published; computed here only for versions
            // published before changes were stored
            let stored = state.db.version_changes(proposal_id, number).await.map_err(context::db_error)?;
            let changes: Vec<ClauseChange> = match stored.as_deref().map(serde_json::from_str) {
                Some(Ok(changes)) => changes,
                _ => {
                    let old_text: Vec<String> = old.iter().map(|(_, p)| p.clone()).collect();
                    let new_text: Vec<String> = new.iter().map(|(_, p)| p.clone()).collect();
                    diff_clauses(&old_text, &new_text)
                }
            };
            let html = |list: &[(super::types::Clause, String)], n: u32| list.get(n as usize - 1).map(|(c, _)| c.html.clone());
            Ok(changes
                .into_iter()
                .map(|change| {
                    let (old_html, new_html) = match &change {
                        ClauseChange::Unchanged { old: o, new: n } | ClauseChange::Changed { old: o, new: n } => {
                            (html(&old, *o), html(&new, *n))
                        }
                        ClauseChange::Added { new: n } => (None, html(&new, *n)),
                        ClauseChange::Removed { old: o } => (html(&old, *o), None),
                    };
                    DiffRow { change, old_html, new_html }
                })
                .collect())
        }
        .await,
    )
}

/// The current text in Markdown, for the agency's official to revise.
#[server(endpoint = "current_body")]
pub async fn current_body(proposal_id: i64) -> Result<String, AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let detail = state.db.proposal(proposal_id, state.now()).await.map_err(context::db_error)?.ok_or(AppError::NotFound)?;
            if !official.may_publish_for(detail.summary.agency.id) {
                return Err(AppError::field("form", Rule::NotYourAgency));
            }
            state.db.current_body(proposal_id).await.map_err(context::db_error)?.ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// Publishes a new version of a published proposal's text.
#[server(endpoint = "publish_version")]
pub async fn publish_version(
    proposal_id: i64,
    body: String,
    #[server(default)] opens_at: String,
    #[server(default)] closes_at: String,
    #[server(default)] short_reason: String,
) -> Result<u32, AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let mut errors = Errors::new();
            let body = errors.check("body", ProposalBody::parse(&body));
            // a new comment window is given only after the old one closed
            let window = if opens_at.trim().is_empty() && closes_at.trim().is_empty() {
                None
            } else {
                parse_window(&mut errors, &opens_at, &closes_at, &short_reason)
            };
            errors.into_result()?;
            let body = body.ok_or(AppError::Internal)?;
            let clauses = render_body(body.as_str()).await?;
            let actor = Actor::new(&official, state.clock.as_ref());
            let number = service::publish_version(&state.db, &actor, proposal_id, body.as_str(), &clauses, window).await?;
            context::changed(context::Change::Proposal(proposal_id));
            leptos_axum::redirect(&format!("/proposals/{proposal_id}/versions/{number}/diff"));
            Ok(number)
        }
        .await,
    )
}

/// One decision as the feedback form sends it: `target` is `clause:N` or `group:ID`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeedbackItemInput {
    pub target: String,
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// The agency's official publishes how comments were used, after the window closed.
#[server(endpoint = "publish_feedback")]
pub async fn publish_feedback(
    proposal_id: i64,
    #[server(default)] summary: String,
    #[server(default)] items: Vec<FeedbackItemInput>,
) -> Result<(), AppError> {
    use crate::domain::feedback::parse_item;
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let mut errors = Errors::new();
            let summary = errors.check("summary", crate::domain::text::Explanation::parse(&summary));
            let mut parsed = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match parse_item(&item.target, &item.decision, &item.reason) {
                    Ok(Some(item)) => parsed.push(item),
                    Ok(None) => {}
                    Err((field, rule)) => errors.push(&format!("items[{i}].{field}"), rule),
                }
            }
            if parsed.is_empty() {
                errors.push("form", Rule::FeedbackEmpty);
            }
            errors.into_result()?;
            let summary = summary.ok_or(AppError::Internal)?;
            let actor = Actor::new(&official, state.clock.as_ref());
            service::publish_feedback(&state.db, &actor, proposal_id, summary.as_str(), &parsed).await?;
            context::changed(context::Change::Proposal(proposal_id));
            leptos_axum::redirect(&format!("/proposals/{proposal_id}#feedback"));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "feedback")]
pub async fn get_feedback(proposal_id: i64) -> Result<Option<super::types::FeedbackView>, AppError> {
    context::with_status(async { context::state()?.db.feedback(proposal_id).await.map_err(context::db_error) }.await)
}

/// The campaign groups to decide on in the feedback form.
#[server(endpoint = "campaigns")]
pub async fn list_campaigns(proposal_id: i64) -> Result<Vec<(i64, i64, Option<String>)>, AppError> {
    context::with_status(async { context::state()?.db.campaigns(proposal_id, 50).await.map_err(context::db_error) }.await)
}

/// Adoption: refused, naming every unmet gate, until each has its evidence. No role
/// can bypass a gate.
#[server(endpoint = "adopt")]
pub async fn adopt_proposal(proposal_id: i64) -> Result<(), AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            service::adopt(&state.db, &Actor::new(&official, state.clock.as_ref()), proposal_id).await?;
            context::changed(context::Change::Proposal(proposal_id));
            Ok(())
        }
        .await,
    )
}

/// Extends an open (or upcoming) comment window, with a public reason; never shortens it.
#[server(endpoint = "extend_window")]
pub async fn extend_window(proposal_id: i64, closes_at: String, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let new_close = parse_local_input(&closes_at).map_err(|rule| AppError::field("closes_at", rule))?;
            service::extend_window(&state.db, &Actor::new(&official, state.clock.as_ref()), proposal_id, new_close, &reason).await?;
            context::changed(context::Change::Proposal(proposal_id));
            Ok(())
        }
        .await,
    )
}

/// Records another consultation method (forum, expert argumentation, ...) with minutes.
#[server(endpoint = "record_event")]
pub async fn record_event(
    proposal_id: i64,
    kind: String,
    held_at: String,
    title: String,
    #[server(default)] minutes: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let mut errors = Errors::new();
            let kind = errors.check("kind", crate::domain::proposal::EventKind::parse(&kind));
            let held_at = errors.check("held_at", parse_local_input(&held_at));
            let title = errors.check("title", Title::parse(&title));
            let minutes =
                errors.check("minutes", crate::domain::text::Minutes::parse(&minutes).map(crate::domain::text::Minutes::into_inner));
            errors.into_result()?;
            let (Some(kind), Some(held_at), Some(title), Some(minutes)) = (kind, held_at, title, minutes) else {
                return Err(AppError::Internal);
            };
            let actor = Actor::new(&official, state.clock.as_ref());
            let minutes_html = {
                let minutes = minutes.clone();
                markdown::within_budget(move || markdown::render(&minutes)).await.map_err(|rule| AppError::field("minutes", rule))?
            };
            service::record_event(&state.db, &actor, proposal_id, kind, held_at, title.as_str(), &minutes_html).await?;
            context::changed(context::Change::Proposal(proposal_id));
            Ok(())
        }
        .await,
    )
}

/// Withdraws a proposal (before adoption), with a public reason.
#[server(endpoint = "withdraw")]
pub async fn withdraw_proposal(proposal_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let reason = crate::domain::text::Reason::parse(&reason).map_err(|rule| AppError::field("reason", rule))?;
            service::withdraw(&state.db, &Actor::new(&official, state.clock.as_ref()), proposal_id, reason.as_str()).await?;
            context::changed(context::Change::Proposal(proposal_id));
            leptos_axum::redirect(&format!("/proposals/{proposal_id}"));
            Ok(())
        }
        .await,
    )
}

/// The server's clock (forms default their dates from it, the same on both renders).
#[server(endpoint = "now")]
pub async fn server_now() -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    Ok(context::state()?.now())
}
