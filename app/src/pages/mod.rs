pub mod admin;
pub mod auth;
pub mod home;
pub mod new_proposal;
pub mod not_found;
pub mod proposal;
