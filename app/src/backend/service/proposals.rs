//! Actions on proposals: draft, publish, new versions, window extensions, other
//! consultation methods, the feedback report, adoption and withdrawal.

use chrono::{DateTime, Utc};

use super::{Actor, ServiceError, ServiceResult};
use crate::{
    backend::{
        db::Tx,
        markdown::RenderedClause,
        store::{
            audit, feedback, gates,
            proposals::{self as store, NewProposal, ProposalState},
        },
        Db,
    },
    domain::{
        audit::{Event, Subject},
        feedback::{FeedbackItem, FeedbackTarget},
        gate::{self, Evidence, GateSubject},
        lifecycle::{self, ProposalStatus},
        proposal::{CommentWindow, EventKind},
        Rule,
    },
};

/// The proposal, read in the action's transaction, if the actor is an official of its
/// agency: the check every action on a proposal starts with.
async fn load_for_agency(tx: &mut Tx, actor: &Actor<'_>, id: i64) -> ServiceResult<ProposalState> {
    let state = store::load_state(tx, id, true).await?.ok_or(ServiceError::NotFound)?;
    if !actor.viewer.may_publish_for(state.agency_id) {
        // a draft is private: to anyone else it does not exist
        if !state.status.is_public() {
            return Err(ServiceError::NotFound);
        }
        return Err(ServiceError::rule("form", Rule::NotYourAgency));
    }
    Ok(state)
}

/// What a draft is made of, parsed.
pub struct DraftInput {
    pub kind: crate::domain::proposal::ProposalKind,
    pub title: String,
    pub domains: Vec<crate::domain::proposal::PolicyDomain>,
    pub body_md: String,
    pub clauses: Vec<RenderedClause>,
    pub window: CommentWindow,
}

/// An official saves a draft for their agency, to preview it privately.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn create_draft(db: &Db, actor: &Actor<'_>, input: DraftInput) -> ServiceResult<i64> {
    let agency_id = actor.viewer.agency_id.filter(|_| actor.viewer.has(crate::domain::role::Role::Official));
    let Some(agency_id) = agency_id else {
        return Err(ServiceError::rule("agency", Rule::NotYourAgency));
    };
    lifecycle::window_opens_after_publication(&input.window, actor.now)?;
    let mut tx = db.begin_write().await?;
    let proposal = NewProposal {
        agency_id,
        kind: input.kind,
        title: input.title,
        domains: input.domains,
        body_md: input.body_md,
        clauses: input.clauses,
        window: input.window,
        created_by: actor.id(),
        draft: true,
    };
    let id = store::insert_draft(&mut tx, &proposal, actor.now).await?;
    let event = Event::ProposalDrafted {
        title: proposal.title,
        kind: proposal.kind,
        domains: proposal.domains,
        opens_at: proposal.window.opens_at,
        closes_at: proposal.window.closes_at,
        short_window_reason: proposal.window.short_reason,
    };
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Proposal(id), &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Makes a previewed draft public: its window must not have begun before now.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = id))]
pub async fn publish_draft(db: &Db, actor: &Actor<'_>, id: i64) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let state = load_for_agency(&mut tx, actor, id).await?;
    let next = lifecycle::publish_draft(state.status, &state.window, actor.now)?;
    transition(&mut tx, &state, next, actor.now).await?;
    let event = Event::ProposalPublished { opens_at: state.window.opens_at, closes_at: state.window.closes_at };
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Proposal(id), &event).await?;
    tx.commit().await?;
    Ok(())
}

async fn transition(tx: &mut Tx, state: &ProposalState, next: ProposalStatus, now: DateTime<Utc>) -> ServiceResult<()> {
    if !store::set_status(tx, state.id, state.status, next, now).await? {
        // another action changed it between our read and write (PostgreSQL's row lock
        // makes this rare): refuse rather than overwrite
        return Err(ServiceError::rule("form", Rule::NotInState { status: state.status }));
    }
    Ok(())
}

/// A new version of the published text. While the window is open it keeps the window;
/// after it closed, `new_window` is required and must not open before now.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = id))]
pub async fn publish_version(
    db: &Db,
    actor: &Actor<'_>,
    id: i64,
    body_md: &str,
    clauses: &[RenderedClause],
    new_window: Option<CommentWindow>,
) -> ServiceResult<u32> {
    let mut tx = db.begin_write().await?;
    let state = load_for_agency(&mut tx, actor, id).await?;
    lifecycle::publish_version(state.status, state.window.phase(actor.now), new_window.as_ref(), actor.now)?;
    let number = state.current_version + 1;
    // the changes from the current version, computed once here and served as stored
    let old = store::version_plain(&mut tx, id, state.current_version).await?;
    let new: Vec<String> = clauses.iter().map(|c| c.plain.clone()).collect();
    let changes = serde_json::to_string(&crate::domain::diff::diff_clauses(&old, &new)).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    store::insert_version(&mut tx, id, number, body_md, clauses, Some(&changes), actor.now).await?;
    if let Some(window) = &new_window {
        store::set_window(&mut tx, id, window).await?;
    }
    let event = Event::VersionPublished {
        version: number,
        clauses: clauses.len() as u32,
        window: new_window.as_ref().map(|w| (w.opens_at, w.closes_at)),
        short_window_reason: new_window.and_then(|w| w.short_reason),
    };
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Proposal(id), &event).await?;
    tx.commit().await?;
    Ok(number)
}

