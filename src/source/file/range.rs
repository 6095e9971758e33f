//! Reading one byte range of a plain text file: from its first event header to the end of the event open at its end.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::path::Path;

use super::walk::export_stream_name;
use super::{shrank, SourceError};
use crate::source::container::{
    export_head, export_head_bad_date, invalid_times_error, text_kind, TextContainer, TextKind,
};
use crate::source::decode::Buffered;
use crate::source::{EventSink, Oversized, ReadOptions};

pub(super) fn read_range(
    mut file: File,
    path: &Path,
    opts: ReadOptions,
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
    // A second handle on the same file, and its size now: the last range's `end` is open.
    let probe = file.try_clone().ok().and_then(|f| Some((f.metadata().ok()?.len(), f)));
    file.seek(SeekFrom::Start(from)).map_err(io_error)?;
    let mut input = Buffered::new(file);
    input.discarded = from;
    input.set_max_line(opts.max_line_bytes);
    // A line open at the range's end is read by this range to its end, unless it is cut: then the
    // ranges after this one skip its tail, each its own part, so no range reads past its own end.
    input.skip_limit = end;
    // Plans cut only files whose sample holds a `\n`: the whole-file reader has seen one by its first
    // span, so a lone `\r` is content from there on, in every range.
    input.lf_seen = true;
    if start == 0 {
        input.fill_sample();
    } else {
        // The line the byte before `start` is in belongs to the range before this one.
        input.skipping = true;
    }
    // Plans cut only export and bare-line files into ranges.
    let kind = text_kind(opts.format).unwrap_or(TextKind::Bare);
    let stream = export_stream_name(path);
    let mut container = TextContainer::new(kind, &stream, opts.max_line_bytes);
    let mut begun = start == 0;
    let mut invalid = 0u64;
    let mut cut_events = Oversized::default();
    // Lines with a date that does not exist: how many, and where the first began.
    let mut bad_times = Oversized::default();
    input.for_each_line(|line, valid, cut, at, rest, eof| {
        if !begun || at >= end {
            let head = kind == TextKind::Bare
                || export_head(line, &mut container.timestamps).is_some()
                || export_head_bad_date(line).is_some();
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
        let (before, times_before) = (container.oversized, container.invalid_times);
        let skip = container.line_ahead(line, rest, eof, sink);
        // A line cut already counts once, whatever it did to its event.
        if container.oversized != before && !cut {
            cut_events.note(at);
        }
        if container.invalid_times != times_before {
            bad_times.note(at);
        }
        (!container.stopped).then_some(skip)
    });
    container.finish(sink);
    if let Some(first) = bad_times.first {
        sink.input_error(invalid_times_error(&name, bad_times.count, first));
    }
    sink.input_done(&name, opts.format);
    if invalid > 0 {
        sink.invalid_utf8_lines(invalid);
    }
    input.oversized.merge(cut_events);
    input.oversized.report(&name, sink);
    // The plan cut the file at its size then: one that no longer reaches this range's end (the
    // last range's: its size at open) shrank while it was read (copytruncate), and this range
    // lost its part past the new end.
    if let Some((at_open, probe)) = probe {
        let reaches = if end == u64::MAX { at_open } else { end };
        let now = probe.metadata().map_or(reaches, |m| m.len());
        if now < reaches {
            sink.input_error(shrank(&name, at_open.max(reaches), now, input.position()));
        }
    }
    match input.error.take() {
        Some(e) => Err(io_error(e)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
