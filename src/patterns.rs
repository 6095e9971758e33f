//! The table of authorizer message templates (built in, or from a user's TOML file) and their matching.

use std::path::Path;

use serde::Deserialize;

use crate::bytes::{first_line, starts_with_at};
use crate::redact::{escape_control, escape_lines};

mod ip;

pub use ip::{cut_ip, display_ip};

/// The `--patterns` file cannot be used: which file, and what is wrong where in it. Both are
/// escaped when shown, line by line: the path may hold ESC or RLO, the message quotes the file.
#[derive(Debug, thiserror::Error)]
#[error("{}: {}", escape_control(.path), escape_lines(.message))]
pub struct PatternError {
    /// The file.
    pub path: String,
    /// What is wrong, and where in it.
    pub message: String,
}

/// The seed authorizer's messages (Japanese, as it logs them) and their English equivalents.
/// Kept as TOML so the built-in table is also the example of what `--patterns FILE` accepts.
pub const BUILTIN_PATTERNS: &str = r#"
[[pattern]]
kind = "source_ip"
template = "Source IP: {value}"

[[pattern]]
kind = "token"
template = "Token: {value}"

[[pattern]]
kind = "allowed_ip"
template = "Allowed IP: {value}"

[[pattern]]
kind = "allowed_token"
template = "Allowed Token: {value}"

[[pattern]]
kind = "ip_mismatch"
template = "IPアドレスが不一致: 受信IP={received}, 許可IP={allowed}"

[[pattern]]
kind = "token_mismatch"
template = "トークンが不一致: 受信トークン={received}, 許可トークン={allowed}"

[[pattern]]
kind = "ip_mismatch"
template = "IP address mismatch: received IP={received}, allowed IP={allowed}"

[[pattern]]
kind = "token_mismatch"
template = "Token mismatch: received token={received}, allowed token={allowed}"

[[pattern]]
kind = "api_request_id"
template = "API Request ID: {value}"
"#;

