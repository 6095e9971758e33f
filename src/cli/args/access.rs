//! The access-log join's options both commands share: `--access-log-group`, `--access-log-fields`
//! and `--join-window` (each command declares `--access-logs`, which it reads its own way).

use clap::Args;

use super::span;
use crate::access::AccessFields;
use crate::error::Error;

/// The access-log join. Worded for `report`; `tail` words its own (see `tail.rs`).
#[derive(Debug, Clone, Args)]
pub struct AccessArgs {
    /// The log group of the API's access logs, read over the same window (needs --since).
    #[arg(long, value_name = "NAME", help_heading = "Access logs")]
    pub access_log_group: Option<String>,
    /// The JSON keys of your access-log format: FIELD=KEY pairs (ip=sourceIp,status=httpStatus)
    /// or a TOML file with a [fields] table [default: AWS's example names].
    #[arg(long, value_name = "SPEC|FILE", help_heading = "Access logs")]
    pub access_log_fields: Option<String>,
    /// How long after an API request its authorizer invocation may start, when the authorizer
    /// does not log the API request id and requests are matched by source IP and time.
    #[arg(long, value_name = "DURATION", default_value = "10s", help_heading = "Access logs")]
    pub join_window: String,
}

/// Where the access logs come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AccessFrom<F> {
    /// What the command took with `--access-logs`.
    Files(F),
    /// `--access-log-group`.
    Group(String),
}

/// A validated access-log join.
#[derive(Debug, Clone)]
pub(crate) struct AccessJoin<F> {
    /// Where the access logs come from.
    pub(crate) from: AccessFrom<F>,
    /// The JSON keys of the format.
    pub(crate) fields: AccessFields,
    /// `--join-window`, in ms.
    pub(crate) window_ms: u64,
}

impl AccessArgs {
    /// The join, given the command's `--access-logs` (`None` when not given); `None` without
    /// access logs.
    pub(crate) fn validate<F>(&self, files: Option<F>) -> Result<Option<AccessJoin<F>>, Error> {
        let from = match (files, &self.access_log_group) {
            (None, None) if self.access_log_fields.is_some() => {
                return Err(Error::Usage(
                    "--access-log-fields names the keys of access logs: pass --access-logs FILE or --access-log-group NAME too".into(),
                ))
            }
            (None, None) => return Ok(None),
            (Some(_), Some(_)) => {
                return Err(Error::Usage(
                    "--access-logs and --access-log-group both name the access logs: pass one".into(),
                ))
            }
            (Some(files), None) => AccessFrom::Files(files),
            (None, Some(group)) => AccessFrom::Group(group.clone()),
        };
        let fields = match &self.access_log_fields {
            Some(arg) => AccessFields::from_arg(arg).map_err(|e| Error::Usage(format!("--access-log-fields: {e}")))?,
            None => AccessFields::default(),
        };
        let window_ms = span("--join-window", &self.join_window)?;
        if !(1..=60_000).contains(&window_ms) {
            return Err(Error::Usage(
                "--join-window must be between 1ms and 60s (API Gateway gives an authorizer 10 s)".into(),
            ));
        }
        Ok(Some(AccessJoin {
            from,
            fields,
            window_ms: window_ms.unsigned_abs(),
        }))
    }
}

#[cfg(test)]
mod tests;
