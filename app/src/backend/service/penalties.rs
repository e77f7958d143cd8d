//! Actions of the public review of penalty cases: citizens volunteer for the reviewer
//! pool and an admin approves them with a term; an official submits a case, confirms its
//! masking, draws the panel, records the party's statement, closes the review and
//! replies; a panelist accepts or declines and gives an opinion. Each is one transaction
//! with its audit entry (the case's chain, or the reviewer's own for the pool).

use super::{Actor, ServiceError, ServiceResult};
use crate::{
    backend::{
        db::Tx,
        store::{
            audit,
            penalties::{self as store, CaseState, CaseStep, NewCase, NewSeat},
        },
        Db,
    },
    domain::{
        audit::{Event, Subject},
        draw::Seed,
        mask,
        penalty::{self, CaseParties, CaseStatus, Closing, Conflict, Opinion, PenaltyKind, PoolState, ReplyKind, SeatState},
        role::Role,
        Rule,
    },
    model::PanelDrawRecord,
};

async fn record(tx: &mut Tx, actor: &Actor<'_>, case: i64, event: &Event) -> ServiceResult<()> {
    audit::append(tx, actor.now, Some(actor.id()), Subject::PenaltyCase(case), event).await?;
    Ok(())
}

async fn record_user(tx: &mut Tx, actor: &Actor<'_>, user: i64, event: &Event) -> ServiceResult<()> {
    audit::append(tx, actor.now, Some(actor.id()), Subject::User(user), event).await?;
    Ok(())
}

/// Saves a step of the case and its audit entry, and commits: the tail of every action
/// that moves the case.
async fn finish(mut tx: Tx, actor: &Actor<'_>, case: i64, to: CaseStatus, step: &CaseStep<'_>, event: &Event) -> ServiceResult<()> {
    store::record_step(&mut tx, case, to, step, actor.now).await?;
    record(&mut tx, actor, case, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Loads the case, locked: every action on one case waits for the one before.
async fn load(tx: &mut Tx, id: i64) -> ServiceResult<CaseState> {
    store::load_case(tx, id, true).await?.ok_or(ServiceError::NotFound)
}

/// The case's agency acts through its officials; a draft is invisible to anyone else.
fn agency_official(actor: &Actor<'_>, case: &CaseState) -> ServiceResult<()> {
    if actor.viewer.may_publish_for(case.agency_id) {
        Ok(())
    } else if case.status == CaseStatus::Draft {
        Err(ServiceError::NotFound)
    } else {
        Err(ServiceError::rule("form", Rule::NotYourAgency))
    }
}

/// Drawing the panel and closing the review: the agency's official or an admin.
fn manager(actor: &Actor<'_>, case: &CaseState) -> ServiceResult<()> {
    if actor.viewer.has(Role::Admin) && case.status != CaseStatus::Draft {
        Ok(())
    } else {
        agency_official(actor, case)
    }
}

// ---- the pool

/// A signed-in citizen volunteers for the pool with the conflicts they declare. Someone
/// rejected, withdrawn or whose term ended may volunteer again.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn volunteer(db: &Db, actor: &Actor<'_>, motivation: &str, conflicts: &[Conflict]) -> ServiceResult<i64> {
    actor.viewer.may_take_part().map_err(|rule| ServiceError::rule("form", rule))?;
    let mut tx = db.begin_write().await?;
    if let Some((_, state, ends)) = store::member_of(&mut tx, actor.id()).await? {
        if state == PoolState::Volunteered || penalty::in_term(state, ends, actor.now) {
            return Err(ServiceError::rule("form", Rule::AlreadyInPool));
        }
    }
    let member = store::volunteer(&mut tx, actor.id(), motivation, actor.now).await?;
    store::set_conflicts(&mut tx, member, conflicts).await?;
    record_user(&mut tx, actor, actor.id(), &Event::PoolVolunteered { member, conflicts: conflicts.len() as u32 }).await?;
    tx.commit().await?;
    Ok(member)
}

/// A reviewer declares their conflicts anew (they apply to every later draw).
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn declare_conflicts(db: &Db, actor: &Actor<'_>, conflicts: &[Conflict]) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let Some((member, _, _)) = store::member_of(&mut tx, actor.id()).await? else {
        return Err(ServiceError::rule("form", Rule::NotInPool));
    };
    store::set_conflicts(&mut tx, member, conflicts).await?;
    record_user(&mut tx, actor, actor.id(), &Event::PoolConflictsDeclared { member, conflicts: conflicts.len() as u32 }).await?;
    tx.commit().await?;
    Ok(())
}

