//! Classifies one log message (Lambda TEXT or JSON format) into a `LineEvent`; pure, no I/O.

use std::borrow::Cow;

use serde::Deserialize;

use crate::bytes::{first_line, no_separator_at, starts_with_at};
use crate::patterns::{AuthFact, Patterns};
use crate::request_id::{glued_uuid, is_request_id, RequestKey};
use crate::timeutil::parse_leading_timestamp;

mod unhandled;

/// How a Lambda run ended, from REPORT `Status:` or `platform.report` `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    Success,
    Timeout,
    Error,
}

/// REPORT metrics. Durations are integer microseconds so sums and percentiles stay exact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metrics {
    pub duration_us: Option<u64>,
    pub billed_ms: Option<u64>,
    pub memory_size_mb: Option<u64>,
    pub max_memory_used_mb: Option<u64>,
    pub init_duration_us: Option<u64>,
    pub restore_duration_us: Option<u64>,
    pub billed_restore_ms: Option<u64>,
    pub status: Option<RunStatus>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LineEvent<'a> {
    Start {
        request_id: RequestKey,
    },
    End {
        request_id: RequestKey,
    },
    Report {
        request_id: RequestKey,
        /// Boxed or borrowed: most lines are not REPORTs, and a smaller `LineEvent` is cheaper to move.
        metrics: MetricsRef<'a>,
        error_type: Option<Cow<'a, str>>,
    },
    /// INIT_START / RESTORE_START / `platform.initStart`: a new execution environment.
    InitStart,
    /// INIT_REPORT / `platform.initReport`.
    InitReport {
        init_duration_us: Option<u64>,
        status: Option<RunStatus>,
    },
    /// RESTORE_REPORT / `platform.restoreReport` (SnapStart).
    RestoreReport {
        restore_duration_us: Option<u64>,
        status: Option<RunStatus>,
    },
    /// EXTENSION / LOGS / TELEMETRY registration lines.
    Extension,
    /// `Task timed out after N seconds`; the id is given when the line carries one.
    Timeout {
        request_id: Option<RequestKey>,
    },
    /// An unhandled exception or runtime crash of the handler.
    Failure {
        request_id: Option<RequestKey>,
    },
    /// An application log line; `fact` is set when the message matched the pattern table.
    App {
        request_id: Option<RequestKey>,
        /// ISO timestamp the runtime wrote inside the line, when present.
        timestamp_ms: Option<i64>,
        fact: Option<OwnedOrBorrowedFact<'a>>,
    },
    /// `XRAY TraceId: …` continuation lines.
    Xray,
    Unrecognized,
}

/// A REPORT's metrics: boxed when parsed (they are most of a REPORT's size, and `LineEvent`s move
/// by value), borrowed when loaded from a batch's table, which saves an allocation per REPORT.
#[derive(Debug, Clone)]
pub enum MetricsRef<'a> {
    Owned(Box<Metrics>),
    Borrowed(&'a Metrics),
}

impl MetricsRef<'_> {
    pub fn into_metrics(self) -> Metrics {
        match self {
            MetricsRef::Owned(m) => *m,
            MetricsRef::Borrowed(m) => m.clone(),
        }
    }
}

impl std::ops::Deref for MetricsRef<'_> {
    type Target = Metrics;
    fn deref(&self) -> &Metrics {
        match self {
            MetricsRef::Owned(m) => m,
            MetricsRef::Borrowed(m) => m,
        }
    }
}

impl PartialEq for MetricsRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

