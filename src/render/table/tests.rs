//! Tests of the table: its snapshots, escaped log text, the Japanese labels, and fitting a width.

use super::fit::{display_width, widest, wrap};
use super::sections::decimals_for;
use super::timeline::{cells, BAR_WIDTH};
use super::{render, TableStyle};
use crate::i18n::Lang;
use crate::redact::escape_control;
use crate::render::fixtures;
use crate::report::InputError;
use crate::report::{DeniedIp, Report};

const PLAIN: TableStyle = TableStyle {
    color: false,
    local_time: false,
    width: None,
    lang: Lang::En,
};

const JAPANESE: TableStyle = TableStyle {
    lang: Lang::Ja,
    ..PLAIN
};

#[test]
fn realistic_report() {
    insta::assert_snapshot!(render(&fixtures::realistic(), &PLAIN));
}

#[test]
fn realistic_report_in_japanese() {
    let mut report = fixtures::realistic();
    report.findings = samples_report(Lang::Ja).findings;
    insta::assert_snapshot!(render(&report, &JAPANESE));
}

#[test]
fn report_with_callers() {
    insta::assert_snapshot!(render(&fixtures::with_callers(), &PLAIN));
}

#[test]
fn report_with_callers_in_japanese() {
    insta::assert_snapshot!(render(&fixtures::with_callers(), &JAPANESE));
}

/// The callers section's log text (error texts, caller IPs, the first unreadable record) is
/// escaped, fits 80 columns, and never shows a token.
#[test]
fn callers_log_text_is_escaped_and_fits() {
    let report = fixtures::hostile_callers();
    for lang in [Lang::En, Lang::Ja] {
        for color in [false, true] {
            let style = TableStyle {
                color,
                local_time: false,
                width: Some(80),
                lang,
            };
            let text = render(&report, &style);
            assert!(text.lines().all(|l| display_width(l) <= 80), "{lang:?}\n{text}");
            assert!(!text.contains('\x07') && !text.contains('\u{202e}'), "{text}");
            assert!(!text.contains("\x1b[2J") && !text.contains("\x1b]"), "{text}");
            assert_eq!(color, text.contains('\x1b'), "only colors are escapes");
            let all = squeezed(&text);
            for shown in [
                "\\x1b[2J\\x1b]0;pwned\\x07<script>alert(1)</script>",
                "=HYPERLINK(\"http://evil.example/\",\"x\")\u{a0}×\u{a0}30",
                "\\x07\\u{202e}<script>x</script>",
                "$context.authorizer.ip",
            ] {
                assert!(all.contains(&squeezed(shown)), "{shown} in\n{text}");
            }
            assert!(!text.contains("tok:") && !text.contains("Ab12Xy34"));
        }
    }
    let plain = render(&report, &PLAIN);
    for row in [
        " requests                  1260           the authorizer ran for 402 of them\n",
        " cached allow               702   55.7%   no invocation: API Gateway reused a cached allow\n",
        " invocations with no API request   10\n",
    ] {
        assert!(plain.contains(row), "{row} in\n{plain}");
    }
    assert!(plain.contains(" by status                         no status\u{a0}×\u{a0}1 · 200\u{a0}×\u{a0}1008 · "));
}

/// Access logs with no invocation read (every answer came from the cache): the callers are
/// still shown; a basis that cannot tell cached decisions for another IP says so instead of 0.
#[test]
fn callers_without_invocations_or_a_basis() {
    let mut report = fixtures::empty();
    let mut callers = fixtures::callers();
    callers.cached_other_ip = 0;
    callers.cached_other_ip_basis = "none";
    callers.cached_other_ip_callers.clear();
    callers.fresh.unknown = 0;
    callers.join = crate::report::Join {
        method: "none",
        window_ms: 2500,
        without_ip_or_time: 3,
        ..Default::default()
    };
    report.callers = Some(callers);
    let text = render(&report, &PLAIN);
    assert!(text.contains("no invocations found\n\nWhat callers saw"), "{text}");
    assert!(text.contains(
        " cached decision for another IP    cannot be told: add $context.authorizer.ip to the access-log format"
    ));
    assert!(text.contains(
        " join                              no request matched an invocation: 0 by request id, 0 by IP and time within 2500 ms, 0 ambiguous, 3 without IP or time\n"
    ), "{text}");
    assert!(!text.contains("decision unknown"));
    assert!(!text.contains("Decisions"));
}

