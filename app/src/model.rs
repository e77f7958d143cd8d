//! Read models: what the store returns and pages show, the same on server and browser.
//! Plain data, no framework and no I/O; the store builds them, server functions send
//! them, and a JSON API maps from them. They never depend on `api`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{
    comment::Stance,
    proposal::{CommentWindow, PolicyDomain, ProposalKind, WindowPhase},
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
}

impl Agency {
    pub fn name(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::ZhCn => &self.name_zh,
            crate::i18n::Locale::En => &self.name_en,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalSummary {
    pub id: i64,
    pub title: String,
    pub kind: ProposalKind,
    pub agency: Agency,
    pub domains: Vec<PolicyDomain>,
    pub window: CommentWindow,
    /// The window's phase when the server answered (derived from its clock).
    pub phase: WindowPhase,
    pub hearing_required: bool,
    pub comment_count: i64,
    /// Groups of two or more identical or near-identical comments.
    pub campaign_count: i64,
    /// Distinct people who commented.
    pub commenter_count: i64,
    pub status: crate::domain::lifecycle::ProposalStatus,
    pub adopted: bool,
    /// Why the agency withdrew it (public).
    pub withdrawn_reason: Option<String>,
}

/// One page of a keyset-paginated list: `next` is the cursor of the following page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// A page from up to `size + 1` rows read: the row past the page's end is dropped,
    /// and says there is a next page, whose cursor is taken from the last row kept.
    pub fn cut(mut rows: Vec<T>, size: i64, cursor: impl Fn(&T) -> String) -> Self {
        let next = if rows.len() as i64 > size {
            rows.truncate(size as usize);
            rows.last().map(cursor)
        } else {
            None
        };
        Page { items: rows, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next: self.next }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    pub number: u32,
    /// Sanitised HTML of the headings just before this clause, if any.
    pub heading_html: Option<String>,
    /// Sanitised HTML, rendered when the text was written.
    pub html: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalDetail {
    pub summary: ProposalSummary,
    pub version: u32,
    pub clauses: Vec<Clause>,
    pub published_at: Option<DateTime<Utc>>,
    /// False for a draft (seen only by officials of its agency, as a preview).
    pub published: bool,
    pub feedback_published: bool,
    pub extensions: Vec<WindowExtension>,
    pub events: Vec<ConsultationEvent>,
    /// Published comments per clause and stance (the pictures on its page).
    pub tallies: Vec<crate::domain::tally::Tally>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowExtension {
    pub old_closes_at: DateTime<Utc>,
    pub new_closes_at: DateTime<Utc>,
    pub reason: String,
    pub extended_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationEvent {
    pub kind: crate::domain::proposal::EventKind,
    pub held_at: DateTime<Utc>,
    pub title: String,
    /// Sanitised HTML, rendered when recorded.
    pub minutes_html: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackEntry {
    pub target: crate::domain::feedback::FeedbackTarget,
    pub decision: crate::domain::feedback::Decision,
    pub reason: String,
    /// For a comment group: its size and its first comment, to say what was decided on.
    pub group_size: Option<i64>,
    pub group_text: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackView {
    pub summary: String,
    pub published_at: DateTime<Utc>,
    pub items: Vec<FeedbackEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: i64,
    pub proposal_id: i64,
    pub author: String,
    /// The account behind the display name; sent to officials only.
    pub author_identity: Option<String>,
    pub stance: Stance,
    pub clause: Option<u32>,
    pub version: u32,
    /// Sanitised HTML, rendered when the comment was written.
    pub body_html: String,
    pub created_at: DateTime<Utc>,
    pub support_count: i64,
    /// Hidden by a moderator, with the public reason (the text is not sent).
    pub hidden_reason: Option<String>,
    pub supported_by_reader: bool,
    pub report_count: i64,
    /// The campaign group this comment belongs to, and how many comments it holds
    /// (1: a single voice).
    pub group_id: i64,
    pub group_size: i64,
}

/// A file of evidence, as a reader sees it: enough to download it and verify it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    /// Hex SHA-256 of the stored bytes, so a reader can verify the document.
    pub sha256: String,
    pub uploaded_at: DateTime<Utc>,
}

/// One reviewer's decision: who, when, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub reviewer: String,
    /// `approve`, `reject`, or the legality opinion.
    pub outcome: String,
    pub reason: String,
    pub decided_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentView {
    pub id: i64,
    pub level: crate::domain::review::RiskLevel,
    pub method: crate::domain::review::AssessmentMethod,
    pub risk_points: String,
    pub prevention: String,
    pub response_plan: String,
    pub mitigation: Option<String>,
    pub status: crate::domain::review::AssessmentStatus,
    pub submitted_by: String,
    pub submitted_at: DateTime<Utc>,
    /// The control measures written into the approval.
    pub control_measures: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decisions: Vec<DecisionView>,
    pub files: Vec<FileView>,
    pub mitigation_files: Vec<FileView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalityView {
    pub id: i64,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub materials: String,
    pub status: crate::domain::review::LegalityStatus,
    pub opinion: Option<crate::domain::review::LegalityOpinion>,
    pub opinion_text: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Working days since the request, and the first day an opinion may be recorded.
    pub working_days: u32,
    pub earliest: chrono::NaiveDate,
    pub files: Vec<FileView>,
}

/// A gate added to a checklist, with who added it and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedGate {
    pub gate: crate::domain::gate::Gate,
    pub reason: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// A checklist row: the gate, its state, and whether a reviewer added it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateRow {
    pub gate: crate::domain::gate::Gate,
    pub state: crate::domain::gate::GateState,
    pub added: Option<AddedGate>,
}

/// A proposal or project that may not go ahead, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedItem {
    pub subject: crate::domain::gate::GateSubject,
    pub title: String,
    pub agency: Agency,
    /// Waiting since: the comment window's close, or the project's registration.
    pub since: DateTime<Utc>,
    /// The gates without their evidence, with what each lacks.
    pub unmet: Vec<(crate::domain::gate::Gate, crate::domain::gate::GateState)>,
}

/// Everything a reader needs to see why a proposal or project may or may not go ahead.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateBoard {
    pub subject: crate::domain::gate::GateSubject,
    pub agency_id: i64,
    /// Evidence may still be submitted (not adopted, withdrawn, or proceeding).
    pub open: bool,
    pub rows: Vec<GateRow>,
    /// Newest first.
    pub assessments: Vec<AssessmentView>,
    pub legality: Vec<LegalityView>,
}

impl GateBoard {
    pub fn unmet(&self) -> Vec<crate::domain::gate::Gate> {
        self.rows.iter().filter(|r| r.state != crate::domain::gate::GateState::Met).map(|r| r.gate).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    pub id: i64,
    pub title: String,
    pub kind: crate::domain::project::ProjectKind,
    pub agency: Agency,
    pub status: crate::domain::project::ProjectStatus,
    pub halted_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub summary: ProjectSummary,
    pub description: String,
}

/// An item awaiting a reviewer, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub item: crate::domain::review::ReviewItem,
    pub id: i64,
    pub subject: crate::domain::gate::GateSubject,
    pub subject_title: String,
    pub agency: Agency,
    pub submitted_at: DateTime<Utc>,
    /// For an assessment: its level, whether mitigation is attached, approvals so far.
    pub level: Option<crate::domain::review::RiskLevel>,
    pub has_mitigation: bool,
    pub approvals: i64,
    /// For a legality review: working days so far, and the first day an opinion may be recorded.
    pub working_days: Option<u32>,
    pub earliest: Option<chrono::NaiveDate>,
}

/// A hearing in a list or calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingSummary {
    pub id: i64,
    pub proposal_id: i64,
    pub proposal_title: String,
    pub status: crate::domain::hearing::HearingStatus,
    pub venue: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub apply_until: DateTime<Utc>,
    pub seats: crate::domain::hearing::Seats,
    pub applicants: i64,
    /// How many times the date moved (calendar apps replace the older copy).
    pub revision: i64,
    pub updated_at: DateTime<Utc>,
}

/// A participant as the hearing page lists them (after the draw).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    pub application_id: i64,
    pub name: String,
    pub constituency: crate::domain::hearing::Constituency,
    pub state: crate::domain::hearing::ApplicationState,
    /// 1-based place in the published applicant list.
    pub ordinal: Option<i64>,
    /// 1-based place in the lot order (the waiting list's order, and the speaking order
    /// unless the organizer set one).
    pub lot: Option<i64>,
    /// The place in the speaking order and the minutes, as the organizer set them.
    pub speaker_position: Option<i64>,
    pub speaker_minutes: Option<i64>,
    pub present: Option<bool>,
    pub confirmation: Option<crate::domain::hearing::Confirmation>,
    pub objection: Option<String>,
}

/// The signed-in citizen's own application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyApplication {
    pub id: i64,
    pub state: crate::domain::hearing::ApplicationState,
    pub constituency: crate::domain::hearing::Constituency,
    pub low_income: bool,
    pub statement: String,
    pub ordinal: Option<i64>,
    pub confirmation: Option<crate::domain::hearing::Confirmation>,
}

/// The officers' report: a summary of the views, and how each constituency spoke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingReport {
    pub summary: String,
    pub consumer: String,
    pub operator: String,
    pub expert: String,
    pub other: String,
    pub published_at: DateTime<Utc>,
}

