//! Masking personal data in an administrative penalty case before anyone outside the
//! agency reads it (SPEC §3): the citizen panelists and the public.
//!
//! Source: the city's rules on public review of administrative penalty cases (a case goes
//! to the panel and the public only with personal data masked, and only after an official
//! has confirmed the masked text), and the personal-information protection practice of
//! publishing administrative penalty decisions: a natural person is named by surname and
//! 某, and the resident ID number, telephone numbers, home address below district level,
//! vehicle plate and bank account are removed.
//!
//! [`find`] lists what to mask, [`replacement`] says what each span becomes, [`mask`]
//! gives both side by side for the official to confirm ([`Masked::masked_text`] is what
//! is stored and published), and [`check_published`] refuses a text about to be published
//! that still holds an ID number, a mobile or a landline.
//!
//! What is found, each pattern with its boundaries (a number is never taken out of the
//! middle of a longer run of digits, so nothing is half-masked):
//!
//! - **Names** the official lists (the party, other persons, a shop or company): every
//!   exact occurrence; blank names and names of one character are skipped.
//! - **Resident ID numbers**: 17 digits and the check digit `X`/`x` (province code 1–8);
//!   18 digits with a province code and a plausible birth date (a wrong check digit is
//!   still masked, typos happen); the old 15-digit numbers with a province code and a
//!   plausible birth date.
//! - **Mobiles**: 11 digits `1[3-9]…`, optionally after `+86`, `0086`, `86` or `(+86)`,
//!   with spaces or dashes (up to three) after the 3rd and 7th digit (`138 0013 8000`,
//!   `+86-138-0013-8000`).
//! - **Landlines**: an area code (`010`, `02x`, `0xxx`; in brackets, or after `+86`
//!   without its 0) and a local number of 7 or 8 digits starting 2–9, optionally split
//!   once (`6234 5678`), optionally with an extension (`转123`, `分机123`, `ext 123`);
//!   a local number without area code only right after 电话, 座机, 固话, 传真, 联系方式
//!   or Tel.
//! - **Plates**: a province character, a capital letter, an optional middle dot (`·`, `•`,
//!   `・`, …), a space or a dash, then 5 characters (6 for new-energy vehicles) of capital
//!   letters and digits, or 4 and 挂/学/警/港/澳.
//! - **Bank cards**: 16–19 digits passing the Luhn check; 16–19 digits written in groups
//!   of four; and any run of 12–30 digits (grouped any way) right after 银行卡, 卡号,
//!   账号, 账户, 储蓄卡, 信用卡 or 借记卡, Luhn or not.
//! - **Addresses below district level**: the street, town, village, community, building,
//!   unit and room after a province, city, district or county name (合肥市蜀山区 stays,
//!   长江西路123号5栋601室 is masked) or after a word that introduces an address (住,
//!   地址, 位于, 场所, 户籍地, 住所地). Without either, where a street or community name
//!   begins cannot be told from the words before it, so only the numbered part is masked:
//!   two or more numbered units in a row (3栋2单元501室), or one right after a street or
//!   community (幸福小区**3栋**, 长江西路**123号**).
//!
//! What is left as written: amounts (罚款5000元, 20,000元), dates and times, case numbers
//! (合市监罚〔2026〕15号), article numbers (第三十二条, 第32条), and unified social credit
//! codes. A credit code identifies a company or an individual business, which a published
//! penalty decision names anyway (it is how the public looks the business up in the
//! credit information system); it is not derived from a person's ID number. It is never
//! taken for an ID number: an enterprise code starts with 9 (no province code does) and
//! most hold letters; an all-digit one with a valid credit-code check character is not
//! taken for a bank card either.
//!
//! When two patterns overlap, the union of both is masked as the longer one's kind. The
//! replacements never hold a digit and never form a pattern again, and the fixed labels
//! are never matched, so masking a masked text changes nothing.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use super::Rule;

named_enum!(
    /// What kind of personal data a masked span is.
    PiiKind {
        /// A name the official lists: the party, another person, a shop or company.
        Name = "name",
        /// A resident ID number, 18 or 15 characters.
        IdNumber = "id_number",
        /// A mainland mobile number.
        Mobile = "mobile",
        /// A fixed-line telephone number.
        Landline = "landline",
        /// A vehicle plate number.
        Plate = "plate",
        /// An address below district level.
        Address = "address",
        /// A bank card or account number.
        BankCard = "bank_card",
    }
);

impl PiiKind {
    /// Which kind names a span when two candidates of the same length cover it: the
    /// more specific number first.
    fn rank(self) -> u8 {
        match self {
            PiiKind::IdNumber => 0,
            PiiKind::BankCard => 1,
            PiiKind::Mobile => 2,
            PiiKind::Landline => 3,
            PiiKind::Plate => 4,
            PiiKind::Address => 5,
            PiiKind::Name => 6,
        }
    }
}

const ID_LABEL: &str = "〔身份证号〕";
const MOBILE_LABEL: &str = "〔手机号〕";
const LANDLINE_LABEL: &str = "〔电话〕";
const CARD_LABEL: &str = "〔银行卡号〕";
const ADDRESS_LABEL: &str = "〔详细地址〕";
/// For a span masked as a plate that does not look like one (only when it overlapped
/// another pattern).
const PLATE_LABEL: &str = "〔车牌号〕";
/// Every fixed replacement: never matched again, so masking is idempotent.
const LABELS: &[&str] = &[ID_LABEL, MOBILE_LABEL, LANDLINE_LABEL, CARD_LABEL, ADDRESS_LABEL, PLATE_LABEL];

/// One stretch of personal data: byte offsets into the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// Everything to mask in `text`, sorted and non-overlapping, as byte offsets (always on
/// character boundaries). `names` are masked wherever they occur exactly; blank ones and
/// ones shorter than 2 characters are skipped; where listed names overlap (张三丰 and
/// 张三) the longer one is the span.
pub fn find(text: &str, names: &[&str]) -> Vec<Span> {
    let t = Text::new(text);
    let mut found = Vec::new();
    detect_digit_runs(&t, &mut found);
    detect_grouped_cards(&t, &mut found);
    detect_account_numbers(&t, &mut found);
    detect_mobiles(&t, &mut found);
    detect_landlines(&t, &mut found);
    // after the numbers: a plate ends where a number starts
    detect_plates(&t, &mut found);
    detect_names(&t, text, names, &mut found);
    // last: an address may start where another span ends
    detect_addresses(&t, &mut found);
    let protected = protected_labels(&t, text);
    resolve(found, &protected).into_iter().map(|f| Span { kind: f.kind, start: t.byte(f.start), end: t.byte(f.end) }).collect()
}

/// What a span of `kind` holding `original` becomes.
///
/// - Numbers and addresses: a fixed label, `〔身份证号〕`, `〔手机号〕`, `〔电话〕`,
///   `〔银行卡号〕`, `〔详细地址〕`.
/// - Plates keep the province character, the letter and the separator, and hide the rest
///   with one `*` per character: `皖A·12345` → `皖A·*****`, `沪BD12345` → `沪B******`.
/// - Names:
///   1. a name ending in a legal or business form (有限公司, 股份有限公司, 公司, 商行,
///      个体工商户, 店, 厂, 餐馆, … see `ORG_FORMS`) with at least two characters before
///      it becomes `某`, the line of business if one of a fixed list (`TRADES`: 餐饮,
///      食品, 商贸, …) comes right before the form, and the form: 合肥香满楼餐饮有限公司 →
///      某餐饮有限公司, 香满楼餐馆 → 某餐馆. The trade name and the place, which identify
///      the party, go; what kind of business it is stays, so the panel understands the
///      case;
///   2. otherwise a person's name of 2 to 4 Chinese characters becomes the surname and
///      某: 张三 → 张某, 欧阳娜娜 → 欧阳某 (two-character surnames, `COMPOUND_SURNAMES`,
///      are kept whole when the name has at least three characters);
///   3. anything else (a name in Latin letters, a transcribed name with a middle dot, a
///      long name without a known form) becomes `某`.
pub fn replacement(kind: PiiKind, original: &str) -> String {
    match kind {
        PiiKind::Name => name_replacement(original),
        PiiKind::Plate => plate_replacement(original),
        PiiKind::IdNumber => ID_LABEL.to_owned(),
        PiiKind::Mobile => MOBILE_LABEL.to_owned(),
        PiiKind::Landline => LANDLINE_LABEL.to_owned(),
        PiiKind::Address => ADDRESS_LABEL.to_owned(),
        PiiKind::BankCard => CARD_LABEL.to_owned(),
    }
}

