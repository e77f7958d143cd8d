//! Search over what Minyi publishes: a query read once into terms, and the snippet of a
//! hit with its matches marked.
//!
//! Matching is by substring, so that Chinese, written without spaces, is found by any
//! run of its characters: `水价` finds "居民生活用水价格调整". Every term of a query must occur
//! (terms are separated by white space). ASCII letters match regardless of case; other
//! scripts as written (after the NFC normalisation every stored text had). The store
//! answers terms of three characters or more from a trigram index (SQLite FTS5's
//! `trigram` tokenizer, PostgreSQL's `pg_trgm`), and shorter ones, which a trigram index
//! cannot hold, by a scan that stops at the page's last row (see the README).

use serde::{Deserialize, Serialize};

use super::{text::single_line, Rule};

/// A query as typed, read into the terms that must all occur.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// The query as normalised (what the search box shows again).
    pub text: String,
    /// Its terms, lower-cased ASCII, each at least one letter, digit or ideograph long.
    pub terms: Vec<String>,
}

impl SearchQuery {
    /// Characters a query may have.
    pub const MAX: usize = 100;
    /// Terms a query may have; more would make a slow scan for no better result.
    pub const MAX_TERMS: usize = 5;
    /// Terms shorter than this are not in the trigram index.
    pub const INDEXED_MIN: usize = 3;

    pub fn parse(raw: &str) -> Result<Self, Rule> {
        let text = single_line(raw, 1, Self::MAX)?;
        let mut terms: Vec<String> = Vec::new();
        for word in text.split(|c: char| c.is_whitespace()) {
            // punctuation at the ends of a word is not part of it ("水价，" is "水价")
            let word = word.trim_matches(|c: char| !c.is_alphanumeric());
            if word.is_empty() {
                continue;
            }
            let term = word.to_ascii_lowercase();
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        if terms.is_empty() {
            return Err(Rule::SearchNeedsWords);
        }
        if terms.len() > Self::MAX_TERMS {
            return Err(Rule::SearchTooManyTerms { max: Self::MAX_TERMS });
        }
        Ok(Self { text, terms })
    }

    /// Whether every term occurs in `text` (the store's answer, checked again in tests).
    pub fn matches(&self, text: &str) -> bool {
        let lower = text.to_ascii_lowercase();
        self.terms.iter().all(|t| lower.contains(t.as_str()))
    }
}

/// A piece of a snippet: text, and whether it is a match to mark.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// Characters of context shown before the first match.
const BEFORE: usize = 30;
/// Characters a snippet holds at most.
const LENGTH: usize = 140;

/// The part of `text` around the first match of any term, cut to about 140 characters
/// at the nearest character (never inside one), with "…" where text was left out, and
/// every occurrence of a term in it marked. Line breaks become spaces.
pub fn snippet(text: &str, query: &SearchQuery) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().map(|c| if c == '\n' || c == '\t' { ' ' } else { c }).collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let terms: Vec<Vec<char>> = query.terms.iter().map(|t| t.chars().collect()).collect();
    let found_at = |i: usize| terms.iter().filter(|t| lower[i..].starts_with(t)).map(Vec::len).max();
    let first = (0..lower.len()).find(|&i| found_at(i).is_some()).unwrap_or(0);
    let start = first.saturating_sub(BEFORE);
    let end = (start + LENGTH).min(chars.len());
    let mut pieces: Vec<Piece> = Vec::new();
    let mut push = |text: String, hit: bool| match pieces.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(&text),
        _ => pieces.push(Piece { text, hit }),
    };
    if start > 0 {
        push("…".to_owned(), false);
    }
    let mut i = start;
    while i < end {
        match found_at(i) {
            Some(len) => {
                let stop = (i + len).min(end);
                push(chars[i..stop].iter().collect(), true);
                i = stop;
            }
            None => {
                push(chars[i].to_string(), false);
                i += 1;
            }
        }
    }
    if end < chars.len() {
        push("…".to_owned(), false);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(raw: &str) -> SearchQuery {
        SearchQuery::parse(raw).unwrap()
    }

    #[test]
    fn a_query_is_read_into_terms_that_must_all_occur() {
        assert_eq!(q("  水价  听证 ").terms, ["水价", "听证"]);
        assert_eq!(q("Water PRICE").terms, ["water", "price"]);
        assert_eq!(q("水价，听证。").terms, ["水价，听证"], "punctuation inside a word stays; only its ends go");
        assert_eq!(q("“水价”").terms, ["水价"]);
        assert_eq!(q("水 水").terms, ["水"]);
        assert!(q("水价 听证").matches("居民生活用水价格调整听证会"));
        assert!(!q("水价 停车").matches("居民生活用水价格调整听证会"));
        assert!(q("WATER").matches("Water tariffs"));
    }

    /// Bad input gets a message that says what to fix, never an empty search of everything.
    #[test]
    fn rule_search_needs_words_and_bounded_queries() {
        assert_eq!(SearchQuery::parse("   "), Err(Rule::Required));
        assert_eq!(SearchQuery::parse("！？。…“”"), Err(Rule::SearchNeedsWords));
        assert_eq!(SearchQuery::parse("%%% ___ ***"), Err(Rule::SearchNeedsWords));
        assert_eq!(SearchQuery::parse(&"水".repeat(10_000)), Err(Rule::TooLong { max: 100 }));
        assert_eq!(SearchQuery::parse("a b c d e f"), Err(Rule::SearchTooManyTerms { max: 5 }));
        assert_eq!(SearchQuery::parse("水价\u{202E}"), Err(Rule::BidiControl { position: 3 }));
        assert!(SearchQuery::parse("a b c d e").is_ok());
    }

    #[test]
    fn a_snippet_marks_every_match_around_the_first_and_cuts_long_text() {
        let text = format!("{}居民生活用水价格调整方案。水价分三档。{}", "前".repeat(100), "后".repeat(300));
        let pieces = snippet(&text, &q("水价"));
        let hits: Vec<&str> = pieces.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
        assert_eq!(hits, ["水价", "水价"]);
        assert!(pieces.first().unwrap().text.starts_with('…') && pieces.last().unwrap().text.ends_with('…'));
        let shown: usize = pieces.iter().map(|p| p.text.chars().count()).sum();
        assert!(shown <= LENGTH + 2, "{shown}");
        // ASCII case does not matter, and the text keeps its own case
        let pieces = snippet("Water Price review", &q("price"));
        assert_eq!(
            pieces,
            [
                Piece { text: "Water ".into(), hit: false },
                Piece { text: "Price".into(), hit: true },
                Piece { text: " review".into(), hit: false }
            ]
        );
        // the longer of two overlapping terms is marked
        let pieces = snippet("用水价格", &q("水 水价"));
        assert!(pieces.iter().any(|p| p.hit && p.text == "水价"), "{pieces:?}");
    }
}
