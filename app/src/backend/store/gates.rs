//! The evidence behind gates: added gates, stability risk assessments, legality reviews,
//! reviewers' decisions, evidence files, the working-day calendar and the approval
//! policy. Every function takes the action's transaction (or a read transaction from
//! [`Db::begin_read`]), so a check and the write it guards share one snapshot.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Bind, Sql, StoreResult};
use crate::{
    backend::{db::Tx, Db},
    domain::{
        attachment::FileKind,
        calendar::{Calendar, CalendarDay, DayKind},
        gate::{self, Evidence, Gate, GateState, GateSubject, LegalityEvidence, RiskEvidence},
        lifecycle::ProposalStatus,
        project::ProjectStatus,
        proposal::ProposalFilter,
        review::{
            AssessmentMethod, AssessmentState, AssessmentStatus, LegalityOpinion, LegalityState, LegalityStatus, ReviewItem, RiskLevel,
            Submission,
        },
        time::local_day,
    },
    model::{AddedGate, Agency, AssessmentView, BlockedItem, DecisionView, FileView, GateBoard, GateRow, LegalityView, QueueItem},
    on_tx,
};

fn gate_from(raw: &str) -> Option<Gate> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned())).ok()
}

fn gate_str(gate: Gate) -> String {
    match serde_json::to_value(gate) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

// ---- added gates

pub async fn added_gates(tx: &mut Tx, subject: GateSubject) -> StoreResult<Vec<AddedGate>> {
    let rows: Vec<(String, String, String, DateTime<Utc>)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT g.gate, g.reason, u.display_name, g.added_at FROM added_gates g JOIN users u ON u.id = g.added_by \
         WHERE g.subject = $1 AND g.subject_id = $2 ORDER BY g.added_at"
    )
    .bind(subject.as_str())
    .bind(subject.id())
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(g, reason, added_by, added_at)| Some(AddedGate { gate: gate_from(&g)?, reason, added_by, added_at }))
        .collect())
}

pub async fn insert_added_gate(
    tx: &mut Tx,
    subject: GateSubject,
    gate: Gate,
    reason: &str,
    by: i64,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = on_tx!(tx, |c| sqlx::query(
        "INSERT INTO added_gates (subject, subject_id, gate, reason, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT DO NOTHING"
    )
    .bind(subject.as_str())
    .bind(subject.id())
    .bind(gate_str(gate))
    .bind(reason)
    .bind(by)
    .bind(at)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

// ---- assessments

#[derive(sqlx::FromRow)]
struct AssessmentRow {
    id: i64,
    subject: String,
    subject_id: i64,
    agency_id: i64,
    submitted_by: i64,
    submitted_by_name: String,
    submitted_at: DateTime<Utc>,
    level: String,
    method: String,
    risk_points: String,
    prevention: String,
    response_plan: String,
    mitigation: Option<String>,
    status: String,
    control_measures: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

impl AssessmentRow {
    // written by this program from the same enums and checked by the schema
    fn level(&self) -> RiskLevel {
        RiskLevel::parse(&self.level).unwrap_or(RiskLevel::High)
    }
    fn status(&self) -> AssessmentStatus {
        AssessmentStatus::parse(&self.status).unwrap_or(AssessmentStatus::Superseded)
    }
    fn subject(&self) -> Option<GateSubject> {
        GateSubject::parse(&self.subject, self.subject_id)
    }
}

const ASSESSMENT_COLUMNS: &str = "r.id, r.subject, r.subject_id, r.agency_id, r.submitted_by, u.display_name AS submitted_by_name, \
     r.submitted_at, r.level, r.method, r.risk_points, r.prevention, r.response_plan, r.mitigation, r.status, r.control_measures, r.decided_at";

pub struct NewAssessment<'a> {
    pub subject: GateSubject,
    pub agency_id: i64,
    pub level: RiskLevel,
    pub method: AssessmentMethod,
    pub risk_points: &'a str,
    pub prevention: &'a str,
    pub response_plan: &'a str,
}

/// Marks every earlier assessment of the subject superseded; returns the newest of them.
pub async fn supersede_assessments(tx: &mut Tx, subject: GateSubject) -> StoreResult<Option<i64>> {
    supersede(tx, "risk_assessments", subject).await
}

/// Marks every earlier item of `table` (a fixed name) for the subject superseded.
async fn supersede(tx: &mut Tx, table: &'static str, subject: GateSubject) -> StoreResult<Option<i64>> {
    let sql =
        format!("UPDATE {table} SET status = 'superseded' WHERE subject = $1 AND subject_id = $2 AND status <> 'superseded' RETURNING id");
    let ids: Vec<i64> = on_tx!(tx, |c| sqlx::query_scalar(&sql).bind(subject.as_str()).bind(subject.id()).fetch_all(&mut *c).await)?;
    Ok(ids.into_iter().max())
}

pub async fn insert_assessment(tx: &mut Tx, a: &NewAssessment<'_>, by: i64, at: DateTime<Utc>) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO risk_assessments (subject, subject_id, agency_id, submitted_by, submitted_at, level, method, risk_points, \
         prevention, response_plan, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending') RETURNING id"
    )
    .bind(a.subject.as_str())
    .bind(a.subject.id())
    .bind(a.agency_id)
    .bind(by)
    .bind(at)
    .bind(a.level.as_str())
    .bind(a.method.as_str())
    .bind(a.risk_points)
    .bind(a.prevention)
    .bind(a.response_plan)
    .fetch_one(&mut *c)
    .await)
}

