use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::accounts::{
        my_sessions, second_factor_status, BeginSecondFactor, ChangePassword, ConfirmSecondFactor, DisableSecondFactor, EndSessions,
        EnrolmentView, Register, RequestPasswordReset, ResendVerification, ResetPassword, SignIn, VerifyEmail,
    },
    app::Session,
    components::{
        errors::{action_error, invalid, ErrorPanel, FieldError, FormError},
        layout::{current_path, urlencode},
    },
    domain::{
        account::{describe_agent, Password},
        text::DisplayName,
        time::format_local,
    },
    error::AppError,
    i18n::{use_locale, Msg},
};

fn next_param() -> String {
    use_query_map().with_untracked(|q| q.get("next")).unwrap_or_else(|| "/".to_owned())
}

/// Whether the page is at `?{name}=1` (where an action that redirects lands); read in a
/// reactive closure, it follows client-side navigation to the same page with another query.
fn flag(name: &str) -> bool {
    use_query_map().with(|q| q.get(name)).as_deref() == Some("1")
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SignIn>::new();
    Session::use_session().refresh_on(move || action.version().get());
    let error = action_error(action);
    let next = next_param();
    let next_value = next.clone();
    view! {
        <Title text=locale.t(Msg::SignInTitle)/>
        <section class="panel narrow">
            <h1>{locale.t(Msg::SignInTitle)}</h1>
            {move || flag("verified").then(|| view! { <p class="status" role="status">{locale.t(Msg::VerifyDone)}</p> })}
            {move || flag("reset").then(|| view! { <p class="status" role="status" data-testid="reset-done">{locale.t(Msg::ResetDone)}</p> })}
            <ActionForm action attr:class="form" attr:novalidate="">
                <FormError error/>
                <input type="hidden" name="next" value=next_value/>
                <label for="email">{locale.t(Msg::FieldEmail)}</label>
                <input id="email" name="email" type="email" autocomplete="username" required
                    aria-invalid=invalid(error, "email") aria-describedby="email-error"/>
                <FieldError error field="email"/>
                <label for="password">{locale.t(Msg::FieldPassword)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    aria-invalid=invalid(error, "password") aria-describedby="password-error"/>
                <FieldError error field="password"/>
                // asked for once the password was right and the account uses two-step sign-in
                {move || error.with(|e| e.as_ref().is_some_and(|e| e.rule_for("code").is_some())).then(|| view! {
                    <label for="code">{locale.t(Msg::FieldSecondFactorCode)}</label>
                    <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="20" required autofocus
                        aria-invalid="true" aria-describedby="code-error"/>
                    <FieldError error field="code"/>
                })}
                <button type="submit" disabled=move || action.pending().get()>{locale.t(Msg::SignInSubmit)}</button>
            </ActionForm>
            <p>{locale.t(Msg::NoAccountYet)}" "<a href=format!("/register?next={}", crate::components::layout::urlencode(&next))>{locale.t(Msg::Register)}</a></p>
            <p><a href="/account/reset">{locale.t(Msg::ForgotPassword)}</a></p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<Register>::new();
    Session::use_session().refresh_on(move || action.version().get());
    let error = action_error(action);
    let next = next_param();
    let next_value = StoredValue::new(next.clone());
    view! {
        <Title text=locale.t(Msg::RegisterTitle)/>
        <section class="panel narrow">
            <h1>{locale.t(Msg::RegisterTitle)}</h1>
            {move || flag("sent").then(|| view! { <p class="status" role="status" data-testid="register-sent">{locale.t(Msg::RegisterSent)}</p> })}
            <Show when=move || !flag("sent")>
            <ActionForm action attr:class="form" attr:novalidate="">
                <FormError error/>
                <input type="hidden" name="next" value=next_value.get_value()/>
                <label for="email">{locale.t(Msg::FieldEmail)}</label>
                <input id="email" name="email" type="email" autocomplete="email" required
                    aria-invalid=invalid(error, "email") aria-describedby="email-error"/>
                <FieldError error field="email"/>
                <label for="display_name">{locale.t(Msg::FieldDisplayName)}</label>
                <input id="display_name" name="display_name" type="text" autocomplete="nickname" required
                    maxlength=DisplayName::MAX.to_string()
                    aria-invalid=invalid(error, "display_name") aria-describedby="display_name-hint display_name-error"/>
                <p class="hint" id="display_name-hint">{locale.t(Msg::FieldDisplayNameHint)}</p>
                <FieldError error field="display_name"/>
                <label for="password">{locale.t(Msg::FieldPassword)}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" required
                    minlength=Password::MIN.to_string()
                    aria-invalid=invalid(error, "password") aria-describedby="password-hint password-error"/>
                <p class="hint" id="password-hint">{locale.t(Msg::FieldPasswordHint)}</p>
                <FieldError error field="password"/>
                <button type="submit" disabled=move || action.pending().get()>{locale.t(Msg::RegisterSubmit)}</button>
            </ActionForm>
            </Show>
            <p>{locale.t(Msg::HaveAccount)}" "<a href=format!("/signin?next={}", crate::components::layout::urlencode(&next))>{locale.t(Msg::SignIn)}</a></p>
        </section>
    }
}

/// The signed-in person's account: where they are signed in (ending any session, or all
/// but this one) and the password change, which asks for the current password again.
#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = use_locale();
    let end = ServerAction::<EndSessions>::new();
    let change = ServerAction::<ChangePassword>::new();
    let sessions = Resource::new(move || (end.version().get(), change.version().get()), |_| my_sessions());
    let end_error = action_error(end);
    let change_error = action_error(change);
    let ended = move || end.value().get().and_then(|r| r.ok());
    let changed = move || change.value().get().and_then(|r| r.ok());
    view! {
        <Title text=locale.t(Msg::AccountTitle)/>
        <div class="account-page">
        <h1>{locale.t(Msg::AccountTitle)}</h1>
        <Unverified/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match sessions.await {
                    Err(AppError::Unauthenticated) => view! {
                        <p class="notice"><a href=format!("/signin?next={}", urlencode(&current_path()))>{locale.t(Msg::SignIn)}</a></p>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(list) => {
                        let others = list.iter().filter(|s| !s.current).count();
                        view! {
                            <section class="panel" aria-labelledby="sessions-title">
                                <h2 id="sessions-title">{locale.t(Msg::AccountSessions)}</h2>
                                <FormError error=end_error/>
                                {move || ended().map(|n| view! { <p class="status" role="status">{locale.fmt(Msg::AccountSessionsEnded, &[("n", &n)])}</p> })}
                                <ul class="cards" data-testid="sessions">
                                    {list.into_iter().map(|s| view! {
                                        <li class="card" data-current=s.current.to_string()>
                                            <p>
                                                <strong title=s.user_agent.clone()>{describe_agent(&s.user_agent).unwrap_or_else(|| locale.t(Msg::AccountUnknownDevice).to_owned())}</strong>
                                                {s.current.then(|| view! { " · "<span class="badge">{locale.t(Msg::AccountThisDevice)}</span> })}
                                            </p>
                                            <p class="meta">
                                                {locale.t(Msg::AccountAddress)}" "{s.address.clone()}" · "
                                                {locale.t(Msg::AccountSignedInAt)}" "<time datetime=s.created_at.to_rfc3339()>{format_local(s.created_at)}</time>" · "
                                                {locale.t(Msg::AccountLastUsed)}" "<time datetime=s.last_seen_at.to_rfc3339()>{format_local(s.last_seen_at)}</time>
                                            </p>
                                            {(!s.current).then(|| view! {
                                                <ActionForm action=end attr:class="inline">
                                                    <input type="hidden" name="handle" value=s.handle.clone()/>
                                                    <button type="submit" class="secondary">{locale.t(Msg::AccountEndSession)}</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                                {(others > 0).then(|| view! {
                                    <ActionForm action=end attr:class="form">
                                        <input type="hidden" name="handle" value=""/>
                                        <button type="submit" data-testid="end-others">{locale.t(Msg::AccountEndOthers)}</button>
                                    </ActionForm>
                                })}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
        <TwoStep/>
        <section class="panel" aria-labelledby="password-title">
            <h2 id="password-title">{locale.t(Msg::AccountChangePassword)}</h2>
            {move || changed().map(|n| view! { <p class="status" role="status" data-testid="password-changed">{locale.fmt(Msg::AccountPasswordChanged, &[("n", &n)])}</p> })}
            <ActionForm action=change attr:class="form" attr:novalidate="">
                <FormError error=change_error/>
                <label for="current_password">{locale.t(Msg::AccountCurrentPassword)}</label>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required
                    aria-invalid=invalid(change_error, "current_password") aria-describedby="current_password-error"/>
                <FieldError error=change_error field="current_password"/>
                <label for="new_password">{locale.t(Msg::AccountNewPassword)}</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" required
                    minlength=Password::MIN.to_string()
                    aria-invalid=invalid(change_error, "new_password") aria-describedby="new_password-hint new_password-error"/>
                <p class="hint" id="new_password-hint">{locale.t(Msg::FieldPasswordHint)}</p>
                <FieldError error=change_error field="new_password"/>
                <button type="submit" disabled=move || change.pending().get()>{locale.t(Msg::AccountChangePassword)}</button>
            </ActionForm>
        </section>
        </div>
    }
}

/// On the account page of someone whose address is not proved yet: what it keeps them
/// from, and the mail sent again.
#[component]
fn Unverified() -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let resend = ServerAction::<ResendVerification>::new();
    let error = action_error(resend);
    view! {
        {move || flag("resent").then(|| view! { <p class="status" role="status">{locale.t(Msg::VerificationResent)}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer = session.viewer.await.ok().flatten();
                viewer.filter(|v| !v.email_verified).map(|_| view! {
                    <section class="panel notice" data-testid="unverified">
                        <p>{locale.t(Msg::UnverifiedBanner)}</p>
                        <ActionForm action=resend attr:class="form">
                            <FormError error/>
                            <button type="submit">{locale.t(Msg::ResendVerification)}</button>
                        </ActionForm>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// Where the verification link leads: opening it changes nothing; the button confirms.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<VerifyEmail>::new();
    Session::use_session().refresh_on(move || action.version().get());
    let error = action_error(action);
    let token = use_query_map().with_untracked(|q| q.get("token")).unwrap_or_default();
    let next = next_param();
    view! {
        <Title text=locale.t(Msg::VerifyTitle)/>
        <section class="panel narrow">
            <h1>{locale.t(Msg::VerifyTitle)}</h1>
            <p>{locale.t(Msg::VerifyExplain)}</p>
            <ActionForm action attr:class="form">
                <FormError error/>
                <FieldError error field="token"/>
                <input type="hidden" name="token" value=token/>
                <input type="hidden" name="next" value=next/>
                <button type="submit" disabled=move || action.pending().get()>{locale.t(Msg::VerifySubmit)}</button>
            </ActionForm>
        </section>
    }
}

/// Forgotten password: ask for a link by e-mail, or, reached by that link, choose the new one.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let ask = ServerAction::<RequestPasswordReset>::new();
    let choose = ServerAction::<ResetPassword>::new();
    let ask_error = action_error(ask);
    let choose_error = action_error(choose);
    let token = use_query_map().with_untracked(|q| q.get("token")).filter(|t| !t.is_empty());
    let body = match token {
        Some(token) => view! {
            <p>{locale.t(Msg::ResetChooseExplain)}</p>
            <ActionForm action=choose attr:class="form" attr:novalidate="">
                <FormError error=choose_error/>
                <FieldError error=choose_error field="token"/>
                <input type="hidden" name="token" value=token/>
                <label for="new_password">{locale.t(Msg::AccountNewPassword)}</label>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" required
                    minlength=Password::MIN.to_string()
                    aria-invalid=invalid(choose_error, "new_password") aria-describedby="new_password-hint new_password-error"/>
                <p class="hint" id="new_password-hint">{locale.t(Msg::FieldPasswordHint)}</p>
                <FieldError error=choose_error field="new_password"/>
                <button type="submit" disabled=move || choose.pending().get()>{locale.t(Msg::ResetChooseSubmit)}</button>
            </ActionForm>
        }
        .into_any(),
        None => view! {
            {move || flag("sent").then(|| view! { <p class="status" role="status" data-testid="reset-sent">{locale.t(Msg::ResetAskSent)}</p> })}
            <p>{locale.t(Msg::ResetAskExplain)}</p>
            <ActionForm action=ask attr:class="form" attr:novalidate="">
                <FormError error=ask_error/>
                <label for="email">{locale.t(Msg::FieldEmail)}</label>
                <input id="email" name="email" type="email" autocomplete="email" required
                    aria-invalid=invalid(ask_error, "email") aria-describedby="email-error"/>
                <FieldError error=ask_error field="email"/>
                <button type="submit" disabled=move || ask.pending().get()>{locale.t(Msg::ResetAskSubmit)}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <Title text=locale.t(Msg::ResetTitle)/>
        <section class="panel narrow">
            <h1>{locale.t(Msg::ResetTitle)}</h1>
            {body}
        </section>
    }
}

/// Two-step sign-in on the account page: set up with a QR code and a first code (the
/// recovery codes shown once), or turned off with the password and a code.
#[component]
fn TwoStep() -> impl IntoView {
    let locale = use_locale();
    let begin = ServerAction::<BeginSecondFactor>::new();
    let confirm = ServerAction::<ConfirmSecondFactor>::new();
    let disable = ServerAction::<DisableSecondFactor>::new();
    let status = Resource::new(move || (confirm.version().get(), disable.version().get()), |_| second_factor_status());
    let begin_error = action_error(begin);
    let confirm_error = action_error(confirm);
    let disable_error = action_error(disable);
    let enrolment = move || begin.value().get().and_then(|r| r.ok());
    let recovery = move || confirm.value().get().and_then(|r| r.ok());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(status) = status.await else { return ().into_any() };
                view! {
                    <section class="panel" aria-labelledby="two-step-title" data-testid="two-step">
                        <h2 id="two-step-title">{locale.t(Msg::AccountTwoStep)}</h2>
                        {move || recovery().map(|codes| view! {
                            <p>{locale.t(Msg::AccountRecoveryCodes)}</p>
                            <ul class="recovery-codes" data-testid="recovery-codes">
                                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                            </ul>
                        })}
                        {if status.on {
                            view! {
                                <p class="status" data-testid="two-step-on">{locale.fmt(Msg::AccountTwoStepOn, &[("n", &status.recovery_codes_left)])}</p>
                                <ActionForm action=disable attr:class="form" attr:novalidate="">
                                    <FormError error=disable_error/>
                                    <p class="hint">{locale.t(Msg::AccountTwoStepTurnOffHint)}</p>
                                    <label for="off_password">{locale.t(Msg::AccountCurrentPassword)}</label>
                                    <input id="off_password" name="current_password" type="password" autocomplete="current-password" required
                                        aria-invalid=invalid(disable_error, "current_password") aria-describedby="current_password-error"/>
                                    <FieldError error=disable_error field="current_password"/>
                                    <label for="off_code">{locale.t(Msg::FieldSecondFactorCode)}</label>
                                    <input id="off_code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="20" required
                                        aria-invalid=invalid(disable_error, "code") aria-describedby="code-error"/>
                                    <FieldError error=disable_error field="code"/>
                                    <button type="submit" class="secondary">{locale.t(Msg::AccountTwoStepTurnOff)}</button>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! {
                                <p>{locale.t(Msg::AccountTwoStepOff)}</p>
                                {move || match enrolment() {
                                    None => view! {
                                        <ActionForm action=begin attr:class="form">
                                            <FormError error=begin_error/>
                                            <button type="submit" data-testid="two-step-begin">{locale.t(Msg::AccountTwoStepSetUp)}</button>
                                        </ActionForm>
                                    }.into_any(),
                                    Some(e) => view! { <Enrol enrolment=e confirm error=confirm_error/> }.into_any(),
                                }}
                            }.into_any()
                        }}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

#[component]
fn Enrol(enrolment: EnrolmentView, confirm: ServerAction<ConfirmSecondFactor>, error: Signal<Option<AppError>>) -> impl IntoView {
    let locale = use_locale();
    let w = enrolment.qr_width;
    // one path of unit squares, four modules of quiet zone around
    let path: String =
        enrolment.qr.iter().enumerate().filter(|(_, dark)| **dark).map(|(i, _)| format!("M{} {}h1v1h-1z", i % w + 4, i / w + 4)).collect();
    let size = (w + 8).to_string();
    view! {
        <p>{locale.t(Msg::AccountTwoStepScan)}</p>
        <a href=enrolment.uri.clone() class="qr-link">
            <svg class="qr" viewBox=format!("0 0 {size} {size}") role="img" aria-label=locale.t(Msg::AccountTwoStep) shape-rendering="crispEdges">
                <rect width=size.clone() height=size.clone() fill="#fff"/>
                <path d=path fill="#000"/>
            </svg>
        </a>
        <p>{locale.t(Msg::AccountTwoStepKey)}" "<code data-testid="two-step-secret">{enrolment.secret.clone()}</code></p>
        <ActionForm action=confirm attr:class="form" attr:novalidate="">
            <FormError error/>
            <label for="enrol_code">{locale.t(Msg::AccountTwoStepCode)}</label>
            <input id="enrol_code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="10" required
                aria-invalid=invalid(error, "code") aria-describedby="code-error"/>
            <FieldError error field="code"/>
            <button type="submit">{locale.t(Msg::AccountTwoStepConfirm)}</button>
        </ActionForm>
    }
}