/// Extends the window with a public reason; never shortens it.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = id))]
pub async fn extend_window(db: &Db, actor: &Actor<'_>, id: i64, closes_at: DateTime<Utc>, reason: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let state = load_for_agency(&mut tx, actor, id).await?;
    lifecycle::extend_window(state.status)?;
    let (to, reason) = state.window.extend(closes_at, reason, actor.now)?;
    let from = state.window.closes_at;
    if !store::extend_window(&mut tx, id, from, to, &reason, actor.id(), actor.now).await? {
        return Err(ServiceError::rule("closes_at", Rule::WindowCannotShorten));
    }
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Proposal(id), &Event::WindowExtended { from, to, reason }).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a forum, expert argumentation, questionnaire or public notice with minutes.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = id))]
pub async fn record_event(
    db: &Db,
    actor: &Actor<'_>,
    id: i64,
    kind: EventKind,
    held_at: DateTime<Utc>,
    title: &str,
    minutes_html: &str,
) -> ServiceResult<i64> {
    let mut tx = db.begin_write().await?;
    let state = load_for_agency(&mut tx, actor, id).await?;
    lifecycle::record_event(state.status)?;
    let event_id = store::insert_event(&mut tx, id, kind, held_at, title, minutes_html, actor.id(), actor.now).await?;
    let event = Event::ConsultationRecorded { kind, title: title.to_owned(), held_at };
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Proposal(id), &event).await?;
    tx.commit().await?;
    Ok(event_id)
}

/// The feedback report: once, after the window closed; every clause it names exists in
/// the current version and every group it names belongs to this proposal.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = id))]
pub async fn publish_feedback(db: &Db, actor: &Actor<'_>, id: i64, summary: &str, items: &[FeedbackItem]) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let state = load_for_agency(&mut tx, actor, id).await?;
    let next = lifecycle::publish_feedback(state.status, state.window.phase(actor.now)).map_err(|rule| ServiceError::rule("form", rule))?;
    let groups: Vec<i64> = items.iter().filter_map(|i| if let FeedbackTarget::Group(g) = i.target { Some(g) } else { None }).collect();
    let known = feedback::groups_of_proposal(&mut tx, id, &groups).await?;
    let mut refused = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let rule = match item.target {
            FeedbackTarget::Clause(n) if n == 0 || n > state.clause_count => Some(Rule::NoSuchClause { clause: n }),
            FeedbackTarget::Group(g) if !known.contains(&g) => Some(Rule::NoSuchGroup { group: g }),
            _ => None,
        };
        if let Some(rule) = rule {
            refused.push(crate::domain::FieldError::new(&format!("items[{i}].target"), rule));
        }
    }
    if !refused.is_empty() {
        return Err(ServiceError::Refused(refused));
    }
    if !feedback::insert_report(&mut tx, id, summary, items, actor.id(), actor.now).await? {
        return Err(ServiceError::rule("form", Rule::FeedbackAlreadyPublished));
    }
    transition(&mut tx, &state, next, actor.now).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Proposal(id), &Event::FeedbackPublished { items: items.len() as u32 })
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Adoption: every gate re-checked inside this transaction; refused listing every
/// unmet gate. No role bypasses a gate.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = id))]
pub async fn adopt(db: &Db, actor: &Actor<'_>, id: i64) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let state = load_for_agency(&mut tx, actor, id).await?;
    let subject = GateSubject::Proposal(id);
    let added: Vec<_> = gates::added_gates(&mut tx, subject).await?.into_iter().map(|a| a.gate).collect();
    let gates = gate::with_added(gate::required_gates(state.kind, &state.domains), &added);
    let own = Evidence::from_state(state.status, state.window.phase(actor.now));
    let evidence = gates::complete_evidence(&mut tx, subject, own).await?;
    let next = lifecycle::adopt(state.status, gate::unmet(&gates, &evidence)).map_err(|rule| ServiceError::rule("form", rule))?;
    transition(&mut tx, &state, next, actor.now).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Proposal(id), &Event::ProposalAdopted { gates }).await?;
    tx.commit().await?;
    Ok(())
}

/// Withdrawal with a public reason, from any state before adoption.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = id))]
pub async fn withdraw(db: &Db, actor: &Actor<'_>, id: i64, reason: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let state = load_for_agency(&mut tx, actor, id).await?;
    let next = lifecycle::withdraw(state.status).map_err(|rule| ServiceError::rule("form", rule))?;
    transition(&mut tx, &state, next, actor.now).await?;
    store::set_withdrawn_reason(&mut tx, id, reason).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Proposal(id), &Event::ProposalWithdrawn { reason: reason.to_owned() })
        .await?;
    tx.commit().await?;
    Ok(())
}
