use serde::{Deserialize, Serialize};

/// What an account may do. One account can hold several roles; "citizen" is what every
/// registered account starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Citizen,
    Official,
    Organizer,
    Reviewer,
    Moderator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Citizen, Role::Official, Role::Organizer, Role::Reviewer, Role::Moderator, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Citizen => "citizen",
            Role::Official => "official",
            Role::Organizer => "organizer",
            Role::Reviewer => "reviewer",
            Role::Moderator => "moderator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, super::Rule> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw).ok_or(super::Rule::UnknownChoice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("superuser").is_err());
    }
}
