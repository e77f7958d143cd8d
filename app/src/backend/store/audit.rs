//! The append-only, hash-chained audit log. [`append`] is the one way in: it runs in
//! the transaction of the change it records. Each subject (a proposal, a comment, an
//! account) has its own chain, so writers of different subjects never wait for each
//! other; `audit_heads` holds each chain's last sequence number and hash, and taking
//! that row (an `UPDATE`) orders concurrent writers of one subject on PostgreSQL, as
//! `BEGIN IMMEDIATE` does on SQLite.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::StoreResult;
use crate::{
    backend::{db::Tx, Db},
    domain::audit::{Event, Link, Subject, GENESIS},
    on_db, on_tx,
};

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Takes the next place in a subject's chain: its sequence number and its
/// predecessor's hash. The update takes the chain's head row, so a second writer of
/// the same subject waits here until this transaction ends.
async fn next_in_chain(tx: &mut Tx, entity: &str, entity_id: i64) -> StoreResult<(i64, String)> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO audit_heads (entity, entity_id, seq, hash) VALUES ($1, $2, 0, $3) ON CONFLICT (entity, entity_id) DO NOTHING",
        )
        .bind(entity)
        .bind(entity_id)
        .bind(GENESIS)
        .execute(&mut *c)
        .await?;
        sqlx::query_as("UPDATE audit_heads SET seq = seq + 1 WHERE entity = $1 AND entity_id = $2 RETURNING seq, hash")
            .bind(entity)
            .bind(entity_id)
            .fetch_one(&mut *c)
            .await
    })
}

/// Records `hash` as the chain's last.
async fn set_head_hash(tx: &mut Tx, entity: &str, entity_id: i64, hash: &str) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE audit_heads SET hash = $1 WHERE entity = $2 AND entity_id = $3")
        .bind(hash)
        .bind(entity)
        .bind(entity_id)
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

/// Appends `event` about `subject` to its chain, inside the caller's transaction.
pub async fn append(tx: &mut Tx, at: DateTime<Utc>, actor_id: Option<i64>, subject: Subject, event: &Event) -> StoreResult<()> {
    let detail = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let action = event.action();
    let (entity, entity_id) = (subject.entity(), subject.id());
    let (seq, prev) = next_in_chain(tx, entity, entity_id).await?;
    let link = Link { prev_hash: &prev, entity, entity_id, seq, at, actor_id, action: &action, detail: &detail };
    let hash = sha256_hex(&link.bytes());
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO audit_log (at, actor_id, entity, entity_id, action, detail, seq, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(at)
    .bind(actor_id)
    .bind(entity)
    .bind(entity_id)
    .bind(&action)
    .bind(&detail)
    .bind(seq)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *c)
    .await
    .map(|_| ()))?;
    set_head_hash(tx, entity, entity_id, &hash).await
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
    pub seq: Option<i64>,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

impl AuditRow {
    fn link<'a>(&'a self, prev_hash: &'a str, seq: i64) -> Link<'a> {
        Link {
            prev_hash,
            entity: &self.entity,
            entity_id: self.entity_id,
            seq,
            at: self.at,
            actor_id: self.actor_id,
            action: &self.action,
            detail: &self.detail,
        }
    }
}

const AUDIT_COLUMNS: &str = "id, at, actor_id, entity, entity_id, action, detail, seq, prev_hash, hash";

/// Entries written before the log was chained (no hash yet) join their subject's chain,
/// in the order they were written. Runs after every migration; a no-op once done.
pub async fn seal_unchained(db: &Db) -> StoreResult<()> {
    loop {
        let mut tx = db.begin_write().await?;
        let rows: Vec<AuditRow> = on_tx!(&mut tx, |c| sqlx::query_as::<_, AuditRow>(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE hash IS NULL ORDER BY id LIMIT 500"
        ))
        .fetch_all(&mut *c)
        .await)?;
        if rows.is_empty() {
            return Ok(());
        }
        for row in rows {
            let (seq, prev) = next_in_chain(&mut tx, &row.entity, row.entity_id).await?;
            let hash = sha256_hex(&row.link(&prev, seq).bytes());
            on_tx!(&mut tx, |c| sqlx::query("UPDATE audit_log SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4 AND hash IS NULL")
                .bind(seq)
                .bind(&prev)
                .bind(&hash)
                .bind(row.id)
                .execute(&mut *c)
                .await
                .map(|_| ()))?;
            set_head_hash(&mut tx, &row.entity, row.entity_id, &hash).await?;
        }
        tx.commit().await?;
    }
}

