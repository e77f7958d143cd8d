//! Hearings: the public calendar, each hearing's page (what citizens, organizers and
//! officers can do there), the organizer's list of applicants, the published draw, and
//! the hearings section of a proposal's page.

use chrono::{Datelike, Duration, NaiveDate};
use leptos::{form::ActionForm, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::hearings::{
        get_draw, get_hearing, list_applicants, list_hearings, proposal_hearings, AnswerRecord, ApplyHearing, CancelHearing, DeclineSeat,
        ExtendCall, MarkAttendance, PostponeHearing, PublishCall, PublishLists, PublishReport, RunDraw, ScheduleHearing, SendMaterials,
        SetAgenda, SetSpeaker, WriteRecord,
    },
    app::Session,
    components::{
        errors::{action_error, invalid, ErrorPanel, FieldError, FormError},
        layout::{current_path, urlencode},
    },
    domain::{
        draw::consumer_quota,
        hearing::{ApplicationState, Confirmation, Constituency, HearingStatus, MAX_OFFICERS, MIN_OFFICERS},
        role::Role,
        text::Statement,
        time::{format_local, local_day, to_input_value},
    },
    error::AppError,
    i18n::{use_locale, Locale, Msg},
    model::{HearingDetail, HearingSummary},
    pages::gates::{Upload, UploadError},
};

fn status_tag(locale: Locale, status: HearingStatus) -> impl IntoView {
    view! { <span class=format!("tag hearing-{}", status.as_str())>{locale.hearing_status(status)}</span> }
}

fn month_label(locale: Locale, year: i32, month: u32) -> String {
    match locale {
        Locale::ZhCn => format!("{year} 年 {month} 月"),
        Locale::En => NaiveDate::from_ymd_opt(year, month, 1).map(|d| d.format("%B %Y").to_string()).unwrap_or_default(),
    }
}

