//! Server functions, one file per area: authorize, parse into domain types, call the
//! store, map errors. No SQL here.

pub mod accounts;
pub mod admin;
pub mod comments;
pub mod gates;
pub mod hearings;
pub mod penalties;
pub mod proposals;
pub mod search;
pub mod types;

/// Only a path of this site may be a redirect target: it starts with one `/` (not `//` or
/// `/\`, which browsers read as another host), and holds no white space, control
/// character or backslash anywhere (browsers drop tabs and line breaks from a URL, so
/// `/\t/evil.example` would become `//evil.example`; and a control character cannot go in
/// a header). Anything else, and anything over 2,000 bytes, goes to `/`.
pub fn safe_next(next: &str) -> String {
    let next = next.trim();
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2_000
        && !next.contains("://")
        && !next.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\');
    if local {
        next.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(super::safe_next("/proposals/3"), "/proposals/3");
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil",
            "",
            "javascript:x",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/a\\b",
            "/\u{0}x",
            "/\u{7f}x",
            "/\u{3000}/evil.example",
        ] {
            assert_eq!(super::safe_next(bad), "/", "{bad}");
        }
    }
}
