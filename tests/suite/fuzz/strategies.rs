//! The generators: arbitrary bytes, soups of fragments of real lines, and structured mutations of
//! what an authorizer's log group holds (Lambda TEXT and JSON lines, the seed authorizer's
//! Japanese messages) in every container `authlogs` reads. Every fixture here is written for
//! these tests; none is copied from a real log.

use std::fmt::Write as _;
use std::io::Write as _;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

// `authlogs::` paths in both homes of this file: `src/fuzz/` includes it, and the library names
// itself `authlogs` in its unit tests.
use authlogs::{InputFormat, Parser};

thread_local! {
    static PARSER: Parser = Parser::default();
}

/// The built-in parser, built once per thread (its table is TOML, compiled: too slow per case).
pub(super) fn parser() -> Parser {
    PARSER.with(Parser::clone)
}

/// One log event before a container wraps it.
#[derive(Debug, Clone)]
pub(super) struct Event {
    pub timestamp_ms: Option<i64>,
    pub stream: String,
    pub message: String,
}

/// A case: the allowed token (it must never be printed while tokens are masked) and the events.
/// The first event is the seed authorizer's `Allowed Token` line, so that every later place the
/// token appears in is one a reader of the log can tell is the token.
#[derive(Debug, Clone)]
pub(super) struct Scenario {
    pub secret: String,
    pub events: Vec<Event>,
}

/// Fragments of real lines: random concatenations of them get deep into the parsers.
const FRAGMENTS: &[&str] = &[
    "START RequestId: ",
    "END RequestId: ",
    "REPORT RequestId: ",
    "\tDuration: ",
    " ms\tBilled Duration: ",
    "\tMemory Size: ",
    "\tMax Memory Used: ",
    "\tInit Duration: ",
    "\tStatus: timeout",
    "\tError Type: ",
    "INIT_START ",
    "INIT_REPORT Init Duration: ",
    "RESTORE_REPORT Restore Duration: ",
    "[INFO]\t",
    "[ERROR]\t",
    "2025-07-11T06:05:34.309Z",
    "2025-07-11T06:05:34.309000+00:00 ",
    "2025-07-11 06:05:34.309",
    "\t",
    " ",
    "\n",
    "\r",
    "\n\n",
    "d39edf81-4b21-4e3d-8ad2-7c1e92f00c82",
    "[INFO] Source IP: ",
    "[INFO] Token: ",
    "[INFO] Allowed Token: ",
    "[ERROR] トークンが不一致: 受信トークン=",
    ", 許可トークン=",
    "IPアドレスが不一致: 受信IP=",
    "{\"time\":\"2024-06-17T17:23:55.902Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"",
    "\"metrics\":{\"durationMs\":",
    "{\"timestamp\": \"2025-07-11T06:05:34Z\", \"level\": \"INFO\", \"message\": \"",
    "{\"events\":[{\"logStreamName\":\"s\",\"timestamp\":",
    "\"message\":\"",
    "\"logEvents\":[",
    "[{\"@timestamp\":\"2025-07-11 06:05:34.309\",\"@message\":\"",
    "\\u30c8",
    "\\ud83d\\ude00",
    "\\ud800",
    "Task timed out after ",
    "1.85",
    "99999999999999999999999",
    "18446744073709551.999",
    "-",
    "}",
    "]",
    ",",
    "\"",
    "\u{1b}[2J",
    "\u{0}",
    "\u{202e}",
    "\u{feff}",
];

/// Arbitrary bytes: noise, fragment soups, and valid text.
pub(super) fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => vec(any::<u8>(), 0..600),
        4 => vec(select(FRAGMENTS), 0..40).prop_map(|v| v.concat().into_bytes()),
        1 => ".{0,300}".prop_map(String::into_bytes),
        // Gzip and UTF-16 magic in front of noise.
        1 => vec(any::<u8>(), 0..200).prop_map(|b| [&[0x1f, 0x8b][..], &b].concat()),
        1 => vec(any::<u8>(), 0..200).prop_map(|b| [&[0xff, 0xfe][..], &b].concat()),
    ]
}