/// A matched authorizer fact; owned when the message had to be decoded (JSON escapes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnedOrBorrowedFact<'a> {
    SourceIp(Cow<'a, str>),
    Token(Cow<'a, str>),
    AllowedIp(Cow<'a, str>),
    AllowedToken(Cow<'a, str>),
    ApiRequestId(Cow<'a, str>),
    IpMismatch {
        received: Cow<'a, str>,
        allowed: Cow<'a, str>,
    },
    TokenMismatch {
        received: Cow<'a, str>,
        allowed: Cow<'a, str>,
    },
    Allow,
    Deny,
}

impl<'a> OwnedOrBorrowedFact<'a> {
    fn borrowed(f: AuthFact<'a>) -> Self {
        match f {
            AuthFact::SourceIp(v) => Self::SourceIp(Cow::Borrowed(v)),
            AuthFact::Token(v) => Self::Token(Cow::Borrowed(v)),
            AuthFact::AllowedIp(v) => Self::AllowedIp(Cow::Borrowed(v)),
            AuthFact::AllowedToken(v) => Self::AllowedToken(Cow::Borrowed(v)),
            AuthFact::ApiRequestId(v) => Self::ApiRequestId(Cow::Borrowed(v)),
            AuthFact::IpMismatch { received, allowed } => Self::IpMismatch {
                received: Cow::Borrowed(received),
                allowed: Cow::Borrowed(allowed),
            },
            AuthFact::TokenMismatch { received, allowed } => Self::TokenMismatch {
                received: Cow::Borrowed(received),
                allowed: Cow::Borrowed(allowed),
            },
            AuthFact::Allow => Self::Allow,
            AuthFact::Deny => Self::Deny,
        }
    }

    fn owned(f: AuthFact<'_>) -> OwnedOrBorrowedFact<'static> {
        let o = |s: &str| Cow::Owned(s.to_string());
        match f {
            AuthFact::SourceIp(v) => OwnedOrBorrowedFact::SourceIp(o(v)),
            AuthFact::Token(v) => OwnedOrBorrowedFact::Token(o(v)),
            AuthFact::AllowedIp(v) => OwnedOrBorrowedFact::AllowedIp(o(v)),
            AuthFact::AllowedToken(v) => OwnedOrBorrowedFact::AllowedToken(o(v)),
            AuthFact::ApiRequestId(v) => OwnedOrBorrowedFact::ApiRequestId(o(v)),
            AuthFact::IpMismatch { received, allowed } => OwnedOrBorrowedFact::IpMismatch {
                received: o(received),
                allowed: o(allowed),
            },
            AuthFact::TokenMismatch { received, allowed } => OwnedOrBorrowedFact::TokenMismatch {
                received: o(received),
                allowed: o(allowed),
            },
            AuthFact::Allow => OwnedOrBorrowedFact::Allow,
            AuthFact::Deny => OwnedOrBorrowedFact::Deny,
        }
    }
}

/// Parses messages against one pattern table.
#[derive(Debug, Clone, Default)]
pub struct Parser {
    patterns: Patterns,
}

const LEVELS: [&str; 8] = [
    "INFO", "ERROR", "WARNING", "DEBUG", "CRITICAL", "WARN", "TRACE", "FATAL",
];

impl Parser {
    /// A parser with these message templates.
    pub fn new(patterns: Patterns) -> Parser {
        Parser { patterns }
    }

    /// The message templates this parser matches.
    pub fn patterns(&self) -> &Patterns {
        &self.patterns
    }

    /// Classifies one CloudWatch event message (it may hold embedded `\n`s, e.g. REPORT + XRAY).
    pub fn parse<'a>(&self, message: &'a str) -> LineEvent<'a> {
        self.parse_with(message, true)
    }

    /// Like `parse`; with `app_timestamps` false the timestamp inside Python app lines is skipped,
    /// not parsed (the container's event time is used instead, and parsing it twice costs).
    pub fn parse_with<'a>(&self, message: &'a str, app_timestamps: bool) -> LineEvent<'a> {
        let msg = trim_newlines(message);
        let Some(&first) = msg.as_bytes().first() else {
            return LineEvent::Unrecognized;
        };
        match first {
            b'S' => {
                if let Some(rest) = msg.strip_prefix("START RequestId: ") {
                    return LineEvent::Start {
                        request_id: RequestKey::new(id_token(rest)),
                    };
                }
            }
            b'E' => {
                if let Some(rest) = msg.strip_prefix("END RequestId: ") {
                    return LineEvent::End {
                        request_id: RequestKey::new(id_token(rest)),
                    };
                }
                if is_registration(msg, "EXTENSION") {
                    return LineEvent::Extension;
                }
            }
            b'R' => {
                if let Some(rest) = msg.strip_prefix("REPORT RequestId: ") {
                    return parse_report(rest);
                }
                if let Some(rest) = msg.strip_prefix("RequestId: ") {
                    // `RequestId: <id> Error: Runtime exited …` / `… Process exited before completing request`
                    return LineEvent::Failure {
                        request_id: Some(RequestKey::new(id_token(rest))),
                    };
                }
                if msg.starts_with("RESTORE_START") {
                    return LineEvent::InitStart;
                }
                if let Some(rest) = msg.strip_prefix("RESTORE_REPORT") {
                    return LineEvent::RestoreReport {
                        restore_duration_us: field_ms(rest, "Restore Duration: "),
                        status: field_status(rest),
                    };
                }
            }
            b'I' => {
                if msg.starts_with("INIT_START") {
                    return LineEvent::InitStart;
                }
                if let Some(rest) = msg.strip_prefix("INIT_REPORT") {
                    return LineEvent::InitReport {
                        init_duration_us: field_ms(rest, "Init Duration: "),
                        status: field_status(rest),
                    };
                }
            }
            b'L' => {
                if is_registration(msg, "LOGS") {
                    return LineEvent::Extension;
                }
                if msg.starts_with("LAMBDA_WARNING: Unhandled exception") {
                    // JSON mode: the warning, then `\r`, then the error as JSON with its requestId.
                    let request_id = msg
                        .find("\r{")
                        .and_then(|at| serde_json::from_str::<JsonLine>(&msg[at + 1..]).ok())
                        .and_then(|j| j.request_id)
                        .map(|id| RequestKey::new(&id));
                    return LineEvent::Failure { request_id };
                }
            }
            b'T' => {
                if is_registration(msg, "TELEMETRY") {
                    return LineEvent::Extension;
                }
                if msg.starts_with("Task timed out after") {
                    return LineEvent::Timeout { request_id: None };
                }
            }
            b'X' if msg.starts_with("XRAY TraceId:") => return LineEvent::Xray,
            b'[' => {
                if let Some(ev) = self.parse_python(msg, app_timestamps) {
                    return ev;
                }
            }
            b'{' => {
                return match self.parse_json(msg) {
                    LineEvent::Unrecognized => id_then_timeout(msg).unwrap_or(LineEvent::Unrecognized),
                    event => event,
                }
            }
            b'<' | b'a'..=b'f' => {
                if let Some(ev) = id_then_timeout(msg) {
                    return ev;
                }
            }
            b'0'..=b'9' => {
                if let Some(ev) = self.parse_node(msg).or_else(|| id_then_timeout(msg)) {
                    return ev;
                }
            }
            _ => {}
        }
        // Last, so only a line no other shape claimed pays for the checks.
        if unhandled::java_fault(msg) || unhandled::dotnet_crash(msg) {
            return LineEvent::Failure { request_id: None };
        }
        LineEvent::Unrecognized
    }

    /// `[LEVEL]\t<ts>\t<request id>\t<message>` (tabs may have been flattened to spaces), or an
    /// unhandled-exception event `[ERROR] Type: message\nTraceback …`.
    fn parse_python<'a>(&self, msg: &'a str, want_timestamp: bool) -> Option<LineEvent<'a>> {
        let close = level_tag_end(msg.as_bytes())?;
        let level = &msg[1..close];
        let rest = msg.get(close + 1..)?;
        let rest = rest.strip_prefix(['\t', ' '])?;
        let ts_end = stamp_end(rest.as_bytes());
        let ts_text = &rest[..ts_end];
        let b = ts_text.as_bytes();
        let shaped = b.len() >= 20 && b[4] == b'-' && b[10] == b'T' && b[0].is_ascii_digit();
        let timestamp_ms = match (shaped, want_timestamp) {
            (true, false) => None,
            (true, true) => parse_leading_timestamp(ts_text)
                .filter(|t| t.len == ts_text.len())
                .map(|t| t.epoch_ms),
            (false, _) => None,
        };
        if !shaped || (want_timestamp && timestamp_ms.is_none()) {
            if level == "ERROR" || level == "CRITICAL" {
                return Some(LineEvent::Failure { request_id: None });
            }
            return None;
        }
        let after_ts = rest.get(ts_end + 1..)?;
        let (request_id, text) = split_request_id(after_ts);
        Some(LineEvent::App {
            request_id,
            timestamp_ms,
            fact: self.fact(text),
        })
    }

    /// Node.js `<ts>\t<request id>\t[LEVEL\t]<message>`, and `<ts> <request id> Task timed out after …`.
    fn parse_node<'a>(&self, msg: &'a str) -> Option<LineEvent<'a>> {
        let ts = parse_leading_timestamp(msg)?;
        let after_ts = msg[ts.len..].strip_prefix(['\t', ' '])?;
        let (request_id, mut text) = split_request_id(after_ts);
        if text.starts_with("Task timed out after") {
            return Some(LineEvent::Timeout { request_id });
        }
        // .NET writes its level as `fail`; only an exception's own text there is an unhandled one.
        if let Some(rest) = text.strip_prefix("fail\t") {
            if unhandled::dotnet_fault(rest) {
                return Some(LineEvent::Failure { request_id });
            }
        }
        for level in LEVELS {
            if let Some(rest) = text.strip_prefix(level).and_then(|r| r.strip_prefix(['\t', ' '])) {
                if level == "ERROR" && is_node_unhandled(rest) {
                    return Some(LineEvent::Failure { request_id });
                }
                text = rest;
                break;
            }
        }
        Some(LineEvent::App {
            request_id,
            timestamp_ms: Some(ts.epoch_ms),
            fact: self.fact(text),
        })
    }

    fn fact<'a>(&self, text: &'a str) -> Option<OwnedOrBorrowedFact<'a>> {
        self.patterns.match_message(text).map(OwnedOrBorrowedFact::borrowed)
    }

    fn parse_json<'a>(&self, msg: &'a str) -> LineEvent<'a> {
        let Ok(line) = serde_json::from_str::<JsonLine<'a>>(msg) else {
            return LineEvent::Unrecognized;
        };
        if let Some(kind) = line.kind.as_deref() {
            let record = line.record.unwrap_or_default();
            let request_id = record.request_id.map(|id| RequestKey::new(&id));
            return match kind {
                "platform.start" => match request_id {
                    Some(request_id) => LineEvent::Start { request_id },
                    None => LineEvent::Unrecognized,
                },
                "platform.report" => match request_id {
                    Some(request_id) => {
                        let m = record.metrics.unwrap_or_default();
                        LineEvent::Report {
                            request_id,
                            metrics: MetricsRef::Owned(Box::new(Metrics {
                                duration_us: m.duration_ms.and_then(ms_f64_to_us),
                                billed_ms: m.billed_duration_ms.and_then(f64_to_u64),
                                memory_size_mb: m.memory_size_mb.and_then(f64_to_u64),
                                max_memory_used_mb: m.max_memory_used_mb.and_then(f64_to_u64),
                                init_duration_us: m.init_duration_ms.and_then(ms_f64_to_us),
                                restore_duration_us: m.restore_duration_ms.and_then(ms_f64_to_us),
                                billed_restore_ms: m.billed_restore_duration_ms.and_then(f64_to_u64),
                                status: record.status.as_deref().map(status_of),
                            })),
                            error_type: record.error_type,
                        }
                    }
                    None => LineEvent::Unrecognized,
                },
                "platform.initStart" | "platform.restoreStart" => LineEvent::InitStart,
                "platform.initReport" => LineEvent::InitReport {
                    init_duration_us: record.metrics.and_then(|m| m.duration_ms).and_then(ms_f64_to_us),
                    status: record.status.as_deref().map(status_of),
                },
                "platform.restoreReport" => LineEvent::RestoreReport {
                    restore_duration_us: record.metrics.and_then(|m| m.duration_ms).and_then(ms_f64_to_us),
                    status: record.status.as_deref().map(status_of),
                },
                "platform.extension" | "platform.telemetrySubscription" | "platform.logsSubscription" => {
                    LineEvent::Extension
                }
                _ => LineEvent::Unrecognized,
            };
        }
        if line.log_level.is_some() && line.error_type.is_some() {
            return LineEvent::Failure {
                request_id: line.request_id.map(|id| RequestKey::new(&id)),
            };
        }
        // Node's JSON log format: the runtime's own `Invoke Error` (and its kin) carries the error's
        // fields; an application's `console.error("…", err)` has them too, but not that message.
        if line.level.as_deref() == Some("ERROR")
            && line.error_type.is_some()
            && line.message.as_deref().is_some_and(is_node_unhandled)
        {
            return LineEvent::Failure {
                request_id: line.request_id.map(|id| RequestKey::new(&id)),
            };
        }
        if line.level.is_none() && line.timestamp.is_none() {
            return LineEvent::Unrecognized;
        }
        let timestamp_ms = line
            .timestamp
            .as_deref()
            .and_then(parse_leading_timestamp)
            .map(|t| t.epoch_ms);
        let fact = match &line.message {
            Some(Cow::Borrowed(m)) => self.fact(trim_newlines(m)),
            Some(Cow::Owned(m)) => self
                .patterns
                .match_message(trim_newlines(m))
                .map(OwnedOrBorrowedFact::owned),
            None => None,
        };
        LineEvent::App {
            request_id: line.request_id.map(|id| RequestKey::new(&id)),
            timestamp_ms,
            fact,
        }
    }
}

