//! Hearings: the public calendar and each hearing's page; the organizer's actions from
//! scheduling to the report; a citizen's application, seat, and answer to the record;
//! the published draw; applicants' notices.

// a form's fields are a server function's arguments; the scheduling form has eleven (the
// browser build's generated client function does not carry an item-level allow)
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::types::{ApplicantRow, DrawRecord, HearingDetail, HearingNotice, HearingSummary, Page};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    backend::{
        context::{self, Change},
        service::{hearings as service, Actor},
        store::hearings::ApplicantFilter,
    },
    domain::{
        account::Email,
        hearing::{ApplicationState, Confirmation, Constituency, Schedule, Seats},
        role::Role,
        rule::Errors,
        text::{HearingText, Minutes, Reason, Statement, Venue},
        time::parse_local_input,
        Rule,
    },
    model::HearingReport,
};

/// Applicants per page in the organizer's list.
pub const APPLICANT_PAGE_SIZE: i64 = 50;

/// The hearings a month's calendar shows, and the next ones to come.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HearingCalendar {
    pub year: i32,
    pub month: u32,
    pub in_month: Vec<HearingSummary>,
    pub upcoming: Vec<HearingSummary>,
}

#[cfg(feature = "ssr")]
fn reader() -> Option<(i64, bool)> {
    context::viewer().map(|v| (v.id, v.has(Role::Organizer)))
}

/// A month of the public calendar (`YYYY-MM`, default: this month) and the upcoming list.
#[server(endpoint = "hearings")]
pub async fn list_hearings(#[server(default)] month: String) -> Result<HearingCalendar, AppError> {
    context::with_status(
        async {
            use chrono::{Datelike, NaiveDate};
            let state = context::state()?;
            let now = state.now();
            let today = crate::domain::time::local_day(now);
            let first = match month.trim() {
                "" => NaiveDate::from_ymd_opt(today.year(), today.month(), 1),
                raw => crate::domain::time::parse_local_date(&format!("{raw}-01")).ok(),
            }
            .ok_or(AppError::field("month", Rule::BadDateTime))?;
            let next = first.checked_add_months(chrono::Months::new(1)).ok_or(AppError::field("month", Rule::BadDateTime))?;
            let organizer = reader().is_some_and(|(_, o)| o);
            let (from, to) = (crate::domain::time::local_day_start(first), crate::domain::time::local_day_start(next));
            let in_month = state.db.hearings_between(from, to, organizer, 200).await.map_err(context::db_error)?;
            let far = now + chrono::Duration::days(366 * 2);
            let upcoming =
                state.db.hearings_between(now - chrono::Duration::hours(12), far, organizer, 50).await.map_err(context::db_error)?;
            Ok(HearingCalendar { year: first.year(), month: first.month(), in_month, upcoming })
        }
        .await,
    )
}

/// A hearing's page, with what this reader may see.
#[server(endpoint = "hearing")]
pub async fn get_hearing(id: i64) -> Result<HearingDetail, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            state.db.hearing_detail(id, reader()).await.map_err(context::db_error)?.ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// The hearings of one proposal (for its page), newest first; unannounced ones only for organizers.
#[server(endpoint = "proposal_hearings")]
pub async fn proposal_hearings(proposal_id: i64) -> Result<Vec<HearingSummary>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let organizer = reader().is_some_and(|(_, o)| o);
            let all = state.db.hearings_of_proposal(proposal_id).await.map_err(context::db_error)?;
            Ok(all.into_iter().filter(|h| organizer || h.status.is_public()).collect())
        }
        .await,
    )
}

