//! Server-only code: storage, sessions, Markdown rendering, demo data.

pub mod auth;
pub mod clock;
pub mod context;
pub mod db;
pub mod demo;
pub mod files;
pub mod mail;
pub mod markdown;
pub mod second_factor;
pub mod service;
pub mod store;

pub use context::AppState;
pub use db::Db;
