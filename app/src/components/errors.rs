//! Showing refusals: next to the field they concern, or above the form.

use leptos::prelude::*;

use crate::{
    error::AppError,
    i18n::{use_locale, Locale, Msg},
};

/// The sentence for an error that is not about one field.
pub fn general_message(locale: Locale, error: &AppError) -> String {
    match error {
        AppError::Invalid(_) => match error.rule_for("form") {
            // a rule about the whole request (not one field) is spelled out
            Some(rule) => locale.rule(rule),
            None => locale.t(Msg::ErrFixFields).into(),
        },
        AppError::Unauthenticated => locale.t(Msg::ErrUnauthenticated).into(),
        AppError::Forbidden(role) => format!("{}{}", locale.t(Msg::ErrForbidden), locale.role(*role)),
        AppError::NotFound => locale.t(Msg::ErrNotFound).into(),
        AppError::RateLimited(secs) => locale.fmt(Msg::ErrRateLimited, &[("secs", secs)]),
        AppError::Internal => locale.t(Msg::ErrInternal).into(),
        AppError::Transport(_) => locale.t(Msg::ErrTransport).into(),
    }
}

/// The refusal of a form's last submission, if it was refused: what `FormError` and
/// `FieldError` show.
pub fn action_error<A>(action: ServerAction<A>) -> Signal<Option<AppError>>
where
    A: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// The rule broken by `field`, shown under it. Its id is what the input's
/// `aria-describedby` points at.
#[component]
pub fn FieldError(#[prop(into)] error: Signal<Option<AppError>>, #[prop(into)] field: String) -> impl IntoView {
    let locale = use_locale();
    move || {
        let field = field.clone();
        error.with(|e| {
            e.as_ref().and_then(|e| e.rule_for(&field)).map(|rule| {
                view! { <p class="field-error" id=format!("{field}-error") role="alert">{locale.rule(rule)}</p> }
            })
        })
    }
}

/// A summary above the form: "please correct the fields below", or the whole reason
/// when it is not about a field (not signed in, not allowed, too many attempts).
#[component]
pub fn FormError(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let locale = use_locale();
    move || {
        error.with(|e| {
            e.as_ref().map(|e| {
                // a rule about the form as a whole (not one field) is spelled out here
                let text = e.rule_for("form").map(|rule| locale.rule(rule)).unwrap_or_else(|| general_message(locale, e));
                view! { <div class="form-error" role="alert">{text}</div> }
            })
        })
    }
}

/// A whole-page failure (not found, forbidden...). On the server it also sets the
/// response's HTTP status.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let locale = use_locale();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR));
    }
    let sign_in = matches!(error, AppError::Unauthenticated);
    let two_step = error.rule_for("form") == Some(&crate::domain::Rule::AdminNeedsSecondFactor);
    view! {
        <section class="panel error-panel" role="alert">
            <p>{general_message(locale, &error)}</p>
            {sign_in.then(|| view! {
                <p><a href=format!("/signin?next={}", super::layout::urlencode(&super::layout::current_path()))>{locale.t(Msg::SignIn)}</a></p>
            })}
            {two_step.then(|| view! { <p><a href="/account">{locale.t(Msg::AccountTwoStepSetUp)}</a></p> })}
            <p><a href="/">{locale.t(Msg::BackHome)}</a></p>
        </section>
    }
}

/// The answer to a read whose own parameters break rules (a search, a list's filter or
/// cursor; the server function answered 400): each rule in the reader's words, under
/// `id` for the field that points at it. Any other error is an [`ErrorPanel`].
pub fn query_refusal(locale: Locale, error: AppError, id: &'static str) -> AnyView {
    match error {
        AppError::Invalid(errors) => view! {
            <section class="panel error-panel" role="alert" id=id>
                {errors.into_iter().map(|e| view! { <p>{locale.rule(&e.rule)}</p> }).collect_view()}
            </section>
        }
        .into_any(),
        error => view! { <ErrorPanel error/> }.into_any(),
    }
}

/// `aria-invalid` for an input.
pub fn invalid(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<&'static str> {
    move || error.with(|e| e.as_ref().and_then(|e| e.rule_for(field)).map(|_| "true"))
}