/// An organizer schedules a hearing for a proposal.
#[server(endpoint = "schedule_hearing")]
pub async fn schedule_hearing(
    proposal_id: i64,
    #[server(default)] venue: String,
    #[server(default)] starts_at: String,
    #[server(default)] ends_at: String,
    #[server(default)] apply_until: String,
    #[server(default)] participants: String,
    #[server(default)] observers: String,
    #[server(default)] press: String,
    #[server(default)] plan_summary: String,
    #[server(default)] officers: String,
    #[server(default)] reason: String,
) -> Result<i64, AppError> {
    context::with_status(
        async {
            let (organizer, state) = context::acting(Role::Organizer)?;
            let mut errors = Errors::new();
            let venue = errors.check("venue", Venue::parse(&venue));
            let starts = errors.check("starts_at", parse_local_input(&starts_at));
            let ends = errors.check("ends_at", parse_local_input(&ends_at));
            let until = errors.check("apply_until", parse_local_input(&apply_until));
            let seat = |field: &str, raw: &str, errors: &mut Errors| match raw.trim() {
                "" if field != "participants" => Some(0),
                raw => errors.check(field, raw.parse::<u32>().map_err(|_| Rule::OutOfRange { min: 0, max: 500 })),
            };
            let participants = seat("participants", &participants, &mut errors);
            let observers = seat("observers", &observers, &mut errors);
            let press = seat("press", &press, &mut errors);
            let plan = errors.check("plan_summary", HearingText::parse(&plan_summary));
            let mut emails = Vec::new();
            for raw in officers.split([',', '\r', '\n', ';', '，', '；', ' ', '\t']).filter(|s| !s.trim().is_empty()) {
                match Email::parse(raw) {
                    Ok(email) => emails.push(email.as_str().to_owned()),
                    Err(rule) => {
                        errors.push("officers", rule);
                        break;
                    }
                }
            }
            let reason = match reason.trim() {
                "" => None,
                raw => errors.check("reason", Reason::parse(raw)).map(Reason::into_inner),
            };
            errors.into_result().map_err(AppError::Invalid)?;
            let (
                Some(venue),
                Some(starts_at),
                Some(ends_at),
                Some(apply_until),
                Some(participants),
                Some(observers),
                Some(press),
                Some(plan),
            ) = (venue, starts, ends, until, participants, observers, press, plan)
            else {
                return Err(AppError::Internal);
            };
            let input = service::ScheduleInput {
                proposal_id,
                venue: venue.into_inner(),
                schedule: Schedule { starts_at, ends_at, apply_until },
                seats: Seats { participants, observers, press },
                plan_summary: plan.into_inner(),
                officers: emails,
                reason,
            };
            let id = service::schedule(&state.db, &Actor::new(&organizer, state.clock.as_ref()), input).await?;
            context::changed(Change::Everything);
            Ok(id)
        }
        .await,
    )
}

/// An organizer action on a hearing that takes no input but the hearing.
#[cfg(feature = "ssr")]
async fn organizer_step<F, Fut>(step: F) -> Result<(), AppError>
where
    F: FnOnce(crate::backend::AppState, crate::domain::account::Viewer) -> Fut,
    Fut: std::future::Future<Output = Result<i64, crate::backend::service::ServiceError>>,
{
    let (organizer, state) = context::acting(Role::Organizer)?;
    step(state, organizer).await?;
    context::changed(Change::Everything);
    Ok(())
}

#[server(endpoint = "publish_call")]
pub async fn publish_call(id: i64) -> Result<(), AppError> {
    context::with_status(
        organizer_step(|state, v| async move { service::publish_call(&state.db, &Actor::new(&v, state.clock.as_ref()), id).await }).await,
    )
}

#[server(endpoint = "extend_call")]
pub async fn extend_call(id: i64, #[server(default)] apply_until: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let until = parse_local_input(&apply_until).map_err(|rule| AppError::field("apply_until", rule))?;
            organizer_step(
                |state, v| async move { service::extend_call(&state.db, &Actor::new(&v, state.clock.as_ref()), id, until).await },
            )
            .await
        }
        .await,
    )
}

/// A signed-in citizen applies to attend and speak.
#[server(endpoint = "apply_hearing")]
pub async fn apply_hearing(
    id: i64,
    #[server(default)] constituency: String,
    #[server(default)] low_income: String,
    #[server(default)] statement: String,
) -> Result<i64, AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            let mut errors = Errors::new();
            let constituency = errors.check("constituency", Constituency::parse(&constituency));
            let statement = errors.check("statement", Statement::parse(&statement));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(constituency), Some(statement)) = (constituency, statement) else { return Err(AppError::Internal) };
            let low_income = matches!(low_income.trim(), "on" | "true" | "1" | "yes");
            let application =
                service::apply(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, constituency, low_income, statement.as_str())
                    .await?;
            context::changed(Change::Everything);
            Ok(application)
        }
        .await,
    )
}

