//! Registering, signing in, changing the password, ending sessions.
//!
//! Sign-in counts only failures, per (account, address) and per account, and holds back an
//! attempt by [`crate::domain::signin::wait`]: an attacker's address locks out only
//! itself, and the owner on an address they have signed in from before is never held
//! back by others. Every key is a hash of what was typed, the same whether or not an
//! account has that e-mail, and the answers are the same sentences either way.
//!
//! Each sign-in, failure, hold, password change and ending of sessions is written to the
//! account's audit chain (never a password) and logged as a structured `auth` event.

use chrono::{DateTime, Duration, Utc};

use super::{ServiceError, ServiceResult};
use crate::{
    backend::{
        auth,
        db::Db,
        mail::{Letter, LetterKind},
        store::{
            self, audit,
            rate::{self, failures},
            sessions::{SessionOrigin, SessionPolicy},
            users::{CreateUserError, NewUser},
        },
    },
    domain::{
        account::{Email, LinkPurpose, Password, LINK_MAILS_PER_HOUR},
        audit::{Event, Subject},
        role::Role,
        rule::Errors,
        signin,
        text::DisplayName,
        Rule,
    },
};

/// Where an attempt comes from and when.
#[derive(Clone, Copy, Debug)]
pub struct Attempt<'a> {
    /// The client address (see the server's `--trusted-proxies`).
    pub address: &'a str,
    pub now: DateTime<Utc>,
}

/// The limits an operator sets (`minyi serve --signin-per-ip`, `--register-per-ip`).
#[derive(Clone, Copy, Debug)]
pub struct AccountLimits {
    /// Sign-in attempts one address may make in a minute, whatever their outcome.
    pub signin_per_ip: i64,
    /// Accounts one address may register in an hour.
    pub register_per_ip: i64,
}

/// A person just signed in (or registered): who, and the session policy their roles get.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user_id: i64,
    pub roles: Vec<Role>,
}

/// The account's e-mail as typed, the way the throttle keys it: trimmed and lower-cased,
/// whether or not it is a valid address (an invalid one is throttled like any other).
fn typed_key(email: &str) -> String {
    email.trim().to_lowercase()
}

fn pair_bucket(email: &str, address: &str) -> String {
    auth::bucket_key("signin-fail", &[&typed_key(email), address])
}

fn account_bucket(email: &str) -> String {
    auth::bucket_key("signin-fail-account", &[&typed_key(email)])
}

fn address_hash(address: &str) -> String {
    auth::bucket_key("address", &[address])
}

/// What a person types to sign in: the e-mail, the password, and for an account with
/// two-step sign-in the code from the authenticator app or a recovery code.
#[derive(Clone, Copy, Debug)]
pub struct Credentials<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub code: Option<&'a str>,
}

