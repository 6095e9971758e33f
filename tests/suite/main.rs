//! The integration tests, one binary (one link of the crate) with a module per topic and the shared
//! helpers in `util`. The CloudWatch tests need the moto server `scripts/test` starts, the HTML
//! browser tests Chromium: without them they are skipped with one line on stderr, except under
//! `scripts/test` (`AUTHLOGS_TEST_REQUIRE_SERVERS=1`), where they fail and say so.

mod access;
mod access_cloudwatch;
mod access_shapes;
mod access_usage;
mod audit;
mod audit_report;
mod audit_report_sources;
mod cli;
mod cloudwatch;
mod cloudwatch_window;
mod fuzz;
mod hardening_budget;
mod hardening_escape;
mod hardening_small;
mod hardening_values;
mod hostile;
mod hostile_endpoint;
mod html;
mod insights;
mod insights_eval;
mod insights_faults;
mod interrupt;
mod layers;
mod line_ends;
mod masking;
mod no_panic;
mod parallel;
mod proxy;
mod snapshots;
mod tail;
mod tail_access;
mod tail_cloudwatch;
mod util;
