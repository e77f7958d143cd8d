//! The evidence behind two gates, and who may decide on it.
//!
//! - **Stability risk assessment** (the city's implementing opinions, clause 7: a rigid
//!   precondition; NDRC rules on major projects, 2012): the agency submits risk points,
//!   prevention measures, a response plan, a level and a method, with its report files. A
//!   reviewer approves or rejects it with reasons. Low: the gate is met and the prevention
//!   measures become the approval's control measures. Medium: not met until mitigation is
//!   attached and a reviewer re-assesses it as low. High: never approved; the proposal is
//!   revised or withdrawn. A new assessment supersedes the old one and reopens the gate.
//! - **Legality review** (State Council rules on major administrative decisions, 2019,
//!   art. 25–26): the reviewing office's opinion — lawful, lawful with changes, unlawful —
//!   is recorded no earlier than 7 working days after the request; "unlawful" leaves the
//!   gate unmet.
//! - **Separation of duties**: a reviewer never decides on a submission of their own or of
//!   their own agency, and every decision records who, when and why. An admin may require
//!   two independent approvals for a kind of proposal or project.

use serde::{Deserialize, Serialize};

use super::{account::Viewer, role::Role, Rule};

named_enum!(
    /// The level an assessment rates the risk at.
    RiskLevel { Low = "low", Medium = "medium", High = "high" }
);

named_enum!(
    /// How the risk was assessed.
    AssessmentMethod { Survey = "survey", Forum = "forum", ExpertReview = "expert_review", Hearing = "hearing" }
);

named_enum!(
    /// Where an assessment stands.
    AssessmentStatus {
        /// Awaiting its reviewers.
        Pending = "pending",
        /// Approved as low risk (rated low, or medium re-assessed as low after mitigation).
        Approved = "approved",
        Rejected = "rejected",
        /// A newer assessment replaced it.
        Superseded = "superseded",
    }
);

named_enum!(
    /// The reviewing office's opinion on a legality review.
    LegalityOpinion { Lawful = "lawful", LawfulWithChanges = "lawful_with_changes", Unlawful = "unlawful" }
);

named_enum!(
    /// Where a legality review stands.
    LegalityStatus { Pending = "pending", Decided = "decided", Superseded = "superseded" }
);

named_enum!(
    /// A reviewer's decision on an assessment.
    Verdict { Approve = "approve", Reject = "reject" }
);

named_enum!(
    /// What a reviewer decides on.
    ReviewItem { Assessment = "assessment", Legality = "legality" }
);

/// Two independent approvals at most (and one at least).
pub const MAX_APPROVALS: u8 = 2;

/// Whose submission it is, for separation of duties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submission {
    pub submitted_by: i64,
    pub agency_id: i64,
}

/// Separation of duties: the reviewer holds the reviewer role, did not submit this and
/// is not of the submitting agency.
pub fn may_decide(reviewer: &Viewer, submission: Submission) -> Result<(), Rule> {
    if !reviewer.has(Role::Reviewer) {
        return Err(Rule::ReviewerOnly);
    }
    if reviewer.id == submission.submitted_by {
        return Err(Rule::OwnSubmission);
    }
    if reviewer.agency_id == Some(submission.agency_id) {
        return Err(Rule::OwnAgencySubmission);
    }
    Ok(())
}

/// An assessment as a reviewer's decision needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentState {
    pub status: AssessmentStatus,
    pub level: RiskLevel,
    pub submission: Submission,
    /// Mitigation measures attached (a medium assessment needs them to be approved).
    pub has_mitigation: bool,
    /// Report files attached.
    pub reports: u32,
    /// Reviewers who approved it so far.
    pub approvals: Vec<i64>,
}

/// What a decision leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decided {
    /// Approved: the gate is met.
    Approved,
    /// One approval of the required two recorded; still pending.
    ApprovalRecorded {
        approvals: u8,
        required: u8,
    },
    Rejected,
}

