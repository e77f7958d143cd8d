//! Public hearings: when one is required, the deadlines counted back from its start, the
//! hearing officers, the venue, applications, and the steps from the first notice to the
//! published report. The participant draw itself is in [`super::draw`].
//!
//! Sources: the city's implementing opinions, clause 7 (which decisions must hold a
//! hearing); the NDRC price-hearing rules as applied in Anhui and the State Council's
//! 2019 rules on major administrative decisions, art. 16–17 (notice periods, officers,
//! the record participants confirm).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{time::local_day, Rule};

named_enum!(
    /// Where a hearing is, from the first notice to the report.
    HearingStatus {
        /// Scheduled by the organizer; the call for participants is not public yet.
        Scheduled = "scheduled",
        /// The call is public; citizens apply until it closes.
        CallOpen = "call_open",
        /// The participants are drawn; the lists are not public yet.
        Drawn = "drawn",
        /// Time, place, plan summary and the lists of participants and officers are public.
        ListsPublished = "lists_published",
        /// The session took place and its record is written; participants confirm it.
        Held = "held",
        /// The officers' report is published: the hearing gate is met.
        Reported = "reported",
        /// Called off, with a public reason. It does not count for any gate.
        Cancelled = "cancelled",
    }
);

impl HearingStatus {
    /// Visible to everyone: every state once the call is out.
    pub fn is_public(self) -> bool {
        self != HearingStatus::Scheduled
    }

    /// Still ahead of the session: it can be postponed or cancelled.
    pub fn is_upcoming(self) -> bool {
        matches!(self, HearingStatus::Scheduled | HearingStatus::CallOpen | HearingStatus::Drawn | HearingStatus::ListsPublished)
    }
}

named_enum!(
    /// Whom an applicant speaks for (price-hearing rules: consumers, operators, experts
    /// and others).
    Constituency {
        Consumer = "consumer",
        Operator = "operator",
        Expert = "expert",
        Other = "other",
    }
);

named_enum!(
    /// Where an application stands.
    ApplicationState {
        /// Received; the draw has not run.
        Applied = "applied",
        /// Drawn: a participant.
        Selected = "selected",
        /// Not drawn: on the waiting list, in draw order.
        Waiting = "waiting",
        /// Drawn, then declined; the seat went to the waiting list.
        Declined = "declined",
    }
);

named_enum!(
    /// A participant's answer to the record (art. 17): it is accurate, or an objection.
    Confirmation {
        Confirmed = "confirmed",
        Objected = "objected",
    }
);

named_enum!(
    /// What an in-app notice tells a citizen about a hearing they applied to.
    NoticeKind {
        /// Drawn as a participant.
        Selected = "selected",
        /// Not drawn: on the waiting list.
        Waiting = "waiting",
        /// Moved up from the waiting list into a declined seat.
        MovedUp = "moved_up",
        /// The materials are ready to download.
        Materials = "materials",
        /// The hearing moved to a later date.
        Postponed = "postponed",
        /// The hearing was called off.
        Cancelled = "cancelled",
        /// The record is written: confirm it or object.
        Record = "record",
        /// The report is published.
        Report = "report",
    }
);

/// A notice period counted back from the hearing's start, in calendar days of the city.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    /// The call for participants (seats, how they are chosen, how and until when to
    /// apply): at least 30 days before.
    Call,
    /// Time, place, plan summary and the lists of participants and officers: at least
    /// 15 days before.
    Lists,
    /// The materials reach the participants at least 15 days before...
    Materials,
    /// ...or, with a public reason, never fewer than 7.
    MaterialsShortened,
}

impl Deadline {
    pub fn days(self) -> i64 {
        match self {
            Deadline::Call => 30,
            Deadline::Lists | Deadline::Materials => 15,
            Deadline::MaterialsShortened => 7,
        }
    }

    /// The last day the step may be taken for a hearing on `hearing_day`.
    pub fn latest_day(self, hearing_day: NaiveDate) -> NaiveDate {
        hearing_day - Duration::days(self.days())
    }

    /// The first hearing day a step taken on `step_day` allows.
    pub fn earliest_hearing(self, step_day: NaiveDate) -> NaiveDate {
        step_day + Duration::days(self.days())
    }

