//! Log files, directories and standard input: gzip sniffing, streaming line reading and the text containers.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use super::container::{detect, export_head, json, text_kind, TextContainer, TextKind};
use super::decode::{
    gunzip, Buffered, ChannelReader, CountingBufRead, Tracker, Utf16Reader, GUNZIP_CHUNKS_IN_FLIGHT, GZIP_MAGIC,
    INLINE_GZIP_BYTES,
};
use super::{EventSink, InputError, InputFormat};

/// Fatal source errors: the input named on the command line cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("no such file or directory: {path} (check the path; use - for standard input)")]
    NotFound { path: String },
    #[error("permission denied: {path} (check that your user can read it)")]
    PermissionDenied { path: String },
    #[error("cannot read {path}: {source} (check that it is a readable file or directory)")]
    Io {
        path: String,
        #[source]
        source: io::Error,
    },
}

/// The S3 export task writes this marker next to the exported streams; it holds no events.
const EXPORT_MARKER: &str = "aws-logs-write-test";
/// A directory of logs often carries its README or the script that fetched it; a file named
/// explicitly is always read.
const NOT_LOG_EXTENSIONS: [&str; 14] = [
    "md", "markdown", "rst", "py", "sh", "ps1", "rs", "toml", "yaml", "yml", "png", "jpg", "jpeg", "pdf",
];
/// Reads a file or a directory (walked recursively, in sorted path order; the S3 export marker
/// `aws-logs-write-test` is skipped; hidden files skipped; in a directory, documentation, scripts
/// and images (`.md`, `.py`, `.sh`, `.png`, …) are skipped too).
pub fn read_path(path: &Path, format: InputFormat, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    if path.as_os_str() == "-" {
        return read_stdin(format, sink);
    }
    let meta = fs::metadata(path).map_err(|e| open_error(path, e))?;
    if !meta.is_dir() {
        return read_file(path, format, sink);
    }
    walk(path, &mut HashSet::new(), &mut |entry| match entry {
        Entry::File { path, .. } => read_walked(&path, format, sink),
        Entry::Skipped(error) => {
            sink.input_error(error);
            Ok(())
        }
    })
}

/// A piece of input that can be read on its own, in any order, and still give the same events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// A whole file named as an input, or `-` for standard input: failing to open it is fatal.
    Named(PathBuf),
    /// A whole file found in a directory walk: failing to open it is reported and skipped.
    Walked(PathBuf),
    /// The events of a plain text file whose header line starts in `[start, end)`: the reader moves
    /// its start on to the next event header and reads past its end to finish its last event, so
    /// the ranges of one file together yield each event exactly once.
    Range {
        path: PathBuf,
        format: InputFormat,
        start: u64,
        end: u64,
        /// Found in a directory walk: failing to open it is reported and skipped, as for `Walked`.
        walked: bool,
    },
    /// A directory entry that cannot be opened: reported as damage in its place.
    Skipped(InputError),
    /// Small whole files, read one after another by one reader: for a file of a few KiB, a unit
    /// of its own (a claim, a channel, a hand-over) cost more than reading it.
    Run(Vec<Unit>),
}

/// Whole files below this size are packed into runs (gzip this small is inflated inline anyway).
const RUN_FILE_BYTES: u64 = INLINE_GZIP_BYTES;
/// A run is closed once its files reach this many bytes.
const RUN_BYTES: u64 = 256 << 10;

/// Packs consecutive small whole files into [`Unit::Run`]s, keeping input order.
#[derive(Default)]
struct Packer {
    units: Vec<Unit>,
    run: Vec<Unit>,
    run_bytes: u64,
}

impl Packer {
    /// Adds a unit; `len` is the size of a whole file (`None` for anything else).
    fn push(&mut self, unit: Unit, len: Option<u64>) {
        match len {
            Some(len) if len < RUN_FILE_BYTES && matches!(unit, Unit::Named(_) | Unit::Walked(_)) => {
                self.run.push(unit);
                self.run_bytes += len;
                if self.run_bytes >= RUN_BYTES {
                    self.close_run();
                }
            }
            _ => {
                self.close_run();
                self.units.push(unit);
            }
        }
    }

