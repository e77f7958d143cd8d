//! Campaigns: identical and near-identical comments (form letters with a few words
//! changed) are grouped so that they show as one entry with a count, and single voices
//! are not drowned. Nothing is dropped: every member stays readable.
//!
//! How: the text is normalised (full-width to half-width, lower case, punctuation and
//! white space removed — so it works for Chinese, which has no word spaces), then
//! * an exact fingerprint (64-bit FNV-1a of the normalised text) groups copies, and
//! * a 64-bit SimHash over character bigrams measures closeness: texts within
//!   `NEAR_DISTANCE` bits are near-duplicates. Unrelated comments are ~30 bits apart;
//!   a letter with a few words changed is 4–8 bits from the original.
//!
//! Candidates are found without scanning: the SimHash is cut into six bands (11, 11,
//! 11, 11, 10, 10 bits), each indexed; two texts within 5 bits always share a band,
//! within 10 bits usually do. So a new comment is compared with a few hundred groups
//! at most, whatever the number of comments on the proposal.

/// SimHash distance (in bits) up to which two texts are near-duplicates.
pub const NEAR_DISTANCE: u32 = 10;

/// Texts shorter than this (normalised characters) are grouped only when identical:
/// a SimHash of a few characters says little.
pub const MIN_CHARS_FOR_NEAR: usize = 20;

const BAND_WIDTHS: [u32; 6] = [11, 11, 11, 11, 10, 10];

/// What is stored with each comment group to find it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// Identical normalised texts have the same value.
    pub exact: i64,
    pub simhash: u64,
    /// Whether near-duplicate matching applies (the text is long enough).
    pub near: bool,
}

impl Fingerprint {
    pub fn of(text: &str) -> Self {
        let normalized = normalize(text);
        let chars: Vec<char> = normalized.chars().collect();
        Self { exact: fnv1a(normalized.as_bytes()) as i64, simhash: simhash(&chars), near: chars.len() >= MIN_CHARS_FOR_NEAR }
    }

    /// The six band values, for indexed candidate lookup.
    pub fn bands(&self) -> [i64; 6] {
        let mut out = [0i64; 6];
        let mut shift = 0;
        for (i, width) in BAND_WIDTHS.iter().enumerate() {
            out[i] = ((self.simhash >> shift) & ((1u64 << width) - 1)) as i64;
            shift += width;
        }
        out
    }

    /// Whether a comment with this fingerprint joins a group whose first member has
    /// `other`.
    pub fn matches(&self, other: &Fingerprint) -> bool {
        self.exact == other.exact || (self.near && other.near && distance(self.simhash, other.simhash) <= NEAR_DISTANCE)
    }
}

pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Letters and digits only, lower case, full-width ASCII folded to half-width.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= *byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

fn simhash(chars: &[char]) -> u64 {
    let mut weights = [0i32; 64];
    let mut buf = [0u8; 8];
    let mut add = |shingle: &[char]| {
        let mut bytes = Vec::with_capacity(8);
        for c in shingle {
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
        let h = fnv1a(&bytes);
        for (bit, w) in weights.iter_mut().enumerate() {
            *w += if (h >> bit) & 1 == 1 { 1 } else { -1 };
        }
    };
    if chars.len() < 2 {
        add(chars);
    } else {
        for pair in chars.windows(2) {
            add(pair);
        }
    }
    weights.iter().enumerate().fold(0u64, |acc, (bit, w)| if *w > 0 { acc | (1 << bit) } else { acc })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &str = "我坚决反对本次居民生活用水价格上调方案。第一阶梯水量过低，三口之家每年用水普遍超过180立方米，调价将明显增加普通家庭负担。请求市发改委重新核定供水成本，公开成本监审报告，并在听证会上充分听取市民意见。";

    #[test]
    fn identical_letters_share_the_exact_fingerprint_whatever_the_spacing() {
        let a = Fingerprint::of(LETTER);
        let b = Fingerprint::of(&format!("  {}\n", LETTER.replace('，', ", ").replace("180", "１８０")));
        assert_eq!(a.exact, b.exact);
        assert!(a.matches(&b));
    }

    #[test]
    fn a_letter_with_a_few_words_changed_is_a_near_duplicate() {
        let base = Fingerprint::of(LETTER);
        for variant in [
            LETTER.replace("坚决", "强烈").replace("三口之家", "我们家"),
            LETTER.replace("市发改委", "有关部门").replace("普通家庭", "工薪家庭").replace("充分", "认真"),
            format!("{LETTER}谢谢！"),
        ] {
            let v = Fingerprint::of(&variant);
            assert_ne!(base.exact, v.exact);
            assert!(base.matches(&v), "distance {}", distance(base.simhash, v.simhash));
        }
    }

    #[test]
    fn different_comments_are_not_grouped() {
        let base = Fingerprint::of(LETTER);
        for other in [
            "支持阶梯水价，有利于节约用水，但建议对低保家庭给予更多减免，并且加快老旧管网改造，减少漏损。",
            "第一阶梯水量偏低，建议提高到216立方米，并公开供水企业成本，让市民了解调价依据。",
        ] {
            let o = Fingerprint::of(other);
            assert!(!base.matches(&o), "distance {}", distance(base.simhash, o.simhash));
        }
        // short texts group only when identical
        assert!(!Fingerprint::of("我反对涨价请重新考虑").matches(&Fingerprint::of("我反对涨价请再次考虑")));
        assert!(Fingerprint::of("我反对涨价！").matches(&Fingerprint::of("我反对涨价")));
    }

    #[test]
    fn texts_within_five_bits_always_share_a_band() {
        let a = Fingerprint::of(LETTER);
        // flip any five bits: at least one of the six bands is untouched
        for seed in 0..200u64 {
            let mut flipped = a.simhash;
            let mut s = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
            let mut flips = 0;
            while flips < 5 {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let bit = s % 64;
                if (flipped ^ a.simhash) >> bit & 1 == 0 {
                    flipped ^= 1 << bit;
                    flips += 1;
                }
            }
            let b = Fingerprint { simhash: flipped, ..a };
            assert!(a.bands().iter().zip(b.bands()).any(|(x, y)| *x == y), "seed {seed}");
        }
    }
}
