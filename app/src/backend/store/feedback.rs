//! Feedback reports and adoption.

use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::{
    backend::{db::Tx, Db},
    domain::feedback::{Decision, FeedbackItem, FeedbackTarget},
    model::{FeedbackEntry, FeedbackView},
    on_db, on_tx,
};

#[derive(sqlx::FromRow)]
struct ItemRow {
    clause_number: Option<i32>,
    group_id: Option<i64>,
    decision: String,
    reason: String,
    member_count: Option<i64>,
    body: Option<String>,
}

/// Inserts the report and its items; false when the proposal has one already (the
/// primary key refuses a second, across processes too).
pub async fn insert_report(
    tx: &mut Tx,
    proposal_id: i64,
    summary: &str,
    items: &[FeedbackItem],
    actor: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    on_tx!(tx, |c| {
        let inserted = sqlx::query(
            "INSERT INTO feedback_reports (proposal_id, summary, published_by, published_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (proposal_id) DO NOTHING",
        )
        .bind(proposal_id)
        .bind(summary)
        .bind(actor)
        .bind(now)
        .execute(&mut *c)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Ok(false);
        }
        for item in items {
            let (clause, group) = match item.target {
                FeedbackTarget::Clause(n) => (Some(n as i32), None),
                FeedbackTarget::Group(g) => (None, Some(g)),
            };
            sqlx::query("INSERT INTO feedback_items (proposal_id, clause_number, group_id, decision, reason) VALUES ($1, $2, $3, $4, $5)")
                .bind(proposal_id)
                .bind(clause)
                .bind(group)
                .bind(item.decision.as_str())
                .bind(&item.reason)
                .execute(&mut *c)
                .await?;
        }
        Ok(true)
    })
}

/// Which of `groups` are comment groups of this proposal.
pub async fn groups_of_proposal(tx: &mut Tx, proposal_id: i64, groups: &[i64]) -> StoreResult<Vec<i64>> {
    let mut found = Vec::new();
    for group in groups {
        let hit: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar("SELECT id FROM comment_groups WHERE id = $1 AND proposal_id = $2")
            .bind(*group)
            .bind(proposal_id)
            .fetch_optional(&mut *c)
            .await)?;
        found.extend(hit);
    }
    Ok(found)
}

impl Db {
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
             LEFT JOIN comments c ON c.id = g.first_comment_id AND c.hidden = FALSE \
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
    /// the feedback form: (group id, size, the text of its first visible member; none
    /// when a moderator hid every member).
    pub async fn campaigns(&self, proposal_id: i64, limit: i64) -> StoreResult<Vec<(i64, i64, Option<String>)>> {
        on_db!(self, |pool| {
            sqlx::query_as(
            "SELECT g.id, g.member_count, c.body FROM comment_groups g LEFT JOIN comments c ON c.id = g.first_comment_id AND c.hidden = FALSE \
             WHERE g.proposal_id = $1 AND g.member_count > 1 ORDER BY g.member_count DESC, g.id LIMIT $2"
        )
        .bind(proposal_id)
        .bind(limit)
        .fetch_all(pool)
        .await
        })
    }
}
