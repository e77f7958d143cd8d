//! A sliding-window counter kept in the database, so that the limit holds across all
//! server processes (a per-process counter would let N processes allow N times more).

use chrono::{DateTime, Duration, Utc};

use super::StoreResult;
use crate::{backend::db::Tx, backend::Db, on_db, on_tx};

/// A refusal: which of the limits was full, and the seconds until a place frees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limited {
    pub index: usize,
    pub retry_after_secs: u64,
}

/// Records an attempt under each bucket of `limits` unless one of them already holds
/// its limit of attempts within `window`, in the caller's transaction (an action counts
/// its attempt in the same commit as its change, and a refused action counts nothing).
pub async fn hit(tx: &mut Tx, limits: &[(&str, i64)], window: Duration, now: DateTime<Utc>) -> StoreResult<Result<(), Limited>> {
    let since = now - window;
    let mut limited: Option<Limited> = None;
    for (index, (bucket, limit)) in limits.iter().enumerate() {
        let (count, oldest): (i64, Option<DateTime<Utc>>) = on_tx!(tx, |c| {
            sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND at <= $2").bind(*bucket).bind(since).execute(&mut *c).await?;
            // counting stops at the limit: the cost does not grow with a flood
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM rate_events WHERE bucket = $1 LIMIT $2) AS recent")
                .bind(*bucket)
                .bind(*limit)
                .fetch_one(&mut *c)
                .await?;
            let oldest: Option<DateTime<Utc>> = if count >= *limit {
                sqlx::query_scalar("SELECT MIN(at) FROM rate_events WHERE bucket = $1").bind(*bucket).fetch_one(&mut *c).await?
            } else {
                None
            };
            Ok::<_, sqlx::Error>((count, oldest))
        })?;
        if count >= *limit {
            let wait = oldest.map(|o| (o + window - now).num_seconds().max(1) as u64).unwrap_or(1);
            if limited.is_none_or(|l| wait > l.retry_after_secs) {
                limited = Some(Limited { index, retry_after_secs: wait });
            }
        }
    }
    if let Some(limited) = limited {
        return Ok(Err(limited));
    }
    let buckets: Vec<&str> = limits.iter().map(|(bucket, _)| *bucket).collect();
    record(tx, &buckets, now).await?;
    Ok(Ok(()))
}

/// Removes attempts older than `older_than` in every bucket (a periodic sweep; each
/// bucket is also trimmed whenever it is counted). Safe with several processes: a
/// delete of rows nobody counts any more.
pub async fn purge(db: &Db, older_than: DateTime<Utc>) -> StoreResult<u64> {
    let mut tx = db.begin_write().await?;
    let n = on_tx!(&mut tx, |c| sqlx::query("DELETE FROM rate_events WHERE at < $1")
        .bind(older_than)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    tx.commit().await?;
    Ok(n)
}

/// Failed attempts recorded in `bucket` since `since`: how many (counting stops at
/// `cap`, so a flood costs no more than the cap), and the latest.
pub async fn failures(db: &Db, bucket: &str, since: DateTime<Utc>, cap: i64) -> StoreResult<crate::domain::signin::Failures> {
    // the latest `cap` rows hold the latest one, so one bounded read gives both
    let (count, last): (i64, Option<DateTime<Utc>>) = on_db!(db, |pool| sqlx::query_as(
        "SELECT COUNT(*), MAX(at) FROM (SELECT at FROM rate_events WHERE bucket = $1 AND at > $2 ORDER BY at DESC LIMIT $3) AS recent"
    )
    .bind(bucket)
    .bind(since)
    .bind(cap)
    .fetch_one(pool)
    .await)?;
    Ok(crate::domain::signin::Failures { count, last })
}

/// Records one attempt (an accepted one, or a failure) in each bucket, in the caller's
/// transaction.
pub async fn record(tx: &mut Tx, buckets: &[&str], now: DateTime<Utc>) -> StoreResult<()> {
    for bucket in buckets {
        on_tx!(tx, |c| sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)")
            .bind(*bucket)
            .bind(now)
            .execute(&mut *c)
            .await
            .map(|_| ()))?;
    }
    Ok(())
}

/// Forgets every attempt in `bucket` (a success clears its own address's failures).
pub async fn clear(tx: &mut Tx, bucket: &str) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("DELETE FROM rate_events WHERE bucket = $1").bind(bucket).execute(&mut *c).await.map(|_| ()))
}

/// Whether the account has signed in from this address (by its hash) before.
pub async fn known_address(db: &Db, user_id: i64, address_hash: &str) -> StoreResult<bool> {
    let found: Option<i64> =
        on_db!(db, |pool| sqlx::query_scalar("SELECT user_id FROM signin_addresses WHERE user_id = $1 AND address_hash = $2")
            .bind(user_id)
            .bind(address_hash)
            .fetch_optional(pool)
            .await)?;
    Ok(found.is_some())
}

/// Remembers a successful sign-in from this address, in the caller's transaction.
pub async fn remember_address(tx: &mut Tx, user_id: i64, address_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO signin_addresses (user_id, address_hash, last_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, address_hash) DO UPDATE SET last_at = excluded.last_at"
    )
    .bind(user_id)
    .bind(address_hash)
    .bind(now)
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// Forgets addresses not used to sign in since `older_than` (the periodic sweep).
pub async fn purge_addresses(db: &Db, older_than: DateTime<Utc>) -> StoreResult<u64> {
    on_db!(db, |pool| sqlx::query("DELETE FROM signin_addresses WHERE last_at < $1")
        .bind(older_than)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
}

impl Db {
    /// [`hit`] in a transaction of its own; the seconds to wait when refused.
    pub async fn rate_hit(&self, limits: &[(&str, i64)], window: Duration, now: DateTime<Utc>) -> StoreResult<Result<(), u64>> {
        let mut tx = self.begin_write().await?;
        let outcome = hit(&mut tx, limits, window, now).await?;
        if outcome.is_ok() {
            tx.commit().await?;
        }
        Ok(outcome.map_err(|l| l.retry_after_secs))
    }
}
