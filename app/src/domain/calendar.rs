//! Working days, for the legality review's minimum review time (State Council rules on
//! major administrative decisions, 2019, art. 25–26: the reviewing office is given at
//! least 7 working days).
//!
//! A working day is Monday to Friday, unless the admin's calendar marks it a public
//! holiday; a Saturday or Sunday is a working day when the calendar marks it an adjusted
//! working day (the weekend days Chinese calendars move to make long holidays).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::Rule;

/// The review office must have had at least this many working days.
pub const LEGALITY_REVIEW_MIN_WORKING_DAYS: u32 = 7;

/// How far ahead a count may look: no calendar has this many holidays in a row, so a
/// count that reaches it has a broken calendar and stops rather than loops.
const MAX_SPAN_DAYS: i64 = 366;

named_enum!(
    /// How the admin's calendar marks a day.
    DayKind {
        /// A public holiday: not a working day, whatever the weekday.
        Holiday = "holiday",
        /// An adjusted working day: a working day, even on a Saturday or Sunday.
        Workday = "workday",
    }
);

/// One day the admin's calendar marks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

/// The marked days that matter for a count (the store loads a range).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    marked: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Self {
        Self { marked: days.into_iter().collect() }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.marked.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// Working days after `from` up to and including `to` (zero when `to` is not after).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to && (day - from).num_days() < MAX_SPAN_DAYS {
            day += Duration::days(1);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }

    /// The `n`th working day after `from`: the first day on which `n` working days have
    /// passed since `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 && (day - from).num_days() < MAX_SPAN_DAYS {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

/// Whether the review office has had its minimum time: an opinion may be recorded on
/// the 7th working day after the request at the earliest.
pub fn review_time_elapsed(calendar: &Calendar, requested_on: NaiveDate, today: NaiveDate) -> Result<(), Rule> {
    let elapsed = calendar.working_days_between(requested_on, today);
    if elapsed >= LEGALITY_REVIEW_MIN_WORKING_DAYS {
        return Ok(());
    }
    Err(Rule::ReviewTimeNotElapsed {
        min_working_days: LEGALITY_REVIEW_MIN_WORKING_DAYS,
        elapsed,
        earliest: calendar.add_working_days(requested_on, LEGALITY_REVIEW_MIN_WORKING_DAYS),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn art_25_seven_working_days_skip_the_weekend() {
        let calendar = Calendar::default();
        // Monday 2026-11-30: the 7th working day after it is Wednesday 2026-12-09
        assert_eq!(calendar.add_working_days(d(2026, 11, 30), 7), d(2026, 12, 9));
        assert_eq!(calendar.working_days_between(d(2026, 11, 30), d(2026, 12, 8)), 6);
        assert_eq!(calendar.working_days_between(d(2026, 11, 30), d(2026, 12, 9)), 7);
        // a request on a Friday: the weekend does not count
        assert_eq!(calendar.working_days_between(d(2026, 12, 4), d(2026, 12, 7)), 1);
    }

    #[test]
    fn art_25_a_public_holiday_does_not_count() {
        // National Day week 2026: 1–7 October marked as holidays
        let calendar = Calendar::new((1..=7).map(|day| (d(2026, 10, day), DayKind::Holiday)));
        // requested Wednesday 30 September: 1 Oct–7 Oct are holidays (and a weekend)
        assert_eq!(calendar.add_working_days(d(2026, 9, 30), 7), d(2026, 10, 16));
        assert_eq!(calendar.working_days_between(d(2026, 9, 30), d(2026, 10, 8)), 1);
    }

    #[test]
    fn art_25_an_adjusted_working_saturday_counts() {
        // Saturday 10 October 2026 is an adjusted working day
        let plain = Calendar::default();
        let adjusted = Calendar::new([(d(2026, 10, 10), DayKind::Workday)]);
        assert!(!plain.is_working_day(d(2026, 10, 10)));
        assert!(adjusted.is_working_day(d(2026, 10, 10)));
        // requested Thursday 8 October: Fri 9, Sat 10 (adjusted), Mon 12 … → 7th is Mon 19 … with the
        // Saturday it is one day earlier
        assert_eq!(plain.add_working_days(d(2026, 10, 8), 7), d(2026, 10, 19));
        assert_eq!(adjusted.add_working_days(d(2026, 10, 8), 7), d(2026, 10, 16));
    }

    #[test]
    fn art_25_opinion_refused_after_three_working_days_and_names_the_earliest_day() {
        let calendar = Calendar::default();
        let refused = review_time_elapsed(&calendar, d(2026, 11, 30), d(2026, 12, 3));
        assert_eq!(refused, Err(Rule::ReviewTimeNotElapsed { min_working_days: 7, elapsed: 3, earliest: d(2026, 12, 9) }));
        assert_eq!(review_time_elapsed(&calendar, d(2026, 11, 30), d(2026, 12, 9)), Ok(()));
        assert_eq!(review_time_elapsed(&calendar, d(2026, 11, 30), d(2027, 1, 9)), Ok(()));
    }

    #[test]
    fn a_calendar_of_nothing_but_holidays_ends_the_count() {
        let calendar = Calendar::new((0..400).map(|i| (d(2026, 1, 1) + Duration::days(i), DayKind::Holiday)));
        assert_eq!(calendar.working_days_between(d(2026, 1, 1), d(2030, 1, 1)), 0);
        assert!(calendar.add_working_days(d(2026, 1, 1), 7) <= d(2027, 1, 2));
    }

    #[test]
    fn day_kinds_round_trip() {
        for kind in DayKind::ALL {
            assert_eq!(DayKind::parse(kind.as_str()), Ok(*kind));
        }
        assert_eq!(DayKind::parse("festival"), Err(Rule::UnknownChoice));
    }
}
