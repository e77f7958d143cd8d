//! Sessions live in the database so that every server process sees the same ones.

use chrono::{DateTime, Duration, Utc};

use super::StoreResult;
use crate::{backend::Db, on_db};

/// How long sessions live.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    /// Ended after this long without a request.
    pub idle: Duration,
    /// Ended this long after sign-in, however active.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self { idle: Duration::days(7), absolute: Duration::days(30) }
    }
}

/// `last_seen_at` is written at most this often, so reading pages costs no writes.
const TOUCH_EVERY: i64 = 60;

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl Db {
    pub async fn create_session(&self, token_hash: &str, user_id: i64, now: DateTime<Utc>, policy: SessionPolicy) -> StoreResult<()> {
        on_db!(self, |pool| sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)"
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(now + policy.absolute)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The user of a live session; an expired one is deleted and yields `None`.
    pub async fn session_user(&self, token_hash: &str, now: DateTime<Utc>, policy: SessionPolicy) -> StoreResult<Option<i64>> {
        let row: Option<SessionRow> = on_db!(self, |pool| sqlx::query_as::<_, SessionRow>(
            "SELECT user_id, last_seen_at, expires_at FROM sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        if now >= row.expires_at || now - row.last_seen_at >= policy.idle {
            self.delete_session(token_hash).await?;
            return Ok(None);
        }
        if (now - row.last_seen_at).num_seconds() >= TOUCH_EVERY {
            on_db!(self, |pool| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(pool)
                .await
                .map(|_| ()))?;
        }
        Ok(Some(row.user_id))
    }

    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        on_db!(self, |pool| sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Removes sessions past their absolute expiry (run now and then).
    pub async fn purge_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        on_db!(self, |pool| sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))
    }
}
