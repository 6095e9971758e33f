//! `authlogs tail`: follows CloudWatch Logs or a live stream and prints one line per invocation as
//! it completes, through the same parse → group → decide core as `report`, emitting by time.

mod access;
mod sources;

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::Outcome;
use crate::cli::TailConfig;
use crate::engine::live::{self, Bounds, Lane, LivePipeline};
use crate::engine::Pipeline;
use crate::error::Error;
use crate::parse::Parser;
use crate::render::damage::report_damage;
use crate::render::live::{summary_line, TailPrinter, TailSummary};
use crate::source::cloudwatch::FollowStats;

/// Runs `authlogs tail` until its input ends, a bound is reached, or `interrupted` is set (SIGINT,
/// SIGTERM); then prints the summary on `err`.
pub fn tail(
    config: TailConfig,
    out: &mut dyn Write,
    err: &mut dyn Write,
    interrupted: Arc<AtomicBool>,
) -> Result<Outcome, Error> {
    if let Some(access) = &config.access {
        return access::tail_requests(&config, access, out, err, &interrupted);
    }
    let mut printer = TailPrinter::new(config.print_options(), out);
    let parser = Parser::new(config.patterns.clone());
    let mut pipeline = Pipeline::new(parser, config.pipeline.clone(), Some(&mut printer));
    if config.raw {
        pipeline.keep_raw_lines(config.tokens);
    }
    let mut stats = TailSummary::default();
    let result = read_authorizer(&config, &mut pipeline, None, err, &interrupted, &mut stats);
    let report = pipeline.finish();
    let (printed, alerts, output_error) = printer.finish();
    stats.printed = printed;
    stats.alerts = alerts;
    let _ = report_damage(&report, err);
    let _ = err.write_all(summary_line(&report, &stats, config.lang).as_bytes());
    result?;
    if let Some(e) = output_error {
        return Err(Error::Output(e));
    }
    Ok(Outcome::of(&report, config.fail_on, err))
}

/// Reads the authorizer's log (a stream, or CloudWatch) into `pipeline`, with `beside` in the
/// same loop (the access log), until an input ends or a bound is reached; the authorizer's
/// source is stopped then, the others are left to the caller.
fn read_authorizer(
    config: &TailConfig,
    pipeline: &mut Pipeline<'_>,
    mut beside: Option<Lane<'_>>,
    err: &mut dyn Write,
    interrupted: &AtomicBool,
    stats: &mut TailSummary,
) -> Result<(), Error> {
    let sources::Authorizer {
        mut source,
        stats: follow_stats,
    } = sources::authorizer(config)?;
    let mut feed = LivePipeline::new(pipeline, err);
    let bounds = Bounds {
        idle_exit: config.idle_exit,
        end_ms: config.end_ms,
        interrupted,
    };
    let mut lane = Lane {
        source: &mut *source,
        sink: &mut feed,
    };
    let result = live::run(&mut lane, beside.as_mut_slice(), &bounds);
    source.stop();
    if let Some(s) = follow_stats {
        stats.reconnects = FollowStats::get(&s.reconnects);
        stats.sampled_seconds = FollowStats::get(&s.sampled_seconds);
    }
    result?;
    feed.failure().map_or(Ok(()), Err)
}
