//! Supports, reports and moderation of comments.

use super::{
    text::{single_line, Reason},
    Rule,
};

/// What a reader knows of their own relation to a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SupportState {
    pub already_supported: bool,
}

/// Support (+1) is once per person.
pub fn may_support(state: SupportState) -> Result<(), Rule> {
    if state.already_supported {
        Err(Rule::AlreadySupported)
    } else {
        Ok(())
    }
}

/// Only a support that exists can be withdrawn.
pub fn may_withdraw(state: SupportState) -> Result<(), Rule> {
    if state.already_supported {
        Ok(())
    } else {
        Err(Rule::NotSupported)
    }
}

/// Hiding needs a public reason and a comment that is still visible. Hidden is never
/// deleted: the text stays on file, the public sees the reason.
pub fn may_hide(already_hidden: bool, reason: &str) -> Result<String, (&'static str, Rule)> {
    if already_hidden {
        return Err(("form", Rule::AlreadyHidden));
    }
    Reason::parse(reason).map(Reason::into_inner).map_err(|r| ("reason", r))
}

/// The most characters of a report reason.
pub const REPORT_REASON_MAX: usize = 500;

/// A report may carry a short reason; one report per person and comment. Optional
/// (blank is stored as the empty string) and single-line: the form has a one-line
/// input, and moderators read it in a list.
pub fn parse_report_reason(raw: &str) -> Result<String, Rule> {
    match single_line(raw, 1, REPORT_REASON_MAX) {
        Err(Rule::Required) => Ok(String::new()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_is_once_per_person_and_can_be_withdrawn() {
        assert_eq!(may_support(SupportState { already_supported: false }), Ok(()));
        assert_eq!(may_support(SupportState { already_supported: true }), Err(Rule::AlreadySupported));
        assert_eq!(may_withdraw(SupportState { already_supported: true }), Ok(()));
        assert_eq!(may_withdraw(SupportState { already_supported: false }), Err(Rule::NotSupported));
    }

    #[test]
    fn hiding_needs_a_public_reason_and_happens_once() {
        assert_eq!(may_hide(false, "人身攻击"), Ok("人身攻击".to_owned()));
        assert_eq!(may_hide(false, " "), Err(("reason", Rule::Required)));
        assert_eq!(may_hide(true, "人身攻击"), Err(("form", Rule::AlreadyHidden)));
    }

    #[test]
    fn report_reason_is_optional_but_bounded() {
        assert_eq!(parse_report_reason(""), Ok(String::new()));
        assert_eq!(parse_report_reason(" \u{3000} "), Ok(String::new()));
        assert_eq!(parse_report_reason(&"骂".repeat(501)), Err(Rule::TooLong { max: 500 }));
        assert_eq!(parse_report_reason(" 广告 "), Ok("广告".into()));
        assert_eq!(parse_report_reason("广告\n刷屏"), Err(Rule::LineBreakNotAllowed));
        assert_eq!(parse_report_reason("广告\u{200F}"), Err(Rule::BidiControl { position: 3 }));
    }
}
