//! Times are stored in UTC and shown in the city's time, Asia/Shanghai. China has kept
//! UTC+8 without daylight saving since 1991, so a fixed offset is exact for every date
//! the platform handles, and keeps the time-zone database out of the wasm bundle.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::Rule;

pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The city's calendar day of an instant.
pub fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&shanghai()).date_naive()
}

/// `2026-11-25 18:30`
pub fn format_local(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai()).format("%Y-%m-%d %H:%M").to_string()
}

/// `2026-11-25`
pub fn format_local_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai()).format("%Y-%m-%d").to_string()
}

/// The value of an `<input type="datetime-local">`, in Shanghai time.
pub fn to_input_value(at: DateTime<Utc>) -> String {
    at.with_timezone(&shanghai()).format("%Y-%m-%dT%H:%M").to_string()
}

/// The years a date may fall in; anything outside is a typing error.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2100;

/// Reads an `<input type="datetime-local">` value (Shanghai time) as an instant.
///
/// Strict: `YYYY-MM-DDTHH:MM`, optionally `:SS` (00-59, no leap second), with `T` or a
/// single space between date and time (what a person types where the browser has no
/// date picker); years 1900-2100; an impossible date such as 2026-02-30 is refused,
/// never rolled over. Surrounding white space is ignored.
pub fn parse_local_input(raw: &str) -> Result<DateTime<Utc>, Rule> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Rule::Required);
    }
    let (date, time) = match (raw.get(..10), raw.get(10..11), raw.get(11..)) {
        (Some(date), Some("T" | " "), Some(time)) => (date, time),
        _ => return Err(Rule::BadDateTime),
    };
    let date = strict_date(date)?;
    let time = strict_time(time)?;
    local_to_utc(date.and_time(time))
}

/// Reads an `<input type="date">` value, `YYYY-MM-DD`, as a calendar date; as strict as
/// [`parse_local_input`].
pub fn parse_local_date(raw: &str) -> Result<NaiveDate, Rule> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Rule::Required);
    }
    strict_date(raw)
}

/// The instant a Shanghai calendar day begins.
pub fn local_day_start(date: NaiveDate) -> DateTime<Utc> {
    local_to_utc(date.and_time(NaiveTime::MIN)).expect("UTC+8 has no gaps")
}

/// A start and an end, start < end.
pub type Range = (DateTime<Utc>, DateTime<Utc>);

/// A time range whose end comes after its start.
pub fn ordered_range(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Range, Rule> {
    if end <= start {
        return Err(Rule::EndNotAfterStart);
    }
    Ok((start, end))
}

/// Reads two `datetime-local` values as a range with start < end. The error names the
/// field it belongs to, `"start"` or `"end"`, for the caller to map onto its form.
pub fn parse_local_range(start: &str, end: &str) -> Result<Range, (&'static str, Rule)> {
    let start = parse_local_input(start).map_err(|rule| ("start", rule))?;
    let end = parse_local_input(end).map_err(|rule| ("end", rule))?;
    ordered_range(start, end).map_err(|rule| ("end", rule))
}

fn local_to_utc(naive: NaiveDateTime) -> Result<DateTime<Utc>, Rule> {
    shanghai().from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc)).ok_or(Rule::BadDateTime)
}

/// Exactly `n` ASCII digits.
fn digits(text: &str, n: usize) -> Option<u32> {
    (text.len() == n && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// `YYYY-MM-DD`, nothing more, nothing less.
fn strict_date(text: &str) -> Result<NaiveDate, Rule> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(Rule::BadDateTime);
    }
    let (Some(year), Some(month), Some(day)) = (digits(&text[..4], 4), digits(&text[5..7], 2), digits(&text[8..], 2)) else {
        return Err(Rule::BadDateTime);
    };
    let year = year as i32;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(Rule::DateOutOfRange { min_year: MIN_YEAR, max_year: MAX_YEAR });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(Rule::BadDateTime)
}

