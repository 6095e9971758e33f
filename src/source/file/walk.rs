//! The directory walk: its order, what it skips, and the stream names the paths of an S3 export tree give.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{open_error, SourceError};
use crate::report::InputError;

/// The S3 export task writes this marker next to the exported streams; it holds no events.
pub(super) const EXPORT_MARKER: &str = "aws-logs-write-test";
/// A directory of logs often carries its README or the script that fetched it; a file named
/// explicitly is always read.
const NOT_LOG_EXTENSIONS: [&str; 14] = [
    "md", "markdown", "rst", "py", "sh", "ps1", "rs", "toml", "yaml", "yml", "png", "jpg", "jpeg", "pdf",
];

/// What a directory walk finds, in sorted path order.
pub(super) enum Entry {
    File { path: PathBuf, len: u64 },
    Skipped(InputError),
}

pub(super) fn walk(
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
            Ok(meta) if meta.is_file() => found(Entry::File { path, len: meta.len() })?,
            // Opening a FIFO blocks until a writer comes, and a device may never end: only a file
            // named on the command line is read whatever it is.
            Ok(_) => found(Entry::Skipped(not_regular(&path)))?,
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
pub(super) fn skipped_entry(path: &Path, e: &io::Error) -> InputError {
    InputError {
        input: path.display().to_string(),
        position: "whole file".to_string(),
        message: format!("cannot open, skipped: {e}"),
    }
}

/// A FIFO, socket or device met in a walk: skipped, and said so (what it would have given is unknown).
fn not_regular(path: &Path) -> InputError {
    InputError {
        input: path.display().to_string(),
        position: "whole file".to_string(),
        message: "not a regular file (a FIFO, socket or device), skipped: name it on the command line to read it"
            .to_string(),
    }
}

/// An S3 export stores each stream as `<stream-with-dashes>/000000.gz`, so the directory names the stream.
pub(super) fn export_stream_name(path: &Path) -> String {
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

#[cfg(test)]
mod tests;