/// The table that holds an item reviewers decide on.
fn table_of(item: ReviewItem) -> &'static str {
    match item {
        ReviewItem::Assessment => "risk_assessments",
        ReviewItem::Legality => "legality_reviews",
    }
}

/// Whose evidence an assessment or legality review is, read without a lock: an action
/// locks the subject first, then the item (the same order as every other action on the
/// subject, so two never wait on each other crosswise).
pub async fn subject_of(tx: &mut Tx, item: ReviewItem, id: i64) -> StoreResult<Option<GateSubject>> {
    let sql = format!("SELECT subject, subject_id FROM {} WHERE id = $1", table_of(item));
    let row: Option<(String, i64)> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?;
    Ok(row.and_then(|(subject, subject_id)| GateSubject::parse(&subject, subject_id)))
}

/// An assessment as a decision on it needs it, with its subject; on PostgreSQL the row
/// is locked for the rest of the transaction (lock its subject first: [`subject_of`]).
pub async fn assessment_state(tx: &mut Tx, id: i64) -> StoreResult<Option<(GateSubject, AssessmentState)>> {
    let sql = format!(
        "SELECT {ASSESSMENT_COLUMNS} FROM risk_assessments r JOIN users u ON u.id = r.submitted_by WHERE r.id = $1{}",
        tx.for_update("r")
    );
    let row: Option<AssessmentRow> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?;
    let Some(row) = row else { return Ok(None) };
    let Some(subject) = row.subject() else { return Ok(None) };
    let reports = count_files(tx, "assessment", id).await?;
    let approvals = approvals(tx, ReviewItem::Assessment, id).await?;
    Ok(Some((
        subject,
        AssessmentState {
            status: row.status(),
            level: row.level(),
            submission: Submission { submitted_by: row.submitted_by, agency_id: row.agency_id },
            has_mitigation: row.mitigation.is_some(),
            reports: reports as u32,
            approvals,
        },
    )))
}

