//! Actions on hearings: an organizer schedules, publishes the call, runs the draw,
//! publishes the lists, sends the materials, sets the agenda, marks attendance, writes
//! the record, publishes the report, postpones or cancels; a citizen applies, declines a
//! seat, confirms the record or objects. Each is one transaction with its audit entry in
//! the hearing's chain; applicants hear of what concerns them through in-app notices
//! written in the same transaction.

use super::{Actor, ServiceError, ServiceResult};
use crate::{
    backend::{
        db::Tx,
        store::{
            audit, gates as gate_store,
            hearings::{self as store, HearingState, NewApplication, NewHearing, Step},
            proposals as proposal_store,
        },
        Db,
    },
    domain::{
        audit::{Event, Subject},
        draw::{self, Applicant, Seed},
        gate::{self, Gate, GateSubject},
        hearing::{self, ApplicationState, Confirmation, Constituency, HearingStatus, NoticeKind, Schedule, Seats},
        lifecycle::ProposalStatus,
        role::Role,
        Rule,
    },
    model::{DrawRecord, HearingReport},
};

fn refused(field: &'static str) -> impl Fn(Rule) -> ServiceError {
    move |rule| ServiceError::rule(field, rule)
}

fn organizer(actor: &Actor<'_>) -> ServiceResult<()> {
    if actor.viewer.has(Role::Organizer) {
        Ok(())
    } else {
        Err(ServiceError::rule("form", Rule::OrganizerOnly))
    }
}

/// Loads the hearing, locked: every action on one hearing waits for the one before.
async fn load(tx: &mut Tx, id: i64) -> ServiceResult<HearingState> {
    store::load(tx, id, true).await?.ok_or(ServiceError::NotFound)
}

async fn record(tx: &mut Tx, actor: &Actor<'_>, id: i64, event: &Event) -> ServiceResult<()> {
    audit::append(tx, actor.now, Some(actor.id()), Subject::Hearing(id), event).await?;
    Ok(())
}

/// What an organizer enters to schedule a hearing, parsed.
pub struct ScheduleInput {
    pub proposal_id: i64,
    pub venue: String,
    pub schedule: Schedule,
    pub seats: Seats,
    pub plan_summary: String,
    /// The officers' e-mail addresses, normalised.
    pub officers: Vec<String>,
    /// Why, when the proposal does not require a hearing (the gate is added with it).
    pub reason: Option<String>,
}

