use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::accounts::{Register, SignIn},
    app::Session,
    components::errors::{action_error, invalid, FieldError, FormError},
    domain::{account::Password, text::DisplayName},
    i18n::{use_locale, Msg},
};

fn next_param() -> String {
    use_query_map().with_untracked(|q| q.get("next")).unwrap_or_else(|| "/".to_owned())
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
                <button type="submit" disabled=move || action.pending().get()>{locale.t(Msg::SignInSubmit)}</button>
            </ActionForm>
            <p>{locale.t(Msg::NoAccountYet)}" "<a href=format!("/register?next={}", crate::components::layout::urlencode(&next))>{locale.t(Msg::Register)}</a></p>
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
    let next_value = next.clone();
    view! {
        <Title text=locale.t(Msg::RegisterTitle)/>
        <section class="panel narrow">
            <h1>{locale.t(Msg::RegisterTitle)}</h1>
            <ActionForm action attr:class="form" attr:novalidate="">
                <FormError error/>
                <input type="hidden" name="next" value=next_value/>
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
            <p>{locale.t(Msg::HaveAccount)}" "<a href=format!("/signin?next={}", crate::components::layout::urlencode(&next))>{locale.t(Msg::SignIn)}</a></p>
        </section>
    }
}
