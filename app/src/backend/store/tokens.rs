//! One-time links sent by e-mail (verify the address, reset the password): only the
//! SHA-256 of each token is kept.

use chrono::{DateTime, Utc};

use super::StoreResult;
use crate::{
    backend::{db::Tx, Db},
    domain::{account::LinkPurpose, Rule},
    on_db, on_tx,
};

/// Keeps a new link's token hash for `user_id`, working until `now` plus its purpose's lifetime.
pub async fn issue(tx: &mut Tx, user_id: i64, purpose: LinkPurpose, token_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, NULL)"
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose.as_str())
    .bind(now)
    .bind(now + purpose.lifetime())
    .execute(&mut *c)
    .await
    .map(|_| ()))
}

/// The account a link of `purpose` is for, if it may be used at `now` (read only: see
/// [`take`]).
pub async fn peek(db: &Db, token_hash: &str, purpose: LinkPurpose, now: DateTime<Utc>) -> StoreResult<Result<i64, Rule>> {
    let row: Option<TokenRow> = on_db!(db, |pool| sqlx::query_as::<_, TokenRow>(
        "SELECT user_id, expires_at, used_at FROM account_tokens WHERE token_hash = $1 AND purpose = $2"
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .fetch_optional(pool)
    .await)?;
    Ok(judge(row, purpose, now))
}

/// Uses a link of `purpose` in the caller's transaction: the account it is for, with every
/// other unused link of the same purpose for that account spent with it; or the rule it
/// breaks (unknown, used, expired), with nothing changed.
pub async fn take(tx: &mut Tx, token_hash: &str, purpose: LinkPurpose, now: DateTime<Utc>) -> StoreResult<Result<i64, Rule>> {
    let row: Option<TokenRow> = on_tx!(tx, |c| sqlx::query_as::<_, TokenRow>(
        "SELECT user_id, expires_at, used_at FROM account_tokens WHERE token_hash = $1 AND purpose = $2"
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .fetch_optional(&mut *c)
    .await)?;
    let user_id = match judge(row, purpose, now) {
        Ok(id) => id,
        refused => return Ok(refused),
    };
    on_tx!(tx, |c| sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL")
        .bind(now)
        .bind(user_id)
        .bind(purpose.as_str())
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(Ok(user_id))
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    user_id: i64,
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
}

fn judge(row: Option<TokenRow>, purpose: LinkPurpose, now: DateTime<Utc>) -> Result<i64, Rule> {
    let row = row.ok_or(Rule::LinkUnknown)?;
    purpose.check(row.expires_at, row.used_at, now)?;
    Ok(row.user_id)
}

/// Removes links that expired before `older_than` (used ones are kept as long, so that a
/// second click still says "used" rather than "unknown").
pub async fn purge(db: &Db, older_than: DateTime<Utc>) -> StoreResult<u64> {
    on_db!(db, |pool| sqlx::query("DELETE FROM account_tokens WHERE expires_at < $1")
        .bind(older_than)
        .execute(pool)
        .await
        .map(|r| r.rows_affected()))
}
