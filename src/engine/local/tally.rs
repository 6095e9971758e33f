//! Per-input tallies of recognized lines, so an input that yields nothing is explained instead of silently empty.

use crate::parse::LineEvent;
use crate::redact::{escape_control, mask_secret_words};
use crate::report::{InputWarning, MAX_INPUT_WARNINGS};
use crate::source::InputFormat;

/// Sample lines kept per input, and the characters kept of each.
const SAMPLES: usize = 2;
const SAMPLE_CHARS: usize = 120;

/// What one input (or one range of it) gave the parser.
#[derive(Debug, Default)]
pub(super) struct InputTally {
    events: u64,
    unrecognized: u64,
    samples: Vec<String>,
}

impl InputTally {
    /// One parsed event.
    #[inline]
    pub(super) fn note(&mut self, line: &LineEvent<'_>, message: &str) {
        self.events += 1;
        if matches!(line, LineEvent::Unrecognized) {
            self.unrecognized += 1;
            if self.samples.len() < SAMPLES && !message.trim().is_empty() {
                self.samples.push(sample(message));
            }
        }
    }

    /// The end of `input`, read as `format`: a warning when under 1 % of its lines were recognized.
    pub(super) fn finish(&mut self, input: &str, format: InputFormat) -> Option<InputWarning> {
        let tally = std::mem::take(self);
        let recognized = tally.events - tally.unrecognized;
        if tally.events == 0 || recognized.saturating_mul(100) >= tally.events {
            return None;
        }
        Some(InputWarning {
            input: input.to_string(),
            container: format.name(),
            events: tally.events,
            recognized,
            samples: tally.samples,
            hint: hint(format),
        })
    }
}

/// The inputs beyond [`MAX_INPUT_WARNINGS`] that gave (almost) nothing: counted, not kept.
#[derive(Debug, Default)]
pub(super) struct Omitted {
    pub(super) count: u64,
    /// The last one counted: the next ranges of the same file are not counted again.
    last: String,
}

/// Adds `more` to the warnings, merged with one of the same input (the ranges of one file, which
/// come one after the other); past [`MAX_INPUT_WARNINGS`] inputs it is only counted.
pub(super) fn merge(warnings: &mut Vec<InputWarning>, omitted: &mut Omitted, more: InputWarning) {
    let full = warnings.len() >= MAX_INPUT_WARNINGS;
    match warnings.iter_mut().find(|w| w.input == more.input) {
        Some(w) => {
            w.events += more.events;
            w.recognized += more.recognized;
            let room = SAMPLES.saturating_sub(w.samples.len());
            w.samples.extend(more.samples.into_iter().take(room));
        }
        None if !full => warnings.push(more),
        None if omitted.last != more.input => {
            omitted.count += 1;
            omitted.last = more.input;
        }
        None => {}
    }
}

/// A line as a sample: values after secret words masked (no template recognized it, so none
/// says where its token is), control characters escaped, cut at `SAMPLE_CHARS` characters.
fn sample(message: &str) -> String {
    let first = message.lines().next().unwrap_or("");
    let mut cut: String = first.chars().take(SAMPLE_CHARS).collect();
    if cut.len() < first.len() || first.len() < message.trim_end().len() {
        cut.push('…');
    }
    escape_control(&mask_secret_words(&cut)).into_owned()
}

/// What to try for an input read as `format` that gave (almost) nothing.
fn hint(format: InputFormat) -> String {
    let others: Vec<&str> = InputFormat::NAMES
        .iter()
        .copied()
        .filter(|n| *n != "auto" && *n != format.name())
        .collect();
    format!(
        "if these are Lambda logs in another shape, try --input-format {}; if the authorizer words its messages differently, teach them with --patterns FILE",
        others.join("|")
    )
}

#[cfg(test)]
mod tests;
