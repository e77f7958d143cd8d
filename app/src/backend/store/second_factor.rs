//! Each account's TOTP secret and recovery codes (see `backend::second_factor`).

use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::{
    backend::{db::Tx, Db},
    on_db, on_tx,
};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SecondFactorRow {
    pub secret: String,
    pub created_at: DateTime<Utc>,
    pub enabled_at: Option<DateTime<Utc>>,
    pub last_step: i64,
}

/// An account's second factor, pending or on.
pub async fn get(db: &Db, user_id: i64) -> StoreResult<Option<SecondFactorRow>> {
    on_db!(db, |pool| sqlx::query_as::<_, SecondFactorRow>(
        "SELECT secret, created_at, enabled_at, last_step FROM second_factors WHERE user_id = $1"
    )
    .bind(user_id)
    .fetch_optional(pool)
    .await)
}

/// Whether the account signs in with a second factor.
pub async fn is_on(db: &Db, user_id: i64) -> StoreResult<bool> {
    Ok(get(db, user_id).await?.is_some_and(|r| r.enabled_at.is_some()))
}

/// Starts (or restarts) setting one up: a new pending secret replaces any pending one.
/// Never touches one that is on (the caller checks).
pub async fn put_pending(tx: &mut Tx, user_id: i64, secret: &str, now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO second_factors (user_id, secret, created_at, enabled_at, last_step) VALUES ($1, $2, $3, NULL, 0) \
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, last_step = 0 \
         WHERE second_factors.enabled_at IS NULL"
    )
    .bind(user_id)
    .bind(secret)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// Turns the pending secret on, with the step of the code that confirmed it and the new
/// recovery codes' hashes (any old ones are dropped).
pub async fn enable(tx: &mut Tx, user_id: i64, step: i64, recovery_hashes: &[String], now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE second_factors SET enabled_at = $1, last_step = $2 WHERE user_id = $3 AND enabled_at IS NULL")
            .bind(now)
            .bind(step)
            .bind(user_id)
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *c).await?;
        for hash in recovery_hashes {
            sqlx::query("INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)")
                .bind(user_id)
                .bind(hash)
                .execute(&mut *c)
                .await?;
        }
        Ok::<_, sqlx::Error>(())
    })
}

/// Records that a code of `step` was accepted; `false` when a code of this step or a later
/// one was accepted before (a replay), in which case nothing changes.
pub async fn accept_step(tx: &mut Tx, user_id: i64, step: i64) -> StoreResult<bool> {
    on_tx!(tx, |c| sqlx::query("UPDATE second_factors SET last_step = $1 WHERE user_id = $2 AND last_step < $1 AND enabled_at IS NOT NULL")
        .bind(step)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected() == 1))
}

/// Uses up a recovery code; `false` when the account has no unused code with this hash.
pub async fn use_recovery_code(tx: &mut Tx, user_id: i64, code_hash: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    on_tx!(tx, |c| sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(code_hash)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected() == 1))
}

/// Recovery codes not used yet.
pub async fn recovery_codes_left(db: &Db, user_id: i64) -> StoreResult<i64> {
    on_db!(db, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(pool)
        .await)
}

/// Recovery codes not used yet, in the caller's transaction.
pub async fn recovery_codes_left_tx(tx: &mut Tx, user_id: i64) -> StoreResult<i64> {
    on_tx!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(&mut *c)
        .await)
}

/// Removes the second factor and its recovery codes.
pub async fn remove(tx: &mut Tx, user_id: i64) -> StoreResult<()> {
    on_tx!(tx, |c| {
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *c).await?;
        sqlx::query("DELETE FROM second_factors WHERE user_id = $1").bind(user_id).execute(&mut *c).await?;
        Ok::<_, sqlx::Error>(())
    })
}