/// Any input format, `Auto` most often.
pub(super) fn format() -> impl Strategy<Value = InputFormat> {
    prop_oneof![
        6 => Just(InputFormat::Auto),
        1 => Just(InputFormat::Export),
        1 => Just(InputFormat::Json),
        1 => Just(InputFormat::Tail),
        1 => Just(InputFormat::Console),
        1 => Just(InputFormat::Bare),
        1 => Just(InputFormat::Prefixed),
        1 => Just(InputFormat::InsightsCsv),
        1 => Just(InputFormat::InsightsMd),
    ]
}

/// Event times: mostly a realistic day, often the ends of `i64` and of what chrono can show.
pub(super) fn event_time() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        6 => (0i64..86_400_000).prop_map(|d| Some(1_752_192_000_000 + d)),
        1 => Just(None),
        2 => select(vec![
            i64::MIN,
            i64::MIN + 1,
            -1,
            0,
            1,
            i64::MAX,
            i64::MAX - 1,
            -8_334_632_851_200_001,
            8_210_298_412_800_000,
            253_402_300_799_999,
            -62_167_219_200_000,
        ])
        .prop_map(Some),
        1 => any::<i64>().prop_map(Some),
    ]
}

/// A clock for `Pipeline::tick`.
pub(super) fn tick_time() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => (0i64..86_400_000).prop_map(|d| 1_752_192_000_000 + d),
        1 => select(vec![i64::MIN, -1, 0, i64::MAX]),
        1 => any::<i64>(),
    ]
}

const UUIDS: [&str; 4] = [
    "d39edf81-4b21-4e3d-8ad2-7c1e92f00c82",
    "24f9e55f-b57e-4c91-aaee-0554a354b18b",
    "0b5f7b56-1a2e-4c3d-9e8f-0123456789ab",
    "e9b8af80-569f-4e11-a6fd-15e45859e5a3",
];

fn request_id() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => select(&UUIDS[..]).prop_map(str::to_string),
        1 => select(vec!["", "undefined", "id\u{1b}[2J", "=1+1", "a,\"b\"", "ab-cd-ef-0123", "\u{202e}4567-89ab"])
            .prop_map(str::to_string),
        1 => "[0-9a-f-]{1,40}",
        1 => ".{0,50}",
    ]
}

/// Source and allowed IPs, with the hostile ones a log can hold.
fn ip() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(vec![
            "203.0.113.10",
            "198.51.100.7",
            "111.222.333.444",
            "2001:db8::1",
            "::ffff:203.0.113.10",
            "None",
            "",
        ])
        .prop_map(str::to_string),
        2 => select(vec![
            "1.2.3.4\u{1b}[31m",
            "1.2.3.4\u{1b}]0;pwned\u{7}",
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\u{202e}4.3.2.1",
            "1.2.3.4\t5.6.7.8",
            "1.2.3.4\r\n[INFO] Token: fake",
            "1.2.3.4, 許可IP=5.6.7.8",
            "\u{9b}2J",
            "\u{0}\u{7f}",
            "ｆｕｌｌ幅",
            "1.2.3.4\u{200b}",
        ])
        .prop_map(str::to_string),
        1 => "[0-9.:a-f]{0,45}",
        1 => "\\PC{0,30}",
    ]
}

/// Tokens callers sent that are not the allowed one.
fn wrong_token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(vec!["test", "None", "", "guess\"1", "Bearer abc", "=cmd|x", "tok:00000000", "\\u0041", "a\u{1b}[2Jb"])
            .prop_map(str::to_string),
        1 => select(vec![", 許可トークン=x", "x\ty", "\u{202e}rtl", "☃"]).prop_map(str::to_string),
        2 => "[A-Za-z0-9+/=_.-]{1,24}",
        1 => "\\PC{0,20}",
    ]
}

/// The allowed token: letters and digits that nothing else generated here can spell.
fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{8,16}".prop_map(|s| format!("Zq{s}"))
}

