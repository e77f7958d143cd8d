//! Penalty review: the reviewer pool and its declared conflicts, cases, the panel's seats
//! with their opinions, and the published draw. The party's name, the names listed and
//! the unmasked text are read here only for the agency's officials ([`detail`] with
//! `official`); every other read selects the masked columns alone.

use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::{
    backend::{db::Tx, Db},
    domain::{
        mask,
        penalty::{
            self, Candidate, CaseStatus, Conflict, ConflictKind, Opinion, PanelDraw, PanelOpinion, PenaltyKind, PoolState, ReplyKind,
            SeatState,
        },
    },
    model::{
        Agency, AgencyFollow, CasePrivate, MyPanel, MySeat, OpinionView, Page, PanelDrawRecord, PenaltyDetail, PenaltySummary, PoolMember,
        ReplyView, SeatView,
    },
    on_tx,
};

// values this program wrote from the same enums, checked by the schema
fn case_status(raw: &str) -> CaseStatus {
    CaseStatus::parse(raw).unwrap_or(CaseStatus::Withdrawn)
}
fn seat_state(raw: &str) -> SeatState {
    SeatState::parse(raw).unwrap_or(SeatState::Reserve)
}
fn pool_state(raw: &str) -> PoolState {
    PoolState::parse(raw).unwrap_or(PoolState::Withdrawn)
}
fn penalty_kind(raw: &str) -> PenaltyKind {
    PenaltyKind::parse(raw).unwrap_or(PenaltyKind::Warning)
}
fn opinion(raw: Option<&str>) -> Option<Opinion> {
    raw.and_then(|o| Opinion::parse(o).ok())
}

// ---- the pool

/// A user's place in the pool: (member id, state, term end).
pub async fn member_of(tx: &mut Tx, user: i64) -> StoreResult<Option<(i64, PoolState, Option<DateTime<Utc>>)>> {
    let row: Option<(i64, String, Option<DateTime<Utc>>)> =
        on_tx!(tx, |c| sqlx::query_as("SELECT id, state, term_ends_at FROM reviewer_pool WHERE user_id = $1")
            .bind(user)
            .fetch_optional(&mut *c)
            .await)?;
    Ok(row.map(|(id, state, ends)| (id, pool_state(&state), ends)))
}

/// The member with this id: (user, state, term end).
pub async fn member(tx: &mut Tx, id: i64) -> StoreResult<Option<(i64, PoolState, Option<DateTime<Utc>>)>> {
    let row: Option<(i64, String, Option<DateTime<Utc>>)> =
        on_tx!(tx, |c| sqlx::query_as("SELECT user_id, state, term_ends_at FROM reviewer_pool WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *c)
            .await)?;
    Ok(row.map(|(user, state, ends)| (user, pool_state(&state), ends)))
}

/// A volunteer joins the pool (or volunteers again after a rejection, a withdrawal or the
/// end of a term): waiting for an admin's approval.
pub async fn volunteer(tx: &mut Tx, user: i64, motivation: &str, now: DateTime<Utc>) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO reviewer_pool (user_id, state, motivation, volunteered_at, updated_at) VALUES ($1, 'volunteered', $2, $3, $3) \
         ON CONFLICT (user_id) DO UPDATE SET state = 'volunteered', motivation = $2, volunteered_at = $3, decided_by = NULL, \
         decided_at = NULL, decision_reason = NULL, updated_at = $3 RETURNING id"
    )
    .bind(user)
    .bind(motivation)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
}

/// An admin's decision, or the member's withdrawal (`by` the member then).
pub async fn set_member_state(
    tx: &mut Tx,
    id: i64,
    state: PoolState,
    term_ends: Option<DateTime<Utc>>,
    by: Option<i64>,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE reviewer_pool SET state = $2, term_ends_at = $3, decided_by = $4, decision_reason = $5, decided_at = $6, \
         updated_at = $6 WHERE id = $1"
    )
    .bind(id)
    .bind(state.as_str())
    .bind(term_ends)
    .bind(by)
    .bind(reason)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// Replaces the member's declared conflicts.
