//! Gates and their evidence; projects; the reviewer queue; the working-day calendar and
//! the approval policy.

use leptos::prelude::*;

use super::types::{BlockedItem, GateBoard, Page, ProjectDetail, ProjectSummary, QueueItem};
use crate::{domain::calendar::CalendarDay, error::AppError};

#[cfg(feature = "ssr")]
use crate::{
    backend::{
        context,
        service::{gates as service, projects as project_service, Actor},
    },
    domain::{
        calendar::DayKind,
        gate::{Gate, GateSubject},
        project::ProjectKind,
        review::{AssessmentMethod, LegalityOpinion, RiskLevel, Verdict},
        role::Role,
        rule::Errors,
        text::{EvidenceText, Explanation, ProjectSummaryText, Reason, Title},
        time::parse_local_date,
        Rule,
    },
};

pub const PROJECT_PAGE_SIZE: i64 = 20;
/// Blocked proposals and projects on the home page, and on a page of `/blocked`.
pub const BLOCKED_HOME: i64 = 5;
pub const BLOCKED_PAGE: i64 = 20;

#[cfg(feature = "ssr")]
fn subject_of(kind: &str, id: i64) -> Result<GateSubject, AppError> {
    GateSubject::parse(kind, id).ok_or(AppError::NotFound)
}

/// The checklist with its evidence, for everyone (a draft's only for its agency).
#[server(endpoint = "gates")]
pub async fn get_gates(subject: String, id: i64) -> Result<GateBoard, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let subject = subject_of(&subject, id)?;
            let (board, public) = state.db.gate_board(subject, state.now()).await.map_err(context::db_error)?.ok_or(AppError::NotFound)?;
            if !public && !context::viewer().is_some_and(|v| v.may_publish_for(board.agency_id)) {
                return Err(AppError::NotFound);
            }
            Ok(board)
        }
        .await,
    )
}

/// Proposals and projects that may not go ahead, most recently blocked first, with the
/// gates that hold each back; narrowed like the proposal lists. `size`: 5 on the home
/// page, 20 on `/blocked`.
#[server(endpoint = "blocked")]
pub async fn list_blocked(
    #[server(default)] after: String,
    #[server(default)] agency: String,
    #[server(default)] domain: String,
    #[server(default)] kind: String,
    short: bool,
) -> Result<Page<BlockedItem>, AppError> {
    use crate::backend::store::gates::BlockedCursor;
    context::with_query_status(
        async {
            let state = context::state()?;
            let mut errors = Errors::new();
            let filter = crate::api::proposals::read_filter(&state, &agency, &domain, &kind, &mut errors).await?;
            let cursor = match after.trim() {
                "" => None,
                raw => errors.check("after", BlockedCursor::decode(raw).ok_or(Rule::UnknownChoice)),
            };
            errors.into_result()?;
            let size = if short { BLOCKED_HOME } else { BLOCKED_PAGE };
            let (items, next) = state.db.blocked(filter, cursor, size, state.now()).await.map_err(context::db_error)?;
            Ok(Page { items, next: next.map(|c| c.encode()) })
        }
        .await,
    )
}

/// A reviewer adds a gate to a checklist, with the reason (audited; never removed).
#[server(endpoint = "add_gate")]
pub async fn add_gate(subject: String, id: i64, gate: String, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (reviewer, state) = context::acting(Role::Reviewer)?;
            let subject = subject_of(&subject, id)?;
            let mut errors = Errors::new();
            let gate: Option<Gate> =
                errors.check("gate", serde_json::from_value(serde_json::Value::String(gate)).map_err(|_| Rule::UnknownChoice));
            let reason = errors.check("reason", Reason::parse(&reason));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(gate), Some(reason)) = (gate, reason) else { return Err(AppError::Internal) };
            service::add_gate(&state.db, &Actor::new(&reviewer, state.clock.as_ref()), subject, gate, reason.as_str()).await?;
            context::changed(subject.into());
            Ok(())
        }
        .await,
    )
}

