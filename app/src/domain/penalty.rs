//! Public review of administrative penalty cases (SPEC §3): the reviewer pool and its
//! terms, the case's lifecycle, who may sit on a panel, the panel draw, the opinions and
//! the rule that turns them into the panel's opinion, and the agency's reply. Masking of
//! personal data is in [`super::mask`].
//!
//! Source: the city's rules on public review of administrative penalty cases (panels of 5
//! to 9 citizen reviewers, always an odd number, the majority opinion decides; reviewers
//! volunteer and serve a term; conflicts of interest exclude; the agency answers how it used
//! the opinion).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{
    draw::{lot_order, Seed},
    Rule,
};

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

// ---- the reviewer pool

/// A reviewer's term when an admin approves them: 2 years unless the admin says otherwise.
pub const DEFAULT_TERM_YEARS: u32 = 2;
pub const MAX_TERM_YEARS: u32 = 5;

named_enum!(
    /// Where a volunteer stands in the pool. Active means approved; whether the term still
    /// runs is [`in_term`].
    PoolState {
        Volunteered = "volunteered",
        Active = "active",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
);

/// A term of 1 to 5 years.
pub fn check_term(years: u32) -> Result<u32, Rule> {
    if (1..=MAX_TERM_YEARS).contains(&years) {
        Ok(years)
    } else {
        Err(Rule::OutOfRange { min: 1, max: MAX_TERM_YEARS as i64 })
    }
}

/// The end of a term of `years` starting at `from` (calendar years; 29 February ends on 28).
pub fn term_end(from: DateTime<Utc>, years: u32) -> DateTime<Utc> {
    from.checked_add_months(chrono::Months::new(12 * years)).unwrap_or(from + Duration::days(365 * years as i64))
}

/// Renewing adds the years to the end of the running term, or to now when it has ended.
pub fn renewed_term(now: DateTime<Utc>, ends: Option<DateTime<Utc>>, years: u32) -> DateTime<Utc> {
    term_end(ends.filter(|e| *e > now).unwrap_or(now), years)
}

/// In the pool: approved, and the term has not ended.
pub fn in_term(state: PoolState, term_ends: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    state == PoolState::Active && term_ends.is_some_and(|e| e > now)
}

named_enum!(
    /// What a declared conflict of interest is with.
    ConflictKind {
        Agency = "agency",
        District = "district",
        Party = "party",
    }
);

/// A conflict a reviewer declared: an agency (by id), a district or a party (by name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub agency_id: Option<i64>,
    pub text: String,
}

/// A name compared for conflicts: without white space and the usual punctuation, in
/// lower case, so that "合肥 香满楼" and "合肥香满楼" are one name.
pub fn conflict_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '・' | '.' | '-' | '（' | '）' | '(' | ')' | '"' | '“' | '”'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two names (a declared one and the case's) name the same thing: one contains the
/// other once normalised ("蜀山区" and "合肥市蜀山区"; "香满楼" and "合肥香满楼餐饮有限公司").
/// Two characters at least, so that a stray "区" does not exclude everyone.
fn names_meet(declared: &str, case: &str) -> bool {
    let (a, b) = (conflict_key(declared), conflict_key(case));
    a.chars().count() >= 2 && b.chars().count() >= 2 && (a.contains(&b) || b.contains(&a))
}

/// Who may sit on the panel of a case, as the case sees them.
#[derive(Clone, Debug)]
pub struct CaseParties<'a> {
    pub agency_id: i64,
    pub district: &'a str,
    pub party: &'a str,
    /// The official who submitted the case.
    pub submitted_by: i64,
}

/// A reviewer of the pool, as the eligibility check sees them.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub user_id: i64,
    /// The agency the reviewer works for, if they are an official.
    pub agency_id: Option<i64>,
    pub conflicts: Vec<Conflict>,
    /// On the panel of another case still under review.
    pub busy: bool,
}

