//! One normalisation and validation step for every text field that is stored.
//!
//! Decoding the request strictly is the caller's job; a value arrives here as a Rust
//! string (so it holds no lone surrogates) and goes through [`single_line`] (titles,
//! names, reasons) or [`multi_line`] (comments, Markdown bodies, minutes, feedback
//! explanations). In this order:
//!
//! 1. Line breaks: in a multi-line field `\r\n`, a lone `\r`, NEL (U+0085), LINE
//!    SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) all become `\n`; a single-line
//!    field refuses every one of them ([`Rule::LineBreakNotAllowed`]).
//! 2. Refused characters, each with its 1-based character position (counted after step
//!    1, so a `\r\n` the browser sent for one key press counts once): NUL and the other
//!    C0 and C1 control characters and DEL ([`Rule::ControlCharacter`]; `\t` and `\n`
//!    are kept in multi-line fields only), U+FFFD, which means invalid UTF-8 was
//!    replaced somewhere on the way ([`Rule::ReplacementCharacter`]), and bidirectional
//!    controls ([`Rule::BidiControl`], see [`is_bidi_control`] for why multi-line fields
//!    refuse them too).
//! 3. NFC normalisation, so that one text has one spelling (precomposed `é`, not
//!    `e` + U+0301), which keeps exact-match grouping and search honest.
//! 4. Surrounding white space (including the ideographic space U+3000 and NBSP) and
//!    zero-width characters are trimmed; a value made only of white space, zero-width
//!    (U+200B..U+200D, U+2060, U+FEFF) or combining characters is [`Rule::Required`].
//! 5. Length limits count characters (a Chinese character is one) of the normalised,
//!    trimmed value.
//!
//! The result is a fixed point: parsing an accepted value again returns it unchanged.

use unicode_normalization::{char::is_combining_mark, is_nfc, UnicodeNormalization};

use super::Rule;

/// Whether a field may hold more than one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lines {
    Single,
    Multi,
}

/// A one-line value (title, name, reason): `min..=max` characters after normalising.
pub fn single_line(raw: &str, min: usize, max: usize) -> Result<String, Rule> {
    normalize(raw, Lines::Single, min, max)
}

/// A value that may hold several lines (comment, Markdown body, minutes): `\n` and
/// `\t` are kept, every line break is stored as `\n`; `min..=max` characters.
pub fn multi_line(raw: &str, min: usize, max: usize) -> Result<String, Rule> {
    normalize(raw, Lines::Multi, min, max)
}

/// The one-line check every title, name and reason goes through; kept under this name
/// for the callers that bound a single-line value themselves.
pub fn bounded(raw: &str, min: usize, max: usize) -> Result<String, Rule> {
    single_line(raw, min, max)
}

/// A line break of any kind: CR, LF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{0085}' | '\u{2028}' | '\u{2029}')
}

/// C0 controls (NUL included), DEL and C1 controls.
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// Bidirectional formatting characters: embeddings and overrides (U+202A..U+202E),
/// isolates (U+2066..U+2069) and the marks LRM, RLM and ALM (U+200E, U+200F, U+061C).
///
/// Refused in every field, multi-line ones included. Their one legitimate use is
/// fine-tuning the order of right-to-left script mixed with other text, which the
/// Unicode bidi algorithm already does without them for ordinary sentences; this is a
/// Chinese-language platform where such text is rare. Against that, an override or an
/// unclosed embedding makes the text displayed differ from the text stored (the
/// "Trojan Source" trick): a comment or a clause could read one way to the public and
/// another way in the record, the audit trail and campaign grouping, and an unclosed
/// one can spill into the page text around it. A public record should read the same
/// everywhere, so a refusal that names the position is the better trade.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Zero-width characters: ZWSP, ZWNJ, ZWJ, WORD JOINER, and the byte-order mark.
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// White space (U+3000 and NBSP included) or zero-width: trimmed at both ends.
fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || is_zero_width(c)
}

/// Only white space, zero-width or combining characters (or nothing).
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| is_trimmed(c) || is_combining_mark(c))
}

/// What a value may not contain once accepted (line breaks are allowed in multi-line
/// fields only, and then only as `\n`; tabs likewise).
fn is_refused(c: char, lines: Lines) -> bool {
    let kept_in_multi_line = matches!(c, '\n' | '\t');
    (is_control(c) && !(lines == Lines::Multi && kept_in_multi_line))
        || (is_line_break(c) && !(lines == Lines::Multi && c == '\n'))
        || c == char::REPLACEMENT_CHARACTER
        || is_bidi_control(c)
}

