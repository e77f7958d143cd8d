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
    let mut batch = Batch::default();
    let id = post_in(&mut tx, &mut batch, actor, client_address, limits, input).await?;
    batch.pending.flush(&mut tx).await?;
    tx.commit().await?;
    Ok(id)
}

/// What the comments of one transaction share: each proposal's state, read once (and
/// its row held from then on), and what they add to the shared rows, written once.
#[derive(Default)]
struct Batch {
    states: std::collections::HashMap<i64, Option<proposals_store::ProposalState>>,
    pending: store::Pending,
}

/// Posts a comment in the caller's transaction: the window and status, the clause, the
/// flood limits, the campaign group, the tallies and the counters are all checked and
/// written there (the shared rows when the batch flushes). Every check comes before the
/// first write, so a refused comment writes nothing (the flood count only trims
/// attempts that had expired) and counts against no limit; the proposal's row is held
/// from its first read to the commit, so what was checked still holds when it commits.
#[tracing::instrument(skip_all, fields(actor = actor.id(), proposal = input.proposal_id))]
async fn post_in(
    tx: &mut Tx,
    batch: &mut Batch,
    actor: &Actor<'_>,
    client_address: &str,
    limits: FloodLimits,
    input: CommentInput<'_>,
) -> ServiceResult<i64> {
    actor.viewer.may_take_part().map_err(|rule| ServiceError::rule("body", rule))?;
    let state = match batch.states.entry(input.proposal_id) {
        std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
        std::collections::hash_map::Entry::Vacant(slot) => slot.insert(proposals_store::load_state(tx, input.proposal_id, true).await?),
    };
    let state = state.as_ref().filter(|s| s.status.is_public()).ok_or(ServiceError::NotFound)?;
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
    Ok(store::insert(tx, &mut batch.pending, &comment, actor.now).await?)
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

/// One transaction for the batch, its comments in the order they came, one proposal
/// after another (rows are locked in the same order by every writer); answers after
/// the commit. A refused comment wrote nothing and is answered with its rule. Should a
/// statement fail, the batch is rolled back and each of its comments is tried again in
/// a transaction of its own, so one comment's failure is no one else's. Whether it
/// committed.
async fn write_batch(db: &Db, mut jobs: Vec<Job>) -> bool {
    jobs.sort_by_key(|job| job.proposal_id);
    let results = match try_batch(db, &jobs).await {
        Ok(results) => results,
        Err(Failure::Statement(error)) if jobs.len() > 1 => {
            tracing::warn!(%error, comments = jobs.len(), "a batch of comments failed; writing them one by one");
            let mut committed = false;
            for job in jobs {
                committed |= Box::pin(write_batch(db, vec![job])).await;
            }
            return committed;
        }
        Err(Failure::Statement(error) | Failure::Commit(error)) => {
            tracing::error!(%error, comments = jobs.len(), "comments could not be written");
            for job in jobs {
                let _ = job.reply.send(Err(ServiceError::Db(sqlx::Error::Protocol(format!("the comment was not written: {error}")))));
            }
            return false;
        }
    };
    for (job, result) in jobs.into_iter().zip(results) {
        let _ = job.reply.send(result);
    }
    true
}

/// How a batch failed: a statement (nothing committed; worth trying its comments one by
/// one) or the commit itself (whose outcome is not known: not tried again).
enum Failure {
    Statement(sqlx::Error),
    Commit(sqlx::Error),
}

async fn try_batch(db: &Db, jobs: &[Job]) -> Result<Vec<ServiceResult<i64>>, Failure> {
    let mut tx = db.begin_write().await.map_err(Failure::Statement)?;
    let mut batch = Batch::default();
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        let actor = Actor { viewer: &job.viewer, now: job.now };
        let input = CommentInput {
            proposal_id: job.proposal_id,
            clause: job.clause,
            stance: job.stance,
            text: &job.text,
            body_html: &job.body_html,
        };
        match post_in(&mut tx, &mut batch, &actor, &job.client_address, job.limits, input).await {
            Err(ServiceError::Db(error)) => return Err(Failure::Statement(error)),
            result => results.push(result),
        }
    }
    batch.pending.flush(&mut tx).await.map_err(Failure::Statement)?;
    tx.commit().await.map_err(Failure::Commit)?;
    Ok(results)
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