#[derive(Deserialize, Default)]
struct JsonLine<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    record: Option<JsonRecord<'a>>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow)]
    level: Option<Cow<'a, str>>,
    #[serde(borrow)]
    log_level: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "string_or_skip")]
    message: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "requestId")]
    request_id: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "errorType")]
    error_type: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
struct JsonRecord<'a> {
    #[serde(borrow, rename = "requestId")]
    request_id: Option<Cow<'a, str>>,
    metrics: Option<JsonMetrics>,
    #[serde(borrow)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "errorType")]
    error_type: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct JsonMetrics {
    duration_ms: Option<f64>,
    billed_duration_ms: Option<f64>,
    #[serde(rename = "memorySizeMB")]
    memory_size_mb: Option<f64>,
    #[serde(rename = "maxMemoryUsedMB")]
    max_memory_used_mb: Option<f64>,
    init_duration_ms: Option<f64>,
    restore_duration_ms: Option<f64>,
    billed_restore_duration_ms: Option<f64>,
}

/// `message` is a string in every runtime's format; anything else (an app's structured extra) is ignored.
fn string_or_skip<'de: 'a, 'a, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum MaybeStr<'a> {
        Str(#[serde(borrow)] Cow<'a, str>),
        Other(serde::de::IgnoredAny),
    }
    Ok(match MaybeStr::deserialize(d)? {
        MaybeStr::Str(s) => Some(s),
        MaybeStr::Other(_) => None,
    })
}