/// Everything the hearing page shows; what a reader may not see is left empty by the
/// server (materials for participants, officers and organizers; the seed after the draw).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingDetail {
    pub summary: HearingSummary,
    pub agency: Agency,
    pub plan_summary: String,
    pub seed_commitment: String,
    pub call_published_at: Option<DateTime<Utc>>,
    pub lists_published_at: Option<DateTime<Utc>>,
    pub materials_sent_at: Option<DateTime<Utc>>,
    pub materials_reason: Option<String>,
    pub agenda: String,
    pub record: Option<String>,
    pub record_at: Option<DateTime<Utc>>,
    pub report: Option<HearingReport>,
    /// Why it was postponed or cancelled (the latest).
    pub status_reason: Option<String>,
    pub officers: Vec<String>,
    /// Selected participants in speaking (lot) order.
    pub participants: Vec<ParticipantView>,
    pub waiting: i64,
    pub unfilled: i64,
    /// Applicants per constituency, in `Constituency::ALL` order, and how many are low-income.
    pub by_constituency: Vec<i64>,
    pub low_income: i64,
    pub materials: Vec<FileView>,
    pub mine: Option<MyApplication>,
    /// The reader runs this hearing (an organizer) or sits on it (an officer).
    pub organizer: bool,
    pub officer: bool,
    pub drawn: bool,
}

