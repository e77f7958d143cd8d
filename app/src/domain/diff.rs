//! What changed between two versions of a text, clause by clause.
//!
//! Clauses are aligned by their text, not by their number: inserting a clause
//! renumbers everything after it, but those clauses did not change. The alignment is a
//! real sequence diff (the `similar` crate's patience diff, which falls back to Myers
//! between its anchors), so it takes O((n + m) · D) time for D edits instead of the
//! O(n · m) table of a plain longest common subsequence, and a 2,000-clause version
//! with a few edits is compared at once.
//!
//! Within one run of k removed and l added clauses, min(k, l) are paired as changed
//! clauses (the clause was rewritten) and the rest are reported as removed or added.
//! Which ones pair is chosen by text: the paired block is shifted to where its clauses
//! are most alike (a clause inserted before a rewritten one is "added", and the
//! rewritten one "changed"), and the rows come in the order of the text.

use serde::{Deserialize, Serialize};
use similar::{capture_diff_slices, Algorithm, DiffOp};

use super::Rule;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClauseChange {
    Unchanged { old: u32, new: u32 },
    Changed { old: u32, new: u32 },
    Added { new: u32 },
    Removed { old: u32 },
}

/// The most clauses one version of a text may have. A long regulation has a few
/// hundred articles; 2,000 leaves room for numbered lists while keeping a diff, a
/// page and a comment form's clause list bounded.
pub const MAX_CLAUSES_PER_VERSION: usize = 2_000;

/// Refuses a version with more than [`MAX_CLAUSES_PER_VERSION`] clauses.
pub fn check_clause_count(count: usize) -> Result<(), Rule> {
    if count > MAX_CLAUSES_PER_VERSION {
        Err(Rule::TooManyClauses { max: MAX_CLAUSES_PER_VERSION })
    } else {
        Ok(())
    }
}

/// The clauses a body was cut into, if there are not too many of them. Generic over
/// the clause type so that the server can pass its rendered clauses unchanged.
pub fn parse_clause_list<T>(clauses: Vec<T>) -> Result<Vec<T>, Rule> {
    check_clause_count(clauses.len())?;
    Ok(clauses)
}

/// `old` and `new` are the clauses' plain texts in order (clause n is at index n-1).
pub fn diff_clauses(old: &[String], new: &[String]) -> Vec<ClauseChange> {
    let old_keys: Vec<String> = old.iter().map(|t| normalize(t)).collect();
    let new_keys: Vec<String> = new.iter().map(|t| normalize(t)).collect();
    let ops = capture_diff_slices(Algorithm::Patience, &old_keys, &new_keys);

    let mut out = Vec::with_capacity(old.len().max(new.len()));
    // the run of removed and added clauses since the last unchanged one
    let mut removed: Vec<usize> = Vec::new();
    let mut added: Vec<usize> = Vec::new();
    for op in ops {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                flush(&mut out, &mut removed, &mut added, &old_keys, &new_keys);
                out.extend((0..len).map(|k| ClauseChange::Unchanged { old: number(old_index + k), new: number(new_index + k) }));
            }
            DiffOp::Delete { old_index, old_len, .. } => removed.extend(old_index..old_index + old_len),
            DiffOp::Insert { new_index, new_len, .. } => added.extend(new_index..new_index + new_len),
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                removed.extend(old_index..old_index + old_len);
                added.extend(new_index..new_index + new_len);
            }
        }
    }
    flush(&mut out, &mut removed, &mut added, &old_keys, &new_keys);
    out
}

/// Similarity comparisons one run may spend choosing its pairing; beyond, the run is
/// paired from its start.
const PAIRING_BUDGET: usize = 4_096;