fn status_of(s: &str) -> RunStatus {
    match s {
        "success" => RunStatus::Success,
        "timeout" => RunStatus::Timeout,
        _ => RunStatus::Error,
    }
}

fn ms_f64_to_us(ms: f64) -> Option<u64> {
    let us = (ms * 1000.0).round();
    (0.0..1e18).contains(&us).then_some(us as u64)
}

fn f64_to_u64(v: f64) -> Option<u64> {
    let r = v.round();
    (0.0..1e18).contains(&r).then_some(r as u64)
}

/// Where the `]` of a Python level tag (`[INFO]`, `[ERROR]` …) at the start of `b` is. A level holds
/// no `]`, so this is the first `]`, found without searching for it.
fn level_tag_end(b: &[u8]) -> Option<usize> {
    let level: &[u8] = match b.get(1)? {
        b'I' => b"INFO",
        b'E' => b"ERROR",
        b'D' => b"DEBUG",
        b'C' => b"CRITICAL",
        b'T' => b"TRACE",
        b'F' => b"FATAL",
        b'W' if b.get(5) == Some(&b']') => b"WARN",
        b'W' => b"WARNING",
        _ => return None,
    };
    let close = 1 + level.len();
    (starts_with_at(b, 1, level) && b.get(close) == Some(&b']')).then_some(close)
}

