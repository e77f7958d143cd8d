//! Comments on proposals.

use leptos::prelude::*;

use super::types::{CommentView, Notice, Page};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    backend::{
        context, markdown,
        store::comments::{CommentActionError, NewComment, Reader},
    },
    domain::{
        campaign::Fingerprint,
        comment::{may_comment, parse_clause, CommentText, Stance},
        moderation::parse_report_reason,
        proposal::CommentWindow,
        role::Role,
        rule::Errors,
        Rule,
    },
};

#[cfg(feature = "ssr")]
fn action_error(error: CommentActionError, field: &str) -> AppError {
    match error {
        CommentActionError::Rule(rule) => AppError::field(field, rule),
        CommentActionError::NotFound => AppError::NotFound,
        CommentActionError::Db(e) => context::db_error(e),
    }
}

/// Officials see who is behind a display name; everyone else sees the name only.
#[cfg(feature = "ssr")]
fn reader() -> Reader {
    let viewer = context::viewer();
    Reader { user_id: viewer.as_ref().map(|v| v.id), sees_identity: viewer.map(|v| v.has(Role::Official)).unwrap_or(false) }
}

pub const COMMENT_PAGE_SIZE: i64 = 50;

#[server(endpoint = "comments")]
pub async fn list_comments(proposal_id: i64, before: Option<i64>) -> Result<Page<CommentView>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let mut items =
                state.db.list_comment_groups(proposal_id, before, COMMENT_PAGE_SIZE + 1, reader()).await.map_err(context::db_error)?;
            let next = if items.len() as i64 > COMMENT_PAGE_SIZE {
                items.truncate(COMMENT_PAGE_SIZE as usize);
                items.last().map(|c| c.group_id.to_string())
            } else {
                None
            };
            Ok(Page { items, next })
        }
        .await,
    )
}

/// Every member of one campaign group, oldest first.
#[server(endpoint = "campaign")]
pub async fn campaign_members(group_id: i64, after: Option<i64>) -> Result<Page<CommentView>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let mut items = state.db.group_members(group_id, after, COMMENT_PAGE_SIZE + 1, reader()).await.map_err(context::db_error)?;
            if items.is_empty() && after.is_none() {
                return Err(AppError::NotFound);
            }
            let next = if items.len() as i64 > COMMENT_PAGE_SIZE {
                items.truncate(COMMENT_PAGE_SIZE as usize);
                items.last().map(|c| c.id.to_string())
            } else {
                None
            };
            Ok(Page { items, next })
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
            let target = state.db.comment_target(proposal_id).await.map_err(context::db_error)?.ok_or(crate::error::AppError::NotFound)?;
            // one person cannot flood a proposal: per account and per address
            let ten_minutes = chrono::Duration::minutes(10);
            let account_key = format!("comment:account:{}", citizen.id);
            let ip_key = format!("comment:ip:{}", context::client_ip());
            let limits = [(account_key.as_str(), state.config.comments_per_account), (ip_key.as_str(), state.config.comments_per_ip)];
            if let Err(secs) = state.db.rate_hit(&limits, ten_minutes, context::now()).await.map_err(context::db_error)? {
                if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                    response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(secs));
                }
                return Err(AppError::field("body", Rule::CommentFlood { retry_after_secs: secs }));
            }
            let window = CommentWindow { opens_at: target.opens_at, closes_at: target.closes_at, short_reason: None };
            let now = context::now();
            let mut errors = Errors::new();
            errors.check("body", may_comment(window.phase(now)));
            let clause = errors.check("clause", parse_clause(&clause, target.clause_count as u32));
            let stance = errors.check("stance", Stance::parse(&stance));
            let text = errors.check("body", CommentText::parse(&body));
            errors.into_result()?;
            let (Some(clause), Some(stance), Some(text)) = (clause, stance, text) else {
                return Err(AppError::Internal);
            };
            let html = markdown::plain_to_html(text.as_str());
            let id = state
                .db
                .add_comment(
                    &NewComment {
                        fingerprint: Fingerprint::of(text.as_str()),
                        proposal_id,
                        version_id: target.version_id,
                        clause_number: clause,
                        author_id: citizen.id,
                        stance,
                        body: text.as_str(),
                        body_html: &html,
                    },
                    now,
                )
                .await
                .map_err(context::db_error)?;
            Ok(id)
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
            let state = context::state()?;
            state.db.set_support(comment_id, citizen.id, withdraw == "1", context::now()).await.map_err(|e| action_error(e, "form"))
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
            let reason = parse_report_reason(&reason).map_err(|rule| AppError::field("reason", rule))?;
            let state = context::state()?;
            state.db.report_comment(comment_id, viewer.id, &reason, context::now()).await.map_err(|e| action_error(e, "form"))
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
            state.db.hide_comment(comment_id, moderator.id, &reason, context::now()).await.map_err(|e| match e {
                CommentActionError::Rule(rule @ (Rule::Required | Rule::TooShort { .. } | Rule::TooLong { .. })) => {
                    AppError::field("reason", rule)
                }
                other => action_error(other, "form"),
            })
        }
        .await,
    )
}

/// What moderators look at: reported comments first, then the newest ones.
#[server(endpoint = "moderation_queue")]
pub async fn moderation_queue() -> Result<(Vec<CommentView>, Vec<CommentView>), AppError> {
    context::with_status(
        async {
            context::require(Role::Moderator)?;
            let state = context::state()?;
            let reported = state.db.reported_comments(None, 50).await.map_err(context::db_error)?;
            let recent = state.db.recent_comments(None, 50).await.map_err(context::db_error)?;
            Ok((reported, recent))
        }
        .await,
    )
}

/// The signed-in person's notices (e.g. that a comment of theirs was hidden, and why).
#[server(endpoint = "notices")]
pub async fn my_notices() -> Result<Vec<Notice>, AppError> {
    context::with_status(
        async {
            let viewer = context::require_signed_in()?;
            let state = context::state()?;
            let rows = state.db.notices(viewer.id, 100).await.map_err(context::db_error)?;
            Ok(rows
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
                .collect())
        }
        .await,
    )
}
