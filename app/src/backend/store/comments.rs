use chrono::{DateTime, Utc};

use super::StoreResult;

use crate::{
    backend::{db::Tx, Db},
    domain::{
        campaign::{distance, Fingerprint},
        comment::Stance,
        lifecycle::ProposalStatus,
        Rule,
    },
    in_tx,
    model::CommentView,
    on_db, on_tx,
};

pub struct NewComment<'a> {
    pub fingerprint: Fingerprint,
    pub proposal_id: i64,
    pub version_id: i64,
    pub clause_number: Option<u32>,
    pub author_id: i64,
    pub stance: Stance,
    pub body: &'a str,
    pub body_html: &'a str,
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: i64,
    display_name: String,
    email: String,
    stance: String,
    clause_number: Option<i32>,
    version_number: i32,
    body_html: String,
    created_at: DateTime<Utc>,
    support_count: i64,
    hidden: bool,
    hidden_reason: Option<String>,
    report_count: i64,
    proposal_id: i64,
    group_id: Option<i64>,
    member_count: Option<i64>,
    agency_id: i64,
}

const COMMENT_COLUMNS: &str = "c.id, u.display_name, u.email, c.stance, c.clause_number, v.number AS version_number, \
     c.body_html, c.created_at, c.support_count, c.hidden, c.hidden_reason, c.report_count, c.proposal_id, \
     c.group_id, g.member_count, p.agency_id";

/// The joins every comment query makes (author, version, campaign group).
const COMMENT_JOINS: &str = "JOIN users u ON u.id = c.author_id \
     JOIN proposal_versions v ON v.id = c.version_id \
     LEFT JOIN comment_groups g ON g.id = c.group_id \
     JOIN proposals p ON p.id = c.proposal_id";

/// Who is reading: their supports are marked, and the officials of the proposal's
/// agency (no one else, moderators included) see the account behind a display name.
#[derive(Clone, Copy, Debug, Default)]
pub struct Reader {
    pub user_id: Option<i64>,
    /// The agency the reader is an official of.
    pub official_of: Option<i64>,
}

