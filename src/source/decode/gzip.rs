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

/// The compressed input. The decoder takes deflate data through `fill_buf`/`consume` and a
/// member's trailer and the next header through `read`, so what came through `read` since the last
/// deflate data is the 8-byte trailer and the header being parsed: how zero padding is told apart.
pub(crate) struct CountingBufRead<R> {
    inner: BufReader<R>,
    tracker: Arc<Tracker>,
    /// Deflate data of some member was read (the input is not a bad first header).
    body_seen: bool,
    /// Bytes delivered by `read` since the last deflate data.
    via_read: u64,
    /// Of them, the zero bytes at the end.
    zero_run: u64,
}

impl<R: Read> CountingBufRead<R> {
    pub(crate) fn new(inner: BufReader<R>, tracker: Arc<Tracker>) -> Self {
        CountingBufRead {
            inner,
            tracker,
            body_seen: false,
            via_read: 0,
            zero_run: 0,
        }
    }

    fn take(&mut self, amt: usize) {
        self.tracker.consumed.fetch_add(amt as u64, Ordering::Relaxed);
        self.inner.consume(amt);
    }

    /// After a member's trailer, the header that failed was only zero bytes and so is the rest of
    /// the input: padding (tape blocks, preallocated files), which `gzip -d` ignores too.
    fn only_zeros_left(&mut self) -> bool {
        let header = self.via_read.saturating_sub(8);
        if !self.body_seen || self.via_read < 8 || header == 0 || self.zero_run < header {
            return false;
        }
        loop {
            let rest = match self.fill_buf() {
                Ok(rest) => rest,
                Err(_) => return false,
            };
            if rest.is_empty() {
                return true;
            }
            if rest.iter().any(|&b| b != 0) {
                return false;
            }
            let n = rest.len();
            self.take(n);
        }
    }
}

impl<R: Read> Read for CountingBufRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.fill_buf()?.len().min(buf.len());
        let bytes = &self.inner.buffer()[..n];
        buf[..n].copy_from_slice(bytes);
        self.via_read += n as u64;
        self.zero_run = match bytes.iter().rposition(|&b| b != 0) {
            Some(last) => (n - 1 - last) as u64,
            None => self.zero_run + n as u64,
        };
        self.take(n);
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
        if amt > 0 {
            self.body_seen = true;
            self.via_read = 0;
            self.zero_run = 0;
        }
        self.take(amt);
    }
}

/// The members of a gzip input, one after another, ending quietly at zero padding after the last.
pub(crate) struct Members<R: Read> {
    decoder: flate2::bufread::MultiGzDecoder<CountingBufRead<R>>,
    padded: bool,
}

impl<R: Read> Members<R> {
    pub(crate) fn new(input: CountingBufRead<R>) -> Self {
        Members {
            decoder: flate2::bufread::MultiGzDecoder::new(input),
            padded: false,
        }
    }
}

impl<R: Read> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.padded {
            return Ok(0);
        }
        match self.decoder.read(buf) {
            // A header that failed (no header parsed yet for this member), of zeros only, to the end.
            Err(e)
                if matches!(e.kind(), io::ErrorKind::InvalidInput | io::ErrorKind::UnexpectedEof)
                    && self.decoder.header().is_none()
                    && self.decoder.get_mut().only_zeros_left() =>
            {
                self.padded = true;
                Ok(0)
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests;
