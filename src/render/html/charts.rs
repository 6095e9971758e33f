//! The HTML report's charts as SVG, drawn with plotters' SVG backend (which escapes every text it
//! writes): horizontal stacked bars, the timeline, the duration histogram.

use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::prelude::*;

/// The colors of the report, readable on light and dark backgrounds.
pub const ALLOWED: RGBColor = RGBColor(0x2e, 0x9d, 0x57);
pub const DENIED: RGBColor = RGBColor(0xd6, 0x45, 0x45);
pub const OTHER: RGBColor = RGBColor(0x8a, 0x8f, 0x98);
pub const ACCENT: RGBColor = RGBColor(0x3b, 0x82, 0xc4);
pub const WARN: RGBColor = RGBColor(0xe0, 0x8a, 0x1e);
pub const PURPLE: RGBColor = RGBColor(0x8e, 0x5c, 0xc4);

/// A chart that could not be drawn: the page says so instead of failing.
pub type ChartResult = Result<String, String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// One segment of a bar: its value and color.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub value: u64,
    pub color: RGBColor,
}

/// One horizontal bar: its label (any text; plotters escapes it) and its segments, left to right.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub segments: Vec<Segment>,
}

/// Horizontal stacked bars, one per row, labelled on the left, values on the bottom axis.
///
/// Category axes are `(0..n - 1).into_segmented()`: plotters' segments of `0..k` are `0..=k`
/// (one bar gets two segments, as `0..0` would draw nothing).
pub fn horizontal_bars(bars: &[Bar], width: u32, label_px: u32) -> ChartResult {
    let n = bars.len().max(1) as u32;
    let total = |b: &Bar| b.segments.iter().map(|s| s.value).sum::<u64>();
    let max = bars.iter().map(total).max().unwrap_or(0).max(1) as f64;
    let height = 34 + 26 * n;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(6)
            .x_label_area_size(22)
            .y_label_area_size(label_px)
            .build_cartesian_2d(0f64..max * 1.05, (0..(n - 1).max(1)).into_segmented())
            .map_err(err)?;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n as usize)
            // The first bar on top: row i is drawn in segment n - 1 - i.
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(j) if *j < n => labels.get((n - 1 - j) as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .light_line_style(TRANSPARENT)
            .x_labels(5)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(err)?;
        let mut rects = Vec::new();
        for (i, bar) in bars.iter().enumerate() {
            let row = n - 1 - i as u32;
            let mut x = 0.0;
            for s in bar.segments.iter().filter(|s| s.value > 0) {
                let next = x + s.value as f64;
                let mut r = Rectangle::new(
                    [(x, SegmentValue::Exact(row)), (next, SegmentValue::Exact(row + 1))],
                    s.color.filled(),
                );
                r.set_margin(4, 4, 0, 0);
                rects.push(r);
                x = next;
            }
        }
        chart.draw_series(rects).map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// A label formatter for a category axis that names about `most` columns, evenly spaced.
fn sparse_labels(labels: &[String], most: usize) -> impl Fn(&SegmentValue<u32>) -> String + '_ {
    let every = labels.len().div_ceil(most).max(1);
    move |v| match v {
        SegmentValue::CenterOf(i) if (*i as usize).is_multiple_of(every) => {
            labels.get(*i as usize).cloned().unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The axes of a column chart: about `most` of the `labels` along the bottom, counts up the side.
fn column_mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<SegmentedCoord<RangedCoordu32>, RangedCoordf64>>,
    labels: &[String],
    most: usize,
) -> Result<(), String> {
    let label = sparse_labels(labels, most);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len().max(1))
        .x_label_formatter(&label)
        .y_labels(5)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .light_line_style(TRANSPARENT)
        .label_style(("sans-serif", 11))
        .draw()
        .map_err(err)
}

/// Vertical stacked bars over labelled columns (the timeline: allowed, denied, other per bucket).
pub fn stacked_columns(columns: &[(String, Vec<Segment>)], width: u32, height: u32) -> ChartResult {
    let n = columns.len().max(1) as u32;
    let max = columns
        .iter()
        .map(|(_, s)| s.iter().map(|s| s.value).sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(6)
            .x_label_area_size(24)
            .y_label_area_size(44)
            .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), 0f64..max * 1.05)
            .map_err(err)?;
        // At most about 8 labels along the bottom, whatever the number of columns.
        let labels: Vec<String> = columns.iter().map(|(l, _)| l.clone()).collect();
        column_mesh(&mut chart, &labels, 8)?;
        let mut rects = Vec::new();
        for (i, (_, segments)) in columns.iter().enumerate() {
            let mut y = 0.0;
            for s in segments.iter().filter(|s| s.value > 0) {
                let next = y + s.value as f64;
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i as u32), y),
                        (SegmentValue::Exact(i as u32 + 1), next),
                    ],
                    s.color.filled(),
                );
                r.set_margin(0, 0, 1, 1);
                rects.push(r);
                y = next;
            }
        }
        chart.draw_series(rects).map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The duration histogram: one column per bin (labelled by its upper end), with the bins holding
