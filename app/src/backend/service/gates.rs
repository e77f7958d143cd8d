//! Actions on the evidence behind gates: a reviewer adds a gate; an agency submits a
//! stability risk assessment, attaches mitigation, requests a legality review, attaches
//! files; a reviewer decides. Each is one transaction with its audit entry, recorded in
//! the chain of the proposal or project the evidence is for.

use super::{Actor, ServiceError, ServiceResult};
use crate::{
    backend::{
        db::Tx,
        store::{
            audit,
            gates::{self as store, NewAssessment, NewFile},
            projects as project_store, proposals as proposal_store,
        },
        Db,
    },
    domain::{
        audit::{Event, Subject},
        calendar::{review_time_elapsed, DayKind},
        gate::{self, Gate, GateSubject},
        lifecycle::ProposalStatus,
        project,
        review::{self, AssessmentMethod, AssessmentStatus, Decided, LegalityOpinion, ReviewItem, RiskLevel, Verdict, MAX_APPROVALS},
        role::Role,
        Rule,
    },
};

/// What an action on a subject's evidence needs to know of the subject.
pub(crate) struct SubjectState {
    pub agency_id: i64,
    /// The kind, as the approval policy names it.
    pub kind: &'static str,
    /// The gates the rules require of it (before any added ones).
    pub derived: Vec<Gate>,
    pub proposal_status: Option<ProposalStatus>,
    pub project: Option<project_store::ProjectState>,
}

/// Loads the subject (locked on PostgreSQL); a draft proposal exists only for its own
/// agency's officials.
pub(crate) async fn load_subject(tx: &mut Tx, actor: &Actor<'_>, subject: GateSubject) -> ServiceResult<SubjectState> {
    match subject {
        GateSubject::Proposal(id) => {
            let state = proposal_store::load_state(tx, id, true).await?.ok_or(ServiceError::NotFound)?;
            if !state.status.is_public() && !actor.viewer.may_publish_for(state.agency_id) {
                return Err(ServiceError::NotFound);
            }
            Ok(SubjectState {
                agency_id: state.agency_id,
                kind: state.kind.as_str(),
                derived: gate::required_gates(state.kind, &state.domains),
                proposal_status: Some(state.status),
                project: None,
            })
        }
        GateSubject::Project(id) => {
            let state = project_store::load_state(tx, id, true).await?.ok_or(ServiceError::NotFound)?;
            Ok(SubjectState {
                agency_id: state.agency_id,
                kind: state.kind.as_str(),
                derived: project::required_gates(),
                proposal_status: None,
                project: Some(state),
            })
        }
    }
}

impl SubjectState {
    /// Evidence is submitted by the officials of the subject's agency, while the subject
    /// can still use it (a proposal not yet adopted or withdrawn).
    fn may_submit(&self, actor: &Actor<'_>) -> ServiceResult<()> {
        if !actor.viewer.may_publish_for(self.agency_id) {
            return Err(ServiceError::rule("form", Rule::NotYourAgency));
        }
        if let Some(status @ (ProposalStatus::Adopted | ProposalStatus::Withdrawn)) = self.proposal_status {
            return Err(ServiceError::rule("form", Rule::NotInState { status }));
        }
        Ok(())
    }
}

/// A reviewer adds a gate to a checklist, with a reason. It cannot be removed.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn add_gate(db: &Db, actor: &Actor<'_>, subject: GateSubject, gate: Gate, reason: &str) -> ServiceResult<()> {
    if !actor.viewer.has(Role::Reviewer) {
        return Err(ServiceError::rule("form", Rule::ReviewerOnly));
    }
    let mut tx = db.begin_write().await?;
    let state = load_subject(&mut tx, actor, subject).await?;
    let added: Vec<Gate> = store::added_gates(&mut tx, subject).await?.into_iter().map(|a| a.gate).collect();
    gate::add_gate(&gate::with_added(state.derived, &added), gate).map_err(|rule| ServiceError::rule("gate", rule))?;
    if !store::insert_added_gate(&mut tx, subject, gate, reason, actor.id(), actor.now).await? {
        return Err(ServiceError::rule("gate", Rule::GateAlreadyRequired));
    }
    audit::append(&mut tx, actor.now, Some(actor.id()), subject.audit(), &Event::GateAdded { gate, reason: reason.to_owned() }).await?;
    tx.commit().await?;
    Ok(())
}

