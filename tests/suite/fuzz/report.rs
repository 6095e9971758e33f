//! `report`'s whole path under fuzzing: source → parse → group → decide → analyze → every renderer
//! (table, JSON, CSV, the `--requests` rows in CSV and JSON lines), on arbitrary bytes, on mutated
//! lines fed as events, and on mutated lines in every container.

use std::ops::ControlFlow;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::strategies::{self, Container, Scenario};
use super::{adapter, check, runner};
use crate::analyze::AnalyzeConfig;
use crate::decision::Verdict;
use crate::engine::{InvocationSink, Pipeline, PipelineConfig};
use crate::group::{GroupConfig, Invocation};
use crate::i18n::Lang;
use crate::redact::{escape_control, TokenDisplay};
use crate::render::live::{summary_line, TailSummary};
use crate::render::requests::{request_row, RequestFormat, RequestWriter, CSV_HEADER};
use crate::render::{csv, html, json, table, TableStyle};
use crate::report::Report;
use crate::source::{EventSink, LogEvent};

/// `--requests` in both formats at once, as `report` writes them.
struct Requests {
    csv: RequestWriter<Vec<u8>>,
    lines: RequestWriter<Vec<u8>>,
    tokens: TokenDisplay,
    rows: usize,
}

impl Requests {
    fn new(tokens: TokenDisplay) -> Requests {
        Requests {
            csv: RequestWriter::new(Vec::new(), RequestFormat::Csv),
            lines: RequestWriter::new(Vec::new(), RequestFormat::JsonLines),
            tokens,
            rows: 0,
        }
    }

    /// Both outputs, checked: CSV of 13 columns under its header, one JSON object a line.
    fn finish(self, secret: Option<&str>) -> Result<(), TestCaseError> {
        let csv = self.csv.finish().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let lines = self.lines.finish().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let csv = String::from_utf8(csv).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let lines = String::from_utf8(lines).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let records = check::csv(&csv, Some(CSV_HEADER.len()), "--requests CSV")?;
        prop_assert_eq!(
            records,
            self.rows + 1,
            "one CSV record per invocation, after the header"
        );
        check::json_lines(&lines, "--requests JSON lines")?;
        prop_assert_eq!(lines.lines().count(), self.rows);
        for (text, what) in [(&csv, "--requests CSV"), (&lines, "--requests JSON lines")] {
            check::terminal_safe(text, false, what)?;
            if let Some(s) = secret {
                check::no_secret(text, s, what)?;
            }
        }
        Ok(())
    }
}

