//! Queries, one file per area. Each query is written once and runs on both databases.

pub mod agencies;
pub mod audit;
pub mod comments;
pub mod export;
pub mod feedback;
pub mod feeds;
pub mod gates;
pub mod hearings;
pub mod penalties;
pub mod projects;
pub mod proposals;
pub mod rate;
pub mod search;
pub mod second_factor;
pub mod sessions;
pub mod tokens;
pub mod users;

pub type StoreResult<T> = Result<T, sqlx::Error>;

use chrono::{DateTime, Utc};

use crate::{backend::Db, domain::proposal::ProposalFilter, on_db};

/// A value bound to a query built at run time.
pub(crate) enum Bind {
    Text(String),
    Int(i64),
    Time(DateTime<Utc>),
}

/// A query whose conditions depend on the request (filters, cursors): its SQL with
/// `$n` placeholders numbered as they are added, and their values, so that one text
/// runs on both databases and only the conditions asked for reach the planner.
pub(crate) struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    pub(crate) fn new(text: &str) -> Self {
        Self { text: text.to_owned(), binds: Vec::new() }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    pub(crate) fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        self.text.push_str(&format!("${}", self.binds.len()));
        self
    }

    /// The conditions of a list filter on the proposals aliased `p`.
    pub(crate) fn filter(&mut self, filter: ProposalFilter) -> &mut Self {
        if let Some(agency) = filter.agency_id {
            self.push(" AND p.agency_id = ").bind(Bind::Int(agency));
        }
        if let Some(kind) = filter.kind {
            self.push(" AND p.kind = ").bind(Bind::Text(kind.as_str().to_owned()));
        }
        if let Some(domain) = filter.domain {
            self.push(" AND EXISTS (SELECT 1 FROM proposal_domains d WHERE d.proposal_id = p.id AND d.domain = ");
            self.bind(Bind::Text(domain.as_str().to_owned())).push(")");
        }
        self
    }

    pub(crate) async fn fetch_all<T>(&self, db: &Db) -> StoreResult<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
    {
        on_db!(db, |pool| {
            let mut q = sqlx::query_as::<_, T>(&self.text);
            for bind in &self.binds {
                q = match bind {
                    Bind::Text(s) => q.bind(s.clone()),
                    Bind::Int(i) => q.bind(*i),
                    Bind::Time(t) => q.bind(*t),
                };
            }
            q.fetch_all(pool).await
        })
    }
}
