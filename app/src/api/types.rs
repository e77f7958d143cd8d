//! What server functions send to pages beyond the read models of `crate::model`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::role::Role;
pub use crate::model::*;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub title: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub agency_id: Option<i64>,
    pub roles: Vec<Role>,
    /// An administrator disabled the account.
    pub disabled: bool,
}

/// One version of a proposal's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub proposal_id: i64,
    pub title: String,
    pub number: u32,
    pub current: u32,
    pub clauses: Vec<Clause>,
}

/// One row of a clause-level comparison of version `number - 1` with `number`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffRow {
    pub change: crate::domain::diff::ClauseChange,
    pub old_html: Option<String>,
    pub new_html: Option<String>,
}

/// One entry of the audit log, for administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub entity: String,
    pub entity_id: i64,
    pub seq: Option<i64>,
    pub action: String,
    /// The event as recorded (JSON).
    pub detail: String,
    /// The entry's SHA-256 in its chain.
    pub hash: Option<String>,
}
