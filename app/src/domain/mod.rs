//! The rules of public participation as plain Rust: no I/O, no clock (time is an
//! argument), no framework. Everything here compiles to wasm as well, so the browser
//! can show the same rule the server enforces.

pub mod account;
pub mod attachment;
pub mod audit;
pub mod calendar;
pub mod campaign;
pub mod comment;
pub mod diff;
pub mod feedback;
pub mod gate;
pub mod lifecycle;
pub mod markdown;
pub mod moderation;
pub mod project;
pub mod proposal;
pub mod review;
pub mod role;
pub mod rule;
pub mod text;
pub mod time;

pub use rule::{FieldError, Rule};