/// Every heading, label and fixed phrase of the table is translated: none of the English
/// ones is left in the Japanese table (whose numbers, names and log text are the same).
#[test]
fn the_japanese_table_has_no_english_heading_or_label() {
    let mut report = fixtures::with_callers();
    report.findings = samples_report(Lang::Ja).findings;
    report.top_denied_ips_exact = false;
    report.source = Some(crate::report::SourceInfo {
        scan: Some(crate::report::ScanInfo {
            queries: 3,
            bytes_scanned: 1_500_000,
            estimated_cost_usd: 0.0075,
            ..Default::default()
        }),
        ..Default::default()
    });
    report.input.oversized_lines = 1;
    report.input.filtered_events = 2;
    report.input.invalid_utf8_lines = 3;
    let english = render(&report, &PLAIN);
    let japanese = render(&report, &JAPANESE);
    for word in [
        "authlogs report",
        "window",
        "invocations",
        "PARTIAL",
        "input error",
        "Decisions",
        "allowed",
        "denied",
        "incomplete",
        "Denial reasons",
        "mismatch",
        "Top denied IPs",
        "lower bound",
        "Duration",
        "billed",
        "MB size",
        "max used",
        "Cold starts",
        "snapstart",
        "Cost",
        "GB-seconds",
        "per million",
        "Timeline",
        "buckets",
        "severity",
        "Findings",
        "Input",
        "unrecognized",
        "oversized",
        "filtered",
        "queries scanned",
        "approximate parts",
        "high",
        "What callers saw",
        "access logs",
        "fresh allow",
        "cached allow",
        "cached deny",
        "identity missing",
        "authorizer failed",
        "authorizer ran",
        "most frequent error",
        "no status",
        "by status",
        "another IP",
        "IP check",
        "no API request",
        "by request id",
        "ambiguous",
        "unreadable",
    ] {
        assert!(english.contains(word), "{word} is not in the English table");
        assert!(!japanese.contains(word), "{word} is in the Japanese table:\n{japanese}");
    }
    for word in [
        "authlogs レポート",
        "判定",
        "許可",
        "拒否",
        "タイムアウト",
        "拒否の理由",
        "検出事項",
        "重要度",
        "コールドスタート",
        "推移 (1 時間ごと、UTC)",
        "呼び出し元が受け取った応答",
        "キャッシュで許可",
        "401 認証情報なし",
        "オーソライザー失敗 (500)",
        "別の IP 向けのキャッシュ判定",
        "突き合わせ",
    ] {
        assert!(japanese.contains(word), "{word} is not in\n{japanese}");
    }
    // The same numbers, names and log text in both.
    for same in [
        "203.0.113.9",
        "2998.77",
        "$0.0000862",
        "logs/2025/07/11/000001.gz",
        "secret_logged",
    ] {
        assert!(english.contains(same) && japanese.contains(same), "{same}");
    }
}

#[test]
fn empty_report() {
    insta::assert_snapshot!(render(&fixtures::empty(), &PLAIN));
}

#[test]
fn log_text_cannot_carry_escapes() {
    let mut report = fixtures::realistic();
    report.top_denied_ips[0].ip = "203.0.113.9\x1b[2J".into();
    report.input_errors.push(InputError {
        input: "-".into(),
        position: "line 7".into(),
        message: "bad \x1b[2J\x07 line".into(),
    });
    report.findings[1].message = "crafted \u{9b}2J message".into();
    for color in [false, true] {
        let text = render(
            &report,
            &TableStyle {
                color,
                local_time: false,
                width: None,
                lang: Lang::En,
            },
        );
        assert!(!text.contains("\x1b[2J"), "{text}");
        assert!(!text.contains('\u{9b}') && !text.contains('\x07'));
        assert!(text.contains("203.0.113.9\\x1b[2J"));
        assert!(text.contains("-: line 7: bad \\x1b[2J\\x07 line"));
    }
    assert!(!render(&report, &PLAIN).contains('\x1b'));
}

