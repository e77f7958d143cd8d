use super::StoreResult;
use crate::{
    backend::{
        db::{is_unique_violation, Tx},
        Db,
    },
    domain::{
        account::Viewer,
        audit::{Event, Subject},
        role::Role,
    },
    on_db, on_tx,
};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub agency_id: Option<i64>,
    /// When an administrator disabled the account; it cannot sign in while set.
    pub disabled_at: Option<DateTime<Utc>>,
    /// When the e-mail address was proved (by the link sent to it, or vouched for).
    pub email_verified_at: Option<DateTime<Utc>>,
}

/// A row of the admin's account list.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserListRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub agency_id: Option<i64>,
    pub disabled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account with this e-mail exists")]
    EmailTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl CreateUserError {
    /// A failed insert: the e-mail taken, or something else.
    pub fn from_insert(e: sqlx::Error) -> Self {
        if is_unique_violation(&e) {
            Self::EmailTaken
        } else {
            Self::Db(e)
        }
    }
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub roles: &'a [Role],
    pub agency_id: Option<i64>,
}

impl Db {
    /// Creates the account with its roles in one transaction, its e-mail counted as
    /// verified (an administrator, the command line or the demo vouches for it).
    pub async fn create_user(&self, user: NewUser<'_>, now: DateTime<Utc>) -> Result<i64, CreateUserError> {
        let result: Result<i64, sqlx::Error> = async {
            let mut tx = self.begin_write().await?;
            let id = insert(&mut tx, &user, now, Some(now)).await?;
            tx.commit().await?;
            Ok(id)
        }
        .await;
        result.map_err(CreateUserError::from_insert)
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRow>> {
        on_db!(self, |pool| sqlx::query_as::<_, UserRow>(
            "SELECT id, email, password_hash, display_name, agency_id, disabled_at, email_verified_at FROM users WHERE email = $1"
        )
        .bind(email)
        .fetch_optional(pool)
        .await)
    }

    pub async fn roles_of(&self, user_id: i64) -> StoreResult<Vec<Role>> {
        let names: Vec<String> =
            on_db!(self, |pool| sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1").bind(user_id).fetch_all(pool).await)?;
        let mut roles: Vec<Role> = names.iter().filter_map(|n| Role::parse(n).ok()).collect();
        roles.sort();
        Ok(roles)
    }

    pub async fn viewer(&self, user_id: i64) -> StoreResult<Option<Viewer>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            display_name: String,
            agency_id: Option<i64>,
            factors: i64,
            email_verified_at: Option<DateTime<Utc>>,
        }
        let row: Option<Row> = on_db!(self, |pool| sqlx::query_as::<_, Row>(
            "SELECT display_name, agency_id, \
             (SELECT COUNT(*) FROM second_factors f WHERE f.user_id = users.id AND f.enabled_at IS NOT NULL) AS factors, email_verified_at \
             FROM users WHERE id = $1 AND disabled_at IS NULL"
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Viewer {
            id: user_id,
            display_name: row.display_name,
            roles: self.roles_of(user_id).await?,
            agency_id: row.agency_id,
            second_factor: row.factors > 0,
            email_verified: row.email_verified_at.is_some(),
        }))
    }

    /// Grants `role` outside any request (the `create-admin` command), audited.
    pub async fn grant_role(&self, user_id: i64, role: Role, by: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let inserted = insert_role(&mut tx, user_id, role, by, now).await?;
        if inserted {
            super::audit::append(&mut tx, now, Some(by), Subject::User(user_id), &Event::RoleGranted { role }).await?;
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// Accounts whose e-mail or name contains `query`, by id, `limit` after `after_id`.
    pub async fn search_users(&self, query: &str, after_id: i64, limit: i64) -> StoreResult<Vec<(UserListRow, Vec<Role>)>> {
        let pattern = format!("%{}%", query.trim().to_lowercase().replace('%', "\\%").replace('_', "\\_"));
        let rows: Vec<UserListRow> = on_db!(self, |pool| sqlx::query_as::<_, UserListRow>(
            "SELECT id, email, display_name, agency_id, disabled_at FROM users \
             WHERE id > $1 AND (email LIKE $2 ESCAPE '\\' OR LOWER(display_name) LIKE $2 ESCAPE '\\') \
             ORDER BY id LIMIT $3"
        )
        .bind(after_id)
        .bind(&pattern)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id)) else {
            return Ok(Vec::new());
        };
        let grants: Vec<(i64, String)> =
            on_db!(self, |pool| sqlx::query_as("SELECT user_id, role FROM user_roles WHERE user_id BETWEEN $1 AND $2")
                .bind(first)
                .bind(last)
                .fetch_all(pool)
                .await)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let mut roles: Vec<Role> =
                    grants.iter().filter(|(uid, _)| *uid == row.id).filter_map(|(_, r)| Role::parse(r).ok()).collect();
                roles.sort();
                (row, roles)
            })
            .collect())
    }
}