/// What an agency says in its assessment, parsed.
pub struct AssessmentInput {
    pub level: RiskLevel,
    pub method: AssessmentMethod,
    pub risk_points: String,
    pub prevention: String,
    pub response_plan: String,
}

/// The agency submits a stability risk assessment. It supersedes any earlier one (the
/// gate reopens); for a project, one rated high halts it.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn submit_assessment(db: &Db, actor: &Actor<'_>, subject: GateSubject, input: AssessmentInput) -> ServiceResult<i64> {
    let mut tx = db.begin_write().await?;
    let state = load_subject(&mut tx, actor, subject).await?;
    state.may_submit(actor)?;
    let superseded = store::supersede_assessments(&mut tx, subject).await?;
    let new = NewAssessment {
        subject,
        agency_id: state.agency_id,
        level: input.level,
        method: input.method,
        risk_points: &input.risk_points,
        prevention: &input.prevention,
        response_plan: &input.response_plan,
    };
    let id = store::insert_assessment(&mut tx, &new, actor.id(), actor.now).await?;
    let event = Event::AssessmentSubmitted { assessment: id, level: input.level, method: input.method, superseded };
    audit::append(&mut tx, actor.now, Some(actor.id()), subject.audit(), &event).await?;
    if let Some(project) = &state.project {
        let next = project::assessment_submitted(project.status, input.level);
        // shown to everyone beside the status, in both languages of the platform
        let reason = (next == project::ProjectStatus::Halted)
            .then(|| format!("社会稳定风险评估 #{id} 结论为高风险 / stability risk assessment #{id} rated high risk"));
        move_project(&mut tx, actor, project, next, reason).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Moves a project's state and records it; nothing when the state does not change.
pub(crate) async fn move_project(
    tx: &mut Tx,
    actor: &Actor<'_>,
    project: &project_store::ProjectState,
    to: project::ProjectStatus,
    reason: Option<String>,
) -> ServiceResult<()> {
    if project.status == to {
        return Ok(());
    }
    if !project_store::set_status(tx, project.id, project.status, to, reason.as_deref(), actor.now).await? {
        return Err(ServiceError::rule("form", Rule::ProjectNotInState { status: project.status }));
    }
    let event = Event::ProjectMoved { from: project.status, to, reason };
    audit::append(tx, actor.now, Some(actor.id()), Subject::Project(project.id), &event).await?;
    Ok(())
}

/// The assessment and its subject, with the subject loaded (and locked) first, then the
/// assessment: the same order as every other action on the subject.
async fn load_assessment(tx: &mut Tx, actor: &Actor<'_>, id: i64) -> ServiceResult<(GateSubject, SubjectState, review::AssessmentState)> {
    let subject = store::subject_of(tx, ReviewItem::Assessment, id).await?.ok_or(ServiceError::NotFound)?;
    let state = load_subject(tx, actor, subject).await?;
    let (_, assessment) = store::assessment_state(tx, id).await?.ok_or(ServiceError::NotFound)?;
    Ok((subject, state, assessment))
}

/// The agency attaches mitigation to a pending medium-risk assessment.
#[tracing::instrument(skip_all, fields(actor = actor.id(), assessment = id))]
pub async fn attach_mitigation(db: &Db, actor: &Actor<'_>, id: i64, mitigation: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let (subject, state, assessment) = load_assessment(&mut tx, actor, id).await?;
    state.may_submit(actor)?;
    review::attach_mitigation(&assessment).map_err(|rule| ServiceError::rule("mitigation", rule))?;
    store::set_mitigation(&mut tx, id, mitigation, actor.now).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), subject.audit(), &Event::MitigationAttached { assessment: id }).await?;
    tx.commit().await?;
    Ok(())
}

