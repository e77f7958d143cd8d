//! Feedback reports and adoption.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::{audit::AuditEntry, StoreResult};
use crate::{
    api::types::{FeedbackEntry, FeedbackView},
    append_audit,
    backend::Db,
    domain::{
        feedback::{Decision, FeedbackItem, FeedbackTarget},
        Rule,
    },
    in_tx, on_db,
};

#[derive(Debug, thiserror::Error)]
pub enum FeedbackError {
    #[error("rule: {0:?}")]
    Rule(Rule),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    clause_number: Option<i32>,
    group_id: Option<i64>,
    decision: String,
    reason: String,
    member_count: Option<i64>,
    body: Option<String>,
}

impl Db {
    /// Publishes the report and its items in one transaction, audited. A second report
    /// for the same proposal is refused by the primary key, across processes too.
    pub async fn publish_feedback(
        &self,
        proposal_id: i64,
        summary: &str,
        items: &[FeedbackItem],
        actor: i64,
        now: DateTime<Utc>,
    ) -> Result<(), FeedbackError> {
        in_tx!(self, |tx| {
            let inserted = sqlx::query(
                "INSERT INTO feedback_reports (proposal_id, summary, published_by, published_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (proposal_id) DO NOTHING",
            )
            .bind(proposal_id)
            .bind(summary)
            .bind(actor)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Err(FeedbackError::Rule(Rule::FeedbackAlreadyPublished));
            }
            for item in items {
                let (clause, group) = match item.target {
                    FeedbackTarget::Clause(n) => (Some(n as i32), None),
                    FeedbackTarget::Group(g) => (None, Some(g)),
                };
                sqlx::query(
                    "INSERT INTO feedback_items (proposal_id, clause_number, group_id, decision, reason) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(proposal_id)
                .bind(clause)
                .bind(group)
                .bind(item.decision.as_str())
                .bind(&item.reason)
                .execute(&mut *tx)
                .await?;
            }
            append_audit!(
                &mut *tx,
                AuditEntry {
                    at: now,
                    actor_id: Some(actor),
                    entity: "proposal",
                    entity_id: proposal_id,
                    action: "feedback_published",
                    detail: json!({ "items": items.len() }),
                }
            )?;
        });
        Ok(())
    }

    pub async fn feedback(&self, proposal_id: i64) -> StoreResult<Option<FeedbackView>> {
        let report: Option<(String, DateTime<Utc>)> =
            on_db!(self, |pool| sqlx::query_as("SELECT summary, published_at FROM feedback_reports WHERE proposal_id = $1")
                .bind(proposal_id)
                .fetch_optional(pool)
                .await)?;
        let Some((summary, published_at)) = report else { return Ok(None) };
        let rows: Vec<ItemRow> = on_db!(self, |pool| sqlx::query_as::<_, ItemRow>(
            "SELECT f.clause_number, f.group_id, f.decision, f.reason, g.member_count, c.body \
             FROM feedback_items f \
             LEFT JOIN comment_groups g ON g.id = f.group_id \
             LEFT JOIN comments c ON c.id = g.first_comment_id \
             WHERE f.proposal_id = $1 ORDER BY f.id"
        )
        .bind(proposal_id)
        .fetch_all(pool)
        .await)?;
        let items = rows
            .into_iter()
            .filter_map(|r| {
                let target = match (r.clause_number, r.group_id) {
                    (Some(n), _) => FeedbackTarget::Clause(n as u32),
                    (None, Some(g)) => FeedbackTarget::Group(g),
                    _ => return None,
                };
                Some(FeedbackEntry {
                    target,
                    decision: Decision::parse(&r.decision).ok()?,
                    reason: r.reason,
                    group_size: r.member_count,
                    group_text: r.body,
                })
            })
            .collect();
        Ok(Some(FeedbackView { summary, published_at, items }))
    }

    /// The campaign groups (two or more members) of a proposal, largest first, for
    /// the feedback form: (group id, size, first comment's text).
    pub async fn campaigns(&self, proposal_id: i64, limit: i64) -> StoreResult<Vec<(i64, i64, String)>> {
        on_db!(self, |pool| sqlx::query_as(
            "SELECT g.id, g.member_count, c.body FROM comment_groups g JOIN comments c ON c.id = g.first_comment_id \
             WHERE g.proposal_id = $1 AND g.member_count > 1 ORDER BY g.member_count DESC, g.id LIMIT $2"
        )
        .bind(proposal_id)
        .bind(limit)
        .fetch_all(pool)
        .await)
    }

    /// Marks the proposal adopted; the caller has checked every gate. Audited.
    pub async fn adopt(&self, proposal_id: i64, actor: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let changed = in_tx!(self, |tx| {
            let changed = sqlx::query("UPDATE proposals SET status = 'adopted', adopted_at = $1 WHERE id = $2 AND status = 'published'")
                .bind(now)
                .bind(proposal_id)
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
                        entity_id: proposal_id,
                        action: "adopted",
                        detail: json!({}),
                    }
                )?;
            }
            changed
        });
        Ok(changed)
    }
}
