//! Penalty review: the public list with each agency's record of following its panels,
//! each case's page, the published draw; an official's submission, masking, draw,
//! statement, closing and reply; a panelist's answer and opinion; the reviewer pool.

// a form's fields are a server function's arguments; the submission form has ten (the
// browser build's generated client function does not carry an item-level allow)
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::types::{Agency, AgencyFollow, MyPanel, Page, PanelDrawRecord, PenaltyDetail, PenaltySummary, PoolMember};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    backend::{
        context::{self, Change},
        service::{penalties as service, Actor},
        store::penalties::{CaseFilter, CaseReader},
    },
    domain::{
        penalty::{parse_amount, Conflict, ConflictKind, Opinion, PenaltyKind, ReplyKind},
        role::Role,
        rule::Errors,
        text::{line_list, CaseNumber, CaseText, Explanation, PartyName, PlaceName, Reason, Statement},
        Rule,
    },
};

/// Cases per page of the public list.
pub const CASE_PAGE_SIZE: i64 = 20;
/// Ended reviews on the home page.
pub const HOME_OUTCOMES: i64 = 5;
/// Reviewers per page of the admin's pool.
pub const POOL_PAGE_SIZE: i64 = 50;

/// The public list: one page of cases, each agency's record, the years and agencies to filter by.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PenaltyList {
    pub page: Page<PenaltySummary>,
    pub follow: Vec<AgencyFollow>,
    pub years: Vec<i32>,
    pub agencies: Vec<Agency>,
    /// The reader is an official (may submit a case).
    pub official: bool,
}

#[cfg(feature = "ssr")]
fn case_reader() -> Option<CaseReader> {
    context::viewer().map(|v| CaseReader {
        user: v.id,
        official_of: if v.has(Role::Official) { v.agency_id } else { None },
        admin: v.has(Role::Admin),
    })
}

#[cfg(feature = "ssr")]
fn actor_parts() -> Result<(crate::domain::account::Viewer, crate::backend::AppState), AppError> {
    Ok((context::require_signed_in()?, context::state()?))
}

/// Public cases, newest first, by agency and year (`before`: the next page's cursor).
#[server(endpoint = "penalties")]
pub async fn list_penalties(
    #[server(default)] agency: String,
    #[server(default)] year: String,
    #[server(default)] before: String,
) -> Result<PenaltyList, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let viewer = context::viewer();
            let number = |field: &'static str, raw: &str| -> Result<Option<i64>, AppError> {
                match raw.trim() {
                    "" => Ok(None),
                    raw => raw.parse::<i64>().map(Some).map_err(|_| AppError::field(field, Rule::UnknownChoice)),
                }
            };
            let filter = CaseFilter {
                agency: number("agency", &agency)?,
                year: number("year", &year)?.map(|y| y.clamp(2000, 2200) as i32),
                drafts_of: viewer.as_ref().filter(|v| v.has(Role::Official)).and_then(|v| v.agency_id),
                outcomes: false,
            };
            let before = number("before", &before)?.unwrap_or(i64::MAX);
            let (page, follow, years) =
                state.db.penalty_cases(filter, before, CASE_PAGE_SIZE, state.now()).await.map_err(context::db_error)?;
            let agencies = state.db.agency_list().await.map_err(context::db_error)?;
            let official = viewer.is_some_and(|v| v.has(Role::Official));
            Ok(PenaltyList { page, follow, years, agencies, official })
        }
        .await,
    )
}

/// The latest cases whose review has ended: what the panel said and how the agency
/// replied (the home page).
#[server(endpoint = "penalty_outcomes")]
pub async fn recent_outcomes(#[server(default)] agency: String) -> Result<Vec<PenaltySummary>, AppError> {
    context::with_query_status(
        async {
            let state = context::state()?;
            let agency = match agency.trim() {
                "" => None,
                raw => Some(raw.parse::<i64>().map_err(|_| AppError::field("agency", Rule::UnknownAgency))?),
            };
            let page = state.db.penalty_outcomes(agency, i64::MAX, HOME_OUTCOMES, state.now()).await.map_err(context::db_error)?;
            Ok(page.items)
        }
        .await,
    )
}

