//! `authlogs report`: wires the sources, the engine and a printer for one validated config.

use std::io::Write;
use std::ops::ControlFlow;

use super::{interrupt_flag, report_damage, Outcome};
use crate::access::InvocationNotes;
use crate::aws::FetchConfig;
use crate::cli::ReportConfig;
use crate::decision::Verdict;
use crate::engine::insights::{choose, estimate_window, insights_report};
use crate::engine::{Engine, InvocationSink, Pipeline, PipelineConfig};
use crate::error::Error;
use crate::group::Invocation;
use crate::parse::Parser;
use crate::redact::TokenDisplay;
use crate::render::cross_check::{compare, write_comparison};
use crate::render::explain::explain;
use crate::render::progress::ProgressLine;
use crate::render::requests::{request_row, RequestFormat, RequestWriter};
use crate::render::{self, OutputFormat, TableStyle};
use crate::report::Report;
use crate::source::{InputFormat, ReadOptions};

/// Prints each invocation as it is finished; keeps the first write error (a closed pipe stops output).
struct RequestPrinter<W: Write> {
    writer: RequestWriter<W>,
    tokens: TokenDisplay,
    error: Option<std::io::Error>,
}

impl<W: Write> InvocationSink for RequestPrinter<W> {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()> {
        if self.error.is_none() {
            if let Err(e) = self.writer.write(&request_row(inv, verdict, self.tokens)) {
                // A closed pipe (`| head`): stop reading, the run ends quietly.
                self.error = Some(e);
            }
        }
        match self.error {
            Some(_) => ControlFlow::Break(()),
            None => ControlFlow::Continue(()),
        }
    }
}

/// Runs every input (or the CloudWatch window `cw`) through one pipeline into one report; with
/// access logs, joins them with the invocations into its `callers` section.
fn run_pipeline(
    config: &ReportConfig,
    cw: Option<&FetchConfig>,
    pipeline_config: PipelineConfig,
    sink: Option<&mut dyn InvocationSink>,
    err: &mut dyn Write,
) -> Result<Report, Error> {
    let window = (pipeline_config.since_ms, pipeline_config.until_ms);
    let Some(access) = &config.access else {
        return run_authorizer(config, cw, pipeline_config, sink, err);
    };
    let mut notes = InvocationNotes::new(sink);
    let mut report = run_authorizer(config, cw, pipeline_config, Some(&mut notes), err)?;
    let read = ReadOptions::new(InputFormat::Auto).with_max_line_bytes(config.read.max_line_bytes);
    super::access::add_callers(access, &notes, window, read, config.lang, &mut report, err)?;
    Ok(report)
}

/// The authorizer's side of [`run_pipeline`]: its inputs or window through one pipeline.
fn run_authorizer(
    config: &ReportConfig,
    cw: Option<&FetchConfig>,
    pipeline_config: PipelineConfig,
    sink: Option<&mut dyn InvocationSink>,
    err: &mut dyn Write,
) -> Result<Report, Error> {
    let mut pipeline = Pipeline::new(Parser::new(config.patterns.clone()), pipeline_config, sink);
    if let Some(cw) = cw {
        let mut line = ProgressLine::new(std::io::stderr());
        let mut draw = |p: &crate::source::cloudwatch::FetchProgress| line.draw(p);
        let progress = config
            .progress
            .then_some(&mut draw as &mut dyn FnMut(&crate::source::cloudwatch::FetchProgress));
        let source = crate::source::cloudwatch::fetch_window(cw, &mut pipeline, err, progress)?;
        let mut report = pipeline.finish();
        report.source = Some(source);
        return Ok(report);
    }
    pipeline.read_inputs(&config.inputs, config.read, config.threads, config.range_bytes)?;
    Ok(pipeline.finish())
}

/// Writes the summary report in the chosen format.
fn print_report(
    config: &ReportConfig,
    report: &Report,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    report_damage(report, err)?;
    let style = TableStyle {
        color: config.color,
        local_time: config.tz_local,
        width: config.width,
        lang: config.lang,
    };
    out.write_all(render::render(report, config.format, &style, config.lang).as_bytes())?;
    out.flush()?;
    Ok(Outcome::of(report, config.fail_on, err))
}

/// Where a CloudWatch report goes after the engine is chosen.
enum Route {
    /// Written already (Insights, `--explain`, `--cross-check`).
    Done(Outcome),
    /// For the local engine to read this window (its groups resolved when `auto` estimated it).
    Local(FetchConfig),
}