    /// The step taken (or to be taken) at `step_at` keeps this deadline for a hearing
    /// starting at `starts_at`; the refusal names the earliest hearing day that would.
    pub fn check(self, step_at: DateTime<Utc>, starts_at: DateTime<Utc>) -> Result<(), Rule> {
        let step_day = local_day(step_at);
        if step_day <= self.latest_day(local_day(starts_at)) {
            Ok(())
        } else {
            Err(Rule::HearingDeadline { deadline: self, days: self.days(), earliest: self.earliest_hearing(step_day) })
        }
    }
}

/// The longest a session may last.
pub const MAX_SESSION_HOURS: i64 = 12;

/// When a hearing is, and until when citizens may apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub apply_until: DateTime<Utc>,
}

/// The notice steps already taken, with when.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Steps {
    pub call_published: Option<DateTime<Utc>>,
    pub lists_published: Option<DateTime<Utc>>,
    /// When the materials went out, and whether with a public reason for fewer than 15 days.
    pub materials_sent: Option<(DateTime<Utc>, bool)>,
    /// The draw has run: the application period is over and no longer checked.
    pub drawn: bool,
}

/// A new schedule, or a postponement, at `now`: every step taken keeps its deadline, and
/// every step still to come can meet its own (the steps to come are taken `now` at the
/// soonest). The error names the form field and the rule, with the earliest day that works.
pub fn check_schedule(now: DateTime<Utc>, schedule: &Schedule, steps: &Steps) -> Result<(), (&'static str, Rule)> {
    if schedule.ends_at <= schedule.starts_at {
        return Err(("ends_at", Rule::EndNotAfterStart));
    }
    if schedule.ends_at - schedule.starts_at > Duration::hours(MAX_SESSION_HOURS) {
        return Err(("ends_at", Rule::SessionTooLong { max_hours: MAX_SESSION_HOURS }));
    }
    let call_at = steps.call_published.unwrap_or(now);
    Deadline::Call.check(call_at, schedule.starts_at).map_err(|rule| ("starts_at", rule))?;
    Deadline::Lists.check(steps.lists_published.unwrap_or(now), schedule.starts_at).map_err(|rule| ("starts_at", rule))?;
    let (materials_at, shortened) = steps.materials_sent.unwrap_or((now, false));
    let materials = if shortened { Deadline::MaterialsShortened } else { Deadline::Materials };
    materials.check(materials_at, schedule.starts_at).map_err(|rule| ("starts_at", rule))?;
    if !steps.drawn {
        check_apply_until(now.max(call_at), schedule)?;
    }
    Ok(())
}

/// Applications close after the call is out (and after now), and early enough that the
/// draw and the lists can follow by the lists' deadline.
pub fn check_apply_until(now: DateTime<Utc>, schedule: &Schedule) -> Result<(), (&'static str, Rule)> {
    if schedule.apply_until <= now {
        return Err(("apply_until", Rule::ApplicationsCloseInThePast));
    }
    let latest = Deadline::Lists.latest_day(local_day(schedule.starts_at));
    if local_day(schedule.apply_until) > latest {
        return Err(("apply_until", Rule::ApplicationsCloseTooLate { latest }));
    }
    Ok(())
}

/// A postponement moves the hearing later (and re-checks every deadline).
pub fn check_postponement(now: DateTime<Utc>, old_start: DateTime<Utc>, new: &Schedule, steps: &Steps) -> Result<(), (&'static str, Rule)> {
    if new.starts_at <= old_start {
        return Err(("starts_at", Rule::PostponeMustBeLater { current: old_start }));
    }
    check_schedule(now, new, steps)
}

/// Art. 16: 3 to 5 hearing officers.
pub const MIN_OFFICERS: usize = 3;
pub const MAX_OFFICERS: usize = 5;

/// A person proposed as hearing officer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficerCandidate {
    pub user_id: i64,
    pub name: String,
    pub agency_id: Option<i64>,
}

