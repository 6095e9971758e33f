//! `tail` with an access log (`--access-logs FILE`, `--access-log-group NAME`): two sources in
//! one live loop, the authorizer's log into the pipeline and the access log into the live join,
//! which prints one line per API request once its pair is final.

use std::io::Write;
use std::sync::atomic::AtomicBool;

use super::{read_authorizer, sources};
use crate::app::Outcome;
use crate::cli::{TailAccess, TailAccessSource, TailConfig};
use crate::engine::live::{read_rest, Lane};
use crate::engine::Pipeline;
use crate::error::Error;
use crate::parse::Parser;
use crate::redact::{escape_control, escape_lines};
use crate::render::damage::report_damage;
use crate::render::live::{summary_line, AccessSide, TailSummary};

/// `tail` with an access log: one line per API request, from the live join of both logs.
pub(super) fn tail_requests(
    config: &TailConfig,
    access: &TailAccess,
    out: &mut dyn Write,
    err: &mut dyn Write,
    interrupted: &AtomicBool,
) -> Result<Outcome, Error> {
    let mut access_log = sources::access_log(config, access)?;
    // Following, events come as they happen: pairs are final by the wall clock. Reading a file
    // to its end, the slower log's event times say it.
    let wall_clock = !matches!(access.source, TailAccessSource::File { follow: false, .. });
    let (mut side, mut forward) = AccessSide::new(
        config.print_options(),
        access.fields.clone(),
        access.window_ms,
        wall_clock,
        out,
    );
    let parser = Parser::new(config.patterns.clone());
    let mut pipeline = Pipeline::new(parser, config.pipeline.clone(), Some(&mut forward));
    let mut stats = TailSummary::default();
    let beside = Lane {
        source: &mut *access_log,
        sink: &mut side,
    };
    let result = read_authorizer(config, &mut pipeline, Some(beside), err, interrupted, &mut stats);
    // The invocations still open go to the join; then the access log's rest is read, and the
    // join hands out every request it holds.
    let report = pipeline.finish();
    if !side.over() {
        read_rest(&mut Lane {
            source: &mut *access_log,
            sink: &mut side,
        });
    }
    access_log.stop();
    side.flush();
    for note in &side.notes {
        let _ = writeln!(err, "{}", escape_lines(note));
    }
    for e in &side.input_errors {
        let _ = writeln!(err, "authlogs: warning: {}", escape_control(&e.to_string()));
    }
    stats.printed = side.printed;
    let _ = report_damage(&report, err);
    let _ = err.write_all(summary_line(&report, &stats, config.lang).as_bytes());
    let _ = err.write_all(side.summary().as_bytes());
    result?;
    if let Some(failure) = side.failure.take() {
        return Err(failure);
    }
    if let Some(e) = side.error.take() {
        return Err(Error::Output(e));
    }
    Ok(Outcome::of(&report, config.fail_on, err))
}