impl InvocationSink for Requests {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()> {
        let row = request_row(inv, verdict, self.tokens);
        let written = self.csv.write(&row).and_then(|()| self.lines.write(&row));
        self.rows += 1;
        if written.is_err() {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

/// The terminal width the table is also rendered at.
const FUZZ_WIDTH: u16 = 60;

/// Every report renderer on `report`: JSON parses, CSV parses into `key,value` rows, nothing a
/// terminal acts on but `authlogs`'s own colors, and no allowed token while tokens are masked.
fn check_report(report: &Report, color: bool, secret: Option<&str>) -> Result<(), TestCaseError> {
    let json_text = json::render(report);
    let value = check::json(&json_text, "the JSON report")?;
    prop_assert_eq!(value["schema"].as_str(), Some("authlogs.report/v1"));
    prop_assert!(
        report.timeline.buckets.len() <= crate::analyze::MAX_TIMELINE_BUCKETS,
        "{} timeline buckets",
        report.timeline.buckets.len()
    );
    let csv_text = csv::render(report);
    check::csv(&csv_text, Some(2), "the CSV report")?;
    // Colored runs render in Japanese (double-width text in every column): no strategy changes.
    let lang = if color { Lang::Ja } else { Lang::En };
    let style = TableStyle {
        color,
        local_time: color,
        width: None,
        lang,
    };
    let table_text = table::render(report, &style);
    // On a terminal: every line fits its width, whatever the log put in the report.
    let fitted = table::render(
        report,
        &TableStyle {
            width: Some(FUZZ_WIDTH),
            ..style
        },
    );
    let widest = table::widest(&fitted);
    prop_assert!(
        widest <= usize::from(FUZZ_WIDTH),
        "a line of {widest} cells at width {FUZZ_WIDTH}:\n{fitted}"
    );
    check::terminal_safe(&fitted, color, "the table at a terminal's width")?;
    let mut damage = String::new();
    for e in &report.input_errors {
        damage.push_str(&escape_control(&e.to_string()));
        damage.push('\n');
    }
    let html_text = html::render(report, lang);
    check::html(&html_text, "the HTML report")?;
    if let Some(s) = secret {
        check::no_secret(&html_text, s, "the HTML report")?;
    }
    let summary = summary_line(report, &TailSummary::default(), lang);
    for (text, what, sgr) in [
        (&json_text, "the JSON report", false),
        (&csv_text, "the CSV report", false),
        (&table_text, "the table", color),
        (&damage, "the damaged-input messages", false),
        (&summary, "tail's summary line", false),
    ] {
        check::terminal_safe(text, sgr, what)?;
        if let Some(s) = secret {
            check::no_secret(text, s, what)?;
        }
    }
    Ok(())
}

/// What a run is configured with, including the odd values the CLI would not let through.
fn pipeline_config() -> impl Strategy<Value = PipelineConfig> {
    let bound = prop_oneof![
        6 => Just(None),
        1 => strategies::event_time(),
    ];
    let group = prop_oneof![
        1 => Just(GroupConfig::default()),
        2 => (1u64..16, 1u64..64, 0usize..8, any::<i64>(), any::<i64>()).prop_map(|(grace, stale, remembered, grace_ms, idle_ms)| {
            GroupConfig {
                grace_lines: grace,
                stale_lines: stale,
                remembered,
                grace_ms,
                incomplete_after_ms: idle_ms,
            }
        }),
    ];
    let analyze = (
        prop_oneof![3 => 0usize..8, 1 => Just(usize::MAX)],
        prop_oneof![3 => Just(600_000i64), 1 => any::<i64>(), 1 => Just(i64::MAX)],
        prop_oneof![5 => Just(None), 1 => select_price()],
    )
        .prop_map(|(guess_threshold, guess_window_ms, price)| AnalyzeConfig {
            guess_threshold,
            guess_window_ms,
            usd_per_gb_second: price.unwrap_or(crate::analyze::DEFAULT_USD_PER_GB_SECOND),
            // Japanese findings in half the runs, without changing the strategy (and so the
            // stored regressions).
            lang: if guess_threshold % 2 == 1 { Lang::Ja } else { Lang::En },
            ..AnalyzeConfig::default()
        });
    (bound.clone(), bound, group, analyze).prop_map(|(since_ms, until_ms, group, analyze)| PipelineConfig {
        since_ms,
        until_ms,
        group,
        analyze,
    })
}

fn select_price() -> impl Strategy<Value = Option<f64>> {
    proptest::sample::select(vec![0.0, 1e300, f64::MAX, f64::MIN_POSITIVE]).prop_map(Some)
}

/// Runs `feed` into a pipeline with a `--requests` sink, then checks every output.
fn run_report(
    config: PipelineConfig,
    secret: Option<&str>,
    color: bool,
    feed: impl FnOnce(&mut Pipeline<'_>) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let mut requests = Requests::new(TokenDisplay::Masked);
    let mut pipeline = Pipeline::new(strategies::parser(), config, Some(&mut requests));
    feed(&mut pipeline)?;
    let report = pipeline.finish();
    prop_assert_eq!(report.decisions.total(), report.invocations);
    prop_assert!(report.denials.both <= report.denials.ip_mismatch.min(report.denials.token_mismatch));
    check_report(&report, color, secret)?;
    requests.finish(secret)
}

#[test]
fn arbitrary_bytes_in_any_format() {
    let strategy = (
        strategies::bytes(),
        strategies::format(),
        any::<bool>(),
        vec(1usize..64, 1..4),
    );
    runner::run(
        "arbitrary bytes in any format",
        8_000,
        strategy,
        |(bytes, format, live, chunks)| {
            run_report(PipelineConfig::default(), None, live, |p| {
                let chunks = live.then_some(chunks.as_slice());
                // A read error (damaged gzip, say) is an answer too; a panic is not.
                let _ = adapter::read(&bytes, format, chunks, p);
                Ok(())
            })
        },
    );
}

#[test]
fn mutated_lines_as_events() {
    let strategy = (
        strategies::scenario(),
        pipeline_config(),
        vec(
            prop_oneof![3 => Just(None), 1 => strategies::tick_time().prop_map(Some)],
            1..8,
        ),
        any::<bool>(),
    );
    runner::run(
        "mutated lines as events",
        8_000,
        strategy,
        |(scenario, config, ticks, color)| {
            let Scenario { secret, events } = &scenario;
            run_report(config, Some(secret), color, |p| {
                for (i, e) in events.iter().enumerate() {
                    let flow = p.event(&LogEvent {
                        timestamp_ms: e.timestamp_ms,
                        stream: &e.stream,
                        message: &e.message,
                    });
                    if flow.is_break() {
                        break;
                    }
                    // Now and then a live run's clock, and a look at its report so far.
                    if let Some(now) = ticks[i % ticks.len()] {
                        p.tick(now);
                    }
                    // In one case of four, a look at the report so far, as `tail` takes it.
                    if i == events.len() / 2 && events.len() % 4 == 0 {
                        check_report(&p.snapshot(), false, Some(secret))?;
                    }
                }
                Ok(())
            })
        },
    );
}

#[test]
fn mutated_lines_in_every_container() {
    let strategy = (
        strategies::scenario(),
        strategies::container(),
        any::<u64>(),
        prop_oneof![3 => Just(None), 1 => strategies::format().prop_map(Some)],
        prop_oneof![3 => Just(None), 1 => vec(1usize..200, 1..4).prop_map(Some)],
    );
    runner::run(
        "mutated lines in every container",
        8_000,
        strategy,
        |(scenario, container, bits, format, chunks): (Scenario, Container, u64, _, Option<Vec<usize>>)| {
            let bytes = strategies::wrap(&scenario.events, container, bits);
            // The container's own format, or `auto` to detect it, or now and then a wrong one.
            let format = format.unwrap_or(if bits & 1 == 0 {
                container.format()
            } else {
                crate::source::InputFormat::Auto
            });
            run_report(PipelineConfig::default(), Some(&scenario.secret), false, |p| {
                let _ = adapter::read(&bytes, format, chunks.as_deref(), p);
                Ok(())
            })
        },
    );
}
