//! `authlogs report`: wires the sources, an engine and a printer for one validated config.

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::Outcome;
use crate::access::InvocationNotes;
use crate::audit::tie_cached_decisions;
use crate::aws::FetchConfig;
use crate::cli::ReportConfig;
use crate::engine::{InvocationSink, Pipeline, PipelineConfig};
use crate::error::Error;
use crate::parse::Parser;
use crate::render::damage::report_damage;
use crate::render::progress::ProgressLine;
use crate::render::requests::{RequestFormat, RequestPrinter, RequestWriter};
use crate::render::{self, OutputFormat, TableStyle};
use crate::report::Report;
use crate::source::cloudwatch::FetchProgress;
use crate::source::{InputFormat, ReadOptions};

/// One `report` run: its config, and the flag Ctrl-C (or SIGTERM) sets.
pub(super) struct Run<'c> {
    pub(super) config: &'c ReportConfig,
    pub(super) interrupted: &'c Arc<AtomicBool>,
}

impl Run<'_> {
    /// Runs every input (or the CloudWatch window `cw`) through one pipeline into one report;
    /// with access logs, joins them with the invocations into its `callers` section.
    pub(super) fn local(
        &self,
        cw: Option<&FetchConfig>,
        pipeline_config: PipelineConfig,
        sink: Option<&mut dyn InvocationSink>,
        err: &mut dyn Write,
    ) -> Result<Report, Error> {
        let window = (pipeline_config.since_ms, pipeline_config.until_ms);
        let Some(access) = &self.config.access else {
            return self.authorizer(cw, pipeline_config, sink, err);
        };
        let mut notes = InvocationNotes::new(sink);
        let mut report = self.authorizer(cw, pipeline_config, Some(&mut notes), err)?;
        let read = ReadOptions::new(InputFormat::Auto).with_max_line_bytes(self.config.read.max_line_bytes);
        super::access::add_callers(access, &notes, window, read, self.config.lang, &mut report, err)?;
        Ok(report)
    }

    /// The authorizer's side of [`local`](Run::local): its inputs or window through one pipeline.
    fn authorizer(
        &self,
        cw: Option<&FetchConfig>,
        pipeline_config: PipelineConfig,
        sink: Option<&mut dyn InvocationSink>,
        err: &mut dyn Write,
    ) -> Result<Report, Error> {
        let config = self.config;
        let mut pipeline = Pipeline::new(Parser::new(config.patterns.clone()), pipeline_config, sink);
        pipeline.stop_on(self.interrupted.clone());
        let source = match cw {
            Some(cw) => {
                // Off a terminal too: a fetch that never ends must not be silent (a line every 10 s).
                let mut line = ProgressLine::new(std::io::stderr(), config.progress);
                let mut draw = |p: &FetchProgress| line.draw(p);
                Some(pipeline.read_window(cw, err, Some(&mut draw))?)
            }
            None => {
                pipeline.read_inputs(&config.inputs, config.read, config.threads, config.range_bytes)?;
                None
            }
        };
        if pipeline.interrupted() {
            return Err(Error::Interrupted);
        }
        let mut report = pipeline.finish();
        report.source = source;
        Ok(report)
    }

    /// Writes the summary report in the chosen format; with `--audit`, the configuration behind
    /// the groups read is audited first, its findings named in the report's cached-decision finding,
    /// its section added to the output and its findings judged with the report's.
    pub(super) fn print(&self, report: &Report, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
        let config = self.config;
        report_damage(report, err)?;
        // `None` without `--audit`; `Some(None)` when the audit could not run (said on `err`).
        let audit = match (config.audit, &config.cloudwatch) {
            (true, Some(cw)) => {
                let now_ms = chrono::Utc::now().timestamp_millis();
                Some(super::report_audit::read(report, cw, now_ms, config.lang, err)?)
            }
            _ => None,
        };
        let read = audit.as_ref().and_then(Option::as_ref);
        let tied = read.map(|a| {
            let mut r = report.clone();
            tie_cached_decisions(&mut r.findings, a);
            r
        });
        let report = tied.as_ref().unwrap_or(report);
        let style = TableStyle {
            color: config.color,
            local_time: config.tz_local,
            width: config.width,
            lang: config.lang,
        };
        out.write_all(render::render(report, read, config.format, &style, config.lang).as_bytes())?;
        out.flush()?;
        // One judgement over both, so `--fail-on` says once which findings failed the run; an
        // audit asked for but not read, or read with gaps, makes the run partial.
        let findings = report.findings.iter().map(|f| (f.severity, f.kind));
        let audit_findings = read
            .into_iter()
            .flat_map(|a| a.findings.iter().map(|f| (f.severity, f.kind)));
        let complete = report.complete && audit.as_ref().is_none_or(|a| a.as_ref().is_some_and(|a| a.complete));
        Ok(Outcome::judge(
            findings.chain(audit_findings),
            complete,
            config.fail_on,
            err,
        ))
    }

    /// The summary, or with `--requests` one row per invocation, to `out`.
    fn to(&self, out: &mut dyn Write, err: &mut dyn Write) -> Result<Outcome, Error> {
        let config = self.config;
        if config.requests {
            let format = if config.format == OutputFormat::Json {
                RequestFormat::JsonLines
            } else {
                RequestFormat::Csv
            };
            let mut printer = RequestPrinter::new(RequestWriter::new(&mut *out, format), config.tokens);
            let report = self.local(
                config.cloudwatch.as_ref(),
                config.pipeline.clone(),
                Some(&mut printer),
                err,
            )?;
            printer.finish()?;
            report_damage(&report, err)?;
            return Ok(Outcome::of(&report, config.fail_on, err));
        }
        let mut cw = config.cloudwatch.clone();
        if let Some(window) = &config.cloudwatch {
            match self.cloudwatch(window, out, err)? {
                super::cloudwatch::Route::Done(outcome) => return Ok(outcome),
                super::cloudwatch::Route::Local(local) => cw = Some(local),
            }
        }
        let report = self.local(cw.as_ref(), config.pipeline.clone(), None, err)?;
        self.print(&report, out, err)
    }
}

/// Runs `authlogs report`: to `--output FILE` (in place only once complete), else to `out`.
/// `interrupted` (set by Ctrl-C or SIGTERM) ends the run with [`Error::Interrupted`], writing nothing.
pub fn report(
    config: ReportConfig,
    out: &mut dyn Write,
    err: &mut dyn Write,
    interrupted: Arc<AtomicBool>,
) -> Result<Outcome, Error> {
    let run = Run {
        config: &config,
        interrupted: &interrupted,
    };
    let Some(path) = config.output.clone() else {
        return run.to(out, err);
    };
    let mut file = super::output::AtomicFile::create(&path)?;
    let outcome = run.to(&mut file, err).map_err(|e| match e {
        Error::Output(source) => Error::OutputFile {
            path: path.display().to_string(),
            source,
        },
        other => other,
    })?;
    file.commit()?;
    Ok(outcome)
}