/// A case's page, with what this reader may see.
#[server(endpoint = "penalty")]
pub async fn get_penalty(id: i64) -> Result<PenaltyDetail, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            state.db.penalty_detail(id, case_reader(), state.now()).await.map_err(context::db_error)?.ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// The published panel draw.
#[server(endpoint = "penalty_draw")]
pub async fn get_penalty_draw(id: i64) -> Result<PanelDrawRecord, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            state.db.penalty_draw(id).await.map_err(context::db_error)?.ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// An official submits a case; answers its id (a draft until the masking is confirmed).
#[server(endpoint = "submit_penalty")]
pub async fn submit_penalty(
    #[server(default)] case_number: String,
    #[server(default)] district: String,
    #[server(default)] party_name: String,
    #[server(default)] names: String,
    #[server(default)] facts: String,
    #[server(default)] basis: String,
    #[server(default)] discretion: String,
    #[server(default)] penalty_kind: String,
    #[server(default)] amount: String,
    #[server(default)] panel_size: String,
) -> Result<i64, AppError> {
    context::with_status(
        async {
            let (official, state) = context::acting(Role::Official)?;
            let mut errors = Errors::new();
            let case_number = errors.check("case_number", CaseNumber::parse(&case_number));
            let district = errors.check("district", PlaceName::parse(&district));
            let party = errors.check("party_name", PartyName::parse(&party_name));
            let names = errors.check("names", line_list(&names, PartyName::parse));
            let facts = errors.check("facts", CaseText::parse(&facts));
            let basis = errors.check("basis", CaseText::parse(&basis));
            let discretion = errors.check("discretion", CaseText::parse(&discretion));
            let kind = errors.check("penalty_kind", PenaltyKind::parse(&penalty_kind));
            let amount = errors.check("amount", parse_amount(&amount));
            let size = match panel_size.trim() {
                "" => Some(crate::domain::penalty::DEFAULT_PANEL),
                raw => errors.check("panel_size", raw.parse::<u32>().map_err(|_| Rule::PanelSize { min: 5, max: 9 })),
            };
            errors.into_result().map_err(AppError::Invalid)?;
            let (
                Some(case_number),
                Some(district),
                Some(party),
                Some(names),
                Some(facts),
                Some(basis),
                Some(discretion),
                Some(kind),
                Some(amount),
                Some(size),
            ) = (case_number, district, party, names, facts, basis, discretion, kind, amount, size)
            else {
                return Err(AppError::Internal);
            };
            let input = service::CaseInput {
                case_number: case_number.into_inner(),
                district: district.into_inner(),
                party_name: party.into_inner(),
                listed_names: names.into_iter().map(PartyName::into_inner).collect(),
                texts: [facts.into_inner(), basis.into_inner(), discretion.into_inner()],
                penalty_kind: kind,
                amount,
                panel_size: size,
            };
            let id = service::submit(&state.db, &Actor::new(&official, state.clock.as_ref()), input).await?;
            context::changed(Change::Everything);
            leptos_axum::redirect(&format!("/penalties/{id}#agency"));
            Ok(id)
        }
        .await,
    )
}

/// The official confirms the masked text (as corrected) and publishes the case.
#[server(endpoint = "confirm_masking")]
pub async fn confirm_masking(
    id: i64,
    #[server(default)] case_number: String,
    #[server(default)] facts: String,
    #[server(default)] basis: String,
    #[server(default)] discretion: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let mut errors = Errors::new();
            let case_number = errors.check("case_number", CaseNumber::parse(&case_number));
            let facts = errors.check("facts", CaseText::parse(&facts));
            let basis = errors.check("basis", CaseText::parse(&basis));
            let discretion = errors.check("discretion", CaseText::parse(&discretion));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(case_number), Some(facts), Some(basis), Some(discretion)) = (case_number, facts, basis, discretion) else {
                return Err(AppError::Internal);
            };
            let masked = [facts.into_inner(), basis.into_inner(), discretion.into_inner()];
            service::confirm_masking(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, masked, case_number.as_str()).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// The official records the party's statement (masked like the case).
