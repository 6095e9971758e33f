//! `tail --raw`: each invocation's raw log lines, kept until it is printed, in bounded memory.

use std::collections::{HashMap, VecDeque};

use crate::group::RequestKey;
use crate::parse::{LineEvent, OwnedOrBorrowedFact};
use crate::patterns::Patterns;
use crate::redact::{
    json_decoded, json_literals, mask_secret_words, mask_values, token_is_missing, KnownTokens, TokenDisplay,
};

/// Lines kept per invocation; the rest are counted.
const MAX_LINES: usize = 200;
/// Bytes of lines kept per invocation: 200 lines of a real authorizer (an event dump is a few KiB)
/// fit; a line that does not is counted with every line after it, never cut (a cut line could
/// end inside a token, and a token's head is not masked).
const MAX_REQUEST_BYTES: usize = 256 << 10;
/// Bytes of lines kept in all: over it, the lines of the oldest invocations are let go and counted.
const MAX_TOTAL_BYTES: usize = 16 << 20;
/// Invocations whose lines are kept; the oldest are let go (they were printed without, or never end).
const MAX_REQUESTS: usize = 10_000;
/// Bytes of token values remembered per invocation, the first found: a line's own values are
/// masked in it whatever this holds, so only a value found again in another line needs it.
const REQUEST_TOKEN_BYTES: usize = 16 * 1024;

/// One invocation's raw lines, as logged, and the token values found in them.
#[derive(Debug, Default)]
struct Kept {
    lines: Vec<String>,
    dropped: usize,
    /// Bytes `lines` hold, and the `tokens` found in them.
    bytes: usize,
    /// A line did not fit (or its lines were let go to hold the total): every later one is counted, not kept.
    full: bool,
    tokens: Vec<String>,
}

/// Raw lines by the request the grouper filed them under.
#[derive(Debug)]
pub(crate) struct RawLines {
    lines: HashMap<RequestKey, Kept>,
    order: VecDeque<RequestKey>,
    /// Bytes the kept lines hold, the sum of their `Kept::bytes`.
    bytes: usize,
    /// The entries of `order` before this one had their lines let go to hold `MAX_TOTAL_BYTES`.
    shed: usize,
    /// Token values seen in any line so far, to mask wherever they turn up again: the allowed
    /// ones pinned, the received ones in a budget of their own.
    known: KnownTokens,
    /// Whether tokens are masked (`tail` without `--show-tokens`).
    masked: bool,
}

impl RawLines {
    /// Nothing kept yet; tokens are masked in the lines taken unless `tokens` reveals them.
    pub(crate) fn new(tokens: TokenDisplay) -> RawLines {
        RawLines {
            lines: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            shed: 0,
            known: KnownTokens::default(),
            masked: tokens == TokenDisplay::Masked,
        }
    }

