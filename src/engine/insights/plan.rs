//! How a window is cut for Logs Insights: batches of at most 50 groups, slices of time whose
//! requests are joined whole (a margin past each inner boundary), and what the scan will cost.

use super::query::Bounds;

/// Log groups one query may name.
pub const GROUPS_PER_QUERY: usize = 50;

/// How far past an inner slice boundary a query reads, so that every line of a request that
/// starts inside the slice is joined: Lambda's longest timeout (900 s) and a minute to spare.
pub const MARGIN_MS: i64 = 16 * 60_000;

/// Slices are split (after a Timeout, or too many rows) down to this and no further.
pub const MIN_SLICE_MS: i64 = 60_000;

/// The us-east-1 price of Logs Insights per GB scanned (Standard log class): the price of a
/// region missing from [`USD_PER_GB_SCANNED`].
pub const DEFAULT_USD_PER_GB_SCANNED: f64 = 0.005;

/// Logs Insights $ per GB scanned by region, where a price could be documented. Prices differ by
/// region (Tokyo's is about 1.5 times Virginia's), so a region is only listed with its own price;
/// any other falls back to us-east-1's with a note, and `--price-gb-scanned` overrides both.
pub const USD_PER_GB_SCANNED: [(&str, f64); 2] = [("us-east-1", 0.005), ("ap-northeast-1", 0.0076)];

/// `--engine auto` never starts a scan estimated above this many dollars (without `--max-cost`).
pub const AUTO_MAX_COST_USD: f64 = 1.0;

/// The price a run bills at, and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// $ per GB scanned.
    pub usd_per_gb: f64,
    /// Where it comes from, for `--explain` and notes.
    pub origin: PriceOrigin,
}

/// Where a [`Price`] comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceOrigin {
    /// `--price-gb-scanned`.
    Option,
    /// The table's price of this region.
    Region(String),
    /// The region is not in the table: us-east-1's price is used.
    Unknown(String),
}

impl Price {
    /// The price of `region`, unless `override_usd` (`--price-gb-scanned`) is given.
    pub fn of(region: &str, override_usd: Option<f64>) -> Price {
        if let Some(usd_per_gb) = override_usd {
            return Price {
                usd_per_gb,
                origin: PriceOrigin::Option,
            };
        }
        match USD_PER_GB_SCANNED.iter().find(|(r, _)| *r == region) {
            Some((_, usd_per_gb)) => Price {
                usd_per_gb: *usd_per_gb,
                origin: PriceOrigin::Region(region.to_string()),
            },
            None => Price {
                usd_per_gb: DEFAULT_USD_PER_GB_SCANNED,
                origin: PriceOrigin::Unknown(region.to_string()),
            },
        }
    }

    /// Where the price comes from, in a phrase (`$0.0076/GB, the price of ap-northeast-1`).
    pub fn describe(&self) -> String {
        match &self.origin {
            PriceOrigin::Option => format!("${}/GB (--price-gb-scanned)", self.usd_per_gb),
            PriceOrigin::Region(r) => format!("${}/GB, the price of {r}", self.usd_per_gb),
            PriceOrigin::Unknown(r) => format!(
                "${}/GB, us-east-1's price: authlogs has no price for {r}; pass --price-gb-scanned to use its own",
                self.usd_per_gb
            ),
        }
    }
}

/// The bounds of `[start, end)` within the window `[window_start, window_end)`: the scan reaches
/// a margin past each boundary that is not the window's own.
pub fn bounds(start: i64, end: i64, window_start: i64, window_end: i64) -> Bounds {
    Bounds {
        scan_start: if start <= window_start {
            window_start
        } else {
            start.saturating_sub(MARGIN_MS).max(window_start)
        },
        scan_end: if end >= window_end {
            window_end
        } else {
            end.saturating_add(MARGIN_MS).min(window_end)
        },
        start,
        end,
    }
}

/// The window cut into slices of `slice_ms` (the last one shorter), on whole minutes.
pub fn slices(window_start: i64, window_end: i64, slice_ms: i64) -> Vec<Bounds> {
    let step = slice_ms.max(MIN_SLICE_MS);
    let mut out = Vec::new();
    let mut s = window_start;
    while s < window_end {
        let mut e = s.saturating_add(step);
        // Inner boundaries on whole minutes: a minute's timeline row then comes from one slice.
        e = e.div_euclid(60_000).saturating_mul(60_000).max(s + 1);
        let e = if e >= window_end || window_end - e < MIN_SLICE_MS / 2 {
            window_end
        } else {
            e
        };
        out.push(bounds(s, e, window_start, window_end));
        s = e;
    }
    out
}