/// Where the first tab or space of `b` is (its length if none). A runtime's timestamp is 24 bytes
/// (`2025-07-11T00:00:03.367Z`): when a separator follows them and none is among them, that is
/// the answer without a search.
fn stamp_end(b: &[u8]) -> usize {
    let clean = |at| no_separator_at(b, at);
    if matches!(b.get(24), Some(b'\t' | b' ')) && clean(0) && clean(8) && clean(16) {
        return 24;
    }
    memchr::memchr2(b'\t', b' ', b).unwrap_or(b.len())
}

/// EXTENSION / LOGS / TELEMETRY registration lines: `EXTENSION\tName: …` or with spaces.
fn is_registration(msg: &str, word: &str) -> bool {
    msg.strip_prefix(word)
        .is_some_and(|r| r.starts_with(['\t', ' ']) && r[1..].starts_with("Name:"))
}

/// The request id after a runtime timestamp, and the text after it. Empty (Python init) and
/// `undefined` (Node init) ids mean "no request".
fn split_request_id(s: &str) -> (Option<RequestKey>, &str) {
    if let Some(id) = uuid_before(s, |b| b == b'\t' || b == b' ') {
        return (Some(RequestKey::new(id)), s.get(37..).unwrap_or(""));
    }
    let end = memchr::memchr2(b'\t', b' ', s.as_bytes()).unwrap_or(s.len());
    let id = &s[..end];
    let text = s.get(end + 1..).unwrap_or("");
    // Node prints `undefined` outside a request, and Node 24 prints `-` when it has no request id.
    if id.is_empty() || id == "undefined" || id == "-" || !is_request_id(id) {
        if id.is_empty() || id == "undefined" || id == "-" {
            return (None, text);
        }
        return (None, s);
    }
    (Some(RequestKey::new(id)), text)
}

