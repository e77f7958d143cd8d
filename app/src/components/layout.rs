use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::{
    app::Session,
    domain::role::Role,
    i18n::{use_locale, Locale, Msg},
};

/// The current path with its query, for "come back here" links and forms.
pub fn current_path() -> String {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    if search.is_empty() {
        path
    } else {
        format!("{path}?{search}")
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let here = current_path();
    let other = match locale {
        Locale::ZhCn => Locale::En,
        Locale::En => Locale::ZhCn,
    };
    let user_menu = move || {
        Suspend::new(async move {
            let viewer = session.viewer.await.ok().flatten();
            match viewer {
                Some(viewer) => {
                    let official = viewer.has(Role::Official);
                    // the admin links show for the role granted; without two-step sign-in they say so
                    let admin = viewer.holds(Role::Admin);
                    let moderator = viewer.has(Role::Moderator);
                    let reviewer = viewer.has(Role::Reviewer);
                    view! {
                        {official.then(|| view! { <a href="/proposals/new">{locale.t(Msg::NavNewProposal)}</a> })}
                        {reviewer.then(|| view! { <a href="/reviews">{locale.t(Msg::NavReviews)}</a> })}
                        {moderator.then(|| view! { <a href="/moderation">{locale.t(Msg::NavModeration)}</a> })}
                        <a href="/notices">{locale.t(Msg::NavNotices)}</a>
                        {admin.then(|| view! { <a href="/admin">{locale.t(Msg::NavAdmin)}</a> <a href="/admin/audit">{locale.t(Msg::NavAudit)}</a> <a href="/admin/calendar">{locale.t(Msg::NavCalendar)}</a> })}
                        <a class="who" href="/account" data-testid="signed-in-as" title=locale.t(Msg::AccountTitle)>{locale.t(Msg::SignedInAs)}{viewer.display_name.clone()}</a>
                        // a plain form: signing out reloads the page and clears every state
                        <form method="post" action="/api/sign_out" class="inline">
                            <button type="submit" class="link-button">{locale.t(Msg::SignOut)}</button>
                        </form>
                    }
                    .into_any()
                }
                None => view! {
                    <a href=format!("/signin?next={}", urlencode(&current_path()))>{locale.t(Msg::SignIn)}</a>
                    <a href="/register">{locale.t(Msg::Register)}</a>
                }
                .into_any(),
            }
        })
    };
    view! {
        <header class="site-header">
            <div class="brand">
                <a href="/" class="logo">{locale.t(Msg::AppName)}</a>
                <span class="tagline">{locale.t(Msg::Tagline)}</span>
            </div>
            <nav class="site-nav" aria-label=locale.t(Msg::NavHome)>
                <a href="/proposals?phase=open">{locale.t(Msg::NavConsultations)}</a>
                <a href="/hearings">{locale.t(Msg::NavHearings)}</a>
                <a href="/penalties">{locale.t(Msg::NavPenalties)}</a>
                <a href="/projects">{locale.t(Msg::NavProjects)}</a>
                <a href="/search">{locale.t(Msg::SearchTitle)}</a>
                <Suspense fallback=|| ()>{user_menu}</Suspense>
                <form method="post" action="/api/set_locale" class="inline">
                    <input type="hidden" name="lang" value=other.tag()/>
                    <input type="hidden" name="next" value=here/>
                    <button type="submit" class="link-button" lang=other.tag()>{locale.t(Msg::SwitchToOther)}</button>
                </form>
            </nav>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    let locale = use_locale();
    view! {
        <footer class="site-footer">
            <p>{locale.t(Msg::AppName)}" · "{locale.t(Msg::Tagline)}</p>
        </footer>
    }
}

/// Percent-encodes a value for a query string.
pub fn urlencode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}
