//! `tail`'s output: one line per invocation (text or JSON lines), burst alerts, raw lines, and the
//! one-line summary at the end. Everything from a log is escaped; tokens arrive already masked.
//! The words of the text lines are in `LiveStyle::lang`; the decision words (`ALLOW`, `DENY`, …)
//! and `ALERT` are the same in every language (a fixed vocabulary that scripts grep for), and JSON
//! lines keep their English keys and values.

mod printer;
mod requests;

pub(crate) use printer::{PrintOptions, TailPrinter};
pub(crate) use requests::AccessSide;

use std::fmt::Write as _;

use serde::Serialize;

use super::table::display_width;
use super::terminal_safe_json;
use crate::access::live::LiveCounts;
use crate::i18n::{fill, Lang};
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
    /// The language of the text lines' words.
    pub lang: Lang,
}

pub(super) const RESET: &str = "\x1b[0m";

fn decision_word(decision: &str) -> (&'static str, &'static str) {
    match decision {
        "allowed" => ("ALLOW", "\x1b[32m"),
        "denied" => ("DENY", "\x1b[31m"),
        "timeout" => ("TIMEOUT", "\x1b[33m"),
        "error" => ("ERROR", "\x1b[35m"),
        _ => ("UNKNOWN", ""),
    }
}

/// `text` padded with spaces to `width` terminal cells (a double-width character counts two).
pub(super) fn pad(text: &str, width: usize) -> String {
    let cells = display_width(text);
    let mut padded = text.to_string();
    padded.push_str(&" ".repeat(width.saturating_sub(cells)));
    padded
}

