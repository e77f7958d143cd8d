use chrono::{DateTime, Utc};

use super::{Bind, Sql, StoreResult};
use crate::{
    backend::{db::Tx, markdown::RenderedClause, Db},
    domain::{
        comment::Stance,
        lifecycle::ProposalStatus,
        proposal::{hearing_required, CommentWindow, EventKind, PolicyDomain, ProposalFilter, ProposalKind, WindowPhase},
        tally::Tally,
    },
    model::{Agency, Clause, ConsultationEvent, ProposalDetail, ProposalSummary, WindowExtension},
    on_db, on_tx,
};

pub struct NewProposal {
    pub agency_id: i64,
    pub kind: ProposalKind,
    pub title: String,
    pub domains: Vec<PolicyDomain>,
    pub body_md: String,
    pub clauses: Vec<RenderedClause>,
    pub window: CommentWindow,
    pub created_by: i64,
    /// Saved privately for preview (what people do: `service::proposals`); seeding
    /// with [`Db::create_proposal`] may publish at once.
    pub draft: bool,
}

/// A window extension: old and new closing time, reason, when.
type ExtensionRow = (DateTime<Utc>, DateTime<Utc>, String, DateTime<Utc>);

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    kind: String,
    agency_id: i64,
    name_zh: String,
    name_en: String,
    domains: String,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    short_window_reason: Option<String>,
    hearing_required: bool,
    comment_count: i64,
    campaign_count: i64,
    commenter_count: i64,
    status: String,
    current_version: i32,
    published_at: Option<DateTime<Utc>>,
    withdrawn_reason: Option<String>,
}

impl SummaryRow {
    /// Written by this program from the same enum and checked by the schema; an unknown
    /// value would mean a newer schema, and "draft" (private) is the safe reading.
    fn status(&self) -> ProposalStatus {
        ProposalStatus::parse(&self.status).unwrap_or(ProposalStatus::Draft)
    }

    fn into_summary(self, now: DateTime<Utc>) -> ProposalSummary {
        let status = self.status();
        let window = CommentWindow { opens_at: self.opens_at, closes_at: self.closes_at, short_reason: self.short_window_reason };
        ProposalSummary {
            phase: window.phase(now),
            id: self.id,
            title: self.title,
            // written by this program from the same enums; an unknown value means a
            // newer schema, and "other"/regulation is the safe reading
            kind: ProposalKind::parse(&self.kind).unwrap_or(ProposalKind::Regulation),
            agency: Agency { id: self.agency_id, name_zh: self.name_zh, name_en: self.name_en },
            domains: self.domains.split(',').filter_map(|d| PolicyDomain::parse(d).ok()).collect(),
            window,
            hearing_required: self.hearing_required,
            comment_count: self.comment_count,
            campaign_count: self.campaign_count,
            commenter_count: self.commenter_count,
            status,
            withdrawn_reason: self.withdrawn_reason,
            adopted: status == ProposalStatus::Adopted,
        }
    }
}

const SUMMARY_COLUMNS: &str = "p.id, p.title, p.kind, p.agency_id, a.name_zh, a.name_en, p.domains, \
     p.opens_at, p.closes_at, p.short_window_reason, p.hearing_required, p.comment_count, p.campaign_count, p.commenter_count, p.status, \
     p.current_version, p.published_at, p.withdrawn_reason";

/// Where a list page starts: the sort key and id of the last item of the page before.
#[derive(Clone, Debug, PartialEq)]
pub struct ListCursor {
    pub at: DateTime<Utc>,
    pub id: i64,
}

impl ListCursor {
    /// Before every real row (1900 is a date both databases store and compare as text
    /// and as timestamps alike).
    pub fn start_ascending() -> Self {
        Self { at: DateTime::from_timestamp(-2_208_988_800, 0).expect("1900-01-01"), id: 0 }
    }

