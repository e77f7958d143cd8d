use chrono::{DateTime, Utc};
use serde_json::json;

use super::{audit::AuditEntry, StoreResult};
use crate::{
    api::types::{Agency, Clause, ConsultationEvent, ProposalDetail, ProposalSummary, WindowExtension},
    append_audit,
    backend::{markdown::RenderedClause, Db},
    domain::proposal::{hearing_required, CommentWindow, EventKind, PolicyDomain, ProposalKind, WindowPhase},
    in_tx, on_db,
};

/// Writes a version's rendered clauses inside the caller's transaction.
macro_rules! insert_clauses {
    ($tx:ident, $version_id:expr, $clauses:expr) => {
        for clause in $clauses {
            sqlx::query("INSERT INTO clauses (version_id, number, heading_html, html, plain) VALUES ($1, $2, $3, $4, $5)")
                .bind($version_id)
                .bind(clause.number as i32)
                .bind(&clause.heading_html)
                .bind(&clause.html)
                .bind(&clause.plain)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

pub struct NewProposal {
    pub agency_id: i64,
    pub kind: ProposalKind,
    pub title: String,
    pub domains: Vec<PolicyDomain>,
    pub body_md: String,
    pub clauses: Vec<RenderedClause>,
    pub window: CommentWindow,
    pub created_by: i64,
    /// Saved privately for preview; published later with `publish_draft`.
    pub draft: bool,
}

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
}

impl SummaryRow {
    fn into_summary(self, now: DateTime<Utc>) -> ProposalSummary {
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
            adopted: self.status == "adopted",
        }
    }
}

const SUMMARY_COLUMNS: &str = "p.id, p.title, p.kind, p.agency_id, a.name_zh, a.name_en, p.domains, \
     p.opens_at, p.closes_at, p.short_window_reason, p.hearing_required, p.comment_count, p.campaign_count, p.commenter_count, p.status, \
     p.current_version, p.published_at";

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
    /// Publishes a proposal with its first version in one transaction, audited.
    pub async fn create_proposal(&self, p: &NewProposal, now: DateTime<Utc>) -> StoreResult<i64> {
        let domains_csv = p.domains.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(",");
        let id = in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO proposals (agency_id, kind, title, status, created_by, created_at, published_at, \
                 opens_at, closes_at, short_window_reason, hearing_required, current_version, comment_count, domains) \
                 VALUES ($1, $2, $3, $11, $4, $5, $12, $6, $7, $8, $9, 1, 0, $10) RETURNING id",
            )
            .bind(p.agency_id)
            .bind(p.kind.as_str())
            .bind(&p.title)
            .bind(p.created_by)
            .bind(now)
            .bind(p.window.opens_at)
            .bind(p.window.closes_at)
            .bind(&p.window.short_reason)
            .bind(hearing_required(&p.domains))
            .bind(&domains_csv)
            .bind(if p.draft { "draft" } else { "published" })
            .bind(if p.draft { None } else { Some(now) })
            .fetch_one(&mut *tx)
            .await?;
            for domain in &p.domains {
                sqlx::query("INSERT INTO proposal_domains (proposal_id, domain) VALUES ($1, $2)")
                    .bind(id)
                    .bind(domain.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            let version_id: i64 = sqlx::query_scalar(
                "INSERT INTO proposal_versions (proposal_id, number, body_md, created_at) VALUES ($1, 1, $2, $3) RETURNING id",
            )
            .bind(id)
            .bind(&p.body_md)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            insert_clauses!(tx, version_id, &p.clauses);
            append_audit!(
                &mut *tx,
                AuditEntry {
                    at: now,
                    actor_id: Some(p.created_by),
                    entity: "proposal",
                    entity_id: id,
                    action: if p.draft { "drafted" } else { "published" },
                    detail: json!({
                        "title": p.title,
                        "kind": p.kind,
                        "domains": p.domains,
                        "opens_at": p.window.opens_at,
                        "closes_at": p.window.closes_at,
                        "short_window_reason": p.window.short_reason,
                        "version": 1,
                    }),
                }
            )?;
            id
        });
        Ok(id)
    }

    /// Published proposals in one phase of their window, keyset-paginated: open ones
    /// closing soonest first, upcoming ones opening soonest first, closed ones most
    /// recently closed first.
    pub async fn list_proposals(
        &self,
        phase: WindowPhase,
        after: Option<&ListCursor>,
        limit: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(ProposalSummary, ListCursor)>> {
        let (sql, cursor) = match phase {
            WindowPhase::Open => (
                format!(
                    "SELECT {SUMMARY_COLUMNS} FROM proposals p JOIN agencies a ON a.id = p.agency_id \
                     WHERE p.status IN ('published', 'adopted') AND p.opens_at <= $1 AND p.closes_at > $1 \
                     AND (p.closes_at > $2 OR (p.closes_at = $2 AND p.id > $3)) \
                     ORDER BY p.closes_at, p.id LIMIT $4"
                ),
                after.cloned().unwrap_or(ListCursor::start_ascending()),
            ),
            WindowPhase::Upcoming => (
                format!(
                    "SELECT {SUMMARY_COLUMNS} FROM proposals p JOIN agencies a ON a.id = p.agency_id \
                     WHERE p.status IN ('published', 'adopted') AND p.opens_at > $1 \
                     AND (p.opens_at > $2 OR (p.opens_at = $2 AND p.id > $3)) \
                     ORDER BY p.opens_at, p.id LIMIT $4"
                ),
                after.cloned().unwrap_or(ListCursor::start_ascending()),
            ),
            WindowPhase::Closed => (
                format!(
                    "SELECT {SUMMARY_COLUMNS} FROM proposals p JOIN agencies a ON a.id = p.agency_id \
                     WHERE p.status IN ('published', 'adopted') AND p.closes_at <= $1 \
                     AND (p.closes_at < $2 OR (p.closes_at = $2 AND p.id < $3)) \
                     ORDER BY p.closes_at DESC, p.id DESC LIMIT $4"
                ),
                after.cloned().unwrap_or(ListCursor::start_descending()),
            ),
        };
        let rows: Vec<SummaryRow> = on_db!(self, |pool| sqlx::query_as::<_, SummaryRow>(&sql)
            .bind(now)
            .bind(cursor.at)
            .bind(cursor.id)
            .bind(limit)
            .fetch_all(pool)
            .await)?;
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
        let row: Option<SummaryRow> = on_db!(self, |pool| sqlx::query_as::<_, SummaryRow>(&sql).bind(id).fetch_optional(pool).await)?;
        let Some(row) = row else { return Ok(None) };
        let version = row.current_version;
        let published_at = row.published_at;
        let published = row.status != "draft";
        let clauses: Vec<(i32, Option<String>, String)> = on_db!(self, |pool| sqlx::query_as(
            "SELECT c.number, c.heading_html, c.html FROM clauses c \
             JOIN proposal_versions v ON v.id = c.version_id \
             WHERE v.proposal_id = $1 AND v.number = $2 ORDER BY c.number"
        )
        .bind(id)
        .bind(version)
        .fetch_all(pool)
        .await)?;
        let feedback_published: bool =
            on_db!(self, |pool| sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM feedback_reports WHERE proposal_id = $1")
                .bind(id)
                .fetch_one(pool)
                .await)?
                > 0;
        let extensions: Vec<(DateTime<Utc>, DateTime<Utc>, String, DateTime<Utc>)> = on_db!(self, |pool| sqlx::query_as(
            "SELECT old_closes_at, new_closes_at, reason, extended_at FROM window_extensions WHERE proposal_id = $1 ORDER BY id"
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        let events: Vec<(String, DateTime<Utc>, String, String)> = on_db!(self, |pool| sqlx::query_as(
            "SELECT kind, held_at, title, minutes_html FROM consultation_events WHERE proposal_id = $1 ORDER BY held_at, id"
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        Ok(Some(ProposalDetail {
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

    /// What a comment needs to know about where it lands: the window, the current
    /// version's id and number, and how many clauses that version has.
    pub async fn comment_target(&self, proposal_id: i64) -> StoreResult<Option<CommentTarget>> {
        on_db!(self, |pool| sqlx::query_as::<_, CommentTarget>(
            "SELECT p.opens_at, p.closes_at, v.id AS version_id, v.number AS version_number, \
             (SELECT COUNT(*) FROM clauses c WHERE c.version_id = v.id) AS clause_count \
             FROM proposals p JOIN proposal_versions v ON v.proposal_id = p.id AND v.number = p.current_version \
             WHERE p.id = $1 AND p.status IN ('published', 'adopted')"
        )
        .bind(proposal_id)
        .fetch_optional(pool)
        .await)
    }
}

impl Db {
    /// Moves the closing time later (never earlier: the update is conditional, so two
    /// concurrent requests cannot shorten it either), recording the public reason.
    pub async fn extend_window(
        &self,
        id: i64,
        new_closes_at: DateTime<Utc>,
        reason: &str,
        actor: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = in_tx!(self, |tx| {
            let old: Option<DateTime<Utc>> =
                sqlx::query_scalar("SELECT closes_at FROM proposals WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
            let changed = sqlx::query("UPDATE proposals SET closes_at = $1 WHERE id = $2 AND closes_at < $1")
                .bind(new_closes_at)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if let (true, Some(old)) = (changed, old) {
                sqlx::query(
                    "INSERT INTO window_extensions (proposal_id, old_closes_at, new_closes_at, reason, extended_by, extended_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(old)
                .bind(new_closes_at)
                .bind(reason)
                .bind(actor)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                append_audit!(
                    &mut *tx,
                    AuditEntry {
                        at: now,
                        actor_id: Some(actor),
                        entity: "proposal",
                        entity_id: id,
                        action: "window_extended",
                        detail: json!({ "from": old, "to": new_closes_at, "reason": reason }),
                    }
                )?;
            }
            changed
        });
        Ok(done)
    }

    /// Records a forum, expert argumentation, questionnaire or public notice with its minutes.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_event(
        &self,
        id: i64,
        kind: EventKind,
        held_at: DateTime<Utc>,
        title: &str,
        minutes_html: &str,
        actor: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let event_id = in_tx!(self, |tx| {
            let event_id: i64 = sqlx::query_scalar(
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
            .fetch_one(&mut *tx)
            .await?;
            append_audit!(
                &mut *tx,
                AuditEntry {
                    at: now,
                    actor_id: Some(actor),
                    entity: "proposal",
                    entity_id: id,
                    action: "event_recorded",
                    detail: json!({ "kind": kind, "title": title, "held_at": held_at }),
                }
            )?;
            event_id
        });
        Ok(event_id)
    }

    /// Publishes a new version of the text: older versions, and the comments made on
    /// them, stay as they were. Returns the new version's number.
    pub async fn add_version(
        &self,
        id: i64,
        body_md: &str,
        clauses: &[RenderedClause],
        actor: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<u32> {
        let number = in_tx!(self, |tx| {
            let current: i32 =
                sqlx::query_scalar("SELECT current_version FROM proposals WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
            let number = current + 1;
            let version_id: i64 = sqlx::query_scalar(
                "INSERT INTO proposal_versions (proposal_id, number, body_md, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(id)
            .bind(number)
            .bind(body_md)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            insert_clauses!(tx, version_id, clauses);
            sqlx::query("UPDATE proposals SET current_version = $1 WHERE id = $2").bind(number).bind(id).execute(&mut *tx).await?;
            append_audit!(
                &mut *tx,
                AuditEntry {
                    at: now,
                    actor_id: Some(actor),
                    entity: "proposal",
                    entity_id: id,
                    action: "version_published",
                    detail: json!({ "version": number }),
                }
            )?;
            number
        });
        Ok(number as u32)
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

    /// Makes a draft public; audited. False when it was not a draft.
    pub async fn publish_draft(&self, id: i64, actor: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let changed = in_tx!(self, |tx| {
            let changed = sqlx::query("UPDATE proposals SET status = 'published', published_at = $1 WHERE id = $2 AND status = 'draft'")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            if changed {
                append_audit!(
                    &mut *tx,
                    AuditEntry {
                        at: now,
                        actor_id: Some(actor),
                        entity: "proposal",
                        entity_id: id,
                        action: "published",
                        detail: json!({ "from": "draft" }),
                    }
                )?;
            }
            changed
        });
        Ok(changed)
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CommentTarget {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub version_id: i64,
    pub version_number: i32,
    pub clause_count: i64,
}
