//! Human-readable sizes and durations for messages (`1.2 GB`, `3 min`).

/// `950 B`, `1.2 GB`: decimal units, as AWS bills and reports storage.
pub(crate) fn human_bytes(b: f64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB"];
    // Not `max(0.0)`: it may keep -0.0, which prints as "-0".
    let mut v = if b > 0.0 { b } else { 0.0 };
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{v:.0} B")
    } else {
        format!("{v:.1} {}", units[i])
    }
}

/// `45 s`, `12 min`, `1.5 h`.
pub(crate) fn human_seconds(s: f64) -> String {
    match s {
        s if s < 90.0 => format!("{s:.0} s"),
        s if s < 5400.0 => format!("{:.0} min", s / 60.0),
        s => format!("{:.1} h", s / 3600.0),
    }
}