    /// After every real row.
    pub fn start_descending() -> Self {
        Self { at: DateTime::from_timestamp(253_402_300_799, 0).expect("9999-12-31"), id: i64::MAX }
    }

    pub fn encode(&self) -> String {
        format!("{}_{}", self.at.timestamp_micros(), self.id)
    }

    pub fn decode(raw: &str) -> Option<Self> {
        let (at, id) = raw.split_once('_')?;
        Some(Self { at: DateTime::from_timestamp_micros(at.parse().ok()?)?, id: id.parse().ok()? })
    }
}

impl Db {
    /// Published proposals in one phase of their window, keyset-paginated: open ones
    /// closing soonest first, upcoming ones opening soonest first, closed ones most
    /// recently closed first.
    pub async fn list_proposals(
        &self,
        phase: WindowPhase,
        filter: ProposalFilter,
        after: Option<&ListCursor>,
        limit: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(ProposalSummary, ListCursor)>> {
        // One branch per public status, each reading the index (status, key, id) in order
        // from the cursor and stopping at the page's end, then merged: a page costs the
        // same with 100,000 proposals (a `status IN (…)` would sort every row of the
        // phase). The cursor is a row value, which both databases match on the index.
        let (key, ascending) = match phase {
            WindowPhase::Open => ("closes_at", true),
            WindowPhase::Upcoming => ("opens_at", true),
            WindowPhase::Closed => ("closes_at", false),
        };
        let cursor = after.cloned().unwrap_or(if ascending { ListCursor::start_ascending() } else { ListCursor::start_descending() });
        let (cmp, order) = if ascending { (">", "") } else { ("<", " DESC") };
        let mut sql = Sql::new("SELECT * FROM (");
        for (n, status) in [ProposalStatus::Published, ProposalStatus::FeedbackPublished, ProposalStatus::Adopted].into_iter().enumerate() {
            sql.push(if n == 0 { "" } else { " UNION ALL " });
            sql.push(&format!(
                "SELECT * FROM (SELECT {SUMMARY_COLUMNS} FROM proposals p JOIN agencies a ON a.id = p.agency_id WHERE p.status = "
            ));
            sql.bind(Bind::Text(status.as_str().to_owned()));
            match phase {
                WindowPhase::Open => {
                    sql.push(" AND p.opens_at <= ").bind(Bind::Time(now)).push(" AND p.closes_at > ").bind(Bind::Time(now));
                }
                WindowPhase::Upcoming => {
                    sql.push(" AND p.opens_at > ").bind(Bind::Time(now));
                }
                WindowPhase::Closed => {
                    sql.push(" AND p.closes_at <= ").bind(Bind::Time(now));
                }
            }
            sql.filter(filter);
            sql.push(&format!(" AND (p.{key}, p.id) {cmp} (")).bind(Bind::Time(cursor.at)).push(", ").bind(Bind::Int(cursor.id)).push(")");
            sql.push(&format!(" ORDER BY p.{key}{order}, p.id{order} LIMIT ")).bind(Bind::Int(limit));
            sql.push(&format!(") AS b{n}"));
        }
        sql.push(&format!(") AS u ORDER BY u.{key}{order}, u.id{order} LIMIT ")).bind(Bind::Int(limit));
        let rows: Vec<SummaryRow> = sql.fetch_all(self).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let key = match phase {
                    WindowPhase::Upcoming => row.opens_at,
                    _ => row.closes_at,
                };
                let cursor = ListCursor { at: key, id: row.id };
                (row.into_summary(now), cursor)
            })
            .collect())
    }

    /// A proposal with the clauses of its current version. Drafts only when asked
    /// (the caller checks that the reader may see them).
    pub async fn proposal(&self, id: i64, now: DateTime<Utc>) -> StoreResult<Option<ProposalDetail>> {
        Ok(self.proposal_or_draft(id, now).await?.filter(|p| p.published))
    }

    pub async fn proposal_or_draft(&self, id: i64, now: DateTime<Utc>) -> StoreResult<Option<ProposalDetail>> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM proposals p JOIN agencies a ON a.id = p.agency_id WHERE p.id = $1");
        type Parts =
            (Vec<(i32, Option<String>, String)>, Vec<ExtensionRow>, Vec<(String, DateTime<Utc>, String, String)>, Vec<(i32, String, i64)>);
        // one connection for the page's five reads
        let found: Option<(SummaryRow, Parts)> = on_db!(self, |pool| {
            let mut conn = pool.acquire().await?;
            let row: Option<SummaryRow> = sqlx::query_as::<_, SummaryRow>(&sql).bind(id).fetch_optional(&mut *conn).await?;
            match row {
                None => None,
                Some(row) => {
                    let clauses = sqlx::query_as(
                        "SELECT c.number, c.heading_html, c.html FROM clauses c \
                         JOIN proposal_versions v ON v.id = c.version_id \
                         WHERE v.proposal_id = $1 AND v.number = $2 ORDER BY c.number",
                    )
                    .bind(id)
                    .bind(row.current_version)
                    .fetch_all(&mut *conn)
                    .await?;
                    let extensions = sqlx::query_as(
                        "SELECT old_closes_at, new_closes_at, reason, extended_at FROM window_extensions WHERE proposal_id = $1 ORDER BY id",
                    )
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?;
                    let events = sqlx::query_as(
                        "SELECT kind, held_at, title, minutes_html FROM consultation_events WHERE proposal_id = $1 ORDER BY held_at, id",
                    )
                    .bind(id)
                    .fetch_all(&mut *conn)
                    .await?;
                    let tallies =
                        sqlx::query_as("SELECT clause_number, stance, count FROM comment_tallies WHERE proposal_id = $1 AND count > 0")
                            .bind(id)
                            .fetch_all(&mut *conn)
                            .await?;
                    Some((row, (clauses, extensions, events, tallies)))
                }
            }
        });
        let Some((row, (clauses, extensions, events, tallies))) = found else { return Ok(None) };
        let version = row.current_version;
        let published_at = row.published_at;
        let published = row.status().is_public();
        let feedback_published = row.status().has_feedback_report();
        Ok(Some(ProposalDetail {
            tallies: tallies
                .into_iter()
                .filter_map(|(clause, stance, count)| {
                    Some(Tally { clause: u32::try_from(clause).ok()?, stance: Stance::parse(&stance).ok()?, count })
                })
                .collect(),
            extensions: extensions
                .into_iter()
                .map(|(old_closes_at, new_closes_at, reason, extended_at)| WindowExtension {
                    old_closes_at,
                    new_closes_at,
                    reason,
                    extended_at,
                })
                .collect(),
            events: events
                .into_iter()
                .filter_map(|(kind, held_at, title, minutes_html)| {
                    Some(ConsultationEvent { kind: EventKind::parse(&kind).ok()?, held_at, title, minutes_html })
                })
                .collect(),
            feedback_published,
            summary: row.into_summary(now),
            version: version as u32,
            clauses: clauses.into_iter().map(|(number, heading_html, html)| Clause { number: number as u32, heading_html, html }).collect(),
            published_at,
            published,
        }))
    }
}

