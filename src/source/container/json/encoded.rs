//! Subscription payloads delivered encoded: a Lambda delivery `{"awslogs":{"data":…}}`, Kinesis
//! `{"Records":[{"kinesis":{"data":…}}]}` and a Firehose transformation event
//! `{"records":[{"recordId":…,"data":…}]}`, each `data` base64 of a gzip'd subscription payload.

use std::fmt;
use std::io::{self, Read};

use base64::Engine as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::fields::{Key, KeySeed};
use super::{read_values, skip_scalars, Ctx};

/// A decoded payload larger than this is damage, not something to hold: a real subscription
/// payload is at most about 1 MB of events.
pub(crate) const MAX_DECODED_PAYLOAD: u64 = 64 << 20;

/// base64 of the gzip magic and method (`1f 8b 08`): how an encoded payload begins.
const GZIP_BASE64: &str = "H4sI";

/// What went wrong with one encoded record.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PayloadError {
    #[error("invalid base64 ({0})")]
    Base64(#[from] base64::DecodeError),
    #[error("not gzip data after base64 decoding")]
    NotGzip,
    #[error("gzip data truncated")]
    Truncated,
    #[error("gzip data corrupt ({0})")]
    Gzip(io::Error),
    #[error("decompressed payload larger than {} MiB", MAX_DECODED_PAYLOAD >> 20)]
    TooLarge,
    #[error("the decompressed payload is not subscription JSON ({0})")]
    Json(String),
}

/// The value of an envelope key: looks through it for `data` values, ignoring everything else.
/// The result is how many encoded records it held.
pub(super) struct WrappedSeed<'a, 's> {
    pub(super) ctx: &'a mut Ctx<'s>,
}

impl<'de> DeserializeSeed<'de> for WrappedSeed<'_, '_> {
    type Value = u64;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for WrappedSeed<'_, '_> {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("encoded subscription records")
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<u64, E> {
        Ok(0)
    }
    skip_scalars!(0);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut n = 0;
        while let Some(found) = seq.next_element_seed(WrappedSeed { ctx: &mut *self.ctx })? {
            n += found;
        }
        Ok(n)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
        let mut n = 0;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Data => {
                    n += u64::from(map.next_value_seed(DataSeed {
                        ctx: &mut *self.ctx,
                        enveloped: true,
                    })?)
                }
                Key::Wrapper => n += map.next_value_seed(WrappedSeed { ctx: &mut *self.ctx })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(n)
    }
}

/// A `data` value: when it is base64 of gzip data, the payload is decoded and its events
/// delivered; the result says whether it was an encoded record (decoded or damaged).
pub(super) struct DataSeed<'a, 's> {
    pub(super) ctx: &'a mut Ctx<'s>,
    /// Inside a delivery's envelope (`awslogs`, `Records`, `kinesis`, `records`), where `data` can
    /// only be an encoded record: one that does not decode is damage, not an application's field.
    pub(super) enveloped: bool,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_, '_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("base64 of a gzip'd subscription payload")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<bool, E> {
        // Anything else called `data` (an application's own field) is not a payload.
        if !self.enveloped && !s.trim_start().starts_with(GZIP_BASE64) {
            return Ok(false);
        }
        let ctx = self.ctx;
        ctx.stats.encoded += 1;
        let record = ctx.stats.encoded;
        if let Err(e) = decode_into(s, ctx) {
            ctx.stats.damaged += 1;
            if ctx.stats.first_damage.is_none() {
                ctx.stats.first_damage = Some((record, e.to_string()));
            }
        }
        Ok(true)
    }
    skip_scalars!(false);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

/// Decodes one record and delivers its payload's events (those before any damage in it).
fn decode_into(text: &str, ctx: &mut Ctx<'_>) -> Result<(), PayloadError> {
    let compact: String;
    // MIME-style base64 wraps its lines; the standard engine takes none.
    let text = if text.bytes().any(|b| b.is_ascii_whitespace()) {
        compact = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        compact.as_str()
    } else {
        text
    };
    let gz = base64::engine::general_purpose::STANDARD.decode(text)?;
    if !gz.starts_with(&[0x1f, 0x8b]) {
        return Err(PayloadError::NotGzip);
    }
    let mut over = false;
    let payload = Bounded {
        inner: flate2::read::MultiGzDecoder::new(gz.as_slice()),
        left: MAX_DECODED_PAYLOAD,
        over: &mut over,
    };
    let result = read_values(payload, ctx.stop, &mut *ctx.sink, ctx.default_stream, &mut *ctx.stats);
    match result {
        Ok(()) => Ok(()),
        Err(_) if over => Err(PayloadError::TooLarge),
        Err(e) if e.is_io() => {
            let io: io::Error = e.into();
            if io.kind() == io::ErrorKind::UnexpectedEof {
                Err(PayloadError::Truncated)
            } else {
                Err(PayloadError::Gzip(io))
            }
        }
        Err(e) => Err(PayloadError::Json(e.to_string())),
    }
}

/// A reader that fails (and says so in `over`) once more than `left` bytes came through it.
struct Bounded<'o, R> {
    inner: R,
    left: u64,
    over: &'o mut bool,
}

impl<R: Read> Read for Bounded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => {
                *self.over = true;
                Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "decompressed payload too large",
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests;