/// The 36 bytes of a Lambda UUID request id at the start of `s` when the byte after them ends it
/// (`is_end`) and none of them is a separator (`\t`, ` `, `\n`, `\r` or another control byte): the
/// id a separator search would find, found without the search.
#[inline]
fn uuid_before(s: &str, is_end: impl Fn(u8) -> bool) -> Option<&str> {
    let b = s.as_bytes();
    let end = *b.get(36)?;
    if !is_end(end) || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    let clean = |at| no_separator_at(b, at);
    if !(clean(0) && clean(8) && clean(16) && clean(24) && clean(28)) {
        return None;
    }
    s.get(..36)
}

/// The request id of a START, END, REPORT or `RequestId:` line: its first token, or the UUID the
/// next field is glued to.
fn id_token(s: &str) -> &str {
    let token = first_token(s);
    if token.len() > 36 {
        if let Some(id) = glued_uuid(token) {
            return id;
        }
    }
    token
}

/// `<id> Task timed out after …` with no timestamp before it (an older runtime's line as some
/// copies give it, the id often a placeholder such as `<guid>`).
fn id_then_timeout(msg: &str) -> Option<LineEvent<'_>> {
    let (request_id, text) = split_request_id(msg);
    (request_id.is_some() && text.starts_with("Task timed out after")).then_some(LineEvent::Timeout { request_id })
}

fn first_token(s: &str) -> &str {
    if let Some(id) = uuid_before(s, |b| matches!(b, b'\t' | b' ' | b'\n')) {
        return id;
    }
    let b = s.as_bytes();
    let end = memchr::memchr3(b'\t', b' ', b'\n', b).unwrap_or(b.len());
    s[..end].strip_suffix('\r').unwrap_or(&s[..end])
}

/// `s` without its trailing `\n`/`\r` bytes.
/// Node's runtime reports an error that escaped the handler with one of these messages.
fn is_node_unhandled(text: &str) -> bool {
    text.starts_with("Invoke Error")
        || text.starts_with("Uncaught Exception")
        || text.starts_with("Unhandled Promise Rejection")
}

fn trim_newlines(s: &str) -> &str {
    let b = s.as_bytes();
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &s[..end]
}

/// Parses `1.85`, `3000.00`, `2` as microseconds without going through floating point; digits
/// past the third of the fraction are dropped, and a value past `u64` microseconds is `None`.
pub fn parse_ms_to_us(s: &str) -> Option<u64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut us: u64 = int.parse::<u64>().ok()?.checked_mul(1000)?;
    let mut scale = 100;
    for b in frac.bytes().take(3) {
        us = us.checked_add((b - b'0') as u64 * scale)?;
        scale /= 10;
    }
    Some(us)
}

