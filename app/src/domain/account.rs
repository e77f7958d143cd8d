//! Accounts: e-mail, password policy, and who may do what.

use super::{role::Role, text::single_line, Rule};
use serde::{Deserialize, Serialize};

/// An e-mail address: RFC 5321 syntax, checked by the `email_address` crate, with the
/// limits a mail server keeps (local part at most 64 bytes, each domain label at most 63,
/// the whole at most 254), a domain of at least two labels made of letters, digits and
/// hyphens (internationalised domains are accepted, in Unicode form), and no IP
/// literal (`name@[192.0.2.1]`), quoted local part or display name (`Li <li@x.cn>`).
/// Stored NFC and lower-cased, so that `Li@Example.cn` and `li@example.cn` are one
/// account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;
    pub const MAX_LOCAL: usize = 64;
    pub const MAX_LABEL: usize = 63;

    pub fn parse(raw: &str) -> Result<Self, Rule> {
        let email = single_line(raw, 1, usize::MAX)?.to_lowercase();
        if email.len() > Self::MAX {
            return Err(Rule::TooLong { max: Self::MAX });
        }
        let options =
            email_address::Options { minimum_sub_domains: 2, allow_domain_literal: false, allow_display_text: false, ..Default::default() };
        let parsed = email_address::EmailAddress::parse_with_options(&email, options).map_err(|_| Rule::EmailFormat)?;
        let (local, domain) = (parsed.local_part(), parsed.domain());
        if local.len() > Self::MAX_LOCAL || local.starts_with('"') {
            return Err(Rule::EmailFormat);
        }
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= Self::MAX_LABEL
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if !domain.split('.').all(label_ok) {
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
    fn email_follows_rfc_5321_with_sensible_limits() {
        for good in ["a.b+tag@example.cn", "o'neil@mail.example.com", "x@sub-domain.example.org", "李明@例子.中国", "Li@Bücher.DE"] {
            assert!(Email::parse(good).is_ok(), "{good:?} refused");
        }
        assert_eq!(Email::parse("李明@例子.中国").unwrap().as_str(), "李明@例子.中国");
        assert_eq!(Email::parse("Li@Bücher.DE").unwrap().as_str(), "li@bücher.de");
        let local = "a".repeat(64);
        assert!(Email::parse(&format!("{local}@example.cn")).is_ok());
        let label = "b".repeat(63);
        assert!(Email::parse(&format!("a@{label}.cn")).is_ok());
        let long = format!("a@{}.cn", vec!["c".repeat(60); 5].join("."));
        assert_eq!(Email::parse(&long), Err(Rule::TooLong { max: 254 }));
        for bad in [
            format!("{local}a@example.cn"),
            format!("a@{label}b.cn"),
            "a@[192.0.2.1]".into(),
            "a@[IPv6:2001:db8::1]".into(),
            "\"a b\"@example.cn".into(),
            "Li <li@example.cn>".into(),
            "a@-x.cn".into(),
            "a@x-.cn".into(),
            "a@x_y.cn".into(),
            "a@x!y.cn".into(),
            ".a@x.cn".into(),
            "a.@x.cn".into(),
            "a..b@x.cn".into(),
            "a@b@x.cn".into(),
            "a@localhost".into(),
        ] {
            assert!(Email::parse(&bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(Email::parse("li@example.cn\n"), Err(Rule::LineBreakNotAllowed));
        assert_eq!(Email::parse("li\u{202E}@example.cn"), Err(Rule::BidiControl { position: 3 }));
        assert_eq!(Email::parse("li\u{0}@example.cn"), Err(Rule::ControlCharacter { position: 3 }));
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
