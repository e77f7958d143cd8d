//! The figures behind the pictures on a proposal's page: how its published comments
//! divide by stance, and which clauses drew the most. Pure arithmetic over the tallies the
//! store keeps (one row per clause and stance), so that a page never counts comments.

use serde::{Deserialize, Serialize};

use super::comment::Stance;

/// Published (not hidden) comments on one clause in one stance; clause 0 is the proposal
/// as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub clause: u32,
    pub stance: Stance,
    pub count: i64,
}

/// How many comments took each stance, in `Stance::ALL`'s order, zeros included.
pub fn by_stance(tallies: &[Tally]) -> [(Stance, i64); 3] {
    Stance::ALL.map(|s| (s, tallies.iter().filter(|t| t.stance == s).map(|t| t.count.max(0)).sum()))
}

/// How many comments each of the clauses `1..=clauses` drew (whatever their stance), in
/// clause order; comments on a clause number the current version no longer has are not
/// shown on its strip.
pub fn by_clause(tallies: &[Tally], clauses: u32) -> Vec<(u32, i64)> {
    (1..=clauses).map(|n| (n, tallies.iter().filter(|t| t.clause == n).map(|t| t.count.max(0)).sum())).collect()
}

/// A share as a whole percentage, the parts rounded so that they add up to 100 (largest
/// remainder), so that a picture's labels never read 33 % + 33 % + 33 %.
pub fn percentages(counts: &[i64]) -> Vec<u32> {
    let total: i64 = counts.iter().map(|c| (*c).max(0)).sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let exact: Vec<(usize, i64, i64)> = counts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let scaled = (*c).max(0) * 100;
            (i, scaled / total, scaled % total)
        })
        .collect();
    let mut out: Vec<u32> = exact.iter().map(|(_, whole, _)| *whole as u32).collect();
    let short = 100 - out.iter().sum::<u32>();
    let mut order: Vec<&(usize, i64, i64)> = exact.iter().collect();
    order.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    for (i, _, _) in order.into_iter().take(short as usize) {
        out[*i] += 1;
    }
    out
}

/// How dark a clause's cell on the strip is, 0 (no comment) to 4 (among the most
/// commented): the count against the clause with the most, in four even steps.
pub fn heat(count: i64, most: i64) -> u8 {
    if count <= 0 || most <= 0 {
        return 0;
    }
    (1 + (count.min(most) * 4 - 1) / most) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(clause: u32, stance: Stance, count: i64) -> Tally {
        Tally { clause, stance, count }
    }

    #[test]
    fn stances_and_clauses_are_summed_from_the_tallies() {
        let tallies = [
            t(0, Stance::Support, 4),
            t(1, Stance::Support, 2),
            t(1, Stance::Oppose, 5),
            t(3, Stance::Suggestion, 1),
            t(9, Stance::Oppose, 7),
        ];
        assert_eq!(by_stance(&tallies), [(Stance::Support, 6), (Stance::Oppose, 12), (Stance::Suggestion, 1)]);
        assert_eq!(by_clause(&tallies, 3), [(1, 7), (2, 0), (3, 1)], "clause 9 is not in this version; clause 0 is not a clause");
        assert_eq!(by_stance(&[]), [(Stance::Support, 0), (Stance::Oppose, 0), (Stance::Suggestion, 0)]);
    }

    #[test]
    fn percentages_add_up_to_a_hundred() {
        assert_eq!(percentages(&[1, 1, 1]), [34, 33, 33]);
        assert_eq!(percentages(&[2, 1, 0]), [67, 33, 0]);
        assert_eq!(percentages(&[0, 0, 0]), [0, 0, 0]);
        assert_eq!(percentages(&[999_999, 1, 0]), [100, 0, 0]);
        for counts in [[3, 7, 11], [1, 2, 3], [5, 5, 1], [1_000_000, 333_333, 1]] {
            assert_eq!(percentages(&counts).iter().sum::<u32>(), 100, "{counts:?}");
        }
    }

    #[test]
    fn heat_steps_from_none_to_the_most_commented() {
        assert_eq!(heat(0, 10), 0);
        assert_eq!(heat(1, 10), 1);
        assert_eq!(heat(3, 10), 2);
        assert_eq!(heat(10, 10), 4);
        assert_eq!(heat(5, 0), 0);
        assert_eq!(heat(1, 1), 4);
    }
}