/// A reviewer approves or rejects an assessment, with the reason.
#[tracing::instrument(skip_all, fields(actor = actor.id(), assessment = id))]
pub async fn decide_assessment(db: &Db, actor: &Actor<'_>, id: i64, verdict: Verdict, reason: &str) -> ServiceResult<Decided> {
    let mut tx = db.begin_write().await?;
    let (subject, state, assessment) = load_assessment(&mut tx, actor, id).await?;
    let required = store::approvals_required(&mut tx, state.kind).await?;
    let decided =
        review::decide_assessment(actor.viewer, &assessment, verdict, required).map_err(|rule| ServiceError::rule("form", rule))?;
    if !store::insert_decision(&mut tx, ReviewItem::Assessment, id, actor.id(), verdict.as_str(), reason, actor.now).await? {
        return Err(ServiceError::rule("form", Rule::AlreadyApprovedByYou));
    }
    let (status, approvals) = match decided {
        Decided::Approved => (AssessmentStatus::Approved, assessment.approvals.len() as u8 + 1),
        Decided::ApprovalRecorded { approvals, .. } => (AssessmentStatus::Pending, approvals),
        Decided::Rejected => (AssessmentStatus::Rejected, assessment.approvals.len() as u8),
    };
    if status != AssessmentStatus::Pending && !store::decide_assessment(&mut tx, id, status, actor.now).await? {
        return Err(ServiceError::rule("form", Rule::AssessmentNotPending { status: assessment.status }));
    }
    let event = Event::AssessmentDecided { assessment: id, verdict, reason: reason.to_owned(), approvals, required, status };
    audit::append(&mut tx, actor.now, Some(actor.id()), subject.audit(), &event).await?;
    if let (Some(project), AssessmentStatus::Approved) = (&state.project, status) {
        move_project(&mut tx, actor, project, project::assessment_approved(project.status), None).await?;
    }
    tx.commit().await?;
    Ok(decided)
}

/// The agency requests a legality review, with the draft and materials. A new request
/// supersedes an earlier one.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn request_legality(db: &Db, actor: &Actor<'_>, subject: GateSubject, materials: &str) -> ServiceResult<i64> {
    let mut tx = db.begin_write().await?;
    let state = load_subject(&mut tx, actor, subject).await?;
    state.may_submit(actor)?;
    let superseded = store::supersede_legality(&mut tx, subject).await?;
    let id = store::insert_legality(&mut tx, subject, state.agency_id, materials, actor.id(), actor.now).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), subject.audit(), &Event::LegalityRequested { review: id, superseded }).await?;
    tx.commit().await?;
    Ok(id)
}

/// The reviewing office records its opinion: no earlier than 7 working days after the
/// request (art. 25–26), by a reviewer outside the requesting agency.
#[tracing::instrument(skip_all, fields(actor = actor.id(), review = id))]
pub async fn record_opinion(db: &Db, actor: &Actor<'_>, id: i64, opinion: LegalityOpinion, reason: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let subject = store::subject_of(&mut tx, ReviewItem::Legality, id).await?.ok_or(ServiceError::NotFound)?;
    load_subject(&mut tx, actor, subject).await?;
    let (_, legality, requested_on) = store::legality_state(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    review::record_opinion(actor.viewer, &legality).map_err(|rule| ServiceError::rule("form", rule))?;
    let calendar = store::calendar_from(&mut tx, requested_on).await?;
    let today = crate::domain::time::local_day(actor.now);
    review_time_elapsed(&calendar, requested_on, today).map_err(|rule| ServiceError::rule("form", rule))?;
    if !store::record_opinion(&mut tx, id, opinion, reason, actor.id(), actor.now).await? {
        return Err(ServiceError::rule("form", Rule::LegalityNotPending));
    }
    store::insert_decision(&mut tx, ReviewItem::Legality, id, actor.id(), opinion.as_str(), reason, actor.now).await?;
    let working_days = calendar.working_days_between(requested_on, today);
    let event = Event::OpinionRecorded { review: id, opinion, reason: reason.to_owned(), working_days };
    audit::append(&mut tx, actor.now, Some(actor.id()), subject.audit(), &event).await?;
    tx.commit().await?;
    Ok(())
}

/// What an evidence file is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileOwner {
    /// The assessment's report.
    Assessment(i64),
    /// The mitigation plan of a medium-risk assessment.
    Mitigation(i64),
    /// The draft and materials of a legality review.
    Legality(i64),
    /// The materials of a hearing, for its participants.
    Hearing(i64),
}

impl FileOwner {
    pub fn parse(owner: &str, id: i64) -> Option<Self> {
        match owner {
            "assessment" => Some(FileOwner::Assessment(id)),
            "mitigation" => Some(FileOwner::Mitigation(id)),
            "legality" => Some(FileOwner::Legality(id)),
            "hearing" => Some(FileOwner::Hearing(id)),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileOwner::Assessment(_) => "assessment",
            FileOwner::Mitigation(_) => "mitigation",
            FileOwner::Legality(_) => "legality",
            FileOwner::Hearing(_) => "hearing",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            FileOwner::Assessment(id) | FileOwner::Mitigation(id) | FileOwner::Legality(id) | FileOwner::Hearing(id) => id,
        }
    }
}

