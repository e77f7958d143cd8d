//! Evidence files (assessment reports, legality opinions, mitigation plans, hearing
//! materials and minutes) are judged by their bytes, never by their name or by the
//! Content-Type the client sent.
//!
//! The judgement is an allow-list: a file is accepted only when its content is
//! positively recognised as one of the [`FileKind`]s; everything else is refused with
//! [`Rule::FileTypeRefused`] naming what was found (executables, scripts, HTML, XML,
//! archives, ...). In particular:
//!
//! - **SVG is always refused**, with or without `<script>`: an SVG image can also run
//!   script through event attributes, `<foreignObject>`, `javascript:` links and
//!   external references, and telling a harmless one apart reliably needs a full XML
//!   parser and a sanitiser. Evidence images come as PNG, JPEG, GIF or WebP.
//! - A PDF must start with `%PDF-` (no polyglot prefix) and carry no active content:
//!   the names in [`PDF_ACTIVE_NAMES`] are refused wherever they appear in the raw
//!   bytes, with `#xx` escapes in names decoded first (`/J#61vaScript` is
//!   `/JavaScript`). The server also parses the structure and scans the objects held in
//!   compressed object streams (`backend::files`); that part needs a PDF parser and
//!   does not run in the browser.
//! - Office documents: OOXML (`[Content_Types].xml` plus a `word/`, `xl/` or `ppt/`
//!   part), OpenDocument (a stored `mimetype` entry first) and the older OLE compound
//!   files of Word, Excel and PowerPoint. A plain ZIP, any other OLE file (installers
//!   are OLE files too) and documents carrying VBA macros are refused.
//! - Text must be UTF-8 without control characters other than tab, line breaks and
//!   form feed, and must not start with markup.
//!
//! Everything here is pure and compiles to wasm: [`Inspection`] takes the bytes in
//! chunks, so the server judges an upload as it streams in, with bounded memory.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::{text, Rule};

/// How many leading bytes [`Inspection::start`] wants to see (fewer if the file is
/// shorter): enough for the first entries of an office ZIP.
pub const SNIFF_LEN: usize = 64 * 1024;

/// The longest original name kept, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// PDF names that mean active content: scripts, actions that start programs, embedded
/// files, embedded Flash/3D media.
pub const PDF_ACTIVE_NAMES: &[&str] = &["JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "RichMedia"];

/// What an accepted file is, as judged from its content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Gif,
    Webp,
    Docx,
    Xlsx,
    Pptx,
    Odt,
    Ods,
    Odp,
    /// Word 97-2003 (OLE compound file).
    Doc,
    /// Excel 97-2003 (OLE compound file).
    Xls,
    /// PowerPoint 97-2003 (OLE compound file).
    Ppt,
    /// UTF-8 plain text.
    Txt,
}

impl FileKind {
    pub const ALL: [FileKind; 15] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
        FileKind::Webp,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
        FileKind::Odt,
        FileKind::Ods,
        FileKind::Odp,
        FileKind::Doc,
        FileKind::Xls,
        FileKind::Ppt,
        FileKind::Txt,
    ];

    /// The Content-Type a download is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Odp => "application/vnd.oasis.opendocument.presentation",
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Ppt => "application/vnd.ms-powerpoint",
            FileKind::Txt => "text/plain; charset=utf-8",
        }
    }

    /// The usual file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// Extensions a name of this kind may already end with (lower case).
    fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Jpeg => &["jpg", "jpeg", "jpe"],
            FileKind::Txt => &["txt", "text", "csv", "md", "log"],
            kind => std::slice::from_ref(match kind {
                FileKind::Pdf => &"pdf",
                FileKind::Png => &"png",
                FileKind::Gif => &"gif",
                FileKind::Webp => &"webp",
                FileKind::Docx => &"docx",
                FileKind::Xlsx => &"xlsx",
                FileKind::Pptx => &"pptx",
                FileKind::Odt => &"odt",
                FileKind::Ods => &"ods",
                FileKind::Odp => &"odp",
                FileKind::Doc => &"doc",
                FileKind::Xls => &"xls",
                FileKind::Ppt => &"ppt",
                FileKind::Jpeg | FileKind::Txt => unreachable!(),
            }),
        }
    }

    /// Whether a browser may show it in the page (images only); everything else is
    /// served as a download.
    pub fn inline_ok(self) -> bool {
        matches!(self, FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp)
    }

    /// The stored spelling (as in serde).
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
            FileKind::Odt => "odt",
            FileKind::Ods => "ods",
            FileKind::Odp => "odp",
            FileKind::Doc => "doc",
            FileKind::Xls => "xls",
            FileKind::Ppt => "ppt",
            FileKind::Txt => "txt",
        }
    }

    pub fn parse(stored: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == stored)
    }
}