/// What a matched message tells about the authorizer's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFact<'a> {
    SourceIp(&'a str),
    Token(&'a str),
    AllowedIp(&'a str),
    AllowedToken(&'a str),
    /// The API request this invocation decides (`event.requestContext.requestId`, the access
    /// log's `$context.requestId`): makes the access-log join exact.
    ApiRequestId(&'a str),
    IpMismatch {
        received: &'a str,
        allowed: &'a str,
    },
    TokenMismatch {
        received: &'a str,
        allowed: &'a str,
    },
    /// An authorizer-specific "request allowed" message.
    Allow,
    /// An authorizer-specific "request denied" message without a known reason.
    Deny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    SourceIp,
    Token,
    AllowedIp,
    AllowedToken,
    ApiRequestId,
    IpMismatch,
    TokenMismatch,
    Allow,
    Deny,
}

impl FactKind {
    fn placeholders(self) -> &'static [&'static str] {
        match self {
            FactKind::SourceIp
            | FactKind::Token
            | FactKind::AllowedIp
            | FactKind::AllowedToken
            | FactKind::ApiRequestId => &["value"],
            FactKind::IpMismatch | FactKind::TokenMismatch => &["received", "allowed"],
            FactKind::Allow | FactKind::Deny => &[],
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    /// Drop the built-in table instead of adding to it.
    #[serde(default)]
    replace_builtin: bool,
    #[serde(default)]
    pattern: Vec<PatternSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternSpec {
    kind: FactKind,
    template: String,
}

#[derive(Debug, Clone)]
enum Piece {
    /// Text to match.
    Literal(String),
    /// A placeholder, by name and by its place in the kind's `placeholders()`.
    Capture(String, usize),
}

fn literal(text: &str) -> Piece {
    Piece::Literal(text.to_string())
}

/// A compiled template: literal pieces and captures, matched with plain string search (no regex).
#[derive(Debug, Clone)]
struct Template {
    kind: FactKind,
    pieces: Vec<Piece>,
    /// The literal of a template that is one literal and then its one value (`Source IP: {value}`,
    /// four of the eight built-in ones, which most messages match), matched without walking `pieces`.
    value_after: Option<Box<[u8]>>,
}

impl Template {
    fn compile(kind: FactKind, template: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map(|c| open + c).ok_or("unclosed '{'")?;
            if open > 0 {
                pieces.push(literal(&rest[..open]));
            }
            let name = &rest[open + 1..close];
            if matches!(pieces.last(), Some(Piece::Capture(..))) {
                return Err(format!(
                    "placeholder {{{name}}} directly follows another: put literal text between them"
                ));
            }
            let slot = kind.placeholders().iter().position(|p| *p == name).unwrap_or(0);
            pieces.push(Piece::Capture(name.to_string(), slot));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(literal(rest));
        }
        if !matches!(pieces.first(), Some(Piece::Literal(..))) {
            return Err("a template must start with literal text".to_string());
        }
        let mut names: Vec<&str> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Capture(n, _) => Some(n.as_str()),
                Piece::Literal(..) => None,
            })
            .collect();
        names.sort_unstable();
        let mut want = kind.placeholders().to_vec();
        want.sort_unstable();
        if names != want {
            let want: Vec<String> = kind.placeholders().iter().map(|n| format!("{{{n}}}")).collect();
            return Err(format!(
                "this kind needs exactly the placeholders [{}]",
                want.join(", ")
            ));
        }
        let value_after = match pieces.as_slice() {
            // Without line breaks in it, such a literal matches a text exactly where it matches
            // the text's first line.
            [Piece::Literal(lit), Piece::Capture(_, 0)] if !lit.contains(['\n', '\r']) => Some(lit.as_bytes().into()),
            _ => None,
        };
        Ok(Template {
            kind,
            pieces,
            value_after,
        })
    }

    /// Matches the first line of `text` (a line ends at `\n`, `\r`s before it dropped), which
    /// is looked for only past the literal of a `value_after` template: that is most of a
    /// message, and searching all of it cost more than the rest of the match.
    fn matches_first_line<'a>(&self, text: &'a str) -> Option<AuthFact<'a>> {
        match &self.value_after {
            Some(lit) if starts_with_at(text.as_bytes(), 0, lit) => {
                Some(self.fact(first_line(text.get(lit.len()..)?), ""))
            }
            Some(_) => None,
            None => self.matches(first_line(text)),
        }
    }

    /// Matches the whole message; the last capture runs to its end.
    fn matches<'a>(&self, msg: &'a str) -> Option<AuthFact<'a>> {
        self.match_start(msg, true)
    }

    /// Matches the start of `msg`, and all of it when `whole`.
    fn match_start<'a>(&self, msg: &'a str, whole: bool) -> Option<AuthFact<'a>> {
        let b = msg.as_bytes();
        let mut pos = 0;
        // Captures by their place in the kind's placeholders (names were checked when compiling).
        let mut caps: [&'a str; 2] = ["", ""];
        for (i, piece) in self.pieces.iter().enumerate() {
            match piece {
                Piece::Literal(lit) => {
                    if !starts_with_at(b, pos, lit.as_bytes()) {
                        return None;
                    }
                    pos += lit.len();
                }
                Piece::Capture(_, slot) => {
                    let end = match self.pieces.get(i + 1) {
                        Some(Piece::Literal(next)) => pos + find(b.get(pos..)?, next.as_bytes())?,
                        _ => b.len(),
                    };
                    if let Some(c) = caps.get_mut(*slot) {
                        *c = msg.get(pos..end)?;
                    }
                    pos = end;
                }
            }
        }
        if whole && pos != b.len() {
            return None;
        }
        let [first, second] = caps;
        Some(self.fact(first, second))
    }

    /// The fact of this template's kind, from its captures in the order of `placeholders()`.
    /// An IP value is cut to the IP token it starts with ([`cut_ip`]): what the line holds after
    /// it (a token, say) is no part of it.
    fn fact<'a>(&self, first: &'a str, second: &'a str) -> AuthFact<'a> {
        match self.kind {
            FactKind::SourceIp => AuthFact::SourceIp(cut_ip(first)),
            FactKind::Token => AuthFact::Token(first),
            FactKind::AllowedIp => AuthFact::AllowedIp(cut_ip(first)),
            FactKind::AllowedToken => AuthFact::AllowedToken(first),
            FactKind::ApiRequestId => AuthFact::ApiRequestId(first),
            FactKind::IpMismatch => AuthFact::IpMismatch {
                received: cut_ip(first),
                allowed: cut_ip(second),
            },
            FactKind::TokenMismatch => AuthFact::TokenMismatch {
                received: first,
                allowed: second,
            },
            FactKind::Allow => AuthFact::Allow,
            FactKind::Deny => AuthFact::Deny,
        }
    }
}

