//! Comments: posting (with the flood limit counted in the same commit) and hiding.

use chrono::Duration;

use super::{Actor, ServiceError, ServiceResult};
use crate::{
    backend::{
        store::{
            audit,
            comments::{self as store, NewComment},
            proposals as proposals_store, rate,
        },
        Db,
    },
    domain::{
        audit::{Event, Subject},
        campaign::Fingerprint,
        comment::{CommentText, Stance},
        lifecycle,
        moderation::may_hide,
        rule::FloodScope,
        Rule,
    },
};

/// How many comments one account and one address may post, and over what time.
#[derive(Clone, Copy, Debug)]
pub struct FloodLimits {
    pub per_account: i64,
    pub per_address: i64,
    pub minutes: i64,
}

/// A comment, parsed: the text, its stance and the clause it is about (not yet checked
/// against the current version, which only the transaction knows).
pub struct CommentInput<'a> {
    pub proposal_id: i64,
    pub clause: Option<u32>,
    pub stance: Stance,
    pub text: &'a CommentText,
    pub body_html: &'a str,
}

/// Posts a comment: the window and status, the clause, the flood limits, the campaign
/// group and the counters are all checked and written in one transaction. A comment
/// refused for any reason counts against no limit.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = input.proposal_id))]
pub async fn post(db: &Db, actor: &Actor<'_>, client_address: &str, limits: FloodLimits, input: CommentInput<'_>) -> ServiceResult<i64> {
    actor.viewer.may_take_part().map_err(|rule| ServiceError::rule("body", rule))?;
    let mut tx = db.begin_write().await?;
    let state = proposals_store::load_state(&mut tx, input.proposal_id, false).await?;
    let state = state.filter(|s| s.status.is_public()).ok_or(ServiceError::NotFound)?;
    lifecycle::comment(state.status, state.window.phase(actor.now)).map_err(|rule| ServiceError::rule("body", rule))?;
    if let Some(n) = input.clause {
        if n == 0 || n > state.clause_count {
            return Err(ServiceError::rule("clause", Rule::NoSuchClause { clause: n }));
        }
    }
    let account_key = format!("comment:account:{}", actor.id());
    let address_key = format!("comment:ip:{client_address}");
    let buckets = [(account_key.as_str(), limits.per_account), (address_key.as_str(), limits.per_address)];
    if let Err(limited) = rate::hit(&mut tx, &buckets, Duration::minutes(limits.minutes), actor.now).await? {
        let (scope, limit) =
            if limited.index == 0 { (FloodScope::Account, limits.per_account) } else { (FloodScope::Address, limits.per_address) };
        return Err(ServiceError::rule(
            "body",
            Rule::CommentFlood { retry_after_secs: limited.retry_after_secs, limit, scope, minutes: limits.minutes },
        ));
    }
    let comment = NewComment {
        fingerprint: Fingerprint::of(input.text.as_str()),
        proposal_id: input.proposal_id,
        version_id: state.version_id,
        clause_number: input.clause,
        author_id: actor.id(),
        stance: input.stance,
        body: input.text.as_str(),
        body_html: input.body_html,
    };
    let Some(id) = store::insert(&mut tx, &comment, actor.now).await? else {
        return Err(ServiceError::rule("body", Rule::NotInState { status: state.status }));
    };
    tx.commit().await?;
    Ok(id)
}

/// A moderator hides a comment with a public reason: never deleted, audited, and its
/// author gets a notice — all in one transaction.
#[tracing::instrument(skip_all, fields(actor = actor.id(), comment = comment_id))]
pub async fn hide(db: &Db, actor: &Actor<'_>, comment_id: i64, raw_reason: &str) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    let target = store::hide_target(&mut tx, comment_id).await?.ok_or(ServiceError::NotFound)?;
    let reason = may_hide(target.hidden, raw_reason)?;
    store::hide(&mut tx, comment_id, &target, &reason, actor.id(), actor.now).await?;
    audit::append(&mut tx, actor.now, Some(actor.id()), Subject::Comment(comment_id), &Event::CommentHidden { reason }).await?;
    tx.commit().await?;
    Ok(())
}
