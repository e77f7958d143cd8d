//! Administration of accounts: roles and agencies.

use leptos::prelude::*;

use super::types::{AdminUser, Page};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    backend::context,
    domain::{role::Role, Rule},
};

pub const USER_PAGE_SIZE: i64 = 50;

#[server(endpoint = "admin/users")]
pub async fn search_users(#[server(default)] q: String, after: Option<i64>) -> Result<Page<AdminUser>, AppError> {
    context::with_status(
        async {
            context::require(Role::Admin)?;
            let state = context::state()?;
            let mut rows = state.db.search_users(&q, after.unwrap_or(0), USER_PAGE_SIZE + 1).await.map_err(context::db_error)?;
            let next = if rows.len() as i64 > USER_PAGE_SIZE {
                rows.truncate(USER_PAGE_SIZE as usize);
                rows.last().map(|(u, _)| u.id.to_string())
            } else {
                None
            };
            Ok(Page {
                items: rows
                    .into_iter()
                    .map(|(u, roles)| AdminUser { id: u.id, email: u.email, display_name: u.display_name, agency_id: u.agency_id, roles })
                    .collect(),
                next,
            })
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
            let now = context::now();
            if grant == "1" {
                state.db.grant_role(user_id, role, admin.id, now).await.map_err(context::db_error)?;
            } else {
                // an admin cannot lock themselves (and possibly everyone) out
                if role == Role::Admin && user_id == admin.id {
                    return Err(AppError::field("role", Rule::CannotRevokeOwnAdmin));
                }
                state.db.revoke_role(user_id, role, admin.id, now).await.map_err(context::db_error)?;
            }
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
                raw => {
                    let id: i64 = raw.parse().map_err(|_| AppError::field("agency_id", Rule::UnknownAgency))?;
                    state.db.agency(id).await.map_err(context::db_error)?.ok_or(AppError::field("agency_id", Rule::UnknownAgency))?;
                    Some(id)
                }
            };
            state.db.set_agency(user_id, agency_id, admin.id, context::now()).await.map_err(context::db_error)?;
            Ok(())
        }
        .await,
    )
}
