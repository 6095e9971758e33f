//! The query's `parse` commands, run with the `regex` crate over messages of every shape, against
//! what the local parser (`parse::Parser`) reads from the same messages: the same request id, the
//! same fact of the same template with the same values, the same missing tokens.

use std::collections::BTreeMap;

use super::*;
use crate::parse::{LineEvent, OwnedOrBorrowedFact, Parser};
use crate::redact::token_is_missing;

const ID: &str = "ebfefac4-3abc-46df-b0ef-5be947c72148";
const TS: &str = "2025-07-11T09:02:05.614Z";

/// The field each `parse` reads and its regex, in query order.
fn parses(text: &str) -> Vec<(String, regex::Regex)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("| parse "))
        .map(|l| {
            let (field, rest) = l.split_once(" /").expect("parse FIELD /re/");
            let re = rest.strip_suffix('/').expect("regex end");
            (field.to_string(), regex::Regex::new(re).expect(re))
        })
        .collect()
}

/// The fields the parses give one message, `txt` made as the query's `fields` makes it.
fn run(parses: &[(String, regex::Regex)], message: &str) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::from([("@message".to_string(), message.to_string())]);
    for (field, re) in parses {
        if field == "txt" && !fields.contains_key("txt") {
            if let Some(t) = fields.get("txtpy").or_else(|| fields.get("txtnode")).cloned() {
                fields.insert("txt".into(), t);
            }
        }
        let Some(value) = fields.get(field).cloned() else {
            continue;
        };
        let Some(caps) = re.captures(&value) else { continue };
        for name in re.capture_names().flatten() {
            if let Some(m) = caps.name(name) {
                fields.insert(name.to_string(), m.as_str().to_string());
            }
        }
    }
    fields
}

/// What a message says, as comparable text: its request id, its fact (kind and values), and
/// whether its token is missing.
#[derive(Debug, PartialEq)]
struct Read {
    rid: Option<String>,
    fact: Option<(FactKind, String, String)>,
    missing: bool,
}

fn local(message: &str) -> Read {
    let parser = Parser::new(Patterns::builtin());
    let (rid, fact) = match parser.parse(message) {
        LineEvent::App { request_id, fact, .. } => (request_id, fact),
        LineEvent::Start { request_id } | LineEvent::End { request_id } => (Some(request_id), None),
        LineEvent::Report { request_id, .. } => (Some(request_id), None),
        LineEvent::Timeout { request_id } | LineEvent::Failure { request_id } => (request_id, None),
        _ => (None, None),
    };
    let fact = fact.and_then(|f| {
        let s = |v: &str| v.to_string();
        Some(match f {
            OwnedOrBorrowedFact::SourceIp(v) => (FactKind::SourceIp, s(&v), String::new()),
            OwnedOrBorrowedFact::Token(v) => (FactKind::Token, s(&v), String::new()),
            OwnedOrBorrowedFact::AllowedIp(v) => (FactKind::AllowedIp, s(&v), String::new()),
            OwnedOrBorrowedFact::AllowedToken(v) => (FactKind::AllowedToken, s(&v), String::new()),
            OwnedOrBorrowedFact::IpMismatch { received, allowed } => (FactKind::IpMismatch, s(&received), s(&allowed)),
            OwnedOrBorrowedFact::TokenMismatch { received, allowed } => {
                (FactKind::TokenMismatch, s(&received), s(&allowed))
            }
            OwnedOrBorrowedFact::Allow => (FactKind::Allow, String::new(), String::new()),
            OwnedOrBorrowedFact::Deny => (FactKind::Deny, String::new(), String::new()),
            OwnedOrBorrowedFact::ApiRequestId(_) => return None,
        })
    });
    let missing = matches!(&fact, Some((FactKind::Token | FactKind::AllowedToken | FactKind::TokenMismatch, v, _)) if token_is_missing(v));
    Read {
        rid: rid.map(|r| r.to_string()),
        fact,
        missing,
    }
}

