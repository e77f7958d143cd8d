//! The error every server function returns. It crosses the wire as JSON, keeps the
//! broken rules as data (so the page can say, in the reader's language, what to fix
//! next to the field) and never carries internal details: those are logged on the
//! server and shown as a generic failure.

use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

use crate::domain::{role::Role, FieldError, Rule};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// One or more fields break a rule.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Sign-in needed.
    #[error("sign-in required")]
    Unauthenticated,
    /// Signed in, but without the role the action needs.
    #[error("requires role {0:?}")]
    Forbidden(Role),
    /// The thing does not exist (or is not visible to the caller).
    #[error("not found")]
    NotFound,
    /// Too many requests; the caller may retry after this many seconds.
    #[error("rate limited, retry after {0}s")]
    RateLimited(u64),
    /// Something broke on the server; details are in the server's log.
    #[error("internal error")]
    Internal,
    /// The request could not reach the server function or be decoded.
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field(field: &str, rule: Rule) -> Self {
        AppError::Invalid(vec![FieldError::new(field, rule)])
    }

    /// The broken rule for `field`, if any.
    pub fn rule_for(&self, field: &str) -> Option<&Rule> {
        match self {
            AppError::Invalid(errors) => errors.iter().find(|e| e.field == field).map(|e| &e.rule),
            _ => None,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(errors)
                if errors.iter().any(|e| matches!(e.rule, Rule::CommentFlood { .. } | Rule::TooManyAttempts { .. })) =>
            {
                429
            }
            AppError::Invalid(errors) if errors.iter().any(|e| e.rule == Rule::AdminNeedsSecondFactor) => 403,
            AppError::Invalid(_) => 422,
            AppError::Unauthenticated => 401,
            AppError::Forbidden(_) => 403,
            AppError::NotFound => 404,
            AppError::RateLimited(_) => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 400,
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Invalid(errors)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;