impl CommentRow {
    fn into_view(self, reader: Reader, supported: &[i64]) -> CommentView {
        CommentView {
            id: self.id,
            proposal_id: self.proposal_id,
            author: self.display_name,
            author_identity: (reader.official_of == Some(self.agency_id)).then_some(self.email),
            stance: Stance::parse(&self.stance).unwrap_or(Stance::Suggestion),
            clause: self.clause_number.map(|n| n as u32),
            version: self.version_number as u32,
            // a hidden comment stays on file; the public sees only the reason
            body_html: if self.hidden { String::new() } else { self.body_html },
            hidden_reason: if self.hidden { Some(self.hidden_reason.unwrap_or_default()) } else { None },
            created_at: self.created_at,
            support_count: self.support_count,
            supported_by_reader: supported.contains(&self.id),
            report_count: self.report_count,
            group_id: self.group_id.unwrap_or(0),
            group_size: self.member_count.unwrap_or(1),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CommentActionError {
    #[error("rule: {0:?}")]
    Rule(Rule),
    #[error("no such comment")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// SQLite has one writer at a time. Comment writers that collide on `BEGIN IMMEDIATE`
/// wait in SQLite's busy handler, which polls with growing sleeps (up to 100 ms); under
/// load those sleeps, not the disk, made the tail latency (p99 ≈ 0.2–0.3 s at 800 POST/s
/// on 2 cores). Here they queue in order instead and each goes as soon as the previous
/// commit is done. Per process: the same file written by several processes still falls
/// back on the busy handler.
/// Groups sharing one of the six SimHash bands with a new comment, at most
/// `NEAR_CANDIDATES_PER_BAND` per band, each band on its own index.
static NEAR_CANDIDATES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    (0..6)
        .map(|b| {
            format!(
                "SELECT * FROM (SELECT id, fingerprint, simhash, near FROM comment_groups \
                 WHERE proposal_id = $1 AND band{b} = ${} LIMIT {NEAR_CANDIDATES_PER_BAND}) AS b{b}",
                b + 2
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
});
const NEAR_CANDIDATES_PER_BAND: u32 = 100;

/// What a batch of comments adds to rows that many comments share — a group's members,
/// the tallies, the commenters, the proposal's counts — summed in memory while the
/// batch's comments are inserted and written once when it ends ([`Pending::flush`], in
/// the same transaction), so a hundred comments on one proposal update its row once,
/// not a hundred times, and hold it for one statement. Ordered maps: rows are updated
/// in the same order by every process (no lock-order deadlock between two writers).
#[derive(Default, Debug)]
pub struct Pending {
    /// Groups already found or made in this batch, by (proposal, exact fingerprint).
    exact: std::collections::HashMap<(i64, i64), i64>,
    /// Per group: its proposal, members added, the first and last comment added.
    groups: std::collections::BTreeMap<i64, GroupAdded>,
    /// Per (proposal, clause or 0, stance): comments added.
    tallies: std::collections::BTreeMap<(i64, i32, &'static str), i64>,
    /// (proposal, author) of every comment added.
    commenters: std::collections::BTreeSet<(i64, i64)>,
}

#[derive(Debug)]
struct GroupAdded {
    proposal_id: i64,
    added: i64,
    first: i64,
    last: i64,
}

impl Pending {
    /// Writes what the batch added to the shared rows. Fails (and the caller rolls the
    /// batch back) if a proposal is no longer open to comments: the caller holds each
    /// proposal's row from the moment it checked its status, so this does not happen.
    pub async fn flush(self, tx: &mut Tx) -> StoreResult<()> {
        let mut campaigns: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
        let mut commenters: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
        // every comment added is in exactly one tally: their sum per proposal is its count
        let mut comments: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
        for ((proposal, ..), n) in &self.tallies {
            *comments.entry(*proposal).or_default() += n;
        }
        on_tx!(tx, |tx| {
            for (group, add) in &self.groups {
                // the group shows its oldest visible member: a group whose shown member
                // was hidden shows the first of the new ones
                let members: i64 = sqlx::query_scalar(
                    "UPDATE comment_groups SET member_count = member_count + $3, \
                     first_comment_id = CASE WHEN first_comment_id IS NULL \
                         OR (SELECT hidden FROM comments WHERE id = comment_groups.first_comment_id) THEN $1 ELSE first_comment_id END, \
                     last_comment_id = $4 \
                     WHERE id = $2 RETURNING member_count",
                )
                .bind(add.first)
                .bind(*group)
                .bind(add.added)
                .bind(add.last)
                .fetch_one(&mut *tx)
                .await?;
                // a group becomes a campaign when its second member arrives
                if members >= 2 && members - add.added < 2 {
                    *campaigns.entry(add.proposal_id).or_default() += 1;
                }
            }
            for ((proposal, clause, stance), n) in &self.tallies {
                sqlx::query(TALLY).bind(*proposal).bind(*clause).bind(*stance).bind(*n).execute(&mut *tx).await?;
            }
            for (proposal, user) in &self.commenters {
                let new = sqlx::query(
                    "INSERT INTO proposal_commenters (proposal_id, user_id) VALUES ($1, $2) ON CONFLICT (proposal_id, user_id) DO NOTHING",
                )
                .bind(*proposal)
                .bind(*user)
                .execute(&mut *tx)
                .await?
                .rows_affected() as i64;
                *commenters.entry(*proposal).or_default() += new;
            }
            for (proposal, n) in &comments {
                let counted = sqlx::query(
                    "UPDATE proposals SET comment_count = comment_count + $1, campaign_count = campaign_count + $2, \
                     commenter_count = commenter_count + $3 WHERE id = $4 AND status = $5",
                )
                .bind(*n)
                .bind(campaigns.get(proposal).copied().unwrap_or(0))
                .bind(commenters.get(proposal).copied().unwrap_or(0))
                .bind(*proposal)
                .bind(ProposalStatus::Published.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if counted != 1 {
                    return Err(sqlx::Error::Protocol(format!("proposal {proposal} closed to comments while a batch held it")));
                }
            }
            Ok(())
        })
    }
}

/// Stores the comment in its campaign group (an existing group of identical or
/// near-identical comments, or a new group of one) and adds it to what `pending` will
/// write to the shared rows, in the caller's transaction, so counts a page shows are
/// never recomputed per request. The caller has checked that the proposal is open to
/// comments and holds its row (`load_state` with the lock) until it commits.
pub async fn insert(tx: &mut Tx, pending: &mut Pending, c: &NewComment<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    let fp = c.fingerprint;
    let bands = fp.bands();
    let known = pending.exact.get(&(c.proposal_id, fp.exact)).copied();
    let (id, group_id) = on_tx!(tx, |tx| {
        let group_id: i64 = match known {
            Some(group) => group,
            None => {
                // A bounded, indexed candidate set: the group of the same exact text
                // (most campaign comments are copies), else groups sharing a SimHash
                // band, each band looked up on its own index with its own limit (an OR
                // over seven columns makes SQLite walk every group of the proposal).
                let exact: Option<(i64, i64, i64, bool)> = sqlx::query_as(
                    "SELECT id, fingerprint, simhash, near FROM comment_groups WHERE proposal_id = $1 AND fingerprint = $2 LIMIT 1",
                )
                .bind(c.proposal_id)
                .bind(fp.exact)
                .fetch_optional(&mut *tx)
                .await?;
                let candidates: Vec<(i64, i64, i64, bool)> = match exact {
                    Some(group) => vec![group],
                    None => {
                        sqlx::query_as(&NEAR_CANDIDATES)
                            .bind(c.proposal_id)
                            .bind(bands[0])
                            .bind(bands[1])
                            .bind(bands[2])
                            .bind(bands[3])
                            .bind(bands[4])
                            .bind(bands[5])
                            .fetch_all(&mut *tx)
                            .await?
                    }
                };
                let chosen = candidates
                    .iter()
                    .filter(|(_, exact, simhash, near)| fp.matches(&Fingerprint { exact: *exact, simhash: *simhash as u64, near: *near }))
                    .min_by_key(|(_, exact, simhash, _)| (*exact != fp.exact, distance(fp.simhash, *simhash as u64)))
                    .map(|(id, ..)| *id);
                match chosen {
                    Some(id) => id,
                    None => {
                        // one group per exact text (a unique index): a concurrent writer of
                        // the same text on PostgreSQL waits for ours and then joins it
                        let inserted: Option<i64> = sqlx::query_scalar(
                            "INSERT INTO comment_groups (proposal_id, fingerprint, simhash, near, band0, band1, band2, band3, band4, band5, member_count) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0) ON CONFLICT (proposal_id, fingerprint) DO NOTHING RETURNING id",
                        )
                        .bind(c.proposal_id)
                        .bind(fp.exact)
                        .bind(fp.simhash as i64)
                        .bind(fp.near)
                        .bind(bands[0])
                        .bind(bands[1])
                        .bind(bands[2])
                        .bind(bands[3])
                        .bind(bands[4])
                        .bind(bands[5])
                        .fetch_optional(&mut *tx)
                        .await?;
                        match inserted {
                            Some(id) => id,
                            None => {
                                sqlx::query_scalar("SELECT id FROM comment_groups WHERE proposal_id = $1 AND fingerprint = $2")
                                    .bind(c.proposal_id)
                                    .bind(fp.exact)
                                    .fetch_one(&mut *tx)
                                    .await?
                            }
                        }
                    }
                }
            }
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO comments (proposal_id, version_id, clause_number, author_id, stance, body, body_html, created_at, group_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(c.proposal_id)
        .bind(c.version_id)
        .bind(c.clause_number.map(|n| n as i32))
        .bind(c.author_id)
        .bind(c.stance.as_str())
        .bind(c.body)
        .bind(c.body_html)
        .bind(now)
        .bind(group_id)
        .fetch_one(&mut *tx)
        .await?;
        Ok::<_, sqlx::Error>((id, group_id))
    })?;
    // the same text again in this batch goes to the same group without a lookup
    pending.exact.entry((c.proposal_id, fp.exact)).or_insert(group_id);
    let group = pending.groups.entry(group_id).or_insert(GroupAdded { proposal_id: c.proposal_id, added: 0, first: id, last: id });
    group.added += 1;
    group.last = id;
    *pending.tallies.entry((c.proposal_id, c.clause_number.map_or(0, |n| n as i32), c.stance.as_str())).or_default() += 1;
    pending.commenters.insert((c.proposal_id, c.author_id));
    Ok(id)
}

impl Db {
    /// Seeds one comment in its own transaction (demo data, tests, benchmarks); people
    /// comment through `service::comments::post`.
    pub async fn add_comment(&self, c: &NewComment<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
        let mut tx = self.begin_write().await?;
        let open = super::proposals::load_state(&mut tx, c.proposal_id, true).await?.is_some_and(|s| s.status == ProposalStatus::Published);
        if !open {
            return Err(sqlx::Error::RowNotFound);
        }
        let mut pending = Pending::default();
        let id = insert(&mut tx, &mut pending, c, now).await?;
        pending.flush(&mut tx).await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl Db {
    /// The public list: one entry per group (a campaign shows once, with its count),
    /// newest group first, keyset on the group id. The entry is the group's first comment.
    pub async fn list_comment_groups(
        &self,
        proposal_id: i64,
        before: Option<i64>,
        limit: i64,
        reader: Reader,
    ) -> StoreResult<Vec<CommentView>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comment_groups g \
             JOIN comments c ON c.id = g.first_comment_id \
             JOIN users u ON u.id = c.author_id \
             JOIN proposal_versions v ON v.id = c.version_id \
             JOIN proposals p ON p.id = g.proposal_id \
             WHERE g.proposal_id = $1 AND g.id < $2 \
             ORDER BY g.id DESC LIMIT $3"
        );
        let rows: Vec<CommentRow> = on_db!(self, |pool| sqlx::query_as::<_, CommentRow>(&sql)
            .bind(proposal_id)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        self.with_supports(rows, reader).await
    }

    /// Every member of a campaign, oldest first, keyset on the comment id.
    pub async fn group_members(
        &self,
        proposal_id: i64,
        group_id: i64,
        after: Option<i64>,
        limit: i64,
        reader: Reader,
    ) -> StoreResult<Vec<CommentView>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c {COMMENT_JOINS} \
             WHERE c.group_id = $1 AND c.id > $2 AND c.proposal_id = $4 ORDER BY c.id LIMIT $3"
        );
        let rows: Vec<CommentRow> = on_db!(self, |pool| sqlx::query_as::<_, CommentRow>(&sql)
            .bind(group_id)
            .bind(after.unwrap_or(0))
            .bind(limit)
            .bind(proposal_id)
            .fetch_all(pool)
            .await)?;
        self.with_supports(rows, reader).await
    }

    /// Comments of a proposal, newest first, `limit` of them with ids below `before`
    /// (keyset: the cost does not grow with the page's depth). Hidden ones are listed
    /// with their reason and without their text.
    pub async fn list_comments(&self, proposal_id: i64, before: Option<i64>, limit: i64, reader: Reader) -> StoreResult<Vec<CommentView>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c \
             {COMMENT_JOINS} \
             WHERE c.proposal_id = $1 AND c.id < $2 \
             ORDER BY c.id DESC LIMIT $3"
        );
        let rows: Vec<CommentRow> = on_db!(self, |pool| sqlx::query_as::<_, CommentRow>(&sql)
            .bind(proposal_id)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(pool)
            .await)?;
        self.with_supports(rows, reader).await
    }

    /// Marks the comments the reader supports (one query for the whole page).
    async fn with_supports(&self, rows: Vec<CommentRow>, reader: Reader) -> StoreResult<Vec<CommentView>> {
        let supported: Vec<i64> = match (reader.user_id, rows.iter().map(|r| r.id).min(), rows.iter().map(|r| r.id).max()) {
            (Some(user), Some(lo), Some(hi)) => on_db!(self, |pool| sqlx::query_scalar(
                "SELECT comment_id FROM comment_supports WHERE user_id = $1 AND comment_id BETWEEN $2 AND $3"
            )
            .bind(user)
            .bind(lo)
            .bind(hi)
            .fetch_all(pool)
            .await)?,
            _ => Vec::new(),
        };
        Ok(rows.into_iter().map(|r| r.into_view(reader, &supported)).collect())
    }

    /// +1 once per person (`withdraw` takes it back); returns the new count.
    pub async fn set_support(&self, comment_id: i64, user_id: i64, withdraw: bool, now: DateTime<Utc>) -> Result<i64, CommentActionError> {
        let outcome: Result<i64, CommentActionError> = async {
            Ok(in_tx!(self, |tx| {
                let visible: Option<bool> =
                    sqlx::query_scalar("SELECT hidden FROM comments WHERE id = $1").bind(comment_id).fetch_optional(&mut *tx).await?;
                if visible != Some(false) {
                    return Err(CommentActionError::NotFound);
                }
                let changed = if withdraw {
                    sqlx::query("DELETE FROM comment_supports WHERE comment_id = $1 AND user_id = $2")
                        .bind(comment_id)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                } else {
                    sqlx::query(
                        "INSERT INTO comment_supports (comment_id, user_id, created_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (comment_id, user_id) DO NOTHING",
                    )
                    .bind(comment_id)
                    .bind(user_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                };
                if changed == 0 {
                    return Err(CommentActionError::Rule(if withdraw { Rule::NotSupported } else { Rule::AlreadySupported }));
                }
                let delta: i64 = if withdraw { -1 } else { 1 };
                sqlx::query_scalar::<_, i64>("UPDATE comments SET support_count = support_count + $1 WHERE id = $2 RETURNING support_count")
                    .bind(delta)
                    .bind(comment_id)
                    .fetch_one(&mut *tx)
                    .await?
            }))
        }
        .await;
        outcome
    }

    /// Anyone signed in may report a comment once.
    pub async fn report_comment(&self, comment_id: i64, reporter: i64, reason: &str, now: DateTime<Utc>) -> Result<(), CommentActionError> {
        in_tx!(self, |tx| {
            let hidden: Option<bool> =
                sqlx::query_scalar("SELECT hidden FROM comments WHERE id = $1").bind(comment_id).fetch_optional(&mut *tx).await?;
            if hidden.is_none() {
                return Err(CommentActionError::NotFound);
            }
            let inserted = sqlx::query(
                "INSERT INTO comment_reports (comment_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (comment_id, reporter_id) DO NOTHING",
            )
            .bind(comment_id)
            .bind(reporter)
            .bind(reason)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if inserted == 0 {
                return Err(CommentActionError::Rule(Rule::AlreadyReported));
            }
            sqlx::query("UPDATE comments SET report_count = report_count + 1 WHERE id = $1").bind(comment_id).execute(&mut *tx).await?;
        });
        Ok(())
    }

    /// The moderation queue: visible comments that were reported, most reported first
    /// (keyset on report count and id).
    pub async fn reported_comments(&self, after: Option<(i64, i64)>, limit: i64) -> StoreResult<Vec<CommentView>> {
        let (count, id) = after.unwrap_or((i64::MAX, i64::MAX));
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c \
             {COMMENT_JOINS} \
             WHERE c.hidden = FALSE AND c.report_count > 0 \
             AND (c.report_count < $1 OR (c.report_count = $1 AND c.id < $2)) \
             ORDER BY c.report_count DESC, c.id DESC LIMIT $3"
        );
        let rows: Vec<CommentRow> =
            on_db!(self, |pool| sqlx::query_as::<_, CommentRow>(&sql).bind(count).bind(id).bind(limit).fetch_all(pool).await)?;
        self.with_supports(rows, Reader::default()).await
    }

    /// The newest visible comments across all proposals, for moderators.
    pub async fn recent_comments(&self, before: Option<i64>, limit: i64) -> StoreResult<Vec<CommentView>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM comments c \
             {COMMENT_JOINS} \
             WHERE c.hidden = FALSE AND c.id < $1 ORDER BY c.id DESC LIMIT $2"
        );
        let rows: Vec<CommentRow> =
            on_db!(self, |pool| sqlx::query_as::<_, CommentRow>(&sql).bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(pool).await)?;
        self.with_supports(rows, Reader::default()).await
    }

    /// A person's notices, newest first, `limit` of them with ids below `before`.
    pub async fn notices(&self, user_id: i64, before: Option<i64>, limit: i64) -> StoreResult<Vec<(i64, DateTime<Utc>, String, String)>> {
        on_db!(self, |pool| sqlx::query_as(
            "SELECT id, at, kind, detail FROM notices WHERE user_id = $1 AND id < $3 ORDER BY id DESC LIMIT $2"
        )
        .bind(user_id)
        .bind(limit)
        .bind(before.unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await)
    }
}

/// What hiding a comment needs to know about it.
pub struct HideTarget {
    pub hidden: bool,
    pub author_id: i64,
    pub title: String,
    pub group_id: Option<i64>,
    pub proposal_id: i64,
    pub clause_number: Option<i32>,
    pub stance: String,
}

pub async fn hide_target(tx: &mut Tx, comment_id: i64) -> StoreResult<Option<HideTarget>> {
    type Row = (bool, i64, String, Option<i64>, i64, Option<i32>, String);
    let row: Option<Row> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT c.hidden, c.author_id, p.title, c.group_id, c.proposal_id, c.clause_number, c.stance \
         FROM comments c JOIN proposals p ON p.id = c.proposal_id WHERE c.id = $1",
    )
    .bind(comment_id)
    .fetch_optional(&mut *c)
    .await)?;
    Ok(row.map(|(hidden, author_id, title, group_id, proposal_id, clause_number, stance)| HideTarget {
        hidden,
        author_id,
        title,
        group_id,
        proposal_id,
        clause_number,
        stance,
    }))
}

/// Adds `$4` to the tally of published comments on a clause (`$2`, 0: the whole
/// proposal) in one stance: +1 for a new comment, -1 for a hidden one.
const TALLY: &str = "INSERT INTO comment_tallies (proposal_id, clause_number, stance, count) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (proposal_id, clause_number, stance) DO UPDATE SET count = comment_tallies.count + $4";

/// Hides the comment (never deletes it), tells its author, and lets its campaign show
/// its oldest visible member instead (when it was the one shown).
pub async fn hide(tx: &mut Tx, comment_id: i64, target: &HideTarget, reason: &str, moderator: i64, now: DateTime<Utc>) -> StoreResult<()> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE comments SET hidden = TRUE, hidden_reason = $1, hidden_by = $2, hidden_at = $3 WHERE id = $4")
            .bind(reason)
            .bind(moderator)
            .bind(now)
            .bind(comment_id)
            .execute(&mut *c)
            .await?;
        if !target.hidden {
            sqlx::query(TALLY)
                .bind(target.proposal_id)
                .bind(target.clause_number.unwrap_or(0))
                .bind(&target.stance)
                .bind(-1_i64)
                .execute(&mut *c)
                .await?;
        }
        if let Some(group) = target.group_id {
            sqlx::query(
                "UPDATE comment_groups SET first_comment_id = COALESCE( \
                     (SELECT MIN(id) FROM comments WHERE group_id = $1 AND hidden = FALSE), first_comment_id) \
                 WHERE id = $1 AND first_comment_id = $2",
            )
            .bind(group)
            .bind(comment_id)
            .execute(&mut *c)
            .await?;
        }
        sqlx::query("INSERT INTO notices (user_id, at, kind, detail) VALUES ($1, $2, 'comment_hidden', $3)")
            .bind(target.author_id)
            .bind(now)
            .bind(serde_json::json!({ "comment_id": comment_id, "title": target.title, "reason": reason }).to_string())
            .execute(&mut *c)
            .await?;
        Ok(())
    })
}