pub async fn set_mitigation(tx: &mut Tx, id: i64, mitigation: &str, at: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE risk_assessments SET mitigation = $1, mitigation_at = $2 WHERE id = $3")
        .bind(mitigation)
        .bind(at)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

/// Moves a pending assessment to its decided status; approval writes the control
/// measures (the prevention measures and any mitigation) into it.
pub async fn decide_assessment(tx: &mut Tx, id: i64, status: AssessmentStatus, at: DateTime<Utc>) -> StoreResult<bool> {
    let done = on_tx!(tx, |c| sqlx::query(
        "UPDATE risk_assessments SET status = $1, decided_at = $2, \
         control_measures = CASE WHEN $1 = 'approved' THEN prevention || COALESCE($4 || mitigation, '') ELSE NULL END \
         WHERE id = $3 AND status = 'pending'"
    )
    .bind(status.as_str())
    .bind(at)
    .bind(id)
    .bind("\n\n")
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn insert_decision(
    tx: &mut Tx,
    item: ReviewItem,
    item_id: i64,
    reviewer: i64,
    outcome: &str,
    reason: &str,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = on_tx!(tx, |c| sqlx::query(
        "INSERT INTO review_decisions (item, item_id, reviewer_id, outcome, reason, decided_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT DO NOTHING"
    )
    .bind(item.as_str())
    .bind(item_id)
    .bind(reviewer)
    .bind(outcome)
    .bind(reason)
    .bind(at)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// The reviewers who approved an item so far.
pub async fn approvals(tx: &mut Tx, item: ReviewItem, item_id: i64) -> StoreResult<Vec<i64>> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT reviewer_id FROM review_decisions WHERE item = $1 AND item_id = $2 AND outcome = 'approve' ORDER BY id"
    )
    .bind(item.as_str())
    .bind(item_id)
    .fetch_all(&mut *c)
    .await)
}

// ---- legality reviews

#[derive(sqlx::FromRow)]
struct LegalityRow {
    id: i64,
    subject: String,
    subject_id: i64,
    agency_id: i64,
    requested_by: i64,
    requested_by_name: String,
    requested_at: DateTime<Utc>,
    requested_on: NaiveDate,
    materials: String,
    status: String,
    opinion: Option<String>,
    opinion_text: Option<String>,
    decided_by_name: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

const LEGALITY_COLUMNS: &str = "l.id, l.subject, l.subject_id, l.agency_id, l.requested_by, u.display_name AS requested_by_name, \
     l.requested_at, l.requested_on, l.materials, l.status, l.opinion, l.opinion_text, d.display_name AS decided_by_name, l.decided_at";

impl LegalityRow {
    fn status(&self) -> LegalityStatus {
        LegalityStatus::parse(&self.status).unwrap_or(LegalityStatus::Superseded)
    }
    fn opinion(&self) -> Option<LegalityOpinion> {
        self.opinion.as_deref().and_then(|o| LegalityOpinion::parse(o).ok())
    }
}

pub async fn supersede_legality(tx: &mut Tx, subject: GateSubject) -> StoreResult<Option<i64>> {
    supersede(tx, "legality_reviews", subject).await
}

pub async fn insert_legality(
    tx: &mut Tx,
    subject: GateSubject,
    agency_id: i64,
    materials: &str,
    by: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO legality_reviews (subject, subject_id, agency_id, requested_by, requested_at, requested_on, materials, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING id"
    )
    .bind(subject.as_str())
    .bind(subject.id())
    .bind(agency_id)
    .bind(by)
    .bind(at)
    .bind(local_day(at))
    .bind(materials)
    .fetch_one(&mut *c)
    .await)
}

/// A legality review as an opinion on it needs it: its subject, state and request day,
/// locked as [`assessment_state`] is.
pub async fn legality_state(tx: &mut Tx, id: i64) -> StoreResult<Option<(GateSubject, LegalityState, NaiveDate)>> {
    let sql = format!(
        "SELECT {LEGALITY_COLUMNS} FROM legality_reviews l JOIN users u ON u.id = l.requested_by \
         LEFT JOIN users d ON d.id = l.decided_by WHERE l.id = $1{}",
        tx.for_update("l")
    );
    let row: Option<LegalityRow> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?;
    Ok(row.and_then(|r| {
        let subject = GateSubject::parse(&r.subject, r.subject_id)?;
        let state = LegalityState { status: r.status(), submission: Submission { submitted_by: r.requested_by, agency_id: r.agency_id } };
        Some((subject, state, r.requested_on))
    }))
}

pub async fn record_opinion(tx: &mut Tx, id: i64, opinion: LegalityOpinion, text: &str, by: i64, at: DateTime<Utc>) -> StoreResult<bool> {
    let done = on_tx!(tx, |c| sqlx::query(
        "UPDATE legality_reviews SET status = 'decided', opinion = $1, opinion_text = $2, decided_by = $3, decided_at = $4 \
         WHERE id = $5 AND status = 'pending'"
    )
    .bind(opinion.as_str())
    .bind(text)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

// ---- files

/// A stored file's row; the object is in the file store under `object_key`.
pub struct NewFile<'a> {
    pub owner: &'a str,
    pub owner_id: i64,
    pub object_key: &'a str,
    pub original_name: &'a str,
    pub kind: &'a str,
    pub size: i64,
    pub sha256: &'a str,
}

pub async fn insert_file(tx: &mut Tx, f: &NewFile<'_>, by: i64, at: DateTime<Utc>) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO attachments (owner, owner_id, object_key, original_name, kind, size, sha256, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
    )
    .bind(f.owner)
    .bind(f.owner_id)
    .bind(f.object_key)
    .bind(f.original_name)
    .bind(f.kind)
    .bind(f.size)
    .bind(f.sha256)
    .bind(by)
    .bind(at)
    .fetch_one(&mut *c)
    .await)
}

pub async fn count_files(tx: &mut Tx, owner: &str, owner_id: i64) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE owner = $1 AND owner_id = $2")
        .bind(owner)
        .bind(owner_id)
        .fetch_one(&mut *c)
        .await)
}

type FileRow = (i64, String, String, i64, String, DateTime<Utc>);

/// The `kind` column holds the checked kind's name; readers see its content type.
fn file_view((id, name, kind, size, sha256, uploaded_at): FileRow) -> FileView {
    let content_type = FileKind::parse(&kind).map(|k| k.content_type()).unwrap_or("application/octet-stream").to_owned();
    FileView { id, name, content_type, size, sha256, uploaded_at }
}

pub(crate) async fn files_of(tx: &mut Tx, owner: &str, owner_id: i64) -> StoreResult<Vec<FileView>> {
    let rows: Vec<FileRow> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, original_name, kind, size, sha256, uploaded_at FROM attachments WHERE owner = $1 AND owner_id = $2 ORDER BY id"
    )
    .bind(owner)
    .bind(owner_id)
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows.into_iter().map(file_view).collect())
}