/// A reviewer approves or rejects an assessment. `required` is the number of independent
/// approvals the admin set for this kind (1 or 2).
pub fn decide_assessment(reviewer: &Viewer, state: &AssessmentState, verdict: Verdict, required: u8) -> Result<Decided, Rule> {
    may_decide(reviewer, state.submission)?;
    if state.status != AssessmentStatus::Pending {
        return Err(Rule::AssessmentNotPending { status: state.status });
    }
    if verdict == Verdict::Reject {
        return Ok(Decided::Rejected);
    }
    match state.level {
        RiskLevel::High => return Err(Rule::HighRiskCannotProceed),
        RiskLevel::Medium if !state.has_mitigation => return Err(Rule::MitigationRequired),
        _ => {}
    }
    if state.reports == 0 {
        return Err(Rule::ReportFileRequired);
    }
    if state.approvals.contains(&reviewer.id) {
        return Err(Rule::AlreadyApprovedByYou);
    }
    let required = required.clamp(1, MAX_APPROVALS);
    let approvals = state.approvals.len() as u8 + 1;
    if approvals >= required {
        Ok(Decided::Approved)
    } else {
        Ok(Decided::ApprovalRecorded { approvals, required })
    }
}

/// Mitigation is attached to a pending medium assessment (the agency's answer to it).
pub fn attach_mitigation(state: &AssessmentState) -> Result<(), Rule> {
    if state.status != AssessmentStatus::Pending {
        return Err(Rule::AssessmentNotPending { status: state.status });
    }
    if state.level != RiskLevel::Medium {
        return Err(Rule::MitigationOnlyForMedium);
    }
    Ok(())
}

/// Files may be added to an assessment while it awaits its reviewers.
pub fn attach_to_assessment(status: AssessmentStatus) -> Result<(), Rule> {
    if status != AssessmentStatus::Pending {
        return Err(Rule::AssessmentNotPending { status });
    }
    Ok(())
}

/// A legality review as an opinion needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LegalityState {
    pub status: LegalityStatus,
    pub submission: Submission,
}

/// The reviewing office records its opinion: separation of duties, once, and (checked by
/// the caller with [`super::calendar::review_time_elapsed`]) not before its minimum time.
pub fn record_opinion(reviewer: &Viewer, state: &LegalityState) -> Result<(), Rule> {
    may_decide(reviewer, state.submission)?;
    if state.status != LegalityStatus::Pending {
        return Err(Rule::LegalityNotPending);
    }
    Ok(())
}