/// The `parse` commands of the built-in requests query, as regexes.
fn requests_parses() -> Vec<(String, regex::Regex)> {
    let q = Queries::new(&Patterns::builtin());
    let bounds = Bounds {
        scan_start: 0,
        scan_end: 1,
        start: 0,
        end: 1,
    };
    parses(&q.text(QueryKind::Requests, &bounds, Resolution::Exact))
}

fn insights(parses: &[(String, regex::Regex)], message: &str) -> Read {
    let f = run(parses, message);
    let rid = ["ridline", "ridpy", "ridnode"].iter().find_map(|k| f.get(*k).cloned());
    // The first template that matched (the local parser stops at it), by its place in the table.
    let fact = Patterns::builtin().templates().enumerate().find_map(|(i, (kind, _))| {
        f.contains_key(&format!("m{i}")).then(|| {
            // An IP value is `v…` when it is an IP token, else `t…`.
            let v = |s: char| {
                let at = |g: char| f.get(&format!("{g}{i}{s}")).cloned();
                at('v').or_else(|| at('t')).unwrap_or_default()
            };
            (kind, v('a'), v('b'))
        })
    });
    let missing = f
        .keys()
        .any(|k| k.starts_with('n') && k[1..].bytes().all(|b| b.is_ascii_digit()));
    Read { rid, fact, missing }
}

#[test]
fn the_parses_read_every_line_shape_as_the_local_parser_does() {
    let parses = requests_parses();
    let py = |text: &str| format!("[INFO]\t{TS}\t{ID}\t{text}\n");
    let messages = [
        py("[INFO] Source IP: 203.0.113.10"),
        format!("[INFO] {TS} {ID} [INFO] Source IP: 203.0.113.10\n"),
        py("[INFO] Token: "),
        // Whitespace is a token: not missing, in either engine.
        py("[INFO] Token:    "),
        py("[INFO] Token: None\r"),
        py("[INFO] Allowed Token: None"),
        format!("[ERROR]\t{TS}\t{ID}\t[ERROR] トークンが不一致: 受信トークン=None, 許可トークン=Ab12Xy34\n"),
        format!("[ERROR]\t{TS}\t{ID}\tToken mismatch: received token=abc, allowed token=Ab12Xy34\n"),
        format!("[ERROR]\t{TS}\t{ID}\tIPアドレスが不一致: 受信IP=198.51.100.7, 許可IP=203.0.113.10\n"),
        format!("{TS}\t{ID}\tINFO\tSource IP: 198.51.100.7\n"),
        format!("{TS}\t{ID}\tINFO\t[INFO] Allowed IP: 203.0.113.10"),
        format!("2025-07-11 09:02:05,614 {ID} WARN Token: x"),
        // A tab or a `]` inside the message is not where a message starts.
        py("user said\tToken: x"),
        py("note [x] Token: y"),
        py("[INFO] Source IP: 203.0.113.10 and more"),
        // An IP value is the IP token it starts with; else the whole value.
        py("[INFO] Source IP: 198.51.100.23 Token: Ab12Xy34"),
        py("[INFO] Source IP: 198.51.100.23\tToken: Ab12Xy34\r"),
        py("[INFO] Source IP: 198.51.100.23 \r\r"),
        py("[INFO] Allowed IP: 203.0.113.10/Ab12Xy34"),
        py("[INFO] Allowed IP: 203.0.113.0/24"),
        py("[INFO] Allowed IP: fe80::1%eth0 x"),
        py("[INFO] Allowed IP: 203.0.113.10/"),
        py("[INFO] Source IP: abc def"),
        py("[INFO] Source IP: 203.0.113.10\u{200b}"),
        py("[INFO] Source IP: "),
        py("[INFO] Source IP: 111.222.333.444"),
        format!("[ERROR]\t{TS}\t{ID}\tIPアドレスが不一致: 受信IP=198.51.100.7 Token: t, 許可IP=203.0.113.10 x, 許可IP=y\n"),
        format!("[ERROR]\t{TS}\t{ID}\tIP address mismatch: received IP=198.51.100.7/x, allowed IP=203.0.113.10/Ab12 y\n"),
        format!("[ERROR]\t{TS}\t{ID}\tIP address mismatch: received IP=1.2.3.4, allowed IP=, allowed IP=5.6.7.8\n"),
        py("Token: abc\nsecond line"),
        format!("[INFO]\t{TS}\t{ID}\tSource IP: 1.2.3.4\r\r\n"),
        // Request ids as the local parser reads them (or not).
        format!("[INFO]\t{TS}\t\tSource IP: 192.0.2.1\n"),
        format!("[INFO]\t{TS}\tundefined\tToken: z\n"),
        format!("[INFO]\t{TS}\t-\tToken: z\n"),
        format!("[INFO]\t{TS}\tnot-an-id!\tToken: z\n"),
        format!("[INFO]\t{TS}\tabcdef12\tToken: q\n"),
        format!("[INFO]\t{TS}\tabc\tToken: q\n"),
        "[INFO] Token: q\n".to_string(),
        format!("[ERROR] RuntimeError: boom {ID}\nTraceback (most recent call last):\n  File \"/var/task/app.py\"\n"),
        format!("START RequestId: {ID} Version: $LATEST\n"),
        format!("END RequestId: {ID}\n"),
        format!("REPORT RequestId: {ID}\tDuration: 1.73 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 38 MB\t\n"),
        format!("RequestId: {ID} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n"),
        format!("{TS} {ID} Task timed out after 3.00 seconds\n"),
        format!("{TS}\t{ID}\tERROR\tInvoke Error \t{{\"errorType\":\"Error\"}}\n"),
        format!("{TS}\t{ID}\tERROR\tUnhandled Promise Rejection \t{{\"errorType\":\"Error\"}}\n"),
        format!("{TS}\t{ID}\tfail\tSystem.Exception: boom\n   at Fn.Handler(String input)\n"),
        format!("{TS}\t{ID}\tfail\tcould not reach the user service\n"),
        "INIT_START Runtime Version: python:3.13.v60\tRuntime Version ARN: arn\n".to_string(),
    ];
    for m in &messages {
        assert_eq!(insights(&parses, m), local(m), "{m:?}");
    }
}

