//! Projects: key, investment and environmental-impact projects and their lifecycle.

use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::{
    backend::{db::Tx, Db},
    domain::project::{ProjectKind, ProjectStatus},
    model::{Agency, ProjectDetail, ProjectSummary},
    on_tx,
};

#[derive(sqlx::FromRow)]
struct ProjectRow {
    id: i64,
    title: String,
    kind: String,
    agency_id: i64,
    name_zh: String,
    name_en: String,
    status: String,
    halted_reason: Option<String>,
    created_at: DateTime<Utc>,
    summary: String,
}

impl ProjectRow {
    fn into_summary(self) -> (ProjectSummary, String) {
        (
            ProjectSummary {
                id: self.id,
                title: self.title,
                // written by this program from the same enums and checked by the schema
                kind: ProjectKind::parse(&self.kind).unwrap_or(ProjectKind::KeyProject),
                agency: Agency { id: self.agency_id, name_zh: self.name_zh, name_en: self.name_en },
                status: ProjectStatus::parse(&self.status).unwrap_or(ProjectStatus::Halted),
                halted_reason: self.halted_reason,
                created_at: self.created_at,
            },
            self.summary,
        )
    }
}

const COLUMNS: &str = "j.id, j.title, j.kind, j.agency_id, a.name_zh, a.name_en, j.status, j.halted_reason, j.created_at, j.summary";

/// What a project action needs to know.
#[derive(Clone, Debug)]
pub struct ProjectState {
    pub id: i64,
    pub agency_id: i64,
    pub kind: ProjectKind,
    pub status: ProjectStatus,
}

pub async fn insert(
    tx: &mut Tx,
    agency_id: i64,
    kind: ProjectKind,
    title: &str,
    summary: &str,
    by: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO projects (agency_id, kind, title, summary, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'proposed', $5, $6, $6) RETURNING id"
    )
    .bind(agency_id)
    .bind(kind.as_str())
    .bind(title)
    .bind(summary)
    .bind(by)
    .bind(at)
    .fetch_one(&mut *c)
    .await)
}

/// The project's state; with `lock`, on PostgreSQL the row is locked until the
/// transaction ends (an action's read; a page's read takes no lock).
pub async fn load_state(tx: &mut Tx, id: i64, lock: bool) -> StoreResult<Option<ProjectState>> {
    let lock = if lock { tx.for_update("projects") } else { String::new() };
    let sql = format!("SELECT id, agency_id, kind, status FROM projects WHERE id = $1{lock}");
    let row: Option<(i64, i64, String, String)> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?;
    Ok(row.map(|(id, agency_id, kind, status)| ProjectState {
        id,
        agency_id,
        kind: ProjectKind::parse(&kind).unwrap_or(ProjectKind::KeyProject),
        status: ProjectStatus::parse(&status).unwrap_or(ProjectStatus::Halted),
    }))
}

/// Moves the project from `from` to `to` (with the reason when halting); false when it
/// was no longer in `from`.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    from: ProjectStatus,
    to: ProjectStatus,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let done = on_tx!(tx, |c| sqlx::query(
        "UPDATE projects SET status = $1, halted_reason = CASE WHEN $1 = 'halted' THEN $2 ELSE NULL END, updated_at = $3 \
         WHERE id = $4 AND status = $5"
    )
    .bind(to.as_str())
    .bind(reason)
    .bind(at)
    .bind(id)
    .bind(from.as_str())
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

pub async fn detail(tx: &mut Tx, id: i64) -> StoreResult<Option<ProjectDetail>> {
    let sql = format!("SELECT {COLUMNS} FROM projects j JOIN agencies a ON a.id = j.agency_id WHERE j.id = $1");
    let row: Option<ProjectRow> = on_tx!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?;
    Ok(row.map(|r| {
        let (summary, description) = r.into_summary();
        ProjectDetail { summary, description }
    }))
}

impl Db {
    /// Projects, newest first, keyset-paged by id.
    pub async fn list_projects(&self, before: Option<i64>, limit: i64) -> StoreResult<Vec<ProjectSummary>> {
        let mut tx = self.begin_read().await?;
        let sql =
            format!("SELECT {COLUMNS} FROM projects j JOIN agencies a ON a.id = j.agency_id WHERE j.id < $1 ORDER BY j.id DESC LIMIT $2");
        let rows: Vec<ProjectRow> =
            on_tx!(&mut tx, |c| sqlx::query_as(&sql).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(&mut *c).await)?;
        Ok(rows.into_iter().map(|r| r.into_summary().0).collect())
    }
}
