//! Log group discovery by name pattern, and the facts `authlogs groups` lists about each group.

use aws_sdk_cloudwatchlogs::types::OrderBy;
use serde::Serialize;

use std::io::Write;

use super::call::{call, Failure, Shared};
use super::config::{self, runtime, Client, Connection, GroupSelection};
use super::error::{esc, to_error, Context, CwError};
use super::paging::Pages;
use super::retry::RetryPolicy;

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

/// The most log groups one run reads (`--all-groups`, or asking which one): each group costs
/// FilterLogEvents calls at the one shared rate limit (5 requests/s by default), so 1,000 groups
/// already take minutes before any event is read. Discovery stops paging once it has seen one more,
/// which bounds its memory and time whatever the account holds.
pub const MAX_GROUPS: usize = 1_000;

/// How many names the "several groups" error lists before the count of the others.
const SHOWN_NAMES: usize = 10;

/// Names and facts of every group whose name contains `pattern` (all groups when it is empty).
pub async fn describe_groups(client: &Client, shared: &Shared, pattern: &str) -> Result<Vec<GroupInfo>, Failure> {
    Ok(describe_groups_upto(client, shared, pattern, usize::MAX).await?.0)
}

/// Like [`describe_groups`], but stops paging as soon as more than `cap` groups matched: the
/// groups found so far (at most `cap + 1`), and whether there were more than `cap`.
pub(crate) async fn describe_groups_upto(
    client: &Client,
    shared: &Shared,
    pattern: &str,
    cap: usize,
) -> Result<(Vec<GroupInfo>, bool), Failure> {
    let mut found = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = Pages::default();
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
        if found.len() > cap {
            break;
        }
        token = pages.follow(out.next_token)?;
        if token.is_none() {
            break;
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    let more = found.len() > cap;
    Ok((found, more))
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

/// Lists the groups whose name contains `pattern`, with their newest event time.
pub fn list_groups(connection: &Connection, pattern: &str, max_tps: f64) -> Result<Vec<GroupInfo>, CwError> {
    let rt = runtime()?;
    rt.block_on(async {
        let client = config::client(connection).await?;
        let shared = Shared::new(max_tps, RetryPolicy::default().max_attempts);
        let ctx = Context {
            operation: "logs:DescribeLogGroups",
            group: None,
            client: &client,
            coverage: None,
        };
        let mut found = describe_groups(&client, &shared, pattern)
            .await
            .map_err(|f| to_error(f, &ctx))?;
        for g in &mut found {
            let ctx = Context {
                operation: "logs:DescribeLogStreams",
                group: Some(&g.name),
                client: &client,
                coverage: None,
            };
            g.newest_event_ms = newest_event(&client, &shared, &g.name)
                .await
                .map_err(|f| to_error(f, &ctx))?;
            g.created = g.created_ms.map(crate::timeutil::format_rfc3339_ms);
            g.newest_event = g.newest_event_ms.map(crate::timeutil::format_rfc3339_ms);
        }
        Ok(found)
    })
}

/// Resolves which groups to read; tells `notes` when it picked the only match by itself.
pub(crate) async fn resolve_groups(
    client: &config::Client,
    shared: &Shared,
    selection: &GroupSelection,
    notes: &mut dyn Write,
) -> Result<Vec<String>, CwError> {
    if !selection.names.is_empty() {
        let mut names = selection.names.clone();
        names.dedup();
        return Ok(names);
    }
    let ctx = Context {
        operation: "logs:DescribeLogGroups",
        group: None,
        client,
        coverage: None,
    };
    let (found, more) = describe_groups_upto(client, shared, &selection.pattern, MAX_GROUPS)
        .await
        .map_err(|f| to_error(f, &ctx))?;
    let names: Vec<String> = found.into_iter().map(|g| g.name).collect();
    let pattern = esc(&selection.pattern);
    if more {
        return Err(CwError::TooManyGroups {
            pattern,
            max: MAX_GROUPS,
            names: names
                .iter()
                .take(SHOWN_NAMES)
                .map(|s| esc(s))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    match names.len() {
        0 => Err(CwError::NoGroups {
            pattern,
            region: esc(&client.region),
            profile: esc(&client.profile),
        }),
        1 => {
            let _ = writeln!(
                notes,
                "authlogs: reading log group {} (the only one containing '{pattern}')",
                esc(&names[0]),
            );
            Ok(names)
        }
        n if selection.all => {
            let _ = writeln!(notes, "authlogs: reading {n} log groups containing '{pattern}'");
            Ok(names)
        }
        n => Err(CwError::SeveralGroups {
            pattern,
            count: n,
            names: first_names(&names),
        }),
    }
}

/// The first few names, escaped, and how many others there are: an error line stays short
/// however many groups matched.
fn first_names(names: &[String]) -> String {
    let mut shown = names
        .iter()
        .take(SHOWN_NAMES)
        .map(|s| esc(s))
        .collect::<Vec<_>>()
        .join(", ");
    let others = names.len().saturating_sub(SHOWN_NAMES);
    if others > 0 {
        shown.push_str(&format!(" and {others} more"));
    }
    shown
}

/// The group named exactly `name`, if it exists: DescribeLogGroups by prefix, the exact name picked
/// out of the pages (`salt` spreads the retries' jitter of concurrent callers).
pub(crate) async fn find_group(
    client: &Client,
    shared: &Shared,
    salt: u64,
    name: &str,
) -> Result<Option<aws_sdk_cloudwatchlogs::types::LogGroup>, Failure> {
    let mut token: Option<String> = None;
    let mut pages = Pages::default();
    loop {
        let out = call(shared, salt, || {
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
        if found.is_some() {
            return Ok(found);
        }
        token = pages.follow(out.next_token)?;
        if token.is_none() {
            return Ok(None);
        }
    }
}

/// The ARN StartLiveTail takes for each group: DescribeLogGroups' `logGroupArn`, which is the `arn`
/// field without its trailing `:*`. One call (or a few pages) per group, found by name prefix.
pub(crate) async fn group_arns(client: &Client, shared: &Shared, names: &[String]) -> Result<Vec<String>, CwError> {
    let mut arns = Vec::with_capacity(names.len());
    for name in names {
        let ctx = Context {
            operation: "logs:DescribeLogGroups",
            group: Some(name),
            client,
            coverage: None,
        };
        let arn = find_group(client, shared, 2, name)
            .await
            .map_err(|f| to_error(f, &ctx))?
            // A server that gives no ARN at all gets the name: StartLiveTail may take it.
            .map(|g| {
                g.log_group_arn
                    .or_else(|| g.arn.map(|a| a.trim_end_matches(":*").to_string()))
                    .unwrap_or_else(|| name.clone())
            });
        let Some(arn) = arn else {
            return Err(to_error(
                Failure::Service {
                    code: "ResourceNotFoundException".into(),
                    message: String::new(),
                    status: 400,
                },
                &ctx,
            ));
        };
        arns.push(arn);
    }
    Ok(arns)
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
