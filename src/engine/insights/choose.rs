//! `--engine auto`: local or Logs Insights, chosen from the window's stored size, and the spending
//! guard: what a plan would cost against `--max-cost` (or auto's own cap).

use std::io::Write;

use super::estimate::{estimate_window, WindowEstimate};
use super::plan::{download_seconds, planned_scan_bytes, scan_cost, slices, Price, AUTO_MAX_COST_USD};
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
    /// What the plan would scan and cost, when the window could be estimated.
    pub cost: Option<PlanCost>,
}

impl Choice {
    /// A choice made without estimating the window.
    fn unestimated(insights: bool, why: String) -> Choice {
        Choice {
            insights,
            why,
            groups: None,
            bytes: None,
            cost: None,
        }
    }

    /// A choice made from the window's estimate and its plan's cost.
    fn estimated(insights: bool, why: String, estimate: WindowEstimate, cost: PlanCost) -> Choice {
        Choice {
            insights,
            why,
            groups: Some(estimate.groups),
            bytes: Some(estimate.bytes),
            cost: Some(cost),
        }
    }
}

/// The estimated scan and cost of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCost {
    /// Bytes one kind of query scans over every slice, margins past inner boundaries included.
    pub bytes_per_query: f64,
    /// Queries of each slice and batch.
    pub kinds: usize,
    /// The price it is billed at.
    pub price: Price,
    /// In US dollars, every query of the plan (splits not included: they are not foreseen).
    pub usd: f64,
}

impl PlanCost {
    /// The plan over `cw` cut into slices of `options.slice_ms`, estimated from `estimate`.
    pub fn of(estimate: &WindowEstimate, options: &InsightsOptions, cw: &FetchConfig, now_ms: i64) -> PlanCost {
        let plan = slices(cw.start_ms, cw.end_ms, options.slice_ms);
        let bytes_per_query = planned_scan_bytes(&estimate.volumes, &plan, now_ms);
        let price = Price::of(&estimate.region, options.price_gb_scanned);
        let kinds = QueryKind::ALL.len();
        PlanCost {
            usd: scan_cost(bytes_per_query, kinds, price.usd_per_gb),
            bytes_per_query,
            kinds,
            price,
        }
    }

    /// `about 3.1 GB (about $0.0155)`.
    fn phrase(&self) -> String {
        format!(
            "about {} (about ${:.4})",
            human_bytes(self.bytes_per_query * self.kinds as f64),
            self.usd
        )
    }
}

/// The cap `options` puts on a run, and whether the user gave it.
fn cap(options: &InsightsOptions) -> (f64, &'static str) {
    match options.max_cost {
        Some(c) => (c, "--max-cost"),
        None => (AUTO_MAX_COST_USD, "auto's cap"),
    }
}

/// The refusal of a plan above `--max-cost` (`--engine insights`), before any query starts.
fn over_max_cost(cost: &PlanCost, options: &InsightsOptions) -> Option<CwError> {
    let max = options.max_cost?;
    (cost.usd > max).then(|| CwError::OverCap {
        scan: human_bytes(cost.bytes_per_query * cost.kinds as f64),
        cost: cost.usd,
        cap: format!("--max-cost {max}"),
        fix: "raise --max-cost, narrow --since/--until, or use --engine local",
    })
}

