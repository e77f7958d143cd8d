//! `/api/v1`: read access for other systems to what Minyi publishes — proposals with their
//! gate checklist, their published comments, hearings, feedback reports and penalty
//! review outcomes — as JSON, with keyset cursors, one error
//! shape, a per-client rate limit (429 with `Retry-After`), and CORS open to any origin
//! for these reads. The OpenAPI 3.1 document at `/api/v1/openapi.json` is generated from
//! the same handlers the router mounts (utoipa-axum), so the two cannot drift.
//!
//! Each answer maps from the store's read models into types of this module: what other
//! systems rely on changes only with a new version of the API.

use std::{num::NonZeroU32, sync::Arc};

use app::{
    backend::{
        store::{comments::Reader, proposals::ListCursor},
        AppState,
    },
    domain::{
        gate::GateSubject,
        proposal::{ProposalFilter, WindowPhase},
    },
    model,
};
use axum::{
    extract::{rejection::PathRejection, rejection::QueryRejection, Extension, Path, Query, Request},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json, Router,
};
use chrono::{DateTime, Utc};
use governor::{clock::Clock, DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Proposals and comments on a page.
pub const PAGE_SIZE: i64 = 50;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Minyi public API",
        version = "1",
        description = "Read access to the drafts published for comment, their gate checklists and published comments, \
                       public hearings, feedback reports and the outcomes of penalty reviews. \
                       Lists are keyset-paginated: pass the `next` of one page as the cursor of the next. \
                       Every error has the body `ApiError`. Requests are limited per client address (429 with Retry-After)."
    ),
    tags(
        (name = "proposals", description = "Drafts published for public comment"),
        (name = "hearings", description = "Public hearings required before pricing, education, health and other decisions"),
        (name = "penalties", description = "Public review of administrative penalty cases by citizen panels")
    )
)]
struct ApiDoc;

/// The one shape of every error.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: `bad_request`, `not_found`, `rate_limited`, `unavailable`.
    pub code: String,
    /// What went wrong and what to do, in English.
    pub message: String,
}

fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let body = ApiError { error: ErrorBody { code: code.to_owned(), message: message.into() } };
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

fn unavailable(e: sqlx::Error) -> Response {
    tracing::error!(error = ?e, "api: storage");
    let mut r = error(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "storage unavailable; try again shortly");
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    r
}

fn json<T: Serialize>(body: T) -> Response {
    ([(header::CACHE_CONTROL, "public, max-age=10")], Json(body)).into_response()
}

/// The stored name of an enum value (its serde form).
fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AgencyRef {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
}

impl From<model::Agency> for AgencyRef {
    fn from(a: model::Agency) -> Self {
        Self { id: a.id, name_zh: a.name_zh, name_en: a.name_en }
    }
}

/// A proposal published for comment.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Proposal {
    pub id: i64,
    pub title: String,
    /// e.g. `regulation`, `policy_adjustment`, `major_project`.
    pub kind: String,
    pub agency: AgencyRef,
    /// e.g. `pricing`, `transport`, `education`.
    pub domains: Vec<String>,
    /// `published`, `feedback_published`, `adopted` or `withdrawn`.
    pub status: String,
    /// The comment window's phase when the server answered: `open`, `upcoming`, `closed`.
    pub phase: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// A public hearing is required (education, health, social security, housing, pricing, fees).
    pub hearing_required: bool,
    pub comment_count: i64,
    /// Groups of two or more identical or near-identical comments.
    pub campaign_count: i64,
    pub commenter_count: i64,
    pub withdrawn_reason: Option<String>,
    /// The page people read it on.
    pub url: String,
}

