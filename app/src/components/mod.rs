pub mod comment_item;
pub mod errors;
pub mod layout;
pub mod proposal_card;

/// Percent-encodes a query-string value (links built outside a form).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
