//! The containers of log events: text lines assembled into events, JSON, and detecting which one an input is.

mod console;
pub(super) mod detect;
mod export;
pub(super) mod insights;
pub(super) mod json;
mod prefix;
mod tail;

use super::{char_floor, EventSink, InputFormat, LogEvent, DEFAULT_MAX_LINE_BYTES};
use crate::report::InputError;
use crate::timeutil::{impossible_date, parse_leading_timestamp, TimestampCache};
use console::console_row;
use export::LAMBDA_HEAD;
pub(super) use export::{export_head, export_head_bad_date};
use prefix::{LineTime, Prefix};
use tail::{strip_sgr_head, tail_head, tail_head_bad_date};

/// The input error of `count` lines whose stamp has a date that does not exist, the first at byte
/// `first_byte`.
pub(super) fn invalid_times_error(input: &str, count: u64, first_byte: u64) -> InputError {
    InputError {
        input: input.to_string(),
        position: format!("byte {first_byte}"),
        message: format!(
            "{count} line(s) begin with a date or time that does not exist (such as 2025-02-30 or hour 25); \
             each was read as an event without a time, which takes the time inside its own line"
        ),
    }
}

/// The line container of a text format; `None` for JSON and the Logs Insights tables.
pub(super) fn text_kind(format: InputFormat) -> Option<TextKind> {
    match format {
        InputFormat::Json | InputFormat::InsightsCsv | InputFormat::InsightsMd | InputFormat::ConsoleCsv => None,
        InputFormat::Export => Some(TextKind::Export),
        InputFormat::Tail => Some(TextKind::Tail),
        InputFormat::Console => Some(TextKind::Console),
        InputFormat::Prefixed => Some(TextKind::Prefixed),
        InputFormat::Bare | InputFormat::Auto => Some(TextKind::Bare),
    }
}

/// The line-oriented containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TextKind {
    Export,
    Tail,
    Console,
    Bare,
    Prefixed,
}

/// Detection score of a container on a sample: input lines that became Lambda-looking events
/// through the container's own structure, and events whose header the container recognized.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Score {
    pub lambda_lines: u64,
    pub structured: u64,
}

/// Assembles events from lines for one text container; continuation lines join the open event.
pub(super) struct TextContainer<'d> {
    kind: TextKind,
    default_stream: &'d str,
    open: bool,
    ts: Option<i64>,
    has_stream: bool,
    stream: String,
    msg: String,
    lines: u64,
    scratch: String,
    score: Option<Score>,
    pub(super) timestamps: TimestampCache,
    /// The time of the next line's export header, when the look-ahead already read it.
    next_head: Option<i64>,
    /// The sink asked to stop: the reader reads no further line.
    pub(crate) stopped: bool,
    /// An event's message is cut at this many bytes: continuation lines past it are skipped.
    max_event: usize,
    /// The open event was cut.
    cut: bool,
    /// Events cut so far.
    pub(crate) oversized: u64,
    /// Lines whose head stamp has a date that does not exist (`2025-02-30`): each began an event
    /// without a time, and the input is reported as damaged.
    pub(crate) invalid_times: u64,
    /// The prefix of `Prefixed` lines, learned from the input's sample.
    prefix: Option<Box<Prefix>>,
}

impl<'d> TextContainer<'d> {
    pub(super) fn new(kind: TextKind, default_stream: &'d str, max_event: usize) -> Self {
        TextContainer {
            kind,
            default_stream,
            open: false,
            ts: None,
            has_stream: false,
            stream: String::new(),
            msg: String::new(),
            lines: 0,
            scratch: String::new(),
            score: None,
            timestamps: TimestampCache::default(),
            next_head: None,
            stopped: false,
            max_event,
            cut: false,
            oversized: 0,
            invalid_times: 0,
            prefix: None,
        }
    }

    /// Learns a `Prefixed` input's prefix from its first lines (`sample`, the detection sample).
    pub(super) fn learn_prefix(&mut self, sample: &[u8]) {
        if self.kind != TextKind::Prefixed {
            return;
        }
        // Split as the line buffer splits: a sample of `\r` line ends is lines, not one line.
        let owned: Vec<std::borrow::Cow<'_, str>> = detect::split_lines(sample).map(String::from_utf8_lossy).collect();
        let lines: Vec<&str> = owned.iter().map(|l| l.as_ref()).collect();
        self.prefix = Prefix::learn(&lines).map(Box::new);
    }

    /// A scoring container of a prefix learned from `lines`; `None` when they share none.
    pub(super) fn scoring_prefixed(lines: &[&str]) -> Option<Self> {
        let mut c = TextContainer::scoring(TextKind::Prefixed);
        c.prefix = Some(Box::new(Prefix::learn(lines)?));
        Some(c)
    }

