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
            Rule::SearchNeedsWords => self.t(Msg::RuleSearchNeedsWords).into(),
            Rule::SearchTooManyTerms { max } => self.fmt(Msg::RuleSearchTooManyTerms, &[("max", max)]),
            Rule::EmailNotVerified => self.t(Msg::RuleEmailNotVerified).into(),
            Rule::LinkUnknown => self.t(Msg::RuleLinkUnknown).into(),
            Rule::LinkUsed => self.t(Msg::RuleLinkUsed).into(),
            Rule::LinkExpired { hours } => self.fmt(Msg::RuleLinkExpired, &[("hours", hours)]),
            Rule::WrongCredentials => self.t(Msg::RuleWrongCredentials).into(),
            Rule::PasswordGuessable => self.t(Msg::RulePasswordGuessable).into(),
            Rule::CurrentPasswordWrong => self.t(Msg::RuleCurrentPasswordWrong).into(),
            Rule::SecondFactorRequired => self.t(Msg::RuleSecondFactorRequired).into(),
            Rule::SecondFactorWrong => self.t(Msg::RuleSecondFactorWrong).into(),
            Rule::SecondFactorAlreadyOn => self.t(Msg::RuleSecondFactorAlreadyOn).into(),
            Rule::SecondFactorNotOn => self.t(Msg::RuleSecondFactorNotOn).into(),
            Rule::AdminNeedsSecondFactor => self.t(Msg::RuleAdminNeedsSecondFactor).into(),
            Rule::AccountDisabled => self.t(Msg::RuleAccountDisabled).into(),
            Rule::CannotDisableSelf => self.t(Msg::RuleCannotDisableSelf).into(),
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
            Rule::FileEmpty => self.t(Msg::RuleFileEmpty).into(),
            Rule::FileTooLarge { max_bytes } => self.fmt(Msg::RuleFileTooLarge, &[("max", &byte_size(*max_bytes))]),
            Rule::FileTypeRefused { found } => {
                let found = if found == crate::domain::attachment::UNKNOWN { self.t(Msg::FileKindUnknown) } else { found.as_str() };
                self.fmt(Msg::RuleFileTypeRefused, &[("found", &found)])
            }
            Rule::PdfUnreadable => self.t(Msg::RulePdfUnreadable).into(),
            Rule::PdfActiveContent { name } => self.fmt(Msg::RulePdfActiveContent, &[("name", name)]),
            Rule::PdfEncrypted => self.t(Msg::RulePdfEncrypted).into(),
            Rule::OfficeMacros => self.t(Msg::RuleOfficeMacros).into(),
            Rule::ReviewTimeNotElapsed { min_working_days, elapsed, earliest } => self.fmt(
                Msg::RuleReviewTimeNotElapsed,
                &[("min", min_working_days), ("elapsed", elapsed), ("earliest", &earliest.format("%Y-%m-%d"))],
            ),
            Rule::ReviewerOnly => self.t(Msg::RuleReviewerOnly).into(),
            Rule::OwnSubmission => self.t(Msg::RuleOwnSubmission).into(),
            Rule::OwnAgencySubmission => self.t(Msg::RuleOwnAgencySubmission).into(),
            Rule::AssessmentNotPending { status } => {
                self.fmt(Msg::RuleAssessmentNotPending, &[("status", &self.assessment_status(*status))])
            }
            Rule::HighRiskCannotProceed => self.t(Msg::RuleHighRiskCannotProceed).into(),
            Rule::MitigationRequired => self.t(Msg::RuleMitigationRequired).into(),
            Rule::MitigationOnlyForMedium => self.t(Msg::RuleMitigationOnlyForMedium).into(),
            Rule::ReportFileRequired => self.t(Msg::RuleReportFileRequired).into(),
            Rule::AlreadyApprovedByYou => self.t(Msg::RuleAlreadyApprovedByYou).into(),
            Rule::LegalityNotPending => self.t(Msg::RuleLegalityNotPending).into(),
            Rule::ProjectNotInState { status } => self.fmt(Msg::RuleProjectNotInState, &[("status", &self.project_status(*status))]),
            Rule::GateNotAddable => self.t(Msg::RuleGateNotAddable).into(),
            Rule::GateAlreadyRequired => self.t(Msg::RuleGateAlreadyRequired).into(),
            Rule::ApprovalsOutOfRange { max } => self.fmt(Msg::RuleApprovalsOutOfRange, &[("max", max)]),
            Rule::HearingDeadline { deadline, days, earliest } => self.fmt(
                Msg::RuleHearingDeadline,
                &[("step", &self.deadline(*deadline)), ("days", days), ("earliest", &earliest.format("%Y-%m-%d"))],
            ),
            Rule::SessionTooLong { max_hours } => self.fmt(Msg::RuleSessionTooLong, &[("hours", max_hours)]),
            Rule::ApplicationsCloseInThePast => self.t(Msg::RuleApplicationsCloseInThePast).into(),
            Rule::ApplicationsCloseTooLate { latest } => {
                self.fmt(Msg::RuleApplicationsCloseTooLate, &[("latest", &latest.format("%Y-%m-%d"))])
            }
            Rule::PostponeMustBeLater { current } => {
                self.fmt(Msg::RulePostponeMustBeLater, &[("current", &crate::domain::time::format_local(*current))])
            }
            Rule::ExtensionMustBeLater { current } => {
                self.fmt(Msg::RuleExtensionMustBeLater, &[("current", &crate::domain::time::format_local(*current))])
            }
            Rule::OfficerCount { min, max, given } => self.fmt(Msg::RuleOfficerCount, &[("min", min), ("max", max), ("given", given)]),
            Rule::OfficerTwice { name } => self.fmt(Msg::RuleOfficerTwice, &[("name", name)]),
            Rule::OfficerFromProposingAgency { name } => self.fmt(Msg::RuleOfficerFromProposingAgency, &[("name", name)]),
            Rule::OfficerUnknown { email } => self.fmt(Msg::RuleOfficerUnknown, &[("email", email)]),
            Rule::VenueTaken { hearing, starts_at, ends_at } => self.fmt(
                Msg::RuleVenueTaken,
                &[
                    ("hearing", hearing),
                    ("start", &crate::domain::time::format_local(*starts_at)),
                    ("end", &crate::domain::time::format_local(*ends_at)),
                ],
            ),
            Rule::OutOfRange { min, max } => self.fmt(Msg::RuleOutOfRange, &[("min", min), ("max", max)]),
            Rule::HearingNotInState { status } => self.fmt(Msg::RuleHearingNotInState, &[("status", &self.hearing_status(*status))]),
            Rule::HearingUnderway { hearing } => self.fmt(Msg::RuleHearingUnderway, &[("hearing", hearing)]),
            Rule::ApplicationsClosed { closed_at } => {
                self.fmt(Msg::RuleApplicationsClosed, &[("closed", &crate::domain::time::format_local(*closed_at))])
            }
            Rule::AlreadyApplied => self.t(Msg::RuleAlreadyApplied).into(),
            Rule::DrawBeforeApplicationsClose { closes_at } => {
                self.fmt(Msg::RuleDrawBeforeApplicationsClose, &[("closes", &crate::domain::time::format_local(*closes_at))])
            }
            Rule::DrawAlreadyRun => self.t(Msg::RuleDrawAlreadyRun).into(),
            Rule::MaterialsAlreadySent => self.t(Msg::RuleMaterialsAlreadySent).into(),
            Rule::MaterialsMissing => self.t(Msg::RuleMaterialsMissing).into(),
            Rule::NotTheHearingDay { day } => self.fmt(Msg::RuleNotTheHearingDay, &[("day", &day.format("%Y-%m-%d"))]),
            Rule::HearingNotHeldYet { starts_at } => {
                self.fmt(Msg::RuleHearingNotHeldYet, &[("start", &crate::domain::time::format_local(*starts_at))])
            }
            Rule::NotAParticipant => self.t(Msg::RuleNotAParticipant).into(),
            Rule::RecordAlreadyAnswered => self.t(Msg::RuleRecordAlreadyAnswered).into(),
            Rule::OrganizerOnly => self.t(Msg::RuleOrganizerOnly).into(),
            Rule::OfficerCannotApply => self.t(Msg::RuleOfficerCannotApply).into(),
            Rule::PanelSize { min, max } => self.fmt(Msg::RulePanelSize, &[("min", min), ("max", max)]),
            Rule::HearingReasonRequired => self.t(Msg::RuleHearingReasonRequired).into(),
            Rule::PoolTooSmall { eligible, needed, excluded } => {
                self.fmt(Msg::RulePoolTooSmall, &[("eligible", eligible), ("needed", needed), ("excluded", excluded)])
            }
            Rule::PenaltyAmountRequired => self.t(Msg::RulePenaltyAmountRequired).into(),
            Rule::PenaltyAmountNotApplicable => self.t(Msg::RulePenaltyAmountNotApplicable).into(),
            Rule::CaseNotInState { status } => self.fmt(Msg::RuleCaseNotInState, &[("status", &self.case_status(*status))]),
            Rule::InvitationAnswered => self.t(Msg::RuleInvitationAnswered).into(),
            Rule::NotOnPanel => self.t(Msg::RuleNotOnPanel).into(),
            Rule::OpinionDeadlinePassed { due } => {
                self.fmt(Msg::RuleOpinionDeadlinePassed, &[("due", &crate::domain::time::format_local(*due))])
            }
            Rule::SuggestedAmountRequired => self.t(Msg::RuleSuggestedAmountRequired).into(),
            Rule::SuggestedAmountDirection { lighter: true } => self.t(Msg::RuleSuggestedAmountLighter).into(),
            Rule::SuggestedAmountDirection { lighter: false } => self.t(Msg::RuleSuggestedAmountHeavier).into(),
            Rule::ReviewStillOpen { due } => self.fmt(Msg::RuleReviewStillOpen, &[("due", &crate::domain::time::format_local(*due))]),
            Rule::ReplyBeforeConclusion => self.t(Msg::RuleReplyBeforeConclusion).into(),
            Rule::UnmaskedPersonalData { kind, line, column, excerpt } => self.fmt(
                Msg::RuleUnmaskedPersonalData,
                &[("kind", &self.pii_kind(*kind)), ("line", line), ("column", column), ("excerpt", excerpt)],
            ),
            Rule::PoolExhausted => self.t(Msg::RulePoolExhausted).into(),
            Rule::AlreadyInPool => self.t(Msg::RuleAlreadyInPool).into(),
            Rule::NotInPool => self.t(Msg::RuleNotInPool).into(),
            Rule::StillOnPanel => self.t(Msg::RuleStillOnPanel).into(),
            Rule::TooManyEntries { max } => self.fmt(Msg::RuleTooManyEntries, &[("max", max)]),
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

    pub fn gate_state(self, state: crate::domain::gate::GateState) -> &'static str {
        use crate::domain::gate::GateState;
        self.t(match state {
            GateState::Met => Msg::GateStateMet,
            GateState::Missing => Msg::GateStateMissing,
            GateState::AwaitingReview => Msg::GateStateAwaiting,
            GateState::MitigationRequired => Msg::GateStateMitigation,
            GateState::HighRisk => Msg::GateStateHighRisk,
            GateState::Rejected => Msg::GateStateRejected,
            GateState::Unlawful => Msg::GateStateUnlawful,
        })
    }

    /// What would satisfy a gate in its present state (empty when met).
    pub fn gate_need(self, gate: crate::domain::gate::Gate, state: crate::domain::gate::GateState) -> &'static str {
        use crate::domain::gate::{Gate, GateState};
        match (gate, state) {
            (_, GateState::Met) => "",
            (Gate::PublicComment, _) => self.t(Msg::NeedPublicComment),
            (Gate::FeedbackReport, _) => self.t(Msg::NeedFeedbackReport),
            (Gate::Hearing, _) => self.t(Msg::NeedHearing),
            (Gate::StabilityRisk, GateState::AwaitingReview) => self.t(Msg::NeedRiskAwaiting),
            (Gate::StabilityRisk, GateState::MitigationRequired) => self.t(Msg::NeedRiskMitigation),
            (Gate::StabilityRisk, GateState::HighRisk) => self.t(Msg::NeedRiskHigh),
            (Gate::StabilityRisk, GateState::Rejected) => self.t(Msg::NeedRiskRejected),
            (Gate::StabilityRisk, _) => self.t(Msg::NeedRiskMissing),
            (Gate::LegalityReview, GateState::AwaitingReview) => self.t(Msg::NeedLegalityAwaiting),
            (Gate::LegalityReview, GateState::Unlawful) => self.t(Msg::NeedLegalityUnlawful),
            (Gate::LegalityReview, _) => self.t(Msg::NeedLegalityMissing),
        }
    }

    pub fn risk_level(self, level: crate::domain::review::RiskLevel) -> &'static str {
        use crate::domain::review::RiskLevel;
        self.t(match level {
            RiskLevel::Low => Msg::RiskLow,
            RiskLevel::Medium => Msg::RiskMedium,
            RiskLevel::High => Msg::RiskHigh,
        })
    }

    pub fn method(self, method: crate::domain::review::AssessmentMethod) -> &'static str {
        use crate::domain::review::AssessmentMethod;
        self.t(match method {
            AssessmentMethod::Survey => Msg::MethodSurvey,
            AssessmentMethod::Forum => Msg::MethodForum,
            AssessmentMethod::ExpertReview => Msg::MethodExpertReview,
            AssessmentMethod::Hearing => Msg::MethodHearing,
        })
    }

    pub fn assessment_status(self, status: crate::domain::review::AssessmentStatus) -> &'static str {
        use crate::domain::review::AssessmentStatus;
        self.t(match status {
            AssessmentStatus::Pending => Msg::AssessmentPending,
            AssessmentStatus::Approved => Msg::AssessmentApproved,
            AssessmentStatus::Rejected => Msg::AssessmentRejected,
            AssessmentStatus::Superseded => Msg::AssessmentSuperseded,
        })
    }

    pub fn opinion(self, opinion: crate::domain::review::LegalityOpinion) -> &'static str {
        use crate::domain::review::LegalityOpinion;
        self.t(match opinion {
            LegalityOpinion::Lawful => Msg::OpinionLawful,
            LegalityOpinion::LawfulWithChanges => Msg::OpinionLawfulWithChanges,
            LegalityOpinion::Unlawful => Msg::OpinionUnlawful,
        })
    }

    pub fn verdict(self, verdict: crate::domain::review::Verdict) -> &'static str {
        use crate::domain::review::Verdict;
        self.t(match verdict {
            Verdict::Approve => Msg::VerdictApprove,
            Verdict::Reject => Msg::VerdictReject,
        })
    }

    pub fn project_kind(self, kind: crate::domain::project::ProjectKind) -> &'static str {
        use crate::domain::project::ProjectKind;
        self.t(match kind {
            ProjectKind::KeyProject => Msg::ProjectKindKey,
            ProjectKind::InvestmentProject => Msg::ProjectKindInvestment,
            ProjectKind::EnvironmentalProject => Msg::ProjectKindEnvironmental,
        })
    }

    pub fn project_status(self, status: crate::domain::project::ProjectStatus) -> &'static str {
        use crate::domain::project::ProjectStatus;
        self.t(match status {
            ProjectStatus::Proposed => Msg::ProjectProposed,
            ProjectStatus::Assessing => Msg::ProjectAssessing,
            ProjectStatus::Approved => Msg::ProjectApproved,
            ProjectStatus::Proceeding => Msg::ProjectProceeding,
            ProjectStatus::Halted => Msg::ProjectHalted,
        })
    }

    pub fn deadline(self, deadline: crate::domain::hearing::Deadline) -> &'static str {
        use crate::domain::hearing::Deadline;
        self.t(match deadline {
            Deadline::Call => Msg::DeadlineCall,
            Deadline::Lists => Msg::DeadlineLists,
            Deadline::Materials => Msg::DeadlineMaterials,
            Deadline::MaterialsShortened => Msg::DeadlineMaterialsShortened,
        })
    }

    pub fn hearing_status(self, status: crate::domain::hearing::HearingStatus) -> &'static str {
        use crate::domain::hearing::HearingStatus;
        self.t(match status {
            HearingStatus::Scheduled => Msg::HearingScheduled,
            HearingStatus::CallOpen => Msg::HearingCallOpen,
            HearingStatus::Drawn => Msg::HearingDrawn,
            HearingStatus::ListsPublished => Msg::HearingListsPublished,
            HearingStatus::Held => Msg::HearingHeld,
            HearingStatus::Reported => Msg::HearingReported,
            HearingStatus::Cancelled => Msg::HearingCancelled,
        })
    }

    pub fn case_status(self, status: crate::domain::penalty::CaseStatus) -> &'static str {
        use crate::domain::penalty::CaseStatus;
        self.t(match status {
            CaseStatus::Draft => Msg::CaseDraft,
            CaseStatus::Open => Msg::CaseOpen,
            CaseStatus::Review => Msg::CaseReview,
            CaseStatus::Concluded => Msg::CaseConcluded,
            CaseStatus::Replied => Msg::CaseReplied,
            CaseStatus::Withdrawn => Msg::CaseWithdrawn,
        })
    }

    pub fn pii_kind(self, kind: crate::domain::mask::PiiKind) -> &'static str {
        use crate::domain::mask::PiiKind;
        self.t(match kind {
            PiiKind::Name => Msg::PiiName,
            PiiKind::IdNumber => Msg::PiiIdNumber,
            PiiKind::Mobile => Msg::PiiMobile,
            PiiKind::Landline => Msg::PiiLandline,
            PiiKind::Plate => Msg::PiiPlate,
            PiiKind::Address => Msg::PiiAddress,
            PiiKind::BankCard => Msg::PiiBankCard,
        })
    }

    pub fn penalty_kind(self, kind: crate::domain::penalty::PenaltyKind) -> &'static str {
        use crate::domain::penalty::PenaltyKind;
        self.t(match kind {
            PenaltyKind::Warning => Msg::PenaltyWarning,
            PenaltyKind::Fine => Msg::PenaltyFine,
            PenaltyKind::Confiscation => Msg::PenaltyConfiscation,
            PenaltyKind::LicenceSuspended => Msg::PenaltyLicenceSuspended,
            PenaltyKind::LicenceRevoked => Msg::PenaltyLicenceRevoked,
            PenaltyKind::BusinessRestricted => Msg::PenaltyBusinessRestricted,
            PenaltyKind::Detention => Msg::PenaltyDetention,
        })
    }

    pub fn penalty_opinion(self, o: crate::domain::penalty::Opinion) -> &'static str {
        use crate::domain::penalty::Opinion;
        self.t(match o {
            Opinion::NoPenalty => Msg::OpinionNoPenalty,
            Opinion::Lighter => Msg::OpinionLighter,
            Opinion::Agree => Msg::OpinionAgree,
            Opinion::Heavier => Msg::OpinionHeavier,
        })
    }

    pub fn reply_kind(self, r: crate::domain::penalty::ReplyKind) -> &'static str {
        use crate::domain::penalty::ReplyKind;
        self.t(match r {
            ReplyKind::Adopted => Msg::ReplyAdopted,
            ReplyKind::Partly => Msg::ReplyPartly,
            ReplyKind::NotAdopted => Msg::ReplyNotAdopted,
        })
    }

    pub fn seat_state(self, s: crate::domain::penalty::SeatState) -> &'static str {
        use crate::domain::penalty::SeatState;
        self.t(match s {
            SeatState::Reserve => Msg::SeatReserve,
            SeatState::Invited => Msg::SeatInvited,
            SeatState::Accepted => Msg::SeatAccepted,
            SeatState::Declined => Msg::SeatDeclined,
            SeatState::Missed => Msg::SeatMissed,
        })
    }

    pub fn pool_state(self, s: crate::domain::penalty::PoolState) -> &'static str {
        use crate::domain::penalty::PoolState;
        self.t(match s {
            PoolState::Volunteered => Msg::PoolVolunteered,
            PoolState::Active => Msg::PoolActive,
            PoolState::Rejected => Msg::PoolRejected,
            PoolState::Withdrawn => Msg::PoolWithdrawn,
        })
    }

    pub fn conflict_kind(self, k: crate::domain::penalty::ConflictKind) -> &'static str {
        use crate::domain::penalty::ConflictKind;
        self.t(match k {
            ConflictKind::Agency => Msg::ConflictAgency,
            ConflictKind::District => Msg::ConflictDistrict,
            ConflictKind::Party => Msg::ConflictParty,
        })
    }

    pub fn constituency(self, c: crate::domain::hearing::Constituency) -> &'static str {
        use crate::domain::hearing::Constituency;
        self.t(match c {
            Constituency::Consumer => Msg::ConstituencyConsumer,
            Constituency::Operator => Msg::ConstituencyOperator,
            Constituency::Expert => Msg::ConstituencyExpert,
            Constituency::Other => Msg::ConstituencyOther,
        })
    }

    pub fn application_state(self, state: crate::domain::hearing::ApplicationState) -> &'static str {
        use crate::domain::hearing::ApplicationState;
        self.t(match state {
            ApplicationState::Applied => Msg::ApplicationApplied,
            ApplicationState::Selected => Msg::ApplicationSelected,
            ApplicationState::Waiting => Msg::ApplicationWaiting,
            ApplicationState::Declined => Msg::ApplicationDeclined,
        })
    }

    pub fn notice(self, kind: crate::domain::hearing::NoticeKind) -> &'static str {
        use crate::domain::hearing::NoticeKind;
        self.t(match kind {
            NoticeKind::Selected => Msg::NoticeSelected,
            NoticeKind::Waiting => Msg::NoticeWaiting,
            NoticeKind::MovedUp => Msg::NoticeMovedUp,
            NoticeKind::Materials => Msg::NoticeMaterials,
            NoticeKind::Postponed => Msg::NoticePostponed,
            NoticeKind::Cancelled => Msg::NoticeCancelled,
            NoticeKind::Record => Msg::NoticeRecord,
            NoticeKind::Report => Msg::NoticeReport,
        })
    }

    pub fn day_kind(self, kind: crate::domain::calendar::DayKind) -> &'static str {
        use crate::domain::calendar::DayKind;
        self.t(match kind {
            DayKind::Holiday => Msg::DayHoliday,
            DayKind::Workday => Msg::DayWorkday,
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

/// A byte count for people: `512 B`, `64 KB`, `1.5 MB` (binary units, one decimal
/// only when it is not whole).
pub fn byte_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    let scaled = |unit: u64, name: &str| {
        if bytes.is_multiple_of(unit) {
            format!("{} {name}", bytes / unit)
        } else {
            format!("{:.1} {name}", bytes as f64 / unit as f64)
        }
    };
    match bytes {
        b if b >= MB => scaled(MB, "MB"),
        b if b >= KB => scaled(KB, "KB"),
        b => format!("{b} B"),
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
    fn file_rule_messages_name_the_rule() {
        for locale in [Locale::ZhCn, Locale::En] {
            assert!(locale.rule(&Rule::FileTooLarge { max_bytes: 20 * 1024 * 1024 }).contains("20 MB"));
            assert!(locale.rule(&Rule::FileTypeRefused { found: "ELF".into() }).contains("ELF"));
            assert!(locale.rule(&Rule::PdfActiveContent { name: "/JavaScript".into() }).contains("/JavaScript"));
            let unknown = locale.rule(&Rule::FileTypeRefused { found: crate::domain::attachment::UNKNOWN.into() });
            assert!(!unknown.contains(crate::domain::attachment::UNKNOWN) && !unknown.contains('{'), "{unknown}");
            for rule in [Rule::FileEmpty, Rule::PdfUnreadable, Rule::PdfEncrypted, Rule::OfficeMacros] {
                let text = locale.rule(&rule);
                assert!(!text.is_empty() && !text.contains('{'), "{text}");
            }
        }
        assert_eq!(byte_size(512), "512 B");
        assert_eq!(byte_size(1536), "1.5 KB");
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