/// The agency submits a stability risk assessment (files are attached to it after).
#[server(endpoint = "submit_assessment")]
#[allow(clippy::too_many_arguments)]
pub async fn submit_assessment(
    subject: String,
    id: i64,
    #[server(default)] level: String,
    #[server(default)] method: String,
    #[server(default)] risk_points: String,
    #[server(default)] prevention: String,
    #[server(default)] response_plan: String,
) -> Result<i64, AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let subject = subject_of(&subject, id)?;
            let mut errors = Errors::new();
            let level = errors.check("level", RiskLevel::parse(&level));
            let method = errors.check("method", AssessmentMethod::parse(&method));
            let risk_points = errors.check("risk_points", EvidenceText::parse(&risk_points));
            let prevention = errors.check("prevention", EvidenceText::parse(&prevention));
            let response_plan = errors.check("response_plan", EvidenceText::parse(&response_plan));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(level), Some(method), Some(risk_points), Some(prevention), Some(response_plan)) =
                (level, method, risk_points, prevention, response_plan)
            else {
                return Err(AppError::Internal);
            };
            let input = service::AssessmentInput {
                level,
                method,
                risk_points: risk_points.into_inner(),
                prevention: prevention.into_inner(),
                response_plan: response_plan.into_inner(),
            };
            let id = service::submit_assessment(&state.db, &Actor::new(&official, state.clock.as_ref()), subject, input).await?;
            context::changed(subject.into());
            Ok(id)
        }
        .await,
    )
}

/// The agency attaches mitigation to a medium-risk assessment.
#[server(endpoint = "attach_mitigation")]
pub async fn attach_mitigation(assessment_id: i64, #[server(default)] mitigation: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let mitigation = EvidenceText::parse(&mitigation).map_err(|rule| AppError::field("mitigation", rule))?;
            service::attach_mitigation(&state.db, &Actor::new(&official, state.clock.as_ref()), assessment_id, mitigation.as_str()).await?;
            context::changed(context::Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// A reviewer approves or rejects an assessment, with the reason.
#[server(endpoint = "decide_assessment")]
pub async fn decide_assessment(
    assessment_id: i64,
    #[server(default)] verdict: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let (reviewer, state) = context::acting(Role::Reviewer)?;
            let mut errors = Errors::new();
            let verdict = errors.check("verdict", Verdict::parse(&verdict));
            let reason = errors.check("reason", Explanation::parse(&reason));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(verdict), Some(reason)) = (verdict, reason) else { return Err(AppError::Internal) };
            service::decide_assessment(&state.db, &Actor::new(&reviewer, state.clock.as_ref()), assessment_id, verdict, reason.as_str())
                .await?;
            context::changed(context::Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// The agency requests a legality review, with the draft and materials.
#[server(endpoint = "request_legality")]
pub async fn request_legality(subject: String, id: i64, #[server(default)] materials: String) -> Result<i64, AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let subject = subject_of(&subject, id)?;
            let materials = EvidenceText::parse(&materials).map_err(|rule| AppError::field("materials", rule))?;
            let id =
                service::request_legality(&state.db, &Actor::new(&official, state.clock.as_ref()), subject, materials.as_str()).await?;
            context::changed(subject.into());
            Ok(id)
        }
        .await,
    )
}

/// The reviewing office records its opinion, no earlier than 7 working days after the request.
#[server(endpoint = "record_opinion")]
pub async fn record_opinion(review_id: i64, #[server(default)] opinion: String, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (reviewer, state) = context::acting(Role::Reviewer)?;
            let mut errors = Errors::new();
            let opinion = errors.check("opinion", LegalityOpinion::parse(&opinion));
            let reason = errors.check("reason", Explanation::parse(&reason));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(opinion), Some(reason)) = (opinion, reason) else { return Err(AppError::Internal) };
            service::record_opinion(&state.db, &Actor::new(&reviewer, state.clock.as_ref()), review_id, opinion, reason.as_str()).await?;
            context::changed(context::Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// What awaits reviewers, oldest first.
#[server(endpoint = "review_queue")]
pub async fn review_queue() -> Result<Vec<QueueItem>, AppError> {
    context::with_status(
        async {
            let (_, state) = context::acting(Role::Reviewer)?;
            state.db.review_queue(state.now(), 200).await.map_err(context::db_error)
        }
        .await,
    )
}

#[server(endpoint = "projects")]
pub async fn list_projects(before: Option<i64>) -> Result<Page<ProjectSummary>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let rows = state.db.list_projects(before, PROJECT_PAGE_SIZE + 1).await.map_err(context::db_error)?;
            Ok(Page::cut(rows, PROJECT_PAGE_SIZE, |p| p.id.to_string()))
        }
        .await,
    )
}

