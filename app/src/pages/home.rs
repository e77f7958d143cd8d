use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::proposals::list_proposals,
    components::{errors::ErrorPanel, proposal_card::ProposalCard},
    domain::proposal::WindowPhase,
    i18n::{use_locale, Msg},
};

fn phase_title(phase: WindowPhase) -> Msg {
    match phase {
        WindowPhase::Open => Msg::HomeOpenTitle,
        WindowPhase::Upcoming => Msg::HomeUpcomingTitle,
        WindowPhase::Closed => Msg::HomeClosedTitle,
    }
}

fn phase_param(phase: WindowPhase) -> &'static str {
    match phase {
        WindowPhase::Open => "open",
        WindowPhase::Upcoming => "upcoming",
        WindowPhase::Closed => "closed",
    }
}

/// One list of proposals in a phase, starting after `after`, with a link to the next page.
#[component]
fn ProposalSection(phase: WindowPhase, #[prop(optional)] after: Option<String>, #[prop(optional)] heading_level_1: bool) -> impl IntoView {
    let locale = use_locale();
    let page = Resource::new(move || after.clone(), move |after| list_proposals(phase, after));
    let title = locale.t(phase_title(phase));
    let section_id = format!("phase-{}", phase_param(phase));
    view! {
        <section class="proposal-section" aria-labelledby=section_id.clone()>
            {if heading_level_1 {
                view! { <h1 id=section_id.clone()>{title}</h1> }.into_any()
            } else {
                view! { <h2 id=section_id.clone()>{title}</h2> }.into_any()
            }}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) if page.items.is_empty() => view! { <p class="empty">{locale.t(Msg::NoProposals)}</p> }.into_any(),
                        Ok(page) => {
                            let next = page.next.map(|cursor| {
                                view! {
                                    <a class="pager" href=format!("/proposals?phase={}&after={cursor}", phase_param(phase))>
                                        {locale.t(Msg::NextPage)}" →"
                                    </a>
                                }
                            });
                            view! {
                                <div class="card-list">
                                    {page.items.into_iter().map(|p| view! { <ProposalCard proposal=p/> }).collect_view()}
                                </div>
                                {next}
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    view! {
        <Title text=""/>
        <div class="intro">
            <p class="lead">{locale.t(Msg::Tagline)}</p>
        </div>
        <ProposalSection phase=WindowPhase::Open/>
        <crate::pages::hearings::UpcomingHearings/>
        <ProposalSection phase=WindowPhase::Upcoming/>
        <ProposalSection phase=WindowPhase::Closed/>
    }
}

/// `/proposals?phase=open&after=...`: every page of one phase.
#[component]
pub fn ProposalListPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    move || {
        let (phase, after) = query.with(|q| {
            let phase = match q.get("phase").as_deref() {
                Some("upcoming") => WindowPhase::Upcoming,
                Some("closed") => WindowPhase::Closed,
                _ => WindowPhase::Open,
            };
            (phase, q.get("after"))
        });
        view! {
            <Title text=locale.t(phase_title(phase))/>
            <nav class="phase-tabs" aria-label=locale.t(Msg::NavConsultations)>
                {[WindowPhase::Open, WindowPhase::Upcoming, WindowPhase::Closed]
                    .into_iter()
                    .map(|p| {
                        let current = (p == phase).then_some("page");
                        view! { <a href=format!("/proposals?phase={}", phase_param(p)) aria-current=current>{locale.phase(p)}</a> }
                    })
                    .collect_view()}
            </nav>
            {match after.clone() {
                Some(after) => view! { <ProposalSection phase after heading_level_1=true/> }.into_any(),
                None => view! { <ProposalSection phase heading_level_1=true/> }.into_any(),
            }}
            {after.map(|_| view! { <a class="pager" href=format!("/proposals?phase={}", phase_param(phase))>"← "{locale.t(Msg::FirstPage)}</a> })}
        }
    }
}
