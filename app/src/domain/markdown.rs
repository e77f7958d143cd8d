//! Limits on Markdown that keep rendering cheap: nesting depth, checked on the text
//! before any parser sees it, and the number of elements, checked while rendering.
//! Measured on this machine's class (2 cores): the parser and the sanitiser cost about
//! a microsecond per element, but deeply nested quotes and lists cost far more per
//! level (10,000 levels: over a second), so depth is refused outright.

use super::Rule;

/// Deeper nesting than any real text needs (a legal text nests a handful of levels).
pub const MAX_NESTING: usize = 100;

/// Elements (paragraphs, list items, table cells, emphasis, ...) in one text: 200,000
/// characters of ordinary prose is about 25,000. At about a microsecond each this keeps
/// a render and sanitise under 50 ms.
pub const MAX_ELEMENTS: usize = 40_000;

/// The deepest nesting any line opens: block-quote markers and list markers at the start
/// of a line (several may stand on one line: `> - > - x`), plus one level per two
/// columns of indentation before them (how lists nest across lines). It may overstate, never
/// understate, the nesting the parser will build.
pub fn nesting_depth(text: &str) -> usize {
    text.lines().map(line_depth).max().unwrap_or(0)
}

fn line_depth(line: &str) -> usize {
    let bytes = line.as_bytes();
    let mut depth = 0usize;
    let mut columns = 0usize;
    // the one space after a marker separates it; any more is indentation, which nests
    // lists across lines (inside quotes too)
    let mut separator_due = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' if separator_due => separator_due = false,
            b' ' => columns += 1,
            b'\t' => {
                separator_due = false;
                columns += 4;
            }
            b'>' => {
                depth += 1;
                separator_due = true;
            }
            b'-' | b'*' | b'+' if bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t') => {
                depth += 1;
                separator_due = true;
            }
            b'0'..=b'9' => {
                // an ordered list marker: digits, then `.` or `)`, then a space
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let marker = i - start <= 9
                    && matches!(bytes.get(i), Some(b'.' | b')'))
                    && bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t');
                if !marker {
                    break;
                }
                depth += 1;
                separator_due = true;
            }
            _ => break,
        }
        i += 1;
    }
    depth + columns / 2
}

/// Refuses Markdown nested deeper than [`MAX_NESTING`].
pub fn check_nesting(text: &str) -> Result<(), Rule> {
    if nesting_depth(text) > MAX_NESTING {
        return Err(Rule::NestingTooDeep { max: MAX_NESTING });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_nested_deeper_than_100_levels_is_refused() {
        assert_eq!(check_nesting(&format!("{}x", "> ".repeat(101))), Err(Rule::NestingTooDeep { max: MAX_NESTING }));
        assert_eq!(check_nesting(&format!("{}x", "- ".repeat(101))), Err(Rule::NestingTooDeep { max: MAX_NESTING }));
        assert_eq!(check_nesting(&format!("{}x", "> 1. ".repeat(60))), Err(Rule::NestingTooDeep { max: MAX_NESTING }));
        let indented: String = (0..120).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
        assert_eq!(check_nesting(&indented), Err(Rule::NestingTooDeep { max: MAX_NESTING }));
        let in_a_quote: String = (0..120).map(|i| format!("> {}- x\n", "  ".repeat(i))).collect();
        assert_eq!(check_nesting(&in_a_quote), Err(Rule::NestingTooDeep { max: MAX_NESTING }));
        assert_eq!(check_nesting(&format!("{}x", "> ".repeat(100))), Ok(()));
    }

    #[test]
    fn ordinary_texts_nest_a_few_levels() {
        let text = "第一条 总则\n\n1. 供水\n   - 居民\n     > 注：阶梯水价\n2. 排水\n\n    code block\n";
        assert!(nesting_depth(text) < 10, "{}", nesting_depth(text));
        assert_eq!(nesting_depth("2026年1月1日起施行。"), 0, "a number that is not a list marker");
        assert_eq!(nesting_depth("-5 度"), 0);
        assert_eq!(nesting_depth(""), 0);
    }
}
