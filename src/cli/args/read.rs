//! How inputs are read: their container, the line cap, and the message templates.

use std::path::PathBuf;

use clap::Args;

use crate::error::Error;
use crate::patterns::Patterns;
use crate::source::{InputFormat, ReadOptions, MIN_MAX_LINE_BYTES};

/// How inputs are read. Worded for `report`; `tail` words its own (see `tail.rs`).
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// Container of the inputs; auto detects it per input.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    pub input_format: InputFormat,
    /// Lines (events) longer than this are cut: the head is read, the rest skipped and counted
    /// (input.oversized_lines). CloudWatch events are at most 1 MB.
    #[arg(long, value_name = "SIZE", default_value = "1MiB")]
    pub max_line_bytes: String,
    /// TOML file of message templates for a differently worded authorizer.
    #[arg(long, value_name = "FILE")]
    pub patterns: Option<PathBuf>,
}

/// Validated reading options.
#[derive(Debug)]
pub(crate) struct Reading {
    /// Container and line cap.
    pub(crate) read: ReadOptions,
    /// The message templates: `--patterns`, else the built-in ones.
    pub(crate) patterns: Patterns,
}

impl ReadArgs {
    /// The templates loaded and the line cap checked.
    pub(crate) fn validate(&self) -> Result<Reading, Error> {
        let patterns = match &self.patterns {
            Some(p) => Patterns::load(p)?,
            None => Patterns::builtin(),
        };
        Ok(Reading {
            read: ReadOptions {
                format: self.input_format,
                max_line_bytes: max_line_bytes(&self.max_line_bytes)?,
            },
            patterns,
        })
    }
}

/// `--max-line-bytes`: a byte count, plain or with a binary unit (`64KiB`, `1MiB`, `2M`), at least
/// [`MIN_MAX_LINE_BYTES`].
fn max_line_bytes(value: &str) -> Result<usize, Error> {
    let bad = || {
        Error::Usage(format!(
            "--max-line-bytes takes a size of at least {MIN_MAX_LINE_BYTES} bytes, such as 1048576, 64KiB or 1MiB; not '{value}'"
        ))
    };
    let text = value.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let scale: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(bad()),
    };
    let bytes = number
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(bad)?;
    if bytes < MIN_MAX_LINE_BYTES {
        return Err(bad());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