/// the marked percentiles drawn in another color and named above them.
pub fn histogram(bins: &[(String, u64)], marks: &[(String, usize)], width: u32, height: u32) -> ChartResult {
    let n = bins.len().max(1) as u32;
    let max = bins.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(6)
            .margin_top(22)
            .x_label_area_size(24)
            .y_label_area_size(44)
            .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), 0f64..max * 1.1)
            .map_err(err)?;
        let labels: Vec<String> = bins.iter().map(|b| format!("≤{}", b.0)).collect();
        column_mesh(&mut chart, &labels, 10)?;
        chart
            .draw_series(bins.iter().enumerate().map(|(i, (_, count))| {
                let color = ACCENT;
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i as u32), 0.0),
                        (SegmentValue::Exact(i as u32 + 1), *count as f64),
                    ],
                    color.filled(),
                );
                r.set_margin(0, 0, 2, 2);
                r
            }))
            .map_err(err)?;
        // Each percentile named above its bin; several in one bin share one label.
        let mut by_bin: Vec<(usize, Vec<&str>)> = Vec::new();
        for (name, at) in marks {
            match by_bin.iter_mut().find(|(b, _)| b == at) {
                Some((_, names)) => names.push(name),
                None => by_bin.push((*at, vec![name])),
            }
        }
        // A thin marker down the middle of each marked bin.
        chart
            .draw_series(by_bin.iter().map(|(at, _)| {
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(*at as u32), 0.0),
                        (SegmentValue::Exact(*at as u32 + 1), max * 1.0),
                    ],
                    WARN.filled(),
                );
                // Leaves the middle ~2 px of the column's width.
                let w = (width.saturating_sub(60) / n.max(1)) / 2;
                r.set_margin(0, 0, w.saturating_sub(1), w.saturating_sub(1));
                r
            }))
            .map_err(err)?;
        chart
            .draw_series(by_bin.iter().map(|(at, names)| {
                Text::new(
                    names.join(" "),
                    (SegmentValue::CenterOf(*at as u32), max * 1.04),
                    ("sans-serif", 11).into_font().color(&WARN),
                )
            }))
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_from_logs_are_escaped_in_the_svg() {
        let svg = horizontal_bars(
            &[Bar {
                label: "<script>alert(1)</script>\"&".into(),
                segments: vec![Segment {
                    value: 3,
                    color: DENIED,
                }],
            }],
            400,
            120,
        )
        .expect("chart");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
    }

    #[test]
    fn each_nonzero_segment_is_one_rectangle() {
        let svg = stacked_columns(
            &[
                (
                    "a".into(),
                    vec![
                        Segment {
                            value: 2,
                            color: ALLOWED,
                        },
                        Segment {
                            value: 0,
                            color: DENIED,
                        },
                    ],
                ),
                (
                    "b".into(),
                    vec![
                        Segment {
                            value: 1,
                            color: ALLOWED,
                        },
                        Segment {
                            value: 5,
                            color: DENIED,
                        },
                    ],
                ),
            ],
            300,
            150,
        )
        .expect("chart");
        let filled = svg.matches("fill=\"#D64545\"").count() + svg.matches("fill=\"#2E9D57\"").count();
        assert_eq!(filled, 3, "{svg}");
        assert!(histogram(&[], &[], 200, 100).is_ok());
    }
}