/// REPORT durations as written: real ones, huge integers, long and odd fractions.
pub(super) fn duration_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(vec![
            "1.85",
            "0.00",
            "3000.00",
            "2",
            "18446744073709551.615",
            "18446744073709551.616",
            "18446744073709551.999999999999999999999",
            "18446744073709551615",
            "99999999999999999999",
            "1.",
            ".5",
            "-1",
            "1e5",
            "1,85",
            "١٢.٣",
            "",
        ])
        .prop_map(str::to_string),
        3 => ("[0-9]{1,22}", "[0-9]{0,60}").prop_map(|(i, f)| format!("{i}.{f}")),
        1 => "[0-9]{1,25}",
    ]
}

/// REPORT integers (billed ms, MB): real ones and the ends of `u64`.
fn int_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(vec![
            "2",
            "512",
            "128",
            "0",
            "35",
            "18446744073709551615",
            "18446744073709551614",
            "9223372036854775807",
            "18446744073709551616",
            "99999999999999999999999",
            "-1",
            "1.5",
            "",
        ])
        .prop_map(str::to_string),
        2 => any::<u64>().prop_map(|n| n.to_string()),
        1 => "[0-9]{1,24}",
    ]
}

/// JSON numbers for `platform.report` metrics.
fn json_number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(vec![
            "18.593",
            "19",
            "2048",
            "0",
            "-0",
            "-1",
            "1e18",
            "9.99999e17",
            "1e308",
            "18446744073709551615",
            "18446744073709551616",
            "0.0005",
            "0.0004999",
            "1E2",
            "\"12\"",
            "null",
            "true",
        ])
        .prop_map(str::to_string),
        2 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| format!("{f:?}")),
        1 => any::<u64>().prop_map(|n| n.to_string()),
    ]
}

/// Timestamps written inside lines.
fn text_time() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0u32..86_400, 0u32..1000).prop_map(|(s, ms)| {
            format!("2025-07-11T{:02}:{:02}:{:02}.{ms:03}Z", s / 3600, s / 60 % 60, s % 60)
        }),
        2 => select(vec![
            "0000-01-01T00:00:00.000Z",
            "9999-12-31T23:59:60.999Z",
            "1970-01-01T00:00:00.000Z",
            "2025-07-11T06:05:34.5Z",
            "2025-07-11T06:05:34.123456789+09:00",
            "2025-07-11T06:05:34-23:59",
            "2025-07-11T06:05:34Z",
            "2025-07-11 06:05:34.309",
            "2025-13-40T25:61:61.000Z",
            "2025-07-11T06:05:34.1234567890Z",
            "",
        ])
        .prop_map(str::to_string),
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:?[0-9]{2})?",
    ]
}

/// What lines of a case choose from.
#[derive(Debug, Clone)]
struct Pools {
    secret: String,
    ids: Vec<String>,
    ips: Vec<String>,
    tokens: Vec<String>,
    durations: Vec<String>,
    ints: Vec<String>,
    numbers: Vec<String>,
    times: Vec<String>,
}

fn pools() -> impl Strategy<Value = Pools> {
    (
        secret(),
        vec(request_id(), 4),
        vec(ip(), 4),
        vec(wrong_token(), 4),
        vec(duration_text(), 4),
        vec(int_text(), 4),
        vec(json_number(), 4),
        vec(text_time(), 4),
    )
        .prop_map(|(secret, ids, ips, tokens, durations, ints, numbers, times)| Pools {
            secret,
            ids,
            ips,
            tokens,
            durations,
            ints,
            numbers,
            times,
        })
}

/// One line of a case: its kind, the pool entries it uses, and bits for its variations.
#[derive(Debug, Clone, Copy)]
struct LineSpec {
    kind: u8,
    picks: [u8; 6],
    bits: u64,
    stream: u8,
    time: Option<i64>,
}

const LINE_KINDS: u8 = 16;

fn line_spec() -> impl Strategy<Value = LineSpec> {
    (0..LINE_KINDS, any::<[u8; 6]>(), any::<u64>(), 0u8..3, event_time()).prop_map(
        |(kind, picks, bits, stream, time)| LineSpec {
            kind,
            picks,
            bits,
            stream,
            time,
        },
    )
}

/// A whole request of the seed authorizer, in order; mutations come from the other lines.
#[derive(Debug, Clone, Copy)]
struct RequestSpec {
    id: u8,
    allowed: bool,
    style: u8,
    picks: [u8; 6],
    bits: u64,
    stream: u8,
    time: Option<i64>,
}