/// A reviewer leaves the pool, once no panel they sit on is under review.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn leave_pool(db: &Db, actor: &Actor<'_>) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let Some((member, state, _)) = store::member_of(&mut tx, actor.id()).await? else {
        return Err(ServiceError::rule("form", Rule::NotInPool));
    };
    if matches!(state, PoolState::Withdrawn | PoolState::Rejected) {
        return Err(ServiceError::rule("form", Rule::NotInPool));
    }
    if store::sits_on_open_panel(&mut tx, actor.id()).await? {
        return Err(ServiceError::rule("form", Rule::StillOnPanel));
    }
    store::set_member_state(&mut tx, member, PoolState::Withdrawn, None, Some(actor.id()), None, actor.now).await?;
    record_user(&mut tx, actor, actor.id(), &Event::PoolWithdrawn { member }).await?;
    tx.commit().await?;
    Ok(())
}

/// The pool is an admin's to approve (the server function checks the role too).
fn admin(actor: &Actor<'_>) -> ServiceResult<()> {
    if actor.viewer.has(Role::Admin) {
        Ok(())
    } else {
        Err(ServiceError::NotFound)
    }
}

/// An admin approves a volunteer, or renews an active reviewer's term, for `years`.
#[tracing::instrument(skip_all, fields(actor = actor.id(), member))]
pub async fn approve(db: &Db, actor: &Actor<'_>, member: i64, years: u32) -> ServiceResult<chrono::DateTime<chrono::Utc>> {
    admin(actor)?;
    approve_member(db, actor.now, Some(actor.id()), member, years).await
}

/// The operator approves a volunteer from the command line (and the demo data set):
/// recorded without an account as the actor.
pub async fn approve_by_operator(
    db: &Db,
    now: chrono::DateTime<chrono::Utc>,
    member: i64,
    years: u32,
) -> ServiceResult<chrono::DateTime<chrono::Utc>> {
    approve_member(db, now, None, member, years).await
}

async fn approve_member(
    db: &Db,
    now: chrono::DateTime<chrono::Utc>,
    by: Option<i64>,
    member: i64,
    years: u32,
) -> ServiceResult<chrono::DateTime<chrono::Utc>> {
    let years = penalty::check_term(years).map_err(|r| ServiceError::rule("years", r))?;
    let mut tx = db.begin_write().await?;
    let Some((user, state, ends)) = store::member(&mut tx, member).await? else { return Err(ServiceError::NotFound) };
    let term_ends = match state {
        PoolState::Volunteered => penalty::term_end(now, years),
        PoolState::Active => penalty::renewed_term(now, ends, years),
        PoolState::Rejected | PoolState::Withdrawn => return Err(ServiceError::rule("form", Rule::NotInPool)),
    };
    store::set_member_state(&mut tx, member, PoolState::Active, Some(term_ends), by, None, now).await?;
    audit::append(&mut tx, now, by, Subject::User(user), &Event::PoolApproved { member, term_ends }).await?;
    tx.commit().await?;
    Ok(term_ends)
}

/// An admin turns a volunteer down, with the reason the volunteer reads.
#[tracing::instrument(skip_all, fields(actor = actor.id(), member))]
pub async fn reject(db: &Db, actor: &Actor<'_>, member: i64, reason: &str) -> ServiceResult<()> {
    admin(actor)?;
    let mut tx = db.begin_write().await?;
    let Some((user, state, _)) = store::member(&mut tx, member).await? else { return Err(ServiceError::NotFound) };
    if state != PoolState::Volunteered {
        return Err(ServiceError::rule("form", Rule::NotInPool));
    }
    store::set_member_state(&mut tx, member, PoolState::Rejected, None, Some(actor.id()), Some(reason), actor.now).await?;
    record_user(&mut tx, actor, user, &Event::PoolRejected { member, reason: reason.to_owned() }).await?;
    tx.commit().await?;
    Ok(())
}

