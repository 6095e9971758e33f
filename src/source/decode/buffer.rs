//! The line buffer: whole lines without copying, checked as UTF-8 a buffer at a time, buffers reused per thread.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io::{self, Read};

use super::CHUNK;
use crate::redact::INVALID_BYTES;
use crate::source::{char_floor, Oversized, DEFAULT_MAX_LINE_BYTES};

/// A growable read buffer that hands out whole lines without copying, and also serves as a
/// `Read` for the JSON deserializer after the detection sample has been taken from it.
pub(crate) struct Buffered<R> {
    src: R,
    buf: Vec<u8>,
    pub(crate) start: usize,
    end: usize,
    /// Bytes of the source before `buf[0]`.
    pub(crate) discarded: u64,
    pub(crate) eof: bool,
    pub(crate) error: Option<io::Error>,
    /// Lines longer than this are cut: their head is handed out, the rest skipped unbuffered.
    max_line: usize,
    /// The bytes up to the next `\n` are the tail of a cut line (or of a line a range does not own).
    pub(crate) skipping: bool,
    /// Skipping stops here (a byte range's end), as if the input ended.
    pub(crate) skip_limit: u64,
    /// The lines cut so far.
    pub(crate) oversized: Oversized,
    /// A `\n` has been seen: from then on a `\r` not followed by `\n` is part of its line (Lambda
    /// joins the lines of one message with `\r`), not a line end as in an input of `\r` ends.
    pub(crate) lf_seen: bool,
}

