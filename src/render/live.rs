//! `tail`'s output: one line per invocation (text or JSON lines), burst alerts, raw lines, and the
//! one-line summary at the end. Everything from a log is escaped; tokens arrive already masked.

use std::fmt::Write as _;

use serde::Serialize;

use super::terminal_safe_json;
use crate::redact::escape_control;
use crate::report::{Report, RequestRow};
use crate::timeutil::{format_rfc3339_ms, rfc3339_to_local};

/// How `tail` lines look.
#[derive(Debug, Clone, Copy, Default)]
pub struct LiveStyle {
    /// ANSI colors for decisions and alerts.
    pub color: bool,
    /// Times in the local zone.
    pub local_time: bool,
    /// JSON lines instead of text.
    pub json: bool,
}

const RESET: &str = "\x1b[0m";

fn decision_word(decision: &str) -> (&'static str, &'static str) {
    match decision {
        "allowed" => ("ALLOW", "\x1b[32m"),
        "denied" => ("DENY", "\x1b[31m"),
        "timeout" => ("TIMEOUT", "\x1b[33m"),
        "error" => ("ERROR", "\x1b[35m"),
        _ => ("UNKNOWN", ""),
    }
}

fn shown_time(rfc3339: Option<&str>, style: LiveStyle) -> String {
    match rfc3339 {
        Some(t) if style.local_time => rfc3339_to_local(t).unwrap_or_else(|| t.to_string()),
        Some(t) => t.to_string(),
        None => "-".to_string(),
    }
}

/// One invocation: `TIME DECISION IP REASONS TOKEN DURATION MEMORY MARKS REQUEST_ID`, or its
/// `--requests` JSON object. Ends with a newline.
pub fn invocation_line(row: &RequestRow, style: LiveStyle) -> String {
    if style.json {
        let mut line = terminal_safe_json(&serde_json::to_string(row).unwrap_or_default());
        line.push('\n');
        return line;
    }
    let (word, color) = decision_word(row.decision);
    let decision = if style.color && !color.is_empty() {
        format!("{color}{word:<7}{RESET}")
    } else {
        format!("{word:<7}")
    };
    let missing = row.reasons.contains(&"token_missing");
    let reasons: Vec<&str> = row
        .reasons
        .iter()
        .filter_map(|r| match *r {
            "ip_mismatch" => Some("ip"),
            "token_mismatch" if missing => Some("token missing"),
            "token_mismatch" => Some("token"),
            _ => None,
        })
        .collect();
    let reasons = if reasons.is_empty() {
        "-".to_string()
    } else {
        reasons.join("+")
    };
    let duration = row
        .duration_ms
        .map_or_else(|| "-".to_string(), |d| format!("{d:.2} ms"));
    let memory = match (row.max_memory_used_mb, row.memory_size_mb) {
        (Some(used), Some(size)) => format!("{used}/{size} MB"),
        _ => "-".to_string(),
    };
    let mut marks = Vec::new();
    if row.init_duration_ms.is_some() {
        marks.push("cold");
    }
    if row.incomplete {
        marks.push("incomplete");
    }
    let text = |v: &Option<String>| {
        v.as_deref()
            .map_or_else(|| "-".to_string(), |s| escape_control(s).into_owned())
    };
    let mut line = String::new();
    let _ = writeln!(
        line,
        "{} {decision} {:<15} {:<18} {:<13} {:>10} {:>11} {:<15} {}",
        shown_time(row.time.as_deref(), style),
        text(&row.source_ip),
        reasons,
        text(&row.token),
        duration,
        memory,
        marks.join(","),
        escape_control(&row.request_id),
    );
    line
}

/// A burst of denials from one IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// Always `alert`, so JSON consumers can tell it from an invocation.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The source IP, escaped.
    pub ip: String,
    /// Denials within the window.
    pub denials: usize,
    /// The window, in seconds.
    pub window_seconds: i64,
    /// RFC 3339 UTC of the first and the last of them.
    pub first: String,
    /// RFC 3339 UTC of the last of them.
    pub last: String,
}

impl Alert {
    /// An alert for `ip` (as logged) with `denials` between `first_ms` and `last_ms`.
    pub fn new(ip: &str, denials: usize, window_ms: i64, first_ms: i64, last_ms: i64) -> Alert {
        Alert {
            kind: "alert",
            ip: escape_control(ip).into_owned(),
            denials,
            window_seconds: window_ms / 1000,
            first: format_rfc3339_ms(first_ms),
            last: format_rfc3339_ms(last_ms),
        }
    }
}

