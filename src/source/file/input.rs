//! One input read through: gzip found by its magic bytes, UTF-16 by its BOM, the container chosen, damage reported.

use std::cell::Cell;
use std::io::{self, BufReader, Read};
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use super::SourceError;
use crate::report::InputError;
use crate::source::container::insights::{InsightsTable, Table};
use crate::source::container::{detect, invalid_times_error, json, text_kind, TextContainer};
use crate::source::decode::{
    gunzip, Buffered, ChannelReader, CountingBufRead, Members, Tracker, Utf16Damage, Utf16Reader,
    GUNZIP_CHUNKS_IN_FLIGHT, GZIP_MAGIC, INLINE_GZIP_BYTES,
};
use crate::source::{EventSink, InputFormat, Oversized, ReadOptions};

/// `read_reader` of an input whose size may be known: a gzip file smaller than
/// `INLINE_GZIP_BYTES` is inflated on this thread.
pub(super) fn read_sized(
    name: &str,
    mut reader: impl Read + Send,
    size: Option<u64>,
    opts: ReadOptions,
    default_stream: &str,
    sink: &mut dyn EventSink,
) -> Result<(), SourceError> {
    let mut magic = [0u8; 2];
    let mut got = 0;
    while got < magic.len() {
        match reader.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(SourceError::Io {
                    path: name.to_string(),
                    source: e,
                })
            }
        }
    }
    let whole = (&magic[..got]).chain(reader);
    let input = Input {
        name,
        default_stream,
        opts,
    };
    if got == 2 && magic == GZIP_MAGIC {
        let tracker = Arc::new(Tracker::default());
        let counted = CountingBufRead::new(BufReader::with_capacity(64 * 1024, whole), tracker.clone());
        // Multi-member: Firehose stores each subscription record as its own gzip member.
        let decoder = Members::new(counted);
        if size.is_some_and(|s| s < INLINE_GZIP_BYTES) {
            return input.run(decoder, Some(&tracker), sink);
        }
        // Inflating is the slowest stage of a gzip input: it gets a thread of its own.
        std::thread::scope(|scope| {
            let (tx, rx) = sync_channel(GUNZIP_CHUNKS_IN_FLIGHT);
            scope.spawn(move || gunzip(decoder, &tx));
            input.run(
                ChannelReader {
                    rx,
                    chunk: Vec::new(),
                    pos: 0,
                    done: false,
                },
                Some(&tracker),
                sink,
            )
        })
    } else {
        input.run(whole, None, sink)
    }
}

/// One input being read: its name for errors, its fallback stream, and how to read it.
struct Input<'a> {
    name: &'a str,
    default_stream: &'a str,
    opts: ReadOptions,
}

