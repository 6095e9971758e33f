//! One API call under the shared rate limiter and the retry policy, counted, with its failure described.

use std::error::Error as StdError;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use aws_sdk_cloudwatchlogs::error::{ProvideErrorMetadata, SdkError};

use super::credentials::Unsendable;
use super::ratelimit::RateLimiter;
use super::retry::{classify_response, Jitter, RetryPolicy, Retryable};
use super::unreadable;

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
    /// A credential cannot go into a header (it holds CR/LF): no request could be signed.
    Unsendable { which: &'static str },
    /// An answer the SDK could not read: `what` completes "the endpoint's answer …".
    Unreadable { what: String },
    /// A 3xx answer: authlogs does not follow redirects (credentials would go along).
    Redirected { status: u16, location: Option<String> },
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
        Failure::Unsendable { which } => format!("the {which} cannot be sent in a header"),
        Failure::Unreadable { what } => format!("the endpoint's answer {what}"),
        Failure::Redirected { status, .. } => format!("redirected (HTTP {status})"),
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
    if let Some(which) = unsendable_credential(err) {
        return (Retryable::Fatal, Failure::Unsendable { which });
    }
    match err {
        SdkError::ServiceError(se) => {
            let raw = se.raw();
            let status = raw.status().as_u16();
            let code = err.code().map(str::to_string);
            let body = raw.body().bytes().unwrap_or_default();
            let encoding = raw.headers().get("content-encoding");
            // A success status the SDK turned into an error: its JSON reader refused the body.
            if raw.status().is_success() && code.is_none() {
                let what = unreadable::describe(body, encoding, &root_message(err));
                return (Retryable::Fatal, Failure::Unreadable { what });
            }
            if (300..400).contains(&status) {
                let location = raw.headers().get("location").map(str::to_string);
                return (Retryable::Fatal, Failure::Redirected { status, location });
            }
            let class = classify_response(code.as_deref(), status);
            let mut message = err.message().unwrap_or_default().to_string();
            // No AWS error in it (a proxy's 502 page): say what the answer was instead.
            if code.is_none() && message.is_empty() && !body.is_empty() {
                message = format!("the answer {}", unreadable::describe(body, encoding, ""));
            }
            let failure = Failure::Service {
                code: code.unwrap_or_else(|| format!("HTTP {status}")),
                message,
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
            if let Some(what) = not_http(&detail) {
                (Retryable::Fatal, Failure::Unreadable { what })
            } else if let Some(problem) = connect_problem(err) {
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

/// Which credential cannot go into a header, as `credentials.rs` found, or as the signer found when
/// it could not add a header value (the only one it adds from outside is the session token).
fn unsendable_credential(e: &(dyn StdError + 'static)) -> Option<&'static str> {
    if let Some(u) = chain(e).find_map(|e| e.downcast_ref::<Unsendable>()) {
        return Some(u.which);
    }
    let texts: Vec<String> = chain(e).map(|e| e.to_string()).collect();
    let signer = texts.iter().any(|t| t == "failed to create canonical request");
    (signer && texts.iter().any(|t| t == "invalid header value")).then_some("session token")
}

/// hyper's words for an answer that is not HTTP/1.1 it can parse (`invalid HTTP header parsed`, a
/// header with control characters in it): the same answer comes back on every try.
fn not_http(root: &str) -> Option<String> {
    let parse = (root.starts_with("invalid HTTP") && root.ends_with("parsed")) || root == "message head is too large";
    parse.then(|| {
        format!(
            "is not HTTP authlogs can read ({})",
            crate::redact::escape_control(root)
        )
    })
}

fn is_credentials_problem(e: &(dyn StdError + 'static)) -> bool {
    chain(e).any(|e| {
        let t = e.to_string();
        t.contains("credentials") || t.contains("no providers in chain") || t.contains("identity")
    })
}