/// Refuses an empty file and one over `max_bytes`.
pub fn check_size(size: u64, max_bytes: u64) -> Result<(), Rule> {
    if size == 0 {
        Err(Rule::FileEmpty)
    } else if size > max_bytes {
        Err(Rule::FileTooLarge { max_bytes })
    } else {
        Ok(())
    }
}

/// Judges a whole file held in memory (or, for a first look, its first bytes: an OLE
/// document whose directory lies further on is then refused).
pub fn sniff(head: &[u8]) -> Result<FileKind, Rule> {
    let mut inspection = Inspection::start(head)?;
    inspection.feed(head);
    inspection.finish()
}

/// A judgement in progress over a file that arrives in chunks.
///
/// `start` decides from the first [`SNIFF_LEN`] bytes whatever they can decide (most
/// refusals happen here, before anything is stored); then every byte of the file, the
/// first ones included, goes through `feed` in order, and `finish` gives the verdict.
#[derive(Debug)]
pub struct Inspection {
    probe: Probe,
}

#[derive(Debug)]
enum Probe {
    Known(FileKind),
    Pdf(PdfNameScan),
    Zip(FileKind, Needles),
    Ole(Needles),
    Text(TextScan),
}

// tags of the needles looked for in office files
const VBA: u8 = 1;
const WORD: u8 = 2;
const EXCEL: u8 = 3;
const POWERPOINT: u8 = 4;

impl Inspection {
    pub fn start(head: &[u8]) -> Result<Self, Rule> {
        Ok(Self { probe: classify(head)? })
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        match &mut self.probe {
            Probe::Known(_) => {}
            Probe::Pdf(scan) => scan.feed(chunk),
            Probe::Zip(_, needles) | Probe::Ole(needles) => needles.feed(chunk),
            Probe::Text(scan) => scan.feed(chunk),
        }
    }

    pub fn finish(self) -> Result<FileKind, Rule> {
        match self.probe {
            Probe::Known(kind) => Ok(kind),
            Probe::Pdf(scan) => match scan.finish() {
                Some(name) => Err(Rule::PdfActiveContent { name: format!("/{name}") }),
                None => Ok(FileKind::Pdf),
            },
            Probe::Zip(kind, needles) => {
                if needles.found(VBA) {
                    Err(Rule::OfficeMacros)
                } else {
                    Ok(kind)
                }
            }
            Probe::Ole(needles) => {
                if needles.found(VBA) {
                    Err(Rule::OfficeMacros)
                } else if needles.found(WORD) {
                    Ok(FileKind::Doc)
                } else if needles.found(EXCEL) {
                    Ok(FileKind::Xls)
                } else if needles.found(POWERPOINT) {
                    Ok(FileKind::Ppt)
                } else {
                    Err(refused("OLE"))
                }
            }
            Probe::Text(scan) => {
                if scan.finish() {
                    Ok(FileKind::Txt)
                } else {
                    Err(refused(UNKNOWN))
                }
            }
        }
    }
}

/// What [`Rule::FileTypeRefused`] names when nothing was recognised.
pub const UNKNOWN: &str = "unknown";

fn refused(found: &str) -> Rule {
    Rule::FileTypeRefused { found: found.to_owned() }
}

fn classify(head: &[u8]) -> Result<Probe, Rule> {
    let head = &head[..head.len().min(SNIFF_LEN)];
    if head.is_empty() {
        return Err(Rule::FileEmpty);
    }
    let starts = |magic: &[u8]| head.starts_with(magic);
    if starts(b"%PDF-") {
        return Ok(Probe::Pdf(PdfNameScan::default()));
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(Probe::Known(FileKind::Png));
    }
    if starts(b"\xff\xd8\xff") {
        return Ok(Probe::Known(FileKind::Jpeg));
    }
    if starts(b"GIF87a") || starts(b"GIF89a") {
        return Ok(Probe::Known(FileKind::Gif));
    }
    if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Ok(Probe::Known(FileKind::Webp));
    }
    if starts(b"PK\x03\x04") {
        let kind = zip_kind(head).ok_or_else(|| refused("ZIP"))?;
        return Ok(Probe::Zip(kind, Needles::new(&[(&b"vbaProject.bin"[..], VBA)])));
    }
    if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Ok(Probe::Ole(Needles::new(&[
            (UTF16_VBA, VBA),
            (UTF16_WORD, WORD),
            (UTF16_WORKBOOK, EXCEL),
            (UTF16_BOOK, EXCEL),
            (UTF16_POWERPOINT, POWERPOINT),
        ])));
    }
    if let Some(found) = foreign_binary(head) {
        return Err(refused(found));
    }
    let body = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if let Some(found) = markup(body) {
        return Err(refused(found));
    }
    if head.contains(&0) {
        return Err(refused(UNKNOWN));
    }
    Ok(Probe::Text(TextScan::default()))
}