/// A piece of a masked text: as written, or masked with what it was and what it became.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    Plain(String),
    Masked { kind: PiiKind, original: String, replacement: String },
}

/// A text cut into plain and masked pieces: the official sees the original with the
/// spans marked beside the masked text with the replacements marked; the masked text is
/// what is stored and published.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Masked {
    pub segments: Vec<Segment>,
}

impl Masked {
    /// The text with every span replaced: what is published.
    pub fn masked_text(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Plain(text) => text.as_str(),
                Segment::Masked { replacement, .. } => replacement.as_str(),
            })
            .collect()
    }

    /// The text as the agency wrote it.
    pub fn original_text(&self) -> String {
        self.segments
            .iter()
            .map(|s| match s {
                Segment::Plain(text) => text.as_str(),
                Segment::Masked { original, .. } => original.as_str(),
            })
            .collect()
    }

    /// How many spans are masked.
    pub fn count(&self) -> usize {
        self.segments.iter().filter(|s| matches!(s, Segment::Masked { .. })).count()
    }
}

/// `text` cut at the spans [`find`] returns, each span with its [`replacement`].
pub fn mask(text: &str, names: &[&str]) -> Masked {
    let mut segments = Vec::new();
    let mut at = 0;
    for span in find(text, names) {
        if span.start > at {
            segments.push(Segment::Plain(text[at..span.start].to_owned()));
        }
        let original = &text[span.start..span.end];
        segments.push(Segment::Masked { kind: span.kind, original: original.to_owned(), replacement: replacement(span.kind, original) });
        at = span.end;
    }
    if at < text.len() {
        segments.push(Segment::Plain(text[at..].to_owned()));
    }
    Masked { segments }
}

/// A number found in a text about to be published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmasked {
    pub kind: PiiKind,
    /// 1-based line, counted by `\n`.
    pub line: usize,
    /// 1-based column in characters (a Chinese character is one).
    pub column: usize,
    /// Up to 4 characters of the same line on each side of the number, and the number
    /// itself with all but its first 3 and last 2 digits shown as `*`, so the message
    /// does not repeat what it warns about.
    pub excerpt: String,
}

/// How many characters of context an [`Unmasked`] excerpt shows on each side.
const EXCERPT_CONTEXT: usize = 4;

/// Refuses a text about to be published that still holds a resident ID number, a mobile
/// or a landline, naming the first one. A text masked by [`mask`] passes.
pub fn check_published(text: &str) -> Result<(), Unmasked> {
    let t = Text::new(text);
    let mut found = Vec::new();
    detect_digit_runs(&t, &mut found);
    detect_mobiles(&t, &mut found);
    detect_landlines(&t, &mut found);
    let Some(first) = found
        .into_iter()
        .filter(|f| matches!(f.kind, PiiKind::IdNumber | PiiKind::Mobile | PiiKind::Landline))
        .min_by_key(|f| (f.start, Reverse(f.end)))
    else {
        return Ok(());
    };
    let before = &t.chars[..first.start];
    let line_start = before.iter().rposition(|c| *c == '\n').map_or(0, |p| p + 1);
    let line_end = t.chars[first.end..].iter().position(|c| *c == '\n').map_or(t.len(), |p| first.end + p);
    let from = first.start.saturating_sub(EXCERPT_CONTEXT).max(line_start);
    let to = (first.end + EXCERPT_CONTEXT).min(line_end);
    let mut excerpt: String = t.chars[from..first.start].iter().collect();
    excerpt.push_str(&hide_digits(&t.chars[first.start..first.end]));
    excerpt.extend(&t.chars[first.end..to]);
    Err(Unmasked {
        kind: first.kind,
        line: 1 + before.iter().filter(|c| **c == '\n').count(),
        column: first.start - line_start + 1,
        excerpt,
    })
}

