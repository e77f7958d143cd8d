//! The home page — the state of the city's decisions: consultations open now (closing
//! soonest first), hearings coming up, what is blocked at a gate and why, the latest
//! penalty review outcomes, then what opens soon and what has closed — narrowed by
//! agency, policy domain, kind and state; and the full lists behind each section
//! (`/proposals`, `/blocked`), keyset-paginated.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::{gates::list_blocked, penalties::recent_outcomes, proposals::list_proposals},
    components::{
        errors::query_refusal,
        filters::{Chosen, FilterSelects},
        proposal_card::ProposalCard,
    },
    domain::{
        gate::GateSubject,
        proposal::{ProposalFilter, WindowPhase},
        rule::Errors,
        time::format_local,
    },
    error::AppError,
    i18n::{use_locale, Locale, Msg},
    model::BlockedItem,
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

/// Which sections the home page shows: every one, a phase, or what is blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Show {
    All,
    Phase(WindowPhase),
    Blocked,
}

impl Show {
    const CHOICES: [(&'static str, Msg); 4] = [
        ("open", Msg::HomeOpenTitle),
        ("upcoming", Msg::HomeUpcomingTitle),
        ("closed", Msg::HomeClosedTitle),
        ("blocked", Msg::BlockedTitle),
    ];

    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "" => Some(Show::All),
            "open" => Some(Show::Phase(WindowPhase::Open)),
            "upcoming" => Some(Show::Phase(WindowPhase::Upcoming)),
            "closed" => Some(Show::Phase(WindowPhase::Closed)),
            "blocked" => Some(Show::Blocked),
            _ => None,
        }
    }

    fn shows(self, phase: WindowPhase) -> bool {
        matches!(self, Show::All) || self == Show::Phase(phase)
    }
}

/// The filter as typed in the query string: kept as text (the server checks it and names
/// a bad value), and read for the links that keep it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Query {
    chosen: Chosen,
    state: String,
    after: String,
}

impl Query {
    fn read() -> Memo<Query> {
        let query = use_query_map();
        Memo::new(move |_| {
            query.with(|q| {
                let get = |name: &str| q.get(name).unwrap_or_default();
                Query {
                    chosen: Chosen { agency: get("agency"), domain: get("domain"), kind: get("kind") },
                    state: get("state"),
                    after: get("after"),
                }
            })
        })
    }

    /// The filter's query parameters (only the valid ones: a link never carries an
    /// error on).
    fn filter_query(&self) -> String {
        ProposalFilter::parse(&self.chosen.agency, &self.chosen.domain, &self.chosen.kind, &mut Errors::new()).query()
    }

    fn is_filtered(&self) -> bool {
        !(self.chosen == Chosen::default() && self.state.is_empty())
    }
}

