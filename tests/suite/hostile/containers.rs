//! Writes the corpus in each container `authlogs` reads (shapes as docs/input-formats.md gives them).

use super::generator::{iso, Case};

/// A container the corpus is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// CloudWatch export to S3: `<ISO ms Z> <message>`, a blank line between events.
    Export,
    /// JSON objects one a line: `timestamp`, `logStreamName`, `message`.
    JsonLines,
    /// Subscription payloads (`DATA_MESSAGE`) back to back, as Firehose writes them.
    Subscription,
    /// Rows copied from the console: `<local ISO+09:00>\t<message>`.
    Console,
    /// A Logs Insights CSV export.
    InsightsCsv,
    /// `aws logs tail` (detailed), what `tail -` reads on standard input.
    Tail,
}

/// Every container.
pub(crate) const CONTAINERS: [Container; 6] = [
    Container::Export,
    Container::JsonLines,
    Container::Subscription,
    Container::Console,
    Container::InsightsCsv,
    Container::Tail,
];

/// The log stream every event is in.
const STREAM: &str = "2025/07/11/[$LATEST]0123456789abcdef0123456789abcdef";

/// The events of a case: its messages a millisecond apart from its START.
fn events(case: &Case) -> impl Iterator<Item = (i64, &[u8])> {
    case.messages
        .iter()
        .enumerate()
        .map(|(i, m)| (case.start_ms + i as i64, m.as_slice()))
}

/// `bytes` as a JSON string literal: quote, backslash and C0 controls escaped, every other byte
/// as it is (invalid UTF-8 stays invalid, as a broken writer leaves it).
fn json_string(bytes: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in bytes {
        match b {
            b'"' => out.extend(b"\\\""),
            b'\\' => out.extend(b"\\\\"),
            b'\n' => out.extend(b"\\n"),
            0x00..=0x1f => out.extend(format!("\\u{b:04x}").as_bytes()),
            b => out.push(b),
        }
    }
    out.push(b'"');
}

/// A JSON event object: `fields` (each ending in a comma), its time, its message.
fn json_event(fields: &str, ms: i64, message: &[u8], out: &mut Vec<u8>) {
    out.extend(format!("{{{fields}\"timestamp\":{ms},").as_bytes());
    out.extend(b"\"message\":");
    json_string(message, out);
    out.push(b'}');
}

impl Container {
    /// The name a failure gives and the file's extension.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Container::Export => "export",
            Container::JsonLines => "json-lines",
            Container::Subscription => "subscription",
            Container::Console => "console",
            Container::InsightsCsv => "insights-csv",
            Container::Tail => "tail",
        }
    }

    /// Whether this container can carry `case`: JSON is UTF-8, so a JSON writer never leaves
    /// invalid bytes in it (one that did is an input error that ends the input, tested elsewhere).
    pub(crate) fn carries(self, case: &Case) -> bool {
        !(case.invalid_utf8 && matches!(self, Container::JsonLines | Container::Subscription))
    }

    /// `cases` written in this container.
    pub(crate) fn write(self, cases: &[Case]) -> Vec<u8> {
        let mut out = Vec::new();
        let all = cases.iter().flat_map(events);
        match self {
            Container::Export => {
                for (ms, m) in all {
                    out.extend(format!("{} ", iso(ms)).as_bytes());
                    out.extend(m);
                    out.extend(b"\n\n");
                }
            }
            Container::JsonLines => {
                for (ms, m) in all {
                    json_event(&format!("\"logStreamName\":\"{STREAM}\","), ms, m, &mut out);
                    out.push(b'\n');
                }
            }
            Container::Subscription => {
                // A payload per case: its events in `logEvents`.
                for case in cases {
                    out.extend(
                        format!("{{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111111111111\",\"logGroup\":\"/aws/lambda/authorizer\",\"logStream\":\"{STREAM}\",\"subscriptionFilters\":[\"f\"],\"logEvents\":[")
                            .as_bytes(),
                    );
                    for (i, (ms, m)) in events(case).enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        json_event(&format!("\"id\":\"{ms:056}\","), ms, m, &mut out);
                    }
                    out.extend(b"]}");
                }
            }
            Container::Console => {
                for (ms, m) in all {
                    // Local time in Tokyo, as the console copies it.
                    let utc = iso(ms + 9 * 3_600_000);
                    out.extend(format!("{}+09:00\t", utc.trim_end_matches('Z')).as_bytes());
                    out.extend(m);
                    out.push(b'\n');
                }
            }
            Container::InsightsCsv => {
                out.extend(b"@timestamp,@message,@logStream,@log\n");
                for (ms, m) in all {
                    let t = iso(ms).replace('T', " ").replace('Z', "");
                    out.extend(format!("{t},\"").as_bytes());
                    for &b in m {
                        if b == b'"' {
                            out.push(b'"');
                        }
                        out.push(b);
                    }
                    out.extend(format!("\",{STREAM},111111111111:/aws/lambda/authorizer\n").as_bytes());
                }
            }
            Container::Tail => {
                for (ms, m) in all {
                    let t = iso(ms);
                    out.extend(format!("{}000+00:00 {STREAM} ", t.trim_end_matches('Z')).as_bytes());
                    out.extend(m);
                    out.push(b'\n');
                }
            }
        }
        out
    }
}
