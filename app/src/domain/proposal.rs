//! Proposals: what they are, which policy domains they touch, and their comment window.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{
    text::{is_blank, Reason},
    Rule,
};

named_enum!(
    /// What the rules gate.
    ProposalKind {
        Regulation = "regulation",
        MajorDecision = "major_decision",
        PolicyAdjustment = "policy_adjustment",
        ReformPlan = "reform_plan",
        KeyProject = "key_project",
        EnvironmentalProject = "environmental_project",
        InvestmentProject = "investment_project",
    }
);

named_enum!(
    /// Policy domains. Six of them make a public hearing mandatory.
    PolicyDomain {
        Education = "education",
        Health = "health",
        SocialSecurity = "social_security",
        AffordableHousing = "affordable_housing",
        Pricing = "pricing",
        Fees = "fees",
        Environment = "environment",
        LandAndDemolition = "land_and_demolition",
        Transport = "transport",
        Other = "other",
    }
);

named_enum!(
    /// Consultation methods besides public comment, recorded with minutes.
    EventKind {
        Forum = "forum",
        ExpertArgumentation = "expert_argumentation",
        Questionnaire = "questionnaire",
        PublicNotice = "public_notice",
    }
);

impl PolicyDomain {
    /// Decisions on education, health care, social security, affordable housing,
    /// prices and fees must hold a public hearing (implementing opinions, clause 7).
    pub fn requires_hearing(self) -> bool {
        matches!(
            self,
            PolicyDomain::Education
                | PolicyDomain::Health
                | PolicyDomain::SocialSecurity
                | PolicyDomain::AffordableHousing
                | PolicyDomain::Pricing
                | PolicyDomain::Fees
        )
    }
}

/// Parses the chosen domains: at least one, no unknown value, duplicates folded.
pub fn parse_domains(raw: &[String]) -> Result<Vec<PolicyDomain>, Rule> {
    let mut domains = Vec::new();
    for value in raw.iter().filter(|v| !v.trim().is_empty()) {
        let domain = PolicyDomain::parse(value)?;
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if domains.is_empty() {
        return Err(Rule::NoDomain);
    }
    domains.sort();
    Ok(domains)
}

/// A hearing is required when any domain of the proposal requires one; no one can
/// switch this off.
pub fn hearing_required(domains: &[PolicyDomain]) -> bool {
    domains.iter().any(|d| d.requires_hearing())
}

/// When the public may comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentWindow {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Recorded, and shown publicly, when the window is shorter than the minimum.
    pub short_reason: Option<String>,
}

/// Art. 15 of the State Council's rules on major administrative decisions (2019).
pub const MIN_WINDOW_DAYS: i64 = 30;

impl CommentWindow {
    /// A window must close after it opens, and last at least 30 days unless a reason
    /// for a shorter one is given.
    pub fn parse(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, short_reason: &str) -> Result<Self, (&'static str, Rule)> {
        if closes_at <= opens_at {
            return Err(("closes_at", Rule::WindowEndsBeforeStart));
        }
        let reason =
            if is_blank(short_reason) { None } else { Some(Reason::parse(short_reason).map_err(|r| ("short_reason", r))?.into_inner()) };
        let short = closes_at - opens_at < Duration::days(MIN_WINDOW_DAYS);
        if short && reason.is_none() {
            return Err(("closes_at", Rule::WindowShorterThanMinimum { min_days: MIN_WINDOW_DAYS }));
        }
        Ok(Self {
            opens_at,
            closes_at,
            // a reason given for a window that is not short is not a "short window reason"
            short_reason: if short { reason } else { None },
        })
    }

    /// A window can be extended, with a public reason, while it has not closed; it is
    /// never shortened.
    pub fn extend(
        &self,
        new_closes_at: DateTime<Utc>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, String), (&'static str, Rule)> {
        if self.phase(now) == WindowPhase::Closed {
            return Err(("form", Rule::WindowNotOpen));
        }
        if new_closes_at <= self.closes_at {
            return Err(("closes_at", Rule::WindowCannotShorten));
        }
        let reason = Reason::parse(reason).map_err(|r| ("reason", r))?.into_inner();
        Ok((new_closes_at, reason))
    }

