//! Gzip inputs: the inflate thread, the reader of the chunks it sends, and the count of compressed bytes read.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::Arc;

/// The first bytes of a gzip member.
pub(crate) const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

const GUNZIP_CHUNK: usize = 256 * 1024;
/// Gzip files smaller than this are inflated on the reading thread: a thread of its own costs more
/// than it overlaps for them (S3 export trees hold thousands of such files).
pub(crate) const INLINE_GZIP_BYTES: u64 = 64 * 1024;
pub(crate) const GUNZIP_CHUNKS_IN_FLIGHT: usize = 4;

/// Inflates into chunks sent in order; a read error is sent after the data before it.
pub(crate) fn gunzip(mut decoder: impl Read, tx: &SyncSender<io::Result<Vec<u8>>>) {
    loop {
        let mut chunk = vec![0u8; GUNZIP_CHUNK];
        let mut filled = 0;
        let mut failure = None;
        while filled < chunk.len() {
            match decoder.read(&mut chunk[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let end = filled < chunk.len();
        chunk.truncate(filled);
        if filled > 0 && tx.send(Ok(chunk)).is_err() {
            return;
        }
        if let Some(e) = failure {
            let _ = tx.send(Err(e));
            return;
        }
        if end {
            return;
        }
    }
}

/// Reads the chunks `gunzip` sends; ends at the sender's end, fails with its error.
pub(crate) struct ChannelReader {
    pub(crate) rx: Receiver<io::Result<Vec<u8>>>,
    pub(crate) chunk: Vec<u8>,
    pub(crate) pos: usize,
    pub(crate) done: bool,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.chunk.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => {
                    self.done = true;
                    return Ok(0);
                }
            }
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Compressed bytes handed to the gzip decoder, and whether the underlying reader itself failed
/// (an I/O error, fatal) rather than the gzip data (damage, reported and survived).
#[derive(Default)]
pub(crate) struct Tracker {
    pub(crate) consumed: AtomicU64,
    pub(crate) underlying_failed: AtomicBool,
}

pub(crate) struct CountingBufRead<R> {
    pub(crate) inner: BufReader<R>,
    pub(crate) tracker: Arc<Tracker>,
}

impl<R: Read> Read for CountingBufRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.fill_buf()?.len().min(buf.len());
        buf[..n].copy_from_slice(&self.inner.buffer()[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for CountingBufRead<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let tracker = &self.tracker;
        self.inner
            .fill_buf()
            .inspect_err(|_| tracker.underlying_failed.store(true, Ordering::Relaxed))
    }

    fn consume(&mut self, amt: usize) {
        self.tracker.consumed.fetch_add(amt as u64, Ordering::Relaxed);
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests;