/// `?a=b` + `&c=d` without empty parts.
fn href(path: &str, parts: &[&str]) -> String {
    let query: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A bad filter value: what is wrong, in the reader's words, as the page's answer.
fn refusal(locale: Locale, error: AppError) -> AnyView {
    query_refusal(locale, error, "filter-error")
}

/// A section's heading: the page's `h1` when the section is the page, else an `h2`.
fn heading(page: bool, id: String, text: &'static str) -> AnyView {
    if page {
        view! { <h1 id=id>{text}</h1> }.into_any()
    } else {
        view! { <h2 id=id>{text}</h2> }.into_any()
    }
}

/// One list of proposals in a phase, starting after `after`, with a link to the next page.
#[component]
fn ProposalSection(phase: WindowPhase, query: Query, #[prop(optional)] heading_level_1: bool) -> impl IntoView {
    let locale = use_locale();
    let filter_query = query.filter_query();
    let Query { chosen, after, .. } = query;
    let page =
        Resource::new(move || (after.clone(), chosen.clone()), move |(after, c)| list_proposals(phase, after, c.agency, c.domain, c.kind));
    let title = locale.t(phase_title(phase));
    let section_id = format!("phase-{}", phase_param(phase));
    view! {
        <section class="proposal-section" aria-labelledby=section_id.clone()>
            {heading(heading_level_1, section_id.clone(), title)}
            <Suspense fallback=|| ()>
                {move || {
                    let filter_query = filter_query.clone();
                    Suspend::new(async move {
                        match page.await {
                            Ok(page) if page.items.is_empty() => view! { <p class="empty">{locale.t(Msg::NoProposals)}</p> }.into_any(),
                            Ok(page) => {
                                let next = page.next.map(|cursor| {
                                    let phase = format!("phase={}", phase_param(phase));
                                    let after = format!("after={cursor}");
                                    view! {
                                        <a class="pager" href=href("/proposals", &[&phase, &filter_query, &after])>
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
                            Err(error) => refusal(locale, error),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn blocked_item(locale: Locale, b: BlockedItem) -> impl IntoView {
    let what = match b.subject {
        GateSubject::Proposal(_) => locale.t(Msg::BlockedProposal),
        GateSubject::Project(_) => locale.t(Msg::BlockedProject),
    };
    // both pages show the checklist under #gates
    let gates_href = format!("{}#gates", b.subject.path());
    view! {
        <li class="card blocked-item" data-testid="blocked-item">
            <p class="meta">
                <span class="tag">{what}</span>" "{b.agency.name(locale).to_owned()}" · "
                {locale.t(Msg::BlockedSince)}" "{format_local(b.since)}
            </p>
            <h3><a href=b.subject.path()>{b.title.clone()}</a></h3>
            <ul class="unmet-gates" aria-label=locale.t(Msg::BlockedWhy)>
                {b.unmet
                    .into_iter()
                    .map(|(gate, state)| view! {
                        <li><strong>{locale.gate(gate)}</strong>"："{locale.gate_need(gate, state)}</li>
                    })
                    .collect_view()}
            </ul>
            <a class="more" href=gates_href>{locale.t(Msg::BlockedChecklist)}" →"</a>
        </li>
    }
}

/// What may not go ahead, and why: on the home page the latest few, on `/blocked` a page.
#[component]
fn BlockedSection(query: Query, #[prop(optional)] full: bool) -> impl IntoView {
    let locale = use_locale();
    let filter_query = query.filter_query();
    let Query { chosen, after, .. } = query;
    let page =
        Resource::new(move || (after.clone(), chosen.clone()), move |(after, c)| list_blocked(after, c.agency, c.domain, c.kind, !full));
    view! {
        <section class="proposal-section blocked-section" aria-labelledby="blocked-title">
            {heading(full, "blocked-title".to_owned(), locale.t(Msg::BlockedTitle))}
            <p class="hint">{locale.t(Msg::BlockedHint)}</p>
            <Suspense fallback=|| ()>
                {move || {
                    let filter_query = filter_query.clone();
                    Suspend::new(async move {
                        match page.await {
                            Err(error) => refusal(locale, error),
                            Ok(page) if page.items.is_empty() && page.next.is_none() => {
                                view! { <p class="empty">{locale.t(Msg::BlockedNone)}</p> }.into_any()
                            }
                            Ok(page) => {
                                let more = match (full, page.next) {
                                    (true, Some(cursor)) => {
                                        let after = format!("after={cursor}");
                                        Some(view! {
                                            <a class="pager" href=href("/blocked", &[&filter_query, &after])>{locale.t(Msg::NextPage)}" →"</a>
                                        })
                                    }
                                    (false, Some(_)) => Some(view! {
                                        <a class="pager" href=href("/blocked", &[&filter_query])>{locale.t(Msg::BlockedAll)}" →"</a>
                                    }),
                                    (_, None) => None,
                                };
                                view! {
                                    <ul class="card-list blocked-list">
                                        {page.items.into_iter().map(|b| blocked_item(locale, b)).collect_view()}
                                    </ul>
                                    {more}
                                }
                                .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The latest penalty cases whose public review has ended.
#[component]
fn OutcomesSection(agency: String) -> impl IntoView {
    let locale = use_locale();
    let outcomes = Resource::new(move || agency.clone(), recent_outcomes);
    view! {
        <section class="proposal-section" aria-labelledby="home-outcomes">
            <h2 id="home-outcomes">{locale.t(Msg::HomeOutcomesTitle)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match outcomes.await {
                        Err(error) => refusal(locale, error),
                        Ok(list) if list.is_empty() => view! { <p class="empty">{locale.t(Msg::HomeOutcomesNone)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="card-list case-list">
                                {list.into_iter().map(|c| view! { <crate::pages::penalties::CaseCard c/> }).collect_view()}
                            </ul>
                            <a class="pager" href="/penalties">{locale.t(Msg::HomeOutcomesAll)}" →"</a>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The filter form: state, agency, domain, kind; a plain GET form, so it works without
/// JavaScript and every filtered view has its own address.
#[component]
fn HomeFilters(query: Query) -> impl IntoView {
    let locale = use_locale();
    let filtered = query.is_filtered();
    let state = query.state.clone();
    view! {
        <form method="get" action="/" class="home-filters" role="search" aria-label=locale.t(Msg::FilterTitle)>
            <label class="filter">
                <span>{locale.t(Msg::FilterState)}</span>
                <select name="state">
                    <option value="">{locale.t(Msg::FilterAll)}</option>
                    {Show::CHOICES
                        .iter()
                        .map(|(value, msg)| view! { <option value=*value selected=*value == state>{locale.t(*msg)}</option> })
                        .collect_view()}
                </select>
            </label>
            <FilterSelects chosen=query.chosen.clone()/>
            <div class="filter-actions">
                <button type="submit">{locale.t(Msg::FilterApply)}</button>
                {filtered.then(|| view! { <a href="/">{locale.t(Msg::FilterClear)}</a> })}
            </div>
        </form>
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = use_locale();
    let query = Query::read();
    move || {
        let q = query.get();
        let Some(show) = Show::parse(&q.state) else {
            // a state no link offers: say so (400), keep the form to choose again
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::BAD_REQUEST);
            }
            let error = AppError::field("state", crate::domain::Rule::UnknownChoice);
            return view! { <Title text=""/> <HomeFilters query=q/> {refusal(locale, error)} }.into_any();
        };
        let plain = q.chosen == Chosen::default();
        let outcomes = (show == Show::All && q.chosen.domain.is_empty() && q.chosen.kind.is_empty()).then(|| {
            let agency = q.chosen.agency.clone();
            view! { <OutcomesSection agency/> }
        });
        view! {
            <Title text=""/>
            <div class="intro">
                <p class="lead">{locale.t(Msg::Tagline)}</p>
            </div>
            <HomeFilters query=q.clone()/>
            {show.shows(WindowPhase::Open).then(|| view! { <ProposalSection phase=WindowPhase::Open query=q.clone()/> })}
            {(show == Show::All && plain).then(|| view! { <crate::pages::hearings::UpcomingHearings/> })}
            {matches!(show, Show::All | Show::Blocked).then(|| view! { <BlockedSection query=q.clone()/> })}
            {outcomes}
            {show.shows(WindowPhase::Upcoming).then(|| view! { <ProposalSection phase=WindowPhase::Upcoming query=q.clone()/> })}
            {show.shows(WindowPhase::Closed).then(|| view! { <ProposalSection phase=WindowPhase::Closed query=q.clone()/> })}
        }
        .into_any()
    }
}

/// `/proposals?phase=open&after=...&agency=...`: every page of one phase.
#[component]
pub fn ProposalListPage() -> impl IntoView {
    let locale = use_locale();
    let query = Query::read();
    let raw = use_query_map();
    move || {
        let q = query.get();
        let phase = match raw.with(|r| r.get("phase")).as_deref() {
            Some("upcoming") => WindowPhase::Upcoming,
            Some("closed") => WindowPhase::Closed,
            _ => WindowPhase::Open,
        };
        let filter_query = q.filter_query();
        let first = (!q.after.is_empty()).then(|| {
            let phase = format!("phase={}", phase_param(phase));
            view! { <a class="pager" href=href("/proposals", &[&phase, &filter_query])>"← "{locale.t(Msg::FirstPage)}</a> }
        });
        view! {
            <Title text=locale.t(phase_title(phase))/>
            <nav class="phase-tabs" aria-label=locale.t(Msg::NavConsultations)>
                {[WindowPhase::Open, WindowPhase::Upcoming, WindowPhase::Closed]
                    .into_iter()
                    .map(|p| {
                        let current = (p == phase).then_some("page");
                        let phase = format!("phase={}", phase_param(p));
                        view! { <a href=href("/proposals", &[&phase, &filter_query]) aria-current=current>{locale.phase(p)}</a> }
                    })
                    .collect_view()}
            </nav>
            <ProposalSection phase query=q heading_level_1=true/>
            {first}
        }
    }
}

/// `/blocked`: every proposal and project that may not go ahead, a page at a time.
#[component]
pub fn BlockedPage() -> impl IntoView {
    let locale = use_locale();
    let query = Query::read();
    move || {
        let q = query.get();
        view! {
            <Title text=locale.t(Msg::BlockedTitle)/>
            <form method="get" action="/blocked" class="home-filters" role="search" aria-label=locale.t(Msg::FilterTitle)>
                <FilterSelects chosen=q.chosen.clone()/>
                <div class="filter-actions">
                    <button type="submit">{locale.t(Msg::FilterApply)}</button>
                </div>
            </form>
            <BlockedSection query=q full=true/>
        }
    }
}
