//! What the audit log records: one typed event per state change, written by one
//! function in the same transaction as the change. Entries form one hash chain per
//! subject (a proposal, a comment, an account, ...): each carries the SHA-256 of its
//! predecessor, so editing or deleting an entry breaks the chain where it happened.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    calendar::DayKind,
    gate::Gate,
    hearing::{Confirmation, Seats},
    penalty::{Opinion, PenaltyKind, ReplyKind},
    project::{ProjectKind, ProjectStatus},
    proposal::{EventKind, PolicyDomain, ProposalKind},
    review::{AssessmentMethod, AssessmentStatus, LegalityOpinion, RiskLevel, Verdict},
    role::Role,
};

/// What an entry is about; each subject has its own chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "entity", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Proposal(i64),
    Comment(i64),
    User(i64),
    Project(i64),
    Hearing(i64),
    /// A penalty case under public review.
    PenaltyCase(i64),
    /// Platform settings (the working-day calendar, approval policy): one chain, id 0.
    Settings,
}

impl Subject {
    pub const ENTITIES: &'static [&'static str] = &["proposal", "comment", "user", "project", "hearing", "penalty_case", "settings"];

    pub fn entity(self) -> &'static str {
        match self {
            Subject::Proposal(_) => "proposal",
            Subject::Comment(_) => "comment",
            Subject::User(_) => "user",
            Subject::Project(_) => "project",
            Subject::Hearing(_) => "hearing",
            Subject::PenaltyCase(_) => "penalty_case",
            Subject::Settings => "settings",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Subject::Proposal(id)
            | Subject::Comment(id)
            | Subject::User(id)
            | Subject::Project(id)
            | Subject::Hearing(id)
            | Subject::PenaltyCase(id) => id,
            Subject::Settings => 0,
        }
    }
}