fn normalize(raw: &str, lines: Lines, min: usize, max: usize) -> Result<String, Rule> {
    // a blank field is reported as blank, even when its white space is a line break
    if is_blank(raw) {
        return Err(Rule::Required);
    }
    // 1. line breaks
    let unified: String = match lines {
        Lines::Single => raw.to_owned(),
        Lines::Multi => {
            let mut out = String::with_capacity(raw.len());
            let mut chars = raw.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    continue; // the '\n' follows
                }
                out.push(if is_line_break(c) { '\n' } else { c });
            }
            out
        }
    };
    // 2. refused characters, the first one named by its position
    for (index, c) in unified.chars().enumerate() {
        let position = index + 1;
        if is_line_break(c) && lines == Lines::Single {
            return Err(Rule::LineBreakNotAllowed);
        }
        if c == char::REPLACEMENT_CHARACTER {
            return Err(Rule::ReplacementCharacter { position });
        }
        if is_bidi_control(c) {
            return Err(Rule::BidiControl { position });
        }
        if is_refused(c, lines) {
            return Err(Rule::ControlCharacter { position });
        }
    }
    // 3. NFC, 4. trim
    let mut text: String = unified.nfc().collect::<String>().trim_matches(is_trimmed).to_owned();
    if !is_nfc(&text) {
        // trimming can leave a combining mark at the start; normalise what remains
        text = text.nfc().collect::<String>().trim_matches(is_trimmed).to_owned();
    }
    if is_blank(&text) {
        return Err(Rule::Required);
    }
    // 5. length
    let len = text.chars().count();
    if len < min {
        return Err(Rule::TooShort { min });
    }
    if len > max {
        return Err(Rule::TooLong { max });
    }
    Ok(text)
}