/// Signs in. A wrong password, or a wrong code after a right password, is a failure;
/// a right password without the code its account needs is refused without counting.
pub async fn sign_in(db: &Db, limits: &AccountLimits, credentials: Credentials<'_>, at: Attempt<'_>) -> ServiceResult<SignedIn> {
    let Credentials { email, password, code } = credentials;
    // attempts per address, whatever their outcome: one address cannot try thousands of accounts
    let ip_bucket = auth::bucket_key("signin-ip", &[at.address]);
    if let Err(secs) = db.rate_hit(&[(ip_bucket.as_str(), limits.signin_per_ip)], Duration::minutes(1), at.now).await? {
        tracing::info!(target: "auth", event = "signin_address_limited", wait_secs = secs);
        return Err(ServiceError::Limited(secs));
    }
    let user = match Email::parse(email) {
        Ok(email) => db.user_by_email(email.as_str()).await?,
        Err(_) => None,
    };
    let addr = address_hash(at.address);
    let known = match &user {
        Some(u) => rate::known_address(db, u.id, &addr).await?,
        None => false,
    };
    let (pair_key, account_key) = (pair_bucket(email, at.address), account_bucket(email));
    let since = at.now - signin::WINDOW;
    // counting stops well past the point where the delay stops growing
    let cap = signin::ACCOUNT_FREE_FAILURES + 32;
    let pair = failures(db, &pair_key, since, cap).await?;
    let account = failures(db, &account_key, since, cap).await?;
    if let Some(wait) = signin::wait(pair, account, known, at.now) {
        let secs = signin::wait_secs(wait);
        tracing::info!(target: "auth", event = "signin_held", wait_secs = secs, known_address = known);
        if let Some(u) = &user {
            let mut tx = db.begin_write().await?;
            audit::append(&mut tx, at.now, None, Subject::User(u.id), &Event::SignInHeld { wait_secs: secs }).await?;
            tx.commit().await?;
        }
        return Err(ServiceError::Limited(secs));
    }
    let ok = auth::verify_password(password.to_owned(), user.as_ref().map(|u| u.password_hash.clone())).await;
    let user_id = user.as_ref().map(|u| u.id);
    if ok && user.as_ref().is_some_and(|u| u.disabled_at.is_some()) {
        // said only to someone who knows the password; nothing counted
        return Err(ServiceError::rule("form", Rule::AccountDisabled));
    }
    let second = match (&user, ok) {
        (Some(u), true) => store::second_factor::get(db, u.id).await?.filter(|f| f.enabled_at.is_some()),
        _ => None,
    };
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    if second.is_some() && code.is_none() {
        // the password was right: ask for the code, count nothing
        return Err(ServiceError::rule("code", Rule::SecondFactorRequired));
    }
    let mut tx = db.begin_write().await?;
    // the code, when the account needs one
    let spent = match (&second, code, user_id) {
        (Some(factor), Some(code), Some(id)) => Some(spend_code(&mut tx, id, &factor.secret, code, at.now).await?),
        _ => None,
    };
    let code_ok = spent != Some(CodeUse::Wrong);
    let recovery_used = spent == Some(CodeUse::Recovery);
    match user.filter(|_| ok && code_ok) {
        None => {
            rate::record(&mut tx, &[&pair_key, &account_key], at.now).await?;
            if let Some(id) = user_id {
                audit::append(&mut tx, at.now, None, Subject::User(id), &Event::SignInFailed { new_address: !known }).await?;
            }
            tx.commit().await?;
            tracing::info!(target: "auth", event = "signin_failed", known_address = known, second_factor = ok);
            if ok {
                Err(ServiceError::rule("code", Rule::SecondFactorWrong))
            } else {
                Err(ServiceError::rule("password", Rule::WrongCredentials))
            }
        }
        Some(user) => {
            if recovery_used {
                let left = store::second_factor::recovery_codes_left_tx(&mut tx, user.id).await?;
                audit::append(&mut tx, at.now, Some(user.id), Subject::User(user.id), &Event::RecoveryCodeUsed { left }).await?;
            }
            rate::clear(&mut tx, &pair_key).await?;
            rate::remember_address(&mut tx, user.id, &addr, at.now).await?;
            audit::append(&mut tx, at.now, Some(user.id), Subject::User(user.id), &Event::SignedIn { new_address: !known }).await?;
            tx.commit().await?;
            tracing::info!(target: "auth", event = "signin", user_id = user.id, new_address = !known);
            let roles = db.roles_of(user.id).await?;
            Ok(SignedIn { user_id: user.id, roles })
        }
    }
}

