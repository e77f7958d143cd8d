//! The participant draw, algorithm `minyi-draw-v1`: hearing seats (and penalty-review
//! panel seats) are filled by a lot that anyone can re-run from published data and check.
//!
//! # Commit, reveal, re-run
//!
//! Before applications close, the organizer fixes a secret 32-byte seed and publishes its
//! commitment with the call: SHA-256 of the 32 raw seed bytes, as 64 lowercase hex
//! characters. At the draw the seed itself is revealed (64 lowercase hex characters). From
//! the published applicant list, the number of seats and the seed, anyone can re-run the
//! steps below and must obtain the same lot order, the same participants and the same
//! waiting list; `verify` does exactly that.
//!
//! # Inputs
//!
//! - `seed`: 32 bytes.
//! - The applicant list as published, ordered by application time. Entry k (k = 1, 2, ..., N)
//!   carries ordinal k, a constituency (`consumer`, `operator`, `expert` or `other`) and a
//!   low-income flag.
//! - `S`: the number of seats.
//!
//! # Step 1: the generator
//!
//! The ChaCha20 keystream (RFC 8439 block function, 20 rounds) with key = the 32 seed bytes,
//! nonce = 12 zero bytes and the block counter starting at 0 and counting up; that is, the
//! bytes produced by ChaCha20-encrypting zero bytes. The keystream is read 8 bytes at a time,
//! each 8 bytes taken as one little-endian unsigned 64-bit word (words never straddle a
//! 64-byte block). The first words for the all-zero key are `0x903df1a0ade0b876`,
//! `0x28bd8653e56a5d40`, ... (RFC 8439 appendix A.1, test vector 1). This is rand_chacha's
//! `ChaCha20Rng::from_seed(seed)` read with `next_u64`.
//!
//! # Step 2: `below(n)`, a uniform integer in [0, n) for n >= 1
//!
//! Let t = 2^64 mod n (in 64-bit arithmetic: (2^64 - n) mod n). Read words w until one has
//! w >= t, and return w mod n. Every attempt reads one word, including n = 1 (t = 0, so the
//! first word is accepted and 0 returned); a rejected word is discarded. The accepted range
//! [t, 2^64) holds a multiple of n words, so every result is equally likely.
//!
//! # Step 3: the lot order
//!
//! Start from p = [0, 1, ..., N-1] (0-based positions in the published list). One generator,
//! used from its start, serves the whole shuffle (Fisher–Yates from the end):
//! for i = N-1, N-2, ..., 1: j = below(i + 1); swap p[i] and p[j]. The lot order is the list
//! of ordinals p[0] + 1, p[1] + 1, ..., p[N-1] + 1. With N = 0 or 1 no word is read.
//!
//! # Step 4: the selection
//!
//! Q = ceil(2S/5) = floor((2S + 4) / 5), the consumer quota; C = the number of consumer
//! applicants.
//!
//! 1. If S >= 1: select the first low-income applicant in lot order, if there is one.
//! 2. T = min(Q, C). Walk the lot order from the start; stop as soon as at least T consumers
//!    are selected (one selected in step 1 counts) or S applicants are selected; otherwise
//!    select each consumer not yet selected.
//! 3. Walk the lot order from the start, selecting each applicant not yet selected, until S
//!    applicants are selected or the list ends.
//!
//! The outcome: `lot` = the lot order; `selected` = the selected ordinals in lot order (not in
//! the order of the step that picked them); `waiting` = all other ordinals in lot order, the
//! waiting list; `unfilled` = S minus the number selected.
//!
//! What this guarantees: min(S, N) are selected; a low-income applicant is among them
//! whenever any applied and S >= 1; and at least min(Q, C, S - L) consumers are selected,
//! where L = 1 when a low-income applicant applied and S >= 1, else 0. For S >= 2 that is
//! min(Q, C), because Q <= S - 1: the 2/5 consumer quota holds whenever enough consumers
//! applied, and otherwise every consumer is selected. Only with a single seat does the
//! low-income seat come before the consumer quota.
//!
//! # Declines: `replacement`
//!
//! When a selected participant declines, the seat goes to someone on the waiting list, in
//! draw order, keeping the quotas when possible. The caller passes the selection without
//! the one who declined and what is left of the waiting list, in order (anyone who took a
//! seat or withdrew removed). The quotas are set as the draw sets them, over the people still
//! in play, P = selected + waiting: L = 1 when S >= 1 and P holds a low-income applicant,
//! else 0; T = min(Q, consumers in P, S - L). A selection meets the quotas when it holds at
//! least T consumers and, when L = 1, at least one low-income applicant. The seat goes to
//!
//! 1. the first on the waiting list whose addition makes the selection meet the quotas;
//! 2. else the first whose addition gives at least T consumers;
//! 3. else the first on the waiting list;
//!
//! and to nobody when the waiting list is empty.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