impl From<model::ProposalSummary> for Proposal {
    fn from(p: model::ProposalSummary) -> Self {
        Self {
            url: format!("/proposals/{}", p.id),
            id: p.id,
            title: p.title,
            kind: name(&p.kind),
            agency: p.agency.into(),
            domains: p.domains.iter().map(|d| d.as_str().to_owned()).collect(),
            status: p.status.as_str().to_owned(),
            phase: name(&p.phase),
            opens_at: p.window.opens_at,
            closes_at: p.window.closes_at,
            hearing_required: p.hearing_required,
            comment_count: p.comment_count,
            campaign_count: p.campaign_count,
            commenter_count: p.commenter_count,
            withdrawn_reason: p.withdrawn_reason,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ProposalPage {
    pub items: Vec<Proposal>,
    /// The cursor of the next page (`after`), if there is one.
    pub next: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Clause {
    pub number: u32,
    /// Sanitised HTML.
    pub html: String,
}

/// One required step and whether its evidence is on file.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct GateItem {
    /// e.g. `public_comment`, `feedback_report`, `hearing_report`, `stability_risk`, `legality_review`.
    pub gate: String,
    /// `met`, or why not (e.g. `missing`, `pending`, `rejected`).
    pub state: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub proposal: Proposal,
    /// The current version's number.
    pub version: u32,
    pub published_at: Option<DateTime<Utc>>,
    pub clauses: Vec<Clause>,
    /// Every step the rules require before adoption.
    pub gates: Vec<GateItem>,
    /// The gates not met: while any is listed, the proposal cannot be adopted.
    pub unmet_gates: Vec<String>,
    /// Published comments by stance.
    pub stances: StanceCounts,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct StanceCounts {
    pub support: i64,
    pub oppose: i64,
    pub suggestion: i64,
}

/// A published comment (hidden ones are never listed).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Comment {
    pub id: i64,
    /// The display name the author chose.
    pub author: String,
    /// `support`, `oppose` or `suggestion`.
    pub stance: String,
    /// The clause it is about, if any.
    pub clause: Option<u32>,
    /// The version of the text it was written on.
    pub version: u32,
    /// Sanitised HTML.
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub support_count: i64,
    /// The campaign group (identical or near-identical comments share one).
    pub campaign: i64,
    pub campaign_size: i64,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CommentPage {
    pub items: Vec<Comment>,
    /// The cursor of the next (older) page (`before`), if there is one.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct ProposalsQuery {
    /// `open` (closing soonest first, the default), `upcoming` or `closed` (most recently closed first).
    pub phase: Option<String>,
    /// The `next` of the previous page.
    pub after: Option<String>,
    /// Only this agency's proposals (its id).
    pub agency: Option<String>,
    /// Only proposals touching this policy domain, e.g. `pricing`, `education`.
    pub domain: Option<String>,
    /// Only proposals of this kind, e.g. `regulation`, `major_decision`.
    pub kind: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct CommentsQuery {
    /// The `next` of the previous page (newest first).
    pub before: Option<String>,
}

fn bad_query(rejection: QueryRejection) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", rejection.body_text())
}

fn bad_path(_: PathRejection) -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", "the id in the path must be a whole number")
}

/// Proposals published for comment, one phase at a time.
#[utoipa::path(
    get,
    path = "/api/v1/proposals",
    tag = "proposals",
    params(ProposalsQuery),
    responses(
        (status = 200, description = "A page of proposals", body = ProposalPage),
        (status = 400, description = "An unknown phase or a malformed cursor", body = ApiError),
        (status = 429, description = "Too many requests from this address", body = ApiError),
    )
)]
async fn list_proposals(Extension(state): Extension<AppState>, query: Result<Query<ProposalsQuery>, QueryRejection>) -> Response {
    let Query(query) = match query {
        Ok(q) => q,
        Err(r) => return bad_query(r),
    };
    let phase = match query.phase.as_deref().unwrap_or("open") {
        "open" => WindowPhase::Open,
        "upcoming" => WindowPhase::Upcoming,
        "closed" => WindowPhase::Closed,
        other => return error(StatusCode::BAD_REQUEST, "bad_request", format!("phase `{other}` is not one of open, upcoming, closed")),
    };
    let after = match query.after.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => match ListCursor::decode(raw) {
            Some(c) => Some(c),
            None => {
                return error(StatusCode::BAD_REQUEST, "bad_request", "`after` is not a cursor this API gave out; pass a page's `next`")
            }
        },
    };
    let filter = match read_filter(&state, &query).await {
        Ok(f) => f,
        Err(r) => return r,
    };
    let rows = match state.db.list_proposals(phase, filter, after.as_ref(), PAGE_SIZE + 1, state.now()).await {
        Ok(rows) => rows,
        Err(e) => return unavailable(e),
    };
    let page = model::Page::cut(rows, PAGE_SIZE, |(_, cursor)| cursor.encode());
    json(ProposalPage { items: page.items.into_iter().map(|(p, _)| p.into()).collect(), next: page.next })
}

