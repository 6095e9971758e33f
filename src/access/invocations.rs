//! The authorizer's invocations as the access-log join needs them, collected beside the report
//! (an `InvocationSink` that also passes each invocation on, e.g. to the `--requests` printer).

use std::ops::ControlFlow;

use rustc_hash::FxHashSet;

use super::collect::{id_hash, IdHash, Interner, MAX_REQUESTS};
use crate::decision::{Decision, Verdict};
use crate::engine::InvocationSink;
use crate::group::Invocation;
use crate::redact::KnownTokens;

/// At most this many distinct allowed IPs are kept (a real authorizer has one or two).
const MAX_ALLOWED_VALUES: usize = 64;

/// One invocation as the join needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvocationNote {
    /// Its START (first line), epoch ms.
    pub time_ms: Option<i64>,
    /// The source IP it logged, interned.
    pub ip: Option<u32>,
    /// The API request id it logged (`API Request ID: …`), hashed.
    pub api_request_id: Option<IdHash>,
    /// What it decided.
    pub decision: Decision,
}

/// Collects an [`InvocationNote`] per invocation and passes the invocation on to `inner`.
pub struct InvocationNotes<'a> {
    /// The invocations, in the order they finished.
    pub notes: Vec<InvocationNote>,
    /// Their source IPs, interned.
    pub ips: Interner,
    /// The allowed IPs they logged (`Allowed IP: …`).
    pub allowed_ips: FxHashSet<String>,
    /// The tokens they logged, allowed and received: masked wherever an access-log value
    /// repeats one (the allowed ones pinned, so no caller's tokens push them out).
    pub(crate) tokens: KnownTokens,
    /// More invocations than [`MAX_REQUESTS`] were in the window.
    pub over_cap: bool,
    inner: Option<&'a mut dyn InvocationSink>,
}

impl<'a> InvocationNotes<'a> {
    /// Notes passing each invocation on to `inner`, when given.
    pub fn new(inner: Option<&'a mut dyn InvocationSink>) -> InvocationNotes<'a> {
        InvocationNotes {
            notes: Vec::new(),
            ips: Interner::default(),
            allowed_ips: FxHashSet::default(),
            tokens: KnownTokens::default(),
            over_cap: false,
            inner,
        }
    }
}

impl InvocationNotes<'_> {
    /// The earliest and latest START of the invocations that have one.
    pub fn span(&self) -> Option<(i64, i64)> {
        self.notes.iter().filter_map(|n| n.time_ms).fold(None, |span, t| {
            Some(span.map_or((t, t), |(lo, hi): (i64, i64)| (lo.min(t), hi.max(t))))
        })
    }
}

impl InvocationSink for InvocationNotes<'_> {
    fn invocation(&mut self, inv: &Invocation, verdict: &Verdict) -> ControlFlow<()> {
        let a = &inv.auth;
        if let Some(ip) = a.allowed_ip.as_deref() {
            if self.allowed_ips.len() < MAX_ALLOWED_VALUES {
                self.allowed_ips.insert(ip.to_string());
            }
        }
        if let Some(t) = a.allowed_token.as_deref() {
            self.tokens.pin(t);
        }
        if let Some(t) = a.token.as_deref() {
            self.tokens.receive(t);
        }
        let ips = &mut self.ips;
        self.notes.push(InvocationNote {
            time_ms: inv.first_ts,
            ip: a.source_ip.as_deref().map(|ip| ips.intern(ip)),
            api_request_id: a.api_request_id.as_deref().map(id_hash),
            decision: verdict.decision,
        });
        if self.notes.len() > MAX_REQUESTS {
            self.over_cap = true;
            return ControlFlow::Break(());
        }
        match self.inner.as_deref_mut() {
            Some(inner) => inner.invocation(inv, verdict),
            None => ControlFlow::Continue(()),
        }
    }
}