/// One application, as the organizer's list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantRow {
    pub id: i64,
    pub name: String,
    pub constituency: crate::domain::hearing::Constituency,
    pub low_income: bool,
    pub statement: String,
    pub applied_at: DateTime<Utc>,
    pub state: crate::domain::hearing::ApplicationState,
    pub ordinal: Option<i64>,
}

/// The draw as published: re-run it with the seed and the list to check the outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawRecord {
    pub hearing_id: i64,
    pub algorithm: String,
    pub seed: String,
    pub commitment: String,
    pub seats: u32,
    pub applicants: Vec<crate::domain::draw::Applicant>,
    pub outcome: crate::domain::draw::DrawOutcome,
    pub drawn_at: DateTime<Utc>,
    /// The server re-ran it from the published data and got the same outcome.
    pub verified: bool,
}

/// An in-app notice about a hearing the reader applied to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingNotice {
    pub id: i64,
    pub hearing_id: i64,
    pub proposal_title: String,
    pub kind: crate::domain::hearing::NoticeKind,
    pub at: DateTime<Utc>,
    pub read: bool,
}

// ---- penalty review

/// A penalty case as the public reads it: masked, never the party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltySummary {
    pub id: i64,
    pub agency: Agency,
    pub case_number: String,
    pub district: String,
    pub status: crate::domain::penalty::CaseStatus,
    /// Concluded, and the agency's reply is late.
    pub overdue: bool,
    pub penalty_kind: crate::domain::penalty::PenaltyKind,
    pub penalty_amount: Option<i64>,
    pub panel_opinion: Option<crate::domain::penalty::Opinion>,
    pub reply: Option<crate::domain::penalty::ReplyKind>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// One panelist's opinion as published: no name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpinionView {
    pub opinion: crate::domain::penalty::Opinion,
    pub reasons: String,
    pub amount: Option<i64>,
}