/// Executables, scripts and other formats that are recognised in order to be named in
/// the refusal.
fn foreign_binary(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"MZ", "EXE/DLL (MZ/PE)"),
        (b"\x7fELF", "ELF"),
        (b"\xfe\xed\xfa\xce", "Mach-O"),
        (b"\xfe\xed\xfa\xcf", "Mach-O"),
        (b"\xce\xfa\xed\xfe", "Mach-O"),
        (b"\xcf\xfa\xed\xfe", "Mach-O"),
        (b"\xca\xfe\xba\xbe", "Mach-O / Java class"),
        (b"#!", "#! script"),
        (b"\0asm", "WebAssembly"),
        (b"dex\n", "Android DEX"),
        (b"Rar!\x1a\x07", "RAR"),
        (b"7z\xbc\xaf\x27\x1c", "7z"),
        (b"\x1f\x8b", "gzip"),
        (b"BZh", "bzip2"),
        (b"\xfd7zXZ\0", "xz"),
        (b"%!PS", "PostScript"),
        (b"{\\rtf", "RTF"),
        (b"\xff\xfe", "UTF-16 text"),
        (b"\xfe\xff", "UTF-16 text"),
        (b"L\0\0\0\x01\x14\x02\0", "Windows shortcut (LNK)"),
    ];
    MAGIC.iter().find(|(magic, _)| head.starts_with(magic)).map(|(_, name)| *name)
}

/// Markup a browser could render: refused whether or not it carries script.
fn markup(body: &[u8]) -> Option<&'static str> {
    let lower: Vec<u8> = body.iter().take(4096).map(u8::to_ascii_lowercase).collect();
    let anywhere = |needle: &[u8]| memchr::memmem::find(&lower, needle).is_some();
    let first = lower.iter().position(|b| !b.is_ascii_whitespace());
    let starts_with_tag = first.is_some_and(|at| lower[at] == b'<');
    if anywhere(b"<svg") {
        return Some("SVG");
    }
    if anywhere(b"<html") || anywhere(b"<script") || anywhere(b"<!doctype html") || anywhere(b"<iframe") {
        return Some("HTML");
    }
    if starts_with_tag {
        return Some(if lower[first.unwrap_or(0)..].starts_with(b"<?xml") { "XML" } else { "HTML" });
    }
    None
}

/// An office document in a ZIP, from the local headers found in the first bytes.
fn zip_kind(head: &[u8]) -> Option<FileKind> {
    let entries = zip_entries(head);
    if let Some(first) = entries.first() {
        if first.name == b"mimetype" && first.stored {
            return match first.data {
                b"application/vnd.oasis.opendocument.text" => Some(FileKind::Odt),
                b"application/vnd.oasis.opendocument.spreadsheet" => Some(FileKind::Ods),
                b"application/vnd.oasis.opendocument.presentation" => Some(FileKind::Odp),
                _ => None,
            };
        }
    }
    if !entries.iter().any(|entry| entry.name == b"[Content_Types].xml") {
        return None;
    }
    [(&b"word/"[..], FileKind::Docx), (b"xl/", FileKind::Xlsx), (b"ppt/", FileKind::Pptx)]
        .into_iter()
        .find(|(dir, _)| entries.iter().any(|entry| entry.name.starts_with(dir)))
        .map(|(_, kind)| kind)
}

struct ZipEntry<'a> {
    name: &'a [u8],
    stored: bool,
    /// The entry's data when stored and wholly inside the head; empty otherwise.
    data: &'a [u8],
}

