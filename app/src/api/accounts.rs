//! Register, sign in, sign out, who am I, language.

use leptos::prelude::*;

use crate::{domain::account::Viewer, error::AppError};

#[cfg(feature = "ssr")]
use crate::backend::{
    auth, context,
    service::accounts::{self, AccountLimits, Attempt},
    store::sessions::SessionOrigin,
};

/// The signed-in person, if any.
#[server(endpoint = "viewer")]
pub async fn current_viewer() -> Result<Option<Viewer>, AppError> {
    Ok(crate::backend::context::viewer())
}

/// Registers, and answers alike whether or not the address has an account: the next
/// step is always the link in the mail sent to it.
#[server(endpoint = "register")]
pub async fn register(email: String, password: String, display_name: String, next: Option<String>) -> Result<(), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let address = context::client_ip();
            let at = Attempt { address: &address, now: context::now() };
            let next = next.as_deref().map(super::safe_next);
            let form = accounts::Registration { email: &email, password: &password, display_name: &display_name, next: next.as_deref() };
            if let Some(letter) = accounts::register(&state.db, &limits(&state), form, at).await? {
                state.mailer.send_later(letter);
            }
            leptos_axum::redirect("/register?sent=1");
            Ok(())
        }
        .await,
    )
}

/// Proves the address by the mailed link (a POST: opening the link changes nothing) and
/// signs in when the account needs nothing more, then goes on to `next`.
#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String, next: Option<String>) -> Result<(), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let address = context::client_ip();
            let at = Attempt { address: &address, now: context::now() };
            match accounts::verify_email(&state.db, &token, at).await? {
                Some(signed_in) => {
                    start_session(&state, &signed_in).await?;
                    leptos_axum::redirect(&super::safe_next(next.as_deref().unwrap_or("/")));
                }
                None => leptos_axum::redirect("/signin?verified=1"),
            }
            Ok(())
        }
        .await,
    )
}

/// Sends the verification mail again to the signed-in person.
#[server(endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            if let Some(letter) = accounts::resend_verification(&state.db, viewer.id, context::now()).await? {
                state.mailer.send_later(letter);
            }
            leptos_axum::redirect("/account?resent=1");
            Ok(())
        }
        .await,
    )
}

/// Asks for a password-reset link; the same answer whether or not the address has an account.
#[server(endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let address = context::client_ip();
            let at = Attempt { address: &address, now: context::now() };
            if let Some(letter) = accounts::request_reset(&state.db, &limits(&state), &email, at).await? {
                state.mailer.send_later(letter);
            }
            leptos_axum::redirect("/account/reset?sent=1");
            Ok(())
        }
        .await,
    )
}

/// Chooses a new password by the mailed link; every session ends and the person signs in
/// again with it.
#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let address = context::client_ip();
            let at = Attempt { address: &address, now: context::now() };
            accounts::reset_password(&state.db, &token, &new_password, at).await?;
            context::append_set_cookie(&auth::session_cookie(None, state.config.secure_cookies, 0));
            leptos_axum::redirect("/signin?reset=1");
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String, code: Option<String>, next: Option<String>) -> Result<(), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let address = context::client_ip();
            let at = Attempt { address: &address, now: context::now() };
            let credentials = accounts::Credentials { email: &email, password: &password, code: code.as_deref() };
            let signed_in = accounts::sign_in(&state.db, &limits(&state), credentials, at).await?;
            start_session(&state, &signed_in).await?;
            leptos_axum::redirect(&super::safe_next(next.as_deref().unwrap_or("/")));
            Ok(())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
fn limits(state: &crate::backend::AppState) -> AccountLimits {
    AccountLimits { signin_per_ip: state.config.signin_per_ip, register_per_ip: state.config.register_per_ip }
}

/// A fresh token at every sign-in (no fixation); any session the browser had ends.
#[cfg(feature = "ssr")]
async fn start_session(state: &crate::backend::AppState, signed_in: &accounts::SignedIn) -> Result<(), AppError> {
    if let Some(old) = current_token() {
        state.db.delete_session(&auth::token_hash(&old)).await.map_err(context::db_error)?;
    }
    let agent = use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned))
        .unwrap_or_default();
    let origin = SessionOrigin::new(&context::client_ip(), &agent);
    let (token, policy) = accounts::start_session(&state.db, signed_in, state.config.session, &origin, context::now()).await?;
    context::append_set_cookie(&auth::session_cookie(Some(&token), state.config.secure_cookies, policy.absolute.num_seconds()));
    Ok(())
}