#[test]
fn failures_with_a_request_id_are_those_merr_finds() {
    let parses = requests_parses();
    let parser = Parser::new(Patterns::builtin());
    let messages = [
        format!("{TS}\t{ID}\tERROR\tInvoke Error \t{{\"errorType\":\"Error\",\"errorMessage\":\"boom\"}}\n"),
        format!("{TS}\t{ID}\tERROR\tUncaught Exception \t{{\"errorType\":\"TypeError\"}}\n"),
        format!("{TS}\t{ID}\tERROR\tUnhandled Promise Rejection \t{{\"errorType\":\"Error\"}}\n"),
        format!("{TS}\t{ID}\tfail\tSystem.Exception: boom\n   at Fn.Handler(String input)\n"),
        format!("{TS}\t{ID}\tfail\tAmazon.DynamoDBv2.AmazonDynamoDBException\n"),
        format!("RequestId: {ID} Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n"),
        // Application lines that only look alike.
        format!("{TS}\t{ID}\tfail\tcould not reach the user service\n"),
        format!("{TS}\t{ID}\tfail\tSystem.Exception was logged\n"),
        format!("{TS}\t{ID}\tERROR\tInvoke failed, retrying\n"),
        format!("{TS}\t{ID}\tINFO\tInvoke Error \t{{}}\n"),
    ];
    for m in &messages {
        let local = matches!(parser.parse(m), LineEvent::Failure { request_id: Some(_) });
        assert_eq!(run(&parses, m).contains_key("merr"), local, "{m:?}");
    }
}

