//! Parsed lines in a form that can cross threads: text copied into a batch buffer, spans instead of borrows.

use std::borrow::Cow;

use crate::parse::{LineEvent, Metrics, MetricsRef, OwnedOrBorrowedFact, RunStatus};
use crate::request_id::RequestKey;

/// A byte range of a batch's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span(usize, usize);

#[derive(Debug, Clone, PartialEq)]
pub enum StoredFact {
    SourceIp(Span),
    Token(Span),
    AllowedIp(Span),
    AllowedToken(Span),
    ApiRequestId(Span),
    IpMismatch(Span, Span),
    TokenMismatch(Span, Span),
    Allow,
    Deny,
}

/// `LineEvent` with its strings stored in a batch's text.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredLine {
    Start(RequestKey),
    End(RequestKey),
    /// Metrics are kept beside the lines (by index), as they are most of a REPORT's size.
    Report(RequestKey, usize, Option<Span>),
    InitStart,
    InitReport(Option<u64>, Option<RunStatus>),
    RestoreReport(Option<u64>, Option<RunStatus>),
    Extension,
    Timeout(Option<RequestKey>),
    Failure(Option<RequestKey>),
    App(Option<RequestKey>, Option<i64>, Option<StoredFact>),
    Xray,
    Unrecognized,
}

fn put(text: &mut String, s: &str) -> Span {
    let start = text.len();
    text.push_str(s);
    Span(start, text.len())
}

fn get(text: &str, s: Span) -> Cow<'_, str> {
    Cow::Borrowed(text.get(s.0..s.1).unwrap_or(""))
}

impl StoredLine {
    /// Copies the strings `line` borrows into `text`.
    pub fn store(line: LineEvent<'_>, text: &mut String, metrics_table: &mut Vec<Metrics>) -> StoredLine {
        match line {
            LineEvent::Start { request_id } => StoredLine::Start(request_id),
            LineEvent::End { request_id } => StoredLine::End(request_id),
            LineEvent::Report {
                request_id,
                metrics,
                error_type,
            } => {
                metrics_table.push(metrics.into_metrics());
                StoredLine::Report(request_id, metrics_table.len() - 1, error_type.map(|e| put(text, &e)))
            }
            LineEvent::InitStart => StoredLine::InitStart,
            LineEvent::InitReport {
                init_duration_us,
                status,
            } => StoredLine::InitReport(init_duration_us, status),
            LineEvent::RestoreReport {
                restore_duration_us,
                status,
            } => StoredLine::RestoreReport(restore_duration_us, status),
            LineEvent::Extension => StoredLine::Extension,
            LineEvent::Timeout { request_id } => StoredLine::Timeout(request_id),
            LineEvent::Failure { request_id } => StoredLine::Failure(request_id),
            LineEvent::App {
                request_id,
                timestamp_ms,
                fact,
            } => {
                let fact = fact.map(|f| match f {
                    OwnedOrBorrowedFact::SourceIp(v) => StoredFact::SourceIp(put(text, &v)),
                    OwnedOrBorrowedFact::Token(v) => StoredFact::Token(put(text, &v)),
                    OwnedOrBorrowedFact::AllowedIp(v) => StoredFact::AllowedIp(put(text, &v)),
                    OwnedOrBorrowedFact::AllowedToken(v) => StoredFact::AllowedToken(put(text, &v)),
                    OwnedOrBorrowedFact::ApiRequestId(v) => StoredFact::ApiRequestId(put(text, &v)),
                    OwnedOrBorrowedFact::IpMismatch { received, allowed } => {
                        StoredFact::IpMismatch(put(text, &received), put(text, &allowed))
                    }
                    OwnedOrBorrowedFact::TokenMismatch { received, allowed } => {
                        StoredFact::TokenMismatch(put(text, &received), put(text, &allowed))
                    }
                    OwnedOrBorrowedFact::Allow => StoredFact::Allow,
                    OwnedOrBorrowedFact::Deny => StoredFact::Deny,
                });
                StoredLine::App(request_id, timestamp_ms, fact)
            }
            LineEvent::Xray => StoredLine::Xray,
            LineEvent::Unrecognized => StoredLine::Unrecognized,
        }
    }

