//! Input format auto-detection: each container is scored on a sample of the decompressed input.

use std::borrow::Cow;
use std::ops::ControlFlow;

use super::insights;
use super::json::{self, JsonStats};
use super::{Score, TextContainer, TextKind};
use crate::report::InputError;
use crate::source::decode::decode_line;
use crate::source::{EventSink, InputFormat, LogEvent};
use crate::timeutil::parse_leading_timestamp;

/// Picks the container for a sample; `complete` says the sample is the whole input.
pub(crate) fn detect(sample: &[u8], complete: bool) -> InputFormat {
    detect_scoring(sample, complete, true)
}

/// `detect`, which may stop at the first container that scores every line (`shortcut`).
fn detect_scoring(sample: &[u8], complete: bool, shortcut: bool) -> InputFormat {
    let text = if complete {
        sample
    } else {
        // A cut-off last line would score as a damaged event. A `\r` ends a line only in a sample
        // without a `\n` (see `split_lines`).
        let last_end = match memchr::memrchr(b'\n', sample) {
            Some(i) => Some(i),
            None => memchr::memrchr(b'\r', sample),
        };
        match last_end {
            Some(i) => &sample[..=i],
            None => sample,
        }
    };
    let json = json_score(sample);
    // An encoded subscription record, even one that does not decode, makes the input JSON: read
    // as text, its damage would go unreported.
    if json.lambda > 0 || json.encoded {
        return InputFormat::Json;
    }
    // Later entries win ties: the more specific container.
    let kinds = [
        (TextKind::Bare, InputFormat::Bare),
        (TextKind::Console, InputFormat::Console),
        (TextKind::Tail, InputFormat::Tail),
        (TextKind::Export, InputFormat::Export),
    ];
    // Split and decoded once for the four containers: a byte-at-a-time split and a UTF-8 check per
    // line and container made detection cost ~3 ms an input file, a tenth of a 64-file tree's time.
    let lines: Vec<Cow<'_, str>> = split_lines(text)
        .map(|line| decode_line(line.strip_suffix(b"\r").unwrap_or(line)).0)
        .collect();
    let score = |kind| {
        let mut container = TextContainer::scoring(kind);
        let mut none = NoSink;
        for line in &lines {
            container.line(line, &mut none);
        }
        container.finish(&mut none);
        container.score()
    };
    // No container counts a line twice, nor a blank line before any event, so a score of every
    // other line cannot be beaten, and only later entries win ties: scoring from the last entry, the
    // first to score every line wins. A plain export sample (every file of an S3 tree, which may
    // begin with the blank line ending an event) is scored once, a tail one twice.
    let leading_blank = lines.iter().take_while(|l| l.trim().is_empty()).count();
    let most = (lines.len() - leading_blank) as u64;
    let mut scores = kinds.map(|(_, format)| (Score::default(), format));
    for (at, &(kind, format)) in kinds.iter().enumerate().rev() {
        let s = score(kind);
        if shortcut && s.lambda_lines == most && s.lambda_lines > 0 {
            return format;
        }
        scores[at].0 = s;
    }
    // A console table is known by its header: a line or a header block looked at, after the shortcut that
    // reads every export sample, so an export costs nothing more.
    if let Some(format) = insights::sniff_lines(lines.iter().map(|l| l.as_ref())) {
        return format;
    }
    let best = scores.iter().max_by_key(|(s, _)| s.lambda_lines);
    // Lambda lines behind a prefix no container explains: tried only when none read every line.
    let plain: Vec<&str> = lines.iter().map(|l| l.as_ref()).collect();
    if let Some(mut prefixed) = TextContainer::scoring_prefixed(&plain) {
        for line in &plain {
            prefixed.line(line, &mut NoSink);
        }
        prefixed.finish(&mut NoSink);
        let s = prefixed.score();
        if best.is_none_or(|(b, _)| s.lambda_lines > b.lambda_lines) {
            return InputFormat::Prefixed;
        }
    }
    if let Some((_, format)) = best.filter(|(s, _)| s.lambda_lines > 0) {
        return *format;
    }
    // A first value longer than the whole sample (one enormous message) reads as JSON when the
    // sample is valid JSON up to its end: no text container scored anything either.
    if json.events > 0 || json.open_at_end && !complete {
        return InputFormat::Json;
    }
    scores
        .iter()
        .filter(|(_, f)| *f != InputFormat::Bare)
        .max_by_key(|(s, _)| s.structured)
        .filter(|(s, _)| s.structured > 0)
        .map_or(InputFormat::Bare, |(_, f)| *f)
}

