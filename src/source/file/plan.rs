//! Planning: the units inputs are read in (whole files, ranges of large plain files, runs of small files).

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use super::walk::{walk, Entry};
use super::{open_error, SourceError};
use crate::report::InputError;
use crate::source::container::detect;
use crate::source::decode::{Buffered, GZIP_MAGIC, INLINE_GZIP_BYTES};
use crate::source::InputFormat;

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
    // Only a file of `\n` ends (a `\n` in its sample, as its first span has) is cut: each range then
    // reads a lone `\r` as content, as the whole-file reader would after that span. In a file of `\r`
    // ends a range could not tell from its own bytes where the whole-file reader's lines end.
    let lf = memchr::memchr(b'\n', sample).is_some();
    if !plain || !lf || !matches!(detected, InputFormat::Export | InputFormat::Bare) {
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

#[cfg(test)]
mod tests;
