//! Log group discovery by name pattern, and the facts `authlogs groups` lists about each group.

use aws_sdk_cloudwatchlogs::types::OrderBy;
use serde::Serialize;

use super::call::{call, Failure, Shared};
use super::config::Client;

/// The default `--group-pattern`: the seed authorizer's function name.
pub const DEFAULT_PATTERN: &str = "agw-access-permission";

/// One log group as `authlogs groups` shows it. Times are epoch ms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupInfo {
    pub name: String,
    pub stored_bytes: Option<i64>,
    pub retention_days: Option<i32>,
    pub created: Option<String>,
    pub newest_event: Option<String>,
    #[serde(skip)]
    pub created_ms: Option<i64>,
    #[serde(skip)]
    pub newest_event_ms: Option<i64>,
}

/// Whether a group name matches the pattern: a case-insensitive substring, as DescribeLogGroups'
/// `logGroupNamePattern` does. Checked here too because not every server applies the pattern.
pub fn matches(name: &str, pattern: &str) -> bool {
    name.to_lowercase().contains(&pattern.to_lowercase())
}

/// Names and facts of every group whose name contains `pattern` (all groups when it is empty).
pub async fn describe_groups(client: &Client, shared: &Shared, pattern: &str) -> Result<Vec<GroupInfo>, Failure> {
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = call(shared, 0, || {
            let mut req = client.logs.describe_log_groups().set_next_token(token.clone());
            if !pattern.is_empty() {
                req = req.log_group_name_pattern(pattern);
            }
            req.send()
        })
        .await?;
        for g in out.log_groups.unwrap_or_default() {
            let Some(name) = g.log_group_name else { continue };
            if matches(&name, pattern) {
                found.push(GroupInfo {
                    name,
                    stored_bytes: g.stored_bytes,
                    retention_days: g.retention_in_days,
                    created: None,
                    newest_event: None,
                    created_ms: g.creation_time,
                    newest_event_ms: None,
                });
            }
        }
        match out.next_token {
            Some(t) if Some(&t) != token.as_ref() => token = Some(t),
            _ => break,
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// The newest event time of a group: its stream with the latest event, one DescribeLogStreams call.
pub async fn newest_event(client: &Client, shared: &Shared, group: &str) -> Result<Option<i64>, Failure> {
    let out = call(shared, 1, || {
        client
            .logs
            .describe_log_streams()
            .log_group_name(group)
            .order_by(OrderBy::LastEventTime)
            .descending(true)
            .limit(1)
            .send()
    })
    .await?;
    Ok(out
        .log_streams
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.last_event_timestamp.or(s.last_ingestion_time))
        .max())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_is_a_case_insensitive_substring() {
        assert!(matches("/aws/lambda/agw-access-permission-prod", DEFAULT_PATTERN));
        assert!(matches("/aws/lambda/AGW-Access-Permission", DEFAULT_PATTERN));
        assert!(!matches("/aws/lambda/other", DEFAULT_PATTERN));
        assert!(matches("/anything", ""));
    }
}