/// A file for download: its row, the object key and kind, and whether the reader may
/// see it (evidence of a draft is its agency's only).
pub struct FileRecord {
    pub view: FileView,
    pub object_key: String,
    pub kind: String,
    pub public: bool,
    pub agency_id: i64,
    /// Materials of this hearing: who may read them is the hearing's to say.
    pub hearing: Option<i64>,
}

pub async fn file(tx: &mut Tx, id: i64) -> StoreResult<Option<FileRecord>> {
    type Row = (i64, String, String, i64, String, DateTime<Utc>, String, String, i64);
    let row: Option<Row> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, original_name, kind, size, sha256, uploaded_at, object_key, owner, owner_id FROM attachments WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(&mut *c)
    .await)?;
    let Some((id, name, kind, size, sha256, at, key, owner, owner_id)) = row else { return Ok(None) };
    if owner == "hearing" {
        let agency: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(
            "SELECT p.agency_id FROM hearings h JOIN proposals p ON p.id = h.proposal_id WHERE h.id = $1"
        )
        .bind(owner_id)
        .fetch_optional(&mut *c)
        .await)?;
        let Some(agency_id) = agency else { return Ok(None) };
        let view = file_view((id, name, kind.clone(), size, sha256, at));
        return Ok(Some(FileRecord { view, object_key: key, kind, public: false, agency_id, hearing: Some(owner_id) }));
    }
    let table = table_of(if owner == "legality" { ReviewItem::Legality } else { ReviewItem::Assessment });
    // whose evidence it is: a project's is public; a proposal's once the proposal is
    let sql = format!(
        "SELECT e.agency_id, CASE WHEN e.subject = 'project' THEN 'public' ELSE COALESCE(p.status, 'draft') END \
         FROM {table} e LEFT JOIN proposals p ON e.subject = 'proposal' AND p.id = e.subject_id WHERE e.id = $1"
    );
    let owner_row: Option<(i64, String)> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(owner_id).fetch_optional(&mut *c).await)?;
    let Some((agency_id, status)) = owner_row else { return Ok(None) };
    let public = status == "public" || crate::domain::lifecycle::ProposalStatus::parse(&status).is_some_and(|s| s.is_public());
    let view = file_view((id, name, kind.clone(), size, sha256, at));
    Ok(Some(FileRecord { view, object_key: key, kind, public, agency_id, hearing: None }))
}

/// Every object key the database knows (for the orphan sweeper).
pub async fn object_keys(tx: &mut Tx) -> StoreResult<Vec<String>> {
    on_tx!(tx, |c| sqlx::query_scalar("SELECT object_key FROM attachments").fetch_all(&mut *c).await)
}

// ---- the calendar and the approval policy

/// The marked days from `from` up to a year after: enough for any count the rules make.
pub async fn calendar_from(tx: &mut Tx, from: NaiveDate) -> StoreResult<Calendar> {
    let to = from + Duration::days(400);
    let rows: Vec<(NaiveDate, String)> =
        on_tx!(tx, |c| sqlx::query_as("SELECT day, kind FROM calendar_days WHERE day >= $1 AND day <= $2")
            .bind(from)
            .bind(to)
            .fetch_all(&mut *c)
            .await)?;
    Ok(Calendar::new(rows.into_iter().filter_map(|(d, k)| Some((d, DayKind::parse(&k).ok()?)))))
}

pub async fn calendar_days(tx: &mut Tx, year: i32) -> StoreResult<Vec<CalendarDay>> {
    let (from, to) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
    let (Some(from), Some(to)) = (from, to) else { return Ok(Vec::new()) };
    let rows: Vec<(NaiveDate, String, String)> =
        on_tx!(tx, |c| sqlx::query_as("SELECT day, kind, name FROM calendar_days WHERE day >= $1 AND day <= $2 ORDER BY day")
            .bind(from)
            .bind(to)
            .fetch_all(&mut *c)
            .await)?;
    Ok(rows.into_iter().filter_map(|(day, kind, name)| Some(CalendarDay { day, kind: DayKind::parse(&kind).ok()?, name })).collect())
}

pub async fn set_calendar_day(tx: &mut Tx, day: NaiveDate, kind: Option<DayKind>, name: &str) -> StoreResult<()> {
    on_tx!(tx, |c| {
        match kind {
            Some(kind) => {
                sqlx::query(
                    "INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) ON CONFLICT (day) DO UPDATE SET kind = $2, name = $3",
                )
                .bind(day)
                .bind(kind.as_str())
                .bind(name)
                .execute(&mut *c)
                .await?
            }
            None => sqlx::query("DELETE FROM calendar_days WHERE day = $1").bind(day).execute(&mut *c).await?,
        };
        Ok(())
    })
}