fn request_spec() -> impl Strategy<Value = RequestSpec> {
    (
        0u8..4,
        any::<bool>(),
        0u8..4,
        any::<[u8; 6]>(),
        any::<u64>(),
        0u8..3,
        event_time(),
    )
        .prop_map(|(id, allowed, style, picks, bits, stream, time)| RequestSpec {
            id,
            allowed,
            style,
            picks,
            bits,
            stream,
            time,
        })
}

/// Cases of whole requests and single (mutated) lines, interleaved over three streams.
pub(super) fn scenario() -> impl Strategy<Value = Scenario> {
    (
        pools(),
        0u8..4,
        vec(
            prop_oneof![2 => request_spec().prop_map(Err), 3 => line_spec().prop_map(Ok)],
            0..16,
        ),
    )
        .prop_map(|(pools, first_style, items)| {
            let mut events = vec![Event {
                timestamp_ms: Some(1_752_192_000_000),
                stream: stream_name(0),
                message: app_line(
                    &pools,
                    first_style,
                    "",
                    &format!("[INFO] Allowed Token: {}", pools.secret),
                    0,
                ),
            }];
            for item in items {
                match item {
                    Ok(line) => events.push(Event {
                        timestamp_ms: line.time,
                        stream: stream_name(line.stream),
                        message: render_line(&pools, &line),
                    }),
                    Err(request) => render_request(&pools, &request, &mut events),
                }
            }
            Scenario {
                secret: pools.secret,
                events,
            }
        })
}

fn stream_name(n: u8) -> String {
    match n {
        0 => "2025/07/11/[$LATEST]5c1e9a0f3b2d4e6f8a7b9c0d1e2f3a4b".into(),
        1 => "2025/07/11/agw-access-permission[$LATEST]0067289175a6449aa06c17778d756505".into(),
        _ => "s\u{1b}[2J,\"=x\"".into(),
    }
}

fn pick(pool: &[String], i: u8) -> &str {
    pool.get(i as usize % pool.len().max(1)).map_or("", String::as_str)
}

/// Bit `n` of `bits`.
fn bit(bits: u64, n: u32) -> bool {
    bits >> (n % 64) & 1 == 1
}

