//! The translation layer. Every string a person reads goes through here.
//!
//! Each message is one row with its Chinese and English text side by side
//! (`catalog.rs`), so a key without a translation does not compile. The locale is
//! chosen by a cookie (zh-CN by default) and written into `<html lang>`, where the
//! hydrating client reads it back, so server and browser always render the same text.

mod catalog;

pub use catalog::Msg;

use crate::domain::{
    comment::Stance,
    proposal::{PolicyDomain, ProposalKind, WindowPhase},
    role::Role,
    Rule,
};
use leptos::prelude::*;

pub const LOCALE_COOKIE: &str = "minyi_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Locale {
    #[default]
    ZhCn,
    En,
}

impl Locale {
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag.trim() {
            "zh-CN" | "zh" | "zh-cn" => Some(Locale::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Locale::En),
            _ => None,
        }
    }

    /// Reads the locale cookie from a `Cookie` header.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LOCALE_COOKIE)
            .and_then(|(_, value)| Locale::from_tag(value))
            .unwrap_or_default()
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self)
    }

    /// A message with `{name}` placeholders filled in.
    pub fn fmt(self, msg: Msg, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut text = msg.text(self).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }

    /// The sentence that tells a person which rule their input broke and what to do.
    pub fn rule(self, rule: &Rule) -> String {
        match rule {
            Rule::Required => self.t(Msg::RuleRequired).into(),
            Rule::TooLong { max } => self.fmt(Msg::RuleTooLong, &[("max", max)]),
            Rule::TooShort { min } => self.fmt(Msg::RuleTooShort, &[("min", min)]),
            Rule::EmailFormat => self.t(Msg::RuleEmailFormat).into(),
            Rule::EmailTaken => self.t(Msg::RuleEmailTaken).into(),
            Rule::WrongCredentials => self.t(Msg::RuleWrongCredentials).into(),
            Rule::UnknownChoice => self.t(Msg::RuleUnknownChoice).into(),
            Rule::BadDateTime => self.t(Msg::RuleBadDateTime).into(),
            Rule::WindowEndsBeforeStart => self.t(Msg::RuleWindowEndsBeforeStart).into(),
            Rule::WindowShorterThanMinimum { min_days } => self.fmt(Msg::RuleWindowTooShort, &[("days", min_days)]),
            Rule::NoDomain => self.t(Msg::RuleNoDomain).into(),
            Rule::NoSuchClause { clause } => self.fmt(Msg::RuleNoSuchClause, &[("n", clause)]),
            Rule::WindowNotOpen => self.t(Msg::RuleWindowNotOpen).into(),
            Rule::UnknownAgency => self.t(Msg::RuleUnknownAgency).into(),
            Rule::NotYourAgency => self.t(Msg::RuleNotYourAgency).into(),
            Rule::CannotRevokeOwnAdmin => self.t(Msg::AdminCannotRevokeOwnAdmin).into(),
            Rule::AlreadySupported => self.t(Msg::RuleAlreadySupported).into(),
            Rule::NotSupported => self.t(Msg::RuleNotSupported).into(),
            Rule::AlreadyHidden => self.t(Msg::RuleAlreadyHidden).into(),
            Rule::AlreadyReported => self.t(Msg::RuleAlreadyReported).into(),
            Rule::CommentFlood { retry_after_secs, limit, scope, minutes } => self.fmt(
                Msg::RuleCommentFlood,
                &[
                    ("secs", retry_after_secs),
                    ("limit", limit),
                    ("minutes", minutes),
                    (
                        "scope",
                        &self.t(match scope {
                            crate::domain::rule::FloodScope::Account => Msg::FloodPerAccount,
                            crate::domain::rule::FloodScope::Address => Msg::FloodPerAddress,
                        }),
                    ),
                ],
            ),
            Rule::WindowCannotShorten => self.t(Msg::RuleWindowCannotShorten).into(),
            Rule::FeedbackBeforeWindowCloses => self.t(Msg::RuleFeedbackBeforeWindowCloses).into(),
            Rule::FeedbackAlreadyPublished => self.t(Msg::RuleFeedbackAlreadyPublished).into(),
            Rule::FeedbackEmpty => self.t(Msg::RuleFeedbackEmpty).into(),
            Rule::GatesUnmet { gates } => format!(
                "{}{}",
                self.t(Msg::RuleGatesUnmet),
                gates.iter().map(|g| self.gate(*g)).collect::<Vec<_>>().join(self.t(Msg::ListSeparator))
            ),
            Rule::TooManyAttempts { retry_after_secs } => self.fmt(Msg::RuleTooManyAttempts, &[("secs", retry_after_secs)]),
            Rule::WindowOpensInThePast { grace_minutes } => self.fmt(Msg::RuleWindowOpensInThePast, &[("minutes", grace_minutes)]),
            Rule::NotInState { status } => self.fmt(Msg::RuleNotInState, &[("status", &self.status(*status))]),
            Rule::NewWindowRequired => self.t(Msg::RuleNewWindowRequired).into(),
            Rule::WindowStillOpen => self.t(Msg::RuleWindowStillOpen).into(),
            Rule::UnknownUser => self.t(Msg::RuleUnknownUser).into(),
            Rule::NoSuchGroup { group } => self.fmt(Msg::RuleNoSuchGroup, &[("group", group)]),
            Rule::ControlCharacter { position } => self.fmt(Msg::RuleControlCharacter, &[("pos", position)]),
            Rule::BidiControl { position } => self.fmt(Msg::RuleBidiControl, &[("pos", position)]),
            Rule::ReplacementCharacter { position } => self.fmt(Msg::RuleReplacementCharacter, &[("pos", position)]),
            Rule::LineBreakNotAllowed => self.t(Msg::RuleLineBreakNotAllowed).into(),
            Rule::NameImpersonatesStaff => self.t(Msg::RuleNameImpersonatesStaff).into(),
            Rule::TooManyClauses { max } => self.fmt(Msg::RuleTooManyClauses, &[("max", max)]),
            Rule::DateOutOfRange { min_year, max_year } => self.fmt(Msg::RuleDateOutOfRange, &[("min", min_year), ("max", max_year)]),
            Rule::EndNotAfterStart => self.t(Msg::RuleEndNotAfterStart).into(),
            Rule::NestingTooDeep { max } => self.fmt(Msg::RuleNestingTooDeep, &[("max", max)]),
            Rule::TextTooComplex { max_elements } => self.fmt(Msg::RuleTextTooComplex, &[("max", max_elements)]),
        }
    }

    pub fn status(self, status: crate::domain::lifecycle::ProposalStatus) -> &'static str {
        use crate::domain::lifecycle::ProposalStatus;
        self.t(match status {
            ProposalStatus::Draft => Msg::StatusDraft,
            ProposalStatus::Published => Msg::StatusPublished,
            ProposalStatus::FeedbackPublished => Msg::StatusFeedbackPublished,
            ProposalStatus::Adopted => Msg::StatusAdopted,
            ProposalStatus::Withdrawn => Msg::StatusWithdrawn,
        })
    }

    pub fn role(self, role: Role) -> &'static str {
        self.t(match role {
            Role::Citizen => Msg::RoleCitizen,
            Role::Official => Msg::RoleOfficial,
            Role::Organizer => Msg::RoleOrganizer,
            Role::Reviewer => Msg::RoleReviewer,
            Role::Moderator => Msg::RoleModerator,
            Role::Admin => Msg::RoleAdmin,
        })
    }

    pub fn kind(self, kind: ProposalKind) -> &'static str {
        self.t(match kind {
            ProposalKind::Regulation => Msg::KindRegulation,
            ProposalKind::MajorDecision => Msg::KindMajorDecision,
            ProposalKind::PolicyAdjustment => Msg::KindPolicyAdjustment,
            ProposalKind::ReformPlan => Msg::KindReformPlan,
            ProposalKind::KeyProject => Msg::KindKeyProject,
            ProposalKind::EnvironmentalProject => Msg::KindEnvironmentalProject,
            ProposalKind::InvestmentProject => Msg::KindInvestmentProject,
        })
    }

    pub fn domain(self, domain: PolicyDomain) -> &'static str {
        self.t(match domain {
            PolicyDomain::Education => Msg::DomainEducation,
            PolicyDomain::Health => Msg::DomainHealth,
            PolicyDomain::SocialSecurity => Msg::DomainSocialSecurity,
            PolicyDomain::AffordableHousing => Msg::DomainAffordableHousing,
            PolicyDomain::Pricing => Msg::DomainPricing,
            PolicyDomain::Fees => Msg::DomainFees,
            PolicyDomain::Environment => Msg::DomainEnvironment,
            PolicyDomain::LandAndDemolition => Msg::DomainLandAndDemolition,
            PolicyDomain::Transport => Msg::DomainTransport,
            PolicyDomain::Other => Msg::DomainOther,
        })
    }

    pub fn stance(self, stance: Stance) -> &'static str {
        self.t(match stance {
            Stance::Support => Msg::StanceSupport,
            Stance::Oppose => Msg::StanceOppose,
            Stance::Suggestion => Msg::StanceSuggestion,
        })
    }

    pub fn gate(self, gate: crate::domain::gate::Gate) -> &'static str {
        use crate::domain::gate::Gate;
        self.t(match gate {
            Gate::PublicComment => Msg::GatePublicComment,
            Gate::FeedbackReport => Msg::GateFeedbackReport,
            Gate::Hearing => Msg::GateHearing,
            Gate::StabilityRisk => Msg::GateStabilityRisk,
            Gate::LegalityReview => Msg::GateLegalityReview,
        })
    }

    pub fn decision(self, decision: crate::domain::feedback::Decision) -> &'static str {
        use crate::domain::feedback::Decision;
        self.t(match decision {
            Decision::Adopted => Msg::DecisionAdopted,
            Decision::PartlyAdopted => Msg::DecisionPartlyAdopted,
            Decision::NotAdopted => Msg::DecisionNotAdopted,
        })
    }

    pub fn phase(self, phase: WindowPhase) -> &'static str {
        self.t(match phase {
            WindowPhase::Upcoming => Msg::PhaseUpcoming,
            WindowPhase::Open => Msg::PhaseOpen,
            WindowPhase::Closed => Msg::PhaseClosed,
        })
    }
}

