//! What the Atom feeds list: the public events of published proposals, newest first —
//! published, a new version, a longer window, the feedback report, adoption, withdrawal
//! (from the audit log, so each has the instant it happened) — and two derived from the
//! clock: the window opened, and the window closes within three days; and each hearing
//! on a proposal when it is announced.

use chrono::{DateTime, Duration, Utc};

use super::StoreResult;
use crate::{
    backend::Db,
    domain::{lifecycle::ProposalStatus, proposal::PolicyDomain},
    on_db,
};

/// What happened to a proposal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedEventKind {
    Published,
    NewVersion,
    WindowExtended,
    Opened,
    ClosingSoon,
    FeedbackPublished,
    Adopted,
    Withdrawn,
    /// A hearing on the proposal was announced (its call for participants published).
    HearingScheduled,
}

impl FeedEventKind {
    fn from_action(action: &str) -> Option<Self> {
        Some(match action {
            "published" => Self::Published,
            "version_published" => Self::NewVersion,
            "window_extended" => Self::WindowExtended,
            "feedback_published" => Self::FeedbackPublished,
            "adopted" => Self::Adopted,
            "withdrawn" => Self::Withdrawn,
            _ => return None,
        })
    }

    /// A stable name, part of each entry's id.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::NewVersion => "new-version",
            Self::WindowExtended => "window-extended",
            Self::Opened => "opened",
            Self::ClosingSoon => "closing-soon",
            Self::FeedbackPublished => "feedback-published",
            Self::Adopted => "adopted",
            Self::Withdrawn => "withdrawn",
            Self::HearingScheduled => "hearing-scheduled",
        }
    }
}

/// How long before a window closes its "closing soon" entry appears.
pub const CLOSING_SOON: Duration = Duration::days(3);
/// How far back a feed reaches for the derived "opened" entries.
const OPENED_WITHIN: Duration = Duration::days(60);

#[derive(Clone, Debug)]
pub struct FeedEvent {
    pub at: DateTime<Utc>,
    pub kind: FeedEventKind,
    /// The audit entry it comes from (derived events have none).
    pub seq: Option<i64>,
    pub proposal_id: i64,
    pub title: String,
    pub agency_zh: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// For a hearing's event: the hearing.
    pub hearing: Option<HearingRef>,
}

/// The hearing an event is about: its page, when and where.
#[derive(Clone, Debug)]
pub struct HearingRef {
    pub id: i64,
    pub starts_at: DateTime<Utc>,
    pub venue: String,
}

