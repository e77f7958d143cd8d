//! The second factor: time-based one-time codes (RFC 6238: HMAC-SHA1, 6 digits, 30-second
//! steps, the step before and after accepted for clock drift) from any authenticator app,
//! and ten single-use recovery codes kept only as hashes.
//!
//! A code is accepted once: the step it belongs to is recorded, and a code of that step
//! or an earlier one is refused afterwards (RFC 6238 §5.2), so a code seen over someone's
//! shoulder cannot be replayed.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds per code.
pub const STEP: u64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Recovery codes handed out at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// The issuer shown in the authenticator app.
pub const ISSUER: &str = "Minyi";

/// A new secret: 160 random bits (RFC 4226 §4 recommends them), base32 as apps expect.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret_b32: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_owned()).to_bytes().ok()?;
    // ':' separates issuer and account in the URI; an e-mail never has one, but be sure
    let account = account.replace(':', "");
    TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP, bytes, Some(ISSUER.to_owned()), account).ok()
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(secret_b32: &str, account: &str) -> Option<String> {
    totp(secret_b32, account).map(|t| t.get_url())
}

/// The code of the step `at` falls in.
pub fn code_at(secret_b32: &str, at: DateTime<Utc>) -> Option<String> {
    totp(secret_b32, "").map(|t| t.generate(at.timestamp().max(0) as u64))
}

/// The step a code belongs to, if it is the code of the step `now` falls in or of the
/// one before or after it. Digits only; spaces a person types are ignored.
pub fn matching_step(secret_b32: &str, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret_b32, "")?;
    let current = now.timestamp().max(0) as u64 / STEP;
    let mut found = None;
    // every candidate is computed, so the time taken does not tell which one matched
    for step in [current.saturating_sub(1), current, current + 1] {
        let expected = totp.generate(step * STEP);
        let same = expected.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if same && found.is_none() {
            found = Some(step as i64);
        }
    }
    found
}

/// Ten new recovery codes, `xxxxx-xxxxx` in lower-case letters and digits (50 bits each).
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let chars: String = bytes.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// What is stored of a recovery code: the SHA-256 of it as typed, lower-cased, without
/// spaces or dashes (a code has 50 random bits, so a fast hash suffices).
pub fn recovery_hash(code: &str) -> String {
    let normal: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    URL_SAFE_NO_PAD.encode(Sha256::digest(normal.as_bytes()))
}

/// The QR code of `text`: its width and its modules row by row (true: dark).
pub fn qr(text: &str) -> Option<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let modules = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Some((code.width(), modules))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    /// RFC 6238 Appendix B, SHA-1, secret "12345678901234567890": the 8-digit codes'
    /// last six digits are the 6-digit codes.
    #[test]
    fn rfc_6238_appendix_b_test_vectors() {
        let secret = Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        for (time, eight) in
            [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"), (1234567890, "89005924"), (2000000000, "69279037")]
        {
            assert_eq!(code_at(&secret, at(time)).unwrap(), &eight[2..], "T = {time}");
        }
    }

    #[test]
    fn rfc_6238_5_2_a_code_matches_its_step_and_the_neighbours_only() {
        let secret = new_secret();
        let now = at(1_790_000_000);
        let step = now.timestamp() / 30;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(matching_step(&secret, &code, now), Some(step));
        assert_eq!(matching_step(&secret, &format!("{} {}", &code[..3], &code[3..]), now), Some(step));
        assert_eq!(matching_step(&secret, &code, now + chrono::Duration::seconds(30)), Some(step));
        assert_eq!(matching_step(&secret, &code, now - chrono::Duration::seconds(30)), Some(step));
        assert_eq!(matching_step(&secret, &code, now + chrono::Duration::seconds(95)), None);
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
    }

    #[test]
    fn enrolment_material_is_what_apps_read() {
        let secret = new_secret();
        assert_eq!(secret.len(), 32);
        let uri = otpauth_uri(&secret, "li.na@example.cn").unwrap();
        assert!(uri.starts_with("otpauth://totp/Minyi:li.na%40example.cn?secret="), "{uri}");
        assert!(uri.contains("issuer=Minyi"));
        let (width, modules) = qr(&uri).unwrap();
        assert_eq!(modules.len(), width * width);
        assert!(width >= 21);
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert!(codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        assert_eq!(recovery_hash(&codes[0]), recovery_hash(&format!(" {} ", codes[0].to_uppercase().replace('-', " "))));
        assert_ne!(recovery_hash(&codes[0]), recovery_hash(&codes[1]));
    }
}