/// Registers a citizen, and answers the same way whether or not the address has an account
/// (ASVS 5.0 §6.3.8, no enumeration): a new address gets an account that must be verified
/// by the link mailed to it; an address with an account gets a mail saying so, with a
/// link to reset the password. Either way the caller is told to look in the mailbox, and
/// the mail to send is returned (`None` when this address was mailed too often this hour).
/// Limited per client address (each attempt costs an argon2 hash); the password must not
/// be common or built from the e-mail or the name.
pub async fn register(db: &Db, limits: &AccountLimits, form: Registration<'_>, at: Attempt<'_>) -> ServiceResult<Option<Letter>> {
    let mut errors = Errors::new();
    let email = errors.check("email", Email::parse(form.email));
    let display_name = errors.check("display_name", DisplayName::parse(form.display_name));
    let personal: Vec<&str> =
        [email.as_ref().map(Email::as_str), display_name.as_ref().map(|d| d.as_str())].into_iter().flatten().collect();
    let password = errors.check("password", Password::choose(form.password, &personal));
    errors.into_result().map_err(ServiceError::Refused)?;
    let (Some(email), Some(password), Some(display_name)) = (email, password, display_name) else {
        return Err(ServiceError::NotFound);
    };
    let bucket = auth::bucket_key("register-ip", &[at.address]);
    if let Err(secs) = db.rate_hit(&[(bucket.as_str(), limits.register_per_ip)], Duration::hours(1), at.now).await? {
        tracing::info!(target: "auth", event = "register_address_limited", wait_secs = secs);
        return Err(ServiceError::Limited(secs));
    }
    // hashed whether or not the address has an account, so both answers take as long
    let hash = auth::hash_password(password.expose().to_owned()).await.map_err(|_| ServiceError::Db(sqlx::Error::WorkerCrashed))?;
    if !may_mail(db, email.as_str(), at.now).await? {
        return Ok(None);
    }
    let user = NewUser {
        email: email.as_str(),
        password_hash: &hash,
        display_name: display_name.as_str(),
        roles: &[Role::Citizen],
        agency_id: None,
    };
    let mut tx = db.begin_write().await?;
    match store::users::insert(&mut tx, &user, at.now, None).await.map_err(CreateUserError::from_insert) {
        Ok(user_id) => {
            let token = issue_link(&mut tx, user_id, LinkPurpose::VerifyEmail, at.now).await?;
            rate::remember_address(&mut tx, user_id, &address_hash(at.address), at.now).await?;
            tx.commit().await?;
            tracing::info!(target: "auth", event = "registered", user_id);
            let next = form.next.map(str::to_owned);
            Ok(Some(Letter {
                to: email.as_str().to_owned(),
                name: display_name.as_str().to_owned(),
                kind: LetterKind::Verify { token, next },
            }))
        }
        Err(CreateUserError::EmailTaken) => {
            drop(tx);
            tracing::info!(target: "auth", event = "register_known_address");
            reset_letter(db, email.as_str(), at.now, true).await
        }
        Err(CreateUserError::Db(e)) => Err(ServiceError::Db(e)),
    }
}

/// What a person types to register.
#[derive(Clone, Copy, Debug)]
pub struct Registration<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    /// Where the verification link should lead once the address is proved.
    pub next: Option<&'a str>,
}

/// A new one-time link of `purpose` for the account, in the caller's transaction: a fresh
/// random token, of which only the hash is kept; the token, for the mail.
async fn issue_link(tx: &mut crate::backend::db::Tx, user_id: i64, purpose: LinkPurpose, now: DateTime<Utc>) -> ServiceResult<String> {
    let token = auth::new_session_token();
    store::tokens::issue(tx, user_id, purpose, &auth::token_hash(&token), now).await?;
    Ok(token)
}

/// Whether one more mail with a link may go to `email` this hour (counted when it may).
async fn may_mail(db: &Db, email: &str, now: DateTime<Utc>) -> ServiceResult<bool> {
    let bucket = auth::bucket_key("link-mail", &[&typed_key(email)]);
    let allowed = db.rate_hit(&[(bucket.as_str(), LINK_MAILS_PER_HOUR)], Duration::hours(1), now).await?.is_ok();
    if !allowed {
        tracing::info!(target: "auth", event = "link_mail_limited");
    }
    Ok(allowed)
}

/// A password-reset link for the account with `email`, if there is one that may sign in;
/// `registering`: the mail says someone tried to register with the address.
async fn reset_letter(db: &Db, email: &str, now: DateTime<Utc>, registering: bool) -> ServiceResult<Option<Letter>> {
    let Some(user) = db.user_by_email(email).await?.filter(|u| u.disabled_at.is_none()) else {
        return Ok(None);
    };
    let mut tx = db.begin_write().await?;
    let token = issue_link(&mut tx, user.id, LinkPurpose::ResetPassword, now).await?;
    tx.commit().await?;
    let kind = if registering { LetterKind::AlreadyRegistered { reset_token: token } } else { LetterKind::Reset { token } };
    Ok(Some(Letter { to: user.email, name: user.display_name, kind }))
}