pub async fn set_conflicts(tx: &mut Tx, member: i64, conflicts: &[Conflict]) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("DELETE FROM reviewer_conflicts WHERE member_id = $1").bind(member).execute(&mut *c).await.map(|_| ()))?;
    for conflict in conflicts {
        on_tx!(tx, |c| sqlx::query("INSERT INTO reviewer_conflicts (member_id, kind, agency_id, text) VALUES ($1, $2, $3, $4)")
            .bind(member)
            .bind(conflict.kind.as_str())
            .bind(conflict.agency_id)
            .bind(&conflict.text)
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

async fn conflicts_of(tx: &mut Tx, members: &[i64]) -> StoreResult<Vec<(i64, Conflict)>> {
    if members.is_empty() {
        return Ok(Vec::new());
    }
    // ids are this program's integers
    let list = members.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let sql = format!("SELECT member_id, kind, agency_id, text FROM reviewer_conflicts WHERE member_id IN ({list}) ORDER BY id");
    let rows: Vec<(i64, String, Option<i64>, String)> = on_tx!(tx, |c| sqlx::query_as(&sql).fetch_all(&mut *c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(member, kind, agency_id, text)| Some((member, Conflict { kind: ConflictKind::parse(&kind).ok()?, agency_id, text })))
        .collect())
}

/// The reviewers in the pool and in their term at `now`, by pool number (the published
/// list's order): member id and what the eligibility check needs.
pub async fn candidates(tx: &mut Tx, now: DateTime<Utc>) -> StoreResult<Vec<(i64, Candidate)>> {
    let rows: Vec<(i64, i64, Option<i64>, bool)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT m.id, m.user_id, CASE WHEN EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'official') \
         THEN u.agency_id END, EXISTS (SELECT 1 FROM penalty_seats s JOIN penalty_cases pc ON pc.id = s.case_id \
         WHERE s.user_id = m.user_id AND s.state IN ('invited', 'accepted') AND pc.status = 'review') \
         FROM reviewer_pool m JOIN users u ON u.id = m.user_id \
         WHERE m.state = 'active' AND m.term_ends_at > $1 ORDER BY m.id"
    )
    .bind(now)
    .fetch_all(&mut *c)
    .await)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let conflicts = conflicts_of(tx, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(member, user_id, agency_id, busy)| {
            let conflicts = conflicts.iter().filter(|(m, _)| *m == member).map(|(_, c)| c.clone()).collect();
            (member, Candidate { user_id, agency_id, conflicts, busy })
        })
        .collect())
}

/// Whether the user sits on a panel still under review.
pub async fn sits_on_open_panel(tx: &mut Tx, user: i64) -> StoreResult<bool> {
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM penalty_seats s JOIN penalty_cases pc ON pc.id = s.case_id \
         WHERE s.user_id = $1 AND s.state IN ('invited', 'accepted') AND pc.status = 'review'"
    )
    .bind(user)
    .fetch_one(&mut *c)
    .await)?;
    Ok(n > 0)
}

type MemberRow = (i64, i64, String, String, String, DateTime<Utc>, Option<DateTime<Utc>>);

async fn members_from(tx: &mut Tx, rows: Vec<MemberRow>, now: DateTime<Utc>) -> StoreResult<Vec<PoolMember>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let conflicts = conflicts_of(tx, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|(id, user_id, name, state, motivation, volunteered_at, term_ends_at)| {
            let state = pool_state(&state);
            PoolMember {
                id,
                code: penalty::reviewer_code(id),
                user_id,
                name,
                state,
                motivation,
                volunteered_at,
                term_ends_at,
                in_term: penalty::in_term(state, term_ends_at, now),
                conflicts: conflicts.iter().filter(|(m, _)| *m == id).map(|(_, c)| c.clone()).collect(),
            }
        })
        .collect())
}

const MEMBER: &str = "SELECT m.id, m.user_id, u.display_name, m.state, m.motivation, m.volunteered_at, m.term_ends_at \
     FROM reviewer_pool m JOIN users u ON u.id = m.user_id";

/// One keyset page of the pool for the admin: volunteers waiting first when `waiting`,
/// otherwise everyone, by pool number after `after`.
pub async fn pool_page(tx: &mut Tx, waiting: bool, after: i64, size: i64, now: DateTime<Utc>) -> StoreResult<Page<PoolMember>> {
    let filter = if waiting { " AND m.state = 'volunteered'" } else { "" };
    let sql = format!("{MEMBER} WHERE m.id > $1{filter} ORDER BY m.id LIMIT $2");
    let rows: Vec<MemberRow> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(after).bind(size + 1).fetch_all(&mut *c).await)?;
    let members = members_from(tx, rows, now).await?;
    Ok(Page::cut(members, size, |m: &PoolMember| m.id.to_string()))
}

pub async fn pool_member_of(tx: &mut Tx, user: i64, now: DateTime<Utc>) -> StoreResult<Option<PoolMember>> {
    let sql = format!("{MEMBER} WHERE m.user_id = $1");
    let rows: Vec<MemberRow> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(user).fetch_all(&mut *c).await)?;
    Ok(members_from(tx, rows, now).await?.into_iter().next())
}

// ---- cases

