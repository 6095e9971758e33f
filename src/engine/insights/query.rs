//! The three Logs Insights queries of a report, written from the pattern table (built in, or
//! `--patterns`): REPORT lines by duration, requests by minute, denied requests by source IP and
//! minute. Every row they return merges exactly with the rows of other slices.

use std::fmt::Write as _;

use crate::patterns::{FactKind, Patterns, TemplatePart};

mod flags;
pub mod rules;

use flags::{with_constants, Flags, Present};
use rules::{RuleBreak, MAX_QUERY_CHARS};

/// What a query computes. Each is one scan of the window (Insights bills bytes scanned per query).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QueryKind {
    /// REPORT lines grouped by their exact duration: the duration histogram, and sums, maxima
    /// and counts of billed duration, memory and init duration.
    Reports,
    /// Requests (all lines of a request id joined) grouped by the minute of their first line:
    /// decisions, reasons, findings' counts and spans, the timeline.
    Requests,
    /// Denied requests grouped by source IP, allowed IP and minute: the top denied IPs, token
    /// guessing, token leaks, invalid allowed IPs.
    Denied,
}

impl QueryKind {
    /// Every query of a report, in the order they are started.
    pub const ALL: [QueryKind; 3] = [QueryKind::Reports, QueryKind::Requests, QueryKind::Denied];

    /// The name used in messages and `--explain`.
    pub fn name(self) -> &'static str {
        match self {
            QueryKind::Reports => "reports",
            QueryKind::Requests => "requests",
            QueryKind::Denied => "denied",
        }
    }
}

/// Where a query reads and what it counts, in epoch ms. `scan` reaches past `count` by a margin at
/// the inner boundaries of a split window, so a request whose lines straddle a boundary is still
/// joined whole, and counted once: in the slice that holds its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Events read: `[scan_start, scan_end)`.
    pub scan_start: i64,
    pub scan_end: i64,
    /// Requests (by their first line) and REPORT lines counted: `[start, end)`.
    pub start: i64,
    pub end: i64,
}

/// How REPORT durations are grouped: exactly (as logged, 0.01 ms), or to whole milliseconds when a
/// slice holds more distinct durations than a query may return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Exact,
    WholeMs,
}

/// Field names of the template fields of one fact kind.
#[derive(Debug, Default, Clone)]
struct KindFields {
    /// One per template: present when the line matched it.
    matched: Vec<String>,
    /// First placeholder (the value; the received value of a mismatch).
    first: Vec<String>,
    /// Second placeholder (the allowed value of a mismatch).
    second: Vec<String>,
    /// Present when the line's token is missing (`None` or empty).
    missing: Vec<String>,
}

/// The query texts of one pattern table.
#[derive(Debug, Clone)]
pub struct Queries {
    /// `parse` commands: request ids, REPORT/timeout/failure markers, one per template and one
    /// per token template for a missing token.
    parses: String,
    /// The `fields` that turn matches into per-kind fields, and the filter on a request id.
    kinds: String,
    /// A request's decision and findings as expressions of the first stats' aggregates.
    flags: Flags,
    /// A source IP (`vsrc`) and an allowed IP (`valip`) are captured.
    has_src: bool,
    has_alip: bool,
    /// How many templates the table has (each adds a `parse` or two).
    templates: usize,
}

/// A query text `--engine insights` cannot start: too long, or (a bug) against a documented rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryTextError {
    /// Longer than `StartQuery` accepts: the pattern table has too many or too long templates.
    #[error(
        "the Logs Insights {query} query would be {chars} characters and StartQuery accepts at most {limit}: its {templates} message templates (built-in and --patterns) make it too long; use fewer or shorter templates in the --patterns file (replace_builtin = true drops the built-in ones), or --engine local"
    )]
    TooLong {
        /// The query's name.
        query: &'static str,
        /// Its length in characters, for the widest bounds of the window.
        chars: usize,
        /// The limit.
        limit: usize,
        /// Templates in the table.
        templates: usize,
    },
    /// A query breaks a documented rule: the service would reject it.
    #[error(
        "the Logs Insights {query} query breaks a documented rule ({rule}), so the service would reject it: this is a bug in authlogs, please report it; --engine local reads the window meanwhile"
    )]
    Broken {
        /// The query's name.
        query: &'static str,
        /// The rule.
        rule: RuleBreak,
    },
}

