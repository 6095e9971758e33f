//! CloudWatch Logs: whether a function's log group exists, and how long it keeps events.

use crate::audit::LogGroupConfig;
use crate::aws::call::{call, Failure, Shared};
use crate::aws::config::Client;
use crate::aws::paging::Pages;

/// The group named `name` (DescribeLogGroups by prefix, the exact name picked out of the pages).
pub(crate) async fn log_group(client: &Client, shared: &Shared, name: &str) -> Result<LogGroupConfig, Failure> {
    let mut token: Option<String> = None;
    let mut pages = Pages::default();
    loop {
        let out = call(shared, 30, || {
            client
                .logs
                .describe_log_groups()
                .log_group_name_prefix(name)
                .set_next_token(token.clone())
                .send()
        })
        .await?;
        let found = out
            .log_groups
            .unwrap_or_default()
            .into_iter()
            .find(|g| g.log_group_name.as_deref() == Some(name));
        if let Some(g) = found {
            return Ok(LogGroupConfig {
                name: name.to_string(),
                exists: true,
                retention_days: g.retention_in_days,
            });
        }
        token = pages.follow(out.next_token)?;
        if token.is_none() {
            return Ok(LogGroupConfig {
                name: name.to_string(),
                exists: false,
                retention_days: None,
            });
        }
    }
}