/// A CloudWatch report on the engine `--engine` picks (or `--explain`, or `--cross-check`), or the
/// window the local engine is to read.
fn cloudwatch_report(
    config: &ReportConfig,
    cw: &FetchConfig,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Route, Error> {
    let now_ms = chrono::Utc::now().timestamp_millis();
    if let Some(span) = config.cross_check_ms {
        return cross_check(config, cw, span, now_ms, out, err).map(Route::Done);
    }
    if config.engine == Engine::Local && !config.explain {
        return Ok(Route::Local(cw.clone()));
    }
    let choice = choose(config.engine, &config.insights, cw, now_ms, err)?;
    if config.explain {
        explain(&config.insights, &config.patterns, cw, &choice, out)?;
        return Ok(Route::Done(Outcome::default()));
    }
    writeln!(
        err,
        "authlogs: engine {}: {}",
        if choice.insights { "insights" } else { "local" },
        choice.why
    )?;
    if !choice.insights {
        let mut cw = cw.clone();
        if let Some(g) = choice.groups {
            cw.groups.names = g;
        }
        return Ok(Route::Local(cw));
    }
    let report = insights_report(
        &config.insights,
        &config.patterns,
        config.pipeline.analyze,
        cw,
        choice.groups.as_ref(),
        err,
        interrupt_flag()?,
    )?;
    print_report(config, &report, out, err).map(Route::Done)
}

/// `--cross-check SPAN`: both engines over the last SPAN of the window, compared field by field.
fn cross_check(
    config: &ReportConfig,
    cw: &FetchConfig,
    span_ms: i64,
    now_ms: i64,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, Error> {
    let mut part = cw.clone();
    part.start_ms = cw.end_ms.saturating_sub(span_ms).max(cw.start_ms);
    let estimate = estimate_window(&part, now_ms, err)?;
    part.groups.names = estimate.groups;
    let pipeline_config = PipelineConfig {
        since_ms: Some(part.start_ms),
        until_ms: Some(part.end_ms),
        ..config.pipeline.clone()
    };
    let local = run_pipeline(config, Some(&part), pipeline_config, None, err)?;
    let remote = insights_report(
        &config.insights,
        &config.patterns,
        config.pipeline.analyze,
        &part,
        None,
        err,
        interrupt_flag()?,
    )?;
    let comparison = compare(&local, &remote);
    write_comparison(&comparison, &local, &remote, config.format == OutputFormat::Json, out)?;
    out.flush()?;
    Ok(Outcome {
        partial: !local.complete,
        failed_findings: comparison.unexpected(),
    })
}

/// Runs `authlogs report` over files/stdin: the summary, or with `--requests` one row per
/// invocation; to `--output FILE` (in place only once complete), else to `out`.
pub fn report(config: ReportConfig, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    let Some(path) = config.output.clone() else {
        return report_to(config, out, err);
    };
    let mut file = super::output::AtomicFile::create(&path)?;
    let outcome = report_to(config, &mut file, err).map_err(|e| match e {
        Error::Output(source) => Error::OutputFile {
            path: path.display().to_string(),
            source,
        },
        other => other,
    })?;
    file.commit()?;
    Ok(outcome)
}

fn report_to(config: ReportConfig, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
    if config.requests {
        let format = if config.format == OutputFormat::Json {
            RequestFormat::JsonLines
        } else {
            RequestFormat::Csv
        };
        let mut printer = RequestPrinter {
            writer: RequestWriter::new(&mut *out, format),
            tokens: config.tokens,
            error: None,
        };
        let report = run_pipeline(
            &config,
            config.cloudwatch.as_ref(),
            config.pipeline.clone(),
            Some(&mut printer),
            err,
        )?;
        if let Some(e) = printer.error {
            return Err(Error::Output(e));
        }
        printer.writer.finish()?;
        report_damage(&report, err)?;
        return Ok(Outcome::of(&report, config.fail_on, err));
    }
    let mut cw = config.cloudwatch.clone();
    if let Some(window) = &config.cloudwatch {
        match cloudwatch_report(&config, window, out, err)? {
            Route::Done(outcome) => return Ok(outcome),
            Route::Local(local) => cw = Some(local),
        }
    }
    let report = run_pipeline(&config, cw.as_ref(), config.pipeline.clone(), None, err)?;
    print_report(&config, &report, out, err)
}
