//! How inputs are read: their container, the line cap, and the message templates.

use crate::error::Error;
use crate::source::MIN_MAX_LINE_BYTES;

/// `--max-line-bytes`: a byte count, plain or with a binary unit (`64KiB`, `1MiB`, `2M`), at least
/// [`MIN_MAX_LINE_BYTES`].
pub(crate) fn max_line_bytes(value: &str) -> Result<usize, Error> {
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
