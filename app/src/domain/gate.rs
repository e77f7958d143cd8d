//! Gates: nothing is adopted until every step the rules require has its evidence on
//! file. The checklist is derived from the proposal's kind and domains; no role can
//! switch a gate off, and a refusal lists every unmet gate.

use serde::{Deserialize, Serialize};

use super::{
    lifecycle::ProposalStatus,
    proposal::{hearing_required, PolicyDomain, ProposalKind, WindowPhase},
    review::{LegalityOpinion, RiskLevel},
    Rule,
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

/// What a checklist belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum GateSubject {
    Proposal(i64),
    Project(i64),
}

impl GateSubject {
    pub fn as_str(self) -> &'static str {
        match self {
            GateSubject::Proposal(_) => "proposal",
            GateSubject::Project(_) => "project",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            GateSubject::Proposal(id) | GateSubject::Project(id) => id,
        }
    }

    pub fn parse(kind: &str, id: i64) -> Option<Self> {
        match kind {
            "proposal" => Some(GateSubject::Proposal(id)),
            "project" => Some(GateSubject::Project(id)),
            _ => None,
        }
    }

    /// Its chain in the audit log: evidence and decisions are recorded with the subject.
    pub fn audit(self) -> super::audit::Subject {
        match self {
            GateSubject::Proposal(id) => super::audit::Subject::Proposal(id),
            GateSubject::Project(id) => super::audit::Subject::Project(id),
        }
    }

    /// Where its page is.
    pub fn path(self) -> String {
        match self {
            GateSubject::Proposal(id) => format!("/proposals/{id}"),
            GateSubject::Project(id) => format!("/projects/{id}"),
        }
    }
}

/// The stability risk assessment on file (the newest one; superseded ones do not count).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RiskEvidence {
    #[default]
    None,
    Pending {
        level: RiskLevel,
        has_mitigation: bool,
    },
    Approved,
    Rejected,
}

/// The legality review on file (the newest request).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum LegalityEvidence {
    #[default]
    None,
    Pending,
    Opinion {
        opinion: LegalityOpinion,
    },
}

/// The evidence on file for one proposal or project.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub window_closed: bool,
    pub feedback_published: bool,
    pub hearing_report_published: bool,
    pub risk: RiskEvidence,
    pub legality: LegalityEvidence,
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

/// A gate's state, and so what would satisfy it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GateState {
    Met,
    /// Nothing on file yet.
    Missing,
    /// On file, awaiting a reviewer's decision (or the review office's opinion).
    AwaitingReview,
    /// A medium-risk assessment: mitigation must be attached, then re-assessed as low.
    MitigationRequired,
    /// Rated high risk: the proposal must be revised or withdrawn (a new assessment).
    HighRisk,
    /// The reviewer rejected the assessment: a new one is needed.
    Rejected,
    /// The review office found it unlawful: revise and request a new review.
    Unlawful,
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

/// The gates a reviewer (or, for hearings, an organizer) may add to a checklist, with a
/// reason: the comment and feedback gates every proposal has already.
pub const ADDABLE: &[Gate] = &[Gate::Hearing, Gate::StabilityRisk, Gate::LegalityReview];

/// The derived gates and the added ones, each once, in the table's order.
pub fn with_added(mut gates: Vec<Gate>, added: &[Gate]) -> Vec<Gate> {
    gates.extend(added.iter().copied());
    gates.sort_by_key(|g| ALL.iter().position(|a| a == g));
    gates.dedup();
    gates
}

const ALL: &[Gate] = &[Gate::PublicComment, Gate::FeedbackReport, Gate::Hearing, Gate::StabilityRisk, Gate::LegalityReview];

/// A reviewer adds a gate to a checklist: only one of [`ADDABLE`], not one required already.
pub fn add_gate(current: &[Gate], gate: Gate) -> Result<(), Rule> {
    if !ADDABLE.contains(&gate) {
        return Err(Rule::GateNotAddable);
    }
    if current.contains(&gate) {
        return Err(Rule::GateAlreadyRequired);
    }
    Ok(())
}

pub fn state(gate: Gate, evidence: &Evidence) -> GateState {
    let met = |yes: bool| if yes { GateState::Met } else { GateState::Missing };
    match gate {
        Gate::PublicComment => met(evidence.window_closed),
        Gate::FeedbackReport => met(evidence.feedback_published),
        Gate::Hearing => met(evidence.hearing_report_published),
        Gate::StabilityRisk => match evidence.risk {
            RiskEvidence::None => GateState::Missing,
            RiskEvidence::Approved => GateState::Met,
            RiskEvidence::Rejected => GateState::Rejected,
            RiskEvidence::Pending { level: RiskLevel::High, .. } => GateState::HighRisk,
            RiskEvidence::Pending { level: RiskLevel::Medium, has_mitigation: false } => GateState::MitigationRequired,
            RiskEvidence::Pending { .. } => GateState::AwaitingReview,
        },
        Gate::LegalityReview => match evidence.legality {
            LegalityEvidence::None => GateState::Missing,
            LegalityEvidence::Pending => GateState::AwaitingReview,
            LegalityEvidence::Opinion { opinion } if opinion.meets_gate() => GateState::Met,
            LegalityEvidence::Opinion { .. } => GateState::Unlawful,
        },
    }
}