/// Every state change the platform records. The tag is the entry's `action`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Event {
    /// Saved privately by its agency for preview.
    #[serde(rename = "drafted")]
    ProposalDrafted {
        title: String,
        kind: ProposalKind,
        domains: Vec<PolicyDomain>,
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
        short_window_reason: Option<String>,
    },
    /// Made public; its comment window is as recorded.
    #[serde(rename = "published")]
    ProposalPublished {
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    },
    /// A new version of the text; `window` when it came with a new comment window.
    VersionPublished {
        version: u32,
        clauses: u32,
        window: Option<(DateTime<Utc>, DateTime<Utc>)>,
        short_window_reason: Option<String>,
    },
    WindowExtended {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        reason: String,
    },
    #[serde(rename = "event_recorded")]
    ConsultationRecorded {
        kind: EventKind,
        title: String,
        held_at: DateTime<Utc>,
    },
    FeedbackPublished {
        items: u32,
    },
    /// Adopted with every required gate met (listed as checked).
    #[serde(rename = "adopted")]
    ProposalAdopted {
        gates: Vec<Gate>,
    },
    #[serde(rename = "withdrawn")]
    ProposalWithdrawn {
        reason: String,
    },
    /// A moderator hid a comment, with the public reason.
    #[serde(rename = "hidden")]
    CommentHidden {
        reason: String,
    },
    #[serde(rename = "registered")]
    AccountCreated {
        roles: Vec<Role>,
    },
    RoleGranted {
        role: Role,
    },
    RoleRevoked {
        role: Role,
    },
    AgencySet {
        agency_id: Option<i64>,
    },
    /// Signed in; `new_address`: from an address the account had not signed in from.
    SignedIn {
        new_address: bool,
    },
    /// A wrong password for this account (the password itself is never recorded).
    SignInFailed {
        new_address: bool,
    },
    /// An attempt held back by the failures before it, for this many seconds.
    SignInHeld {
        wait_secs: u64,
    },
    /// The password was changed; the person's other sessions ended with it.
    PasswordChanged {
        sessions_ended: u64,
    },
    /// The account's e-mail address was proved by the link mailed to it.
    EmailVerified,
    /// A new password was chosen by a link mailed to the account's address; every
    /// session ended with it.
    PasswordReset {
        sessions_ended: u64,
    },
    /// The person ended some of their sessions from the sessions page.
    SessionsEnded {
        count: u64,
    },
    /// An administrator disabled the account (its sessions ended with it).
    AccountDisabled {
        sessions_ended: u64,
    },
    /// An administrator enabled it again.
    AccountEnabled,
    /// Two-step sign-in turned on (a new authenticator and new recovery codes).
    SecondFactorEnabled,
    /// Two-step sign-in turned off.
    SecondFactorDisabled,
    /// A recovery code stood in for a code; this many are left.
    RecoveryCodeUsed {
        left: i64,
    },
    /// A reviewer added a gate to the checklist, with the reason.
    GateAdded {
        gate: Gate,
        reason: String,
    },
    /// A stability risk assessment was submitted; `superseded` names the one it replaced.
    AssessmentSubmitted {
        assessment: i64,
        level: RiskLevel,
        method: AssessmentMethod,
        superseded: Option<i64>,
    },
    MitigationAttached {
        assessment: i64,
    },
    /// A reviewer's decision, with the reason; `approvals` of `required` so far.
    AssessmentDecided {
        assessment: i64,
        verdict: Verdict,
        reason: String,
        approvals: u8,
        required: u8,
        status: AssessmentStatus,
    },
    LegalityRequested {
        review: i64,
        superseded: Option<i64>,
    },
    OpinionRecorded {
        review: i64,
        opinion: LegalityOpinion,
        reason: String,
        working_days: u32,
    },
    /// An evidence file was attached: its SHA-256 is in the log.
    FileAttached {
        file: i64,
        owner: String,
        owner_id: i64,
        name: String,
        sha256: String,
        size: u64,
    },
    ProjectRegistered {
        title: String,
        kind: ProjectKind,
    },
    /// The project's state moved, with the reason when there is one.
    ProjectMoved {
        from: ProjectStatus,
        to: ProjectStatus,
        reason: Option<String>,
    },
    /// Proceeding with every gate met (listed as checked).
    ProjectProceeding {
        gates: Vec<Gate>,
    },
    CalendarDaySet {
        day: chrono::NaiveDate,
        kind: Option<DayKind>,
        name: String,
    },
    ApprovalPolicySet {
        kind: String,
        approvals: u8,
    },
    /// A hearing was scheduled for a proposal, with the commitment to its draw's seed.
    HearingScheduled {
        proposal: i64,
        venue: String,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        apply_until: DateTime<Utc>,
        seats: Seats,
        officers: Vec<i64>,
        commitment: String,
    },
    HearingCallPublished {
        apply_until: DateTime<Utc>,
    },
    HearingCallExtended {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    },
    /// A citizen applied (who is the entry's actor).
    HearingApplied {
        application: i64,
    },
    /// The draw ran: the revealed seed and how many it chose from and for.
    HearingDrawn {
        algorithm: String,
        seed: String,
        applicants: u32,
        seats: u32,
        unfilled: u32,
    },
    /// A participant declined; the seat went to `replaced_by` (an application), if anyone.
    HearingSeatDeclined {
        application: i64,
        replaced_by: Option<i64>,
    },
    HearingListsPublished,
    HearingMaterialsSent {
        files: u32,
        reason: Option<String>,
    },
    HearingAgendaSet,
    /// A participant's place in the speaking order and minutes.
    HearingSpeakerSet {
        application: i64,
        position: u32,
        minutes: u32,
    },
    HearingAttendance {
        application: i64,
        present: bool,
    },
    HearingRecordWritten,
    /// Art. 17: a participant's answer to the record.
    HearingRecordAnswered {
        application: i64,
        confirmation: Confirmation,
    },
    HearingReportPublished,
    HearingPostponed {
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        reason: String,
    },
    HearingCancelled {
        reason: String,
    },
    /// A citizen volunteered for the reviewer pool (on the user's chain), declaring conflicts.
    PoolVolunteered {
        member: i64,
        conflicts: u32,
    },
    /// An admin approved a volunteer, or renewed a term, until `term_ends`.
    PoolApproved {
        member: i64,
        term_ends: DateTime<Utc>,
    },
    PoolRejected {
        member: i64,
        reason: String,
    },
    PoolWithdrawn {
        member: i64,
    },
    PoolConflictsDeclared {
        member: i64,
        conflicts: u32,
    },
    /// An official submitted a penalty case, with the commitment to its draw's seed; the
    /// party's data stays out of the log.
    CaseSubmitted {
        agency: i64,
        penalty: PenaltyKind,
        amount: Option<i64>,
        masked_spans: u32,
        commitment: String,
    },
    /// The official confirmed the masked text; the case is published.
    CaseMaskingConfirmed,
    CaseStatementAdded,
    /// The panel was drawn: the revealed seed, how many were eligible and left out.
    CasePanelDrawn {
        algorithm: String,
        seed: String,
        eligible: u32,
        excluded: Vec<u32>,
        size: u32,
        due: DateTime<Utc>,
    },
    CaseInvitationAnswered {
        accepted: bool,
        replaced_by: Option<i64>,
    },
    /// A panelist gave or revised an opinion (the opinion itself is published with the outcome).
    CaseOpinionGiven {
        revision: bool,
    },
    /// Panelists missed the deadline and were replaced; the review runs until `due`.
    CasePanelistsReplaced {
        missed: Vec<i64>,
        replaced_by: Vec<i64>,
        due: DateTime<Utc>,
    },
    CaseConcluded {
        opinion: Opinion,
        breakdown: Vec<u32>,
    },
    CaseReplied {
        reply: ReplyKind,
        final_penalty: PenaltyKind,
        final_amount: Option<i64>,
    },
    CaseWithdrawn {
        reason: String,
    },
}