/// The list filter of a query, or the 400 that names the bad parameter.
async fn read_filter(state: &AppState, query: &ProposalsQuery) -> Result<ProposalFilter, Response> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut errors = app::domain::rule::Errors::new();
    let filter = ProposalFilter::parse(&text(&query.agency), &text(&query.domain), &text(&query.kind), &mut errors);
    if let Err(errors) = errors.into_result() {
        let fields: Vec<String> = errors.into_iter().map(|e| format!("`{}`", e.field)).collect();
        return Err(error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("{} is not a known value; agencies are ids, domains and kinds as in the schema", fields.join(" and ")),
        ));
    }
    if let Some(id) = filter.agency_id {
        match state.db.agency(id).await {
            Ok(Some(_)) => {}
            Ok(None) => return Err(error(StatusCode::BAD_REQUEST, "bad_request", format!("no agency has the id {id}"))),
            Err(e) => return Err(unavailable(e)),
        }
    }
    Ok(filter)
}

/// One proposal: its current text and its gate checklist.
#[utoipa::path(
    get,
    path = "/api/v1/proposals/{id}",
    tag = "proposals",
    params(("id" = i64, Path, description = "The proposal's id")),
    responses(
        (status = 200, description = "The proposal", body = ProposalDetail),
        (status = 400, description = "A malformed id", body = ApiError),
        (status = 404, description = "No published proposal has this id", body = ApiError),
        (status = 429, description = "Too many requests from this address", body = ApiError),
    )
)]
async fn get_proposal(Extension(state): Extension<AppState>, id: Result<Path<i64>, PathRejection>) -> Response {
    let Path(id) = match id {
        Ok(p) => p,
        Err(r) => return bad_path(r),
    };
    let now = state.now();
    let detail = match state.db.proposal(id, now).await {
        Ok(Some(d)) => d,
        Ok(None) => return error(StatusCode::NOT_FOUND, "not_found", format!("no published proposal has the id {id}")),
        Err(e) => return unavailable(e),
    };
    let board = match state.db.gate_board(GateSubject::Proposal(id), now).await {
        Ok(b) => b.map(|(board, _)| board),
        Err(e) => return unavailable(e),
    };
    let gates: Vec<GateItem> = board
        .as_ref()
        .map(|b| b.rows.iter().map(|r| GateItem { gate: name(&r.gate), state: name(&r.state) }).collect())
        .unwrap_or_default();
    let unmet_gates = board.map(|b| b.unmet().iter().map(name).collect()).unwrap_or_default();
    let [(_, support), (_, oppose), (_, suggestion)] = app::domain::tally::by_stance(&detail.tallies);
    json(ProposalDetail {
        stances: StanceCounts { support, oppose, suggestion },
        version: detail.version,
        published_at: detail.published_at,
        clauses: detail.clauses.into_iter().map(|c| Clause { number: c.number, html: c.html }).collect(),
        gates,
        unmet_gates,
        proposal: detail.summary.into(),
    })
}

/// A proposal's published comments, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/proposals/{id}/comments",
    tag = "proposals",
    params(("id" = i64, Path, description = "The proposal's id"), CommentsQuery),
    responses(
        (status = 200, description = "A page of comments", body = CommentPage),
        (status = 400, description = "A malformed id or cursor", body = ApiError),
        (status = 404, description = "No published proposal has this id", body = ApiError),
        (status = 429, description = "Too many requests from this address", body = ApiError),
    )
)]
async fn list_comments(
    Extension(state): Extension<AppState>,
    id: Result<Path<i64>, PathRejection>,
    query: Result<Query<CommentsQuery>, QueryRejection>,
) -> Response {
    let Query(query) = match query {
        Ok(q) => q,
        Err(r) => return bad_query(r),
    };
    let Some(before) = id_cursor(query.before.as_deref()) else { return bad_cursor() };
    let id = match public_proposal(&state, id).await {
        Ok(id) => id,
        Err(r) => return r,
    };
    let rows = match state.db.list_comments(id, Some(before), PAGE_SIZE + 1, Reader::default()).await {
        Ok(rows) => rows,
        Err(e) => return unavailable(e),
    };
    let page = model::Page::cut(rows, PAGE_SIZE, |c| c.id.to_string());
    let items = page
        .items
        .into_iter()
        // hidden comments are listed to the page with their reason only; the API leaves them out
        .filter(|c| c.hidden_reason.is_none())
        .map(|c| Comment {
            id: c.id,
            author: c.author,
            stance: c.stance.as_str().to_owned(),
            clause: c.clause,
            version: c.version,
            body_html: c.body_html,
            created_at: c.created_at,
            support_count: c.support_count,
            campaign: c.group_id,
            campaign_size: c.group_size,
        })
        .collect();
    json(CommentPage { items, next: page.next })
}

