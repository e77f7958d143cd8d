use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::{
    api::types::CommentView,
    backend::Db,
    domain::comment::Stance,
    in_tx, on_db,
};

pub struct NewComment<'a> {
    pub proposal_id: i64,
    pub version_id: i64,
    pub clause_number: Option<u32>,
    pub author_id: i64,
    pub stance: Stance,
    pub body: &'a str,
    pub body_html: &'a str,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    display_name: String,
    stance: String,
    clause_number: Option<i32>,
    version_number: i32,
    body_html: String,
    created_at: DateTime<Utc>,
    support_count: i64,
}

/// SQLite has one writer at a time. Comment writers that collide on `BEGIN IMMEDIATE`
/// wait in SQLite's busy handler, which polls with growing sleeps (up to 100 ms); under
/// load those sleeps, not the disk, made the tail latency (p99 ≈ 0.2–0.3 s at 800 POST/s
/// on 2 cores). Here they queue in order instead and each goes as soon as the previous
/// commit is done. Per process: the same file written by several processes still falls
/// back on the busy handler.
static SQLITE_COMMENT_WRITER: std::sync::LazyLock<tokio::sync::Mutex<()>> =
    std::sync::LazyLock::new(|| tokio::sync::Mutex::new(()));

impl Db {
    /// Stores the comment and bumps the proposal's count in the same transaction, so
    /// the count a page shows is never recomputed per request and never drifts.
    pub async fn add_comment(&self, c: &NewComment<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
        let _turn = match self {
            Db::Sqlite(_) => Some(SQLITE_COMMENT_WRITER.lock().await),
            Db::Postgres(_) => None,
        };
        let id = in_tx!(self, |tx| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO comments (proposal_id, version_id, clause_number, author_id, stance, body, body_html, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(c.proposal_id)
            .bind(c.version_id)
            .bind(c.clause_number.map(|n| n as i32))
            .bind(c.author_id)
            .bind(c.stance.as_str())
            .bind(c.body)
            .bind(c.body_html)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE proposals SET comment_count = comment_count + 1 WHERE id = $1")
                .bind(c.proposal_id)
                .execute(&mut *tx)
                .await?;
            id
        });
        Ok(id)
    }

    /// Visible comments of a proposal, newest first, `limit` of them with ids below
    /// `before` (keyset: the cost does not grow with the page's depth).
    pub async fn list_comments(&self, proposal_id: i64, before: Option<i64>, limit: i64) -> StoreResult<Vec<CommentView>> {
        let rows: Vec<CommentRow> = on_db!(self, |pool| sqlx::query_as::<_, CommentRow>(
            "SELECT c.id, u.display_name, c.stance, c.clause_number, v.number AS version_number, \
             c.body_html, c.created_at, c.support_count \
             FROM comments c \
             JOIN users u ON u.id = c.author_id \
             JOIN proposal_versions v ON v.id = c.version_id \
             WHERE c.proposal_id = $1 AND c.id < $2 AND c.hidden = FALSE \
             ORDER BY c.id DESC LIMIT $3"
        )
        .bind(proposal_id)
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|r| CommentView {
                id: r.id,
                author: r.display_name,
                stance: Stance::parse(&r.stance).unwrap_or(Stance::Suggestion),
                clause: r.clause_number.map(|n| n as u32),
                version: r.version_number as u32,
                body_html: r.body_html,
                created_at: r.created_at,
                support_count: r.support_count,
            })
            .collect())
    }
}
