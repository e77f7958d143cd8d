//! Server functions, one file per area: authorize, parse into domain types, call the
//! store, map errors. No SQL here.

pub mod accounts;
pub mod admin;
pub mod comments;
pub mod gates;
pub mod hearings;
pub mod penalties;
pub mod proposals;
pub mod types;

/// Only local paths may be redirect targets (no `//evil.example`).
pub fn safe_next(next: &str) -> String {
    let next = next.trim();
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") && !next.contains("://") {
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
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "", "javascript:x"] {
            assert_eq!(super::safe_next(bad), "/", "{bad}");
        }
    }
}