/// The first place `lit` occurs in `hay`. Values between two literals are short (an IP, a
/// token), so finding the literal's first byte and comparing beats setting up a substring search.
#[inline]
fn find(hay: &[u8], lit: &[u8]) -> Option<usize> {
    let first = *lit.first()?;
    memchr::memchr_iter(first, hay).find(|&at| starts_with_at(hay, at, lit))
}

/// The message table the parser matches application messages against.
#[derive(Debug, Clone)]
pub struct Patterns {
    templates: Vec<Template>,
    /// For each first byte, the templates that start with it, in table order: most log messages
    /// are rejected with one lookup, and the rest try only the templates that can match.
    by_first_byte: Box<[Box<[usize]>]>,
}

impl Patterns {
    fn new(templates: Vec<Template>) -> Patterns {
        let mut by_first_byte: Vec<Vec<usize>> = vec![Vec::new(); 256];
        for (i, t) in templates.iter().enumerate() {
            if let Some(Piece::Literal(lit)) = t.pieces.first() {
                if let Some(&b) = lit.as_bytes().first() {
                    by_first_byte[b as usize].push(i);
                }
            }
        }
        Patterns {
            templates,
            by_first_byte: by_first_byte.into_iter().map(Vec::into_boxed_slice).collect(),
        }
    }

    fn try_templates<'a>(&self, msg: &'a str) -> Option<AuthFact<'a>> {
        let first = *msg.as_bytes().first()?;
        let candidates = self.by_first_byte.get(first as usize)?;
        candidates
            .iter()
            .find_map(|&i| self.templates.get(i).and_then(|t| t.matches_first_line(msg)))
    }
}

impl Default for Patterns {
    fn default() -> Self {
        Patterns::builtin()
    }
}

impl Patterns {
    /// The built-in templates: the seed authorizer's Japanese messages and their English equivalents.
    pub fn builtin() -> Patterns {
        match Self::from_toml(BUILTIN_PATTERNS, "built-in patterns") {
            Ok((p, _)) => p,
            // The built-in table is a constant checked by a unit test.
            Err(e) => panic!("built-in patterns are invalid: {e}"),
        }
    }