named_enum!(
    /// Why a reviewer of the pool was left out of a draw.
    Exclusion {
        Agency = "agency",
        District = "district",
        Party = "party",
        OtherPanel = "other_panel",
    }
);

/// Why `candidate` may not sit on this case's panel, if they may not: a declared conflict
/// with the agency, the district or the party, working for the agency (or having submitted
/// the case), or sitting on another open panel.
pub fn exclusion(candidate: &Candidate, case: &CaseParties<'_>) -> Option<Exclusion> {
    if candidate.agency_id == Some(case.agency_id) || candidate.user_id == case.submitted_by {
        return Some(Exclusion::Agency);
    }
    for c in &candidate.conflicts {
        match c.kind {
            ConflictKind::Agency if c.agency_id == Some(case.agency_id) => return Some(Exclusion::Agency),
            ConflictKind::District if names_meet(&c.text, case.district) => return Some(Exclusion::District),
            ConflictKind::Party if names_meet(&c.text, case.party) => return Some(Exclusion::Party),
            _ => {}
        }
    }
    candidate.busy.then_some(Exclusion::OtherPanel)
}

/// The eligible reviewers' user ids, in the order given (the published list's order), and
/// how many were left out for each reason (in `Exclusion::ALL` order).
pub fn eligible(candidates: &[Candidate], case: &CaseParties<'_>) -> (Vec<i64>, Vec<u32>) {
    let mut excluded = vec![0u32; Exclusion::ALL.len()];
    let mut list = Vec::new();
    for c in candidates {
        match exclusion(c, case) {
            Some(why) => {
                if let Some(i) = Exclusion::ALL.iter().position(|e| *e == why) {
                    excluded[i] += 1;
                }
            }
            None => list.push(c.user_id),
        }
    }
    (list, excluded)
}

// ---- the case

named_enum!(
    /// Where a case stands. `Draft`: submitted, the masking not yet confirmed (seen by the
    /// agency only). `Open`: published masked, waiting for its panel. `Review`: the panel
    /// drawn, opinions being given. `Concluded`: the panel's opinion stands, the agency's
    /// reply is due. `Replied`: the agency answered. `Withdrawn`: the agency withdrew it.
    CaseStatus {
        Draft = "draft",
        Open = "open",
        Review = "review",
        Concluded = "concluded",
        Replied = "replied",
        Withdrawn = "withdrawn",
    }
);

impl CaseStatus {
    /// Whether the public sees the case (its masked text).
    pub fn is_public(self) -> bool {
        self != CaseStatus::Draft
    }
}

named_enum!(
    /// The kinds of administrative penalty (Administrative Penalty Law, art. 9).
    PenaltyKind {
        Warning = "warning",
        Fine = "fine",
        Confiscation = "confiscation",
        LicenceSuspended = "licence_suspended",
        LicenceRevoked = "licence_revoked",
        BusinessRestricted = "business_restricted",
        Detention = "detention",
    }
);

impl PenaltyKind {
    /// Whether this kind carries an amount of money (yuan).
    pub fn has_amount(self) -> bool {
        matches!(self, PenaltyKind::Fine | PenaltyKind::Confiscation)
    }
}

/// The largest amount the platform accepts, in yuan (10 billion).
pub const MAX_AMOUNT: i64 = 10_000_000_000;

/// A proposed or final penalty: a fine or a confiscation has an amount (1 yuan to 10
/// billion); the other kinds have none.
pub fn check_penalty(kind: PenaltyKind, amount: Option<i64>) -> Result<Option<i64>, Rule> {
    match (kind.has_amount(), amount) {
        (true, Some(a)) if (1..=MAX_AMOUNT).contains(&a) => Ok(Some(a)),
        (true, Some(_)) => Err(Rule::OutOfRange { min: 1, max: MAX_AMOUNT }),
        (true, None) => Err(Rule::PenaltyAmountRequired),
        (false, None) => Ok(None),
        (false, Some(_)) => Err(Rule::PenaltyAmountNotApplicable),
    }
}