/// Every local file header whose name lies inside `head` (found by signature, so that
/// entries written with a trailing data descriptor are seen too).
fn zip_entries(head: &[u8]) -> Vec<ZipEntry<'_>> {
    let u16_at = |at: usize| head.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |at: usize| head.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
    memchr::memmem::find_iter(head, b"PK\x03\x04")
        .filter_map(|at| {
            let method = u16_at(at + 8)?;
            let size = u32_at(at + 18)?;
            let name_len = u16_at(at + 26)?;
            let extra_len = u16_at(at + 28)?;
            let name = head.get(at + 30..at + 30 + name_len)?;
            let data_at = at + 30 + name_len + extra_len;
            let data = if method == 0 { head.get(data_at..data_at + size).unwrap_or(&[]) } else { &[] };
            Some(ZipEntry { name, stored: method == 0, data })
        })
        .collect()
}

// OLE directory entry names are UTF-16LE
const UTF16_VBA: &[u8] = b"_\0V\0B\0A\0_\0P\0R\0O\0J\0E\0C\0T\0";
const UTF16_WORD: &[u8] = b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0";
const UTF16_WORKBOOK: &[u8] = b"W\0o\0r\0k\0b\0o\0o\0k\0";
const UTF16_BOOK: &[u8] = b"B\0o\0o\0k\0\0\0";
const UTF16_POWERPOINT: &[u8] = b"P\0o\0w\0e\0r\0P\0o\0i\0n\0t\0 \0D\0o\0c\0u\0m\0e\0n\0t\0";

