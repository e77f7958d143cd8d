//! A proposal's lifecycle: draft → published → feedback published → adopted, and
//! withdrawn (with a public reason) from any state before adoption. Each action asks
//! here, with the state and the window's phase read in its own transaction, whether it
//! may happen and what state follows; nothing else changes a proposal's status.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{
    gate::Gate,
    proposal::{CommentWindow, WindowPhase},
    Rule,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    /// Saved privately by its agency; only its officials see it.
    Draft,
    /// Public; its comment window derives open / upcoming / closed from the clock.
    Published,
    /// The agency has published how comments were used.
    FeedbackPublished,
    /// Adopted with every gate met. Final.
    Adopted,
    /// Withdrawn with a public reason. Final.
    Withdrawn,
}

impl ProposalStatus {
    pub const ALL: &'static [ProposalStatus] = &[
        ProposalStatus::Draft,
        ProposalStatus::Published,
        ProposalStatus::FeedbackPublished,
        ProposalStatus::Adopted,
        ProposalStatus::Withdrawn,
    ];

    /// Stored as this text; the schema's check lists the same values.
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalStatus::Draft => "draft",
            ProposalStatus::Published => "published",
            ProposalStatus::FeedbackPublished => "feedback_published",
            ProposalStatus::Adopted => "adopted",
            ProposalStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.as_str() == raw)
    }

    /// Everyone may read it (a draft is private to its agency).
    pub fn is_public(self) -> bool {
        self != ProposalStatus::Draft
    }

    /// The feedback report is published (it comes before adoption, which is final).
    pub fn has_feedback_report(self) -> bool {
        matches!(self, ProposalStatus::FeedbackPublished | ProposalStatus::Adopted)
    }
}

/// A window set now may open a little in the past (the minutes a form took to fill in),
/// never earlier: a window that opened before publication was never open to the public.
pub const PUBLISH_GRACE_MINUTES: i64 = 10;

/// The window must not open before it is published (within the grace).
pub fn window_opens_after_publication(window: &CommentWindow, now: DateTime<Utc>) -> Result<(), (&'static str, Rule)> {
    if window.opens_at < now - Duration::minutes(PUBLISH_GRACE_MINUTES) {
        return Err(("opens_at", Rule::WindowOpensInThePast { grace_minutes: PUBLISH_GRACE_MINUTES }));
    }
    Ok(())
}

fn refuse(status: ProposalStatus) -> Rule {
    Rule::NotInState { status }
}

/// Publishing a previewed draft: its window must still lie ahead (art. 15 requires the
/// public to have the whole period).
pub fn publish_draft(status: ProposalStatus, window: &CommentWindow, now: DateTime<Utc>) -> Result<ProposalStatus, (&'static str, Rule)> {
    if status != ProposalStatus::Draft {
        return Err(("form", refuse(status)));
    }
    window_opens_after_publication(window, now)?;
    Ok(ProposalStatus::Published)
}

/// A new version of the text is allowed while the proposal is published. While the
/// window has not closed the version keeps it; after it closed, the new text needs a
/// new comment window (the caller has parsed it with the 30-day rule), which must not
/// open before now. After the feedback report, adoption or withdrawal: never.
pub fn publish_version(
    status: ProposalStatus,
    phase: WindowPhase,
    new_window: Option<&CommentWindow>,
    now: DateTime<Utc>,
) -> Result<(), (&'static str, Rule)> {
    if status != ProposalStatus::Published {
        return Err(("form", refuse(status)));
    }
    match (phase, new_window) {
        (WindowPhase::Closed, None) => Err(("closes_at", Rule::NewWindowRequired)),
        (WindowPhase::Closed, Some(window)) => window_opens_after_publication(window, now),
        // an open or upcoming window is extended, not replaced
        (_, Some(_)) => Err(("closes_at", Rule::WindowStillOpen)),
        (_, None) => Ok(()),
    }
}

/// Extending the window: published and not yet closed (the window itself checks the
/// new closing time and the reason).
pub fn extend_window(status: ProposalStatus) -> Result<(), (&'static str, Rule)> {
    if status != ProposalStatus::Published {
        return Err(("form", refuse(status)));
    }
    Ok(())
}

/// Recording another consultation method (forum, expert argumentation, ...): any time
/// before the decision is final.
pub fn record_event(status: ProposalStatus) -> Result<(), (&'static str, Rule)> {
    match status {
        ProposalStatus::Published | ProposalStatus::FeedbackPublished => Ok(()),
        other => Err(("form", refuse(other))),
    }
}

/// Comments: published and the window open.
pub fn comment(status: ProposalStatus, phase: WindowPhase) -> Result<(), Rule> {
    if status != ProposalStatus::Published {
        return Err(refuse(status));
    }
    if phase != WindowPhase::Open {
        return Err(Rule::WindowNotOpen);
    }
    Ok(())
}

/// The feedback report: once, after the window closed.
pub fn publish_feedback(status: ProposalStatus, phase: WindowPhase) -> Result<ProposalStatus, Rule> {
    match status {
        ProposalStatus::Published if phase == WindowPhase::Closed => Ok(ProposalStatus::FeedbackPublished),
        ProposalStatus::Published => Err(Rule::FeedbackBeforeWindowCloses),
        ProposalStatus::FeedbackPublished | ProposalStatus::Adopted => Err(Rule::FeedbackAlreadyPublished),
        other => Err(refuse(other)),
    }
}