    fn close_run(&mut self) {
        self.run_bytes = 0;
        match self.run.len() {
            0 => {}
            1 => self.units.append(&mut self.run),
            _ => self.units.push(Unit::Run(std::mem::take(&mut self.run))),
        }
    }

    fn finish(mut self) -> Vec<Unit> {
        self.close_run();
        self.units
    }
}

/// Splits the inputs into units in input order. Plain export or bare-line files larger than
/// `range_bytes` are cut into ranges; gzip, JSON and other containers stay whole; consecutive
/// small whole files are packed into runs.
pub fn plan(inputs: &[PathBuf], format: InputFormat, range_bytes: u64) -> Result<Vec<Unit>, SourceError> {
    let mut units = Packer::default();
    let add_file = |units: &mut Packer, whole: Unit, path: &Path, len: u64| {
        let parts = plan_file(whole, path, len, format, range_bytes);
        // One part is the whole file.
        let whole_len = (parts.len() == 1).then_some(len);
        parts.into_iter().for_each(|unit| units.push(unit, whole_len));
    };
    for path in inputs {
        if path.as_os_str() == "-" {
            units.push(Unit::Named(path.clone()), None);
            continue;
        }
        let meta = fs::metadata(path).map_err(|e| open_error(path, e))?;
        if !meta.is_dir() {
            add_file(&mut units, Unit::Named(path.clone()), path, meta.len());
            continue;
        }
        walk(path, &mut HashSet::new(), &mut |entry| {
            match entry {
                Entry::File { path, len } => add_file(&mut units, Unit::Walked(path.clone()), &path, len),
                Entry::Skipped(error) => units.push(Unit::Skipped(error), None),
            }
            Ok(())
        })?;
    }
    Ok(units.finish())
}

/// `whole` as one unit, or its ranges. Anything unexpected (it cannot be opened or read) leaves it
/// whole, so the reader meets and reports the failure exactly as it would without ranges.
fn plan_file(whole: Unit, path: &Path, len: u64, format: InputFormat, range_bytes: u64) -> Vec<Unit> {
    let range_bytes = range_bytes.max(1);
    if len <= range_bytes {
        return vec![whole];
    }
    // The same sample and detection the whole-file reader would use, so ranges read it the same way.
    let Ok(file) = File::open(path) else {
        return vec![whole];
    };
    let mut input = Buffered::new(file);
    input.fill_sample();
    if input.error.is_some() {
        return vec![whole];
    }
    let sample = input.sample();
    let plain =
        !sample.starts_with(&GZIP_MAGIC) && !sample.starts_with(&[0xFF, 0xFE]) && !sample.starts_with(&[0xFE, 0xFF]);
    let detected = match format {
        InputFormat::Auto => detect::detect(sample, input.eof),
        explicit => explicit,
    };
    if !plain || !matches!(detected, InputFormat::Export | InputFormat::Bare) {
        return vec![whole];
    }
    let mut units = Vec::new();
    let mut start = 0;
    while start < len {
        let end = start.saturating_add(range_bytes);
        // The last range reads to the end, wherever that is by then (a log being appended to).
        let end = if end >= len { u64::MAX } else { end };
        units.push(Unit::Range {
            path: path.to_path_buf(),
            format: detected,
            start,
            end,
            walked: matches!(whole, Unit::Walked(_)),
        });
        start = end;
    }
    units
}

/// Whether a unit is a gzip file that gets an inflate thread of its own (by its magic bytes, and
/// `INLINE_GZIP_BYTES` or more); `None` when it names no regular file to look at. A pipe (such as
/// `<(zcat …)`) is not even opened: opening and reading it here would take its first bytes, or
/// its only reader, away from the reading that follows.
pub fn unit_inflates_apart(unit: &Unit) -> Option<bool> {
    let path = match unit {
        Unit::Named(path) | Unit::Walked(path) if path.as_os_str() != "-" => path,
        // Runs hold only files small enough to be inflated inline.
        Unit::Range { .. } | Unit::Run(_) => return Some(false),
        _ => return None,
    };
    let meta = fs::metadata(path).ok().filter(fs::Metadata::is_file)?;
    if meta.len() < INLINE_GZIP_BYTES {
        return Some(false);
    }
    let mut magic = [0u8; 2];
    let read = File::open(path).and_then(|mut f| f.read_exact(&mut magic));
    Some(read.is_ok() && magic == GZIP_MAGIC)
}

