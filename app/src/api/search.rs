//! `/search`: proposals, clauses and published comments matching a query.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::types::Page;
use crate::{domain::search::Piece, error::AppError};

/// Results of each kind shown on the overview (without `kind`).
pub const OVERVIEW_SIZE: i64 = 5;
/// Results on a page of one kind.
pub const PAGE_SIZE: i64 = 20;

/// One hit: where it is, and the part of its text around the match, matches marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub proposal_id: i64,
    pub title: String,
    pub agency_id: i64,
    /// The clause's number, or the comment's id; 0 for a proposal.
    pub item: i64,
    pub snippet: Vec<Piece>,
    pub at: DateTime<Utc>,
}

impl SearchHit {
    /// Where the hit is read in context: the proposal, its clause, or the page of
    /// comments that begins with this one.
    pub fn href(&self, kind: SearchKind) -> String {
        match kind {
            SearchKind::Proposals => format!("/proposals/{}", self.proposal_id),
            SearchKind::Clauses => format!("/proposals/{}#clause-{}", self.proposal_id, self.item),
            SearchKind::Comments => format!("/proposals/{}?before={}#comment-{}", self.proposal_id, self.item + 1, self.item),
        }
    }
}

/// What is searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Proposals,
    Clauses,
    Comments,
}

impl SearchKind {
    pub const ALL: [SearchKind; 3] = [SearchKind::Proposals, SearchKind::Clauses, SearchKind::Comments];

    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Proposals => "proposals",
            SearchKind::Clauses => "clauses",
            SearchKind::Comments => "comments",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// The results: each kind's first page (the overview), or one kind's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// The query as read (normalised).
    pub query: String,
    pub sections: Vec<(SearchKind, Page<SearchHit>)>,
}

/// Searches. `kind`: one kind only, paged by `after`; without it, the first few of each.
/// `agency` (an id) and `domain` narrow it. Bad input answers 400 with the field's rule.
#[server(endpoint = "search")]
pub async fn search(
    q: String,
    #[server(default)] kind: String,
    #[server(default)] agency: String,
    #[server(default)] domain: String,
    #[server(default)] proposal_kind: String,
    #[server(default)] after: String,
) -> Result<SearchResults, AppError> {
    use crate::{
        backend::{context, store::search as store},
        domain::{rule::Errors, search, Rule},
    };
    let result = async {
        let state = context::state()?;
        let mut errors = Errors::new();
        let query = errors.check("q", search::SearchQuery::parse(&q));
        let filter = crate::api::proposals::read_filter(&state, &agency, &domain, &proposal_kind, &mut errors).await?;
        let kind = match kind.trim() {
            "" => None,
            raw => errors.check("kind", SearchKind::parse(raw).ok_or(Rule::UnknownChoice)),
        };
        let after = after.trim();
        let bad_cursor = |errors: &mut Errors| errors.push("after", Rule::UnknownChoice);
        let (id_cursor, clause_cursor) = match (kind, after) {
            (_, "") => (None, None),
            (Some(SearchKind::Clauses), raw) => match raw.split_once('_').map(|(p, n)| (p.parse::<i64>(), n.parse::<i64>())) {
                Some((Ok(p), Ok(n))) => (None, Some((p, n))),
                _ => {
                    bad_cursor(&mut errors);
                    (None, None)
                }
            },
            (Some(_), raw) => match raw.parse::<i64>() {
                Ok(id) => (Some(id), None),
                Err(_) => {
                    bad_cursor(&mut errors);
                    (None, None)
                }
            },
            (None, _) => {
                bad_cursor(&mut errors);
                (None, None)
            }
        };
        errors.into_result().map_err(AppError::Invalid)?;
        let Some(query) = query else { return Err(AppError::NotFound) };
        let size = if kind.is_some() { PAGE_SIZE } else { OVERVIEW_SIZE };
        let mut sections = Vec::new();
        for k in kind.map(|k| vec![k]).unwrap_or_else(|| SearchKind::ALL.to_vec()) {
            let rows = match k {
                SearchKind::Proposals => store::proposals(&state.db, &query, filter, id_cursor, size + 1).await,
                SearchKind::Clauses => store::clauses(&state.db, &query, filter, clause_cursor, size + 1).await,
                SearchKind::Comments => store::comments(&state.db, &query, filter, id_cursor, size + 1).await,
            }
            .map_err(context::db_error)?;
            let hits: Vec<SearchHit> = rows
                .into_iter()
                .map(|h| SearchHit {
                    proposal_id: h.proposal_id,
                    title: h.title,
                    agency_id: h.agency_id,
                    item: h.item,
                    snippet: search::snippet(&h.text, &query),
                    at: h.at,
                })
                .collect();
            let page = Page::cut(hits, size, |h| match k {
                SearchKind::Proposals => h.proposal_id.to_string(),
                SearchKind::Clauses => format!("{}_{}", h.proposal_id, h.item),
                SearchKind::Comments => h.item.to_string(),
            });
            sections.push((k, page));
        }
        Ok(SearchResults { query: query.text, sections })
    }
    .await;
    context::with_query_status(result)
}
