//! Comments: posting (with the flood limit counted in the same commit; many people's
//! comments committed together by one writer) and hiding.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use tokio::sync::{mpsc, oneshot};

use super::{Actor, ServiceError, ServiceResult};
use crate::{
    backend::{
        db::Tx,
        store::{
            audit,
            comments::{self as store, NewComment},
            proposals as proposals_store, rate,
        },
        Db,
    },
    domain::{
        account::Viewer,
        audit::{Event, Subject},
        campaign::Fingerprint,
        comment::{CommentText, Stance},
        lifecycle,
        moderation::may_hide,
        rule::FloodScope,
        Rule,
    },
};

/// How many comments one account and one address may post, and over what time; a
/// limit of 0 is no limit (and nothing is counted for it).
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

/// Posts a comment in a transaction of its own (seeding, tests); people's comments go
/// through [`CommentWriter`], which commits many at once with the same checks.
pub async fn post(db: &Db, actor: &Actor<'_>, client_address: &str, limits: FloodLimits, input: CommentInput<'_>) -> ServiceResult<i64> {
    let mut tx = db.begin_write().await?;
    let id = post_in(&mut tx, actor, client_address, limits, input).await?;
    tx.commit().await?;
    Ok(id)
}

/// Posts a comment in the caller's transaction: the window and status, the clause, the
/// flood limits, the campaign group, the tallies and the counters are all checked and
/// written there. A comment refused for any reason writes nothing the caller keeps: the
/// caller rolls back (to its savepoint), so it counts against no limit.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = input.proposal_id))]
async fn post_in(tx: &mut Tx, actor: &Actor<'_>, client_address: &str, limits: FloodLimits, input: CommentInput<'_>) -> ServiceResult<i64> {
    actor.viewer.may_take_part().map_err(|rule| ServiceError::rule("body", rule))?;
    let state = proposals_store::load_state(tx, input.proposal_id, false).await?;
    let state = state.filter(|s| s.status.is_public()).ok_or(ServiceError::NotFound)?;
    lifecycle::comment(state.status, state.window.phase(actor.now)).map_err(|rule| ServiceError::rule("body", rule))?;
    if let Some(n) = input.clause {
        if n == 0 || n > state.clause_count {
            return Err(ServiceError::rule("clause", Rule::NoSuchClause { clause: n }));
        }
    }
    let account_key = format!("comment:account:{}", actor.id());
    let address_key = format!("comment:ip:{client_address}");
    // a limit of 0 is off (load tests from one account): nothing is counted for it
    let buckets: Vec<(&str, i64)> = [(account_key.as_str(), limits.per_account), (address_key.as_str(), limits.per_address)]
        .into_iter()
        .filter(|(_, l)| *l > 0)
        .collect();
    let counted = if buckets.is_empty() { Ok(()) } else { rate::hit(tx, &buckets, Duration::minutes(limits.minutes), actor.now).await? };
    if let Err(limited) = counted {
        let (scope, limit) = if buckets[limited.index].0 == account_key {
            (FloodScope::Account, limits.per_account)
        } else {
            (FloodScope::Address, limits.per_address)
        };
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
    let Some(id) = store::insert(tx, &comment, actor.now).await? else {
        return Err(ServiceError::rule("body", Rule::NotInState { status: state.status }));
    };
    Ok(id)
}

/// A comment waiting for the writer, with all it needs and where its answer goes.
struct Job {
    viewer: Viewer,
    now: DateTime<Utc>,
    client_address: String,
    limits: FloodLimits,
    proposal_id: i64,
    clause: Option<u32>,
    stance: Stance,
    text: CommentText,
    body_html: String,
    reply: oneshot::Sender<ServiceResult<i64>>,
}

/// Comments from many people at once, committed together: one writer task takes every
/// comment waiting, runs each one's checks and writes in one transaction (each in a
/// savepoint, so a refused one leaves no trace and does not spoil the others), commits
/// once, and only then answers each — so an answer still means "durable", and a
/// thousand comments cost a few commits instead of a thousand. It never waits to fill a
/// batch: a comment alone is written at once; under load the batches grow by
/// themselves. One per process (cheap to clone); started on first use.
#[derive(Clone, Default, Debug)]
pub struct CommentWriter {
    queue: Arc<std::sync::OnceLock<mpsc::Sender<Job>>>,
    /// Transactions committed so far (one per batch).
    commits: Arc<std::sync::atomic::AtomicU64>,
}

impl CommentWriter {
    /// Comments in one transaction at most (a bound on the time a batch holds the write
    /// turn, so other writers keep their turn).
    pub const MAX_BATCH: usize = 256;

    /// How many transactions the writer has committed (each a batch of comments).
    pub fn commits(&self) -> u64 {
        self.commits.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Posts a comment through the writer; answers once it is committed (or refused).
    pub async fn post(
        &self,
        db: &Db,
        actor: &Actor<'_>,
        client_address: &str,
        limits: FloodLimits,
        input: CommentInput<'_>,
    ) -> ServiceResult<i64> {
        // refused at once, without a place in the queue
        actor.viewer.may_take_part().map_err(|rule| ServiceError::rule("body", rule))?;
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::channel(Self::MAX_BATCH * 4);
            tokio::spawn(run(db.clone(), receiver, self.commits.clone()));
            sender
        });
        let (reply, answer) = oneshot::channel();
        let job = Job {
            viewer: actor.viewer.clone(),
            now: actor.now,
            client_address: client_address.to_owned(),
            limits,
            proposal_id: input.proposal_id,
            clause: input.clause,
            stance: input.stance,
            text: input.text.clone(),
            body_html: input.body_html.to_owned(),
            reply,
        };
        queue.send(job).await.map_err(|_| ServiceError::Db(sqlx::Error::PoolClosed))?;
        answer.await.map_err(|_| ServiceError::Db(sqlx::Error::PoolClosed))?
    }
}

