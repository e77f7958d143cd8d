//! Every refusal names the rule it enforces. A `Rule` crosses the wire as data and
//! is turned into a sentence in the reader's language by `crate::i18n`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// The field is empty.
    Required,
    /// More characters than allowed.
    TooLong { max: usize },
    /// Fewer characters than required.
    TooShort { min: usize },
    /// Not an e-mail address.
    EmailFormat,
    /// ASVS 5.0 §6.4: an account proves its e-mail address (by the one-time link sent to
    /// it) before it comments, supports, reports or applies: one person, one voice.
    EmailNotVerified,
    /// A one-time link from an e-mail that is not known (mistyped, or from an older mail
    /// replaced by a newer one).
    LinkUnknown,
    /// A one-time link works once; this one was used.
    LinkUsed,
    /// A one-time link works for a limited time (48 hours to verify an e-mail, 1 hour to
    /// reset a password); this one has expired.
    LinkExpired { hours: i64 },
    /// E-mail and password do not match an account.
    WrongCredentials,
    /// NIST SP 800-63B §3.1.1.2: the password is common or easily guessed.
    PasswordGuessable,
    /// The current password, asked again before a change, is wrong.
    CurrentPasswordWrong,
    /// ASVS 5.0 §6.3.3: this account signs in with a second factor; its code is needed.
    SecondFactorRequired,
    /// The code from the authenticator app (or the recovery code) is not right, or was used already.
    SecondFactorWrong,
    /// Two-step sign-in is on already (turn it off first to set it up again).
    SecondFactorAlreadyOn,
    /// Two-step sign-in is not being set up or is not on.
    SecondFactorNotOn,
    /// ASVS 5.0 §6.3.3: administrators act only with two-step sign-in on.
    AdminNeedsSecondFactor,
    /// An administrator disabled this account.
    AccountDisabled,
    /// An administrator may not disable their own account (no lock-out).
    CannotDisableSelf,
    /// A search needs at least one letter, digit or character (not only punctuation).
    SearchNeedsWords,
    /// A search of more terms than this would be slow for no better result.
    SearchTooManyTerms { max: usize },
    /// The value is not one of the listed choices.
    UnknownChoice,
    /// A date or time that cannot be read.
    BadDateTime,
    /// A consultation window must close after it opens.
    WindowEndsBeforeStart,
    /// Art. 15, State Council rules on major administrative decisions (2019): the
    /// comment period is at least 30 days unless a reason for a shorter one is recorded.
    WindowShorterThanMinimum { min_days: i64 },
    /// At least one policy domain must be chosen.
    NoDomain,
    /// The referenced clause does not exist in this version of the text.
    NoSuchClause { clause: u32 },
    /// Comments are accepted only while the window is open.
    WindowNotOpen,
    /// The agency is unknown.
    UnknownAgency,
    /// An official may publish only for the agency they belong to.
    NotYourAgency,
    /// An administrator may not revoke their own admin role (no lock-out).
    CannotRevokeOwnAdmin,
    /// A person supports a comment once.
    AlreadySupported,
    /// There is no support of this person to withdraw.
    NotSupported,
    /// The comment is hidden already.
    AlreadyHidden,
    /// This person has reported this comment already.
    AlreadyReported,
    /// Too many comments in a short time from one account or address: at most `limit`
    /// per `scope` in `minutes`.
    CommentFlood { retry_after_secs: u64, limit: i64, scope: FloodScope, minutes: i64 },
    /// A comment window is never shortened: a new closing time must be later.
    WindowCannotShorten,
    /// The feedback report comes after the comment window has closed.
    FeedbackBeforeWindowCloses,
    /// The feedback report is published already.
    FeedbackAlreadyPublished,
    /// A feedback report needs at least one decision.
    FeedbackEmpty,
    /// Adoption is refused while gates lack their evidence; every unmet gate is listed.
    GatesUnmet { gates: Vec<super::gate::Gate> },
    /// Too many attempts; try again after the given number of seconds.
    TooManyAttempts { retry_after_secs: u64 },
    /// Art. 15: the public has the whole comment period, so a window may not open before
    /// it is published (a few minutes' grace).
    WindowOpensInThePast { grace_minutes: i64 },
    /// The action is not possible in the proposal's present state.
    NotInState { status: super::lifecycle::ProposalStatus },
    /// After the comment window closed, a new version needs a new comment window.
    NewWindowRequired,
    /// While the window is open it is extended, not replaced.
    WindowStillOpen,
    /// No account with this id.
    UnknownUser,
    /// No campaign (comment group) with this id on this proposal.
    NoSuchGroup { group: i64 },
    /// No control characters: NUL, the other C0 and C1 controls and DEL are refused
    /// (tab and line feed are allowed in multi-line fields). `position` is the 1-based
    /// character index of the first one.
    ControlCharacter { position: usize },
    /// No bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F,
    /// U+061C): they make the text shown differ from the text stored.
    BidiControl { position: usize },
    /// No U+FFFD: it stands where invalid bytes were replaced, so part of the text was lost.
    ReplacementCharacter { position: usize },
    /// A single-line field (title, name, reason) may not contain a line break.
    LineBreakNotAllowed,
    /// A public name may not pass for staff, a role, the platform or an agency.
    NameImpersonatesStaff,
    /// One version of a text has at most this many clauses.
    TooManyClauses { max: usize },
    /// Dates are accepted between these years (inclusive).
    DateOutOfRange { min_year: i32, max_year: i32 },
    /// The end of a time range must come after its start.
    EndNotAfterStart,
    /// Markdown nested deeper than this many levels (quotes, lists).
    NestingTooDeep { max: usize },
    /// Markdown with more elements than one text may have, or too costly to render.
    TextTooComplex { max_elements: usize },
    /// An attached file has no content.
    FileEmpty,
    /// An attached file is larger than the configured limit.
    FileTooLarge { max_bytes: u64 },
    /// The content of an attached file is not one of the accepted kinds (judged by its
    /// bytes, never by its name); `found` names what it is, or `unknown`.
    FileTypeRefused { found: String },
    /// The PDF's structure does not parse, so it cannot be checked.
    PdfUnreadable,
    /// The PDF carries active content: script, a launch action, an embedded file.
    PdfActiveContent { name: String },
    /// The PDF is encrypted, so its objects cannot be checked.
    PdfEncrypted,
    /// The office document carries VBA macros.
    OfficeMacros,
    /// Art. 25–26, State Council rules on major administrative decisions (2019): the
    /// legality review office has at least this many working days; the opinion may be
    /// recorded on `earliest` at the soonest.
    ReviewTimeNotElapsed { min_working_days: u32, elapsed: u32, earliest: chrono::NaiveDate },
    /// Only reviewers decide on assessments and reviews (no other role, admin included).
    ReviewerOnly,
    /// Separation of duties: no decision on one's own submission.
    OwnSubmission,
    /// Separation of duties: no decision on a submission of one's own agency.
    OwnAgencySubmission,
    /// The assessment has been decided or superseded already.
    AssessmentNotPending { status: super::review::AssessmentStatus },
    /// Clause 7: an assessment rated high risk is never approved to proceed; the proposal
    /// is revised (a new assessment) or withdrawn.
    HighRiskCannotProceed,
    /// Clause 7: a medium-risk assessment is approved only once mitigation is attached
    /// and it is re-assessed as low.
    MitigationRequired,
    /// Mitigation answers a medium-risk assessment only.
    MitigationOnlyForMedium,
    /// An assessment is approved only with its report file attached.
    ReportFileRequired,
    /// One reviewer gives one of the independent approvals, not both.
    AlreadyApprovedByYou,
    /// The legality review has its opinion already, or a newer request replaced it.
    LegalityNotPending,
    /// The action is not possible in the project's present state.
    ProjectNotInState { status: super::project::ProjectStatus },
    /// Only the hearing, stability risk and legality gates can be added.
    GateNotAddable,
    /// The gate is on the checklist already.
    GateAlreadyRequired,
    /// Between one and this many independent approvals.
    ApprovalsOutOfRange { max: u8 },
    /// A hearing's notice period (price-hearing rules; art. 16): the step is taken at
    /// least `days` days before the hearing; `earliest` is the first hearing day that works.
    HearingDeadline { deadline: super::hearing::Deadline, days: i64, earliest: chrono::NaiveDate },
    /// A session lasts at most this many hours.
    SessionTooLong { max_hours: i64 },
    /// Applications must close in the future.
    ApplicationsCloseInThePast,
    /// Applications close early enough for the draw and the lists (15 days before): on
    /// `latest` at the latest.
    ApplicationsCloseTooLate { latest: chrono::NaiveDate },
    /// A postponement moves the hearing later than it is now.
    PostponeMustBeLater { current: chrono::DateTime<chrono::Utc> },
    /// An extended call closes later than it does now.
    ExtensionMustBeLater { current: chrono::DateTime<chrono::Utc> },
    /// Art. 16: between `min` and `max` hearing officers.
    OfficerCount { min: usize, max: usize, given: usize },
    /// Each officer once.
    OfficerTwice { name: String },
    /// No officer from the proposing agency's staff who drafted the proposal.
    OfficerFromProposingAgency { name: String },
    /// No account with this e-mail address.
    OfficerUnknown { email: String },
    /// One venue cannot host two overlapping hearings.
    VenueTaken { hearing: i64, starts_at: chrono::DateTime<chrono::Utc>, ends_at: chrono::DateTime<chrono::Utc> },
    /// A number between `min` and `max`.
    OutOfRange { min: i64, max: i64 },
    /// The action is not possible in the hearing's present state.
    HearingNotInState { status: super::hearing::HearingStatus },
    /// The proposal has a hearing under way already (not cancelled, not reported).
    HearingUnderway { hearing: i64 },
    /// Applications are accepted while the call is open, until it closes.
    ApplicationsClosed { closed_at: chrono::DateTime<chrono::Utc> },
    /// One application per citizen per hearing.
    AlreadyApplied,
    /// The draw runs when applications have closed.
    DrawBeforeApplicationsClose { closes_at: chrono::DateTime<chrono::Utc> },
    /// The draw runs once.
    DrawAlreadyRun,
    /// The materials went out already.
    MaterialsAlreadySent,
    /// The materials need at least one file, sent to the participants.
    MaterialsMissing,
    /// Attendance is marked on the day of the hearing.
    NotTheHearingDay { day: chrono::NaiveDate },
    /// The record and the report follow a session that took place.
    HearingNotHeldYet { starts_at: chrono::DateTime<chrono::Utc> },
    /// Only the participants on the list confirm the record or decline a seat.
    NotAParticipant,
    /// A participant answers the record once.
    RecordAlreadyAnswered,
    /// Only hearing organizers run hearings.
    OrganizerOnly,
    /// A hearing officer of this hearing does not apply to take part in it.
    OfficerCannotApply,
    /// A penalty review panel has an odd number of reviewers, from `min` to `max`.
    PanelSize { min: u32, max: u32 },
    /// A proposal that does not require a hearing gets one with a recorded reason.
    HearingReasonRequired,
    /// The panel is drawn from the active pool after the exclusions; too few remain.
    PoolTooSmall { eligible: u32, needed: u32, excluded: u32 },
    /// A fine or a confiscation states its amount.
    PenaltyAmountRequired,
    /// Only a fine or a confiscation has an amount.
    PenaltyAmountNotApplicable,
    /// The action is not possible in the case's present state.
    CaseNotInState { status: super::penalty::CaseStatus },
    /// The invitation was answered already.
    InvitationAnswered,
    /// Only the case's panelists may do this.
    NotOnPanel,
    /// Opinions are given and revised until the panel's deadline.
    OpinionDeadlinePassed { due: chrono::DateTime<chrono::Utc> },
    /// "Lighter" or "heavier" suggests an amount.
    SuggestedAmountRequired,
    /// A lighter amount is below the proposed one, a heavier one above it.
    SuggestedAmountDirection { lighter: bool },
    /// The review is closed only after its deadline.
    ReviewStillOpen { due: chrono::DateTime<chrono::Utc> },
    /// The agency replies to the panel's opinion once the panel has concluded.
    ReplyBeforeConclusion,
    /// Personal data left in text about to be published: where it is, and a part of it.
    UnmaskedPersonalData { kind: super::mask::PiiKind, line: usize, column: usize, excerpt: String },
    /// Every eligible reviewer has been drawn; no reserve is left to replace a panelist.
    PoolExhausted,
    /// This person is in the pool already (or has volunteered and waits for approval).
    AlreadyInPool,
    /// This person is not in the reviewer pool.
    NotInPool,
    /// A reviewer leaves the pool after their open panels.
    StillOnPanel,
    /// A list has at most `max` entries.
    TooManyEntries { max: usize },
}

/// Whose comments a flood limit counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FloodScope {
    Account,
    Address,
}

/// A rule broken by the value of one form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub rule: Rule,
}

impl FieldError {
    pub fn new(field: &str, rule: Rule) -> Self {
        Self { field: field.to_owned(), rule }
    }
}

/// Collects the errors of every field of a form, so that the user sees all of them at
/// once instead of fixing one per round trip.
#[derive(Default, Debug)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the parsed value, or records the error under `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Rule>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(rule) => {
                self.0.push(FieldError::new(field, rule));
                None
            }
        }
    }

    pub fn push(&mut self, field: &str, rule: Rule) {
        self.0.push(FieldError::new(field, rule));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}
