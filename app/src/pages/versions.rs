//! Older versions of a text, what changed between versions, and revising a text.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::proposals::{current_body, get_version, version_diff, PublishVersion},
    components::errors::{action_error, invalid, ErrorPanel, FieldError, FormError},
    domain::{diff::ClauseChange, text::ProposalBody},
    i18n::{use_locale, Msg},
};

fn ids() -> impl Fn() -> (i64, u32) + Copy {
    let params = use_params_map();
    move || params.with(|p| (p.get("id").and_then(|v| v.parse().ok()).unwrap_or(0), p.get("n").and_then(|v| v.parse().ok()).unwrap_or(0)))
}

/// `/proposals/:id/versions/:n`: the text as it was; comments made on it point here.
#[component]
pub fn VersionPage() -> impl IntoView {
    let locale = use_locale();
    let ids = ids();
    let version = Resource::new(ids, |(id, n)| get_version(id, n));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match version.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(v) => {
                        let id = v.proposal_id;
                        view! {
                            <Title text=format!("{} · {}", v.title, locale.fmt(Msg::VersionN, &[("n", &v.number)]))/>
                            <p><a href=format!("/proposals/{id}")>"← "{locale.t(Msg::BackToProposal)}</a></p>
                            <h1>{v.title.clone()}</h1>
                            <p class="version-banner">
                                {locale.fmt(Msg::VersionOf, &[("n", &v.number), ("current", &v.current)])}
                                {(v.number > 1).then(|| view! { " · "<a href=format!("/proposals/{id}/versions/{}/diff", v.number)>{locale.t(Msg::ShowChanges)}</a> })}
                            </p>
                            <section class="proposal-text proposal">
                                {v.clauses.into_iter().map(|c| view! {
                                    {c.heading_html.clone().map(|h| view! { <div class="clause-heading" inner_html=h></div> })}
                                    <section class="clause" id=format!("clause-{}", c.number)>
                                        <span class="clause-number">{c.number}</span>
                                        <div class="clause-text" inner_html=c.html.clone()></div>
                                    </section>
                                }).collect_view()}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/proposals/:id/versions/:n/diff`: clause by clause, version n-1 against n.
#[component]
pub fn DiffPage() -> impl IntoView {
    let locale = use_locale();
    let ids = ids();
    let diff = Resource::new(ids, |(id, n)| version_diff(id, n));
    view! {
        <Title text=locale.t(Msg::ShowChanges)/>
        <p><a href=move || format!("/proposals/{}", ids().0)>"← "{locale.t(Msg::BackToProposal)}</a></p>
        <h1>{move || locale.fmt(Msg::ChangesTitle, &[("old", &(ids().1.saturating_sub(1))), ("new", &ids().1)])}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match diff.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(rows) => view! {
                        <ol class="diff">
                            {rows.into_iter().map(|row| {
                                let (class, label) = match row.change {
                                    ClauseChange::Unchanged { new, .. } => ("unchanged", locale.fmt(Msg::DiffUnchanged, &[("n", &new)])),
                                    ClauseChange::Changed { old, new } => ("changed", locale.fmt(Msg::DiffChanged, &[("old", &old), ("new", &new)])),
                                    ClauseChange::Added { new } => ("added", locale.fmt(Msg::DiffAdded, &[("n", &new)])),
                                    ClauseChange::Removed { old } => ("removed", locale.fmt(Msg::DiffRemoved, &[("n", &old)])),
                                };
                                view! {
                                    <li class=format!("diff-row diff-{class}")>
                                        <p class="diff-label">{label}</p>
                                        <div class="diff-pair">
                                            {row.old_html.filter(|_| class != "unchanged").map(|h| view! { <del class="diff-old" inner_html=h></del> })}
                                            {row.new_html.map(|h| view! { <ins class="diff-new" inner_html=h></ins> })}
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/proposals/:id/revise`: the agency's official publishes a new version.
#[component]
pub fn RevisePage() -> impl IntoView {
    let locale = use_locale();
    let ids = ids();
    let body = Resource::new(ids, |(id, _)| current_body(id));
    let action = ServerAction::<PublishVersion>::new();
    let error = action_error(action);
    view! {
        <Title text=locale.t(Msg::ReviseTitle)/>
        <h1>{locale.t(Msg::ReviseTitle)}</h1>
        <p class="hint">{locale.t(Msg::ReviseHint)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match body.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(text) => view! {
                        <ActionForm action attr:class="form" attr:novalidate="">
                            <FormError error/>
                            <input type="hidden" name="proposal_id" value=ids().0.to_string()/>
                            <label for="body">{locale.t(Msg::FieldBody)}</label>
                            <textarea id="body" name="body" rows="18" maxlength=ProposalBody::MAX.to_string()
                                aria-invalid=invalid(error, "body") aria-describedby="body-error">{text}</textarea>
                            <FieldError error field="body"/>
                            <fieldset class="new-window">
                                <legend>{locale.t(Msg::NewWindowLegend)}</legend>
                                <p class="hint">{locale.t(Msg::NewWindowHint)}</p>
                                <label for="opens_at">{locale.t(Msg::FieldOpensAt)}</label>
                                <input id="opens_at" name="opens_at" type="datetime-local"
                                    aria-invalid=invalid(error, "opens_at") aria-describedby="opens_at-error"/>
                                <FieldError error field="opens_at"/>
                                <label for="closes_at">{locale.t(Msg::FieldClosesAt)}</label>
                                <input id="closes_at" name="closes_at" type="datetime-local"
                                    aria-invalid=invalid(error, "closes_at") aria-describedby="closes_at-error"/>
                                <FieldError error field="closes_at"/>
                                <label for="short_reason">{locale.t(Msg::FieldShortReason)}</label>
                                <input id="short_reason" name="short_reason" type="text" maxlength="1000"/>
                                <FieldError error field="short_reason"/>
                            </fieldset>
                            <button type="submit">{locale.t(Msg::PublishVersion)}</button>
                        </ActionForm>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