/// Schedules a hearing for a public proposal: deadlines, officers, venue checked; the
/// draw's seed made and committed to. A proposal that does not require a hearing gets
/// the hearing gate added, with the organizer's reason, in the same transaction.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn schedule(db: &Db, actor: &Actor<'_>, input: ScheduleInput) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let proposal = proposal_store::load_state(&mut tx, input.proposal_id, true).await?.ok_or(ServiceError::NotFound)?;
    if !proposal.status.is_public() {
        return Err(ServiceError::NotFound);
    }
    if matches!(proposal.status, ProposalStatus::Adopted | ProposalStatus::Withdrawn) {
        return Err(ServiceError::rule("form", Rule::NotInState { status: proposal.status }));
    }
    if let Some(hearing) = store::underway_for(&mut tx, proposal.id).await? {
        return Err(ServiceError::rule("form", Rule::HearingUnderway { hearing }));
    }
    let mut officers = Vec::with_capacity(input.officers.len());
    for email in &input.officers {
        let Some(candidate) = store::officer_candidate(&mut tx, email).await? else {
            return Err(ServiceError::rule("officers", Rule::OfficerUnknown { email: email.clone() }));
        };
        officers.push(candidate);
    }
    let drafted_by = proposal_store::created_by(&mut tx, proposal.id).await?;
    hearing::check_officers(&officers, proposal.agency_id, drafted_by).map_err(refused("officers"))?;
    let seats = input.seats.check().map_err(|(field, rule)| ServiceError::rule(field, rule))?;
    hearing::check_schedule(actor.now, &input.schedule, &hearing::Steps::default())
        .map_err(|(field, rule)| ServiceError::rule(field, rule))?;
    let venue_key = hearing::venue_key(&input.venue);
    store::lock_venue(&mut tx, &venue_key).await?;
    if let Some((hearing, starts_at, ends_at)) =
        store::venue_clash(&mut tx, &venue_key, input.schedule.starts_at, input.schedule.ends_at, 0).await?
    {
        return Err(ServiceError::rule("venue", Rule::VenueTaken { hearing, starts_at, ends_at }));
    }

    let subject = GateSubject::Proposal(proposal.id);
    let added: Vec<Gate> = gate_store::added_gates(&mut tx, subject).await?.into_iter().map(|a| a.gate).collect();
    let gates = gate::with_added(gate::required_gates(proposal.kind, &proposal.domains), &added);
    if !gates.contains(&Gate::Hearing) {
        let Some(reason) = input.reason.as_deref() else {
            return Err(ServiceError::rule("reason", Rule::HearingReasonRequired));
        };
        gate_store::insert_added_gate(&mut tx, subject, Gate::Hearing, reason, actor.id(), actor.now).await?;
        let event = Event::GateAdded { gate: Gate::Hearing, reason: reason.to_owned() };
        audit::append(&mut tx, actor.now, Some(actor.id()), subject.audit(), &event).await?;
    }

    let seed = new_seed();
    let commitment = seed.commitment();
    let new = NewHearing {
        proposal_id: proposal.id,
        venue: &input.venue,
        venue_key: &venue_key,
        schedule: input.schedule,
        seats,
        plan_summary: &input.plan_summary,
        seed: &seed.to_hex(),
        seed_commitment: &commitment,
    };
    let id = store::insert(&mut tx, &new, actor.id(), actor.now).await?;
    let officer_ids: Vec<i64> = officers.iter().map(|o| o.user_id).collect();
    store::insert_officers(&mut tx, id, &officer_ids).await?;
    let event = Event::HearingScheduled {
        proposal: proposal.id,
        venue: input.venue.clone(),
        starts_at: input.schedule.starts_at,
        ends_at: input.schedule.ends_at,
        apply_until: input.schedule.apply_until,
        seats,
        officers: officer_ids,
        commitment,
    };
    record(&mut tx, actor, id, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// 32 bytes from the operating system's generator: nobody chooses the seed.
pub(super) fn new_seed() -> Seed {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Seed(bytes)
}

/// Publishes the call for participants (seats, selection, how and until when to apply),
/// with the seed's commitment.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn publish_call(db: &Db, actor: &Actor<'_>, id: i64) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let next = hearing::publish_call(h.status, actor.now, &h.schedule).map_err(|(field, rule)| ServiceError::rule(field, rule))?;
    store::record_step(&mut tx, id, next, &Step::CallPublished, actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingCallPublished { apply_until: h.schedule.apply_until }).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Extends the call (before the draw): when too few applied, say.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn extend_call(db: &Db, actor: &Actor<'_>, id: i64, until: chrono::DateTime<chrono::Utc>) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    hearing::extend_call(h.status, actor.now, &h.schedule, until).map_err(|(field, rule)| ServiceError::rule(field, rule))?;
    store::record_step(&mut tx, id, h.status, &Step::CallExtended(until), actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingCallExtended { from: h.schedule.apply_until, to: until }).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// A citizen applies: one application per hearing, while the call is open.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn apply(
    db: &Db,
    actor: &Actor<'_>,
    id: i64,
    constituency: Constituency,
    low_income: bool,
    statement: &str,
) -> ServiceResult<i64> {
    actor.viewer.may_take_part().map_err(refused("form"))?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    hearing::may_apply(h.status, actor.now, h.schedule.apply_until).map_err(refused("form"))?;
    if store::officers(&mut tx, id).await?.iter().any(|(officer, _)| *officer == actor.id()) {
        return Err(ServiceError::rule("form", Rule::OfficerCannotApply));
    }
    let new = NewApplication { hearing_id: id, user_id: actor.id(), constituency, low_income, statement };
    let Some(application) = store::insert_application(&mut tx, &new, actor.now).await? else {
        return Err(ServiceError::rule("form", Rule::AlreadyApplied));
    };
    record(&mut tx, actor, id, &Event::HearingApplied { application }).await?;
    tx.commit().await?;
    Ok(application)
}

/// Runs the draw once applications have closed: the seed is revealed and the ordered
/// list, seed and outcome published; every applicant is told where they stand.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn run_draw(db: &Db, actor: &Actor<'_>, id: i64) -> ServiceResult<DrawRecord> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let next = hearing::may_draw(h.status, actor.now, h.schedule.apply_until).map_err(refused("form"))?;
    let Some(seed) = Seed::from_hex(&h.seed) else {
        tracing::error!(hearing = id, "the stored seed does not read as 32 bytes of hex");
        return Err(ServiceError::Db(sqlx::Error::Protocol("unreadable draw seed".into())));
    };
    let applications = store::applications_in_order(&mut tx, id).await?;
    let applicants: Vec<Applicant> = applications
        .iter()
        .enumerate()
        .map(|(i, (_, _, constituency, low_income))| Applicant {
            ordinal: i as u32 + 1,
            constituency: *constituency,
            low_income: *low_income,
        })
        .collect();
    let outcome = draw::draw(&seed, &applicants, h.seats.participants);
    let lot_place = |ordinal: u32| outcome.lot.iter().position(|o| *o == ordinal).map(|p| p as i64 + 1).unwrap_or(0);
    let (mut selected_users, mut waiting_users) = (Vec::new(), Vec::new());
    for (i, (application, user, _, _)) in applications.iter().enumerate() {
        let ordinal = i as u32 + 1;
        let state = if outcome.selected.contains(&ordinal) { ApplicationState::Selected } else { ApplicationState::Waiting };
        store::set_drawn(&mut tx, *application, ordinal as i64, lot_place(ordinal), state).await?;
        match state {
            ApplicationState::Selected => selected_users.push(*user),
            _ => waiting_users.push(*user),
        }
    }
    let record_ = DrawRecord {
        hearing_id: id,
        algorithm: draw::ALGORITHM.to_owned(),
        seed: seed.to_hex(),
        commitment: h.seed_commitment.clone(),
        seats: h.seats.participants,
        applicants,
        outcome,
        drawn_at: actor.now,
        verified: true,
    };
    store::insert_draw(&mut tx, &record_, actor.id()).await?;
    store::record_step(&mut tx, id, next, &Step::Drawn, actor.now).await?;
    store::notify(&mut tx, &selected_users, id, NoticeKind::Selected, actor.now).await?;
    store::notify(&mut tx, &waiting_users, id, NoticeKind::Waiting, actor.now).await?;
    let event = Event::HearingDrawn {
        algorithm: record_.algorithm.clone(),
        seed: record_.seed.clone(),
        applicants: record_.applicants.len() as u32,
        seats: record_.seats,
        unfilled: record_.outcome.unfilled,
    };
    record(&mut tx, actor, id, &event).await?;
    tx.commit().await?;
    Ok(record_)
}