/// The pieces of `text` between line ends, as the line buffer reads them: `\n` or `\r\n`, or, in
/// a text holding no `\n`, a `\r` alone; as `split` gives them (an empty last piece after a final
/// line end included). In a text of `\n` ends a lone `\r` is content: Lambda joins the lines of
/// one message with `\r`.
pub(super) fn split_lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let end = if memchr::memchr(b'\n', text).is_some() {
        b'\n'
    } else {
        b'\r'
    };
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memchr(end, r) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                let piece = &r[..i];
                Some(piece.strip_suffix(b"\r").unwrap_or(piece))
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

#[derive(Default)]
struct JsonScore {
    events: u64,
    lambda: u64,
    /// The sample ended inside its first value, with no error before.
    open_at_end: bool,
    /// It held an encoded subscription record (decoded or damaged).
    encoded: bool,
}

struct NoSink;

impl EventSink for NoSink {
    fn event(&mut self, _: &LogEvent<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
    fn input_error(&mut self, _: InputError) {}
}

impl EventSink for JsonScore {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        self.events += 1;
        if looks_like_lambda(event.message) {
            self.lambda += 1;
        }
        ControlFlow::Continue(())
    }
    fn input_error(&mut self, _: InputError) {}
}

fn json_score(sample: &[u8]) -> JsonScore {
    let mut score = JsonScore::default();
    let first = sample.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{' | b'[' | b'"')) {
        // A sample cut inside a value ends in an error; the events before it still count.
        let mut stats = JsonStats::default();
        if let Err(e) = json::read_json(sample, "", &mut score, &mut stats) {
            score.open_at_end = e.is_eof() && score.events == 0 && stats.skipped == 0;
        }
        score.encoded = stats.encoded > 0;
    }
    score
}

/// What starts a Lambda line: platform lines, runtime log levels, JSON log records, timeouts.
pub(super) const LAMBDA_PREFIXES: [&str; 18] = [
    "START RequestId:",
    "END RequestId:",
    "REPORT RequestId:",
    "INIT_START",
    "INIT_REPORT",
    "RESTORE_START",
    "RESTORE_REPORT",
    "EXTENSION",
    "[INFO]",
    "[ERROR]",
    "[WARNING]",
    "[DEBUG]",
    "[CRITICAL]",
    "{\"time\"",
    "{\"timestamp\"",
    "RequestId:",
    "Task timed out",
    "LAMBDA_WARNING",
];

/// Whether a message looks like a Lambda log line (platform line, Python/Node app line, JSON log line).
pub(super) fn looks_like_lambda(msg: &str) -> bool {
    let msg = msg.trim_start();
    if LAMBDA_PREFIXES.iter().any(|p| msg.starts_with(p)) {
        return true;
    }
    // Node: `<ISO Z>\t<request id or undefined>\t…`; console copies flatten the tabs to spaces.
    let Some(ts) = parse_leading_timestamp(msg) else {
        return false;
    };
    let rest = &msg.as_bytes()[ts.len..];
    let Some((&sep, rest)) = rest.split_first() else {
        return false;
    };
    if sep != b'\t' && sep != b' ' {
        return false;
    }
    let id_len = if rest.starts_with(b"undefined") {
        9
    } else if rest.len() >= 36
        && rest[..36].iter().enumerate().all(|(i, &b)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                b == b'-'
            } else {
                b.is_ascii_alphanumeric()
            }
        })
    {
        36
    } else {
        return false;
    };
    matches!(rest.get(id_len), Some(b'\t' | b' '))
}

#[cfg(test)]
mod tests;