/// Art. 16: 3 to 5 officers, each once, none of the proposing agency's staff (who drafted
/// the proposal) — the officers weigh the agency's plan, so they cannot be its authors.
pub fn check_officers(officers: &[OfficerCandidate], proposing_agency: i64, drafted_by: i64) -> Result<(), Rule> {
    if !(MIN_OFFICERS..=MAX_OFFICERS).contains(&officers.len()) {
        return Err(Rule::OfficerCount { min: MIN_OFFICERS, max: MAX_OFFICERS, given: officers.len() });
    }
    for (i, officer) in officers.iter().enumerate() {
        if officers[..i].iter().any(|o| o.user_id == officer.user_id) {
            return Err(Rule::OfficerTwice { name: officer.name.clone() });
        }
        if officer.user_id == drafted_by || officer.agency_id == Some(proposing_agency) {
            return Err(Rule::OfficerFromProposingAgency { name: officer.name.clone() });
        }
    }
    Ok(())
}

/// The form of a venue's name that two spellings of one place share: case, width and
/// runs of white space do not make a second venue.
pub fn venue_key(venue: &str) -> String {
    venue
        .split_whitespace()
        .map(|word| {
            word.chars()
                .map(|c| match c {
                    // full-width ASCII (what a Chinese keyboard types) as half-width
                    '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                    c => c,
                })
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two sessions overlap when each starts before the other ends.
pub fn overlaps(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// Seats for participants, observers and press.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seats {
    pub participants: u32,
    pub observers: u32,
    pub press: u32,
}

pub const MAX_PARTICIPANTS: u32 = 100;
pub const MAX_OTHER_SEATS: u32 = 500;

impl Seats {
    pub fn check(self) -> Result<Self, (&'static str, Rule)> {
        if !(1..=MAX_PARTICIPANTS).contains(&self.participants) {
            return Err(("participants", Rule::OutOfRange { min: 1, max: MAX_PARTICIPANTS as i64 }));
        }
        if self.observers > MAX_OTHER_SEATS {
            return Err(("observers", Rule::OutOfRange { min: 0, max: MAX_OTHER_SEATS as i64 }));
        }
        if self.press > MAX_OTHER_SEATS {
            return Err(("press", Rule::OutOfRange { min: 0, max: MAX_OTHER_SEATS as i64 }));
        }
        Ok(self)
    }
}

fn in_state(status: HearingStatus, allowed: &[HearingStatus]) -> Result<(), Rule> {
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(Rule::HearingNotInState { status })
    }
}

/// The call goes out once, while the call deadline can still be kept.
pub fn publish_call(status: HearingStatus, now: DateTime<Utc>, schedule: &Schedule) -> Result<HearingStatus, (&'static str, Rule)> {
    in_state(status, &[HearingStatus::Scheduled]).map_err(|rule| ("form", rule))?;
    check_schedule(now, schedule, &Steps::default())?;
    Ok(HearingStatus::CallOpen)
}

/// The call may be extended (before the draw) to a later close that still leaves time
/// for the lists.
pub fn extend_call(
    status: HearingStatus,
    now: DateTime<Utc>,
    schedule: &Schedule,
    new_until: DateTime<Utc>,
) -> Result<(), (&'static str, Rule)> {
    in_state(status, &[HearingStatus::CallOpen]).map_err(|rule| ("form", rule))?;
    if new_until <= schedule.apply_until {
        return Err(("apply_until", Rule::ExtensionMustBeLater { current: schedule.apply_until }));
    }
    check_apply_until(now, &Schedule { apply_until: new_until, ..*schedule })
}

/// A citizen applies while the call is open and before it closes.
pub fn may_apply(status: HearingStatus, now: DateTime<Utc>, apply_until: DateTime<Utc>) -> Result<(), Rule> {
    if status != HearingStatus::CallOpen || now >= apply_until {
        return Err(Rule::ApplicationsClosed { closed_at: apply_until });
    }
    Ok(())
}

/// The draw runs once, after applications close.
pub fn may_draw(status: HearingStatus, now: DateTime<Utc>, apply_until: DateTime<Utc>) -> Result<HearingStatus, Rule> {
    match status {
        HearingStatus::CallOpen if now < apply_until => Err(Rule::DrawBeforeApplicationsClose { closes_at: apply_until }),
        HearingStatus::CallOpen => Ok(HearingStatus::Drawn),
        HearingStatus::Drawn | HearingStatus::ListsPublished | HearingStatus::Held | HearingStatus::Reported => Err(Rule::DrawAlreadyRun),
        status => Err(Rule::HearingNotInState { status }),
    }
}

/// The lists (with time, place and plan summary) go out after the draw, by the lists'
/// deadline.
pub fn publish_lists(status: HearingStatus, now: DateTime<Utc>, starts_at: DateTime<Utc>) -> Result<HearingStatus, Rule> {
    in_state(status, &[HearingStatus::Drawn])?;
    Deadline::Lists.check(now, starts_at)?;
    Ok(HearingStatus::ListsPublished)
}

/// The materials go out once, after the draw, with at least one file, 15 days before (or
/// 7, with a public reason).
pub fn send_materials(
    status: HearingStatus,
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
    already_sent: bool,
    files: usize,
    with_reason: bool,
) -> Result<(), Rule> {
    in_state(status, &[HearingStatus::Drawn, HearingStatus::ListsPublished])?;
    if already_sent {
        return Err(Rule::MaterialsAlreadySent);
    }
    if files == 0 {
        return Err(Rule::MaterialsMissing);
    }
    match Deadline::Materials.check(now, starts_at) {
        Ok(()) => Ok(()),
        Err(rule) if !with_reason => Err(rule),
        Err(_) => Deadline::MaterialsShortened.check(now, starts_at),
    }
}

/// Attendance is marked on the day of the hearing or after, once the lists are out.
pub fn may_mark_attendance(status: HearingStatus, now: DateTime<Utc>, starts_at: DateTime<Utc>) -> Result<(), Rule> {
    in_state(status, &[HearingStatus::ListsPublished])?;
    if local_day(now) < local_day(starts_at) {
        return Err(Rule::NotTheHearingDay { day: local_day(starts_at) });
    }
    Ok(())
}

/// The record is written after the session began, with lists and materials out.
pub fn write_record(
    status: HearingStatus,
    now: DateTime<Utc>,
    starts_at: DateTime<Utc>,
    materials_sent: bool,
) -> Result<HearingStatus, Rule> {
    in_state(status, &[HearingStatus::ListsPublished])?;
    if now < starts_at {
        return Err(Rule::HearingNotHeldYet { starts_at });
    }
    if !materials_sent {
        return Err(Rule::MaterialsMissing);
    }
    Ok(HearingStatus::Held)
}

/// Art. 17: a participant (on the list) confirms the record or objects, once, before
/// the report.
pub fn may_confirm(status: HearingStatus, state: Option<ApplicationState>, answered: bool) -> Result<(), Rule> {
    if state != Some(ApplicationState::Selected) {
        return Err(Rule::NotAParticipant);
    }
    in_state(status, &[HearingStatus::Held])?;
    if answered {
        return Err(Rule::RecordAlreadyAnswered);
    }
    Ok(())
}

/// The report follows the record of a session that took place.
pub fn publish_report(status: HearingStatus, now: DateTime<Utc>, starts_at: DateTime<Utc>) -> Result<HearingStatus, Rule> {
    if status.is_upcoming() && now < starts_at {
        return Err(Rule::HearingNotHeldYet { starts_at });
    }
    in_state(status, &[HearingStatus::Held])?;
    Ok(HearingStatus::Reported)
}

/// Called off before the session, with a public reason.
pub fn cancel(status: HearingStatus) -> Result<HearingStatus, Rule> {
    if !status.is_upcoming() {
        return Err(Rule::HearingNotInState { status });
    }
    Ok(HearingStatus::Cancelled)
}

/// A participant declines before the session; the seat goes to the waiting list.
pub fn may_decline(status: HearingStatus, state: Option<ApplicationState>) -> Result<(), Rule> {
    if state != Some(ApplicationState::Selected) {
        return Err(Rule::NotAParticipant);
    }
    in_state(status, &[HearingStatus::Drawn, HearingStatus::ListsPublished])
}

/// The longest a participant may be given to speak.
pub const MAX_SPEAKER_MINUTES: u32 = 30;

/// A place in the speaking order (1 to the number of seats) and the minutes given, set
/// before the session.
pub fn check_speaker(status: HearingStatus, position: u32, minutes: u32, seats: u32) -> Result<(), (&'static str, Rule)> {
    in_state(status, &[HearingStatus::Drawn, HearingStatus::ListsPublished]).map_err(|rule| ("form", rule))?;
    if !(1..=seats).contains(&position) {
        return Err(("position", Rule::OutOfRange { min: 1, max: i64::from(seats) }));
    }
    if !(1..=MAX_SPEAKER_MINUTES).contains(&minutes) {
        return Err(("minutes", Rule::OutOfRange { min: 1, max: i64::from(MAX_SPEAKER_MINUTES) }));
    }
    Ok(())
}

/// The hearing gate: a hearing that took place and has its report published. A cancelled
/// or unreported hearing does not count.
pub fn meets_gate(statuses: &[HearingStatus]) -> bool {
    statuses.contains(&HearingStatus::Reported)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        super::super::time::parse_local_input(text).unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        super::super::time::parse_local_date(text).unwrap()
    }

    fn schedule(starts: &str, until: &str) -> Schedule {
        let starts_at = at(starts);
        Schedule { starts_at, ends_at: starts_at + Duration::hours(3), apply_until: at(until) }
    }

    #[test]
    fn price_hearing_rules_the_call_goes_out_at_least_30_days_before_to_the_day() {
        let now = at("2027-01-01 10:00");
        // 30 days: the last day that works, whatever the hour
        assert_eq!(Deadline::Call.check(now, at("2027-01-31 09:00")), Ok(()));
        assert_eq!(Deadline::Call.check(at("2027-01-01 23:59"), at("2027-01-31 00:00")), Ok(()));
        // 29 days: refused, naming the deadline and the earliest day that works
        assert_eq!(
            Deadline::Call.check(now, at("2027-01-30 09:00")),
            Err(Rule::HearingDeadline { deadline: Deadline::Call, days: 30, earliest: day("2027-01-31") })
        );
        // days are the city's: 2027-01-01 00:30 in Beijing is still 2026-12-31 in UTC
        assert_eq!(Deadline::Call.check(at("2027-01-01 00:30"), at("2027-01-31 09:00")), Ok(()));
    }

    #[test]
    fn price_hearing_rules_lists_and_materials_at_least_15_days_before() {
        let starts = at("2027-02-16 09:00");
        assert_eq!(publish_lists(HearingStatus::Drawn, at("2027-02-01 18:00"), starts), Ok(HearingStatus::ListsPublished));
        assert_eq!(
            publish_lists(HearingStatus::Drawn, at("2027-02-02 08:00"), starts),
            Err(Rule::HearingDeadline { deadline: Deadline::Lists, days: 15, earliest: day("2027-02-17") })
        );
        assert_eq!(send_materials(HearingStatus::ListsPublished, at("2027-02-01 12:00"), starts, false, 1, false), Ok(()));
        assert_eq!(
            send_materials(HearingStatus::ListsPublished, at("2027-02-02 12:00"), starts, false, 1, false),
            Err(Rule::HearingDeadline { deadline: Deadline::Materials, days: 15, earliest: day("2027-02-17") })
        );
    }

    #[test]
    fn price_hearing_rules_materials_never_fewer_than_7_days_and_only_with_a_reason() {
        let starts = at("2027-02-16 09:00");
        // 14 days with a public reason: accepted
        assert_eq!(send_materials(HearingStatus::ListsPublished, at("2027-02-02 12:00"), starts, false, 1, true), Ok(()));
        // 7 days with a reason: the last day that works
        assert_eq!(send_materials(HearingStatus::ListsPublished, at("2027-02-09 12:00"), starts, false, 1, true), Ok(()));
        // 6 days: refused even with a reason
        assert_eq!(
            send_materials(HearingStatus::ListsPublished, at("2027-02-10 12:00"), starts, false, 1, true),
            Err(Rule::HearingDeadline { deadline: Deadline::MaterialsShortened, days: 7, earliest: day("2027-02-17") })
        );
        assert_eq!(
            send_materials(HearingStatus::ListsPublished, at("2027-02-01 12:00"), starts, false, 0, false),
            Err(Rule::MaterialsMissing)
        );
        assert_eq!(
            send_materials(HearingStatus::ListsPublished, at("2027-02-01 12:00"), starts, true, 1, false),
            Err(Rule::MaterialsAlreadySent)
        );
    }

    #[test]
    fn a_schedule_is_refused_with_the_earliest_date_that_works() {
        let now = at("2027-01-01 10:00");
        assert_eq!(check_schedule(now, &schedule("2027-01-31 09:00", "2027-01-10 17:00"), &Steps::default()), Ok(()));
        assert_eq!(
            check_schedule(now, &schedule("2027-01-20 09:00", "2027-01-05 17:00"), &Steps::default()),
            Err(("starts_at", Rule::HearingDeadline { deadline: Deadline::Call, days: 30, earliest: day("2027-01-31") }))
        );
        // applications must close by the lists' deadline, and after now
        assert_eq!(
            check_schedule(now, &schedule("2027-01-31 09:00", "2027-01-17 09:00"), &Steps::default()),
            Err(("apply_until", Rule::ApplicationsCloseTooLate { latest: day("2027-01-16") }))
        );
        assert_eq!(check_schedule(now, &schedule("2027-01-31 09:00", "2027-01-16 23:00"), &Steps::default()), Ok(()));
        assert_eq!(
            check_schedule(now, &schedule("2027-01-31 09:00", "2027-01-01 09:00"), &Steps::default()),
            Err(("apply_until", Rule::ApplicationsCloseInThePast))
        );
        let mut long = schedule("2027-01-31 09:00", "2027-01-10 17:00");
        long.ends_at = long.starts_at + Duration::hours(13);
        assert_eq!(check_schedule(now, &long, &Steps::default()), Err(("ends_at", Rule::SessionTooLong { max_hours: 12 })));
    }

    #[test]
    fn a_postponement_is_later_and_rechecks_the_deadlines_of_the_steps_to_come() {
        let old = at("2027-02-16 09:00");
        let steps = Steps { call_published: Some(at("2027-01-10 09:00")), drawn: true, ..Steps::default() };
        // lists not yet out: a postponement decided on 2027-02-10 must leave 15 days
        let now = at("2027-02-10 09:00");
        let new = schedule("2027-02-20 09:00", "2027-01-20 09:00");
        assert_eq!(
            check_postponement(now, old, &new, &steps),
            Err(("starts_at", Rule::HearingDeadline { deadline: Deadline::Lists, days: 15, earliest: day("2027-02-25") }))
        );
        assert_eq!(check_postponement(now, old, &schedule("2027-02-25 09:00", "2027-01-20 09:00"), &steps), Ok(()));
        assert_eq!(
            check_postponement(now, old, &schedule("2027-02-15 09:00", "2027-01-20 09:00"), &steps),
            Err(("starts_at", Rule::PostponeMustBeLater { current: old }))
        );
    }

    #[test]
    fn art_16_three_to_five_officers_none_from_the_proposing_agency() {
        let officer = |id: i64, agency: Option<i64>| OfficerCandidate { user_id: id, name: format!("officer {id}"), agency_id: agency };
        let three = [officer(1, None), officer(2, Some(9)), officer(3, None)];
        assert_eq!(check_officers(&three, 5, 100), Ok(()));
        assert_eq!(check_officers(&three[..2], 5, 100), Err(Rule::OfficerCount { min: 3, max: 5, given: 2 }));
        let six: Vec<_> = (1..=6).map(|i| officer(i, None)).collect();
        assert_eq!(check_officers(&six, 5, 100), Err(Rule::OfficerCount { min: 3, max: 5, given: 6 }));
        assert_eq!(check_officers(&six[..5], 5, 100), Ok(()));
        let staff = [officer(1, None), officer(2, Some(5)), officer(3, None)];
        assert_eq!(check_officers(&staff, 5, 100), Err(Rule::OfficerFromProposingAgency { name: "officer 2".into() }));
        let drafter = [officer(1, None), officer(100, None), officer(3, None)];
        assert_eq!(check_officers(&drafter, 5, 100), Err(Rule::OfficerFromProposingAgency { name: "officer 100".into() }));
        let twice = [officer(1, None), officer(2, None), officer(1, None)];
        assert_eq!(check_officers(&twice, 5, 100), Err(Rule::OfficerTwice { name: "officer 1".into() }));
    }

    #[test]
    fn one_venue_cannot_host_two_overlapping_hearings() {
        let a = (at("2027-02-16 09:00"), at("2027-02-16 12:00"));
        assert!(overlaps(a, (at("2027-02-16 11:59"), at("2027-02-16 15:00"))));
        assert!(overlaps(a, (at("2027-02-16 08:00"), at("2027-02-16 18:00"))));
        // back to back is not a clash
        assert!(!overlaps(a, (at("2027-02-16 12:00"), at("2027-02-16 15:00"))));
        assert!(!overlaps(a, (at("2027-02-16 06:00"), at("2027-02-16 09:00"))));
        assert_eq!(venue_key("  市政务中心  ３楼 Hall A "), venue_key("市政务中心 3楼 hall a"));
        assert_ne!(venue_key("Hall A"), venue_key("Hall B"));
    }

    #[test]
    fn applications_close_at_the_deadline_and_the_draw_runs_once_after() {
        let until = at("2027-01-16 17:00");
        assert_eq!(may_apply(HearingStatus::CallOpen, at("2027-01-16 16:59"), until), Ok(()));
        assert_eq!(may_apply(HearingStatus::CallOpen, until, until), Err(Rule::ApplicationsClosed { closed_at: until }));
        assert_eq!(may_apply(HearingStatus::Scheduled, at("2027-01-10 09:00"), until), Err(Rule::ApplicationsClosed { closed_at: until }));
        assert_eq!(
            may_draw(HearingStatus::CallOpen, at("2027-01-16 16:59"), until),
            Err(Rule::DrawBeforeApplicationsClose { closes_at: until })
        );
        assert_eq!(may_draw(HearingStatus::CallOpen, until, until), Ok(HearingStatus::Drawn));
        assert_eq!(may_draw(HearingStatus::Drawn, until, until), Err(Rule::DrawAlreadyRun));
        assert_eq!(may_draw(HearingStatus::Cancelled, until, until), Err(Rule::HearingNotInState { status: HearingStatus::Cancelled }));
    }

    #[test]
    fn extending_the_call_goes_later_and_still_leaves_time_for_the_lists() {
        let s = schedule("2027-02-16 09:00", "2027-01-20 17:00");
        let now = at("2027-01-21 09:00");
        assert_eq!(extend_call(HearingStatus::CallOpen, now, &s, at("2027-01-28 17:00")), Ok(()));
        assert_eq!(
            extend_call(HearingStatus::CallOpen, now, &s, at("2027-01-19 17:00")),
            Err(("apply_until", Rule::ExtensionMustBeLater { current: s.apply_until }))
        );
        assert_eq!(
            extend_call(HearingStatus::CallOpen, now, &s, at("2027-02-02 09:00")),
            Err(("apply_until", Rule::ApplicationsCloseTooLate { latest: day("2027-02-01") }))
        );
        assert_eq!(
            extend_call(HearingStatus::Drawn, now, &s, at("2027-01-28 17:00")),
            Err(("form", Rule::HearingNotInState { status: HearingStatus::Drawn }))
        );
    }

    #[test]
    fn art_17_the_record_after_the_session_and_only_participants_confirm_it() {
        let starts = at("2027-02-16 09:00");
        assert_eq!(
            write_record(HearingStatus::ListsPublished, at("2027-02-16 08:59"), starts, true),
            Err(Rule::HearingNotHeldYet { starts_at: starts })
        );
        assert_eq!(write_record(HearingStatus::ListsPublished, at("2027-02-16 12:00"), starts, false), Err(Rule::MaterialsMissing));
        assert_eq!(write_record(HearingStatus::ListsPublished, at("2027-02-16 12:00"), starts, true), Ok(HearingStatus::Held));
        assert_eq!(may_confirm(HearingStatus::Held, Some(ApplicationState::Selected), false), Ok(()));
        assert_eq!(may_confirm(HearingStatus::Held, Some(ApplicationState::Waiting), false), Err(Rule::NotAParticipant));
        assert_eq!(may_confirm(HearingStatus::Held, None, false), Err(Rule::NotAParticipant));
        assert_eq!(may_confirm(HearingStatus::Held, Some(ApplicationState::Selected), true), Err(Rule::RecordAlreadyAnswered));
        assert_eq!(
            may_mark_attendance(HearingStatus::ListsPublished, at("2027-02-15 23:00"), starts),
            Err(Rule::NotTheHearingDay { day: day("2027-02-16") })
        );
        assert_eq!(may_mark_attendance(HearingStatus::ListsPublished, at("2027-02-16 07:00"), starts), Ok(()));
    }

    #[test]
    fn the_hearing_gate_needs_a_published_report_and_a_cancelled_hearing_never_counts() {
        let starts = at("2027-02-16 09:00");
        assert_eq!(
            publish_report(HearingStatus::ListsPublished, at("2027-02-10 09:00"), starts),
            Err(Rule::HearingNotHeldYet { starts_at: starts })
        );
        assert_eq!(
            publish_report(HearingStatus::ListsPublished, at("2027-02-17 09:00"), starts),
            Err(Rule::HearingNotInState { status: HearingStatus::ListsPublished })
        );
        assert_eq!(publish_report(HearingStatus::Held, at("2027-02-17 09:00"), starts), Ok(HearingStatus::Reported));
        assert!(meets_gate(&[HearingStatus::Cancelled, HearingStatus::Reported]));
        assert!(!meets_gate(&[HearingStatus::Cancelled, HearingStatus::Held]));
        assert!(!meets_gate(&[]));
        assert_eq!(cancel(HearingStatus::Held), Err(Rule::HearingNotInState { status: HearingStatus::Held }));
        assert_eq!(cancel(HearingStatus::CallOpen), Ok(HearingStatus::Cancelled));
    }

    #[test]
    fn the_speaking_order_stays_within_the_seats_and_a_speaker_has_1_to_30_minutes() {
        assert_eq!(check_speaker(HearingStatus::Drawn, 1, 5, 15), Ok(()));
        assert_eq!(check_speaker(HearingStatus::ListsPublished, 15, 30, 15), Ok(()));
        assert_eq!(check_speaker(HearingStatus::Drawn, 16, 5, 15), Err(("position", Rule::OutOfRange { min: 1, max: 15 })));
        assert_eq!(check_speaker(HearingStatus::Drawn, 0, 5, 15), Err(("position", Rule::OutOfRange { min: 1, max: 15 })));
        assert_eq!(check_speaker(HearingStatus::Drawn, 1, 31, 15), Err(("minutes", Rule::OutOfRange { min: 1, max: 30 })));
        assert_eq!(check_speaker(HearingStatus::Drawn, 1, 0, 15), Err(("minutes", Rule::OutOfRange { min: 1, max: 30 })));
        assert_eq!(check_speaker(HearingStatus::Held, 1, 5, 15), Err(("form", Rule::HearingNotInState { status: HearingStatus::Held })));
    }

    #[test]
    fn seats_are_bounded_and_choices_round_trip() {
        assert!(Seats { participants: 0, observers: 0, press: 0 }.check().is_err());
        assert!(Seats { participants: 15, observers: 20, press: 5 }.check().is_ok());
        assert_eq!(
            Seats { participants: 101, observers: 0, press: 0 }.check(),
            Err(("participants", Rule::OutOfRange { min: 1, max: 100 }))
        );
        for status in HearingStatus::ALL {
            assert_eq!(HearingStatus::parse(status.as_str()), Ok(*status));
        }
        for c in Constituency::ALL {
            assert_eq!(Constituency::parse(c.as_str()), Ok(*c));
        }
        assert_eq!(Constituency::parse("lobbyist"), Err(Rule::UnknownChoice));
    }
}
