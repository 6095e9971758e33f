//! Which invocations and API requests `tail` prints: one predicate over what the decision rules found.

use std::net::IpAddr;

use clap::ValueEnum;

use super::DenialReasons;

/// `tail --reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReasonArg {
    /// The source IP was not the allowed one.
    Ip,
    /// The token was not the allowed one (missing included).
    Token,
    /// No token was sent.
    Missing,
}

impl ReasonArg {
    /// Whether `reasons` name this reason.
    fn among(self, reasons: DenialReasons) -> bool {
        match self {
            ReasonArg::Ip => reasons.ip_mismatch,
            ReasonArg::Token => reasons.token_mismatch,
            ReasonArg::Missing => reasons.token_missing,
        }
    }
}

/// An IP address or a CIDR range that `--ip` matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    addr: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// `203.0.113.10`, `203.0.113.0/24`, `2001:db8::/32`.
    pub fn parse(s: &str) -> Option<IpRange> {
        let (ip, prefix) = match s.split_once('/') {
            Some((ip, p)) => (ip, Some(p.parse::<u8>().ok()?)),
            None => (s, None),
        };
        let addr: IpAddr = ip.trim().parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(IpRange { addr, prefix })
    }

    /// Whether `ip` (as logged) is in this range; text that is no IP never is.
    pub fn contains(&self, ip: &str) -> bool {
        let Ok(ip) = ip.trim().parse::<IpAddr>() else {
            return false;
        };
        let p = u32::from(self.prefix);
        match (self.addr, ip) {
            (IpAddr::V4(range), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - p).unwrap_or(0);
                u32::from(range) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(range), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - p).unwrap_or(0);
                u128::from(range) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// Which invocations `tail` prints; every one is still counted in the summary.
#[derive(Debug, Clone, Default)]
pub struct TailFilter {
    /// Only denied ones.
    pub denied: bool,
    /// Only these source IPs (any matches); empty: every IP.
    pub ips: Vec<IpRange>,
    /// Only denials with one of these reasons; empty: any.
    pub reasons: Vec<ReasonArg>,
}

impl TailFilter {
    /// Whether a line is printed for a caller that was `refused` (or not), for these denial
    /// `reasons`, from source `ip`. An invocation and an API request (refused by a fresh or a
    /// cached denial, a 401 or a failed authorizer) go through the same rule.
    pub fn admits(&self, refused: bool, reasons: DenialReasons, ip: Option<&str>) -> bool {
        if (self.denied || !self.reasons.is_empty()) && !refused {
            return false;
        }
        let reason_ok = self.reasons.is_empty() || self.reasons.iter().any(|reason| reason.among(reasons));
        let ip_ok = self.ips.is_empty() || ip.is_some_and(|ip| self.ips.iter().any(|range| range.contains(ip)));
        reason_ok && ip_ok
    }
}

#[cfg(test)]
mod tests;
