//! Tests of tail's filter: IP ranges, and the one rule invocations and API requests are printed by.

use super::*;

fn reasons(ip: bool, token: bool, missing: bool) -> DenialReasons {
    DenialReasons {
        ip_mismatch: ip,
        token_mismatch: token,
        token_missing: missing,
    }
}

fn range(s: &str) -> IpRange {
    IpRange::parse(s).unwrap_or_else(|| panic!("{s} parses"))
}

#[test]
fn ip_ranges_match_addresses_and_prefixes() {
    let r = range;
    assert!(r("203.0.113.10").contains("203.0.113.10"));
    assert!(!r("203.0.113.10").contains("203.0.113.11"));
    assert!(r("203.0.113.0/24").contains("203.0.113.200"));
    assert!(!r("203.0.113.0/24").contains("203.0.114.1"));
    assert!(r("0.0.0.0/0").contains("198.51.100.23"));
    assert!(r("2001:db8::/32").contains("2001:db8:1::5"));
    assert!(!r("2001:db8::/32").contains("203.0.113.10"));
    assert!(!r("203.0.113.0/24").contains("<script>"));
    assert!(IpRange::parse("203.0.113.0/33").is_none());
    assert!(IpRange::parse("evil").is_none());
}

#[test]
fn no_filter_admits_everything() {
    let f = TailFilter::default();
    assert!(f.admits(false, DenialReasons::default(), None));
    assert!(f.admits(true, reasons(true, true, true), Some("198.51.100.7")));
}

#[test]
fn denied_and_reasons_admit_only_refused_callers() {
    let denied = TailFilter {
        denied: true,
        ..TailFilter::default()
    };
    assert!(!denied.admits(false, DenialReasons::default(), None));
    // Mismatch evidence without a refusal (a timeout) is not a denial.
    assert!(!denied.admits(false, reasons(true, false, false), None));
    assert!(denied.admits(true, DenialReasons::default(), None));

    let missing = TailFilter {
        reasons: vec![ReasonArg::Missing],
        ..TailFilter::default()
    };
    assert!(!missing.admits(false, reasons(false, true, true), None));
    assert!(!missing.admits(true, reasons(false, true, false), None));
    assert!(missing.admits(true, reasons(false, true, true), None));

    let ip_or_token = TailFilter {
        reasons: vec![ReasonArg::Ip, ReasonArg::Token],
        ..TailFilter::default()
    };
    assert!(ip_or_token.admits(true, reasons(true, false, false), None));
    assert!(ip_or_token.admits(true, reasons(false, true, false), None));
    // A refusal without a reason (a cached deny, a 401) has none of them.
    assert!(!ip_or_token.admits(true, DenialReasons::default(), None));
}

#[test]
fn ips_admit_callers_in_any_range_and_never_an_unknown_ip() {
    let f = TailFilter {
        ips: vec![range("203.0.113.0/24"), range("2001:db8::/32")],
        ..TailFilter::default()
    };
    assert!(f.admits(false, DenialReasons::default(), Some("203.0.113.9")));
    assert!(f.admits(false, DenialReasons::default(), Some("2001:db8::1")));
    assert!(!f.admits(false, DenialReasons::default(), Some("198.51.100.7")));
    assert!(!f.admits(false, DenialReasons::default(), None));
    let both = TailFilter { denied: true, ..f };
    assert!(!both.admits(false, DenialReasons::default(), Some("203.0.113.9")));
    assert!(both.admits(true, DenialReasons::default(), Some("203.0.113.9")));
}

#[test]
fn reasons_read_back_from_their_names() {
    for ip in [false, true] {
        for token in [false, true] {
            for missing in [false, true] {
                let r = reasons(ip, token, missing);
                assert_eq!(DenialReasons::from_names(&r.names()), r);
            }
        }
    }
}
