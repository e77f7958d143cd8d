//! The append-only audit log. Entries are written by the caller inside the same
//! transaction as the change they record.

use chrono::{DateTime, Utc};

/// One entry to append.
pub struct AuditEntry<'a> {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub entity: &'a str,
    pub entity_id: i64,
    pub action: &'a str,
    pub detail: serde_json::Value,
}

pub const INSERT_AUDIT: &str = "INSERT INTO audit_log (at, actor_id, entity, entity_id, action, detail) \
     VALUES ($1, $2, $3, $4, $5, $6)";

/// Appends `entry` on any executor (a transaction of either database).
#[macro_export]
macro_rules! append_audit {
    ($executor:expr, $entry:expr) => {{
        let entry: $crate::backend::store::audit::AuditEntry = $entry;
        sqlx::query($crate::backend::store::audit::INSERT_AUDIT)
            .bind(entry.at)
            .bind(entry.actor_id)
            .bind(entry.entity)
            .bind(entry.entity_id)
            .bind(entry.action)
            .bind(entry.detail.to_string())
            .execute($executor)
            .await
    }};
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub detail: String,
}

impl crate::backend::Db {
    pub async fn audit_for(&self, entity: &str, entity_id: i64) -> super::StoreResult<Vec<AuditRow>> {
        crate::on_db!(self, |pool| sqlx::query_as::<_, AuditRow>(
            "SELECT id, at, actor_id, entity, entity_id, action, detail FROM audit_log \
             WHERE entity = $1 AND entity_id = $2 ORDER BY id"
        )
        .bind(entity)
        .bind(entity_id)
        .fetch_all(pool)
        .await)
    }
}
