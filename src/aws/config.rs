//! The CloudWatch Logs client: the standard AWS chain plus `--profile`, `--region`, `--endpoint-url`.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};

use super::error::CwError;

/// Where to connect, as the user asked; `None` leaves each to the standard chain (env, config files).
#[derive(Debug, Clone, Default)]
pub struct Connection {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

/// A ready client and what it resolved to, for error messages.
#[derive(Debug, Clone)]
pub struct Client {
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub region: String,
    /// The profile named by `--profile` or `AWS_PROFILE`, else `default`.
    pub profile: String,
    pub endpoint: Option<String>,
}

/// Per-try limits: a stalled connection becomes a retryable timeout instead of a hang.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

pub async fn client(conn: &Connection) -> Result<Client, CwError> {
    let loaded = load(conn).await?;
    Ok(logs_client(&loaded))
}

/// The shared SDK configuration of a run and what it resolved to: every service client of the run
/// (CloudWatch Logs, and `audit`'s API Gateway and Lambda) is built from this one loader.
#[derive(Debug, Clone)]
pub(crate) struct Loaded {
    pub(crate) config: aws_config::SdkConfig,
    pub(crate) region: String,
    pub(crate) profile: String,
}

/// Loads the standard chain with `--profile`, `--region`, `--endpoint-url`, the timeouts, and the
/// SDK's own retries off; fails when no region resolves.
pub(crate) async fn load(conn: &Connection) -> Result<Loaded, CwError> {
    // The SDK's own retries are off: `retry.rs` decides, and counts every try in `source`.
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .build(),
        );
    if let Some(p) = &conn.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &conn.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(e) = &conn.endpoint_url {
        loader = loader.endpoint_url(e);
    }
    let config = loader.load().await;
    let profile = conn
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".to_string());
    let Some(region) = config.region().map(|r| r.to_string()).filter(|r| !r.is_empty()) else {
        return Err(CwError::NoRegion { profile });
    };
    // Every client signs with credentials checked first: a CR/LF in a key or session token is a
    // credential error, never a header the SDK refuses (and retries) or panics on.
    let config = match config.credentials_provider() {
        Some(provider) => config
            .to_builder()
            .credentials_provider(super::credentials::checked(provider))
            .build(),
        None => config,
    };
    Ok(Loaded {
        config,
        region,
        profile,
    })
}

/// The CloudWatch Logs client of a loaded configuration.
pub(crate) fn logs_client(loaded: &Loaded) -> Client {
    let config = &loaded.config;
    let mut service = aws_sdk_cloudwatchlogs::config::Builder::from(config);
    // `--endpoint-url` or `AWS_ENDPOINT_URL`, as the loader resolved it.
    if let Some(host) = config.endpoint_url().and_then(local_host) {
        service = service.interceptor(StripStreamPrefix { host });
    }
    Client {
        logs: aws_sdk_cloudwatchlogs::Client::from_conf(service.build()),
        region: loaded.region.clone(),
        profile: loaded.profile.clone(),
        endpoint: config.endpoint_url().map(str::to_string),
    }
}

/// The host of an endpoint URL, as written in it (IPv6 in brackets), when it is an IP address or
/// `localhost`: the endpoints the SDK's `stream-` host prefix cannot work with (see
/// [`StripStreamPrefix`]).
fn local_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, ip) = match authority.strip_prefix('[') {
        Some(v6) => {
            let inner = v6.split(']').next().unwrap_or_default();
            (&authority[..inner.len() + 2], inner)
        }
        None => {
            let h = authority.split(':').next().unwrap_or_default();
            (h, h)
        }
    };
    let local = host.eq_ignore_ascii_case("localhost") || ip.parse::<std::net::IpAddr>().is_ok();
    local.then(|| host.to_ascii_lowercase())
}

/// Sends StartLiveTail to the endpoint itself instead of `stream-<host>`.
///
/// The SDK gives StartLiveTail the host prefix `stream-` (the operation's `endpoint` trait: real AWS
/// serves Live Tail from `stream-logs.<region>.amazonaws.com`). With
/// `--endpoint-url http://127.0.0.1:PORT` or `http://localhost:PORT` (moto, LocalStack, an SSH tunnel)
/// that makes `stream-127.0.0.1` / `stream-localhost`, which no resolver knows, and the only fix
/// would be an `/etc/hosts` line, which needs root. So, for endpoints whose host is an IP address or
/// `localhost` only (IPv6 literals included), this interceptor puts the host back before the
/// request is signed. Real AWS endpoints (host names) are never touched.
#[derive(Debug)]
struct StripStreamPrefix {
    /// The endpoint's host, lower case, without port (IPv6 in brackets, as in the URI).
    host: String,
}