async fn run(db: Db, mut queue: mpsc::Receiver<Job>, commits: Arc<std::sync::atomic::AtomicU64>) {
    let mut jobs = Vec::with_capacity(CommentWriter::MAX_BATCH);
    while queue.recv_many(&mut jobs, CommentWriter::MAX_BATCH).await > 0 {
        metrics::histogram!("minyi_comment_batch_size").record(jobs.len() as f64);
        if write_batch(&db, std::mem::take(&mut jobs)).await {
            commits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// One transaction for the batch; each comment in a savepoint; answers after the commit.
/// Whether it committed.
async fn write_batch(db: &Db, jobs: Vec<Job>) -> bool {
    let answer_all = |jobs: Vec<Job>, error: &sqlx::Error| {
        tracing::error!(%error, comments = jobs.len(), "a batch of comments could not be written");
        for job in jobs {
            let _ = job.reply.send(Err(ServiceError::Db(sqlx::Error::Protocol(format!("the batch was not written: {error}")))));
        }
        false
    };
    let mut tx = match db.begin_write().await {
        Ok(tx) => tx,
        Err(error) => return answer_all(jobs, &error),
    };
    let mut results: Vec<ServiceResult<i64>> = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let actor = Actor { viewer: &job.viewer, now: job.now };
        let input = CommentInput {
            proposal_id: job.proposal_id,
            clause: job.clause,
            stance: job.stance,
            text: &job.text,
            body_html: &job.body_html,
        };
        if let Err(error) = savepoint(&mut tx, "SAVEPOINT comment").await {
            return answer_all(jobs, &error);
        }
        let result = post_in(&mut tx, &actor, &job.client_address, job.limits, input).await;
        // a refused comment is undone; either way the savepoint ends before the next
        let ends: &[&str] =
            if result.is_ok() { &["RELEASE SAVEPOINT comment"] } else { &["ROLLBACK TO SAVEPOINT comment", "RELEASE SAVEPOINT comment"] };
        for end in ends {
            if let Err(error) = savepoint(&mut tx, end).await {
                return answer_all(jobs, &error);
            }
        }
        results.push(result);
    }
    if let Err(error) = tx.commit().await {
        return answer_all(jobs, &error);
    }
    for (job, result) in jobs.into_iter().zip(results) {
        let _ = job.reply.send(result);
    }
    true
}

async fn savepoint(tx: &mut Tx, statement: &str) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |c| sqlx::query(statement).execute(&mut *c).await.map(|_| ()))
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
