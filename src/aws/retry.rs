//! The retry policy: which failures are retried, exponential backoff with full jitter, and how many tries.

use std::time::Duration;

/// What a failed call means for the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retryable {
    /// The account's request quota was exceeded: retried, and counted as `throttled`.
    Throttled,
    /// 5xx, a dropped connection, a timeout: retried.
    Transient,
    /// Anything else (missing group, access denied, bad credentials): retrying cannot help.
    Fatal,
}

/// Error codes CloudWatch Logs (and the AWS front door) use for "slow down".
const THROTTLE_CODES: [&str; 5] = [
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "LimitExceededException",
];
const TRANSIENT_CODES: [&str; 3] = ["ServiceUnavailableException", "InternalFailure", "RequestTimeout"];

/// Classifies a service answer from its error code and HTTP status. `501 Not Implemented` is final
/// whatever the code says (emulators answer it, with `InternalFailure`, for operations they lack).
pub fn classify_response(code: Option<&str>, status: u16) -> Retryable {
    if status == 501 {
        return Retryable::Fatal;
    }
    match code {
        Some(c) if THROTTLE_CODES.contains(&c) => Retryable::Throttled,
        Some(c) if TRANSIENT_CODES.contains(&c) => Retryable::Transient,
        _ if status == 429 => Retryable::Throttled,
        _ if status >= 500 => Retryable::Transient,
        _ => Retryable::Fatal,
    }
}

/// How many times a call is tried and how long to wait between tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included (at least 1).
    pub max_attempts: u32,
    /// Backoff ceiling before the first retry; doubled for each further one.
    pub base: Duration,
    /// No single wait is longer than this.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base: Duration::from_millis(200),
            cap: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// Whether a call that failed as `class` on try number `attempt` (1-based) gets another try.
    pub fn should_retry(&self, class: Retryable, attempt: u32) -> bool {
        class != Retryable::Fatal && attempt < self.max_attempts.max(1)
    }

    /// The wait after try number `attempt` (1-based) failed: "full jitter", a uniform draw from
    /// `[0, min(cap, base * 2^(attempt-1))]`, so concurrent slices that were throttled together do not
    /// come back together. `unit` is a uniform random number in `[0, 1)`.
    pub fn backoff(&self, attempt: u32, unit: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(30);
        let ceiling = self.base.saturating_mul(1u32 << exp).min(self.cap);
        ceiling.mul_f64(unit.clamp(0.0, 1.0))
    }
}

/// A small xorshift generator for jitter: no cryptographic use, so no dependency for it.
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    pub fn new(seed: u64) -> Self {
        Jitter(seed | 1)
    }

    /// Seeded from the clock and a per-call salt (e.g. the slice number).
    pub fn from_clock(salt: u64) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Jitter::new(nanos ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// Uniform in `[0, 1)`.
    pub fn next_unit(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_5xx_and_429_retry_client_errors_do_not() {
        assert_eq!(
            classify_response(Some("ThrottlingException"), 400),
            Retryable::Throttled
        );
        assert_eq!(classify_response(None, 429), Retryable::Throttled);
        assert_eq!(classify_response(None, 500), Retryable::Transient);
        assert_eq!(
            classify_response(Some("ServiceUnavailableException"), 503),
            Retryable::Transient
        );
        assert_eq!(
            classify_response(Some("ResourceNotFoundException"), 400),
            Retryable::Fatal
        );
        assert_eq!(classify_response(Some("AccessDeniedException"), 400), Retryable::Fatal);
        assert_eq!(classify_response(None, 403), Retryable::Fatal);
        assert_eq!(classify_response(Some("InternalFailure"), 501), Retryable::Fatal);
        assert_eq!(classify_response(None, 501), Retryable::Fatal);
    }

    #[test]
    fn attempts_are_bounded_and_fatal_is_never_retried() {
        let p = RetryPolicy {
            max_attempts: 3,
            ..Default::default()
        };
        assert!(p.should_retry(Retryable::Throttled, 1));
        assert!(p.should_retry(Retryable::Transient, 2));
        assert!(!p.should_retry(Retryable::Transient, 3));
        assert!(!p.should_retry(Retryable::Fatal, 1));
        let once = RetryPolicy {
            max_attempts: 0,
            ..Default::default()
        };
        assert!(!once.should_retry(Retryable::Throttled, 1));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_scales_it() {
        let p = RetryPolicy {
            max_attempts: 10,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
        };
        let full: Vec<_> = (1..=6).map(|a| p.backoff(a, 1.0).as_millis()).collect();
        assert_eq!(full, vec![100, 200, 400, 800, 1000, 1000]);
        assert_eq!(p.backoff(3, 0.0), Duration::ZERO);
        assert_eq!(p.backoff(2, 0.5).as_millis(), 100);
        assert_eq!(p.backoff(u32::MAX, 1.0), Duration::from_secs(1));
    }

    #[test]
    fn jitter_is_uniform_enough_and_in_range() {
        let mut j = Jitter::new(42);
        let draws: Vec<f64> = (0..10_000).map(|_| j.next_unit()).collect();
        assert!(draws.iter().all(|u| (0.0..1.0).contains(u)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "mean {mean}");
    }
}