    /// Loads a user's TOML file; its patterns are tried before the built-in ones unless it sets
    /// `replace_builtin = true`.
    pub fn load(path: &Path) -> Result<Patterns, PatternError> {
        let text = std::fs::read_to_string(path).map_err(|e| PatternError {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let (user, replace) = Self::from_toml(&text, &path.display().to_string())?;
        if replace {
            return Ok(user);
        }
        let mut templates = user.templates;
        templates.extend(Patterns::builtin().templates);
        Ok(Patterns::new(templates))
    }

    fn from_toml(text: &str, name: &str) -> Result<(Patterns, bool), PatternError> {
        let file: PatternFile = toml::from_str(text).map_err(|e| PatternError {
            path: name.to_string(),
            message: format!(
                "{e}hint: each entry is [[pattern]] with kind = \"source_ip\" and template = \"Source IP: {{value}}\""
            ),
        })?;
        let mut templates = Vec::with_capacity(file.pattern.len());
        for (i, spec) in file.pattern.iter().enumerate() {
            let t = Template::compile(spec.kind, &spec.template).map_err(|m| PatternError {
                path: name.to_string(),
                message: format!("pattern {} (template {:?}): {m}", i + 1, spec.template),
            })?;
            templates.push(t);
        }
        Ok((Patterns::new(templates), file.replace_builtin))
    }

    /// Matches the first line of an application message. A leading level tag such as `[INFO] `
    /// (the seed logs `[INFO] Source IP: …`) is skipped when the whole line fails.
    pub fn match_message<'a>(&self, msg: &'a str) -> Option<AuthFact<'a>> {
        if let Some(f) = self.try_templates(msg) {
            return Some(f);
        }
        self.try_templates(strip_level_tag(msg)?)
    }

    /// Every token value a token template (`Token: {value}`, the mismatch messages …) finds
    /// anywhere in `text`, not only at the start of a message: `tail --raw` masks tokens in every
    /// line, whatever the line is (an event dump, a traceback, a line of another shape). A capture
    /// at a template's end runs to the end of its line (`\n` or `\r`).
    pub fn token_values<'a>(&self, text: &'a str, out: &mut Vec<&'a str>) {
        for line in text.split(['\n', '\r']) {
            for t in &self.templates {
                if !matches!(
                    t.kind,
                    FactKind::Token | FactKind::AllowedToken | FactKind::TokenMismatch
                ) {
                    continue;
                }
                let Some(Piece::Literal(lead)) = t.pieces.first() else {
                    continue;
                };
                let finder = memchr::memmem::Finder::new(lead.as_bytes());
                for at in finder.find_iter(line.as_bytes()) {
                    let found = line.get(at..).and_then(|rest| t.match_start(rest, false));
                    match found {
                        Some(AuthFact::Token(v) | AuthFact::AllowedToken(v)) => out.push(v),
                        Some(AuthFact::TokenMismatch { received, allowed }) => out.extend([received, allowed]),
                        _ => {}
                    }
                }
            }
        }
    }
}

/// One piece of a template as the Logs Insights engine turns it into query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplatePart<'a> {
    /// Text the message holds as is.
    Literal(&'a str),
    /// A placeholder, by its place in the kind's placeholders (`value`; `received`, `allowed`).
    Capture(usize),
}

impl Patterns {
    /// The templates in the order they are tried, each as its kind and pieces: the one table the
    /// local engine matches and the Insights engine writes its regexes from.
    pub fn templates(&self) -> impl Iterator<Item = (FactKind, Vec<TemplatePart<'_>>)> {
        self.templates.iter().map(|t| {
            let parts = t
                .pieces
                .iter()
                .map(|p| match p {
                    Piece::Literal(l) => TemplatePart::Literal(l),
                    Piece::Capture(_, slot) => TemplatePart::Capture(*slot),
                })
                .collect();
            (t.kind, parts)
        })
    }
}