/// The alert line: highlighted text, or a JSON object with `"type":"alert"`.
pub fn alert_line(alert: &Alert, style: LiveStyle) -> String {
    if style.json {
        let mut line = terminal_safe_json(&serde_json::to_string(alert).unwrap_or_default());
        line.push('\n');
        return line;
    }
    let text = format!(
        "ALERT   {} was denied {} times within {} s ({} → {})",
        alert.ip,
        alert.denials,
        alert.window_seconds,
        shown_time(Some(&alert.first), style),
        shown_time(Some(&alert.last), style)
    );
    if style.color {
        format!("\x1b[1;41;97m{text}{RESET}\n")
    } else {
        format!("{text}\n")
    }
}

/// `--raw`: the invocation's log lines under it, indented and escaped (text output only).
pub fn raw_lines(lines: &[String], truncated: usize) -> String {
    let mut out = String::new();
    for line in lines {
        for part in line.split('\n') {
            let _ = writeln!(out, "    │ {}", escape_control(part));
        }
    }
    if truncated > 0 {
        let _ = writeln!(out, "    │ … {truncated} more lines");
    }
    out
}

/// What a `tail` run saw, for its last line on stderr.
#[derive(Debug, Clone, Default)]
pub struct TailSummary {
    /// Invocations printed (after the filters).
    pub printed: u64,
    /// Burst alerts printed.
    pub alerts: u64,
    /// Live Tail sessions started again.
    pub reconnects: u64,
    /// Seconds in which CloudWatch sampled the events.
    pub sampled_seconds: u64,
}

/// `authlogs: 42 invocations (…); denials …; N events, …` — counts of everything seen.
pub fn summary_line(report: &Report, summary: &TailSummary) -> String {
    let d = &report.decisions;
    let n = &report.denials;
    let mut line = format!(
        "authlogs: {} invocations (allowed {}, denied {}, timeout {}, error {}, unknown {}; {} incomplete), {} printed; \
         denials: ip mismatch {}, token mismatch {}, both {}, token missing {}; {} events, {} reconnects, {} sampled seconds, {} alerts\n",
        report.invocations,
        d.allowed,
        d.denied,
        d.timeout,
        d.error,
        d.unknown,
        report.incomplete,
        summary.printed,
        n.ip_mismatch,
        n.token_mismatch,
        n.both,
        n.token_missing,
        report.input.events,
        summary.reconnects,
        summary.sampled_seconds,
        summary.alerts,
    );
    let input = &report.input;
    if input.oversized_lines > 0 {
        line.pop();
        let first = input.first_oversized_line.as_deref().unwrap_or("?");
        let _ = writeln!(
            line,
            "; {} oversized lines cut at --max-line-bytes (first at {})",
            input.oversized_lines,
            escape_control(first)
        );
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> RequestRow {
        RequestRow {
            request_id: "e9b8af80-569f-4e11-a6fd-15e45859e5a3".into(),
            time: Some("2025-07-11T06:05:34.309Z".into()),
            stream: "s".into(),
            decision: "denied",
            reasons: vec!["ip_mismatch", "token_mismatch", "token_missing"],
            source_ip: Some("203.0.113.10\u{1b}[2J".into()),
            token: Some("tok:9f86d081".into()),
            duration_ms: Some(1.85),
            billed_duration_ms: Some(2),
            memory_size_mb: Some(512),
            max_memory_used_mb: Some(35),
            init_duration_ms: Some(120.5),
            incomplete: false,
        }
    }

    #[test]
    fn a_text_line_has_every_column_and_no_control_byte() {
        let line = invocation_line(&row(), LiveStyle::default());
        for part in [
            "2025-07-11T06:05:34.309Z",
            "DENY",
            "ip+token missing",
            "tok:9f86d081",
            "1.85 ms",
            "35/512 MB",
            "cold",
            "e9b8af80-569f-4e11-a6fd-15e45859e5a3",
        ] {
            assert!(line.contains(part), "{part} missing: {line}");
        }
        assert!(!line.trim_end().chars().any(char::is_control), "{line:?}");
        let colored = invocation_line(
            &row(),
            LiveStyle {
                color: true,
                ..LiveStyle::default()
            },
        );
        assert!(colored.contains("\x1b[31mDENY"), "{colored:?}");
    }

    #[test]
    fn a_json_line_is_the_requests_row() {
        let line = invocation_line(
            &row(),
            LiveStyle {
                json: true,
                ..LiveStyle::default()
            },
        );
        let v: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let expected = serde_json::to_value(row()).unwrap_or_default();
        assert_eq!(v, expected);
        let alert = Alert::new("203.0.113.10", 5, 60_000, 0, 1000);
        let a: serde_json::Value = serde_json::from_str(&alert_line(
            &alert,
            LiveStyle {
                json: true,
                ..LiveStyle::default()
            },
        ))
        .unwrap_or_default();
        assert_eq!((a["type"].as_str(), a["denials"].as_u64()), (Some("alert"), Some(5)));
    }
}
