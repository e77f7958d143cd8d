//! Projects — key projects, major investment and environmental-impact projects — move
//! proposed → assessing → approved → proceeding, or are halted with a reason. None
//! proceeds without an approved low-risk stability assessment on file (NDRC rules on
//! social stability risk assessment of major projects, 2012; the city's implementing
//! opinions, clause 7).

use serde::{Deserialize, Serialize};

use super::{gate::Gate, review::RiskLevel, Rule};

named_enum!(
    /// What kind of project: each needs an approved low-risk assessment to proceed.
    ProjectKind {
        KeyProject = "key_project",
        InvestmentProject = "investment_project",
        EnvironmentalProject = "environmental_project",
    }
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    /// Registered; no assessment yet.
    Proposed,
    /// An assessment awaits its reviewers, or the last one was rejected.
    Assessing,
    /// The assessment on file is approved as low risk: the project may proceed.
    Approved,
    Proceeding,
    /// Stopped, with a public reason; a new assessment reopens it.
    Halted,
}

impl ProjectStatus {
    pub const ALL: &'static [ProjectStatus] =
        &[ProjectStatus::Proposed, ProjectStatus::Assessing, ProjectStatus::Approved, ProjectStatus::Proceeding, ProjectStatus::Halted];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Proposed => "proposed",
            ProjectStatus::Assessing => "assessing",
            ProjectStatus::Approved => "approved",
            ProjectStatus::Proceeding => "proceeding",
            ProjectStatus::Halted => "halted",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        ProjectStatus::ALL.iter().copied().find(|s| s.as_str() == raw)
    }
}

/// The gates every project passes: a stability risk assessment (plus any a reviewer adds).
pub fn required_gates() -> Vec<Gate> {
    vec![Gate::StabilityRisk]
}

/// What a newly submitted assessment does to the project. One rated high halts it (and a
/// proceeding project stops); any other returns it to assessment until it is approved.
pub fn assessment_submitted(status: ProjectStatus, level: RiskLevel) -> ProjectStatus {
    match (status, level) {
        (_, RiskLevel::High) => ProjectStatus::Halted,
        _ => ProjectStatus::Assessing,
    }
}

/// An approved assessment: an assessing project is approved (a halted one stays halted
/// until a new assessment is submitted; approval never restarts work by itself).
pub fn assessment_approved(status: ProjectStatus) -> ProjectStatus {
    match status {
        ProjectStatus::Assessing => ProjectStatus::Approved,
        other => other,
    }
}

/// "Proceed": only from approved, and only with every gate met (the caller derives the
/// unmet gates in the same transaction). The refusal lists every unmet gate.
pub fn proceed(status: ProjectStatus, unmet: Vec<Gate>) -> Result<ProjectStatus, Rule> {
    if !unmet.is_empty() {
        return Err(Rule::GatesUnmet { gates: unmet });
    }
    match status {
        ProjectStatus::Approved => Ok(ProjectStatus::Proceeding),
        status => Err(Rule::ProjectNotInState { status }),
    }
}

/// Halting, with a public reason, from any state but halted.
pub fn halt(status: ProjectStatus) -> Result<ProjectStatus, Rule> {
    match status {
        ProjectStatus::Halted => Err(Rule::ProjectNotInState { status }),
        _ => Ok(ProjectStatus::Halted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ProjectStatus::*;

    #[test]
    fn ndrc_2012_no_project_proceeds_without_an_approved_assessment() {
        assert_eq!(proceed(Proposed, vec![Gate::StabilityRisk]), Err(Rule::GatesUnmet { gates: vec![Gate::StabilityRisk] }));
        assert_eq!(proceed(Assessing, vec![Gate::StabilityRisk]), Err(Rule::GatesUnmet { gates: vec![Gate::StabilityRisk] }));
        assert_eq!(proceed(Approved, vec![]), Ok(Proceeding));
        assert_eq!(proceed(Proceeding, vec![]), Err(Rule::ProjectNotInState { status: Proceeding }));
        assert_eq!(required_gates(), vec![Gate::StabilityRisk]);
    }

    #[test]
    fn ndrc_2012_a_high_risk_assessment_halts_and_a_revised_one_reopens() {
        assert_eq!(assessment_submitted(Proposed, RiskLevel::High), Halted);
        assert_eq!(assessment_submitted(Proceeding, RiskLevel::High), Halted);
        assert_eq!(assessment_submitted(Halted, RiskLevel::Low), Assessing);
        assert_eq!(assessment_submitted(Proceeding, RiskLevel::Medium), Assessing);
        assert_eq!(assessment_approved(Assessing), Approved);
        assert_eq!(assessment_approved(Halted), Halted);
    }

    #[test]
    fn halting_needs_a_project_that_is_not_halted() {
        assert_eq!(halt(Proceeding), Ok(Halted));
        assert_eq!(halt(Halted), Err(Rule::ProjectNotInState { status: Halted }));
    }

    #[test]
    fn kinds_and_statuses_round_trip() {
        for kind in ProjectKind::ALL {
            assert_eq!(ProjectKind::parse(kind.as_str()), Ok(*kind));
        }
        assert_eq!(ProjectKind::parse("bridge"), Err(Rule::UnknownChoice));
        for status in ProjectStatus::ALL {
            assert_eq!(ProjectStatus::parse(status.as_str()), Some(*status));
        }
    }
}