/// A JSON string literal of `s`, with the characters the bits choose written as `\uXXXX`
/// (surrogate pairs beyond the BMP), as a JSON writer may.
pub(super) fn json_string(s: &str, bits: u64) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        let escape = bit(bits.rotate_left(i as u32), 0) && bit(bits, 63);
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || escape => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    if bit(bits, i as u32 + 7) {
                        let _ = write!(out, "\\u{u:04X}");
                    } else {
                        let _ = write!(out, "\\u{u:04x}");
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The seed authorizer's messages (and their English equivalents) about one request.
fn seed_message(p: &Pools, which: u8, picks: [u8; 6], bits: u64) -> String {
    let ip = pick(&p.ips, picks[1]);
    let ip2 = pick(&p.ips, picks[2]);
    let token = if bit(bits, 5) {
        p.secret.clone()
    } else {
        pick(&p.tokens, picks[3]).to_string()
    };
    let tag = |level: &str| {
        if bit(bits, 6) {
            format!("[{level}] ")
        } else {
            String::new()
        }
    };
    match which % 10 {
        0 => format!("{}Source IP: {ip}", tag("INFO")),
        1 => format!("{}Token: {token}", tag("INFO")),
        2 => format!("{}Allowed IP: {ip2}", tag("INFO")),
        3 => format!("{}Allowed Token: {}", tag("INFO"), p.secret),
        4 => format!("{}IPアドレスが不一致: 受信IP={ip}, 許可IP={ip2}", tag("ERROR")),
        5 => format!(
            "{}トークンが不一致: 受信トークン={token}, 許可トークン={}",
            tag("ERROR"),
            p.secret
        ),
        6 => format!("IP address mismatch: received IP={ip}, allowed IP={ip2}"),
        7 => format!("Token mismatch: received token={token}, allowed token={}", p.secret),
        // Lines that are not token lines but hold the token: an event dump, the handler's result.
        8 => format!(
            "Event: {{\"headers\": {{\"authorization\": {}}}, \"requestContext\": {{\"http\": {{\"sourceIp\": {}}}}}}}",
            json_string(&p.secret, bits),
            json_string(ip, bits >> 3)
        ),
        _ => format!(
            "{{'isAuthorized': False, 'context': {{'ip': '{ip}', 'token': '{}'}}}}",
            p.secret
        ),
    }
}

/// An application line in one of the runtimes' shapes: Python and Node TEXT, Python and Node JSON.
fn app_line(p: &Pools, style: u8, id: &str, message: &str, bits: u64) -> String {
    let time = pick(&p.times, (bits >> 8) as u8);
    let level = ["INFO", "ERROR", "WARNING", "DEBUG"][(bits >> 12) as usize % 4];
    let sep = if bit(bits, 14) { " " } else { "\t" };
    let newline = if bit(bits, 15) { "\n" } else { "" };
    match style % 4 {
        0 => format!("[{level}]{sep}{time}{sep}{id}{sep}{message}{newline}"),
        1 => format!("{time}{sep}{id}{sep}{level}{sep}{message}{newline}"),
        2 => format!(
            "{{\"timestamp\": {}, \"level\": \"{level}\", \"message\": {}, \"logger\": \"root\", \"requestId\": {}}}{newline}",
            json_string(time, bits >> 16),
            json_string(&format!("{message}\n"), bits >> 20),
            json_string(id, bits >> 24)
        ),
        _ => format!(
            "{{\"timestamp\":{},\"level\":\"{level}\",\"requestId\":{},\"message\":{}}}",
            json_string(time, bits >> 16),
            json_string(id, bits >> 24),
            json_string(message, bits >> 20)
        ),
    }
}

/// A REPORT line with its fields mutated: dropped, reordered, spaced, huge or odd.
fn report_line(p: &Pools, id: &str, picks: [u8; 6], bits: u64) -> String {
    let sep = if bit(bits, 1) { " " } else { "\t" };
    let mut fields = vec![
        format!("Duration: {} ms", pick(&p.durations, picks[0])),
        format!("Billed Duration: {} ms", pick(&p.ints, picks[1])),
        format!("Memory Size: {} MB", pick(&p.ints, picks[2])),
        format!("Max Memory Used: {} MB", pick(&p.ints, picks[3])),
    ];
    if bit(bits, 2) {
        fields.push(format!("Init Duration: {} ms", pick(&p.durations, picks[4])));
    }
    if bit(bits, 3) {
        fields.push(format!("Restore Duration: {} ms", pick(&p.durations, picks[5])));
        fields.push(format!("Billed Restore Duration: {} ms", pick(&p.ints, picks[4])));
    }
    if bit(bits, 4) {
        fields
            .push(["Status: timeout", "Status: error", "Status: success", "Status: "][(bits >> 5) as usize % 4].into());
    }
    if bit(bits, 7) {
        fields.push("Error Type: Runtime.ExitError".into());
    }
    // Drop some, swap two.
    let n = fields.len();
    let mut kept: Vec<String> = fields
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !bit(bits, 20 + *i as u32) || !bit(bits, 30))
        .map(|(_, f)| f)
        .collect();
    if bit(bits, 31) && kept.len() > 1 {
        let a = (bits >> 32) as usize % kept.len();
        kept.swap(0, a);
    }
    let mut line = format!("REPORT RequestId: {id}{sep}{}{sep}", kept.join(sep));
    if bit(bits, 40) {
        line.push_str(
            "\nXRAY TraceId: 1-581cf771-a006649127e371903a2de979\tSegmentId: 3b2d4e6f8a7b9c0d\tSampled: true",
        );
    }
    if bit(bits, 41) && n > 0 {
        line.push('\n');
    }
    line
}

