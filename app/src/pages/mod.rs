pub mod admin;
pub mod auth;
pub mod home;
pub mod moderation;
pub mod new_proposal;
pub mod not_found;
pub mod proposal;
pub mod versions;