/// Reads one unit of [`plan`] into `sink`.
pub fn read_unit(unit: &Unit, format: InputFormat, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    match unit {
        Unit::Named(path) => read_path(path, format, sink),
        Unit::Walked(path) => read_walked(path, format, sink),
        Unit::Range {
            path,
            format,
            start,
            end,
            walked,
        } => match File::open(path) {
            Ok(file) => read_range(file, path, *format, *start, *end, sink),
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
        Unit::Run(units) => units.iter().try_for_each(|unit| read_unit(unit, format, sink)),
    }
}

/// A file found in a directory walk: one that cannot be opened (or vanished since the walk) is
/// reported and skipped, not fatal.
fn read_walked(path: &Path, format: InputFormat, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    match File::open(path) {
        Ok(file) => read_open_file(path, file, format, sink),
        Err(e) => {
            sink.input_error(skipped_entry(path, &e));
            Ok(())
        }
    }
}

fn read_range(
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
        Some(container.line_ahead(line, rest, eof, sink))
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

/// Reads standard input (`-`).
pub fn read_stdin(format: InputFormat, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    read_reader("-", io::stdin(), format, "", sink)
}

/// Core: reads any reader; `name` is used in InputErrors; `default_stream` is the stream name for
/// events whose container has none (for files inside an S3 export tree, the export's stream
/// directory name, e.g. `2020-02-27-[$LATEST]0067289175a6449aa06c17778d756505`; else "").
pub fn read_reader(
    name: &str,
    reader: impl Read + Send,
    format: InputFormat,
    default_stream: &str,
    sink: &mut dyn EventSink,
) -> Result<(), SourceError> {
    read_sized(name, reader, None, format, default_stream, sink)
}

/// `read_reader` of an input whose size may be known: a gzip file smaller than
/// `INLINE_GZIP_BYTES` is inflated on this thread.
fn read_sized(
    name: &str,
    mut reader: impl Read + Send,
    size: Option<u64>,
    format: InputFormat,
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
        format,
    };
    if got == 2 && magic == GZIP_MAGIC {
        let tracker = Arc::new(Tracker::default());
        let counted = CountingBufRead {
            inner: BufReader::with_capacity(64 * 1024, whole),
            tracker: tracker.clone(),
        };
        // Multi-member: Firehose stores each subscription record as its own gzip member.
        let decoder = flate2::bufread::MultiGzDecoder::new(counted);
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

fn open_error(path: &Path, e: io::Error) -> SourceError {
    let shown = path.display().to_string();
    match e.kind() {
        io::ErrorKind::NotFound => SourceError::NotFound { path: shown },
        io::ErrorKind::PermissionDenied => SourceError::PermissionDenied { path: shown },
        _ => SourceError::Io { path: shown, source: e },
    }
}

fn read_file(path: &Path, format: InputFormat, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    let file = File::open(path).map_err(|e| open_error(path, e))?;
    read_open_file(path, file, format, sink)
}

/// A file opened at `path`: its size tells whether gzip is inflated inline, its path the stream.
fn read_open_file(path: &Path, file: File, format: InputFormat, sink: &mut dyn EventSink) -> Result<(), SourceError> {
    let stream = export_stream_name(path);
    let size = file.metadata().ok().map(|m| m.len());
    read_sized(&path.display().to_string(), file, size, format, &stream, sink)
}

/// An S3 export stores each stream as `<stream-with-dashes>/000000.gz`, so the directory names the stream.
fn export_stream_name(path: &Path) -> String {
    let Some(file) = path.file_name().and_then(|n| n.to_str()) else {
        return String::new();
    };
    let stem = file.strip_suffix(".gz").unwrap_or(file);
    if stem.len() != 6 || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return String::new();
    }
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .map(lambda_stream_from_export)
        .unwrap_or_default()
}

/// The export turned `/` into `-`; a Lambda stream (`2025/07/11/[$LATEST]…`, or with a function name
/// before `[` in shared groups) is mapped back, so exported and API events name the same stream.
fn lambda_stream_from_export(dir: &str) -> String {
    let b = dir.as_bytes();
    let dated = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-'
        && dir[11..].contains('[');
    if dated {
        format!("{}/{}/{}/{}", &dir[..4], &dir[5..7], &dir[8..10], &dir[11..])
    } else {
        dir.to_string()
    }
}

/// What a directory walk finds, in sorted path order.
enum Entry {
    File { path: PathBuf, len: u64 },
    Skipped(InputError),
}

fn walk(
    dir: &Path,
    visited: &mut HashSet<PathBuf>,
    found: &mut dyn FnMut(Entry) -> Result<(), SourceError>,
) -> Result<(), SourceError> {
    // Symlinked directories may loop back; each real directory is read once.
    if let Ok(real) = fs::canonicalize(dir) {
        if !visited.insert(real) {
            return Ok(());
        }
    }
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        // Only the top directory (the first one visited) is fatal when unreadable.
        Err(e) if visited.len() > 1 => return found(Entry::Skipped(skipped_entry(dir, &e))),
        Err(e) => return Err(open_error(dir, e)),
    };
    let mut entries: Vec<(std::ffi::OsString, PathBuf)> = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|e| open_error(dir, e))?;
        let name = entry.file_name();
        let text = name.to_string_lossy();
        if text.starts_with('.') || text == EXPORT_MARKER || has_non_log_extension(&text) {
            continue;
        }
        entries.push((name, entry.path()));
    }
    entries.sort();
    for (_, path) in entries {
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, visited, found)?,
            Ok(meta) => found(Entry::File { path, len: meta.len() })?,
            Err(e) => found(Entry::Skipped(skipped_entry(&path, &e)))?,
        }
    }
    Ok(())
}