/// `platform.*` records of the Lambda JSON log format, with mutated metrics.
fn platform_line(p: &Pools, id: &str, kind: u8, picks: [u8; 6], bits: u64) -> String {
    let time = pick(&p.times, picks[5]);
    let num = |i: usize| pick(&p.numbers, picks[i]);
    let metrics = {
        let all = [
            ("durationMs", num(0)),
            ("billedDurationMs", num(1)),
            ("memorySizeMB", num(2)),
            ("maxMemoryUsedMB", num(3)),
            ("initDurationMs", num(4)),
            ("restoreDurationMs", num(0)),
            ("billedRestoreDurationMs", num(1)),
        ];
        let fields: Vec<String> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| bit(bits, *i as u32 + 8) || *i < 4 && !bit(bits, 30))
            .map(|(_, (k, v))| format!("\"{k}\":{v}"))
            .collect();
        fields.join(",")
    };
    let status = ["success", "timeout", "error", "failure"][(bits >> 20) as usize % 4];
    let rid = json_string(id, bits >> 24);
    match kind % 5 {
        0 => format!(
            "{{\"time\":\"{time}\",\"type\":\"platform.start\",\"record\":{{\"requestId\":{rid},\"version\":\"$LATEST\"}}}}"
        ),
        1 | 2 => format!(
            "{{\"time\":\"{time}\",\"type\":\"platform.report\",\"record\":{{\"requestId\":{rid},\"metrics\":{{{metrics}}},\"status\":\"{status}\"}}}}"
        ),
        3 => format!(
            "{{\"time\":\"{time}\",\"type\":\"platform.initReport\",\"record\":{{\"initializationType\":\"on-demand\",\"phase\":\"init\",\"status\":\"{status}\",\"metrics\":{{\"durationMs\":{}}}}}}}",
            num(4)
        ),
        _ => format!("{{\"time\":\"{time}\",\"type\":\"platform.initStart\",\"record\":{{\"initializationType\":\"on-demand\",\"phase\":\"init\"}}}}"),
    }
}

fn render_line(p: &Pools, l: &LineSpec) -> String {
    let id = pick(&p.ids, l.picks[0]);
    let b = l.bits;
    let sep = if bit(b, 1) { " " } else { "\t" };
    match l.kind {
        0 => format!("START RequestId: {id}{sep}Version: $LATEST"),
        1 => format!("END RequestId: {id}"),
        2 | 3 => report_line(p, id, l.picks, b),
        4 => platform_line(p, id, l.picks[1], l.picks, b),
        5..=7 => {
            let message = seed_message(p, l.picks[4], l.picks, b);
            app_line(p, l.picks[5], id, &message, b)
        }
        8 => match l.picks[1] % 8 {
            0 => format!("INIT_START Runtime Version: python:3.13.v16{sep}Runtime Version ARN: arn:aws:lambda:ap-northeast-1::runtime:0"),
            1 => format!("INIT_REPORT Init Duration: {} ms{sep}Phase: init{sep}Status: timeout", pick(&p.durations, l.picks[2])),
            2 => format!("RESTORE_REPORT Restore Duration: {} ms", pick(&p.durations, l.picks[2])),
            3 => format!("EXTENSION{sep}Name: x{sep}State: Ready{sep}Events: []"),
            4 => format!("{}{sep}{id}{sep}Task timed out after 3.00 seconds", pick(&p.times, l.picks[2])),
            5 => format!("RequestId: {id} Error: Runtime exited with error: signal: killed\nRuntime.ExitError"),
            6 => format!(
                "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code.\r{{\"timestamp\": \"2025-07-11T06:05:34Z\", \"log_level\": \"ERROR\", \"errorType\": \"KeyError\", \"requestId\": {}}}",
                json_string(id, b)
            ),
            _ => format!("[ERROR] KeyError: 'x'\nTraceback (most recent call last):\n\u{a0}\u{a0}File \"/var/task/app.py\", line 1, in {id}"),
        },
        9 => format!("XRAY TraceId: 1-581cf771-a006649127e371903a2de979{sep}SegmentId: {id}"),
        10 => {
            // A line cut short or with a byte lost.
            let message = seed_message(p, l.picks[4], l.picks, b);
            let full = app_line(p, l.picks[5], id, &message, b);
            let cut = (b >> 40) as usize % (full.len() + 1);
            let mut at = cut;
            while !full.is_char_boundary(at) {
                at -= 1;
            }
            full[..at].to_string()
        }
        11 => {
            let mut soup = String::new();
            for i in 0..(b % 12) {
                soup.push_str(FRAGMENTS[((b >> (i * 5)) as usize) % FRAGMENTS.len()]);
            }
            soup
        }
        12 => seed_message(p, l.picks[4], l.picks, b),
        13 => app_line(p, l.picks[5], id, &seed_message(p, 8 + l.picks[4] % 2, l.picks, b), b),
        14 => format!("{}\t{id}\tINFO\t{}", pick(&p.times, l.picks[2]), pick(&p.ips, l.picks[3])),
        _ => pick(&p.ips, l.picks[3]).to_string(),
    }
}