/// The number with every digit but the first 3 and the last 2 shown as `*` (an `X`
/// right after a digit, the check digit, counts as a digit); separators, brackets and
/// the extension word stay.
fn hide_digits(number: &[char]) -> String {
    let is_figure = |k: usize| {
        let c = number[k];
        is_digit(c) || (is_check_x(c) && k > 0 && is_digit(number[k - 1]))
    };
    let total = (0..number.len()).filter(|&k| is_figure(k)).count();
    let mut seen = 0;
    (0..number.len())
        .map(|k| {
            if !is_figure(k) {
                return number[k];
            }
            seen += 1;
            if seen <= 3 || seen + 2 > total {
                number[k]
            } else {
                '*'
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// The text as characters

/// The text as characters, with each character's byte offset (and the length at the
/// end), so detectors work in characters and spans come out in bytes.
struct Text {
    chars: Vec<char>,
    offsets: Vec<usize>,
}

impl Text {
    fn new(text: &str) -> Self {
        let (offsets, chars): (Vec<usize>, Vec<char>) = text.char_indices().unzip();
        let mut offsets = offsets;
        offsets.push(text.len());
        Text { chars, offsets }
    }

    fn len(&self) -> usize {
        self.chars.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    fn has(&self, i: usize, test: impl Fn(char) -> bool) -> bool {
        self.at(i).is_some_and(test)
    }

    fn before(&self, i: usize) -> Option<char> {
        i.checked_sub(1).and_then(|j| self.at(j))
    }

    /// The byte offset of character `i` (the text's length for the end).
    fn byte(&self, i: usize) -> usize {
        self.offsets[i.min(self.len())]
    }

    /// The character index of a byte offset on a character boundary.
    fn char_index(&self, byte: usize) -> usize {
        self.offsets.partition_point(|&o| o < byte)
    }

    /// Whether `word` is written at `i`.
    fn starts_with(&self, i: usize, word: &str) -> bool {
        word.chars().enumerate().all(|(k, c)| self.at(i + k) == Some(c))
    }

    /// Whether `word` ends just before `i`.
    fn ends_with(&self, i: usize, word: &str) -> bool {
        let n = word.chars().count();
        i >= n && self.starts_with(i - n, word)
    }

    /// The length in characters of the longest of `words` written at `i`.
    fn longest_at(&self, i: usize, words: &[&str]) -> Option<usize> {
        words.iter().filter(|w| self.starts_with(i, w)).map(|w| w.chars().count()).max()
    }
}

/// A candidate span in character indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Found {
    kind: PiiKind,
    start: usize,
    end: usize,
}

impl Found {
    fn len(self) -> usize {
        self.end - self.start
    }
}

/// An ASCII or full-width digit's value.
fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

fn is_digit(c: char) -> bool {
    digit(c).is_some()
}

fn is_check_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// A digit or a Latin letter, half- or full-width: what may not touch a plate.
fn is_word_char(c: char) -> bool {
    is_digit(c) || c.is_ascii_alphabetic() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// What may stand between groups of digits of one number.
fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{A0}' | '\u{3000}' | '-' | '－' | '‐' | '‑' | '–' | '—')
}

/// A CJK ideograph.
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3134F}')
}

fn digit_at(t: &Text, i: usize) -> bool {
    t.has(i, is_digit)
}

fn digit_before(t: &Text, i: usize) -> bool {
    t.before(i).is_some_and(is_digit)
}

/// At most this many separators between two groups of one number (`138 - 0013`).
const MAX_GAP: usize = 3;

/// How many separators (up to [`MAX_GAP`]) are written from `i`.
fn separators(t: &Text, i: usize) -> usize {
    (0..MAX_GAP).take_while(|k| t.has(i + k, is_separator)).count()
}

/// The separators from `i` when a digit follows them.
fn gap_to_digit(t: &Text, i: usize) -> Option<usize> {
    let n = separators(t, i);
    (n > 0 && digit_at(t, i + n)).then_some(n)
}

/// `count` digits from `i`, a gap of separators allowed after the digits numbered in
/// `gaps_after` (at most `max_gaps` gaps): the index after the last digit, and the digits.
fn read_digits(t: &Text, mut i: usize, count: usize, gaps_after: &[usize], max_gaps: usize) -> Option<(usize, Vec<u32>)> {
    let mut digits = Vec::with_capacity(count);
    let mut gaps = 0;
    while digits.len() < count {
        digits.push(digit(t.at(i)?)?);
        i += 1;
        if digits.len() < count && gaps < max_gaps && gaps_after.contains(&digits.len()) {
            if let Some(n) = gap_to_digit(t, i) {
                i += n;
                gaps += 1;
            }
        }
    }
    Some((i, digits))
}

/// Characters that may stand between a cue word and the number it introduces
/// (`卡号：`, `电话号码为 `, `银行卡（`), at most four.
const CUE_FILLER: &[char] = &[':', '：', ' ', '\u{3000}', '为', '是', '（', '(', '号', '码'];

/// Where a number introduced by one of `cues` ending at `i` starts.
fn after_cue(t: &Text, i: usize, cues: &[&str]) -> Option<usize> {
    if !cues.iter().any(|cue| t.ends_with(i, cue)) {
        return None;
    }
    Some(i + (0..4).take_while(|k| t.has(i + k, |c| CUE_FILLER.contains(&c))).count())
}

// ---------------------------------------------------------------------------------
// ID numbers and bank cards written as one run of digits

fn detect_digit_runs(t: &Text, found: &mut Vec<Found>) {
    let mut i = 0;
    while i < t.len() {
        if !digit_at(t, i) {
            i += 1;
            continue;
        }
        let start = i;
        while digit_at(t, i) {
            i += 1;
        }
        let digits: Vec<u32> = t.chars[start..i].iter().filter_map(|c| digit(*c)).collect();
        if let Some((kind, end)) = classify_run(t, &digits, i) {
            found.push(Found { kind, start, end });
        }
    }
}

/// What a whole run of digits ending at `end` is, and where it ends (after an `X`).
fn classify_run(t: &Text, digits: &[u32], end: usize) -> Option<(PiiKind, usize)> {
    match digits.len() {
        // the X ends the number, whatever follows it
        17 if t.has(end, is_check_x) && has_province_code(digits) => Some((PiiKind::IdNumber, end + 1)),
        18 if is_id18(digits) => Some((PiiKind::IdNumber, end)),
        18 if luhn(digits) && !is_credit_code(digits) => Some((PiiKind::BankCard, end)),
        15 if is_id15(digits) => Some((PiiKind::IdNumber, end)),
        16 | 17 | 19 if luhn(digits) => Some((PiiKind::BankCard, end)),
        _ => None,
    }
}

/// Resident ID numbers start with a province code, 11 to 82.
fn has_province_code(digits: &[u32]) -> bool {
    matches!(digits.first(), Some(1..=8))
}

fn number(digits: &[u32]) -> u32 {
    digits.iter().fold(0, |n, d| n * 10 + d)
}

fn is_month_day(digits: &[u32]) -> bool {
    digits.len() == 4 && (1..=12).contains(&number(&digits[..2])) && (1..=31).contains(&number(&digits[2..]))
}

/// 18 digits: province code, 6-digit area, birth date `YYYYMMDD` (1900–2099), 3-digit
/// sequence, check digit (not checked: a typo still identifies a person).
fn is_id18(digits: &[u32]) -> bool {
    digits.len() == 18 && has_province_code(digits) && (1900..=2099).contains(&number(&digits[6..10])) && is_month_day(&digits[10..14])
}

/// The old 15-digit number: province code, area, birth date `YYMMDD`, sequence.
fn is_id15(digits: &[u32]) -> bool {
    digits.len() == 15 && has_province_code(digits) && is_month_day(&digits[8..12])
}

/// The Luhn check of bank card numbers.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| match (k % 2, d * 2) {
            (0, _) => d,
            (_, twice) if twice > 9 => twice - 9,
            (_, twice) => twice,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An all-digit unified social credit code (GB 32100-2015) with a valid check character.
fn is_credit_code(digits: &[u32]) -> bool {
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    if digits.len() != 18 {
        return false;
    }
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    (31 - sum % 31) % 31 == digits[17]
}

// ---------------------------------------------------------------------------------
// Bank cards in groups of four, account numbers after a cue

/// 16–19 digits in groups of four separated by one space or dash, the last group 1–4
/// digits (`6222 0212 3456 7890 123`). Luhn is not required: no other number is written
/// like this.
fn detect_grouped_cards(t: &Text, found: &mut Vec<Found>) {
    for start in 0..t.len() {
        if !digit_at(t, start) || digit_before(t, start) {
            continue;
        }
        let mut i = start;
        let mut total = 0;
        let mut end = None;
        for group in 0..5 {
            let from = i;
            while digit_at(t, i) {
                i += 1;
            }
            total += i - from;
            if group >= 3 && (16..=19).contains(&total) {
                end = Some(i);
            }
            // only a group of four may be followed by another
            if i - from != 4 || !(t.has(i, is_separator) && digit_at(t, i + 1)) {
                break;
            }
            i += 1;
        }
        if let Some(end) = end {
            found.push(Found { kind: PiiKind::BankCard, start, end });
        }
    }
}

/// Words after which a number is a bank card or account.
const ACCOUNT_CUES: &[&str] = &["银行卡", "卡号", "账号", "帐号", "账户", "帐户", "储蓄卡", "信用卡", "借记卡"];

/// 12 to 30 digits, grouped in any way by single separators, right after an account cue:
/// masked whether or not they pass the Luhn check (account numbers do not). The groups
/// are taken while they add up to at most 30 digits, so what follows a long account
/// number (another number, masked or not) never changes where it ends.
fn detect_account_numbers(t: &Text, found: &mut Vec<Found>) {
    const MOST: usize = 30;
    for cue_end in 1..=t.len() {
        let Some(start) = after_cue(t, cue_end, ACCOUNT_CUES) else { continue };
        let (mut group, mut end, mut total) = (start, start, 0);
        loop {
            let len = (group..).take_while(|&j| digit_at(t, j)).count();
            if len == 0 || total + len > MOST {
                break;
            }
            total += len;
            end = group + len;
            if !(t.has(end, is_separator) && digit_at(t, end + 1)) {
                break;
            }
            group = end + 1;
        }
        if total >= 12 {
            found.push(Found { kind: PiiKind::BankCard, start, end });
        }
    }
}

// ---------------------------------------------------------------------------------
// Telephone numbers

/// The country code before a mobile or a landline.
const COUNTRY_PREFIXES: &[&str] = &["(+86)", "（+86）", "(＋86)", "（＋86）", "+86", "＋86", "0086", "86"];

/// After a country prefix written at `i` and the separators after it.
fn country_prefix(t: &Text, i: usize) -> Option<usize> {
    let prefix = COUNTRY_PREFIXES.iter().find(|p| t.starts_with(i, p))?;
    let j = i + prefix.chars().count();
    Some(j + separators(t, j))
}

fn detect_mobiles(t: &Text, found: &mut Vec<Found>) {
    for start in 0..t.len() {
        if digit_before(t, start) {
            continue;
        }
        let end = country_prefix(t, start).and_then(|j| mobile_at(t, j)).or_else(|| mobile_at(t, start));
        if let Some(end) = end {
            found.push(Found { kind: PiiKind::Mobile, start, end });
        }
    }
}

/// 11 digits `1[3-9]…` at `i`, gaps allowed after the 3rd and 7th digit, no digit after.
fn mobile_at(t: &Text, i: usize) -> Option<usize> {
    let (end, d) = read_digits(t, i, 11, &[3, 7], 2)?;
    (d[0] == 1 && d[1] >= 3 && !digit_at(t, end)).then_some(end)
}

/// Words after which a local number without area code is a telephone number.
const PHONE_CUES: &[&str] = &["电话", "座机", "固话", "传真", "联系方式", "Tel", "TEL", "tel"];

fn detect_landlines(t: &Text, found: &mut Vec<Found>) {
    for start in 0..t.len() {
        if !digit_before(t, start) {
            if let Some(end) = landline_at(t, start) {
                found.push(Found { kind: PiiKind::Landline, start, end });
            }
        }
    }
    for cue_end in 1..=t.len() {
        let Some(start) = after_cue(t, cue_end, PHONE_CUES) else { continue };
        if let Some(end) = local_number(t, start) {
            found.push(Found { kind: PiiKind::Landline, start, end: extension(t, end).unwrap_or(end) });
        }
    }
}

/// A landline with its area code at `i`: `0551-62345678`, `(0551)62345678`,
/// `+86 551 6234 5678`, `01088886666`, and an extension if one follows.
fn landline_at(t: &Text, i: usize) -> Option<usize> {
    let local_start = bracketed_area_code(t, i)
        .or_else(|| country_prefix(t, i).and_then(|j| area_code(t, j, false)).map(|k| k + separators(t, k)))
        .or_else(|| area_code(t, i, true).map(|k| k + separators(t, k)))?;
    let end = local_number(t, local_start)?;
    Some(extension(t, end).unwrap_or(end))
}

/// `(0551)` or `（0551）` at `i`: where the local number starts.
fn bracketed_area_code(t: &Text, i: usize) -> Option<usize> {
    if !matches!(t.at(i)?, '(' | '（') {
        return None;
    }
    let j = area_code(t, i + 1, true)?;
    if !matches!(t.at(j)?, ')' | '）') {
        return None;
    }
    Some(j + 1 + separators(t, j + 1))
}

/// A mainland area code at `i` (with its leading 0 or, after a country code, without):
/// `010` and `02x` have two digits after the 0, every other one three.
fn area_code(t: &Text, i: usize, leading_zero: bool) -> Option<usize> {
    let mut j = i;
    if leading_zero {
        if digit(t.at(j)?)? != 0 {
            return None;
        }
        j += 1;
    }
    let len = match digit(t.at(j)?)? {
        1 if digit(t.at(j + 1)?)? == 0 => 2,
        2 => 2,
        3..=9 => 3,
        _ => return None,
    };
    (0..len).all(|k| digit_at(t, j + k)).then_some(j + len)
}

/// A local number of 8 or 7 digits at `i`, starting 2–9, split at most once after the
/// 3rd or 4th digit, no digit after.
fn local_number(t: &Text, i: usize) -> Option<usize> {
    if digit(t.at(i)?)? < 2 {
        return None;
    }
    [8, 7].into_iter().find_map(|n| read_digits(t, i, n, &[3, 4], 1).map(|(end, _)| end).filter(|&end| !digit_at(t, end)))
}

/// An extension after a landline ending at `end`: `转123`, `分机 123`, `ext. 123` (1 to 6
/// digits): where it ends.
fn extension(t: &Text, end: usize) -> Option<usize> {
    let mut i = end + usize::from(t.has(end, |c| c == ' '));
    i += t.longest_at(i, &["转", "分机", "ext", "Ext", "EXT"])?;
    i += (0..2).take_while(|k| t.has(i + k, |c| matches!(c, '.' | ' ' | ':' | '：'))).count();
    let from = i;
    while digit_at(t, i) {
        i += 1;
    }
    (1..=6).contains(&(i - from)).then_some(i)
}

// ---------------------------------------------------------------------------------
// Plates

/// The one-character abbreviations of the provinces, regions and municipalities.
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
/// What may stand between the letter and the number of a plate.
const PLATE_SEPARATORS: &[char] = &['·', '•', '・', '･', '‧', '∙', '.', '-', ' ', '\u{A0}'];
/// The last character of a trailer, driving-school, police or Hong Kong/Macao plate.
const PLATE_TAILS: &[char] = &['挂', '学', '警', '港', '澳'];

/// Plates, given the numbers `found` already: a plate's characters stop where a number
/// starts (`皖X0086X340104900101123` is a plate and an ID number, as it is once the ID
/// number is masked), so that masking again finds nothing new.
fn detect_plates(t: &Text, found: &mut Vec<Found>) {
    let mut number_starts = vec![false; t.len() + 1];
    for f in found.iter() {
        number_starts[f.start] = true;
    }
    let plate_char = |i: usize| !number_starts[i] && t.has(i, |c| c.is_ascii_uppercase() || c.is_ascii_digit());
    for start in 0..t.len() {
        if !t.has(start, |c| PROVINCES.contains(c)) || !t.has(start + 1, |c| c.is_ascii_uppercase()) {
            continue;
        }
        let from = start + 2 + usize::from(t.has(start + 2, |c| PLATE_SEPARATORS.contains(&c)));
        let run = (from..t.len()).take_while(|&i| plate_char(i)).count();
        if !t.chars[from..from + run].iter().any(char::is_ascii_digit) {
            continue;
        }
        let end = match run {
            5 | 6 => from + run,
            4 if t.has(from + 4, |c| PLATE_TAILS.contains(&c)) => from + 5,
            _ => continue,
        };
        if !t.has(end, is_word_char) || number_starts[end] {
            found.push(Found { kind: PiiKind::Plate, start, end });
        }
    }
}

fn plate_replacement(original: &str) -> String {
    let mut chars = original.chars();
    match (chars.next(), chars.next()) {
        (Some(province), Some(letter)) if PROVINCES.contains(province) && letter.is_ascii_uppercase() => {
            let hidden = chars.map(|c| if PLATE_SEPARATORS.contains(&c) { c } else { '*' });
            [province, letter].into_iter().chain(hidden).collect()
        }
        _ => PLATE_LABEL.to_owned(),
    }
}

// ---------------------------------------------------------------------------------
// Addresses

/// Characters that end a province, city, district or county name: what stays.
const DIVISIONS: &[char] = &['省', '市', '区', '县', '旗', '州', '盟'];
/// What ends a street, town, village or community name.
const NAMED_PARTS: &[&str] = &[
    "街道", "社区", "小区", "花园", "家园", "新村", "公寓", "大厦", "广场", "大街", "大道", "胡同", "镇", "乡", "村", "路", "街", "道",
    "巷", "里", "苑", "园", "庄", "屯", "寨", "湾", "坊",
];
/// What ends a numbered part: a house, building, unit, floor, room, village group.
const NUMBERED_PARTS: &[&str] = &["号楼", "号院", "单元", "号", "栋", "幢", "座", "楼", "层", "室", "户", "组", "弄", "排", "期"];
/// Words that introduce an address.
const ADDRESS_CUES: &[&str] = &["住", "址", "位于", "场所", "户籍地", "所在地", "住所地"];
/// Characters that may stand between an address cue and the address (at most two).
const ADDRESS_FILLER: &[char] = &[':', '：', ' ', '\u{3000}', '在', '于', '为', '是'];
/// Function words that never stand in a place name: a name reaching one is not a name.
/// 某 is here so that a masked name never starts an address.
const NOT_IN_PLACE_NAMES: &str = "的在了是被把将及或等该此其并而且与向对从这那也都就还某";
const HAN_NUMERALS: &str = "〇零一二三四五六七八九十百千两";
/// The longest number in a numbered part, and the longest street or community name.
const MAX_NUMBER: usize = 8;
const MAX_PLACE_NAME: usize = 10;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// 合肥市, 蜀山区: stays, and ends an address.
    Division,
    /// 长江西路, 幸福小区, 汤池镇.
    Named,
    /// 123号, 5栋, 601室, A座.
    Numbered,
}

fn is_number_char(c: char) -> bool {
    is_digit(c) || HAN_NUMERALS.contains(c) || c.is_ascii_alphabetic() || matches!(c, '-' | '－')
}

/// A numbered part at `i`: up to [`MAX_NUMBER`] digits, Chinese numerals, letters or
/// dashes (at least one digit or numeral, or a single letter: A座) and a numbered suffix.
fn numbered_part(t: &Text, i: usize) -> Option<usize> {
    let len = (i..).take_while(|&j| t.has(j, is_number_char)).take(MAX_NUMBER + 1).count();
    if len == 0 || len > MAX_NUMBER {
        return None;
    }
    let body = &t.chars[i..i + len];
    let counts = body.iter().any(|c| is_digit(*c) || HAN_NUMERALS.contains(*c)) || (len == 1 && body[0].is_ascii_alphabetic());
    if !counts {
        return None;
    }
    Some(i + len + t.longest_at(i + len, NUMBERED_PARTS)?)
}

/// A named part at `i`: 2 to [`MAX_PLACE_NAME`] Chinese characters and a named suffix
/// (several in a row are one part: 幸福里小区, 花园路); or a division name, which ends
/// the address.
fn named_part(t: &Text, i: usize) -> Option<(usize, Part)> {
    for k in 0..=MAX_PLACE_NAME {
        let j = i + k;
        let c = t.at(j)?;
        if k >= 2 {
            if let Some(len) = t.longest_at(j, NAMED_PARTS) {
                let mut end = j + len;
                while let Some(more) = t.longest_at(end, NAMED_PARTS) {
                    end += more;
                }
                return Some((end, Part::Named));
            }
        }
        // 红旗路, 市府路: a division character right before a street suffix is a name
        let in_community = c == '区' && matches!(t.before(j), Some('小' | '社'));
        if DIVISIONS.contains(&c) && !in_community && t.longest_at(j + 1, NAMED_PARTS).is_none() {
            return Some((j + 1, Part::Division));
        }
        if !is_han(c) || NOT_IN_PLACE_NAMES.contains(c) {
            return None;
        }
    }
    None
}

fn part_at(t: &Text, i: usize, numbered_only: bool) -> Option<(usize, Part)> {
    match numbered_part(t, i) {
        Some(end) => Some((end, Part::Numbered)),
        None if numbered_only => None,
        None => named_part(t, i),
    }
}

/// The parts that follow each other from `start`, up to a division or anything else:
/// where they end and how many there are.
fn parts(t: &Text, start: usize, numbered_only: bool) -> (usize, usize) {
    let (mut end, mut count) = (start, 0);
    while let Some((next, part)) = part_at(t, end, numbered_only) {
        if part == Part::Division {
            break;
        }
        end = next;
        count += 1;
    }
    (end, count)
}

/// Whether `i` is right after a province, city, district or county name (合肥市|,
/// 蜀山区|), not after 小区 or 社区.
fn after_division(t: &Text, i: usize) -> bool {
    let (Some(last), Some(before)) = (t.before(i), i.checked_sub(2).and_then(|j| t.at(j))) else {
        return false;
    };
    DIVISIONS.contains(&last) && is_han(before) && !NOT_IN_PLACE_NAMES.contains(before) && !(last == '区' && matches!(before, '小' | '社'))
}

/// How an address found from a start is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Start {
    /// After a division name or an address cue: every part that follows.
    Anchored,
    /// Anywhere else: numbered parts only, at least two, or one after a named part.
    Bare,
}