/// Looks for fixed byte strings across chunk boundaries.
#[derive(Debug)]
struct Needles {
    needles: Vec<(&'static [u8], u8)>,
    found: Vec<u8>,
    tail: Vec<u8>,
    overlap: usize,
}

impl Needles {
    fn new(needles: &[(&'static [u8], u8)]) -> Self {
        let longest = needles.iter().map(|(needle, _)| needle.len()).max().unwrap_or(1);
        Self { needles: needles.to_vec(), found: Vec::new(), tail: Vec::new(), overlap: longest - 1 }
    }

    fn feed(&mut self, chunk: &[u8]) {
        // a needle that straddles the previous chunk and this one
        let mut window = std::mem::take(&mut self.tail);
        window.extend_from_slice(&chunk[..chunk.len().min(self.overlap)]);
        self.search(&window);
        self.search(chunk);
        self.tail = if chunk.len() >= self.overlap {
            chunk[chunk.len() - self.overlap..].to_vec()
        } else {
            window[window.len().saturating_sub(self.overlap)..].to_vec()
        };
    }

    fn search(&mut self, bytes: &[u8]) {
        for (needle, tag) in &self.needles {
            if !self.found.contains(tag) && memchr::memmem::find(bytes, needle).is_some() {
                self.found.push(*tag);
            }
        }
    }

    fn found(&self, tag: u8) -> bool {
        self.found.contains(&tag)
    }
}

/// Finds the first active-content name (see [`PDF_ACTIVE_NAMES`]) in PDF bytes, with
/// `#xx` escapes decoded. Returns it without the slash.
pub fn pdf_active_name(bytes: &[u8]) -> Option<String> {
    let mut scan = PdfNameScan::default();
    scan.feed(bytes);
    scan.finish()
}

/// The streaming form of [`pdf_active_name`]: every `/Name` token is decoded and
/// compared, across chunk boundaries. Names inside strings, comments and stream data
/// are compared too, which can only refuse more, never less; the one exception is the
/// two-letter `/JS`, which compressed stream data (images, fonts) would contain by
/// chance every few megabytes, so it is looked for outside `stream ... endstream` only.
/// A `/JS` in an object that a reader actually loads is found by the structure check
/// on the server either way.
#[derive(Debug, Default)]
pub struct PdfNameScan {
    in_name: bool,
    name: Vec<u8>,
    /// An escape being read: how many hex digits so far and their value.
    escape: Option<(u8, u8)>,
    in_stream: bool,
    /// The last bytes seen, for the `stream` and `endstream` keywords.
    recent: u128,
    found: Option<String>,
}

/// Longer than any name compared; a longer name is simply not one of them.
const NAME_CAP: usize = 32;

const fn keyword(word: &[u8]) -> u128 {
    let mut value = 0u128;
    let mut i = 0;
    while i < word.len() {
        value = (value << 8) | word[i] as u128;
        i += 1;
    }
    value
}

const STREAM: u128 = keyword(b"stream");
const ENDSTREAM: u128 = keyword(b"endstream");
const LAST_6: u128 = (1 << 48) - 1;
const LAST_9: u128 = (1 << 72) - 1;

impl PdfNameScan {
    pub fn feed(&mut self, chunk: &[u8]) {
        for &byte in chunk {
            if self.found.is_some() {
                return;
            }
            self.recent = (self.recent << 8) | byte as u128;
            self.step(byte);
            if byte == b'm' && !self.in_name {
                if self.in_stream {
                    self.in_stream = self.recent & LAST_9 != ENDSTREAM;
                } else {
                    // the keyword, not the end of a longer word
                    self.in_stream = self.recent & LAST_6 == STREAM && !is_regular((self.recent >> 48) as u8);
                }
            }
        }
    }

    fn step(&mut self, byte: u8) {
        if !self.in_name {
            if byte == b'/' {
                self.in_name = true;
                self.name.clear();
            }
            return;
        }
        if let Some((digits, value)) = self.escape {
            if let Some(digit) = hex_digit(byte) {
                let value = value * 16 + digit;
                if digits == 1 {
                    self.push(value);
                    self.escape = None;
                } else {
                    self.escape = Some((1, value));
                }
                return;
            }
            // a malformed escape stands for itself
            self.flush_escape();
        }
        if byte == b'#' {
            self.escape = Some((0, 0));
        } else if is_regular(byte) {
            self.push(byte);
        } else {
            // white space or a delimiter ends the name; a `/` starts the next one
            self.end_name();
            self.step(byte);
        }
    }

    /// The first active name seen, if any.
    pub fn finish(mut self) -> Option<String> {
        if self.in_name && self.found.is_none() {
            self.flush_escape();
            self.end_name();
        }
        self.found
    }

    fn flush_escape(&mut self) {
        if let Some((digits, value)) = self.escape.take() {
            self.push(b'#');
            if digits == 1 {
                self.push(HEX[value as usize]);
            }
        }
    }

    fn push(&mut self, byte: u8) {
        if self.name.len() <= NAME_CAP {
            self.name.push(byte);
        }
    }

    fn end_name(&mut self) {
        self.in_name = false;
        let active = PDF_ACTIVE_NAMES.iter().find(|active| active.as_bytes() == self.name.as_slice());
        if let Some(active) = active {
            if !(self.in_stream && *active == "JS") {
                self.found = Some((*active).to_owned());
            }
        }
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn hex_digit(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|digit| digit as u8)
}

/// PDF "regular" characters: neither white space nor a delimiter.
fn is_regular(byte: u8) -> bool {
    !matches!(byte, 0 | 9 | 10 | 12 | 13 | 32 | b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// UTF-8 without control characters, across chunk boundaries.
#[derive(Debug, Default)]
struct TextScan {
    pending: Vec<u8>,
    bad: bool,
}

impl TextScan {
    fn feed(&mut self, chunk: &[u8]) {
        if self.bad {
            return;
        }
        if chunk.iter().any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f) {
            self.bad = true;
            return;
        }
        let joined;
        let bytes = if self.pending.is_empty() {
            chunk
        } else {
            joined = [std::mem::take(&mut self.pending).as_slice(), chunk].concat();
            &joined
        };
        match std::str::from_utf8(bytes) {
            Ok(_) => {}
            // a character cut by the chunk boundary: keep its start for the next chunk
            Err(error) if error.error_len().is_none() => self.pending = bytes[error.valid_up_to()..].to_vec(),
            Err(_) => self.bad = true,
        }
    }

    fn finish(self) -> bool {
        !self.bad && self.pending.is_empty()
    }
}

/// The original file name as kept: the last path component, without control, bidi
/// and zero-width characters, NFC, trimmed, at most [`MAX_NAME_CHARS`] characters
/// (the extension kept when it has to be shortened); `file` when nothing is left.
pub fn normalise_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .nfc()
        .filter(|&c| !text::is_control(c) && !text::is_bidi_control(c) && !text::is_zero_width(c) && !text::is_line_break(c))
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c.is_whitespace() || c == '.');
    if trimmed.is_empty() {
        return "file".to_owned();
    }
    if trimmed.chars().count() <= MAX_NAME_CHARS {
        return trimmed.to_owned();
    }
    let extension = trimmed.rsplit_once('.').map(|(_, ext)| ext).filter(|ext| ext.chars().count() <= 16 && !ext.is_empty());
    match extension {
        Some(ext) => {
            let keep = MAX_NAME_CHARS - ext.chars().count() - 1;
            let stem: String = trimmed.chars().take(keep).collect();
            format!("{stem}.{ext}")
        }
        None => trimmed.chars().take(MAX_NAME_CHARS).collect(),
    }
}

/// The name a download is offered under: the kept name, with the checked kind's
/// extension added when the name does not already end with one of its extensions (so
/// that `report.exe` that is really a PDF is saved as `report.exe.pdf`).
pub fn download_name(original: &str, kind: FileKind) -> String {
    let name = normalise_name(original);
    let has_extension = name
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && kind.extensions().iter().any(|known| ext.eq_ignore_ascii_case(known)));
    if has_extension {
        name
    } else {
        format!("{name}.{}", kind.extension())
    }
}

/// Tiny valid files of every accepted kind, built by hand: for this crate's tests, the
/// store and HTTP tests.
#[doc(hidden)]
pub mod samples {