/// A new case as the official submitted it, with the automatic masking.
pub struct NewCase<'a> {
    pub agency_id: i64,
    pub case_number: &'a str,
    pub district: &'a str,
    pub party_name: &'a str,
    pub listed_names: &'a [String],
    pub originals: [&'a str; 3],
    pub masked: [&'a str; 3],
    pub penalty_kind: PenaltyKind,
    pub penalty_amount: Option<i64>,
    pub panel_size: u32,
    pub seed: &'a str,
    pub seed_commitment: &'a str,
}

pub async fn insert_case(tx: &mut Tx, n: &NewCase<'_>, by: i64, now: DateTime<Utc>) -> StoreResult<i64> {
    let names = serde_json::to_string(n.listed_names).unwrap_or_else(|_| "[]".into());
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO penalty_cases (agency_id, case_number, district, party_name, listed_names, facts_original, basis_original, \
         discretion_original, facts, basis, discretion, penalty_kind, penalty_amount, panel_size, seed, seed_commitment, \
         created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id"
    )
    .bind(n.agency_id)
    .bind(n.case_number)
    .bind(n.district)
    .bind(n.party_name)
    .bind(&names)
    .bind(n.originals[0])
    .bind(n.originals[1])
    .bind(n.originals[2])
    .bind(n.masked[0])
    .bind(n.masked[1])
    .bind(n.masked[2])
    .bind(n.penalty_kind.as_str())
    .bind(n.penalty_amount)
    .bind(n.panel_size as i32)
    .bind(n.seed)
    .bind(n.seed_commitment)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
}

/// What a case action needs (locked on PostgreSQL when asked).
#[derive(Clone, Debug)]
pub struct CaseState {
    pub id: i64,
    pub agency_id: i64,
    pub status: CaseStatus,
    pub district: String,
    pub party_name: String,
    pub listed_names: Vec<String>,
    pub penalty_kind: PenaltyKind,
    pub penalty_amount: Option<i64>,
    pub panel_size: u32,
    pub seed: String,
    pub seed_commitment: String,
    pub review_due: Option<DateTime<Utc>>,
    pub created_by: i64,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    agency_id: i64,
    status: String,
    district: String,
    party_name: String,
    listed_names: String,
    penalty_kind: String,
    penalty_amount: Option<i64>,
    panel_size: i32,
    seed: String,
    seed_commitment: String,
    review_due: Option<DateTime<Utc>>,
    created_by: i64,
}

pub async fn load_case(tx: &mut Tx, id: i64, lock: bool) -> StoreResult<Option<CaseState>> {
    let lock = if lock { tx.for_update("pc") } else { String::new() };
    let sql = format!(
        "SELECT pc.id, pc.agency_id, pc.status, pc.district, pc.party_name, pc.listed_names, pc.penalty_kind, pc.penalty_amount, \
         pc.panel_size, pc.seed, pc.seed_commitment, pc.review_due, pc.created_by FROM penalty_cases pc WHERE pc.id = $1{lock}"
    );
    let row: Option<CaseRow> = on_tx!(tx, |c| sqlx::query_as::<_, CaseRow>(&sql).bind(id).fetch_optional(&mut *c).await)?;
    Ok(row.map(|r| CaseState {
        id: r.id,
        agency_id: r.agency_id,
        status: case_status(&r.status),
        district: r.district,
        party_name: r.party_name,
        listed_names: serde_json::from_str(&r.listed_names).unwrap_or_default(),
        penalty_kind: penalty_kind(&r.penalty_kind),
        penalty_amount: r.penalty_amount,
        panel_size: r.panel_size.max(0) as u32,
        seed: r.seed,
        seed_commitment: r.seed_commitment,
        review_due: r.review_due,
        created_by: r.created_by,
    }))
}

/// Which step a status change records.
pub enum CaseStep<'a> {
    /// The masked text as confirmed (facts, basis, discretion) and the case number.
    Confirmed {
        masked: [&'a str; 3],
        case_number: &'a str,
    },
    Drawn {
        size: u32,
        due: DateTime<Utc>,
    },
    /// The review goes on past its deadline: replacements were invited.
    Extended {
        due: DateTime<Utc>,
    },
    Statement(&'a str),
    Concluded {
        panel: &'a PanelOpinion,
        reply_due: DateTime<Utc>,
    },
    Replied {
        kind: ReplyKind,
        reasons: &'a str,
        final_kind: PenaltyKind,
        final_amount: Option<i64>,
    },
    Withdrawn {
        reason: &'a str,
    },
}

enum Value<'a> {
    Text(Option<&'a str>),
    Owned(String),
    Time(DateTime<Utc>),
    Int(Option<i64>),
    Small(i32),
    Bool(bool),
}

/// Records a step and the status it leads to: `status` is `$2`, the instant `$3`, the
/// step's own values follow.
pub async fn record_step(tx: &mut Tx, id: i64, to: CaseStatus, step: &CaseStep<'_>, now: DateTime<Utc>) -> StoreResult<()> {
    use Value::{Bool, Int, Owned, Small, Text, Time};
    let (set, values): (&str, Vec<Value>) = match step {
        CaseStep::Confirmed { masked, case_number } => (
            "facts = $4, basis = $5, discretion = $6, case_number = $7, confirmed_at = $3",
            vec![Text(Some(masked[0])), Text(Some(masked[1])), Text(Some(masked[2])), Text(Some(case_number))],
        ),
        CaseStep::Drawn { size, due } => ("panel_size = $4, review_due = $5, drawn_at = $3", vec![Small(*size as i32), Time(*due)]),
        CaseStep::Extended { due } => ("review_due = $4", vec![Time(*due)]),
        CaseStep::Statement(text) => ("statement = $4, statement_at = $3", vec![Text(Some(text))]),
        CaseStep::Concluded { panel, reply_due } => (
            "panel_opinion = $4, breakdown = $5, absolute_majority = $6, reply_due = $7, concluded_at = $3",
            vec![
                Text(Some(panel.opinion.as_str())),
                Owned(serde_json::to_string(&panel.breakdown).unwrap_or_default()),
                Bool(panel.absolute_majority),
                Time(*reply_due),
            ],
        ),
        CaseStep::Replied { kind, reasons, final_kind, final_amount } => (
            "reply = $4, reply_reasons = $5, final_kind = $6, final_amount = $7, replied_at = $3",
            vec![Text(Some(kind.as_str())), Text(Some(reasons)), Text(Some(final_kind.as_str())), Int(*final_amount)],
        ),
        CaseStep::Withdrawn { reason } => ("status_reason = $4", vec![Text(Some(reason))]),
    };
    let sql = format!("UPDATE penalty_cases SET status = $2, {set}, updated_at = $3 WHERE id = $1");
    on_tx!(tx, |c| {
        let mut query = sqlx::query(&sql).bind(id).bind(to.as_str()).bind(now);
        for value in &values {
            query = match value {
                Text(text) => query.bind(*text),
                Owned(text) => query.bind(text.as_str()),
                Time(at) => query.bind(*at),
                Int(n) => query.bind(*n),
                Small(n) => query.bind(*n),
                Bool(b) => query.bind(*b),
            };
        }
        query.execute(&mut *c).await.map(|_| ())
    })
}

// ---- seats

/// One seat row for a new draw.
pub struct NewSeat {
    pub user_id: i64,
    pub member_id: i64,
    pub ordinal: u32,
    pub lot: u32,
    pub state: SeatState,
    pub due_at: Option<DateTime<Utc>>,
}

pub async fn insert_seats(tx: &mut Tx, case: i64, seats: &[NewSeat], now: DateTime<Utc>) -> StoreResult<()> {
    for s in seats {
        let invited = s.state.sits().then_some(now);
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO penalty_seats (case_id, user_id, member_id, ordinal, lot, state, due_at, invited_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(case)
        .bind(s.user_id)
        .bind(s.member_id)
        .bind(s.ordinal as i32)
        .bind(s.lot as i32)
        .bind(s.state.as_str())
        .bind(s.due_at)
        .bind(invited)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// A seat as the actions see it.
#[derive(Clone, Debug)]
pub struct Seat {
    pub user_id: i64,
    pub lot: u32,
    pub state: SeatState,
    pub due_at: Option<DateTime<Utc>>,
    pub opinion: Option<Opinion>,
}

/// Every seat of the case in lot order.
pub async fn seats(tx: &mut Tx, case: i64) -> StoreResult<Vec<Seat>> {
    type Row = (i64, i32, String, Option<DateTime<Utc>>, Option<String>);
    let rows: Vec<Row> =
        on_tx!(tx, |c| sqlx::query_as("SELECT user_id, lot, state, due_at, opinion FROM penalty_seats WHERE case_id = $1 ORDER BY lot")
            .bind(case)
            .fetch_all(&mut *c)
            .await)?;
    Ok(rows
        .into_iter()
        .map(|(user_id, lot, state, due_at, o)| Seat {
            user_id,
            lot: lot.max(0) as u32,
            state: seat_state(&state),
            due_at,
            opinion: opinion(o.as_deref()),
        })
        .collect())
}

pub async fn set_seat_state(tx: &mut Tx, case: i64, user: i64, state: SeatState, now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE penalty_seats SET state = $3, answered_at = $4 WHERE case_id = $1 AND user_id = $2")
        .bind(case)
        .bind(user)
        .bind(state.as_str())
        .bind(now)
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

/// Invites a reserve in place of `replaces`, with its own deadline.
pub async fn invite_reserve(tx: &mut Tx, case: i64, user: i64, replaces: i64, due: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE penalty_seats SET state = 'invited', due_at = $3, invited_at = $4, replaces = $5 WHERE case_id = $1 AND user_id = $2"
    )
    .bind(case)
    .bind(user)
    .bind(due)
    .bind(now)
    .bind(replaces)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// Saves a panelist's opinion (a revision replaces it); giving one accepts the seat.
pub async fn save_opinion(
    tx: &mut Tx,
    case: i64,
    user: i64,
    o: Opinion,
    reasons: &str,
    amount: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE penalty_seats SET opinion = $3, reasons = $4, amount = $5, opinion_at = $6, state = 'accepted', \
         answered_at = COALESCE(answered_at, $6), revisions = revisions + CASE WHEN opinion IS NULL THEN 0 ELSE 1 END \
         WHERE case_id = $1 AND user_id = $2"
    )
    .bind(case)
    .bind(user)
    .bind(o.as_str())
    .bind(reasons)
    .bind(amount)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

// ---- the draw

pub async fn insert_draw(tx: &mut Tx, record: &PanelDrawRecord, by: i64) -> StoreResult<()> {
    let eligible = serde_json::to_string(&record.eligible).unwrap_or_default();
    let excluded = serde_json::to_string(&record.excluded).unwrap_or_default();
    let outcome = serde_json::to_string(&record.outcome).unwrap_or_default();
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO penalty_draws (case_id, algorithm, seed, commitment, size, eligible, excluded, outcome, drawn_by, drawn_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(record.case_id)
    .bind(&record.algorithm)
    .bind(&record.seed)
    .bind(&record.commitment)
    .bind(record.size as i32)
    .bind(eligible)
    .bind(excluded)
    .bind(outcome)
    .bind(by)
    .bind(record.drawn_at)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// The published draw, re-run here from its own data (`verified`).
pub async fn draw_record(tx: &mut Tx, case: i64) -> StoreResult<Option<PanelDrawRecord>> {
    type Row = (String, String, String, i32, String, String, String, DateTime<Utc>);
    let row: Option<Row> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT algorithm, seed, commitment, size, eligible, excluded, outcome, drawn_at FROM penalty_draws WHERE case_id = $1"
    )
    .bind(case)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(row.map(|(algorithm, seed, commitment, size, eligible, excluded, outcome, drawn_at)| {
        let eligible: Vec<String> = serde_json::from_str(&eligible).unwrap_or_default();
        let excluded: Vec<u32> = serde_json::from_str(&excluded).unwrap_or_default();
        let outcome: PanelDraw = serde_json::from_str(&outcome).unwrap_or(PanelDraw { lot: vec![], panel: vec![], reserve: vec![] });
        let size = size.max(0) as u32;
        let verified = algorithm == penalty::PANEL_ALGORITHM
            && crate::domain::draw::Seed::from_hex(&seed)
                .is_some_and(|s| penalty::verify_panel(&commitment, &s, eligible.len(), size, &outcome));
        PanelDrawRecord { case_id: case, algorithm, seed, commitment, size, eligible, excluded, outcome, drawn_at, verified }
    }))
}

// ---- reads

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    agency_id: i64,
    name_zh: String,
    name_en: String,
    case_number: String,
    district: String,
    status: String,
    penalty_kind: String,
    penalty_amount: Option<i64>,
    panel_opinion: Option<String>,
    reply: Option<String>,
    reply_due: Option<DateTime<Utc>>,
    confirmed_at: Option<DateTime<Utc>>,
    updated_at: DateTime<Utc>,
}

impl SummaryRow {
    fn into_summary(self, now: DateTime<Utc>) -> PenaltySummary {
        let status = case_status(&self.status);
        PenaltySummary {
            id: self.id,
            agency: Agency { id: self.agency_id, name_zh: self.name_zh, name_en: self.name_en },
            case_number: self.case_number,
            district: self.district,
            status,
            overdue: penalty::is_overdue(status, self.reply_due, now),
            penalty_kind: penalty_kind(&self.penalty_kind),
            penalty_amount: self.penalty_amount,
            panel_opinion: opinion(self.panel_opinion.as_deref()),
            reply: self.reply.as_deref().and_then(|r| ReplyKind::parse(r).ok()),
            published_at: self.confirmed_at,
            updated_at: self.updated_at,
        }
    }
}

const SUMMARY: &str = "SELECT pc.id, pc.agency_id, a.name_zh, a.name_en, pc.case_number, pc.district, pc.status, pc.penalty_kind, \
     pc.penalty_amount, pc.panel_opinion, pc.reply, pc.reply_due, pc.confirmed_at, pc.updated_at \
     FROM penalty_cases pc JOIN agencies a ON a.id = pc.agency_id";

/// Which cases the public list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub agency: Option<i64>,
    /// Published (masking confirmed) in this year, Beijing time.
    pub year: Option<i32>,
    /// An agency's official sees its drafts too.
    pub drafts_of: Option<i64>,
    /// Only cases whose review has ended (concluded, or replied to by the agency).
    pub outcomes: bool,
}

/// One keyset page of cases, newest first (by id, before `before`).
pub async fn list(tx: &mut Tx, filter: CaseFilter, before: i64, size: i64, now: DateTime<Utc>) -> StoreResult<Page<PenaltySummary>> {
    let mut sql = format!("{SUMMARY} WHERE pc.id < $1");
    match filter.drafts_of {
        // the filter values are this program's integers
        Some(agency) => sql.push_str(&format!(" AND (pc.status <> 'draft' OR pc.agency_id = {agency})")),
        None => sql.push_str(" AND pc.status <> 'draft'"),
    }
    if let Some(agency) = filter.agency {
        sql.push_str(&format!(" AND pc.agency_id = {agency}"));
    }
    if filter.outcomes {
        sql.push_str(" AND pc.status IN ('concluded', 'replied')");
    }
    let (from, to) = match filter.year {
        Some(year) => {
            let start = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 1, 1).map(crate::domain::time::local_day_start);
            (start(year), start(year + 1))
        }
        None => (None, None),
    };
    if from.is_some() {
        sql.push_str(" AND pc.confirmed_at >= $3 AND pc.confirmed_at < $4");
    }
    sql.push_str(" ORDER BY pc.id DESC LIMIT $2");
    let rows: Vec<SummaryRow> = on_tx!(tx, |c| {
        let mut q = sqlx::query_as::<_, SummaryRow>(&sql).bind(before).bind(size + 1);
        if let (Some(from), Some(to)) = (from, to) {
            q = q.bind(from).bind(to);
        }
        q.fetch_all(&mut *c).await
    })?;
    let rows = rows.into_iter().map(|r| r.into_summary(now)).collect();
    Ok(Page::cut(rows, size, |s: &PenaltySummary| s.id.to_string()))
}

/// The years in which cases were published, newest first.
pub async fn years(tx: &mut Tx) -> StoreResult<Vec<i32>> {
    let times: Vec<DateTime<Utc>> =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT confirmed_at FROM penalty_cases WHERE confirmed_at IS NOT NULL ORDER BY confirmed_at")
            .fetch_all(&mut *c)
            .await)?;
    let mut years: Vec<i32> = times.into_iter().map(|t| chrono::Datelike::year(&crate::domain::time::local_day(t))).collect();
    years.dedup();
    years.reverse();
    Ok(years)
}

/// How each agency used its panels' opinions (replied cases), and its overdue replies;
/// in the given year when there is one.
pub async fn follow_stats(tx: &mut Tx, year: Option<i32>, now: DateTime<Utc>) -> StoreResult<Vec<AgencyFollow>> {
    type Row = (i64, String, String, String, Option<String>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
    let rows: Vec<Row> = on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT a.id, a.name_zh, a.name_en, pc.status, pc.reply, pc.reply_due, pc.confirmed_at FROM penalty_cases pc \
             JOIN agencies a ON a.id = pc.agency_id WHERE pc.status IN ('concluded', 'replied') ORDER BY a.id",
        )
        .fetch_all(&mut *c)
        .await
    })?;
    let mut out: Vec<AgencyFollow> = Vec::new();
    for (id, name_zh, name_en, status, reply, reply_due, confirmed_at) in rows {
        if let Some(year) = year {
            if confirmed_at.map(|t| chrono::Datelike::year(&crate::domain::time::local_day(t))) != Some(year) {
                continue;
            }
        }
        if out.last().is_none_or(|f| f.agency.id != id) {
            out.push(AgencyFollow { agency: Agency { id, name_zh, name_en }, adopted: 0, partly: 0, not_adopted: 0, overdue: 0 });
        }
        let Some(f) = out.last_mut() else { continue };
        match reply.as_deref().and_then(|r| ReplyKind::parse(r).ok()) {
            Some(ReplyKind::Adopted) => f.adopted += 1,
            Some(ReplyKind::Partly) => f.partly += 1,
            Some(ReplyKind::NotAdopted) => f.not_adopted += 1,
            None if penalty::is_overdue(case_status(&status), reply_due, now) => f.overdue += 1,
            None => {}
        }
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    facts: String,
    basis: String,
    discretion: String,
    statement: Option<String>,
    panel_size: i32,
    seed_commitment: String,
    drawn_at: Option<DateTime<Utc>>,
    review_due: Option<DateTime<Utc>>,
    concluded_at: Option<DateTime<Utc>>,
    panel_opinion: Option<String>,
    breakdown: Option<String>,
    absolute_majority: Option<bool>,
    reply_reasons: Option<String>,
    final_kind: Option<String>,
    final_amount: Option<i64>,
    replied_at: Option<DateTime<Utc>>,
    status_reason: Option<String>,
}

/// Who reads a case: the user, whether they are an official of the case's agency is
/// decided here from `agency` (their agency when they are an official), and whether
/// they are an admin.
#[derive(Clone, Copy, Debug)]
pub struct CaseReader {
    pub user: i64,
    pub official_of: Option<i64>,
    pub admin: bool,
}

/// A case's page for a reader. `None` when there is no such case or the reader may not
/// see it (a draft, to anyone but its agency's officials).
pub async fn detail(tx: &mut Tx, id: i64, reader: Option<CaseReader>, now: DateTime<Utc>) -> StoreResult<Option<PenaltyDetail>> {
    let sql = format!("{SUMMARY} WHERE pc.id = $1");
    let Some(row) = on_tx!(tx, |c| sqlx::query_as::<_, SummaryRow>(&sql).bind(id).fetch_optional(&mut *c).await)? else {
        return Ok(None);
    };
    let reply_due = row.reply_due;
    let summary = row.into_summary(now);
    let official = reader.is_some_and(|r| r.official_of == Some(summary.agency.id));
    let manager = official || reader.is_some_and(|r| r.admin);
    if summary.status == CaseStatus::Draft && !official {
        return Ok(None);
    }
    let d: DetailRow = on_tx!(tx, |c| sqlx::query_as::<_, DetailRow>(
        "SELECT facts, basis, discretion, statement, panel_size, seed_commitment, drawn_at, review_due, concluded_at, panel_opinion, \
         breakdown, absolute_majority, reply_reasons, final_kind, final_amount, replied_at, status_reason \
         FROM penalty_cases WHERE id = $1"
    )
    .bind(id)
    .fetch_one(&mut *c)
    .await)?;

    type SeatRow = (i64, i64, String, Option<DateTime<Utc>>, Option<String>, Option<String>, Option<i64>, i32);
    let seat_rows: Vec<SeatRow> = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT user_id, member_id, state, due_at, opinion, reasons, amount, revisions FROM penalty_seats WHERE case_id = $1 ORDER BY lot"
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await
    })?;
    let concluded = matches!(summary.status, CaseStatus::Concluded | CaseStatus::Replied);
    let mut seats = Vec::new();
    let mut opinions = Vec::new();
    let (mut sitting, mut given) = (0u32, 0u32);
    let mut mine = None;
    for (user, member, state, due_at, o, reasons, amount, revisions) in seat_rows {
        let state = seat_state(&state);
        let o = opinion(o.as_deref());
        if state.sits() {
            sitting += 1;
            given += u32::from(o.is_some());
        }
        let view = o.map(|opinion| OpinionView { opinion, reasons: reasons.clone().unwrap_or_default(), amount });
        if concluded && state.sits() {
            if let Some(v) = view.clone() {
                opinions.push(v);
            }
        }
        if reader.is_some_and(|r| r.user == user) {
            mine = Some(MySeat { code: penalty::reviewer_code(member), state, due_at, opinion: view, revisions: revisions as i64 });
        }
        if manager && state != SeatState::Reserve {
            seats.push(SeatView { code: penalty::reviewer_code(member), state, due_at, given: o.is_some() });
        }
    }
    // published in the order of the scale, not of the seats
    opinions.sort_by_key(|o| o.opinion.severity());

    let panel = match (opinion(d.panel_opinion.as_deref()), d.breakdown) {
        (Some(opinion), Some(breakdown)) => Some(PanelOpinion {
            opinion,
            breakdown: serde_json::from_str(&breakdown).unwrap_or_default(),
            absolute_majority: d.absolute_majority.unwrap_or(false),
        }),
        _ => None,
    };
    let reply = match (summary.reply, d.replied_at) {
        (Some(kind), Some(replied_at)) => Some(ReplyView {
            kind,
            reasons: d.reply_reasons.unwrap_or_default(),
            final_kind: d.final_kind.as_deref().map(penalty_kind).unwrap_or(summary.penalty_kind),
            final_amount: d.final_amount,
            replied_at,
        }),
        _ => None,
    };
    let private = if official { Some(private_part(tx, id).await?) } else { None };
    Ok(Some(PenaltyDetail {
        summary,
        facts: d.facts,
        basis: d.basis,
        discretion: d.discretion,
        statement: d.statement,
        panel_size: d.panel_size.max(0) as u32,
        seed_commitment: d.seed_commitment,
        drawn_at: d.drawn_at,
        review_due: d.review_due,
        concluded_at: d.concluded_at,
        panel,
        opinions,
        reply,
        reply_due,
        status_reason: d.status_reason,
        sitting,
        given,
        seats,
        mine,
        private,
        official,
        manager,
    }))
}

