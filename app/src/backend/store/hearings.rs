//! Hearings: the hearing and its schedule, officers, applications, the published draw
//! and applicants' notices. Every function takes the action's transaction (or a read
//! transaction from [`Db::begin_read`]).

use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::{
    backend::{db::Tx, Db},
    domain::{
        draw::{Applicant, DrawOutcome},
        hearing::{ApplicationState, Confirmation, Constituency, HearingStatus, NoticeKind, Schedule, Seats},
    },
    model::{
        Agency, ApplicantRow, DrawRecord, HearingDetail, HearingNotice, HearingReport, HearingSummary, MyApplication, Page, ParticipantView,
    },
    on_tx,
};

/// What a hearing action needs to know (locked on PostgreSQL when asked).
#[derive(Clone, Debug)]
pub struct HearingState {
    pub id: i64,
    pub proposal_id: i64,
    pub status: HearingStatus,
    pub schedule: Schedule,
    pub seats: Seats,
    pub venue: String,
    pub venue_key: String,
    pub call_published_at: Option<DateTime<Utc>>,
    pub lists_published_at: Option<DateTime<Utc>>,
    pub materials_sent_at: Option<DateTime<Utc>>,
    pub materials_shortened: bool,
    pub seed: String,
    pub seed_commitment: String,
    pub revision: i64,
}

impl HearingState {
    pub fn steps(&self) -> crate::domain::hearing::Steps {
        crate::domain::hearing::Steps {
            call_published: self.call_published_at,
            lists_published: self.lists_published_at,
            materials_sent: self.materials_sent_at.map(|at| (at, self.materials_shortened)),
            drawn: !matches!(self.status, HearingStatus::Scheduled | HearingStatus::CallOpen),
        }
    }
}

#[derive(sqlx::FromRow)]
struct StateRow {
    id: i64,
    proposal_id: i64,
    status: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    apply_until: DateTime<Utc>,
    seats_participants: i32,
    seats_observers: i32,
    seats_press: i32,
    venue: String,
    venue_key: String,
    call_published_at: Option<DateTime<Utc>>,
    lists_published_at: Option<DateTime<Utc>>,
    materials_sent_at: Option<DateTime<Utc>>,
    materials_reason: Option<String>,
    seed: String,
    seed_commitment: String,
    revision: i32,
}

fn seats(participants: i32, observers: i32, press: i32) -> Seats {
    Seats { participants: participants.max(0) as u32, observers: observers.max(0) as u32, press: press.max(0) as u32 }
}

fn status(raw: &str) -> HearingStatus {
    // written by this program from the same enum and checked by the schema
    HearingStatus::parse(raw).unwrap_or(HearingStatus::Cancelled)
}

fn constituency(raw: &str) -> Constituency {
    Constituency::parse(raw).unwrap_or(Constituency::Other)
}

fn app_state(raw: &str) -> ApplicationState {
    ApplicationState::parse(raw).unwrap_or(ApplicationState::Applied)
}

pub async fn load(tx: &mut Tx, id: i64, lock: bool) -> StoreResult<Option<HearingState>> {
    let lock = if lock { tx.for_update("h") } else { String::new() };
    let sql = format!(
        "SELECT h.id, h.proposal_id, h.status, h.starts_at, h.ends_at, h.apply_until, h.seats_participants, h.seats_observers, \
         h.seats_press, h.venue, h.venue_key, h.call_published_at, h.lists_published_at, h.materials_sent_at, h.materials_reason, \
         h.seed, h.seed_commitment, h.revision FROM hearings h WHERE h.id = $1{lock}"
    );
    let row: Option<StateRow> = on_tx!(tx, |c| sqlx::query_as::<_, StateRow>(&sql).bind(id).fetch_optional(&mut *c).await)?;
    Ok(row.map(|r| HearingState {
        id: r.id,
        proposal_id: r.proposal_id,
        status: status(&r.status),
        schedule: Schedule { starts_at: r.starts_at, ends_at: r.ends_at, apply_until: r.apply_until },
        seats: seats(r.seats_participants, r.seats_observers, r.seats_press),
        venue: r.venue,
        venue_key: r.venue_key,
        call_published_at: r.call_published_at,
        lists_published_at: r.lists_published_at,
        materials_sent_at: r.materials_sent_at,
        materials_shortened: r.materials_reason.is_some(),
        seed: r.seed,
        seed_commitment: r.seed_commitment,
        revision: r.revision as i64,
    }))
}

