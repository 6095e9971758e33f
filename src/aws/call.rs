//! One API call under the shared rate limiter and the retry policy, counted, with its failure described.

use std::error::Error as StdError;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use aws_sdk_cloudwatchlogs::error::{ProvideErrorMetadata, SdkError};

use super::ratelimit::RateLimiter;
use super::retry::{classify_response, Jitter, RetryPolicy, Retryable};

/// Counters of a run, shared by every task.
#[derive(Debug, Default)]
pub struct Counters {
    pub api_calls: AtomicU64,
    pub throttled: AtomicU64,
    pub retries: AtomicU64,
    pub pages: AtomicU64,
    pub events: AtomicU64,
}

impl Counters {
    pub fn get(c: &AtomicU64) -> u64 {
        c.load(Ordering::Relaxed)
    }
}

/// What every request of a run shares.
#[derive(Debug)]
pub struct Shared {
    pub limiter: RateLimiter,
    pub policy: RetryPolicy,
    pub counters: Counters,
    /// Set when one task failed for good: the others stop at their next request.
    pub abort: AtomicBool,
}

impl Shared {
    /// The limiter, retry policy and counters of one run.
    pub fn new(max_tps: f64, max_attempts: u32) -> Arc<Shared> {
        Arc::new(Shared {
            limiter: RateLimiter::new(max_tps),
            policy: RetryPolicy {
                max_attempts,
                ..RetryPolicy::default()
            },
            counters: Counters::default(),
            abort: AtomicBool::new(false),
        })
    }
}

/// A call that failed for good, in terms the error messages need.
#[derive(Debug, Clone)]
pub enum Failure {
    /// The service answered with an error code.
    Service { code: String, message: String, status: u16 },
    /// The endpoint could not be reached at all (refused, unknown host).
    Connect { detail: String },
    /// The SDK had no credentials to sign with.
    NoCredentials { detail: String },
    /// Retryable failures, the last of which is described, until the policy gave up.
    Exhausted { attempts: u32, last: String },
    /// Anything else the SDK reported.
    Other { detail: String },
    /// Another task failed first.
    Aborted,
}

/// Sends `send()` until it succeeds, a fatal error comes back, or the policy's tries run out.
pub async fn call<T, E, F, Fut>(shared: &Shared, salt: u64, mut send: F) -> Result<T, Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E, aws_sdk_cloudwatchlogs::config::http::HttpResponse>>>,
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    let mut jitter = Jitter::from_clock(salt);
    let mut attempt = 1;
    loop {
        if shared.abort.load(Ordering::Relaxed) {
            return Err(Failure::Aborted);
        }
        shared.limiter.acquire().await;
        shared.counters.api_calls.fetch_add(1, Ordering::Relaxed);
        let err = match send().await {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let (class, failure) = classify(&err);
        if class == Retryable::Throttled {
            shared.counters.throttled.fetch_add(1, Ordering::Relaxed);
        }
        if shared.policy.should_retry(class, attempt) {
            shared.counters.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(shared.policy.backoff(attempt, jitter.next_unit())).await;
            attempt += 1;
            continue;
        }
        return Err(if class == Retryable::Fatal {
            failure
        } else {
            Failure::Exhausted {
                attempts: attempt,
                last: one_line(&failure),
            }
        });
    }
}

pub(crate) fn one_line(f: &Failure) -> String {
    match f {
        Failure::Service { code, message, status } if message.is_empty() => format!("{code} (HTTP {status})"),
        Failure::Service { code, message, status } => format!("{code}: {message} (HTTP {status})"),
        Failure::Connect { detail } | Failure::NoCredentials { detail } | Failure::Other { detail } => detail.clone(),
        Failure::Exhausted { last, .. } => last.clone(),
        Failure::Aborted => "aborted".into(),
    }
}

/// Walks an error's `source()` chain.
fn chain<'a>(e: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(e), |e: &&'a (dyn StdError + 'static)| (*e).source())
}

/// The innermost message of the chain: the SDK's outer layers only say "dispatch failure".
pub(crate) fn root_message(e: &(dyn StdError + 'static)) -> String {
    chain(e).last().map(|e| e.to_string()).unwrap_or_default()
}

fn classify<E>(err: &SdkError<E, aws_sdk_cloudwatchlogs::config::http::HttpResponse>) -> (Retryable, Failure)
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    match err {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            let code = err.code().map(str::to_string);
            let class = classify_response(code.as_deref(), status);
            let failure = Failure::Service {
                code: code.unwrap_or_else(|| format!("HTTP {status}")),
                message: err.message().unwrap_or_default().to_string(),
                status,
            };
            (class, failure)
        }
        SdkError::TimeoutError(_) => (
            Retryable::Transient,
            Failure::Other {
                detail: "request timed out".into(),
            },
        ),
        SdkError::ResponseError(_) => (
            Retryable::Transient,
            Failure::Other {
                detail: format!("unreadable response: {}", root_message(err)),
            },
        ),
        SdkError::DispatchFailure(d) => {
            let detail = root_message(err);
            if let Some(problem) = connect_problem(err) {
                (Retryable::Fatal, Failure::Connect { detail: problem })
            } else if is_credentials_problem(err) {
                (Retryable::Fatal, Failure::NoCredentials { detail })
            } else if d.is_io() || d.is_timeout() || d.is_other() {
                (
                    Retryable::Transient,
                    Failure::Other {
                        detail: format!("connection failed: {detail}"),
                    },
                )
            } else {
                (Retryable::Fatal, Failure::Other { detail })
            }
        }
        _ => {
            let detail = root_message(err);
            if is_credentials_problem(err) {
                (Retryable::Fatal, Failure::NoCredentials { detail })
            } else {
                (Retryable::Fatal, Failure::Other { detail })
            }
        }
    }
}

/// A connection that cannot succeed by retrying: refused, or a host name that does not resolve.
fn connect_problem(e: &(dyn StdError + 'static)) -> Option<String> {
    for e in chain(e) {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return Some("connection refused".into());
            }
        }
        let text = e.to_string();
        if text.contains("dns error") || text.contains("failed to lookup address") {
            return Some("host name not found".into());
        }
        if text.contains("Connection refused") {
            return Some("connection refused".into());
        }
    }
    None
}

fn is_credentials_problem(e: &(dyn StdError + 'static)) -> bool {
    chain(e).any(|e| {
        let t = e.to_string();
        t.contains("credentials") || t.contains("no providers in chain") || t.contains("identity")
    })
}
