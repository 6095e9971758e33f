//! The offline pipeline: an `EventSink` that runs each event through parse → group → analyze.

use crate::analyze::{AnalyzeConfig, Analyzer, InputSummary};
use crate::decision::{decide, received_token, source_ip, Verdict};
use crate::group::{GroupConfig, Grouper, Invocation};
use crate::parse::Parser;
use crate::redact::{display_token, escape_control, TokenDisplay};
use crate::report::{Report, RequestRow};
use crate::source::{EventSink, InputError, LogEvent};
use crate::timeutil::format_rfc3339_ms;

/// Receives every finished invocation with its verdict (e.g. the `--requests` printer).
pub trait InvocationSink {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict);
}

#[derive(Debug, Clone, Default)]
pub struct PipelineConfig {
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub group: GroupConfig,
    pub analyze: AnalyzeConfig,
}

pub struct Pipeline<'s> {
    parser: Parser,
    grouper: Grouper,
    analyzer: Analyzer,
    summary: InputSummary,
    config: PipelineConfig,
    sink: Option<&'s mut dyn InvocationSink>,
}

impl<'s> Pipeline<'s> {
    pub fn new(parser: Parser, config: PipelineConfig, sink: Option<&'s mut dyn InvocationSink>) -> Self {
        Pipeline {
            parser,
            grouper: Grouper::new(config.group),
            analyzer: Analyzer::new(config.analyze),
            summary: InputSummary {
                since_ms: config.since_ms,
                until_ms: config.until_ms,
                ..Default::default()
            },
            config,
            sink,
        }
    }

    fn in_window(&self, ts: Option<i64>) -> bool {
        let Some(t) = ts else { return true };
        self.config.since_ms.is_none_or(|s| t >= s) && self.config.until_ms.is_none_or(|u| t < u)
    }

    /// End of all input: flushes open invocations and builds the report.
    pub fn finish(mut self) -> Report {
        let Pipeline {
            grouper,
            analyzer,
            sink,
            ..
        } = &mut self;
        grouper.flush(&mut |inv| deliver(analyzer, sink, inv));
        let g = self.grouper.stats();
        self.summary.stats.unrecognized_lines = g.unrecognized_lines;
        self.summary.stats.late_lines = g.late_lines;
        self.analyzer.finish(self.summary)
    }
}

fn deliver(analyzer: &mut Analyzer, sink: &mut Option<&mut dyn InvocationSink>, inv: Invocation) {
    let verdict = decide(&inv);
    analyzer.add(&inv, &verdict);
    if let Some(s) = sink {
        s.invocation(&inv, &verdict);
    }
}

impl EventSink for Pipeline<'_> {
    fn event(&mut self, event: &LogEvent<'_>) {
        self.summary.stats.events += 1;
        let line = self.parser.parse_with(event.message, event.timestamp_ms.is_none());
        let ts = event.timestamp_ms.or(match &line {
            crate::parse::LineEvent::App { timestamp_ms, .. } => *timestamp_ms,
            _ => None,
        });
        if !self.in_window(ts) {
            self.summary.stats.filtered_events += 1;
            return;
        }
        if let Some(t) = ts {
            self.summary.first_event_ms = Some(self.summary.first_event_ms.map_or(t, |f| f.min(t)));
            self.summary.last_event_ms = Some(self.summary.last_event_ms.map_or(t, |l| l.max(t)));
        }
        let Pipeline {
            grouper,
            analyzer,
            sink,
            ..
        } = self;
        grouper.push(ts, event.stream, line, &mut |inv| deliver(analyzer, sink, inv));
    }

    fn input_error(&mut self, error: InputError) {
        self.summary.errors.push(error);
    }

    fn invalid_utf8_lines(&mut self, count: u64) {
        self.summary.stats.invalid_utf8_lines += count;
    }
}

/// Builds the `--requests` row of one invocation; tokens masked unless `tokens` reveals them.
pub fn request_row(inv: &Invocation, verdict: &Verdict, tokens: TokenDisplay) -> RequestRow {
    let m = inv.report.as_ref();
    RequestRow {
        request_id: escape_control(&inv.request_id).into_owned(),
        time: inv.first_ts.or(inv.last_ts).map(format_rfc3339_ms),
        stream: escape_control(&inv.stream).into_owned(),
        decision: verdict.decision.name(),
        reasons: verdict.reasons.names(),
        source_ip: source_ip(inv).map(|s| escape_control(s).into_owned()),
        token: received_token(inv).map(|t| display_token(t, tokens)),
        duration_ms: m.and_then(|m| m.duration_us).map(|us| us as f64 / 1000.0),
        billed_duration_ms: m.and_then(|m| m.billed_ms),
        memory_size_mb: m.and_then(|m| m.memory_size_mb),
        max_memory_used_mb: m.and_then(|m| m.max_memory_used_mb),
        init_duration_ms: inv.init_duration_us.map(|us| us as f64 / 1000.0),
        incomplete: !inv.is_complete(),
    }
}
