//! `report`'s whole path under fuzzing, through the public API: arbitrary bytes and mutated lines
//! in every container, read by `app::report` (and, as `tail` reads standard input, by `app::tail`)
//! into every output (table, JSON, CSV, HTML, the `--requests` rows in CSV and JSON lines); and
//! mutated lines fed as events into a `Pipeline` of odd configurations, ticked at any time, its
//! report rendered in every format.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use authlogs::i18n::Lang;
use authlogs::report::Report;
use authlogs::{
    render, AnalyzeConfig, EventSink, GroupConfig, InputFormat, LogEvent, OutputFormat, Pipeline, PipelineConfig,
    TableStyle,
};

use super::run::{input, input_format, run};
use super::strategies::{self, Container, Scenario};
use super::{check, runner};

/// The most timeline buckets a report holds, whatever the window (the analyzer's cap).
const MAX_TIMELINE_BUCKETS: usize = 25;

/// The terminal width the table is also rendered at.
const FUZZ_WIDTH: u16 = 60;

/// The columns of a `--requests` CSV row.
const REQUEST_COLUMNS: usize = 13;

/// Every report renderer on `report`: JSON parses, CSV parses into `key,value` rows, the table fits
/// a terminal's width, nothing a terminal acts on but `authlogs`'s own colors, the HTML holds only
/// its own markup, and no allowed token while tokens are masked.
fn check_report(report: &Report, color: bool, secret: Option<&str>) -> Result<(), TestCaseError> {
    prop_assert_eq!(report.decisions.total(), report.invocations);
    prop_assert!(report.denials.both <= report.denials.ip_mismatch.min(report.denials.token_mismatch));
    prop_assert!(
        report.timeline.buckets.len() <= MAX_TIMELINE_BUCKETS,
        "{} timeline buckets",
        report.timeline.buckets.len()
    );
    // Colored runs render in Japanese (double-width text in every column): no strategy changes.
    let lang = if color { Lang::Ja } else { Lang::En };
    let style = TableStyle {
        color,
        local_time: color,
        width: None,
        lang,
    };
    let json_text = render(report, None, OutputFormat::Json, &style, lang);
    let value = check::json(&json_text, "the JSON report")?;
    prop_assert_eq!(value["schema"].as_str(), Some("authlogs.report/v1"));
    let csv_text = render(report, None, OutputFormat::Csv, &style, lang);
    check::csv(&csv_text, Some(2), "the CSV report")?;
    let table_text = render(report, None, OutputFormat::Table, &style, lang);
    // On a terminal: every line fits its width, whatever the log put in the report.
    let fitted = render(
        report,
        None,
        OutputFormat::Table,
        &TableStyle {
            width: Some(FUZZ_WIDTH),
            ..style
        },
        lang,
    );
    let widest = check::widest(&fitted);
    prop_assert!(
        widest <= usize::from(FUZZ_WIDTH),
        "a line of {widest} cells at width {FUZZ_WIDTH}:\n{fitted}"
    );
    check::terminal_safe(&fitted, color, "the table at a terminal's width")?;
    let html_text = render(report, None, OutputFormat::Html, &style, lang);
    check::html(&html_text, "the HTML report")?;
    for (text, what, sgr) in [
        (&json_text, "the JSON report", false),
        (&csv_text, "the CSV report", false),
        (&table_text, "the table", color),
        (&html_text, "the HTML report", false),
    ] {
        check::terminal_safe(text, sgr, what)?;
        if let Some(s) = secret {
            check::no_secret(text, s, what)?;
        }
    }
    Ok(())
}

/// The outputs `pick` chooses among for one read of the input: each report format, and the
/// `--requests` rows in CSV and in JSON lines.
const OUTPUTS: [&[&str]; 6] = [
    &["--format", "json"],
    &["--format", "csv"],
    &["--format", "table", "--color", "always", "--lang", "ja"],
    &["--format", "html"],
    &["--requests"],
    &["--requests", "--format", "json"],
];