/// A participant declines before the session; the seat goes to the first on the waiting
/// list who keeps the quotas, who is told.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn decline(db: &Db, actor: &Actor<'_>, id: i64) -> ServiceResult<Option<i64>> {
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let mine = store::application_of(&mut tx, id, actor.id()).await?;
    hearing::may_decline(h.status, mine.map(|(_, state, _)| state)).map_err(refused("form"))?;
    let Some((application, _, _)) = mine else { return Err(ServiceError::rule("form", Rule::NotAParticipant)) };
    store::set_state(&mut tx, application, ApplicationState::Declined).await?;
    let draw = store::draw_record(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let (selected, waiting) = store::seat_lists(&mut tx, id).await?;
    let mut replaced_by = None;
    if let Some(ordinal) = draw::replacement(&draw.applicants, draw.seats, &selected, &waiting) {
        if let Some((next, user)) = store::by_ordinal(&mut tx, id, ordinal).await? {
            store::set_state(&mut tx, next, ApplicationState::Selected).await?;
            store::notify(&mut tx, &[user], id, NoticeKind::MovedUp, actor.now).await?;
            replaced_by = Some(next);
        }
    }
    record(&mut tx, actor, id, &Event::HearingSeatDeclined { application, replaced_by }).await?;
    tx.commit().await?;
    Ok(replaced_by)
}