/// Pairs a run of removed and added clauses where they are most alike, and reports the
/// rest, in the order of the text.
fn flush(out: &mut Vec<ClauseChange>, removed: &mut Vec<usize>, added: &mut Vec<usize>, old: &[String], new: &[String]) {
    let paired = removed.len().min(added.len());
    let slack = removed.len().max(added.len()) - paired;
    // the longer side's clauses that the pairs start at: shift 0..=slack
    let shift = if paired == 0 || slack == 0 || (slack + 1) * paired > PAIRING_BUDGET {
        0
    } else {
        let alike = |shift: usize| -> f32 {
            (0..paired)
                .map(|i| {
                    let (o, n) = if added.len() > removed.len() { (removed[i], added[i + shift]) } else { (removed[i + shift], added[i]) };
                    let (a, b): (Vec<char>, Vec<char>) = (old[o].chars().collect(), new[n].chars().collect());
                    similar::get_diff_ratio(&capture_diff_slices(Algorithm::Myers, &a, &b), a.len(), b.len())
                })
                .sum()
        };
        (0..=slack).map(|s| (s, alike(s))).fold((0, f32::MIN), |best, (s, a)| if a > best.1 { (s, a) } else { best }).0
    };
    if added.len() > removed.len() {
        out.extend(added[..shift].iter().map(|&n| ClauseChange::Added { new: number(n) }));
        out.extend((0..paired).map(|i| ClauseChange::Changed { old: number(removed[i]), new: number(added[i + shift]) }));
        out.extend(added[shift + paired..].iter().map(|&n| ClauseChange::Added { new: number(n) }));
    } else {
        out.extend(removed[..shift].iter().map(|&o| ClauseChange::Removed { old: number(o) }));
        out.extend((0..paired).map(|i| ClauseChange::Changed { old: number(removed[i + shift]), new: number(added[i]) }));
        out.extend(removed[shift + paired..].iter().map(|&o| ClauseChange::Removed { old: number(o) }));
    }
    removed.clear();
    added.clear();
}

/// Clause numbers start at 1.
fn number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Two clauses are the same when they differ only in white space.
fn normalize(text: &str) -> String {
    text.split_whitespace().collect()
}

#[cfg(test)]
mod tests {
    use super::ClauseChange::*;

    #[test]
    fn a_clause_inserted_before_a_rewritten_one_is_added_and_the_rewritten_one_changed() {
        let s = |v: &[&str]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let old = s(&["第一条 医疗集团由三级医院牵头。", "第二条 范围。", "第三条 报销。"]);
        let new = s(&["第一条 新增：本方案所称医疗集团的定义。", "第一条之一 医疗集团由三级医院牵头。", "第二条 范围。", "第三条 报销。"]);
        assert_eq!(
            super::diff_clauses(&old, &new),
            vec![Added { new: 1 }, Changed { old: 1, new: 2 }, Unchanged { old: 2, new: 3 }, Unchanged { old: 3, new: 4 }]
        );
        // and the mirror: a clause removed before a rewritten one
        assert_eq!(
            super::diff_clauses(&new, &old),
            vec![Removed { old: 1 }, Changed { old: 2, new: 1 }, Unchanged { old: 3, new: 2 }, Unchanged { old: 4, new: 3 }]
        );
    }
    use super::*;
    use proptest::prelude::*;

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
    fn an_inserted_clause_in_the_middle_is_the_only_one_added() {
        let old: Vec<String> = (1..=10).map(|i| format!("第{i}条")).collect();
        let mut new = old.clone();
        new.insert(5, "新增条款".into());
        let changes = diff_clauses(&old, &new);
        let not_unchanged: Vec<_> = changes.iter().filter(|c| !matches!(c, Unchanged { .. })).collect();
        assert_eq!(not_unchanged, vec![&Added { new: 6 }]);
        assert_eq!(changes.len(), 11);
    }

    #[test]
    fn rewritten_neighbours_are_changed_not_added_and_removed() {
        let old = v(&["a", "b", "c", "d"]);
        let new = v(&["a", "B", "C", "d"]);
        assert_eq!(
            diff_clauses(&old, &new),
            vec![Unchanged { old: 1, new: 1 }, Changed { old: 2, new: 2 }, Changed { old: 3, new: 3 }, Unchanged { old: 4, new: 4 }]
        );
    }

    #[test]
    fn rewritten_and_removed_clauses() {
        let old = v(&["总则", "第一阶梯 180 立方米", "附则"]);
        let new = v(&["总则", "第一阶梯 216 立方米"]);
        assert_eq!(diff_clauses(&old, &new), vec![Unchanged { old: 1, new: 1 }, Changed { old: 2, new: 2 }, Removed { old: 3 }]);
        assert_eq!(diff_clauses(&old, &old).iter().filter(|c| !matches!(c, Unchanged { .. })).count(), 0);
        assert_eq!(diff_clauses(&[], &v(&["新"])), vec![Added { new: 1 }]);
        assert_eq!(diff_clauses(&v(&["旧"]), &[]), vec![Removed { old: 1 }]);
        assert_eq!(diff_clauses(&[], &[]), vec![]);
    }