#[test]
fn plain_has_no_escapes_and_color_only_styles_words() {
    let report = fixtures::realistic();
    let plain = render(&report, &PLAIN);
    assert!(!plain.contains('\x1b'));
    let colored = render(
        &report,
        &TableStyle {
            color: true,
            local_time: false,
            width: None,
            lang: Lang::En,
        },
    );
    assert!(colored.contains('\x1b'));
    // Removing the color sequences gives back the plain text, line for line.
    let mut stripped = String::new();
    let mut rest = colored.as_str();
    while let Some(at) = rest.find('\x1b') {
        stripped.push_str(&rest[..at]);
        let end = rest[at..].find('m').map_or(rest.len(), |m| at + m + 1);
        rest = &rest[end..];
    }
    stripped.push_str(rest);
    assert_eq!(stripped, plain);
}

#[test]
fn empty_report_says_so_without_dividing_by_zero() {
    let mut report = fixtures::empty();
    report.input.events = 12;
    report.input.unrecognized_lines = 12;
    let text = render(&report, &PLAIN);
    assert!(text.contains("no invocations found"));
    assert!(text.contains("unrecognized lines"));
    assert!(!text.contains("NaN") && !text.contains("inf"));
    assert!(!text.contains("Decisions"));
}

#[test]
fn lower_bound_and_long_lists() {
    let mut report = fixtures::realistic();
    report.top_denied_ips_exact = false;
    report.top_denied_ips = (0..12)
        .map(|i| DeniedIp {
            ip: format!("192.0.2.{i}"),
            count: 20 - i,
            ip_mismatch: 20 - i,
            token_mismatch: 0,
        })
        .collect();
    let text = render(&report, &PLAIN);
    assert!(text.contains("Top denied IPs (lower bound)"));
    assert!(text.contains("192.0.2.9 ") && !text.contains("192.0.2.10 "));
    assert!(text.contains("… 2 more"));
}

#[test]
fn timeline_spanning_days_shows_dates() {
    let mut report = fixtures::realistic();
    report.timeline.bucket_seconds = 43_200;
    report.timeline.buckets.truncate(3);
    for (b, start) in report
        .timeline
        .buckets
        .iter_mut()
        .zip(["2025-07-10T12:00:00Z", "2025-07-11T00:00:00Z", "x"])
    {
        b.start = start.into();
        b.other = 0;
    }
    let text = render(&report, &PLAIN);
    assert!(
        text.contains("Timeline (12 h buckets, UTC)  █ allowed ▒ denied\n"),
        "{text}"
    );
    assert!(text.contains(" 2025-07-10 12:00 ") && text.contains(" 2025-07-11 00:00 "));
    assert!(!text.contains("other"));
}

/// The report of the shipped `samples/filter-log-events.json` (long findings), its findings
/// in `lang`.
fn samples_report(lang: Lang) -> Report {
    use crate::analyze::AnalyzeConfig;
    use crate::engine::{Pipeline, PipelineConfig, Threads};
    use crate::source::{InputFormat, ReadOptions};
    let config = PipelineConfig {
        analyze: AnalyzeConfig {
            lang,
            ..AnalyzeConfig::default()
        },
        ..PipelineConfig::default()
    };
    let mut p = Pipeline::new(crate::parse::Parser::new(crate::Patterns::builtin()), config, None);
    let input = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/filter-log-events.json");
    p.read_inputs(
        &[input],
        ReadOptions::new(InputFormat::Auto),
        Threads::Fixed(1),
        8 << 20,
    )
    .expect("the samples read");
    p.finish()
}

/// The realistic report with findings far longer than a terminal line, one of them Japanese
/// (double-width, without spaces), and a long input error and IP.
fn long_texts_report() -> Report {
    let mut report = fixtures::realistic();
    report.findings[0].message = "the allowed token is written to the log in plain text on every single \
        invocation of the authorizer, so that anyone who may read the log group (developers, support \
        staff, log shipping pipelines, third-party observability vendors) can call the API as any client"
        .into();
    report.findings[0].advice = "Remove the 'Allowed Token' log line, rotate the token at once, and expire \
        the old log events that hold it (a retention policy or a one-off deletion)."
        .into();
    report.findings[1].message =
        "トークンがログに平文で書き込まれています。ロググループを読めるすべての人がAPIを呼び出せます。".into();
    report.findings[1].advice = "ログ行を削除し、トークンを直ちに更新してください。".into();
    report.findings[2].message = format!("a-very-long-unbroken-word-{} ends here", "x".repeat(120));
    report.input_errors[0].input = format!("logs/{}/000001.gz", "deeply/nested/directory".repeat(6));
    report.top_denied_ips[0].ip = "2001:0db8:85a3:0000:0000:8a2e:0370:7334".into();
    report
}

