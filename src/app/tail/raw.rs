//! `tail --raw`: each invocation's raw log lines, kept until it is printed, in bounded memory.

use std::collections::{HashMap, VecDeque};

use crate::parse::{LineEvent, OwnedOrBorrowedFact, Parser};
use crate::redact::{display_token, TokenDisplay};
use crate::source::LogEvent;

/// Lines kept per invocation; the rest are counted.
const MAX_LINES: usize = 200;
/// Invocations whose lines are kept; the oldest are let go (they were printed without, or never end).
const MAX_REQUESTS: usize = 10_000;

/// Raw lines by request id, and the request each stream is running (lines without an id).
#[derive(Debug, Default)]
pub(super) struct RawLines {
    lines: HashMap<String, (Vec<String>, usize)>,
    order: VecDeque<String>,
    running: HashMap<String, String>,
}

impl RawLines {
    /// Files `event` under its request: its own id, else the request its stream is running. The
    /// tokens the line holds are masked as in every other output, unless `tokens` reveals them.
    pub(super) fn record(&mut self, parser: &Parser, event: &LogEvent<'_>, tokens: TokenDisplay) {
        let line = parser.parse(event.message);
        let message = match (&line, tokens) {
            (LineEvent::App { fact: Some(fact), .. }, TokenDisplay::Masked) => mask_tokens(event.message, fact),
            _ => event.message.to_string(),
        };
        let id = match line {
            LineEvent::Start { request_id } => {
                let id = request_id.to_string();
                self.running.insert(event.stream.to_string(), id.clone());
                Some(id)
            }
            LineEvent::End { request_id } | LineEvent::Report { request_id, .. } => Some(request_id.to_string()),
            LineEvent::App {
                request_id: Some(id), ..
            }
            | LineEvent::Timeout { request_id: Some(id) }
            | LineEvent::Failure { request_id: Some(id) } => Some(id.to_string()),
            _ => self.running.get(event.stream).cloned(),
        };
        let Some(id) = id else { return };
        if !self.lines.contains_key(&id) {
            if self.order.len() >= MAX_REQUESTS {
                if let Some(old) = self.order.pop_front() {
                    self.lines.remove(&old);
                }
            }
            self.order.push_back(id.clone());
        }
        let (lines, dropped) = self.lines.entry(id).or_default();
        if lines.len() < MAX_LINES {
            lines.push(message);
        } else {
            *dropped += 1;
        }
    }

    /// The lines of `request_id` and how many more there were; they are forgotten.
    pub(super) fn take(&mut self, request_id: &str) -> (Vec<String>, usize) {
        self.lines.remove(request_id).unwrap_or_default()
    }
}

/// `message` with every token value of `fact` replaced by its masked form, as written and as it
/// stands inside a JSON log record (escaped).
fn mask_tokens(message: &str, fact: &OwnedOrBorrowedFact<'_>) -> String {
    let values: Vec<&str> = match fact {
        OwnedOrBorrowedFact::Token(v) | OwnedOrBorrowedFact::AllowedToken(v) => vec![v],
        OwnedOrBorrowedFact::TokenMismatch { received, allowed } => vec![received, allowed],
        _ => return message.to_string(),
    };
    let mut masked = message.to_string();
    for value in values {
        if value.is_empty() || value == "None" {
            continue;
        }
        let shown = display_token(value, TokenDisplay::Masked);
        let escaped = serde_json::to_string(value).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        for form in [value, escaped] {
            if !form.is_empty() {
                masked = masked.replace(form, &shown);
            }
        }
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_lines_keep_no_token() {
        let parser = Parser::default();
        let mut raw = RawLines::default();
        let id = "e9b8af80-569f-4e11-a6fd-15e45859e5a3";
        for message in [
            format!("START RequestId: {id} Version: $LATEST"),
            format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Token: Ab12Xy34"),
            format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Allowed Token: Ab12Xy34"),
            format!("[ERROR]\t2025-07-11T06:05:34.309Z\t{id}\t[ERROR] トークンが不一致: 受信トークン=guess\"1, 許可トークン=Ab12Xy34"),
        ] {
            let event = LogEvent {
                timestamp_ms: None,
                stream: "s",
                message: &message,
            };
            raw.record(&parser, &event, TokenDisplay::Masked);
        }
        let (lines, dropped) = raw.take(id);
        assert_eq!((lines.len(), dropped), (4, 0));
        let all = lines.join("\n");
        assert!(!all.contains("Ab12Xy34") && !all.contains("guess"), "{all}");
        assert!(all.contains("tok:f6c4527f"), "{all}");
        assert!(raw.take(id).0.is_empty(), "taken once");
    }
}