/// Publishes time, place, plan summary and the lists of participants and officers.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn publish_lists(db: &Db, actor: &Actor<'_>, id: i64) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let next = hearing::publish_lists(h.status, actor.now, h.schedule.starts_at).map_err(refused("form"))?;
    store::record_step(&mut tx, id, next, &Step::ListsPublished, actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingListsPublished).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Sends the attached materials to the participants (15 days before, or 7 with a public
/// reason); each is told.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn send_materials(db: &Db, actor: &Actor<'_>, id: i64, reason: Option<&str>) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let files = gate_store::count_files(&mut tx, "hearing", id).await?;
    hearing::send_materials(h.status, actor.now, h.schedule.starts_at, h.materials_sent_at.is_some(), files as usize, reason.is_some())
        .map_err(refused("form"))?;
    // a reason is recorded only where it was needed: fewer than 15 days
    let reason = reason.filter(|_| hearing::Deadline::Materials.check(actor.now, h.schedule.starts_at).is_err());
    store::record_step(&mut tx, id, h.status, &Step::MaterialsSent { reason }, actor.now).await?;
    let users = store::users_in(&mut tx, id, &[ApplicationState::Selected]).await?;
    store::notify(&mut tx, &users, id, NoticeKind::Materials, actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingMaterialsSent { files: files as u32, reason: reason.map(str::to_owned) }).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Sets the agenda (the speakers follow the lot order) before the session.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn set_agenda(db: &Db, actor: &Actor<'_>, id: i64, agenda: &str) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    if !matches!(h.status, HearingStatus::Drawn | HearingStatus::ListsPublished) {
        return Err(ServiceError::rule("form", Rule::HearingNotInState { status: h.status }));
    }
    store::record_step(&mut tx, id, h.status, &Step::Agenda(agenda), actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingAgendaSet).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Sets a participant's place in the speaking order and minutes, before the session.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn set_speaker(db: &Db, actor: &Actor<'_>, id: i64, application: i64, position: u32, minutes: u32) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    hearing::check_speaker(h.status, position, minutes, h.seats.participants).map_err(|(field, rule)| ServiceError::rule(field, rule))?;
    let Some((_, ApplicationState::Selected)) = store::application(&mut tx, id, application).await? else {
        return Err(ServiceError::rule("form", Rule::NotAParticipant));
    };
    store::set_speaker(&mut tx, application, position, minutes).await?;
    record(&mut tx, actor, id, &Event::HearingSpeakerSet { application, position, minutes }).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Marks a participant present or absent, on the day.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn mark_attendance(db: &Db, actor: &Actor<'_>, id: i64, application: i64, present: bool) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    hearing::may_mark_attendance(h.status, actor.now, h.schedule.starts_at).map_err(refused("form"))?;
    let Some((_, ApplicationState::Selected)) = store::application(&mut tx, id, application).await? else {
        return Err(ServiceError::rule("form", Rule::NotAParticipant));
    };
    store::set_present(&mut tx, application, present).await?;
    record(&mut tx, actor, id, &Event::HearingAttendance { application, present }).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Writes the record (minutes) of the session that took place; participants are asked to
/// confirm it.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn write_record(db: &Db, actor: &Actor<'_>, id: i64, minutes: &str) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let next = hearing::write_record(h.status, actor.now, h.schedule.starts_at, h.materials_sent_at.is_some()).map_err(refused("form"))?;
    store::record_step(&mut tx, id, next, &Step::Record(minutes), actor.now).await?;
    let users = store::users_in(&mut tx, id, &[ApplicationState::Selected]).await?;
    store::notify(&mut tx, &users, id, NoticeKind::Record, actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingRecordWritten).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Art. 17: a participant confirms the record, or objects with what is wrong.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn answer_record(db: &Db, actor: &Actor<'_>, id: i64, confirmation: Confirmation, objection: Option<&str>) -> ServiceResult<i64> {
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let mine = store::application_of(&mut tx, id, actor.id()).await?;
    hearing::may_confirm(h.status, mine.map(|(_, state, _)| state), mine.is_some_and(|(_, _, answered)| answered))
        .map_err(refused("form"))?;
    let Some((application, _, _)) = mine else { return Err(ServiceError::rule("form", Rule::NotAParticipant)) };
    let objection = objection.filter(|_| confirmation == Confirmation::Objected);
    if confirmation == Confirmation::Objected && objection.is_none() {
        return Err(ServiceError::rule("objection", Rule::Required));
    }
    store::answer_record(&mut tx, application, confirmation, objection, actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingRecordAnswered { application, confirmation }).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Publishes the officers' report: the hearing gate of the proposal is met.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn publish_report(db: &Db, actor: &Actor<'_>, id: i64, report: &HearingReport) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let next = hearing::publish_report(h.status, actor.now, h.schedule.starts_at).map_err(refused("form"))?;
    store::record_step(&mut tx, id, next, &Step::Report(report), actor.now).await?;
    let users = store::users_in(&mut tx, id, &[ApplicationState::Selected, ApplicationState::Waiting, ApplicationState::Declined]).await?;
    store::notify(&mut tx, &users, id, NoticeKind::Report, actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingReportPublished).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Moves the hearing later, with a public reason: every deadline is checked again and
/// the venue must be free; applicants are told.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn postpone(
    db: &Db,
    actor: &Actor<'_>,
    id: i64,
    starts_at: chrono::DateTime<chrono::Utc>,
    ends_at: chrono::DateTime<chrono::Utc>,
    reason: &str,
) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    if !h.status.is_upcoming() {
        return Err(ServiceError::rule("form", Rule::HearingNotInState { status: h.status }));
    }
    let new = Schedule { starts_at, ends_at, apply_until: h.schedule.apply_until };
    hearing::check_postponement(actor.now, h.schedule.starts_at, &new, &h.steps())
        .map_err(|(field, rule)| ServiceError::rule(field, rule))?;
    store::lock_venue(&mut tx, &h.venue_key).await?;
    if let Some((hearing, starts_at, ends_at)) = store::venue_clash(&mut tx, &h.venue_key, new.starts_at, new.ends_at, id).await? {
        return Err(ServiceError::rule("starts_at", Rule::VenueTaken { hearing, starts_at, ends_at }));
    }
    store::record_step(&mut tx, id, h.status, &Step::Postponed { schedule: new, reason }, actor.now).await?;
    let users = store::users_in(&mut tx, id, &[ApplicationState::Applied, ApplicationState::Selected, ApplicationState::Waiting]).await?;
    store::notify(&mut tx, &users, id, NoticeKind::Postponed, actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingPostponed { from: h.schedule.starts_at, to: starts_at, reason: reason.to_owned() }).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Calls the hearing off, with a public reason; it does not count for the gate.
