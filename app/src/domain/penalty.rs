//! Public review of administrative penalty cases (SPEC §3): the panel's size and the
//! rule that turns the panelists' opinions into the panel's opinion. The panel draw reuses
//! [`super::draw`]; cases, masking, the pool and the agency's reply build on these.
//!
//! Source: the city's rules on public review of administrative penalty cases (panels of 5
//! to 9 citizen reviewers, always an odd number, the majority opinion decides).

use serde::{Deserialize, Serialize};

use super::Rule;

/// The smallest and largest panel; the size is always odd, so a vote cannot tie.
pub const MIN_PANEL: u32 = 5;
pub const MAX_PANEL: u32 = 9;
pub const DEFAULT_PANEL: u32 = 7;

/// A panel of 5, 7 or 9 reviewers.
pub fn check_panel_size(size: u32) -> Result<u32, Rule> {
    if (MIN_PANEL..=MAX_PANEL).contains(&size) && !size.is_multiple_of(2) {
        Ok(size)
    } else {
        Err(Rule::PanelSize { min: MIN_PANEL, max: MAX_PANEL })
    }
}

named_enum!(
    /// A panelist's opinion of the proposed penalty, from the mildest to the most severe.
    Opinion {
        NoPenalty = "no_penalty",
        Lighter = "lighter",
        Agree = "agree",
        Heavier = "heavier",
    }
);

impl Opinion {
    /// The place on the scale of severity: no penalty < lighter < as proposed < heavier.
    pub fn severity(self) -> u8 {
        match self {
            Opinion::NoPenalty => 0,
            Opinion::Lighter => 1,
            Opinion::Agree => 2,
            Opinion::Heavier => 3,
        }
    }
}

/// The panel's opinion and how the panelists divided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelOpinion {
    pub opinion: Opinion,
    /// How many chose each opinion, in `Opinion::ALL` order (always published).
    pub breakdown: Vec<u32>,
    /// True when one opinion has more than half of the votes; otherwise the median decided.
    pub absolute_majority: bool,
}

/// The panel's opinion. With four options a majority may not exist, so the rule is the
/// median on the scale of severity: the opinion that at least half the panel finds severe
/// enough and at least half finds not too severe. With an odd panel the median is one
/// opinion, and it is the majority's whenever a majority exists (a majority always holds
/// the middle place). `None` for an empty or even count: a panel is odd, by
/// [`check_panel_size`].
pub fn panel_opinion(opinions: &[Opinion]) -> Option<PanelOpinion> {
    if opinions.is_empty() || opinions.len().is_multiple_of(2) {
        return None;
    }
    let mut sorted: Vec<Opinion> = opinions.to_vec();
    sorted.sort_by_key(|o| o.severity());
    let median = sorted[sorted.len() / 2];
    let breakdown: Vec<u32> = Opinion::ALL.iter().map(|o| opinions.iter().filter(|x| *x == o).count() as u32).collect();
    let absolute_majority = breakdown.iter().any(|n| (*n as usize) * 2 > opinions.len());
    Some(PanelOpinion { opinion: median, breakdown, absolute_majority })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn city_rules_a_panel_has_an_odd_number_of_reviewers_from_5_to_9() {
        for size in [5, 7, 9] {
            assert_eq!(check_panel_size(size), Ok(size));
        }
        for size in [0, 1, 3, 4, 6, 8, 10, 11] {
            assert_eq!(check_panel_size(size), Err(Rule::PanelSize { min: 5, max: 9 }), "{size}");
        }
        assert_eq!(check_panel_size(DEFAULT_PANEL), Ok(7));
    }

    /// Every combination of opinions of a 5-, 7- and 9-member panel (4^9 = 262,144 for nine).
    fn every_combination(size: usize) -> impl Iterator<Item = Vec<Opinion>> {
        (0..4usize.pow(size as u32)).map(move |mut code| {
            (0..size)
                .map(|_| {
                    let o = Opinion::ALL[code % 4];
                    code /= 4;
                    o
                })
                .collect()
        })
    }

    #[test]
    fn city_rules_the_panels_opinion_is_the_majority_else_the_median_over_every_combination_of_5_7_and_9() {
        for size in [5usize, 7, 9] {
            let mut seen = 0;
            for opinions in every_combination(size) {
                let result = panel_opinion(&opinions).expect("an odd panel always has an opinion");
                let votes = |o: Opinion| opinions.iter().filter(|x| **x == o).count();
                // the breakdown adds up and is per option
                assert_eq!(result.breakdown.iter().sum::<u32>() as usize, size);
                for (i, o) in Opinion::ALL.iter().enumerate() {
                    assert_eq!(result.breakdown[i] as usize, votes(*o));
                }
                // a majority decides when there is one
                if let Some(majority) = Opinion::ALL.iter().find(|o| votes(**o) * 2 > size) {
                    assert_eq!(result.opinion, *majority, "{opinions:?}");
                    assert!(result.absolute_majority);
                } else {
                    assert!(!result.absolute_majority);
                }
                // the median: at least half at or below it, and at least half at or above it
                let s = result.opinion.severity();
                assert!(opinions.iter().filter(|o| o.severity() <= s).count() * 2 > size, "{opinions:?}");
                assert!(opinions.iter().filter(|o| o.severity() >= s).count() * 2 > size, "{opinions:?}");
                // the order in which panelists answered does not matter
                let mut reversed = opinions.clone();
                reversed.reverse();
                assert_eq!(panel_opinion(&reversed).map(|r| r.opinion), Some(result.opinion));
                seen += 1;
            }
            assert_eq!(seen, 4usize.pow(size as u32));
        }
    }

    #[test]
    fn without_a_majority_the_middle_opinion_decides() {
        use Opinion::*;
        // 2 no penalty, 2 lighter, 1 agree, 2 heavier: no majority; the 4th of 7 by severity is "lighter"
        let seven = [NoPenalty, Heavier, Lighter, Agree, NoPenalty, Heavier, Lighter];
        let result = panel_opinion(&seven).unwrap();
        assert_eq!((result.opinion, result.absolute_majority), (Lighter, false));
        assert_eq!(result.breakdown, vec![2, 2, 1, 2]);
        assert_eq!(panel_opinion(&[Agree, Agree]), None, "an even count is not a panel");
        assert_eq!(panel_opinion(&[]), None);
    }

    #[test]
    fn opinions_round_trip() {
        for o in Opinion::ALL {
            assert_eq!(Opinion::parse(o.as_str()), Ok(*o));
        }
        assert_eq!(Opinion::parse("abstain"), Err(Rule::UnknownChoice));
    }
}