impl Db {
    /// What a comment needs to know about where it lands: the window, the current
    /// version's id and number, and how many clauses that version has.
    pub async fn comment_target(&self, proposal_id: i64) -> StoreResult<Option<CommentTarget>> {
        on_db!(self, |pool| sqlx::query_as::<_, CommentTarget>(
            "SELECT p.opens_at, p.closes_at, v.id AS version_id, v.number AS version_number, \
             (SELECT COUNT(*) FROM clauses c WHERE c.version_id = v.id) AS clause_count \
             FROM proposals p JOIN proposal_versions v ON v.proposal_id = p.id AND v.number = p.current_version \
             WHERE p.id = $1 AND p.status = $2"
        )
        .bind(proposal_id)
        .bind(ProposalStatus::Published.as_str())
        .fetch_optional(pool)
        .await)
    }

    /// Seeds a proposal (demo data, tests, benchmarks): a draft, or published at `now`,
    /// audited like the real actions. People publish through `service::proposals`.
    pub async fn create_proposal(&self, p: &NewProposal, now: DateTime<Utc>) -> StoreResult<i64> {
        use crate::domain::audit::{Event, Subject};
        let mut tx = self.begin_write().await?;
        let id = insert_draft(&mut tx, p, now).await?;
        let drafted = Event::ProposalDrafted {
            title: p.title.clone(),
            kind: p.kind,
            domains: p.domains.clone(),
            opens_at: p.window.opens_at,
            closes_at: p.window.closes_at,
            short_window_reason: p.window.short_reason.clone(),
        };
        super::audit::append(&mut tx, now, Some(p.created_by), Subject::Proposal(id), &drafted).await?;
        if !p.draft {
            set_status(&mut tx, id, ProposalStatus::Draft, ProposalStatus::Published, now).await?;
            let published = Event::ProposalPublished { opens_at: p.window.opens_at, closes_at: p.window.closes_at };
            super::audit::append(&mut tx, now, Some(p.created_by), Subject::Proposal(id), &published).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The clauses of one version (number, heading, html, plain text), in order.
    pub async fn version_clauses(&self, id: i64, number: u32) -> StoreResult<Vec<(Clause, String)>> {
        let rows: Vec<(i32, Option<String>, String, String)> = on_db!(self, |pool| sqlx::query_as(
            "SELECT c.number, c.heading_html, c.html, c.plain FROM clauses c \
             JOIN proposal_versions v ON v.id = c.version_id \
             WHERE v.proposal_id = $1 AND v.number = $2 ORDER BY c.number"
        )
        .bind(id)
        .bind(number as i32)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(|(n, heading_html, html, plain)| (Clause { number: n as u32, heading_html, html }, plain)).collect())
    }

    /// The changes of version `number` from the one before, as stored when it was
    /// published (none for versions published before they were stored).
    pub async fn version_changes(&self, id: i64, number: u32) -> StoreResult<Option<String>> {
        let changes: Option<Option<String>> =
            on_db!(self, |pool| sqlx::query_scalar("SELECT changes FROM proposal_versions WHERE proposal_id = $1 AND number = $2")
                .bind(id)
                .bind(number as i32)
                .fetch_optional(pool)
                .await)?;
        Ok(changes.flatten())
    }

    /// The Markdown of the current version (for an official revising it).
    pub async fn current_body(&self, id: i64) -> StoreResult<Option<String>> {
        on_db!(self, |pool| {
            sqlx::query_scalar(
            "SELECT v.body_md FROM proposal_versions v JOIN proposals p ON p.id = v.proposal_id AND v.number = p.current_version WHERE p.id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await
        })
    }
}

/// What every action on a proposal reads first, inside its own transaction.
#[derive(Clone, Debug)]
pub struct ProposalState {
    pub id: i64,
    pub agency_id: i64,
    pub title: String,
    pub status: ProposalStatus,
    pub kind: ProposalKind,
    pub domains: Vec<PolicyDomain>,
    pub window: CommentWindow,
    pub current_version: u32,
    pub version_id: i64,
    pub clause_count: u32,
}

#[derive(sqlx::FromRow)]
struct StateRow {
    id: i64,
    agency_id: i64,
    title: String,
    status: String,
    kind: String,
    domains: String,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    short_window_reason: Option<String>,
    current_version: i32,
    version_id: i64,
    clause_count: i64,
}

/// Loads the proposal's state. On PostgreSQL `lock` takes the row until the
/// transaction ends, so two actions on one proposal run one after the other (SQLite's
/// write transactions are serial already).
pub async fn load_state(tx: &mut Tx, id: i64, lock: bool) -> StoreResult<Option<ProposalState>> {
    let lock = if lock { tx.for_update("p") } else { String::new() };
    let sql = format!(
        "SELECT p.id, p.agency_id, p.title, p.status, p.kind, p.domains, p.opens_at, p.closes_at, p.short_window_reason, \
         p.current_version, v.id AS version_id, \
         (SELECT COUNT(*) FROM clauses c WHERE c.version_id = v.id) AS clause_count \
         FROM proposals p JOIN proposal_versions v ON v.proposal_id = p.id AND v.number = p.current_version \
         WHERE p.id = $1{lock}"
    );
    let row: Option<StateRow> = on_tx!(tx, |c| sqlx::query_as::<_, StateRow>(&sql).bind(id).fetch_optional(&mut *c).await)?;
    Ok(row.map(|r| ProposalState {
        id: r.id,
        agency_id: r.agency_id,
        title: r.title,
        status: ProposalStatus::parse(&r.status).unwrap_or(ProposalStatus::Draft),
        kind: ProposalKind::parse(&r.kind).unwrap_or(ProposalKind::Regulation),
        domains: r.domains.split(',').filter_map(|d| PolicyDomain::parse(d).ok()).collect(),
        window: CommentWindow { opens_at: r.opens_at, closes_at: r.closes_at, short_reason: r.short_window_reason },
        current_version: r.current_version as u32,
        version_id: r.version_id,
        clause_count: r.clause_count as u32,
    }))
}

/// Who drafted the proposal.
pub async fn created_by(tx: &mut Tx, id: i64) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar("SELECT created_by FROM proposals WHERE id = $1").bind(id).fetch_one(&mut *c).await)
}

/// Inserts a draft with its first version; returns its id.
pub async fn insert_draft(tx: &mut Tx, p: &NewProposal, now: DateTime<Utc>) -> StoreResult<i64> {
    let domains_csv = p.domains.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(",");
    let id: i64 = on_tx!(tx, |c| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO proposals (agency_id, kind, title, status, created_by, created_at, published_at, \
             opens_at, closes_at, short_window_reason, hearing_required, current_version, comment_count, domains) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, 1, 0, $11) RETURNING id",
        )
        .bind(p.agency_id)
        .bind(p.kind.as_str())
        .bind(&p.title)
        .bind(ProposalStatus::Draft.as_str())
        .bind(p.created_by)
        .bind(now)
        .bind(p.window.opens_at)
        .bind(p.window.closes_at)
        .bind(&p.window.short_reason)
        .bind(hearing_required(&p.domains))
        .bind(&domains_csv)
        .fetch_one(&mut *c)
        .await?;
        for domain in &p.domains {
            sqlx::query("INSERT INTO proposal_domains (proposal_id, domain) VALUES ($1, $2)")
                .bind(id)
                .bind(domain.as_str())
                .execute(&mut *c)
                .await?;
        }
        Ok::<_, sqlx::Error>(id)
    })?;
    insert_version(tx, id, 1, &p.body_md, &p.clauses, None, now).await?;
    Ok(id)
}