/// Picks the engine of a CloudWatch report: as asked, or for `auto` from the window's size. A
/// plan estimated above `--max-cost` is refused with `--engine insights`; `auto` reads it locally
/// instead, as it does any plan above [`AUTO_MAX_COST_USD`] without `--max-cost`.
pub fn choose(
    engine: Engine,
    options: &InsightsOptions,
    cw: &FetchConfig,
    now_ms: i64,
    err: &mut dyn Write,
) -> Result<Choice, CwError> {
    match engine {
        Engine::Local => Ok(Choice::unestimated(false, "--engine local".into())),
        Engine::Insights => {
            let estimate = match estimate_window(cw, now_ms, err) {
                Ok(e) => e,
                // Describing may be denied where querying is not: without a cap to keep, run.
                Err(CwError::AccessDenied { .. }) if options.max_cost.is_none() => {
                    return Ok(Choice::unestimated(true, "--engine insights".into()))
                }
                Err(e) => return Err(e),
            };
            let cost = PlanCost::of(&estimate, options, cw, now_ms);
            if let Some(refused) = over_max_cost(&cost, options) {
                return Err(refused);
            }
            Ok(Choice::estimated(true, "--engine insights".into(), estimate, cost))
        }
        Engine::Auto => {
            let estimate = match estimate_window(cw, now_ms, err) {
                Ok(e) => e,
                // Reading may be allowed where describing is not: read, and say how to choose.
                Err(CwError::AccessDenied { permission, .. }) => {
                    return Ok(Choice::unestimated(
                        false,
                        format!(
                            "cannot estimate the window's size (access denied to {permission}); pass --engine insights to use Logs Insights"
                        ),
                    ))
                }
                Err(e) => return Err(e),
            };
            let cost = PlanCost::of(&estimate, options, cw, now_ms);
            let seconds = download_seconds(estimate.bytes, cw.max_tps);
            let faster = seconds > AUTO_DOWNLOAD_SECONDS;
            let (max, whose) = cap(options);
            let insights = faster && cost.usd <= max;
            let download = format!(
                "about {} in the window: downloading takes about {} at --max-tps {}",
                human_bytes(estimate.bytes),
                human_seconds(seconds),
                cw.max_tps,
            );
            let why = if insights {
                format!("{download}, Logs Insights scans it for about ${:.4}", cost.usd)
            } else if faster {
                format!(
                    "{download}; Logs Insights would scan {}, above {whose} of ${max:.2}: pass --engine insights (or a higher --max-cost) to use it",
                    cost.phrase()
                )
            } else {
                download
            };
            Ok(Choice::estimated(insights, why, estimate, cost))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::{Connection, GroupSelection};
    use crate::engine::insights::plan::{GroupVolume, MARGIN_MS};

    const DAY: i64 = 86_400_000;

    fn window(days: i64, now: i64) -> FetchConfig {
        FetchConfig {
            connection: Connection {
                profile: None,
                region: None,
                endpoint_url: None,
            },
            groups: GroupSelection {
                names: vec!["/aws/lambda/f".into()],
                pattern: String::new(),
                all: false,
            },
            start_ms: now - days * DAY,
            end_ms: now,
            slices: 4,
            max_tps: 5.0,
            max_attempts: 3,
        }
    }

    /// A group holding `gb_per_day` for each of its 30 retained days.
    fn estimate(gb_per_day: f64, region: &str) -> WindowEstimate {
        WindowEstimate {
            groups: vec!["/aws/lambda/f".into()],
            bytes: 0.0,
            volumes: vec![GroupVolume {
                stored_bytes: (gb_per_day * 30.0 * 1e9) as i64,
                created_ms: Some(0),
                retention_days: Some(30),
            }],
            region: region.into(),
        }
    }

    fn options(slice_days: i64, price: Option<f64>, max_cost: Option<f64>) -> InsightsOptions {
        InsightsOptions {
            concurrency: 4,
            slice_ms: slice_days * DAY,
            price_gb_scanned: price,
            max_cost,
        }
    }

    #[test]
    fn a_plan_costs_its_margins_at_its_regions_price() {
        let now = 1000 * DAY;
        let cw = window(30, now);
        // 30 one-day slices: 29 inner boundaries, each read 16 min more on both sides.
        let c = PlanCost::of(&estimate(10.0, "ap-northeast-1"), &options(1, None, None), &cw, now);
        let margins = 29.0 * 2.0 * MARGIN_MS as f64 / DAY as f64 * 10e9;
        assert!(
            (c.bytes_per_query - 300e9 - margins).abs() < 10.0,
            "{}",
            c.bytes_per_query
        );
        assert_eq!(c.kinds, 3);
        assert!((c.usd - c.bytes_per_query * 3.0 / 1e9 * 0.0076).abs() < 1e-9);
        // Scan efficiency (bytes scanned ÷ bytes stored in the window) of a 30-day plan in 1-day
        // slices: 1 + 29 × 2 × 16 min / 30 days ≈ 1.0215.
        let efficiency = c.bytes_per_query / 300e9;
        assert!(
            (efficiency - (1.0 + 29.0 * 32.0 / (30.0 * 1440.0))).abs() < 1e-6,
            "{efficiency}"
        );
        // A 1-day plan is one slice: it scans the window and nothing more.
        let day = PlanCost::of(
            &estimate(10.0, "us-east-1"),
            &options(1, None, None),
            &window(1, now),
            now,
        );
        assert!(
            (day.bytes_per_query / 10e9 - 1.0).abs() < 1e-9,
            "{}",
            day.bytes_per_query
        );
        // One slice over the window reads no margin; the option overrides the region's price.
        let one = PlanCost::of(
            &estimate(10.0, "ap-northeast-1"),
            &options(30, Some(0.01), None),
            &cw,
            now,
        );
        assert!((one.bytes_per_query - 300e9).abs() < 10.0);
        assert!((one.usd - 9.0).abs() < 1e-6);
    }

    #[test]
    fn auto_stays_under_its_cap_and_insights_refuses_above_max_cost() {
        let now = 1000 * DAY;
        let cw = window(30, now);
        let e = estimate(10.0, "us-east-1");
        let cost = PlanCost::of(&e, &options(1, None, None), &cw, now);
        // 900 GB and more at $0.005: about $4.6, above $1.
        assert!(cost.usd > 4.5 && cost.usd < 4.7, "{}", cost.usd);
        assert_eq!(cap(&options(1, None, None)), (AUTO_MAX_COST_USD, "auto's cap"));
        assert_eq!(cap(&options(1, None, Some(20.0))), (20.0, "--max-cost"));
        assert!(over_max_cost(&cost, &options(1, None, None)).is_none());
        assert!(over_max_cost(&cost, &options(1, None, Some(5.0))).is_none());
        let refused = over_max_cost(&cost, &options(1, None, Some(4.0)))
            .expect("refused")
            .to_string();
        assert!(
            refused.starts_with("Logs Insights would scan about ") && refused.contains("more than --max-cost 4"),
            "{refused}"
        );
    }
}