/// A checked file, stored already under a key of the server's making.
pub struct StoredFileRow {
    pub object_key: String,
    pub original_name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
}

/// Records a stored file as evidence: by the officials of the subject's agency, while
/// what it is attached to awaits its decision. The caller deletes the object when this
/// refuses or fails, so a refused file leaves nothing behind.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn attach_file(db: &Db, actor: &Actor<'_>, owner: FileOwner, file: &StoredFileRow) -> ServiceResult<(GateSubject, i64)> {
    let mut tx = db.begin_write().await?;
    let subject = match owner {
        FileOwner::Assessment(id) | FileOwner::Mitigation(id) => {
            let (subject, state, assessment) = load_assessment(&mut tx, actor, id).await?;
            state.may_submit(actor)?;
            review::attach_to_assessment(assessment.status).map_err(|rule| ServiceError::rule("file", rule))?;
            if matches!(owner, FileOwner::Mitigation(_)) {
                review::attach_mitigation(&assessment).map_err(|rule| ServiceError::rule("file", rule))?;
            }
            subject
        }
        FileOwner::Legality(id) => {
            let subject = store::subject_of(&mut tx, ReviewItem::Legality, id).await?.ok_or(ServiceError::NotFound)?;
            let state = load_subject(&mut tx, actor, subject).await?;
            state.may_submit(actor)?;
            let (_, legality, _) = store::legality_state(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
            if legality.status != review::LegalityStatus::Pending {
                return Err(ServiceError::rule("file", Rule::LegalityNotPending));
            }
            subject
        }
        FileOwner::Hearing(id) => {
            let proposal = super::hearings::may_attach_materials(&mut tx, actor, id).await?;
            GateSubject::Proposal(proposal)
        }
    };
    let row = NewFile {
        owner: owner.as_str(),
        owner_id: owner.id(),
        object_key: &file.object_key,
        original_name: &file.original_name,
        kind: &file.content_type,
        size: file.size as i64,
        sha256: &file.sha256,
    };
    let id = store::insert_file(&mut tx, &row, actor.id(), actor.now).await?;
    let event = Event::FileAttached {
        file: id,
        owner: owner.as_str().to_owned(),
        owner_id: owner.id(),
        name: file.original_name.clone(),
        sha256: file.sha256.clone(),
        size: file.size,
    };
    let chain = match owner {
        FileOwner::Hearing(hearing) => Subject::Hearing(hearing),
        _ => subject.audit(),
    };
    audit::append(&mut tx, actor.now, Some(actor.id()), chain, &event).await?;
    tx.commit().await?;
    Ok((subject, id))
}

/// The admin marks a day of the working-day calendar (a public holiday or an adjusted
/// working day), or clears it (`kind` none).
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn set_calendar_day(db: &Db, actor: &Actor<'_>, day: chrono::NaiveDate, kind: Option<DayKind>, name: &str) -> ServiceResult<()> {
    if !actor.viewer.has(Role::Admin) {
        return Err(ServiceError::NotFound);
    }
    let mut tx = db.begin_write().await?;
    store::set_calendar_day(&mut tx, day, kind, name).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Settings, &Event::CalendarDaySet { day, kind, name: name.to_owned() })
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The admin sets how many independent approvals an assessment needs for a kind of
/// proposal or project.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn set_approvals(db: &Db, actor: &Actor<'_>, kind: &'static str, approvals: u8) -> ServiceResult<()> {
    if !actor.viewer.has(Role::Admin) {
        return Err(ServiceError::NotFound);
    }
    if !(1..=MAX_APPROVALS).contains(&approvals) {
        return Err(ServiceError::rule("approvals", Rule::ApprovalsOutOfRange { max: MAX_APPROVALS }));
    }
    let mut tx = db.begin_write().await?;
    store::set_approvals(&mut tx, kind, approvals).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Settings, &Event::ApprovalPolicySet { kind: kind.to_owned(), approvals })
        .await?;
    tx.commit().await?;
    Ok(())
}