/// Runs the draw; answers how many seats stayed empty.
#[server(endpoint = "run_draw")]
pub async fn run_draw(id: i64) -> Result<u32, AppError> {
    context::with_status(
        async {
            let (organizer, state) = context::acting(Role::Organizer)?;
            let record = service::run_draw(&state.db, &Actor::new(&organizer, state.clock.as_ref()), id).await?;
            context::changed(Change::Everything);
            Ok(record.outcome.unfilled)
        }
        .await,
    )
}

/// A participant gives up their seat.
#[server(endpoint = "decline_seat")]
pub async fn decline_seat(id: i64) -> Result<(), AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            service::decline(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "publish_lists")]
pub async fn publish_lists(id: i64) -> Result<(), AppError> {
    context::with_status(
        organizer_step(|state, v| async move { service::publish_lists(&state.db, &Actor::new(&v, state.clock.as_ref()), id).await }).await,
    )
}

#[server(endpoint = "send_materials")]
pub async fn send_materials(id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let reason = match reason.trim() {
                "" => None,
                raw => Some(Reason::parse(raw).map_err(|rule| AppError::field("reason", rule))?.into_inner()),
            };
            organizer_step(|state, v| async move {
                service::send_materials(&state.db, &Actor::new(&v, state.clock.as_ref()), id, reason.as_deref()).await
            })
            .await
        }
        .await,
    )
}

#[server(endpoint = "set_agenda")]
pub async fn set_agenda(id: i64, #[server(default)] agenda: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let agenda = HearingText::parse(&agenda).map_err(|rule| AppError::field("agenda", rule))?;
            organizer_step(|state, v| async move {
                service::set_agenda(&state.db, &Actor::new(&v, state.clock.as_ref()), id, agenda.as_str()).await
            })
            .await
        }
        .await,
    )
}

/// A participant's place in the speaking order and minutes.
#[server(endpoint = "set_speaker")]
pub async fn set_speaker(
    id: i64,
    application: i64,
    #[server(default)] position: String,
    #[server(default)] minutes: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let mut errors = Errors::new();
            let position = errors.check("position", position.trim().parse::<u32>().map_err(|_| Rule::OutOfRange { min: 1, max: 100 }));
            let minutes = errors.check("minutes", minutes.trim().parse::<u32>().map_err(|_| Rule::OutOfRange { min: 1, max: 30 }));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(position), Some(minutes)) = (position, minutes) else { return Err(AppError::Internal) };
            organizer_step(|state, v| async move {
                service::set_speaker(&state.db, &Actor::new(&v, state.clock.as_ref()), id, application, position, minutes).await
            })
            .await
        }
        .await,
    )
}

#[server(endpoint = "mark_attendance")]
pub async fn mark_attendance(id: i64, application: i64, #[server(default)] present: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let present = present.trim() == "1";
            organizer_step(|state, v| async move {
                service::mark_attendance(&state.db, &Actor::new(&v, state.clock.as_ref()), id, application, present).await
            })
            .await
        }
        .await,
    )
}

#[server(endpoint = "write_record")]
pub async fn write_record(id: i64, #[server(default)] record: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let record = Minutes::parse(&record).map_err(|rule| AppError::field("record", rule))?;
            organizer_step(|state, v| async move {
                service::write_record(&state.db, &Actor::new(&v, state.clock.as_ref()), id, record.as_str()).await
            })
            .await
        }
        .await,
    )
}

/// A participant confirms the record (`answer` = confirmed) or objects (with the objection).
#[server(endpoint = "answer_record")]
pub async fn answer_record(id: i64, #[server(default)] answer: String, #[server(default)] objection: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            let mut errors = Errors::new();
            let answer = errors.check("answer", Confirmation::parse(&answer));
            let objection = match objection.trim() {
                "" => None,
                raw => errors.check("objection", Statement::parse(raw)).map(Statement::into_inner),
            };
            errors.into_result().map_err(AppError::Invalid)?;
            let Some(answer) = answer else { return Err(AppError::Internal) };
            service::answer_record(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, answer, objection.as_deref()).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "publish_report")]
