//! `--since` and `--until`: the window of time a command reads, checked against each other.

use clap::Args;

use crate::error::Error;
use crate::timeutil::parse_time_arg;

/// The window of time to read. Worded for `report`; `tail` words its own (see `tail.rs`).
#[derive(Debug, Clone, Args)]
pub struct WindowArgs {
    /// Only events at or after this time: 30m, 6h, 1d, 2w, 2h30m (back from now) or ISO 8601.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only events before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
}

/// A validated window, in epoch ms; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// `--since`.
    pub(crate) since_ms: Option<i64>,
    /// `--until`.
    pub(crate) until_ms: Option<i64>,
}

impl WindowArgs {
    /// Both ends resolved against `now_ms` (which anchors relative times), the start before the end.
    pub(crate) fn validate(&self, now_ms: i64) -> Result<Window, Error> {
        let time = |v: &Option<String>| {
            v.as_deref()
                .map(|s| parse_time_arg(s, now_ms))
                .transpose()
                .map_err(Error::Usage)
        };
        let since_ms = time(&self.since)?;
        let until_ms = time(&self.until)?;
        if let (Some(s), Some(u)) = (since_ms, until_ms) {
            if s >= u {
                return Err(Error::Usage("--since must be earlier than --until".into()));
            }
        }
        Ok(Window { since_ms, until_ms })
    }
}

#[cfg(test)]
mod tests;