/// Independent approvals an assessment needs for this kind (1 unless the admin set 2).
pub async fn approvals_required(tx: &mut Tx, kind: &str) -> StoreResult<u8> {
    let n: Option<i32> = on_tx!(tx, |c| sqlx::query_scalar("SELECT approvals FROM approval_policy WHERE kind = $1")
        .bind(kind)
        .fetch_optional(&mut *c)
        .await)?;
    Ok(n.map(|n| n.clamp(1, 2) as u8).unwrap_or(1))
}

pub async fn approval_policy(tx: &mut Tx) -> StoreResult<Vec<(String, u8)>> {
    let rows: Vec<(String, i32)> =
        on_tx!(tx, |c| sqlx::query_as("SELECT kind, approvals FROM approval_policy ORDER BY kind").fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(|(k, n)| (k, n.clamp(1, 2) as u8)).collect())
}

pub async fn set_approvals(tx: &mut Tx, kind: &str, approvals: u8) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO approval_policy (kind, approvals) VALUES ($1, $2) ON CONFLICT (kind) DO UPDATE SET approvals = $2"
    )
    .bind(kind)
    .bind(approvals as i32)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

// ---- what is on file

/// The newest assessment and legality review of a subject, as gate evidence.
pub async fn evidence(tx: &mut Tx, subject: GateSubject) -> StoreResult<(RiskEvidence, LegalityEvidence)> {
    let risk: Option<(String, String, Option<String>)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT status, level, mitigation FROM risk_assessments WHERE subject = $1 AND subject_id = $2 AND status <> 'superseded' \
         ORDER BY id DESC LIMIT 1"
    )
    .bind(subject.as_str())
    .bind(subject.id())
    .fetch_optional(&mut *c)
    .await)?;
    let legality: Option<(String, Option<String>)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT status, opinion FROM legality_reviews WHERE subject = $1 AND subject_id = $2 AND status <> 'superseded' \
         ORDER BY id DESC LIMIT 1"
    )
    .bind(subject.as_str())
    .bind(subject.id())
    .fetch_optional(&mut *c)
    .await)?;
    let risk = match risk {
        None => RiskEvidence::None,
        Some((status, level, mitigation)) => match AssessmentStatus::parse(&status) {
            Ok(AssessmentStatus::Approved) => RiskEvidence::Approved,
            Ok(AssessmentStatus::Rejected) => RiskEvidence::Rejected,
            _ => RiskEvidence::Pending { level: RiskLevel::parse(&level).unwrap_or(RiskLevel::High), has_mitigation: mitigation.is_some() },
        },
    };
    let legality = match legality {
        None => LegalityEvidence::None,
        Some((_, Some(opinion))) => match LegalityOpinion::parse(&opinion) {
            Ok(opinion) => LegalityEvidence::Opinion { opinion },
            Err(_) => LegalityEvidence::Pending,
        },
        Some((_, None)) => LegalityEvidence::Pending,
    };
    Ok((risk, legality))
}

/// Fills in the evidence that lives in these tables.
pub async fn complete_evidence(tx: &mut Tx, subject: GateSubject, mut evidence: Evidence) -> StoreResult<Evidence> {
    let (risk, legality) = self::evidence(tx, subject).await?;
    evidence.risk = risk;
    evidence.legality = legality;
    if let GateSubject::Proposal(id) = subject {
        evidence.hearing_report_published = super::hearings::report_published(tx, id).await?;
    }
    Ok(evidence)
}

async fn decisions(tx: &mut Tx, item: ReviewItem, item_id: i64) -> StoreResult<Vec<DecisionView>> {
    let rows: Vec<(String, String, String, DateTime<Utc>)> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT u.display_name, d.outcome, d.reason, d.decided_at FROM review_decisions d JOIN users u ON u.id = d.reviewer_id \
         WHERE d.item = $1 AND d.item_id = $2 ORDER BY d.id"
    )
    .bind(item.as_str())
    .bind(item_id)
    .fetch_all(&mut *c)
    .await)?;
    Ok(rows.into_iter().map(|(reviewer, outcome, reason, decided_at)| DecisionView { reviewer, outcome, reason, decided_at }).collect())
}