/// A seat of the panel as the agency follows the review: the reviewer's number, never
/// the name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatView {
    pub code: String,
    pub state: crate::domain::penalty::SeatState,
    pub due_at: Option<DateTime<Utc>>,
    pub given: bool,
}

/// The reader's own seat on the panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySeat {
    pub code: String,
    pub state: crate::domain::penalty::SeatState,
    pub due_at: Option<DateTime<Utc>>,
    pub opinion: Option<OpinionView>,
    pub revisions: i64,
}

/// The agency's reply to the panel's opinion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyView {
    pub kind: crate::domain::penalty::ReplyKind,
    pub reasons: String,
    pub final_kind: crate::domain::penalty::PenaltyKind,
    pub final_amount: Option<i64>,
    pub replied_at: DateTime<Utc>,
}

/// What only the agency's officials see: the party, the names listed, the text as
/// submitted, and the automatic masking of each field with every span marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePrivate {
    pub party_name: String,
    pub listed_names: Vec<String>,
    /// (field, the original text with its masked spans) for facts, basis, discretion.
    pub masking: Vec<(String, crate::domain::mask::Masked)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyDetail {
    pub summary: PenaltySummary,
    pub facts: String,
    pub basis: String,
    pub discretion: String,
    pub statement: Option<String>,
    pub panel_size: u32,
    pub seed_commitment: String,
    pub drawn_at: Option<DateTime<Utc>>,
    pub review_due: Option<DateTime<Utc>>,
    pub concluded_at: Option<DateTime<Utc>>,
    pub panel: Option<crate::domain::penalty::PanelOpinion>,
    /// The opinions, anonymous, once the panel concluded.
    pub opinions: Vec<OpinionView>,
    pub reply: Option<ReplyView>,
    pub reply_due: Option<DateTime<Utc>>,
    pub status_reason: Option<String>,
    /// Sitting panelists and how many have given an opinion (public counts).
    pub sitting: u32,
    pub given: u32,
    /// The seats in draw order, for the agency and admins.
    pub seats: Vec<SeatView>,
    pub mine: Option<MySeat>,
    pub private: Option<CasePrivate>,
    /// The reader is an official of the case's agency.
    pub official: bool,
    /// The reader may draw the panel and close the review (the agency's official or an admin).
    pub manager: bool,
}

/// A reviewer of the pool as the admin reviews them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolMember {
    pub id: i64,
    pub code: String,
    pub user_id: i64,
    pub name: String,
    pub state: crate::domain::penalty::PoolState,
    pub motivation: String,
    pub volunteered_at: DateTime<Utc>,
    pub term_ends_at: Option<DateTime<Utc>>,
    pub in_term: bool,
    pub conflicts: Vec<crate::domain::penalty::Conflict>,
}

/// A case on which the reader has a seat (invitations, panels, reserves).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPanel {
    pub case_id: i64,
    pub case_number: String,
    pub agency: Agency,
    pub status: crate::domain::penalty::CaseStatus,
    pub state: crate::domain::penalty::SeatState,
    pub due_at: Option<DateTime<Utc>>,
    pub given: bool,
}