/// The party, the names and the automatic masking of the text as submitted: for the
/// agency's officials only.
async fn private_part(tx: &mut Tx, id: i64) -> StoreResult<CasePrivate> {
    let (party_name, names, facts, basis, discretion): (String, String, String, String, String) = on_tx!(tx, |c| sqlx::query_as(
        "SELECT party_name, listed_names, facts_original, basis_original, discretion_original FROM penalty_cases WHERE id = $1"
    )
    .bind(id)
    .fetch_one(&mut *c)
    .await)?;
    let listed_names: Vec<String> = serde_json::from_str(&names).unwrap_or_default();
    let all = penalty::names_to_mask(&party_name, &listed_names);
    let masking = [("facts", facts), ("basis", basis), ("discretion", discretion)]
        .into_iter()
        .map(|(field, text)| (field.to_owned(), mask::mask(&text, &all)))
        .collect();
    Ok(CasePrivate { party_name, listed_names, masking })
}

/// The cases on which the user has a seat, newest first (invitations and panels; reserves
/// of cases still under review).
pub async fn my_panels(tx: &mut Tx, user: i64) -> StoreResult<Vec<MyPanel>> {
    type Row = (i64, String, i64, String, String, String, String, Option<DateTime<Utc>>, bool);
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT pc.id, pc.case_number, a.id, a.name_zh, a.name_en, pc.status, s.state, s.due_at, s.opinion IS NOT NULL \
         FROM penalty_seats s JOIN penalty_cases pc ON pc.id = s.case_id JOIN agencies a ON a.id = pc.agency_id \
         WHERE s.user_id = $1 AND (s.state IN ('invited', 'accepted') OR pc.status = 'review') ORDER BY pc.id DESC LIMIT 100"
    )
    .bind(user)
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(case_id, case_number, agency_id, name_zh, name_en, status, state, due_at, given)| MyPanel {
            case_id,
            case_number,
            agency: Agency { id: agency_id, name_zh, name_en },
            status: case_status(&status),
            state: seat_state(&state),
            due_at,
            given,
        })
        .collect())
}