fn has_non_log_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| NOT_LOG_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

/// Inside a directory walk one unreadable entry (below the top directory) is damage to report, not a reason to stop.
fn skipped_entry(path: &Path, e: &io::Error) -> InputError {
    InputError {
        input: path.display().to_string(),
        position: "whole file".to_string(),
        message: format!("cannot open, skipped: {e}"),
    }
}

/// One input being read: its name for errors, its fallback stream, and the requested format.
struct Input<'a> {
    name: &'a str,
    default_stream: &'a str,
    format: InputFormat,
}

impl Input<'_> {
    fn run<R: Read>(&self, decoded: R, gzip: Option<&Tracker>, sink: &mut dyn EventSink) -> Result<(), SourceError> {
        let mut input = Buffered::new(decoded);
        input.fill_sample();
        // Windows PowerShell 5 redirects (`aws logs tail … > out.txt`) write UTF-16 with a BOM.
        let little_endian = match input.sample() {
            [0xFF, 0xFE, ..] => true,
            [0xFE, 0xFF, ..] => false,
            _ => return self.run_buffered(input, gzip, sink),
        };
        input.start += 2;
        let mut wide = Buffered::new(Utf16Reader::new(input, little_endian));
        wide.fill_sample();
        self.run_buffered(wide, gzip, sink)
    }

    fn run_buffered<R: Read>(
        &self,
        mut input: Buffered<R>,
        gzip: Option<&Tracker>,
        sink: &mut dyn EventSink,
    ) -> Result<(), SourceError> {
        let format = match self.format {
            InputFormat::Auto => detect::detect(input.sample(), input.eof),
            explicit => explicit,
        };
        let Some(kind) = text_kind(format) else {
            return self.run_json(&mut input, gzip, sink);
        };
        let mut container = TextContainer::new(kind, self.default_stream);
        let mut invalid = 0u64;
        input.for_each_line(|line, valid, _, rest, eof| {
            invalid += u64::from(!valid);
            Some(container.line_ahead(line, rest, eof, sink))
        });
        container.finish(sink);
        if invalid > 0 {
            sink.invalid_utf8_lines(invalid);
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
        let result = json::read_json(&mut *input, self.default_stream, sink, &mut stats);
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
mod tests {
    use super::*;
    use crate::testutil::{gzip, read, read_planned, TestSink, EXPORT};

    #[test]
    fn ranges_of_a_file_yield_each_event_once_in_order() {
        let mut data = b"\xEF\xBB\xBFstray line before any header\r\n\n".to_vec();
        for i in 0..40 {
            let ts = format!("2025-07-11T06:05:{:02}.{:03}Z", i % 60, i);
            match i % 8 {
                0 => data.extend(format!("{ts} START RequestId: r{i} Version: $LATEST\n\n").bytes()),
                1 => data.extend(
                    format!("{ts} Traceback (most recent call last):\n  File \"x.py\", line {i}\n\n\n").bytes(),
                ),
                2 => data.extend(format!("{ts} crlf message {i}\r\n\r\n").bytes()),
                3 => {
                    data.extend(format!("{ts} not UTF-8 ").bytes());
                    data.extend(b"\xFF\xFE here\n");
                }
                4 => data.extend(
                    format!("{ts} continuation that looks like a stamp\n2025-07-11T06:05:00.000Z+no-space\n").bytes(),
                ),
                5 => data.extend(format!("{ts} {}\n", "long ".repeat(60)).bytes()),
                6 => data.extend(format!("{ts} \n").bytes()),
                _ => data.extend(format!("{ts} REPORT RequestId: r{i}\tDuration: 1.00 ms\n\n").bytes()),
            }
        }
        data.extend(b"2025-07-11T06:06:00.000Z last event, no newline at the end");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.log");
        std::fs::write(&path, &data).unwrap();
        let mut whole = TestSink::default();
        read_path(&path, InputFormat::Auto, &mut whole).unwrap();
        assert_eq!(whole.events.len(), 42);
        assert_eq!(whole.invalid, 5);
        for range_bytes in [1, 2, 3, 5, 17, 64, 199, 1000, 4096, 1 << 20] {
            let (ranged, units) = read_planned(&path, InputFormat::Auto, range_bytes);
            assert_eq!(
                units as u64,
                (data.len() as u64).div_ceil(range_bytes).max(1),
                "{range_bytes}"
            );
            assert_eq!(ranged.events, whole.events, "range {range_bytes}");
            assert_eq!(ranged.invalid, whole.invalid, "range {range_bytes}");
        }
    }

    #[test]
    fn bare_lines_split_into_ranges_and_other_containers_stay_whole() {
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("bare.log");
        let text: String = (0..300)
            .map(|i| format!("START RequestId: r{i} Version: $LATEST\n\n"))
            .collect();
        std::fs::write(&bare, &text).unwrap();
        let mut whole = TestSink::default();
        read_path(&bare, InputFormat::Auto, &mut whole).unwrap();
        let (ranged, units) = read_planned(&bare, InputFormat::Auto, 100);
        assert!(units > 100);
        assert_eq!(ranged.events, whole.events);

        let json = dir.path().join("events.json");
        let events: Vec<String> = (0..300)
            .map(|i| format!("{{\"timestamp\": {i}, \"message\": \"START RequestId: r{i} Version: $LATEST\\n\"}}"))
            .collect();
        std::fs::write(&json, format!("{{\"events\": [{}]}}", events.join(","))).unwrap();
        let gz = dir.path().join("export.log.gz");
        std::fs::write(&gz, gzip(EXPORT.repeat(50).as_bytes())).unwrap();
        for path in [&json, &gz] {
            let units = plan(std::slice::from_ref(path), InputFormat::Auto, 100).unwrap();
            assert_eq!(units, vec![Unit::Named(path.clone())], "{}", path.display());
        }
    }

    #[test]
    fn small_whole_files_are_packed_into_runs_in_input_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, len: usize| {
            let path = dir.path().join(name);
            std::fs::write(&path, EXPORT.repeat(len / EXPORT.len() + 1)).unwrap();
            path
        };
        let small: Vec<PathBuf> = (0..5).map(|i| file(&format!("s{i}.log"), 100)).collect();
        let big = file("big.log", RUN_FILE_BYTES as usize);
        let named = |p: &PathBuf| Unit::Named(p.clone());
        let inputs = [&small[0], &small[1], &big, &small[2], &small[3], &small[4]];
        let inputs: Vec<PathBuf> = inputs.into_iter().cloned().collect();
        let units = plan(&inputs, InputFormat::Auto, u64::MAX).unwrap();
        assert_eq!(
            units,
            vec![
                Unit::Run(vec![named(&small[0]), named(&small[1])]),
                named(&big),
                Unit::Run(vec![named(&small[2]), named(&small[3]), named(&small[4])]),
            ]
        );
        // A file cut into ranges, and standard input, break a run too; a run of one is its file.
        let stdin = PathBuf::from("-");
        let units = plan(
            &[small[0].clone(), big.clone(), small[1].clone(), stdin.clone()],
            InputFormat::Auto,
            1024,
        )
        .unwrap();
        assert_eq!(units.first(), Some(&named(&small[0])));
        assert!(matches!(units[1], Unit::Range { .. }), "{units:?}");
        assert_eq!(&units[units.len() - 2..], &[named(&small[1]), Unit::Named(stdin)]);
        // Runs close at RUN_BYTES.
        let many: Vec<PathBuf> = (0..40).map(|i| file(&format!("m{i:02}.log"), 30_000)).collect();
        let units = plan(&many, InputFormat::Auto, u64::MAX).unwrap();
        let per_file = std::fs::metadata(&many[0]).unwrap().len();
        let per_run = RUN_BYTES.div_ceil(per_file) as usize;
        let sizes: Vec<usize> = units
            .iter()
            .map(|u| match u {
                Unit::Run(r) => r.len(),
                _ => 1,
            })
            .collect();
        assert_eq!(sizes.iter().sum::<usize>(), 40);
        assert!(
            sizes[..sizes.len() - 1].iter().all(|&n| n == per_run),
            "{sizes:?} {per_run}"
        );
        // Read in order, the runs give what the files give one by one.
        let (mut packed, mut one_by_one) = (TestSink::default(), TestSink::default());
        for unit in &units {
            read_unit(unit, InputFormat::Auto, &mut packed).unwrap();
        }
        for path in &many {
            read_path(path, InputFormat::Auto, &mut one_by_one).unwrap();
        }
        assert_eq!(packed.events, one_by_one.events);
    }

    #[test]
    fn planning_a_directory_keeps_walk_order_and_skips_what_the_walk_skips() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("b")).unwrap();
        std::fs::write(dir.path().join("b/2.log"), EXPORT).unwrap();
        std::fs::write(dir.path().join("a.log"), EXPORT.repeat(3)).unwrap();
        std::fs::write(dir.path().join("README.md"), "# not logs").unwrap();
        std::fs::write(dir.path().join(EXPORT_MARKER), "").unwrap();
        let units = plan(&[dir.path().to_path_buf()], InputFormat::Auto, 1 << 20).unwrap();
        assert_eq!(
            units,
            vec![Unit::Run(vec![
                Unit::Walked(dir.path().join("a.log")),
                Unit::Walked(dir.path().join("b/2.log"))
            ])]
        );
        let mut planned = TestSink::default();
        for unit in &units {
            read_unit(unit, InputFormat::Auto, &mut planned).unwrap();
        }
        let mut walked = TestSink::default();
        read_path(dir.path(), InputFormat::Auto, &mut walked).unwrap();
        assert_eq!(planned.events, walked.events);
        let err = plan(&[dir.path().join("missing.log")], InputFormat::Auto, 1 << 20).unwrap_err();
        assert!(matches!(err, SourceError::NotFound { .. }), "{err}");
        // A walked file cut into ranges that vanishes before it is read is skipped, as when whole.
        let ranged = plan(&[dir.path().to_path_buf()], InputFormat::Auto, 64).unwrap();
        assert!(ranged.len() > 2, "{ranged:?}");
        std::fs::remove_file(dir.path().join("a.log")).unwrap();
        let mut sink = TestSink::default();
        for unit in &ranged {
            read_unit(unit, InputFormat::Auto, &mut sink).unwrap();
        }
        assert_eq!(sink.errors[0].input, dir.path().join("a.log").display().to_string());
        assert_eq!(sink.errors[0].position, "bytes 0 onward");
        assert_eq!(sink.events.len(), walked.events.len() / 4, "b/2.log is still read");
    }

    #[test]
    fn empty_input_and_blank_lines() {
        for format in [
            InputFormat::Auto,
            InputFormat::Export,
            InputFormat::Json,
            InputFormat::Bare,
        ] {
            let s = read(b"", format);
            assert!(s.events.is_empty() && s.errors.is_empty());
        }
        assert!(read(b"\n\n  \n", InputFormat::Auto).events.is_empty());
    }

    #[test]
    fn truncated_gzip_keeps_events_and_names_the_byte() {
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&format!(
                "2024-08-28T10:00:00.123Z START RequestId: {i:08} Version: $LATEST\n\n"
            ));
        }
        let full = gzip(text.as_bytes());
        let cut = &full[..full.len() / 2];
        let mut sink = TestSink::default();
        read_reader("logs/000000.gz", cut, InputFormat::Auto, "", &mut sink).unwrap();
        // A small file is inflated on the reading thread, not on a thread of its own: the same
        // events, the same damage at the same byte.
        let mut inline = TestSink::default();
        read_sized("logs/000000.gz", cut, Some(0), InputFormat::Auto, "", &mut inline).unwrap();
        assert_eq!(inline.events, sink.events);
        assert_eq!(inline.errors, sink.errors);
        assert!(
            sink.events.len() > 1000 && sink.events.len() < 20_000,
            "{}",
            sink.events.len()
        );
        for (i, e) in sink.events.iter().enumerate().take(sink.events.len() - 1) {
            assert_eq!(e.2, format!("START RequestId: {i:08} Version: $LATEST"));
        }
        assert_eq!(sink.errors.len(), 1);
        let err = &sink.errors[0];
        assert_eq!(err.input, "logs/000000.gz");
        assert_eq!(err.position, format!("byte {} of compressed input", cut.len()));
        assert!(err.message.starts_with("gzip stream truncated"), "{}", err.message);

        let mut corrupt = full.clone();
        for b in &mut corrupt[full.len() / 2..full.len() / 2 + 64] {
            *b = 0xff;
        }
        let mut sink = TestSink::default();
        read_reader("c.gz", &corrupt[..], InputFormat::Export, "", &mut sink).unwrap();
        let mut inline = TestSink::default();
        read_sized("c.gz", &corrupt[..], Some(0), InputFormat::Export, "", &mut inline).unwrap();
        assert_eq!((&inline.events, &inline.errors), (&sink.events, &sink.errors));
        assert_eq!(sink.errors.len(), 1, "{:?}", sink.errors);
        assert!(
            sink.errors[0].message.starts_with("gzip stream"),
            "{}",
            sink.errors[0].message
        );
        assert!(sink.events.len() > 1000);
    }

    #[test]
    fn random_bytes_do_not_panic() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut data = Vec::new();
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            data.push((state >> 24) as u8);
        }
        for format in InputFormat::NAMES {
            let format = match format {
                "export" => InputFormat::Export,
                "json" => InputFormat::Json,
                "tail" => InputFormat::Tail,
                "console" => InputFormat::Console,
                "bare" => InputFormat::Bare,
                _ => InputFormat::Auto,
            };
            let _ = read(&data, format);
            let mut gz = vec![0x1f, 0x8b];
            gz.extend_from_slice(&data);
            let s = read(&gz, format);
            assert_eq!(s.errors.len(), 1);
        }
    }

    #[test]
    fn missing_path_is_not_found() {
        let mut sink = TestSink::default();
        let err = read_path(Path::new("/no/such/authlogs/file.log"), InputFormat::Auto, &mut sink).unwrap_err();
        assert!(matches!(err, SourceError::NotFound { .. }));
        assert_eq!(
            err.to_string(),
            "no such file or directory: /no/such/authlogs/file.log (check the path; use - for standard input)"
        );
    }

    #[test]
    fn walks_an_s3_export_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("exportedlogs");
        let task = root.join("e37ac5c7-0170-416c-939c-19007ec3e1af");
        let s1 = task.join("2020-02-27-[$LATEST]0067289175a6449aa06c17778d756505");
        let s2 = task.join("2020-02-28-[$LATEST]11111111111111111111111111111111");
        fs::create_dir_all(&s1).unwrap();
        fs::create_dir_all(&s2).unwrap();
        fs::write(root.join(EXPORT_MARKER), b"Permission Check Successful").unwrap();
        fs::write(root.join(".hidden"), b"START RequestId: hidden\n").unwrap();
        fs::write(dir.path().join("README.md"), b"# exported logs\n").unwrap();
        fs::write(
            s1.join("000000.gz"),
            gzip(b"2020-02-27T10:00:00.000Z START RequestId: a Version: $LATEST\n\n"),
        )
        .unwrap();
        fs::write(
            s1.join("000001.gz"),
            gzip(b"2020-02-27T10:00:01.000Z END RequestId: a\n\n"),
        )
        .unwrap();
        fs::write(
            s2.join("000000.gz"),
            gzip(b"2020-02-28T10:00:00.000Z START RequestId: b Version: $LATEST\n\n"),
        )
        .unwrap();
        let mut sink = TestSink::default();
        read_path(dir.path(), InputFormat::Auto, &mut sink).unwrap();
        assert!(sink.errors.is_empty(), "{:?}", sink.errors);
        let got: Vec<(&str, &str)> = sink.events.iter().map(|e| (e.1.as_str(), e.2.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (
                    "2020/02/27/[$LATEST]0067289175a6449aa06c17778d756505",
                    "START RequestId: a Version: $LATEST"
                ),
                (
                    "2020/02/27/[$LATEST]0067289175a6449aa06c17778d756505",
                    "END RequestId: a"
                ),
                (
                    "2020/02/28/[$LATEST]11111111111111111111111111111111",
                    "START RequestId: b Version: $LATEST"
                ),
            ]
        );
    }

    #[test]
    fn gzip_units_of_64_kib_or_more_inflate_apart() {
        let dir = tempfile::tempdir().unwrap();
        let (gz, small, plain) = (
            dir.path().join("a.gz"),
            dir.path().join("s.gz"),
            dir.path().join("b.log"),
        );
        // Ids that do not repeat compress to more than 64 KiB.
        let mut big = String::new();
        let mut x: u64 = 1;
        while big.len() < 1_500_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            big.push_str(&format!(
                "2024-08-28T10:00:00.123Z START RequestId: {x:016x} Version: $LATEST\n\n"
            ));
        }
        fs::write(&gz, gzip(big.as_bytes())).unwrap();
        assert!(fs::metadata(&gz).unwrap().len() >= INLINE_GZIP_BYTES);
        fs::write(&small, gzip(EXPORT.as_bytes())).unwrap();
        fs::write(&plain, EXPORT).unwrap();
        assert_eq!(unit_inflates_apart(&Unit::Named(gz.clone())), Some(true));
        assert_eq!(unit_inflates_apart(&Unit::Walked(gz)), Some(true));
        assert_eq!(unit_inflates_apart(&Unit::Walked(small.clone())), Some(false));
        assert_eq!(unit_inflates_apart(&Unit::Run(vec![Unit::Walked(small)])), Some(false));
        assert_eq!(unit_inflates_apart(&Unit::Walked(plain.clone())), Some(false));
        assert_eq!(
            unit_inflates_apart(&Unit::Named(dir.path().join("missing"))),
            None,
            "no regular file to look at"
        );
        assert_eq!(unit_inflates_apart(&Unit::Named("-".into())), None);
        let range = Unit::Range {
            path: plain,
            format: InputFormat::Export,
            start: 0,
            end: 10,
            walked: false,
        };
        assert_eq!(unit_inflates_apart(&range), Some(false));
    }

    #[test]
    fn export_directory_names_map_back_to_lambda_streams() {
        assert_eq!(
            lambda_stream_from_export("2025-07-11-[$LATEST]3f9a1c7e52b84d0e9c6f2a8b1d4e7c05"),
            "2025/07/11/[$LATEST]3f9a1c7e52b84d0e9c6f2a8b1d4e7c05"
        );
        assert_eq!(
            lambda_stream_from_export("2025-09-02-fn[$LATEST]abc"),
            "2025/09/02/fn[$LATEST]abc"
        );
        assert_eq!(lambda_stream_from_export("my-stream"), "my-stream");
    }
}
