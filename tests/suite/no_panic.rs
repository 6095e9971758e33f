//! Property tests: parse + group + analyze never panic, whatever bytes come in, and keep their counts.

use authlogs::{decide, AnalyzeConfig, Analyzer, GroupConfig, Grouper, InputSummary, Parser};
use proptest::prelude::*;

/// Fragments of real lines, so random input often gets deep into the parsers instead of failing at byte 0.
const FRAGMENTS: &[&str] = &[
    "START RequestId: ",
    "END RequestId: ",
    "REPORT RequestId: ",
    "\tDuration: ",
    " ms\tBilled Duration: ",
    "\tMemory Size: ",
    "\tInit Duration: ",
    "\tStatus: timeout",
    "\tError Type: ",
    "INIT_START ",
    "INIT_REPORT Init Duration: ",
    "[INFO]\t",
    "[ERROR]\t",
    "2025-07-11T06:05:34.309Z",
    "\t",
    " ",
    "\n",
    "d39edf81-4b21-4e3d-8ad2-7c1e92f00c82",
    "[INFO] Source IP: ",
    "[INFO] Token: ",
    "[ERROR] トークンが不一致: 受信トークン=",
    ", 許可トークン=",
    "IPアドレスが不一致: 受信IP=",
    "{\"time\":\"2024-06-17T17:23:55.902Z\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"",
    "\"metrics\":{\"durationMs\":",
    "{\"timestamp\": \"2025-07-11T06:05:34Z\", \"level\": \"INFO\", \"message\": \"",
    "\\u30c8",
    "Task timed out after ",
    "1.85",
    "99999999999999999999999",
    "-",
    "}",
    "\u{1b}[2J",
    "\u{0}",
];

fn line_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..12).prop_map(|v| v.concat()),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        ".{0,120}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn pipeline_never_panics_and_counts_every_invocation(
        lines in prop::collection::vec((0u8..3, line_strategy()), 0..60)
    ) {
        let parser = Parser::default();
        let mut grouper = Grouper::new(GroupConfig { grace_lines: 8, stale_lines: 16, remembered: 4, ..GroupConfig::default() });
        let mut analyzer = Analyzer::new(AnalyzeConfig::default());
        let mut emitted = 0u64;
        for (stream, msg) in &lines {
            let ev = parser.parse(msg);
            let name = format!("s{stream}");
            grouper.push(None, &name, ev, &mut |inv| {
                emitted += 1;
                analyzer.add(inv, &decide(inv));
            });
        }
        grouper.flush(&mut |inv| {
            emitted += 1;
            analyzer.add(inv, &decide(inv));
        });
        prop_assert_eq!(grouper.in_flight(), 0);
        let report = analyzer.finish(InputSummary::default());
        prop_assert_eq!(report.invocations, emitted);
        prop_assert_eq!(report.decisions.total(), emitted);
        prop_assert!(report.denials.both <= report.denials.ip_mismatch.min(report.denials.token_mismatch));
        prop_assert!(report.denials.token_missing <= report.denials.token_mismatch);
    }

    #[test]
    fn parser_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Parser::default().parse(&text);
    }
}
