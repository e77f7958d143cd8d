//! Administration of accounts: roles and agencies, audited.

use super::{Actor, ServiceError, ServiceResult};
use crate::{
    backend::{
        store::{audit, users as store},
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