// ---- cases

/// What an official submits, normalised and validated by the caller.
pub struct CaseInput {
    pub case_number: String,
    pub district: String,
    pub party_name: String,
    pub listed_names: Vec<String>,
    /// Facts, legal basis, discretion standard, as written.
    pub texts: [String; 3],
    pub penalty_kind: PenaltyKind,
    pub amount: Option<i64>,
    pub panel_size: u32,
}

impl CaseState {
    fn names(&self) -> Vec<&str> {
        penalty::names_to_mask(&self.party_name, &self.listed_names)
    }
}

/// An official submits a case for their agency. The text is masked automatically and
/// kept as a draft, seen by the agency only, until an official confirms the masking.
#[tracing::instrument(skip_all, fields(actor = actor.id()))]
pub async fn submit(db: &Db, actor: &Actor<'_>, input: CaseInput) -> ServiceResult<i64> {
    let agency_id = match actor.viewer.agency_id {
        Some(agency) if actor.viewer.has(Role::Official) => agency,
        _ => return Err(ServiceError::rule("form", Rule::NotYourAgency)),
    };
    let amount = penalty::check_penalty(input.penalty_kind, input.amount).map_err(|r| ServiceError::rule("amount", r))?;
    let size = penalty::check_panel_size(input.panel_size).map_err(|r| ServiceError::rule("panel_size", r))?;
    let names = penalty::names_to_mask(&input.party_name, &input.listed_names);
    let masked: Vec<mask::Masked> = input.texts.iter().map(|t| mask::mask(t, &names)).collect();
    let masked_texts: Vec<String> = masked.iter().map(mask::Masked::masked_text).collect();
    let spans: usize = masked.iter().map(mask::Masked::count).sum();
    let seed = super::hearings::new_seed();
    let commitment = seed.commitment();
    let mut tx = db.begin_write().await?;
    let new = NewCase {
        agency_id,
        case_number: &input.case_number,
        district: &input.district,
        party_name: &input.party_name,
        listed_names: &input.listed_names,
        originals: [&input.texts[0], &input.texts[1], &input.texts[2]],
        masked: [&masked_texts[0], &masked_texts[1], &masked_texts[2]],
        penalty_kind: input.penalty_kind,
        penalty_amount: amount,
        panel_size: size,
        seed: &seed.to_hex(),
        seed_commitment: &commitment,
    };
    let id = store::insert_case(&mut tx, &new, actor.id(), actor.now).await?;
    let event = Event::CaseSubmitted { agency: agency_id, penalty: input.penalty_kind, amount, masked_spans: spans as u32, commitment };
    record(&mut tx, actor, id, &event).await?;
    tx.commit().await?;
    Ok(id)
}

/// Refuses text about to be published while it shows an ID or phone number, or one of
/// the listed names: the field and the spot are named.
fn check_publishable(field: &'static str, text: &str, names: &[&str]) -> ServiceResult<()> {
    let unmasked = mask::check_published(text).err().or_else(|| penalty::name_left(text, names));
    match unmasked {
        None => Ok(()),
        Some(u) => {
            Err(ServiceError::rule(field, Rule::UnmaskedPersonalData { kind: u.kind, line: u.line, column: u.column, excerpt: u.excerpt }))
        }
    }
}

/// An official confirms the masked text (as they may have corrected it) and the case is
/// published. Refused while personal data is left in it.
#[tracing::instrument(skip_all, fields(actor = actor.id(), case = id))]
pub async fn confirm_masking(db: &Db, actor: &Actor<'_>, id: i64, masked: [String; 3], case_number: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let case = load(&mut tx, id).await?;
    agency_official(actor, &case)?;
    let next = penalty::confirm_masking(case.status).map_err(|r| ServiceError::rule("form", r))?;
    let names = case.names();
    check_publishable("case_number", case_number, &names)?;
    for (field, text) in ["facts", "basis", "discretion"].into_iter().zip(masked.iter()) {
        check_publishable(field, text, &names)?;
    }
    let step = CaseStep::Confirmed { masked: [&masked[0], &masked[1], &masked[2]], case_number };
    finish(tx, actor, id, next, &step, &Event::CaseMaskingConfirmed).await
}

