//! Administration of accounts: roles and agencies, audited.

use super::{Actor, ServiceError, ServiceResult};
use crate::{
    backend::{
        store::{audit, sessions, users as store},
        Db,
    },
    domain::{
        audit::{Event, Subject},
        role::Role,
        Rule,
    },
};

/// Grants or revokes `role`; true when something changed (granting a role held
/// already, or revoking one not held, changes and records nothing). An administrator
/// cannot revoke their own admin role (no lock-out).
#[tracing::instrument(skip_all, fields(actor = actor.id(), user = user_id))]
pub async fn change_role(db: &Db, actor: &Actor<'_>, user_id: i64, role: Role, grant: bool) -> ServiceResult<bool> {
    if !grant && role == Role::Admin && user_id == actor.id() {
        return Err(ServiceError::rule("role", Rule::CannotRevokeOwnAdmin));
    }
    let mut tx = db.begin_write().await?;
    if !store::exists(&mut tx, user_id).await? {
        return Err(ServiceError::rule("user_id", Rule::UnknownUser));
    }
    let changed = if grant {
        store::insert_role(&mut tx, user_id, role, actor.id(), actor.now).await?
    } else {
        store::delete_role(&mut tx, user_id, role).await?
    };
    if changed {
        let event = if grant { Event::RoleGranted { role } } else { Event::RoleRevoked { role } };
        audit::append(&mut tx, actor.now, Some(actor.id()), Subject::User(user_id), &event).await?;
        tx.commit().await?;
    }
    Ok(changed)
}

/// Links an account to the agency it acts for (or unlinks it).
#[tracing::instrument(skip_all, fields(actor = actor.id(), user = user_id))]
pub async fn set_agency(db: &Db, actor: &Actor<'_>, user_id: i64, agency_id: Option<i64>) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    if !store::exists(&mut tx, user_id).await? {
        return Err(ServiceError::rule("user_id", Rule::UnknownUser));
    }
    if let Some(agency) = agency_id {
        if !store::agency_exists(&mut tx, agency).await? {
            return Err(ServiceError::rule("agency_id", Rule::UnknownAgency));
        }
    }
    store::set_agency(&mut tx, user_id, agency_id).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::User(user_id), &Event::AgencySet { agency_id }).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables an account (it cannot sign in, every session of it ends; what it wrote stays)
/// or enables it again. An administrator cannot disable their own account.
#[tracing::instrument(skip_all, fields(actor = actor.id(), user = user_id))]
pub async fn set_disabled(db: &Db, actor: &Actor<'_>, user_id: i64, disable: bool) -> ServiceResult<()> {
    if disable && user_id == actor.id() {
        return Err(ServiceError::rule("user_id", Rule::CannotDisableSelf));
    }
    let mut tx = db.begin_write().await?;
    if !store::exists(&mut tx, user_id).await? {
        return Err(ServiceError::rule("user_id", Rule::UnknownUser));
    }
    store::set_disabled(&mut tx, user_id, disable.then_some(actor.now)).await?;
    let event = if disable {
        let sessions_ended = sessions::revoke_others(&mut tx, user_id, None).await?;
        Event::AccountDisabled { sessions_ended }
    } else {
        Event::AccountEnabled
    };
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::User(user_id), &event).await?;
    tx.commit().await?;
    tracing::info!(target: "auth", event = if disable { "account_disabled" } else { "account_enabled" }, user_id);
    Ok(())
}

/// Ends every session of an account (a lost phone, a shared computer); the number ended.
#[tracing::instrument(skip_all, fields(actor = actor.id(), user = user_id))]
pub async fn end_sessions(db: &Db, actor: &Actor<'_>, user_id: i64) -> ServiceResult<u64> {
    let mut tx = db.begin_write().await?;
    if !store::exists(&mut tx, user_id).await? {
        return Err(ServiceError::rule("user_id", Rule::UnknownUser));
    }
    let count = sessions::revoke_others(&mut tx, user_id, None).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::User(user_id), &Event::SessionsEnded { count }).await?;
    tx.commit().await?;
    tracing::info!(target: "auth", event = "sessions_ended_by_admin", user_id, count);
    Ok(count)
}
