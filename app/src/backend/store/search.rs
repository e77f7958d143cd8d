//! Search over the public texts: proposal titles, the clauses of each proposal's current
//! version, and comments that are not hidden, of proposals that are not drafts. Terms of
//! three characters or more are answered from the trigram index (SQLite: the FTS5 tables
//! of migration 0013; PostgreSQL: `pg_trgm` GIN indexes under `LIKE`), shorter ones by
//! `LIKE` alone. Newest first, keyset-paged.

use chrono::{DateTime, Utc};

use super::{Bind, Sql, StoreResult};
use crate::{
    backend::Db,
    domain::{proposal::ProposalFilter, search::SearchQuery},
};

/// A hit: the proposal it belongs to, and the text that matched.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Hit {
    pub proposal_id: i64,
    pub title: String,
    pub agency_id: i64,
    /// The clause's number (clause hits), or the comment's id (comment hits); 0 for proposals.
    pub item: i64,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// `%term%` for LIKE, with LIKE's own characters escaped (`ESCAPE '\'`).
fn like_pattern(term: &str) -> String {
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// An FTS5 query in which every term is a quoted string (nothing is read as an operator).
fn fts_query(terms: &[&String]) -> String {
    terms.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" AND ")
}

/// The conditions on the searched column `column` for every term: on SQLite the indexed
/// terms through the FTS table `fts` (whose rowid is `rowid_of`), the short ones by LIKE;
/// on PostgreSQL all by LIKE (which the trigram index serves). ASCII letters match in
/// either case on both.
fn match_terms(sql: &mut Sql, db: &Db, query: &SearchQuery, column: &str, fts: &str, rowid_of: &str) {
    let sqlite = matches!(db, Db::Sqlite(..));
    let indexed: Vec<&String> = query.terms.iter().filter(|t| t.chars().count() >= SearchQuery::INDEXED_MIN).collect();
    if sqlite && !indexed.is_empty() {
        sql.push(&format!(" AND {rowid_of} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH "));
        sql.bind(Bind::Text(fts_query(&indexed)));
        sql.push(")");
    }
    for term in &query.terms {
        if sqlite && term.chars().count() >= SearchQuery::INDEXED_MIN {
            continue;
        }
        let op = if sqlite { "LIKE" } else { "ILIKE" };
        sql.push(&format!(" AND {column} {op} "));
        sql.bind(Bind::Text(like_pattern(term)));
        sql.push(" ESCAPE '\\'");
    }
}

async fn run(db: &Db, sql: Sql) -> StoreResult<Vec<Hit>> {
    sql.fetch_all(db).await
}

/// Public proposals whose title matches, newest first, `limit` of them before id `before`.
pub async fn proposals(db: &Db, query: &SearchQuery, filter: ProposalFilter, before: Option<i64>, limit: i64) -> StoreResult<Vec<Hit>> {
    let mut sql = Sql::new(
        "SELECT p.id AS proposal_id, p.title, p.agency_id, CAST(0 AS BIGINT) AS item, p.title AS text, COALESCE(p.published_at, p.created_at) AS at \
         FROM proposals p WHERE p.status <> 'draft'",
    );
    match_terms(&mut sql, db, query, "p.title", "proposals_fts", "p.id");
    sql.filter(filter);
    if let Some(before) = before {
        sql.push(" AND p.id < ").bind(Bind::Int(before));
    }
    sql.push(" ORDER BY p.id DESC LIMIT ").bind(Bind::Int(limit));
    run(db, sql).await
}

/// Clauses of public proposals' current versions that match, newest proposal first and
/// in clause order, `limit` of them after the cursor `(proposal, clause)`.
pub async fn clauses(db: &Db, query: &SearchQuery, filter: ProposalFilter, after: Option<(i64, i64)>, limit: i64) -> StoreResult<Vec<Hit>> {
    let rowid = if matches!(db, Db::Sqlite(..)) { "cl.rowid" } else { "0" };
    let mut sql = Sql::new(
        "SELECT p.id AS proposal_id, p.title, p.agency_id, CAST(cl.number AS BIGINT) AS item, cl.plain AS text, \
         COALESCE(p.published_at, p.created_at) AS at \
         FROM clauses cl JOIN proposal_versions v ON v.id = cl.version_id \
         JOIN proposals p ON p.id = v.proposal_id AND v.number = p.current_version \
         WHERE p.status <> 'draft'",
    );
    match_terms(&mut sql, db, query, "cl.plain", "clauses_fts", rowid);
    sql.filter(filter);
    if let Some((proposal, clause)) = after {
        sql.push(" AND (p.id < ").bind(Bind::Int(proposal)).push(" OR (p.id = ").bind(Bind::Int(proposal));
        sql.push(" AND cl.number > ").bind(Bind::Int(clause)).push("))");
    }
    sql.push(" ORDER BY p.id DESC, cl.number ASC LIMIT ").bind(Bind::Int(limit));
    run(db, sql).await
}

/// Comments that are not hidden, on public proposals, that match: newest first, `limit`
/// of them before comment id `before`.
pub async fn comments(db: &Db, query: &SearchQuery, filter: ProposalFilter, before: Option<i64>, limit: i64) -> StoreResult<Vec<Hit>> {
    let mut sql = Sql::new(
        "SELECT p.id AS proposal_id, p.title, p.agency_id, c.id AS item, c.body AS text, c.created_at AS at \
         FROM comments c JOIN proposals p ON p.id = c.proposal_id \
         WHERE c.hidden = FALSE AND p.status <> 'draft'",
    );
    match_terms(&mut sql, db, query, "c.body", "comments_fts", "c.id");
    sql.filter(filter);
    if let Some(before) = before {
        sql.push(" AND c.id < ").bind(Bind::Int(before));
    }
    sql.push(" ORDER BY c.id DESC LIMIT ").bind(Bind::Int(limit));
    run(db, sql).await
}
