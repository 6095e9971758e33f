//! The decision rules: what an invocation's evidence says the authorizer decided, and why.
//!
//! The first rule that applies wins (timeout > error > denied > allowed > unknown):
//! 1. timeout: a REPORT `Status: timeout` or a `Task timed out` line (API Gateway answered 500);
//! 2. error: any other failed status, an unhandled exception or a runtime exit (500);
//! 3. denied: an IP or token mismatch (an `[ERROR]` mismatch line, or logged values that differ
//!    from the allowed ones, compared as text), or a `deny` message;
//! 4. allowed: all four `[INFO]` values logged (so both pairs match), or an `allow` message;
//! 5. unknown: none of these.
//!
//! The reasons (`ip_mismatch`, `token_mismatch`, and `token_missing` when the received token is
//! `None` or empty) are kept for every decision; the report counts them for denials only.
//! The full rules, and the authorizer they were written for: `docs/authorizer.md`.

mod filter;

pub use filter::{IpRange, ReasonArg, TailFilter};

use crate::group::Invocation;
use crate::redact::token_is_missing;

/// What the authorizer decided for one invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// The caller was let in.
    Allowed,
    /// The caller was turned away (403).
    Denied,
    /// API Gateway answered 500, not 403.
    Timeout,
    /// The authorizer failed (API Gateway answered 500).
    Error,
    /// The logs do not say.
    Unknown,
}

impl Decision {
    /// The lowercase name used in every output.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::Denied => "denied",
            Decision::Timeout => "timeout",
            Decision::Error => "error",
            Decision::Unknown => "unknown",
        }
    }
}

/// Why a request was (or would have been) denied. Kept for every decision, so a timed-out request
/// still shows its mismatch evidence in its own record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DenialReasons {
    pub ip_mismatch: bool,
    pub token_mismatch: bool,
    /// The token was absent (`None`) or empty; implies `token_mismatch`.
    pub token_missing: bool,
}

impl DenialReasons {
    pub fn any(self) -> bool {
        self.ip_mismatch || self.token_mismatch
    }

    pub fn names(self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.ip_mismatch {
            v.push("ip_mismatch");
        }
        if self.token_mismatch {
            v.push("token_mismatch");
        }
        if self.token_missing {
            v.push("token_missing");
        }
        v
    }

    /// The reasons [`names`](Self::names) wrote, read back: a request row keeps only the names.
    pub fn from_names(names: &[&str]) -> DenialReasons {
        DenialReasons {
            ip_mismatch: names.contains(&"ip_mismatch"),
            token_mismatch: names.contains(&"token_mismatch"),
            token_missing: names.contains(&"token_missing"),
        }
    }
}

/// A decision and, for a denial, its reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// The decision.
    pub decision: Decision,
    /// Why it was denied (mismatch evidence is kept for every decision).
    pub reasons: DenialReasons,
}

fn differ(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a != b)
}

/// The request's source IP: from the INFO line, else from an IP mismatch line.
pub fn source_ip(inv: &Invocation) -> Option<&str> {
    inv.auth
        .source_ip
        .as_deref()
        .or(inv.auth.ip_mismatch.as_ref().map(|(r, _)| r.as_str()))
}

/// The token the caller sent: from the INFO line, else from a token mismatch line.
pub fn received_token(inv: &Invocation) -> Option<&str> {
    inv.auth
        .token
        .as_deref()
        .or(inv.auth.token_mismatch.as_ref().map(|(r, _)| r.as_str()))
}

/// Applies the decision rules (timeout, error, denied, allowed, else unknown) to one invocation.
pub fn decide(inv: &Invocation) -> Verdict {
    let a = &inv.auth;
    let ip_mismatch = a.ip_mismatch.is_some() || differ(a.source_ip.as_deref(), a.allowed_ip.as_deref());
    let token_mismatch = a.token_mismatch.is_some() || differ(a.token.as_deref(), a.allowed_token.as_deref());
    let token_missing = token_mismatch && received_token(inv).is_some_and(token_is_missing);
    let reasons = DenialReasons {
        ip_mismatch,
        token_mismatch,
        token_missing,
    };
    let all_known = a.source_ip.is_some() && a.token.is_some() && a.allowed_ip.is_some() && a.allowed_token.is_some();
    let decision = if inv.timed_out {
        Decision::Timeout
    } else if inv.failed {
        Decision::Error
    } else if reasons.any() || a.deny_marker {
        Decision::Denied
    } else if all_known || a.allow_marker {
        Decision::Allowed
    } else {
        Decision::Unknown
    };
    Verdict { decision, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::group::AuthEvidence;

    fn inv(auth: AuthEvidence) -> Invocation {
        Invocation {
            auth,
            ..Default::default()
        }
    }

    fn info(ip: &str, tok: &str) -> AuthEvidence {
        AuthEvidence {
            source_ip: Some(ip.into()),
            token: Some(tok.into()),
            allowed_ip: Some("203.0.113.10".into()),
            allowed_token: Some("Ab12Xy34".into()),
            ..Default::default()
        }
    }

    #[test]
    fn allowed_when_all_values_match() {
        let v = decide(&inv(info("203.0.113.10", "Ab12Xy34")));
        assert_eq!(v.decision, Decision::Allowed);
        assert!(!v.reasons.any());
    }

    #[test]
    fn denied_reasons_from_values_and_error_lines() {
        let v = decide(&inv(info("198.51.100.7", "Ab12Xy34")));
        assert_eq!(
            (v.decision, v.reasons.ip_mismatch, v.reasons.token_mismatch),
            (Decision::Denied, true, false)
        );
        let v = decide(&inv(info("203.0.113.10", "None")));
        assert_eq!(
            v.reasons,
            DenialReasons {
                ip_mismatch: false,
                token_mismatch: true,
                token_missing: true
            }
        );
        let v = decide(&inv(info("198.51.100.7", "")));
        assert_eq!(
            v.reasons,
            DenialReasons {
                ip_mismatch: true,
                token_mismatch: true,
                token_missing: true
            }
        );
        // Only the ERROR line survived (log cut): still a token mismatch.
        let only_error = AuthEvidence {
            token_mismatch: Some(("test".into(), "Ab12Xy34".into())),
            ..Default::default()
        };
        let v = decide(&inv(only_error));
        assert_eq!(
            (v.decision, v.reasons.token_mismatch, v.reasons.token_missing),
            (Decision::Denied, true, false)
        );
    }

    #[test]
    fn timeout_and_error_win_but_keep_reasons() {
        let mut i = inv(info("198.51.100.7", "x"));
        i.timed_out = true;
        i.failed = true;
        let v = decide(&i);
        assert_eq!(v.decision, Decision::Timeout);
        assert!(v.reasons.ip_mismatch && v.reasons.token_mismatch);
        i.timed_out = false;
        assert_eq!(decide(&i).decision, Decision::Error);
    }

    #[test]
    fn unknown_without_evidence() {
        assert_eq!(decide(&inv(AuthEvidence::default())).decision, Decision::Unknown);
        let partial = AuthEvidence {
            source_ip: Some("203.0.113.10".into()),
            ..Default::default()
        };
        assert_eq!(decide(&inv(partial)).decision, Decision::Unknown);
    }
}