/// Reads an amount in yuan as people write it: "20000", "20,000", "２００００", "20000元".
pub fn parse_amount(raw: &str) -> Result<Option<i64>, Rule> {
    let digits: String = raw
        .trim()
        .trim_end_matches(['元', '圆'])
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '_'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    digits.parse::<i64>().map(Some).map_err(|_| Rule::OutOfRange { min: 1, max: MAX_AMOUNT })
}

/// The days a panel has for its opinions, chosen at the draw: 5 to 30, default 10.
pub const DEFAULT_REVIEW_DAYS: u32 = 10;
pub const MIN_REVIEW_DAYS: u32 = 5;
pub const MAX_REVIEW_DAYS: u32 = 30;
/// A replacement panelist has at least this many days.
pub const REPLACEMENT_DAYS: i64 = 5;
/// The agency replies within 15 days of the panel's conclusion, or the case shows overdue.
pub const REPLY_DAYS: i64 = 15;

pub fn check_review_days(days: u32) -> Result<u32, Rule> {
    if (MIN_REVIEW_DAYS..=MAX_REVIEW_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(Rule::OutOfRange { min: MIN_REVIEW_DAYS as i64, max: MAX_REVIEW_DAYS as i64 })
    }
}

fn in_status(status: CaseStatus, allowed: &[CaseStatus]) -> Result<(), Rule> {
    if allowed.contains(&status) {
        Ok(())
    } else {
        Err(Rule::CaseNotInState { status })
    }
}

/// Confirming the masking publishes the case.
pub fn confirm_masking(status: CaseStatus) -> Result<CaseStatus, Rule> {
    in_status(status, &[CaseStatus::Draft]).map(|_| CaseStatus::Open)
}

/// The panel is drawn once, for a published case.
pub fn may_draw(status: CaseStatus) -> Result<CaseStatus, Rule> {
    in_status(status, &[CaseStatus::Open]).map(|_| CaseStatus::Review)
}

/// The agency may withdraw a case until the panel has concluded.
pub fn withdraw(status: CaseStatus) -> Result<CaseStatus, Rule> {
    in_status(status, &[CaseStatus::Draft, CaseStatus::Open, CaseStatus::Review]).map(|_| CaseStatus::Withdrawn)
}

/// The party's statement is taken while the case is published and the panel has not concluded.
pub fn may_add_statement(status: CaseStatus) -> Result<(), Rule> {
    in_status(status, &[CaseStatus::Open, CaseStatus::Review])
}

/// The opinions' deadline of a panel drawn at `now`.
pub fn review_due(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now + Duration::days(days as i64)
}

/// A replacement's deadline: the panel's, but never fewer than [`REPLACEMENT_DAYS`] from now.
pub fn replacement_due(now: DateTime<Utc>, panel_due: DateTime<Utc>) -> DateTime<Utc> {
    panel_due.max(now + Duration::days(REPLACEMENT_DAYS))
}

/// When the agency's reply is due, from the panel's conclusion.
pub fn reply_due(concluded_at: DateTime<Utc>) -> DateTime<Utc> {
    concluded_at + Duration::days(REPLY_DAYS)
}

/// A concluded case without a reply after its deadline is shown as overdue.
pub fn is_overdue(status: CaseStatus, reply_due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == CaseStatus::Concluded && reply_due.is_some_and(|due| now > due)
}

// ---- the panel

named_enum!(
    /// A reviewer's place on a case. `Reserve`: after the panel in draw order, not invited
    /// (yet). `Invited`: on the panel, not yet answered. `Accepted`: on the panel.
    /// `Declined` and `Missed` (the deadline passed without an opinion): replaced by the
    /// next reserve in draw order.
    SeatState {
        Reserve = "reserve",
        Invited = "invited",
        Accepted = "accepted",
        Declined = "declined",
        Missed = "missed",
    }
);

impl SeatState {
    /// On the panel now.
    pub fn sits(self) -> bool {
        matches!(self, SeatState::Invited | SeatState::Accepted)
    }
}