    /// Files `message` (parsed as `line`) under `owner`, the request the grouper says it belongs
    /// to (none: the line is not kept). The token values the line holds are masked in it now, so
    /// no list decides whether they are, and remembered, to be masked when the lines are taken
    /// wherever else they turn up, as in every other output.
    pub(crate) fn record(
        &mut self,
        owner: Option<RequestKey>,
        message: &str,
        line: &LineEvent<'_>,
        patterns: &Patterns,
    ) {
        let (found, allowed) = if self.masked {
            token_values(patterns, message, line)
        } else {
            (Vec::new(), Vec::new())
        };
        // Remembered cut (`crate::cut`): a 1 MiB token costs 4 KiB, and is still masked whole.
        let found: Vec<String> = found.into_iter().map(cut_value).collect();
        let allowed: Vec<String> = allowed.into_iter().map(cut_value).collect();
        for t in &found {
            if allowed.contains(t) {
                self.known.pin(t);
            } else {
                self.known.receive(t);
            }
        }
        let Some(id) = owner else { return };
        let own: Vec<&str> = found.iter().map(String::as_str).collect();
        let masked_now;
        let message = if own.is_empty() {
            message
        } else {
            masked_now = mask_values(message, &own);
            &masked_now
        };
        if !self.lines.contains_key(&id) {
            if self.order.len() >= MAX_REQUESTS {
                if let Some(old) = self.order.pop_front() {
                    self.shed = self.shed.saturating_sub(1);
                    if let Some(k) = self.lines.remove(&old) {
                        self.bytes -= k.bytes;
                    }
                }
            }
            self.order.push_back(id.clone());
        }
        let kept = self.lines.entry(id).or_default();
        let cost = line_bytes(message);
        if !kept.full && kept.lines.len() < MAX_LINES && kept.bytes + cost <= MAX_REQUEST_BYTES {
            kept.lines.push(message.to_string());
            kept.bytes += cost;
            self.bytes += cost;
        } else {
            kept.full = true;
            kept.dropped += 1;
        }
        for t in found {
            let held: usize = kept.tokens.iter().map(String::len).sum();
            if !kept.tokens.contains(&t) && held + t.len() <= REQUEST_TOKEN_BYTES {
                // Its tokens are held for its lines: counted with them.
                let cost = line_bytes(&t);
                kept.bytes += cost;
                self.bytes += cost;
                kept.tokens.push(t);
            }
        }
        if self.bytes > MAX_TOTAL_BYTES {
            self.shed_oldest();
        }
    }

    /// The lines of `request_id` and how many more there were; they are forgotten. Unless tokens
    /// are revealed, every token value found in its lines, or in any line before, is masked in
    /// every one of them, wherever it stands (issue 15: a token line is not the only place a token
    /// turns up), and so is the value after every secret word (`'authorization': '<t>'`,
    /// `identitySource`, `x-api-key`, `?key=`: an event dump holds tokens no template finds).
    pub(crate) fn take(&mut self, request_id: &RequestKey) -> (Vec<String>, usize) {
        let Some(kept) = self.lines.remove(request_id) else {
            return (Vec::new(), 0);
        };
        self.bytes -= kept.bytes;
        if !self.masked {
            return (kept.lines, kept.dropped);
        }
        let values: Vec<&str> = kept
            .tokens
            .iter()
            .map(String::as_str)
            .chain(self.known.values())
            .collect();
        let lines = kept
            .lines
            .iter()
            .map(|l| mask_secret_words(&mask_values(l, &values)).into_owned())
            .collect();
        (lines, kept.dropped)
    }
}

impl RawLines {
    /// The kept lines hold more than `MAX_TOTAL_BYTES`: the oldest invocations' lines are let go,
    /// counted in their `dropped`, until they hold three quarters of it. Each entry of `order` is
    /// passed once (`shed` moves on), so this costs O(1) a line over a run.
    fn shed_oldest(&mut self) {
        while self.bytes > MAX_TOTAL_BYTES / 4 * 3 {
            let Some(id) = self.order.get(self.shed) else { break };
            self.shed += 1;
            if let Some(k) = self.lines.get_mut(id) {
                self.bytes -= k.bytes;
                k.dropped += k.lines.len();
                k.lines = Vec::new();
                // Its tokens only masked its lines.
                k.tokens = Vec::new();
                k.bytes = 0;
                k.full = true;
            }
        }
    }
}

/// `token` as remembered: itself, or cut to `VALUE_CAP` with its length and digest.
fn cut_value(token: String) -> String {
    match crate::cut::cut(&token, crate::cut::VALUE_CAP) {
        std::borrow::Cow::Borrowed(_) => token,
        std::borrow::Cow::Owned(form) => form,
    }
}

/// What a kept line costs: its text and its `String`.
fn line_bytes(message: &str) -> usize {
    message.len() + std::mem::size_of::<String>()
}