/// A new hearing, as the organizer scheduled it.
pub struct NewHearing<'a> {
    pub proposal_id: i64,
    pub venue: &'a str,
    pub venue_key: &'a str,
    pub schedule: Schedule,
    pub seats: Seats,
    pub plan_summary: &'a str,
    pub seed: &'a str,
    pub seed_commitment: &'a str,
}

pub async fn insert(tx: &mut Tx, h: &NewHearing<'_>, by: i64, now: DateTime<Utc>) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO hearings (proposal_id, venue, venue_key, starts_at, ends_at, apply_until, seats_participants, seats_observers, \
         seats_press, plan_summary, seed, seed_commitment, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id"
    )
    .bind(h.proposal_id)
    .bind(h.venue)
    .bind(h.venue_key)
    .bind(h.schedule.starts_at)
    .bind(h.schedule.ends_at)
    .bind(h.schedule.apply_until)
    .bind(h.seats.participants as i32)
    .bind(h.seats.observers as i32)
    .bind(h.seats.press as i32)
    .bind(h.plan_summary)
    .bind(h.seed)
    .bind(h.seed_commitment)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
}

pub async fn insert_officers(tx: &mut Tx, hearing: i64, officers: &[i64]) -> StoreResult<()> {
    for (position, user) in officers.iter().enumerate() {
        on_tx!(tx, |c| sqlx::query("INSERT INTO hearing_officers (hearing_id, user_id, position) VALUES ($1, $2, $3)")
            .bind(hearing)
            .bind(user)
            .bind(position as i32 + 1)
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Serializes schedulers of one venue on PostgreSQL for the rest of the transaction, so
/// that two organizers cannot both find the venue free (SQLite's writers are serial).
pub async fn lock_venue(tx: &mut Tx, venue_key: &str) -> StoreResult<()> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))").bind(format!("venue:{venue_key}")).execute(&mut **t).await?;
    }
    Ok(())
}

/// A hearing (not cancelled, not this one) at the venue whose session overlaps.
pub async fn venue_clash(
    tx: &mut Tx,
    venue_key: &str,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    except: i64,
) -> StoreResult<Option<(i64, DateTime<Utc>, DateTime<Utc>)>> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, starts_at, ends_at FROM hearings WHERE venue_key = $1 AND status <> 'cancelled' AND id <> $2 \
         AND starts_at < $3 AND $4 < ends_at ORDER BY starts_at LIMIT 1"
    )
    .bind(venue_key)
    .bind(except)
    .bind(ends_at)
    .bind(starts_at)
    .fetch_optional(&mut *c)
    .await)
}

/// The proposal's hearing under way (neither cancelled nor reported), if any.
pub async fn underway_for(tx: &mut Tx, proposal_id: i64) -> StoreResult<Option<i64>> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM hearings WHERE proposal_id = $1 AND status NOT IN ('cancelled', 'reported') ORDER BY id LIMIT 1"
    )
    .bind(proposal_id)
    .fetch_optional(&mut *c)
    .await)
}

/// The hearing gate's evidence: a published report of one of the proposal's hearings.
pub async fn report_published(tx: &mut Tx, proposal_id: i64) -> StoreResult<bool> {
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM hearings WHERE proposal_id = $1 AND status = 'reported'")
        .bind(proposal_id)
        .fetch_one(&mut *c)
        .await)?;
    Ok(n > 0)
}