/// Accepting or declining an invitation: only while invited and the review is open.
pub fn may_answer_invitation(status: CaseStatus, seat: Option<SeatState>) -> Result<(), Rule> {
    in_status(status, &[CaseStatus::Review])?;
    match seat {
        Some(SeatState::Invited) => Ok(()),
        Some(SeatState::Accepted) => Err(Rule::InvitationAnswered),
        _ => Err(Rule::NotOnPanel),
    }
}

/// A panelist's opinion: one of the four, with written reasons, and a suggested amount
/// for "lighter" or "heavier" when the penalty has an amount.
pub fn check_opinion(
    status: CaseStatus,
    seat: Option<SeatState>,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    opinion: Opinion,
    proposed: (PenaltyKind, Option<i64>),
    suggested: Option<i64>,
) -> Result<Option<i64>, (&'static str, Rule)> {
    in_status(status, &[CaseStatus::Review]).map_err(|r| ("form", r))?;
    if !seat.is_some_and(SeatState::sits) {
        return Err(("form", Rule::NotOnPanel));
    }
    if now > due {
        return Err(("form", Rule::OpinionDeadlinePassed { due }));
    }
    let (kind, proposed_amount) = proposed;
    match (opinion, kind.has_amount(), suggested) {
        (Opinion::Lighter | Opinion::Heavier, true, None) => Err(("amount", Rule::SuggestedAmountRequired)),
        (Opinion::Lighter, true, Some(a)) if proposed_amount.is_some_and(|p| a >= p) => {
            Err(("amount", Rule::SuggestedAmountDirection { lighter: true }))
        }
        (Opinion::Heavier, true, Some(a)) if proposed_amount.is_some_and(|p| a <= p) => {
            Err(("amount", Rule::SuggestedAmountDirection { lighter: false }))
        }
        (Opinion::Lighter | Opinion::Heavier, true, Some(a)) => check_penalty(kind, Some(a)).map_err(|r| ("amount", r)),
        // agree or no penalty carry no amount of their own; nor does a penalty without one
        _ => Ok(None),
    }
}

/// What closing the review after its deadline does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Closing {
    /// Every seat has an opinion: the panel's opinion stands.
    Conclude(PanelOpinion),
    /// These seats (positions in `seats`) missed the deadline and are replaced; the review
    /// goes on.
    Replace(Vec<usize>),
}

/// Closing the review: after the deadline, seats without an opinion missed it and are
/// replaced; when every seat has one, the panel's opinion stands. `seats` are the sitting
/// panelists' opinions (`None`: not given).
pub fn close_review(status: CaseStatus, due: DateTime<Utc>, now: DateTime<Utc>, seats: &[Option<Opinion>]) -> Result<Closing, Rule> {
    in_status(status, &[CaseStatus::Review])?;
    if now <= due {
        return Err(Rule::ReviewStillOpen { due });
    }
    let missing: Vec<usize> = seats.iter().enumerate().filter(|(_, o)| o.is_none()).map(|(i, _)| i).collect();
    if !missing.is_empty() {
        return Ok(Closing::Replace(missing));
    }
    let opinions: Vec<Opinion> = seats.iter().flatten().copied().collect();
    panel_opinion(&opinions).map(Closing::Conclude).ok_or(Rule::PanelSize { min: MIN_PANEL, max: MAX_PANEL })
}

named_enum!(
    /// How the agency used the panel's opinion.
    ReplyKind {
        Adopted = "adopted",
        Partly = "partly",
        NotAdopted = "not_adopted",
    }
);

/// The agency replies once the panel has concluded, once.
pub fn may_reply(status: CaseStatus) -> Result<CaseStatus, Rule> {
    match status {
        CaseStatus::Concluded => Ok(CaseStatus::Replied),
        CaseStatus::Open | CaseStatus::Review => Err(Rule::ReplyBeforeConclusion),
        status => Err(Rule::CaseNotInState { status }),
    }
}