/// The token values `message` holds: the one its parse found, and every one a token template
/// finds anywhere in it, in its text and inside its JSON string literals (decoded, so `\uXXXX`
/// escapes hide nothing); and of them, the allowed ones its parse found (an `Allowed Token:`
/// line of the authorizer's, not a value a caller sent).
fn token_values(patterns: &Patterns, message: &str, line: &LineEvent<'_>) -> (Vec<String>, Vec<String>) {
    let mut found: Vec<String> = Vec::new();
    let mut allowed: Vec<String> = Vec::new();
    if let LineEvent::App { fact: Some(fact), .. } = line {
        match fact {
            OwnedOrBorrowedFact::Token(v) => found.push(v.to_string()),
            OwnedOrBorrowedFact::AllowedToken(v) => allowed.push(v.to_string()),
            OwnedOrBorrowedFact::TokenMismatch { received, allowed: a } => {
                found.push(received.to_string());
                allowed.push(a.to_string());
            }
            _ => {}
        }
    }
    found.extend(allowed.iter().cloned());
    let mut scan = |text: &str| {
        let mut values = Vec::new();
        patterns.token_values(text, &mut values);
        found.extend(values.into_iter().map(str::to_string));
    };
    // A JSON record's text is its string literals: a template at its top level would run to
    // the record's end. Any other line is scanned as written and with its JSON escapes decoded
    // (an event dump inside a text line), wherever its quotes are.
    let record =
        message.trim_start().starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(message).is_ok();
    if record {
        for range in json_literals(message) {
            if let Ok(decoded) = serde_json::from_str::<String>(&message[range]) {
                scan(&decoded);
            }
        }
    } else {
        scan(message);
        if message.contains('\\') {
            scan(&json_decoded(message));
        }
    }
    found.retain(|t| !token_is_missing(t));
    found.sort_unstable();
    found.dedup();
    (found, allowed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::{GroupConfig, Grouper};
    use crate::parse::Parser;
    use crate::redact::display_token;

    /// Files each message as the pipeline does: under the request the grouper says it belongs to.
    fn record_all(raw: &mut RawLines, messages: &[String]) {
        let parser = Parser::default();
        let mut grouper = Grouper::new(GroupConfig::default());
        for message in messages {
            let line = parser.parse(message);
            let owner = grouper.line_owner("s", &line);
            raw.record(owner, message, &line, parser.patterns());
        }
    }

    fn take(raw: &mut RawLines, id: &str) -> (Vec<String>, usize) {
        raw.take(&RequestKey::new(id))
    }

    #[test]
    fn raw_lines_keep_no_token() {
        let mut raw = RawLines::new(TokenDisplay::Masked);
        let id = "e9b8af80-569f-4e11-a6fd-15e45859e5a3";
        record_all(&mut raw, &[
            format!("START RequestId: {id} Version: $LATEST"),
            format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Token: Ab12Xy34"),
            format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Allowed Token: Ab12Xy34"),
            format!("[ERROR]\t2025-07-11T06:05:34.309Z\t{id}\t[ERROR] トークンが不一致: 受信トークン=guess\"1, 許可トークン=Ab12Xy34"),
        ]);
        let (lines, dropped) = take(&mut raw, id);
        assert_eq!((lines.len(), dropped), (4, 0));
        let all = lines.join("\n");
        assert!(!all.contains("Ab12Xy34") && !all.contains("guess"), "{all}");
        assert!(all.contains("tok:f6c4527f"), "{all}");
        assert!(take(&mut raw, id).0.is_empty(), "taken once");
    }

    /// Found by fuzzing: only the token line itself was masked, so the token showed wherever
    /// else a request's lines held it: an event dump before the token line, the second line of
    /// a message, a traceback, a later request that logs it in another shape.
    #[test]
    fn raw_lines_mask_tokens_in_lines_that_are_not_the_token_line() {
        let id = "e9b8af80-569f-4e11-a6fd-15e45859e5a3";
        let next = "0b5f7b56-1a2e-4c3d-9e8f-0123456789ab";
        let mut raw = RawLines::new(TokenDisplay::Masked);
        record_all(
            &mut raw,
            &[
                format!("START RequestId: {id} Version: $LATEST"),
                format!(
                    "[INFO]\t2025-07-11T06:05:34.309Z\t{id}\tEvent: {{'headers': {{'authorization': 'Ab12Xy34'}}}}"
                ),
                format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Source IP: 1.2.3.4\n[INFO] Token: guess1"),
                "[ERROR] KeyError: x\nTraceback: トークンが不一致: 受信トークン=guess2, 許可トークン=Ab12Xy34"
                    .to_string(),
                format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Allowed Token: Ab12Xy34"),
                format!("[INFO]\t2025-07-11T06:05:35.309Z\t{next}\tresult: {{'token': 'Ab12Xy34'}}"),
            ],
        );
        let (lines, _) = take(&mut raw, id);
        let (later, _) = take(&mut raw, next);
        let all = [lines, later].concat().join("\n");
        for secret in ["Ab12Xy34", "guess1", "guess2"] {
            assert!(!all.contains(secret), "{secret} in {all}");
        }
        assert_eq!(all.matches("tok:f6c4527f").count(), 4, "{all}");
    }

    /// Issue 26: a caller who sent a few dozen headers like `x-h1: Token: g1` pushed the real
    /// token out of the lists of values to mask (16 per request, 64 overall), after which its
    /// `Token:` and `Allowed Token:` lines printed it; and a token only an event dump held
    /// (`'authorization'`, `identitySource`) printed as logged.
    #[test]
    fn no_caller_can_push_the_tokens_out_of_the_masking() {
        let id = "e9b8af80-569f-4e11-a6fd-15e45859e5a3";
        let next = "0b5f7b56-1a2e-4c3d-9e8f-0123456789ab";
        let headers: String = (0..200).map(|i| format!("'x-h{i}': 'Token: g{i:04}', ")).collect();
        let mut raw = RawLines::new(TokenDisplay::Masked);
        record_all(
            &mut raw,
            &[
                format!("START RequestId: {next} Version: $LATEST"),
                format!("[INFO]\t2025-07-11T06:05:34.309Z\t{next}\t[INFO] Allowed Token: Ab12Xy34"),
                format!("START RequestId: {id} Version: $LATEST"),
                format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\tEvent: {{'headers': {{{headers}'authorization': ['Bearer', 'Zq7Real'], 'x-other': 'Ab12Xy34'}}, 'identitySource': ['Zq7Real']}}"),
                format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Token: Zq7Real"),
                format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Allowed Token: Ab12Xy34"),
                format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\tlookup: KeyError: 'Zq7Real'"),
            ],
        );
        let (lines, _) = take(&mut raw, id);
        assert_eq!(lines.len(), 5);
        let all = lines.join("\n");
        for secret in ["Ab12Xy34", "Zq7Real", "g0001", "g0199"] {
            assert!(
                !all.contains(secret),
                "{secret} in {}",
                &all[all.len().saturating_sub(600)..]
            );
        }
        assert!(
            lines[2].ends_with(&display_token("Zq7Real", TokenDisplay::Masked)),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].ends_with(&display_token("Ab12Xy34", TokenDisplay::Masked)),
            "{}",
            lines[3]
        );
        let (shown, _) = {
            let mut revealed = RawLines::new(TokenDisplay::Revealed);
            record_all(
                &mut revealed,
                &[format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t[INFO] Token: Zq7Real")],
            );
            take(&mut revealed, id)
        };
        assert!(shown.concat().contains("Zq7Real"), "--show-tokens shows it: {shown:?}");
    }

    /// Found by fuzzing: a token written with JSON `\uXXXX` escapes (as a JSON log record may
    /// write any character) was not the token as written, so it was not masked.
    #[test]
    fn raw_lines_mask_tokens_behind_json_escapes() {
        let id = "e9b8af80-569f-4e11-a6fd-15e45859e5a3";
        let mut raw = RawLines::new(TokenDisplay::Masked);
        record_all(
            &mut raw,
            &[
                format!("{{\"time\":\"2025-07-11T06:05:34.308Z\",\"type\":\"platform.start\",\"record\":{{\"requestId\":\"{id}\"}}}}"),
                format!("{{\"timestamp\": \"2025-07-11T06:05:34Z\", \"level\": \"INFO\", \"message\": \"[INFO] Allowed Token: \\u0041b12Xy34\\n\", \"requestId\": \"{id}\"}}"),
                format!("{{\"timestamp\":\"2025-07-11T06:05:34.309Z\",\"level\":\"INFO\",\"requestId\":\"{id}\",\"message\":\"Event: {{\\\"authorization\\\": \\\"Ab\\u0031\\u0032Xy34\\\"}}\"}}"),
            ],
        );
        let (lines, _) = take(&mut raw, id);
        assert_eq!(lines.len(), 3);
        for line in &lines[1..] {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
            let message = value["message"].as_str().unwrap_or_default();
            assert!(
                message.contains("tok:f6c4527f") && !message.contains("Ab12Xy34"),
                "{line}"
            );
        }
    }

    fn lines_of(id: &str, n: usize, size: usize) -> Vec<String> {
        let mut v = vec![format!("START RequestId: {id} Version: $LATEST")];
        v.extend((1..n).map(|i| format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\tline {i} {}", "x".repeat(size))));
        v
    }

    /// A request's lines are kept up to `MAX_REQUEST_BYTES`; from the first that does not fit,
    /// every line is counted instead (none cut: a cut could end inside a token).
    #[test]
    fn raw_lines_are_bounded_by_bytes_per_request_and_the_rest_counted() {
        let id = "e9b8af80-569f-4e11-a6fd-15e45859e5a3";
        let mut raw = RawLines::new(TokenDisplay::Revealed);
        let mut lines = lines_of(id, 100, 10_000);
        lines.insert(
            3,
            format!("[INFO]\t2025-07-11T06:05:34.309Z\t{id}\t{}", "y".repeat(1 << 20)),
        );
        record_all(&mut raw, &lines);
        assert!(raw.bytes <= MAX_REQUEST_BYTES, "{}", raw.bytes);
        let (kept, dropped) = take(&mut raw, id);
        assert_eq!(kept, lines[..3], "the lines before the 1 MiB one, whole");
        assert_eq!(dropped, lines.len() - 3);
        assert_eq!(raw.bytes, 0, "nothing held once taken");
    }

    /// Over `MAX_TOTAL_BYTES` in all, the oldest requests' lines are let go and counted: each
    /// request still tells how many lines it had.
    #[test]
    fn raw_lines_are_bounded_in_total_and_the_oldest_let_go_are_counted() {
        let mut raw = RawLines::new(TokenDisplay::Revealed);
        let ids: Vec<String> = (0..200)
            .map(|i| format!("{i:08}-569f-4e11-a6fd-15e45859e5a3"))
            .collect();
        let parser = Parser::default();
        let mut grouper = Grouper::new(GroupConfig::default());
        for id in &ids {
            for message in lines_of(id, 4, 60_000) {
                let line = parser.parse(&message);
                let owner = grouper.line_owner("s", &line);
                raw.record(owner, &message, &line, parser.patterns());
                assert!(raw.bytes <= MAX_TOTAL_BYTES, "{}", raw.bytes);
            }
        }
        let taken: Vec<(Vec<String>, usize)> = ids.iter().map(|id| take(&mut raw, id)).collect();
        assert!(
            taken.iter().all(|(kept, dropped)| kept.len() + dropped == 4),
            "every line kept or counted"
        );
        let let_go = taken.iter().filter(|(kept, _)| kept.is_empty()).count();
        assert!(
            let_go > 40 && taken[0].0.is_empty() && !taken[199].0.is_empty(),
            "{let_go}"
        );
        // The oldest were let go, the newest kept: a run of let-go requests, then kept ones.
        assert!(taken[..let_go].iter().all(|(kept, _)| kept.is_empty()));
    }
}