    /// A container that only scores what it would deliver.
    pub(super) fn scoring(kind: TextKind) -> Self {
        let mut c = TextContainer::new(kind, "", DEFAULT_MAX_LINE_BYTES);
        c.score = Some(Score::default());
        c
    }

    pub(super) fn score(&self) -> Score {
        self.score.unwrap_or_default()
    }

    /// `line`, given the bytes buffered after it (`rest`, all that is left if `eof`). An export
    /// event that is one header line and blank lines (the usual shape: every exported message ends
    /// in `\n`) is delivered straight from the line, without being copied, when the look-ahead shows
    /// where it ends; the result is the bytes of `rest` it consumed (its blank lines).
    pub(super) fn line_ahead(&mut self, line: &str, rest: &[u8], eof: bool, sink: &mut dyn EventSink) -> usize {
        if self.kind != TextKind::Export || self.score.is_some() || line.is_empty() {
            self.line(line, sink);
            return 0;
        }
        let head = self
            .next_head
            .take()
            .and_then(|ts| Some((ts, line.get(LAMBDA_HEAD..)?)))
            .or_else(|| export_head(line, &mut self.timestamps));
        let Some((ts, msg)) = head else {
            match export_head_bad_date(line) {
                Some(msg) => self.start_without_time(msg, sink),
                None => self.continuation(line, sink),
            }
            return 0;
        };
        match self.blank_lines_to_next_head(rest, eof) {
            Some((bytes, blanks)) => {
                self.flush(sink);
                self.deliver(Some(ts), msg, true, 1 + blanks, sink);
                bytes
            }
            None => {
                self.start(Some(ts), None, msg, sink);
                0
            }
        }
    }

    /// The blank lines at the start of `rest` (bytes, lines) when what follows them is known to be
    /// an export header or the end of the input; `None` when the look-ahead cannot tell.
    fn blank_lines_to_next_head(&mut self, rest: &[u8], eof: bool) -> Option<(usize, u64)> {
        let (mut at, mut blanks) = (0, 0);
        loop {
            match rest.get(at..) {
                Some([b'\n', ..]) => at += 1,
                Some([b'\r', b'\n', ..]) => at += 2,
                _ => break,
            }
            blanks += 1;
        }
        if at == rest.len() {
            return eof.then_some((at, blanks));
        }
        // A stamp of the Lambda shape ends at its `Z`, so these bytes decide it as the whole line would.
        let head = rest.get(at..at + LAMBDA_HEAD)?;
        let ts = self.timestamps.parse_bytes(head)?;
        if ts.len != LAMBDA_HEAD - 1 || !head.ends_with(b"Z ") {
            return None;
        }
        self.next_head = Some(ts.epoch_ms);
        Some((at, blanks))
    }

    pub(super) fn line(&mut self, line: &str, sink: &mut dyn EventSink) {
        // Every exported message ends in `\n`, so every other line is empty: it can only continue
        // the open event (or, before the first header, be skipped), whatever the container.
        if line.is_empty() && matches!(self.kind, TextKind::Export | TextKind::Tail) {
            self.continuation(line, sink);
            return;
        }
        match self.kind {
            TextKind::Bare => {
                if !line.trim().is_empty() {
                    self.deliver(None, line, true, 1, sink);
                }
            }
            TextKind::Export => match export_head(line, &mut self.timestamps) {
                Some((ts, msg)) => self.start(Some(ts), None, msg, sink),
                None => match export_head_bad_date(line) {
                    Some(msg) => self.start_without_time(msg, sink),
                    None => self.continuation(line, sink),
                },
            },
            TextKind::Tail => {
                if line.starts_with('\x1b') {
                    let mut clean = std::mem::take(&mut self.scratch);
                    strip_sgr_head(line, &mut clean);
                    self.tail_line(&clean, sink);
                    self.scratch = clean;
                } else {
                    self.tail_line(line, sink);
                }
            }
            TextKind::Prefixed => match self.prefix.as_mut().and_then(|p| p.strip(line)) {
                Some((LineTime::At(ts), msg)) => self.start(ts, None, msg, sink),
                Some((LineTime::Impossible, msg)) => self.start_without_time(msg, sink),
                None => self.continuation(line, sink),
            },
            TextKind::Console => {
                let trimmed = line.trim();
                if let Some(ts) = parse_leading_timestamp(trimmed).filter(|t| t.len == trimmed.len()) {
                    self.start(Some(ts.epoch_ms), None, "", sink);
                } else if let Some((ts, msg)) = console_row(line) {
                    self.start(Some(ts), None, msg, sink);
                } else if let Some(len) = impossible_date(trimmed.as_bytes()) {
                    self.start_without_time(trimmed[len..].trim_start(), sink);
                } else if self.open && self.msg.is_empty() {
                    // Pair shape: the message follows its timestamp line, often indented or after a blank line.
                    if !trimmed.is_empty() {
                        self.msg.push_str(line.trim_start());
                    }
                    self.lines += 1;
                } else {
                    self.continuation(line, sink);
                }
            }
        }
    }

