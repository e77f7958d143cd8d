//! Administration of accounts: roles and agencies.

use leptos::prelude::*;

use super::types::{AdminUser, AuditEntryView, Page};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    backend::{
        context,
        service::{admin as service, Actor},
    },
    domain::{role::Role, Rule},
};

pub const USER_PAGE_SIZE: i64 = 50;

#[server(endpoint = "admin/users")]
pub async fn search_users(#[server(default)] q: String, after: Option<i64>) -> Result<Page<AdminUser>, AppError> {
    context::with_status(
        async {
            context::require(Role::Admin)?;
            // one line, at most 100 characters, through the same normalisation as every field
            let q = if crate::domain::text::is_blank(&q) {
                String::new()
            } else {
                crate::domain::text::single_line(&q, 1, 100).map_err(|rule| AppError::field("q", rule))?
            };
            let state = context::state()?;
            let rows = state.db.search_users(&q, after.unwrap_or(0), USER_PAGE_SIZE + 1).await.map_err(context::db_error)?;
            Ok(Page::cut(rows, USER_PAGE_SIZE, |(u, _)| u.id.to_string()).map(|(u, roles)| AdminUser {
                id: u.id,
                email: u.email,
                display_name: u.display_name,
                agency_id: u.agency_id,
                roles,
                disabled: u.disabled_at.is_some(),
            }))
        }
        .await,
    )
}

/// Grants (`grant = "1"`) or revokes a role.
#[server(endpoint = "admin/role")]
pub async fn change_role(user_id: i64, role: String, grant: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let admin = context::require(Role::Admin)?;
            let role = Role::parse(&role).map_err(|rule| AppError::field("role", rule))?;
            let state = context::state()?;
            service::change_role(&state.db, &Actor::new(&admin, state.clock.as_ref()), user_id, role, grant == "1").await?;
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "admin/agency")]
pub async fn set_user_agency(user_id: i64, #[server(default)] agency_id: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let admin = context::require(Role::Admin)?;
            let state = context::state()?;
            let agency_id = match agency_id.trim() {
                "" => None,
                raw => Some(raw.parse::<i64>().map_err(|_| AppError::field("agency_id", Rule::UnknownAgency))?),
            };
            service::set_agency(&state.db, &Actor::new(&admin, state.clock.as_ref()), user_id, agency_id).await?;
            Ok(())
        }
        .await,
    )
}

/// Disables (`disable = "1"`) or enables an account.
#[server(endpoint = "admin/disable")]
pub async fn set_disabled(user_id: i64, disable: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let admin = context::require(Role::Admin)?;
            let state = context::state()?;
            service::set_disabled(&state.db, &Actor::new(&admin, state.clock.as_ref()), user_id, disable == "1").await?;
            Ok(())
        }
        .await,
    )
}

/// Ends every session of an account; the number ended.
#[server(endpoint = "admin/end_sessions")]
pub async fn end_user_sessions(user_id: i64) -> Result<u64, AppError> {
    context::with_status(
        async {
            let admin = context::require(Role::Admin)?;
            let state = context::state()?;
            Ok(service::end_sessions(&state.db, &Actor::new(&admin, state.clock.as_ref()), user_id).await?)
        }
        .await,
    )
}

pub const AUDIT_PAGE_SIZE: i64 = 50;

/// The audit log for administrators, newest first, filtered by subject, actor, action
/// and date (Beijing dates, `YYYY-MM-DD`), keyset-paginated by entry id.
#[server(endpoint = "admin/audit")]
#[allow(clippy::too_many_arguments)]
pub async fn audit_log(
    #[server(default)] entity: String,
    #[server(default)] entity_id: String,
    #[server(default)] actor_id: String,
    #[server(default)] action: String,
    #[server(default)] from: String,
    #[server(default)] until: String,
    before: Option<i64>,
) -> Result<Page<AuditEntryView>, AppError> {
    use crate::{backend::store::audit::AuditFilter, domain::rule::Errors};
    context::with_status(
        async {
            context::require(Role::Admin)?;
            let mut errors = Errors::new();
            let number = |raw: &str| -> Result<Option<i64>, Rule> {
                match raw.trim() {
                    "" => Ok(None),
                    raw => raw.parse::<i64>().map(Some).map_err(|_| Rule::UnknownChoice),
                }
            };
            let entity = match entity.trim() {
                "" => None,
                raw if crate::domain::audit::Subject::ENTITIES.contains(&raw) => Some(raw.to_owned()),
                _ => {
                    errors.push("entity", Rule::UnknownChoice);
                    None
                }
            };
            let entity_id = errors.check("entity_id", number(&entity_id)).flatten();
            let actor_id = errors.check("actor_id", number(&actor_id)).flatten();
            let action = match action.trim() {
                "" => None,
                raw if raw.len() <= 64 && raw.chars().all(|c| c.is_ascii_lowercase() || c == '_') => Some(raw.to_owned()),
                _ => {
                    errors.push("action", Rule::UnknownChoice);
                    None
                }
            };
            let day = |raw: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>, Rule> {
                match raw.trim() {
                    "" => Ok(None),
                    raw => crate::domain::time::parse_local_input(&format!("{raw}T00:00")).map(Some),
                }
            };
            let from = errors.check("from", day(&from)).flatten();
            let until = errors.check("until", day(&until)).flatten().map(|d| d + chrono::Duration::days(1));
            errors.into_result()?;
            let filter = AuditFilter { entity, entity_id, actor_id, action, from, until };
            let state = context::state()?;
            let rows = state.db.audit_page(&filter, before, AUDIT_PAGE_SIZE + 1).await.map_err(context::db_error)?;
            Ok(Page::cut(rows, AUDIT_PAGE_SIZE, |r| r.id.to_string()).map(|r| AuditEntryView {
                id: r.id,
                at: r.at,
                actor_id: r.actor_id,
                entity: r.entity,
                entity_id: r.entity_id,
                seq: r.seq,
                action: r.action,
                detail: r.detail,
                hash: r.hash,
            }))
        }
        .await,
    )
}
