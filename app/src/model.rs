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

impl ProposalDetail {
    /// The gate checklist with each gate's state, derived from kind, domains and evidence.
    pub fn gates(&self) -> Vec<(crate::domain::gate::Gate, bool)> {
        use crate::domain::gate::{is_met, required_gates, Evidence};
        let evidence = Evidence::from_state(self.summary.status, self.summary.phase);
        required_gates(self.summary.kind, &self.summary.domains).into_iter().map(|g| (g, is_met(g, &evidence))).collect()
    }
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
