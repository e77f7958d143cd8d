//! `/search?q=…`: proposals, clauses and published comments, with the matches marked.
//! A plain GET form, so it works without JavaScript; every link is a page of its own.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::search::{search, SearchHit, SearchKind},
    components::{
        errors::query_refusal,
        filters::{Chosen, FilterSelects},
        layout::urlencode,
    },
    domain::{search::Piece, time::format_local},
    i18n::{use_locale, Locale, Msg},
};

fn kind_title(kind: SearchKind) -> Msg {
    match kind {
        SearchKind::Proposals => Msg::SearchProposals,
        SearchKind::Clauses => Msg::SearchClauses,
        SearchKind::Comments => Msg::SearchComments,
    }
}

/// The snippet's text with every match in `<mark>`; all of it text, escaped by the view.
fn pieces(snippet: Vec<Piece>) -> impl IntoView {
    snippet
        .into_iter()
        .map(|p| if p.hit { view! { <mark>{p.text}</mark> }.into_any() } else { view! { <span>{p.text}</span> }.into_any() })
        .collect_view()
}

fn hit_view(locale: Locale, kind: SearchKind, hit: SearchHit) -> impl IntoView {
    let href = hit.href(kind);
    let when = format_local(hit.at);
    let datetime = hit.at.to_rfc3339();
    match kind {
        SearchKind::Proposals => view! {
            <li class="search-hit">
                <a href=href class="hit-title">{pieces(hit.snippet)}</a>
                <p class="meta"><time datetime=datetime>{when}</time></p>
            </li>
        }
        .into_any(),
        SearchKind::Clauses => view! {
            <li class="search-hit">
                <a href=href class="hit-title">{hit.title}" · "{locale.fmt(Msg::ClauseN, &[("n", &hit.item)])}</a>
                <p class="snippet">{pieces(hit.snippet)}</p>
            </li>
        }
        .into_any(),
        SearchKind::Comments => view! {
            <li class="search-hit">
                <a href=href class="hit-title">{hit.title}</a>
                <p class="snippet">{pieces(hit.snippet)}</p>
                <p class="meta"><time datetime=datetime>{when}</time></p>
            </li>
        }
        .into_any(),
    }
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let param = move |name: &str| query.with(|q| q.get(name)).unwrap_or_default();
    let results = Resource::new(
        move || (param("q"), param("kind"), param("agency"), param("domain"), param("proposal_kind"), param("after")),
        |(q, kind, agency, domain, proposal_kind, after)| async move {
            if [&q, &kind, &agency, &domain, &proposal_kind, &after].iter().all(|p| p.trim().is_empty()) {
                return Ok(None);
            }
            search(q, kind, agency, domain, proposal_kind, after).await.map(Some)
        },
    );
    view! {
        <Title text=locale.t(Msg::SearchTitle)/>
        <div class="search-page">
            <h1>{locale.t(Msg::SearchTitle)}</h1>
            <form method="get" action="/search" class="form search-form" role="search">
                <label for="q">{locale.t(Msg::SearchLabel)}</label>
                <div class="search-row">
                    <input id="q" name="q" type="search" maxlength="100" prop:value=move || param("q")
                        aria-describedby="q-hint q-error"/>
                    <button type="submit">{locale.t(Msg::SearchSubmit)}</button>
                </div>
                <p class="hint" id="q-hint">{locale.t(Msg::SearchHint)}</p>
                <div class="search-filters">
                    {move || {
                        let chosen = Chosen { agency: param("agency"), domain: param("domain"), kind: param("proposal_kind") };
                        view! { <FilterSelects chosen kind_name="proposal_kind"/> }.into_any()
                    }}
                </div>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(None) => ().into_any(),
                        Err(error) => query_refusal(locale, error, "q-error"),
                        Ok(Some(found)) if found.sections.iter().all(|(_, page)| page.items.is_empty()) => view! {
                            <p class="empty" data-testid="search-nothing">{locale.t(Msg::SearchNothing)}</p>
                        }.into_any(),
                        Ok(Some(found)) => {
                            let one_kind = found.sections.len() == 1;
                            let base = format!(
                                "/search?q={}&agency={}&domain={}&proposal_kind={}",
                                urlencode(&found.query), urlencode(&param("agency")), urlencode(&param("domain")),
                                urlencode(&param("proposal_kind"))
                            );
                            found.sections.into_iter().filter(|(_, page)| !page.items.is_empty()).map(|(kind, page)| {
                                let more = page.next.map(|cursor| if one_kind {
                                    format!("{base}&kind={}&after={}", kind.as_str(), urlencode(&cursor))
                                } else {
                                    format!("{base}&kind={}", kind.as_str())
                                });
                                let id = format!("results-{}", kind.as_str());
                                let labelled_by = id.clone();
                                view! {
                                    <section class="search-results" aria-labelledby=labelled_by data-kind=kind.as_str()>
                                        <h2 id=id>{locale.t(kind_title(kind))}</h2>
                                        <ol class="search-hits">
                                            {page.items.into_iter().map(|hit| hit_view(locale, kind, hit)).collect_view()}
                                        </ol>
                                        {more.map(|href| view! { <a class="pager" href=href>{locale.t(Msg::SearchMore)}" →"</a> })}
                                    </section>
                                }
                            }).collect_view().into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}
