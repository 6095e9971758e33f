//! Reading one byte range of a plain text file: from its first event header to the end of the event open at its end.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;

use super::walk::export_stream_name;
use super::SourceError;
use crate::source::container::{export_head, text_kind, TextContainer, TextKind};
use crate::source::decode::Buffered;
use crate::source::{EventSink, InputFormat};

pub(super) fn read_range(
    mut file: File,
    path: &Path,
    format: InputFormat,
    start: u64,
    end: u64,
    sink: &mut dyn EventSink,
) -> Result<(), SourceError> {
    let name = path.display().to_string();
    let io_error = |source| SourceError::Io {
        path: name.clone(),
        source,
    };
    // From the byte before `start`: the line it ends belongs to the range before this one.
    let from = start.saturating_sub(1);
    file.seek(SeekFrom::Start(from)).map_err(io_error)?;
    let mut input = Buffered::new(file);
    input.discarded = from;
    if start == 0 {
        input.fill_sample();
    } else {
        input.next_line();
    }
    // Plans cut only export and bare-line files into ranges.
    let kind = text_kind(format).unwrap_or(TextKind::Bare);
    let stream = export_stream_name(path);
    let mut container = TextContainer::new(kind, &stream);
    let mut begun = start == 0;
    let mut invalid = 0u64;
    input.for_each_line(|line, valid, at, rest, eof| {
        if !begun || at >= end {
            let head = kind == TextKind::Bare || export_head(line, &mut container.timestamps).is_some();
            if head && at >= end {
                return None;
            }
            // Lines before this range's first header finish the previous range's last event.
            if !begun && !head {
                return Some(0);
            }
            begun = true;
        }
        invalid += u64::from(!valid);
        let skip = container.line_ahead(line, rest, eof, sink);
        (!container.stopped).then_some(skip)
    });
    container.finish(sink);
    if invalid > 0 {
        sink.invalid_utf8_lines(invalid);
    }
    match input.error.take() {
        Some(e) => Err(io_error(e)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