pub(super) fn shown_time(rfc3339: Option<&str>, style: LiveStyle) -> String {
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
    let t = style.lang.tail();
    let missing = row.reasons.contains(&"token_missing");
    let reasons: Vec<&str> = row
        .reasons
        .iter()
        .filter_map(|r| match *r {
            "ip_mismatch" => Some(t.reason_ip),
            "token_mismatch" if missing => Some(t.reason_token_missing),
            "token_mismatch" => Some(t.reason_token),
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
        marks.push(t.cold);
    }
    if row.incomplete {
        marks.push(t.incomplete);
    }
    let text = |v: &Option<String>| {
        v.as_deref()
            .map_or_else(|| "-".to_string(), |s| escape_control(s).into_owned())
    };
    let mut line = String::new();
    let _ = writeln!(
        line,
        "{} {decision} {:<15} {} {:<13} {:>10} {:>11} {} {}",
        shown_time(row.time.as_deref(), style),
        text(&row.source_ip),
        pad(&reasons, 18),
        text(&row.token),
        duration,
        memory,
        pad(&marks.join(","), 15),
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
    let said = fill(
        style.lang.tail().alert,
        &[
            ("ip", &alert.ip),
            ("denials", &alert.denials),
            ("seconds", &alert.window_seconds),
            ("first", &shown_time(Some(&alert.first), style)),
            ("last", &shown_time(Some(&alert.last), style)),
        ],
    );
    let text = format!("ALERT   {said}");
    if style.color {
        format!("\x1b[1;41;97m{text}{RESET}\n")
    } else {
        format!("{text}\n")
    }
}

/// `--raw`: the invocation's log lines under it, indented and escaped (text output only).
pub fn raw_lines(lines: &[String], truncated: usize, lang: Lang) -> String {
    let mut out = String::new();
    for line in lines {
        for part in line.split('\n') {
            let _ = writeln!(out, "    │ {}", escape_control(part));
        }
    }
    if truncated > 0 {
        let _ = writeln!(out, "    │ {}", fill(lang.tail().more_lines, &[("count", &truncated)]));
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

/// `authlogs: N API requests (…)` — `tail` with an access log: the requests handed out by the
/// live join, by class, in `lang`.
pub fn requests_summary_line(c: &LiveCounts, lang: Lang) -> String {
    let mut line = fill(
        lang.tail().callers_summary,
        &[
            ("requests", &c.requests),
            ("fresh_allow", &c.fresh_allow),
            ("fresh_deny", &c.fresh_deny),
            ("cached_allow", &c.cached_allow),
            ("cached_deny", &c.cached_deny),
            ("identity_missing", &c.identity_missing),
            ("authorizer_failed", &c.authorizer_failed),
            ("other", &c.other),
            ("other_ip", &c.other_ip),
            ("unmatched", &c.unmatched_invocations),
            ("ambiguous", &c.ambiguous),
            ("unreadable", &c.unreadable),
        ],
    );
    line.push('\n');
    line
}

/// `authlogs: 42 invocations (…); denials …; N events, …` — counts of everything seen, in `lang`.
pub fn summary_line(report: &Report, summary: &TailSummary, lang: Lang) -> String {
    let (d, n, t) = (&report.decisions, &report.denials, lang.tail());
    let mut line = fill(
        t.summary,
        &[
            ("invocations", &report.invocations),
            ("allowed", &d.allowed),
            ("denied", &d.denied),
            ("timeout", &d.timeout),
            ("error", &d.error),
            ("unknown", &d.unknown),
            ("incomplete", &report.incomplete),
            ("printed", &summary.printed),
            ("ip_mismatch", &n.ip_mismatch),
            ("token_mismatch", &n.token_mismatch),
            ("both", &n.both),
            ("token_missing", &n.token_missing),
            ("events", &report.input.events),
            ("reconnects", &summary.reconnects),
            ("sampled_seconds", &summary.sampled_seconds),
            ("alerts", &summary.alerts),
        ],
    );
    let input = &report.input;
    if input.oversized_lines > 0 {
        let first = input.first_oversized_line.as_deref().unwrap_or("?");
        line.push_str(&fill(
            t.summary_oversized,
            &[("count", &input.oversized_lines), ("first", &escape_control(first))],
        ));
    }
    if input.values_cut > 0 {
        line.push_str(&fill(t.summary_values_cut, &[("count", &input.values_cut)]));
    }
    if input.requests_closed_early > 0 {
        line.push_str(&fill(
            t.summary_closed_early,
            &[("count", &input.requests_closed_early)],
        ));
    }
    line.push('\n');
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

    #[test]
    fn a_japanese_line_keeps_the_decision_word_and_the_columns() {
        let ja = LiveStyle {
            lang: Lang::Ja,
            ..LiveStyle::default()
        };
        let (en_line, ja_line) = (
            invocation_line(&row(), LiveStyle::default()),
            invocation_line(&row(), ja),
        );
        for part in [
            "DENY",
            "IP+トークンなし",
            "コールド",
            "tok:9f86d081",
            "1.85 ms",
            "35/512 MB",
        ] {
            assert!(ja_line.contains(part), "{part} missing: {ja_line}");
        }
        assert!(!ja_line.contains("token") && !ja_line.contains("cold"), "{ja_line}");
        // Double-width words are padded by the cells they take: the request id starts in the
        // same terminal column in both languages.
        let column = |line: &str| display_width(&line[..line.find("e9b8af80").unwrap_or(0)]);
        assert_eq!(column(&ja_line), column(&en_line), "{en_line}{ja_line}");
        let alert = Alert::new("203.0.113.10", 5, 60_000, 0, 1000);
        assert_eq!(
            alert_line(&alert, LiveStyle::default()),
            "ALERT   203.0.113.10 was denied 5 times within 60 s (1970-01-01T00:00:00.000Z → 1970-01-01T00:00:01.000Z)\n"
        );
        assert_eq!(
            alert_line(&alert, ja),
            "ALERT   203.0.113.10 が 60 秒以内に 5 回拒否されました (1970-01-01T00:00:00.000Z → 1970-01-01T00:00:01.000Z)\n"
        );
        assert_eq!(raw_lines(&[], 3, Lang::En), "    │ … 3 more lines\n");
        assert_eq!(raw_lines(&[], 3, Lang::Ja), "    │ … ほか 3 行\n");
    }

    #[test]
    fn the_summary_line_in_both_languages() {
        let mut report = Report {
            invocations: 11,
            ..Report::default()
        };
        report.decisions.allowed = 3;
        report.decisions.denied = 6;
        report.input.events = 40;
        report.input.oversized_lines = 1;
        report.input.first_oversized_line = Some("-: line 3".into());
        let summary = TailSummary {
            printed: 9,
            alerts: 1,
            ..TailSummary::default()
        };
        assert_eq!(
            summary_line(&report, &summary, Lang::En),
            "authlogs: 11 invocations (allowed 3, denied 6, timeout 0, error 0, unknown 0; 0 incomplete), 9 printed; \
             denials: ip mismatch 0, token mismatch 0, both 0, token missing 0; 40 events, 0 reconnects, 0 sampled seconds, \
             1 alerts; 1 oversized lines cut at --max-line-bytes (first at -: line 3)\n"
        );
        let ja = summary_line(&report, &summary, Lang::Ja);
        assert!(
            ja.starts_with("authlogs: 呼び出し 11 件 (許可 3、拒否 6、タイムアウト 0、エラー 0、不明 0、うち未完了 0)、表示 9 件; "),
            "{ja}"
        );
        assert!(
            ja.ends_with("アラート 1 件; --max-line-bytes を超えて切り詰めた行 1 件 (最初: -: line 3)\n"),
            "{ja}"
        );
    }
}