pub use super::hearing::Constituency;

/// The name of this algorithm, published with every draw.
pub const ALGORITHM: &str = "minyi-draw-v1";

/// The 32-byte draw seed; hex (64 lowercase hex characters) on the wire and in the database.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Seed(pub [u8; 32]);

/// The seed is secret until the draw: a log line never shows it.
impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seed(..)")
    }
}

impl Seed {
    /// Exactly 64 hex digits (either case); anything else is `None`.
    pub fn from_hex(s: &str) -> Option<Seed> {
        let raw = s.as_bytes();
        if raw.len() != 64 {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(raw.chunks_exact(2)) {
            let (hi, lo) = match pair {
                [hi, lo] => (hex_value(*hi)?, hex_value(*lo)?),
                _ => return None,
            };
            *byte = (hi << 4) | lo;
        }
        Some(Seed(bytes))
    }

    /// 64 lowercase hex characters.
    pub fn to_hex(&self) -> String {
        lower_hex(&self.0)
    }

    /// SHA-256 of the 32 raw bytes, lowercase hex: what is published before applications close.
    pub fn commitment(&self) -> String {
        lower_hex(&Sha256::digest(self.0))
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

impl Serialize for Seed {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Seed::from_hex(&text).ok_or_else(|| serde::de::Error::custom("a draw seed is 64 hex characters"))
    }
}

/// The draw's random source: the ChaCha20 keystream with key = seed, nonce = 0, block counter
/// from 0, read as consecutive little-endian 64-bit words (see the module documentation).
pub struct Lot {
    rng: ChaCha20Rng,
}

impl Lot {
    pub fn new(seed: &Seed) -> Self {
        Lot { rng: ChaCha20Rng::from_seed(seed.0) }
    }

    /// The next 64-bit word of the keystream.
    fn word(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// Uniform in [0, n) for n >= 1, by rejection: with t = 2^64 mod n, read words until one
    /// is >= t and return it mod n. Each attempt reads one word, n = 1 included. `n = 0`
    /// has no valid answer: it reads nothing and returns 0.
    pub fn below(&mut self, n: u64) -> u64 {
        let Some(threshold) = n.wrapping_neg().checked_rem(n) else {
            return 0;
        };
        loop {
            let w = self.word();
            if w >= threshold {
                return w % n;
            }
        }
    }
}

/// Fisher–Yates from the end over 0..n: `for i in (1..n).rev() { j = below(i+1); swap(i, j) }`,
/// one `Lot` from its start. Returns the permutation: entry k is the 0-based index, in the
/// published list, of the k-th applicant in lot order.
pub fn lot_order(seed: &Seed, n: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut lot = Lot::new(seed);
    for i in (1..n).rev() {
        let j = lot.below(i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// One entry of the published applicant list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    /// 1-based position in the published list (ordered by application time)
    pub ordinal: u32,
    pub constituency: Constituency,
    pub low_income: bool,
}

impl Applicant {
    fn is_consumer(&self) -> bool {
        self.constituency == Constituency::Consumer
    }
}

/// The result of a draw, as published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawOutcome {
    /// ordinals in lot order
    pub lot: Vec<u32>,
    /// selected ordinals, in lot order
    pub selected: Vec<u32>,
    /// the rest, in lot order: the waiting list
    pub waiting: Vec<u32>,
    /// seats left empty (fewer applicants than seats)
    pub unfilled: u32,
}

/// The consumer quota for `seats` seats: at least 2/5 of them, rounded up, ceil(2S/5).
pub fn consumer_quota(seats: u32) -> u32 {
    let quota = (2 * u64::from(seats)).div_ceil(5);
    u32::try_from(quota).unwrap_or(u32::MAX)
}

/// Who the draw has selected so far (by index into the published list).
struct Tally {
    chosen: Vec<bool>,
    count: usize,
    consumers: usize,
}

impl Tally {
    fn take(&mut self, applicants: &[Applicant], i: usize) {
        self.chosen[i] = true;
        self.count += 1;
        if applicants[i].is_consumer() {
            self.consumers += 1;
        }
    }
}

/// The draw. `applicants` must be the published list in its published order (ordinal 1, 2, ...).
pub fn draw(seed: &Seed, applicants: &[Applicant], seats: u32) -> DrawOutcome {
    let order = lot_order(seed, applicants.len());
    let quota = consumer_quota(seats) as usize;
    let seats = seats as usize;
    let mut tally = Tally { chosen: vec![false; applicants.len()], count: 0, consumers: 0 };

    // 1. the first low-income applicant in lot order
    if seats >= 1 {
        if let Some(&i) = order.iter().find(|&&i| applicants[i].low_income) {
            tally.take(applicants, i);
        }
    }

    // 2. consumers in lot order until min(Q, C) are selected or the seats are full
    let consumers_applied = applicants.iter().filter(|a| a.is_consumer()).count();
    let target = quota.min(consumers_applied);
    for &i in &order {
        if tally.consumers >= target || tally.count >= seats {
            break;
        }
        if applicants[i].is_consumer() && !tally.chosen[i] {
            tally.take(applicants, i);
        }
    }

    // 3. anyone not yet selected, in lot order, until the seats are full
    for &i in &order {
        if tally.count >= seats {
            break;
        }
        if !tally.chosen[i] {
            tally.take(applicants, i);
        }
    }

    let chosen = &tally.chosen;
    let lot: Vec<u32> = order.iter().map(|&i| applicants[i].ordinal).collect();
    let selected: Vec<u32> = order.iter().filter(|&&i| chosen[i]).map(|&i| applicants[i].ordinal).collect();
    let waiting: Vec<u32> = order.iter().filter(|&&i| !chosen[i]).map(|&i| applicants[i].ordinal).collect();
    let unfilled = seats.saturating_sub(selected.len()) as u32;
    DrawOutcome { lot, selected, waiting, unfilled }
}

/// The applicant with this ordinal: entry `ordinal - 1` of a list numbered as published,
/// else found by search; `None` when the list has no such ordinal.
fn applicant(applicants: &[Applicant], ordinal: u32) -> Option<&Applicant> {
    let at = (ordinal as usize).checked_sub(1).and_then(|k| applicants.get(k)).filter(|a| a.ordinal == ordinal);
    at.or_else(|| applicants.iter().find(|a| a.ordinal == ordinal))
}

/// The quotas a selection must meet, set as the draw sets them over the people in play.
struct Quotas {
    consumers: usize,
    low_income: bool,
}

impl Quotas {
    fn over(applicants: &[Applicant], seats: u32, in_play: &[&[u32]]) -> Quotas {
        let people = || in_play.iter().flat_map(|list| list.iter()).filter_map(|&o| applicant(applicants, o));
        let low_income = seats >= 1 && people().any(|a| a.low_income);
        let consumers_in_play = people().filter(|a| a.is_consumer()).count();
        let seats_for_consumers = (seats as usize).saturating_sub(usize::from(low_income));
        let consumers = (consumer_quota(seats) as usize).min(consumers_in_play).min(seats_for_consumers);
        Quotas { consumers, low_income }
    }
}

/// A selected participant declined: the ordinal who takes the seat (None when the waiting list is empty).
/// `selected` no longer contains the one who declined; `waiting` is what is left of the waiting list, in order.
/// Takes the first on the waiting list whose selection keeps the quotas (consumers, low-income) as they would be
/// at the draw, else the first that restores the consumer quota, else the first (see the module documentation).
pub fn replacement(applicants: &[Applicant], seats: u32, selected: &[u32], waiting: &[u32]) -> Option<u32> {
    let first = *waiting.first()?;
    let quotas = Quotas::over(applicants, seats, &[selected, waiting]);
    let chosen: Vec<&Applicant> = selected.iter().filter_map(|&o| applicant(applicants, o)).collect();
    let consumers = chosen.iter().filter(|a| a.is_consumer()).count();
    let has_low_income = chosen.iter().any(|a| a.low_income);
    let after = |o: u32| {
        let (consumer, low_income) = applicant(applicants, o).map_or((false, false), |a| (a.is_consumer(), a.low_income));
        let consumers_ok = consumers + usize::from(consumer) >= quotas.consumers;
        let low_income_ok = !quotas.low_income || has_low_income || low_income;
        (consumers_ok, low_income_ok)
    };
    waiting.iter().copied().find(|&o| after(o) == (true, true)).or_else(|| waiting.iter().copied().find(|&o| after(o).0)).or(Some(first))
}

/// Re-runs a published draw: true when seed matches commitment and draw(seed, applicants, seats) == outcome.
/// The list must also be numbered as published (ordinal 1, 2, ... in order); the commitment is compared
/// ignoring ASCII case and surrounding whitespace.
pub fn verify(commitment: &str, seed: &Seed, applicants: &[Applicant], seats: u32, outcome: &DrawOutcome) -> bool {
    let numbered = applicants.iter().zip(1u64..).all(|(a, k)| u64::from(a.ordinal) == k);
    seed.commitment().eq_ignore_ascii_case(commitment.trim()) && numbered && draw(seed, applicants, seats) == *outcome
}

/// One group of applicants in a draw's make-up: how many applied, how many the draw
/// selected, and the least it had to select (the quota) if the rules set one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    /// The constituency, or `None` for the low-income applicants (of any constituency).
    pub group: Option<Constituency>,
    pub applied: u32,
    pub selected: u32,
    /// Consumers: min(Q, consumers who applied); low-income: 1 when one applied.
    pub quota: Option<u32>,
}

impl Share {
    /// Whether the selection reaches the quota (always, without one).
    pub fn meets_quota(&self) -> bool {
        self.quota.is_none_or(|q| self.selected >= q)
    }
}

/// The draw's make-up against its quotas, for the picture on the draw's page: each
/// constituency in order, then the low-income applicants.
pub fn make_up(applicants: &[Applicant], outcome: &DrawOutcome, seats: u32) -> Vec<Share> {
    let chosen = |a: &&&Applicant| outcome.selected.contains(&a.ordinal);
    let mut shares: Vec<Share> = Constituency::ALL
        .iter()
        .map(|c| {
            let group: Vec<&Applicant> = applicants.iter().filter(|a| a.constituency == *c).collect();
            let applied = group.len() as u32;
            Share {
                group: Some(*c),
                applied,
                selected: group.iter().filter(&chosen).count() as u32,
                quota: (*c == Constituency::Consumer).then(|| consumer_quota(seats).min(applied)),
            }
        })
        .collect();
    let low: Vec<&Applicant> = applicants.iter().filter(|a| a.low_income).collect();
    shares.push(Share {
        group: None,
        applied: low.len() as u32,
        selected: low.iter().filter(&chosen).count() as u32,
        quota: Some(u32::from(seats >= 1 && !low.is_empty())),
    });
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rand_chacha::ChaCha20Rng;
    use std::collections::BTreeSet;

    /// Rule: the draw's 2/5 consumer quota and its low-income seat, shown against what it selected.
    #[test]
    fn rule_the_make_up_shows_each_group_against_its_quota() {
        let a = |ordinal, constituency, low_income| Applicant { ordinal, constituency, low_income };
        let applicants = vec![
            a(1, Constituency::Consumer, true),
            a(2, Constituency::Consumer, false),
            a(3, Constituency::Operator, false),
            a(4, Constituency::Expert, false),
            a(5, Constituency::Consumer, false),
        ];
        let outcome = DrawOutcome { lot: vec![3, 1, 4, 2, 5], selected: vec![3, 1, 4], waiting: vec![2, 5], unfilled: 0 };
        let shares = make_up(&applicants, &outcome, 3);
        let consumer = shares[0];
        assert_eq!((consumer.group, consumer.applied, consumer.selected, consumer.quota), (Some(Constituency::Consumer), 3, 1, Some(2)));
        assert!(!consumer.meets_quota());
        assert_eq!((shares[1].applied, shares[1].selected, shares[1].quota), (1, 1, None));
        let low = shares[4];
        assert_eq!((low.group, low.applied, low.selected, low.quota), (None, 1, 1, Some(1)));
        assert!(low.meets_quota());
        // a real draw meets both quotas
        let drawn = draw(&Seed([7; 32]), &applicants, 3);
        assert!(make_up(&applicants, &drawn, 3).iter().all(Share::meets_quota));
    }

    fn rfc8439_words(hex: &str) -> Vec<u64> {
        let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|k| u8::from_str_radix(&hex[k..k + 2], 16).expect("hex")).collect();
        bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect()
    }

    #[test]
    fn generator_is_the_rfc8439_chacha20_keystream_read_as_little_endian_u64() {
        // RFC 8439 appendix A.1: key all zero, nonce all zero; test vector 1 is block counter 0,
        // test vector 2 block counter 1 (so the counter is also seen to count up from 0)
        let block0 = "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7\
                      da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586";
        let block1 = "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed\
                      29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f";
        let mut expected = rfc8439_words(block0);
        expected.extend(rfc8439_words(block1));
        assert_eq!(expected[0], 0x903d_f1a0_ade0_b876);
        let mut lot = Lot::new(&Seed([0; 32]));
        let got: Vec<u64> = (0..expected.len()).map(|_| lot.word()).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn below_never_returns_n_or_more() {
        let seed = Seed([7; 32]);
        let mut lot = Lot::new(&seed);
        for n in [1u64, 2, 3, 5, 7, 10, 400, 1 << 32, (1 << 32) + 1, (1 << 63) + 1, u64::MAX - 1, u64::MAX] {
            for _ in 0..2000 {
                assert!(lot.below(n) < n, "below({n})");
            }
        }
    }

    #[test]
    fn below_rejects_words_under_two_pow_64_mod_n_and_reduces_the_rest() {
        // n = 2^63 + 1: t = 2^64 mod n = 2^63 - 1, so about half of all words are rejected
        let n = (1u64 << 63) + 1;
        let threshold = (1u64 << 63) - 1;
        let seed = Seed([42; 32]);
        let mut lot = Lot::new(&seed);
        let mut raw = ChaCha20Rng::from_seed(seed.0);
        let mut rejected = 0;
        for _ in 0..200 {
            let expected = loop {
                let w = raw.next_u64();
                if w >= threshold {
                    break w % n;
                }
                rejected += 1;
            };
            assert_eq!(lot.below(n), expected);
            // the two streams are at the same word: nothing read beyond what the doc says
            assert_eq!(lot.rng.get_word_pos(), raw.get_word_pos());
        }
        assert!(rejected > 20, "the rejection path was exercised {rejected} times");
    }

    #[test]
    fn below_reads_one_word_per_attempt_even_for_n_one_and_nothing_for_n_zero() {
        let mut lot = Lot::new(&Seed([1; 32]));
        assert_eq!(lot.below(1), 0);
        assert_eq!(lot.rng.get_word_pos(), 2, "one 64-bit word is two 32-bit words");
        assert_eq!(lot.below(0), 0);
        assert_eq!(lot.rng.get_word_pos(), 2);
        // a power of two: t = 0, the word's low bits
        let mut raw = ChaCha20Rng::from_seed([1; 32]);
        raw.next_u64();
        assert_eq!(lot.below(1 << 20), raw.next_u64() & ((1 << 20) - 1));
    }

    #[test]
    fn lot_order_is_fisher_yates_from_the_end_with_below() {
        let seed = Seed([9; 32]);
        let mut lot = Lot::new(&seed);
        let mut expected: Vec<usize> = (0..50).collect();
        for i in (1..50usize).rev() {
            let j = lot.below(i as u64 + 1) as usize;
            expected.swap(i, j);
        }
        assert_eq!(lot_order(&seed, 50), expected);
        assert_eq!(lot_order(&seed, 0), Vec::<usize>::new());
        assert_eq!(lot_order(&seed, 1), vec![0]);
    }

    #[test]
    fn seed_hex_roundtrips_and_rejects_anything_but_64_hex_digits() {
        let seed = Seed(core::array::from_fn(|k| k as u8 * 7));
        let hex = seed.to_hex();
        assert_eq!(hex.len(), 64);
        assert_eq!(hex, hex.to_ascii_lowercase());
        assert_eq!(Seed::from_hex(&hex), Some(seed));
        assert_eq!(Seed::from_hex(&hex.to_ascii_uppercase()), Some(seed));
        assert_eq!(Seed::from_hex(&hex[..62]), None);
        assert_eq!(Seed::from_hex(&format!("{hex}00")), None);
        assert_eq!(Seed::from_hex(&format!("{}g", &hex[..63])), None);
        assert_eq!(Seed::from_hex(&format!(" {}", &hex[..63])), None);
        assert_eq!(Seed::from_hex(&"é".repeat(32)), None);
    }

    #[test]
    fn commitment_is_sha256_of_the_raw_seed_bytes_in_lowercase_hex() {
        assert_eq!(Seed([0; 32]).commitment(), "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
        let counting = Seed(core::array::from_fn(|k| k as u8));
        assert_eq!(counting.commitment(), "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
    }

    #[test]
    fn seed_travels_as_its_hex_string() {
        let seed = Seed([0xab; 32]);
        let json = serde_json::to_string(&seed).expect("serialize");
        assert_eq!(json, format!("\"{}\"", "ab".repeat(32)));
        assert_eq!(serde_json::from_str::<Seed>(&json).expect("deserialize"), seed);
        assert!(serde_json::from_str::<Seed>("\"abcd\"").is_err());
        assert!(serde_json::from_str::<Seed>("[1,2,3]").is_err());
    }

    #[test]
    fn consumer_quota_is_two_fifths_rounded_up() {
        let table = [(0, 0), (1, 1), (2, 1), (3, 2), (4, 2), (5, 2), (6, 3), (7, 3), (8, 4), (10, 4), (11, 5), (25, 10)];
        for (seats, quota) in table {
            assert_eq!(consumer_quota(seats), quota, "{seats} seats");
        }
        for seats in 0..1000u32 {
            let q = consumer_quota(seats);
            assert!(5 * q >= 2 * seats && (q == 0 || 5 * (q - 1) < 2 * seats));
        }
        assert_eq!(consumer_quota(u32::MAX), 1_717_986_918);
    }

    fn published(kinds: &[(Constituency, bool)]) -> Vec<Applicant> {
        kinds.iter().zip(1u32..).map(|(&(constituency, low_income), ordinal)| Applicant { ordinal, constituency, low_income }).collect()
    }

    fn vector_applicants() -> Vec<Applicant> {
        use Constituency::*;
        let kinds = [Consumer, Operator, Expert, Other, Consumer, Operator, Consumer, Other, Expert, Operator, Consumer, Other];
        let kinds: Vec<(Constituency, bool)> = kinds.iter().zip(1u32..).map(|(&c, o)| (c, o == 8 || o == 11)).collect();
        published(&kinds)
    }

    fn vector_seed() -> Seed {
        Seed(core::array::from_fn(|k| k as u8))
    }

    #[test]
    fn fixed_test_vector_seed_00_to_1f_twelve_applicants_five_seats() {
        // checked against an independent Python implementation (ChaCha20 from `cryptography`)
        let outcome = draw(&vector_seed(), &vector_applicants(), 5);
        assert_eq!(vector_seed().commitment(), "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd");
        assert_eq!(lot_order(&vector_seed(), 12), vec![2usize, 5, 4, 11, 1, 7, 6, 3, 0, 10, 8, 9]);
        assert_eq!(outcome.lot, vec![3u32, 6, 5, 12, 2, 8, 7, 4, 1, 11, 9, 10]);
        // 8: the first low-income in lot order; 5 and 7: consumers up to Q = 2; 3 and 6: by lot
        assert_eq!(outcome.selected, vec![3u32, 6, 5, 8, 7]);
        assert_eq!(outcome.waiting, vec![12u32, 2, 4, 1, 11, 9, 10]);
        assert_eq!(outcome.unfilled, 0);
    }

    #[test]
    fn verify_rejects_a_different_seed_with_its_own_commitment() {
        let applicants = vector_applicants();
        let outcome = draw(&vector_seed(), &applicants, 5);
        let other = Seed([0x5a; 32]);
        assert!(verify(&vector_seed().commitment(), &vector_seed(), &applicants, 5, &outcome));
        assert!(!verify(&other.commitment(), &other, &applicants, 5, &outcome));
        assert!(!verify(&vector_seed().commitment(), &vector_seed(), &applicants, 4, &outcome));
    }

    #[test]
    fn verify_rejects_a_list_not_numbered_one_two_three_in_order() {
        let mut applicants = vector_applicants();
        let outcome = draw(&vector_seed(), &applicants, 5);
        applicants[3].ordinal = 40;
        let renumbered = draw(&vector_seed(), &applicants, 5);
        assert!(!verify(&vector_seed().commitment(), &vector_seed(), &applicants, 5, &renumbered));
        assert!(!verify(&vector_seed().commitment(), &vector_seed(), &applicants, 5, &outcome));
    }

    #[test]
    fn draw_edge_cases_no_applicants_no_seats_more_seats_than_applicants() {
        let seed = Seed([3; 32]);
        let empty = draw(&seed, &[], 5);
        assert_eq!(empty, DrawOutcome { lot: vec![], selected: vec![], waiting: vec![], unfilled: 5 });
        let applicants = vector_applicants();
        let none = draw(&seed, &applicants, 0);
        assert!(none.selected.is_empty());
        assert_eq!(none.waiting, none.lot);
        assert_eq!(none.unfilled, 0);
        let all = draw(&seed, &applicants, 20);
        assert_eq!(all.selected, all.lot);
        assert!(all.waiting.is_empty());
        assert_eq!(all.unfilled, 8);
        assert_eq!(draw(&seed, &[], 0), DrawOutcome { lot: vec![], selected: vec![], waiting: vec![], unfilled: 0 });
    }

    #[test]
    fn single_seat_goes_to_a_low_income_applicant_before_the_consumer_quota() {
        use Constituency::*;
        let applicants = published(&[(Consumer, false), (Consumer, false), (Operator, true), (Consumer, false)]);
        for b in 0..32u8 {
            let outcome = draw(&Seed([b; 32]), &applicants, 1);
            assert_eq!(outcome.selected, vec![3]);
        }
    }

    #[test]
    fn replacement_of_a_low_income_decliner_by_the_next_low_income_in_draw_order() {
        use Constituency::*;
        let applicants = published(&[
            (Consumer, true),
            (Consumer, false),
            (Operator, false),
            (Operator, false),
            (Consumer, false),
            (Expert, true),
            (Consumer, true),
        ]);
        // 3 seats: Q = 2. 1 declines: need 2 consumers and a low-income: 7 is the first to give both
        assert_eq!(replacement(&applicants, 3, &[2, 3], &[4, 5, 6, 7]), Some(7));
        // without 7 nobody gives both: the first that restores the consumer quota
        assert_eq!(replacement(&applicants, 3, &[2, 3], &[4, 5, 6]), Some(5));
        // quotas already kept: the first on the waiting list
        assert_eq!(replacement(&applicants, 3, &[1, 2], &[4, 5, 6, 7]), Some(4));
        // no low-income applicant left in play and one consumer in play, already selected: the first
        assert_eq!(replacement(&applicants, 3, &[2, 3], &[4]), Some(4));
        assert_eq!(replacement(&applicants, 3, &[2, 3], &[]), None);
    }

    /// What the draw promises, checked from the rules, not from the module's helpers:
    /// (consumers, low income) required of a selection from `pool` for `seats` seats.
    fn required(pool: &[Applicant], seats: u32) -> (usize, bool) {
        let s = seats as usize;
        let consumers = pool.iter().filter(|a| a.constituency == Constituency::Consumer).count();
        let low_income = s >= 1 && pool.iter().any(|a| a.low_income);
        let q = (2 * s).div_ceil(5);
        (q.min(consumers).min(s - usize::from(low_income)), low_income)
    }

    fn held(chosen: &[Applicant]) -> (usize, bool) {
        (chosen.iter().filter(|a| a.constituency == Constituency::Consumer).count(), chosen.iter().any(|a| a.low_income))
    }

    fn meets(chosen: &[Applicant], need: (usize, bool)) -> bool {
        let have = held(chosen);
        have.0 >= need.0 && (have.1 || !need.1)
    }

    fn lookup(applicants: &[Applicant], ordinals: &[u32]) -> Vec<Applicant> {
        ordinals.iter().map(|&o| applicants[o as usize - 1]).collect()
    }

    fn pool_strategy() -> impl Strategy<Value = (Vec<Applicant>, u32, [u8; 32])> {
        (0u32..=100, 0u32..=100, 0usize..400, 0u32..40, any::<[u8; 32]>()).prop_flat_map(
            |(consumer_pct, low_income_pct, n, seats, seed)| {
                proptest::collection::vec((0u32..100, 0usize..3, 0u32..100), n).prop_map(move |rolls| {
                    let kinds: Vec<(Constituency, bool)> = rolls
                        .iter()
                        .map(|&(c, other, l)| {
                            let constituency = if c < consumer_pct {
                                Constituency::Consumer
                            } else {
                                [Constituency::Operator, Constituency::Expert, Constituency::Other][other]
                            };
                            (constituency, l < low_income_pct)
                        })
                        .collect();
                    (published(&kinds), seats, seed)
                })
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn draw_keeps_the_consumer_and_low_income_quotas_and_fills_min_seats_applicants(
            (applicants, seats, seed) in pool_strategy()
        ) {
            let seed = Seed(seed);
            let outcome = draw(&seed, &applicants, seats);
            let n = applicants.len();
            let s = seats as usize;

            // sizes
            prop_assert_eq!(outcome.selected.len(), s.min(n));
            prop_assert_eq!(outcome.unfilled as usize, s - outcome.selected.len());
            // the lot is a permutation of the ordinals; selected and waiting split it, both in lot order
            let everyone: BTreeSet<u32> = (1..=n as u32).collect();
            prop_assert_eq!(outcome.lot.iter().copied().collect::<BTreeSet<u32>>(), everyone.clone());
            prop_assert_eq!(outcome.lot.len(), n);
            let selected: BTreeSet<u32> = outcome.selected.iter().copied().collect();
            let waiting: BTreeSet<u32> = outcome.waiting.iter().copied().collect();
            prop_assert!(selected.is_disjoint(&waiting));
            prop_assert_eq!(selected.union(&waiting).copied().collect::<BTreeSet<u32>>(), everyone);
            let in_lot_order = |part: &[u32], set: &BTreeSet<u32>| {
                outcome.lot.iter().copied().filter(|o| set.contains(o)).collect::<Vec<u32>>() == part
            };
            prop_assert!(in_lot_order(&outcome.selected, &selected));
            prop_assert!(in_lot_order(&outcome.waiting, &waiting));

            // the quotas
            let chosen = lookup(&applicants, &outcome.selected);
            let (consumers_chosen, low_income_chosen) = held(&chosen);
            let consumers_applied = applicants.iter().filter(|a| a.constituency == Constituency::Consumer).count();
            let low_income_applied = applicants.iter().any(|a| a.low_income);
            let q = consumer_quota(seats) as usize;
            if low_income_applied && s >= 1 {
                prop_assert!(low_income_chosen, "a low-income applicant applied but none was selected");
            }
            let single_seat_for_low_income = s == 1 && low_income_applied;
            if consumers_applied >= q && !single_seat_for_low_income {
                prop_assert!(consumers_chosen >= q, "{} consumers selected, quota {}", consumers_chosen, q);
                prop_assert!(5 * consumers_chosen >= 2 * s, "at least 2/5 of the seats");
            }
            if consumers_applied < q && !single_seat_for_low_income {
                prop_assert_eq!(consumers_chosen, consumers_applied, "fewer consumers than the quota: all of them");
            }
            prop_assert!(meets(&chosen, required(&applicants, seats)));

            // reproducible and verifiable
            prop_assert_eq!(&draw(&seed, &applicants, seats), &outcome);
            let commitment = seed.commitment();
            prop_assert!(verify(&commitment, &seed, &applicants, seats, &outcome));
            prop_assert!(verify(&commitment.to_ascii_uppercase(), &seed, &applicants, seats, &outcome));
            let mut changed_seed = seed;
            changed_seed.0[(n + s) % 32] ^= 1;
            prop_assert!(!verify(&commitment, &changed_seed, &applicants, seats, &outcome));
            let mut longer = applicants.clone();
            longer.push(Applicant { ordinal: n as u32 + 1, constituency: Constituency::Consumer, low_income: true });
            prop_assert!(!verify(&commitment, &seed, &longer, seats, &outcome));
            if n >= 1 {
                prop_assert!(!verify(&commitment, &seed, &applicants[..n - 1], seats, &outcome));
            }
            if n >= 2 {
                let mut reordered = applicants.clone();
                reordered.swap(0, 1);
                prop_assert!(!verify(&commitment, &seed, &reordered, seats, &outcome));
            }
            if !outcome.selected.is_empty() && !outcome.waiting.is_empty() {
                let mut swapped = outcome.clone();
                std::mem::swap(&mut swapped.selected[0], &mut swapped.waiting[0]);
                prop_assert!(!verify(&commitment, &seed, &applicants, seats, &swapped));
            }
            let mut more_unfilled = outcome.clone();
            more_unfilled.unfilled += 1;
            prop_assert!(!verify(&commitment, &seed, &applicants, seats, &more_unfilled));
        }

        #[test]
        fn replacement_keeps_the_quotas_whenever_the_waiting_list_can(
            (applicants, seats, seed) in pool_strategy()
        ) {
            let outcome = draw(&Seed(seed), &applicants, seats);
            for k in 0..outcome.selected.len() {
                let mut rest = outcome.selected.clone();
                rest.remove(k);
                check_replacement(&applicants, seats, &rest, &outcome.waiting)?;
            }
            // a chain of declines, always the earliest selected in lot order
            let mut selected = outcome.selected.clone();
            let mut waiting = outcome.waiting.clone();
            while !selected.is_empty() && !waiting.is_empty() {
                selected.remove(0);
                let Some(taker) = check_replacement(&applicants, seats, &selected, &waiting)? else {
                    break;
                };
                waiting.retain(|&o| o != taker);
                selected.push(taker);
            }
        }
    }

    /// Checks one replacement against the rules; returns who took the seat.
    fn check_replacement(applicants: &[Applicant], seats: u32, selected: &[u32], waiting: &[u32]) -> Result<Option<u32>, TestCaseError> {
        let got = replacement(applicants, seats, selected, waiting);
        let Some(&first) = waiting.first() else {
            prop_assert_eq!(got, None);
            return Ok(None);
        };
        let Some(taker) = got else {
            return Err(TestCaseError::fail("a waiting list but no replacement"));
        };
        prop_assert!(waiting.contains(&taker));
        let in_play: Vec<u32> = selected.iter().chain(waiting).copied().collect();
        let need = required(&lookup(applicants, &in_play), seats);
        let with = |o: u32| {
            let mut chosen = lookup(applicants, selected);
            chosen.push(applicants[o as usize - 1]);
            chosen
        };
        let keeping = waiting.iter().copied().find(|&o| meets(&with(o), need));
        let restoring = waiting.iter().copied().find(|&o| held(&with(o)).0 >= need.0);
        match (keeping, restoring) {
            (Some(best), _) => prop_assert_eq!(taker, best, "the first that keeps both quotas"),
            (None, Some(best)) => prop_assert_eq!(taker, best, "the first that restores the consumer quota"),
            (None, None) => prop_assert_eq!(taker, first, "the first on the waiting list"),
        }
        if meets(&lookup(applicants, selected), need) {
            prop_assert_eq!(taker, first, "quotas already kept: the waiting list in draw order");
        }
        Ok(Some(taker))
    }
}
