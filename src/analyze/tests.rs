//! Tests of the analyzer: counts, exact percentiles, cost, top IPs, timeline and findings.

use super::*;
use crate::decision::decide;
use crate::group::{AuthEvidence, RequestKey};
use crate::parse::Metrics;

fn inv(id: u64, ip: &str, tok: &str, dur_us: u64) -> Invocation {
    Invocation {
        request_id: RequestKey::new(&format!("r{id}")),
        first_ts: Some(1_752_213_934_309 + id as i64 * 1000),
        report: Some(Metrics {
            duration_us: Some(dur_us),
            billed_ms: Some(dur_us.div_ceil(1000)),
            memory_size_mb: Some(512),
            max_memory_used_mb: Some(35),
            ..Default::default()
        }),
        auth: AuthEvidence {
            source_ip: Some(ip.into()),
            token: Some(tok.into()),
            allowed_ip: Some("203.0.113.10".into()),
            allowed_token: Some("Ab12Xy34".into()),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn exact_percentiles_and_counts() {
    let mut a = Analyzer::new(AnalyzeConfig::default());
    for i in 1..=100u64 {
        let (ip, tok) = if i % 4 == 0 {
            ("198.51.100.7", "bad")
        } else {
            ("203.0.113.10", "Ab12Xy34")
        };
        let v = inv(i, ip, tok, i * 1000);
        a.add(&v, &decide(&v));
    }
    let r = a.finish(InputSummary::default());
    assert_eq!(r.invocations, 100);
    assert_eq!(r.decisions.allowed, 75);
    assert_eq!(r.decisions.denied, 25);
    assert_eq!(r.denials.both, 25);
    let d = &r.duration_ms;
    assert_eq!(
        (d.min, d.p50, d.p90, d.p99, d.max),
        (Some(1.0), Some(50.0), Some(90.0), Some(99.0), Some(100.0))
    );
    assert_eq!(d.avg, Some(50.5));
    assert_eq!(r.billed_duration_ms.sum, 5050);
    assert_eq!(
        r.top_denied_ips,
        vec![DeniedIp {
            ip: "198.51.100.7".into(),
            count: 25,
            ip_mismatch: 25,
            token_mismatch: 25
        }]
    );
    assert!(r.findings.iter().any(|f| f.kind == "secret_logged" && f.count == 100));
    assert!(r.complete);
    // 5050 ms × 0.5 GB = 2.525 GB-s.
    assert!((r.cost.gb_seconds - 2.525).abs() < 1e-9);
    assert_eq!(r.timeline.bucket_seconds, 60);
    let total: u64 = r.timeline.buckets.iter().map(|b| b.allowed + b.denied + b.other).sum();
    assert_eq!(total, 100);
}

#[test]
fn guessing_and_invalid_allowed_ip_findings() {
    // The rule is a burst within a window (issue 15): 3 wrong tokens within 10 minutes here.
    let mut a = Analyzer::new(AnalyzeConfig {
        guess_threshold: 3,
        ..AnalyzeConfig::default()
    });
    for (i, tok) in ["a1", "a2", "a3", "a1"].iter().enumerate() {
        let mut v = inv(i as u64, "192.0.2.66", tok, 1000);
        v.auth.allowed_ip = Some("111.222.333.444".into());
        a.add(&v, &decide(&v));
    }
    let r = a.finish(InputSummary::default());
    let g = r.findings.iter().find(|f| f.kind == "token_guessing").unwrap();
    assert!(
        g.message.contains("192.0.2.66 (4 mismatches, 3 different tokens"),
        "{}",
        g.message
    );
    assert!(!g.message.contains("a1"));
    assert!(r
        .findings
        .iter()
        .any(|f| f.kind == "invalid_allowed_ip" && f.count == 4));
}

#[test]
fn empty_report() {
    let r = Analyzer::new(AnalyzeConfig::default()).finish(InputSummary::default());
    assert_eq!(r.invocations, 0);
    assert_eq!(r.duration_ms, DurationStats::default());
    assert!(r.timeline.buckets.is_empty());
    assert!(r.findings.is_empty());
}

fn at(id: u64, ts: i64, ip: &str, tok: &str) -> Invocation {
    let mut v = inv(id, ip, tok, 1000);
    v.first_ts = Some(ts);
    v
}

fn run(invocations: &[Invocation], config: AnalyzeConfig) -> Report {
    let mut a = Analyzer::new(config);
    for v in invocations {
        a.add(v, &decide(v));
    }
    a.finish(InputSummary::default())
}

fn finding<'r>(r: &'r Report, kind: &str) -> Option<&'r Finding> {
    r.findings.iter().find(|f| f.kind == kind)
}

#[test]
fn guessing_is_a_burst_within_the_window_whatever_the_order() {
    let t0 = 1_752_213_600_000;
    // Five wrong tokens from one IP within four minutes: guessing.
    let burst: Vec<Invocation> = (0..5)
        .map(|i| at(i, t0 + i as i64 * 60_000, "192.0.2.66", &format!("guess{i}")))
        .collect();
    // The same five spread over a day (a client rotating tokens): not guessing.
    let slow: Vec<Invocation> = (0..5)
        .map(|i| {
            at(
                10 + i,
                t0 + i as i64 * 3 * 3_600_000,
                "198.51.100.9",
                &format!("old{i}"),
            )
        })
        .collect();
    let all: Vec<Invocation> = burst.iter().chain(&slow).cloned().collect();
    let r = run(&all, AnalyzeConfig::default());
    let f = finding(&r, "token_guessing").unwrap_or_else(|| panic!("no guessing in {:?}", r.findings));
    assert_eq!(f.count, 1);
    assert!(
        f.message.contains("192.0.2.66 (5 mismatches, 5 different tokens"),
        "{}",
        f.message
    );
    assert!(!f.message.contains("198.51.100.9"), "{}", f.message);
    assert_eq!(
        (f.first.as_deref(), f.last.as_deref()),
        (Some("2025-07-11T06:00:00.000Z"), Some("2025-07-11T06:04:00.000Z"))
    );
    // Any order of arrival gives the same finding (threads and slices reorder invocations).
    let mut reversed = all.clone();
    reversed.reverse();
    assert_eq!(run(&reversed, AnalyzeConfig::default()).findings, r.findings);
    // A stricter window: the four-minute burst no longer fits in three minutes.
    let strict = AnalyzeConfig {
        guess_window_ms: 3 * 60_000,
        ..AnalyzeConfig::default()
    };
    assert!(finding(&run(&all, strict), "token_guessing").is_none());
}

#[test]
fn the_valid_token_from_another_ip_is_a_suspected_leak() {
    let t0 = 1_752_213_600_000;
    let calls = [
        at(1, t0, "203.0.113.10", "Ab12Xy34"),
        at(2, t0 + 1000, "198.51.100.23", "Ab12Xy34"),
        at(3, t0 + 2000, "198.51.100.23", "Ab12Xy34"),
        at(4, t0 + 3000, "192.0.2.44", "wrong"),
    ];
    let r = run(&calls, AnalyzeConfig::default());
    let f = finding(&r, "token_leak_suspected").unwrap_or_else(|| panic!("{:?}", r.findings));
    assert_eq!((f.severity, f.count), (Severity::High, 2));
    assert!(
        f.message.contains("198.51.100.23 (2×)") && !f.message.contains("192.0.2.44"),
        "{}",
        f.message
    );
    assert_eq!(f.first.as_deref(), Some("2025-07-11T06:00:01.000Z"));
    assert!(f.advice.contains("Rotate the token"));
    for f in &r.findings {
        for text in [&f.message, &f.advice] {
            assert!(
                !text.contains("Ab12Xy34") && !text.contains("wrong"),
                "a token in {}: {text}",
                f.kind
            );
        }
    }
}

#[test]
fn memory_far_above_use_is_priced_at_the_window_rate() {
    let t0 = 1_752_213_600_000;
    // 3,600 invocations of 100 ms billed at 512 MB using 35 MB, over one hour.
    let calls: Vec<Invocation> = (0..3600)
        .map(|i| {
            let mut v = at(i, t0 + i as i64 * 1000, "203.0.113.10", "Ab12Xy34");
            if let Some(m) = v.report.as_mut() {
                m.billed_ms = Some(100);
            }
            v
        })
        .collect();
    let mut a = Analyzer::new(AnalyzeConfig::default());
    for v in &calls {
        a.add(v, &decide(v));
    }
    let r = a.finish(InputSummary {
        first_event_ms: Some(t0),
        last_event_ms: Some(t0 + 3_600_000),
        ..InputSummary::default()
    });
    let f = finding(&r, "memory_overprovisioned").unwrap_or_else(|| panic!("{:?}", r.findings));
    assert_eq!(f.severity, Severity::Info);
    // 128 MB suggested: (512 - 128) / 1024 GB × 0.1 s × 3600 × 24 × 30 a month × $0.0000166667.
    let usd = 384.0 / 1024.0 * 0.1 * 3600.0 * 24.0 * 30.0 * DEFAULT_USD_PER_GB_SECOND;
    assert!(
        f.advice.contains("128 MB") && f.advice.contains(&format!("${usd:.2} a month")),
        "{}",
        f.advice
    );
}

/// Found by fuzzing: billed durations and memory sizes are whatever a REPORT line says, up to
/// u64::MAX; their sums overflowed u64, and so did the memory findings' arithmetic.
#[test]
fn sums_of_huge_billed_durations_and_memory_do_not_overflow() {
    let mut a = Analyzer::new(AnalyzeConfig::default());
    for i in 0..3 {
        let mut v = inv(i, "203.0.113.10", "Ab12Xy34", 1000);
        v.report = Some(Metrics {
            duration_us: Some(u64::MAX),
            billed_ms: Some(u64::MAX),
            memory_size_mb: Some(u64::MAX),
            max_memory_used_mb: Some(u64::MAX - i),
            ..Default::default()
        });
        a.add(&v, &decide(&v));
    }
    let r = a.finish(InputSummary::default());
    assert_eq!(r.billed_duration_ms.sum, 3 * u128::from(u64::MAX));
    assert_eq!(r.memory_mb.max_used_max, Some(u64::MAX));
    assert!(r.findings.iter().any(|f| f.kind == "memory_pressure"));
    // A tiny use of a huge size: over-provisioned, with the window from the first to the last event.
    let mut a = Analyzer::new(AnalyzeConfig::default());
    for i in 0..2 {
        let mut v = inv(i, "203.0.113.10", "Ab12Xy34", 1000);
        v.report = Some(Metrics {
            billed_ms: Some(u64::MAX),
            memory_size_mb: Some(u64::MAX),
            max_memory_used_mb: Some(u64::MAX / 4),
            ..Default::default()
        });
        a.add(&v, &decide(&v));
    }
    let input = InputSummary {
        first_event_ms: Some(i64::MIN),
        last_event_ms: Some(i64::MAX),
        ..InputSummary::default()
    };
    let r = a.finish(input);
    assert!(
        r.findings.iter().any(|f| f.kind == "memory_overprovisioned"),
        "{:?}",
        r.findings
    );
}

/// Found by fuzzing: past the largest round size (24 weeks), buckets were 30 days whatever the
/// span, so events years apart (or at the ends of i64) made millions of buckets, and memory ran out.
#[test]
fn the_timeline_has_at_most_25_buckets_for_any_span() {
    const WEEK: i64 = 604_800_000;
    for (first, last) in [
        (0, 60_000),
        (0, 24 * WEEK - 1),
        (0, 24 * WEEK),
        (0, 25 * WEEK),
        (0, 10 * 365 * 86_400_000),
        (-1, 0),
        (i64::MIN, i64::MAX),
        (i64::MIN, i64::MIN + 1),
        (i64::MAX - 1, i64::MAX),
    ] {
        let mut a = Analyzer::new(AnalyzeConfig::default());
        for (i, t) in [first, last, first / 2 + last / 2].into_iter().enumerate() {
            let mut v = inv(i as u64, "203.0.113.10", "Ab12Xy34", 1000);
            v.first_ts = Some(t);
            a.add(&v, &decide(&v));
        }
        let timeline = a.finish(InputSummary::default()).timeline;
        let n = timeline.buckets.len();
        assert!((1..=MAX_TIMELINE_BUCKETS).contains(&n), "{first}..{last}: {n} buckets");
        let total: u64 = timeline.buckets.iter().map(|b| b.allowed + b.denied + b.other).sum();
        assert_eq!(total, 3, "{first}..{last}");
        let covered = i128::from(timeline.bucket_seconds) * 1000 * n as i128;
        assert!(covered > i128::from(last) - i128::from(first), "{first}..{last}");
    }
}

#[test]
fn duration_histogram_bins_are_1_2_5_from_the_first_value_to_the_last() {
    let bins = super::histogram(&[(15, 1), (1_850, 2), (2_000, 1), (3_000_000, 1)]);
    let ends: Vec<&str> = bins.iter().map(|b| b.le_ms.as_str()).collect();
    assert_eq!(
        ends,
        [
            "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "50", "100", "200", "500", "1000", "2000",
            "5000"
        ]
    );
    let counts: Vec<u64> = bins.iter().map(|b| b.count).collect();
    // 15 µs in (10, 20]; 1.85 and 2 ms in (1, 2]; 3 s in (2, 5] s.
    assert_eq!(counts.iter().sum::<u64>(), 5);
    assert_eq!((counts[0], counts[6], counts[16]), (1, 3, 1));
    assert!(super::histogram(&[]).is_empty());
    // A value past every end stays counted.
    let huge = super::histogram(&[(u64::MAX, 2)]);
    assert_eq!(huge.iter().map(|b| b.count).sum::<u64>(), 2);
    assert_eq!(super::format_ms(500), "0.5");
    assert_eq!(super::format_ms(1_250), "1.25");
}

/// Every finding kind in one run, in English and in Japanese: the same findings (kind, severity,
/// count, times), the same values in their texts, and no English sentence left in the Japanese.
#[test]
fn findings_speak_the_configured_language() {
    use crate::i18n::Lang;
    let t0 = 1_752_213_600_000;
    let mut calls: Vec<Invocation> = (0..5)
        .map(|i| at(i, t0 + i as i64 * 60_000, "192.0.2.66", &format!("guess{i}")))
        .collect();
    // The valid token from elsewhere, a second ALLOWED_IP that is no address, a timeout, an
    // error, an incomplete invocation, a logged token, a slow and a memory-hungry one.
    calls.push(at(10, t0 + 1000, "198.51.100.23", "Ab12Xy34"));
    let mut odd = at(11, t0 + 2000, "203.0.113.10", "Ab12Xy34");
    odd.auth.allowed_ip = Some("111.222.333.444".into());
    calls.push(odd);
    let mut other_token = at(12, t0 + 3000, "203.0.113.10", "Zz99");
    other_token.auth.allowed_token = Some("Zz99".into());
    calls.push(other_token);
    let mut timeout = at(13, t0 + 4000, "203.0.113.10", "Ab12Xy34");
    timeout.timed_out = true;
    calls.push(timeout);
    let mut slow = at(14, t0 + 5000, "203.0.113.10", "Ab12Xy34");
    if let Some(m) = slow.report.as_mut() {
        m.duration_us = Some(3_000_000);
    }
    calls.push(slow);
    let mut incomplete = at(15, t0 + 6000, "203.0.113.10", "Ab12Xy34");
    incomplete.report = None;
    calls.push(incomplete);
    let mut failed = at(16, t0 + 7000, "203.0.113.10", "Ab12Xy34");
    failed.failed = true;
    calls.push(failed);
    let input = || InputSummary {
        stats: InputStats {
            invalid_utf8_lines: 1,
            oversized_lines: 2,
            first_oversized_line: Some("logs/a.log: line 9".into()),
            late_lines: 3,
            unrecognized_lines: 4,
            ..InputStats::default()
        },
        first_event_ms: Some(t0),
        last_event_ms: Some(t0 + 3_600_000),
        ..InputSummary::default()
    };
    let report = |lang| {
        let mut a = Analyzer::new(AnalyzeConfig {
            lang,
            ..AnalyzeConfig::default()
        });
        for v in &calls {
            a.add(v, &decide(v));
        }
        a.finish(input())
    };
    let (en, ja) = (report(Lang::En), report(Lang::Ja));
    let kinds: Vec<&str> = en.findings.iter().map(|f| f.kind).collect();
    for kind in [
        "secret_logged",
        "token_leak_suspected",
        "invalid_allowed_ip",
        "token_guessing",
        "timeouts",
        "errors",
        "token_logged",
        "incomplete_invocations",
        "allowed_ip_changed",
        "allowed_token_changed",
        "slow_authorizer",
        "memory_overprovisioned",
        "invalid_utf8",
        "oversized_lines",
        "late_lines",
        "unrecognized_lines",
    ] {
        assert!(kinds.contains(&kind), "{kind} is not in {kinds:?}");
    }
    assert_eq!(en.findings.len(), ja.findings.len());
    let japanese = |c: char| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c);
    for (e, j) in en.findings.iter().zip(&ja.findings) {
        assert_eq!(
            (e.kind, e.severity, e.count, &e.first, &e.last),
            (j.kind, j.severity, j.count, &j.first, &j.last)
        );
        assert_ne!(e.message, j.message, "{}", e.kind);
        assert_ne!(e.advice, j.advice, "{}", e.kind);
        for text in [&j.message, &j.advice] {
            assert!(text.chars().any(japanese), "{}: {text}", e.kind);
            assert!(
                !text.contains("Ab12Xy34") && !text.contains("guess"),
                "{}: {text}",
                e.kind
            );
        }
        // The values of the English text (addresses, counts, sizes, prices) are in the Japanese.
        for value in e
            .message
            .split(|c: char| c.is_whitespace() || "(),:'".contains(c))
            .map(|w| w.trim_end_matches('.'))
            .filter(|w| w.contains(|c: char| c.is_ascii_digit()) && !w.contains('×'))
        {
            assert!(j.message.contains(value), "{}: {value} is not in {}", e.kind, j.message);
        }
    }
    let guessing = ja
        .findings
        .iter()
        .find(|f| f.kind == "token_guessing")
        .map(|f| f.message.as_str());
    assert!(
        guessing.is_some_and(|m| m.contains("192.0.2.66 (不一致 5 回、異なるトークン 5 種類")),
        "{guessing:?}"
    );
    let leak = ja
        .findings
        .iter()
        .find(|f| f.kind == "token_leak_suspected")
        .map(|f| f.message.as_str());
    assert!(leak.is_some_and(|m| m.contains("198.51.100.23 (1 回)")), "{leak:?}");
    let memory = ja.findings.iter().find(|f| f.kind == "memory_overprovisioned");
    assert!(
        memory.is_some_and(|f| f.advice.starts_with("128 MB でも") && f.advice.contains("月に約 $")),
        "{memory:?}"
    );
    // Memory close to its size.
    let mut full = at(1, t0, "203.0.113.10", "Ab12Xy34");
    if let Some(m) = full.report.as_mut() {
        m.max_memory_used_mb = Some(500);
    }
    let pressure = |lang| {
        let config = AnalyzeConfig {
            lang,
            ..AnalyzeConfig::default()
        };
        finding(&run(std::slice::from_ref(&full), config), "memory_pressure").map(|f| f.message.clone())
    };
    assert_eq!(
        pressure(Lang::En).as_deref(),
        Some("Max memory used reached 500 MB of 512 MB: out-of-memory failures are close.")
    );
    assert_eq!(
        pressure(Lang::Ja).as_deref(),
        Some("最大メモリ使用量が 512 MB 中 500 MB に達しました。メモリ不足による失敗が起きる寸前です。")
    );
}

