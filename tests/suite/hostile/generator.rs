//! The cases: one seed-authorizer invocation each, with one field carrying one hostile material.

use std::fmt::Write as _;

/// Where a case puts its hostile material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    /// The `Source IP:` value.
    SourceIp,
    /// The `Token:` value (the token the caller sent).
    Token,
    /// The `Allowed IP:` value.
    AllowedIp,
    /// The `Allowed Token:` value.
    AllowedToken,
    /// `'authorization': '<t>'` in the event dump.
    Authorization,
    /// `'identitySource': ['<t>']` in the event dump.
    IdentitySource,
    /// `'x-api-key': '<t>'` in the event dump.
    ApiKey,
    /// `'rawQueryString': 'key=<t>'` in the event dump.
    Query,
    /// `KeyError: '<t>'` before a traceback.
    KeyError,
    /// A line of the traceback.
    Traceback,
    /// A message no rule recognizes.
    Message,
}

/// Every field, in the order cases are generated.
const FIELDS: [Field; 11] = [
    Field::SourceIp,
    Field::Token,
    Field::AllowedIp,
    Field::AllowedToken,
    Field::Authorization,
    Field::IdentitySource,
    Field::ApiKey,
    Field::Query,
    Field::KeyError,
    Field::Traceback,
    Field::Message,
];

/// What a case puts in its field (appended to the field's ordinary value, so the value still names
/// its case, or in place of it for [`Material::AllowedToken`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Material {
    /// The case's allowed token (after the IP on the IP lines, as the value elsewhere).
    AllowedToken,
    /// Raw bytes: control sequences, bidi and invisible characters, invalid UTF-8.
    Bytes(&'static str, &'static [u8]),
    /// A run of `n` letters: an oversized value (and, past 1 MiB, an oversized line).
    Oversized(usize),
    /// Forty `x-hN: Token: gN` headers before the real token lines: an attempt to evict the real
    /// tokens from the masking lists.
    HeaderFlood,
    /// The sent and allowed tokens equal but for their invalid UTF-8 bytes (`\xfe` vs `\xff`):
    /// one decoding to U+FFFD must not make them equal.
    BytesDiffer,
}

/// The raw materials, each named for the case names.
const BYTES: &[(&str, &[u8])] = &[
    ("esc", b"\x1b[2J\x1b[31mred"),
    ("osc8", b"\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07"),
    ("bel", b"\x07\x07"),
    ("cr", b"\rFAKE"),
    ("nul", b"\x00z"),
    ("c1", "\u{9b}2J".as_bytes()),
    ("rlo", "\u{202e}01.311.0.302".as_bytes()),
    ("zwsp", "\u{200b}".as_bytes()),
    ("isolates", "\u{2066}\u{2067}\u{2068}x\u{2069}".as_bytes()),
    ("lsep", "\u{2028}\u{2029}".as_bytes()),
    ("bom", "\u{feff}".as_bytes()),
    ("rlm", "\u{200f}\u{61c}\u{200e}".as_bytes()),
    ("invalid-utf8", b"\xff\xfe\xc3"),
];

/// A value longer than most, and one past the default `--max-line-bytes` (1 MiB).
const BIG: usize = 100 * 1024;
const HUGE: usize = 1024 * 1024 + 4096;

/// The fields a line past 1 MiB is tried in (each such case costs a megabyte per container and run).
const HUGE_FIELDS: [Field; 3] = [Field::SourceIp, Field::Token, Field::Authorization];

/// One invocation of the generated log.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    /// `field/material`, e.g. `SourceIp/zwsp`: what a failure names.
    pub name: String,
    /// Its number in the corpus, which its tokens spell.
    pub number: usize,
    /// Its request id (distinct per case).
    pub id: String,
    /// Epoch ms of its START line.
    pub start_ms: i64,
    /// The messages of its log events, in order, as bytes (the material may not be UTF-8).
    pub messages: Vec<Vec<u8>>,
    /// Whether its log holds bytes that are not UTF-8 (a JSON container cannot carry them).
    pub invalid_utf8: bool,
    /// The token the caller sent, as logged.
    pub token: Vec<u8>,
    /// Whether the authorizer let it in (its tokens and IPs equal, byte for byte).
    pub allowed: bool,
}

/// The prefix every token of the corpus begins with: nothing else in a log or an output spells it,
/// so a scan for it finds every token shown (see `invariants::find_leaks`).
pub(crate) const TOKEN_MARK: &str = "ZQk";

