//! A live stream as a live source: standard input or a file (followed or not), read on a
//! thread of its own, its chunks decoded into events by [`LiveStream`].

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::drive::{receive, LiveSink, LiveSource, Polled};
use crate::error::Error;
use crate::source::file::{open_error, SourceError};
use crate::source::stream::{spawn_reader, LiveStream, StreamInput, StreamMsg, CHUNKS_IN_FLIGHT};
use crate::source::ReadOptions;

/// A stream being read: its reader thread, and the decoder of what it sends.
pub struct StreamSource {
    rx: Receiver<StreamMsg>,
    live: LiveStream,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    name: String,
    /// A file that is followed never ends by itself.
    follow: bool,
    ended: bool,
}

impl StreamSource {
    /// Starts reading `input` with `read`; fails when a file cannot be opened.
    pub fn open(input: StreamInput, read: ReadOptions) -> Result<StreamSource, SourceError> {
        let (tx, rx) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
        let stop = Arc::new(AtomicBool::new(false));
        let name = input.name();
        let follow = matches!(input, StreamInput::File { follow: true, .. });
        let reader = spawn_reader(input, tx, stop.clone()).map_err(|e| open_error(Path::new(&name), e))?;
        Ok(StreamSource {
            rx,
            live: LiveStream::new(name.clone(), read),
            stop,
            reader: Some(reader),
            name,
            follow,
            ended: false,
        })
    }
}

impl LiveSource for StreamSource {
    fn next(&mut self, wait: Duration, sink: &mut dyn LiveSink) -> Polled {
        if self.ended {
            return Polled::Ended(Ok(()));
        }
        let msg = receive(&self.rx, wait);
        let polled = match msg {
            Ok(StreamMsg::Chunk(bytes)) => {
                self.live.push(&bytes, sink);
                Polled::Input
            }
            Ok(StreamMsg::End) | Err(RecvTimeoutError::Disconnected) => {
                self.ended = true;
                return Polled::Ended(self.live.end(sink).map_err(Error::from));
            }
            Ok(StreamMsg::Failed(e)) => {
                self.ended = true;
                let _ = self.live.end(sink);
                let path = self.name.clone();
                return Polled::Ended(Err(Error::from(SourceError::Io { path, source: e })));
            }
            // Quiet: what a container held open for continuation lines is complete now.
            Err(RecvTimeoutError::Timeout) => {
                self.live.idle(sink);
                Polled::Quiet
            }
        };
        self.live.drain(sink);
        polled
    }

    fn ends_by_itself(&self) -> bool {
        !self.follow
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        // Standard input may wait forever in `read`: that thread is left to end with the process.
        if let Some(reader) = self.reader.take_if(|r| r.is_finished()) {
            let _ = reader.join();
        }
    }
}