/// Which step a status change records, with its time column.
pub enum Step<'a> {
    CallPublished,
    CallExtended(DateTime<Utc>),
    Drawn,
    ListsPublished,
    MaterialsSent { reason: Option<&'a str> },
    Agenda(&'a str),
    Record(&'a str),
    Report(&'a HearingReport),
    Postponed { schedule: Schedule, reason: &'a str },
    Cancelled { reason: &'a str },
}

/// A value a step writes.
enum Value<'a> {
    Text(Option<&'a str>),
    Time(DateTime<Utc>),
}

/// Records a step (and the status it leads to): `status` is `$2`, the instant `$3`, and
/// the step's own values follow.
pub async fn record_step(tx: &mut Tx, id: i64, to: HearingStatus, step: &Step<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    use Value::{Text, Time};
    let (set, values): (&str, Vec<Value>) = match step {
        Step::CallPublished => ("call_published_at = $3", vec![]),
        Step::CallExtended(until) => ("apply_until = $4", vec![Time(*until)]),
        Step::Drawn => ("", vec![]),
        Step::ListsPublished => ("lists_published_at = $3", vec![]),
        Step::MaterialsSent { reason } => ("materials_sent_at = $3, materials_reason = $4", vec![Text(*reason)]),
        Step::Agenda(agenda) => ("agenda = $4", vec![Text(Some(agenda))]),
        Step::Record(record) => ("record = $4, record_at = $3", vec![Text(Some(record))]),
        Step::Report(r) => (
            "report_summary = $4, report_consumer = $5, report_operator = $6, report_expert = $7, report_other = $8, report_at = $3",
            vec![Text(Some(&r.summary)), Text(Some(&r.consumer)), Text(Some(&r.operator)), Text(Some(&r.expert)), Text(Some(&r.other))],
        ),
        Step::Postponed { schedule, reason } => (
            "starts_at = $4, ends_at = $5, apply_until = $6, status_reason = $7, revision = revision + 1",
            vec![Time(schedule.starts_at), Time(schedule.ends_at), Time(schedule.apply_until), Text(Some(reason))],
        ),
        Step::Cancelled { reason } => ("status_reason = $4, revision = revision + 1", vec![Text(Some(reason))]),
    };
    let sql = format!("UPDATE hearings SET status = $2, {set}{}updated_at = $3 WHERE id = $1", if set.is_empty() { "" } else { ", " });
    on_tx!(tx, |c| {
        let mut query = sqlx::query(&sql).bind(id).bind(to.as_str()).bind(now);
        for value in &values {
            query = match value {
                Text(text) => query.bind(*text),
                Time(at) => query.bind(*at),
            };
        }
        query.execute(&mut *c).await.map(|_| ())
    })
}

// ---- officers

/// The account with this (normalised) e-mail, as a proposed hearing officer.
pub async fn officer_candidate(tx: &mut Tx, email: &str) -> StoreResult<Option<crate::domain::hearing::OfficerCandidate>> {
    let row: Option<(i64, String, Option<i64>)> =
        on_tx!(tx, |c| sqlx::query_as("SELECT id, display_name, agency_id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *c)
            .await)?;
    Ok(row.map(|(user_id, name, agency_id)| crate::domain::hearing::OfficerCandidate { user_id, name, agency_id }))
}

/// The officers' user ids and names, in their order.
pub async fn officers(tx: &mut Tx, hearing: i64) -> StoreResult<Vec<(i64, String)>> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT u.id, u.display_name FROM hearing_officers o JOIN users u ON u.id = o.user_id WHERE o.hearing_id = $1 ORDER BY o.position"
    )
    .bind(hearing)
    .fetch_all(&mut *c)
    .await)
}

// ---- applications

pub struct NewApplication<'a> {
    pub hearing_id: i64,
    pub user_id: i64,
    pub constituency: Constituency,
    pub low_income: bool,
    pub statement: &'a str,
}

/// Inserts the application; `None` when this citizen applied already.
pub async fn insert_application(tx: &mut Tx, a: &NewApplication<'_>, now: DateTime<Utc>) -> StoreResult<Option<i64>> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO hearing_applications (hearing_id, user_id, constituency, low_income, statement, applied_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hearing_id, user_id) DO NOTHING RETURNING id"
    )
    .bind(a.hearing_id)
    .bind(a.user_id)
    .bind(a.constituency.as_str())
    .bind(a.low_income)
    .bind(a.statement)
    .bind(now)
    .fetch_optional(&mut *c)
    .await)
}

/// A citizen's application to a hearing: id, state, whether they answered the record.
pub async fn application_of(tx: &mut Tx, hearing: i64, user: i64) -> StoreResult<Option<(i64, ApplicationState, bool)>> {
    let row: Option<(i64, String, Option<String>)> =
        on_tx!(tx, |c| sqlx::query_as("SELECT id, state, confirmation FROM hearing_applications WHERE hearing_id = $1 AND user_id = $2")
            .bind(hearing)
            .bind(user)
            .fetch_optional(&mut *c)
            .await)?;
    Ok(row.map(|(id, state, answer)| (id, app_state(&state), answer.is_some())))
}

/// Every application in the order it came (the published list's order): id, user, and
/// what the draw reads.
pub async fn applications_in_order(tx: &mut Tx, hearing: i64) -> StoreResult<Vec<(i64, i64, Constituency, bool)>> {
    let rows: Vec<(i64, i64, String, bool)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, user_id, constituency, low_income FROM hearing_applications WHERE hearing_id = $1 ORDER BY id"
    )
    .bind(hearing)
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows.into_iter().map(|(id, user, c, low)| (id, user, constituency(&c), low)).collect())
}

