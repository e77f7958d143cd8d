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

/// The comments at a glance: how they divide by stance, and a strip over the clauses
/// shaded by how many comments each drew, the three most commented named with links.
/// Drawn from the tallies the store keeps with every comment (hidden ones not counted).
#[component]
pub fn CommentPictures(detail: ProposalDetail) -> impl IntoView {
    use crate::{
        components::chart::{share, Bar, BarChart, Strip},
        domain::tally::{by_clause, by_stance, heat, percentages},
    };
    let locale = use_locale();
    let stances = by_stance(&detail.tallies);
    let total: i64 = stances.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return ().into_any();
    }
    let percent = percentages(&stances.map(|(_, n)| n));
    // each stance in words: the bar's tooltip and, all together, the caption
    let in_words: Vec<String> = stances
        .iter()
        .zip(&percent)
        .map(|((stance, n), pct)| locale.fmt(Msg::StanceShare, &[("stance", &locale.stance(*stance)), ("n", n), ("pct", pct)]))
        .collect();
    let bars: Vec<Bar> = stances
        .iter()
        .zip(&percent)
        .zip(&in_words)
        .map(|(((stance, n), pct), words)| Bar {
            label: locale.stance(*stance).to_owned(),
            parts: vec![(share(*n, total), stance_class(*stance))],
            value: format!("{pct}%"),
            summary: words.clone(),
            mark: None,
        })
        .collect();
    let clauses = by_clause(&detail.tallies, detail.clauses.len() as u32);
    let most = clauses.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let cells: Vec<(u8, String)> =
        clauses.iter().map(|(number, n)| (heat(*n, most), locale.fmt(Msg::ClauseComments, &[("clause", number), ("n", n)]))).collect();
    let mut top: Vec<(u32, i64)> = clauses.iter().copied().filter(|(_, n)| *n > 0).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(3);
    let strip = (!clauses.is_empty() && most > 0).then(|| {
        view! {
            <h3>{locale.t(Msg::ClauseStripTitle)}</h3>
            <Strip cells caption_id="clause-strip-caption">
                {locale.t(Msg::ClauseStripMost)}
                {top.into_iter()
                    .enumerate()
                    .map(|(i, (number, n))| view! {
                        {(i > 0).then_some("、")}
                        <a href=format!("#clause-{number}")>{locale.fmt(Msg::ClauseComments, &[("clause", &number), ("n", &n)])}</a>
                    })
                    .collect_view()}
            </Strip>
        }
    });
    view! {
        <section class="panel comment-pictures" aria-labelledby="pictures-title" data-testid="comment-pictures">
            <h2 id="pictures-title">{locale.t(Msg::PicturesTitle)}</h2>
            <BarChart bars caption_id="stance-caption" class="stance-chart">
                {locale.fmt(Msg::StanceCaption, &[("n", &total)])}{in_words.join("；")}
            </BarChart>
            {strip}
        </section>
    }
    .into_any()
}

fn stance_class(stance: crate::domain::comment::Stance) -> &'static str {
    match stance {
        crate::domain::comment::Stance::Support => "bar-support",
        crate::domain::comment::Stance::Oppose => "bar-oppose",
        crate::domain::comment::Stance::Suggestion => "bar-suggestion",
    }
}
