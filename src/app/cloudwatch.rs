//! `report --since`: the engine `--engine` picks for a CloudWatch window, `--explain`, and
//! `--cross-check` (both engines over the end of the window, compared).

use std::io::Write;

use super::report::Run;
use super::Outcome;
use crate::aws::FetchConfig;
use crate::engine::insights::{choose, estimate_window, insights_report, InsightsOptions, Queries, MIN_SLICE_MS};
use crate::engine::{Engine, PipelineConfig};
use crate::error::Error;
use crate::render::cross_check::{compare, write_comparison};
use crate::render::explain::explain;
use crate::render::OutputFormat;
use crate::report::Report;

/// How long before now a cross-check's window ends: the engines read at different moments, and
/// events still arriving would make them differ for no fault of either.
const SETTLED_MS: i64 = 5 * 60_000;

/// The slices a cross-check's Insights run is cut into (each at least `MIN_SLICE_MS`).
const CROSS_CHECK_SLICES: i64 = 4;

/// Where a CloudWatch report goes after the engine is chosen.
pub(super) enum Route {
    /// Written already (Insights, `--explain`, `--cross-check`).
    Done(Outcome),
    /// For the local engine to read this window (its groups resolved when `auto` estimated it).
    Local(FetchConfig),
}

impl Run<'_> {
    /// A CloudWatch report on the engine `--engine` picks (or `--explain`, or `--cross-check`),
    /// or the window the local engine is to read.
    pub(super) fn cloudwatch(
        &self,
        cw: &FetchConfig,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<Route, Error> {
        let config = self.config;
        let now_ms = chrono::Utc::now().timestamp_millis();
        if let Some(span) = config.cross_check_ms {
            return self.cross_check(cw, span, now_ms, out, err).map(Route::Done);
        }
        if config.engine == Engine::Local && !config.explain {
            return Ok(Route::Local(cw.clone()));
        }
        let mut choice = choose(config.engine, &config.insights, cw, now_ms, err)?;
        // A query the service would not accept is known before any starts: auto stays local.
        if choice.insights && config.engine == Engine::Auto {
            if let Err(e) = self.check_queries(cw) {
                choice.insights = false;
                choice.why = format!("auto stays local: {e}");
            }
        }
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
        let mut local = cw.clone();
        if let Some(g) = &choice.groups {
            local.groups.names = g.clone();
        }
        if !choice.insights {
            return Ok(Route::Local(local));
        }
        let report = match self.insights(&config.insights, cw, choice.groups.as_ref(), err) {
            Ok(report) => report,
            // A rejected query fails the same way every time; `auto` was free to read locally.
            Err(Error::CloudWatch(e)) if config.engine == Engine::Auto && e.rejection().is_some() => {
                writeln!(
                    err,
                    "authlogs: engine local: Logs Insights rejected {}",
                    e.rejection().unwrap_or_default()
                )?;
                return Ok(Route::Local(local));
            }
            Err(e) => return Err(e),
        };
        self.print(&report, out, err).map(Route::Done)
    }

    /// Every query text the Insights engine would start over `cw`, checked against the documented
    /// rules and the length limit: too long (too many `--patterns` templates) is a usage error.
    fn check_queries(&self, cw: &FetchConfig) -> Result<(), Error> {
        Queries::new(&self.config.patterns)
            .check(cw.start_ms, cw.end_ms)
            .map(|_| ())
            .map_err(|e| {
                if e.is_usage() {
                    Error::Usage(e.to_string())
                } else {
                    Error::InsightsQuery(e.to_string())
                }
            })
    }

    /// The Insights engine over `cw` (its groups resolved already when `groups` is given), its
    /// queries checked first.
    fn insights(
        &self,
        options: &InsightsOptions,
        cw: &FetchConfig,
        groups: Option<&Vec<String>>,
        err: &mut dyn Write,
    ) -> Result<Report, Error> {
        self.check_queries(cw)?;
        let config = self.config;
        let (analyze, interrupted) = (config.pipeline.analyze, self.interrupted.clone());
        Ok(insights_report(
            options,
            &config.patterns,
            analyze,
            cw,
            groups,
            err,
            interrupted,
        )?)
    }

    /// `--cross-check SPAN`: both engines over the last SPAN of the window that has settled,
    /// compared field by field.
    fn cross_check(
        &self,
        cw: &FetchConfig,
        span_ms: i64,
        now_ms: i64,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<Outcome, Error> {
        let mut part = cw.clone();
        part.end_ms = cw.end_ms.min(now_ms.saturating_sub(SETTLED_MS));
        if part.end_ms <= cw.start_ms {
            return Err(Error::Usage(
                "--cross-check compares a window that ended at least 5 minutes ago (later events are still arriving): pass an earlier --since, or --until".into(),
            ));
        }
        part.start_ms = part.end_ms.saturating_sub(span_ms).max(cw.start_ms);
        let estimate = estimate_window(&part, now_ms, err)?;
        part.groups.names = estimate.groups;
        let pipeline_config = PipelineConfig {
            since_ms: Some(part.start_ms),
            until_ms: Some(part.end_ms),
            ..self.config.pipeline.clone()
        };
        let local = self.local(Some(&part), pipeline_config, None, err)?;
        // Several slices, so what the queries read past inner boundaries is compared too.
        let options = InsightsOptions {
            slice_ms: ((part.end_ms - part.start_ms) / CROSS_CHECK_SLICES).max(MIN_SLICE_MS),
            ..self.config.insights
        };
        let remote = self.insights(&options, &part, None, err)?;
        let comparison = compare(&local, &remote);
        let json = self.config.format == OutputFormat::Json;
        write_comparison(&comparison, &local, &remote, json, out)?;
        out.flush()?;
        Ok(Outcome {
            partial: !local.complete,
            failed_findings: comparison.unexpected(),
        })
    }
}
