//! Moderators: reported comments first, then the newest; hiding needs a public reason.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;

use crate::{
    api::{
        comments::{moderation_queue, my_notices, HideComment},
        types::CommentView,
    },
    components::errors::{ErrorPanel, FieldError, FormError},
    domain::time::format_local,
    i18n::{use_locale, Msg},
    pages::proposal::CommentItem,
};

#[component]
pub fn ModerationPage() -> impl IntoView {
    let locale = use_locale();
    let hide = ServerAction::<HideComment>::new();
    let queue = Resource::new(move || hide.version().get(), |_| moderation_queue());
    let error = Signal::derive(move || hide.value().get().and_then(|r| r.err()));
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
                            {if reported.is_empty() { Some(view! { <p class="empty">{locale.t(Msg::NoComments)}</p> }) } else { None }}
                            {list(reported)}
                        </section>
                        <section aria-labelledby="recent-title">
                            <h2 id="recent-title">{locale.t(Msg::ModerationRecent)}</h2>
                            {list(recent)}
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
    let notices = Resource::new(|| (), |_| my_notices());
    view! {
        <Title text=locale.t(Msg::NoticesTitle)/>
        <h1>{locale.t(Msg::NoticesTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match notices.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="empty">{locale.t(Msg::NoNotices)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="notices">
                            {items.into_iter().map(|n| view! {
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