/// A public hearing on a proposal.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Hearing {
    pub id: i64,
    /// The proposal it is held on.
    pub proposal_id: i64,
    pub proposal_title: String,
    /// `call_open`, `drawn`, `lists_published`, `held`, `reported`, `postponed`, `cancelled`, …
    pub status: String,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Applications are taken until then.
    pub apply_until: DateTime<Utc>,
    pub seats_participants: u32,
    pub seats_observers: u32,
    pub seats_press: u32,
    pub applicants: i64,
    /// The page people read it on (with the draw, the lists and the report).
    pub url: String,
}

impl From<model::HearingSummary> for Hearing {
    fn from(h: model::HearingSummary) -> Self {
        Self {
            url: format!("/hearings/{}", h.id),
            id: h.id,
            proposal_id: h.proposal_id,
            proposal_title: h.proposal_title,
            status: h.status.as_str().to_owned(),
            venue: h.venue,
            starts_at: h.starts_at,
            ends_at: h.ends_at,
            apply_until: h.apply_until,
            seats_participants: h.seats.participants,
            seats_observers: h.seats.observers,
            seats_press: h.seats.press,
            applicants: h.applicants,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct HearingPage {
    pub items: Vec<Hearing>,
    /// The cursor of the next (older) page (`before`), if there is one.
    pub next: Option<String>,
}

/// An id cursor (`before`) as given out in a page's `next` (none: from the newest), or
/// `None` when it is not one.
fn id_cursor(raw: Option<&str>) -> Option<i64> {
    match raw.filter(|b| !b.is_empty()) {
        None => Some(i64::MAX),
        Some(raw) => raw.parse::<i64>().ok(),
    }
}

fn bad_cursor() -> Response {
    error(StatusCode::BAD_REQUEST, "bad_request", "`before` is not a cursor this API gave out; pass a page's `next`")
}

#[derive(Deserialize, IntoParams)]
pub struct HearingsQuery {
    /// The `next` of the previous page (newest first).
    pub before: Option<String>,
}

/// Every announced public hearing, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/hearings",
    tag = "hearings",
    params(HearingsQuery),
    responses(
        (status = 200, description = "A page of hearings", body = HearingPage),
        (status = 400, description = "A malformed cursor", body = ApiError),
        (status = 429, description = "Too many requests from this address", body = ApiError),
    )
)]
async fn all_hearings(Extension(state): Extension<AppState>, query: Result<Query<HearingsQuery>, QueryRejection>) -> Response {
    let Query(query) = match query {
        Ok(q) => q,
        Err(r) => return bad_query(r),
    };
    let Some(before) = id_cursor(query.before.as_deref()) else { return bad_cursor() };
    let rows = async {
        let mut tx = state.db.begin_read().await?;
        app::backend::store::hearings::announced(&mut tx, before, PAGE_SIZE + 1).await
    }
    .await;
    match rows {
        Ok(rows) => {
            let page = model::Page::cut(rows, PAGE_SIZE, |h| h.id.to_string());
            json(HearingPage { items: page.items.into_iter().map(Hearing::from).collect(), next: page.next })
        }
        Err(e) => unavailable(e),
    }
}

/// A penalty case whose public review has ended: what the panel advised and how the
/// agency replied. Names and personal details were masked before publication.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct PenaltyOutcome {
    pub id: i64,
    pub case_number: String,
    pub agency: AgencyRef,
    pub district: String,
    /// `concluded` (the panel has spoken, the agency's reply is due) or `replied`.
    pub status: String,
    /// The reply is late.
    pub overdue: bool,
    /// The proposed penalty, e.g. `warning`, `fine`, `confiscation`, `licence_suspended`.
    pub penalty_kind: String,
    /// In yuan, for fines.
    pub penalty_amount: Option<i64>,
    /// The panel's opinion (the median of its members'): `no_penalty`, `lighter`, `agree` or `heavier`.
    pub panel_opinion: Option<String>,
    /// The agency's reply to the panel: `adopted`, `partly`, `not_adopted`.
    pub reply: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    /// The case's page.
    pub url: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PenaltyPage {
    pub items: Vec<PenaltyOutcome>,
    /// The cursor of the next (older) page (`before`), if there is one.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct PenaltiesQuery {
    /// The `next` of the previous page (newest first).
    pub before: Option<String>,
    /// Only this agency's cases (its id).
    pub agency: Option<String>,
}

/// Penalty cases whose public review has ended, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/penalties",
    tag = "penalties",
    params(PenaltiesQuery),
    responses(
        (status = 200, description = "A page of outcomes", body = PenaltyPage),
        (status = 400, description = "A malformed cursor or agency", body = ApiError),
        (status = 429, description = "Too many requests from this address", body = ApiError),
    )
)]
async fn penalty_outcomes(Extension(state): Extension<AppState>, query: Result<Query<PenaltiesQuery>, QueryRejection>) -> Response {
    let Query(query) = match query {
        Ok(q) => q,
        Err(r) => return bad_query(r),
    };
    let Some(before) = id_cursor(query.before.as_deref()) else { return bad_cursor() };
    let agency = match query.agency.as_deref().filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => match raw.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => return error(StatusCode::BAD_REQUEST, "bad_request", "`agency` must be an agency's id"),
        },
    };
    match state.db.penalty_outcomes(agency, before, PAGE_SIZE, state.now()).await {
        Ok(page) => json(PenaltyPage {
            items: page
                .items
                .into_iter()
                .map(|c| PenaltyOutcome {
                    url: format!("/penalties/{}", c.id),
                    id: c.id,
                    case_number: c.case_number,
                    agency: c.agency.into(),
                    district: c.district,
                    status: c.status.as_str().to_owned(),
                    overdue: c.overdue,
                    penalty_kind: name(&c.penalty_kind),
                    penalty_amount: c.penalty_amount,
                    panel_opinion: c.panel_opinion.as_ref().map(name),
                    reply: c.reply.as_ref().map(name),
                    published_at: c.published_at,
                })
                .collect(),
            next: page.next,
        }),
        Err(e) => unavailable(e),
    }
}

