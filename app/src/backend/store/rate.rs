//! A sliding-window counter kept in the database, so that the limit holds across all
//! server processes (a per-process counter would let N processes allow N times more).

use chrono::{DateTime, Duration, Utc};

use super::StoreResult;
use crate::{backend::Db, in_tx};

impl Db {
    /// Records an attempt under each bucket of `limits` unless one of them already holds
    /// its limit of attempts within `window`; then returns the seconds until one expires.
    /// One transaction for all buckets; on SQLite it waits its turn behind the other
    /// writes of this process instead of in SQLite's busy handler.
    pub async fn rate_hit(&self, limits: &[(&str, i64)], window: Duration, now: DateTime<Utc>) -> StoreResult<Result<(), u64>> {
        let since = now - window;
        let _turn = self.sqlite_write_turn().await;
        let outcome = in_tx!(self, |tx| {
            let mut retry_after: Option<u64> = None;
            for (bucket, limit) in limits {
                sqlx::query("DELETE FROM rate_events WHERE bucket = $1 AND at <= $2").bind(*bucket).bind(since).execute(&mut *tx).await?;
                // counting stops at the limit: the cost does not grow with a flood
                let count: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM rate_events WHERE bucket = $1 LIMIT $2) AS recent")
                        .bind(*bucket)
                        .bind(*limit)
                        .fetch_one(&mut *tx)
                        .await?;
                if count >= *limit {
                    let oldest: Option<DateTime<Utc>> =
                        sqlx::query_scalar("SELECT MIN(at) FROM rate_events WHERE bucket = $1").bind(*bucket).fetch_one(&mut *tx).await?;
                    let wait = oldest.map(|o| (o + window - now).num_seconds().max(1) as u64).unwrap_or(1);
                    retry_after = Some(retry_after.map_or(wait, |r: u64| r.max(wait)));
                }
            }
            if retry_after.is_none() {
                for (bucket, _) in limits {
                    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)").bind(*bucket).bind(now).execute(&mut *tx).await?;
                }
            }
            retry_after
        });
        Ok(match outcome {
            Some(secs) => Err(secs),
            None => Ok(()),
        })
    }
}
