//! The admin's working-day calendar (public holidays, adjusted working days) and the
//! number of independent approvals an assessment needs per kind.

use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::gates::{approval_policy, calendar_year, SetApprovals, SetCalendarDay},
    components::errors::{action_error, invalid, ErrorPanel, FieldError, FormError},
    domain::{calendar::DayKind, project::ProjectKind, proposal::ProposalKind},
    i18n::{use_locale, Msg},
};

#[component]
pub fn CalendarPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let set_day = ServerAction::<SetCalendarDay>::new();
    let set_policy = ServerAction::<SetApprovals>::new();
    // none asked for: the server shows this year, by its clock
    let year = move || query.with(|q| q.get("year").and_then(|y| y.parse::<i32>().ok()));
    let days = Resource::new(move || (year(), set_day.version().get()), |(year, _)| calendar_year(year));
    let policy = Resource::new(move || set_policy.version().get(), |_| approval_policy());
    let day_error = action_error(set_day);
    let policy_error = action_error(set_policy);
    view! {
        <Title text=locale.t(Msg::CalendarTitle)/>
        <h1>{locale.t(Msg::CalendarTitle)}</h1>
        <p class="lead">{locale.t(Msg::CalendarLead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let pager = |year: i32| view! {
                    <nav class="pager">
                        <a href=format!("/admin/calendar?year={}", year - 1)>{(year - 1).to_string()}</a>
                        " · "<strong>{year.to_string()}</strong>" · "
                        <a href=format!("/admin/calendar?year={}", year + 1)>{(year + 1).to_string()}</a>
                    </nav>
                };
                match days.await {
                    Ok((year, days)) if days.is_empty() => view! { {pager(year)}<p class="empty">{locale.t(Msg::CalendarEmpty)}</p> }.into_any(),
                    Ok((year, days)) => view! {
                        {pager(year)}
                        <ul class="calendar-days">
                            {days.into_iter().map(|d| view! {
                                <li><time datetime=d.day.to_string()>{d.day.format("%Y-%m-%d · %a").to_string()}</time>" "
                                    <span class=format!("tag day-{}", d.kind.as_str())>{locale.day_kind(d.kind)}</span>" "{d.name.clone()}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="panel">
            <h2>{locale.t(Msg::CalendarSetTitle)}</h2>
            <ActionForm action=set_day attr:class="form" attr:novalidate="">
                <FormError error=day_error/>
                <label for="cal-day">{locale.t(Msg::CalendarDay)}</label>
                <input id="cal-day" name="day" type="date" aria-invalid=invalid(day_error, "day")/>
                <FieldError error=day_error field="day"/>
                <label for="cal-kind">{locale.t(Msg::FieldKind)}</label>
                <select id="cal-kind" name="kind">
                    {DayKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{locale.day_kind(*k)}</option> }).collect_view()}
                    <option value="clear">{locale.t(Msg::CalendarClear)}</option>
                </select>
                <FieldError error=day_error field="kind"/>
                <label for="cal-name">{locale.t(Msg::CalendarName)}</label>
                <input id="cal-name" name="name" type="text" maxlength="100" aria-invalid=invalid(day_error, "name")/>
                <FieldError error=day_error field="name"/>
                <button type="submit">{locale.t(Msg::CalendarSave)}</button>
            </ActionForm>
        </section>
        <section class="panel">
            <h2>{locale.t(Msg::PolicyTitle)}</h2>
            <p>{locale.t(Msg::PolicyLead)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    policy.await.ok().map(|rows| view! {
                        <ul>{rows.into_iter().map(|(kind, n)| view! { <li>{kind}": "{n.to_string()}</li> }).collect_view()}</ul>
                    })
                })}
            </Suspense>
            <ActionForm action=set_policy attr:class="form" attr:novalidate="">
                <FormError error=policy_error/>
                <label for="policy-kind">{locale.t(Msg::FieldKind)}</label>
                <select id="policy-kind" name="kind">
                    {ProposalKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{locale.kind(*k)}</option> }).collect_view()}
                    {ProjectKind::ALL.iter().filter(|k| ProposalKind::parse(k.as_str()).is_err())
                        .map(|k| view! { <option value=k.as_str()>{locale.project_kind(*k)}</option> }).collect_view()}
                </select>
                <label for="policy-n">{locale.t(Msg::PolicyApprovals)}</label>
                <select id="policy-n" name="approvals"><option value="1">"1"</option><option value="2">"2"</option></select>
                <FieldError error=policy_error field="approvals"/>
                <button type="submit">{locale.t(Msg::CalendarSave)}</button>
            </ActionForm>
        </section>
    }
}