impl LegalityOpinion {
    /// "Unlawful" leaves the gate unmet.
    pub fn meets_gate(self) -> bool {
        !matches!(self, LegalityOpinion::Unlawful)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(id: i64, agency: Option<i64>, roles: &[Role]) -> Viewer {
        Viewer { id, display_name: format!("u{id}"), roles: roles.to_vec(), agency_id: agency, second_factor: false, email_verified: true }
    }

    fn pending(level: RiskLevel) -> AssessmentState {
        AssessmentState {
            status: AssessmentStatus::Pending,
            level,
            submission: Submission { submitted_by: 10, agency_id: 1 },
            has_mitigation: false,
            reports: 1,
            approvals: vec![],
        }
    }

    #[test]
    fn clause_7_low_risk_is_approved_and_meets_the_gate() {
        let reviewer = viewer(20, Some(2), &[Role::Reviewer]);
        assert_eq!(decide_assessment(&reviewer, &pending(RiskLevel::Low), Verdict::Approve, 1), Ok(Decided::Approved));
    }

    #[test]
    fn clause_7_high_risk_is_never_approved_to_proceed() {
        let reviewer = viewer(20, Some(2), &[Role::Reviewer]);
        let mut high = pending(RiskLevel::High);
        high.has_mitigation = true;
        assert_eq!(decide_assessment(&reviewer, &high, Verdict::Approve, 1), Err(Rule::HighRiskCannotProceed));
        // rejecting it is allowed, with reasons
        assert_eq!(decide_assessment(&reviewer, &high, Verdict::Reject, 1), Ok(Decided::Rejected));
    }

    #[test]
    fn clause_7_medium_risk_needs_mitigation_before_reassessment_as_low() {
        let reviewer = viewer(20, Some(2), &[Role::Reviewer]);
        let mut medium = pending(RiskLevel::Medium);
        assert_eq!(decide_assessment(&reviewer, &medium, Verdict::Approve, 1), Err(Rule::MitigationRequired));
        assert_eq!(attach_mitigation(&medium), Ok(()));
        medium.has_mitigation = true;
        assert_eq!(decide_assessment(&reviewer, &medium, Verdict::Approve, 1), Ok(Decided::Approved));
        // mitigation is for medium assessments only
        assert_eq!(attach_mitigation(&pending(RiskLevel::High)), Err(Rule::MitigationOnlyForMedium));
    }

    #[test]
    fn an_assessment_without_its_report_file_is_not_approved() {
        let reviewer = viewer(20, Some(2), &[Role::Reviewer]);
        let mut low = pending(RiskLevel::Low);
        low.reports = 0;
        assert_eq!(decide_assessment(&reviewer, &low, Verdict::Approve, 1), Err(Rule::ReportFileRequired));
    }

    #[test]
    fn separation_of_duties_no_decision_on_own_or_own_agency_submission() {
        let state = pending(RiskLevel::Low);
        let submitter = viewer(10, Some(1), &[Role::Reviewer, Role::Official]);
        let colleague = viewer(11, Some(1), &[Role::Reviewer]);
        let citizen = viewer(12, None, &[Role::Citizen]);
        let admin = viewer(13, None, &[Role::Admin]);
        assert_eq!(decide_assessment(&submitter, &state, Verdict::Approve, 1), Err(Rule::OwnSubmission));
        assert_eq!(decide_assessment(&colleague, &state, Verdict::Approve, 1), Err(Rule::OwnAgencySubmission));
        assert_eq!(decide_assessment(&citizen, &state, Verdict::Approve, 1), Err(Rule::ReviewerOnly));
        // an admin is not a reviewer: no role bypasses a gate
        assert_eq!(decide_assessment(&admin, &state, Verdict::Approve, 1), Err(Rule::ReviewerOnly));
        let legality = LegalityState { status: LegalityStatus::Pending, submission: state.submission };
        assert_eq!(record_opinion(&colleague, &legality), Err(Rule::OwnAgencySubmission));
    }

    #[test]
    fn two_independent_approvals_when_the_admin_requires_them() {
        let first = viewer(20, Some(2), &[Role::Reviewer]);
        let second = viewer(21, None, &[Role::Reviewer]);
        let mut state = pending(RiskLevel::Low);
        assert_eq!(decide_assessment(&first, &state, Verdict::Approve, 2), Ok(Decided::ApprovalRecorded { approvals: 1, required: 2 }));
        state.approvals.push(first.id);
        assert_eq!(decide_assessment(&first, &state, Verdict::Approve, 2), Err(Rule::AlreadyApprovedByYou));
        assert_eq!(decide_assessment(&second, &state, Verdict::Approve, 2), Ok(Decided::Approved));
    }

    #[test]
    fn a_decided_or_superseded_assessment_takes_no_more_decisions() {
        let reviewer = viewer(20, Some(2), &[Role::Reviewer]);
        for status in [AssessmentStatus::Approved, AssessmentStatus::Rejected, AssessmentStatus::Superseded] {
            let state = AssessmentState { status, ..pending(RiskLevel::Low) };
            assert_eq!(decide_assessment(&reviewer, &state, Verdict::Reject, 1), Err(Rule::AssessmentNotPending { status }));
            assert_eq!(attach_to_assessment(status), Err(Rule::AssessmentNotPending { status }));
        }
    }

    #[test]
    fn art_26_unlawful_leaves_the_gate_unmet_and_an_opinion_is_recorded_once() {
        assert!(LegalityOpinion::Lawful.meets_gate());
        assert!(LegalityOpinion::LawfulWithChanges.meets_gate());
        assert!(!LegalityOpinion::Unlawful.meets_gate());
        let reviewer = viewer(20, Some(2), &[Role::Reviewer]);
        let decided = LegalityState { status: LegalityStatus::Decided, submission: Submission { submitted_by: 10, agency_id: 1 } };
        assert_eq!(record_opinion(&reviewer, &decided), Err(Rule::LegalityNotPending));
    }

    #[test]
    fn unknown_risk_levels_and_methods_are_refused() {
        assert_eq!(RiskLevel::parse("extreme"), Err(Rule::UnknownChoice));
        assert_eq!(RiskLevel::parse(" "), Err(Rule::Required));
        assert_eq!(AssessmentMethod::parse("guess"), Err(Rule::UnknownChoice));
        for level in RiskLevel::ALL {
            assert_eq!(RiskLevel::parse(level.as_str()), Ok(*level));
        }
    }
}
