//! Open data: a proposal's published comments, read in pages by id so that an export of
//! any size is streamed and never held in memory.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::{backend::Db, on_db};

/// One published comment as exported: what the public page shows, and the campaign it
/// belongs to. Hidden comments are never exported; authors appear by display name only.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ExportedComment {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    /// The version of the text the comment was written on.
    pub version: i64,
    /// The clause it is about; none for the text as a whole.
    pub clause: Option<i64>,
    pub stance: String,
    /// The campaign (group of identical or near-identical comments) it belongs to.
    pub campaign: Option<i64>,
    pub author: String,
    pub supports: i64,
    pub body: String,
}

/// Rows per query while streaming an export.
pub const EXPORT_PAGE: i64 = 1000;

/// Up to `limit` published comments of a proposal with ids above `after`, oldest first.
pub async fn comments_page(db: &Db, proposal_id: i64, after: i64, limit: i64) -> StoreResult<Vec<ExportedComment>> {
    on_db!(db, |pool| sqlx::query_as::<_, ExportedComment>(
        "SELECT CAST(c.id AS BIGINT) AS id, c.created_at, CAST(v.number AS BIGINT) AS version, \
         CAST(c.clause_number AS BIGINT) AS clause, c.stance, CAST(c.group_id AS BIGINT) AS campaign, \
         u.display_name AS author, CAST(c.support_count AS BIGINT) AS supports, c.body \
         FROM comments c JOIN proposal_versions v ON v.id = c.version_id JOIN users u ON u.id = c.author_id \
         WHERE c.proposal_id = $1 AND c.id > $2 AND c.hidden = $3 ORDER BY c.id LIMIT $4"
    )
    .bind(proposal_id)
    .bind(after)
    .bind(false)
    .bind(limit)
    .fetch_all(pool)
    .await)
}