#[test]
fn unattributed_events_are_those_the_local_parser_gives_no_request_id() {
    let re = regex::Regex::new(UNATTRIBUTED).expect("regex");
    let parser = Parser::new(Patterns::builtin());
    let messages = [
        "[ERROR] RuntimeError: boom\nTraceback (most recent call last):\n  File \"/var/task/app.py\"\n".to_string(),
        "[ERROR]\tRuntimeError: boom\n".to_string(),
        "[CRITICAL] 2025-07-11 bad\n".to_string(),
        "[ERROR] 2025-07-11X09:02:05.614Z x\n".to_string(),
        "[ERROR] 2025/07/11T09:02:05.614Z x\n".to_string(),
        "[ERROR] 2\n".to_string(),
        "Task timed out after 3.00 seconds\n".to_string(),
        "INIT_REPORT Init Duration: 10000.00 ms\tPhase: invoke\tStatus: error\tError Type: Runtime.Unknown\n"
            .to_string(),
        "RESTORE_REPORT Restore Duration: 10.00 ms\tStatus: timeout\n".to_string(),
        "boom: java.lang.RuntimeException\njava.lang.RuntimeException: boom\n\tat a.B.c(B.java:1)\n".to_string(),
        "null: java.lang.NullPointerException\rjava.lang.NullPointerException\n".to_string(),
        "Unhandled exception. System.InvalidOperationException: no config\n".to_string(),
        "java.lang.RuntimeException: boom\n".to_string(),
        "reason: RuntimeException\n".to_string(),
        // Read with a request id (or not a failure): not counted.
        format!("[ERROR]\t{TS}\t{ID}\t[ERROR] Token mismatch: received token=a, allowed token=b\n"),
        format!("[ERROR] {TS} {ID} IP address mismatch: received IP=1, allowed IP=2\n"),
        format!("{TS} {ID} Task timed out after 3.00 seconds\n"),
        "[INFO] RuntimeError: boom\n".to_string(),
        "INIT_REPORT Init Duration: 100.00 ms\tPhase: init\tStatus: success\n".to_string(),
    ];
    for m in &messages {
        let counted = re.is_match(m);
        let local = match parser.parse(m) {
            LineEvent::Failure { request_id: None } | LineEvent::Timeout { request_id: None } => true,
            LineEvent::InitReport { status, .. } | LineEvent::RestoreReport { status, .. } => {
                matches!(
                    status,
                    Some(crate::parse::RunStatus::Error | crate::parse::RunStatus::Timeout)
                )
            }
            _ => false,
        };
        assert_eq!(counted, local, "{m:?}");
    }
}

proptest::proptest! {
    /// IP values of every shape, cut by the query's regexes as the local parser cuts them.
    #[test]
    fn ip_values_are_cut_alike(
        template in proptest::sample::select(vec![
            "[INFO] Source IP: {a}",
            "Allowed IP: {a}",
            "IPアドレスが不一致: 受信IP={a}, 許可IP={b}",
            "IP address mismatch: received IP={a}, allowed IP={b}",
        ]),
        parts in proptest::collection::vec(proptest::sample::select(vec![
            "203.0.113.10", "::1", "fe80::", "a", "1", ".", ":", "/", "24", "/x", "%", "eth0", " ", "\t",
            "\r", "Token: ", "Ab12Xy34", ",", ", allowed IP=", ", 許可IP=", "\u{200b}", "é",
        ]), 0..7),
        split in 0usize..7,
    ) {
        let parses = requests_parses();
        let split = split.min(parts.len());
        let text = template.replace("{a}", &parts[..split].concat()).replace("{b}", &parts[split..].concat());
        let m = format!("[INFO]\t{TS}\t{ID}\t{text}\n");
        proptest::prop_assert_eq!(insights(&parses, &m), local(&m), "{:?}", m);
    }
}