#[tracing::instrument(skip_all, fields(actor = actor.id(), hearing = id))]
pub async fn cancel(db: &Db, actor: &Actor<'_>, id: i64, reason: &str) -> ServiceResult<i64> {
    organizer(actor)?;
    let mut tx = db.begin_write().await?;
    let h = load(&mut tx, id).await?;
    let next = hearing::cancel(h.status).map_err(refused("form"))?;
    store::record_step(&mut tx, id, next, &Step::Cancelled { reason }, actor.now).await?;
    let users = store::users_in(&mut tx, id, &[ApplicationState::Applied, ApplicationState::Selected, ApplicationState::Waiting]).await?;
    store::notify(&mut tx, &users, id, NoticeKind::Cancelled, actor.now).await?;
    record(&mut tx, actor, id, &Event::HearingCancelled { reason: reason.to_owned() }).await?;
    tx.commit().await?;
    Ok(h.proposal_id)
}

/// Materials are attached by an organizer after the draw and before they are sent.
pub(crate) async fn may_attach_materials(tx: &mut Tx, actor: &Actor<'_>, id: i64) -> ServiceResult<i64> {
    organizer(actor)?;
    let h = load(tx, id).await?;
    if !matches!(h.status, HearingStatus::Drawn | HearingStatus::ListsPublished) {
        return Err(ServiceError::rule("file", Rule::HearingNotInState { status: h.status }));
    }
    if h.materials_sent_at.is_some() {
        return Err(ServiceError::rule("file", Rule::MaterialsAlreadySent));
    }
    Ok(h.proposal_id)
}

/// The reader has seen their notices.
pub async fn mark_notices_read(db: &Db, actor: &Actor<'_>) -> ServiceResult<u64> {
    let mut tx = db.begin_write().await?;
    let n = store::mark_notices_read(&mut tx, actor.id(), actor.now).await?;
    tx.commit().await?;
    Ok(n)
}
