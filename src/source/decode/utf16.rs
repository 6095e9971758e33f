//! UTF-16 inputs (Windows PowerShell redirects), transcoded to UTF-8.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use super::CHUNK;

/// Damaged UTF-16 met so far: code units that were not text (an unpaired surrogate, a dangling odd
/// byte at the end), each read as U+FFFD, and the byte of the input where the first began.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Utf16Damage {
    pub(crate) count: u64,
    pub(crate) first_byte: Option<u64>,
}

impl Utf16Damage {
    fn note(cell: &Cell<Utf16Damage>, at: u64) {
        let mut d = cell.get();
        d.count += 1;
        d.first_byte.get_or_insert(at);
        cell.set(d);
    }
}

/// Transcodes UTF-16 to UTF-8; unpaired surrogates and a dangling odd byte become U+FFFD, and are
/// counted in `damage` so the input is reported as damaged, not read as if whole.
pub(crate) struct Utf16Reader<R> {
    inner: R,
    little_endian: bool,
    raw: Vec<u8>,
    /// The byte of the input `raw[0]` is (the BOM before the first read counted).
    raw_at: u64,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    damage: Rc<Cell<Utf16Damage>>,
}

impl<R: Read> Utf16Reader<R> {
    /// Reads UTF-16 after a BOM of `bom_bytes`; damage is counted in `damage`.
    pub(crate) fn new(inner: R, little_endian: bool, bom_bytes: u64, damage: Rc<Cell<Utf16Damage>>) -> Self {
        Utf16Reader {
            inner,
            little_endian,
            raw: Vec::new(),
            raw_at: bom_bytes,
            out: Vec::new(),
            out_pos: 0,
            eof: false,
            damage,
        }
    }

    fn decode(&mut self) {
        let mut units: Vec<u16> = self
            .raw
            .chunks_exact(2)
            .map(|p| {
                if self.little_endian {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            })
            .collect();
        // A high surrogate at the end of a read may pair with the first unit of the next one.
        let keep_last = !self.eof && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u));
        if keep_last {
            units.pop();
        }
        let base = self.raw_at;
        self.raw.drain(..units.len() * 2);
        self.raw_at += units.len() as u64 * 2;
        let whole_units = units.len();
        if self.eof && !self.raw.is_empty() {
            self.raw.clear();
            units.push(0xFFFD);
        }
        self.out.clear();
        self.out_pos = 0;
        let mut utf8 = [0u8; 4];
        let mut unit = 0;
        for c in char::decode_utf16(units) {
            let c = match c {
                Ok(c) => {
                    // The U+FFFD standing for a dangling odd byte is damage, not text.
                    if unit == whole_units {
                        Utf16Damage::note(&self.damage, base + unit as u64 * 2);
                    }
                    unit += c.len_utf16();
                    c
                }
                Err(_) => {
                    Utf16Damage::note(&self.damage, base + unit as u64 * 2);
                    unit += 1;
                    char::REPLACEMENT_CHARACTER
                }
            };
            self.out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                let n = buf.len().min(self.out.len() - self.out_pos);
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if self.eof {
                return Ok(0);
            }
            let at = self.raw.len();
            self.raw.resize(at + CHUNK, 0);
            let n = loop {
                match self.inner.read(&mut self.raw[at..]) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.raw.truncate(at);
                        return Err(e);
                    }
                    Ok(n) => break n,
                }
            };
            self.raw.truncate(at + n);
            self.eof = n == 0;
            self.decode();
        }
    }
}

#[cfg(test)]
mod tests;