    #[test]
    fn white_space_alone_does_not_change_a_clause() {
        assert_eq!(diff_clauses(&v(&["第一阶梯 180 立方米"]), &v(&["第一阶梯  180\n立方米"])), vec![Unchanged { old: 1, new: 1 }]);
    }

    #[test]
    fn a_version_may_not_have_too_many_clauses() {
        assert_eq!(check_clause_count(MAX_CLAUSES_PER_VERSION), Ok(()));
        assert_eq!(check_clause_count(MAX_CLAUSES_PER_VERSION + 1), Err(Rule::TooManyClauses { max: MAX_CLAUSES_PER_VERSION }));
        assert_eq!(parse_clause_list(vec!["x"; 3]), Ok(vec!["x"; 3]));
        assert_eq!(parse_clause_list(vec![0u8; MAX_CLAUSES_PER_VERSION + 1]), Err(Rule::TooManyClauses { max: 2_000 }));
    }

    #[test]
    fn a_long_version_with_a_few_edits_is_diffed_at_once() {
        let old: Vec<String> = (0..MAX_CLAUSES_PER_VERSION).map(|i| format!("第{i}条 内容 {}", i * 7919 % 10_007)).collect();
        let mut new = old.clone();
        new[10] = "改写的第十条".into();
        new.remove(500);
        new.insert(1_200, "新增条款".into());
        new[1_999] = "改写的最后一条".into();
        let changes = diff_clauses(&old, &new);
        assert_well_formed(&old, &new, &changes);
        let edits = changes.iter().filter(|c| !matches!(c, Unchanged { .. })).count();
        assert!(edits <= 4, "{edits} edits reported");
    }

    /// Every old and every new clause appears exactly once, in increasing order, and
    /// unchanged pairs have the same text.
    fn assert_well_formed(old: &[String], new: &[String], changes: &[ClauseChange]) {
        let mut olds = Vec::new();
        let mut news = Vec::new();
        for change in changes {
            match *change {
                Unchanged { old: o, new: n } => {
                    assert_eq!(normalize(&old[o as usize - 1]), normalize(&new[n as usize - 1]));
                    olds.push(o);
                    news.push(n);
                }
                Changed { old: o, new: n } => {
                    olds.push(o);
                    news.push(n);
                }
                Removed { old: o } => olds.push(o),
                Added { new: n } => news.push(n),
            }
        }
        assert_eq!(olds, (1..=old.len() as u32).collect::<Vec<_>>());
        assert_eq!(news, (1..=new.len() as u32).collect::<Vec<_>>());
    }

    proptest! {
        #[test]
        fn every_clause_appears_once_and_in_order(
            old in prop::collection::vec(prop::sample::select(vec!["甲", "乙", "丙", "丁", "a b", "ab", " x"]), 0..40),
            new in prop::collection::vec(prop::sample::select(vec!["甲", "乙", "丙", "戊", "a b", "ab", "y "]), 0..40),
        ) {
            let old: Vec<String> = old.into_iter().map(String::from).collect();
            let new: Vec<String> = new.into_iter().map(String::from).collect();
            let changes = diff_clauses(&old, &new);
            assert_well_formed(&old, &new, &changes);
        }

        #[test]
        fn random_edits_of_a_list_are_well_formed(
            base in prop::collection::vec("[a-e]{1,3}", 0..60),
            edits in prop::collection::vec((0usize..64, 0u8..3, "[a-z]{1,3}"), 0..8),
        ) {
            let old = base.clone();
            let mut new = base;
            for (at, kind, text) in edits {
                let at = if new.is_empty() { 0 } else { at % new.len() };
                match kind {
                    0 => new.insert(at, text),
                    1 if !new.is_empty() => { new.remove(at); }
                    _ if !new.is_empty() => new[at] = text,
                    _ => new.push(text),
                }
            }
            let changes = diff_clauses(&old, &new);
            assert_well_formed(&old, &new, &changes);
        }
    }
}
