//! Accounts through the services, each on SQLite and on PostgreSQL: sign-in failures hold
//! back only the address that made them (ASVS 5.0 §6.3.1), the owner on a known address
//! signs in through a storm of others' failures, the throttle answers the same for an
//! account nobody has, registration is limited per address and refuses guessable
//! passwords, and a password change asks for the current one and ends the other sessions.

#[macro_use]
mod common;

use app::{
    backend::{
        auth,
        mail::{Letter, LetterKind},
        service::{
            accounts::{self, AccountLimits, Attempt, Credentials, Registration},
            ServiceError,
        },
        store::sessions::{SessionOrigin, SessionPolicy},
        Db,
    },
    domain::{role::Role, signin, Rule},
};
use chrono::{DateTime, Duration, Utc};
use common::t0;

const LIMITS: AccountLimits = AccountLimits { signin_per_ip: 1000, register_per_ip: 3 };
const PASSWORD: &str = "river-lantern-orchard-7";

fn at(address: &str, now: DateTime<Utc>) -> Attempt<'_> {
    Attempt { address, now }
}

/// Registers through the service; the mail it would send.
async fn reg(db: &Db, email: &str, password: &str, name: &str, at: Attempt<'_>) -> Result<Option<Letter>, ServiceError> {
    accounts::register(db, &LIMITS, Registration { email, password, display_name: name, next: None }, at).await
}

/// A citizen registered from `address` at `t0()`, the address verified by the mailed link.
async fn owner(db: &Db, address: &str) -> i64 {
    let letter = reg(db, "owner@example.cn", PASSWORD, "业主", at(address, t0())).await.expect("register").expect("a mail");
    accounts::verify_email(db, letter.token(), at(address, t0())).await.expect("verify").expect("signed in").user_id
}

async fn sign_in(db: &Db, email: &str, password: &str, at: Attempt<'_>) -> Result<accounts::SignedIn, ServiceError> {
    accounts::sign_in(db, &LIMITS, Credentials { email, password, code: None }, at).await
}

async fn sign_in_with_code(db: &Db, email: &str, password: &str, code: &str, at: Attempt<'_>) -> Result<accounts::SignedIn, ServiceError> {
    accounts::sign_in(db, &LIMITS, Credentials { email, password, code: Some(code) }, at).await
}

fn refused(result: Result<accounts::SignedIn, ServiceError>, field: &str, rule: Rule) {
    match result {
        Err(ServiceError::Refused(errors)) => assert_eq!((errors[0].field.as_str(), &errors[0].rule), (field, &rule)),
        other => panic!("expected {field}: {rule:?}, got {other:?}"),
    }
}

/// A citizen's session on each device (the user agent), begun at `t0()`; their token hashes.
async fn sessions_on(db: &Db, user_id: i64, devices: &[&str]) -> Vec<String> {
    let signed_in = accounts::SignedIn { user_id, roles: vec![Role::Citizen] };
    let mut tokens = Vec::new();
    for device in devices {
        let origin = SessionOrigin::new("198.51.100.7", device);
        let (token, _) = accounts::start_session(db, &signed_in, SessionPolicy::default(), &origin, t0()).await.unwrap();
        tokens.push(auth::token_hash(&token));
    }
    tokens
}

fn held(result: Result<accounts::SignedIn, ServiceError>) -> u64 {
    match result {
        Err(ServiceError::Limited(secs)) => secs,
        other => panic!("expected a hold, got {other:?}"),
    }
}

fn wrong(result: Result<accounts::SignedIn, ServiceError>) {
    match result {
        Err(ServiceError::Refused(errors)) => assert_eq!(errors[0].rule, Rule::WrongCredentials),
        other => panic!("expected wrong credentials, got {other:?}"),
    }
}

