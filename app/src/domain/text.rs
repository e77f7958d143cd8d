//! Bounded text values. Length is counted in characters (a Chinese character is one),
//! after trimming surrounding white space.

use super::Rule;

/// Trims and checks `1..=max` characters.
pub fn bounded(raw: &str, min: usize, max: usize) -> Result<String, Rule> {
    let text = raw.trim();
    let len = text.chars().count();
    if len == 0 {
        return Err(Rule::Required);
    }
    if len < min {
        return Err(Rule::TooShort { min });
    }
    if len > max {
        return Err(Rule::TooLong { max });
    }
    Ok(text.to_owned())
}

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub const MIN: usize = $min;
            pub const MAX: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, Rule> {
                bounded(raw, Self::MIN, Self::MAX).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }
    };
}

bounded_text!(
    /// A proposal's title.
    Title, 4, 200
);
bounded_text!(
    /// The Markdown body of a proposal version.
    ProposalBody, 20, 200_000
);
bounded_text!(
    /// The name shown publicly beside what a person writes.
    DisplayName, 2, 40
);
bounded_text!(
    /// A recorded reason (for a short window, a hidden comment, ...).
    Reason, 4, 1_000
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        // 40 Chinese characters are 120 bytes but fit a 40-character name.
        let name = "民".repeat(40);
        assert!(DisplayName::parse(&name).is_ok());
        assert_eq!(DisplayName::parse(&"民".repeat(41)), Err(Rule::TooLong { max: 40 }));
    }

    #[test]
    fn trims_and_rejects_blank() {
        assert_eq!(Title::parse("   \n "), Err(Rule::Required));
        assert_eq!(Title::parse("  城市供水价格调整方案  ").unwrap().as_str(), "城市供水价格调整方案");
        assert_eq!(Title::parse("abc"), Err(Rule::TooShort { min: 4 }));
    }
}
