//! The commands behind the binary: wire sources, pipeline and printers for one validated config.

use std::io::Write;

use crate::cli::{GroupsConfig, Layout, ReportConfig, Threads};
use crate::decision::Verdict;
use crate::error::Error;
use crate::group::Invocation;
use crate::parse::Parser;
use crate::pipeline::{request_row, InvocationSink, Pipeline};
use crate::redact::{escape_control, TokenDisplay};
use crate::render::requests::{RequestFormat, RequestWriter};
use crate::render::{self, OutputFormat, TableStyle};
use crate::report::Report;
use crate::source::cloudwatch::{self, GroupInfo};
use crate::source::file::{plan, read_path, read_unit, unit_inflates_apart};
use crate::source::parallel::{ParallelConfig, Sharing};

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

/// Runs every input (or the CloudWatch window) through one pipeline into one report.
fn run_pipeline(
    config: &ReportConfig,
    sink: Option<&mut dyn InvocationSink>,
    err: &mut dyn Write,
) -> Result<Report, Error> {
    let mut pipeline = Pipeline::new(Parser::new(config.patterns.clone()), config.pipeline.clone(), sink);
    if let Some(cw) = &config.cloudwatch {
        let source = cloudwatch::fetch_into(cw, &mut pipeline, err)?;
        let mut report = pipeline.finish();
        report.source = Some(source);
        return Ok(report);
    }
    let units = match config.threads {
        Threads::Fixed(1) => Vec::new(),
        _ => plan(&config.inputs, config.input_format, config.range_bytes)?,
    };
    let layout = config
        .threads
        .layout(|| units.iter().find_map(unit_inflates_apart).unwrap_or(false));
    match layout {
        Layout::Readers(workers) => {
            let parallel = ParallelConfig {
                workers,
                range_bytes: config.range_bytes,
                sharing: Sharing::WhenIdle,
            };
            pipeline.read_parallel(units, config.input_format, parallel)?;
        }
        Layout::OneThread if units.is_empty() => {
            for input in &config.inputs {
                read_path(input, config.input_format, &mut pipeline)?;
            }
        }
        Layout::OneThread => {
            // Planned already (to tell gzip): read those units rather than walk the inputs again.
            for unit in &units {
                read_unit(unit, config.input_format, &mut pipeline)?;
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
        let report = run_pipeline(&config, Some(&mut printer), err)?;
        if let Some(e) = printer.error {
            return Err(Error::Output(e));
        }
        printer.writer.finish()?;
        return report_damage(&report, err);
    }
    let mut report = run_pipeline(&config, None, err)?;
    let outcome = report_damage(&report, err)?;
    if config.tz_local && config.format == OutputFormat::Table {
        localize_window(&mut report);
    }
    out.write_all(render::render(&report, config.format, &TableStyle { color: config.color }).as_bytes())?;
    out.flush()?;
    Ok(outcome)
}

/// RFC 3339 UTC → the same instant in the local zone, with its offset; anything else is kept.
fn to_local(rfc3339: &str) -> Option<String> {
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some(
        t.with_timezone(&chrono::Local)
            .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string(),
    )
}

fn localize_window(report: &mut Report) {
    let w = &mut report.window;
    for t in [&mut w.start, &mut w.end, &mut w.first_event, &mut w.last_event] {
        if let Some(local) = t.as_deref().and_then(to_local) {
            *t = Some(local);
        }
    }
}

/// Runs `authlogs groups`: the matching log groups as a table or a JSON array.
pub fn groups(config: GroupsConfig, out: &mut dyn Write) -> Result<(), Error> {
    let found = cloudwatch::list_groups(&config.connection, &config.pattern, config.max_tps)?;
    if config.json {
        let text = serde_json::to_string_pretty(&found).map_err(|e| Error::Output(e.into()))?;
        writeln!(out, "{text}")?;
    } else {
        out.write_all(groups_table(&found, config.tz_local).as_bytes())?;
    }
    out.flush()?;
    Ok(())
}

fn groups_table(groups: &[GroupInfo], tz_local: bool) -> String {
    if groups.is_empty() {
        return "no matching log groups\n".into();
    }
    let time = |t: &Option<String>| {
        let t = t.as_deref().unwrap_or("-");
        if tz_local {
            to_local(t).unwrap_or_else(|| t.to_string())
        } else {
            t.to_string()
        }
    };
    let mut table = comfy_table::Table::new();
    table.load_preset("     ──             ");
    table.force_no_tty();
    table.set_header(vec![
        "log group",
        "stored bytes",
        "retention",
        "created",
        "newest event",
    ]);
    for g in groups {
        table.add_row(vec![
            escape_control(&g.name).into_owned(),
            g.stored_bytes.map_or("-".into(), |b| b.to_string()),
            g.retention_days.map_or("never expires".into(), |d| format!("{d} days")),
            time(&g.created),
            time(&g.newest_event),
        ]);
    }
    if let Some(c) = table.column_mut(1) {
        c.set_cell_alignment(comfy_table::CellAlignment::Right);
    }
    format!("{table}\n")
}
