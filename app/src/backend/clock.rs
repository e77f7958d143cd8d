//! The one place the time of day is read. Everything that decides by the time gets it
//! from the [`Clock`] in `AppState` (or as an argument), so that tests fix it and never
//! depend on today's date.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, DurationRound, Utc};

pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current instant at the precision both databases store (microseconds), so
    /// that a value read back compares equal to the value written.
    fn now(&self) -> DateTime<Utc>;
}

pub type SharedClock = Arc<dyn Clock>;

/// The system's clock: what a running server uses.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate(Utc::now())
    }
}

/// A clock that stands still until a test moves it.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn at(instant: DateTime<Utc>) -> Arc<Self> {
        Arc::new(Self(Mutex::new(truncate(instant))))
    }

    pub fn set(&self, instant: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = truncate(instant);
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now = truncate(*now + by);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The system's clock moved forward by an offset that only grows: what a server started
/// with `serve --test-clock` (browser journeys that span weeks) runs on.
#[derive(Debug, Default)]
pub struct OffsetClock(std::sync::atomic::AtomicI64);

impl OffsetClock {
    /// Moves the clock forward (never back: nothing may happen twice).
    pub fn advance(&self, by: Duration) {
        let micros = by.num_microseconds().unwrap_or(0).max(0);
        self.0.fetch_add(micros, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        truncate(Utc::now() + Duration::microseconds(self.0.load(std::sync::atomic::Ordering::SeqCst)))
    }
}

fn truncate(instant: DateTime<Utc>) -> DateTime<Utc> {
    instant.duration_trunc(Duration::microseconds(1)).unwrap_or(instant)
}

pub fn system() -> SharedClock {
    Arc::new(SystemClock)
}
