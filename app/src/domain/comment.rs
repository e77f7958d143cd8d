//! Comments on a proposal.

use serde::{Deserialize, Serialize};

use super::{text::multi_line, Rule};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Support,
    Oppose,
    Suggestion,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Support, Stance::Oppose, Stance::Suggestion];

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Support => "support",
            Stance::Oppose => "oppose",
            Stance::Suggestion => "suggestion",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Rule> {
        match raw.trim() {
            "" => Ok(Stance::Suggestion),
            other => Stance::ALL.into_iter().find(|s| s.as_str() == other).ok_or(Rule::UnknownChoice),
        }
    }
}

/// The text of a comment: plain text over several lines, 1 to 5,000 characters,
/// through the multi-line check of `text.rs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentText(String);

impl CommentText {
    pub const MAX: usize = 5_000;

    pub fn parse(raw: &str) -> Result<Self, Rule> {
        multi_line(raw, 1, Self::MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Which part of the text a comment is about.
pub fn parse_clause(raw: &str, clause_count: u32) -> Result<Option<u32>, Rule> {
    let raw = raw.trim();
    if raw.is_empty() || raw == "0" {
        return Ok(None);
    }
    let number: u32 = raw.parse().map_err(|_| Rule::UnknownChoice)?;
    if number == 0 || number > clause_count {
        return Err(Rule::NoSuchClause { clause: number });
    }
    Ok(Some(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_length_limit() {
        assert_eq!(CommentText::parse(" "), Err(Rule::Required));
        assert!(CommentText::parse(&"意".repeat(5_000)).is_ok());
        assert_eq!(CommentText::parse(&"意".repeat(5_001)), Err(Rule::TooLong { max: 5_000 }));
    }

    #[test]
    fn comments_keep_their_lines_but_not_control_or_bidi_characters() {
        assert_eq!(CommentText::parse("第一点。\r\n第二点。").unwrap().as_str(), "第一点。\n第二点。");
        assert_eq!(CommentText::parse("赞成\u{202E}反对"), Err(Rule::BidiControl { position: 3 }));
        assert_eq!(CommentText::parse("赞成\u{0}"), Err(Rule::ControlCharacter { position: 3 }));
    }

    #[test]
    fn clause_must_exist_in_the_version() {
        assert_eq!(parse_clause("", 5), Ok(None));
        assert_eq!(parse_clause("3", 5), Ok(Some(3)));
        assert_eq!(parse_clause("6", 5), Err(Rule::NoSuchClause { clause: 6 }));
        assert_eq!(parse_clause("x", 5), Err(Rule::UnknownChoice));
    }

    #[test]
    fn stance_defaults_to_suggestion() {
        assert_eq!(Stance::parse(""), Ok(Stance::Suggestion));
        assert_eq!(Stance::parse("oppose"), Ok(Stance::Oppose));
        assert_eq!(Stance::parse("maybe"), Err(Rule::UnknownChoice));
    }
}
