//! Public hearings as iCalendar (RFC 5545) text, for the feed of all hearings and the
//! file of one hearing that calendar apps (Google Calendar, Apple Calendar, Outlook,
//! Thunderbird) subscribe to or import. Pure: no I/O and no clock (each event carries its
//! own stamp). It follows RFC 5545: CRLF line ends (§3.1); content lines folded at 75
//! octets, never inside a UTF-8 character, each continuation line starting with one space
//! (§3.1); TEXT values escaped (§3.3.11: backslash, semicolon, comma, and newline as `\n`,
//! CR dropped) with every other control character removed; times in UTC with a `Z`
//! (§3.3.5); SEQUENCE and DTSTAMP so that a client replaces an older copy of a changed
//! hearing (§3.8.7.4, §3.8.7.2).

use core::fmt::Write;

use chrono::{DateTime, Datelike, Timelike, Utc};

/// Identifies the product that wrote the calendar (RFC 5545 §3.7.3).
pub const PRODID: &str = "-//Minyi//Hearings//ZH";

/// The longest a physical line may be, in octets, not counting its CRLF.
const MAX_LINE_OCTETS: usize = 75;

/// The largest value the INTEGER type of SEQUENCE can hold (RFC 5545 §3.3.8).
const MAX_SEQUENCE: u32 = i32::MAX as u32;

/// Whether a hearing is planned, fixed or called off (RFC 5545 §3.8.1.11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventStatus {
    Tentative,
    Confirmed,
    Cancelled,
}

impl EventStatus {
    /// The STATUS value for a VEVENT.
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

/// One hearing as a calendar event.
#[derive(Clone, Debug)]
pub struct CalendarEvent {
    /// stable across edits, globally unique, e.g. "hearing-12@minyi.example.cn"
    pub uid: String,
    /// increases with every change (postponement), so clients replace the old copy
    pub sequence: u32,
    /// when this version was last changed
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub location: String,
    pub description: String,
    /// the hearing's page, absolute
    pub url: Option<String>,
    pub status: EventStatus,
}

/// A VCALENDAR with METHOD:PUBLISH, PRODID "-//Minyi//Hearings//ZH", VERSION 2.0,
/// CALSCALE GREGORIAN, X-WR-CALNAME = name, and one VEVENT per event (UID, SEQUENCE,
/// DTSTAMP, DTSTART/DTEND in UTC with Z, SUMMARY, LOCATION, DESCRIPTION, URL when given,
/// STATUS). CRLF line ends; content lines folded at 75 octets never inside a UTF-8
/// character (continuation lines begin with one space); TEXT values escaped per RFC 5545
/// §3.3.11 (backslash, semicolon, comma, newline as \n; CR dropped); other control
/// characters removed.
///
/// Where the data could not be said validly it is left out rather than sent wrong:
/// LOCATION, DESCRIPTION and URL when empty; DTEND when it is not at least a second
/// after DTSTART (RFC 5545 §3.8.2.2 requires it later; without it the event is an
/// instant at DTSTART). A SEQUENCE above the INTEGER range is capped at 2147483647.
pub fn calendar(name: &str, events: &[CalendarEvent]) -> String {
    let mut out = String::with_capacity(256 + events.len() * 512);
    raw_line(&mut out, "BEGIN", "VCALENDAR");
    raw_line(&mut out, "VERSION", "2.0");
    raw_line(&mut out, "PRODID", PRODID);
    raw_line(&mut out, "CALSCALE", "GREGORIAN");
    raw_line(&mut out, "METHOD", "PUBLISH");
    text_line(&mut out, "X-WR-CALNAME", name);
    for event in events {
        push_event(&mut out, event);
    }
    raw_line(&mut out, "END", "VCALENDAR");
    out
}

fn push_event(out: &mut String, event: &CalendarEvent) {
    raw_line(out, "BEGIN", "VEVENT");
    text_line(out, "UID", &event.uid);
    raw_line(out, "SEQUENCE", &event.sequence.min(MAX_SEQUENCE).to_string());
    raw_line(out, "DTSTAMP", &utc_date_time(event.stamp));
    raw_line(out, "DTSTART", &utc_date_time(event.start));
    // Compared at whole seconds, the precision of a DATE-TIME.
    if event.end.timestamp() > event.start.timestamp() {
        raw_line(out, "DTEND", &utc_date_time(event.end));
    }
    text_line(out, "SUMMARY", &event.summary);
    for (name, value) in [("LOCATION", &event.location), ("DESCRIPTION", &event.description)] {
        let pieces = text_pieces(value);
        if !pieces.is_empty() {
            fold(out, name, &pieces);
        }
    }
    if let Some(url) = event.url.as_deref().filter(|url| url.chars().any(|c| !c.is_control())) {
        raw_line(out, "URL", url);
    }
    raw_line(out, "STATUS", event.status.as_str());
    raw_line(out, "END", "VEVENT");
}

/// A DATE-TIME in UTC form, `19970714T173000Z` (RFC 5545 §3.3.5, FORM #2).
fn utc_date_time(at: DateTime<Utc>) -> String {
    let mut text = String::with_capacity(16);
    // Writing into a String cannot fail.
    let _ = write!(
        text,
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        // A leap second (chrono's second 59 with a nanosecond past 1e9) is still :59.
        at.second()
    );
    text
}

/// What a fold must keep together: one character, or a backslash and the character it
/// escapes (RFC 5545 §3.3.11), so that no physical line ends in half an escape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece {
    Char(char),
    Escaped(char),
}

