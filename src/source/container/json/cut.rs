//! Cuts JSON string values longer than the line cap on their way to the parser, so one enormous value is never held.

use std::io::{self, Read};

use crate::source::decode::Buffered;
use crate::source::Oversized;

/// Where the scanner is in the JSON text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between values, keys and punctuation.
    Outside,
    /// Inside a string; `len` bytes of it passed.
    Inside { len: usize },
    /// Inside a string that was cut: its bytes are dropped up to its closing quote.
    Dropping,
}

/// A `Read` adapter over JSON text that passes everything through except the part of a string
/// value beyond `max` bytes: that is dropped, the string closed where it was cut, and counted.
/// The cut is never inside an escape (`\"`, `\uXXXX`, a surrogate pair) nor inside a UTF-8
/// character, so the parser sees valid JSON wherever the input was valid.
pub(crate) struct CutStrings<'a, R> {
    inner: &'a mut Buffered<R>,
    max: usize,
    state: State,
    /// The previous byte was a backslash starting an escape.
    escape: bool,
    /// Hex digits still to come of a `\u` escape, and its value so far.
    hex_left: u8,
    hex: u16,
    /// The last escape was a high surrogate: its low half must stay with it.
    high_surrogate: bool,
    oversized: Oversized,
}

impl<'a, R: Read> CutStrings<'a, R> {
    /// Reads `inner`, cutting strings over `max` bytes.
    pub(crate) fn new(inner: &'a mut Buffered<R>, max: usize) -> Self {
        CutStrings {
            inner,
            max: max.max(1),
            state: State::Outside,
            escape: false,
            hex_left: 0,
            hex: 0,
            high_surrogate: false,
            oversized: Oversized::default(),
        }
    }

    /// The strings cut so far (position: where the cut string's value began, as a cut line's is
    /// where the line began).
    pub(crate) fn oversized(&self) -> Oversized {
        self.oversized
    }

    /// Whether `byte` (at position `at` of the input) passes to the parser; advances the scanner over it.
    #[inline]
    fn keep(&mut self, byte: u8, at: u64) -> bool {
        match self.state {
            State::Outside => {
                if byte == b'"' {
                    self.state = State::Inside { len: 0 };
                }
                true
            }
            State::Inside { len } => {
                if self.escape {
                    self.escape = false;
                    if byte == b'u' {
                        self.hex_left = 4;
                        self.hex = 0;
                    } else {
                        self.high_surrogate = false;
                    }
                } else if self.hex_left > 0 {
                    self.hex_left -= 1;
                    self.hex = self.hex.wrapping_mul(16).wrapping_add(hex_value(byte));
                    if self.hex_left == 0 {
                        // A low half after a high one completes the pair; a new high half waits for its low one.
                        self.high_surrogate = (0xD800..0xDC00).contains(&self.hex) && !self.high_surrogate;
                    }
                } else if byte == b'"' {
                    self.state = State::Outside;
                    self.high_surrogate = false;
                    return true;
                } else if len >= self.max && byte & 0xC0 != 0x80 && !self.high_surrogate {
                    // At a character's first byte, outside any escape: the string is cut here.
                    // Every byte of the string so far counted in `len`: it began that many bytes back.
                    self.oversized.note(at.saturating_sub(len as u64));
                    self.state = State::Dropping;
                    self.escape = byte == b'\\';
                    return false;
                } else if byte == b'\\' {
                    self.escape = true;
                } else if byte & 0xC0 != 0x80 {
                    self.high_surrogate = false;
                }
                self.state = State::Inside {
                    len: len.saturating_add(1),
                };
                true
            }
            State::Dropping => {
                if self.escape {
                    self.escape = false;
                } else if byte == b'\\' {
                    self.escape = true;
                } else if byte == b'"' {
                    self.state = State::Outside;
                    return true;
                }
                false
            }
        }
    }
}

fn hex_value(byte: u8) -> u16 {
    match byte {
        b'0'..=b'9' => u16::from(byte - b'0'),
        b'a'..=b'f' => u16::from(byte - b'a' + 10),
        b'A'..=b'F' => u16::from(byte - b'A' + 10),
        _ => 0,
    }
}

impl<R: Read> Read for CutStrings<'_, R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.state == State::Dropping {
                // The parser reads a byte at a time: the dropped part is skipped in the buffer instead.
                self.inner.skip_json_string(self.escape);
                self.escape = false;
            }
            let n = self.inner.read(out)?;
            if n == 0 {
                return Ok(0);
            }
            let mut kept = 0;
            let first = self.inner.position().saturating_sub(n as u64);
            for i in 0..n {
                let byte = out[i];
                if self.keep(byte, first + i as u64) {
                    out[kept] = byte;
                    kept += 1;
                }
            }
            // Only a read that dropped everything it got reads again: 0 would mean the end.
            if kept > 0 {
                return Ok(kept);
            }
        }
    }
}

#[cfg(test)]
mod tests;
