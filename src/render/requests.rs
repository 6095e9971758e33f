//! Per-request output (`--requests`): one CSV row or one JSON line per invocation, streamed.

use std::io::{self, Write};
use std::ops::ControlFlow;

use super::terminal_safe_json;
use crate::decision::{received_token, source_ip, Verdict};
use crate::engine::InvocationSink;
use crate::group::Invocation;
use crate::patterns::display_ip;
use crate::redact::{csv_cell, display_token, escape_control, TokenDisplay};
use crate::report::RequestRow;
use crate::timeutil::format_rfc3339_ms;

/// The shape of per-request output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestFormat {
    Csv,
    JsonLines,
}

pub const CSV_HEADER: [&str; 13] = [
    "request_id",
    "time",
    "stream",
    "decision",
    "reasons",
    "source_ip",
    "token",
    "duration_ms",
    "billed_duration_ms",
    "memory_size_mb",
    "max_memory_used_mb",
    "init_duration_ms",
    "incomplete",
];

/// Prints each invocation as it is finished; keeps the first write error (a closed pipe stops output).
pub struct RequestPrinter<W: Write> {
    writer: RequestWriter<W>,
    tokens: TokenDisplay,
    error: Option<io::Error>,
}

impl<W: Write> RequestPrinter<W> {
    /// Rows to `writer`, tokens shown as `tokens` says.
    pub fn new(writer: RequestWriter<W>, tokens: TokenDisplay) -> Self {
        RequestPrinter {
            writer,
            tokens,
            error: None,
        }
    }

    /// The first write error, else the writer finished (a CSV's last row flushed).
    pub fn finish(self) -> io::Result<()> {
        match self.error {
            Some(e) => Err(e),
            None => self.writer.finish().map(drop),
        }
    }
}

impl<W: Write> InvocationSink for RequestPrinter<W> {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()> {
        if self.error.is_none() {
            if let Err(e) = self.writer.write(&request_row(inv, verdict, self.tokens)) {
                // A closed pipe (`| head`): stop reading, the run ends quietly.
                self.error = Some(e);
            }
        }
        match self.error {
            Some(_) => ControlFlow::Break(()),
            None => ControlFlow::Continue(()),
        }
    }
}

/// Writes one record per `RequestRow` as it comes, so per-request output never holds every row.
pub struct RequestWriter<W: Write> {
    inner: Inner<W>,
}

enum Inner<W: Write> {
    Csv {
        writer: Box<csv::Writer<W>>,
        header_written: bool,
    },
    JsonLines(W),
}

impl<W: Write> RequestWriter<W> {
    pub fn new(out: W, format: RequestFormat) -> Self {
        let inner = match format {
            RequestFormat::Csv => Inner::Csv {
                writer: Box::new(csv::WriterBuilder::new().has_headers(false).from_writer(out)),
                header_written: false,
            },
            RequestFormat::JsonLines => Inner::JsonLines(out),
        };
        RequestWriter { inner }
    }

    pub fn write(&mut self, row: &RequestRow) -> io::Result<()> {
        match &mut self.inner {
            Inner::Csv { writer, header_written } => {
                write_header(writer, header_written)?;
                writer.write_record(csv_fields(row)).map_err(csv_io)
            }
            Inner::JsonLines(out) => {
                let mut line = terminal_safe_json(&serde_json::to_string(row)?);
                line.push('\n');
                out.write_all(line.as_bytes())
            }
        }
    }

    /// Writes the CSV header if no row did, flushes, and hands back the output.
    pub fn finish(self) -> io::Result<W> {
        match self.inner {
            Inner::Csv {
                mut writer,
                mut header_written,
            } => {
                write_header(&mut writer, &mut header_written)?;
                writer.flush()?;
                writer.into_inner().map_err(|e| e.into_error())
            }
            Inner::JsonLines(mut out) => {
                out.flush()?;
                Ok(out)
            }
        }
    }
}

fn write_header<W: Write>(writer: &mut csv::Writer<W>, written: &mut bool) -> io::Result<()> {
    if !*written {
        writer.write_record(CSV_HEADER).map_err(csv_io)?;
        *written = true;
    }
    Ok(())
}

/// The I/O error inside a CSV error, so a closed pipe stays `BrokenPipe` (and exits quietly); the
/// csv crate's own conversion wraps it into `Other`.
fn csv_io(e: csv::Error) -> io::Error {
    if e.is_io_error() {
        if let csv::ErrorKind::Io(io) = e.into_kind() {
            return io;
        }
        return io::Error::other("CSV output failed");
    }
    io::Error::other(e)
}

/// A text cell: control characters escaped, formulas neutralised.
fn text(value: Option<&str>) -> String {
    value.map_or_else(String::new, |s| csv_cell(&escape_control(s)).into_owned())
}

fn number<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

/// A float as the JSON output prints it (`2.0`, not `2`); non-finite values are empty, as JSON's null.
fn float(value: Option<f64>) -> String {
    value
        .and_then(serde_json::Number::from_f64)
        .map_or_else(String::new, |n| n.to_string())
}