impl aws_sdk_cloudwatchlogs::config::Intercept for StripStreamPrefix {
    fn name(&self) -> &'static str {
        "authlogs::StripStreamPrefix"
    }

    fn modify_before_signing(
        &self,
        context: &mut aws_sdk_cloudwatchlogs::config::interceptors::BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &aws_sdk_cloudwatchlogs::config::RuntimeComponents,
        _cfg: &mut aws_sdk_cloudwatchlogs::config::ConfigBag,
    ) -> Result<(), aws_sdk_cloudwatchlogs::error::BoxError> {
        let request = context.request_mut();
        if let Some(uri) = strip_stream_prefix(request.uri(), &self.host) {
            request.set_uri(uri.as_str())?;
        }
        Ok(())
    }
}

/// `http://stream-127.0.0.1:5000/` → `http://127.0.0.1:5000/` when `host` is `127.0.0.1`; `None`
/// when the URI's host is not `stream-<host>`.
fn strip_stream_prefix(uri: &str, host: &str) -> Option<String> {
    let (scheme, rest) = uri.split_once("://")?;
    let after = rest.strip_prefix("stream-")?;
    let next = after.get(host.len()..)?;
    let same_host = after[..host.len()].eq_ignore_ascii_case(host);
    (same_host && (next.is_empty() || next.starts_with([':', '/', '?']))).then(|| format!("{scheme}://{after}"))
}

/// Which groups to read: the named ones, else those whose name contains `pattern`.
#[derive(Debug, Clone)]
pub struct GroupSelection {
    /// `--group`: read exactly these.
    pub names: Vec<String>,
    /// `--group-pattern`: else the groups whose name contains this.
    pub pattern: String,
    /// Read every group the pattern matches instead of asking which one.
    pub all: bool,
}

/// A `report` against CloudWatch, validated.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub connection: Connection,
    pub groups: GroupSelection,
    /// Window start, inclusive (epoch ms).
    pub start_ms: i64,
    /// Window end, exclusive (epoch ms).
    pub end_ms: i64,
    pub slices: u32,
    pub max_tps: f64,
    pub max_attempts: u32,
}

/// The multi-threaded async runtime the AWS SDK runs on (two workers: the calls wait, they do not compute).
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, CwError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CwError::Runtime)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ip_and_localhost_endpoints_get_the_prefix_stripped() {
        assert_eq!(local_host("http://127.0.0.1:5077"), Some("127.0.0.1".into()));
        assert_eq!(local_host("http://LocalHost:4566/"), Some("localhost".into()));
        assert_eq!(local_host("http://[::1]:5000"), Some("[::1]".into()));
        assert_eq!(local_host("http://[fe80::zz]:5000"), None);
        assert_eq!(local_host("https://user@10.0.0.2"), Some("10.0.0.2".into()));
        assert_eq!(local_host("https://logs.us-east-1.amazonaws.com"), None);
        assert_eq!(local_host("http://localstack:4566"), None);
    }

    #[test]
    fn the_stream_prefix_is_stripped_only_from_that_host() {
        assert_eq!(
            strip_stream_prefix("http://stream-127.0.0.1:5077/", "127.0.0.1").as_deref(),
            Some("http://127.0.0.1:5077/")
        );
        assert_eq!(
            strip_stream_prefix("http://stream-localhost/x?y", "localhost").as_deref(),
            Some("http://localhost/x?y")
        );
        assert_eq!(
            strip_stream_prefix("http://stream-[::1]:5000/", "[::1]").as_deref(),
            Some("http://[::1]:5000/")
        );
        assert_eq!(strip_stream_prefix("http://127.0.0.1:5077/", "127.0.0.1"), None);
        assert_eq!(strip_stream_prefix("http://stream-127.0.0.10:5077/", "127.0.0.1"), None);
        assert_eq!(
            strip_stream_prefix("https://stream-logs.us-east-1.amazonaws.com/", "localhost"),
            None
        );
    }
}