/// The session token the request carries, under the cookie name this server uses.
#[cfg(feature = "ssr")]
fn current_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    let secure = context::state().map(|s| s.config.secure_cookies).unwrap_or(false);
    auth::session_token(header, secure).map(str::to_owned)
}

/// One of the signed-in person's sessions, as the account page lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SessionView {
    pub handle: String,
    pub current: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    pub address: String,
    pub user_agent: String,
}

/// The signed-in person's live sessions, this one first.
#[server(endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<SessionView>, AppError> {
    let viewer = context::require_signed_in()?;
    let state = context::state()?;
    let current = current_token().map(|t| auth::token_hash(&t));
    let sessions = state.db.user_sessions(viewer.id, context::now()).await.map_err(context::db_error)?;
    let mut out: Vec<SessionView> = sessions
        .into_iter()
        .map(|s| SessionView {
            current: current.as_deref().is_some_and(|c| c.starts_with(&s.handle)),
            handle: s.handle,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
            address: s.address,
            user_agent: s.user_agent,
        })
        .collect();
    out.sort_by_key(|s| !s.current);
    Ok(out)
}

/// Ends one session of the signed-in person (by its handle), or every other one.
#[server(endpoint = "end_sessions")]
pub async fn end_sessions(handle: Option<String>) -> Result<u64, AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            let keep = current_token().map(|t| auth::token_hash(&t));
            let handle = handle.filter(|h| !h.is_empty());
            Ok(accounts::end_sessions(&state.db, viewer.id, handle.as_deref(), keep.as_deref(), context::now()).await?)
        }
        .await,
    )
}

/// Changes the signed-in person's password (the current one asked again); their other
/// sessions end.
#[server(endpoint = "change_password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<u64, AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            let keep = current_token().map(|t| auth::token_hash(&t));
            Ok(accounts::change_password(&state.db, viewer.id, &current_password, &new_password, keep.as_deref(), context::now()).await?)
        }
        .await,
    )
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            if let Some(token) = current_token() {
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

/// The signed-in person's two-step sign-in: off, or on with this many recovery codes left.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TwoStepState {
    pub on: bool,
    pub recovery_codes_left: i64,
}

#[server(endpoint = "second_factor_status")]
pub async fn second_factor_status() -> Result<TwoStepState, AppError> {
    let viewer = context::require_signed_in()?;
    let state = context::state()?;
    let on = crate::backend::store::second_factor::is_on(&state.db, viewer.id).await.map_err(context::db_error)?;
    let left = if on {
        crate::backend::store::second_factor::recovery_codes_left(&state.db, viewer.id).await.map_err(context::db_error)?
    } else {
        0
    };
    Ok(TwoStepState { on, recovery_codes_left: left })
}

/// What the page shows to set up an authenticator app.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EnrolmentView {
    pub secret: String,
    pub uri: String,
    pub qr_width: usize,
    pub qr: Vec<bool>,
}

#[server(endpoint = "begin_second_factor")]
pub async fn begin_second_factor() -> Result<EnrolmentView, AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            let e = accounts::begin_second_factor(&state.db, viewer.id, context::now()).await?;
            Ok(EnrolmentView { secret: e.secret, uri: e.uri, qr_width: e.qr_width, qr: e.qr })
        }
        .await,
    )
}

/// Turns two-step sign-in on with the first code; the recovery codes, shown once.
#[server(endpoint = "confirm_second_factor")]
pub async fn confirm_second_factor(code: String) -> Result<Vec<String>, AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            Ok(accounts::confirm_second_factor(&state.db, viewer.id, &code, context::now()).await?)
        }
        .await,
    )
}

#[server(endpoint = "disable_second_factor")]
pub async fn disable_second_factor(current_password: String, code: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            Ok(accounts::disable_second_factor(&state.db, viewer.id, &current_password, &code, context::now()).await?)
        }
        .await,
    )
}
