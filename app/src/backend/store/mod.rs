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