/// One decision of the feedback report: on a clause, or on a group of identical comments.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeedbackItem {
    /// `clause:3` or `group:17` (a campaign group of comments).
    pub target: String,
    /// `adopted`, `partly_adopted` or `not_adopted`.
    pub decision: String,
    pub reason: String,
    /// For a group: how many comments it holds.
    pub group_size: Option<i64>,
}

/// How the agency used the comments, published before adoption.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct FeedbackReport {
    pub summary: String,
    pub published_at: DateTime<Utc>,
    pub items: Vec<FeedbackItem>,
}

/// The public proposal `id`, or the error to answer.
async fn public_proposal(state: &AppState, id: Result<Path<i64>, PathRejection>) -> Result<i64, Response> {
    let Path(id) = id.map_err(bad_path)?;
    match state.db.proposal(id, state.now()).await {
        Ok(Some(_)) => Ok(id),
        Ok(None) => Err(error(StatusCode::NOT_FOUND, "not_found", format!("no published proposal has the id {id}"))),
        Err(e) => Err(unavailable(e)),
    }
}

/// The public hearings on a proposal, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/proposals/{id}/hearings",
    tag = "proposals",
    params(("id" = i64, Path, description = "The proposal's id")),
    responses(
        (status = 200, description = "Its hearings", body = Vec<Hearing>),
        (status = 400, description = "A malformed id", body = ApiError),
        (status = 404, description = "No published proposal has this id", body = ApiError),
        (status = 429, description = "Too many requests from this address", body = ApiError),
    )
)]
async fn list_hearings(Extension(state): Extension<AppState>, id: Result<Path<i64>, PathRejection>) -> Response {
    let id = match public_proposal(&state, id).await {
        Ok(id) => id,
        Err(r) => return r,
    };
    let hearings = async {
        let mut tx = state.db.begin_read().await?;
        app::backend::store::hearings::for_proposal(&mut tx, id).await
    }
    .await;
    match hearings {
        Ok(list) => json(list.into_iter().filter(|h| h.status.is_public()).map(Hearing::from).collect::<Vec<_>>()),
        Err(e) => unavailable(e),
    }
}

