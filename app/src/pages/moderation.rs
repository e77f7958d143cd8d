//! Moderators: reported comments first, then the newest; hiding needs a public reason.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::{
    api::{
        comments::{moderation_queue, my_notices, HideComment},
        types::CommentView,
    },
    components::comment_item::CommentItem,
    components::errors::{action_error, ErrorPanel, FieldError, FormError},
    domain::time::format_local,
    i18n::{use_locale, Msg},
};

#[component]
pub fn ModerationPage() -> impl IntoView {
    let locale = use_locale();
    let hide = ServerAction::<HideComment>::new();
    let query = leptos_router::hooks::use_query_map();
    let cursors = move || query.with(|q| (q.get("reported_after"), q.get("recent_before").and_then(|v| v.parse::<i64>().ok())));
    let queue = Resource::new(move || (hide.version().get(), cursors()), |(_, (reported, recent))| moderation_queue(reported, recent));
    let error = action_error(hide);
    let list = move |items: Vec<CommentView>| {
        items
            .into_iter()
            .map(|c| {
                let id = c.id.to_string();
                let reports = c.report_count;
                view! {
                    <div class="moderation-item">
                        {(reports > 0).then(|| view! { <p class="reports">{locale.fmt(Msg::ModerationReports, &[("n", &reports)])}</p> })}
                        <ol class="comment-list"><CommentItem comment=c locale signed_in=false/></ol>
                        <ActionForm action=hide attr:class="inline-form hide-form">
                            <input type="hidden" name="comment_id" value=id.clone()/>
                            <label for=format!("hide-{id}")>{locale.t(Msg::HideReason)}</label>
                            <input type="text" id=format!("hide-{id}") name="reason" maxlength="1000" required/>
                            <button type="submit" class="small">{locale.t(Msg::HideButton)}</button>
                        </ActionForm>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <Title text=locale.t(Msg::ModerationTitle)/>
        <h1>{locale.t(Msg::ModerationTitle)}</h1>
        <FormError error/>
        <FieldError error field="reason"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match queue.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok((reported, recent)) => view! {
                        <section aria-labelledby="reported-title">
                            <h2 id="reported-title">{locale.t(Msg::ModerationReported)}</h2>
                            {if reported.items.is_empty() { Some(view! { <p class="empty">{locale.t(Msg::NoComments)}</p> }) } else { None }}
                            {list(reported.items)}
                            {reported.next.map(|after| view! {
                                <a class="pager" href=format!("/moderation?reported_after={after}")>{locale.t(Msg::NextPage)}" →"</a>
                            })}
                        </section>
                        <section aria-labelledby="recent-title">
                            <h2 id="recent-title">{locale.t(Msg::ModerationRecent)}</h2>
                            {list(recent.items)}
                            {recent.next.map(|before| view! {
                                <a class="pager" href=format!("/moderation?recent_before={before}")>{locale.t(Msg::NextPage)}" →"</a>
                            })}
                        </section>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn NoticesPage() -> impl IntoView {
    let locale = use_locale();
    let query = leptos_router::hooks::use_query_map();
    let before = move || query.with(|q| q.get("before").and_then(|v| v.parse::<i64>().ok()));
    let notices = Resource::new(before, my_notices);
    view! {
        <Title text=locale.t(Msg::NoticesTitle)/>
        <h1>{locale.t(Msg::NoticesTitle)}</h1>
        <HearingNotices/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match notices.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{locale.t(Msg::NoNotices)}</p> }.into_any(),
                    Ok(page) => view! {
                        {page.next.map(|before| view! {
                            <a class="pager" href=format!("/notices?before={before}")>{locale.t(Msg::NextPage)}" →"</a>
                        })}
                        <ul class="notices">
                            {page.items.into_iter().map(|n| view! {
                                <li class="card">
                                    <time>{format_local(n.at)}</time>
                                    <p>{locale.fmt(Msg::NoticeHidden, &[("title", &n.title), ("reason", &n.reason)])}</p>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

/// What happened to the reader's hearing applications: drawn, moved up, materials, record, report.
#[component]
fn HearingNotices() -> impl IntoView {
    use crate::api::hearings::{hearing_notices, MarkNoticesRead};
    let locale = use_locale();
    let read = ServerAction::<MarkNoticesRead>::new();
    let notices = Resource::new(move || read.version().get(), |_| hearing_notices());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match notices.await {
                    Ok((list, unread)) if !list.is_empty() => view! {
                        <section aria-labelledby="hearing-notices-title">
                            <h2 id="hearing-notices-title">{locale.t(Msg::NoticesHearings)}</h2>
                            {(unread > 0).then(|| view! {
                                <leptos::form::ActionForm action=read attr:class="inline">
                                    <button type="submit" class="link-button">{locale.t(Msg::NoticesMarkRead)}</button>
                                </leptos::form::ActionForm>
                            })}
                            <ul class="notices" data-testid="hearing-notices">
                                {list.into_iter().map(|n| view! {
                                    <li class="card" class:unread=!n.read>
                                        <time>{format_local(n.at)}</time>
                                        <p>
                                            <a href=format!("/hearings/{}", n.hearing_id)>{locale.fmt(Msg::HearingOn, &[("title", &n.proposal_title)])}</a>
                                            "：" {locale.notice(n.kind)}
                                        </p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