    fn tail_line(&mut self, line: &str, sink: &mut dyn EventSink) {
        match tail_head(line) {
            Some((ts, stream, msg)) => self.start(Some(ts), stream, msg, sink),
            None => match tail_head_bad_date(line) {
                // The rest of the line as it is: the damage is reported.
                Some(rest) => self.start_without_time(rest, sink),
                None => self.continuation(line, sink),
            },
        }
    }

    /// A line whose stamp has a date that does not exist begins an event without a time (which
    /// takes the time inside its own line), counted as damage: never a line of the event before,
    /// nor a time on another day.
    #[cold]
    fn start_without_time(&mut self, msg: &str, sink: &mut dyn EventSink) {
        self.invalid_times += 1;
        self.start(None, None, msg, sink);
    }

    pub(super) fn finish(&mut self, sink: &mut dyn EventSink) {
        if self.stopped {
            return;
        }
        self.flush(sink);
    }

    fn start(&mut self, ts: Option<i64>, stream: Option<&str>, msg: &str, sink: &mut dyn EventSink) {
        self.flush(sink);
        self.open = true;
        self.ts = ts;
        self.has_stream = stream.is_some();
        self.stream.clear();
        self.stream.push_str(stream.unwrap_or(""));
        self.msg.push_str(msg);
        self.cut = false;
        self.lines = 1;
    }

    #[inline]
    fn continuation(&mut self, line: &str, sink: &mut dyn EventSink) {
        if self.open {
            let sep = usize::from(!self.msg.is_empty());
            if self.msg.len() + sep + line.len() > self.max_event {
                self.cut_continuation(line, sep);
                return;
            }
            if sep == 1 {
                self.msg.push('\n');
            }
            self.msg.push_str(line);
            self.lines += 1;
        } else if !line.trim().is_empty() {
            // Lines before the first recognized header: their event boundaries are unknown, so one event each.
            let line = if self.kind == TextKind::Console {
                line.trim()
            } else {
                line
            };
            self.deliver(None, line, false, 0, sink);
        }
    }

    /// A continuation line that makes the open event longer than the cap: what fits is kept, the
    /// event counted once as cut, and the lines after it skip here until the next event begins.
    #[cold]
    fn cut_continuation(&mut self, line: &str, sep: usize) {
        self.lines += 1;
        if self.cut {
            return;
        }
        self.cut = true;
        self.oversized += 1;
        let room = self.max_event.saturating_sub(self.msg.len() + sep);
        match line.get(..char_floor(line.as_bytes(), room)) {
            Some(head) if !head.is_empty() => {
                if sep == 1 {
                    self.msg.push('\n');
                }
                self.msg.push_str(head);
            }
            _ => {}
        }
    }

    fn flush(&mut self, sink: &mut dyn EventSink) {
        if !self.open {
            return;
        }
        self.open = false;
        let msg = std::mem::take(&mut self.msg);
        let mut text = msg.trim_end_matches('\n');
        if self.kind == TextKind::Console {
            text = text.trim_end();
            // An expanded JSON event copies as pretty-printed JSON, a blank line, then the raw line: keep the raw line.
            if let Some(i) = text.rfind("\n\n{") {
                let raw = &text[i + 2..];
                if text.starts_with('{') && !raw.contains('\n') {
                    text = raw;
                }
            }
        }
        let (ts, lines) = (self.ts, self.lines);
        self.deliver(ts, text, true, lines, sink);
        self.msg = msg;
        self.msg.clear();
    }

    fn deliver(&mut self, ts: Option<i64>, message: &str, structured: bool, lines: u64, sink: &mut dyn EventSink) {
        if let Some(score) = &mut self.score {
            if structured {
                score.structured += 1;
                if detect::looks_like_lambda(message) {
                    score.lambda_lines += lines;
                }
            }
            return;
        }
        let stream = if self.has_stream && structured {
            self.stream.as_str()
        } else {
            self.default_stream
        };
        if sink
            .event(&LogEvent {
                timestamp_ms: ts,
                stream,
                message,
            })
            .is_break()
        {
            self.stopped = true;
        }
    }
}

#[cfg(test)]
mod tests;
