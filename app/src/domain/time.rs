//! Times are stored in UTC and shown in the city's time, Asia/Shanghai. China has kept
//! UTC+8 without daylight saving since 1991, so a fixed offset is exact for every date
//! the platform handles, and keeps the time-zone database out of the wasm bundle.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

use super::Rule;

pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
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

/// Reads an `<input type="datetime-local">` value (Shanghai time) as an instant.
pub fn parse_local_input(raw: &str) -> Result<DateTime<Utc>, Rule> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Rule::Required);
    }
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M"))
        .map_err(|_| Rule::BadDateTime)?;
    shanghai().from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc)).ok_or(Rule::BadDateTime)
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
}
