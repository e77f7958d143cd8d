//! Services: every state-changing action is one function here (one file per area). It
//! opens one transaction, loads what it needs, asks a pure `domain` function whether
//! the change may happen and what follows, saves, and appends the audit event — all or
//! nothing. A refusal returns before anything is written, so it leaves no trace, not
//! even an audit entry. Server functions only say who is asking, parse, and call here.

pub mod accounts;
pub mod admin;
pub mod comments;
pub mod gates;
pub mod hearings;
pub mod penalties;
pub mod projects;
pub mod proposals;

use crate::{
    backend::clock::Clock,
    domain::{account::Viewer, FieldError, Rule},
    error::AppError,
};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input or the state breaks these rules; nothing was written.
    #[error("refused: {0:?}")]
    Refused(Vec<FieldError>),
    /// The thing does not exist, or the actor may not see it.
    #[error("not found")]
    NotFound,
    /// Too many attempts; try again after this many seconds. Nothing was written.
    #[error("limited for {0} s")]
    Limited(u64),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl ServiceError {
    pub fn rule(field: &str, rule: Rule) -> Self {
        ServiceError::Refused(vec![FieldError::new(field, rule)])
    }
}

impl From<(&'static str, Rule)> for ServiceError {
    fn from((field, rule): (&'static str, Rule)) -> Self {
        ServiceError::rule(field, rule)
    }
}

/// The one conversion from what went wrong below the server functions to what the
/// caller is told: rules as field errors, a store failure logged with its whole chain
/// and shown as a generic failure.
impl From<ServiceError> for AppError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Refused(errors) => AppError::Invalid(errors),
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Limited(secs) => AppError::RateLimited(secs),
            ServiceError::Db(error) => crate::backend::context::db_error(error),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Who acts, and when: the instant is read once per action, from the injected clock.
#[derive(Clone, Debug)]
pub struct Actor<'a> {
    pub viewer: &'a Viewer,
    pub now: chrono::DateTime<chrono::Utc>,
}

impl<'a> Actor<'a> {
    pub fn new(viewer: &'a Viewer, clock: &dyn Clock) -> Self {
        Self { viewer, now: clock.now() }
    }

    pub fn id(&self) -> i64 {
        self.viewer.id
    }
}