/// Writes one application's draw result.
pub async fn set_drawn(tx: &mut Tx, application: i64, ordinal: i64, lot: i64, state: ApplicationState) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE hearing_applications SET ordinal = $2, lot = $3, state = $4 WHERE id = $1")
        .bind(application)
        .bind(ordinal as i32)
        .bind(lot as i32)
        .bind(state.as_str())
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

pub async fn set_state(tx: &mut Tx, application: i64, state: ApplicationState) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE hearing_applications SET state = $2 WHERE id = $1")
        .bind(application)
        .bind(state.as_str())
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

/// Ordinals of the selected participants and of the waiting list (in lot order).
pub async fn seat_lists(tx: &mut Tx, hearing: i64) -> StoreResult<(Vec<u32>, Vec<u32>)> {
    let rows: Vec<(i32, String)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT ordinal, state FROM hearing_applications WHERE hearing_id = $1 AND state IN ('selected', 'waiting') \
         AND ordinal IS NOT NULL ORDER BY lot"
    )
    .bind(hearing)
    .fetch_all(&mut *c)
    .await)?;
    let (mut selected, mut waiting) = (Vec::new(), Vec::new());
    for (ordinal, state) in rows {
        match app_state(&state) {
            ApplicationState::Selected => selected.push(ordinal as u32),
            _ => waiting.push(ordinal as u32),
        }
    }
    Ok((selected, waiting))
}

/// The application and user holding this ordinal in the hearing's list.
pub async fn by_ordinal(tx: &mut Tx, hearing: i64, ordinal: u32) -> StoreResult<Option<(i64, i64)>> {
    on_tx!(tx, |c| sqlx::query_as("SELECT id, user_id FROM hearing_applications WHERE hearing_id = $1 AND ordinal = $2")
        .bind(hearing)
        .bind(ordinal as i32)
        .fetch_optional(&mut *c)
        .await)
}

/// The users holding the given states (for notices).
pub async fn users_in(tx: &mut Tx, hearing: i64, states: &[ApplicationState]) -> StoreResult<Vec<i64>> {
    let list = states.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT user_id FROM hearing_applications WHERE hearing_id = $1 AND state IN ({list}) ORDER BY id");
    on_tx!(tx, |c| sqlx::query_scalar(&sql).bind(hearing).fetch_all(&mut *c).await)
}

/// A participant's application of this hearing: (user, state).
pub async fn application(tx: &mut Tx, hearing: i64, application: i64) -> StoreResult<Option<(i64, ApplicationState)>> {
    let row: Option<(i64, String)> =
        on_tx!(tx, |c| sqlx::query_as("SELECT user_id, state FROM hearing_applications WHERE hearing_id = $1 AND id = $2")
            .bind(hearing)
            .bind(application)
            .fetch_optional(&mut *c)
            .await)?;
    Ok(row.map(|(user, state)| (user, app_state(&state))))
}

pub async fn set_speaker(tx: &mut Tx, application: i64, position: u32, minutes: u32) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE hearing_applications SET speaker_position = $2, speaker_minutes = $3 WHERE id = $1")
        .bind(application)
        .bind(position as i32)
        .bind(minutes as i32)
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

pub async fn set_present(tx: &mut Tx, application: i64, present: bool) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE hearing_applications SET present = $2 WHERE id = $1")
        .bind(application)
        .bind(present)
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

