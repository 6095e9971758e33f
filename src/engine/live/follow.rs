//! CloudWatch Logs followed (Live Tail, or polling) as a live source: the follower runs on a
//! thread of its own and sends its events here.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::drive::{receive, LiveSink, LiveSource, Polled};
use crate::aws::CwError;
use crate::error::Error;
use crate::source::cloudwatch::{follow, FollowConfig, FollowMsg, FollowStats};
use crate::source::LogEvent;

/// The follower's thread and the channel it sends on.
pub struct FollowSource {
    rx: Receiver<FollowMsg>,
    stop: Arc<AtomicBool>,
    follower: Option<JoinHandle<()>>,
    stats: Arc<FollowStats>,
}

impl FollowSource {
    /// Starts following as `config` says.
    pub fn start(config: FollowConfig) -> Result<FollowSource, CwError> {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(FollowStats::default());
        let follower = follow(config, tx, stop.clone(), stats.clone())?;
        Ok(FollowSource {
            rx,
            stop,
            follower: Some(follower),
            stats,
        })
    }

    /// The follower's counters, for the summary.
    pub fn stats(&self) -> Arc<FollowStats> {
        self.stats.clone()
    }
}

impl LiveSource for FollowSource {
    fn next(&mut self, wait: Duration, sink: &mut dyn LiveSink) -> Polled {
        let msg = receive(&self.rx, wait);
        match msg {
            Ok(FollowMsg::Events(events)) => {
                for e in &events {
                    let event = LogEvent {
                        timestamp_ms: e.timestamp_ms,
                        stream: &e.stream,
                        message: &e.message,
                    };
                    if sink.event(&event).is_break() {
                        break;
                    }
                }
                Polled::Input
            }
            Ok(FollowMsg::Note(note)) => {
                sink.note(note);
                Polled::Other
            }
            Ok(FollowMsg::Failed(e)) => Polled::Ended(Err(Error::from(e))),
            // The follower ended by itself (its --until passed).
            Err(RecvTimeoutError::Disconnected) => Polled::Ended(Ok(())),
            Err(RecvTimeoutError::Timeout) => Polled::Quiet,
        }
    }

    fn ends_by_itself(&self) -> bool {
        false
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(follower) = self.follower.take() {
            let _ = follower.join();
        }
    }
}