/// Text without ANSI colors or any whitespace: what a wrapped text reads as, whatever its breaks.
fn squeezed(text: &str) -> String {
    let mut plain = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        plain.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = &rest[rest.find('m').map_or(rest.len(), |m| m + 1)..];
    }
    plain.push_str(rest);
    plain.split_whitespace().collect()
}

/// The reports the width tests render, in English and in Japanese (the samples' findings in
/// the language of the table).
fn width_cases() -> Vec<(&'static str, Lang, Report)> {
    let mut cases = Vec::new();
    for lang in [Lang::En, Lang::Ja] {
        cases.push(("samples", lang, samples_report(lang)));
        cases.push(("realistic", lang, fixtures::realistic()));
        cases.push(("long texts", lang, long_texts_report()));
        cases.push(("hostile callers", lang, fixtures::hostile_callers()));
    }
    cases
}

#[test]
fn every_line_fits_the_width_and_keeps_every_word() {
    for (name, lang, report) in width_cases() {
        assert!(!report.findings.is_empty(), "{name}");
        let l = lang.labels();
        let ips_title = format!("\n{}\n", l.top_denied_ips_title);
        let timeline_title = l.timeline_title.split('(').next().unwrap_or_default();
        for width in [80, 100, 60] {
            for color in [false, true] {
                let style = TableStyle {
                    color,
                    local_time: false,
                    width: Some(width),
                    lang,
                };
                let text = render(&report, &style);
                for line in text.lines() {
                    assert!(
                        display_width(line) <= usize::from(width),
                        "{name} ({lang:?}) at {width}: {} cells: {line}\n{text}",
                        display_width(line)
                    );
                }
                // Only a column's own text is on its continuation lines: the message and its
                // advice read on, in order, once the breaks are taken out.
                let all = squeezed(&text);
                for f in &report.findings {
                    let message = squeezed(&escape_control(&format!("{} {}", f.message, f.advice)));
                    assert!(all.contains(&message), "{name} at {width}: {message} is not in\n{text}");
                    for word in f.message.split_whitespace().chain(f.advice.split_whitespace()) {
                        assert!(all.contains(word), "{name} at {width}: {word}");
                    }
                    assert!(text.contains(&format!(" {} ", f.kind)), "{name} at {width}: {}", f.kind);
                }
                // A long address wraps in its column (its parts start the lines), the counts
                // stay whole.
                let ips: String = text
                    .split(ips_title.as_str())
                    .nth(1)
                    .and_then(|rest| rest.split("\n\n").next())
                    .expect("the top denied IPs")
                    .lines()
                    .skip_while(|l| !l.starts_with('─'))
                    .skip(1)
                    .filter_map(|l| l.strip_prefix(' ').filter(|l| !l.starts_with(' ')))
                    .filter_map(|l| l.split_whitespace().next())
                    .collect();
                let expected: String = report.top_denied_ips.iter().map(|ip| ip.ip.as_str()).collect();
                assert_eq!(ips, expected, "{name} at {width}\n{text}");
                for error in &report.input_errors {
                    assert!(all.contains(&squeezed(&error.input)), "{name} at {width}");
                }
                // Every bucket still has its bar, the largest the longest.
                let bars = text
                    .lines()
                    .filter(|l| !l.starts_with(timeline_title))
                    .filter(|l| l.contains('█') || l.contains('▒') || l.contains('░'))
                    .count();
                let busy = report
                    .timeline
                    .buckets
                    .iter()
                    .filter(|b| b.allowed + b.denied + b.other > 0);
                assert_eq!(bars, busy.count(), "{name} at {width}\n{text}");
            }
        }
    }
}