// ---- the panel draw

/// The name of the panel draw's algorithm, published with every draw.
pub const PANEL_ALGORITHM: &str = "minyi-panel-v1";

/// The panel draw, `minyi-panel-v1`: the eligible reviewers are published as a list in a
/// fixed order (by pool number), entries 1 to N. The lot order is step 3 of `minyi-draw-v1`
/// ([`super::draw`]: Fisher–Yates over ChaCha20 from the committed seed). The panel is the
/// first `size` in lot order; the rest, in lot order, are the reserves that replace a
/// panelist who declines or misses the deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelDraw {
    /// Every ordinal (1-based place in the eligible list) in lot order.
    pub lot: Vec<u32>,
    pub panel: Vec<u32>,
    pub reserve: Vec<u32>,
}

/// Draws a panel of `size` from `eligible` reviewers; refused with the numbers when the
/// pool is too small after the exclusions.
pub fn panel_draw(seed: &Seed, eligible: usize, size: u32, excluded: u32) -> Result<PanelDraw, Rule> {
    let size = check_panel_size(size)?;
    if eligible < size as usize {
        return Err(Rule::PoolTooSmall { eligible: eligible as u32, needed: size, excluded });
    }
    let lot: Vec<u32> = lot_order(seed, eligible).into_iter().map(|p| p as u32 + 1).collect();
    let (panel, reserve) = lot.split_at(size as usize);
    Ok(PanelDraw { panel: panel.to_vec(), reserve: reserve.to_vec(), lot })
}

/// Re-runs a published panel draw: the seed matches its commitment and gives this outcome.
pub fn verify_panel(commitment: &str, seed: &Seed, eligible: usize, size: u32, outcome: &PanelDraw) -> bool {
    seed.commitment() == commitment && panel_draw(seed, eligible, size, 0).is_ok_and(|d| d == *outcome)
}

/// The names masking looks for: the party's and every other name the official listed.
pub fn names_to_mask<'a>(party: &'a str, listed: &'a [String]) -> Vec<&'a str> {
    std::iter::once(party).chain(listed.iter().map(String::as_str)).collect()
}

/// A listed name (the party's or another the official listed) still in text about to be
/// published: where, with the name itself hidden but its first character.
pub fn name_left(text: &str, names: &[&str]) -> Option<super::mask::Unmasked> {
    let span = super::mask::find(text, names).into_iter().find(|s| s.kind == super::mask::PiiKind::Name)?;
    let before = text.get(..span.start)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let name = text.get(span.start..span.end)?;
    let excerpt = name.chars().take(1).chain(name.chars().skip(1).map(|_| '*')).collect();
    Some(super::mask::Unmasked { kind: super::mask::PiiKind::Name, line, column, excerpt })
}