    /// The `LineEvent` again, borrowing from `text`.
    pub fn load<'a>(self, text: &'a str, metrics_table: &'a [Metrics]) -> LineEvent<'a> {
        match self {
            StoredLine::Start(request_id) => LineEvent::Start { request_id },
            StoredLine::End(request_id) => LineEvent::End { request_id },
            StoredLine::Report(request_id, metrics, error_type) => LineEvent::Report {
                request_id,
                metrics: match metrics_table.get(metrics) {
                    Some(m) => MetricsRef::Borrowed(m),
                    None => MetricsRef::Owned(Box::default()),
                },
                error_type: error_type.map(|e| get(text, e)),
            },
            StoredLine::InitStart => LineEvent::InitStart,
            StoredLine::InitReport(init_duration_us, status) => LineEvent::InitReport {
                init_duration_us,
                status,
            },
            StoredLine::RestoreReport(restore_duration_us, status) => LineEvent::RestoreReport {
                restore_duration_us,
                status,
            },
            StoredLine::Extension => LineEvent::Extension,
            StoredLine::Timeout(request_id) => LineEvent::Timeout { request_id },
            StoredLine::Failure(request_id) => LineEvent::Failure { request_id },
            StoredLine::App(request_id, timestamp_ms, fact) => LineEvent::App {
                request_id,
                timestamp_ms,
                fact: fact.map(|f| match f {
                    StoredFact::SourceIp(v) => OwnedOrBorrowedFact::SourceIp(get(text, v)),
                    StoredFact::Token(v) => OwnedOrBorrowedFact::Token(get(text, v)),
                    StoredFact::AllowedIp(v) => OwnedOrBorrowedFact::AllowedIp(get(text, v)),
                    StoredFact::AllowedToken(v) => OwnedOrBorrowedFact::AllowedToken(get(text, v)),
                    StoredFact::ApiRequestId(v) => OwnedOrBorrowedFact::ApiRequestId(get(text, v)),
                    StoredFact::IpMismatch(r, a) => OwnedOrBorrowedFact::IpMismatch {
                        received: get(text, r),
                        allowed: get(text, a),
                    },
                    StoredFact::TokenMismatch(r, a) => OwnedOrBorrowedFact::TokenMismatch {
                        received: get(text, r),
                        allowed: get(text, a),
                    },
                    StoredFact::Allow => OwnedOrBorrowedFact::Allow,
                    StoredFact::Deny => OwnedOrBorrowedFact::Deny,
                }),
            },
            StoredLine::Xray => LineEvent::Xray,
            StoredLine::Unrecognized => LineEvent::Unrecognized,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::Parser;

    #[test]
    fn every_line_shape_round_trips() {
        let parser = Parser::default();
        let lines = [
            "START RequestId: d39edf81-4b21-4e3d-8ad2-7c1e92f00c82 Version: $LATEST",
            "END RequestId: d39edf81-4b21-4e3d-8ad2-7c1e92f00c82",
            "REPORT RequestId: r1\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\tStatus: error\tError Type: Runtime.ExitError",
            "INIT_START Runtime Version: python:3.13.v60",
            "INIT_REPORT Init Duration: 137.69 ms\tPhase: init\tStatus: error",
            "RESTORE_REPORT Restore Duration: 511.25 ms",
            "EXTENSION\tName: x\tState: Ready\tEvents: []",
            "2020-06-09T15:02:26.150Z 7c9567b5-107b-4a6c-8798-0157ac21db52 Task timed out after 3.00 seconds",
            "Task timed out after 3.00 seconds",
            "RequestId: 66ce6204-7c13-50f6-a32c-3db39caefc6b Error: Runtime exited",
            "[INFO]\t2025-07-11T06:05:34.309Z\td39edf81-4b21-4e3d-8ad2-7c1e92f00c82\t[INFO] Source IP: 1.2.3.4",
            "[INFO]\t2025-07-11T06:05:34.309Z\td39edf81-4b21-4e3d-8ad2-7c1e92f00c82\t[INFO] Token: None",
            "[INFO]\t2025-07-11T06:05:34.309Z\td39edf81-4b21-4e3d-8ad2-7c1e92f00c82\t[INFO] Allowed IP: 1.2.3.4",
            "[INFO]\t2025-07-11T06:05:34.309Z\td39edf81-4b21-4e3d-8ad2-7c1e92f00c82\t[INFO] Allowed Token: Ab12Xy34",
            "[ERROR]\t2025-07-11T06:05:34.309Z\td39edf81-4b21-4e3d-8ad2-7c1e92f00c82\t[ERROR] IPアドレスが不一致: 受信IP=9.9.9.9, 許可IP=1.2.3.4",
            "{\"timestamp\": \"2025-07-11T06:05:34Z\", \"level\": \"ERROR\", \"message\": \"[ERROR] Token mismatch: received token=t, allowed token=\\u0041b\", \"requestId\": \"r2\"}",
            "[INFO]\t2026-04-22T18:08:37.670Z\t\tFound credentials",
            "XRAY TraceId: 1-2",
            "garbage",
        ];
        let (mut text, mut metrics) = (String::new(), Vec::new());
        let stored: Vec<StoredLine> = lines
            .iter()
            .map(|l| StoredLine::store(parser.parse(l), &mut text, &mut metrics))
            .collect();
        for (line, s) in lines.iter().zip(stored) {
            assert_eq!(s.load(&text, &metrics), parser.parse(line), "{line}");
        }
    }
}