/// `[INFO] text` → `text`.
fn strip_level_tag(msg: &str) -> Option<&str> {
    let b = msg.as_bytes();
    if b.first() != Some(&b'[') {
        return None;
    }
    // `[` + 1 to 10 uppercase letters + `]`.
    let mut close = 1;
    while close < 12 && b.get(close).is_some_and(u8::is_ascii_uppercase) {
        close += 1;
    }
    if close == 1 || close == 12 || b.get(close) != Some(&b']') {
        return None;
    }
    let mut start = close + 1;
    while matches!(b.get(start), Some(b' ' | b'\t')) {
        start += 1;
    }
    msg.get(start..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_tags_of_one_to_ten_capitals_are_stripped() {
        assert_eq!(strip_level_tag("[INFO] a"), Some("a"));
        assert_eq!(strip_level_tag("[E]\t\t b"), Some("b"));
        assert_eq!(strip_level_tag("[ABCDEFGHIJ] ten"), Some("ten"));
        assert_eq!(strip_level_tag("[ABCDEFGHIJK] eleven"), None);
        assert_eq!(strip_level_tag("[] none"), None);
        assert_eq!(strip_level_tag("[INFo] lower"), None);
        assert_eq!(strip_level_tag("[INFO"), None);
        assert_eq!(strip_level_tag("INFO] a"), None);
        assert_eq!(strip_level_tag("[INFO]"), Some(""));
    }

    #[test]
    fn token_values_are_found_anywhere_in_any_line() {
        let p = Patterns::builtin();
        let mut found = Vec::new();
        p.token_values(
            "Event: {'Authorization': x} Token: Ab12Xy34\r[ERROR] トークンが不一致: 受信トークン=guess, 許可トークン=Ab12Xy34\nSource IP: 1.2.3.4",
            &mut found,
        );
        assert_eq!(found, ["Ab12Xy34", "guess", "Ab12Xy34"]);
        found.clear();
        p.token_values("no token here: Source IP: 1.2.3.4", &mut found);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn builtin_table_is_valid_and_matches_the_seed() {
        let p = Patterns::builtin();
        // The line that makes the access-log join exact.
        assert_eq!(
            p.match_message("[INFO] API Request ID: SpEIxi9MoAMEMXw="),
            Some(AuthFact::ApiRequestId("SpEIxi9MoAMEMXw="))
        );
        assert_eq!(
            p.match_message("[INFO] Source IP: 111.222.333.444"),
            Some(AuthFact::SourceIp("111.222.333.444"))
        );
        assert_eq!(p.match_message("[INFO] Token: test"), Some(AuthFact::Token("test")));
        assert_eq!(
            p.match_message("[INFO] Allowed Token: Ab12Xy34"),
            Some(AuthFact::AllowedToken("Ab12Xy34"))
        );
        assert_eq!(
            p.match_message("[ERROR] トークンが不一致: 受信トークン=test, 許可トークン=Ab12Xy34"),
            Some(AuthFact::TokenMismatch {
                received: "test",
                allowed: "Ab12Xy34"
            })
        );
        assert_eq!(
            p.match_message("[ERROR] IPアドレスが不一致: 受信IP=203.0.113.9, 許可IP=203.0.113.10"),
            Some(AuthFact::IpMismatch {
                received: "203.0.113.9",
                allowed: "203.0.113.10"
            })
        );
        assert_eq!(
            p.match_message("Token mismatch: received token=None, allowed token=x"),
            Some(AuthFact::TokenMismatch {
                received: "None",
                allowed: "x"
            })
        );
        assert_eq!(p.match_message("[INFO] Token: "), Some(AuthFact::Token("")));
        // An IP value is the IP token it starts with; a value that is none is kept whole.
        assert_eq!(
            p.match_message("[INFO] Source IP: 198.51.100.23 Token: Ab12Xy34"),
            Some(AuthFact::SourceIp("198.51.100.23"))
        );
        assert_eq!(
            p.match_message("[INFO] Allowed IP: 203.0.113.10/Ab12Xy34"),
            Some(AuthFact::AllowedIp("203.0.113.10/Ab12Xy34"))
        );
        assert_eq!(
            p.match_message("IP address mismatch: received IP=203.0.113.9 x, allowed IP=203.0.113.10 Token: t"),
            Some(AuthFact::IpMismatch {
                received: "203.0.113.9",
                allowed: "203.0.113.10"
            })
        );
        assert_eq!(p.match_message("Hello"), None);
        assert_eq!(p.match_message("[INFO] Allowed IP"), None);
    }

    /// A pattern file holding `text`, in a directory that lives as long as the returned guard.
    fn pattern_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn the_first_template_in_table_order_wins_and_a_capture_ends_at_the_first_whole_literal() {
        let (_dir, path) = pattern_file("[[pattern]]\nkind = \"token\"\ntemplate = \"Source IP: {value}\"\n");
        let p = Patterns::load(&path).unwrap();
        assert_eq!(p.match_message("Source IP: 1.2.3.4"), Some(AuthFact::Token("1.2.3.4")));
        let p = Patterns::builtin();
        assert_eq!(
            p.match_message("IP address mismatch: received IP=1,2, allowed, allowed IP=x, allowed IP=y"),
            Some(AuthFact::IpMismatch {
                received: "1,2, allowed",
                allowed: "x, allowed IP=y"
            })
        );
        assert_eq!(p.match_message("IP address mismatch: received IP=1, allowed I"), None);
        assert_eq!(
            p.match_message("Allowed Token: Ab12Xy34"),
            Some(AuthFact::AllowedToken("Ab12Xy34"))
        );
        assert_eq!(p.match_message("Allowed Token:"), None, "shorter than the literal");
        assert_eq!(p.match_message("Allowed Tokem: x"), None, "differs in the last word");
    }

    #[test]
    fn user_templates_and_errors() {
        let (_dir, path) = pattern_file(
            "[[pattern]]\nkind = \"source_ip\"\ntemplate = \"client={value}\"\n[[pattern]]\nkind = \"deny\"\ntemplate = \"ACCESS DENIED\"\n",
        );
        let p = Patterns::load(&path).unwrap();
        assert_eq!(p.match_message("client=1.2.3.4"), Some(AuthFact::SourceIp("1.2.3.4")));
        assert_eq!(p.match_message("ACCESS DENIED"), Some(AuthFact::Deny));
        assert_eq!(
            p.match_message("Token: x"),
            Some(AuthFact::Token("x")),
            "built-ins still apply"
        );

        std::fs::write(
            &path,
            "[[pattern]]\nkind = \"ip_mismatch\"\ntemplate = \"bad {received}\"\n",
        )
        .unwrap();
        let err = Patterns::load(&path).unwrap_err().to_string();
        assert!(err.contains("p.toml") && err.contains("{received}, {allowed}"), "{err}");
        std::fs::write(&path, "[[pattern]]\nkind = \"nope\"\ntemplate = \"x\"\n").unwrap();
        assert!(Patterns::load(&path).unwrap_err().to_string().contains("nope"));
    }

    /// Matching as it was before `value_after` and before the line end was looked for late: the
    /// first line cut off first, every template walked piece by piece in table order.
    fn reference<'a>(p: &Patterns, text: &'a str) -> Option<AuthFact<'a>> {
        let line = match text.find('\n') {
            Some(i) => text[..i].trim_end_matches('\r'),
            None => text,
        };
        let walk = |m: &'a str| p.templates.iter().find_map(|t| t.matches(m));
        walk(line).or_else(|| walk(strip_level_tag(line)?))
    }

    proptest::proptest! {
        #[test]
        fn matching_the_first_line_late_equals_cutting_it_first(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "[INFO] ", "[ERROR]\t", "Token: ", "Allowed Token: ", "Source IP: ", "Allowed IP: ",
                "Token mismatch: received token=", ", allowed token=", "A\r: ", "B: ", "\n", "\r", "\r\n",
                "x", "1.2.3.4", "トークン", " ",
            ]), 0..6)
        ) {
            // A user template whose literal holds a `\r` goes the piece-by-piece way.
            let user = "[[pattern]]\nkind = \"token\"\ntemplate = \"A\\r: {value}\"\n[[pattern]]\nkind = \"token\"\ntemplate = \"B: {value}\"\n";
            let (mut p, _) = Patterns::from_toml(user, "test").map_err(|e| proptest::test_runner::TestCaseError::fail(e.to_string()))?;
            p.templates.extend(Patterns::builtin().templates);
            let p = Patterns::new(p.templates);
            let text = parts.concat();
            proptest::prop_assert_eq!(p.match_message(&text), reference(&p, &text), "{:?}", text);
        }
    }
}