/// The locale of the page being rendered.
pub fn use_locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// Shorthand for views: `{t(Msg::SignIn)}`.
pub fn t(msg: Msg) -> &'static str {
    use_locale().t(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_selects_locale_and_defaults_to_chinese() {
        assert_eq!(Locale::from_cookie_header(""), Locale::ZhCn);
        assert_eq!(Locale::from_cookie_header("a=b; minyi_lang=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("minyi_lang=xx"), Locale::ZhCn);
    }

    #[test]
    fn every_message_has_both_languages() {
        for msg in Msg::ALL {
            assert!(!msg.text(Locale::ZhCn).is_empty(), "{msg:?} zh");
            assert!(!msg.text(Locale::En).is_empty(), "{msg:?} en");
        }
    }

    #[test]
    fn rule_messages_name_the_limit() {
        assert_eq!(
            Locale::En.rule(&Rule::WindowShorterThanMinimum { min_days: 30 }),
            "The comment period must be at least 30 days (art. 15, State Council rules on major administrative decisions), unless you record a reason for a shorter one."
        );
        assert!(Locale::ZhCn.rule(&Rule::TooLong { max: 200 }).contains("200"));
    }

    #[test]
    fn text_rule_messages_name_the_position_and_the_limit() {
        for locale in [Locale::ZhCn, Locale::En] {
            for rule in
                [Rule::ControlCharacter { position: 17 }, Rule::BidiControl { position: 17 }, Rule::ReplacementCharacter { position: 17 }]
            {
                let text = locale.rule(&rule);
                assert!(text.contains("17") && !text.contains('{'), "{text}");
            }
            assert!(locale.rule(&Rule::TooManyClauses { max: 2_000 }).contains("2000"));
            let years = locale.rule(&Rule::DateOutOfRange { min_year: 1900, max_year: 2100 });
            assert!(years.contains("1900") && years.contains("2100"), "{years}");
            for rule in [Rule::LineBreakNotAllowed, Rule::NameImpersonatesStaff, Rule::EndNotAfterStart] {
                assert!(!locale.rule(&rule).is_empty());
            }
        }
    }
}
