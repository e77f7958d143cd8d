//! The HTML shell, the router and what every page shares (locale, the signed-in person).

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::{
    api::accounts::current_viewer,
    components::{layout::Footer, layout::Header},
    domain::account::Viewer,
    error::AppError,
    i18n::{Locale, Msg},
    pages,
};

/// The document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let locale = request_locale();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=locale.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="stylesheet" href="/pkg/minyi.css"/>
                <link rel="alternate" type="application/atom+xml" title="民意 · 全部草案" href="/feeds/proposals.atom"/>
                <link rel="icon" href="/favicon.ico" sizes="any"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The CSP carries this response's nonce, so only the hydration scripts Leptos wrote
/// into this page can run.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    if let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(value) = HeaderValue::from_str(&content_security_policy(&format!("'nonce-{nonce}'"))) {
            response.insert_header(CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The policy of every page. `inline_scripts` names the inline scripts allowed to run:
/// this response's nonce when rendered, or the scripts' SHA-256 hashes for a copy served
/// from the page cache.
pub fn content_security_policy(inline_scripts: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' {inline_scripts} 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// On the server the locale comes from the cookie; in the browser from `<html lang>`,
/// which the server wrote, so both render the same words.
fn request_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Locale::from_cookie_header))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document().document_element().and_then(|e| e.get_attribute("lang")).and_then(|tag| Locale::from_tag(&tag)).unwrap_or_default()
    }
}

/// Who is signed in, fetched again whenever a page signs someone in.
#[derive(Clone, Copy)]
pub struct Session {
    pub viewer: Resource<Result<Option<Viewer>, AppError>>,
    epoch: RwSignal<usize>,
}

impl Session {
    pub fn use_session() -> Self {
        expect_context::<Session>()
    }

    /// Re-reads the signed-in person each time `version` moves (an action finished).
    /// Actions are created inside the routes, where the router hands them the error a
    /// plain form (no JavaScript) was redirected back with.
    pub fn refresh_on(self, version: impl Fn() -> usize + 'static) {
        Effect::new(move |_| {
            if version() > 0 {
                self.epoch.update(|e| *e += 1);
            }
        });
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = request_locale();
    provide_context(locale);
    let epoch = RwSignal::new(0usize);
    let viewer = Resource::new(move || epoch.get(), |_| current_viewer());
    provide_context(Session { viewer, epoch });
    // marks the page as interactive, for people's assistive tools and for browser tests
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Title formatter=move |page: String| {
            let title = if page.is_empty() { locale.t(Msg::AppName).to_owned() } else { format!("{page} · {}", locale.t(Msg::AppName)) };
            title_text(title)
        }/>
        <Router>
            <a class="skip-link" href="#main">{locale.t(Msg::SkipToContent)}</a>
            <Header/>
            <main id="main" tabindex="-1">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals") view=pages::home::ProposalListPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/new") view=pages::new_proposal::NewProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:id") view=pages::proposal::ProposalPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:id/versions/:n") view=pages::versions::VersionPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:id/versions/:n/diff") view=pages::versions::DiffPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:id/feedback") view=pages::feedback::FeedbackFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:id/revise") view=pages::versions::RevisePage ssr=SsrMode::Async/>
                    <Route path=path!("/proposals/:id/campaigns/:group") view=pages::proposal::CampaignPage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=pages::search::SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/blocked") view=pages::home::BlockedPage ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view=pages::auth::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=pages::auth::RegisterPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=pages::auth::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/verify") view=pages::auth::VerifyEmailPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/reset") view=pages::auth::ResetPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=pages::admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view=pages::audit::AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/calendar") view=pages::calendar::CalendarPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects") view=pages::projects::ProjectsPage ssr=SsrMode::Async/>
                    <Route path=path!("/projects/:id") view=pages::projects::ProjectPage ssr=SsrMode::Async/>
                    <Route path=path!("/hearings") view=pages::hearings::HearingsPage ssr=SsrMode::Async/>
                    <Route path=path!("/hearings/:id") view=pages::hearings::HearingPage ssr=SsrMode::Async/>
                    <Route path=path!("/hearings/:id/applicants") view=pages::hearings::ApplicantsPage ssr=SsrMode::Async/>
                    <Route path=path!("/hearings/:id/draw") view=pages::hearings::DrawPage ssr=SsrMode::Async/>
                    <Route path=path!("/penalties") view=pages::penalties::PenaltiesPage ssr=SsrMode::Async/>
                    <Route path=path!("/penalties/new") view=pages::penalties::NewPenaltyPage ssr=SsrMode::Async/>
                    <Route path=path!("/penalties/pool") view=pages::penalties::PoolPage ssr=SsrMode::Async/>
                    <Route path=path!("/penalties/:id") view=pages::penalties::PenaltyPage ssr=SsrMode::Async/>
                    <Route path=path!("/penalties/:id/draw") view=pages::penalties::PenaltyDrawPage ssr=SsrMode::Async/>
                    <Route path=path!("/reviews") view=pages::reviews::ReviewsPage ssr=SsrMode::Async/>
                    <Route path=path!("/moderation") view=pages::moderation::ModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("/notices") view=pages::moderation::NoticesPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

/// leptos_meta writes the server-rendered `<title>` as raw text (a proposal titled
/// `</title><script>…` would break out of it), while the browser sets `document.title`,
/// which takes plain text. So the text is escaped for HTML on the server only.
#[cfg(feature = "ssr")]
pub fn title_text(title: String) -> String {
    crate::components::escape_html(&title)
}

#[cfg(not(feature = "ssr"))]
pub fn title_text(title: String) -> String {
    title
}
