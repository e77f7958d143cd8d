//! The feedback report: after the window closes, the agency says how comments were
//! used — per clause and per comment group: adopted, partly adopted or not adopted,
//! with a reason each.

use serde::{Deserialize, Serialize};

use super::{text::Explanation, Rule};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Adopted,
    PartlyAdopted,
    NotAdopted,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Adopted, Decision::PartlyAdopted, Decision::NotAdopted];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Adopted => "adopted",
            Decision::PartlyAdopted => "partly_adopted",
            Decision::NotAdopted => "not_adopted",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Rule> {
        Decision::ALL.into_iter().find(|d| d.as_str() == raw.trim()).ok_or(Rule::UnknownChoice)
    }
}

/// What a decision is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FeedbackTarget {
    Clause(u32),
    Group(i64),
}

impl FeedbackTarget {
    /// `clause:3` or `group:17`.
    pub fn parse(raw: &str) -> Result<Self, Rule> {
        match raw.trim().split_once(':') {
            Some(("clause", n)) => n.parse().map(FeedbackTarget::Clause).map_err(|_| Rule::UnknownChoice),
            Some(("group", n)) => n.parse().map(FeedbackTarget::Group).map_err(|_| Rule::UnknownChoice),
            _ => Err(Rule::UnknownChoice),
        }
    }

    pub fn encode(self) -> String {
        match self {
            FeedbackTarget::Clause(n) => format!("clause:{n}"),
            FeedbackTarget::Group(g) => format!("group:{g}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackItem {
    pub target: FeedbackTarget,
    pub decision: Decision,
    pub reason: String,
}

/// An item the official filled in: a decision needs a reason, which may run over
/// several lines (an [`Explanation`], 4 to 2,000 characters). Items left without a
/// decision are skipped (a clause nobody commented on needs none).
pub fn parse_item(target: &str, decision: &str, reason: &str) -> Result<Option<FeedbackItem>, (&'static str, Rule)> {
    if decision.trim().is_empty() {
        return Ok(None);
    }
    let target = FeedbackTarget::parse(target).map_err(|r| ("target", r))?;
    let decision = Decision::parse(decision).map_err(|r| ("decision", r))?;
    let reason = Explanation::parse(reason).map_err(|r| ("reason", r))?.into_inner();
    Ok(Some(FeedbackItem { target, decision, reason }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decision_carries_a_reason() {
        assert_eq!(parse_item("clause:3", "", ""), Ok(None));
        assert_eq!(parse_item("clause:3", "adopted", ""), Err(("reason", Rule::Required)));
        assert_eq!(parse_item("clause:3", "maybe", "理由充分"), Err(("decision", Rule::UnknownChoice)));
        assert_eq!(
            parse_item("group:9", "partly_adopted", "第一阶梯调整为 200 立方米"),
            Ok(Some(FeedbackItem {
                target: FeedbackTarget::Group(9),
                decision: Decision::PartlyAdopted,
                reason: "第一阶梯调整为 200 立方米".into()
            }))
        );
        let item = parse_item("clause:3", "not_adopted", "理由如下：\r\n1. 成本\r\n2. 公平").unwrap().unwrap();
        assert_eq!(item.reason, "理由如下：\n1. 成本\n2. 公平");
    }
}
