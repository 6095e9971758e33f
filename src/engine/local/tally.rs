//! Per-input tallies of recognized lines, so an input that yields nothing is explained instead of silently empty.

use crate::parse::{LineEvent, OwnedOrBorrowedFact};
use crate::redact::{escape_control, mask_secret_words, mask_values, KnownTokens, RECEIVED_BYTES};
use crate::report::{InputWarning, MAX_INPUT_WARNINGS};
use crate::source::InputFormat;

/// Sample lines kept per input, and the characters shown of each.
const SAMPLES: usize = 2;
const SAMPLE_CHARS: usize = 120;
/// Bytes of a sample's line kept until the input's end, when the tokens it may hold are known:
/// enough for a token that starts where the shown part ends, even spelled in JSON escapes.
const SAMPLE_KEEP: usize = 16 * 1024;
/// Bytes of a token value remembered to mask samples: an occurrence is masked from its start on,
/// past what a sample shows.
const TOKEN_PREFIX: usize = 1024;
/// Bytes of received token values remembered per input: samples are masked once, at its end, so
/// more are kept than where every line is masked.
const TOKEN_BYTES: usize = 4 * RECEIVED_BYTES;

/// What one input (or one range of it) gave the parser.
#[derive(Debug)]
pub(super) struct InputTally {
    events: u64,
    unrecognized: u64,
    /// Unrecognized lines as read (their first line, cut at `SAMPLE_KEEP`), and whether more
    /// followed: masked and cut at the input's end.
    samples: Vec<(String, bool)>,
    /// The token values the input logged (`Token:`, `Allowed Token:`), to mask in the samples
    /// wherever they stand.
    tokens: KnownTokens,
}

impl Default for InputTally {
    fn default() -> Self {
        InputTally {
            events: 0,
            unrecognized: 0,
            samples: Vec::new(),
            tokens: KnownTokens::with_budget(TOKEN_BYTES),
        }
    }
}

impl InputTally {
    /// One parsed event.
    #[inline]
    pub(super) fn note(&mut self, line: &LineEvent<'_>, message: &str) {
        self.events += 1;
        match line {
            LineEvent::Unrecognized => {
                self.unrecognized += 1;
                if self.samples.len() < SAMPLES && !message.trim().is_empty() {
                    self.samples.push(keep(message));
                }
            }
            // Once a value was let go, the samples are not shown: nothing more need be kept.
            LineEvent::App { fact: Some(fact), .. } if !self.tokens.lost_any() => match fact {
                OwnedOrBorrowedFact::Token(v) => self.tokens.receive(prefix(v)),
                OwnedOrBorrowedFact::AllowedToken(v) => self.tokens.pin(prefix(v)),
                OwnedOrBorrowedFact::TokenMismatch { received, allowed } => {
                    self.tokens.receive(prefix(received));
                    self.tokens.pin(prefix(allowed));
                }
                _ => {}
            },
            _ => {}
        }
    }

    /// The end of `input`, read as `format`: a warning when under 1 % of its lines were recognized.
    pub(super) fn finish(&mut self, input: &str, format: InputFormat) -> Option<InputWarning> {
        self.finish_as(input, format.name(), || hint(format))
    }

    /// The end of a CloudWatch window over `groups`: a warning as [`InputTally::finish`] gives a
    /// file, whose hint is to pick another group (a wrong `--group` reads another function's logs).
    pub(super) fn finish_window(&mut self, groups: &[String]) -> Option<InputWarning> {
        let input = groups.join(", ");
        self.finish_as(&input, "cloudwatch", || window_hint(groups.len()))
    }

    fn finish_as(
        &mut self,
        input: &str,
        container: &'static str,
        hint: impl FnOnce() -> String,
    ) -> Option<InputWarning> {
        let tally = std::mem::take(self);
        let recognized = tally.events - tally.unrecognized;
        if tally.events == 0 || recognized.saturating_mul(100) >= tally.events {
            return None;
        }
        // A token value let go may stand in a sample: none is shown rather than one that may
        // show a token.
        let samples = if tally.tokens.lost_any() {
            Vec::new()
        } else {
            let tokens: Vec<&str> = tally.tokens.values().collect();
            tally
                .samples
                .iter()
                .map(|(line, more)| sample(line, *more, &tokens))
                .collect()
        };
        Some(InputWarning {
            input: input.to_string(),
            container,
            events: tally.events,
            recognized,
            samples,
            hint: hint(),
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

/// A line kept to be a sample: its first line, at most `SAMPLE_KEEP` bytes of it, and whether
/// more followed.
fn keep(message: &str) -> (String, bool) {
    let first = message.lines().next().unwrap_or("");
    let kept = prefix_of(first, SAMPLE_KEEP);
    let more = kept.len() < first.len() || first.len() < message.trim_end().len();
    (kept.to_string(), more)
}

/// A kept line as a sample: the input's token values masked wherever they stand, values after
/// secret words masked (no template recognized the line, so none says where its token is), cut
/// at `SAMPLE_CHARS` characters, control characters escaped.
fn sample(line: &str, more: bool, tokens: &[&str]) -> String {
    let known = mask_values(line, tokens);
    let masked = mask_secret_words(&known);
    let mut cut: String = masked.chars().take(SAMPLE_CHARS).collect();
    if more || cut.len() < masked.len() {
        cut.push('…');
    }
    escape_control(&cut).into_owned()
}

/// The first `TOKEN_PREFIX` bytes of a token value.
fn prefix(token: &str) -> &str {
    prefix_of(token, TOKEN_PREFIX)
}

/// At most `max` bytes of `text`, cut at a character's start.
fn prefix_of(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
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

/// What to try for a CloudWatch window of `groups` groups that gave (almost) nothing.
fn window_hint(groups: usize) -> String {
    let which = if groups == 1 { "this is not" } else { "these are not" };
    format!(
        "if {which} the authorizer's log group, name it with --group (`authlogs groups` lists the groups); if the authorizer words its messages differently, teach them with --patterns FILE"
    )
}

#[cfg(test)]
mod tests;
