//! Accounts: e-mail, password policy, and who may do what.

use super::{role::Role, Rule};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    /// Lower-cased so that `Li@Example.cn` and `li@example.cn` are one account.
    pub fn parse(raw: &str) -> Result<Self, Rule> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(Rule::Required);
        }
        if email.chars().count() > Self::MAX {
            return Err(Rule::TooLong { max: Self::MAX });
        }
        let mut parts = email.splitn(2, '@');
        let local = parts.next().unwrap_or_default();
        let domain = parts.next().unwrap_or_default();
        let domain_ok = domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..");
        if local.is_empty() || !domain_ok || email.chars().any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',') {
            return Err(Rule::EmailFormat);
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed. Never stored; only its argon2id hash is.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, Rule> {
        let len = raw.chars().count();
        if len == 0 {
            return Err(Rule::Required);
        }
        if len < Self::MIN {
            return Err(Rule::TooShort { min: Self::MIN });
        }
        if len > Self::MAX {
            return Err(Rule::TooLong { max: Self::MAX });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The signed-in person as the pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i64,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// The agency an official acts for.
    pub agency_id: Option<i64>,
}

impl Viewer {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Officials publish for their own agency only.
    pub fn may_publish_for(&self, agency_id: i64) -> bool {
        self.has(Role::Official) && self.agency_id == Some(agency_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(Email::parse(" Li.Ming@Example.CN ").unwrap().as_str(), "li.ming@example.cn");
        for bad in ["", "no-at-sign", "a@b", "a@.cn", "a@cn.", "a b@c.cn", "@c.cn", "a@b..cn"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(Email::parse(""), Err(Rule::Required));
    }

    #[test]
    fn password_length_policy() {
        assert_eq!(Password::parse("").err(), Some(Rule::Required));
        assert_eq!(Password::parse("short").err(), Some(Rule::TooShort { min: 8 }));
        assert!(Password::parse("长城长城长城长城").is_ok());
        assert_eq!(Password::parse(&"x".repeat(129)).err(), Some(Rule::TooLong { max: 128 }));
    }

    #[test]
    fn official_publishes_only_for_own_agency() {
        let official = Viewer { id: 1, display_name: "王科长".into(), roles: vec![Role::Citizen, Role::Official], agency_id: Some(7) };
        assert!(official.may_publish_for(7));
        assert!(!official.may_publish_for(8));
        let citizen = Viewer { roles: vec![Role::Citizen], ..official };
        assert!(!citizen.may_publish_for(7));
    }
}
