//! From the bytes of an input to lines of text: gzip inflation, UTF-16 transcoding and the line buffer.

mod buffer;
mod gzip;
mod utf16;

pub(crate) use buffer::{decode_line, Buffered};
pub(crate) use gzip::{
    gunzip, ChannelReader, CountingBufRead, Members, Tracker, GUNZIP_CHUNKS_IN_FLIGHT, GZIP_MAGIC, INLINE_GZIP_BYTES,
};
pub(crate) use utf16::{Utf16Damage, Utf16Reader};

const CHUNK: usize = 256 * 1024;
