//! Passwords (argon2id) and session tokens.

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "minyi_session";

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

/// The session token a `Cookie` header carries, if any (an emptied cookie is none).
pub fn session_token(cookie_header: &str) -> Option<&str> {
    cookie_value(cookie_header, SESSION_COOKIE).filter(|t| !t.is_empty())
}

/// The `Set-Cookie` value for a session (or, with `None`, its removal).
pub fn session_cookie(token: Option<&str>, secure: bool, max_age_secs: i64) -> String {
    let secure = if secure { "; Secure" } else { "" };
    match token {
        Some(token) => format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    }
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
}
