//! `tail`'s output under fuzzing: one line per invocation (text, colored, JSON lines), burst
//! alerts at any times and windows, and `--raw` lines with their tokens masked.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::rc::Rc;

use clap::Parser as _;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

use super::strategies;
use super::{adapter, check, runner};
use crate::app::tail::printer::TailPrinter;
use crate::app::tail::raw::RawLines;
use crate::cli::{Cli, Command, TailConfig};
use crate::engine::Pipeline;
use crate::parse::Parser;
use crate::redact::TokenDisplay;
use crate::render::live::{summary_line, TailSummary};
use crate::report::InputError;
use crate::source::{EventSink, LogEvent};

/// `tail`'s arguments as a user may give them (`authlogs tail - …`).
fn arguments() -> impl Strategy<Value = Vec<&'static str>> {
    let flags = vec(
        select(vec![
            &["--raw"][..],
            &["--raw"],
            &["--format", "json"],
            &["--color", "always"],
            &["--tz", "local"],
            &["--show-tokens"],
            &["--denied"],
            &["--reason", "token"],
            &["--reason", "missing"],
            &["--ip", "203.0.113.0/24"],
            &["--ip", "::/0"],
            &["--alert-denials", "2/1m"],
            &["--alert-denials", "1/1s"],
            &["--alert-denials", "0"],
            &["--grace", "0s"],
            &["--incomplete-after", "1s"],
            &["--guess-threshold", "2/1m"],
        ]),
        0..6,
    );
    flags.prop_map(|flags| {
        let mut args = vec!["authlogs", "tail", "-"];
        let mut seen: Vec<&str> = Vec::new();
        // One of each option, but `--reason` and `--ip` as often as given.
        for flag in flags {
            let key = flag[0];
            if seen.contains(&key) && !matches!(key, "--reason" | "--ip") || seen.contains(&flag[flag.len() - 1]) {
                continue;
            }
            seen.extend(flag);
            args.extend(flag);
        }
        // Colored runs are in Japanese (double-width words in the padded columns), the others
        // in English, whatever the environment's locale.
        if seen.contains(&"--color") {
            args.extend(["--lang", "ja"]);
        } else {
            args.extend(["--color", "never", "--lang", "en"]);
        }
        args
    })
}

fn config(args: &[&str], alert: Option<(usize, i64)>) -> Result<TailConfig, TestCaseError> {
    let cli = Cli::try_parse_from(args).map_err(|e| TestCaseError::fail(format!("{args:?}: {e}")))?;
    let Command::Tail(tail) = cli.command else {
        return Err(TestCaseError::fail("not tail"));
    };
    let mut config = tail
        .validate(1_752_192_000_000)
        .map_err(|e| TestCaseError::fail(format!("{args:?}: {e}")))?;
    // Windows the CLI would not take, up to the end of `i64`.
    if alert.is_some() && config.alert.is_some() {
        config.alert = alert;
    }
    Ok(config)
}

/// The events into the pipeline, each also kept for `--raw`, as `tail` feeds them.
struct Feed<'p, 's> {
    pipeline: &'p mut Pipeline<'s>,
    raw: Rc<RefCell<RawLines>>,
    parser: Parser,
    tokens: TokenDisplay,
}

impl EventSink for Feed<'_, '_> {
    fn event(&mut self, event: &LogEvent<'_>) -> ControlFlow<()> {
        self.raw.borrow_mut().record(&self.parser, event, self.tokens);
        self.pipeline.event(event)
    }

    fn input_error(&mut self, error: InputError) {
        self.pipeline.input_error(error);
    }
}

#[test]
fn tail_lines_alerts_and_raw_lines() {
    let strategy = (
        strategies::scenario(),
        arguments(),
        prop_oneof![2 => Just(None), 1 => (1usize..4, select(vec![1i64, 60_000, i64::MAX, i64::MAX / 2, -1])).prop_map(Some)],
        vec(
            prop_oneof![2 => Just(None), 1 => strategies::tick_time().prop_map(Some)],
            1..6,
        ),
        prop_oneof![3 => Just(None), 1 => (strategies::container(), any::<u64>(), vec(1usize..100, 1..3)).prop_map(Some)],
    );
    runner::run(
        "tail lines, alerts and raw lines",
        8_000,
        strategy,
        |(scenario, args, alert, ticks, container)| {
            let config = config(&args, alert)?;
            let raw = Rc::new(RefCell::new(RawLines::default()));
            let mut out: Vec<u8> = Vec::new();
            let mut printer = TailPrinter::new(&config, &mut out, raw.clone());
            let parser = Parser::new(config.patterns.clone());
            let mut pipeline = Pipeline::new(parser.clone(), config.pipeline.clone(), Some(&mut printer));
            let mut feed = Feed {
                pipeline: &mut pipeline,
                raw,
                parser,
                tokens: config.tokens,
            };
            match &container {
                // Standard input in a container, arriving in pieces.
                Some((container, bits, chunks)) => {
                    let bytes = strategies::wrap(&scenario.events, *container, *bits);
                    let _ = adapter::read(&bytes, config.read.format, Some(chunks), &mut feed);
                }
                None => {
                    for (i, e) in scenario.events.iter().enumerate() {
                        let flow = feed.event(&LogEvent {
                            timestamp_ms: e.timestamp_ms,
                            stream: &e.stream,
                            message: &e.message,
                        });
                        if flow.is_break() {
                            break;
                        }
                        if let Some(now) = ticks[i % ticks.len()] {
                            feed.pipeline.tick(now);
                        }
                    }
                }
            }
            let report = pipeline.finish();
            let (printed, alerts, error) = printer.finish();
            prop_assert!(error.is_none());
            let text = String::from_utf8(out).map_err(|e| TestCaseError::fail(format!("not UTF-8: {e}")))?;
            let summary = summary_line(
                &report,
                &TailSummary {
                    printed,
                    alerts,
                    ..TailSummary::default()
                },
                config.lang,
            );
            check::terminal_safe(&summary, false, "the summary line")?;
            if config.json {
                check::json_lines(&text, "tail's JSON lines")?;
                prop_assert_eq!(text.lines().count() as u64, printed + alerts);
            }
            check::terminal_safe(&text, config.color, "tail's lines")?;
            if config.tokens == TokenDisplay::Masked {
                check::no_secret(&text, &scenario.secret, "tail's lines")?;
            }
            Ok(())
        },
    );
}
