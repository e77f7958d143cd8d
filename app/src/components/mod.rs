pub mod errors;
pub mod layout;
pub mod proposal_card;