/// A reviewer's public number: pool members are published by number, never by name.
pub fn reviewer_code(member_id: i64) -> String {
    format!("R-{member_id:04}")
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

    fn at(day: u32) -> DateTime<Utc> {
        use chrono::TimeZone;
        Utc.with_ymd_and_hms(2026, 12, day, 2, 0, 0).unwrap()
    }

    #[test]
    fn city_rules_a_reviewer_serves_a_term_of_2_years_unless_renewed() {
        let approved = at(1);
        let ends = term_end(approved, DEFAULT_TERM_YEARS);
        assert_eq!(ends.to_rfc3339(), "2028-12-01T02:00:00+00:00");
        assert!(in_term(PoolState::Active, Some(ends), ends - Duration::seconds(1)));
        assert!(!in_term(PoolState::Active, Some(ends), ends), "the term ends at its end");
        assert!(!in_term(PoolState::Volunteered, Some(ends), approved), "not approved");
        // renewing adds to a running term, and to now after it ended
        assert_eq!(renewed_term(approved, Some(ends), 1).to_rfc3339(), "2029-12-01T02:00:00+00:00");
        assert_eq!(renewed_term(ends + Duration::days(10), Some(ends), 1), term_end(ends + Duration::days(10), 1));
        assert_eq!(check_term(0), Err(Rule::OutOfRange { min: 1, max: 5 }));
        assert_eq!(check_term(6), Err(Rule::OutOfRange { min: 1, max: 5 }));
        assert_eq!(check_term(2), Ok(2));
    }

    fn case() -> CaseParties<'static> {
        CaseParties { agency_id: 3, district: "蜀山区", party: "合肥香满楼餐饮有限公司", submitted_by: 40 }
    }

    fn candidate(user_id: i64, conflicts: Vec<Conflict>) -> Candidate {
        Candidate { user_id, agency_id: None, conflicts, busy: false }
    }

    fn conflict(kind: ConflictKind, agency_id: Option<i64>, text: &str) -> Conflict {
        Conflict { kind, agency_id, text: text.into() }
    }

    #[test]
    fn city_rules_declared_conflicts_with_the_agency_district_or_party_exclude_from_the_panel() {
        let case = case();
        assert_eq!(exclusion(&candidate(1, vec![]), &case), None);
        assert_eq!(exclusion(&candidate(1, vec![conflict(ConflictKind::Agency, Some(3), "")]), &case), Some(Exclusion::Agency));
        assert_eq!(exclusion(&candidate(1, vec![conflict(ConflictKind::Agency, Some(4), "")]), &case), None);
        assert_eq!(
            exclusion(&candidate(1, vec![conflict(ConflictKind::District, None, "合肥市 蜀山区")]), &case),
            Some(Exclusion::District)
        );
        assert_eq!(exclusion(&candidate(1, vec![conflict(ConflictKind::District, None, "包河区")]), &case), None);
        assert_eq!(exclusion(&candidate(1, vec![conflict(ConflictKind::Party, None, "香满楼")]), &case), Some(Exclusion::Party));
        assert_eq!(
            exclusion(&candidate(1, vec![conflict(ConflictKind::Party, None, "区")]), &case),
            None,
            "one character matches too much"
        );
        // working for the agency, or having submitted the case
        assert_eq!(exclusion(&Candidate { agency_id: Some(3), ..candidate(1, vec![]) }, &case), Some(Exclusion::Agency));
        assert_eq!(exclusion(&candidate(40, vec![]), &case), Some(Exclusion::Agency));
        // on another open panel
        assert_eq!(exclusion(&Candidate { busy: true, ..candidate(1, vec![]) }, &case), Some(Exclusion::OtherPanel));
        let (list, excluded) = eligible(
            &[
                candidate(1, vec![]),
                Candidate { busy: true, ..candidate(2, vec![]) },
                candidate(3, vec![conflict(ConflictKind::Party, None, "香满楼")]),
                candidate(4, vec![]),
            ],
            &case,
        );
        assert_eq!(list, vec![1, 4]);
        assert_eq!(excluded, vec![0, 0, 1, 1]);
    }

    #[test]
    fn city_rules_the_panel_is_drawn_from_the_eligible_pool_and_refused_when_it_is_too_small() {
        let seed = Seed([7; 32]);
        assert_eq!(panel_draw(&seed, 6, 7, 3), Err(Rule::PoolTooSmall { eligible: 6, needed: 7, excluded: 3 }));
        assert_eq!(panel_draw(&seed, 20, 8, 0), Err(Rule::PanelSize { min: 5, max: 9 }));
        let d = panel_draw(&seed, 12, 7, 0).unwrap();
        assert_eq!(d.panel.len(), 7);
        assert_eq!(d.reserve.len(), 5);
        let mut all = d.lot.clone();
        all.sort();
        assert_eq!(all, (1..=12).collect::<Vec<u32>>(), "every eligible reviewer once");
        assert_eq!([d.panel.clone(), d.reserve.clone()].concat(), d.lot);
        // the same seed gives the same panel; anyone can check it against the commitment
        assert_eq!(panel_draw(&seed, 12, 7, 0).unwrap(), d);
        assert!(verify_panel(&seed.commitment(), &seed, 12, 7, &d));
        assert!(!verify_panel(&Seed([8; 32]).commitment(), &seed, 12, 7, &d), "another commitment");
        let mut forged = d.clone();
        forged.panel.swap(0, 1);
        assert!(!verify_panel(&seed.commitment(), &seed, 12, 7, &forged));
        // the lot order is the hearing draw's, from the same seed
        assert_eq!(d.lot, lot_order(&seed, 12).into_iter().map(|p| p as u32 + 1).collect::<Vec<_>>());
    }

    #[test]
    fn city_rules_opinions_are_given_by_panelists_before_the_deadline_with_an_amount_for_lighter_or_heavier() {
        let due = at(10);
        let fine = (PenaltyKind::Fine, Some(20_000));
        let sits = Some(SeatState::Accepted);
        let ok = |o, amount| check_opinion(CaseStatus::Review, sits, due, at(5), o, fine, amount);
        assert_eq!(ok(Opinion::Agree, None), Ok(None));
        assert_eq!(ok(Opinion::Agree, Some(5)), Ok(None), "an amount with agree is ignored");
        assert_eq!(ok(Opinion::Lighter, Some(5_000)), Ok(Some(5_000)));
        assert_eq!(ok(Opinion::Lighter, None), Err(("amount", Rule::SuggestedAmountRequired)));
        assert_eq!(ok(Opinion::Lighter, Some(30_000)), Err(("amount", Rule::SuggestedAmountDirection { lighter: true })));
        assert_eq!(ok(Opinion::Heavier, Some(20_000)), Err(("amount", Rule::SuggestedAmountDirection { lighter: false })));
        assert_eq!(ok(Opinion::Heavier, Some(50_000)), Ok(Some(50_000)));
        let warning = (PenaltyKind::Warning, None);
        assert_eq!(check_opinion(CaseStatus::Review, sits, due, at(5), Opinion::Lighter, warning, None), Ok(None));
        // after the deadline, off the panel, or outside the review
        assert_eq!(
            check_opinion(CaseStatus::Review, sits, due, at(11), Opinion::Agree, fine, None),
            Err(("form", Rule::OpinionDeadlinePassed { due }))
        );
        for seat in [None, Some(SeatState::Reserve), Some(SeatState::Declined), Some(SeatState::Missed)] {
            assert_eq!(check_opinion(CaseStatus::Review, seat, due, at(5), Opinion::Agree, fine, None), Err(("form", Rule::NotOnPanel)));
        }
        assert_eq!(
            check_opinion(CaseStatus::Concluded, sits, due, at(5), Opinion::Agree, fine, None),
            Err(("form", Rule::CaseNotInState { status: CaseStatus::Concluded }))
        );
    }

    #[test]
    fn city_rules_a_panelist_who_misses_the_deadline_is_replaced_and_the_panel_concludes_when_all_have_spoken() {
        use Opinion::*;
        let due = at(10);
        let seats = [Some(Agree), None, Some(Lighter), Some(Agree), None, Some(Agree), Some(Heavier)];
        assert_eq!(close_review(CaseStatus::Review, due, at(10), &seats), Err(Rule::ReviewStillOpen { due }));
        assert_eq!(close_review(CaseStatus::Review, due, at(11), &seats), Ok(Closing::Replace(vec![1, 4])));
        let full = [Some(Agree), Some(NoPenalty), Some(Lighter), Some(Agree), Some(Agree), Some(Agree), Some(Heavier)];
        let Ok(Closing::Conclude(o)) = close_review(CaseStatus::Review, due, at(11), &full) else { panic!("concludes") };
        assert_eq!((o.opinion, o.breakdown), (Agree, vec![1, 1, 4, 1]));
        assert_eq!(replacement_due(at(11), due), at(16), "a replacement has 5 days at least");
        assert_eq!(replacement_due(at(1), due), due);
    }

    #[test]
    fn city_rules_the_agency_replies_after_the_conclusion_and_is_overdue_after_15_days() {
        assert_eq!(may_reply(CaseStatus::Review), Err(Rule::ReplyBeforeConclusion));
        assert_eq!(may_reply(CaseStatus::Open), Err(Rule::ReplyBeforeConclusion));
        assert_eq!(may_reply(CaseStatus::Concluded), Ok(CaseStatus::Replied));
        assert_eq!(may_reply(CaseStatus::Replied), Err(Rule::CaseNotInState { status: CaseStatus::Replied }));
        let due = reply_due(at(1));
        assert_eq!(due, at(16));
        assert!(!is_overdue(CaseStatus::Concluded, Some(due), at(16)));
        assert!(is_overdue(CaseStatus::Concluded, Some(due), at(17)));
        assert!(!is_overdue(CaseStatus::Replied, Some(due), at(17)), "a reply ends it");
    }

    #[test]
    fn penalties_with_amounts_need_one_and_others_refuse_one() {
        assert_eq!(check_penalty(PenaltyKind::Fine, Some(20_000)), Ok(Some(20_000)));
        assert_eq!(check_penalty(PenaltyKind::Fine, None), Err(Rule::PenaltyAmountRequired));
        assert_eq!(check_penalty(PenaltyKind::Fine, Some(0)), Err(Rule::OutOfRange { min: 1, max: MAX_AMOUNT }));
        assert_eq!(check_penalty(PenaltyKind::Warning, Some(1)), Err(Rule::PenaltyAmountNotApplicable));
        assert_eq!(check_penalty(PenaltyKind::Warning, None), Ok(None));
        assert_eq!(parse_amount(" 20,000元 "), Ok(Some(20_000)));
        assert_eq!(parse_amount("２００００"), Ok(Some(20_000)));
        assert_eq!(parse_amount(""), Ok(None));
        assert!(parse_amount("两万").is_err());
        assert_eq!(check_review_days(4), Err(Rule::OutOfRange { min: 5, max: 30 }));
    }

    #[test]
    fn city_rules_a_listed_name_left_in_text_to_publish_is_found_with_its_place() {
        let text = "经查，\n当事人张某于2026年3月经营。\n证人李四称";
        let left = name_left(text, &["张三", "李四"]).expect("李四 is left");
        assert_eq!((left.line, left.column, left.excerpt.as_str()), (3, 3, "李*"));
        assert!(name_left("当事人张某", &["张三"]).is_none());
    }

    #[test]
    fn the_case_lifecycle_refuses_steps_out_of_order() {
        assert_eq!(confirm_masking(CaseStatus::Draft), Ok(CaseStatus::Open));
        assert_eq!(confirm_masking(CaseStatus::Open), Err(Rule::CaseNotInState { status: CaseStatus::Open }));
        assert_eq!(may_draw(CaseStatus::Open), Ok(CaseStatus::Review));
        assert_eq!(may_draw(CaseStatus::Draft), Err(Rule::CaseNotInState { status: CaseStatus::Draft }));
        assert_eq!(may_draw(CaseStatus::Review), Err(Rule::CaseNotInState { status: CaseStatus::Review }));
        assert_eq!(withdraw(CaseStatus::Concluded), Err(Rule::CaseNotInState { status: CaseStatus::Concluded }));
        assert_eq!(may_answer_invitation(CaseStatus::Review, Some(SeatState::Invited)), Ok(()));
        assert_eq!(may_answer_invitation(CaseStatus::Review, Some(SeatState::Reserve)), Err(Rule::NotOnPanel));
        assert!(!CaseStatus::Draft.is_public());
        assert_eq!(reviewer_code(42), "R-0042");
    }

    #[test]
    fn opinions_round_trip() {
        for o in Opinion::ALL {
            assert_eq!(Opinion::parse(o.as_str()), Ok(*o));
        }
        assert_eq!(Opinion::parse("abstain"), Err(Rule::UnknownChoice));
    }
}
