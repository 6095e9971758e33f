//! Tests of spans and rates as options take them.

use super::*;

#[test]
fn spans_and_alert_thresholds() {
    assert_eq!(span("x", "500ms").ok(), Some(500));
    assert_eq!(span("x", "1s").ok(), Some(1000));
    assert_eq!(span("x", "2m").ok(), Some(120_000));
    assert!(span("x", "soon").is_err());
    assert_eq!(count_per_span("x", "5/60s").ok(), Some((5, 60_000)));
    assert_eq!(count_per_span("x", "5/10m").ok(), Some((5, 600_000)));
    assert!(count_per_span("x", "five").is_err());
    assert!(count_per_span("x", "0/60s").is_err());
}