thread_local! {
    /// Read buffers of inputs already read, for the next ones: a new one costs zeroing `CHUNK`
    /// bytes, which for a tree of small files (an S3 export) cost more than reading them.
    static SPARE_BUFFERS: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// Spare buffers a thread keeps (an input can wrap another: UTF-16 over bytes).
const SPARE_BUFFERS_KEPT: usize = 2;

impl<R> Drop for Buffered<R> {
    fn drop(&mut self) {
        // Only buffers of the usual size: one grown for a long line is let go.
        if self.buf.len() == CHUNK {
            let buf = std::mem::take(&mut self.buf);
            let _ = SPARE_BUFFERS.try_with(|spare| {
                if let Ok(mut spare) = spare.try_borrow_mut() {
                    if spare.len() < SPARE_BUFFERS_KEPT {
                        spare.push(buf);
                    }
                }
            });
        }
    }
}

impl<R: Read> Buffered<R> {
    pub(crate) fn new(src: R) -> Self {
        let spare = SPARE_BUFFERS
            .try_with(|spare| spare.try_borrow_mut().ok().and_then(|mut s| s.pop()))
            .ok()
            .flatten();
        Buffered {
            src,
            // Its old bytes are never read: only `buf[start..end]` holds data.
            buf: spare.unwrap_or_else(|| vec![0; CHUNK]),
            start: 0,
            end: 0,
            discarded: 0,
            eof: false,
            error: None,
            max_line: DEFAULT_MAX_LINE_BYTES,
            skipping: false,
            skip_limit: u64::MAX,
            oversized: Oversized::default(),
            lf_seen: false,
        }
    }

    /// Cuts lines longer than `max` bytes (at least 1).
    pub(crate) fn set_max_line(&mut self, max: usize) {
        self.max_line = max.max(1);
    }

    /// Reads more bytes after `end`, compacting or growing the buffer when it is full.
    fn fill_more(&mut self) {
        if self.eof {
            return;
        }
        if self.end == self.buf.len() {
            if self.start > 0 {
                self.compact();
            }
            if self.end == self.buf.len() {
                let grown = self.buf.len() * 2;
                self.buf.resize(grown, 0);
            }
        }
        loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.eof = true;
                    self.error = Some(e);
                }
            }
            return;
        }
    }

    fn compact(&mut self) {
        self.buf.copy_within(self.start..self.end, 0);
        self.discarded += self.start as u64;
        self.end -= self.start;
        self.start = 0;
    }

    /// Reads more after a scan found no line end: moving the unread bytes to the front first when the
    /// buffer is full or has little room left after them.
    fn read_more(&mut self) {
        if self.end == self.buf.len() || self.start > 0 && self.buf.len() - self.end < CHUNK / 4 {
            self.compact();
        }
        self.fill_more();
    }

    /// Buffers the detection sample: at least 64 KiB and a few complete lines, at most 4 MiB.
    pub(crate) fn fill_sample(&mut self) {
        const MIN: usize = 64 * 1024;
        const MAX: usize = 4 * 1024 * 1024;
        while !self.eof && self.end - self.start < MAX {
            let have = &self.buf[self.start..self.end];
            if have.len() >= MIN && memchr::memchr_iter(b'\n', have).nth(7).is_some() {
                break;
            }
            self.fill_more();
        }
        if self.buf[self.start..self.end].starts_with(b"\xEF\xBB\xBF") {
            self.start += 3;
        }
    }

    pub(crate) fn sample(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Calls `each(line, valid, cut, offset, rest, eof)` on every line in turn (without its `\n`
    /// and a trailing `\r`; `offset` is the line's position in the source, `rest` the bytes
    /// buffered after it, all that is left when `eof`) until it returns `None`; `Some(n)` skips `n`
    /// bytes of `rest`. Lines are checked as UTF-8 a buffer at a time, not one by one (`valid`
    /// false: the line was not UTF-8 and was decoded lossily). A line over the cap comes as its head
    /// (`cut`), already counted in `oversized`.
    // Inlined into each reader (it is generic over the line callback): called from other modules,
    // the compiler left it out of line, at a measurable cost per line (docs/performance.md).
    #[inline]
    pub(crate) fn for_each_line(&mut self, mut each: impl FnMut(&str, bool, bool, u64, &[u8], bool) -> Option<usize>) {
        while let Some((from, to, cut)) = self.complete_lines() {
            let (buf, end, eof, base, max) = (&self.buf, self.end, self.eof, self.discarded, self.max_line);
            let chunk = &buf[from..to];
            let text = simdutf8::basic::from_utf8(chunk).ok();
            // Only a span longer than the cap can hold a line longer than it: one test per span.
            let may_cut = chunk.len() > max;
            // A `\r` alone ends a line only in an input of `\r` ends (old Mac tools, some exports):
            // decided once for the input, on its first span holding a `\n` (the detection sample's),
            // so an input of `\n` ends keeps the one-`memchr`-per-line loop and its `\r` as content.
            if !self.lf_seen {
                self.lf_seen = memchr::memchr(b'\n', chunk).is_some();
            }
            let lone_cr = !self.lf_seen && has_lone_cr(chunk);
            let mut pos = 0;
            while pos < chunk.len() {
                let (mut line_end, next) = if lone_cr {
                    next_break(chunk, pos)
                } else {
                    let nl = memchr::memchr(b'\n', &chunk[pos..]).map_or(chunk.len(), |i| pos + i);
                    let cr = usize::from(nl > pos && chunk[nl - 1] == b'\r');
                    (nl - cr, nl + 1)
                };
                let at = base + (from + pos) as u64;
                // A long line that fits the buffer whole is cut all the same, so the cap means one
                // thing whatever the buffer holds.
                let cut_here = may_cut && line_end - pos > max;
                if cut_here {
                    line_end = pos + char_floor(&chunk[pos..line_end], max);
                    self.oversized.note(at);
                }
                // Every cut is next to an ASCII byte or at a character boundary, so the slice is at char boundaries.
                let (line, valid) = match text.and_then(|t| t.get(pos..line_end)) {
                    Some(line) => (Cow::Borrowed(line), true),
                    None => decode_line(&chunk[pos..line_end]),
                };
                pos = next.min(chunk.len());
                // The bytes after a cut head are the rest of its line, not lines to look ahead at.
                let (rest, eof) = if cut {
                    (&[][..], false)
                } else {
                    (&buf[from + pos..end], eof)
                };
                match each(&line, valid, cut || cut_here, at, rest, eof) {
                    Some(skip) => pos += skip.min(rest.len()),
                    None => {
                        self.start = from + pos;
                        return;
                    }
                }
            }
            self.start = (from + pos).min(self.end);
        }
    }

    /// The position in the source of the next byte to read.
    pub(crate) fn position(&self) -> u64 {
        self.discarded + self.start as u64
    }

    /// Discards the rest of a JSON string without buffering it: up to (not through) its closing
    /// quote, escapes honoured (`escape`: the byte before was a backslash), or to the end of input.
    pub(crate) fn skip_json_string(&mut self, mut escape: bool) {
        loop {
            let hay = &self.buf[self.start..self.end];
            let mut at = 0;
            if escape && !hay.is_empty() {
                escape = false;
                at = 1;
            }
            while let Some(i) = memchr::memchr2(b'"', b'\\', &hay[at..]) {
                let found = at + i;
                if hay[found] == b'"' {
                    self.start += found;
                    return;
                }
                at = found + 2;
                if at > hay.len() {
                    escape = true;
                    break;
                }
            }
            self.discarded += self.end as u64;
            self.start = 0;
            self.end = 0;
            if self.eof {
                return;
            }
            self.fill_more();
        }
    }

    /// The span of `buf` holding the complete lines buffered (through the last `\n`, or all that is
    /// left at the end of input), reading first when there is none; `None` at the end. A line
    /// reaching `max_line` bytes without its `\n` comes alone and cut (`true`): its tail is skipped.
    fn complete_lines(&mut self) -> Option<(usize, usize, bool)> {
        let mut scanned = 0;
        loop {
            if self.skipping && !self.skip_rest() {
                return None;
            }
            let from = self.start;
            if let Some(i) = memchr::memrchr(b'\n', &self.buf[from + scanned..self.end]) {
                return Some((from, from + scanned + i + 1, false));
            }
            // No `\n`: in an input without one so far, lines may end in a lone `\r`. One as the
            // last byte buffered may be the first half of a `\r\n`, so it waits for the next read
            // (or the end). The byte before `scanned` was such a `\r` the last time round: it is
            // looked at again.
            if !self.lf_seen {
                let settled = if self.eof { self.end } else { self.end - 1 };
                let again = from + scanned.saturating_sub(1);
                if let Some(i) = self.buf.get(again..settled).and_then(|b| memchr::memrchr(b'\r', b)) {
                    return Some((from, again + i + 1, false));
                }
            }
            if self.eof {
                return (from < self.end).then_some((from, self.end, false));
            }
            if self.end - from >= self.max_line {
                let head = char_floor(&self.buf[from..self.end], self.max_line);
                self.oversized.note(self.discarded + from as u64);
                self.skipping = true;
                return Some((from, from + head, true));
            }
            scanned = self.end - from;
            self.read_more();
        }
    }

    /// Discards bytes through the next line end (a `\n`, or a lone `\r` while no `\n` has been
    /// seen) without buffering them; `false` when the input (or the skip limit) ends first.
    fn skip_rest(&mut self) -> bool {
        loop {
            let hay = &self.buf[self.start..self.end];
            let found = if self.lf_seen {
                memchr::memchr(b'\n', hay)
            } else {
                memchr::memchr2(b'\n', b'\r', hay)
            };
            if let Some(i) = found {
                self.start += i + 1;
                self.lf_seen |= self.buf[self.start - 1] == b'\n';
                // A `\r\n` is one line end; a `\r` alone ends the line as well.
                if self.buf[self.start - 1] == b'\r' {
                    if self.start == self.end && !self.eof {
                        self.fill_more();
                    }
                    if self.buf.get(self.start) == Some(&b'\n') && self.start < self.end {
                        self.start += 1;
                    }
                }
                self.skipping = false;
                return true;
            }
            self.discarded += self.end as u64;
            self.start = 0;
            self.end = 0;
            if self.eof || self.discarded >= self.skip_limit {
                return false;
            }
            self.fill_more();
        }
    }
}

impl<R: Read> Read for Buffered<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        // serde_json's reader pulls one byte per call.
        if let ([slot], Some(&byte)) = (&mut *out, self.buf[..self.end].get(self.start)) {
            *slot = byte;
            self.start += 1;
            return Ok(1);
        }
        if self.start == self.end {
            self.discarded += self.start as u64;
            self.start = 0;
            self.end = 0;
            self.fill_more();
            if self.start == self.end {
                return match self.error.take() {
                    Some(e) => Err(e),
                    None => Ok(0),
                };
            }
        }
        let n = out.len().min(self.end - self.start);
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        Ok(n)
    }
}