#[test]
fn an_ip_value_that_is_no_ip_token_is_masked_in_the_top_ips_and_every_finding() {
    let run = |tokens: TokenDisplay| {
        let mut a = Analyzer::new(AnalyzeConfig {
            guess_threshold: 2,
            tokens,
            ..AnalyzeConfig::default()
        });
        for i in 0..3u64 {
            // The allowed token from a "source IP" that holds the token: a leak, and denied.
            let mut v = inv(i, "198.51.100.23/Ab12Xy34", if i == 0 { "Ab12Xy34" } else { "g" }, 1000);
            v.auth.allowed_ip = Some("203.0.113.10/Ab12Xy34".into());
            a.add(&v, &decide(&v));
        }
        serde_json::to_string(&a.finish(InputSummary::default())).expect("json")
    };
    let masked = run(TokenDisplay::Masked);
    for kind in ["token_leak_suspected", "invalid_allowed_ip", "token_guessing"] {
        assert!(masked.contains(kind), "{kind}: {masked}");
    }
    assert!(!masked.contains("Ab12Xy34"), "{masked}");
    let shown = display_ip("198.51.100.23/Ab12Xy34", TokenDisplay::Masked).into_owned();
    assert!(shown.starts_with("text:"), "{shown}");
    // The top IP, the leak and the guessing finding name it; the allowed IP has its own hash.
    assert_eq!(masked.matches(shown.as_str()).count(), 3, "{masked}");
    let allowed = display_ip("203.0.113.10/Ab12Xy34", TokenDisplay::Masked).into_owned();
    assert!(masked.contains(&format!("ALLOWED_IP '{allowed}'")), "{masked}");
    // --show-tokens shows them as logged.
    assert!(run(TokenDisplay::Revealed).contains("198.51.100.23/Ab12Xy34"));
}
