//! When a sign-in attempt is refused before its password is checked (OWASP ASVS 5.0
//! §6.3.1, NIST SP 800-63B §5.2.2: limit failed attempts without letting anyone lock
//! other people out).
//!
//! Only failures count, and they count twice:
//! - per **(account, address)**: after [`FREE_FAILURES`] failures from one address, that
//!   address waits before its next try for this account, a delay that doubles with each
//!   further failure ([`FIRST_DELAY`] up to [`MAX_DELAY`]). An attacker's address locks
//!   only itself out.
//! - per **account**, across addresses: after [`ACCOUNT_FREE_FAILURES`] failures in the
//!   window from anywhere, the account is slowed the same way for addresses it has never
//!   signed in from. An address it has signed in from before (a known device) is never
//!   held back by the failures of others.
//!
//! Every key is derived from the typed e-mail whether or not an account has it, and the
//! refusal is the same sentence either way: the throttle tells nobody which accounts exist.

use chrono::{DateTime, Duration, Utc};

/// Failures one address may make on one account before it has to wait.
pub const FREE_FAILURES: i64 = 5;
/// Failures an account may collect from all addresses before unknown addresses wait.
pub const ACCOUNT_FREE_FAILURES: i64 = 20;
/// The wait after the first failure beyond the free ones.
pub const FIRST_DELAY: Duration = Duration::seconds(30);
/// The longest wait.
pub const MAX_DELAY: Duration = Duration::minutes(15);
/// How far back failures are counted; a success from the address clears its own.
pub const WINDOW: Duration = Duration::hours(1);

/// Failures counted in a bucket: how many within [`WINDOW`], and when the latest was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub last: Option<DateTime<Utc>>,
}

/// The delay owed after `count` failures when `free` of them cost nothing: zero up to
/// `free`, then [`FIRST_DELAY`] doubling with each failure, at most [`MAX_DELAY`].
pub fn delay_after(count: i64, free: i64) -> Duration {
    if count < free {
        return Duration::zero();
    }
    let doublings = (count - free).min(16) as u32;
    let delay = FIRST_DELAY * 2_i32.pow(doublings);
    delay.min(MAX_DELAY)
}

/// How long this attempt has to wait, if at all.
/// `pair`: failures of this address on this account; `account`: of all addresses on it;
/// `known_address`: the account has signed in from this address before.
pub fn wait(pair: Failures, account: Failures, known_address: bool, now: DateTime<Utc>) -> Option<Duration> {
    let owed = |f: Failures, free: i64| -> Duration {
        match f.last {
            Some(last) => (last + delay_after(f.count, free) - now).max(Duration::zero()),
            None => Duration::zero(),
        }
    };
    let mut wait = owed(pair, FREE_FAILURES);
    if !known_address {
        wait = wait.max(owed(account, ACCOUNT_FREE_FAILURES));
    }
    (wait > Duration::zero()).then_some(wait)
}

/// Whole seconds to tell the person (rounded up, at least one).
pub fn wait_secs(wait: Duration) -> u64 {
    let ms = wait.num_milliseconds().max(0) as u64;
    ms.div_ceil(1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn asvs_6_3_1_the_first_failures_cost_nothing_then_the_delay_doubles_up_to_the_cap() {
        assert_eq!(delay_after(0, FREE_FAILURES), Duration::zero());
        assert_eq!(delay_after(FREE_FAILURES - 1, FREE_FAILURES), Duration::zero());
        assert_eq!(delay_after(FREE_FAILURES, FREE_FAILURES), Duration::seconds(30));
        assert_eq!(delay_after(FREE_FAILURES + 1, FREE_FAILURES), Duration::seconds(60));
        assert_eq!(delay_after(FREE_FAILURES + 2, FREE_FAILURES), Duration::seconds(120));
        assert_eq!(delay_after(FREE_FAILURES + 10, FREE_FAILURES), MAX_DELAY);
        assert_eq!(delay_after(i64::MAX, FREE_FAILURES), MAX_DELAY);
    }

    #[test]
    fn asvs_6_3_1_an_address_waits_after_its_own_failures_and_not_after_the_delay() {
        let pair = Failures { count: FREE_FAILURES, last: Some(at(0)) };
        assert_eq!(wait(pair, Failures::default(), false, at(10)), Some(Duration::seconds(20)));
        assert_eq!(wait(pair, Failures::default(), false, at(30)), None);
        // four failures: no wait at all
        let pair = Failures { count: FREE_FAILURES - 1, last: Some(at(0)) };
        assert_eq!(wait(pair, Failures::default(), false, at(0)), None);
    }

    #[test]
    fn asvs_6_3_1_others_failures_never_hold_back_the_owner_on_a_known_address() {
        // the account has collected many failures from attackers' addresses ...
        let account = Failures { count: 500, last: Some(at(0)) };
        // ... the owner's own address has none, and has signed in from here before
        assert_eq!(wait(Failures::default(), account, true, at(1)), None);
        // an address the account has never used waits
        assert_eq!(wait(Failures::default(), account, false, at(1)), Some(MAX_DELAY - Duration::seconds(1)));
        // and below the account-wide allowance nobody waits
        let account = Failures { count: ACCOUNT_FREE_FAILURES - 1, last: Some(at(0)) };
        assert_eq!(wait(Failures::default(), account, false, at(1)), None);
    }

    #[test]
    fn seconds_told_are_rounded_up() {
        assert_eq!(wait_secs(Duration::milliseconds(1)), 1);
        assert_eq!(wait_secs(Duration::milliseconds(1001)), 2);
        assert_eq!(wait_secs(Duration::seconds(30)), 30);
    }
}