pub async fn publish_report(
    id: i64,
    #[server(default)] summary: String,
    #[server(default)] consumer: String,
    #[server(default)] operator: String,
    #[server(default)] expert: String,
    #[server(default)] other: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let mut errors = Errors::new();
            let summary = errors.check("summary", HearingText::parse(&summary));
            let mut part = |field: &str, raw: &str| match raw.trim() {
                "" => Some(String::new()),
                raw => errors.check(field, HearingText::parse(raw)).map(HearingText::into_inner),
            };
            let (consumer, operator, expert, other) =
                (part("consumer", &consumer), part("operator", &operator), part("expert", &expert), part("other", &other));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(summary), Some(consumer), Some(operator), Some(expert), Some(other)) = (summary, consumer, operator, expert, other)
            else {
                return Err(AppError::Internal);
            };
            let state = context::state()?;
            let report = HearingReport { summary: summary.into_inner(), consumer, operator, expert, other, published_at: state.now() };
            organizer_step(|state, v| async move {
                service::publish_report(&state.db, &Actor::new(&v, state.clock.as_ref()), id, &report).await
            })
            .await
        }
        .await,
    )
}

#[server(endpoint = "postpone_hearing")]
pub async fn postpone_hearing(
    id: i64,
    #[server(default)] starts_at: String,
    #[server(default)] ends_at: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let mut errors = Errors::new();
            let starts = errors.check("starts_at", parse_local_input(&starts_at));
            let ends = errors.check("ends_at", parse_local_input(&ends_at));
            let reason = errors.check("reason", Reason::parse(&reason));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(starts), Some(ends), Some(reason)) = (starts, ends, reason) else { return Err(AppError::Internal) };
            organizer_step(|state, v| async move {
                service::postpone(&state.db, &Actor::new(&v, state.clock.as_ref()), id, starts, ends, reason.as_str()).await
            })
            .await
        }
        .await,
    )
}

#[server(endpoint = "cancel_hearing")]
pub async fn cancel_hearing(id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let reason = Reason::parse(&reason).map_err(|rule| AppError::field("reason", rule))?;
            organizer_step(|state, v| async move {
                service::cancel(&state.db, &Actor::new(&v, state.clock.as_ref()), id, reason.as_str()).await
            })
            .await
        }
        .await,
    )
}

/// The organizer's list of applications: filtered, in keyset pages of 50.
#[server(endpoint = "hearing_applicants")]
pub async fn list_applicants(
    id: i64,
    #[server(default)] constituency: String,
    #[server(default)] low_income: String,
    #[server(default)] state: String,
    #[server(default)] after: i64,
) -> Result<Page<ApplicantRow>, AppError> {
    context::with_status(
        async {
            let (_, app) = context::acting(Role::Organizer)?;
            let filter = ApplicantFilter {
                constituency: Constituency::parse(&constituency).ok(),
                low_income: match low_income.trim() {
                    "1" | "yes" => Some(true),
                    "0" | "no" => Some(false),
                    _ => None,
                },
                state: ApplicationState::parse(&state).ok(),
            };
            app.db.hearing_applicants(id, filter, after.max(0), APPLICANT_PAGE_SIZE).await.map_err(context::db_error)
        }
        .await,
    )
}

/// The published draw, re-run by the server as a check (anyone can re-run it too).
#[server(endpoint = "hearing_draw")]
pub async fn get_draw(id: i64) -> Result<DrawRecord, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            state.db.hearing_draw(id).await.map_err(context::db_error)?.ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// The reader's notices, newest first, and how many are unread.
#[server(endpoint = "hearing_notices")]
pub async fn hearing_notices() -> Result<(Vec<HearingNotice>, i64), AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            state.db.hearing_notices(viewer.id, 100).await.map_err(context::db_error)
        }
        .await,
    )
}

#[server(endpoint = "mark_notices_read")]
pub async fn mark_notices_read() -> Result<(), AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            service::mark_notices_read(&state.db, &Actor::new(&viewer, state.clock.as_ref())).await?;
            Ok(())
        }
        .await,
    )
}