/// The official records the party's statement (as the party gave it to the agency),
/// masked like the case: published with it.
#[tracing::instrument(skip_all, fields(actor = actor.id(), case = id))]
pub async fn add_statement(db: &Db, actor: &Actor<'_>, id: i64, statement: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let case = load(&mut tx, id).await?;
    agency_official(actor, &case)?;
    penalty::may_add_statement(case.status).map_err(|r| ServiceError::rule("form", r))?;
    let names = case.names();
    let masked = mask::mask(statement, &names).masked_text();
    check_publishable("statement", &masked, &names)?;
    finish(tx, actor, id, case.status, &CaseStep::Statement(&masked), &Event::CaseStatementAdded).await
}

/// Draws the panel: the active pool in its term, without anyone with a conflict or on
/// another open panel, in pool order; the committed seed decides the lot order. The first
/// `size` are invited with the deadline; the rest wait as reserves in draw order.
#[tracing::instrument(skip_all, fields(actor = actor.id(), case = id))]
pub async fn draw_panel(db: &Db, actor: &Actor<'_>, id: i64, size: u32, review_days: u32) -> ServiceResult<PanelDrawRecord> {
    let mut tx = db.begin_write().await?;
    let case = load(&mut tx, id).await?;
    manager(actor, &case)?;
    let next = penalty::may_draw(case.status).map_err(|r| ServiceError::rule("form", r))?;
    let days = penalty::check_review_days(review_days).map_err(|r| ServiceError::rule("review_days", r))?;
    let candidates = store::candidates(&mut tx, actor.now).await?;
    let parties =
        CaseParties { agency_id: case.agency_id, district: &case.district, party: &case.party_name, submitted_by: case.created_by };
    let list: Vec<penalty::Candidate> = candidates.iter().map(|(_, c)| c.clone()).collect();
    let (eligible, excluded) = penalty::eligible(&list, &parties);
    let seed = Seed::from_hex(&case.seed).ok_or(ServiceError::NotFound)?;
    let draw = penalty::panel_draw(&seed, eligible.len(), size, excluded.iter().sum())
        .map_err(|r| ServiceError::rule(if matches!(r, Rule::PanelSize { .. }) { "size" } else { "form" }, r))?;
    let due = penalty::review_due(actor.now, days);
    let members: Vec<(i64, i64)> =
        eligible.iter().filter_map(|user| candidates.iter().find(|(_, c)| c.user_id == *user).map(|(m, _)| (*m, *user))).collect();
    let seats: Vec<NewSeat> = draw
        .lot
        .iter()
        .enumerate()
        .filter_map(|(place, ordinal)| {
            let (member_id, user_id) = *members.get(*ordinal as usize - 1)?;
            let sits = place < size as usize;
            Some(NewSeat {
                user_id,
                member_id,
                ordinal: *ordinal,
                lot: place as u32 + 1,
                state: if sits { SeatState::Invited } else { SeatState::Reserve },
                due_at: sits.then_some(due),
            })
        })
        .collect();
    store::insert_seats(&mut tx, id, &seats, actor.now).await?;
    let record_ = PanelDrawRecord {
        case_id: id,
        algorithm: penalty::PANEL_ALGORITHM.to_owned(),
        seed: case.seed.clone(),
        commitment: case.seed_commitment.clone(),
        size,
        eligible: members.iter().map(|(m, _)| penalty::reviewer_code(*m)).collect(),
        excluded: excluded.clone(),
        outcome: draw,
        drawn_at: actor.now,
        verified: true,
    };
    store::insert_draw(&mut tx, &record_, actor.id()).await?;
    store::record_step(&mut tx, id, next, &CaseStep::Drawn { size, due }, actor.now).await?;
    let event = Event::CasePanelDrawn {
        algorithm: penalty::PANEL_ALGORITHM.to_owned(),
        seed: case.seed,
        eligible: eligible.len() as u32,
        excluded,
        size,
        due,
    };
    record(&mut tx, actor, id, &event).await?;
    tx.commit().await?;
    Ok(record_)
}

