//! Comments on proposals.

use leptos::prelude::*;

use super::types::{CommentView, Notice, Page};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    backend::{
        context, markdown,
        service::{
            comments::{self as service, CommentInput, FloodLimits},
            Actor,
        },
        store::comments::{CommentActionError, Reader},
    },
    domain::{
        comment::{parse_clause, CommentText, Stance},
        moderation::parse_report_reason,
        role::Role,
        rule::Errors,
        Rule,
    },
};

/// The flood limits count comments over this many minutes.
#[cfg(feature = "ssr")]
const FLOOD_WINDOW_MINUTES: i64 = 10;

#[cfg(feature = "ssr")]
fn action_error(error: CommentActionError, field: &str) -> AppError {
    match error {
        CommentActionError::Rule(rule) => AppError::field(field, rule),
        CommentActionError::NotFound => AppError::NotFound,
        CommentActionError::Db(e) => context::db_error(e),
    }
}

/// The officials of a proposal's agency see who is behind a display name (the store
/// compares the agency per comment); everyone else sees the name only.
#[cfg(feature = "ssr")]
fn reader() -> Reader {
    let viewer = context::viewer();
    Reader { user_id: viewer.as_ref().map(|v| v.id), official_of: viewer.filter(|v| v.has(Role::Official)).and_then(|v| v.agency_id) }
}

pub const COMMENT_PAGE_SIZE: i64 = 50;

#[server(endpoint = "comments")]
pub async fn list_comments(proposal_id: i64, before: Option<i64>) -> Result<Page<CommentView>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let items =
                state.db.list_comment_groups(proposal_id, before, COMMENT_PAGE_SIZE + 1, reader()).await.map_err(context::db_error)?;
            Ok(Page::cut(items, COMMENT_PAGE_SIZE, |c| c.group_id.to_string()))
        }
        .await,
    )
}

/// Every member of one campaign group of one proposal, oldest first.
#[server(endpoint = "campaign")]
pub async fn campaign_members(proposal_id: i64, group_id: i64, after: Option<i64>) -> Result<Page<CommentView>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let items =
                state.db.group_members(proposal_id, group_id, after, COMMENT_PAGE_SIZE + 1, reader()).await.map_err(context::db_error)?;
            if items.is_empty() && after.is_none() {
                return Err(AppError::NotFound);
            }
            Ok(Page::cut(items, COMMENT_PAGE_SIZE, |c| c.id.to_string()))
        }
        .await,
    )
}

/// A signed-in citizen comments on the whole text or on one clause.
#[server(endpoint = "post_comment")]
pub async fn post_comment(
    proposal_id: i64,
    #[server(default)] clause: String,
    #[server(default)] stance: String,
    body: String,
) -> Result<i64, AppError> {
    context::with_status(
        async {
            let citizen = context::require(Role::Citizen)?;
            let state = context::state()?;
            // parsed first: a comment refused for its input counts against no limit
            let mut errors = Errors::new();
            let clause = errors.check("clause", parse_clause(&clause, u32::MAX));
            let stance = errors.check("stance", Stance::parse(&stance));
            let text = errors.check("body", CommentText::parse(&body));
            errors.into_result()?;
            let (Some(clause), Some(stance), Some(text)) = (clause, stance, text) else {
                return Err(AppError::Internal);
            };
            let html = markdown::plain_to_html(text.as_str());
            let limits = FloodLimits {
                per_account: state.config.comments_per_account,
                per_address: state.config.comments_per_ip,
                minutes: FLOOD_WINDOW_MINUTES,
            };
            let input = CommentInput { proposal_id, clause, stance, text: &text, body_html: &html };
            let actor = Actor::new(&citizen, state.clock.as_ref());
            let posted = state.comments.post(&state.db, &actor, &context::client_ip(), limits, input).await.map_err(AppError::from);
            if let Err(AppError::Invalid(errors)) = &posted {
                if let Some(Rule::CommentFlood { retry_after_secs, .. }) = errors.first().map(|e| &e.rule) {
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(*retry_after_secs));
                    }
                }
            }
            if posted.is_ok() {
                context::changed(context::Change::Proposal(proposal_id));
            }
            posted
        }
        .await,
    )
}

