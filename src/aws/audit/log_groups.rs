//! CloudWatch Logs: whether a function's log group exists, and how long it keeps events.

use crate::audit::LogGroupConfig;
use crate::aws::call::{Failure, Shared};
use crate::aws::config::Client;
use crate::aws::groups::find_group;

/// The group named `name`: whether it exists, and its retention.
pub(crate) async fn log_group(client: &Client, shared: &Shared, name: &str) -> Result<LogGroupConfig, Failure> {
    let found = find_group(client, shared, 30, name).await?;
    Ok(LogGroupConfig {
        name: name.to_string(),
        exists: found.is_some(),
        retention_days: found.and_then(|g| g.retention_in_days),
    })
}