/// The plain text of each clause of one version, in order.
pub async fn version_plain(tx: &mut Tx, id: i64, number: u32) -> StoreResult<Vec<String>> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT c.plain FROM clauses c JOIN proposal_versions v ON v.id = c.version_id \
         WHERE v.proposal_id = $1 AND v.number = $2 ORDER BY c.number"
    )
    .bind(id)
    .bind(number as i32)
    .fetch_all(&mut *c)
    .await)
}

/// Inserts version `number` with its rendered clauses and, from the second version
/// on, its changes from the one before (JSON).
pub async fn insert_version(
    tx: &mut Tx,
    id: i64,
    number: u32,
    body_md: &str,
    clauses: &[RenderedClause],
    changes: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    on_tx!(tx, |c| {
        let version_id: i64 = sqlx::query_scalar(
            "INSERT INTO proposal_versions (proposal_id, number, body_md, created_at, changes) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(number as i32)
        .bind(body_md)
        .bind(now)
        .bind(changes)
        .fetch_one(&mut *c)
        .await?;
        for clause in clauses {
            sqlx::query("INSERT INTO clauses (version_id, number, heading_html, html, plain) VALUES ($1, $2, $3, $4, $5)")
                .bind(version_id)
                .bind(clause.number as i32)
                .bind(&clause.heading_html)
                .bind(&clause.html)
                .bind(&clause.plain)
                .execute(&mut *c)
                .await?;
        }
        if number > 1 {
            sqlx::query("UPDATE proposals SET current_version = $1 WHERE id = $2").bind(number as i32).bind(id).execute(&mut *c).await?;
        }
        Ok(())
    })
}

/// Moves the proposal from `from` to `to`; false when it was no longer in `from` (a
/// concurrent action got there first).
pub async fn set_status(tx: &mut Tx, id: i64, from: ProposalStatus, to: ProposalStatus, now: DateTime<Utc>) -> StoreResult<bool> {
    // the instant the proposal entered the state, where the schema keeps one
    let stamped = match to {
        ProposalStatus::Published => Some("published_at"),
        ProposalStatus::Adopted => Some("adopted_at"),
        ProposalStatus::Withdrawn => Some("withdrawn_at"),
        ProposalStatus::Draft | ProposalStatus::FeedbackPublished => None,
    };
    let sql = match stamped {
        Some(column) => format!("UPDATE proposals SET status = $1, {column} = $4 WHERE id = $2 AND status = $3"),
        None => "UPDATE proposals SET status = $1 WHERE id = $2 AND status = $3".to_owned(),
    };
    on_tx!(tx, |c| {
        let mut q = sqlx::query(&sql).bind(to.as_str()).bind(id).bind(from.as_str());
        if stamped.is_some() {
            q = q.bind(now);
        }
        Ok(q.execute(&mut *c).await?.rows_affected() > 0)
    })
}

pub async fn set_withdrawn_reason(tx: &mut Tx, id: i64, reason: &str) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE proposals SET withdrawn_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Replaces the comment window (a new version after the old window closed).
pub async fn set_window(tx: &mut Tx, id: i64, window: &CommentWindow) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE proposals SET opens_at = $1, closes_at = $2, short_window_reason = $3 WHERE id = $4")
        .bind(window.opens_at)
        .bind(window.closes_at)
        .bind(&window.short_reason)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Moves the closing time later (the update is conditional, so it never shortens) and
/// records the public reason. False when the window closes at or after `to` already.
pub async fn extend_window(
    tx: &mut Tx,
    id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    reason: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    on_tx!(tx, |c| {
        let changed = sqlx::query("UPDATE proposals SET closes_at = $1 WHERE id = $2 AND closes_at < $1")
            .bind(to)
            .bind(id)
            .execute(&mut *c)
            .await?
            .rows_affected()
            > 0;
        if changed {
            sqlx::query(
                "INSERT INTO window_extensions (proposal_id, old_closes_at, new_closes_at, reason, extended_by, extended_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(from)
            .bind(to)
            .bind(reason)
            .bind(actor)
            .bind(now)
            .execute(&mut *c)
            .await?;
        }
        Ok(changed)
    })
}

/// Records a forum, expert argumentation, questionnaire or public notice with its minutes.
#[allow(clippy::too_many_arguments)]
pub async fn insert_event(
    tx: &mut Tx,
    id: i64,
    kind: EventKind,
    held_at: DateTime<Utc>,
    title: &str,
    minutes_html: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO consultation_events (proposal_id, kind, held_at, title, minutes_html, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(kind.as_str())
    .bind(held_at)
    .bind(title)
    .bind(minutes_html)
    .bind(actor)
    .bind(now)
    .fetch_one(&mut *c)
    .await)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CommentTarget {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub version_id: i64,
    pub version_number: i32,
    pub clause_count: i64,
}