/// Inserts an account with its roles in the caller's transaction, audited; its e-mail
/// verified at `verified_at` (`None`: not yet, a citizen who registered). A taken e-mail is
/// a unique violation ([`CreateUserError::from_insert`]); on PostgreSQL the transaction is
/// then spoiled and must be dropped.
pub async fn insert(tx: &mut Tx, user: &NewUser<'_>, now: DateTime<Utc>, verified_at: Option<DateTime<Utc>>) -> Result<i64, sqlx::Error> {
    let id: i64 = on_tx!(tx, |c| {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, password_hash, display_name, agency_id, created_at, email_verified_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user.email)
        .bind(user.password_hash)
        .bind(user.display_name)
        .bind(user.agency_id)
        .bind(now)
        .bind(verified_at)
        .fetch_one(&mut *c)
        .await?;
        for role in user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role, granted_by, granted_at) VALUES ($1, $2, NULL, $3)")
                .bind(id)
                .bind(role.as_str())
                .bind(now)
                .execute(&mut *c)
                .await?;
        }
        Ok::<_, sqlx::Error>(id)
    })?;
    super::audit::append(tx, now, None, Subject::User(id), &Event::AccountCreated { roles: user.roles.to_vec() }).await?;
    Ok(id)
}

/// Marks the account's e-mail verified at `now` (kept if it was already).
pub async fn set_email_verified(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
        .bind(now)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

pub async fn exists(tx: &mut Tx, user_id: i64) -> StoreResult<bool> {
    let hit: Option<i64> =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT id FROM users WHERE id = $1").bind(user_id).fetch_optional(&mut *c).await)?;
    Ok(hit.is_some())
}

pub async fn agency_exists(tx: &mut Tx, agency_id: i64) -> StoreResult<bool> {
    let hit: Option<i64> =
        on_tx!(tx, |c| sqlx::query_scalar("SELECT id FROM agencies WHERE id = $1").bind(agency_id).fetch_optional(&mut *c).await)?;
    Ok(hit.is_some())
}

/// Grants `role`; false when it was held already.
pub async fn insert_role(tx: &mut Tx, user_id: i64, role: Role, by: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    on_tx!(tx, |c| Ok(sqlx::query(
        "INSERT INTO user_roles (user_id, role, granted_by, granted_at) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, role) DO NOTHING",
    )
    .bind(user_id)
    .bind(role.as_str())
    .bind(by)
    .bind(now)
    .execute(&mut *c)
    .await?
    .rows_affected()
        > 0))
}

/// Revokes `role`; false when it was not held.
pub async fn delete_role(tx: &mut Tx, user_id: i64, role: Role) -> StoreResult<bool> {
    on_tx!(tx, |c| Ok(sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
        .bind(user_id)
        .bind(role.as_str())
        .execute(&mut *c)
        .await?
        .rows_affected()
        > 0))
}

pub async fn set_agency(tx: &mut Tx, user_id: i64, agency_id: Option<i64>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE users SET agency_id = $1 WHERE id = $2")
        .bind(agency_id)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// An account by its id.
pub async fn by_id(db: &Db, id: i64) -> StoreResult<Option<UserRow>> {
    on_db!(db, |pool| sqlx::query_as::<_, UserRow>(
        "SELECT id, email, password_hash, display_name, agency_id, disabled_at, email_verified_at FROM users WHERE id = $1"
    )
    .bind(id)
    .fetch_optional(pool)
    .await)
}

/// Replaces an account's password hash, in the caller's transaction.
pub async fn set_password(tx: &mut Tx, user_id: i64, password_hash: &str) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *c)
        .await
        .map(|_| ()))
}

/// Disables (`Some(now)`) or re-enables (`None`) an account, in the caller's transaction.
pub async fn set_disabled(tx: &mut Tx, user_id: i64, at: Option<DateTime<Utc>>) -> StoreResult<()> {
    on_tx!(tx, |c| sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2").bind(at).bind(user_id).execute(&mut *c).await.map(|_| ()))
}