pub async fn answer_record(
    tx: &mut Tx,
    application: i64,
    confirmation: Confirmation,
    objection: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE hearing_applications SET confirmation = $2, objection = $3, answered_at = $4 WHERE id = $1")
        .bind(application)
        .bind(confirmation.as_str())
        .bind(objection)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

// ---- the draw

pub async fn insert_draw(tx: &mut Tx, record: &DrawRecord, by: i64) -> StoreResult<()> {
    let applicants = serde_json::to_string(&record.applicants).unwrap_or_default();
    let outcome = serde_json::to_string(&record.outcome).unwrap_or_default();
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO hearing_draws (hearing_id, algorithm, seed, commitment, seats, applicants, outcome, drawn_by, drawn_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    )
    .bind(record.hearing_id)
    .bind(&record.algorithm)
    .bind(&record.seed)
    .bind(&record.commitment)
    .bind(record.seats as i32)
    .bind(applicants)
    .bind(outcome)
    .bind(by)
    .bind(record.drawn_at)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// The published draw, re-run here from its own data (`verified`).
pub async fn draw_record(tx: &mut Tx, hearing: i64) -> StoreResult<Option<DrawRecord>> {
    type Row = (String, String, String, i32, String, String, DateTime<Utc>);
    let row: Option<Row> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT algorithm, seed, commitment, seats, applicants, outcome, drawn_at FROM hearing_draws WHERE hearing_id = $1"
    )
    .bind(hearing)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(row.map(|(algorithm, seed, commitment, seats, applicants, outcome, drawn_at)| {
        let applicants: Vec<Applicant> = serde_json::from_str(&applicants).unwrap_or_default();
        let outcome: DrawOutcome =
            serde_json::from_str(&outcome).unwrap_or(DrawOutcome { lot: vec![], selected: vec![], waiting: vec![], unfilled: 0 });
        let seats = seats.max(0) as u32;
        let verified = algorithm == crate::domain::draw::ALGORITHM
            && crate::domain::draw::Seed::from_hex(&seed)
                .is_some_and(|s| crate::domain::draw::verify(&commitment, &s, &applicants, seats, &outcome));
        DrawRecord { hearing_id: hearing, algorithm, seed, commitment, seats, applicants, outcome, drawn_at, verified }
    }))
}

// ---- notices

pub async fn notify(tx: &mut Tx, users: &[i64], hearing: i64, kind: NoticeKind, now: DateTime<Utc>) -> StoreResult<()> {
    for user in users {
        on_tx!(tx, |c| sqlx::query("INSERT INTO hearing_notices (user_id, hearing_id, kind, created_at) VALUES ($1, $2, $3, $4)")
            .bind(user)
            .bind(hearing)
            .bind(kind.as_str())
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

pub async fn notices(tx: &mut Tx, user: i64, limit: i64) -> StoreResult<Vec<HearingNotice>> {
    type Row = (i64, i64, String, String, DateTime<Utc>, Option<DateTime<Utc>>);
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT n.id, n.hearing_id, p.title, n.kind, n.created_at, n.read_at FROM hearing_notices n \
         JOIN hearings h ON h.id = n.hearing_id JOIN proposals p ON p.id = h.proposal_id \
         WHERE n.user_id = $1 ORDER BY n.id DESC LIMIT $2"
    )
    .bind(user)
    .bind(limit)
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, hearing_id, proposal_title, kind, at, read)| {
            Some(HearingNotice { id, hearing_id, proposal_title, kind: NoticeKind::parse(&kind).ok()?, at, read: read.is_some() })
        })
        .collect())
}

pub async fn mark_notices_read(tx: &mut Tx, user: i64, now: DateTime<Utc>) -> StoreResult<u64> {
    on_tx!(tx, |c| sqlx::query("UPDATE hearing_notices SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
        .bind(user)
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))
}

pub async fn unread_notices(tx: &mut Tx, user: i64) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM hearing_notices WHERE user_id = $1 AND read_at IS NULL")
        .bind(user)
        .fetch_one(&mut *c)
        .await)
}

// ---- reads

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    proposal_id: i64,
    proposal_title: String,
    status: String,
    venue: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    apply_until: DateTime<Utc>,
    seats_participants: i32,
    seats_observers: i32,
    seats_press: i32,
    applicants: i64,
    revision: i32,
    updated_at: DateTime<Utc>,
}

impl From<SummaryRow> for HearingSummary {
    fn from(r: SummaryRow) -> Self {
        HearingSummary {
            id: r.id,
            proposal_id: r.proposal_id,
            proposal_title: r.proposal_title,
            status: status(&r.status),
            venue: r.venue,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            apply_until: r.apply_until,
            seats: seats(r.seats_participants, r.seats_observers, r.seats_press),
            applicants: r.applicants,
            revision: r.revision as i64,
            updated_at: r.updated_at,
        }
    }
}

const SUMMARY: &str = "SELECT h.id, h.proposal_id, p.title AS proposal_title, h.status, h.venue, h.starts_at, h.ends_at, h.apply_until, \
     h.seats_participants, h.seats_observers, h.seats_press, \
     (SELECT COUNT(*) FROM hearing_applications a WHERE a.hearing_id = h.id) AS applicants, h.revision, h.updated_at \
     FROM hearings h JOIN proposals p ON p.id = h.proposal_id";