/// A request as the seed authorizer logs it: START, its messages, END, REPORT.
fn render_request(p: &Pools, r: &RequestSpec, events: &mut Vec<Event>) {
    let id = pick(&p.ids, r.id).to_string();
    let stream = stream_name(r.stream);
    let mut t = r.time;
    let mut push = |message: String| {
        events.push(Event {
            timestamp_ms: t,
            stream: stream.clone(),
            message,
        });
        t = t.map(|t| t.saturating_add(1));
    };
    let json = r.style % 4 >= 2;
    if json {
        push(platform_line(p, &id, 0, r.picks, r.bits));
    } else {
        push(format!("START RequestId: {id} Version: $LATEST"));
    }
    let mut messages = vec![0u8, 1, 2, 3];
    if !r.allowed {
        messages.push(if bit(r.bits, 9) { 4 } else { 5 });
    }
    for m in messages {
        let bits = if r.allowed { r.bits & !(1 << 5) } else { r.bits };
        push(app_line(p, r.style, &id, &seed_message(p, m, r.picks, bits), r.bits));
    }
    if json {
        push(platform_line(p, &id, 1, r.picks, r.bits));
    } else {
        push(format!("END RequestId: {id}"));
        push(report_line(p, &id, r.picks, r.bits));
    }
}

/// The container shapes a case is read in.
#[derive(Debug, Clone, Copy)]
pub(super) enum Container {
    Bare,
    Export,
    TailDetailed,
    TailShort,
    ConsoleRows,
    ConsolePairs,
    FilterLogEvents,
    GetLogEvents,
    Subscription,
    Insights,
    EventArray,
}

pub(super) fn container() -> impl Strategy<Value = Container> {
    select(vec![
        Container::Bare,
        Container::Export,
        Container::TailDetailed,
        Container::TailShort,
        Container::ConsoleRows,
        Container::ConsolePairs,
        Container::FilterLogEvents,
        Container::GetLogEvents,
        Container::Subscription,
        Container::Insights,
        Container::EventArray,
    ])
}