/// Whether `chunk` holds a `\r` that is not the first half of a `\r\n` (one at its very end is
/// the last line's, stripped as before).
#[inline]
fn has_lone_cr(chunk: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', chunk).any(|i| i + 1 < chunk.len() && chunk[i + 1] != b'\n')
}

/// The end of the line starting at `pos` (without its line end) and where the next one starts, a
/// line ending in `\n`, `\r\n` or a `\r` alone (in a span with no `\n`, of an input with none so far).
#[cold]
fn next_break(chunk: &[u8], pos: usize) -> (usize, usize) {
    match memchr::memchr2(b'\n', b'\r', &chunk[pos..]) {
        None => (chunk.len(), chunk.len()),
        Some(i) => {
            let at = pos + i;
            if chunk[at] == b'\r' && chunk.get(at + 1) == Some(&b'\n') {
                (at, at + 2)
            } else {
                (at, at + 1)
            }
        }
    }
}

/// A line as text: borrowed when it is UTF-8, else decoded with each invalid byte as its own
/// code point (`false`, see [`decode_invalid`]).
pub(crate) fn decode_line(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(line) => (Cow::Borrowed(line), true),
        Err(_) => (Cow::Owned(decode_invalid(bytes)), false),
    }
}

/// Text that is not UTF-8, decoded so that two different byte strings never decode the same:
/// the valid parts as they are, each byte that is not part of one as the code point
/// U+10FF00 + byte (Supplementary Private Use Area-B, which no log text uses
/// and `redact::escape_control` shows as `\xNN`). A lossy decoding (U+FFFD for any invalid
/// sequence) made `a\xff` and `a\xfe` the same token, and a request holding them allowed.
#[cold]
pub(crate) fn decode_invalid(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            out.push(invalid_byte_char(b));
        }
    }
    out
}

/// The code point standing for the invalid byte `b`.
fn invalid_byte_char(b: u8) -> char {
    // U+10FF00..=U+10FFFF are all valid scalar values.
    char::from_u32(INVALID_BYTES + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

#[cfg(test)]
mod tests;