/// Addresses, given every other span `found` already: a numbered part may start right
/// where one ends (`…13800138000A座1801室`), as it does once that span is masked, so that
/// masking again finds nothing new.
fn detect_addresses(t: &Text, found: &mut Vec<Found>) {
    let mut span_ends = vec![false; t.len() + 1];
    for f in found.iter() {
        span_ends[f.end] = true;
    }
    let mut starts = Vec::new();
    for (i, &after_span) in span_ends.iter().enumerate().take(t.len()) {
        if after_division(t, i) {
            starts.push((i, Start::Anchored));
        }
        if ADDRESS_CUES.iter().any(|cue| t.ends_with(i, cue)) {
            let filler = (0..2).take_while(|k| t.has(i + k, |c| ADDRESS_FILLER.contains(&c))).count();
            starts.push((i + filler, Start::Anchored));
        }
        if t.has(i, is_number_char) && (!t.before(i).is_some_and(is_number_char) || after_span) {
            starts.push((i, Start::Bare));
        }
    }
    starts.sort_unstable();
    starts.dedup();
    let mut covered = 0;
    for (start, how) in starts {
        if start < covered {
            continue;
        }
        let (end, count) = parts(t, start, how == Start::Bare);
        let enough = match how {
            Start::Anchored => count >= 1,
            Start::Bare => count >= 2 || (count == 1 && NAMED_PARTS.iter().any(|p| t.ends_with(start, p))),
        };
        if enough {
            found.push(Found { kind: PiiKind::Address, start, end });
            covered = end;
        }
    }
}