#[test]
fn without_a_width_or_with_room_the_tables_are_as_wide_as_their_content() {
    let mut cases = width_cases();
    cases.push(("empty", Lang::En, fixtures::empty()));
    cases.push(("empty", Lang::Ja, fixtures::empty()));
    for (name, lang, report) in cases {
        let plain = TableStyle { lang, ..PLAIN };
        let piped = render(&report, &plain);
        let room = u16::try_from(widest(&piped)).expect("narrower than u16::MAX");
        for width in [room, room + 1, u16::MAX] {
            let style = TableStyle {
                width: Some(width),
                ..plain
            };
            assert_eq!(render(&report, &style), piped, "{name} ({lang:?}) at {width}");
        }
        assert_ne!(
            render(
                &report,
                &TableStyle {
                    width: Some(room - 1),
                    ..plain
                }
            ),
            piped,
            "{name} ({lang:?})"
        );
    }
}

#[test]
fn a_narrow_width_shrinks_bars_and_lists_the_durations() {
    let report = fixtures::realistic();
    let text = render(
        &report,
        &TableStyle {
            width: Some(50),
            ..PLAIN
        },
    );
    assert!(text.lines().all(|l| display_width(l) <= 50), "{text}");
    // The largest bucket (62 + 38 + 2) keeps the longest bar.
    let bar = |line: &str| line.chars().filter(|c| matches!(c, '█' | '▒' | '░')).count();
    let longest = text.lines().map(bar).max().unwrap_or(0);
    let line = text
        .lines()
        .find(|l| l.starts_with(" 02:00 "))
        .expect("the 02:00 bucket");
    assert_eq!(bar(line), longest, "{text}");
    assert!(longest < BAR_WIDTH as usize);
    // Seven numbers do not fit side by side: one a row, never broken.
    assert!(text.contains("\n max   2998.77\n"), "{text}");
    // The price line wraps under itself.
    assert!(
        text.contains("\n at $0.0000166667 per GB-second and $0.20 per\n million requests\n"),
        "{text}"
    );
}

#[test]
fn wrapping_measures_cells_and_breaks_only_words_wider_than_a_line() {
    assert_eq!(wrap("short", Some(10)), ["short"]);
    assert_eq!(wrap("  two  spaces kept", None), ["  two  spaces kept"]);
    assert_eq!(
        wrap(" at one two three four", Some(10)),
        [" at one", " two three", " four"]
    );
    assert_eq!(
        wrap(" at one two three four", Some(9)),
        [" at one", " two", " three", " four"]
    );
    // Double-width characters count two cells.
    assert_eq!(wrap("トークン ログ", Some(9)), ["トークン", "ログ"]);
    assert_eq!(wrap("トークンログ", Some(5)), ["トー", "クン", "ログ"]);
    assert_eq!(wrap("abcdefghij k", Some(4)), ["abcd", "efgh", "ij k"]);
    assert_eq!(display_width("\x1b[38;5;9mhigh\x1b[39m ト"), 7);
    assert_eq!(widest("ab\nトークン\n"), 8);
}

#[test]
fn bars_scale_to_the_largest_bucket() {
    assert_eq!(cells(100, 100, BAR_WIDTH), 40);
    assert_eq!(cells(1, 1000, BAR_WIDTH), 1);
    assert_eq!(cells(0, 10, BAR_WIDTH), 0);
    assert_eq!(cells(5, 0, BAR_WIDTH), 0);
    assert_eq!(cells(u64::MAX, u64::MAX, BAR_WIDTH), 40);
    assert_eq!(cells(50, 100, 7), 4);
    assert_eq!(cells(5, 10, 0), 0);
    assert_eq!(decimals_for(0.000123, 3), 6);
    assert_eq!(decimals_for(12.5, 3), 1);
}

#[test]
fn skipped_and_repeated_access_records_are_counted_in_the_callers_section_only_when_there() {
    let plain = render(&fixtures::with_callers(), &PLAIN);
    let mut report = fixtures::with_callers();
    let callers = report.callers.as_mut().expect("callers");
    callers.filtered_records = 2;
    callers.duplicate_records = 392;
    let text = render(&report, &PLAIN);
    for (label, count) in [
        ("access-log records outside the window (skipped)", "2"),
        ("access-log records repeating a request id (counted once)", "392"),
    ] {
        let line = text.lines().find(|l| l.contains(label)).expect(label);
        assert!(line.trim_end().ends_with(count), "{line}");
        assert!(!plain.contains(label), "absent when none");
    }
    assert!(render(&report, &JAPANESE).contains("期間外のアクセスログレコード"));
}