impl Container {
    /// The format that names this container.
    pub(super) fn format(self) -> InputFormat {
        match self {
            Container::Bare => InputFormat::Bare,
            Container::Export => InputFormat::Export,
            Container::TailDetailed | Container::TailShort => InputFormat::Tail,
            Container::ConsoleRows | Container::ConsolePairs => InputFormat::Console,
            _ => InputFormat::Json,
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`, or the number when out of range, as `authlogs` writes times.
fn format_rfc3339_ms(epoch_ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(epoch_ms) {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => epoch_ms.to_string(),
    }
}

/// A time as a container writes it: `rfc3339` is `YYYY-MM-DDTHH:MM:SS.mmmZ` (or the number, out of range).
fn container_time(t: Option<i64>) -> String {
    format_rfc3339_ms(t.unwrap_or(1_752_192_000_000))
}

/// `events` in `container`, as bytes; `bits` vary escapes and separators.
pub(super) fn wrap(events: &[Event], container: Container, bits: u64) -> Vec<u8> {
    let mut out = String::new();
    let json_events = |with_stream: bool, stamp_key: &str, id_key: Option<&str>| -> String {
        let items: Vec<String> = events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut fields = Vec::new();
                if with_stream {
                    fields.push(format!("\"logStreamName\":{}", json_string(&e.stream, bits >> 2)));
                }
                match e.timestamp_ms {
                    Some(t) => fields.push(format!("\"{stamp_key}\":{t}")),
                    None if bit(bits, 9) => fields.push(format!("\"{stamp_key}\":null")),
                    None => {}
                }
                fields.push(format!(
                    "\"message\":{}",
                    json_string(&e.message, bits.rotate_left(i as u32))
                ));
                if let Some(k) = id_key {
                    fields.push(format!("\"{k}\":\"{i:056}\""));
                }
                format!("{{{}}}", fields.join(","))
            })
            .collect();
        items.join(if bit(bits, 3) { ",\n" } else { "," })
    };
    match container {
        Container::Bare => {
            for e in events {
                out.push_str(&e.message);
                out.push('\n');
            }
        }
        Container::Export => {
            for e in events {
                let _ = write!(out, "{} {}", container_time(e.timestamp_ms), e.message);
                out.push_str(if bit(bits, 1) { "\n\n" } else { "\n" });
            }
        }
        Container::TailDetailed => {
            for e in events {
                let t = container_time(e.timestamp_ms);
                let t = t.strip_suffix('Z').map_or(t.clone(), |s| format!("{s}000+00:00"));
                let _ = writeln!(out, "{t} {} {}", e.stream, e.message.trim_end());
            }
        }
        Container::TailShort => {
            for e in events {
                let t = container_time(e.timestamp_ms);
                let _ = writeln!(out, "{} {}", t.get(..19).unwrap_or(&t), e.message.trim_end());
            }
        }
        Container::ConsoleRows => {
            for e in events {
                let t = container_time(e.timestamp_ms);
                let t = t.strip_suffix('Z').map_or(t.clone(), |s| format!("{s}+09:00"));
                let _ = writeln!(out, "{t}\t{}", e.message.replace('\t', " ").trim_end());
            }
        }
        Container::ConsolePairs => {
            for e in events {
                let _ = writeln!(out, "{}\n{}", e.message.trim_end(), container_time(e.timestamp_ms));
            }
        }
        Container::FilterLogEvents => {
            let _ = write!(
                out,
                "{{\"events\": [{}], \"searchedLogStreams\": []}}",
                json_events(true, "timestamp", Some("eventId"))
            );
        }
        Container::GetLogEvents => {
            let _ = write!(
                out,
                "{{\"events\":[{}],\"nextForwardToken\":\"f/1\",\"nextBackwardToken\":\"b/1\"}}",
                json_events(false, "timestamp", None)
            );
        }
        Container::Subscription => {
            // Firehose concatenates records with no delimiter.
            for chunk in events.chunks(4) {
                let stream = chunk.first().map_or("", |e| e.stream.as_str());
                let items: Vec<String> = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        format!(
                            "{{\"id\":\"{i}\",\"timestamp\":{},\"message\":{}}}",
                            e.timestamp_ms.unwrap_or(0),
                            json_string(&e.message, bits >> i)
                        )
                    })
                    .collect();
                let _ = write!(
                    out,
                    "{{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111111111111\",\"logGroup\":\"/aws/lambda/agw-access-permission\",\"logStream\":{},\"subscriptionFilters\":[\"x\"],\"logEvents\":[{}]}}",
                    json_string(stream, bits),
                    items.join(",")
                );
            }
        }
        Container::Insights => {
            let items: Vec<String> = events
                .iter()
                .map(|e| {
                    let t = container_time(e.timestamp_ms).replace('T', " ").replace('Z', "");
                    format!(
                        "{{\"@timestamp\": \"{t}\", \"@message\": {}, \"@logStream\": {}, \"@log\": \"1:/aws/lambda/x\"}}",
                        json_string(&e.message, bits),
                        json_string(&e.stream, bits >> 1)
                    )
                })
                .collect();
            let _ = write!(out, "[{}]", items.join(",\n"));
        }
        Container::EventArray => {
            let _ = write!(out, "[{}]", json_events(true, "timestamp", Some("ingestionTime")));
        }
    }
    let mut bytes = out.into_bytes();
    // Now and then: the whole input gzipped, or cut short.
    if bit(bits, 50) && bit(bits, 51) {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        if gz.write_all(&bytes).is_ok() {
            if let Ok(z) = gz.finish() {
                bytes = z;
            }
        }
    }
    if bit(bits, 52) && bit(bits, 53) && bit(bits, 54) {
        let keep = (bits >> 8) as usize % (bytes.len() + 1);
        bytes.truncate(keep);
    }
    bytes
}
