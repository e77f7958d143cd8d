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

/// The least zxcvbn score a new password needs: 2 means more than a million guesses even
/// for an attacker who tries the most common passwords, words, names, keyboard patterns and
/// dates first (NIST SP 800-63B §3.1.1.2: refuse passwords on lists of common, expected or
/// compromised ones, and context-specific words).
pub const MIN_PASSWORD_SCORE: u8 = 2;

/// What zxcvbn's English-made lists miss: the pieces of the passwords most used in
/// China (from the published analyses of the 2011 CSDN, Tianya and 12306 leaks), the
/// commonest surnames in pinyin, and the platform's own name, most common first.
#[cfg(feature = "ssr")]
#[rustfmt::skip]
const COMMON_CHINESE: &[&str] = &[
    "woaini", "5201314", "1314", "520", "1314520", "aini", "woaini1314", "iloveyou", "a123456", "aa123456", "qq123456",
    "abc123456", "123qwe", "qwe123", "1qaz2wsx", "woshishui", "nihao", "zhongguo", "china", "beijing", "shanghai",
    "baidu", "taobao", "weixin", "wechat", "qq", "xiaoming", "laopo", "laogong", "baobao", "zhang", "wang", "li", "liu",
    "chen", "yang", "huang", "zhao", "zhou", "wu", "xu", "sun", "ma", "zhu", "hu", "lin", "guo", "he", "gao", "luo",
    "minyi", "民意",
];

impl Password {
    /// A password someone chooses (registering, changing it): [`Password::parse`]'s
    /// lengths, and not common or easily guessed, also from `personal` words (the e-mail,
    /// the name, the platform's name). Signing in checks only the lengths.
    #[cfg(feature = "ssr")]
    pub fn choose(raw: &str, personal: &[&str]) -> Result<Self, Rule> {
        let password = Self::parse(raw)?;
        let mut words: Vec<&str> = COMMON_CHINESE.to_vec();
        for word in personal {
            words.push(word);
            // the parts of an e-mail address count on their own
            words.extend(word.split(['@', '.', '_', '-', '+']).filter(|w| w.chars().count() >= 3));
        }
        let estimate = zxcvbn::zxcvbn(password.expose(), &words);
        if u8::from(estimate.score()) < MIN_PASSWORD_SCORE {
            return Err(Rule::PasswordGuessable);
        }
        Ok(password)
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A short name for a browser from its `User-Agent`, such as "Chrome · Windows" or
/// "WeChat · iPhone", for the list of one's sessions (the whole string stays available).
pub fn describe_agent(user_agent: &str) -> Option<String> {
    let ua = user_agent;
    let has = |s: &str| ua.contains(s);
    let browser = if has("MicroMessenger") {
        "WeChat"
    } else if has("QQBrowser") || has("MQQBrowser") {
        "QQ Browser"
    } else if has("UCBrowser") {
        "UC Browser"
    } else if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        "Edge"
    } else if has("Firefox/") || has("FxiOS/") {
        "Firefox"
    } else if has("Chrome/") || has("CriOS/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        return None;
    };
    let system = if has("iPhone") {
        "iPhone"
    } else if has("iPad") {
        "iPad"
    } else if has("HarmonyOS") || has("OpenHarmony") {
        "HarmonyOS"
    } else if has("Android") {
        "Android"
    } else if has("Windows") {
        "Windows"
    } else if has("Mac OS X") || has("Macintosh") {
        "macOS"
    } else if has("CrOS") {
        "ChromeOS"
    } else if has("Linux") {
        "Linux"
    } else {
        return Some(browser.to_owned());
    };
    Some(format!("{browser} · {system}"))
}

/// What a one-time link sent by e-mail is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    /// Proves the address of a newly registered account.
    VerifyEmail,
    /// Chooses a new password without the old one.
    ResetPassword,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify",
            Self::ResetPassword => "reset",
        }
    }

    /// How long a link works: long enough to find the mail the next day for a new
    /// account, short for a password reset (ASVS 5.0 §6.4.1, a reset secret is short-lived).
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            Self::VerifyEmail => chrono::Duration::hours(48),
            Self::ResetPassword => chrono::Duration::hours(1),
        }
    }

    /// Whether a link issued for this purpose may be used at `now`: not used before and
    /// not expired.
    pub fn check(
        self,
        expires_at: chrono::DateTime<chrono::Utc>,
        used_at: Option<chrono::DateTime<chrono::Utc>>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), Rule> {
        if used_at.is_some() {
            return Err(Rule::LinkUsed);
        }
        if now >= expires_at {
            return Err(Rule::LinkExpired { hours: self.lifetime().num_hours() });
        }
        Ok(())
    }
}

/// Mails with a one-time link one e-mail address may be sent in an hour, whoever asks:
/// nobody can flood an inbox through the registration or reset forms.
pub const LINK_MAILS_PER_HOUR: i64 = 3;

/// The signed-in person as the pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i64,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// The agency an official acts for.
    pub agency_id: Option<i64>,
    /// Signs in with a second factor (two-step sign-in is on).
    #[serde(default)]
    pub second_factor: bool,
    /// Proved the account's e-mail address by the link sent to it.
    #[serde(default)]
    pub email_verified: bool,
}

