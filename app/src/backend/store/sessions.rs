//! Sessions live in the database so that every server process sees the same ones.

use chrono::{DateTime, Duration, Utc};

use super::StoreResult;
use crate::{backend::db::Tx, backend::Db, on_db, on_tx};

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
        Self::CITIZEN
    }
}

impl SessionPolicy {
    /// A citizen's session: a week without a request, a month at most.
    pub const CITIZEN: Self = Self { idle: Duration::days(7), absolute: Duration::days(30) };
    /// Officials, organizers, reviewers, moderators and admins act for the city: their
    /// sessions end after 12 hours without a request and a week after sign-in.
    pub const STAFF: Self = Self { idle: Duration::hours(12), absolute: Duration::days(7) };

    /// The policy for a person with these roles: the shorter one as soon as any role is
    /// more than a citizen's, and never longer than `citizen` (an operator may shorten both).
    pub fn for_roles(roles: &[crate::domain::role::Role], citizen: SessionPolicy) -> SessionPolicy {
        let staff = roles.iter().any(|r| *r != crate::domain::role::Role::Citizen);
        if staff {
            SessionPolicy { idle: Self::STAFF.idle.min(citizen.idle), absolute: Self::STAFF.absolute.min(citizen.absolute) }
        } else {
            citizen
        }
    }
}

/// Where a session began, shown on the page that lists one's sessions.
#[derive(Clone, Debug, Default)]
pub struct SessionOrigin {
    pub address: String,
    pub user_agent: String,
}

impl SessionOrigin {
    /// Bounded copies of what the request said (a user agent can be any length).
    pub fn new(address: &str, user_agent: &str) -> Self {
        let clip = |s: &str, max: usize| -> String { s.chars().filter(|c| !c.is_control()).take(max).collect() };
        Self { address: clip(address, 64), user_agent: clip(user_agent, 300) }
    }
}

/// One live session, as its owner sees it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionInfo {
    /// A short public handle of the session (the first characters of its token's hash),
    /// enough to revoke it, useless to sign in with.
    pub handle: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub address: String,
    pub user_agent: String,
    pub idle_seconds: i64,
}

/// How many characters of the token hash name a session on the sessions page.
pub const HANDLE_LEN: usize = 12;

/// `last_seen_at` is written at most this often, so reading pages costs no writes.
const TOUCH_EVERY: i64 = 60;

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    idle_seconds: i64,
}

impl Db {
    /// A new session under the given policy (its idle limit is kept with it, so a later
    /// change of the person's roles or of the server's settings applies from the next sign-in).
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        now: DateTime<Utc>,
        policy: SessionPolicy,
        origin: &SessionOrigin,
    ) -> StoreResult<()> {
        on_db!(self, |pool| sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, idle_seconds, address, user_agent) \
             VALUES ($1, $2, $3, $3, $4, $5, $6, $7)"
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(now)
        .bind(now + policy.absolute)
        .bind(policy.idle.num_seconds())
        .bind(&origin.address)
        .bind(&origin.user_agent)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The user of a live session; an expired one is deleted and yields `None`.
    pub async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<i64>> {
        let row: Option<SessionRow> = on_db!(self, |pool| sqlx::query_as::<_, SessionRow>(
            "SELECT user_id, last_seen_at, expires_at, idle_seconds FROM sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(pool)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        if now >= row.expires_at || now - row.last_seen_at >= Duration::seconds(row.idle_seconds) {
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

    /// A person's live sessions, the latest used first.
    pub async fn user_sessions(&self, user_id: i64, now: DateTime<Utc>) -> StoreResult<Vec<SessionInfo>> {
        let handle_len = HANDLE_LEN as i32;
        let all: Vec<SessionInfo> = on_db!(self, |pool| sqlx::query_as::<_, SessionInfo>(
            "SELECT SUBSTR(token_hash, 1, $3) AS handle, created_at, last_seen_at, expires_at, address, user_agent, idle_seconds \
             FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen_at DESC, created_at DESC LIMIT 100"
        )
        .bind(user_id)
        .bind(now)
        .bind(handle_len)
        .fetch_all(pool)
        .await)?;
        Ok(all.into_iter().filter(|s| now - s.last_seen_at < Duration::seconds(s.idle_seconds)).collect())
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

/// Ends one of a person's sessions by its handle (0 or 1 ended; another person's handle,
/// or anything not shaped like a handle, ends nothing).
pub async fn revoke_one(tx: &mut Tx, user_id: i64, handle: &str) -> StoreResult<u64> {
    if handle.len() != HANDLE_LEN || !handle.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Ok(0);
    }
    let handle_len = HANDLE_LEN as i32;
    on_tx!(tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND SUBSTR(token_hash, 1, $3) = $2")
        .bind(user_id)
        .bind(handle)
        .bind(handle_len)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))
}

/// Ends every session of a person except `keep` (a token hash): sign out everywhere else,
/// and what a password change does. The number ended.
pub async fn revoke_others(tx: &mut Tx, user_id: i64, keep: Option<&str>) -> StoreResult<u64> {
    on_tx!(tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))
}