/// The next reserve in draw order takes the seat of `leaving`, with at least
/// [`penalty::REPLACEMENT_DAYS`] for the opinion. `None` when no reserve is left.
async fn replace(
    tx: &mut Tx,
    actor: &Actor<'_>,
    case: &CaseState,
    leaving: i64,
    due: chrono::DateTime<chrono::Utc>,
) -> ServiceResult<Option<(i64, chrono::DateTime<chrono::Utc>)>> {
    let seats = store::seats(tx, case.id).await?;
    let Some(next) = seats.iter().find(|s| s.state == SeatState::Reserve) else { return Ok(None) };
    let due = penalty::replacement_due(actor.now, due);
    store::invite_reserve(tx, case.id, next.user_id, leaving, due, actor.now).await?;
    Ok(Some((next.user_id, due)))
}

/// The published case (a draft is nobody's but its agency's) and the actor's seat on it.
async fn load_with_seat(tx: &mut Tx, actor: &Actor<'_>, id: i64) -> ServiceResult<(CaseState, Option<store::Seat>)> {
    let case = load(tx, id).await?;
    if case.status == CaseStatus::Draft {
        return Err(ServiceError::NotFound);
    }
    let mine = store::seats(tx, id).await?.into_iter().find(|s| s.user_id == actor.id());
    Ok((case, mine))
}

/// A panelist accepts or declines the invitation; one who declines is replaced by the next
/// reserve in draw order.
#[tracing::instrument(skip_all, fields(actor = actor.id(), case = id))]
pub async fn answer_invitation(db: &Db, actor: &Actor<'_>, id: i64, accept: bool) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let (case, mine) = load_with_seat(&mut tx, actor, id).await?;
    penalty::may_answer_invitation(case.status, mine.map(|s| s.state)).map_err(|r| ServiceError::rule("form", r))?;
    let mut replaced_by = None;
    if accept {
        store::set_seat_state(&mut tx, id, actor.id(), SeatState::Accepted, actor.now).await?;
    } else {
        store::set_seat_state(&mut tx, id, actor.id(), SeatState::Declined, actor.now).await?;
        let due = case.review_due.unwrap_or(actor.now);
        match replace(&mut tx, actor, &case, actor.id(), due).await? {
            Some((user, new_due)) => {
                replaced_by = Some(user);
                if new_due > due {
                    store::record_step(&mut tx, id, case.status, &CaseStep::Extended { due: new_due }, actor.now).await?;
                }
            }
            None => return Err(ServiceError::rule("form", Rule::PoolExhausted)),
        }
    }
    record(&mut tx, actor, id, &Event::CaseInvitationAnswered { accepted: accept, replaced_by }).await?;
    tx.commit().await?;
    Ok(())
}

/// A panelist gives (or revises, until the deadline) an opinion with reasons, and an
/// amount for "lighter" or "heavier".
#[tracing::instrument(skip_all, fields(actor = actor.id(), case = id))]
pub async fn give_opinion(db: &Db, actor: &Actor<'_>, id: i64, opinion: Opinion, reasons: &str, amount: Option<i64>) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let (case, mine) = load_with_seat(&mut tx, actor, id).await?;
    let due = mine.as_ref().and_then(|s| s.due_at).or(case.review_due).unwrap_or(actor.now);
    let amount = penalty::check_opinion(
        case.status,
        mine.as_ref().map(|s| s.state),
        due,
        actor.now,
        opinion,
        (case.penalty_kind, case.penalty_amount),
        amount,
    )?;
    let revision = mine.as_ref().is_some_and(|s| s.opinion.is_some());
    store::save_opinion(&mut tx, id, actor.id(), opinion, reasons, amount, actor.now).await?;
    record(&mut tx, actor, id, &Event::CaseOpinionGiven { revision }).await?;
    tx.commit().await?;
    Ok(())
}

/// What closing the review did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closed {
    Concluded(Opinion),
    /// This many panelists missed the deadline and were replaced; the review runs until then.
    Replaced(u32, chrono::DateTime<chrono::Utc>),
}

