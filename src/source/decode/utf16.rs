//! UTF-16 inputs (Windows PowerShell redirects), transcoded to UTF-8.

use std::io::{self, Read};

use super::CHUNK;

/// Transcodes UTF-16 to UTF-8; unpaired surrogates and a dangling odd byte become U+FFFD.
pub(crate) struct Utf16Reader<R> {
    inner: R,
    little_endian: bool,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> Utf16Reader<R> {
    pub(crate) fn new(inner: R, little_endian: bool) -> Self {
        Utf16Reader {
            inner,
            little_endian,
            raw: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            eof: false,
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
        self.raw.drain(..units.len() * 2);
        if self.eof && !self.raw.is_empty() {
            self.raw.clear();
            units.push(0xFFFD);
        }
        self.out.clear();
        self.out_pos = 0;
        let mut utf8 = [0u8; 4];
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or(char::REPLACEMENT_CHARACTER);
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