/// `bytes` read as `report` reads a file (or, `live`, as `tail` reads standard input), in
/// `format`, into the output `pick` chooses; every output checked. Odd inputs are read with the
/// smallest line cap, so cutting lines is fuzzed too.
pub(super) fn read_and_check(
    bytes: &[u8],
    format: InputFormat,
    live: bool,
    pick: usize,
    secret: Option<&str>,
) -> Result<(), TestCaseError> {
    let file = input(bytes)?;
    let path = file.path().to_string_lossy().into_owned();
    let format = input_format(format)?;
    let mut args = vec![
        "authlogs",
        if live { "tail" } else { "report" },
        path.as_str(),
        "--input-format",
        format.as_str(),
    ];
    if bytes.len() % 2 == 1 {
        args.extend(["--max-line-bytes", "1024"]);
    }
    let output = OUTPUTS[pick % OUTPUTS.len()];
    if live {
        args.extend(["--color", "never", "--lang", "en"]);
        if output.contains(&"json") {
            args.extend(["--format", "json"]);
        }
    } else {
        args.extend(output);
        if !output.contains(&"--color") {
            args.extend(["--color", "never", "--lang", "en"]);
        }
    }
    let ran = run(&args)?;
    let color = args.contains(&"always");
    check::terminal_safe(&ran.err, false, "the damaged-input messages and the summary")?;
    check::terminal_safe(&ran.out, color, "the output")?;
    if let Some(s) = secret {
        check::no_secret(&ran.out, s, "the output")?;
    }
    // A read error (damaged gzip, say) is an answer too, but what it wrote may stop anywhere.
    if ran.failed {
        return Ok(());
    }
    let json = args.windows(2).any(|w| w == ["--format", "json"]);
    if live || output.contains(&"--requests") {
        if json {
            check::json_lines(&ran.out, "the lines")?;
        } else if !live {
            let rows = check::csv(&ran.out, Some(REQUEST_COLUMNS), "--requests CSV")?;
            prop_assert!(rows >= 1, "--requests CSV has no header");
        }
        return Ok(());
    }
    if json {
        let value = check::json(&ran.out, "the JSON report")?;
        prop_assert_eq!(value["schema"].as_str(), Some("authlogs.report/v1"));
    } else if output.contains(&"csv") {
        check::csv(&ran.out, Some(2), "the CSV report")?;
    } else if output.contains(&"html") {
        check::html(&ran.out, "the HTML report")?;
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
                ..GroupConfig::default()
            }
        }),
    ];
    let analyze = (
        prop_oneof![3 => 0usize..8, 1 => Just(usize::MAX)],
        prop_oneof![3 => Just(600_000i64), 1 => any::<i64>(), 1 => Just(i64::MAX)],
        prop_oneof![5 => Just(None), 1 => select_price()],
    )
        .prop_map(|(guess_threshold, guess_window_ms, price)| {
            let default = AnalyzeConfig::default();
            AnalyzeConfig {
                guess_threshold,
                guess_window_ms,
                usd_per_gb_second: price.unwrap_or(default.usd_per_gb_second),
                // Japanese findings in half the runs, without changing the strategy (and so the
                // stored regressions).
                lang: if guess_threshold % 2 == 1 { Lang::Ja } else { Lang::En },
                ..default
            }
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
        // The reader picks its own pieces now: the chunk sizes only choose the output.
        |(bytes, format, live, chunks)| read_and_check(&bytes, format, live, chunks[0], None),
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
            let mut pipeline = Pipeline::new(strategies::parser(), config, None);
            let p = &mut pipeline;
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
            check_report(&pipeline.finish(), color, Some(secret))
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
                InputFormat::Auto
            });
            // With pieces, as `tail` reads standard input (the reader picks its own pieces now);
            // the bits choose the output.
            let live = chunks.is_some();
            read_and_check(&bytes, format, live, (bits >> 10) as usize, Some(&scenario.secret))
        },
    );
}