/// The first place where the log and its chains disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BrokenLink {
    /// The entry's stored hash is not the hash of its content and its predecessor's hash:
    /// it was edited.
    HashMismatch { id: i64, entity: String, entity_id: i64, seq: i64 },
    /// The entry does not point at its predecessor's hash, or a sequence number is
    /// missing: an entry before it was deleted or replaced.
    ChainGap { id: i64, entity: String, entity_id: i64, seq: i64, expected_seq: i64 },
    /// An entry without a hash (never sealed, or its hash removed).
    Unsealed { id: i64 },
    /// The chain's recorded head is not its last entry: entries at its end were deleted.
    HeadMismatch { entity: String, entity_id: i64, head_seq: i64, last_seq: i64 },
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BrokenLink::HashMismatch { id, entity, entity_id, seq } => {
                write!(f, "entry {id} ({entity} {entity_id}, #{seq}) was changed: its hash does not match its content")
            }
            BrokenLink::ChainGap { id, entity, entity_id, seq, expected_seq } => write!(
                f,
                "entry {id} ({entity} {entity_id}, #{seq}) does not follow entry #{expected_seq} of its chain: an entry was deleted or replaced"
            ),
            BrokenLink::Unsealed { id } => write!(f, "entry {id} has no hash"),
            BrokenLink::HeadMismatch { entity, entity_id, head_seq, last_seq } => write!(
                f,
                "{entity} {entity_id}: the chain's head says {head_seq} entries but the log ends at #{last_seq}: entries were deleted"
            ),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub entries: u64,
    pub chains: u64,
    pub broken: Option<BrokenLink>,
}

/// Checks every chain, entry by entry, in pages (the log is never loaded whole), and
/// every chain's head. Stops at the first broken link.
pub async fn verify(db: &Db) -> StoreResult<VerifyReport> {
    use std::collections::HashMap;
    let mut report = VerifyReport::default();
    // (entity, entity_id) -> (last seq, last hash)
    let mut chains: HashMap<(String, i64), (i64, String)> = HashMap::new();
    let mut after = 0i64;
    loop {
        let rows: Vec<AuditRow> = on_db!(db, |pool| sqlx::query_as::<_, AuditRow>(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT 2000"
        ))
        .bind(after)
        .fetch_all(pool)
        .await)?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for row in rows {
            report.entries += 1;
            let (Some(seq), Some(prev_hash), Some(hash)) = (row.seq, row.prev_hash.as_deref(), row.hash.as_deref()) else {
                report.broken = Some(BrokenLink::Unsealed { id: row.id });
                return Ok(report);
            };
            let key = (row.entity.clone(), row.entity_id);
            let (last_seq, last_hash) = chains.get(&key).cloned().unwrap_or((0, GENESIS.to_owned()));
            if seq != last_seq + 1 || prev_hash != last_hash {
                report.broken = Some(BrokenLink::ChainGap {
                    id: row.id,
                    entity: row.entity,
                    entity_id: row.entity_id,
                    seq,
                    expected_seq: last_seq + 1,
                });
                return Ok(report);
            }
            let expected = sha256_hex(&row.link(prev_hash, seq).bytes());
            if expected != hash {
                report.broken = Some(BrokenLink::HashMismatch { id: row.id, entity: row.entity, entity_id: row.entity_id, seq });
                return Ok(report);
            }
            chains.insert(key, (seq, hash.to_owned()));
        }
    }
    report.chains = chains.len() as u64;
    let heads: Vec<(String, i64, i64, String)> =
        on_db!(db, |pool| sqlx::query_as("SELECT entity, entity_id, seq, hash FROM audit_heads ORDER BY entity, entity_id")
            .fetch_all(pool)
            .await)?;
    for (entity, entity_id, head_seq, head_hash) in heads {
        let (last_seq, last_hash) = chains.get(&(entity.clone(), entity_id)).cloned().unwrap_or((0, GENESIS.to_owned()));
        if head_seq != last_seq || head_hash != last_hash {
            report.broken = Some(BrokenLink::HeadMismatch { entity, entity_id, head_seq, last_seq });
            return Ok(report);
        }
    }
    Ok(report)
}

/// What the admin's audit page filters by; every field optional.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl Db {
    /// One subject's entries, oldest first.
    pub async fn audit_for(&self, entity: &str, entity_id: i64) -> StoreResult<Vec<AuditRow>> {
        on_db!(self, |pool| sqlx::query_as::<_, AuditRow>(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id"
        ))
        .bind(entity)
        .bind(entity_id)
        .fetch_all(pool)
        .await)
    }

    /// The log, newest first, `limit` entries with ids below `before`, filtered. Each
    /// filter is either unset (NULL) or compared; the indexes on (entity, entity_id),
    /// (actor_id, id), (action, id) and (at, id) serve the common ones.
    pub async fn audit_page(&self, filter: &AuditFilter, before: Option<i64>, limit: i64) -> StoreResult<Vec<AuditRow>> {
        on_db!(self, |pool| sqlx::query_as::<_, AuditRow>(&format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE id < $1 \
             AND ($2 IS NULL OR entity = $2) AND ($3 IS NULL OR entity_id = $3) AND ($4 IS NULL OR actor_id = $4) \
             AND ($5 IS NULL OR action = $5) AND ($6 IS NULL OR at >= $6) AND ($7 IS NULL OR at < $7) \
             ORDER BY id DESC LIMIT $8"
        ))
        .bind(before.unwrap_or(i64::MAX))
        .bind(filter.entity.as_deref())
        .bind(filter.entity_id)
        .bind(filter.actor_id)
        .bind(filter.action.as_deref())
        .bind(filter.from)
        .bind(filter.until)
        .bind(limit)
        .fetch_all(pool)
        .await)
    }
}