/// The checklist with its evidence, for everyone to see. `derived` are the gates the
/// rules require of this subject, `evidence` what its own state says (window, report).
pub async fn board(
    tx: &mut Tx,
    subject: GateSubject,
    agency_id: i64,
    open: bool,
    derived: Vec<Gate>,
    evidence: Evidence,
    today: NaiveDate,
) -> StoreResult<GateBoard> {
    let added = added_gates(tx, subject).await?;
    let evidence = complete_evidence(tx, subject, evidence).await?;
    let gates = gate::with_added(derived.clone(), &added.iter().map(|a| a.gate).collect::<Vec<_>>());
    let rows = gates
        .into_iter()
        .map(|g| GateRow {
            gate: g,
            state: gate::state(g, &evidence),
            added: if derived.contains(&g) { None } else { added.iter().find(|a| a.gate == g).cloned() },
        })
        .collect();

    let sql = format!(
        "SELECT {ASSESSMENT_COLUMNS} FROM risk_assessments r JOIN users u ON u.id = r.submitted_by \
         WHERE r.subject = $1 AND r.subject_id = $2 ORDER BY r.id DESC LIMIT 20"
    );
    let rows_a: Vec<AssessmentRow> =
        on_tx!(tx, |c| sqlx::query_as(&sql).bind(subject.as_str()).bind(subject.id()).fetch_all(&mut *c).await)?;
    let mut assessments = Vec::with_capacity(rows_a.len());
    for r in rows_a {
        let (level, status) = (r.level(), r.status());
        assessments.push(AssessmentView {
            id: r.id,
            level,
            method: AssessmentMethod::parse(&r.method).unwrap_or(AssessmentMethod::Survey),
            risk_points: r.risk_points,
            prevention: r.prevention,
            response_plan: r.response_plan,
            mitigation: r.mitigation,
            status,
            submitted_by: r.submitted_by_name,
            submitted_at: r.submitted_at,
            control_measures: r.control_measures,
            decided_at: r.decided_at,
            decisions: decisions(tx, ReviewItem::Assessment, r.id).await?,
            files: files_of(tx, "assessment", r.id).await?,
            mitigation_files: files_of(tx, "mitigation", r.id).await?,
        });
    }

    let sql = format!(
        "SELECT {LEGALITY_COLUMNS} FROM legality_reviews l JOIN users u ON u.id = l.requested_by \
         LEFT JOIN users d ON d.id = l.decided_by WHERE l.subject = $1 AND l.subject_id = $2 ORDER BY l.id DESC LIMIT 20"
    );
    let rows_l: Vec<LegalityRow> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(subject.as_str()).bind(subject.id()).fetch_all(&mut *c).await)?;
    let mut legality = Vec::with_capacity(rows_l.len());
    for r in rows_l {
        let calendar = calendar_from(tx, r.requested_on).await?;
        let end = r.decided_at.map(local_day).unwrap_or(today);
        let (status, opinion) = (r.status(), r.opinion());
        legality.push(LegalityView {
            id: r.id,
            requested_by: r.requested_by_name,
            requested_at: r.requested_at,
            materials: r.materials,
            status,
            opinion,
            opinion_text: r.opinion_text,
            decided_by: r.decided_by_name,
            decided_at: r.decided_at,
            working_days: calendar.working_days_between(r.requested_on, end),
            earliest: calendar.add_working_days(r.requested_on, crate::domain::calendar::LEGALITY_REVIEW_MIN_WORKING_DAYS),
            files: files_of(tx, "legality", r.id).await?,
        });
    }
    Ok(GateBoard { subject, agency_id, open, rows, assessments, legality })
}

/// What awaits reviewers, oldest first: pending assessments and legality reviews of
/// subjects that are still open (drafts included: an agency assesses before publishing).
pub async fn review_queue(tx: &mut Tx, today: NaiveDate, limit: i64) -> StoreResult<Vec<QueueItem>> {
    type Row =
        (String, i64, String, i64, DateTime<Utc>, Option<String>, Option<String>, i64, Option<NaiveDate>, i64, String, String, String);
    let rows: Vec<Row> = on_tx!(tx, |c| {
        sqlx::query_as(
        "SELECT q.item, q.id, q.subject, q.subject_id, q.at, q.level, q.mitigation, q.approvals, q.requested_on, \
                q.agency_id, a.name_zh, a.name_en, COALESCE(p.title, j.title, '') \
         FROM ( \
           SELECT 'assessment' AS item, r.id, r.subject, r.subject_id, r.submitted_at AS at, r.level, r.mitigation, \
                  (SELECT COUNT(*) FROM review_decisions d WHERE d.item = 'assessment' AND d.item_id = r.id AND d.outcome = 'approve') AS approvals, \
                  CAST(NULL AS DATE) AS requested_on, r.agency_id \
           FROM risk_assessments r WHERE r.status = 'pending' \
           UNION ALL \
           SELECT 'legality', l.id, l.subject, l.subject_id, l.requested_at, NULL, NULL, 0, l.requested_on, l.agency_id \
           FROM legality_reviews l WHERE l.status = 'pending' \
         ) q \
         JOIN agencies a ON a.id = q.agency_id \
         LEFT JOIN proposals p ON q.subject = 'proposal' AND p.id = q.subject_id \
         LEFT JOIN projects j ON q.subject = 'project' AND j.id = q.subject_id \
         ORDER BY q.at, q.id LIMIT $1"
    )
    .bind(limit)
    .fetch_all(&mut *c)
    .await
    })?;
    let mut items = Vec::with_capacity(rows.len());
    for (item, id, subject, subject_id, at, level, mitigation, approvals, requested_on, agency_id, name_zh, name_en, title) in rows {
        let (Ok(item), Some(subject)) = (ReviewItem::parse(&item), GateSubject::parse(&subject, subject_id)) else { continue };
        let (working_days, earliest) = match requested_on {
            Some(on) => {
                let calendar = calendar_from(tx, on).await?;
                (
                    Some(calendar.working_days_between(on, today)),
                    Some(calendar.add_working_days(on, crate::domain::calendar::LEGALITY_REVIEW_MIN_WORKING_DAYS)),
                )
            }
            None => (None, None),
        };
        items.push(QueueItem {
            item,
            id,
            subject,
            subject_title: title,
            agency: Agency { id: agency_id, name_zh, name_en },
            submitted_at: at,
            level: level.as_deref().and_then(|l| RiskLevel::parse(l).ok()),
            has_mitigation: mitigation.is_some(),
            approvals,
            working_days,
            earliest,
        });
    }
    Ok(items)
}