    /// A ZIP with the given entries, all stored (not compressed).
    pub fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            let header = |sig: &[u8], central: bool| {
                let mut h = sig.to_vec();
                if central {
                    h.extend_from_slice(&20u16.to_le_bytes()); // made by
                }
                h.extend_from_slice(&20u16.to_le_bytes()); // version needed
                h.extend_from_slice(&0u16.to_le_bytes()); // flags
                h.extend_from_slice(&0u16.to_le_bytes()); // method: stored
                h.extend_from_slice(&0u32.to_le_bytes()); // time, date
                h.extend_from_slice(&crc32(data).to_le_bytes());
                h.extend_from_slice(&(data.len() as u32).to_le_bytes());
                h.extend_from_slice(&(data.len() as u32).to_le_bytes());
                h.extend_from_slice(&(name.len() as u16).to_le_bytes());
                h.extend_from_slice(&0u16.to_le_bytes()); // extra
                if central {
                    h.extend_from_slice(&[0; 8]); // comment, disk, attributes
                    h.extend_from_slice(&0u32.to_le_bytes());
                    h.extend_from_slice(&offset.to_le_bytes());
                }
                h.extend_from_slice(name.as_bytes());
                h
            };
            out.extend(header(b"PK\x03\x04", false));
            out.extend_from_slice(data);
            central.extend(header(b"PK\x01\x02", true));
        }
        let central_at = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&central_at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in data {
            crc ^= byte as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    pub fn docx() -> Vec<u8> {
        zip(&[
            (
                "[Content_Types].xml",
                br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
            ),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document/>"),
        ])
    }

    pub fn png() -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
        png.extend_from_slice(b"\0\0\0\x0dIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82");
        png
    }