/// Letters of a token: `kind` (`A` allowed, `R` received) and the case number, then letters that a
/// fixed-seed generator chose.
fn token_core(case: usize, kind: char, rng: &mut u64) -> String {
    let mut out = format!("{TOKEN_MARK}{case:04}{kind}");
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for _ in 0..10 {
        // xorshift64: deterministic, no dependency.
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        out.push(char::from(ALNUM[(*rng % ALNUM.len() as u64) as usize]));
    }
    out
}

/// The length of a core token: the mark, 4 digits, the kind, 10 letters.
pub(crate) const TOKEN_CORE_LEN: usize = TOKEN_MARK.len() + 4 + 1 + 10;

/// The first day of the corpus (2025-07-11T00:00:00Z); cases are a second apart.
const DAY_MS: i64 = 1_752_192_000_000;

/// Every material tried in `field`.
fn materials(field: Field) -> Vec<(String, Material)> {
    let mut out = vec![("allowed-token".to_string(), Material::AllowedToken)];
    out.extend(
        BYTES
            .iter()
            .map(|(name, b)| (name.to_string(), Material::Bytes(name, b))),
    );
    out.push(("100KiB".into(), Material::Oversized(BIG)));
    if HUGE_FIELDS.contains(&field) {
        out.push(("over-1MiB".into(), Material::Oversized(HUGE)));
    }
    if field == Field::Token {
        out.push(("header-flood".into(), Material::HeaderFlood));
        out.push(("bytes-differ".into(), Material::BytesDiffer));
    }
    out
}

/// The corpus, the same every time: every field × every material, half of them sent by an
/// allowed caller (so that both decisions carry the material).
pub(crate) fn cases() -> Vec<Case> {
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::new();
    for field in FIELDS {
        for (material_name, material) in materials(field) {
            let n = out.len();
            out.push(case(n, field, &material_name, material, &mut rng));
        }
    }
    out
}

/// The bytes of `material` (for the fields that carry it as text).
fn material_bytes(material: Material, allowed: &[u8]) -> Vec<u8> {
    match material {
        Material::AllowedToken => allowed.to_vec(),
        Material::Bytes(_, b) => b.to_vec(),
        Material::Oversized(n) => "Ab9".repeat(n / 3).into_bytes(),
        Material::HeaderFlood | Material::BytesDiffer => Vec::new(),
    }
}