impl Db {
    /// The reviewer queue, in one read snapshot.
    pub async fn review_queue(&self, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<QueueItem>> {
        let mut tx = self.begin_read().await?;
        review_queue(&mut tx, local_day(now), limit).await
    }
}

/// What the checklist of a subject starts from: its agency, whether evidence may still
/// be added, whether it is public, the gates the rules require of it, and the evidence
/// its own state gives (window, report). `None` when it does not exist.
async fn checklist_base(
    tx: &mut Tx,
    subject: GateSubject,
    now: DateTime<Utc>,
) -> StoreResult<Option<(i64, bool, bool, Vec<Gate>, Evidence)>> {
    Ok(match subject {
        GateSubject::Proposal(id) => {
            let Some(state) = super::proposals::load_state(tx, id, false).await? else { return Ok(None) };
            let open = !matches!(state.status, ProposalStatus::Adopted | ProposalStatus::Withdrawn);
            let own = Evidence::from_state(state.status, state.window.phase(now));
            Some((state.agency_id, open, state.status.is_public(), gate::required_gates(state.kind, &state.domains), own))
        }
        GateSubject::Project(id) => {
            let Some(state) = super::projects::load_state(tx, id, false).await? else { return Ok(None) };
            Some((state.agency_id, true, true, crate::domain::project::required_gates(), Evidence::default()))
        }
    })
}

/// The gates of a subject's checklist (required and added) still without their
/// evidence, with what each lacks.
async fn unmet_gates(tx: &mut Tx, subject: GateSubject, now: DateTime<Utc>) -> StoreResult<Vec<(Gate, GateState)>> {
    let Some((_, _, _, derived, own)) = checklist_base(tx, subject, now).await? else { return Ok(Vec::new()) };
    let added: Vec<Gate> = added_gates(tx, subject).await?.into_iter().map(|a| a.gate).collect();
    let evidence = complete_evidence(tx, subject, own).await?;
    Ok(gate::with_added(derived, &added)
        .into_iter()
        .map(|g| (g, gate::state(g, &evidence)))
        .filter(|(_, state)| *state != GateState::Met)
        .collect())
}

/// Where a list of blocked subjects goes on: after this one (they are listed most
/// recently blocked first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockedCursor {
    pub since: DateTime<Utc>,
    pub subject: GateSubject,
}

impl BlockedCursor {
    pub fn encode(&self) -> String {
        format!("{}_{}_{}", self.since.timestamp_micros(), self.subject.as_str(), self.subject.id())
    }

    pub fn decode(raw: &str) -> Option<Self> {
        let mut parts = raw.splitn(3, '_');
        let since = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
        let kind = parts.next()?;
        let subject = GateSubject::parse(kind, parts.next()?.parse().ok()?)?;
        Some(Self { since, subject })
    }
}

#[derive(sqlx::FromRow)]
struct BlockedRow {
    subject: String,
    id: i64,
    title: String,
    agency_id: i64,
    name_zh: String,
    name_en: String,
    since: DateTime<Utc>,
}