impl Viewer {
    /// Whether the person may act in `role` now: they hold it, and for the admin role they
    /// have two-step sign-in on (ASVS 5.0 §6.3.3), so a stolen password alone never
    /// administers anything.
    pub fn has(&self, role: Role) -> bool {
        self.holds(role) && (role != Role::Admin || self.second_factor)
    }

    /// Whether the role was granted, whatever else acting in it needs.
    pub fn holds(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the person may take part: comment, support, report, apply to a hearing.
    /// Only with a verified e-mail address, so that one person cannot speak with many
    /// accounts (ASVS 5.0 §6.4).
    pub fn may_take_part(&self) -> Result<(), Rule> {
        if self.email_verified {
            Ok(())
        } else {
            Err(Rule::EmailNotVerified)
        }
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
    fn browsers_are_named_briefly() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36", "Chrome · Windows"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge · Windows"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50", "WeChat · iPhone"),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "Safari · iPhone"),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36", "Chrome · Android"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox · macOS"),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36", "Chrome · Linux"),
        ];
        for (ua, name) in cases {
            assert_eq!(describe_agent(ua).as_deref(), Some(name), "{ua}");
        }
        assert_eq!(describe_agent("curl/8.5.0"), None);
        assert_eq!(describe_agent(""), None);
    }

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
        let official = Viewer {
            id: 1,
            display_name: "王科长".into(),
            roles: vec![Role::Citizen, Role::Official],
            agency_id: Some(7),
            second_factor: false,
            email_verified: true,
        };
        assert!(official.may_publish_for(7));
        assert!(!official.may_publish_for(8));
        let citizen = Viewer { roles: vec![Role::Citizen], ..official.clone() };
        // an administrator acts as one only with two-step sign-in on
        let admin = Viewer { roles: vec![Role::Citizen, Role::Admin], ..official };
        assert!(admin.holds(Role::Admin) && !admin.has(Role::Admin));
        assert!(Viewer { second_factor: true, ..admin }.has(Role::Admin));
        assert!(!citizen.may_publish_for(7));
    }

    /// ASVS 5.0 §6.4: only a verified address takes part (one person, one voice).
    #[test]
    fn rule_email_not_verified_keeps_an_account_from_taking_part() {
        let citizen = Viewer {
            id: 1,
            display_name: "周敏".into(),
            roles: vec![Role::Citizen],
            agency_id: None,
            second_factor: false,
            email_verified: false,
        };
        assert_eq!(citizen.may_take_part(), Err(Rule::EmailNotVerified));
        assert_eq!(Viewer { email_verified: true, ..citizen }.may_take_part(), Ok(()));
    }

    /// A one-time link works once and for its lifetime only: 48 h to verify, 1 h to reset.
    #[test]
    fn rule_link_expired_and_rule_link_used() {
        use chrono::{Duration, TimeZone, Utc};
        let issued = Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap();
        for (purpose, hours) in [(LinkPurpose::VerifyEmail, 48), (LinkPurpose::ResetPassword, 1)] {
            let expires = issued + purpose.lifetime();
            assert_eq!(purpose.check(expires, None, expires - Duration::seconds(1)), Ok(()));
            assert_eq!(purpose.check(expires, None, expires), Err(Rule::LinkExpired { hours }));
            assert_eq!(purpose.check(expires, Some(issued), issued), Err(Rule::LinkUsed));
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod password_tests {
    use super::*;

    #[test]
    fn nist_800_63b_3_1_1_2_common_and_guessable_passwords_are_refused() {
        for weak in
            ["12345678", "password", "password1", "qwertyuiop", "11111111", "iloveyou", "woaini1314", "abcd1234", "88888888", "wang5201314"]
        {
            assert_eq!(Password::choose(weak, &[]).map(|_| ()), Err(Rule::PasswordGuessable), "{weak}");
        }
        // built from the person's own e-mail or name
        assert_eq!(Password::choose("liming1990", &["liming1990@example.cn", "李明"]).map(|_| ()), Err(Rule::PasswordGuessable));
        // lengths still come first
        assert_eq!(Password::choose("1234", &[]).map(|_| ()), Err(Rule::TooShort { min: Password::MIN }));
    }

    #[test]
    fn nist_800_63b_3_1_1_2_long_uncommon_passwords_and_any_script_are_accepted() {
        for strong in [
            "campaign-pass-1",
            "zhoumin-pass-1",
            "hearing-pass-2026",
            "nojs-password-1",
            "author-pass-1",
            "citizen-pass-1",
            "xss-pass-12",
            "长城脚下的清晨六点",
            "correct horse battery staple",
            "Tq7#mZ2!vR",
        ] {
            assert!(Password::choose(strong, &["someone@example.cn", "某人"]).is_ok(), "{strong}");
        }
        // up to 128 characters, more than the 64 NIST asks to allow
        let text = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳推位让国有虞陶唐吊民伐罪周发殷汤坐朝问道垂拱平章爱育黎首臣伏戎羌遐迩一体率宾归王鸣凤在竹白驹食场化被草木赖及万方盖此身发四大五常恭惟鞠养岂敢毁伤";
        let long: String = text.chars().take(Password::MAX).collect();
        assert_eq!(long.chars().count(), Password::MAX);
        assert!(Password::choose(&long, &[]).is_ok());
        let longer = format!("{long}女");
        assert_eq!(Password::choose(&longer, &[]).map(|_| ()), Err(Rule::TooLong { max: Password::MAX }));
    }
}
