//! Log files, directories and standard input: the entry points, and the errors that stop reading.

mod input;
mod plan;
mod range;
mod walk;

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::{EventSink, ReadOptions};
use crate::redact::escape_control;
use crate::report::InputError;
use input::read_sized;
pub use plan::{plan, unit_inflates_apart, Unit};
use range::read_range;
use walk::{export_stream_name, skipped_entry, walk, Entry};

/// Fatal source errors: the input named on the command line cannot be read at all. The path is
/// kept as given and escaped when shown (`redact::escape_control`): a name may hold ESC or RLO.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("no such file or directory: {} (check the path; use - for standard input)", escape_control(.path))]
    NotFound { path: String },
    #[error("permission denied: {} (check that your user can read it)", escape_control(.path))]
    PermissionDenied { path: String },
    #[error(
        "cannot read {}: {} (check that it is a readable file or directory)",
        escape_control(.path),
        escape_control(&.source.to_string())
    )]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// Reads a file or a directory (walked recursively, in sorted path order; the S3 export marker
/// `aws-logs-write-test` is skipped; hidden files skipped; in a directory, documentation, scripts
/// and images (`.md`, `.py`, `.sh`, `.png`, …) are skipped too).
pub fn read_path(path: &Path, opts: ReadOptions, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    if path.as_os_str() == "-" {
        return read_stdin(opts, sink);
    }
    let meta = fs::metadata(path).map_err(|e| open_error(path, e))?;
    if !meta.is_dir() {
        return read_file(path, opts, sink);
    }
    walk(path, &mut HashSet::new(), &mut |entry| match entry {
        Entry::File { .. } if sink.stopped() => Ok(()),
        Entry::File { path, .. } => read_walked(&path, opts, sink),
        Entry::Skipped(error) => {
            sink.input_error(error);
            Ok(())
        }
    })
}

/// Reads one unit of [`plan()`] into `sink`.
pub fn read_unit(unit: &Unit, opts: ReadOptions, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    match unit {
        Unit::Named(path) => read_path(path, opts, sink),
        Unit::Walked(path) => read_walked(path, opts, sink),
        Unit::Range {
            path,
            format,
            start,
            end,
            walked,
        } => match File::open(path) {
            Ok(file) => read_range(file, path, opts.with_format(*format), *start, *end, sink),
            Err(e) if *walked => {
                let mut error = skipped_entry(path, &e);
                error.position = format!("bytes {start} onward");
                sink.input_error(error);
                Ok(())
            }
            Err(e) => Err(open_error(path, e)),
        },
        Unit::Skipped(error) => {
            sink.input_error(error.clone());
            Ok(())
        }
        Unit::Run(units) => {
            for unit in units {
                if sink.stopped() {
                    break;
                }
                read_unit(unit, opts, sink)?;
            }
            Ok(())
        }
    }
}

/// A file found in a directory walk: one that cannot be opened (or vanished since the walk) is
/// reported and skipped, not fatal.
fn read_walked(path: &Path, opts: ReadOptions, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    match File::open(path) {
        Ok(file) => read_open_file(path, file, opts, sink),
        Err(e) => {
            sink.input_error(skipped_entry(path, &e));
            Ok(())
        }
    }
}

/// Reads standard input (`-`).
pub fn read_stdin(opts: ReadOptions, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    read_reader("-", io::stdin(), opts, "", sink)
}

/// Core: reads any reader; `name` is used in InputErrors; `default_stream` is the stream name for
/// events whose container has none (for files inside an S3 export tree, the export's stream
/// directory name, e.g. `2020-02-27-[$LATEST]0067289175a6449aa06c17778d756505`; else "").
pub fn read_reader(
    name: &str,
    reader: impl Read + Send,
    opts: ReadOptions,
    default_stream: &str,
    sink: &mut dyn EventSink,
) -> Result<(), SourceError> {
    read_sized(name, reader, None, opts, default_stream, sink)
}

/// The error of an input that cannot be opened: not found, not permitted, or what the system said.
pub fn open_error(path: &Path, e: io::Error) -> SourceError {
    let shown = path.display().to_string();
    match e.kind() {
        io::ErrorKind::NotFound => SourceError::NotFound { path: shown },
        io::ErrorKind::PermissionDenied => SourceError::PermissionDenied { path: shown },
        _ => SourceError::Io { path: shown, source: e },
    }
}

fn read_file(path: &Path, opts: ReadOptions, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    let file = File::open(path).map_err(|e| open_error(path, e))?;
    read_open_file(path, file, opts, sink)
}

/// A file opened at `path`: its size tells whether gzip is inflated inline, its path the stream.
/// A regular file that shrinks while it is read (rotated by copytruncate) lost what it held past
/// the point reached: an input error, never a shorter report read as complete.
fn read_open_file(path: &Path, file: File, opts: ReadOptions, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    let stream = export_stream_name(path);
    let meta = file.metadata().ok();
    let size = meta.as_ref().map(|m| m.len());
    let name = path.display().to_string();
    // Only a regular file has a size to hold it to (not a FIFO, a device, /proc).
    let watch = meta
        .filter(|m| m.is_file())
        .and_then(|m| Some((m.len(), file.try_clone().ok()?)));
    let read = Arc::new(AtomicU64::new(0));
    let counted = Counted {
        inner: file,
        read: read.clone(),
    };
    let result = read_sized(&name, counted, size, opts, &stream, sink);
    if let Some((at_open, probe)) = watch {
        let now = probe.metadata().map_or(at_open, |m| m.len());
        if now < at_open {
            sink.input_error(shrank(&name, at_open, now, read.load(Ordering::Relaxed)));
        }
    }
    result
}

/// The input error of a file that shrank from `at_open` to `now` bytes while it was read, reading
/// having reached byte `read`.
fn shrank(name: &str, at_open: u64, now: u64, read: u64) -> InputError {
    InputError {
        input: name.to_string(),
        position: format!("byte {read}"),
        message: format!(
            "the file shrank from {at_open} to {now} bytes while it was read (rotated by copytruncate?): \
             what it held past the point reached was not read; read a copy, or the rotated file"
        ),
    }
}

/// A reader that counts the bytes read through it (from any thread: gzip inflates on its own).
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