// ---------------------------------------------------------------------------------
// Names

/// Every exact occurrence of every listed name (trimmed; blank and one-character names
/// skipped). Where two overlap, [`resolve`] keeps the longer.
fn detect_names(t: &Text, text: &str, names: &[&str], found: &mut Vec<Found>) {
    for name in names {
        let name = name.trim();
        if name.chars().count() < 2 || super::text::is_blank(name) {
            continue;
        }
        for (at, _) in text.match_indices(name) {
            found.push(Found { kind: PiiKind::Name, start: t.char_index(at), end: t.char_index(at + name.len()) });
        }
    }
}

/// Two-character surnames, kept whole: 欧阳娜娜 → 欧阳某.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯", "独孤", "南宫", "西门",
    "轩辕", "端木", "澹台", "公冶", "宗政", "濮阳", "淳于", "单于", "太叔", "申屠", "钟离", "闾丘", "东郭", "百里", "呼延", "万俟", "赫连",
    "拓跋", "闻人", "司空", "第五",
];
/// Legal and business forms that end the name of a company or shop; kept.
const ORG_FORMS: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "公司",
    "个体工商户",
    "合作社",
    "事务所",
    "工作室",
    "经营部",
    "门市部",
    "营业部",
    "商行",
    "商店",
    "超市",
    "便利店",
    "饭店",
    "酒店",
    "餐馆",
    "餐厅",
    "药房",
    "药店",
    "诊所",
    "集团",
    "中心",
    "店",
    "厂",
    "馆",
];
/// Lines of business kept before the form: they say what the party does, not who it is.
const TRADES: &[&str] = &[
    "餐饮",
    "食品",
    "商贸",
    "贸易",
    "科技",
    "建筑",
    "建设",
    "工程",
    "医药",
    "物流",
    "运输",
    "农业",
    "房地产",
    "置业",
    "物业",
    "文化",
    "传媒",
    "教育",
    "装饰",
    "服装",
    "汽车",
    "电子",
    "机械",
    "化工",
    "环保",
    "能源",
    "网络",
    "信息技术",
    "实业",
    "投资",
    "咨询",
    "旅游",
    "酒业",
    "烟酒",
    "生鲜",
    "水果",
    "蔬菜",
    "母婴",
    "美容",
    "健身",
    "娱乐",
    "印刷",
    "家具",
    "建材",
    "五金",
];