/// +1 on a comment (`withdraw = "1"` takes it back).
#[server(endpoint = "support_comment")]
pub async fn support_comment(comment_id: i64, #[server(default)] withdraw: String) -> Result<i64, AppError> {
    context::with_status(
        async {
            let citizen = context::require(Role::Citizen)?;
            citizen.may_take_part().map_err(|rule| AppError::field("form", rule))?;
            let state = context::state()?;
            let count =
                state.db.set_support(comment_id, citizen.id, withdraw == "1", state.now()).await.map_err(|e| action_error(e, "form"))?;
            // the count shows on the comment's proposal page
            context::changed(context::Change::Everything);
            Ok(count)
        }
        .await,
    )
}

/// Anyone signed in may report a comment to the moderators.
#[server(endpoint = "report_comment")]
pub async fn report_comment(comment_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            viewer.may_take_part().map_err(|rule| AppError::field("form", rule))?;
            let reason = parse_report_reason(&reason).map_err(|rule| AppError::field("reason", rule))?;
            let state = context::state()?;
            state.db.report_comment(comment_id, viewer.id, &reason, state.now()).await.map_err(|e| action_error(e, "form"))
        }
        .await,
    )
}

/// A moderator hides a comment with a public reason.
#[server(endpoint = "hide_comment")]
pub async fn hide_comment(comment_id: i64, #[server(default)] reason: String) -> Result<(), AppError> {
    context::with_status(
        async {
            let moderator = context::require(Role::Moderator)?;
            let state = context::state()?;
            service::hide(&state.db, &Actor::new(&moderator, state.clock.as_ref()), comment_id, &reason).await?;
            context::changed(context::Change::Everything);
            Ok(())
        }
        .await,
    )
}

/// What moderators look at: reported comments, most reported first, then the newest
/// ones; each list pages on its own (`reported_after` is `count_id` of the last
/// reported comment shown, `recent_before` the id of the last recent one).
#[server(endpoint = "moderation_queue")]
pub async fn moderation_queue(
    reported_after: Option<String>,
    recent_before: Option<i64>,
) -> Result<(Page<CommentView>, Page<CommentView>), AppError> {
    context::with_status(
        async {
            context::require(Role::Moderator)?;
            let state = context::state()?;
            let after = match reported_after.as_deref().map(|raw| raw.split_once('_').map(|(c, i)| (c.parse(), i.parse()))) {
                None => None,
                Some(Some((Ok(count), Ok(id)))) => Some((count, id)),
                Some(_) => return Err(AppError::field("reported_after", Rule::UnknownChoice)),
            };
            let reported = state.db.reported_comments(after, MODERATION_PAGE_SIZE + 1).await.map_err(context::db_error)?;
            let recent = state.db.recent_comments(recent_before, MODERATION_PAGE_SIZE + 1).await.map_err(context::db_error)?;
            Ok((
                Page::cut(reported, MODERATION_PAGE_SIZE, |c| format!("{}_{}", c.report_count, c.id)),
                Page::cut(recent, MODERATION_PAGE_SIZE, |c| c.id.to_string()),
            ))
        }
        .await,
    )
}

pub const MODERATION_PAGE_SIZE: i64 = 50;

/// The signed-in person's notices (e.g. that a comment of theirs was hidden, and why),
/// newest first, a page at a time.
#[server(endpoint = "notices")]
pub async fn my_notices(before: Option<i64>) -> Result<Page<Notice>, AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            let rows = state.db.notices(viewer.id, before, NOTICE_PAGE_SIZE + 1).await.map_err(context::db_error)?;
            let notices = rows
                .into_iter()
                .map(|(id, at, kind, detail)| {
                    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
                    Notice {
                        id,
                        at,
                        kind,
                        title: detail["title"].as_str().unwrap_or_default().to_owned(),
                        reason: detail["reason"].as_str().unwrap_or_default().to_owned(),
                    }
                })
                .collect();
            Ok(Page::cut(notices, NOTICE_PAGE_SIZE, |n| n.id.to_string()))
        }
        .await,
    )
}

pub const NOTICE_PAGE_SIZE: i64 = 50;
