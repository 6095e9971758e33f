//! One token bucket shared by every CloudWatch request of a run (FilterLogEvents is 5 TPS per account).

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token bucket: `rate` tokens a second, at most `burst` saved up. Pure arithmetic over a clock
/// reading, so it is tested without sleeping.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A bucket that starts with one token: a burst of `rate` at start would add to whatever else is
    /// calling the account's shared quota at that moment.
    pub fn new(rate: f64, burst: f64, now: Instant) -> Self {
        let rate = if rate.is_finite() && rate > 0.0 { rate } else { 1.0 };
        TokenBucket {
            rate,
            burst: burst.max(1.0),
            tokens: 1.0,
            last: now,
        }
    }

    /// Takes one token at `now`: returns how long the caller must wait before sending. The token is
    /// reserved even when waiting is needed, so concurrent callers queue up fairly instead of racing.
    pub fn take(&mut self, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = self.last.max(now);
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(-self.tokens / self.rate)
        }
    }
}

/// The shared limiter: every request awaits `acquire` before it is sent (retries included).
#[derive(Debug)]
pub struct RateLimiter {
    bucket: Mutex<TokenBucket>,
}

impl RateLimiter {
    pub fn new(requests_per_second: f64) -> Self {
        RateLimiter {
            bucket: Mutex::new(TokenBucket::new(requests_per_second, 1.0, Instant::now())),
        }
    }

    pub async fn acquire(&self) {
        let wait = match self.bucket.lock() {
            Ok(mut b) => b.take(Instant::now()),
            Err(poisoned) => poisoned.into_inner().take(Instant::now()),
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_token_is_free_then_callers_are_spaced_by_one_over_rate() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(5.0, 1.0, t0);
        assert_eq!(b.take(t0), Duration::ZERO);
        let waits: Vec<_> = (0..4).map(|_| b.take(t0).as_millis()).collect();
        assert_eq!(waits, vec![200, 400, 600, 800]);
    }

    #[test]
    fn refills_over_time_up_to_burst() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(5.0, 1.0, t0);
        assert_eq!(b.take(t0), Duration::ZERO);
        assert_eq!(b.take(t0 + Duration::from_millis(200)), Duration::ZERO);
        // A long idle period saves at most `burst` tokens.
        let later = t0 + Duration::from_secs(60);
        assert_eq!(b.take(later), Duration::ZERO);
        assert_eq!(b.take(later).as_millis(), 200);
    }

    #[test]
    fn sustained_rate_never_exceeds_the_limit() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(5.0, 1.0, t0);
        let mut last_send = Duration::ZERO;
        for _ in 0..50 {
            last_send = b.take(t0);
        }
        // 50 requests at 5/s: the last one goes out 49 intervals after the first.
        assert_eq!(last_send.as_millis(), 9800);
    }

    #[test]
    fn nonsense_rate_falls_back_to_one_per_second() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(f64::NAN, 1.0, t0);
        b.take(t0);
        assert_eq!(b.take(t0).as_millis(), 1000);
    }
}
