//! `authlogs report`: wires the sources, the engine and a printer for one validated config.

use std::io::Write;
use std::ops::ControlFlow;

use super::{report_damage, Outcome};
use crate::cli::ReportConfig;
use crate::decision::Verdict;
use crate::engine::{InvocationSink, Pipeline};
use crate::error::Error;
use crate::group::Invocation;
use crate::parse::Parser;
use crate::redact::TokenDisplay;
use crate::render::progress::ProgressLine;
use crate::render::requests::{request_row, RequestFormat, RequestWriter};
use crate::render::{self, OutputFormat, TableStyle};
use crate::report::Report;
use crate::source::cloudwatch;

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

/// Runs every input (or the CloudWatch window) through one pipeline into one report.
fn run_pipeline(
    config: &ReportConfig,
    sink: Option<&mut dyn InvocationSink>,
    err: &mut dyn Write,
) -> Result<Report, Error> {
    let mut pipeline = Pipeline::new(Parser::new(config.patterns.clone()), config.pipeline.clone(), sink);
    if let Some(cw) = &config.cloudwatch {
        let mut line = ProgressLine::new(std::io::stderr());
        let mut draw = |p: &cloudwatch::FetchProgress| line.draw(p);
        let progress = config
            .progress
            .then_some(&mut draw as &mut dyn FnMut(&cloudwatch::FetchProgress));
        let source = cloudwatch::fetch_window(cw, &mut pipeline, err, progress)?;
        let mut report = pipeline.finish();
        report.source = Some(source);
        return Ok(report);
    }
    pipeline.read_inputs(&config.inputs, config.read, config.threads, config.range_bytes)?;
    Ok(pipeline.finish())
}

/// Runs `authlogs report` over files/stdin: the summary, or with `--requests` one row per invocation.
pub fn report(config: ReportConfig, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
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
        let report = run_pipeline(&config, Some(&mut printer), err)?;
        if let Some(e) = printer.error {
            return Err(Error::Output(e));
        }
        printer.writer.finish()?;
        report_damage(&report, err)?;
        return Ok(Outcome::of(&report, config.fail_on, err));
    }
    let report = run_pipeline(&config, None, err)?;
    report_damage(&report, err)?;
    let style = TableStyle {
        color: config.color,
        local_time: config.tz_local,
    };
    out.write_all(render::render(&report, config.format, &style).as_bytes())?;
    out.flush()?;
    Ok(Outcome::of(&report, config.fail_on, err))
}