/// Proves an address by the link mailed to it. The person is signed in by it when the
/// account may sign in without more (not disabled, no second factor); otherwise `None`
/// and they sign in as usual.
pub async fn verify_email(db: &Db, token: &str, at: Attempt<'_>) -> ServiceResult<Option<SignedIn>> {
    let mut tx = db.begin_write().await?;
    let user_id = store::tokens::take(&mut tx, &auth::token_hash(token.trim()), LinkPurpose::VerifyEmail, at.now)
        .await?
        .map_err(|rule| ServiceError::rule("token", rule))?;
    store::users::set_email_verified(&mut tx, user_id, at.now).await?;
    rate::remember_address(&mut tx, user_id, &address_hash(at.address), at.now).await?;
    audit::append(&mut tx, at.now, Some(user_id), Subject::User(user_id), &Event::EmailVerified).await?;
    tx.commit().await?;
    tracing::info!(target: "auth", event = "email_verified", user_id);
    let user = store::users::by_id(db, user_id).await?.ok_or(ServiceError::NotFound)?;
    if user.disabled_at.is_some() || store::second_factor::is_on(db, user_id).await? {
        return Ok(None);
    }
    Ok(Some(SignedIn { user_id, roles: db.roles_of(user_id).await? }))
}

/// A new verification mail for a signed-in person whose address is not verified yet
/// (`None`: verified already, or mailed too often this hour).
pub async fn resend_verification(db: &Db, user_id: i64, now: DateTime<Utc>) -> ServiceResult<Option<Letter>> {
    let user = store::users::by_id(db, user_id).await?.ok_or(ServiceError::NotFound)?;
    if user.email_verified_at.is_some() || !may_mail(db, &user.email, now).await? {
        return Ok(None);
    }
    let mut tx = db.begin_write().await?;
    let token = issue_link(&mut tx, user_id, LinkPurpose::VerifyEmail, now).await?;
    tx.commit().await?;
    Ok(Some(Letter { to: user.email, name: user.display_name, kind: LetterKind::Verify { token, next: None } }))
}

/// Asks for a password-reset link. The answer is the same whether or not the address has
/// an account; the mail to send, when it has one (and was not mailed too often).
pub async fn request_reset(db: &Db, limits: &AccountLimits, email: &str, at: Attempt<'_>) -> ServiceResult<Option<Letter>> {
    let email = Email::parse(email).map_err(|rule| ServiceError::rule("email", rule))?;
    let bucket = auth::bucket_key("reset-ip", &[at.address]);
    if let Err(secs) = db.rate_hit(&[(bucket.as_str(), limits.register_per_ip)], Duration::hours(1), at.now).await? {
        tracing::info!(target: "auth", event = "reset_address_limited", wait_secs = secs);
        return Err(ServiceError::Limited(secs));
    }
    if !may_mail(db, email.as_str(), at.now).await? {
        return Ok(None);
    }
    tracing::info!(target: "auth", event = "reset_requested");
    reset_letter(db, email.as_str(), at.now, false).await
}

/// Chooses a new password by a reset link: the link is spent, the address counts as
/// verified (the mail reached it), every session of the account ends, and the failed
/// sign-ins counted against the account are cleared. The person then signs in with the
/// new password (and their second factor, if on: a mailbox alone never bypasses it).
/// A refused password leaves the link usable. The number of sessions ended.
pub async fn reset_password(db: &Db, token: &str, new_password: &str, at: Attempt<'_>) -> ServiceResult<u64> {
    let hash_of_token = auth::token_hash(token.trim());
    let user_id = store::tokens::peek(db, &hash_of_token, LinkPurpose::ResetPassword, at.now)
        .await?
        .map_err(|rule| ServiceError::rule("token", rule))?;
    let user = store::users::by_id(db, user_id).await?.ok_or(ServiceError::NotFound)?;
    let password = Password::choose(new_password, &[user.email.as_str(), user.display_name.as_str()])
        .map_err(|rule| ServiceError::rule("new_password", rule))?;
    let hash = auth::hash_password(password.expose().to_owned()).await.map_err(|_| ServiceError::Db(sqlx::Error::WorkerCrashed))?;
    let mut tx = db.begin_write().await?;
    // taken again inside the write: a link used meanwhile is refused here
    let taken = store::tokens::take(&mut tx, &hash_of_token, LinkPurpose::ResetPassword, at.now)
        .await?
        .map_err(|rule| ServiceError::rule("token", rule))?;
    if taken != user_id {
        return Err(ServiceError::rule("token", Rule::LinkUnknown));
    }
    store::users::set_password(&mut tx, user_id, &hash).await?;
    store::users::set_email_verified(&mut tx, user_id, at.now).await?;
    let ended = store::sessions::revoke_others(&mut tx, user_id, None).await?;
    rate::clear(&mut tx, &account_bucket(&user.email)).await?;
    rate::clear(&mut tx, &pair_bucket(&user.email, at.address)).await?;
    audit::append(&mut tx, at.now, Some(user_id), Subject::User(user_id), &Event::PasswordReset { sessions_ended: ended }).await?;
    tx.commit().await?;
    tracing::info!(target: "auth", event = "password_reset", user_id, sessions_ended = ended);
    Ok(ended)
}

