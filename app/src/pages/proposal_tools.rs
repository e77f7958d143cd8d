//! On a proposal's page, for the officials of its agency: extend the window, record
//! other consultation methods. And, for everyone, the record of both.

use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::{
        proposals::{ExtendWindow, RecordEvent, WithdrawProposal},
        types::ProposalDetail,
    },
    app::Session,
    components::errors::{action_error, invalid, FieldError, FormError},
    domain::{
        proposal::{EventKind, WindowPhase},
        time::{format_local, to_input_value},
    },
    i18n::{use_locale, Locale, Msg},
};

pub fn event_kind(locale: Locale, kind: EventKind) -> &'static str {
    locale.t(match kind {
        EventKind::Forum => Msg::EventForum,
        EventKind::ExpertArgumentation => Msg::EventExpert,
        EventKind::Questionnaire => Msg::EventQuestionnaire,
        EventKind::PublicNotice => Msg::EventNotice,
    })
}

/// Extensions of the window, each with its public reason.
#[component]
pub fn Extensions(detail: ProposalDetail) -> impl IntoView {
    let locale = use_locale();
    detail
        .extensions
        .into_iter()
        .map(|e| {
            view! {
                <p class="extension">
                    {locale.fmt(Msg::Extended, &[("old", &format_local(e.old_closes_at)), ("new", &format_local(e.new_closes_at)), ("reason", &e.reason)])}
                </p>
            }
        })
        .collect_view()
}

#[component]
pub fn Events(detail: ProposalDetail) -> impl IntoView {
    let locale = use_locale();
    (!detail.events.is_empty()).then(|| {
        view! {
            <section class="events" aria-labelledby="events-title">
                <h2 id="events-title">{locale.t(Msg::EventsTitle)}</h2>
                <ul class="event-list">
                    {detail.events.into_iter().map(|e| view! {
                        <li class="card">
                            <p class="meta">{event_kind(locale, e.kind)}" · "{format_local(e.held_at)}</p>
                            <h3>{e.title.clone()}</h3>
                            <div class="minutes" inner_html=e.minutes_html.clone()></div>
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The forms, shown only to the officials of the proposal's agency.
#[component]
pub fn OfficialTools(detail: ProposalDetail, extend: ServerAction<ExtendWindow>, record: ServerAction<RecordEvent>) -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let agency = detail.summary.agency.id;
    let id = detail.summary.id.to_string();
    let closes = to_input_value(detail.summary.window.closes_at);
    let open = detail.summary.phase != WindowPhase::Closed;
    let extend_error = action_error(extend);
    let record_error = action_error(record);
    let withdraw = ServerAction::<WithdrawProposal>::new();
    let withdraw_error = action_error(withdraw);
    let may_withdraw = !matches!(
        detail.summary.status,
        crate::domain::lifecycle::ProposalStatus::Adopted | crate::domain::lifecycle::ProposalStatus::Withdrawn
    );
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (id, closes) = (id.clone(), closes.clone());
                Suspend::new(async move {
                let may = session.viewer.await.ok().flatten().map(|v| v.may_publish_for(agency)).unwrap_or(false);
                let id_for_extend = id.clone();
                let id_for_withdraw = id.clone();
                may.then(|| view! {
                    <section class="official-tools panel">
                        {open.then(move || view! {
                            <details>
                                <summary>{locale.t(Msg::ExtendTitle)}</summary>
                                <ActionForm action=extend attr:class="form" attr:novalidate="">
                                    <FormError error=extend_error/>
                                    <input type="hidden" name="proposal_id" value=id_for_extend/>
                                    <label for="extend-closes">{locale.t(Msg::FieldClosesAt)}</label>
                                    <input id="extend-closes" name="closes_at" type="datetime-local" value=closes.clone()
                                        aria-invalid=invalid(extend_error, "closes_at")/>
                                    <FieldError error=extend_error field="closes_at"/>
                                    <label for="extend-reason">{locale.t(Msg::ExtendReason)}</label>
                                    <input id="extend-reason" name="reason" type="text" maxlength="1000"/>
                                    <FieldError error=extend_error field="reason"/>
                                    <button type="submit">{locale.t(Msg::ExtendSubmit)}</button>
                                </ActionForm>
                            </details>
                        })}
                        <details>
                            <summary>{locale.t(Msg::EventsTitle)}</summary>
                            <ActionForm action=record attr:class="form" attr:novalidate="">
                                <FormError error=record_error/>
                                <input type="hidden" name="proposal_id" value=id.clone()/>
                                <label for="event-kind">{locale.t(Msg::EventKind)}</label>
                                <select id="event-kind" name="kind">
                                    {EventKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{event_kind(locale, *k)}</option> }).collect_view()}
                                </select>
                                <label for="event-held">{locale.t(Msg::EventHeldAt)}</label>
                                <input id="event-held" name="held_at" type="datetime-local"/>
                                <FieldError error=record_error field="held_at"/>
                                <label for="event-title">{locale.t(Msg::EventTitleField)}</label>
                                <input id="event-title" name="title" type="text"/>
                                <FieldError error=record_error field="title"/>
                                <label for="event-minutes">{locale.t(Msg::EventMinutes)}</label>
                                <textarea id="event-minutes" name="minutes" rows="5"></textarea>
                                <FieldError error=record_error field="minutes"/>
                                <button type="submit">{locale.t(Msg::EventSubmit)}</button>
                            </ActionForm>
                        </details>
                        {may_withdraw.then(move || view! {
                            <details>
                                <summary>{locale.t(Msg::WithdrawTitle)}</summary>
                                <ActionForm action=withdraw attr:class="form" attr:novalidate="">
                                    <FormError error=withdraw_error/>
                                    <input type="hidden" name="proposal_id" value=id_for_withdraw/>
                                    <label for="withdraw-reason">{locale.t(Msg::WithdrawReason)}</label>
                                    <input id="withdraw-reason" name="reason" type="text" maxlength="1000"/>
                                    <FieldError error=withdraw_error field="reason"/>
                                    <button type="submit" class="danger">{locale.t(Msg::WithdrawButton)}</button>
                                </ActionForm>
                            </details>
                        })}
                    </section>
                })
            })}}
        </Suspense>
    }
}
