//! `--engine auto`: local or Logs Insights, chosen from the window's stored size.

use std::io::Write;

use super::estimate::estimate_window;
use super::plan::{download_seconds, scan_cost};
use super::query::QueryKind;
use super::InsightsOptions;
use crate::aws::{CwError, FetchConfig};
use crate::engine::Engine;
use crate::human::{human_bytes, human_seconds};

/// Downloading longer than this makes `--engine auto` use Logs Insights.
const AUTO_DOWNLOAD_SECONDS: f64 = 60.0;

/// Which engine a report runs on, and why (for stderr).
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// Logs Insights (else the local engine).
    pub insights: bool,
    /// Why, in a phrase for stderr and `--explain`.
    pub why: String,
    /// The groups resolved while estimating (so they are not resolved twice).
    pub groups: Option<Vec<String>>,
    /// The estimated bytes of the window.
    pub bytes: Option<f64>,
}

/// Picks the engine of a CloudWatch report: as asked, or for `auto` from the window's size.
pub fn choose(
    engine: Engine,
    options: &InsightsOptions,
    cw: &FetchConfig,
    now_ms: i64,
    err: &mut dyn Write,
) -> Result<Choice, CwError> {
    match engine {
        Engine::Local => Ok(Choice {
            insights: false,
            why: "--engine local".into(),
            groups: None,
            bytes: None,
        }),
        Engine::Insights => Ok(Choice {
            insights: true,
            why: "--engine insights".into(),
            groups: None,
            bytes: None,
        }),
        Engine::Auto => {
            let estimate = match estimate_window(cw, now_ms, err) {
                Ok(e) => e,
                // Reading may be allowed where describing is not: read, and say how to choose.
                Err(CwError::AccessDenied { permission, .. }) => {
                    return Ok(Choice {
                        insights: false,
                        why: format!(
                            "cannot estimate the window's size (access denied to {permission}); pass --engine insights to use Logs Insights"
                        ),
                        groups: None,
                        bytes: None,
                    })
                }
                Err(e) => return Err(e),
            };
            let seconds = download_seconds(estimate.bytes, cw.max_tps);
            let insights = seconds > AUTO_DOWNLOAD_SECONDS;
            let why = format!(
                "about {} in the window: downloading takes about {} at --max-tps {}{}",
                human_bytes(estimate.bytes),
                human_seconds(seconds),
                cw.max_tps,
                if insights {
                    format!(
                        ", Logs Insights scans it for about ${:.4}",
                        scan_cost(estimate.bytes, QueryKind::ALL.len(), options.usd_per_gb_scanned)
                    )
                } else {
                    String::new()
                }
            );
            Ok(Choice {
                insights,
                why,
                groups: Some(estimate.groups),
                bytes: Some(estimate.bytes),
            })
        }
    }
}
