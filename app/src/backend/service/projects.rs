//! Actions on projects: register, proceed (only with every gate met), halt.

use super::{
    gates::{load_subject, move_project},
    Actor, ServiceError, ServiceResult,
};
use crate::{
    backend::{
        store::{audit, gates as gate_store, projects as store},
        Db,
    },
    domain::{
        audit::{Event, Subject},
        gate::{self, Evidence, GateSubject},
        project::{self, ProjectKind, ProjectStatus},
        role::Role,
        Rule,
    },
};

/// An official registers a project of their agency.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn register(db: &Db, actor: &Actor<'_>, kind: ProjectKind, title: &str, summary: &str) -> ServiceResult<i64> {
    let agency_id = actor.viewer.agency_id.filter(|_| actor.viewer.has(Role::Official));
    let Some(agency_id) = agency_id else {
        return Err(ServiceError::rule("form", Rule::NotYourAgency));
    };
    let mut tx = db.begin_write().await?;
    let id = store::insert(&mut tx, agency_id, kind, title, summary, actor.id(), actor.now).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Project(id), &Event::ProjectRegistered { title: title.to_owned(), kind })
        .await?;
    tx.commit().await?;
    Ok(id)
}

/// "Proceed": every gate re-derived inside this transaction; refused listing every unmet
/// gate. No role bypasses a gate.
#[tracing::instrument(skip_all, fields(actor = actor.id(), project = id))]
pub async fn proceed(db: &Db, actor: &Actor<'_>, id: i64) -> ServiceResult<()> {
    let subject = GateSubject::Project(id);
    let mut tx = db.begin_write().await?;
    let state = load_subject(&mut tx, actor, subject).await?;
    if !actor.viewer.may_publish_for(state.agency_id) {
        return Err(ServiceError::rule("form", Rule::NotYourAgency));
    }
    let Some(project) = state.project else { return Err(ServiceError::NotFound) };
    let added: Vec<_> = gate_store::added_gates(&mut tx, subject).await?.into_iter().map(|a| a.gate).collect();
    let gates = gate::with_added(state.derived, &added);
    let evidence = gate_store::complete_evidence(&mut tx, subject, Evidence::default()).await?;
    let next = project::proceed(project.status, gate::unmet(&gates, &evidence)).map_err(|rule| ServiceError::rule("form", rule))?;
    move_project(&mut tx, actor, &project, next, None).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Project(id), &Event::ProjectProceeding { gates }).await?;
    tx.commit().await?;
    Ok(())
}

/// Halts a project, with a public reason: its agency's officials, or a reviewer.
#[tracing::instrument(skip_all, fields(actor = actor.id(), project = id))]
pub async fn halt(db: &Db, actor: &Actor<'_>, id: i64, reason: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let state = load_subject(&mut tx, actor, GateSubject::Project(id)).await?;
    if !actor.viewer.may_publish_for(state.agency_id) && !actor.viewer.has(Role::Reviewer) {
        return Err(ServiceError::rule("form", Rule::NotYourAgency));
    }
    let Some(project) = state.project else { return Err(ServiceError::NotFound) };
    let next: ProjectStatus = project::halt(project.status).map_err(|rule| ServiceError::rule("form", rule))?;
    move_project(&mut tx, actor, &project, next, Some(reason.to_owned())).await?;
    tx.commit().await?;
    Ok(())
}