/// The published panel draw, re-run by the server (`verified`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelDrawRecord {
    pub case_id: i64,
    pub algorithm: String,
    pub seed: String,
    pub commitment: String,
    pub size: u32,
    /// The eligible reviewers' numbers, in the published order (entry k has ordinal k).
    pub eligible: Vec<String>,
    /// How many were left out, in `Exclusion::ALL` order.
    pub excluded: Vec<u32>,
    pub outcome: crate::domain::penalty::PanelDraw,
    pub drawn_at: DateTime<Utc>,
    pub verified: bool,
}

/// How an agency used its panels' opinions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyFollow {
    pub agency: Agency,
    pub adopted: u32,
    pub partly: u32,
    pub not_adopted: u32,
    pub overdue: u32,
}

impl AgencyFollow {
    pub fn replied(&self) -> u32 {
        self.adopted + self.partly + self.not_adopted
    }

    /// The share of replied cases in which the agency followed its panel, fully or in
    /// part, in percent.
    pub fn followed_percent(&self) -> Option<u32> {
        let n = self.replied();
        (n > 0).then(|| (((self.adopted + self.partly) as f64 * 100.0) / n as f64).round() as u32)
    }
}

/// A page's data as its hydration script carries it: without the rendered HTML it
/// holds (clauses, comment bodies, minutes), which the page already carries as markup.
/// Hydrating, the browser keeps what the server rendered into an element's
/// `inner_html` and does not set it again, so the text is sent once instead of twice
/// (the second time as an escaped string inside a script). A refetch goes through the
/// server function, which carries the whole value, and replaces the markup with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithoutHtml<T>(pub T);

/// A value whose rendered HTML can be left out (see [`WithoutHtml`]): every HTML field
/// emptied, every `Option` kept as it was (the markup's shape stays the same).
pub trait HtmlParts: Clone {
    fn without_html(&self) -> Self;
}

impl<T: HtmlParts + Serialize> Serialize for WithoutHtml<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.without_html().serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for WithoutHtml<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(WithoutHtml)
    }
}

impl<T: HtmlParts, E: Clone> HtmlParts for Result<T, E> {
    fn without_html(&self) -> Self {
        self.as_ref().map(T::without_html).map_err(E::clone)
    }
}

impl<T: HtmlParts> HtmlParts for Page<T> {
    fn without_html(&self) -> Self {
        Page { items: self.items.iter().map(T::without_html).collect(), next: self.next.clone() }
    }
}

impl HtmlParts for Clause {
    fn without_html(&self) -> Self {
        Clause { number: self.number, heading_html: self.heading_html.as_ref().map(|_| String::new()), html: String::new() }
    }
}

impl HtmlParts for ConsultationEvent {
    fn without_html(&self) -> Self {
        ConsultationEvent { kind: self.kind, held_at: self.held_at, title: self.title.clone(), minutes_html: String::new() }
    }
}

impl HtmlParts for ProposalDetail {
    fn without_html(&self) -> Self {
        ProposalDetail {
            summary: self.summary.clone(),
            version: self.version,
            clauses: self.clauses.iter().map(Clause::without_html).collect(),
            published_at: self.published_at,
            published: self.published,
            feedback_published: self.feedback_published,
            extensions: self.extensions.clone(),
            events: self.events.iter().map(ConsultationEvent::without_html).collect(),
            tallies: self.tallies.clone(),
        }
    }
}

impl HtmlParts for CommentView {
    fn without_html(&self) -> Self {
        CommentView {
            id: self.id,
            proposal_id: self.proposal_id,
            author: self.author.clone(),
            author_identity: self.author_identity.clone(),
            stance: self.stance,
            clause: self.clause,
            version: self.version,
            body_html: String::new(),
            created_at: self.created_at,
            support_count: self.support_count,
            hidden_reason: self.hidden_reason.clone(),
            supported_by_reader: self.supported_by_reader,
            report_count: self.report_count,
            group_id: self.group_id,
            group_size: self.group_size,
        }
    }
}