/// Closes the review after its deadline: panelists without an opinion missed it and are
/// replaced (the review goes on); when every seat has an opinion, the panel's opinion is
/// the majority, else the median, and the agency's reply is due.
#[tracing::instrument(skip_all, fields(actor = actor.id(), case = id))]
pub async fn close_review(db: &Db, actor: &Actor<'_>, id: i64) -> ServiceResult<Closed> {
    let mut tx = db.begin_write().await?;
    let case = load(&mut tx, id).await?;
    manager(actor, &case)?;
    let seats: Vec<store::Seat> = store::seats(&mut tx, id).await?.into_iter().filter(|s| s.state.sits()).collect();
    // each seat's own deadline counts (a replacement has a later one)
    let due = seats.iter().filter_map(|s| s.due_at).max().or(case.review_due).unwrap_or(actor.now);
    let opinions: Vec<Option<Opinion>> = seats.iter().map(|s| s.opinion).collect();
    let closing = penalty::close_review(case.status, due, actor.now, &opinions).map_err(|r| ServiceError::rule("form", r))?;
    let closed = match closing {
        Closing::Replace(missing) => {
            let (mut missed, mut replaced_by, mut until) = (Vec::new(), Vec::new(), due);
            for i in missing {
                let Some(seat) = seats.get(i) else { continue };
                store::set_seat_state(&mut tx, id, seat.user_id, SeatState::Missed, actor.now).await?;
                let Some((user, new_due)) = replace(&mut tx, actor, &case, seat.user_id, due).await? else {
                    return Err(ServiceError::rule("form", Rule::PoolExhausted));
                };
                missed.push(seat.user_id);
                replaced_by.push(user);
                until = until.max(new_due);
            }
            store::record_step(&mut tx, id, case.status, &CaseStep::Extended { due: until }, actor.now).await?;
            let n = missed.len() as u32;
            record(&mut tx, actor, id, &Event::CasePanelistsReplaced { missed, replaced_by, due: until }).await?;
            Closed::Replaced(n, until)
        }
        Closing::Conclude(panel) => {
            let reply_due = penalty::reply_due(actor.now);
            store::record_step(&mut tx, id, CaseStatus::Concluded, &CaseStep::Concluded { panel: &panel, reply_due }, actor.now).await?;
            record(&mut tx, actor, id, &Event::CaseConcluded { opinion: panel.opinion, breakdown: panel.breakdown.clone() }).await?;
            Closed::Concluded(panel.opinion)
        }
    };
    tx.commit().await?;
    Ok(closed)
}

/// The agency records how it used the panel's opinion, with reasons and the final penalty.
#[tracing::instrument(skip_all, fields(actor = actor.id(), case = id))]
pub async fn reply(
    db: &Db,
    actor: &Actor<'_>,
    id: i64,
    kind: ReplyKind,
    reasons: &str,
    final_kind: PenaltyKind,
    final_amount: Option<i64>,
) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let case = load(&mut tx, id).await?;
    agency_official(actor, &case)?;
    let next = penalty::may_reply(case.status).map_err(|r| ServiceError::rule("form", r))?;
    let final_amount = penalty::check_penalty(final_kind, final_amount).map_err(|r| ServiceError::rule("final_amount", r))?;
    let names = case.names();
    check_publishable("reasons", reasons, &names)?;
    let step = CaseStep::Replied { kind, reasons, final_kind, final_amount };
    finish(tx, actor, id, next, &step, &Event::CaseReplied { reply: kind, final_penalty: final_kind, final_amount }).await
}

/// The agency withdraws a case before the panel concludes, with the reason published.
#[tracing::instrument(skip_all, fields(actor = actor.id(), case = id))]
pub async fn withdraw(db: &Db, actor: &Actor<'_>, id: i64, reason: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let case = load(&mut tx, id).await?;
    agency_official(actor, &case)?;
    let next = penalty::withdraw(case.status).map_err(|r| ServiceError::rule("form", r))?;
    let names = case.names();
    check_publishable("reason", reason, &names)?;
    finish(tx, actor, id, next, &CaseStep::Withdrawn { reason }, &Event::CaseWithdrawn { reason: reason.to_owned() }).await
}
