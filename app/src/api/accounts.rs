//! Register, sign in, sign out, who am I, language.

use leptos::prelude::*;

use crate::{domain::account::Viewer, error::AppError};

#[cfg(feature = "ssr")]
use crate::{
    backend::{auth, context},
    domain::{
        account::{Email, Password},
        role::Role,
        rule::Errors,
        text::DisplayName,
        Rule,
    },
};

/// The signed-in person, if any.
#[server(endpoint = "viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::backend::context::viewer())
}

#[server(endpoint = "register")]
pub async fn register(email: String, password: String, display_name: String, next: Option<String>) -> Result<(), AppError> {
    context::with_status(
        async {
            let mut errors = Errors::new();
            let email = errors.check("email", Email::parse(&email));
            let password = errors.check("password", Password::parse(&password));
            let display_name = errors.check("display_name", DisplayName::parse(&display_name));
            errors.into_result()?;
            let (Some(email), Some(password), Some(display_name)) = (email, password, display_name) else {
                return Err(AppError::Internal);
            };
            let state = context::state()?;
            let hash = auth::hash_password(password.expose().to_owned()).await.map_err(context::internal)?;
            let now = context::now();
            let user = crate::backend::store::users::NewUser {
                email: email.as_str(),
                password_hash: &hash,
                display_name: display_name.as_str(),
                roles: &[Role::Citizen],
                agency_id: None,
            };
            let user_id = state.db.create_user(user, now).await.map_err(|e| match e {
                crate::backend::store::users::CreateUserError::EmailTaken => AppError::field("email", Rule::EmailTaken),
                crate::backend::store::users::CreateUserError::Db(e) => context::db_error(e),
            })?;
            start_session(&state, user_id).await?;
            leptos_axum::redirect(&super::safe_next(next.as_deref().unwrap_or("/")));
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            // limits hold per account and per address, across all server processes
            let account_key = format!("signin:account:{}", email.trim().to_lowercase());
            let ip_key = format!("signin:ip:{}", context::client_ip());
            let now = context::now();
            let window = chrono::Duration::minutes(1);
            let config = &state.config;
            let limits = [(account_key.as_str(), config.signin_per_account), (ip_key.as_str(), config.signin_per_ip)];
            if let Err(secs) = state.db.rate_hit(&limits, window, now).await.map_err(context::db_error)? {
                return Err(AppError::RateLimited(secs));
            }
            let user = match Email::parse(&email) {
                Ok(email) => state.db.user_by_email(email.as_str()).await.map_err(context::db_error)?,
                Err(_) => None,
            };
            let ok = auth::verify_password(password, user.as_ref().map(|u| u.password_hash.clone())).await;
            let Some(user) = user.filter(|_| ok) else {
                return Err(AppError::field("password", Rule::WrongCredentials));
            };
            start_session(&state, user.id).await?;
            leptos_axum::redirect(&super::safe_next(next.as_deref().unwrap_or("/")));
            Ok(())
        }
        .await,
    )
}

/// A fresh token at every sign-in (no fixation); any session the browser had ends.
#[cfg(feature = "ssr")]
async fn start_session(state: &crate::backend::AppState, user_id: i64) -> Result<(), AppError> {
    if let Some(old) = old_session_token() {
        state.db.delete_session(&auth::token_hash(&old)).await.map_err(context::db_error)?;
    }
    let token = auth::new_session_token();
    let policy = state.config.session;
    state.db.create_session(&auth::token_hash(&token), user_id, context::now(), policy).await.map_err(context::db_error)?;
    context::append_set_cookie(&auth::session_cookie(Some(&token), state.config.secure_cookies, policy.absolute.num_seconds()));
    Ok(())
}

#[cfg(feature = "ssr")]
fn old_session_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    auth::cookie_value(header, auth::SESSION_COOKIE).map(str::to_owned)
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            if let Some(token) = old_session_token() {
                state.db.delete_session(&auth::token_hash(&token)).await.map_err(context::db_error)?;
            }
            context::append_set_cookie(&auth::session_cookie(None, state.config.secure_cookies, 0));
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Chooses the interface language; a plain form posts here and the page reloads.
#[server(endpoint = "set_locale")]
pub async fn set_locale(lang: String, next: Option<String>) -> Result<(), AppError> {
    let locale = crate::i18n::Locale::from_tag(&lang).unwrap_or_default();
    context::append_set_cookie(&format!("{}={}; Path=/; SameSite=Lax; Max-Age=31536000", crate::i18n::LOCALE_COOKIE, locale.tag()));
    leptos_axum::redirect(&super::safe_next(next.as_deref().unwrap_or("/")));
    Ok(())
}
