//! `/admin/audit`: the audit log for administrators, filtered and paged.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::admin::audit_log,
    components::errors::{ErrorPanel, FieldError},
    domain::time::format_local,
    i18n::{use_locale, Msg},
};

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let get = move |key: &'static str| move || query.with(|q| q.get(key).unwrap_or_default());
    let filters = move || (get("entity")(), get("entity_id")(), get("actor_id")(), get("action")(), get("from")(), get("until")());
    let before = move || query.with(|q| q.get("before").and_then(|v| v.parse::<i64>().ok()));
    let entries = Resource::new(
        move || (filters(), before()),
        |((entity, entity_id, actor_id, action, from, until), before)| audit_log(entity, entity_id, actor_id, action, from, until, before),
    );
    let error = Signal::derive(move || entries.get().and_then(|r| r.err()));
    let field = move |name: &'static str, label: Msg, kind: &'static str| {
        view! {
            <div class="field">
                <label for=format!("audit-{name}")>{locale.t(label)}</label>
                <input id=format!("audit-{name}") name=name type=kind value=get(name)/>
                <FieldError error field=name/>
            </div>
        }
    };
    view! {
        <Title text=locale.t(Msg::AuditTitle)/>
        <h1>{locale.t(Msg::AuditTitle)}</h1>
        <p class="hint">{locale.t(Msg::AuditExplained)}</p>
        <form method="get" action="/admin/audit" class="form filters" role="search">
            <div class="field">
                <label for="audit-entity">{locale.t(Msg::AuditEntity)}</label>
                <select id="audit-entity" name="entity">
                    <option value="">{locale.t(Msg::AuditAny)}</option>
                    {crate::domain::audit::Subject::ENTITIES
                        .iter()
                        .map(|e| view! { <option value=*e selected=move || get("entity")() == *e>{*e}</option> })
                        .collect_view()}
                </select>
            </div>
            {field("entity_id", Msg::AuditEntityId, "number")}
            {field("actor_id", Msg::AuditActor, "number")}
            {field("action", Msg::AuditAction, "text")}
            {field("from", Msg::AuditFrom, "date")}
            {field("until", Msg::AuditUntil, "date")}
            <button type="submit">{locale.t(Msg::AdminSearchSubmit)}</button>
        </form>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match entries.await {
                    Err(crate::error::AppError::Invalid(_)) => ().into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(page) if page.items.is_empty() => view! { <p class="empty">{locale.t(Msg::AuditEmpty)}</p> }.into_any(),
                    Ok(page) => {
                        let next = page.next.map(|before| {
                            let mut href = String::from("/admin/audit?");
                            query.with_untracked(|q| {
                                for key in ["entity", "entity_id", "actor_id", "action", "from", "until"] {
                                    if let Some(v) = q.get(key).filter(|v| !v.is_empty()) {
                                        href.push_str(&format!("{key}={}&", crate::components::url_encode(&v)));
                                    }
                                }
                            });
                            href.push_str(&format!("before={before}"));
                            view! { <a class="pager" href=href>{locale.t(Msg::NextPage)}" →"</a> }
                        });
                        view! {
                            <div class="table-scroll" tabindex="0" role="region" aria-label=locale.t(Msg::AuditTitle)>
                                <table class="audit">
                                    <thead>
                                        <tr>
                                            <th scope="col">"#"</th>
                                            <th scope="col">{locale.t(Msg::AuditWhen)}</th>
                                            <th scope="col">{locale.t(Msg::AuditActor)}</th>
                                            <th scope="col">{locale.t(Msg::AuditEntity)}</th>
                                            <th scope="col">{locale.t(Msg::AuditAction)}</th>
                                            <th scope="col">{locale.t(Msg::AuditDetail)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.items.into_iter().map(|e| view! {
                                            <tr>
                                                <td>{e.id}</td>
                                                <td><time>{format_local(e.at)}</time></td>
                                                <td>{e.actor_id.map(|a| a.to_string()).unwrap_or_else(|| "—".into())}</td>
                                                <td>{format!("{} {} #{}", e.entity, e.entity_id, e.seq.unwrap_or(0))}</td>
                                                <td>{e.action}</td>
                                                <td>
                                                    <code class="detail">{e.detail}</code>
                                                    <br/>
                                                    <small class="hash" title=e.hash.clone().unwrap_or_default()>
                                                        {e.hash.as_deref().map(|h| format!("SHA-256 {}…", &h[..12.min(h.len())])).unwrap_or_default()}
                                                    </small>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {next}
                        }
                        .into_any()
                    }
                }
            })}
        </Transition>
    }
}