impl Input<'_> {
    fn run<R: Read>(&self, decoded: R, gzip: Option<&Tracker>, sink: &mut dyn EventSink) -> Result<(), SourceError> {
        let mut input = Buffered::new(decoded);
        input.set_max_line(self.opts.max_line_bytes);
        input.fill_sample();
        // Windows PowerShell 5 redirects (`aws logs tail … > out.txt`) write UTF-16 with a BOM.
        let little_endian = match input.sample() {
            [0xFF, 0xFE, ..] => true,
            [0xFE, 0xFF, ..] => false,
            _ => return self.run_buffered(input, gzip, sink),
        };
        input.start += 2;
        let damage = Rc::new(Cell::new(Utf16Damage::default()));
        let mut wide = Buffered::new(Utf16Reader::new(input, little_endian, 2, damage.clone()));
        wide.set_max_line(self.opts.max_line_bytes);
        wide.fill_sample();
        let result = self.run_buffered(wide, gzip, sink);
        let damage = damage.get();
        if let Some(at) = damage.first_byte {
            sink.input_error(InputError {
                input: self.name.to_string(),
                position: format!("byte {at} of UTF-16 input"),
                message: format!(
                    "damaged UTF-16: {} code unit(s) were not text (an unpaired surrogate, or an odd byte at the end \
                     of a cut file) and were read as U+FFFD; the lines around them may be wrong",
                    damage.count
                ),
            });
        }
        result
    }

    fn run_buffered<R: Read>(
        &self,
        mut input: Buffered<R>,
        gzip: Option<&Tracker>,
        sink: &mut dyn EventSink,
    ) -> Result<(), SourceError> {
        let format = match self.opts.format {
            InputFormat::Auto => detect::detect(input.sample(), input.eof),
            explicit => explicit,
        };
        if let Some(table) = Table::of(format) {
            return self.run_table(input, table, format, gzip, sink);
        }
        let Some(kind) = text_kind(format) else {
            return self.run_json(&mut input, gzip, sink);
        };
        let mut container = TextContainer::new(kind, self.default_stream, self.opts.max_line_bytes);
        container.learn_prefix(input.sample());
        let mut invalid = 0u64;
        let mut cut_events = Oversized::default();
        // Lines with a date that does not exist: how many, and where the first began.
        let mut bad_times = Oversized::default();
        input.for_each_line(|line, valid, cut, at, rest, eof| {
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
            sink.input_error(invalid_times_error(self.name, bad_times.count, first));
        }
        sink.input_done(self.name, format);
        if invalid > 0 {
            sink.invalid_utf8_lines(invalid);
        }
        input.oversized.merge(cut_events);
        input.oversized.report(self.name, sink);
        match input.error.take() {
            Some(e) => self.damage(e, gzip, sink),
            None => Ok(()),
        }
    }

    /// A Logs Insights export (CSV or Markdown): rows assembled from lines, one event each.
    fn run_table<R: Read>(
        &self,
        mut input: Buffered<R>,
        table: Table,
        format: InputFormat,
        gzip: Option<&Tracker>,
        sink: &mut dyn EventSink,
    ) -> Result<(), SourceError> {
        let mut reader = InsightsTable::new(table, self.default_stream, self.opts.max_line_bytes);
        let mut invalid = 0u64;
        let mut cut_rows = Oversized::default();
        input.for_each_line(|line, valid, cut, at, _, _| {
            invalid += u64::from(!valid);
            let before = reader.oversized;
            reader.line(line, cut, sink);
            if reader.oversized != before && !cut {
                cut_rows.note(at);
            }
            (!reader.stopped).then_some(0)
        });
        reader.finish(sink);
        sink.input_done(self.name, format);
        if invalid > 0 {
            sink.invalid_utf8_lines(invalid);
        }
        input.oversized.merge(cut_rows);
        input.oversized.report(self.name, sink);
        let damage = std::mem::take(&mut reader.damage);
        if let Some(line) = damage.no_message_column {
            sink.input_error(InputError {
                input: self.name.to_string(),
                position: format!("line {line}"),
                message: "the header names no `@message` column (nor `message`, nor the REPORT fields `@requestId` and `@duration`), \
                          so no row was read; export the Logs Insights results with `@message` among the fields \
                          (`fields @timestamp, @message, @logStream`)"
                    .to_string(),
            });
        }
        if damage.short_rows > 0 {
            sink.input_error(InputError {
                input: self.name.to_string(),
                position: format!("line {}", damage.first_short_row),
                message: format!(
                    "{} row(s) had fewer cells than the header and no message (or no `@requestId`) and were skipped",
                    damage.short_rows
                ),
            });
        }
        if damage.invalid_times > 0 {
            let mut error = invalid_times_error(self.name, damage.invalid_times, 0);
            error.position = format!("line {}", damage.first_invalid_time);
            sink.input_error(error);
        }
        if damage.unclosed_quotes > 0 {
            let lost = if damage.unclosed_cut {
                " (a row longer than --max-line-bytes lost its lines after the cap)"
            } else {
                ""
            };
            sink.input_error(InputError {
                input: self.name.to_string(),
                position: format!("line {}", damage.first_unclosed_quote),
                message: format!(
                    "{} CSV row(s) open a quoted field that is never closed (a quote in the message left unescaped): \
                     the row ends where the next row begins, or, when none does, its first line was read as the row \
                     and the lines after it as rows again{lost}",
                    damage.unclosed_quotes
                ),
            });
        }
        if damage.lines_after_cut > 0 {
            sink.input_error(InputError {
                input: self.name.to_string(),
                position: format!("line {}", damage.cut_line),
                message: format!(
                    "a CSV line longer than --max-line-bytes was cut inside a quoted field, and no row began after it: \
                     {} line(s) after it were skipped with it, as the rest of its field or as rows \
                     (raise --max-line-bytes to read them)",
                    damage.lines_after_cut
                ),
            });
        }
        match input.error.take() {
            Some(e) => self.damage(e, gzip, sink),
            None => Ok(()),
        }
    }

    fn run_json<R: Read>(
        &self,
        input: &mut Buffered<R>,
        gzip: Option<&Tracker>,
        sink: &mut dyn EventSink,
    ) -> Result<(), SourceError> {
        let mut stats = json::JsonStats::default();
        let mut cut = json::CutStrings::new(&mut *input, self.opts.max_line_bytes);
        let result = json::read_json(&mut cut, self.default_stream, sink, &mut stats);
        let mut oversized = cut.oversized();
        oversized.report(self.name, sink);
        sink.input_done(self.name, InputFormat::Json);
        if stats.skipped > 0 {
            sink.input_error(InputError {
                input: self.name.to_string(),
                position: "whole input".to_string(),
                message: format!(
                    "{} JSON value(s) held no log event (no `message`/`@message`, `events` or `logEvents`) and were skipped; \
                     if this is Lambda JSON-format log output, use --input-format bare",
                    stats.skipped
                ),
            });
        }
        if let Some(first) = stats.first_invalid_time {
            sink.input_error(InputError {
                input: self.name.to_string(),
                position: format!("event {first}"),
                message: format!(
                    "{} event(s) have a timestamp whose date or time does not exist (such as 2025-02-30 or hour 25); \
                     each was read as an event without a time, which takes the time inside its own message",
                    stats.invalid_times
                ),
            });
        }
        if let Some((record, what)) = stats.first_damage.take() {
            sink.input_error(InputError {
                input: self.name.to_string(),
                position: format!("encoded record {record} of {}", stats.encoded),
                message: format!(
                    "{} encoded record(s) could not be read (first: {what}) and their events were skipped; \
                     a `data` value must be base64 of a gzip'd CloudWatch Logs subscription payload \
                     (a value longer than --max-line-bytes is cut: raise it for larger records)",
                    stats.damaged
                ),
            });
        }
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.is_io() => self.damage(e.into(), gzip, sink),
            Err(e) => {
                let full = e.to_string();
                let what = full.split(" at line ").next().unwrap_or(&full);
                sink.input_error(InputError {
                    input: self.name.to_string(),
                    position: format!("line {}, column {}", e.line(), e.column()),
                    message: format!("malformed JSON ({what}); the events before this point were read, the rest of this input was skipped"),
                });
                Ok(())
            }
        }
    }

    /// A read failure: damaged gzip data is reported and survived; anything else is fatal.
    fn damage(&self, e: io::Error, gzip: Option<&Tracker>, sink: &mut dyn EventSink) -> Result<(), SourceError> {
        match gzip {
            Some(tracker) if !tracker.underlying_failed.load(Ordering::Relaxed) => {
                let message = if e.kind() == io::ErrorKind::UnexpectedEof {
                    "gzip stream truncated: the file ends inside compressed data; the events before this point were read".to_string()
                } else {
                    format!("gzip stream corrupt ({e}); the events before this point were read, the rest was skipped")
                };
                sink.input_error(InputError {
                    input: self.name.to_string(),
                    position: format!("byte {} of compressed input", tracker.consumed.load(Ordering::Relaxed)),
                    message,
                });
                Ok(())
            }
            _ => Err(SourceError::Io {
                path: self.name.to_string(),
                source: e,
            }),
        }
    }
}

#[cfg(test)]
mod tests;