#[server(endpoint = "project")]
pub async fn get_project(id: i64) -> Result<ProjectDetail, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            state.db.project_detail(id).await.map_err(context::db_error)?.ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// An official registers a project of their agency; the answer is its id.
#[server(endpoint = "register_project")]
pub async fn register_project(
    #[server(default)] kind: String,
    #[server(default)] title: String,
    #[server(default)] summary: String,
) -> Result<i64, AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let mut errors = Errors::new();
            let kind = errors.check("kind", ProjectKind::parse(&kind));
            let title = errors.check("title", Title::parse(&title));
            let summary = errors.check("summary", ProjectSummaryText::parse(&summary));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(kind), Some(title), Some(summary)) = (kind, title, summary) else { return Err(AppError::Internal) };
            let id =
                project_service::register(&state.db, &Actor::new(&official, state.clock.as_ref()), kind, title.as_str(), summary.as_str())
                    .await?;
            context::changed(context::Change::Everything);
            Ok(id)
        }
        .await,
    )
}

/// "Proceed": refused, naming every unmet gate, until each has its evidence.
#[server(endpoint = "proceed_project")]
pub async fn proceed_project(project_id: i64) -> Result<(), AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            project_service::proceed(&state.db, &Actor::new(&official, state.clock.as_ref()), project_id).await?;
            context::changed(context::Change::Everything);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "halt_project")]
pub async fn halt_project(project_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            let reason = Reason::parse(&reason).map_err(|rule| AppError::field("reason", rule))?;
            project_service::halt(&state.db, &Actor::new(&viewer, state.clock.as_ref()), project_id, reason.as_str()).await?;
            context::changed(context::Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// The marked days of one year of the working-day calendar, and that year: this year in
/// Beijing by the server's clock when none is asked for.
#[server(endpoint = "calendar")]
pub async fn calendar_year(year: Option<i32>) -> Result<(i32, Vec<CalendarDay>), AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let year = year.unwrap_or_else(|| chrono::Datelike::year(&state.now().with_timezone(&crate::domain::time::shanghai())));
            Ok((year, state.db.calendar_year(year).await.map_err(context::db_error)?))
        }
        .await,
    )
}

/// The admin marks a day (a public holiday or an adjusted working day) or clears it.
#[server(endpoint = "set_calendar_day")]
pub async fn set_calendar_day(
    #[server(default)] day: String,
    #[server(default)] kind: String,
    #[server(default)] name: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let (admin, state) = context::acting(Role::Admin)?;
            let mut errors = Errors::new();
            let day = errors.check("day", parse_local_date(&day));
            let kind = match kind.trim() {
                "clear" => Some(None),
                raw => errors.check("kind", DayKind::parse(raw)).map(Some),
            };
            let name = if matches!(kind, Some(None)) {
                Some(String::new())
            } else {
                errors.check("name", crate::domain::text::single_line(&name, 1, 100))
            };
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(day), Some(kind), Some(name)) = (day, kind, name) else { return Err(AppError::Internal) };
            service::set_calendar_day(&state.db, &Actor::new(&admin, state.clock.as_ref()), day, kind, &name).await?;
            Ok(())
        }
        .await,
    )
}

/// How many independent approvals an assessment needs, per kind of proposal or project.
#[server(endpoint = "approval_policy")]
pub async fn approval_policy() -> Result<Vec<(String, u8)>, AppError> {
    context::with_status(async { context::state()?.db.approval_policy().await.map_err(context::db_error) }.await)
}

#[server(endpoint = "set_approvals")]
pub async fn set_approvals(#[server(default)] kind: String, approvals: u8) -> Result<(), AppError> {
    context::with_status(
        async {
            let (admin, state) = context::acting(Role::Admin)?;
            let kind = crate::domain::proposal::ProposalKind::parse(&kind)
                .map(|k| k.as_str())
                .or_else(|_| ProjectKind::parse(&kind).map(|k| k.as_str()))
                .map_err(|rule| AppError::field("kind", rule))?;
            service::set_approvals(&state.db, &Actor::new(&admin, state.clock.as_ref()), kind, approvals).await?;
            Ok(())
        }
        .await,
    )
}