async fn an_attacker_locks_out_only_their_own_address(db: Db) {
    let id = owner(&db, "198.51.100.7").await;
    let now = t0() + Duration::hours(1);
    for _ in 0..signin::FREE_FAILURES {
        wrong(sign_in(&db, "owner@example.cn", "guess", at("203.0.113.66", now)).await);
    }
    // the attacker's address now waits, even when it guesses right
    assert_eq!(held(sign_in(&db, "Owner@Example.cn ", PASSWORD, at("203.0.113.66", now)).await), 30);
    // the owner, from the address they registered from, is not held back
    let signed_in = sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", now)).await.unwrap();
    assert_eq!((signed_in.user_id, signed_in.roles), (id, vec![Role::Citizen]));
    // nor from a new address: five failures from one address are far below the account's allowance
    sign_in(&db, "owner@example.cn", PASSWORD, at("192.0.2.1", now)).await.unwrap();
    // the attacker's wait doubles with each failure after it
    let later = now + Duration::seconds(30);
    wrong(sign_in(&db, "owner@example.cn", "guess", at("203.0.113.66", later)).await);
    assert_eq!(held(sign_in(&db, "owner@example.cn", "guess", at("203.0.113.66", later)).await), 60);
    // the audit chain tells the story, without a password in it
    let entries = db.audit_for("user", id).await.unwrap();
    let actions: Vec<&str> = entries.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "sign_in_failed").count(), 6);
    assert_eq!(actions.iter().filter(|a| **a == "sign_in_held").count(), 2);
    assert_eq!(actions.iter().filter(|a| **a == "signed_in").count(), 2);
    assert!(entries.iter().all(|e| !e.detail.contains("guess") && !e.detail.contains(PASSWORD)));
}

async fn a_storm_of_failures_from_many_addresses_never_stops_the_owner_on_a_known_address(db: Db) {
    let id = owner(&db, "198.51.100.7").await;
    let now = t0() + Duration::hours(1);
    // a botnet: one guess from each of 40 addresses; after the account's allowance of
    // failures, addresses it has never signed in from wait
    for i in 0..40 {
        let address = format!("203.0.113.{i}");
        let r = sign_in(&db, "owner@example.cn", "guess", at(&address, now)).await;
        if i < signin::ACCOUNT_FREE_FAILURES {
            wrong(r);
        } else {
            assert_eq!(held(r), 30, "address {i}");
        }
    }
    // so does the owner on a new address ...
    assert_eq!(held(sign_in(&db, "owner@example.cn", PASSWORD, at("192.0.2.1", now)).await), 30);
    // ... the owner's own address does not
    let signed_in = sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", now)).await.unwrap();
    assert_eq!(signed_in.user_id, id);
    // an hour later the storm is forgotten everywhere
    sign_in(&db, "owner@example.cn", PASSWORD, at("192.0.2.1", now + signin::WINDOW + Duration::seconds(1))).await.unwrap();
}

async fn the_throttle_answers_alike_whether_or_not_the_account_exists(db: Db) {
    owner(&db, "198.51.100.7").await;
    let now = t0() + Duration::hours(1);
    let mut answers = Vec::new();
    for email in ["owner@example.cn", "nobody@example.cn"] {
        let mut seen = Vec::new();
        for _ in 0..signin::FREE_FAILURES {
            let r = sign_in(&db, email, "guess", at("203.0.113.9", now)).await;
            seen.push(format!("{:?}", r.map(|s| s.user_id)));
        }
        seen.push(format!("{:?}", sign_in(&db, email, "guess", at("203.0.113.9", now)).await.map(|s| s.user_id)));
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0].last().unwrap().contains("Limited(30)"), "{:?}", answers[0]);
    // what the table keeps is hashes, not what was typed
    let long = format!("{}@example.cn", "x".repeat(5000));
    wrong(sign_in(&db, &long, "guess", at("203.0.113.9", now)).await);
    let buckets: Vec<String> =
        app::on_db!(&db, |pool| sqlx::query_scalar("SELECT DISTINCT bucket FROM rate_events").fetch_all(pool).await).unwrap();
    assert!(buckets.iter().all(|b| b.len() < 80 && !b.contains('@') && !b.contains("203.0.113")), "{buckets:?}");
}

async fn registration_is_limited_per_address_and_refuses_guessable_passwords(db: Db) {
    let refused = reg(&db, "weak@example.cn", "12345678", "弱密码", at("198.51.100.1", t0())).await;
    match refused {
        Err(ServiceError::Refused(errors)) => {
            assert_eq!((errors[0].field.as_str(), &errors[0].rule), ("password", &Rule::PasswordGuessable))
        }
        other => panic!("{other:?}"),
    }
    // the person's own e-mail makes a weak password
    let refused = reg(&db, "zhou.min1988@example.cn", "zhoumin1988", "周敏", at("198.51.100.1", t0())).await;
    assert!(matches!(refused, Err(ServiceError::Refused(ref e)) if e[0].rule == Rule::PasswordGuessable), "{refused:?}");
    // three accounts an hour from one address (LIMITS), refused ones not counted
    for i in 0..3 {
        reg(&db, &format!("r{i}@example.cn"), PASSWORD, "市民", at("198.51.100.1", t0())).await.unwrap();
    }
    let fourth = reg(&db, "r3@example.cn", PASSWORD, "市民", at("198.51.100.1", t0() + Duration::minutes(10))).await;
    assert!(matches!(fourth, Err(ServiceError::Limited(secs)) if secs == 50 * 60), "{fourth:?}");
    assert!(db.user_by_email("r3@example.cn").await.unwrap().is_none());
    // another address is not affected, and an hour later this one may again
    reg(&db, "r3@example.cn", PASSWORD, "市民", at("198.51.100.2", t0())).await.unwrap();
    reg(&db, "r4@example.cn", PASSWORD, "市民", at("198.51.100.1", t0() + Duration::hours(1))).await.unwrap();
}