/// Which proposals a feed follows: all, one agency's, or one policy domain's.
#[derive(Clone, Copy, Debug, Default)]
pub struct FeedFilter {
    pub agency_id: Option<i64>,
    pub domain: Option<PolicyDomain>,
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: Option<i64>,
    at: DateTime<Utc>,
    action: String,
    proposal_id: i64,
    title: String,
    agency_zh: String,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct HearingRow {
    seq: i64,
    at: DateTime<Utc>,
    proposal_id: i64,
    title: String,
    agency_zh: String,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    hearing_id: i64,
    starts_at: DateTime<Utc>,
    venue: String,
}

/// The newest `limit` events under `filter` at `now`.
pub async fn proposal_events(db: &Db, filter: FeedFilter, now: DateTime<Utc>, limit: i64) -> StoreResult<Vec<FeedEvent>> {
    // the filter is bound, never spliced: agency 0 and domain '' mean "any"
    let agency = filter.agency_id.unwrap_or(0);
    let domain = filter.domain.map(|d| format!("%,{},%", d.as_str())).unwrap_or_default();
    let draft = ProposalStatus::Draft.as_str();
    let where_proposal = "p.status <> $1 AND ($2 = 0 OR p.agency_id = $2) AND ($3 = '' OR (',' || p.domains || ',') LIKE $3)";
    let logged = format!(
        "SELECT CAST(l.id AS BIGINT) AS seq, l.at, l.action, CAST(p.id AS BIGINT) AS proposal_id, p.title, a.name_zh AS agency_zh, p.opens_at, p.closes_at \
         FROM audit_log l JOIN proposals p ON l.entity = 'proposal' AND l.entity_id = p.id JOIN agencies a ON a.id = p.agency_id \
         WHERE {where_proposal} AND l.action IN ('published', 'version_published', 'window_extended', 'feedback_published', 'adopted', 'withdrawn') \
         AND l.at <= $4 ORDER BY l.id DESC LIMIT $5"
    );
    let windows = format!(
        "SELECT CAST(NULL AS BIGINT) AS seq, p.opens_at AS at, 'opened' AS action, CAST(p.id AS BIGINT) AS proposal_id, p.title, a.name_zh AS agency_zh, p.opens_at, p.closes_at \
         FROM proposals p JOIN agencies a ON a.id = p.agency_id \
         WHERE {where_proposal} AND ((p.opens_at <= $4 AND p.opens_at > $6) OR (p.closes_at > $4 AND p.closes_at <= $7)) \
         ORDER BY p.id DESC LIMIT $5"
    );
    let mut rows: Vec<Row> = on_db!(db, |pool| sqlx::query_as::<_, Row>(&logged)
        .bind(draft)
        .bind(agency)
        .bind(&domain)
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
    let derived: Vec<Row> = on_db!(db, |pool| sqlx::query_as::<_, Row>(&windows)
        .bind(draft)
        .bind(agency)
        .bind(&domain)
        .bind(now)
        .bind(limit)
        .bind(now - OPENED_WITHIN)
        .bind(now + CLOSING_SOON)
        .fetch_all(pool)
        .await)?;
    let announced = format!(
        "SELECT CAST(l.id AS BIGINT) AS seq, l.at, CAST(p.id AS BIGINT) AS proposal_id, p.title, a.name_zh AS agency_zh, p.opens_at, p.closes_at, \
         CAST(h.id AS BIGINT) AS hearing_id, h.starts_at, h.venue \
         FROM audit_log l JOIN hearings h ON l.entity = 'hearing' AND l.entity_id = h.id JOIN proposals p ON p.id = h.proposal_id \
         JOIN agencies a ON a.id = p.agency_id \
         WHERE {where_proposal} AND l.action = 'hearing_call_published' AND l.at <= $4 ORDER BY l.id DESC LIMIT $5"
    );
    let hearings: Vec<HearingRow> = on_db!(db, |pool| sqlx::query_as::<_, HearingRow>(&announced)
        .bind(draft)
        .bind(agency)
        .bind(&domain)
        .bind(now)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
    let mut events: Vec<FeedEvent> = hearings
        .into_iter()
        .map(|h| FeedEvent {
            at: h.at,
            kind: FeedEventKind::HearingScheduled,
            seq: Some(h.seq),
            proposal_id: h.proposal_id,
            title: h.title,
            agency_zh: h.agency_zh,
            opens_at: h.opens_at,
            closes_at: h.closes_at,
            hearing: Some(HearingRef { id: h.hearing_id, starts_at: h.starts_at, venue: h.venue }),
        })
        .collect();
    for r in derived {
        if r.opens_at <= now && r.opens_at > now - OPENED_WITHIN {
            events.push(event(&r, r.opens_at, FeedEventKind::Opened));
        }
        if r.closes_at > now && r.closes_at <= now + CLOSING_SOON {
            events.push(event(&r, r.closes_at - CLOSING_SOON, FeedEventKind::ClosingSoon));
        }
    }
    for r in rows.drain(..) {
        if let Some(kind) = FeedEventKind::from_action(&r.action) {
            events.push(event(&r, r.at, kind));
        }
    }
    events.sort_by(|a, b| b.at.cmp(&a.at).then(b.proposal_id.cmp(&a.proposal_id)));
    events.truncate(limit.max(0) as usize);
    Ok(events)
}

fn event(r: &Row, at: DateTime<Utc>, kind: FeedEventKind) -> FeedEvent {
    FeedEvent {
        at,
        kind,
        seq: r.seq,
        proposal_id: r.proposal_id,
        title: r.title.clone(),
        agency_zh: r.agency_zh.clone(),
        opens_at: r.opens_at,
        closes_at: r.closes_at,
        hearing: None,
    }
}