impl Db {
    /// Proposals whose comment window has closed but which are not adopted, and projects
    /// that may not proceed, each with the gates that hold it back, most recently blocked
    /// first. A subject whose every gate is met (ready for its decision) is not blocked
    /// and is left out, so a page may hold fewer than `limit`; the cursor goes on from
    /// the last subject looked at. A filter's domain leaves projects out (they have none).
    pub async fn blocked(
        &self,
        filter: ProposalFilter,
        after: Option<BlockedCursor>,
        limit: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<(Vec<BlockedItem>, Option<BlockedCursor>)> {
        // one branch per status, each reading its index in order and stopping at the
        // page's end, so that a page costs the same with 100,000 closed proposals
        let mut sql = Sql::new("SELECT * FROM (");
        let statuses = [ProposalStatus::Published.as_str(), ProposalStatus::FeedbackPublished.as_str()];
        let waiting = [ProjectStatus::Proposed, ProjectStatus::Assessing, ProjectStatus::Halted].map(ProjectStatus::as_str);
        let project_statuses: &[&str] = if filter.domain.is_none() { &waiting } else { &[] };
        let branches = statuses.iter().map(|s| ("proposal", *s)).chain(project_statuses.iter().map(|s| ("project", *s)));
        for (n, (subject, status)) in branches.enumerate() {
            let (table, since) = if subject == "proposal" { ("proposals", "p.closes_at") } else { ("projects", "p.created_at") };
            sql.push(if n == 0 { "" } else { " UNION ALL " });
            sql.push(&format!(
                "SELECT * FROM (SELECT '{subject}' AS subject, p.id, p.title, p.agency_id, a.name_zh, a.name_en, {since} AS since \
                 FROM {table} p JOIN agencies a ON a.id = p.agency_id WHERE p.status = "
            ));
            sql.bind(Bind::Text(status.to_owned()));
            if subject == "proposal" {
                sql.push(" AND p.closes_at <= ").bind(Bind::Time(now));
            }
            sql.filter(filter);
            if let Some(c) = after {
                // after the cursor in (since, subject, id) order, descending; a row value
                // keeps the index in order
                let (cursor_subject, id) = (c.subject.as_str(), c.subject.id());
                if subject == cursor_subject {
                    sql.push(&format!(" AND ({since}, p.id) < (")).bind(Bind::Time(c.since)).push(", ").bind(Bind::Int(id)).push(")");
                } else if subject < cursor_subject {
                    sql.push(&format!(" AND {since} <= ")).bind(Bind::Time(c.since));
                } else {
                    sql.push(&format!(" AND {since} < ")).bind(Bind::Time(c.since));
                }
            }
            sql.push(&format!(" ORDER BY {since} DESC, p.id DESC LIMIT ")).bind(Bind::Int(limit + 1));
            sql.push(&format!(") AS b{n}"));
        }
        sql.push(") AS b ORDER BY b.since DESC, b.subject DESC, b.id DESC LIMIT ").bind(Bind::Int(limit + 1));
        let rows: Vec<BlockedRow> = sql.fetch_all(self).await?;
        let more = rows.len() as i64 > limit;
        let mut tx = self.begin_read().await?;
        let mut items = Vec::new();
        let mut last = None;
        for row in rows.into_iter().take(limit as usize) {
            let Some(subject) = GateSubject::parse(&row.subject, row.id) else { continue };
            last = Some(BlockedCursor { since: row.since, subject });
            let unmet = unmet_gates(&mut tx, subject, now).await?;
            if unmet.is_empty() {
                continue;
            }
            items.push(BlockedItem {
                subject,
                title: row.title,
                agency: Agency { id: row.agency_id, name_zh: row.name_zh, name_en: row.name_en },
                since: row.since,
                unmet,
            });
        }
        Ok((items, if more { last } else { None }))
    }

    /// The checklist of a proposal or project with all its evidence, in one snapshot;
    /// `None` when it does not exist. The flag says whether it is public (a draft is not).
    pub async fn gate_board(&self, subject: GateSubject, now: DateTime<Utc>) -> StoreResult<Option<(GateBoard, bool)>> {
        let mut tx = self.begin_read().await?;
        let Some((agency_id, open, public, derived, own)) = checklist_base(&mut tx, subject, now).await? else { return Ok(None) };
        let board = board(&mut tx, subject, agency_id, open, derived, own, local_day(now)).await?;
        Ok(Some((board, public)))
    }

    /// Every object key the database knows (for the orphan sweeper).
    pub async fn evidence_keys(&self) -> StoreResult<Vec<String>> {
        let mut tx = self.begin_read().await?;
        object_keys(&mut tx).await
    }

    /// A file's record, for download.
    pub async fn evidence_file(&self, id: i64) -> StoreResult<Option<FileRecord>> {
        let mut tx = self.begin_read().await?;
        file(&mut tx, id).await
    }

    pub async fn calendar_year(&self, year: i32) -> StoreResult<Vec<CalendarDay>> {
        let mut tx = self.begin_read().await?;
        calendar_days(&mut tx, year).await
    }

    pub async fn approval_policy(&self) -> StoreResult<Vec<(String, u8)>> {
        let mut tx = self.begin_read().await?;
        approval_policy(&mut tx).await
    }

    pub async fn project_detail(&self, id: i64) -> StoreResult<Option<crate::model::ProjectDetail>> {
        let mut tx = self.begin_read().await?;
        super::projects::detail(&mut tx, id).await
    }
}