impl Db {
    pub async fn penalty_detail(&self, id: i64, reader: Option<CaseReader>, now: DateTime<Utc>) -> StoreResult<Option<PenaltyDetail>> {
        let mut tx = self.begin_read().await?;
        detail(&mut tx, id, reader, now).await
    }

    pub async fn penalty_cases(
        &self,
        filter: CaseFilter,
        before: i64,
        size: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<(Page<PenaltySummary>, Vec<AgencyFollow>, Vec<i32>)> {
        let mut tx = self.begin_read().await?;
        let page = list(&mut tx, filter, before, size, now).await?;
        let stats = follow_stats(&mut tx, filter.year, now).await?;
        let years = years(&mut tx).await?;
        Ok((page, stats, years))
    }

    /// Cases whose review has ended, newest first (the home page, the JSON API).
    pub async fn penalty_outcomes(
        &self,
        agency: Option<i64>,
        before: i64,
        size: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Page<PenaltySummary>> {
        let mut tx = self.begin_read().await?;
        list(&mut tx, CaseFilter { agency, outcomes: true, ..CaseFilter::default() }, before, size, now).await
    }

    pub async fn penalty_draw(&self, case: i64) -> StoreResult<Option<PanelDrawRecord>> {
        let mut tx = self.begin_read().await?;
        draw_record(&mut tx, case).await
    }

    pub async fn reviewer_pool(&self, waiting: bool, after: i64, size: i64, now: DateTime<Utc>) -> StoreResult<Page<PoolMember>> {
        let mut tx = self.begin_read().await?;
        pool_page(&mut tx, waiting, after, size, now).await
    }

    pub async fn my_pool_place(&self, user: i64, now: DateTime<Utc>) -> StoreResult<(Option<PoolMember>, Vec<MyPanel>)> {
        let mut tx = self.begin_read().await?;
        let member = pool_member_of(&mut tx, user, now).await?;
        let panels = my_panels(&mut tx, user).await?;
        Ok((member, panels))
    }
}