#[server(endpoint = "party_statement")]
pub async fn party_statement(id: i64, #[server(default)] statement: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let statement = CaseText::parse(&statement).map_err(|rule| AppError::field("statement", rule))?;
            service::add_statement(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, statement.as_str()).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// Draws the panel; answers how many reviewers were eligible.
#[server(endpoint = "draw_panel")]
pub async fn draw_panel(id: i64, #[server(default)] size: String, #[server(default)] review_days: String) -> Result<u32, AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let mut errors = Errors::new();
            let size = match size.trim() {
                "" => Some(crate::domain::penalty::DEFAULT_PANEL),
                raw => errors.check("size", raw.parse::<u32>().map_err(|_| Rule::PanelSize { min: 5, max: 9 })),
            };
            let days = match review_days.trim() {
                "" => Some(crate::domain::penalty::DEFAULT_REVIEW_DAYS),
                raw => errors.check("review_days", raw.parse::<u32>().map_err(|_| Rule::OutOfRange { min: 5, max: 30 })),
            };
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(size), Some(days)) = (size, days) else { return Err(AppError::Internal) };
            let record = service::draw_panel(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, size, days).await?;
            context::changed(Change::Everything);
            Ok(record.eligible.len() as u32)
        }
        .await,
    )
}

/// A panelist accepts (`answer=accept`) or declines the invitation.
#[server(endpoint = "answer_invitation")]
pub async fn answer_invitation(id: i64, #[server(default)] answer: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let accept = match answer.trim() {
                "accept" => true,
                "decline" => false,
                _ => return Err(AppError::field("answer", Rule::UnknownChoice)),
            };
            service::answer_invitation(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, accept).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// A panelist gives or revises an opinion.
#[server(endpoint = "give_opinion")]
pub async fn give_opinion(
    id: i64,
    #[server(default)] opinion: String,
    #[server(default)] reasons: String,
    #[server(default)] amount: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let mut errors = Errors::new();
            let opinion = errors.check("opinion", Opinion::parse(&opinion));
            let reasons = errors.check("reasons", Explanation::parse(&reasons));
            let amount = errors.check("amount", parse_amount(&amount));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(opinion), Some(reasons), Some(amount)) = (opinion, reasons, amount) else { return Err(AppError::Internal) };
            service::give_opinion(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, opinion, reasons.as_str(), amount).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// What closing the review did: concluded, or how many were replaced.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClosingResult {
    pub concluded: bool,
    pub replaced: u32,
}

#[server(endpoint = "close_review")]
pub async fn close_review(id: i64) -> Result<ClosingResult, AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let closed = service::close_review(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id).await?;
            context::changed(Change::Everything);
            Ok(match closed {
                service::Closed::Concluded(_) => ClosingResult { concluded: true, replaced: 0 },
                service::Closed::Replaced(n, _) => ClosingResult { concluded: false, replaced: n },
            })
        }
        .await,
    )
}

/// The agency's reply to the panel's opinion.
#[server(endpoint = "reply_penalty")]
pub async fn reply_penalty(
    id: i64,
    #[server(default)] reply: String,
    #[server(default)] reasons: String,
    #[server(default)] final_kind: String,
    #[server(default)] final_amount: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let mut errors = Errors::new();
            let reply = errors.check("reply", ReplyKind::parse(&reply));
            let reasons = errors.check("reasons", Explanation::parse(&reasons));
            let kind = errors.check("final_kind", PenaltyKind::parse(&final_kind));
            let amount = errors.check("final_amount", parse_amount(&final_amount));
            errors.into_result().map_err(AppError::Invalid)?;
            let (Some(reply), Some(reasons), Some(kind), Some(amount)) = (reply, reasons, kind, amount) else {
                return Err(AppError::Internal);
            };
            service::reply(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, reply, reasons.as_str(), kind, amount).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "withdraw_penalty")]
pub async fn withdraw_penalty(id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let reason = Reason::parse(&reason).map_err(|rule| AppError::field("reason", rule))?;
            service::withdraw(&state.db, &Actor::new(&viewer, state.clock.as_ref()), id, reason.as_str()).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

// ---- the pool

/// The reader's place in the pool and their panels, with the agencies to declare.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PoolPlace {
    pub member: Option<PoolMember>,
    pub panels: Vec<MyPanel>,
    pub agencies: Vec<Agency>,
    pub admin: bool,
}

#[server(endpoint = "my_pool")]
pub async fn my_pool() -> Result<PoolPlace, AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let (member, panels) = state.db.my_pool_place(viewer.id, state.now()).await.map_err(context::db_error)?;
            let agencies = state.db.agency_list().await.map_err(context::db_error)?;
            Ok(PoolPlace { member, panels, agencies, admin: viewer.has(Role::Admin) })
        }
        .await,
    )
}