/// A proposal's feedback report: how its comments were used.
#[utoipa::path(
    get,
    path = "/api/v1/proposals/{id}/feedback",
    tag = "proposals",
    params(("id" = i64, Path, description = "The proposal's id")),
    responses(
        (status = 200, description = "The report", body = FeedbackReport),
        (status = 400, description = "A malformed id", body = ApiError),
        (status = 404, description = "No published proposal has this id, or its report is not published yet", body = ApiError),
        (status = 429, description = "Too many requests from this address", body = ApiError),
    )
)]
async fn get_feedback(Extension(state): Extension<AppState>, id: Result<Path<i64>, PathRejection>) -> Response {
    let id = match public_proposal(&state, id).await {
        Ok(id) => id,
        Err(r) => return r,
    };
    match state.db.feedback(id).await {
        Ok(Some(report)) => json(FeedbackReport {
            summary: report.summary,
            published_at: report.published_at,
            items: report
                .items
                .into_iter()
                .map(|i| FeedbackItem {
                    target: match i.target {
                        app::domain::feedback::FeedbackTarget::Clause(n) => format!("clause:{n}"),
                        app::domain::feedback::FeedbackTarget::Group(g) => format!("group:{g}"),
                    },
                    decision: name(&i.decision),
                    reason: i.reason,
                    group_size: i.group_size,
                })
                .collect(),
        }),
        Ok(None) => error(StatusCode::NOT_FOUND, "not_found", format!("proposal {id} has no published feedback report yet")),
        Err(e) => unavailable(e),
    }
}

/// The API's routes and its OpenAPI document, from the same handlers.
pub fn parts() -> (Router, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_proposals))
        .routes(routes!(get_proposal))
        .routes(routes!(list_comments))
        .routes(routes!(list_hearings))
        .routes(routes!(get_feedback))
        .routes(routes!(all_hearings))
        .routes(routes!(penalty_outcomes))
        .split_for_parts()
}

/// The OpenAPI document, as served.
pub fn openapi_json() -> String {
    let (_, mut doc) = parts();
    doc.paths.paths.insert(
        "/api/v1/openapi.json".to_owned(),
        utoipa::openapi::path::PathItem::new(
            utoipa::openapi::HttpMethod::Get,
            utoipa::openapi::path::OperationBuilder::new()
                .summary(Some("This document"))
                .response("200", utoipa::openapi::ResponseBuilder::new().description("The OpenAPI 3.1 document")),
        ),
    );
    doc.to_pretty_json().unwrap_or_default()
}

/// Requests one client address may make to the API in a minute.
#[derive(Clone)]
pub struct ApiLimit(Arc<DefaultKeyedRateLimiter<String>>);

impl ApiLimit {
    pub fn per_minute(n: u32) -> Self {
        let n = NonZeroU32::new(n.max(1)).expect("at least one");
        Self(Arc::new(RateLimiter::keyed(Quota::per_minute(n))))
    }
}

/// 429 with `Retry-After` past the client's share; CORS for reads from any origin.
async fn limit(Extension(limit): Extension<ApiLimit>, req: Request, next: Next) -> Response {
    let client = req.extensions().get::<app::backend::context::ClientIp>().map(|c| c.0.clone()).unwrap_or_default();
    if let Err(not_until) = limit.0.check_key(&client) {
        let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now()).as_secs().max(1);
        let mut r =
            error(StatusCode::TOO_MANY_REQUESTS, "rate_limited", format!("too many requests from this address; retry after {wait} s"));
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return r;
    }
    if limit.0.len() > 100_000 {
        limit.0.retain_recent();
    }
    next.run(req).await
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=300")], openapi_json()).into_response()
}

async fn unknown() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "no such resource; see /api/v1/openapi.json")
}

/// Mounted under `/api/v1` by the server's router.
pub fn router(per_minute: u32) -> Router {
    let (routes, _) = parts();
    let cors =
        tower_http::cors::CorsLayer::new().allow_origin(tower_http::cors::Any).allow_methods([Method::GET, Method::HEAD, Method::OPTIONS]);
    routes
        .route("/api/v1/openapi.json", axum::routing::get(openapi))
        .route("/api/v1", axum::routing::get(unknown))
        .route("/api/v1/{*rest}", axum::routing::any(unknown))
        .layer(axum::middleware::from_fn(limit))
        .layer(Extension(ApiLimit::per_minute(per_minute)))
        .layer(cors)
}
