//! Gates: nothing is adopted until every step the rules require has its evidence on
//! file. The checklist is derived from the proposal's kind and domains; no role can
//! switch a gate off, and a refusal lists every unmet gate.

use serde::{Deserialize, Serialize};

use super::{
    lifecycle::ProposalStatus,
    proposal::{hearing_required, PolicyDomain, ProposalKind, WindowPhase},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// All proposals: a closed comment window.
    PublicComment,
    /// All proposals: a published feedback report.
    FeedbackReport,
    /// Education, health, social security, affordable housing, pricing, fees: a
    /// published hearing report.
    Hearing,
    /// Major decisions, reform plans, key projects: an approved stability risk assessment.
    StabilityRisk,
    /// Major decisions and regulations: a legality review opinion on file.
    LegalityReview,
}

/// The evidence on file for one proposal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub window_closed: bool,
    pub feedback_published: bool,
    pub hearing_report_published: bool,
    pub risk_assessment_approved: bool,
    pub legality_review_on_file: bool,
}

impl Evidence {
    pub fn window(phase: WindowPhase) -> bool {
        phase == WindowPhase::Closed
    }

    /// What a proposal's own state says is on file: a window closed while it was public,
    /// and the feedback report. (Hearing, risk and legality evidence come from elsewhere.)
    pub fn from_state(status: ProposalStatus, phase: WindowPhase) -> Self {
        Evidence {
            window_closed: status.is_public() && Self::window(phase),
            feedback_published: status.has_feedback_report(),
            ..Evidence::default()
        }
    }
}

/// The gates a proposal must pass, from the table of SPEC §4.
pub fn required_gates(kind: ProposalKind, domains: &[PolicyDomain]) -> Vec<Gate> {
    let mut gates = vec![Gate::PublicComment, Gate::FeedbackReport];
    if hearing_required(domains) {
        gates.push(Gate::Hearing);
    }
    if matches!(kind, ProposalKind::MajorDecision | ProposalKind::ReformPlan | ProposalKind::KeyProject) {
        gates.push(Gate::StabilityRisk);
    }
    if matches!(kind, ProposalKind::MajorDecision | ProposalKind::Regulation) {
        gates.push(Gate::LegalityReview);
    }
    gates
}

pub fn is_met(gate: Gate, evidence: &Evidence) -> bool {
    match gate {
        Gate::PublicComment => evidence.window_closed,
        Gate::FeedbackReport => evidence.feedback_published,
        Gate::Hearing => evidence.hearing_report_published,
        Gate::StabilityRisk => evidence.risk_assessment_approved,
        Gate::LegalityReview => evidence.legality_review_on_file,
    }
}

/// Every required gate without its evidence; adoption is allowed only when empty.
pub fn unmet_gates(kind: ProposalKind, domains: &[PolicyDomain], evidence: &Evidence) -> Vec<Gate> {
    required_gates(kind, domains).into_iter().filter(|g| !is_met(*g, evidence)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_proposal_needs_comment_and_feedback_report() {
        let gates = required_gates(ProposalKind::PolicyAdjustment, &[PolicyDomain::Transport]);
        assert_eq!(gates, vec![Gate::PublicComment, Gate::FeedbackReport]);
    }

    #[test]
    fn cannot_be_adopted_before_the_feedback_report_is_published() {
        let domains = [PolicyDomain::Transport];
        let closed = Evidence { window_closed: true, ..Default::default() };
        assert_eq!(unmet_gates(ProposalKind::PolicyAdjustment, &domains, &closed), vec![Gate::FeedbackReport]);
        let reported = Evidence { feedback_published: true, ..closed };
        assert!(unmet_gates(ProposalKind::PolicyAdjustment, &domains, &reported).is_empty());
    }

    #[test]
    fn hearing_risk_and_legality_gates_follow_kind_and_domains() {
        let gates = required_gates(ProposalKind::MajorDecision, &[PolicyDomain::Pricing]);
        assert_eq!(gates, vec![Gate::PublicComment, Gate::FeedbackReport, Gate::Hearing, Gate::StabilityRisk, Gate::LegalityReview]);
        assert!(required_gates(ProposalKind::KeyProject, &[PolicyDomain::Transport]).contains(&Gate::StabilityRisk));
        assert!(!required_gates(ProposalKind::KeyProject, &[PolicyDomain::Transport]).contains(&Gate::LegalityReview));
        assert!(required_gates(ProposalKind::Regulation, &[PolicyDomain::Other]).contains(&Gate::LegalityReview));
        // a refusal lists every unmet gate, not only the first
        let unmet = unmet_gates(ProposalKind::MajorDecision, &[PolicyDomain::Pricing], &Evidence::default());
        assert_eq!(unmet.len(), 5);
    }
}