impl Piece {
    /// Its length in octets.
    fn len(self) -> usize {
        match self {
            Piece::Char(c) => c.len_utf8(),
            Piece::Escaped(c) => 1 + c.len_utf8(),
        }
    }

    fn is_space(self) -> bool {
        self == Piece::Char(' ')
    }

    fn push_to(self, out: &mut String) {
        match self {
            Piece::Char(c) => out.push(c),
            Piece::Escaped(c) => {
                out.push('\\');
                out.push(c);
            }
        }
    }
}

/// A TEXT value as escaped pieces (RFC 5545 §3.3.11). Backslash, semicolon and comma are
/// escaped; a line break (LF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR) becomes `\n`; CR is
/// dropped (so CRLF counts once); a tab becomes a space; every other control character
/// (C0, DEL, C1) is removed.
fn text_pieces(value: &str) -> Vec<Piece> {
    value
        .chars()
        .filter_map(|c| match c {
            '\\' | ';' | ',' => Some(Piece::Escaped(c)),
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => Some(Piece::Escaped('n')),
            '\t' => Some(Piece::Char(' ')),
            c if c.is_control() => None,
            c => Some(Piece::Char(c)),
        })
        .collect()
}

/// A content line whose value needs no escaping (DATE-TIME, INTEGER, URI, fixed words);
/// control characters are removed all the same, so no value can start a line of its own.
fn raw_line(out: &mut String, name: &str, value: &str) {
    let pieces: Vec<Piece> = value.chars().filter(|c| !c.is_control()).map(Piece::Char).collect();
    fold(out, name, &pieces);
}

/// A content line whose value is TEXT.
fn text_line(out: &mut String, name: &str, value: &str) {
    fold(out, name, &text_pieces(value));
}