impl Event {
    /// The `action` column: the event's tag.
    pub fn action(&self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map.get("action").and_then(|a| a.as_str()).unwrap_or("unknown").to_owned(),
            _ => "unknown".to_owned(),
        }
    }
}

/// What an entry's hash covers: its predecessor's hash and every column that says what
/// happened.
#[derive(Clone, Copy, Debug)]
pub struct Link<'a> {
    pub prev_hash: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub detail: &'a str,
}

impl Link<'_> {
    /// The bytes hashed: the fields in this order, each as `<length in bytes>:<text>\n`
    /// (no two different entries give the same bytes); the instant as microseconds since
    /// 1970 UTC, an absent actor as the empty text. Kept here, documented, so that anyone
    /// can check a chain with any SHA-256 tool.
    pub fn bytes(&self) -> Vec<u8> {
        let fields = [
            self.prev_hash.to_owned(),
            self.entity.to_owned(),
            self.entity_id.to_string(),
            self.seq.to_string(),
            self.at.timestamp_micros().to_string(),
            self.actor_id.map(|a| a.to_string()).unwrap_or_default(),
            self.action.to_owned(),
            self.detail.to_owned(),
        ];
        let mut out = Vec::new();
        for field in fields {
            out.extend_from_slice(field.len().to_string().as_bytes());
            out.push(b':');
            out.extend_from_slice(field.as_bytes());
            out.push(b'\n');
        }
        out
    }
}

/// The hash a chain starts from (the predecessor of its first entry).
pub const GENESIS: &str = "";

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_action_is_the_events_tag() {
        assert_eq!(Event::RoleGranted { role: Role::Official }.action(), "role_granted");
        assert_eq!(Event::ProposalAdopted { gates: vec![] }.action(), "adopted");
        assert_eq!(Event::CommentHidden { reason: "辱骂他人".into() }.action(), "hidden");
    }

    #[test]
    fn chain_bytes_cannot_be_confused_by_moving_text_between_fields() {
        let at = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let a = Link { prev_hash: "", entity: "proposal", entity_id: 1, seq: 1, at, actor_id: Some(2), action: "ab", detail: "c" };
        let b = Link { action: "a", detail: "bc", ..a };
        assert_ne!(a.bytes(), b.bytes());
        let c = Link { actor_id: None, ..b };
        assert_ne!(b.bytes(), c.bytes());
        assert_eq!(
            String::from_utf8(c.bytes()).unwrap(),
            "0:\n8:proposal\n1:1\n1:1\n16:1796083200000000\n0:\n1:a\n2:bc\n",
            "the documented layout"
        );
    }
}