    /// A PDF with one empty page and a correct cross-reference table; `extra` is added
    /// to the catalog dictionary.
    pub fn pdf(extra: &str) -> Vec<u8> {
        let objects = [
            format!("<< /Type /Catalog /Pages 2 0 R {extra} >>"),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_owned(),
        ];
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
        for offset in offsets {
            out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    fn refused_as(bytes: &[u8]) -> String {
        match sniff(bytes) {
            Err(Rule::FileTypeRefused { found }) => found,
            other => panic!("expected FileTypeRefused, got {other:?}"),
        }
    }

    /// Feeds the file in chunks of every size from 1 to 17 bytes, so that every
    /// boundary case of the streaming scanners is crossed.
    fn judge_in_chunks(bytes: &[u8]) -> Vec<Result<FileKind, Rule>> {
        (1..=17)
            .map(|size| {
                let mut inspection = Inspection::start(&bytes[..bytes.len().min(SNIFF_LEN)])?;
                for chunk in bytes.chunks(size) {
                    inspection.feed(chunk);
                }
                inspection.finish()
            })
            .collect()
    }

    #[test]
    fn accepts_pdf() {
        assert_eq!(sniff(&pdf("")), Ok(FileKind::Pdf));
    }

    #[test]
    fn accepts_images() {
        assert_eq!(sniff(&png()), Ok(FileKind::Png));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Ok(FileKind::Jpeg));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0\0\0\0;"), Ok(FileKind::Gif));
        assert_eq!(sniff(b"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0"), Ok(FileKind::Webp));
        assert!(FileKind::Png.inline_ok() && !FileKind::Pdf.inline_ok() && !FileKind::Txt.inline_ok());
    }

    #[test]
    fn accepts_ooxml_documents() {
        assert_eq!(sniff(&docx()), Ok(FileKind::Docx));
        let types: &[u8] = b"<Types/>";
        assert_eq!(sniff(&zip(&[("[Content_Types].xml", types), ("xl/workbook.xml", b"<workbook/>")])), Ok(FileKind::Xlsx));
        assert_eq!(sniff(&zip(&[("[Content_Types].xml", types), ("ppt/presentation.xml", b"<p/>")])), Ok(FileKind::Pptx));
    }

    #[test]
    fn accepts_opendocument() {
        for (mime, kind) in [("text", FileKind::Odt), ("spreadsheet", FileKind::Ods), ("presentation", FileKind::Odp)] {
            let mimetype = format!("application/vnd.oasis.opendocument.{mime}");
            let file = zip(&[("mimetype", mimetype.as_bytes()), ("content.xml", b"<office:document-content/>")]);
            assert_eq!(sniff(&file), Ok(kind));
        }
    }

    fn ole(stream_name: &[u8]) -> Vec<u8> {
        let mut file = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
        file.resize(512, 0);
        file.extend_from_slice(b"R\0o\0o\0t\0 \0E\0n\0t\0r\0y\0\0\0");
        file.resize(640, 0);
        file.extend_from_slice(stream_name);
        file.resize(1024, 0);
        file
    }

    #[test]
    fn accepts_ole_office_documents() {
        assert_eq!(sniff(&ole(UTF16_WORD)), Ok(FileKind::Doc));
        assert_eq!(sniff(&ole(UTF16_WORKBOOK)), Ok(FileKind::Xls));
        assert_eq!(sniff(&ole(UTF16_POWERPOINT)), Ok(FileKind::Ppt));
        // the directory far behind the first bytes is found while streaming
        let mut long = ole(b"");
        long.resize(3 * SNIFF_LEN, 7);
        long.extend_from_slice(UTF16_WORD);
        assert!(judge_in_chunks(&long).iter().all(|verdict| *verdict == Ok(FileKind::Doc)));
    }

    #[test]
    fn accepts_utf8_text() {
        assert_eq!(sniff("会议纪要\n一、到会人员\t十二人\r\n".as_bytes()), Ok(FileKind::Txt));
        // a character cut by every possible chunk boundary
        let text = "听证会纪要：价格调整方案。".repeat(20);
        assert!(judge_in_chunks(text.as_bytes()).iter().all(|verdict| *verdict == Ok(FileKind::Txt)));
    }

    #[test]
    fn file_empty() {
        assert_eq!(sniff(b""), Err(Rule::FileEmpty));
        assert_eq!(check_size(0, 10), Err(Rule::FileEmpty));
    }

    #[test]
    fn file_too_large() {
        assert_eq!(check_size(11, 10), Err(Rule::FileTooLarge { max_bytes: 10 }));
        assert_eq!(check_size(10, 10), Ok(()));
    }

    #[test]
    fn file_type_refused_executables_and_scripts() {
        assert_eq!(refused_as(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff"), "EXE/DLL (MZ/PE)");
        assert_eq!(refused_as(b"\x7fELF\x02\x01\x01\0"), "ELF");
        assert_eq!(refused_as(b"\xcf\xfa\xed\xfe\x07\0\0\x01"), "Mach-O");
        assert_eq!(refused_as(b"\xca\xfe\xba\xbe\0\0\0\x34"), "Mach-O / Java class");
        assert_eq!(refused_as(b"#!/bin/sh\nrm -rf /\n"), "#! script");
    }

    #[test]
    fn file_type_refused_html_and_xml() {
        assert_eq!(refused_as(b"<!DOCTYPE html><html><body>hi</body></html>"), "HTML");
        assert_eq!(refused_as(b"  \n<p onclick=alert(1)>report</p>"), "HTML");
        assert_eq!(refused_as(b"\xef\xbb\xbf<?xml version=\"1.0\"?><report/>"), "XML");
        assert_eq!(refused_as(b"minutes\n<script>alert(1)</script>"), "HTML");
    }

    #[test]
    fn file_type_refused_svg_with_or_without_script() {
        assert_eq!(refused_as(br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#), "SVG");
        assert_eq!(refused_as(br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#), "SVG");
    }

    #[test]
    fn file_type_refused_plain_zip_and_other_ole() {
        assert_eq!(refused_as(&zip(&[("setup.exe", b"MZ")])), "ZIP");
        assert_eq!(refused_as(&zip(&[("mimetype", b"application/x-evil"), ("x", b"")])), "ZIP");
        assert_eq!(refused_as(&ole(b"\x05\0S\0u\0m\0m\0a\0r\0y\0")), "OLE");
    }

    #[test]
    fn file_type_refused_binary_and_unknown() {
        assert_eq!(refused_as(b"\x01\x02\x03\x04binary"), UNKNOWN);
        assert_eq!(refused_as(b"text then \0 a NUL"), UNKNOWN);
        assert_eq!(refused_as(b"\xc3\x28 invalid UTF-8"), UNKNOWN);
        assert_eq!(refused_as(b"\x1f\x8b\x08\0"), "gzip");
        // the PDF signature must open the file: no polyglot prefix
        assert_eq!(refused_as(b"<html>%PDF-1.4"), "HTML");
    }

    #[test]
    fn office_macros() {
        let docm = zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<d/>"), ("word/vbaProject.bin", b"\0")]);
        assert_eq!(sniff(&docm), Err(Rule::OfficeMacros));
        let mut doc = ole(UTF16_WORD);
        doc.extend_from_slice(UTF16_VBA);
        assert_eq!(sniff(&doc), Err(Rule::OfficeMacros));
    }

    #[test]
    fn pdf_active_content_by_name() {
        for (extra, name) in [
            ("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>", "/JavaScript"),
            ("/OpenAction << /S /Launch /F (cmd.exe) >>", "/Launch"),
            ("/Names << /EmbeddedFiles << /Names [(a.exe) 9 0 R] >> >>", "/EmbeddedFiles"),
            ("/AA << /O << /JS (x) >> >>", "/JS"),
            ("/X << /Type /EmbeddedFile >>", "/EmbeddedFile"),
        ] {
            assert_eq!(sniff(&pdf(extra)), Err(Rule::PdfActiveContent { name: name.to_owned() }), "{extra}");
        }
    }

    #[test]
    fn pdf_active_content_hex_escaped_and_split_across_chunks() {
        let file = pdf("/OpenAction << /S /J#61va#53cript /J#53 (x) >>");
        assert_eq!(sniff(&file), Err(Rule::PdfActiveContent { name: "/JavaScript".to_owned() }));
        for verdict in judge_in_chunks(&file) {
            assert_eq!(verdict, Err(Rule::PdfActiveContent { name: "/JavaScript".to_owned() }));
        }
        assert_eq!(pdf_active_name(b"/L#61unch"), Some("Launch".to_owned()));
        assert_eq!(pdf_active_name(b"[/JS]"), Some("JS".to_owned()));
    }

    #[test]
    fn pdf_js_in_stream_data_is_not_a_name_but_javascript_is() {
        let image = b"<< /Length 12 >>\nstream\n\x80/JS \x01\x02stream\nendstream\n";
        assert_eq!(pdf_active_name(image), None);
        let after = [&image[..], b"<< /JS (x) >>"].concat();
        assert_eq!(pdf_active_name(&after), Some("JS".to_owned()));
        assert_eq!(pdf_active_name(b"<<>>stream\r\n/JavaScript\r\nendstream"), Some("JavaScript".to_owned()));
        // `stream` inside a longer word or a name is not the keyword
        assert_eq!(pdf_active_name(b"/Upstream /JS"), Some("JS".to_owned()));
        assert_eq!(pdf_active_name(b"/stream /JS"), Some("JS".to_owned()));
    }

    #[test]
    fn pdf_names_that_only_look_alike_are_accepted() {
        assert_eq!(pdf_active_name(b"/JSON /JavaScripts /Launcher /js /J#ZZ"), None);
        assert_eq!(sniff(&pdf("/PageMode /UseOutlines")), Ok(FileKind::Pdf));
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise_name("C:\\Users\\王\\评估报告.pdf"), "评估报告.pdf");
        assert_eq!(normalise_name("../../etc/passwd"), "passwd");
        assert_eq!(normalise_name("a\r\nb\u{202e}fdp.exe\0"), "abfdp.exe");
        assert_eq!(normalise_name(" .. "), "file");
        let long = format!("{}.pdf", "长".repeat(400));
        let kept = normalise_name(&long);
        assert_eq!(kept.chars().count(), MAX_NAME_CHARS);
        assert!(kept.ends_with("长.pdf"));
    }

    #[test]
    fn download_names_carry_the_checked_extension() {
        assert_eq!(download_name("报告.PDF", FileKind::Pdf), "报告.PDF");
        assert_eq!(download_name("photo.jpg", FileKind::Jpeg), "photo.jpg");
        assert_eq!(download_name("invoice.exe", FileKind::Pdf), "invoice.exe.pdf");
        assert_eq!(download_name("minutes", FileKind::Txt), "minutes.txt");
    }

    #[test]
    fn kinds_round_trip_through_their_stored_spelling() {
        for kind in FileKind::ALL {
            assert_eq!(FileKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.as_str()));
            assert!(kind.extensions().contains(&kind.extension()));
        }
    }
}
