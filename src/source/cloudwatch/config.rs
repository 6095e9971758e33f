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
    Ok(Client {
        logs: aws_sdk_cloudwatchlogs::Client::new(&config),
        region,
        profile,
        endpoint: config.endpoint_url().map(str::to_string),
    })
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
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, CwError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(CwError::Runtime)
}
