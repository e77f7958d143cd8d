//! What changed between two versions of a text, clause by clause.
//!
//! Clauses are aligned by their text (a longest common subsequence), not by their
//! number: inserting a clause renumbers everything after it, but those clauses did
//! not change. A removed clause next to an added one is shown as one changed clause.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClauseChange {
    Unchanged { old: u32, new: u32 },
    Changed { old: u32, new: u32 },
    Added { new: u32 },
    Removed { old: u32 },
}

/// `old` and `new` are the clauses' plain texts in order (clause n is at index n-1).
pub fn diff_clauses(old: &[String], new: &[String]) -> Vec<ClauseChange> {
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: length of the LCS of old[i..] and new[j..]
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if normalize(&old[i]) == normalize(&new[j]) { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut raw = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && normalize(&old[i]) == normalize(&new[j]) {
            raw.push(ClauseChange::Unchanged { old: i as u32 + 1, new: j as u32 + 1 });
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            raw.push(ClauseChange::Added { new: j as u32 + 1 });
            j += 1;
        } else {
            raw.push(ClauseChange::Removed { old: i as u32 + 1 });
            i += 1;
        }
    }
    // pair a removal with the addition next to it: the clause was rewritten
    let mut out: Vec<ClauseChange> = Vec::with_capacity(raw.len());
    for change in raw {
        match (out.last(), &change) {
            (Some(ClauseChange::Removed { old }), ClauseChange::Added { new })
            | (Some(ClauseChange::Added { new }), ClauseChange::Removed { old }) => {
                let paired = ClauseChange::Changed { old: *old, new: *new };
                out.pop();
                out.push(paired);
            }
            _ => out.push(change),
        }
    }
    out
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::ClauseChange::*;
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_inserted_clause_does_not_mark_the_renumbered_ones_as_changed() {
        let old = v(&["总则", "范围", "价格"]);
        let new = v(&["总则", "定义", "范围", "价格"]);
        assert_eq!(
            diff_clauses(&old, &new),
            vec![Unchanged { old: 1, new: 1 }, Added { new: 2 }, Unchanged { old: 2, new: 3 }, Unchanged { old: 3, new: 4 }]
        );
    }

    #[test]
    fn rewritten_and_removed_clauses() {
        let old = v(&["总则", "第一阶梯 180 立方米", "附则"]);
        let new = v(&["总则", "第一阶梯 216 立方米"]);
        assert_eq!(diff_clauses(&old, &new), vec![Unchanged { old: 1, new: 1 }, Changed { old: 2, new: 2 }, Removed { old: 3 }]);
        assert_eq!(diff_clauses(&old, &old).iter().filter(|c| !matches!(c, Unchanged { .. })).count(), 0);
        assert_eq!(diff_clauses(&[], &v(&["新"])), vec![Added { new: 1 }]);
    }
}