/// Adoption: every gate met (the caller derived `unmet` in the same transaction), and
/// no role can bypass one.
pub fn adopt(status: ProposalStatus, unmet: Vec<Gate>) -> Result<ProposalStatus, Rule> {
    match status {
        ProposalStatus::Published | ProposalStatus::FeedbackPublished if !unmet.is_empty() => Err(Rule::GatesUnmet { gates: unmet }),
        ProposalStatus::FeedbackPublished => Ok(ProposalStatus::Adopted),
        // published with no unmet gate cannot happen (the feedback gate is always required)
        other => Err(refuse(other)),
    }
}

/// Withdrawal, with a public reason, from any state before adoption.
pub fn withdraw(status: ProposalStatus) -> Result<ProposalStatus, Rule> {
    match status {
        ProposalStatus::Adopted | ProposalStatus::Withdrawn => Err(refuse(status)),
        _ => Ok(ProposalStatus::Withdrawn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use ProposalStatus::*;

    fn at(day: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap() + Duration::days(day)
    }

    fn window(opens: i64, closes: i64) -> CommentWindow {
        CommentWindow { opens_at: at(opens), closes_at: at(closes), short_reason: None }
    }

    #[test]
    fn statuses_round_trip_as_stored_text() {
        for s in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::parse(s.as_str()), Some(*s));
        }
        assert_eq!(ProposalStatus::parse("approved"), None);
    }

    #[test]
    fn art_15_a_window_that_closed_before_publication_cannot_be_published() {
        // the gate bypass: a window entirely in the past would satisfy the public-comment
        // gate without ever having been open
        assert_eq!(
            publish_draft(Draft, &window(-40, -5), at(0)),
            Err(("opens_at", Rule::WindowOpensInThePast { grace_minutes: PUBLISH_GRACE_MINUTES }))
        );
        assert_eq!(publish_draft(Draft, &window(1, 31), at(0)), Ok(Published));
        // a few minutes of form-filling are allowed, an hour is not
        let now = at(0);
        let w = |minutes| CommentWindow { opens_at: now - Duration::minutes(minutes), closes_at: at(31), short_reason: None };
        assert!(publish_draft(Draft, &w(PUBLISH_GRACE_MINUTES), now).is_ok());
        assert!(publish_draft(Draft, &w(60), now).is_err());
        assert_eq!(publish_draft(Published, &window(1, 31), at(0)), Err(("form", Rule::NotInState { status: Published })));
    }

    #[test]
    fn a_new_version_while_open_keeps_the_window_and_after_it_closed_needs_a_new_one() {
        assert_eq!(publish_version(Published, WindowPhase::Open, None, at(0)), Ok(()));
        assert_eq!(publish_version(Published, WindowPhase::Open, Some(&window(1, 31)), at(0)), Err(("closes_at", Rule::WindowStillOpen)));
        assert_eq!(publish_version(Published, WindowPhase::Closed, None, at(0)), Err(("closes_at", Rule::NewWindowRequired)));
        assert_eq!(publish_version(Published, WindowPhase::Closed, Some(&window(0, 30)), at(0)), Ok(()));
        assert!(publish_version(Published, WindowPhase::Closed, Some(&window(-5, 30)), at(0)).is_err());
    }

    #[test]
    fn no_new_version_after_the_feedback_report_adoption_or_withdrawal() {
        for status in [FeedbackPublished, Adopted, Withdrawn, Draft] {
            assert_eq!(
                publish_version(status, WindowPhase::Closed, Some(&window(0, 30)), at(0)),
                Err(("form", Rule::NotInState { status }))
            );
        }
    }

    #[test]
    fn feedback_comes_once_after_the_window_closed() {
        assert_eq!(publish_feedback(Published, WindowPhase::Open), Err(Rule::FeedbackBeforeWindowCloses));
        assert_eq!(publish_feedback(Published, WindowPhase::Upcoming), Err(Rule::FeedbackBeforeWindowCloses));
        assert_eq!(publish_feedback(Published, WindowPhase::Closed), Ok(FeedbackPublished));
        assert_eq!(publish_feedback(FeedbackPublished, WindowPhase::Closed), Err(Rule::FeedbackAlreadyPublished));
        assert_eq!(publish_feedback(Withdrawn, WindowPhase::Closed), Err(Rule::NotInState { status: Withdrawn }));
    }

    #[test]
    fn adoption_lists_every_unmet_gate_and_is_final() {
        assert_eq!(
            adopt(Published, vec![Gate::FeedbackReport, Gate::Hearing]),
            Err(Rule::GatesUnmet { gates: vec![Gate::FeedbackReport, Gate::Hearing] })
        );
        assert_eq!(adopt(FeedbackPublished, vec![]), Ok(Adopted));
        assert_eq!(adopt(Adopted, vec![]), Err(Rule::NotInState { status: Adopted }));
        assert_eq!(adopt(Draft, vec![]), Err(Rule::NotInState { status: Draft }));
    }

    #[test]
    fn withdrawal_from_any_state_before_adoption() {
        for status in [Draft, Published, FeedbackPublished] {
            assert_eq!(withdraw(status), Ok(Withdrawn));
        }
        assert!(withdraw(Adopted).is_err());
        assert!(withdraw(Withdrawn).is_err());
    }

    #[test]
    fn comments_only_on_a_published_proposal_with_an_open_window() {
        assert_eq!(comment(Published, WindowPhase::Open), Ok(()));
        assert_eq!(comment(Published, WindowPhase::Upcoming), Err(Rule::WindowNotOpen));
        assert_eq!(comment(Published, WindowPhase::Closed), Err(Rule::WindowNotOpen));
        assert_eq!(comment(Withdrawn, WindowPhase::Open), Err(Rule::NotInState { status: Withdrawn }));
    }
}