fn case(n: usize, field: Field, material_name: &str, material: Material, rng: &mut u64) -> Case {
    let id = format!("{n:08x}-4a5b-4c6d-8e7f-{:012x}", n * 7919);
    let allowed_core = token_core(n, 'A', rng);
    let received_core = token_core(n, 'R', rng);
    let sent_allowed = n.is_multiple_of(2);
    let mut allowed_token = allowed_core.clone().into_bytes();
    let mut token = if sent_allowed {
        allowed_token.clone()
    } else {
        received_core.into_bytes()
    };
    let mut source_ip = b"203.0.113.10".to_vec();
    let mut allowed_ip = b"203.0.113.10".to_vec();
    let stuff = material_bytes(material, allowed_core.as_bytes());
    // On an IP line the token goes after the IP, as `Source IP: 198.51.100.23 Token: …` or
    // `Allowed IP: 203.0.113.10/<token>`; any other material is glued to the IP.
    let ip_with = |ip: &mut Vec<u8>, sep: &[u8]| match material {
        Material::AllowedToken => ip.extend([sep, &stuff[..]].concat()),
        _ => ip.extend(&stuff),
    };
    match (field, material) {
        (Field::SourceIp, _) => ip_with(&mut source_ip, b" Token: "),
        (Field::AllowedIp, _) => ip_with(&mut allowed_ip, b"/"),
        (Field::Token, Material::AllowedToken) => token = allowed_token.clone(),
        (Field::Token, Material::BytesDiffer) => {
            allowed_token.extend(b"\xff");
            token = [allowed_core.as_bytes(), b"\xfe"].concat();
        }
        (Field::Token, _) => token.extend(&stuff),
        (Field::AllowedToken, Material::AllowedToken) => {}
        (Field::AllowedToken, _) => {
            allowed_token.extend(&stuff);
            if sent_allowed {
                token = allowed_token.clone();
            }
        }
        _ => {}
    }
    let allowed = token == allowed_token && source_ip == allowed_ip;
    // The event dump's values: the token as sent, with the material in the dump's field.
    let dump_value = |f: Field| -> Vec<u8> {
        if f != field {
            // An oversized token is carried by its own lines only: a megabyte in every field
            // would cost CI time and test nothing more.
            return match material {
                Material::Oversized(_) => token[..TOKEN_CORE_LEN.min(token.len())].to_vec(),
                _ => token.clone(),
            };
        }
        match material {
            Material::AllowedToken => allowed_core.clone().into_bytes(),
            _ => [&token[..], &stuff[..]].concat(),
        }
    };
    let app = |text: &[u8]| -> Vec<u8> {
        let mut line = format!("[INFO]\t{}\t{id}\t", iso(DAY_MS + n as i64 * 1000 + 1)).into_bytes();
        line.extend(text);
        line
    };
    let line = |parts: &[&[u8]]| app(&parts.concat());
    let mut messages = vec![format!("START RequestId: {id} Version: $LATEST").into_bytes()];
    if material == Material::HeaderFlood {
        let mut flood = b"Event: {'headers': {".to_vec();
        for h in 0..40 {
            let _ = write!(FmtBytes(&mut flood), "'x-h{h}': 'Token: g{h}', ");
        }
        flood.extend(b"'accept': '*/*'}}");
        messages.push(app(&flood));
        for h in 0..40 {
            messages.push(app(format!("[INFO] Token: g{h}").as_bytes()));
        }
    }
    messages.push(line(&[b"[INFO] Source IP: ", &source_ip]));
    messages.push(line(&[b"[INFO] Token: ", &token]));
    messages.push(line(&[b"[INFO] Allowed IP: ", &allowed_ip]));
    messages.push(line(&[b"[INFO] Allowed Token: ", &allowed_token]));
    messages.push(line(&[
        b"[INFO] Event: {'headers': {'authorization': '",
        &dump_value(Field::Authorization),
        b"', 'x-api-key': '",
        &dump_value(Field::ApiKey),
        b"'}, 'identitySource': ['",
        &dump_value(Field::IdentitySource),
        b"'], 'rawQueryString': 'key=",
        &dump_value(Field::Query),
        b"&x=1'}",
    ]));
    if source_ip != allowed_ip {
        messages.push(line(&[
            "[ERROR] IPアドレスが不一致: 受信IP=".as_bytes(),
            &source_ip,
            ", 許可IP=".as_bytes(),
            &allowed_ip,
        ]));
    }
    if token != allowed_token {
        messages.push(line(&[
            "[ERROR] トークンが不一致: 受信トークン=".as_bytes(),
            &token,
            ", 許可トークン=".as_bytes(),
            &allowed_token,
        ]));
    }
    let traceback_extra: &[u8] = if field == Field::Traceback { &stuff } else { b"" };
    messages.push(line(&[
        b"[ERROR] KeyError: '",
        &dump_value(Field::KeyError),
        b"'\nTraceback (most recent call last):\n  File \"/var/task/app.py\", line 12, in handler\n    h = event['headers'][",
        traceback_extra,
        b"]",
    ]));
    if field == Field::Message {
        messages.push(line(&[b"[INFO] note: ", &stuff]));
    }
    messages.push(format!("END RequestId: {id}").into_bytes());
    messages.push(
        format!("REPORT RequestId: {id}\tDuration: 1.85 ms\tBilled Duration: 2 ms\tMemory Size: 512 MB\tMax Memory Used: 35 MB\t")
            .into_bytes(),
    );
    Case {
        name: format!("{field:?}/{material_name}"),
        number: n,
        id,
        start_ms: DAY_MS + n as i64 * 1000,
        invalid_utf8: messages.iter().any(|m| std::str::from_utf8(m).is_err()),
        messages,
        token,
        allowed,
    }
}

impl Case {
    /// The bytes of its messages.
    pub(crate) fn len(&self) -> usize {
        self.messages.iter().map(Vec::len).sum()
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn iso(ms: i64) -> String {
    crate::util::iso(ms)
}

/// `write!` into bytes.
struct FmtBytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for FmtBytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend(s.as_bytes());
        Ok(())
    }
}

#[test]
fn the_corpus_is_a_few_hundred_distinct_cases_of_both_decisions() {
    let cases = cases();
    assert!((150..600).contains(&cases.len()), "{} cases", cases.len());
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases.len(), "case names are distinct");
    assert!(cases.iter().any(|c| c.allowed) && cases.iter().any(|c| !c.allowed));
    let differ = cases
        .iter()
        .find(|c| c.name == "Token/bytes-differ")
        .expect("the bytes case");
    assert!(!differ.allowed, "tokens differing only in invalid bytes are a denial");
}