/// A multi-line Markdown text: normalised, then refused when nested too deep for a
/// parser to handle cheaply.
pub fn markdown_text(raw: &str, min: usize, max: usize) -> Result<String, Rule> {
    let text = multi_line(raw, min, max)?;
    super::markdown::check_nesting(&text)?;
    Ok(text)
}

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr) => {
        bounded_text!($(#[$doc])* $name, $min, $max, single_line);
    };
    ($(#[$doc:meta])* multi_line $name:ident, $min:expr, $max:expr) => {
        bounded_text!($(#[$doc])* $name, $min, $max, multi_line);
    };
    ($(#[$doc:meta])* markdown $name:ident, $min:expr, $max:expr) => {
        bounded_text!($(#[$doc])* $name, $min, $max, markdown_text);
    };
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, $check:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MIN: usize = $min;
            pub const MAX: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, Rule> {
                $check(raw, Self::MIN, Self::MAX).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

bounded_text!(
    /// A proposal's title. Single line.
    Title, 4, 200
);
bounded_text!(
    /// The Markdown body of a proposal version. Multi-line, nested at most
    /// `markdown::MAX_NESTING` levels.
    markdown ProposalBody, 20, 200_000
);
bounded_text!(
    /// A recorded reason (for a short window, an extension, a hidden comment). Single
    /// line: it is shown inside a sentence ("Hidden by a moderator: …", a notice, the
    /// extension line), where a line break would break the sentence.
    Reason, 4, 1_000
);
bounded_text!(
    /// A longer explanation that may run over several lines: the reason for a feedback
    /// decision and the feedback report's summary. Multi-line.
    multi_line Explanation, 4, 2_000
);
bounded_text!(
    /// The minutes of a forum, expert session or other consultation event (Markdown).
    /// Multi-line, nested at most `markdown::MAX_NESTING` levels.
    markdown Minutes, 4, 50_000
);

bounded_text!(
    /// What an agency writes as evidence: risk points, prevention measures, a response
    /// plan, mitigation, the materials of a legality review. Multi-line, plain text.
    multi_line EvidenceText, 4, 10_000
);
bounded_text!(
    /// What a project is, in a few paragraphs. Multi-line, plain text.
    multi_line ProjectSummaryText, 10, 5_000
);
bounded_text!(
    /// Where a hearing takes place: one line.
    Venue, 2, 200
);
bounded_text!(
    /// An applicant's short statement: whom they speak for and what they will say.
    multi_line Statement, 4, 500
);
bounded_text!(
    /// What an organizer writes for a hearing: the plan summary, the agenda, a part of
    /// the report. Multi-line, plain text.
    multi_line HearingText, 4, 10_000
);

bounded_text!(
    /// A penalty case's number as the agency issued it (合市监罚〔2026〕15号): one line.
    CaseNumber, 2, 100
);
bounded_text!(
    /// A district, county or other place name (a case's district, a declared conflict):
    /// one line.
    PlaceName, 2, 50
);
bounded_text!(
    /// A person's or an organisation's name (a case's party, a name to mask, a declared
    /// conflict): one line.
    PartyName, 2, 100
);
bounded_text!(
    /// A penalty case's facts, legal basis or discretion standard. Multi-line, plain text.
    multi_line CaseText, 4, 20_000
);

/// At most this many entries in a list typed one per line (names to mask, conflicts).
pub const MAX_LIST_ENTRIES: usize = 30;

/// A list typed one per line (or separated by commas or enumeration commas): each entry
/// parsed by `parse`, blanks skipped, duplicates dropped, at most [`MAX_LIST_ENTRIES`].
pub fn line_list<T: AsRef<str>>(raw: &str, parse: impl Fn(&str) -> Result<T, Rule>) -> Result<Vec<T>, Rule> {
    let mut out: Vec<T> = Vec::new();
    for entry in raw.split(['\n', '\r', ',', '，', '、', ';', '；']).filter(|e| !is_blank(e)) {
        let item = parse(entry)?;
        if !out.iter().any(|o| o.as_ref() == item.as_ref()) {
            out.push(item);
        }
        if out.len() > MAX_LIST_ENTRIES {
            return Err(Rule::TooManyEntries { max: MAX_LIST_ENTRIES });
        }
    }
    Ok(out)
}

/// The name shown publicly beside what a person writes: one line, 2 to 40 characters,
/// no zero-width characters inside (ZWSP, ZWNJ, WORD JOINER, BOM; ZWJ is kept for
/// emoji), and not one that passes for staff, a role or the platform (see
/// [`impersonates`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MIN: usize = 2;
    pub const MAX: usize = 40;

    /// Checks the reserved staff and role names; agency names need the agency list,
    /// which the caller checks with [`impersonates`] where it has it.
    pub fn parse(raw: &str) -> Result<Self, Rule> {
        Self::parse_with_agencies(raw, &[])
    }

    /// As [`DisplayName::parse`], also refusing a name equal to or containing one of
    /// `agency_names`.
    pub fn parse_with_agencies(raw: &str, agency_names: &[&str]) -> Result<Self, Rule> {
        let name = Self::parse_staff(raw)?;
        if impersonates(name.as_str(), agency_names) {
            return Err(Rule::NameImpersonatesStaff);
        }
        Ok(name)
    }

    /// Every check but the reserved names, for accounts the operator creates for staff
    /// (`minyi create-admin` names its account 管理员 by default). Never for a name a
    /// person chooses through the public forms.
    pub fn parse_staff(raw: &str) -> Result<Self, Rule> {
        let name = single_line(raw, Self::MIN, Self::MAX)?;
        // an invisible character inside a name makes a second, identical-looking name;
        // ZWJ stays, emoji sequences need it
        if let Some(index) = name.chars().position(|c| is_zero_width(c) && c != '\u{200D}') {
            return Err(Rule::ControlCharacter { position: index + 1 });
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Words a public name may not contain, in folded form (see [`fold_name`]): the staff
/// roles of the platform in Chinese (simplified and traditional) and English, words
/// that claim to speak for the platform or the government, and the platform's name.
const RESERVED_NAME_WORDS: &[&str] = &[
    // roles and staff
    "管理员",
    "管理員",
    "版主",
    "审核",
    "審核",
    "审查员",
    "审查人员",
    "審查員",
    "審查人員",
    "官方",
    "客服",
    "工作人员",
    "工作人員",
    "站长",
    "站長",
    "系统",
    "系統",
    "admin",
    "moderator",
    "official",
    "system",
    "sysop",
    "staff",
    "webmaster",
    // the platform
    "民意",
    "minyi",
];

/// Whether `name` passes for staff, a role, the platform, or one of `agency_names`.
///
/// Compared case-insensitively after folding both sides (see [`fold_name`]): full-width
/// letters become half-width, Cyrillic and Greek look-alikes become Latin, and spaces,
/// punctuation and symbols are dropped, so `Ａｄｍｉｎ`, `a.d.m.i.n` and `管 理 员`
/// are all caught. A name is refused when it contains a reserved word (so `admin2026`
/// and `系统管理员` are too) or an agency name, or equals one.
pub fn impersonates(name: &str, agency_names: &[&str]) -> bool {
    let folded = fold_name(name);
    if folded.is_empty() {
        return false;
    }
    RESERVED_NAME_WORDS.iter().any(|word| folded.contains(word))
        || agency_names.iter().map(|agency| fold_name(agency)).any(|agency| !agency.is_empty() && folded.contains(&agency))
}

/// A name reduced to what a reader tells apart: NFKC (full-width to half-width,
/// compatibility forms to their plain letters), lower case, common Cyrillic and Greek
/// look-alikes mapped to Latin, and only letters and digits kept.
fn fold_name(name: &str) -> String {
    name.nfkc().flat_map(char::to_lowercase).map(fold_look_alike).filter(|c| c.is_alphanumeric()).collect()
}

/// Cyrillic and Greek letters that look like Latin ones in most fonts.
fn fold_look_alike(c: char) -> char {
    match c {
        'а' | 'α' => 'a',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ε' => 'e',
        'һ' => 'h',
        'і' | 'ι' | 'ı' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'м' => 'm',
        'п' | 'η' => 'n',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' => 'u',
        'ν' => 'v',
        'х' | 'χ' => 'x',
        'у' | 'γ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn counts_characters_not_bytes() {
        // 40 Chinese characters are 120 bytes but fit a 40-character name.
        let name = "民".repeat(40);
        assert!(DisplayName::parse(&name).is_ok());
        assert_eq!(DisplayName::parse(&"民".repeat(41)), Err(Rule::TooLong { max: 40 }));
    }

    #[test]
    fn trims_and_rejects_blank() {
        assert_eq!(Title::parse("   \n "), Err(Rule::Required));
        assert_eq!(Title::parse("  城市供水价格调整方案  ").unwrap().as_str(), "城市供水价格调整方案");
        assert_eq!(Title::parse("abc"), Err(Rule::TooShort { min: 4 }));
    }

    #[test]
    fn blank_means_white_space_zero_width_or_combining_only() {
        for blank in
            ["", "\u{3000}\u{3000}", "\u{00A0}", "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}", " \u{0301}\u{0302} ", "\u{3000}\u{20DD}"]
        {
            assert_eq!(single_line(blank, 1, 10), Err(Rule::Required), "{blank:?}");
            assert_eq!(multi_line(blank, 1, 10), Err(Rule::Required), "{blank:?}");
        }
        assert_eq!(multi_line("\n\t\r\n \u{3000}", 1, 10), Err(Rule::Required));
    }

    #[test]
    fn trims_ideographic_space_nbsp_and_zero_width_at_the_ends() {
        assert_eq!(single_line("\u{3000}\u{00A0}\u{FEFF}标题\u{200B}\u{3000}", 1, 10), Ok("标题".into()));
        assert_eq!(single_line("水 价", 1, 10), Ok("水 价".into()));
    }

    #[test]
    fn text_fields_refuse_control_characters() {
        assert_eq!(single_line("ab\u{0}c", 1, 10), Err(Rule::ControlCharacter { position: 3 }));
        assert_eq!(single_line("a\u{7}", 1, 10), Err(Rule::ControlCharacter { position: 2 }));
        assert_eq!(single_line("a\u{7F}", 1, 10), Err(Rule::ControlCharacter { position: 2 }));
        assert_eq!(single_line("意见\u{9B}", 1, 10), Err(Rule::ControlCharacter { position: 3 }));
        assert_eq!(single_line("a\tb", 1, 10), Err(Rule::ControlCharacter { position: 2 }));
        assert_eq!(multi_line("a\tb\nc", 1, 10), Ok("a\tb\nc".into()));
        assert_eq!(multi_line("a\u{0}", 1, 10), Err(Rule::ControlCharacter { position: 2 }));
        assert_eq!(multi_line("a\u{B}b", 1, 10), Err(Rule::ControlCharacter { position: 2 }));
        // a \r\n counts as one character for the position
        assert_eq!(multi_line("a\r\nb\u{1}", 1, 10), Err(Rule::ControlCharacter { position: 4 }));
    }

    #[test]
    fn text_fields_refuse_the_replacement_character() {
        assert_eq!(single_line("乱码\u{FFFD}", 1, 10), Err(Rule::ReplacementCharacter { position: 3 }));
        assert_eq!(multi_line("\u{FFFD}", 1, 10), Err(Rule::ReplacementCharacter { position: 1 }));
    }

    #[test]
    fn text_fields_refuse_bidi_controls() {
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200E}',
            '\u{200F}', '\u{061C}',
        ] {
            let text = format!("ab{c}cd");
            assert_eq!(single_line(&text, 1, 10), Err(Rule::BidiControl { position: 3 }), "{c:?}");
            assert_eq!(multi_line(&text, 1, 10), Err(Rule::BidiControl { position: 3 }), "{c:?}");
            assert_eq!(DisplayName::parse(&text), Err(Rule::BidiControl { position: 3 }), "{c:?}");
        }
    }

    #[test]
    fn single_line_fields_refuse_line_breaks() {
        for text in ["a\nb", "a\r\nb", "a\rb", "a\u{85}b", "a\u{2028}b", "a\u{2029}b"] {
            assert_eq!(single_line(text, 1, 10), Err(Rule::LineBreakNotAllowed), "{text:?}");
            assert_eq!(Title::parse(&format!("标题{text}")), Err(Rule::LineBreakNotAllowed), "{text:?}");
            assert_eq!(Reason::parse(&format!("理由充分{text}")), Err(Rule::LineBreakNotAllowed), "{text:?}");
        }
        // a value of white space alone is blank, whatever the white space
        assert_eq!(Title::parse("   \n "), Err(Rule::Required));
    }

    #[test]
    fn multi_line_fields_store_every_line_break_as_lf() {
        assert_eq!(multi_line("一\r\n二\r三\u{85}四\u{2028}五\u{2029}六\n七", 1, 100), Ok("一\n二\n三\n四\n五\n六\n七".into()));
        assert_eq!(multi_line("\r\n\r\n段落\r\n\r\n", 1, 100), Ok("段落".into()));
    }

    #[test]
    fn text_is_stored_in_nfc() {
        assert_eq!(single_line("Cafe\u{301}", 1, 10), Ok("Caf\u{E9}".into()));
        assert_eq!(single_line("\u{212B}ngstr\u{F6}m", 1, 20), Ok("\u{C5}ngstr\u{F6}m".into()));
        // length counts the composed characters: 4, not 5
        assert_eq!(single_line("Cafe\u{301}", 5, 10), Err(Rule::TooShort { min: 5 }));
        assert_eq!(single_line("Cafe\u{301}", 1, 4), Ok("Caf\u{E9}".into()));
    }

    #[test]
    fn proposal_bodies_and_minutes_are_multi_line() {
        let body = "# 总则\r\n\r\n第一条 为规范城市供水价格管理，制定本办法。\r\n\r\n第二条 本办法适用于本市。";
        assert_eq!(ProposalBody::parse(body).unwrap().as_str(), body.replace("\r\n", "\n"));
        assert!(Minutes::parse("座谈会纪要\n\n与会代表一致认为……").is_ok());
        assert!(Explanation::parse("经研究：\n1. 采纳第一阶梯调整\n2. 不采纳取消阶梯").is_ok());
    }

    #[test]
    fn display_names_may_not_impersonate_staff() {
        for name in [
            "管理员",
            "系统管理员",
            "内容管理员",
            "民意平台管理員",
            "版主小王",
            "审核员",
            "官方",
            "民意官方",
            "民意客服",
            "admin",
            "Administrator",
            "ADMIN_2026",
            "Ａｄｍｉｎ",
            "a.d.m.i.n",
            "a d m i n",
            "аdmin", // Cyrillic а
            "Moderator",
            "the official",
            "System",
            "Minyi Staff",
            "minyi",
            "管 理 员",
            "管理员\u{200B}",
        ] {
            assert_eq!(DisplayName::parse(name), Err(Rule::NameImpersonatesStaff), "{name:?}");
        }
        for name in ["王小明", "Li Ming", "老张", "城南居民", "a1"] {
            assert!(DisplayName::parse(name).is_ok(), "{name:?}");
        }
    }

    #[test]
    fn display_names_refuse_invisible_characters() {
        assert_eq!(DisplayName::parse("王\u{200B}五"), Err(Rule::ControlCharacter { position: 2 }));
        assert_eq!(DisplayName::parse("王五\u{2060}六"), Err(Rule::ControlCharacter { position: 3 }));
        assert_eq!(DisplayName::parse("王\u{FEFF}五"), Err(Rule::ControlCharacter { position: 2 }));
        assert!(DisplayName::parse("小王 \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}").is_ok());
        // at the ends they are trimmed like white space
        assert_eq!(DisplayName::parse("\u{200B}王五\u{FEFF}").unwrap().as_str(), "王五");
    }

    #[test]
    fn display_names_may_not_pass_for_an_agency() {
        let agencies = ["市发展和改革委员会", "市水务局"];
        assert!(impersonates("市水务局", &agencies));
        assert!(impersonates("市 水务局 王科长", &agencies));
        assert!(impersonates("ｍｙ市水务局", &agencies));
        assert!(!impersonates("水务爱好者", &agencies));
        assert!(!impersonates("王小明", &[""]));
        assert_eq!(DisplayName::parse_with_agencies("市水务局", &agencies), Err(Rule::NameImpersonatesStaff));
        assert!(DisplayName::parse("市水务局").is_ok());
    }

    #[test]
    fn staff_names_are_set_by_the_operator_only() {
        assert_eq!(DisplayName::parse("管理员"), Err(Rule::NameImpersonatesStaff));
        assert_eq!(DisplayName::parse_staff("管理员").unwrap().as_str(), "管理员");
        assert_eq!(DisplayName::parse_staff("管\u{200B}理员"), Err(Rule::ControlCharacter { position: 2 }));
        assert_eq!(DisplayName::parse_staff("管"), Err(Rule::TooShort { min: 2 }));
    }

    #[test]
    fn display_names_have_two_to_forty_characters() {
        assert_eq!(DisplayName::parse("王"), Err(Rule::TooShort { min: 2 }));
        assert!(DisplayName::parse("王五").is_ok());
        assert_eq!(DisplayName::parse(&"张".repeat(41)), Err(Rule::TooLong { max: 40 }));
        assert_eq!(DisplayName::parse("王\n五"), Err(Rule::LineBreakNotAllowed));
    }

    /// Strings with a good share of the characters the rules are about.
    fn tricky_text() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            '\0', '\t', '\n', '\r', '\u{B}', '\u{7F}', '\u{85}', '\u{9B}', '\u{A0}', '\u{3000}', '\u{200B}', '\u{200D}', '\u{2060}',
            '\u{FEFF}', '\u{202E}', '\u{2066}', '\u{200F}', '\u{061C}', '\u{2028}', '\u{2029}', '\u{FFFD}', '\u{301}', '\u{308}',
            '\u{20DD}', 'e', 'A', '\u{212B}', '\u{2000}', '\u{1100}', '\u{1161}', '\u{AC00}', '民', ' ', '.',
        ]);
        let piece = prop_oneof![3 => any::<char>(), 5 => special];
        prop::collection::vec(piece, 0..24).prop_map(|chars| chars.into_iter().collect())
    }

    fn check_accepted(value: &str, lines: Lines) {
        assert!(!value.chars().any(|c| is_refused(c, lines)), "{value:?} holds a refused character");
        assert!(is_nfc(value), "{value:?} is not NFC");
        assert_eq!(value, value.trim_matches(is_trimmed), "{value:?} is not trimmed");
        assert!(!value.is_empty());
    }

    proptest! {
        #[test]
        fn accepted_single_line_values_are_clean_and_a_fixed_point(raw in tricky_text()) {
            if let Ok(value) = single_line(&raw, 1, 20) {
                check_accepted(&value, Lines::Single);
                prop_assert!(!value.contains('\n') && !value.contains('\t'));
                prop_assert_eq!(single_line(&value, 1, 20), Ok(value.clone()));
            }
        }

        #[test]
        fn accepted_multi_line_values_are_clean_and_a_fixed_point(raw in tricky_text()) {
            if let Ok(value) = multi_line(&raw, 1, 20) {
                check_accepted(&value, Lines::Multi);
                prop_assert!(!value.contains('\r'));
                prop_assert_eq!(multi_line(&value, 1, 20), Ok(value.clone()));
            }
        }

        #[test]
        fn arbitrary_strings_never_panic(raw in any::<String>()) {
            let _ = single_line(&raw, 0, 50);
            let _ = multi_line(&raw, 0, 50);
            let _ = DisplayName::parse(&raw);
            let _ = impersonates(&raw, &[&raw]);
            if let Ok(value) = single_line(&raw, 0, 1_000) {
                check_accepted(&value, Lines::Single);
                prop_assert_eq!(single_line(&value, 0, 1_000), Ok(value.clone()));
            }
            if let Ok(value) = multi_line(&raw, 0, 1_000) {
                check_accepted(&value, Lines::Multi);
                prop_assert_eq!(multi_line(&value, 0, 1_000), Ok(value.clone()));
            }
        }
    }
}