/// The two halves of a slice (split on a whole minute), or none when it is as small as slices get.
pub fn split(b: &Bounds, window_start: i64, window_end: i64) -> Option<[Bounds; 2]> {
    if b.end - b.start < 2 * MIN_SLICE_MS {
        return None;
    }
    let mid = (b.start + (b.end - b.start) / 2).div_euclid(60_000) * 60_000;
    let mid = if mid <= b.start { b.start + MIN_SLICE_MS } else { mid };
    Some([
        bounds(b.start, mid, window_start, window_end),
        bounds(mid, b.end, window_start, window_end),
    ])
}

/// StartQuery's `startTime`/`endTime` for a scan: epoch seconds, both inclusive. The start is
/// rounded down and the end up, so the range holds every millisecond of the scan whether the
/// service reads `endTime` as a whole second or as its first instant; the query's own filter on
/// `@timestamp` keeps exactly the milliseconds of the scan, and the extra second costs at most a
/// second of events.
pub fn api_seconds(b: &Bounds) -> (i64, i64) {
    let start = b.scan_start.div_euclid(1000);
    let end = (b.scan_end.div_euclid(1000) + i64::from(b.scan_end.rem_euclid(1000) != 0)).max(start);
    (start, end)
}

/// The groups in batches a query may name.
pub fn batches(groups: &[String]) -> Vec<Vec<String>> {
    groups.chunks(GROUPS_PER_QUERY).map(<[String]>::to_vec).collect()
}

/// One group's stored size, age and retention, for estimating a window's volume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupVolume {
    pub stored_bytes: i64,
    pub created_ms: Option<i64>,
    pub retention_days: Option<i32>,
}

/// The bytes of a window: each group's stored bytes spread evenly over the time it holds (its
/// retention, or its age when younger), times the share of that time the window covers.
pub fn window_bytes(groups: &[GroupVolume], start_ms: i64, end_ms: i64, now_ms: i64) -> f64 {
    groups
        .iter()
        .map(|g| {
            let age = g.created_ms.map(|c| now_ms.saturating_sub(c)).unwrap_or(i64::MAX);
            let kept = g
                .retention_days
                .map(|d| i64::from(d) * 86_400_000)
                .unwrap_or(i64::MAX)
                .min(age)
                .max(60_000);
            let covered = end_ms
                .min(now_ms)
                .saturating_sub(start_ms.max(now_ms.saturating_sub(kept)));
            g.stored_bytes.max(0) as f64 * (covered.max(0) as f64 / kept as f64).min(1.0)
        })
        .sum()
}

/// The mean size of a Lambda log event as FilterLogEvents pages count it (REPORT lines are about
/// 120 bytes, the seed's INFO lines 90 to 110).
pub const BYTES_PER_EVENT: f64 = 110.0;

/// Seconds FilterLogEvents needs for `bytes` at `max_tps`: pages hold 10,000 events or 1 MB.
pub fn download_seconds(bytes: f64, max_tps: f64) -> f64 {
    let pages = (bytes / BYTES_PER_EVENT / 10_000.0)
        .max(bytes / 1_048_576.0)
        .ceil()
        .max(1.0);
    pages / max_tps.max(0.001)
}

/// The bytes one kind of query scans over the whole plan: each slice's scan range, margins
/// included (every group is in one batch, so the batches add up to all the groups).
pub fn planned_scan_bytes(groups: &[GroupVolume], plan: &[Bounds], now_ms: i64) -> f64 {
    plan.iter()
        .map(|b| window_bytes(groups, b.scan_start, b.scan_end, now_ms))
        .sum()
}

