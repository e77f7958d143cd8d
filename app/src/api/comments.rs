//! Comments on proposals.

use leptos::prelude::*;

use super::types::{CommentView, Page};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::{
    backend::{context, markdown, store::comments::NewComment},
    domain::{
        comment::{may_comment, parse_clause, CommentText, Stance},
        proposal::CommentWindow,
        role::Role,
        rule::Errors,
    },
};

pub const COMMENT_PAGE_SIZE: i64 = 50;

#[server(endpoint = "comments")]
pub async fn list_comments(proposal_id: i64, before: Option<i64>) -> Result<Page<CommentView>, AppError> {
    context::with_status(
        async {
            let state = context::state()?;
            let mut items = state
                .db
                .list_comments(proposal_id, before, COMMENT_PAGE_SIZE + 1)
                .await
                .map_err(context::db_error)?;
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
            let target = state
                .db
                .comment_target(proposal_id)
                .await
                .map_err(context::db_error)?
                .ok_or(crate::error::AppError::NotFound)?;
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