/// The conflicts from the form: agency ids ticked, districts and parties one per line.
#[cfg(feature = "ssr")]
fn conflicts(agencies: &[String], districts: &str, parties: &str, errors: &mut Errors) -> Vec<Conflict> {
    let mut out = Vec::new();
    for raw in agencies {
        match raw.trim().parse::<i64>() {
            Ok(id) => out.push(Conflict { kind: ConflictKind::Agency, agency_id: Some(id), text: String::new() }),
            Err(_) => errors.push("agencies", Rule::UnknownAgency),
        }
    }
    if let Some(list) = errors.check("districts", line_list(districts, PlaceName::parse)) {
        out.extend(list.into_iter().map(|d| Conflict { kind: ConflictKind::District, agency_id: None, text: d.into_inner() }));
    }
    if let Some(list) = errors.check("parties", line_list(parties, PartyName::parse)) {
        out.extend(list.into_iter().map(|p| Conflict { kind: ConflictKind::Party, agency_id: None, text: p.into_inner() }));
    }
    out
}

/// A citizen volunteers for the reviewer pool, declaring conflicts.
#[server(endpoint = "volunteer")]
pub async fn volunteer(
    #[server(default)] motivation: String,
    #[server(default)] agencies: Vec<String>,
    #[server(default)] districts: String,
    #[server(default)] parties: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let mut errors = Errors::new();
            let motivation = errors.check("motivation", Statement::parse(&motivation));
            let conflicts = conflicts(&agencies, &districts, &parties, &mut errors);
            errors.into_result().map_err(AppError::Invalid)?;
            let Some(motivation) = motivation else { return Err(AppError::Internal) };
            service::volunteer(&state.db, &Actor::new(&viewer, state.clock.as_ref()), motivation.as_str(), &conflicts).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// A reviewer declares their conflicts anew.
#[server(endpoint = "declare_conflicts")]
pub async fn declare_conflicts(
    #[server(default)] agencies: Vec<String>,
    #[server(default)] districts: String,
    #[server(default)] parties: String,
) -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            let mut errors = Errors::new();
            let conflicts = conflicts(&agencies, &districts, &parties, &mut errors);
            errors.into_result().map_err(AppError::Invalid)?;
            service::declare_conflicts(&state.db, &Actor::new(&viewer, state.clock.as_ref()), &conflicts).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "leave_pool")]
pub async fn leave_pool() -> Result<(), AppError> {
    context::with_status(
        async {
            let (viewer, state) = actor_parts()?;
            service::leave_pool(&state.db, &Actor::new(&viewer, state.clock.as_ref())).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// The admin's view of the pool: waiting volunteers, or everyone.
#[server(endpoint = "reviewer_pool")]
pub async fn reviewer_pool(#[server(default)] all: String, #[server(default)] after: String) -> Result<Page<PoolMember>, AppError> {
    context::with_status(
        async {
            let (_, state) = context::acting(Role::Admin)?;
            let after = after.trim().parse::<i64>().unwrap_or(0);
            let waiting = all.trim().is_empty();
            state.db.reviewer_pool(waiting, after, POOL_PAGE_SIZE, state.now()).await.map_err(context::db_error)
        }
        .await,
    )
}

/// An admin approves a volunteer (or renews a term) for `years` (default 2).
#[server(endpoint = "approve_reviewer")]
pub async fn approve_reviewer(member: i64, #[server(default)] years: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (admin, state) = context::acting(Role::Admin)?;
            let years = match years.trim() {
                "" => crate::domain::penalty::DEFAULT_TERM_YEARS,
                raw => raw.parse::<u32>().map_err(|_| AppError::field("years", Rule::OutOfRange { min: 1, max: 5 }))?,
            };
            service::approve(&state.db, &Actor::new(&admin, state.clock.as_ref()), member, years).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}

#[server(endpoint = "reject_reviewer")]
pub async fn reject_reviewer(member: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let (admin, state) = context::acting(Role::Admin)?;
            let reason = Reason::parse(&reason).map_err(|rule| AppError::field("reason", rule))?;
            service::reject(&state.db, &Actor::new(&admin, state.clock.as_ref()), member, reason.as_str()).await?;
            context::changed(Change::Everything);
            Ok(())
        }
        .await,
    )
}