/// Writes `NAME:value` folded (RFC 5545 §3.1): each physical line at most 75 octets before
/// its CRLF, each continuation line starting with one space, never splitting a piece (so
/// never a UTF-8 character or an escape). Where it can, a fold also avoids the side of a
/// space, because some readers trim the ends of physical lines.
fn fold(out: &mut String, name: &str, pieces: &[Piece]) {
    out.push_str(name);
    out.push(':');
    let mut used = name.len() + 1;
    let mut i = 0;
    while i < pieces.len() {
        // The pieces i..fit fit on the current physical line.
        let mut fit = i;
        let mut len = used;
        while let Some(piece) = pieces.get(fit) {
            if len + piece.len() > MAX_LINE_OCTETS {
                break;
            }
            len += piece.len();
            fit += 1;
        }
        if fit == i && used <= 1 {
            // Cannot happen (a piece is at most 4 octets), but never loop.
            fit = i + 1;
        }
        if fit >= pieces.len() {
            pieces[i..].iter().for_each(|piece| piece.push_to(out));
            break;
        }
        let mut cut = fit;
        while cut > i && (pieces[cut - 1].is_space() || pieces[cut].is_space()) {
            cut -= 1;
        }
        if cut == i {
            cut = fit;
        }
        pieces[i..cut].iter().for_each(|piece| piece.push_to(out));
        out.push_str("\r\n ");
        used = 1;
        i = cut;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;

    use chrono::{NaiveDateTime, TimeZone};
    use icalendar::parser::{read_calendar, unfold, Component};
    use proptest::prelude::*;

    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        match Utc.with_ymd_and_hms(y, mo, d, h, mi, 0) {
            chrono::LocalResult::Single(t) => t,
            _ => panic!("bad test instant"),
        }
    }

    fn event(id: u32) -> CalendarEvent {
        CalendarEvent {
            uid: format!("hearing-{id}@minyi.example.cn"),
            sequence: 0,
            stamp: at(2026, 3, 1, 8, 0),
            start: at(2026, 3, 15, 1, 30),
            end: at(2026, 3, 15, 4, 0),
            summary: "听证会".to_owned(),
            location: "市政府三楼会议室".to_owned(),
            description: "说明".to_owned(),
            url: Some(format!("https://minyi.example.cn/hearings/{id}")),
            status: EventStatus::Confirmed,
        }
    }

    /// 200 Chinese characters, no ASCII: every fold falls between multi-byte characters.
    fn long_chinese() -> String {
        "关于修订城市公共交通管理条例的公开听证会现向社会公开征求意见欢迎市民踊跃参加".chars().cycle().take(200).collect()
    }

    /// Parses with the `icalendar` crate (which unescapes TEXT values itself).
    fn parse(text: &str) -> (Vec<(String, String)>, Vec<Component<'static>>) {
        let unfolded = unfold(text);
        let cal = match read_calendar(&unfolded) {
            Ok(cal) => cal,
            Err(e) => panic!("icalendar could not parse:\n{e}\n{text}"),
        };
        let props = cal.properties.iter().map(|p| (p.name.as_str().to_owned(), p.val.as_str().to_owned())).collect();
        let comps = cal
            .components
            .iter()
            .map(|c| Component {
                name: c.name.to_owned(),
                properties: c
                    .properties
                    .iter()
                    .map(|p| icalendar::parser::Property { name: p.name.to_owned(), val: p.val.to_owned(), params: Vec::new() })
                    .collect(),
                components: Vec::new(),
            })
            .collect();
        (props, comps)
    }

    fn prop<'a>(c: &'a Component<'_>, name: &str) -> Option<&'a str> {
        c.properties.iter().find(|p| p.name == name).map(|p| p.val.as_str())
    }

    fn utc(value: Option<&str>) -> DateTime<Utc> {
        match value.map(|v| NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%SZ")) {
            Some(Ok(naive)) => naive.and_utc(),
            other => panic!("not a UTC DATE-TIME: {value:?} {other:?}"),
        }
    }

    /// Parses with the `ical` crate, an independent unfolder and reader.
    fn parse_with_ical(text: &str) -> ::ical::parser::ical::component::IcalCalendar {
        let mut parser = ::ical::IcalParser::new(BufReader::new(text.as_bytes()));
        let cal = match parser.next() {
            Some(Ok(cal)) => cal,
            other => panic!("ical could not parse: {other:?}\n{text}"),
        };
        assert!(parser.next().is_none(), "one VCALENDAR only");
        cal
    }

    fn ical_prop<'a>(props: &'a [::ical::property::Property], name: &str) -> Option<&'a str> {
        props.iter().find(|p| p.name == name).and_then(|p| p.value.as_deref())
    }

    /// Physical lines, as bytes, checked for CRLF ends and no stray CR or LF.
    fn physical_lines(text: &str) -> Vec<&[u8]> {
        let bytes = text.as_bytes();
        assert!(bytes.ends_with(b"\r\n"), "text must end with CRLF");
        let mut lines = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' => {
                    assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at byte {i}");
                    lines.push(&bytes[start..i]);
                    i += 2;
                    start = i;
                }
                b'\n' => panic!("bare LF at byte {i}"),
                _ => i += 1,
            }
        }
        lines
    }

    fn assert_well_formed(text: &str) {
        for (n, line) in physical_lines(text).into_iter().enumerate() {
            assert!(line.len() <= 75, "line {n} has {} octets: {:?}", line.len(), String::from_utf8_lossy(line));
            assert!(std::str::from_utf8(line).is_ok(), "line {n} is not UTF-8 on its own: {line:?}");
            if line.first() == Some(&b' ') {
                assert!(line.len() > 1, "empty continuation line {n}");
            } else {
                assert!(line.contains(&b':'), "line {n} is neither a property nor a continuation");
            }
        }
    }

    #[test]
    fn round_trips_escapes_and_long_chinese_through_a_parser() {
        let mut tricky = event(12);
        tricky.sequence = 3;
        tricky.summary = "关于《条例》的听证会, 第二场; 路径 C:\\听证\\材料 \\n 非换行".to_owned();
        tricky.location = "北京市, 东城区; 正义路2号\\3楼".to_owned();
        tricky.description = format!("第一段, 含逗号; 分号 \\ 反斜杠\n第二段\r\n第三段 CRLF\n{}\n末行,;\\", long_chinese());
        tricky.status = EventStatus::Tentative;
        let mut plain = event(13);
        plain.url = None;
        plain.status = EventStatus::Cancelled;
        plain.sequence = 1;
        let text = calendar("民意 · 听证会", &[tricky.clone(), plain.clone()]);
        assert_well_formed(&text);

        let (cal_props, events) = parse(&text);
        let cal_prop = |name: &str| cal_props.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(cal_prop("VERSION"), Some("2.0"));
        assert_eq!(cal_prop("PRODID"), Some("-//Minyi//Hearings//ZH"));
        assert_eq!(cal_prop("CALSCALE"), Some("GREGORIAN"));
        assert_eq!(cal_prop("METHOD"), Some("PUBLISH"));
        assert_eq!(cal_prop("X-WR-CALNAME"), Some("民意 · 听证会"));
        assert_eq!(events.len(), 2);

        let first = &events[0];
        assert_eq!(first.name.as_str(), "VEVENT");
        assert_eq!(prop(first, "UID"), Some("hearing-12@minyi.example.cn"));
        assert_eq!(prop(first, "SEQUENCE"), Some("3"));
        assert_eq!(prop(first, "DTSTAMP"), Some("20260301T080000Z"));
        assert_eq!(prop(first, "DTSTART"), Some("20260315T013000Z"));
        assert_eq!(prop(first, "DTEND"), Some("20260315T040000Z"));
        assert_eq!(utc(prop(first, "DTSTART")), tricky.start);
        assert_eq!(utc(prop(first, "DTEND")), tricky.end);
        assert_eq!(prop(first, "SUMMARY"), Some(tricky.summary.as_str()));
        assert_eq!(prop(first, "LOCATION"), Some(tricky.location.as_str()));
        // CR is dropped, so the CRLF comes back as the one line break it meant.
        assert_eq!(prop(first, "DESCRIPTION"), Some(tricky.description.replace('\r', "").as_str()));
        assert_eq!(prop(first, "URL"), Some("https://minyi.example.cn/hearings/12"));
        assert_eq!(prop(first, "STATUS"), Some("TENTATIVE"));

        let second = &events[1];
        assert_eq!(prop(second, "UID"), Some("hearing-13@minyi.example.cn"));
        assert_eq!(prop(second, "SEQUENCE"), Some("1"));
        assert_eq!(prop(second, "URL"), None);
        assert_eq!(prop(second, "STATUS"), Some("CANCELLED"));
    }

    #[test]
    fn a_second_parser_reads_the_same_events() {
        let mut long = event(7);
        long.summary = long_chinese();
        // Words of several characters between single spaces, folded many times.
        long.description = "公开 听证 会议 Public hearing on the revised regulation 意见 征集 ".repeat(12);
        long.sequence = 9;
        let text = calendar("听证会", &[long.clone(), event(8)]);
        assert_well_formed(&text);

        let cal = parse_with_ical(&text);
        assert_eq!(ical_prop(&cal.properties, "PRODID"), Some(PRODID));
        assert_eq!(ical_prop(&cal.properties, "X-WR-CALNAME"), Some("听证会"));
        assert_eq!(cal.events.len(), 2);
        let first = &cal.events[0].properties;
        assert_eq!(ical_prop(first, "UID"), Some("hearing-7@minyi.example.cn"));
        assert_eq!(ical_prop(first, "SEQUENCE"), Some("9"));
        assert_eq!(ical_prop(first, "DTSTART"), Some("20260315T013000Z"));
        assert_eq!(ical_prop(first, "DTEND"), Some("20260315T040000Z"));
        assert_eq!(ical_prop(first, "STATUS"), Some("CONFIRMED"));
        // Neither value needs escaping, so what this reader unfolds must be the input
        // itself. It trims the ends of physical lines, so this also fails if a fold
        // lands beside a space.
        assert_eq!(ical_prop(first, "SUMMARY"), Some(long.summary.as_str()));
        assert_eq!(ical_prop(first, "DESCRIPTION"), Some(long.description.trim_end()));
        assert_eq!(ical_prop(&cal.events[1].properties, "UID"), Some("hearing-8@minyi.example.cn"));
    }

    #[test]
    fn folds_at_75_octets_at_every_alignment_of_multibyte_text() {
        for pad in 0..6 {
            for body in [long_chinese(), "🏛️听证😀".repeat(30), ",;\\\n".repeat(60), "é".repeat(150)] {
                let mut e = event(1);
                e.summary = format!("{}{}", "x".repeat(pad), body);
                e.description = format!("{}{}", "说".repeat(pad), body);
                let text = calendar(&body, &[e.clone()]);
                assert_well_formed(&text);
                let lines = physical_lines(&text);
                assert!(lines.iter().filter(|l| l.first() == Some(&b' ')).count() >= 3, "long values must be folded");
                // Folds fill lines: a continuation line is cut only where the next piece
                // would not fit (at most 4 octets for a character, 2 for an escape).
                for pair in lines.windows(2) {
                    if pair[1].first() == Some(&b' ') {
                        assert!(pair[0].len() > 75 - 4, "line folded early: {:?}", String::from_utf8_lossy(pair[0]));
                    }
                }
                let (_, events) = parse(&text);
                assert_eq!(prop(&events[0], "SUMMARY"), Some(e.summary.as_str()));
                assert_eq!(prop(&events[0], "DESCRIPTION"), Some(e.description.as_str()));
            }
        }
    }

    #[test]
    fn a_fold_never_splits_an_escape() {
        let mut e = event(1);
        e.description = ",".repeat(100) + &"\\".repeat(101) + &"\n".repeat(99);
        let text = calendar("x", &[e.clone()]);
        assert_well_formed(&text);
        for line in physical_lines(&text) {
            let body = line.strip_prefix(b" ").unwrap_or(line);
            let mut escaped = false;
            for &b in body {
                escaped = !escaped && b == b'\\';
            }
            assert!(!escaped, "line ends inside an escape: {:?}", String::from_utf8_lossy(line));
        }
        let (_, events) = parse(&text);
        assert_eq!(prop(&events[0], "DESCRIPTION"), Some(e.description.as_str()));
    }

    #[test]
    fn a_fold_avoids_the_side_of_a_space_where_it_can() {
        let mut e = event(1);
        e.description = "ab ".repeat(80);
        let text = calendar("x", &[e]);
        assert_well_formed(&text);
        let lines = physical_lines(&text);
        for pair in lines.windows(2) {
            if pair[1].first() == Some(&b' ') {
                assert!(!pair[0].ends_with(b" "), "line ends in a space: {:?}", String::from_utf8_lossy(pair[0]));
                assert!(!pair[1].starts_with(b"  "), "continuation starts with a space: {:?}", String::from_utf8_lossy(pair[1]));
            }
        }
        // Only spaces: there is no better place, and the line is still folded.
        let mut spaces = event(1);
        spaces.description = format!("a{}b", " ".repeat(200));
        let text = calendar("x", &[spaces.clone()]);
        assert_well_formed(&text);
        assert_eq!(prop(&parse(&text).1[0], "DESCRIPTION"), Some(spaces.description.as_str()));
    }

    #[test]
    fn writes_the_exact_expected_text() {
        let mut e = event(12);
        e.summary = "听证会, 第一场".to_owned();
        let text = calendar("民意听证会", &[e]);
        let expected = "BEGIN:VCALENDAR\r\n\
            VERSION:2.0\r\n\
            PRODID:-//Minyi//Hearings//ZH\r\n\
            CALSCALE:GREGORIAN\r\n\
            METHOD:PUBLISH\r\n\
            X-WR-CALNAME:民意听证会\r\n\
            BEGIN:VEVENT\r\n\
            UID:hearing-12@minyi.example.cn\r\n\
            SEQUENCE:0\r\n\
            DTSTAMP:20260301T080000Z\r\n\
            DTSTART:20260315T013000Z\r\n\
            DTEND:20260315T040000Z\r\n\
            SUMMARY:听证会\\, 第一场\r\n\
            LOCATION:市政府三楼会议室\r\n\
            DESCRIPTION:说明\r\n\
            URL:https://minyi.example.cn/hearings/12\r\n\
            STATUS:CONFIRMED\r\n\
            END:VEVENT\r\n\
            END:VCALENDAR\r\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_cancelled_event_says_so() {
        let mut e = event(5);
        e.status = EventStatus::Cancelled;
        e.sequence = 2;
        let text = calendar("听证会", &[e]);
        assert!(text.contains("\r\nSTATUS:CANCELLED\r\n"), "{text}");
        assert!(text.contains("\r\nSEQUENCE:2\r\n"), "{text}");
        assert_eq!(prop(&parse(&text).1[0], "STATUS"), Some("CANCELLED"));
        assert_eq!(EventStatus::Tentative.as_str(), "TENTATIVE");
        assert_eq!(EventStatus::Confirmed.as_str(), "CONFIRMED");
    }

    #[test]
    fn an_empty_feed_is_still_a_valid_calendar() {
        let text = calendar("听证会", &[]);
        assert_well_formed(&text);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("\r\nEND:VCALENDAR\r\n"));
        assert!(!text.contains("VEVENT"));
        let (props, events) = parse(&text);
        assert!(events.is_empty());
        assert!(props.iter().any(|(n, v)| n == "PRODID" && v == PRODID));
        let cal = parse_with_ical(&text);
        assert!(cal.events.is_empty());
        assert_eq!(ical_prop(&cal.properties, "VERSION"), Some("2.0"));
    }

    #[test]
    fn control_characters_never_reach_the_output() {
        let mut e = event(1);
        e.uid = "hearing-1\u{0}@minyi.example.cn".to_owned();
        e.summary = "警报\u{7}响\u{1b}[31m红\u{7f}字\u{9b}".to_owned();
        e.location = "会议室\u{c}\u{b}".to_owned();
        e.description = "甲\r乙\t丙\u{85}丁\u{2028}戊".to_owned();
        e.url = Some("https://minyi.example.cn/h/1\r\nBEGIN:VEVENT\u{7}".to_owned());
        let text = calendar("听证\u{8}会\r\nX-INJECTED:1", &[e]);
        assert_well_formed(&text);
        let stray: Vec<char> = text.chars().filter(|c| c.is_control() && *c != '\r' && *c != '\n').collect();
        assert!(stray.is_empty(), "control characters in output: {stray:?}");
        assert_eq!(text.matches("\r\nBEGIN:VEVENT\r\n").count(), 1, "{text}");
        assert!(!text.contains("\r\nX-INJECTED"), "{text}");

        let (props, events) = parse(&text);
        assert!(props.iter().any(|(n, v)| n == "X-WR-CALNAME" && v == "听证会\nX-INJECTED:1"));
        let ev = &events[0];
        assert_eq!(prop(ev, "UID"), Some("hearing-1@minyi.example.cn"));
        assert_eq!(prop(ev, "SUMMARY"), Some("警报响[31m红字"));
        assert_eq!(prop(ev, "LOCATION"), Some("会议室"));
        // Lone CR dropped, tab as a space, NEL and LINE SEPARATOR as line breaks.
        assert_eq!(prop(ev, "DESCRIPTION"), Some("甲乙 丙\n丁\n戊"));
        assert_eq!(prop(ev, "URL"), Some("https://minyi.example.cn/h/1BEGIN:VEVENT"));
    }

    #[test]
    fn leaves_out_what_cannot_be_said_validly() {
        let mut e = event(1);
        e.location = "\u{7}".to_owned();
        e.description = String::new();
        e.url = Some("\r\n".to_owned());
        e.end = e.start;
        e.sequence = u32::MAX;
        let text = calendar("x", &[e.clone()]);
        assert_well_formed(&text);
        for absent in ["LOCATION", "DESCRIPTION", "URL", "DTEND"] {
            assert!(!text.contains(&format!("\r\n{absent}")), "{absent} should be left out:\n{text}");
        }
        assert!(text.contains("\r\nSEQUENCE:2147483647\r\n"), "{text}");
        assert!(text.contains("\r\nDTSTART:20260315T013000Z\r\n"), "{text}");
        // An end before the start, or within the same second, is no end either.
        e.end = e.start - chrono::Duration::hours(1);
        assert!(!calendar("x", &[e.clone()]).contains("DTEND"));
        e.end = e.start + chrono::Duration::milliseconds(400);
        assert!(!calendar("x", &[e]).contains("DTEND"));
    }

    #[test]
    fn times_are_whole_seconds_in_utc() {
        let mut e = event(1);
        e.start = at(2026, 12, 31, 23, 59) + chrono::Duration::milliseconds(59_999);
        e.end = at(2027, 1, 1, 2, 5);
        e.stamp = at(2026, 1, 2, 3, 4) + chrono::Duration::seconds(5);
        let text = calendar("x", &[e]);
        assert!(text.contains("\r\nDTSTART:20261231T235959Z\r\n"), "{text}");
        assert!(text.contains("\r\nDTEND:20270101T020500Z\r\n"), "{text}");
        assert!(text.contains("\r\nDTSTAMP:20260102T030405Z\r\n"), "{text}");
    }

    /// What a TEXT value must read back as: CR dropped, a tab as a space, NEL, LINE
    /// SEPARATOR and PARAGRAPH SEPARATOR as a line break, other control characters gone.
    fn read_back(raw: &str) -> String {
        raw.chars()
            .filter_map(|c| match c {
                '\r' => None,
                '\t' => Some(' '),
                '\u{85}' | '\u{2028}' | '\u{2029}' => Some('\n'),
                c if c.is_control() && c != '\n' => None,
                c => Some(c),
            })
            .collect()
    }

    fn tricky_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => prop::char::range('\u{4e00}', '\u{9fa5}'),
            2 => prop::char::range('a', 'z'),
            2 => prop::sample::select(vec![' ', ',', ';', '\\', ':', '"', '\n', '\r', '\t', '\u{7}', '\u{85}', '\u{2028}']),
            1 => prop::sample::select(vec!['é', '😀', '\u{fe0f}', '\u{3000}', '\u{feff}']),
            1 => any::<char>(),
        ];
        prop::collection::vec(piece, 0..300).prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn any_text_is_folded_well_and_reads_back(
            summary in tricky_text(),
            location in tricky_text(),
            description in tricky_text(),
            name in tricky_text(),
        ) {
            let mut e = event(1);
            e.summary = summary.clone();
            e.location = location.clone();
            e.description = description.clone();
            let text = calendar(&name, &[e]);
            assert_well_formed(&text);
            let stray: Vec<char> = text.chars().filter(|c| c.is_control() && *c != '\r' && *c != '\n').collect();
            prop_assert!(stray.is_empty(), "control characters in output: {:?}", stray);

            let (props, events) = parse(&text);
            let calname = props.iter().find(|(n, _)| n == "X-WR-CALNAME").map(|(_, v)| v.clone());
            prop_assert_eq!(calname, Some(read_back(&name)));
            prop_assert_eq!(events.len(), 1);
            prop_assert_eq!(prop(&events[0], "SUMMARY").map(str::to_owned), Some(read_back(&summary)));
            let optional = |raw: &str| Some(read_back(raw)).filter(|v| !v.is_empty());
            prop_assert_eq!(prop(&events[0], "LOCATION").map(str::to_owned), optional(&location));
            prop_assert_eq!(prop(&events[0], "DESCRIPTION").map(str::to_owned), optional(&description));
            prop_assert_eq!(prop(&events[0], "STATUS"), Some("CONFIRMED"));
        }
    }
}