    /// Derived from the clock, never stored: several server processes always agree.
    pub fn phase(&self, now: DateTime<Utc>) -> WindowPhase {
        if now < self.opens_at {
            WindowPhase::Upcoming
        } else if now < self.closes_at {
            WindowPhase::Open
        } else {
            WindowPhase::Closed
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowPhase {
    Upcoming,
    Open,
    Closed,
}

/// What narrows a list of proposals — the home page, `/proposals`, search, the JSON
/// API: an agency, a policy domain, a kind; each may be left open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalFilter {
    pub agency_id: Option<i64>,
    pub domain: Option<PolicyDomain>,
    pub kind: Option<ProposalKind>,
}

impl ProposalFilter {
    /// Reads the three fields of a filter form or query string ("" leaves one open);
    /// an unknown value is a field error, never an empty list. Whether an agency with
    /// that id exists is for the caller to check.
    pub fn parse(agency: &str, domain: &str, kind: &str, errors: &mut super::rule::Errors) -> Self {
        let agency_id = match agency.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.push("agency", Rule::UnknownAgency);
                    None
                }
            },
        };
        let open = |raw: &str| !raw.trim().is_empty();
        Self {
            agency_id,
            domain: if open(domain) { errors.check("domain", PolicyDomain::parse(domain)) } else { None },
            kind: if open(kind) { errors.check("kind", ProposalKind::parse(kind)) } else { None },
        }
    }

    /// The filter as query parameters (`agency=3&domain=pricing`), for links that keep it.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(a) = self.agency_id {
            parts.push(format!("agency={a}"));
        }
        if let Some(d) = self.domain {
            parts.push(format!("domain={}", d.as_str()));
        }
        if let Some(k) = self.kind {
            parts.push(format!("kind={}", k.as_str()));
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_list_filter_is_read_from_its_fields_and_names_a_bad_one() {
        let mut errors = crate::domain::rule::Errors::new();
        let f = ProposalFilter::parse(" 3 ", "pricing", "", &mut errors);
        assert!(errors.is_empty());
        assert_eq!(f, ProposalFilter { agency_id: Some(3), domain: Some(PolicyDomain::Pricing), kind: None });
        assert_eq!(f.query(), "agency=3&domain=pricing");
        assert_eq!(ProposalFilter::parse("", "", "", &mut errors), ProposalFilter::default());
        let mut errors = crate::domain::rule::Errors::new();
        ProposalFilter::parse("x", "weather", "law", &mut errors);
        let fields: Vec<String> = errors.into_result().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["agency", "domain", "kind"]);
    }

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap() + Duration::days(day as i64 - 1)
    }

    #[test]
    fn hearing_required_for_the_six_domains_of_clause_7() {
        let cases = [
            (PolicyDomain::Education, true),
            (PolicyDomain::Health, true),
            (PolicyDomain::SocialSecurity, true),
            (PolicyDomain::AffordableHousing, true),
            (PolicyDomain::Pricing, true),
            (PolicyDomain::Fees, true),
            (PolicyDomain::Environment, false),
            (PolicyDomain::LandAndDemolition, false),
            (PolicyDomain::Transport, false),
            (PolicyDomain::Other, false),
        ];
        for (domain, required) in cases {
            assert_eq!(domain.requires_hearing(), required, "{domain:?}");
            assert_eq!(hearing_required(&[PolicyDomain::Transport, domain]), required);
        }
    }

    #[test]
    fn domains_parse_rejects_unknown_and_empty() {
        assert_eq!(parse_domains(&[]), Err(Rule::NoDomain));
        assert_eq!(parse_domains(&["".into()]), Err(Rule::NoDomain));
        assert_eq!(parse_domains(&["astrology".into()]), Err(Rule::UnknownChoice));
        assert_eq!(
            parse_domains(&["pricing".into(), "education".into(), "pricing".into()]),
            Ok(vec![PolicyDomain::Education, PolicyDomain::Pricing])
        );
    }

    #[test]
    fn window_must_end_after_it_starts() {
        assert_eq!(CommentWindow::parse(at(10), at(10), "").unwrap_err(), ("closes_at", Rule::WindowEndsBeforeStart));
        assert_eq!(CommentWindow::parse(at(10), at(2), "").unwrap_err().1, Rule::WindowEndsBeforeStart);
    }

    #[test]
    fn art_15_window_of_at_least_30_days_unless_reason_recorded() {
        // 29 days without a reason: refused, naming the 30-day minimum
        assert_eq!(CommentWindow::parse(at(1), at(30), "").unwrap_err(), ("closes_at", Rule::WindowShorterThanMinimum { min_days: 30 }));
        // exactly 30 days: fine
        let w = CommentWindow::parse(at(1), at(31), "").unwrap();
        assert_eq!(w.short_reason, None);
        // shorter with a reason: accepted, reason kept
        let w = CommentWindow::parse(at(1), at(8), "防汛应急，须在汛期前实施").unwrap();
        assert_eq!(w.short_reason.as_deref(), Some("防汛应急，须在汛期前实施"));
        // a reason that is too short to mean anything
        assert_eq!(CommentWindow::parse(at(1), at(8), "急").unwrap_err(), ("short_reason", Rule::TooShort { min: 4 }));
    }

    #[test]
    fn a_window_is_extended_with_a_reason_and_never_shortened() {
        let w = CommentWindow::parse(at(5), at(40), "").unwrap();
        assert_eq!(w.extend(at(39), "延长", at(10)), Err(("closes_at", Rule::WindowCannotShorten)));
        assert_eq!(w.extend(at(40), "延长", at(10)), Err(("closes_at", Rule::WindowCannotShorten)));
        assert_eq!(w.extend(at(50), "", at(10)), Err(("reason", Rule::Required)));
        assert_eq!(w.extend(at(50), "意见较多，延长十日", at(41)), Err(("form", Rule::WindowNotOpen)));
        assert_eq!(w.extend(at(50), "意见较多，延长十日", at(10)), Ok((at(50), "意见较多，延长十日".to_owned())));
    }

    #[test]
    fn phase_is_derived_from_the_clock() {
        let w = CommentWindow::parse(at(5), at(40), "").unwrap();
        assert_eq!(w.phase(at(1)), WindowPhase::Upcoming);
        assert_eq!(w.phase(at(5)), WindowPhase::Open);
        assert_eq!(w.phase(at(39)), WindowPhase::Open);
        assert_eq!(w.phase(at(40)), WindowPhase::Closed);
    }
}
