//! What `tail` reads, as live sources: the authorizer's log (standard input, a file, or
//! CloudWatch followed by Live Tail or polling) and the access log (a file, or a log group).

use std::sync::Arc;

use crate::aws::{Connection, GroupSelection};
use crate::cli::{TailAccess, TailAccessSource, TailConfig, TailSource};
use crate::engine::live::{FollowSource, LiveSource, StreamSource};
use crate::error::Error;
use crate::source::cloudwatch::{FollowConfig, FollowMode, FollowStats};
use crate::source::stream::StreamInput;
use crate::source::{InputFormat, ReadOptions};

/// How `tail` reaches CloudWatch, when its source is CloudWatch.
struct CloudWatch<'c> {
    config: &'c TailConfig,
    connection: &'c Connection,
    poll: bool,
    max_attempts: u32,
    max_tps: f64,
}

impl<'c> CloudWatch<'c> {
    /// `None` when the source is not CloudWatch.
    fn of(config: &'c TailConfig) -> Option<CloudWatch<'c>> {
        let TailSource::CloudWatch {
            connection,
            poll,
            max_attempts,
            max_tps,
            ..
        } = &config.source
        else {
            return None;
        };
        Some(CloudWatch {
            config,
            connection,
            poll: *poll,
            max_attempts: *max_attempts,
            max_tps: *max_tps,
        })
    }

    /// How to follow `groups` (the authorizer's, or the access log's with no filter pattern).
    fn follow(&self, groups: GroupSelection, filter_pattern: Option<String>) -> FollowConfig {
        let config = self.config;
        FollowConfig {
            connection: self.connection.clone(),
            groups,
            mode: if self.poll { FollowMode::Poll } else { FollowMode::Live },
            start_ms: config.start_ms,
            end_ms: config.end_ms,
            interval: config.interval,
            overlap: config.overlap,
            filter_pattern,
            max_tps: self.max_tps,
            max_attempts: self.max_attempts,
        }
    }
}

/// The authorizer's log, being read.
pub(super) struct Authorizer {
    /// Its source.
    pub(super) source: Box<dyn LiveSource>,
    /// The follower's counters, when it is CloudWatch.
    pub(super) stats: Option<Arc<FollowStats>>,
}

/// Starts reading the authorizer's log.
pub(super) fn authorizer(config: &TailConfig) -> Result<Authorizer, Error> {
    let input = match &config.source {
        TailSource::Stdin => StreamInput::Stdin,
        TailSource::File { path, follow } => StreamInput::File {
            path: path.clone(),
            follow: *follow,
        },
        TailSource::CloudWatch {
            connection,
            groups,
            poll,
            max_attempts,
            max_tps,
        } => {
            let cloudwatch = CloudWatch {
                config,
                connection,
                poll: *poll,
                max_attempts: *max_attempts,
                max_tps: *max_tps,
            };
            let source = FollowSource::start(cloudwatch.follow(groups.clone(), config.filter_pattern.clone()))?;
            let stats = source.stats();
            return Ok(Authorizer {
                source: Box::new(source),
                stats: Some(stats),
            });
        }
    };
    Ok(Authorizer {
        source: Box::new(StreamSource::open(input, config.read)?),
        stats: None,
    })
}

/// The access log, being read: a file in any container, or a log group followed with no filter
/// pattern.
pub(super) fn access_log(config: &TailConfig, access: &TailAccess) -> Result<Box<dyn LiveSource>, Error> {
    match &access.source {
        TailAccessSource::File { path, follow } => {
            let input = StreamInput::File {
                path: path.clone(),
                follow: *follow,
            };
            let read = ReadOptions::new(InputFormat::Auto).with_max_line_bytes(config.read.max_line_bytes);
            Ok(Box::new(StreamSource::open(input, read)?))
        }
        TailAccessSource::Group(group) => {
            let groups = GroupSelection {
                names: vec![group.clone()],
                pattern: String::new(),
                all: false,
            };
            let cloudwatch = CloudWatch::of(config).ok_or_else(|| {
                Error::Usage("--access-log-group follows CloudWatch: pass it without FILE or -".into())
            })?;
            Ok(Box::new(FollowSource::start(cloudwatch.follow(groups, None))?))
        }
    }
}
