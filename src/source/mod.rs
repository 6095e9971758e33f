//! Sources of log events: the only stage with I/O. Each source pushes `LogEvent`s into an `EventSink`.

pub mod cloudwatch;
mod container;
mod decode;
pub mod file;
pub mod stream;

use std::fmt;

use std::ops::ControlFlow;

use crate::report::InputError;

/// One CloudWatch log event as a source sees it: its time (when the container gives one), the log
/// stream it came from (empty when unknown) and the message, which may hold embedded `\n`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogEvent<'a> {
    /// Epoch ms, when the container gives a time.
    pub timestamp_ms: Option<i64>,
    /// The log stream, empty when unknown.
    pub stream: &'a str,
    /// The message, which may hold embedded newlines.
    pub message: &'a str,
}

/// Where a source delivers its events, and what it reports about damaged input.
pub trait EventSink {
    /// One event, borrowed for the duration of the call. `Break` asks the source to stop: it reads
    /// no more of this input and, while [`stopped`](EventSink::stopped) says so, no other input.
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()>;
    /// The sink wants no more events (e.g. its output was closed): sources check it between inputs.
    fn stopped(&self) -> bool {
        false
    }
    /// Input that could not be read as events: counted, never dropped silently.
    fn input_error(&mut self, error: InputError);
    /// `count` lines that were not valid UTF-8 and were decoded lossily.
    fn invalid_utf8_lines(&mut self, count: u64) {
        let _ = count;
    }
    /// The end of one input (or one range of it), read as `format`.
    fn input_done(&mut self, input: &str, format: InputFormat) {
        let _ = (input, format);
    }
    /// `count` lines (or events) of `input` longer than the line cap were cut: their heads were
    /// read, the rest skipped; the first began at byte `first_byte` of the (decoded) input.
    fn oversized_lines(&mut self, input: &str, count: u64, first_byte: u64) {
        let _ = (input, count, first_byte);
    }
}

/// The longest line (event) read whole unless asked otherwise: CloudWatch events are at most
/// 1 MB, so nothing real is longer, and a hostile file without newlines costs no more memory.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;
/// The smallest cap accepted: a REPORT line or an authorizer line must fit whole.
pub const MIN_MAX_LINE_BYTES: usize = 1024;

/// How inputs are read: their container, and the cap on a line's (an event's) length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// The container; `Auto` detects it per input.
    pub format: InputFormat,
    /// Lines and events longer than this are cut: the head is kept, the rest skipped and counted.
    pub max_line_bytes: usize,
}

impl ReadOptions {
    /// `format` with the default line cap.
    pub fn new(format: InputFormat) -> Self {
        ReadOptions {
            format,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }

    /// The same options with another line cap.
    pub fn with_max_line_bytes(self, max_line_bytes: usize) -> Self {
        ReadOptions { max_line_bytes, ..self }
    }

    /// The same options with another container.
    pub(crate) fn with_format(self, format: InputFormat) -> Self {
        ReadOptions { format, ..self }
    }
}

/// Lines cut at the cap in one input: how many, and where the first began.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Oversized {
    pub(crate) count: u64,
    pub(crate) first: Option<u64>,
}

impl Oversized {
    /// One more cut line, beginning at byte `at`.
    pub(crate) fn note(&mut self, at: u64) {
        self.count += 1;
        self.first = Some(self.first.map_or(at, |f| f.min(at)));
    }

    pub(crate) fn merge(&mut self, other: Oversized) {
        self.count += other.count;
        if let Some(at) = other.first {
            self.first = Some(self.first.map_or(at, |f| f.min(at)));
        }
    }

    /// Tells `sink` of the cut lines, if any, and starts counting again.
    pub(crate) fn report(&mut self, input: &str, sink: &mut dyn EventSink) {
        if self.count > 0 {
            sink.oversized_lines(input, self.count, self.first.unwrap_or(0));
        }
        *self = Oversized::default();
    }
}

/// The longest prefix of `bytes` of at most `max` bytes that ends at a UTF-8 character boundary
/// (never cutting a character in two, so a cut line stays valid text).
pub(crate) fn char_floor(bytes: &[u8], max: usize) -> usize {
    if max >= bytes.len() {
        return bytes.len();
    }
    let mut at = max;
    // A UTF-8 character is at most 4 bytes: at most 3 continuation bytes to back over.
    while at > 0 && max - at < 3 && bytes[at] & 0xC0 == 0x80 {
        at -= 1;
    }
    at
}

/// The container shape of an input. `Auto` detects it per input from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum InputFormat {
    /// Detect the container per input.
    Auto,
    /// CloudWatch export to S3: `<ISO ms Z> <message>`, messages keep their own `\n`.
    Export,
    /// `aws logs filter-log-events` / `get-log-events` JSON, subscription payloads (also base64+gzip
    /// in Lambda, Kinesis and Firehose deliveries), Logs Insights JSON.
    Json,
    /// `aws logs tail`: `<ts +00:00> <stream> <message>` (detailed, json) or `<ts> <message>` (short).
    Tail,
    /// Console copies: `<local ISO+offset>\t<message>` rows, or timestamp-line / message-line pairs.
    Console,
    /// Bare messages, one per line.
    Bare,
    /// Lambda lines behind a prefix no other container explains (`HH:MM:SS  `, `[group] [stream] `,
    /// a syslog header), learned per input from its first lines.
    Prefixed,
    /// Logs Insights results downloaded from the console as CSV: a header naming `@timestamp`,
    /// `@message` (and optionally `@logStream`, `@log`), then one row per event; or naming REPORT
    /// fields (`@requestId`, `@duration`, `@maxMemoryUsed`…), then one row per REPORT.
    InsightsCsv,
    /// Logs Insights results copied from the console as a Markdown table: `| @timestamp | @message |`
    /// (or REPORT fields), after the block the console writes above it, if any.
    InsightsMd,
    /// The console's "Download" of log events (`log-events-viewer-result.csv`): a header
    /// `timestamp,message[,logStreamName]`, epoch-millisecond times, RFC 4180 quoted messages.
    ConsoleCsv,
}

impl InputFormat {
    /// Every format's name, as `--input-format` takes it.
    pub const NAMES: [&'static str; 10] = [
        "auto",
        "export",
        "json",
        "tail",
        "console",
        "bare",
        "prefixed",
        "insights-csv",
        "insights-md",
        "console-csv",
    ];

    /// The name `--input-format` takes.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Export => "export",
            InputFormat::Json => "json",
            InputFormat::Tail => "tail",
            InputFormat::Console => "console",
            InputFormat::Bare => "bare",
            InputFormat::Prefixed => "prefixed",
            InputFormat::InsightsCsv => "insights-csv",
            InputFormat::InsightsMd => "insights-md",
            InputFormat::ConsoleCsv => "console-csv",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