/// `HH:MM` or `HH:MM:SS`, hours 00-23, minutes and seconds 00-59.
fn strict_time(text: &str) -> Result<NaiveTime, Rule> {
    let bytes = text.as_bytes();
    let (hour, minute, second) = match bytes.len() {
        5 if bytes[2] == b':' => (digits(&text[..2], 2), digits(&text[3..5], 2), Some(0)),
        8 if bytes[2] == b':' && bytes[5] == b':' => (digits(&text[..2], 2), digits(&text[3..5], 2), digits(&text[6..], 2)),
        _ => return Err(Rule::BadDateTime),
    };
    match (hour, minute, second) {
        (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 60 => NaiveTime::from_hms_opt(h, m, s).ok_or(Rule::BadDateTime),
        _ => Err(Rule::BadDateTime),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_input_is_shanghai_time() {
        let at = parse_local_input("2026-12-01T08:00").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-12-01T00:00:00+00:00");
        assert_eq!(format_local(at), "2026-12-01 08:00");
        assert_eq!(to_input_value(at), "2026-12-01T08:00");
        assert_eq!(parse_local_input("tomorrow"), Err(Rule::BadDateTime));
        assert_eq!(parse_local_input(""), Err(Rule::Required));
    }

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(parse_local_input("2026-12-01T08:00:30").unwrap().to_rfc3339(), "2026-12-01T00:00:30+00:00");
        assert_eq!(parse_local_input("2026-12-01 08:00").unwrap().to_rfc3339(), "2026-12-01T00:00:00+00:00");
        assert_eq!(parse_local_input(" 2026-12-01T08:00 ").unwrap().to_rfc3339(), "2026-12-01T00:00:00+00:00");
        for bad in [
            "2026-02-30T08:00",
            "2026-13-01T08:00",
            "2026-00-10T08:00",
            "2026-12-00T08:00",
            "2026-1-5T08:00",
            "26-12-01T08:00",
            "+2026-12-01T08:00",
            "2026-12-01T8:00",
            "2026-12-01T24:00",
            "2026-12-01T08:60",
            "2026-12-01T23:59:60",
            "2026-12-01T08:00:5",
            "2026-12-01T08:00:00.5",
            "2026-12-01T08:00Z",
            "2026-12-01T08:00+08:00",
            "2026-12-01",
            "2026-12-01T",
            "2026-12-01  08:00",
            "２０２６-12-01T08:00",
            "2026/12/01 08:00",
        ] {
            assert_eq!(parse_local_input(bad), Err(Rule::BadDateTime), "{bad:?}");
        }
        assert_eq!(parse_local_input("2028-02-29T12:00").unwrap().to_rfc3339(), "2028-02-29T04:00:00+00:00");
        assert_eq!(parse_local_input("2027-02-29T12:00"), Err(Rule::BadDateTime));
        assert_eq!(parse_local_date("2026-02-28"), Ok(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()));
        assert_eq!(parse_local_date("2026-02-30"), Err(Rule::BadDateTime));
        assert_eq!(parse_local_date("2026-2-3"), Err(Rule::BadDateTime));
        assert_eq!(parse_local_date(""), Err(Rule::Required));
        assert_eq!(local_day_start(parse_local_date("2026-12-01").unwrap()).to_rfc3339(), "2026-11-30T16:00:00+00:00");
    }

    #[test]
    fn dates_must_fall_between_1900_and_2100() {
        let out = Err(Rule::DateOutOfRange { min_year: 1900, max_year: 2100 });
        assert_eq!(parse_local_input("1899-12-31T23:59"), out);
        assert_eq!(parse_local_input("2101-01-01T00:00"), out);
        assert_eq!(parse_local_input("0000-01-01T00:00"), out);
        assert_eq!(parse_local_input("9999-12-31T00:00"), out);
        assert_eq!(parse_local_date("2101-01-01"), Err(Rule::DateOutOfRange { min_year: 1900, max_year: 2100 }));
        assert!(parse_local_input("1900-01-01T00:00").is_ok());
        assert!(parse_local_input("2100-12-31T23:59:59").is_ok());
    }

    #[test]
    fn a_range_ends_after_it_starts() {
        let (start, end) = parse_local_range("2026-12-01T08:00", "2026-12-01T09:00").unwrap();
        assert!(start < end);
        assert_eq!(parse_local_range("2026-12-01T08:00", "2026-12-01T08:00"), Err(("end", Rule::EndNotAfterStart)));
        assert_eq!(parse_local_range("2026-12-01T09:00", "2026-12-01T08:00"), Err(("end", Rule::EndNotAfterStart)));
        assert_eq!(parse_local_range("x", "2026-12-01T08:00"), Err(("start", Rule::BadDateTime)));
        assert_eq!(parse_local_range("2026-12-01T08:00", ""), Err(("end", Rule::Required)));
    }
}