fn name_replacement(original: &str) -> String {
    let name = original.trim();
    let chars: Vec<char> = name.chars().collect();
    let form = ORG_FORMS.iter().filter(|f| name.ends_with(**f) && chars.len() >= f.chars().count() + 2).max_by_key(|f| f.len());
    if let Some(form) = form {
        let rest = &name[..name.len() - form.len()];
        let trade = TRADES.iter().filter(|w| rest.ends_with(**w)).max_by_key(|w| w.len()).copied().unwrap_or("");
        return format!("某{trade}{form}");
    }
    if (2..=4).contains(&chars.len()) && chars.iter().all(|c| is_han(*c)) {
        let compound = chars.len() >= 3 && COMPOUND_SURNAMES.iter().any(|s| name.starts_with(s));
        let surname = &chars[..if compound { 2 } else { 1 }];
        return surname.iter().chain(['某'].iter()).collect();
    }
    "某".to_owned()
}

// ---------------------------------------------------------------------------------
// Overlaps

/// Where the fixed labels are written: nothing inside one is matched again.
fn protected_labels(t: &Text, text: &str) -> Vec<(usize, usize)> {
    LABELS.iter().flat_map(|label| text.match_indices(label).map(|(at, _)| (t.char_index(at), t.char_index(at + label.len())))).collect()
}

