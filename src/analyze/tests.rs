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
    let mut a = Analyzer::new(AnalyzeConfig::default());
    for (i, tok) in ["a1", "a2", "a3", "a1"].iter().enumerate() {
        let mut v = inv(i as u64, "192.0.2.66", tok, 1000);
        v.auth.allowed_ip = Some("111.222.333.444".into());
        a.add(&v, &decide(&v));
    }
    let r = a.finish(InputSummary::default());
    let g = r.findings.iter().find(|f| f.kind == "token_guessing").unwrap();
    assert!(g.message.contains("192.0.2.66 (3 tokens)"), "{}", g.message);
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