async fn a_password_change_asks_for_the_current_one_and_ends_the_other_sessions(db: Db) {
    let id = owner(&db, "198.51.100.7").await;
    let tokens = sessions_on(&db, id, &["phone", "laptop", "library"]).await;
    let now = t0() + Duration::hours(1);
    let refused = accounts::change_password(&db, id, "not-the-password", "meadow-copper-violin-3", Some(&tokens[0]), now).await;
    assert!(
        matches!(refused, Err(ServiceError::Refused(ref e)) if e[0].field == "current_password" && e[0].rule == Rule::CurrentPasswordWrong),
        "{refused:?}"
    );
    let refused = accounts::change_password(&db, id, PASSWORD, "password1", Some(&tokens[0]), now).await;
    assert!(
        matches!(refused, Err(ServiceError::Refused(ref e)) if e[0].field == "new_password" && e[0].rule == Rule::PasswordGuessable),
        "{refused:?}"
    );
    assert_eq!(db.user_sessions(id, now).await.unwrap().len(), 3, "a refused change ends nothing");
    assert_eq!(accounts::change_password(&db, id, PASSWORD, "meadow-copper-violin-3", Some(&tokens[0]), now).await.unwrap(), 2);
    assert_eq!(db.session_user(&tokens[0], now).await.unwrap(), Some(id));
    assert_eq!(db.session_user(&tokens[1], now).await.unwrap(), None);
    wrong(sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", now)).await);
    sign_in(&db, "owner@example.cn", "meadow-copper-violin-3", at("198.51.100.7", now)).await.unwrap();
    let actions: Vec<String> = db.audit_for("user", id).await.unwrap().into_iter().map(|a| a.action).collect();
    assert!(actions.contains(&"password_changed".to_owned()), "{actions:?}");
}

/// ASVS 5.0 §6.3.3, RFC 6238: two-step sign-in set up with a first code; then the password
/// alone is not enough, a wrong code counts as a failure, a code is accepted once, a
/// recovery code once; turning it off needs the password and a code.
async fn two_step_sign_in_with_an_authenticator_code_or_a_recovery_code(db: Db) {
    use app::backend::second_factor::{code_at, STEP};
    let id = owner(&db, "198.51.100.7").await;
    let t = t0() + Duration::hours(1);
    let e = accounts::begin_second_factor(&db, id, t).await.unwrap();
    // a wrong first code leaves it off
    let wrong_code = if code_at(&e.secret, t).unwrap() == "000000" { "111111" } else { "000000" };
    assert!(
        matches!(accounts::confirm_second_factor(&db, id, wrong_code, t).await, Err(ServiceError::Refused(ref f)) if f[0].rule == Rule::SecondFactorWrong)
    );
    sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", t)).await.unwrap();
    let codes = accounts::confirm_second_factor(&db, id, &code_at(&e.secret, t).unwrap(), t).await.unwrap();
    assert_eq!(codes.len(), 10);
    // setting up again is refused while it is on
    assert!(
        matches!(accounts::begin_second_factor(&db, id, t).await, Err(ServiceError::Refused(ref f)) if f[0].rule == Rule::SecondFactorAlreadyOn)
    );

    let later = t + Duration::minutes(5);
    // the password alone: asked for the code, nothing counted
    for _ in 0..10 {
        refused(sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", later)).await, "code", Rule::SecondFactorRequired);
    }
    // a wrong code after the right password is a failure like a wrong password
    refused(
        sign_in_with_code(&db, "owner@example.cn", PASSWORD, wrong_code, at("198.51.100.7", later)).await,
        "code",
        Rule::SecondFactorWrong,
    );
    // a wrong password with any code says nothing about the code
    refused(
        sign_in_with_code(&db, "owner@example.cn", "guess", "123456", at("198.51.100.7", later)).await,
        "password",
        Rule::WrongCredentials,
    );
    let code = code_at(&e.secret, later).unwrap();
    assert_eq!(sign_in_with_code(&db, "owner@example.cn", PASSWORD, &code, at("198.51.100.7", later)).await.unwrap().user_id, id);
    // the same code again (within its 30 seconds) is a replay
    refused(sign_in_with_code(&db, "owner@example.cn", PASSWORD, &code, at("198.51.100.7", later)).await, "code", Rule::SecondFactorWrong);
    // the next step's code works
    let next = later + Duration::seconds(STEP as i64);
    sign_in_with_code(&db, "owner@example.cn", PASSWORD, &code_at(&e.secret, next).unwrap(), at("198.51.100.7", next)).await.unwrap();
    // a recovery code, as printed or typed loosely, once
    let loose = codes[3].to_uppercase().replace('-', " ");
    sign_in_with_code(&db, "owner@example.cn", PASSWORD, &loose, at("198.51.100.7", next)).await.unwrap();
    refused(
        sign_in_with_code(&db, "owner@example.cn", PASSWORD, &codes[3], at("198.51.100.7", next)).await,
        "code",
        Rule::SecondFactorWrong,
    );
    assert_eq!(app::backend::store::second_factor::recovery_codes_left(&db, id).await.unwrap(), 9);

    // turning it off: the password and a fresh code
    let off = next + Duration::minutes(2);
    let fresh = code_at(&e.secret, off).unwrap();
    assert!(
        matches!(accounts::disable_second_factor(&db, id, "guess", &fresh, off).await, Err(ServiceError::Refused(ref f)) if f[0].field == "current_password")
    );
    accounts::disable_second_factor(&db, id, PASSWORD, &fresh, off).await.unwrap();
    sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", off)).await.unwrap();
    let actions: Vec<String> = db.audit_for("user", id).await.unwrap().into_iter().map(|a| a.action).collect();
    for expected in ["second_factor_enabled", "recovery_code_used", "second_factor_disabled"] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

/// ASVS 5.0 §7.4.2, §7.4.5: an administrator disables an account (it cannot sign in, its
/// sessions end) or ends its sessions; not their own account.
async fn an_administrator_disables_an_account_and_ends_its_sessions(db: Db) {
    use app::backend::service::{admin, Actor};
    let id = owner(&db, "198.51.100.7").await;
    let admin_id = common::user(&db, "admin@example.cn", &[Role::Citizen, Role::Admin], None).await;
    let admin_viewer = common::viewer(&db, admin_id).await;
    let by_admin = Actor { viewer: &admin_viewer, now: t0() + Duration::hours(1) };
    let signed_in = accounts::SignedIn { user_id: id, roles: vec![Role::Citizen] };
    let tokens = sessions_on(&db, id, &["phone", "laptop"]).await;
    let now = t0() + Duration::hours(1);
    assert_eq!(admin::end_sessions(&db, &by_admin, id).await.unwrap(), 2);
    assert_eq!(db.session_user(&tokens[0], now).await.unwrap(), None);

    let (token, _) = accounts::start_session(&db, &signed_in, SessionPolicy::default(), &SessionOrigin::default(), now).await.unwrap();
    admin::set_disabled(&db, &by_admin, id, true).await.unwrap();
    assert_eq!(db.session_user(&auth::token_hash(&token), now).await.unwrap(), None, "its sessions ended");
    assert!(db.viewer(id).await.unwrap().is_none(), "a disabled account is nobody's viewer");
    refused(sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", now)).await, "form", Rule::AccountDisabled);
    // a wrong password says only that
    refused(sign_in(&db, "owner@example.cn", "guess", at("198.51.100.7", now)).await, "password", Rule::WrongCredentials);
    assert!(
        matches!(admin::set_disabled(&db, &by_admin, admin_id, true).await, Err(ServiceError::Refused(ref e)) if e[0].rule == Rule::CannotDisableSelf)
    );
    assert!(
        matches!(admin::set_disabled(&db, &by_admin, 987_654, true).await, Err(ServiceError::Refused(ref e)) if e[0].rule == Rule::UnknownUser)
    );
    admin::set_disabled(&db, &by_admin, id, false).await.unwrap();
    sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", now)).await.unwrap();
    let actions: Vec<String> = db.audit_for("user", id).await.unwrap().into_iter().map(|a| a.action).collect();
    for expected in ["sessions_ended", "account_disabled", "account_enabled"] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

/// The answer the registration form gives (a mail is on its way) is the same for a new
/// address and one with an account (ASVS 5.0 §6.3.8); only the mail differs. A new
/// account takes part only once the link mailed to it proves the address (§6.4), and that
/// link works once, for 48 hours.
async fn registration_answers_alike_and_the_link_proves_the_address(db: Db) {
    let here = "198.51.100.20";
    let first = reg(&db, "zhou.min@example.cn", PASSWORD, "周敏", at(here, t0())).await.unwrap().expect("a mail");
    assert!(matches!(first.kind, LetterKind::Verify { .. }), "{first:?}");
    assert_eq!(first.to, "zhou.min@example.cn");
    let id = db.user_by_email("zhou.min@example.cn").await.unwrap().unwrap().id;
    let unverified = db.viewer(id).await.unwrap().unwrap();
    assert!(!unverified.email_verified);
    // signing in works, taking part does not: a comment is refused by the service
    sign_in(&db, "zhou.min@example.cn", PASSWORD, at(here, t0())).await.unwrap();
    let agency = db.ensure_agency("jtj", "市交通局", "Transport").await.unwrap();
    let official = common::user(&db, "official@example.cn", &[Role::Citizen, Role::Official], Some(agency)).await;
    let proposal = common::proposal(&db, agency, official, "公交票价调整", t0() - Duration::days(1), 30).await;
    let text = app::domain::comment::CommentText::parse("票价调整幅度偏大，建议分步实施。").unwrap();
    let input = |text| app::backend::service::comments::CommentInput {
        proposal_id: proposal,
        clause: None,
        stance: app::domain::comment::Stance::Suggestion,
        text,
        body_html: "<p>票价调整幅度偏大，建议分步实施。</p>",
    };
    let limits = app::backend::service::comments::FloodLimits { per_account: 10, per_address: 60, minutes: 10 };
    let actor = app::backend::service::Actor { viewer: &unverified, now: t0() };
    common::refused_with(app::backend::service::comments::post(&db, &actor, here, limits, input(&text)).await, Rule::EmailNotVerified);

    // the same address again, another password: the same answer, a different mail, nothing changed
    let again =
        reg(&db, "Zhou.Min@example.cn", "another-long-passphrase-9", "冒名者", at("203.0.113.5", t0())).await.unwrap().expect("a mail");
    assert!(matches!(again.kind, LetterKind::AlreadyRegistered { .. }), "{again:?}");
    assert_eq!(again.name, "周敏", "the mail greets the owner, not the name typed");
    wrong(sign_in(&db, "zhou.min@example.cn", "another-long-passphrase-9", at(here, t0())).await);

    // a wrong link, then the right one, then the right one again
    let verify = |token: String| {
        let db = db.clone();
        async move { accounts::verify_email(&db, &token, at(here, t0() + Duration::hours(2))).await }
    };
    common::refused_with(verify("not-a-token".into()).await, Rule::LinkUnknown);
    let signed_in = verify(first.token().to_owned()).await.unwrap().expect("signed in by the link");
    assert_eq!(signed_in.user_id, id);
    let verified = db.viewer(id).await.unwrap().unwrap();
    assert!(verified.email_verified);
    let actor = app::backend::service::Actor { viewer: &verified, now: t0() + Duration::hours(2) };
    app::backend::service::comments::post(&db, &actor, here, limits, input(&text)).await.expect("a verified citizen comments");
    common::refused_with(verify(first.token().to_owned()).await, Rule::LinkUsed);
    let actions: Vec<String> = db.audit_for("user", id).await.unwrap().into_iter().map(|a| a.action).collect();
    assert!(actions.iter().any(|a| a == "email_verified"), "{actions:?}");

    // a link works for 48 hours
    let late = reg(&db, "late@example.cn", PASSWORD, "迟到者", at("198.51.100.21", t0())).await.unwrap().unwrap();
    let expired = accounts::verify_email(&db, late.token(), at(here, t0() + Duration::hours(48))).await;
    common::refused_with(expired, Rule::LinkExpired { hours: 48 });
    // a new mail from the account page, with a link that works
    let late_id = db.user_by_email("late@example.cn").await.unwrap().unwrap().id;
    let resent = accounts::resend_verification(&db, late_id, t0() + Duration::hours(49)).await.unwrap().expect("sent again");
    accounts::verify_email(&db, resent.token(), at(here, t0() + Duration::hours(50))).await.unwrap().expect("signed in");
    assert_eq!(accounts::resend_verification(&db, late_id, t0() + Duration::hours(51)).await.unwrap(), None, "verified: nothing to send");

    // nobody floods an inbox through the form: three mails an hour per address, then silence
    for i in 0..2 {
        assert!(reg(&db, "flood@example.cn", PASSWORD, "收件人", at(&format!("198.51.100.{}", 30 + i), t0())).await.unwrap().is_some());
    }
    assert!(accounts::request_reset(&db, &LIMITS, "flood@example.cn", at("198.51.100.40", t0())).await.unwrap().is_some());
    assert_eq!(reg(&db, "flood@example.cn", PASSWORD, "收件人", at("198.51.100.41", t0())).await.unwrap(), None);
    assert!(reg(&db, "flood@example.cn", PASSWORD, "收件人", at("198.51.100.41", t0() + Duration::hours(1))).await.unwrap().is_some());
}

/// A forgotten password is reset by a link mailed to the address (ASVS 5.0 §6.4.1-§6.4.3):
/// the answer does not say whether the address has an account, a refused password
/// leaves the link usable, the link works once and for one hour, and every session ends.
async fn a_password_reset_by_mail_is_single_use_short_lived_and_ends_every_session(db: Db) {
    let id = owner(&db, "198.51.100.7").await;
    let devices = sessions_on(&db, id, &["phone", "laptop"]).await;
    let now = t0() + Duration::hours(3);
    assert_eq!(accounts::request_reset(&db, &LIMITS, "nobody@example.cn", at("203.0.113.1", now)).await.unwrap(), None);
    common::refused_with(accounts::request_reset(&db, &LIMITS, "not an address", at("203.0.113.1", now)).await, Rule::EmailFormat);
    let letter = accounts::request_reset(&db, &LIMITS, "OWNER@example.cn", at("203.0.113.1", now)).await.unwrap().expect("a mail");
    assert!(matches!(letter.kind, LetterKind::Reset { .. }));
    // failures an attacker piled up on the account are cleared by the reset
    for _ in 0..6 {
        let _ = sign_in(&db, "owner@example.cn", "guess", at("203.0.113.1", now)).await;
    }
    let weak = accounts::reset_password(&db, letter.token(), "12345678", at("203.0.113.1", now)).await;
    common::refused_with(weak, Rule::PasswordGuessable);
    let new_password = "juniper-harbour-tallow-52";
    // the refusal left the link usable
    let ended = accounts::reset_password(&db, letter.token(), new_password, at("203.0.113.1", now)).await.unwrap();
    assert_eq!(ended, 2, "both devices' sessions ended");
    for token in &devices {
        assert_eq!(db.session_user(token, now).await.unwrap(), None);
    }
    common::refused_with(
        accounts::reset_password(&db, letter.token(), "another-fine-passphrase-1", at("203.0.113.1", now)).await,
        Rule::LinkUsed,
    );
    wrong(sign_in(&db, "owner@example.cn", PASSWORD, at("198.51.100.7", now)).await);
    sign_in(&db, "owner@example.cn", new_password, at("203.0.113.1", now)).await.expect("the new password, from the address that reset it");
    // a link works for one hour
    let second = accounts::request_reset(&db, &LIMITS, "owner@example.cn", at("203.0.113.1", now)).await.unwrap().unwrap();
    let late =
        accounts::reset_password(&db, second.token(), "another-fine-passphrase-1", at("203.0.113.1", now + Duration::hours(1))).await;
    common::refused_with(late, Rule::LinkExpired { hours: 1 });
    let actions: Vec<String> = db.audit_for("user", id).await.unwrap().into_iter().map(|a| a.action).collect();
    assert!(actions.iter().any(|a| a == "password_reset"), "{actions:?}");
}

on_both_databases!(
    registration_answers_alike_and_the_link_proves_the_address,
    a_password_reset_by_mail_is_single_use_short_lived_and_ends_every_session,
    an_administrator_disables_an_account_and_ends_its_sessions,
    two_step_sign_in_with_an_authenticator_code_or_a_recovery_code,
    an_attacker_locks_out_only_their_own_address,
    a_storm_of_failures_from_many_addresses_never_stops_the_owner_on_a_known_address,
    the_throttle_answers_alike_whether_or_not_the_account_exists,
    registration_is_limited_per_address_and_refuses_guessable_passwords,
    a_password_change_asks_for_the_current_one_and_ends_the_other_sessions,
);