/// Public hearings starting in `[from, to)`, soonest first (at most `limit`); with
/// `scheduled` the organizer's unannounced ones too.
pub async fn list(tx: &mut Tx, from: DateTime<Utc>, to: DateTime<Utc>, scheduled: bool, limit: i64) -> StoreResult<Vec<HearingSummary>> {
    let filter = if scheduled { "" } else { " AND h.status <> 'scheduled'" };
    let sql = format!("{SUMMARY} WHERE h.starts_at >= $1 AND h.starts_at < $2{filter} ORDER BY h.starts_at, h.id LIMIT $3");
    let rows: Vec<SummaryRow> =
        on_tx!(tx, |c| sqlx::query_as::<_, SummaryRow>(&sql).bind(from).bind(to).bind(limit).fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Every announced hearing (not one the organizer has yet to announce), newest first:
/// `limit` of them with an id below `before`.
pub async fn announced(tx: &mut Tx, before: i64, limit: i64) -> StoreResult<Vec<HearingSummary>> {
    let sql = format!("{SUMMARY} WHERE h.id < $1 AND h.status <> 'scheduled' ORDER BY h.id DESC LIMIT $2");
    let rows: Vec<SummaryRow> = on_tx!(tx, |c| sqlx::query_as::<_, SummaryRow>(&sql).bind(before).bind(limit).fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The hearings of one proposal, newest first.
pub async fn for_proposal(tx: &mut Tx, proposal_id: i64) -> StoreResult<Vec<HearingSummary>> {
    let sql = format!("{SUMMARY} WHERE h.proposal_id = $1 ORDER BY h.id DESC");
    let rows: Vec<SummaryRow> = on_tx!(tx, |c| sqlx::query_as::<_, SummaryRow>(&sql).bind(proposal_id).fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn summary(tx: &mut Tx, id: i64) -> StoreResult<Option<HearingSummary>> {
    let sql = format!("{SUMMARY} WHERE h.id = $1");
    let row: Option<SummaryRow> = on_tx!(tx, |c| sqlx::query_as::<_, SummaryRow>(&sql).bind(id).fetch_optional(&mut *c).await)?;
    Ok(row.map(Into::into))
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    agency_id: i64,
    name_zh: String,
    name_en: String,
    plan_summary: String,
    seed_commitment: String,
    call_published_at: Option<DateTime<Utc>>,
    lists_published_at: Option<DateTime<Utc>>,
    materials_sent_at: Option<DateTime<Utc>>,
    materials_reason: Option<String>,
    agenda: String,
    record: Option<String>,
    record_at: Option<DateTime<Utc>>,
    report_summary: Option<String>,
    report_consumer: Option<String>,
    report_operator: Option<String>,
    report_expert: Option<String>,
    report_other: Option<String>,
    report_at: Option<DateTime<Utc>>,
    status_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    id: i64,
    display_name: String,
    constituency: String,
    state: String,
    ordinal: Option<i32>,
    lot: Option<i32>,
    present: Option<bool>,
    confirmation: Option<String>,
    objection: Option<String>,
    speaker_position: Option<i32>,
    speaker_minutes: Option<i32>,
}

/// The hearing page for a reader: `viewer` (id, organizer) decides what private parts
/// are filled in. `None` when there is no such hearing or the reader may not see it.
pub async fn detail(tx: &mut Tx, id: i64, viewer: Option<(i64, bool)>) -> StoreResult<Option<HearingDetail>> {
    let Some(summary) = summary(tx, id).await? else { return Ok(None) };
    let organizer = viewer.is_some_and(|(_, organizer)| organizer);
    if summary.status == HearingStatus::Scheduled && !organizer {
        return Ok(None);
    }
    let d: DetailRow = on_tx!(tx, |c| sqlx::query_as::<_, DetailRow>(
        "SELECT p.agency_id, a.name_zh, a.name_en, h.plan_summary, h.seed_commitment, h.call_published_at, h.lists_published_at, \
         h.materials_sent_at, h.materials_reason, h.agenda, h.record, h.record_at, h.report_summary, h.report_consumer, \
         h.report_operator, h.report_expert, h.report_other, h.report_at, h.status_reason \
         FROM hearings h JOIN proposals p ON p.id = h.proposal_id JOIN agencies a ON a.id = p.agency_id WHERE h.id = $1"
    )
    .bind(id)
    .fetch_one(&mut *c)
    .await)?;
    let officers = officers(tx, id).await?;
    let officer = viewer.is_some_and(|(user, _)| officers.iter().any(|(o, _)| *o == user));
    let lists_public = d.lists_published_at.is_some();
    let drawn = !matches!(summary.status, HearingStatus::Scheduled | HearingStatus::CallOpen);
    let staff = organizer || officer;

    let rows: Vec<ParticipantRow> = if drawn && (lists_public || staff) {
        on_tx!(tx, |c| sqlx::query_as::<_, ParticipantRow>(
            "SELECT a.id, u.display_name, a.constituency, a.state, a.ordinal, a.lot, a.present, a.confirmation, a.objection, \
             a.speaker_position, a.speaker_minutes FROM hearing_applications a JOIN users u ON u.id = a.user_id \
             WHERE a.hearing_id = $1 AND a.state = 'selected' ORDER BY a.speaker_position IS NULL, a.speaker_position, a.lot"
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await)?
    } else {
        Vec::new()
    };
    let participants = rows
        .into_iter()
        .map(|r| ParticipantView {
            application_id: r.id,
            name: r.display_name,
            constituency: constituency(&r.constituency),
            state: app_state(&r.state),
            ordinal: r.ordinal.map(i64::from),
            lot: r.lot.map(i64::from),
            present: r.present,
            confirmation: r.confirmation.as_deref().and_then(|c| Confirmation::parse(c).ok()),
            objection: r.objection,
            speaker_position: r.speaker_position.map(i64::from),
            speaker_minutes: r.speaker_minutes.map(i64::from),
        })
        .collect::<Vec<_>>();

    let counts: Vec<(String, bool, i64)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT constituency, low_income, COUNT(*) FROM hearing_applications WHERE hearing_id = $1 GROUP BY constituency, low_income"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await)?;
    let mut by_constituency = vec![0i64; Constituency::ALL.len()];
    let mut low_income = 0;
    for (c, low, n) in counts {
        if let Some(i) = Constituency::ALL.iter().position(|x| x.as_str() == c) {
            by_constituency[i] += n;
        }
        if low {
            low_income += n;
        }
    }
    let waiting: i64 =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM hearing_applications WHERE hearing_id = $1 AND state = 'waiting'")
            .bind(id)
            .fetch_one(&mut *c)
            .await)?;
    let selected_count: i64 =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM hearing_applications WHERE hearing_id = $1 AND state = 'selected'")
            .bind(id)
            .fetch_one(&mut *c)
            .await)?;
    let unfilled = if drawn { (summary.seats.participants as i64 - selected_count).max(0) } else { 0 };

    let mine = match viewer {
        Some((user, _)) => {
            type Row = (i64, String, String, bool, String, Option<i32>, Option<String>);
            let row: Option<Row> = on_tx!(tx, |c| sqlx::query_as(
                "SELECT id, state, constituency, low_income, statement, ordinal, confirmation FROM hearing_applications \
                 WHERE hearing_id = $1 AND user_id = $2"
            )
            .bind(id)
            .bind(user)
            .fetch_optional(&mut *c)
            .await)?;
            row.map(|(id, state, c, low_income, statement, ordinal, confirmation)| MyApplication {
                id,
                state: app_state(&state),
                constituency: constituency(&c),
                low_income,
                statement,
                ordinal: ordinal.map(i64::from),
                confirmation: confirmation.as_deref().and_then(|c| Confirmation::parse(c).ok()),
            })
        }
        None => None,
    };
    let participant = mine.as_ref().is_some_and(|m| m.state == ApplicationState::Selected);
    let materials = if staff || participant || summary.status == HearingStatus::Reported {
        super::gates::files_of(tx, "hearing", id).await?
    } else {
        Vec::new()
    };
    let report = match (d.report_summary, d.report_at) {
        (Some(summary), Some(published_at)) => Some(HearingReport {
            summary,
            consumer: d.report_consumer.unwrap_or_default(),
            operator: d.report_operator.unwrap_or_default(),
            expert: d.report_expert.unwrap_or_default(),
            other: d.report_other.unwrap_or_default(),
            published_at,
        }),
        _ => None,
    };
    Ok(Some(HearingDetail {
        summary,
        agency: Agency { id: d.agency_id, name_zh: d.name_zh, name_en: d.name_en },
        plan_summary: d.plan_summary,
        seed_commitment: d.seed_commitment,
        call_published_at: d.call_published_at,
        lists_published_at: d.lists_published_at,
        materials_sent_at: d.materials_sent_at,
        materials_reason: d.materials_reason,
        agenda: d.agenda,
        record: d.record,
        record_at: d.record_at,
        report,
        status_reason: d.status_reason,
        officers: if lists_public || staff { officers.into_iter().map(|(_, name)| name).collect() } else { Vec::new() },
        participants,
        waiting,
        unfilled,
        by_constituency,
        low_income,
        materials,
        mine,
        organizer,
        officer,
        drawn,
    }))
}

/// Which applications the organizer's list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ApplicantFilter {
    pub constituency: Option<Constituency>,
    pub low_income: Option<bool>,
    pub state: Option<ApplicationState>,
}

/// One keyset page of applications, in the order they came (id), after `after`.
pub async fn applicants(tx: &mut Tx, hearing: i64, filter: ApplicantFilter, after: i64, size: i64) -> StoreResult<Page<ApplicantRow>> {
    // the filters are this program's own enum texts, never the reader's
    let mut sql = String::from(
        "SELECT a.id, u.display_name, a.constituency, a.low_income, a.statement, a.applied_at, a.state, a.ordinal \
         FROM hearing_applications a JOIN users u ON u.id = a.user_id WHERE a.hearing_id = $1 AND a.id > $2",
    );
    if let Some(c) = filter.constituency {
        sql.push_str(&format!(" AND a.constituency = '{}'", c.as_str()));
    }
    if let Some(low) = filter.low_income {
        sql.push_str(if low { " AND a.low_income = TRUE" } else { " AND a.low_income = FALSE" });
    }
    if let Some(s) = filter.state {
        sql.push_str(&format!(" AND a.state = '{}'", s.as_str()));
    }
    sql.push_str(" ORDER BY a.id LIMIT $3");
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, String, String, bool, String, DateTime<Utc>, String, Option<i32>)> =
        on_tx!(tx, |c| sqlx::query_as(&sql).bind(hearing).bind(after).bind(size + 1).fetch_all(&mut *c).await)?;
    let rows = rows
        .into_iter()
        .map(|(id, name, c, low_income, statement, applied_at, state, ordinal)| ApplicantRow {
            id,
            name,
            constituency: constituency(&c),
            low_income,
            statement,
            applied_at,
            state: app_state(&state),
            ordinal: ordinal.map(i64::from),
        })
        .collect();
    Ok(Page::cut(rows, size, |r: &ApplicantRow| r.id.to_string()))
}

impl Db {
    pub async fn hearing_detail(&self, id: i64, viewer: Option<(i64, bool)>) -> StoreResult<Option<HearingDetail>> {
        let mut tx = self.begin_read().await?;
        detail(&mut tx, id, viewer).await
    }

    pub async fn hearings_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        scheduled: bool,
        limit: i64,
    ) -> StoreResult<Vec<HearingSummary>> {
        let mut tx = self.begin_read().await?;
        list(&mut tx, from, to, scheduled, limit).await
    }

    pub async fn hearings_of_proposal(&self, proposal_id: i64) -> StoreResult<Vec<HearingSummary>> {
        let mut tx = self.begin_read().await?;
        for_proposal(&mut tx, proposal_id).await
    }

    pub async fn hearing_summary(&self, id: i64) -> StoreResult<Option<HearingSummary>> {
        let mut tx = self.begin_read().await?;
        summary(&mut tx, id).await
    }

    pub async fn hearing_applicants(
        &self,
        hearing: i64,
        filter: ApplicantFilter,
        after: i64,
        size: i64,
    ) -> StoreResult<Page<ApplicantRow>> {
        let mut tx = self.begin_read().await?;
        applicants(&mut tx, hearing, filter, after, size).await
    }

    pub async fn hearing_draw(&self, hearing: i64) -> StoreResult<Option<DrawRecord>> {
        let mut tx = self.begin_read().await?;
        draw_record(&mut tx, hearing).await
    }

    pub async fn hearing_notices(&self, user: i64, limit: i64) -> StoreResult<(Vec<HearingNotice>, i64)> {
        let mut tx = self.begin_read().await?;
        let list = notices(&mut tx, user, limit).await?;
        let unread = unread_notices(&mut tx, user).await?;
        Ok((list, unread))
    }

    /// Whether a user may download a hearing's materials: an organizer, an officer, a
    /// selected participant; anyone once the report is published.
    pub async fn may_read_materials(&self, hearing: i64, viewer: Option<(i64, bool)>) -> StoreResult<bool> {
        let mut tx = self.begin_read().await?;
        let Some(state) = load(&mut tx, hearing, false).await? else { return Ok(false) };
        if state.status == HearingStatus::Reported || viewer.is_some_and(|(_, organizer)| organizer) {
            return Ok(true);
        }
        let Some((user, _)) = viewer else { return Ok(false) };
        if officers(&mut tx, hearing).await?.iter().any(|(o, _)| *o == user) {
            return Ok(true);
        }
        Ok(application_of(&mut tx, hearing, user).await?.is_some_and(|(_, state, _)| state == ApplicationState::Selected))
    }
}