/// Changes a signed-in person's password: the current one is asked again, the new one
/// must be acceptable, and every other session of theirs ends (`keep`: the token hash of
/// the session making the change). The number of sessions ended.
pub async fn change_password(
    db: &Db,
    user_id: i64,
    current: &str,
    new: &str,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> ServiceResult<u64> {
    let Some(user) = store::users::by_id(db, user_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let mut errors = Errors::new();
    let new = errors.check("new_password", Password::choose(new, &[user.email.as_str(), user.display_name.as_str()]));
    let ok = auth::verify_password(current.to_owned(), Some(user.password_hash.clone())).await;
    if !ok {
        errors.push("current_password", Rule::CurrentPasswordWrong);
    }
    errors.into_result().map_err(ServiceError::Refused)?;
    let Some(new) = new else { return Err(ServiceError::NotFound) };
    let hash = auth::hash_password(new.expose().to_owned()).await.map_err(|_| ServiceError::Db(sqlx::Error::WorkerCrashed))?;
    let mut tx = db.begin_write().await?;
    store::users::set_password(&mut tx, user_id, &hash).await?;
    let ended = store::sessions::revoke_others(&mut tx, user_id, keep).await?;
    audit::append(&mut tx, now, Some(user_id), Subject::User(user_id), &Event::PasswordChanged { sessions_ended: ended }).await?;
    tx.commit().await?;
    tracing::info!(target: "auth", event = "password_changed", user_id, sessions_ended = ended);
    Ok(ended)
}

/// Ends sessions of a signed-in person: one by its handle, or (`None`) all but `keep`.
pub async fn end_sessions(db: &Db, user_id: i64, handle: Option<&str>, keep: Option<&str>, now: DateTime<Utc>) -> ServiceResult<u64> {
    let mut tx = db.begin_write().await?;
    let ended = match handle {
        Some(handle) => store::sessions::revoke_one(&mut tx, user_id, handle).await?,
        None => store::sessions::revoke_others(&mut tx, user_id, keep).await?,
    };
    if ended > 0 {
        audit::append(&mut tx, now, Some(user_id), Subject::User(user_id), &Event::SessionsEnded { count: ended }).await?;
    }
    tx.commit().await?;
    tracing::info!(target: "auth", event = "sessions_ended", user_id, count = ended);
    Ok(ended)
}

/// Starts a session: a fresh random token, its hash stored with the policy its roles get.
/// The token, for the cookie.
pub async fn start_session(
    db: &Db,
    signed_in: &SignedIn,
    citizen: SessionPolicy,
    origin: &SessionOrigin,
    now: DateTime<Utc>,
) -> ServiceResult<(String, SessionPolicy)> {
    let token = auth::new_session_token();
    let policy = SessionPolicy::for_roles(&signed_in.roles, citizen);
    db.create_session(&auth::token_hash(&token), signed_in.user_id, now, policy, origin).await?;
    Ok((token, policy))
}

/// How a second-factor code was taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CodeUse {
    /// A TOTP code of a step not used before (the step is now used).
    Totp,
    /// An unused recovery code (now used).
    Recovery,
    /// Neither: wrong, replayed, or used already.
    Wrong,
}

/// Takes a code for the account's second factor in the caller's transaction: a TOTP code
/// of a step not used before, or else an unused recovery code. Nothing is kept if the
/// caller drops the transaction.
async fn spend_code(tx: &mut crate::backend::db::Tx, user_id: i64, secret: &str, code: &str, now: DateTime<Utc>) -> ServiceResult<CodeUse> {
    use crate::backend::second_factor::{matching_step, recovery_hash};
    Ok(match matching_step(secret, code, now) {
        Some(step) if store::second_factor::accept_step(tx, user_id, step).await? => CodeUse::Totp,
        Some(_) => CodeUse::Wrong,
        None if store::second_factor::use_recovery_code(tx, user_id, &recovery_hash(code), now).await? => CodeUse::Recovery,
        None => CodeUse::Wrong,
    })
}

/// What an authenticator app needs to be set up: the secret (for typing in), the
/// `otpauth://` URI and its QR code.
#[derive(Clone, Debug)]
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
    pub qr_width: usize,
    pub qr: Vec<bool>,
}

