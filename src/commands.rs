//! The commands behind the binary: wire sources, pipeline and printers for one validated config.

use std::io::Write;

use crate::cli::ReportConfig;
use crate::decision::Verdict;
use crate::error::Error;
use crate::group::Invocation;
use crate::parse::Parser;
use crate::pipeline::{request_row, InvocationSink, Pipeline};
use crate::redact::{escape_control, TokenDisplay};
use crate::render::requests::{RequestFormat, RequestWriter};
use crate::render::{self, OutputFormat, TableStyle};
use crate::report::Report;
use crate::source::file::{read_path, read_stdin};
use crate::source::readahead;

/// What a finished `report` tells `main` about the exit status.
#[derive(Debug)]
pub struct ReportOutcome {
    /// Some input was damaged: the report is partial.
    pub partial: bool,
}

/// Prints each invocation as it is finished; keeps the first write error (a closed pipe stops output).
struct RequestPrinter<W: Write> {
    writer: RequestWriter<W>,
    tokens: TokenDisplay,
    error: Option<std::io::Error>,
}

impl<W: Write> InvocationSink for RequestPrinter<W> {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) {
        if self.error.is_none() {
            if let Err(e) = self.writer.write(&request_row(inv, verdict, self.tokens)) {
                self.error = Some(e);
            }
        }
    }
}

/// Runs every input through one pipeline into one report.
fn run_pipeline(config: &ReportConfig, sink: Option<&mut dyn InvocationSink>) -> Result<Report, Error> {
    let mut pipeline = Pipeline::new(Parser::new(config.patterns.clone()), config.pipeline.clone(), sink);
    if config.threads > 1 {
        readahead::read_all(&config.inputs, config.input_format, &mut pipeline)?;
    } else {
        for input in &config.inputs {
            if input.as_os_str() == "-" {
                read_stdin(config.input_format, &mut pipeline)?;
            } else {
                read_path(input, config.input_format, &mut pipeline)?;
            }
        }
    }
    Ok(pipeline.finish())
}

fn report_damage(report: &Report, err: &mut dyn Write) -> Result<ReportOutcome, Error> {
    for e in &report.input_errors {
        writeln!(err, "authlogs: damaged input: {}", escape_control(&e.to_string()))?;
    }
    Ok(ReportOutcome {
        partial: !report.complete,
    })
}

/// Runs `authlogs report` over files/stdin: the summary, or with `--requests` one row per invocation.
pub fn report(config: ReportConfig, out: &mut dyn Write, err: &mut dyn Write) -> Result<ReportOutcome, Error> {
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
        let report = run_pipeline(&config, Some(&mut printer))?;
        if let Some(e) = printer.error {
            return Err(Error::Output(e));
        }
        printer.writer.finish()?;
        return report_damage(&report, err);
    }
    let report = run_pipeline(&config, None)?;
    let outcome = report_damage(&report, err)?;
    out.write_all(render::render(&report, config.format, &TableStyle { color: config.color }).as_bytes())?;
    out.flush()?;
    Ok(outcome)
}