fn month_param(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// One hearing as a card of the list.
#[component]
fn HearingCard(h: HearingSummary) -> impl IntoView {
    let locale = use_locale();
    view! {
        <li class="card hearing-card">
            <p class="meta">{status_tag(locale, h.status)}" "<time>{format_local(h.starts_at)}</time>" · "{h.venue.clone()}</p>
            <h2><a href=format!("/hearings/{}", h.id)>{locale.fmt(Msg::HearingOn, &[("title", &h.proposal_title)])}</a></h2>
            {(h.status == HearingStatus::CallOpen).then(|| view! {
                <p class="hint">{locale.fmt(Msg::HearingApplyUntil, &[("until", &format_local(h.apply_until)), ("n", &h.applicants), ("seats", &h.seats.participants)])}</p>
            })}
        </li>
    }
}

#[component]
pub fn HearingsPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let month = move || query.with(|q| q.get("month").unwrap_or_default());
    let calendar = Resource::new(month, list_hearings);
    view! {
        <Title text=locale.t(Msg::HearingsTitle)/>
        <h1>{locale.t(Msg::HearingsTitle)}</h1>
        <p class="lead">{locale.t(Msg::HearingsLead)}" "<a href="/hearings.ics" data-testid="ics-feed">{locale.t(Msg::HearingsSubscribe)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match calendar.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(cal) => {
                        let first = NaiveDate::from_ymd_opt(cal.year, cal.month, 1).unwrap_or_default();
                        let prev = first.checked_sub_months(chrono::Months::new(1)).unwrap_or(first);
                        let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
                        view! {
                            <section class="month" aria-labelledby="month-title">
                                <nav class="month-nav">
                                    <a href=format!("/hearings?month={}", month_param(prev)) rel="prev">"← "{month_label(locale, prev.year(), prev.month())}</a>
                                    <h2 id="month-title">{month_label(locale, cal.year, cal.month)}</h2>
                                    <a href=format!("/hearings?month={}", month_param(next)) rel="next">{month_label(locale, next.year(), next.month())}" →"</a>
                                </nav>
                                <MonthGrid first hearings=cal.in_month.clone()/>
                            </section>
                            <section aria-labelledby="upcoming-title">
                                <h2 id="upcoming-title">{locale.t(Msg::HearingsUpcoming)}</h2>
                                {if cal.upcoming.is_empty() {
                                    view! { <p class="empty">{locale.t(Msg::HearingsNone)}</p> }.into_any()
                                } else {
                                    view! { <ul class="hearing-list">{cal.upcoming.into_iter().map(|h| view! { <HearingCard h/> }).collect_view()}</ul> }.into_any()
                                }}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The next hearings, for the home page: at most three, with a link to the calendar.
#[component]
pub fn UpcomingHearings() -> impl IntoView {
    let locale = use_locale();
    let calendar = Resource::new(|| (), |_| list_hearings(String::new()));
    view! {
        <section class="proposal-section" aria-labelledby="home-hearings">
            <h2 id="home-hearings">{locale.t(Msg::HomeHearingsTitle)}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let next: Vec<_> = calendar
                        .await
                        .map(|c| c.upcoming.into_iter().filter(|h| h.status != HearingStatus::Cancelled).take(3).collect())
                        .unwrap_or_default();
                    if next.is_empty() {
                        view! { <p class="empty">{locale.t(Msg::HearingsNone)}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="hearing-list">{next.into_iter().map(|h| view! { <HearingCard h/> }).collect_view()}</ul>
                            <a class="pager" href="/hearings">{locale.t(Msg::HomeAllHearings)}" →"</a>
                        }
                        .into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A month as weeks of seven days, Monday first, each day with its hearings.
#[component]
fn MonthGrid(first: NaiveDate, hearings: Vec<HearingSummary>) -> impl IntoView {
    let locale = use_locale();
    let lead = first.weekday().num_days_from_monday() as i64;
    let start = first - Duration::days(lead);
    let weeks = (0..6)
        .map(|w| {
            let days = (0..7)
                .map(|d| {
                    let day = start + Duration::days(w * 7 + d);
                    let inside = day.month() == first.month();
                    let todays: Vec<_> = hearings.iter().filter(|h| local_day(h.starts_at) == day).cloned().collect();
                    let busy = !todays.is_empty();
                    view! {
                        <td class:outside=!inside class:has-hearing=busy>
                            <span class="day">{day.day()}</span>
                            {todays.into_iter().map(|h| view! {
                                <a class="cal-event" href=format!("/hearings/{}", h.id) title=h.proposal_title.clone()>
                                    {format_local(h.starts_at).get(11..).unwrap_or_default().to_owned()}" "{h.proposal_title.clone()}
                                </a>
                            }).collect_view()}
                        </td>
                    }
                })
                .collect_view();
            view! { <tr>{days}</tr> }
        })
        .collect_view();
    let names = [Msg::Mon, Msg::Tue, Msg::Wed, Msg::Thu, Msg::Fri, Msg::Sat, Msg::Sun];
    view! {
        <table class="month-grid" aria-labelledby="month-title">
            <thead><tr>{names.into_iter().map(|m| view! { <th scope="col">{locale.t(m)}</th> }).collect_view()}</tr></thead>
            <tbody>{weeks}</tbody>
        </table>
    }
}

/// The actions of a hearing page, so that any of them renews the page.
#[derive(Clone, Copy)]
struct Actions {
    apply: ServerAction<ApplyHearing>,
    decline: ServerAction<DeclineSeat>,
    answer: ServerAction<AnswerRecord>,
    call: ServerAction<PublishCall>,
    extend: ServerAction<ExtendCall>,
    draw: ServerAction<RunDraw>,
    lists: ServerAction<PublishLists>,
    materials: ServerAction<SendMaterials>,
    agenda: ServerAction<SetAgenda>,
    speaker: ServerAction<SetSpeaker>,
    attendance: ServerAction<MarkAttendance>,
    record: ServerAction<WriteRecord>,
    report: ServerAction<PublishReport>,
    postpone: ServerAction<PostponeHearing>,
    cancel: ServerAction<CancelHearing>,
}

impl Actions {
    fn new() -> Self {
        Self {
            apply: ServerAction::new(),
            decline: ServerAction::new(),
            answer: ServerAction::new(),
            call: ServerAction::new(),
            extend: ServerAction::new(),
            draw: ServerAction::new(),
            lists: ServerAction::new(),
            materials: ServerAction::new(),
            agenda: ServerAction::new(),
            speaker: ServerAction::new(),
            attendance: ServerAction::new(),
            record: ServerAction::new(),
            report: ServerAction::new(),
            postpone: ServerAction::new(),
            cancel: ServerAction::new(),
        }
    }

    fn version(&self) -> usize {
        self.apply.version().get()
            + self.decline.version().get()
            + self.answer.version().get()
            + self.call.version().get()
            + self.extend.version().get()
            + self.draw.version().get()
            + self.lists.version().get()
            + self.materials.version().get()
            + self.agenda.version().get()
            + self.speaker.version().get()
            + self.attendance.version().get()
            + self.record.version().get()
            + self.report.version().get()
            + self.postpone.version().get()
            + self.cancel.version().get()
    }
}

#[component]
pub fn HearingPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok()));
    let actions = Actions::new();
    let hearing = Resource::new(
        move || (id(), actions.version()),
        |(id, _)| async move {
            match id {
                Some(id) => get_hearing(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match hearing.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(h) => view! { <Hearing h actions/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Hearing(h: HearingDetail, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let s = h.summary.clone();
    let id = s.id;
    let title = locale.fmt(Msg::HearingOn, &[("title", &s.proposal_title)]);
    let by_constituency = Constituency::ALL
        .iter()
        .zip(h.by_constituency.iter())
        .map(|(c, n)| format!("{} {n}", locale.constituency(*c)))
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <Title text=title.clone()/>
        <article class="hearing">
            <header>
                <p class="meta">{status_tag(locale, s.status)}" "{h.agency.name(locale).to_owned()}</p>
                <h1>{title}</h1>
                {h.status_reason.clone().map(|reason| view! {
                    <p class="draft-banner" role="status">
                        {if s.status == HearingStatus::Cancelled { locale.t(Msg::HearingCancelledBecause) } else { locale.t(Msg::HearingPostponedBecause) }}
                        {reason}
                    </p>
                })}
                <dl class="facts">
                    <dt>{locale.t(Msg::HearingWhen)}</dt><dd><time>{format_local(s.starts_at)}</time>" — "{format_local(s.ends_at).get(11..).unwrap_or_default().to_owned()}</dd>
                    <dt>{locale.t(Msg::HearingVenue)}</dt><dd>{s.venue.clone()}</dd>
                    <dt>{locale.t(Msg::HearingProposal)}</dt><dd><a href=format!("/proposals/{}", s.proposal_id)>{s.proposal_title.clone()}</a></dd>
                    <dt>{locale.t(Msg::HearingSeats)}</dt>
                    <dd>{locale.fmt(Msg::HearingSeatsText, &[("p", &s.seats.participants), ("o", &s.seats.observers), ("press", &s.seats.press), ("q", &consumer_quota(s.seats.participants))])}</dd>
                    <dt>{locale.t(Msg::HearingApplyBy)}</dt><dd>{format_local(s.apply_until)}</dd>
                    <dt>{locale.t(Msg::HearingApplicants)}</dt><dd>{s.applicants}" ("{by_constituency}" · "{locale.fmt(Msg::HearingLowIncomeN, &[("n", &h.low_income)])}")"</dd>
                    <dt>{locale.t(Msg::HearingCommitment)}</dt><dd><code class="hash">{h.seed_commitment.clone()}</code></dd>
                </dl>
                <p>
                    <a href=format!("/hearings/{id}/calendar.ics") data-testid="hearing-ics">{locale.t(Msg::HearingAddToCalendar)}</a>
                    {h.drawn.then(|| view! { " · "<a href=format!("/hearings/{id}/draw")>{locale.t(Msg::HearingDrawLink)}</a> })}
                    {h.organizer.then(|| view! { " · "<a href=format!("/hearings/{id}/applicants")>{locale.t(Msg::HearingApplicantsLink)}</a> })}
                </p>
            </header>
            {h.report.clone().map(|r| view! {
                <section aria-labelledby="report-title" id="report" class="panel">
                    <h2 id="report-title">{locale.t(Msg::HearingReportTitle)}</h2>
                    <p class="meta">{format_local(r.published_at)}</p>
                    <p class="prewrap" data-testid="report">{r.summary.clone()}</p>
                    <dl class="facts">
                        {[(Constituency::Consumer, r.consumer.clone()), (Constituency::Operator, r.operator.clone()), (Constituency::Expert, r.expert.clone()), (Constituency::Other, r.other.clone())]
                            .into_iter()
                            .filter(|(_, text)| !text.is_empty())
                            .map(|(c, text)| view! { <dt>{locale.constituency(c)}</dt><dd class="prewrap">{text}</dd> })
                            .collect_view()}
                    </dl>
                </section>
            })}
            <section aria-labelledby="plan-title">
                <h2 id="plan-title">{locale.t(Msg::HearingPlan)}</h2>
                <p class="prewrap">{h.plan_summary.clone()}</p>
            </section>
            <CitizenPanel h=h.clone() actions/>
            {h.organizer.then(|| view! { <OrganizerPanel h=h.clone() actions/> })}
            {(!h.officers.is_empty()).then(|| view! {
                <section aria-labelledby="officers-title">
                    <h2 id="officers-title">{locale.t(Msg::HearingOfficers)}</h2>
                    <ul class="officers">{h.officers.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
            <Participants h=h.clone() actions/>
            {(!h.materials.is_empty()).then(|| view! {
                <section aria-labelledby="materials-title" id="materials">
                    <h2 id="materials-title">{locale.t(Msg::HearingMaterials)}</h2>
                    {h.materials_reason.clone().map(|r| view! { <p class="short-reason"><strong>{locale.t(Msg::HearingMaterialsShort)}</strong>{r}</p> })}
                    <ul class="files">
                        {h.materials.iter().map(|f| view! {
                            <li><a href=format!("/files/{}", f.id) data-testid="material">{f.name.clone()}</a>" "<code class="hash">{f.sha256.get(..16).unwrap_or_default().to_owned()}</code></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            {h.record.clone().map(|record| view! {
                <section aria-labelledby="record-title" id="record">
                    <h2 id="record-title">{locale.t(Msg::HearingRecord)}</h2>
                    <p class="prewrap" data-testid="record">{record}</p>
                </section>
            })}
        </article>
    }
}

/// What a citizen can do here: apply, see where their application stands, decline a
/// seat, confirm the record or object.
#[component]
fn CitizenPanel(h: HearingDetail, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let id = h.summary.id;
    let status = h.summary.status;
    let apply_error = action_error(actions.apply);
    let answer_error = action_error(actions.answer);
    let decline_error = action_error(actions.decline);
    // nothing to do here, or the reader runs or sits on this hearing
    if h.mine.is_none() && (status != HearingStatus::CallOpen || h.organizer || h.officer) {
        return ().into_any();
    }
    view! {
        <section class="panel" id="apply" aria-labelledby="apply-title">
            <h2 id="apply-title">{locale.t(Msg::HearingYourPart)}</h2>
            <Suspense fallback=|| ()>
                {move || {
                    let h = h.clone();
                    Suspend::new(async move {
                        let viewer = session.viewer.await.ok().flatten();
                        if let Some(mine) = h.mine.clone() {
                            let selected = mine.state == ApplicationState::Selected;
                            return view! {
                                <p class="status" data-testid="my-application">
                                    <strong>{locale.application_state(mine.state)}</strong>
                                    {mine.ordinal.map(|n| view! { " · "{locale.fmt(Msg::HearingYourNumber, &[("n", &n)])} })}
                                </p>
                                {(selected && matches!(status, HearingStatus::Drawn | HearingStatus::ListsPublished)).then(|| view! {
                                    <ActionForm action=actions.decline attr:class="inline">
                                        <FormError error=decline_error/>
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <button type="submit" class="secondary">{locale.t(Msg::HearingDecline)}</button>
                                    </ActionForm>
                                })}
                                {(selected && status == HearingStatus::Held && mine.confirmation.is_none()).then(|| view! {
                                    <ActionForm action=actions.answer attr:class="form" attr:novalidate="">
                                        <FormError error=answer_error/>
                                        <p>{locale.t(Msg::HearingConfirmAsk)}</p>
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <label class="choice"><input type="radio" name="answer" value="confirmed" checked=true/>{locale.t(Msg::HearingConfirmYes)}</label>
                                        <label class="choice"><input type="radio" name="answer" value="objected"/>{locale.t(Msg::HearingConfirmObject)}</label>
                                        <label for="objection">{locale.t(Msg::HearingObjection)}</label>
                                        <textarea id="objection" name="objection" rows="3" aria-invalid=invalid(answer_error, "objection")></textarea>
                                        <FieldError error=answer_error field="objection"/>
                                        <button type="submit">{locale.t(Msg::HearingConfirmSubmit)}</button>
                                    </ActionForm>
                                })}
                                {mine.confirmation.map(|c| view! {
                                    <p class="status">{if c == Confirmation::Confirmed { locale.t(Msg::HearingConfirmedDone) } else { locale.t(Msg::HearingObjectedDone) }}</p>
                                })}
                            }
                            .into_any();
                        }
                        if status != HearingStatus::CallOpen {
                            return view! { <p class="notice">{locale.t(Msg::HearingCallNotOpen)}</p> }.into_any();
                        }
                        if viewer.is_none() {
                            return view! {
                                <p class="notice"><a href=format!("/signin?next={}", urlencode(&current_path()))>{locale.t(Msg::SignIn)}</a>" · "{locale.t(Msg::HearingSignInToApply)}</p>
                            }
                            .into_any();
                        }
                        view! {
                            <ActionForm action=actions.apply attr:class="form" attr:novalidate="">
                                <FormError error=apply_error/>
                                <input type="hidden" name="id" value=id.to_string()/>
                                <fieldset>
                                    <legend>{locale.t(Msg::HearingConstituency)}</legend>
                                    {Constituency::ALL.iter().map(|c| view! {
                                        <label class="choice"><input type="radio" name="constituency" value=c.as_str() checked=*c == Constituency::Consumer/>{locale.constituency(*c)}</label>
                                    }).collect_view()}
                                </fieldset>
                                <FieldError error=apply_error field="constituency"/>
                                <label class="choice"><input type="checkbox" name="low_income" value="on"/>{locale.t(Msg::HearingLowIncome)}</label>
                                <label for="statement">{locale.t(Msg::HearingStatement)}</label>
                                <textarea id="statement" name="statement" rows="3" maxlength=Statement::MAX.to_string() aria-invalid=invalid(apply_error, "statement")></textarea>
                                <FieldError error=apply_error field="statement"/>
                                <button type="submit" disabled=move || actions.apply.pending().get()>{locale.t(Msg::HearingApply)}</button>
                            </ActionForm>
                        }
                        .into_any()
                    })
                }}
            </Suspense>
        </section>
    }
    .into_any()
}

/// The participants in speaking order; attendance for the organizer on the day.
#[component]
fn Participants(h: HearingDetail, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    if h.participants.is_empty() {
        return ().into_any();
    }
    let id = h.summary.id;
    let attendance = h.organizer && h.summary.status == HearingStatus::ListsPublished;
    let ordering = h.organizer && matches!(h.summary.status, HearingStatus::Drawn | HearingStatus::ListsPublished);
    let error = action_error(actions.attendance);
    let speaker_error = action_error(actions.speaker);
    view! {
        <section aria-labelledby="participants-title" id="participants">
            <h2 id="participants-title">{locale.t(Msg::HearingParticipants)}</h2>
            {(!h.agenda.is_empty()).then(|| view! { <h3>{locale.t(Msg::HearingAgenda)}</h3><p class="prewrap">{h.agenda.clone()}</p> })}
            {(h.unfilled > 0).then(|| view! { <p class="notice">{locale.fmt(Msg::HearingUnfilled, &[("n", &h.unfilled)])}</p> })}
            <FormError error/>
            <FormError error=speaker_error/>
            <table class="participants">
                <thead><tr>
                    <th scope="col">{locale.t(Msg::HearingSpeakerOrder)}</th>
                    <th scope="col">{locale.t(Msg::HearingSpeakerMinutes)}</th>
                    <th scope="col">{locale.t(Msg::HearingName)}</th>
                    <th scope="col">{locale.t(Msg::HearingConstituency)}</th>
                    <th scope="col">{locale.t(Msg::HearingAttendance)}</th>
                    <th scope="col">{locale.t(Msg::HearingRecordAnswer)}</th>
                </tr></thead>
                <tbody>
                    {h.participants.clone().into_iter().enumerate().map(|(i, p)| {
                        let present = p.present;
                        view! {
                            <tr>
                                <td>{p.speaker_position.unwrap_or(i as i64 + 1)}</td>
                                <td>
                                    {p.speaker_minutes.map(|m| locale.fmt(Msg::HearingMinutesN, &[("n", &m)])).unwrap_or_else(|| "—".to_owned())}
                                    {ordering.then(|| view! {
                                        <ActionForm action=actions.speaker attr:class="inline speaker">
                                            <input type="hidden" name="id" value=id.to_string()/>
                                            <input type="hidden" name="application" value=p.application_id.to_string()/>
                                            <input type="number" name="position" min="1" inputmode="numeric" aria-label=locale.t(Msg::HearingSpeakerOrder)
                                                value=p.speaker_position.unwrap_or(i as i64 + 1).to_string()/>
                                            <input type="number" name="minutes" min="1" max="30" inputmode="numeric" aria-label=locale.t(Msg::HearingSpeakerMinutes)
                                                value=p.speaker_minutes.unwrap_or(5).to_string()/>
                                            <button type="submit" class="link-button">{locale.t(Msg::HearingSaveSpeaker)}</button>
                                        </ActionForm>
                                    })}
                                </td>
                                <td>{p.name}</td>
                                <td>{locale.constituency(p.constituency)}</td>
                                <td>
                                    {match present { Some(true) => locale.t(Msg::HearingPresent), Some(false) => locale.t(Msg::HearingAbsent), None => "—" }}
                                    {attendance.then(|| view! {
                                        <ActionForm action=actions.attendance attr:class="inline">
                                            <input type="hidden" name="id" value=id.to_string()/>
                                            <input type="hidden" name="application" value=p.application_id.to_string()/>
                                            <input type="hidden" name="present" value=if present == Some(true) { "0" } else { "1" }/>
                                            <button type="submit" class="link-button">{if present == Some(true) { locale.t(Msg::HearingMarkAbsent) } else { locale.t(Msg::HearingMarkPresent) }}</button>
                                        </ActionForm>
                                    })}
                                </td>
                                <td>
                                    {p.confirmation.map(|c| if c == Confirmation::Confirmed { locale.t(Msg::HearingConfirmedShort) } else { locale.t(Msg::HearingObjectedShort) })}
                                    {p.objection.map(|o| view! { <p class="hint">{o}</p> })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p class="hint">{locale.fmt(Msg::HearingWaitingN, &[("n", &h.waiting)])}</p>
        </section>
    }
    .into_any()
}

/// A form whose only field is the hearing (a button), with its refusal shown above it.
macro_rules! step_button {
    ($locale:expr, $action:expr, $id:expr, $label:expr) => {{
        let error = action_error($action);
        view! {
            <ActionForm action=$action attr:class="inline step">
                <FormError error/>
                <input type="hidden" name="id" value=$id.to_string()/>
                <button type="submit">{$locale.t($label)}</button>
            </ActionForm>
        }
    }};
}

/// The organizer's tools, for the hearing's present state.
#[component]
fn OrganizerPanel(h: HearingDetail, actions: Actions) -> impl IntoView {
    let locale = use_locale();
    let s = h.summary.clone();
    let id = s.id;
    let status = s.status;
    let extend_error = action_error(actions.extend);
    let materials_error = action_error(actions.materials);
    let agenda_error = action_error(actions.agenda);
    let record_error = action_error(actions.record);
    let report_error = action_error(actions.report);
    let postpone_error = action_error(actions.postpone);
    let cancel_error = action_error(actions.cancel);
    let short = s.applicants < s.seats.participants as i64;
    view! {
        <section class="panel organizer" id="organize" aria-labelledby="organize-title">
            <h2 id="organize-title">{locale.t(Msg::HearingOrganize)}</h2>
            <UploadError/>
            {(status == HearingStatus::Scheduled).then(|| view! {
                <p>{locale.t(Msg::HearingCallHint)}</p>
                {step_button!(locale, actions.call, id, Msg::HearingPublishCall)}
            })}
            {(status == HearingStatus::CallOpen).then(|| view! {
                {short.then(|| view! { <p class="notice" role="status">{locale.fmt(Msg::HearingTooFew, &[("n", &s.applicants), ("seats", &s.seats.participants)])}</p> })}
                <p class="hint">{locale.rule(&crate::domain::Rule::DrawBeforeApplicationsClose { closes_at: s.apply_until })}</p>
                {step_button!(locale, actions.draw, id, Msg::HearingRunDraw)}
                <ActionForm action=actions.extend attr:class="form" attr:novalidate="">
                    <FormError error=extend_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label for="extend-until">{locale.t(Msg::HearingExtendCall)}</label>
                    <input id="extend-until" type="datetime-local" name="apply_until" value=to_input_value(s.apply_until) aria-invalid=invalid(extend_error, "apply_until")/>
                    <FieldError error=extend_error field="apply_until"/>
                    <button type="submit" class="secondary">{locale.t(Msg::HearingExtendButton)}</button>
                </ActionForm>
            })}
            {(status == HearingStatus::Drawn).then(|| view! {
                {step_button!(locale, actions.lists, id, Msg::HearingPublishLists)}
            })}
            {(matches!(status, HearingStatus::Drawn | HearingStatus::ListsPublished) && h.materials_sent_at.is_none()).then(|| view! {
                <h3>{locale.t(Msg::HearingMaterials)}</h3>
                <Upload owner="hearing" owner_id=id label=Msg::HearingAttachMaterial/>
                <ActionForm action=actions.materials attr:class="form" attr:novalidate="">
                    <FormError error=materials_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label for="materials-reason">{locale.t(Msg::HearingMaterialsReason)}</label>
                    <input id="materials-reason" name="reason" type="text" aria-invalid=invalid(materials_error, "reason")/>
                    <FieldError error=materials_error field="reason"/>
                    <button type="submit">{locale.t(Msg::HearingSendMaterials)}</button>
                </ActionForm>
            })}
            {matches!(status, HearingStatus::Drawn | HearingStatus::ListsPublished).then(|| view! {
                <ActionForm action=actions.agenda attr:class="form" attr:novalidate="">
                    <FormError error=agenda_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label for="agenda">{locale.t(Msg::HearingAgendaField)}</label>
                    <textarea id="agenda" name="agenda" rows="4" aria-invalid=invalid(agenda_error, "agenda")>{h.agenda.clone()}</textarea>
                    <FieldError error=agenda_error field="agenda"/>
                    <button type="submit" class="secondary">{locale.t(Msg::HearingSaveAgenda)}</button>
                </ActionForm>
            })}
            {(status == HearingStatus::ListsPublished).then(|| view! {
                <ActionForm action=actions.record attr:class="form" attr:novalidate="">
                    <FormError error=record_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label for="record-text">{locale.t(Msg::HearingRecordField)}</label>
                    <textarea id="record-text" name="record" rows="8" aria-invalid=invalid(record_error, "record")></textarea>
                    <FieldError error=record_error field="record"/>
                    <button type="submit">{locale.t(Msg::HearingWriteRecord)}</button>
                </ActionForm>
            })}
            {(status == HearingStatus::Held).then(|| view! {
                <ActionForm action=actions.report attr:class="form" attr:novalidate="">
                    <FormError error=report_error/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <label for="report-summary">{locale.t(Msg::HearingReportSummary)}</label>
                    <textarea id="report-summary" name="summary" rows="6" aria-invalid=invalid(report_error, "summary")></textarea>
                    <FieldError error=report_error field="summary"/>
                    {[("consumer", Constituency::Consumer), ("operator", Constituency::Operator), ("expert", Constituency::Expert), ("other", Constituency::Other)].into_iter().map(|(field, c)| view! {
                        <label for=format!("report-{field}")>{locale.fmt(Msg::HearingReportViews, &[("who", &locale.constituency(c))])}</label>
                        <textarea id=format!("report-{field}") name=field rows="3" aria-invalid=invalid(report_error, field)></textarea>
                        <FieldError error=report_error field=field/>
                    }).collect_view()}
                    <button type="submit">{locale.t(Msg::HearingPublishReport)}</button>
                </ActionForm>
            })}
            {status.is_upcoming().then(|| view! {
                <details class="tool">
                    <summary>{locale.t(Msg::HearingPostpone)}</summary>
                    <ActionForm action=actions.postpone attr:class="form" attr:novalidate="">
                        <FormError error=postpone_error/>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <label for="pp-start">{locale.t(Msg::HearingStarts)}</label>
                        <input id="pp-start" type="datetime-local" name="starts_at" value=to_input_value(s.starts_at) aria-invalid=invalid(postpone_error, "starts_at")/>
                        <FieldError error=postpone_error field="starts_at"/>
                        <label for="pp-end">{locale.t(Msg::HearingEnds)}</label>
                        <input id="pp-end" type="datetime-local" name="ends_at" value=to_input_value(s.ends_at) aria-invalid=invalid(postpone_error, "ends_at")/>
                        <FieldError error=postpone_error field="ends_at"/>
                        <label for="pp-reason">{locale.t(Msg::HearingPublicReason)}</label>
                        <input id="pp-reason" type="text" name="reason" aria-invalid=invalid(postpone_error, "reason")/>
                        <FieldError error=postpone_error field="reason"/>
                        <button type="submit" class="secondary">{locale.t(Msg::HearingPostpone)}</button>
                    </ActionForm>
                </details>
                <details class="tool">
                    <summary>{locale.t(Msg::HearingCancel)}</summary>
                    <ActionForm action=actions.cancel attr:class="form" attr:novalidate="">
                        <FormError error=cancel_error/>
                        <input type="hidden" name="id" value=id.to_string()/>
                        <label for="cancel-reason">{locale.t(Msg::HearingPublicReason)}</label>
                        <input id="cancel-reason" type="text" name="reason" aria-invalid=invalid(cancel_error, "reason")/>
                        <FieldError error=cancel_error field="reason"/>
                        <button type="submit" class="danger">{locale.t(Msg::HearingCancel)}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

/// The organizer's list of applications, filtered, 50 a page.
#[component]
pub fn ApplicantsPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())).unwrap_or(0);
    let q = move |key: &str| query.with(|q| q.get(key).unwrap_or_default());
    let rows = Resource::new(
        move || (id(), q("constituency"), q("low_income"), q("state"), q("after").parse::<i64>().unwrap_or(0)),
        |(id, c, l, s, after)| list_applicants(id, c, l, s, after),
    );
    let selected = move |key: &str, value: &str| q(key) == value;
    view! {
        <Title text=locale.t(Msg::HearingApplicantsLink)/>
        <p><a href=move || format!("/hearings/{}", id())>"← "{locale.t(Msg::HearingBack)}</a></p>
        <h1>{locale.t(Msg::HearingApplicantsLink)}</h1>
        <form method="get" class="filters">
            <label>{locale.t(Msg::HearingConstituency)}" "
                <select name="constituency">
                    <option value="">{locale.t(Msg::FilterAll)}</option>
                    {Constituency::ALL.iter().map(|c| view! { <option value=c.as_str() selected=move || selected("constituency", c.as_str())>{locale.constituency(*c)}</option> }).collect_view()}
                </select>
            </label>
            <label>{locale.t(Msg::HearingLowIncomeShort)}" "
                <select name="low_income">
                    <option value="">{locale.t(Msg::FilterAll)}</option>
                    <option value="1" selected=move || selected("low_income", "1")>{locale.t(Msg::Yes)}</option>
                    <option value="0" selected=move || selected("low_income", "0")>{locale.t(Msg::No)}</option>
                </select>
            </label>
            <label>{locale.t(Msg::HearingState)}" "
                <select name="state">
                    <option value="">{locale.t(Msg::FilterAll)}</option>
                    {ApplicationState::ALL.iter().map(|s| view! { <option value=s.as_str() selected=move || selected("state", s.as_str())>{locale.application_state(*s)}</option> }).collect_view()}
                </select>
            </label>
            <button type="submit">{locale.t(Msg::FilterApply)}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(page) => {
                        let next = page.next.clone().map(|after| {
                            format!("?constituency={}&low_income={}&state={}&after={after}", urlencode(&q("constituency")), urlencode(&q("low_income")), urlencode(&q("state")))
                        });
                        view! {
                            <div class="applicants-scroll" tabindex="0" role="region" aria-label=locale.t(Msg::HearingApplicants)>
                            <table class="applicants" data-testid="applicants">
                                <thead><tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">{locale.t(Msg::HearingName)}</th>
                                    <th scope="col">{locale.t(Msg::HearingConstituency)}</th>
                                    <th scope="col">{locale.t(Msg::HearingLowIncomeShort)}</th>
                                    <th scope="col">{locale.t(Msg::HearingState)}</th>
                                    <th scope="col">{locale.t(Msg::HearingStatement)}</th>
                                </tr></thead>
                                <tbody>
                                    {page.items.into_iter().map(|a| view! {
                                        <tr>
                                            <td>{a.ordinal.map(|n| n.to_string()).unwrap_or_else(|| format!("({})", a.id))}</td>
                                            <td>{a.name}</td>
                                            <td>{locale.constituency(a.constituency)}</td>
                                            <td>{if a.low_income { locale.t(Msg::Yes) } else { "" }}</td>
                                            <td>{locale.application_state(a.state)}</td>
                                            <td>{a.statement}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            {next.map(|href| view! { <a class="button" href=href rel="next">{locale.t(Msg::NextPage)}</a> })}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The draw's make-up against its quotas: for each constituency and for the low-income
/// applicants, those selected out of the seats, the quota marked; the same in words below.
#[component]
fn DrawMakeUp(record: crate::model::DrawRecord) -> impl IntoView {
    use crate::{
        components::chart::{share, Bar, BarChart},
        domain::draw::make_up,
    };
    let locale = use_locale();
    let seats = record.seats as i64;
    let shares = make_up(&record.applicants, &record.outcome, record.seats);
    let group_name = |s: &crate::domain::draw::Share| s.group.map(|c| locale.constituency(c)).unwrap_or(locale.t(Msg::DrawLowIncome));
    let words = |s: &crate::domain::draw::Share| {
        let group = group_name(s);
        match s.quota {
            Some(q) => {
                locale.fmt(Msg::DrawShareQuota, &[("group", &group), ("applied", &s.applied), ("selected", &s.selected), ("quota", &q)])
            }
            None => locale.fmt(Msg::DrawShare, &[("group", &group), ("applied", &s.applied), ("selected", &s.selected)]),
        }
    };
    // each group in words: the bar's tooltip and the list under the picture
    let sentences: Vec<String> = shares.iter().map(words).collect();
    let bars: Vec<Bar> = shares
        .iter()
        .zip(&sentences)
        .map(|(s, sentence)| Bar {
            label: group_name(s).to_owned(),
            parts: vec![(share(s.selected as i64, seats), if s.meets_quota() { "bar-filled" } else { "bar-short" })],
            value: format!("{}/{}", s.selected, seats),
            summary: sentence.clone(),
            mark: s.quota.filter(|q| *q > 0).map(|q| share(q as i64, seats)),
        })
        .collect();
    view! {
        <section class="draw-make-up" aria-labelledby="make-up-title">
            <h2 id="make-up-title">{locale.t(Msg::DrawMakeUpTitle)}</h2>
            <BarChart bars caption_id="make-up-caption" class="make-up-chart">
                {locale.fmt(Msg::DrawMakeUpCaption, &[("seats", &seats)])}
                <ul class="make-up-words">{sentences.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
            </BarChart>
        </section>
    }
}

/// The published draw: seed, commitment, the ordered list and the outcome, re-run by the
/// server; how to re-run it oneself.
#[component]
pub fn DrawPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())).unwrap_or(0);
    let record = Resource::new(id, get_draw);
    view! {
        <Title text=locale.t(Msg::HearingDrawLink)/>
        <p><a href=move || format!("/hearings/{}", id())>"← "{locale.t(Msg::HearingBack)}</a></p>
        <h1>{locale.t(Msg::HearingDrawLink)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match record.await {
                    Err(error) => view! { <ErrorPanel error/> }.into_any(),
                    Ok(d) => {
                        let place = |ordinal: u32| d.outcome.lot.iter().position(|o| *o == ordinal).map(|p| p + 1).unwrap_or(0);
                        let rows = d.applicants.iter().map(|a| {
                            let chosen = d.outcome.selected.contains(&a.ordinal);
                            view! {
                                <tr class:chosen=chosen>
                                    <td>{a.ordinal}</td>
                                    <td>{locale.constituency(a.constituency)}</td>
                                    <td>{if a.low_income { locale.t(Msg::Yes) } else { "" }}</td>
                                    <td>{place(a.ordinal)}</td>
                                    <td>{if chosen { locale.t(Msg::ApplicationSelected) } else { locale.t(Msg::ApplicationWaiting) }}</td>
                                </tr>
                            }
                        }).collect_view();
                        view! {
                            <p class=if d.verified { "form-ok" } else { "form-error" } role="status" data-testid="draw-verified">
                                {if d.verified { locale.t(Msg::DrawVerified) } else { locale.t(Msg::DrawNotVerified) }}
                            </p>
                            <dl class="facts">
                                <dt>{locale.t(Msg::DrawAlgorithm)}</dt><dd><code>{d.algorithm.clone()}</code></dd>
                                <dt>{locale.t(Msg::DrawSeed)}</dt><dd><code class="hash" data-testid="draw-seed">{d.seed.clone()}</code></dd>
                                <dt>{locale.t(Msg::HearingCommitment)}</dt><dd><code class="hash">{d.commitment.clone()}</code></dd>
                                <dt>{locale.t(Msg::HearingSeats)}</dt><dd>{d.seats}" ("{locale.fmt(Msg::DrawQuota, &[("q", &consumer_quota(d.seats))])}")"</dd>
                                <dt>{locale.t(Msg::DrawWhen)}</dt><dd>{format_local(d.drawn_at)}</dd>
                            </dl>
                            <DrawMakeUp record=d.clone()/>
                            <p class="hint">
                                {locale.t(Msg::DrawHowToCheck)}" "<code>{format!("minyi hearing verify-draw {}", d.hearing_id)}</code>" · "
                                <a href=format!("/hearings/{}/draw.json", d.hearing_id) data-testid="draw-json">{locale.t(Msg::DrawJson)}</a>
                            </p>
                            <table class="draw">
                                <thead><tr>
                                    <th scope="col">{locale.t(Msg::DrawOrdinal)}</th>
                                    <th scope="col">{locale.t(Msg::HearingConstituency)}</th>
                                    <th scope="col">{locale.t(Msg::HearingLowIncomeShort)}</th>
                                    <th scope="col">{locale.t(Msg::DrawLot)}</th>
                                    <th scope="col">{locale.t(Msg::HearingState)}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The hearings section of a proposal's page; organizers schedule one here.
#[component]
pub fn ProposalHearings(proposal_id: i64, required: bool, open: bool) -> impl IntoView {
    let locale = use_locale();
    let session = Session::use_session();
    let schedule = ServerAction::<ScheduleHearing>::new();
    let hearings = Resource::new(move || schedule.version().get(), move |_| proposal_hearings(proposal_id));
    Effect::new(move |_| {
        if let Some(Ok(id)) = schedule.value().get() {
            leptos_router::hooks::use_navigate()(&format!("/hearings/{id}"), Default::default());
        }
    });
    view! {
        <section class="hearings-section" id="hearings" aria-labelledby="hearings-title">
            <h2 id="hearings-title">{locale.t(Msg::HearingsTitle)}</h2>
            {required.then(|| view! { <p class="hint">{locale.t(Msg::HearingRequiredWhy)}</p> })}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let organizer = session.viewer.await.ok().flatten().is_some_and(|v| v.has(Role::Organizer));
                    let list = hearings.await.unwrap_or_default();
                    let underway = list.iter().any(|h| !matches!(h.status, HearingStatus::Cancelled | HearingStatus::Reported));
                    view! {
                        {if list.is_empty() {
                            view! { <p class="empty">{locale.t(Msg::HearingsNoneForProposal)}</p> }.into_any()
                        } else {
                            view! { <ul class="hearing-list">{list.into_iter().map(|h| view! { <HearingCard h/> }).collect_view()}</ul> }.into_any()
                        }}
                        {(organizer && open && !underway).then(|| view! { <ScheduleForm proposal_id required action=schedule/> })}
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ScheduleForm(proposal_id: i64, required: bool, action: ServerAction<ScheduleHearing>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action);
    view! {
        <div class="panel schedule-hearing">
            <h3>{locale.t(Msg::HearingSchedule)}</h3>
            <ActionForm action attr:class="form" attr:novalidate="">
                <FormError error/>
                <p class="hint">{locale.t(Msg::HearingDeadlinesHint)}</p>
                <input type="hidden" name="proposal_id" value=proposal_id.to_string()/>
                <label for="h-venue">{locale.t(Msg::HearingVenue)}</label>
                <input id="h-venue" name="venue" type="text" maxlength="200" aria-invalid=invalid(error, "venue")/>
                <FieldError error field="venue"/>
                <label for="h-start">{locale.t(Msg::HearingStarts)}</label>
                <input id="h-start" name="starts_at" type="datetime-local" aria-invalid=invalid(error, "starts_at")/>
                <FieldError error field="starts_at"/>
                <label for="h-end">{locale.t(Msg::HearingEnds)}</label>
                <input id="h-end" name="ends_at" type="datetime-local" aria-invalid=invalid(error, "ends_at")/>
                <FieldError error field="ends_at"/>
                <label for="h-until">{locale.t(Msg::HearingApplyBy)}</label>
                <input id="h-until" name="apply_until" type="datetime-local" aria-invalid=invalid(error, "apply_until")/>
                <FieldError error field="apply_until"/>
                <div class="row">
                    <span>
                        <label for="h-p">{locale.t(Msg::HearingSeatsParticipants)}</label>
                        <input id="h-p" name="participants" type="number" min="1" max="100" value="15" inputmode="numeric" aria-invalid=invalid(error, "participants")/>
                    </span>
                    <span>
                        <label for="h-o">{locale.t(Msg::HearingSeatsObservers)}</label>
                        <input id="h-o" name="observers" type="number" min="0" max="500" value="10" inputmode="numeric" aria-invalid=invalid(error, "observers")/>
                    </span>
                    <span>
                        <label for="h-press">{locale.t(Msg::HearingSeatsPress)}</label>
                        <input id="h-press" name="press" type="number" min="0" max="500" value="5" inputmode="numeric" aria-invalid=invalid(error, "press")/>
                    </span>
                </div>
                <FieldError error field="participants"/>
                <FieldError error field="observers"/>
                <FieldError error field="press"/>
                <label for="h-plan">{locale.t(Msg::HearingPlan)}</label>
                <textarea id="h-plan" name="plan_summary" rows="4" aria-invalid=invalid(error, "plan_summary")></textarea>
                <FieldError error field="plan_summary"/>
                <label for="h-officers">{locale.fmt(Msg::HearingOfficersField, &[("min", &MIN_OFFICERS), ("max", &MAX_OFFICERS)])}</label>
                <textarea id="h-officers" name="officers" rows="3" aria-invalid=invalid(error, "officers")></textarea>
                <FieldError error field="officers"/>
                {(!required).then(|| view! {
                    <label for="h-reason">{locale.t(Msg::HearingAddReason)}</label>
                    <input id="h-reason" name="reason" type="text" aria-invalid=invalid(error, "reason")/>
                    <FieldError error field="reason"/>
                })}
                <button type="submit" disabled=move || action.pending().get()>{locale.t(Msg::HearingSchedule)}</button>
            </ActionForm>
        </div>
    }
}
