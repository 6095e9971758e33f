//! `tail` from CloudWatch Logs: the follower (Live Tail, or polling) runs on its own thread and
//! sends its events here, where they go through the pipeline while this thread keeps the clock.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Instant;

use super::{Bounds, Feed, TICK};
use crate::cli::{TailConfig, TailSource};
use crate::error::Error;
use crate::render::live::TailSummary;
use crate::source::cloudwatch::{follow, FollowConfig, FollowMode, FollowMsg, FollowStats, GroupSelection};
use crate::source::{EventSink, LogEvent};

/// How `tail`'s CloudWatch source follows `groups` (the authorizer's, or the access log's with no
/// filter pattern); `None` when the source is not CloudWatch.
pub(super) fn follow_config(
    config: &TailConfig,
    groups: GroupSelection,
    filter_pattern: Option<String>,
) -> Option<FollowConfig> {
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
    Some(FollowConfig {
        connection: connection.clone(),
        groups,
        mode: if *poll { FollowMode::Poll } else { FollowMode::Live },
        start_ms: config.start_ms,
        end_ms: config.end_ms,
        interval: config.interval,
        overlap: config.overlap,
        filter_pattern,
        max_tps: *max_tps,
        max_attempts: *max_attempts,
    })
}

/// Follows the configured groups until a bound is reached or the follower fails.
pub(super) fn run(
    config: &TailConfig,
    feed: &mut Feed<'_, '_, '_>,
    err: &mut dyn Write,
    interrupted: &AtomicBool,
    summary: &mut TailSummary,
) -> Result<(), Error> {
    let TailSource::CloudWatch { groups, .. } = &config.source else {
        return Ok(());
    };
    let Some(follow_config) = follow_config(config, groups.clone(), config.filter_pattern.clone()) else {
        return Ok(());
    };
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let stats = Arc::new(FollowStats::default());
    let follower = follow(follow_config, tx, stop.clone(), stats.clone())?;
    let mut bounds = Bounds::start(config, interrupted, feed);
    let result = loop {
        match rx.recv_timeout(TICK) {
            Ok(FollowMsg::Events(events)) => {
                bounds.last_event = Instant::now();
                for e in &events {
                    let flow = feed.event(&LogEvent {
                        timestamp_ms: e.timestamp_ms,
                        stream: &e.stream,
                        message: &e.message,
                    });
                    if flow.is_break() {
                        break;
                    }
                }
            }
            Ok(FollowMsg::Note(note)) => {
                let _ = writeln!(err, "{note}");
            }
            Ok(FollowMsg::Failed(e)) => break Err(Error::from(e)),
            // The follower ended by itself (its --until passed).
            Err(RecvTimeoutError::Disconnected) => break Ok(()),
            Err(RecvTimeoutError::Timeout) => {}
        }
        if bounds.tick(feed) {
            break Ok(());
        }
    };
    stop.store(true, Ordering::Relaxed);
    let _ = follower.join();
    summary.reconnects = FollowStats::get(&stats.reconnects);
    summary.sampled_seconds = FollowStats::get(&stats.sampled_seconds);
    result
}
