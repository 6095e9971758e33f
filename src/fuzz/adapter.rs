//! The one place the fuzz tests call the source readers, so a change of their signatures is a
//! change here only.

use crate::source::file::{read_reader, SourceError};
use crate::source::stream::LiveStream;
use crate::source::{EventSink, InputFormat, ReadOptions, DEFAULT_MAX_LINE_BYTES, MIN_MAX_LINE_BYTES};

/// Reads `bytes` in `format` into `sink`: as a file is read (`report`), or, with `chunks`, as
/// `tail` reads standard input, the bytes arriving in pieces of those sizes. Every other input is
/// read with the smallest line cap, so cutting lines is fuzzed too.
pub(super) fn read(
    bytes: &[u8],
    format: InputFormat,
    chunks: Option<&[usize]>,
    sink: &mut dyn EventSink,
) -> Result<(), SourceError> {
    let max_line_bytes = if bytes.len().is_multiple_of(2) {
        DEFAULT_MAX_LINE_BYTES
    } else {
        MIN_MAX_LINE_BYTES
    };
    let opts = ReadOptions { format, max_line_bytes };
    let Some(sizes) = chunks else {
        return read_reader("fuzz", bytes, opts, "", sink);
    };
    let mut live = LiveStream::new("fuzz".to_string(), opts);
    let mut rest = bytes;
    for &size in sizes.iter().cycle().take(bytes.len()) {
        if rest.is_empty() {
            break;
        }
        let (now, later) = rest.split_at(size.clamp(1, rest.len()));
        live.push(now, sink);
        live.drain(sink);
        rest = later;
    }
    live.idle(sink);
    live.end(sink)
}