/// Starts setting up two-step sign-in: a new pending secret (any earlier pending one is
/// replaced). Refused while it is on.
pub async fn begin_second_factor(db: &Db, user_id: i64, now: DateTime<Utc>) -> ServiceResult<Enrolment> {
    let Some(user) = store::users::by_id(db, user_id).await? else {
        return Err(ServiceError::NotFound);
    };
    if store::second_factor::is_on(db, user_id).await? {
        return Err(ServiceError::rule("code", Rule::SecondFactorAlreadyOn));
    }
    let secret = crate::backend::second_factor::new_secret();
    let uri = crate::backend::second_factor::otpauth_uri(&secret, &user.email).ok_or(ServiceError::NotFound)?;
    let (qr_width, qr) = crate::backend::second_factor::qr(&uri).ok_or(ServiceError::NotFound)?;
    let mut tx = db.begin_write().await?;
    store::second_factor::put_pending(&mut tx, user_id, &secret, now).await?;
    tx.commit().await?;
    Ok(Enrolment { secret, uri, qr_width, qr })
}

/// How long a started setup may wait for its first code.
pub const ENROLMENT_TTL: Duration = Duration::minutes(30);

/// Turns two-step sign-in on with the first code from the app; the recovery codes, to be
/// shown this once.
pub async fn confirm_second_factor(db: &Db, user_id: i64, code: &str, now: DateTime<Utc>) -> ServiceResult<Vec<String>> {
    let pending = store::second_factor::get(db, user_id).await?.filter(|f| f.enabled_at.is_none() && now - f.created_at < ENROLMENT_TTL);
    let Some(pending) = pending else {
        return Err(ServiceError::rule("code", Rule::SecondFactorNotOn));
    };
    let Some(step) = crate::backend::second_factor::matching_step(&pending.secret, code, now) else {
        return Err(ServiceError::rule("code", Rule::SecondFactorWrong));
    };
    let codes = crate::backend::second_factor::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| crate::backend::second_factor::recovery_hash(c)).collect();
    let mut tx = db.begin_write().await?;
    store::second_factor::enable(&mut tx, user_id, step, &hashes, now).await?;
    audit::append(&mut tx, now, Some(user_id), Subject::User(user_id), &Event::SecondFactorEnabled).await?;
    tx.commit().await?;
    tracing::info!(target: "auth", event = "second_factor_enabled", user_id);
    Ok(codes)
}

/// Turns two-step sign-in off: the current password and a code (or recovery code) are asked.
pub async fn disable_second_factor(db: &Db, user_id: i64, password: &str, code: &str, now: DateTime<Utc>) -> ServiceResult<()> {
    let Some(user) = store::users::by_id(db, user_id).await? else {
        return Err(ServiceError::NotFound);
    };
    let Some(factor) = store::second_factor::get(db, user_id).await?.filter(|f| f.enabled_at.is_some()) else {
        return Err(ServiceError::rule("code", Rule::SecondFactorNotOn));
    };
    let mut errors = Errors::new();
    if !auth::verify_password(password.to_owned(), Some(user.password_hash.clone())).await {
        errors.push("current_password", Rule::CurrentPasswordWrong);
    }
    let mut tx = db.begin_write().await?;
    if spend_code(&mut tx, user_id, &factor.secret, code, now).await? == CodeUse::Wrong {
        errors.push("code", Rule::SecondFactorWrong);
    }
    // a refusal writes nothing: the transaction is dropped, the code stays unused
    errors.into_result().map_err(ServiceError::Refused)?;
    store::second_factor::remove(&mut tx, user_id).await?;
    audit::append(&mut tx, now, Some(user_id), Subject::User(user_id), &Event::SecondFactorDisabled).await?;
    tx.commit().await?;
    tracing::info!(target: "auth", event = "second_factor_disabled", user_id);
    Ok(())
}
