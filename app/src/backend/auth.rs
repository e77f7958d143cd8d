//! Passwords (argon2id) and session tokens.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The session cookie's name over plain HTTP (a developer's machine, the tests).
pub const SESSION_COOKIE: &str = "minyi_session";
/// Its name when cookies are `Secure`: browsers accept a `__Host-` cookie only from the
/// host itself, over TLS, for the whole site, so a neighbouring subdomain cannot plant a
/// session of its choosing (ASVS 5.0 §3.3.1).
pub const SECURE_SESSION_COOKIE: &str = "__Host-minyi_session";

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// argon2id with the crate's defaults (19 MiB, 2 passes): OWASP's recommended minimum.
/// Runs on the blocking pool so that hashing never stalls the async workers.
pub async fn hash_password(password: String) -> Result<String, argon2::password_hash::Error> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .unwrap_or(Err(argon2::password_hash::Error::Crypto))
}

/// A hash of a password nobody has, checked when the e-mail is unknown so that the
/// answer takes as long as for a real account and does not reveal who is registered.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wv8h5Z3mZ8b8m0p1rC0n6mZy4M1m3xw8V0lq1Z0a1bE";

pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| DECOY_HASH.to_owned());
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()).unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    known && ok
}

/// A new session token: 32 random bytes, URL-safe. Only its hash is stored.
pub fn new_session_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// Reads one cookie from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// The session token a `Cookie` header carries under the name this server uses (an
/// emptied cookie is none): with `secure`, only the `__Host-` one counts.
pub fn session_token(cookie_header: &str, secure: bool) -> Option<&str> {
    cookie_value(cookie_header, session_cookie_name(secure)).filter(|t| !t.is_empty())
}

/// Whether the header carries a session cookie of either name (a cache must not answer it).
pub fn has_session_cookie(cookie_header: &str) -> bool {
    session_token(cookie_header, false).is_some() || session_token(cookie_header, true).is_some()
}

/// The `Set-Cookie` value for a session (or, with `None`, its removal).
pub fn session_cookie(token: Option<&str>, secure: bool, max_age_secs: i64) -> String {
    let name = session_cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"),
        None => format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
}

/// A fixed-length key for a rate-limit or sign-in bucket: what people type (an e-mail of
/// any length) never becomes a key as it is, and the table holds no addresses in clear.
pub fn bucket_key(kind: &str, parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    format!("{kind}:{}", URL_SAFE_NO_PAD.encode(hasher.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn password_round_trip_and_decoy() {
        let hash = hash_password("长城长城长城长城".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("长城长城长城长城".into(), Some(hash.clone())).await);
        assert!(!verify_password("wrong-password".into(), Some(hash)).await);
        assert!(!verify_password("anything".into(), None).await);
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = new_session_token();
        assert_ne!(a, new_session_token());
        assert_eq!(a.len(), 43);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn cookie_flags() {
        let c = session_cookie(Some("t"), true, 60);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
        assert!(!session_cookie(Some("t"), false, 60).contains("Secure"));
        assert_eq!(cookie_value("a=1; minyi_session=xyz; b=2", SESSION_COOKIE), Some("xyz"));
    }

    #[test]
    fn asvs_3_3_1_over_tls_the_session_cookie_is_host_only_and_a_planted_plain_one_is_ignored() {
        let c = session_cookie(Some("t"), true, 60);
        assert!(c.starts_with("__Host-minyi_session=t; Path=/;"), "{c}");
        assert!(!c.contains("Domain"));
        assert_eq!(session_token("minyi_session=planted", true), None);
        assert_eq!(session_token("minyi_session=planted; __Host-minyi_session=mine", true), Some("mine"));
        assert_eq!(session_token("minyi_session=t", false), Some("t"));
        assert!(has_session_cookie("__Host-minyi_session=x") && has_session_cookie("minyi_session=x"));
        assert!(!has_session_cookie("minyi_session="));
    }

    #[test]
    fn bucket_keys_are_short_whatever_was_typed_and_keep_parts_apart() {
        let long = "a".repeat(200_000);
        let key = bucket_key("signin", &[&long, "10.0.0.1"]);
        assert!(key.len() < 60 && !key.contains("aaaa"), "{key}");
        assert_ne!(bucket_key("k", &["ab", "c"]), bucket_key("k", &["a", "bc"]));
        assert_eq!(bucket_key("k", &["x"]), bucket_key("k", &["x"]));
    }
}