/// Scanning `bytes` once per query of the report, in US dollars.
pub fn scan_cost(bytes: f64, queries: usize, usd_per_gb: f64) -> f64 {
    bytes * queries as f64 / 1e9 * usd_per_gb
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    #[test]
    fn slices_cover_the_window_and_scan_a_margin_past_inner_boundaries() {
        let s = slices(0, 50 * H, 24 * H);
        assert_eq!(s.len(), 3);
        assert_eq!(
            (s[0].start, s[0].end, s[0].scan_start, s[0].scan_end),
            (0, 24 * H, 0, 24 * H + MARGIN_MS)
        );
        assert_eq!((s[1].start, s[1].scan_start), (24 * H, 24 * H - MARGIN_MS));
        assert_eq!((s[2].start, s[2].end, s[2].scan_end), (48 * H, 50 * H, 50 * H));
        for w in s.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        // A whole window in one slice scans exactly the window.
        let one = slices(1_234, 5 * H, 24 * H);
        assert_eq!(
            one,
            vec![Bounds {
                scan_start: 1_234,
                scan_end: 5 * H,
                start: 1_234,
                end: 5 * H
            }]
        );
    }

    #[test]
    fn splits_halve_on_minutes_down_to_a_minute() {
        let b = bounds(0, 10 * 60_000 + 30_000, 0, 10 * 60_000 + 30_000);
        let [l, r] = split(&b, 0, b.end).expect("split");
        assert_eq!((l.start, l.end, r.start, r.end), (0, 300_000, 300_000, b.end));
        assert_eq!(l.scan_end, b.end.min(300_000 + MARGIN_MS));
        assert!(split(&bounds(0, 90_000, 0, 90_000), 0, 90_000).is_none());
    }

    #[test]
    fn api_seconds_are_inclusive_and_cover_every_millisecond() {
        // The end rounds up: the second holding the last millisecond (4,000) and the next.
        let b = bounds(1_500, 4_001, 1_500, 4_001);
        assert_eq!(api_seconds(&b), (1, 5));
        // A whole-second end: endTime 4 reaches 3,999 ms whether the service reads it as the
        // whole second or as its first instant.
        let b = bounds(2_000, 4_000, 2_000, 4_000);
        assert_eq!(api_seconds(&b), (2, 4));
        let b = bounds(-1_500, -1, -1_500, -1);
        assert_eq!(api_seconds(&b), (-2, 0));
    }

    #[test]
    fn the_price_follows_the_region_unless_overridden() {
        assert_eq!(Price::of("us-east-1", None).usd_per_gb, 0.005);
        let tokyo = Price::of("ap-northeast-1", None);
        assert_eq!(tokyo.usd_per_gb, 0.0076);
        assert_eq!(tokyo.describe(), "$0.0076/GB, the price of ap-northeast-1");
        let unknown = Price::of("xx-nowhere-9", None);
        assert_eq!(unknown.usd_per_gb, DEFAULT_USD_PER_GB_SCANNED);
        assert!(
            unknown.describe().contains("no price for xx-nowhere-9"),
            "{}",
            unknown.describe()
        );
        let given = Price::of("ap-northeast-1", Some(0.01));
        assert_eq!((given.usd_per_gb, given.origin), (0.01, PriceOrigin::Option));
    }

    #[test]
    fn the_planned_scan_counts_the_margins() {
        let day = 24 * H;
        let now = 100 * day;
        // 1 GB a day, kept 30 days.
        let g = [GroupVolume {
            stored_bytes: 30_000_000_000,
            created_ms: Some(0),
            retention_days: Some(30),
        }];
        let one = slices(now - day, now, day);
        assert!((planned_scan_bytes(&g, &one, now) - 1e9).abs() < 1.0);
        // Four slices of 6 h: three inner boundaries, each read twice for MARGIN_MS.
        let four = slices(now - day, now, 6 * H);
        assert_eq!(four.len(), 4);
        let margins = 6.0 * MARGIN_MS as f64 / day as f64 * 1e9;
        assert!((planned_scan_bytes(&g, &four, now) - 1e9 - margins).abs() < 1.0);
    }

    #[test]
    fn groups_go_fifty_to_a_query() {
        let groups: Vec<String> = (0..120).map(|i| format!("/aws/lambda/f{i}")).collect();
        let b = batches(&groups);
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), vec![50, 50, 20]);
    }

    #[test]
    fn a_window_is_its_share_of_what_a_group_keeps() {
        let day = 24 * H;
        let now = 100 * day;
        let g = GroupVolume {
            stored_bytes: 30_000_000_000,
            created_ms: Some(0),
            retention_days: Some(30),
        };
        // The last day of 30 kept: a thirtieth.
        assert!((window_bytes(&[g], now - day, now, now) - 1e9).abs() < 1.0);
        // A window older than the retention holds nothing.
        assert_eq!(window_bytes(&[g], 0, day, now), 0.0);
        // A group younger than its retention spreads its bytes over its age.
        let young = GroupVolume {
            created_ms: Some(now - 2 * day),
            ..g
        };
        assert!((window_bytes(&[young], now - day, now, now) - 15e9).abs() < 1.0);
        // 1 GB at 5 requests/s: about 17 minutes of FilterLogEvents (≈ 909 pages of 10,000 events).
        let s = download_seconds(1e9, 5.0);
        assert!((180.0..200.0).contains(&s), "{s}");
        assert!((scan_cost(1e9, 3, 0.005) - 0.015).abs() < 1e-12);
    }
}