fn csv_fields(row: &RequestRow) -> [String; 13] {
    [
        text(Some(&row.request_id)),
        text(row.time.as_deref()),
        text(Some(&row.stream)),
        text(Some(row.decision)),
        text(Some(&row.reasons.join("+"))),
        text(row.source_ip.as_deref()),
        text(row.token.as_deref()),
        float(row.duration_ms),
        number(row.billed_duration_ms),
        number(row.memory_size_mb),
        number(row.max_memory_used_mb),
        float(row.init_duration_ms),
        row.incomplete.to_string(),
    ]
}

/// Builds the `--requests` row of one invocation; tokens masked unless `tokens` reveals them.
pub fn request_row(inv: &Invocation, verdict: &Verdict, tokens: TokenDisplay) -> RequestRow {
    let m = inv.report.as_ref();
    RequestRow {
        request_id: escape_control(&inv.request_id.to_string()).into_owned(),
        time: inv.first_ts.or(inv.last_ts).map(format_rfc3339_ms),
        stream: escape_control(&inv.stream).into_owned(),
        decision: verdict.decision.name(),
        reasons: verdict.reasons.names(),
        // A value that is no IP token may hold a token: masked like one.
        source_ip: source_ip(inv).map(|s| display_ip(s, tokens).into_owned()),
        token: received_token(inv).map(|t| display_token(t, tokens)),
        duration_ms: m.and_then(|m| m.duration_us).map(|us| us as f64 / 1000.0),
        billed_duration_ms: m.and_then(|m| m.billed_ms),
        memory_size_mb: m.and_then(|m| m.memory_size_mb),
        max_memory_used_mb: m.and_then(|m| m.max_memory_used_mb),
        init_duration_ms: inv.init_duration_us.map(|us| us as f64 / 1000.0),
        incomplete: !inv.is_complete(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<RequestRow> {
        vec![
            RequestRow {
                request_id: "0b5f7b56-1a2e-4c3d-9e8f-0123456789ab".into(),
                time: Some("2025-07-11T06:05:34.309Z".into()),
                stream: "2025/07/11/[$LATEST]5c1e9a0f3b2d4e6f8a7b9c0d1e2f3a4b".into(),
                decision: "allowed",
                reasons: vec![],
                source_ip: Some("198.51.100.7".into()),
                token: Some("tok:1a2b3c4d".into()),
                duration_ms: Some(1.85),
                billed_duration_ms: Some(2),
                memory_size_mb: Some(128),
                max_memory_used_mb: Some(35),
                init_duration_ms: Some(412.0),
                incomplete: false,
            },
            RequestRow {
                request_id: "7c2d, \"odd\"".into(),
                time: None,
                stream: String::new(),
                decision: "denied",
                reasons: vec!["ip_mismatch", "token_mismatch", "token_missing"],
                source_ip: Some("203.0.113.9\x1b[2J\u{202e}".into()),
                token: Some("<none>".into()),
                duration_ms: None,
                billed_duration_ms: None,
                memory_size_mb: None,
                max_memory_used_mb: None,
                init_duration_ms: None,
                incomplete: true,
            },
        ]
    }

    fn write_all(format: RequestFormat) -> String {
        let mut writer = RequestWriter::new(Vec::new(), format);
        for row in rows() {
            writer.write(&row).expect("write to Vec");
        }
        String::from_utf8(writer.finish().expect("finish")).expect("UTF-8")
    }

    #[test]
    fn csv_rows() {
        let text = write_all(RequestFormat::Csv);
        assert!(!text.contains('\x1b') && !text.contains('\u{202e}'));
        insta::assert_snapshot!(text);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().expect("header").iter().collect::<Vec<_>>(), CSV_HEADER);
        let records: Vec<_> = reader.records().map(|r| r.expect("valid CSV")).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(&records[0][7], "1.85");
        assert_eq!(&records[0][11], "412.0");
        assert_eq!(&records[1][0], "7c2d, \"odd\"");
        assert_eq!(&records[1][1], "");
        assert_eq!(&records[1][4], "ip_mismatch+token_mismatch+token_missing");
        assert_eq!(&records[1][5], "203.0.113.9\\x1b[2J\\u{202e}");
    }

    #[test]
    fn csv_header_even_without_rows() {
        let out = RequestWriter::new(Vec::new(), RequestFormat::Csv)
            .finish()
            .expect("finish");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            format!("{}\n", CSV_HEADER.join(","))
        );
    }

    #[test]
    fn json_lines() {
        let text = write_all(RequestFormat::JsonLines);
        assert!(!text.contains('\x1b'));
        insta::assert_snapshot!(text);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[1]["reasons"],
            serde_json::json!(["ip_mismatch", "token_mismatch", "token_missing"])
        );
        assert_eq!(lines[1]["source_ip"], "203.0.113.9\x1b[2J\u{202e}");
        assert!(lines[1]["duration_ms"].is_null());
        assert_eq!(lines[0]["duration_ms"], 1.85);
    }

    #[test]
    fn json_lines_without_rows_is_empty() {
        let out = RequestWriter::new(Vec::new(), RequestFormat::JsonLines)
            .finish()
            .expect("finish");
        assert!(out.is_empty());
    }
}