impl QueryTextError {
    /// A usage error (the user's `--patterns` made it), not a bug.
    pub fn is_usage(&self) -> bool {
        matches!(self, QueryTextError::TooLong { .. })
    }
}

/// One query as checked: its kind and its longest text over the window, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// The query.
    pub kind: QueryKind,
    /// Its length in characters (the widest bounds, every resolution).
    pub chars: usize,
}

/// A regex literal of `text` for a `/…/` query regex: ASCII punctuation escaped (valid in both
/// RE2 and Java syntax), `/` included, tabs and line breaks written as escapes. `<` and `>` stay
/// as they are: they mean nothing alone, and `\<`/`\>` are word boundaries in some syntaxes
/// (Rust's `regex`, GNU) and an error in RE2.
pub fn regex_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_ascii_punctuation() && c != '<' && c != '>' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\x{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The level tags of a Python runtime line, as `parse::Parser` knows them (also Node's level words).
const LEVELS: &str = "INFO|ERROR|WARNING|DEBUG|CRITICAL|WARN|TRACE|FATAL";

/// A request id after a runtime's timestamp, as `parse::split_request_id` reads it: 8 to 64
/// letters, digits and dashes then a separator; `undefined`, `-` or nothing before the separator
/// is "no request"; anything else is the message's first word (the message starts there).
fn request_id(group: &str) -> String {
    format!(r"(?:(?:undefined|-|(?<{group}>[0-9A-Za-z-]{{8,64}}))?[\t ])?")
}

/// The parses that find a line's request id and its message text (its first line, where a
/// template may match), the places the local parser reads them:
/// * Python `[LEVEL]\t<time>\t<id>\t<message>` (tabs may be spaces; the time shaped
///   `dddd-dd-ddT…`, 20 characters or more);
/// * Node.js `<time>\t<id>\t[LEVEL\t]<message>`;
/// * START, END, REPORT and `RequestId: … Error: …` lines.
fn prefix_parses() -> String {
    let python = format!(
        r"parse @message /^\[(?:{LEVELS})\][\t ][0-9][^\t ]{{3}}-[^\t ]{{5}}T[^\t ]{{9,}}[\t ]{}(?<txtpy>[^\n]*)/",
        request_id("ridpy")
    );
    let node = format!(
        r"parse @message /^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[T ][0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(?:[.,][0-9]{{1,9}})?(?:Z|[+-][0-9]{{2}}:?[0-9]{{2}})?[\t ]{}(?:(?:{LEVELS})[\t ])?(?<txtnode>[^\n]*)/",
        request_id("ridnode")
    );
    [
        r"parse @message /^(?:(?:START|END|REPORT) )?RequestId: (?<ridline>[^\s]+)/",
        &python,
        &node,
        "fields coalesce(txtpy, txtnode) as txt",
        r"parse @message /(?<mrep>^REPORT RequestId: )/",
        r"parse @message /(?<mto>Task timed out after|\tStatus: timeout)/",
        // Failures the local parser reads with a request id: a failed REPORT status, a runtime
        // exit (`RequestId: … Error: …`), Node's uncaught errors, .NET's `fail` line of an
        // exception (`parse::unhandled::dotnet_fault`), the JSON-mode warning.
        concat!(
            r"parse @message /(?<merr>\tStatus: error|^RequestId: |LAMBDA_WARNING: Unhandled exception",
            r"|^[0-9][^\t ]*[\t ][^\t ]*[\t ]ERROR[\t ](?:Invoke Error|Uncaught Exception|Unhandled Promise Rejection)",
            r"|^[0-9][^\t ]*[\t ][^\t ]*[\t ]fail\t[A-Za-z_][A-Za-z0-9_$+]*(?:\.[A-Za-z_][A-Za-z0-9_$+]*)*\.(?:[A-Za-z_][A-Za-z0-9_$+]*)?(?:Exception|Error)(?:: |\r|\n|\z))/"
        ),
    ]
    .join("\n| ")
}

/// Where a template starts in a line's message text: its start, or after a level tag such as
/// the seed's `[INFO] ` (`patterns::strip_level_tag`: 1 to 10 capitals in brackets, then blanks).
const TEMPLATE_START: &str = r"^(?:\[[A-Z]{1,10}\][ \t]*)?";

/// Where a template ends: the end of the message's first line (`\r`s before it dropped), as
/// `Patterns::match_message` matches a whole first line.
const TEMPLATE_END: &str = r"\r*\z";

/// An IP token at the start of an IP value, as `patterns::ip_token` reads it: a run of
/// `[0-9A-Fa-f:.]` holding a `.` or `:`, an optional `/` and digits, an optional `%` and zone.
const IP_TOKEN: &str = r"[0-9A-Fa-f]*[.:][0-9A-Fa-f.:]*(?:\/[0-9]+)?(?:%[0-9A-Za-z_.\-]+)?";

/// Whether the values of `kind` are IP values, cut to their IP token (`patterns::cut_ip`).
fn is_ip_kind(kind: FactKind) -> bool {
    matches!(kind, FactKind::SourceIp | FactKind::AllowedIp | FactKind::IpMismatch)
}

/// The slot of the placeholder holding a token, for kinds whose token may be missing.
fn token_slot(kind: FactKind) -> Option<usize> {
    match kind {
        FactKind::Token | FactKind::AllowedToken | FactKind::TokenMismatch => Some(0),
        _ => None,
    }
}

/// The regex of a template. Placeholders become named groups `v<i><a|b>`, except the one in
/// `missing_slot`, which must be `None` or empty; the whole match is the group `name`. With
/// `ip`, a value is its IP token when it starts with one followed by a blank or its end (group
/// `v…`, the rest up to the next literal or the line end skipped), else all of it (group `t…`):
/// the cut `patterns::cut_ip` makes.
fn template_regex(i: usize, parts: &[TemplatePart<'_>], name: &str, missing_slot: Option<usize>, ip: bool) -> String {
    let mut body = String::new();
    for part in parts {
        match *part {
            TemplatePart::Literal(l) => body.push_str(&regex_literal(l)),
            // A missing token is exactly `None` or nothing (`redact::token_is_missing`).
            TemplatePart::Capture(slot) if Some(slot) == missing_slot => body.push_str("(?:None)?"),
            TemplatePart::Capture(slot) => {
                // Lazy, so a middle value ends at the first occurrence of the next literal, and
                // the last one before the `\r`s that end the line, as the local matcher reads them.
                let value = r"[^\n]*?";
                let ab = if slot == 0 { 'a' } else { 'b' };
                if missing_slot.is_some() {
                    body.push_str(value);
                } else if ip {
                    // The IP branch first: it wins wherever it matches. Its skipped rest is lazy
                    // too, so it ends at the same literal the local matcher's value ends at.
                    let _ = write!(
                        body,
                        "(?:(?<v{i}{ab}>{IP_TOKEN})(?:[\\t ]{value})??|(?<t{i}{ab}>{value}))"
                    );
                } else {
                    let _ = write!(body, "(?<v{i}{ab}>{value})");
                }
            }
        }
    }
    format!("/{TEMPLATE_START}(?<{name}>{body}){TEMPLATE_END}/")
}

/// `coalesce(a, b, …) as name`, or nothing when no template gives the field.
fn coalesce(fields: &[String], name: &str) -> Option<String> {
    (!fields.is_empty()).then(|| format!("coalesce({}) as {name}", fields.join(", ")))
}

impl Queries {
    /// The queries of `patterns`.
    pub fn new(patterns: &Patterns) -> Queries {
        let mut parses = prefix_parses();
        let mut by_kind: Vec<(FactKind, KindFields)> = Vec::new();
        // Every template starts with literal text (`Patterns` checks it), so every regex is anchored
        // on text and none matches every line.
        for (i, (kind, parts)) in patterns.templates().enumerate() {
            // The API request id serves only the access-log join, which the local engine does.
            if kind == FactKind::ApiRequestId {
                continue;
            }
            let slot = by_kind.iter().position(|(k, _)| *k == kind).unwrap_or_else(|| {
                by_kind.push((kind, KindFields::default()));
                by_kind.len() - 1
            });
            let fields = &mut by_kind[slot].1;
            let m = format!("m{i}");
            let ip = is_ip_kind(kind);
            let _ = write!(parses, "\n| parse txt {}", template_regex(i, &parts, &m, None, ip));
            fields.matched.push(m);
            for (s, list) in [(0usize, &mut fields.first), (1, &mut fields.second)] {
                if parts.contains(&TemplatePart::Capture(s)) {
                    let ab = if s == 0 { 'a' } else { 'b' };
                    list.push(format!("v{i}{ab}"));
                    // An IP value that is no IP token, whole (one of the two is present).
                    if ip {
                        list.push(format!("t{i}{ab}"));
                    }
                }
            }
            if let Some(ts) = token_slot(kind).filter(|s| parts.contains(&TemplatePart::Capture(*s))) {
                let n = format!("n{i}");
                let _ = write!(
                    parses,
                    "\n| parse txt {}",
                    template_regex(i, &parts, &n, Some(ts), false)
                );
                fields.missing.push(n);
            }
        }
        let get = |k: FactKind| {
            by_kind
                .iter()
                .find(|(kind, _)| *kind == k)
                .map(|(_, f)| f.clone())
                .unwrap_or_default()
        };
        let (sip, tok, aip, atok) = (
            get(FactKind::SourceIp),
            get(FactKind::Token),
            get(FactKind::AllowedIp),
            get(FactKind::AllowedToken),
        );
        let (ipm, tkm, allow, deny) = (
            get(FactKind::IpMismatch),
            get(FactKind::TokenMismatch),
            get(FactKind::Allow),
            get(FactKind::Deny),
        );
        let join = |a: &[String], b: &[String]| -> Vec<String> { a.iter().chain(b).cloned().collect() };
        let kinds: Vec<String> = [
            // Only the ids the local parser reads: `@requestId` is whatever UUID Insights finds first
            // in a line, which may be in the text of a line the local engine gives no request.
            Some("coalesce(ridline, ridpy, ridnode) as rid".to_string()),
            coalesce(&sip.matched, "ksip"),
            coalesce(&tok.matched, "ktok"),
            coalesce(&aip.matched, "kaip"),
            coalesce(&atok.matched, "katok"),
            coalesce(&ipm.matched, "kipm"),
            coalesce(&tkm.matched, "ktkm"),
            coalesce(&allow.matched, "kalw"),
            coalesce(&deny.matched, "kdny"),
            coalesce(&tok.missing, "ntok"),
            coalesce(&atok.missing, "natok"),
            coalesce(&tkm.missing, "ntkm"),
            // The IP values of a request (source and allowed): two distinct ones differ.
            coalesce(&join(&sip.first, &aip.first), "vip"),
            coalesce(&join(&tok.first, &atok.first), "vtok"),
            // The source IP: from its INFO line, else the received IP of a mismatch line.
            coalesce(&join(&sip.first, &ipm.first), "vsrc"),
            coalesce(&join(&aip.first, &ipm.second), "valip"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let present = Present {
            sip: !sip.matched.is_empty(),
            tok: !tok.matched.is_empty(),
            aip: !aip.matched.is_empty(),
            atok: !atok.matched.is_empty(),
            ipm: !ipm.matched.is_empty(),
            tkm: !tkm.matched.is_empty(),
            alw: !allow.matched.is_empty(),
            dny: !deny.matched.is_empty(),
            ntok: !tok.missing.is_empty(),
            natok: !atok.missing.is_empty(),
            ntkm: !tkm.missing.is_empty(),
            tokv: !(tok.first.is_empty() && atok.first.is_empty()),
            ipv: !(sip.first.is_empty() && aip.first.is_empty()),
        };
        let mut kinds_text = format!("fields {}", kinds.join(",\n    "));
        kinds_text.push_str("\n| filter ispresent(rid)");
        Queries {
            parses,
            kinds: kinds_text,
            flags: Flags::new(present),
            has_src: !(sip.first.is_empty() && ipm.first.is_empty()),
            has_alip: !(aip.first.is_empty() && ipm.second.is_empty()),
            templates: patterns.templates().count(),
        }
    }

    /// Checks every text this table makes over the window `[start_ms, end_ms)` against the
    /// documented rules and the length limit, before any query starts. The texts of a window's
    /// slices differ only in their numbers, so each kind is checked at every resolution with the
    /// widest number of the window in every bound: the longest text any slice can have.
    pub fn check(&self, start_ms: i64, end_ms: i64) -> Result<Vec<Checked>, QueryTextError> {
        let wide = if start_ms.to_string().len() > end_ms.to_string().len() {
            start_ms
        } else {
            end_ms
        };
        let bounds = Bounds {
            scan_start: wide,
            scan_end: wide,
            start: wide,
            end: wide,
        };
        let mut out = Vec::new();
        for kind in QueryKind::ALL {
            let mut chars = 0;
            for resolution in [Resolution::Exact, Resolution::WholeMs] {
                let text = self.text(kind, &bounds, resolution);
                match rules::check(&text) {
                    Ok(()) => chars = chars.max(text.chars().count()),
                    Err(RuleBreak::TooLong { chars }) => {
                        return Err(QueryTextError::TooLong {
                            query: kind.name(),
                            chars,
                            limit: MAX_QUERY_CHARS,
                            templates: self.templates,
                        })
                    }
                    Err(rule) => {
                        return Err(QueryTextError::Broken {
                            query: kind.name(),
                            rule,
                        })
                    }
                }
            }
            out.push(Checked { kind, chars });
        }
        Ok(out)
    }

    /// The text of `kind` over `bounds`.
    pub fn text(&self, kind: QueryKind, bounds: &Bounds, resolution: Resolution) -> String {
        match kind {
            QueryKind::Reports => reports_query(bounds, resolution),
            QueryKind::Requests | QueryKind::Denied => self.requests_query(kind, bounds),
        }
    }

    fn requests_query(&self, kind: QueryKind, b: &Bounds) -> String {
        let mut q = format!(
            "filter toMillis(@timestamp) >= {} and toMillis(@timestamp) < {}\n| {}\n| {}",
            b.scan_start, b.scan_end, self.parses, self.kinds
        );
        // Per request, everything the second stats aggregates: its flags, its first and last
        // line, and (for the denied query) its IPs as text, by the text functions.
        let (names, times): (&[&str], &str) = match kind {
            QueryKind::Denied => (&["dden", "xip", "xtk", "xleak"], "min(@timestamp) as t"),
            _ => (
                &[
                    "xrep", "dalw", "dden", "dto", "der", "xip", "xtk", "xmiss", "xsecret", "xsent", "xleak",
                ],
                "min(@timestamp) as t, max(@timestamp) as tl",
            ),
        };
        q.push_str("\n| stats ");
        q.push_str(&self.flags.items(names).join(",\n    "));
        let _ = write!(q, ",\n    {times}");
        if kind == QueryKind::Denied {
            if self.has_src {
                q.push_str(", sortsLast(vsrc) as src");
            }
            if self.has_alip {
                q.push_str(", sortsLast(valip) as alip");
            }
        }
        q.push_str(" by rid");
        // Each request counts in the slice of its first line.
        let _ = write!(q, "\n| filter toMillis(t) >= {} and toMillis(t) < {}", b.start, b.end);
        let tail = match kind {
            QueryKind::Denied => {
                let by = match (self.has_src, self.has_alip) {
                    (true, true) => "src, alip, ",
                    (true, false) => "src, ",
                    (false, true) => "alip, ",
                    (false, false) => "",
                };
                format!("{DENIED_TAIL}{by}datefloor(t, 1m) as minute")
            }
            _ => REQUESTS_TAIL.to_string(),
        };
        q.push_str(&with_constants(&tail, &self.flags.constants()));
        q
    }
}

/// Denied requests (and leaks) by source IP, allowed IP and minute; the `by` keys follow.
const DENIED_TAIL: &str = "\n| filter dden + xleak > 0\n| stats sum(dden) as denied, sum(dden * xip) as ipmismatch, sum(dden * xtk) as tokenmismatch, sum(xleak) as leaks, sum(dden * xtk) as tkn, min(toMillis(t) + (1 - dden * xtk) * 1000000000000000) as tkfirst, max(toMillis(t) - (1 - dden * xtk) * 1000000000000000) as tklast by ";

/// Requests by minute. A flagged minimum is `min(t + (1 - flag) × 10^15)`: unflagged requests move
/// past any real time, so the minimum is over flagged ones (and ≥ 10^15 when there are none).
const REQUESTS_TAIL: &str = r"
| stats count(*) as invocations, sum(xrep) as reported, sum(dalw) as allowed, sum(dden) as denied,
    sum(dto) as timeout, sum(der) as error,
    sum(dden * xip) as ipmismatch, sum(dden * xtk) as tokenmismatch, sum(dden * xip * xtk) as both,
    sum(dden * xtk * xmiss) as tokenmissing,
    sum(xsecret) as secretlogged, sum(xsent) as tokenlogged, sum(xleak) as leaks,
    min(toMillis(t)) as first, max(toMillis(tl)) as last,
    min(toMillis(t) + (1 - xsecret) * 1000000000000000) as secretfirst, max(toMillis(t) - (1 - xsecret) * 1000000000000000) as secretlast,
    min(toMillis(t) + (1 - xsent) * 1000000000000000) as tokenfirst, max(toMillis(t) - (1 - xsent) * 1000000000000000) as tokenlast,
    min(toMillis(t) + (1 - xleak) * 1000000000000000) as leakfirst, max(toMillis(t) - (1 - xleak) * 1000000000000000) as leaklast,
    min(toMillis(t) + (1 - dto) * 1000000000000000) as timeoutfirst, max(toMillis(t) - (1 - dto) * 1000000000000000) as timeoutlast,
    min(toMillis(t) + (1 - der) * 1000000000000000) as errorfirst, max(toMillis(t) - (1 - der) * 1000000000000000) as errorlast,
    min(toMillis(t) + xrep * 1000000000000000) as incompletefirst, max(toMillis(t) - xrep * 1000000000000000) as incompletelast
    by datefloor(t, 1m) as minute";

/// Events without a request id that the local parser reads as a failure or a timeout and gives
/// to the invocation running on their stream, which one query cannot join: a Python `[ERROR]` or
/// `[CRITICAL]` line without a runtime timestamp (an unhandled exception and its traceback), a
/// bare `Task timed out after`, an INIT_REPORT or RESTORE_REPORT with an error status, Java's
/// `<message>: <exception class>` and .NET's `Unhandled exception. ` (`parse::unhandled`). Counted,
/// so the report can say how many invocations may be decided otherwise than locally.
const UNATTRIBUTED: &str = concat!(
    r"^\[(?:ERROR|CRITICAL)\][\t ](?:[^0-9]|[0-9][^\t ]{0,18}(?:[\t ]|\r?\n|\z)|[0-9][^\t ]{3}[^-]|[0-9][^\t ]{3}-[^\t ]{5}[^T])",
    r"|^Task timed out after|^(?:INIT|RESTORE)_REPORT[^\n]*Status: (?:error|timeout)",
    r"|^Unhandled exception\. ",
    r"|^[^\r\n]*[^\r\n]: [A-Za-z_][A-Za-z0-9_$+]*(?:\.[A-Za-z_][A-Za-z0-9_$+]*)*\.(?:[A-Za-z_][A-Za-z0-9_$+]*)?(?:Exception|Error)(?:\r|\n|\z)"
);

/// REPORT lines by duration, with everything else a REPORT line says summed or maximised per row.
/// Memory comes back in bytes (MB × 10^6). Lambda's JSON log format has no `@type` and no `@duration`:
/// its `platform.report` records are read from the JSON keys Insights discovers
/// (`record.metrics.durationMs` …, memory in MB scaled to bytes), the same numbers the local parser
/// reads from them. The query also counts the events the other two cannot read (JSON-format
/// events, events without a request id the local engine attributes by stream) in a row of their
/// own (duration -1, no duration counted): the bound of what is approximate.
fn reports_query(b: &Bounds, resolution: Resolution) -> String {
    let d = match resolution {
        Resolution::Exact => "coalesce(dur, -1)",
        Resolution::WholeMs => "ceil(coalesce(dur, -1))",
    };
    format!(
        "filter toMillis(@timestamp) >= {} and toMillis(@timestamp) < {}
| parse @message /^(?:(?<json>\\{{)|(?<orphan>{UNATTRIBUTED}))/
| filter @type = \"REPORT\" or type = \"platform.report\" or ispresent(json) or ispresent(orphan)
| fields coalesce(@duration, record.metrics.durationMs) as dur,
    coalesce(@billedDuration, record.metrics.billedDurationMs) as billed1,
    coalesce(@memorySize, record.metrics.memorySizeMB * 1000000) as mem,
    coalesce(@maxMemoryUsed, record.metrics.maxMemoryUsedMB * 1000000) as used,
    coalesce(@initDuration, record.metrics.initDurationMs) as init,
    strcontains(@message, \"Restore Duration\") + strcontains(@message, \"restoreDurationMs\") as restore
| stats count(*) as n, count(dur) as durations,
    sum(billed1) as billed, count(billed1) as billedn,
    sum(billed1 * mem) as mbms, max(mem) as memsize,
    max(used) as usedmax, sum(used) as usedsum, count(used) as usedn,
    count(init) as inits, sum(init) as initsum, max(init) as initmax,
    sum(restore) as restores, count(json) as jsonn, count(orphan) as orphans
    by {d} as d",
        b.start, b.end
    )
}

#[cfg(test)]
mod against_local;
#[cfg(test)]
mod tests;