/// The candidates as sorted, non-overlapping spans: overlapping candidates become one
/// span covering all of them, of the longest one's kind (the more specific on a tie), so
/// that nothing any pattern found is left half-masked.
fn resolve(mut found: Vec<Found>, protected: &[(usize, usize)]) -> Vec<Found> {
    found.retain(|f| f.start < f.end && !protected.iter().any(|&(s, e)| f.start < e && s < f.end));
    found.sort_by_key(|f| (f.start, Reverse(f.end)));
    let mut spans: Vec<Found> = Vec::new();
    let mut cluster: Option<(Found, Found)> = None; // (the union, its longest candidate)
    for f in found {
        match &mut cluster {
            Some((union, longest)) if f.start < union.end => {
                union.end = union.end.max(f.end);
                if (f.len(), Reverse(f.kind.rank())) > (longest.len(), Reverse(longest.kind.rank())) {
                    *longest = f;
                }
            }
            _ => {
                if let Some((union, longest)) = cluster.take() {
                    spans.push(Found { kind: longest.kind, ..union });
                }
                cluster = Some((f, f));
            }
        }
    }
    if let Some((union, longest)) = cluster {
        spans.push(Found { kind: longest.kind, ..union });
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn masked(text: &str) -> String {
        mask(text, &[]).masked_text()
    }

    fn kinds(text: &str, names: &[&str]) -> Vec<(PiiKind, String)> {
        find(text, names).into_iter().map(|s| (s.kind, text[s.start..s.end].to_owned())).collect()
    }

    const CASE: &str = "当事人张三（身份证号34010419900101123X，联系电话138 0013 8000）于2026年3月5日在合肥市蜀山区长江西路123号5栋601室经营的香满楼餐馆内销售过期食品，车牌皖A·12345的货车…依据《食品安全法》第一百二十四条，拟罚款人民币20,000元。";

    #[test]
    fn masks_a_whole_penalty_case_and_keeps_what_the_panel_needs() {
        let result = mask(CASE, &["张三", "香满楼餐馆"]);
        assert_eq!(
            result.masked_text(),
            "当事人张某（身份证号〔身份证号〕，联系电话〔手机号〕）于2026年3月5日在合肥市蜀山区〔详细地址〕经营的某餐馆内销售过期食品，车牌皖A·*****的货车…依据《食品安全法》第一百二十四条，拟罚款人民币20,000元。"
        );
        assert_eq!(result.original_text(), CASE);
        assert_eq!(result.count(), 6);
        assert_eq!(
            kinds(CASE, &["张三", "香满楼餐馆"]).into_iter().map(|(k, _)| k).collect::<Vec<_>>(),
            [PiiKind::Name, PiiKind::IdNumber, PiiKind::Mobile, PiiKind::Address, PiiKind::Name, PiiKind::Plate]
        );
    }

    #[test]
    fn segments_hold_the_original_and_the_replacement_side_by_side() {
        let result = mask("当事人张三，电话13800138000。", &["张三"]);
        assert_eq!(
            result.segments,
            vec![
                Segment::Plain("当事人".into()),
                Segment::Masked { kind: PiiKind::Name, original: "张三".into(), replacement: "张某".into() },
                Segment::Plain("，电话".into()),
                Segment::Masked { kind: PiiKind::Mobile, original: "13800138000".into(), replacement: "〔手机号〕".into() },
                Segment::Plain("。".into()),
            ]
        );
        let json = serde_json::to_string(&result).unwrap();
        assert!(json.contains(r#"{"masked":{"kind":"mobile","#), "{json}");
        assert_eq!(serde_json::from_str::<Masked>(&json).unwrap(), result);
        assert_eq!(mask("", &["张三"]), Masked::default());
    }

    #[test]
    fn spans_are_sorted_non_overlapping_byte_offsets() {
        let spans = find(CASE, &["张三", "香满楼餐馆"]);
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
        for span in &spans {
            assert!(CASE.is_char_boundary(span.start) && CASE.is_char_boundary(span.end));
        }
        assert_eq!(&CASE[spans[1].start..spans[1].end], "34010419900101123X");
    }

    #[test]
    fn masks_resident_id_with_x_check_digit() {
        for id in ["34010419900101123X", "34010419900101005X", "34010419900101005x", "11010519491231002Ｘ"] {
            assert_eq!(masked(&format!("身份证号码{id}。")), "身份证号码〔身份证号〕。", "{id}");
        }
        // 18 digits, valid or mistyped check digit; the old 15-digit number
        assert_eq!(masked("公民身份号码：440304198510031545"), "公民身份号码：〔身份证号〕");
        assert_eq!(masked("公民身份号码：440304198510031546"), "公民身份号码：〔身份证号〕");
        assert_eq!(masked("旧身份证340104900101123，"), "旧身份证〔身份证号〕，");
        // full-width digits too
        assert_eq!(masked("身份证３４０１０４１９９００１０１００５Ｘ"), "身份证〔身份证号〕");
    }

    #[test]
    fn masks_mobiles_in_every_written_form() {
        for phone in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "138 - 0013 - 8000",
            "+86-138-0013-8000",
            "+86 13800138000",
            "＋86 138 0013 8000",
            "0086 13800138000",
            "008613800138000",
            "86 13800138000",
            "8613800138000",
            "(+86)13800138000",
            "（+86）138-0013-8000",
            "１３８００１３８０００",
            "19912345678",
        ] {
            assert_eq!(masked(&format!("联系电话：{phone}。")), "联系电话：〔手机号〕。", "{phone}");
            assert_eq!(kinds(phone, &[]), [(PiiKind::Mobile, phone.to_owned())], "{phone}");
        }
        // right before a year, after text, between Latin letters
        assert_eq!(masked("TEL13800138000"), "TEL〔手机号〕");
        assert_eq!(masked("138 0013 8000 2026年"), "〔手机号〕 2026年");
    }

    #[test]
    fn a_mobile_inside_a_longer_digit_run_is_not_half_masked() {
        // 12 and 14 digits: not a mobile, nothing masked
        for run in ["138001380001", "13800138000123", "213800138000"] {
            assert_eq!(masked(&format!("订单号{run}")), format!("订单号{run}"), "{run}");
        }
        // inside a bank card, the whole card goes
        assert_eq!(masked("卡号6222 1380 0138 0002"), "卡号〔银行卡号〕");
        assert_eq!(masked("6213800138000000003"), "〔银行卡号〕");
        // a landline inside a card in groups of four
        assert_eq!(masked("6222-0551-6234-5678"), "〔银行卡号〕");
    }

    #[test]
    fn masks_landlines_with_area_code_and_extension() {
        for phone in [
            "0551-62345678",
            "0551 62345678",
            "055162345678",
            "(0551)62345678",
            "(0551) 6234-5678",
            "（0551）6234 5678",
            "010-8888 6666",
            "01088886666",
            "021-6234567",
            "0551-62345678转123",
            "0551-62345678 转 8001",
            "0551-62345678分机123",
            "0551-62345678 ext. 12",
            "+86 551 6234 5678",
            "+86-10-88886666",
            "0086 21 62345678",
        ] {
            assert_eq!(masked(&format!("办公电话：{phone}；")), "办公电话：〔电话〕；", "{phone}");
            assert_eq!(kinds(phone, &[]), [(PiiKind::Landline, phone.to_owned())], "{phone}");
        }
        // a local number without area code, after a phone cue only
        assert_eq!(masked("联系电话：62345678"), "联系电话：〔电话〕");
        assert_eq!(masked("电话号码为 6234 5678"), "电话号码为 〔电话〕");
        assert_eq!(masked("罚款62345678元"), "罚款62345678元");
    }

    #[test]
    fn masks_plates_keeping_province_and_letter() {
        for (plate, hidden) in [
            ("皖A·12345", "皖A·*****"),
            ("皖A12345", "皖A*****"),
            ("皖A•12345", "皖A•*****"),
            ("皖A・12345", "皖A・*****"),
            ("粤B 12345", "粤B *****"),
            ("沪B·D12345", "沪B·******"),
            ("沪BD12345", "沪B******"),
            ("京A·12345F", "京A·******"),
            ("苏E·A3B45", "苏E·*****"),
            ("皖A·1234挂", "皖A·*****"),
        ] {
            assert_eq!(masked(&format!("车牌号{plate}的货车")), format!("车牌号{hidden}的货车"), "{plate}");
            assert_eq!(replacement(PiiKind::Plate, plate), hidden);
        }
        // too long, too short, no digit, lower case: not a plate
        for text in ["皖A1234567", "皖A123", "新ABCDE", "皖a12345"] {
            assert_eq!(masked(text), text, "{text}");
        }
    }

    #[test]
    fn masks_bank_cards_grouped_ungrouped_and_in_context_even_if_luhn_fails() {
        // Luhn-valid, ungrouped
        assert_eq!(masked("转入6222021234567890128。"), "转入〔银行卡号〕。");
        assert_eq!(masked("转入6217001234567893。"), "转入〔银行卡号〕。");
        // grouped in fours, Luhn or not
        assert_eq!(masked("转入6222 0212 3456 7890 123。"), "转入〔银行卡号〕。");
        assert_eq!(masked("转入6228-4800-1234-5678。"), "转入〔银行卡号〕。");
        // after a cue, Luhn fails, any grouping, account numbers up to 30 digits
        assert_eq!(masked("银行卡号：6222021234567890124"), "银行卡号：〔银行卡号〕");
        assert_eq!(masked("账号为 622202 1234567890124，"), "账号为 〔银行卡号〕，");
        assert_eq!(masked("开户行某银行，账户：12345678901234567890123"), "开户行某银行，账户：〔银行卡号〕");
        // without a cue a 16-digit run failing Luhn is some other number
        assert_eq!(masked("流水号6222021234567890"), "流水号6222021234567890");
    }

    #[test]
    fn keeps_amounts_dates_times_case_numbers_and_articles() {
        for text in [
            "罚款5000元",
            "拟罚款人民币20,000元",
            "没收违法所得1,234,567.89元",
            "罚款人民币壹万元整（¥10000.00）",
            "2026年3月5日14时30分",
            "2026-03-05 14:30:00",
            "二〇二六年三月五日",
            "3月5号上午",
            "合市监罚〔2026〕15号",
            "皖市监罚字〔2026〕第0015号",
            "依据《食品安全法》第三十二条第二款",
            "第32条、第124条第1款第（三）项",
            "违法所得共计12笔",
            "检查了3个批次20箱",
        ] {
            assert_eq!(mask(text, &[]).count(), 0, "{text}: {:?}", find(text, &[]));
        }
    }

    #[test]
    fn leaves_unified_social_credit_codes_and_other_numbers() {
        // A credit code names a business, which the decision names anyway; it never
        // passes for an ID number (no province code starts with 9) or, with a valid
        // check character, for a bank card.
        for text in [
            "统一社会信用代码：91340100MA2N3K8P4P",
            "统一社会信用代码91340100MA2NABCD17",
            "统一社会信用代码913401000001000404",
            "个体工商户统一社会信用代码92340104MA2T12345H",
            "发票号码123456789012",
            "抽样单编号202603051234",
        ] {
            assert_eq!(masked(text), text, "{text}");
        }
    }

    #[test]
    fn masks_addresses_below_district_level_and_keeps_city_and_district() {
        for (text, expected) in [
            ("住合肥市蜀山区长江西路123号5栋601室。", "住合肥市蜀山区〔详细地址〕。"),
            ("安徽省合肥市包河区望湖城小区3栋2单元501室", "安徽省合肥市包河区〔详细地址〕"),
            ("地址：合肥市蜀山区三里庵街道长江西路123号", "地址：合肥市蜀山区〔详细地址〕"),
            ("经营场所位于肥西县上派镇宝成路88号", "经营场所位于肥西县〔详细地址〕"),
            ("户籍地：庐江县汤池镇果树村3组", "户籍地：庐江县〔详细地址〕"),
            ("上海市黄浦区长乐路123弄45号", "上海市黄浦区〔详细地址〕"),
            ("合肥市蜀山区红旗路12号", "合肥市蜀山区〔详细地址〕"),
            ("合肥市蜀山区天鹅湖大厦A座1801室", "合肥市蜀山区〔详细地址〕"),
            ("家住幸福家园二期3栋", "家住〔详细地址〕"),
        ] {
            assert_eq!(masked(text), expected, "{text}");
        }
    }

    #[test]
    fn without_a_district_or_cue_only_the_numbered_part_is_masked() {
        assert_eq!(masked("在幸福小区3栋2单元501室门口"), "在幸福小区〔详细地址〕门口");
        assert_eq!(masked("在长江西路123号门前"), "在长江西路〔详细地址〕门前");
        assert_eq!(masked("位置在3栋601室"), "位置在〔详细地址〕");
        // a single numbered word alone is not an address
        assert_eq!(masked("第15号公告"), "第15号公告");
    }

    #[test]
    fn keeps_agency_and_place_words_that_are_not_addresses() {
        for text in ["合肥市市场监督管理局", "蜀山区人民政府", "在蜀山区开展专项检查", "蜀山区内的居民楼", "本市范围内", "合肥高新区管委会"]
        {
            assert_eq!(masked(text), text, "{text}");
        }
    }

    #[test]
    fn masks_every_occurrence_of_listed_names_longest_first() {
        let text = "张三丰与张三系父子。张三丰称，张三不知情。";
        assert_eq!(mask(text, &["张三", "张三丰"]).masked_text(), "张某与张某系父子。张某称，张某不知情。");
        assert_eq!(mask(text, &["张三", "张三丰"]).count(), 4);
        // blank and one-character names are skipped
        assert_eq!(mask("张三与李四", &["", "  ", "张", "李四 "]).masked_text(), "张三与李某");
        // a name inside an address goes with the address
        assert_eq!(mask("住蜀山区张三村3组", &["张三"]).masked_text(), "住蜀山区〔详细地址〕");
    }

    #[test]
    fn replaces_persons_by_surname_and_businesses_by_their_form() {
        for (name, expected) in [
            ("张三", "张某"),
            ("王小明", "王某"),
            ("欧阳娜娜", "欧阳某"),
            ("司马光", "司马某"),
            ("诸葛亮", "诸葛某"),
            ("欧阳", "欧某"),
            ("合肥香满楼餐饮有限公司", "某餐饮有限公司"),
            ("合肥某某餐饮有限公司", "某餐饮有限公司"),
            ("安徽华星股份有限公司", "某股份有限公司"),
            ("合肥市蜀山区老王烟酒商行", "某烟酒商行"),
            ("香满楼餐馆", "某餐馆"),
            ("蜀山区张三水果店", "某水果店"),
            ("李四（个体工商户）", "某"),
            ("蜀山区李四个体工商户", "某个体工商户"),
            ("John Smith", "某"),
            ("阿依古丽·买买提", "某"),
            ("爱新觉罗溥仪", "某"),
        ] {
            assert_eq!(replacement(PiiKind::Name, name), expected, "{name}");
        }
        assert_eq!(replacement(PiiKind::IdNumber, "34010419900101123X"), "〔身份证号〕");
        assert_eq!(replacement(PiiKind::Mobile, "13800138000"), "〔手机号〕");
        assert_eq!(replacement(PiiKind::Landline, "0551-62345678"), "〔电话〕");
        assert_eq!(replacement(PiiKind::BankCard, "6222021234567890128"), "〔银行卡号〕");
        assert_eq!(replacement(PiiKind::Address, "长江西路123号"), "〔详细地址〕");
    }

    #[test]
    fn mask_is_idempotent() {
        let names = ["张三", "香满楼餐馆", "合肥香满楼餐饮有限公司"];
        let text = format!(
            "{CASE}\n合肥香满楼餐饮有限公司（统一社会信用代码91340100MA2N3K8P4P），法定代表人张三，电话0551-62345678转123，\
             账号6222 0212 3456 7890 123，住所地合肥市蜀山区三里庵街道幸福小区3栋2单元501室。"
        );
        let once = mask(&text, &names).masked_text();
        let twice = mask(&once, &names);
        assert_eq!(twice.masked_text(), once);
        assert_eq!(twice.count(), 0, "{:?}", twice.segments);
        assert!(check_published(&once).is_ok());
        assert!(once.contains("某餐饮有限公司（统一社会信用代码91340100MA2N3K8P4P），法定代表人张某，电话〔电话〕，账号〔银行卡号〕，住所地合肥市蜀山区〔详细地址〕。"), "{once}");
    }

    #[test]
    fn numbers_next_to_other_numbers_are_masked_the_same_the_second_time() {
        // an X ends an ID number even when digits follow it
        assert_eq!(masked("34010419900101123x340104900101123"), "〔身份证号〕〔身份证号〕");
        // an account number is cut at 30 digits, before the card that follows it
        let text = "银行卡1380086138138 6222021234567890128";
        assert_eq!(masked(text), "银行卡〔银行卡号〕 〔银行卡号〕");
        assert_eq!(masked(&masked(text)), masked(text));
        // a numbered address right after a card starts where the card ends
        assert_eq!(masked("6222021234567890128A座1801室"), "〔银行卡号〕〔详细地址〕");
        // a plate ends where an ID number starts, as it does once the number is masked
        assert_eq!(masked("皖X0086X340104900101123"), "皖X*****〔身份证号〕");
    }

    #[test]
    fn check_published_points_at_the_line_and_column_without_repeating_the_number() {
        let text = "处罚决定书\n当事人张某，电话：13800138000，住所地合肥市。";
        let err = check_published(text).unwrap_err();
        assert_eq!((err.kind, err.line, err.column), (PiiKind::Mobile, 2, 10));
        assert_eq!(err.excerpt, "，电话：138******00，住所地");
        assert!(!err.excerpt.contains("13800138000"));

        let err = check_published("身份证号34010419900101123X").unwrap_err();
        assert_eq!((err.kind, err.line, err.column), (PiiKind::IdNumber, 1, 5));
        assert_eq!(err.excerpt, "身份证号340*************3X");

        let err = check_published("甲\n乙\n\t（0551）6234 5678转12").unwrap_err();
        assert_eq!((err.kind, err.line, err.column), (PiiKind::Landline, 3, 2));
        assert_eq!(err.excerpt, "\t（055*）**** ****转12");

        // the first one wins; bank cards, plates and addresses are not refused here
        assert_eq!(check_published("卡号6222021234567890128，010-88886666，13800138000").unwrap_err().kind, PiiKind::Landline);
        assert_eq!(check_published("车牌皖A·12345，合肥市蜀山区长江西路123号"), Ok(()));
        assert_eq!(check_published("罚款20,000元，合市监罚〔2026〕15号，2026年3月5日"), Ok(()));
    }

    #[test]
    fn check_published_accepts_what_mask_produced() {
        let once = mask(CASE, &["张三"]).masked_text();
        assert_eq!(check_published(&once), Ok(()));
        assert!(check_published(CASE).is_err());
    }

    #[test]
    fn kinds_round_trip() {
        for kind in PiiKind::ALL {
            assert_eq!(PiiKind::parse(kind.as_str()), Ok(*kind));
        }
        assert_eq!(PiiKind::parse("email"), Err(Rule::UnknownChoice));
    }

    /// Strings built from the pieces the patterns are made of, so that near misses and
    /// overlaps are common.
    fn pii_like_text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "1",
            "0",
            "2",
            "8",
            "9",
            "138",
            "0013",
            "8000",
            "13800138000",
            "+86",
            "0086",
            "86",
            "(",
            ")",
            "（",
            "）",
            " ",
            "-",
            "·",
            "•",
            "\n",
            "0551",
            "010",
            "6234",
            "5678",
            "转",
            "分机",
            "ext",
            "12",
            "X",
            "x",
            "ｘ",
            "１",
            "Ａ",
            "34010419900101123",
            "340104900101123",
            "6222",
            "0212",
            "6222021234567890128",
            "皖",
            "沪",
            "A",
            "B",
            "D",
            "12345",
            "挂",
            "合肥市",
            "蜀山区",
            "县",
            "镇",
            "街道",
            "长江西路",
            "红旗",
            "路",
            "小区",
            "号",
            "号楼",
            "栋",
            "单元",
            "室",
            "座",
            "二",
            "期",
            "住",
            "位于",
            "户籍地",
            "村",
            "三",
            "某",
            "的",
            "为",
            "银行卡",
            "账号",
            "卡号",
            "：",
            "电话",
            "Tel",
            "〔",
            "〕",
            "〔手机号〕",
            "〔详细地址〕",
            "〔银行卡号〕",
            "元",
            "年",
            "张三",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    fn check_properties(text: &str, names: &[&str]) -> Result<(), TestCaseError> {
        let result = mask(text, names);
        prop_assert_eq!(result.original_text(), text);
        let once = result.masked_text();
        prop_assert_eq!(check_published(&once), Ok(()), "{:?} masked as {:?}", text, once);
        prop_assert_eq!(mask(&once, names).masked_text(), once.clone(), "{:?}", text);
        let spans = find(text, names);
        prop_assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
        prop_assert!(spans.iter().all(|s| s.start < s.end && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)));
        Ok(())
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_panic_and_come_out_publishable(text in any::<String>()) {
            check_properties(&text, &[])?;
        }

        #[test]
        fn pii_like_strings_come_out_publishable_and_stable(text in pii_like_text()) {
            check_properties(&text, &[])?;
            check_properties(&text, &["张三", "长江西路"])?;
        }
    }
}
