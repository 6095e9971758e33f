//! How much a window holds, from DescribeLogGroups (stored bytes, age, retention): what `--engine
//! auto` and `--explain` decide and show before a query is run.

use std::io::Write;

use super::plan::{window_bytes, GroupVolume};
use crate::aws::Shared;
use crate::aws::{client, runtime, FetchConfig};
use crate::aws::{describe_groups, resolve_groups};
use crate::aws::{esc, to_error, Context, CwError};

/// The groups a window reads and about how many bytes of them it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowEstimate {
    pub groups: Vec<String>,
    /// Stored bytes of the window (spread evenly over what each group keeps).
    pub bytes: f64,
    /// Each group's stored size, age and retention, to estimate any range of the window (a
    /// plan's slices with their margins).
    pub volumes: Vec<GroupVolume>,
    /// The connection's region (its price per GB scanned).
    pub region: String,
}

/// Resolves the groups (telling `notes` as a report does) and estimates the window's bytes.
pub fn estimate_window(fetch: &FetchConfig, now_ms: i64, notes: &mut dyn Write) -> Result<WindowEstimate, CwError> {
    let rt = runtime()?;
    rt.block_on(async {
        let shared = Shared::new(fetch.max_tps, fetch.max_attempts);
        let client = client(&fetch.connection).await?;
        let groups = resolve_groups(&client, &shared, &fetch.groups, notes).await?;
        let ctx = Context {
            operation: "logs:DescribeLogGroups",
            group: None,
            client: &client,
            coverage: None,
        };
        let mut volumes = Vec::with_capacity(groups.len());
        for name in &groups {
            let found = describe_groups(&client, &shared, name)
                .await
                .map_err(|f| to_error(f, &ctx))?;
            let Some(g) = found.iter().find(|g| &g.name == name) else {
                return Err(CwError::GroupNotFound {
                    group: esc(name),
                    region: esc(&client.region),
                    profile: esc(&client.profile),
                });
            };
            volumes.push(GroupVolume {
                stored_bytes: g.stored_bytes.unwrap_or(0),
                created_ms: g.created_ms,
                retention_days: g.retention_days,
            });
        }
        Ok(WindowEstimate {
            bytes: window_bytes(&volumes, fetch.start_ms, fetch.end_ms, now_ms),
            groups,
            volumes,
            region: client.region.clone(),
        })
    })
}