pub fn is_met(gate: Gate, evidence: &Evidence) -> bool {
    state(gate, evidence) == GateState::Met
}

/// Every gate of the checklist without its evidence; adoption (or proceeding) is allowed
/// only when empty.
pub fn unmet(gates: &[Gate], evidence: &Evidence) -> Vec<Gate> {
    gates.iter().copied().filter(|g| !is_met(*g, evidence)).collect()
}

/// Every required gate of a proposal without its evidence.
pub fn unmet_gates(kind: ProposalKind, domains: &[PolicyDomain], evidence: &Evidence) -> Vec<Gate> {
    unmet(&required_gates(kind, domains), evidence)
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

    /// SPEC §4, the table: every kind × every domain. The comment and feedback gates
    /// always; a hearing exactly for the six hearing domains; a stability risk
    /// assessment exactly for major decisions, reform plans and key projects; a legality
    /// review exactly for major decisions and regulations.
    #[test]
    fn spec_4_checklist_for_every_kind_and_domain() {
        use PolicyDomain::*;
        let hearing_domains = [Education, Health, SocialSecurity, AffordableHousing, Pricing, Fees];
        for kind in ProposalKind::ALL {
            for domain in PolicyDomain::ALL {
                let gates = required_gates(*kind, &[*domain]);
                assert_eq!(&gates[..2], &[Gate::PublicComment, Gate::FeedbackReport], "{kind:?} {domain:?}");
                assert_eq!(gates.contains(&Gate::Hearing), hearing_domains.contains(domain), "{kind:?} {domain:?}");
                let risk = matches!(kind, ProposalKind::MajorDecision | ProposalKind::ReformPlan | ProposalKind::KeyProject);
                assert_eq!(gates.contains(&Gate::StabilityRisk), risk, "{kind:?} {domain:?}");
                let legality = matches!(kind, ProposalKind::MajorDecision | ProposalKind::Regulation);
                assert_eq!(gates.contains(&Gate::LegalityReview), legality, "{kind:?} {domain:?}");
                // nothing met: every gate is listed as unmet
                assert_eq!(unmet_gates(*kind, &[*domain], &Evidence::default()), gates);
            }
        }
    }

    #[test]
    fn clause_7_risk_gate_by_level_and_decision() {
        let with = |risk| Evidence { risk, ..Default::default() };
        let pending = |level, has_mitigation| with(RiskEvidence::Pending { level, has_mitigation });
        assert_eq!(state(Gate::StabilityRisk, &with(RiskEvidence::None)), GateState::Missing);
        assert_eq!(state(Gate::StabilityRisk, &pending(RiskLevel::Low, false)), GateState::AwaitingReview);
        assert_eq!(state(Gate::StabilityRisk, &pending(RiskLevel::Medium, false)), GateState::MitigationRequired);
        assert_eq!(state(Gate::StabilityRisk, &pending(RiskLevel::Medium, true)), GateState::AwaitingReview);
        assert_eq!(state(Gate::StabilityRisk, &pending(RiskLevel::High, true)), GateState::HighRisk);
        assert_eq!(state(Gate::StabilityRisk, &with(RiskEvidence::Rejected)), GateState::Rejected);
        assert_eq!(state(Gate::StabilityRisk, &with(RiskEvidence::Approved)), GateState::Met);
    }

    #[test]
    fn art_26_legality_gate_met_only_by_a_lawful_opinion() {
        let with = |legality| Evidence { legality, ..Default::default() };
        assert_eq!(state(Gate::LegalityReview, &with(LegalityEvidence::None)), GateState::Missing);
        assert_eq!(state(Gate::LegalityReview, &with(LegalityEvidence::Pending)), GateState::AwaitingReview);
        for (opinion, expected) in [
            (LegalityOpinion::Lawful, GateState::Met),
            (LegalityOpinion::LawfulWithChanges, GateState::Met),
            (LegalityOpinion::Unlawful, GateState::Unlawful),
        ] {
            assert_eq!(state(Gate::LegalityReview, &with(LegalityEvidence::Opinion { opinion })), expected);
        }
    }

    #[test]
    fn spec_4_a_reviewer_adds_gates_that_then_must_be_met() {
        let derived = required_gates(ProposalKind::PolicyAdjustment, &[PolicyDomain::LandAndDemolition]);
        assert_eq!(add_gate(&derived, Gate::StabilityRisk), Ok(()));
        assert_eq!(add_gate(&derived, Gate::PublicComment), Err(Rule::GateNotAddable));
        let gates = with_added(derived, &[Gate::StabilityRisk]);
        assert_eq!(gates, vec![Gate::PublicComment, Gate::FeedbackReport, Gate::StabilityRisk]);
        assert_eq!(add_gate(&gates, Gate::StabilityRisk), Err(Rule::GateAlreadyRequired));
        let evidence = Evidence { window_closed: true, feedback_published: true, ..Default::default() };
        assert_eq!(unmet(&gates, &evidence), vec![Gate::StabilityRisk]);
    }
}