/// The value of `key` in a tab- or space-separated field list (`Key: 12.34 ms`).
fn field_value<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let finder = memchr::memmem::Finder::new(key.as_bytes());
    let mut from = 0;
    while let Some(at) = finder.find(&s.as_bytes()[from..]) {
        let start = from + at;
        // The key must begin a field, so "Duration: " does not match inside "Billed Duration: ";
        // with tabs flattened to spaces, "Init Duration: " also ends in " Duration: ".
        let before = &s[..start];
        let at_field_start = before.is_empty() || before.ends_with('\t') || before.ends_with(' ');
        let inside_longer_key = ["Init ", "Billed ", "Restore "].iter().any(|w| before.ends_with(w));
        if at_field_start && !inside_longer_key {
            return Some(first_token(&s[start + key.len()..]));
        }
        from = start + key.len();
    }
    None
}

fn field_ms(s: &str, key: &str) -> Option<u64> {
    field_value(s, key).and_then(parse_ms_to_us)
}

fn field_status(s: &str) -> Option<RunStatus> {
    field_value(s, "Status: ").map(status_of)
}

/// REPORT fields by key, not position: order varies (RIE puts Init Duration first), separators
/// vary (tabs; spaces in console copies; `2 ms \t` in old logs), and `\nXRAY …` may follow.
fn parse_report(rest: &str) -> LineEvent<'_> {
    let line = first_line(rest);
    let request_id = id_token(line);
    let mut m = Metrics::default();
    let mut error_type = None;
    let mut p = &line[request_id.len()..];
    // One pass over the fields: at each field start, the key that matches.
    loop {
        p = p.trim_start_matches(['\t', ' ']);
        let Some(&first) = p.as_bytes().first() else {
            break;
        };
        // No key starts another, so at most one matches: try only the keys of `p`'s first byte.
        let key = REPORT_KEYS
            .iter()
            .find(|(k, _)| k.as_bytes().first() == Some(&first) && p.starts_with(k));
        let Some((k, field)) = key else {
            let skip = memchr::memchr2(b'\t', b' ', p.as_bytes()).map_or(p.len(), |i| i + 1);
            p = &p[skip..];
            continue;
        };
        let v = first_token(&p[k.len()..]);
        match field {
            ReportField::Duration => m.duration_us = parse_ms_to_us(v),
            ReportField::Billed => m.billed_ms = v.parse().ok(),
            ReportField::MemorySize => m.memory_size_mb = v.parse().ok(),
            ReportField::MaxMemoryUsed => m.max_memory_used_mb = v.parse().ok(),
            ReportField::Init => m.init_duration_us = parse_ms_to_us(v),
            ReportField::Restore => m.restore_duration_us = parse_ms_to_us(v),
            ReportField::BilledRestore => m.billed_restore_ms = v.parse().ok(),
            ReportField::Status => m.status = Some(status_of(v)),
            ReportField::ErrorType => error_type = Some(Cow::Borrowed(v)),
        }
        p = &p[k.len() + v.len()..];
    }
    LineEvent::Report {
        request_id: RequestKey::new(request_id),
        metrics: MetricsRef::Owned(Box::new(m)),
        error_type,
    }
}

#[derive(Clone, Copy)]
enum ReportField {
    Duration,
    Billed,
    MemorySize,
    MaxMemoryUsed,
    Init,
    Restore,
    BilledRestore,
    Status,
    ErrorType,
}

const REPORT_KEYS: [(&str, ReportField); 9] = [
    ("Duration: ", ReportField::Duration),
    ("Billed Duration: ", ReportField::Billed),
    ("Memory Size: ", ReportField::MemorySize),
    ("Max Memory Used: ", ReportField::MaxMemoryUsed),
    ("Init Duration: ", ReportField::Init),
    ("Restore Duration: ", ReportField::Restore),
    ("Billed Restore Duration: ", ReportField::BilledRestore),
    ("Status: ", ReportField::Status),
    ("Error Type: ", ReportField::ErrorType),
];

#[cfg(test)]
mod tests;
