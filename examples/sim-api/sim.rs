//! The simulation's state machine: API Gateway answering each request, the authorizer's environments and cache.

use std::collections::HashMap;

use crate::rng::Rng;
use crate::scenario::{
    ALLOWED_IP, ALLOWED_TOKEN, BACKEND_OUTAGE, CACHE_TTL_MS, CONSOLE_API_REQUEST_ID, PERMISSION_OUTAGE, SPAN_MS, T0,
    TIMEOUTS_AT,
};
use crate::traffic::{arrivals, Tok, PROFILES, ROUTES, SCANNER_WORDS};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Decision {
    Allow,
    Deny,
    Timeout,
}

/// What happened to a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// No route matches: 404, no authorizer.
    NotFound,
    /// No `Authorization` header: 401 before the authorizer.
    IdentityMissing,
    /// API Gateway could not invoke the authorizer: 500 with the permission error.
    PermissionFailure,
    /// The authorizer ran for it (`Request::invocation`).
    Invoked(Decision),
    /// A cached decision answered it, made by an invocation for `made_for`.
    Cached { allow: bool, made_for: &'static str },
}

pub struct Request {
    pub api_request_id: String,
    pub ip: &'static str,
    /// `requestTimeEpoch`
    pub t: i64,
    pub method: &'static str,
    pub route: Option<&'static str>,
    pub success_status: u16,
    pub token: Option<String>,
    pub outcome: Outcome,
    pub status: u16,
    pub latency: i64,
    pub length: u64,
    pub integration_error: bool,
    pub invocation: Option<usize>,
}

pub struct Invocation {
    pub lambda_request_id: String,
    pub ip: &'static str,
    pub token: Option<String>,
    pub api_request_id: String,
    /// The access-log request it answered (None: a console test).
    pub request: Option<usize>,
    /// `(INIT_START time, Init Duration in hundredths of ms)` of a cold start.
    pub cold: Option<(i64, i64)>,
    pub start: i64,
    pub duration_centi: i64,
    pub used_mb: i64,
    pub decision: Decision,
}

impl Invocation {
    /// When END and REPORT are logged.
    pub fn end(&self) -> i64 {
        self.start + (self.duration_centi / 100 + 1).max(2)
    }
    pub fn billed_ms(&self) -> i64 {
        if self.decision == Decision::Timeout {
            3000
        } else {
            (self.duration_centi + 99) / 100
        }
    }
}

struct Env {
    free_at: i64,
    alive: bool,
}

struct CacheEntry {
    allow: bool,
    made_for: &'static str,
    from: i64,
    until: i64,
}

pub struct Sim {
    rng: Rng,
    pub requests: Vec<Request>,
    pub invocations: Vec<Invocation>,
    envs: Vec<Env>,
    cache: HashMap<String, CacheEntry>,
    timeouts_left: Vec<i64>,
}

impl Sim {
    pub fn new(seed: u64) -> Sim {
        let mut rng = Rng(seed);
        let mut requests = Vec::new();
        for (t, p) in arrivals(&mut rng) {
            let profile = &PROFILES[p];
            let unknown = rng.chance(profile.unknown_route);
            let (method, route, success_status) = if unknown {
                (if rng.chance(0.8) { "GET" } else { "POST" }, None, 404)
            } else {
                let (m, r, s) = rng.weighted(&ROUTES);
                (m, Some(r), s)
            };
            let token = match rng.weighted(profile.tokens) {
                Tok::Allowed => Some(ALLOWED_TOKEN.to_string()),
                Tok::Missing => None,
                Tok::Fixed(t) => Some(t.to_string()),
                Tok::Guess if rng.chance(0.4) => Some(SCANNER_WORDS[rng.below(6) as usize].to_string()),
                Tok::Guess => Some(rng.fresh_token()),
            };
            requests.push(Request {
                api_request_id: rng.api_request_id(),
                ip: profile.ip,
                t,
                method,
                route,
                success_status,
                token,
                outcome: Outcome::NotFound,
                status: 0,
                latency: 0,
                length: 0,
                integration_error: false,
                invocation: None,
            });
        }
        Sim {
            rng,
            requests,
            invocations: Vec::new(),
            envs: Vec::new(),
            cache: HashMap::new(),
            timeouts_left: TIMEOUTS_AT.to_vec(),
        }
    }

    /// The authorizer runs for a request (or a console test) arriving at `t`: on an idle
    /// environment, else on a new one (a cold start).
    fn invoke(
        &mut self,
        t: i64,
        ip: &'static str,
        token: Option<String>,
        api_request_id: String,
        request: Option<usize>,
        timeout: bool,
    ) -> usize {
        let rng = &mut self.rng;
        let idle = self.envs.iter().position(|e| e.alive && e.free_at <= t);
        let (env, cold, start) = match idle {
            Some(e) => (e, None, t + rng.range(5, 40)),
            None => {
                self.envs.push(Env {
                    free_at: 0,
                    alive: true,
                });
                let init_start = t + rng.range(8, 20);
                let init = rng.range(10_500, 14_500);
                let start = init_start + (init + 99) / 100 + rng.range(1, 3);
                (self.envs.len() - 1, Some((init_start, init)), start)
            }
        };
        let decision = if timeout {
            Decision::Timeout
        } else if ip == ALLOWED_IP && token.as_deref() == Some(ALLOWED_TOKEN) {
            Decision::Allow
        } else {
            Decision::Deny
        };
        let (duration_centi, used_mb) = match (decision, cold.is_some()) {
            (Decision::Timeout, _) => (300_000 + rng.range(0, 350), rng.range(36, 37)),
            (_, true) => (rng.range(220, 340), rng.range(36, 38)),
            (_, false) => (rng.range(140, 260), 35 + i64::from(rng.chance(0.2))),
        };
        let inv = Invocation {
            lambda_request_id: rng.uuid(),
            ip,
            token,
            api_request_id,
            request,
            cold,
            start,
            duration_centi,
            used_mb,
            decision,
        };
        // After a timeout Lambda discards the environment: the next invocation starts a new one.
        self.envs[env] = Env {
            free_at: inv.end() + 1,
            alive: decision != Decision::Timeout,
        };
        self.invocations.push(inv);
        self.invocations.len() - 1
    }

    /// The backend's answer to an allowed request: its status and length, or a 500.
    fn backend(&mut self, r: usize, t: i64) -> (u16, u64, bool) {
        let rng = &mut self.rng;
        let offset = t - T0;
        if (BACKEND_OUTAGE.0..BACKEND_OUTAGE.1).contains(&offset) || rng.chance(0.01) {
            return (500, 35, true);
        }
        let req = &self.requests[r];
        let length = match req.route {
            Some("GET /pets") => rng.range(180, 900),
            Some("GET /pets/{petId}") => rng.range(60, 140),
            Some("POST /pets") => rng.range(70, 110),
            _ => 0,
        };
        (req.success_status, length as u64, false)
    }

    pub fn run(&mut self) {
        // The developer tries the authorizer from the Lambda console before the traffic starts
        // (with a copy of a real event) and after it ends (the deny path).
        self.invoke(
            T0 - 30_000,
            ALLOWED_IP,
            Some(ALLOWED_TOKEN.into()),
            CONSOLE_API_REQUEST_ID.into(),
            None,
            false,
        );
        for r in 0..self.requests.len() {
            self.answer(r);
        }
        self.invoke(
            T0 + SPAN_MS + 40_000,
            "198.51.100.23",
            Some("test".into()),
            CONSOLE_API_REQUEST_ID.into(),
            None,
            false,
        );
    }

    /// API Gateway's handling of request `r`, in arrival order.
    fn answer(&mut self, r: usize) {
        let t = self.requests[r].t;
        let ip = self.requests[r].ip;
        let token = self.requests[r].token.clone();
        let cached = token
            .as_ref()
            .and_then(|tok| self.cache.get(tok))
            .filter(|e| e.from <= t && t < e.until)
            .map(|e| (e.allow, e.made_for));
        let rng = &mut self.rng;
        let (outcome, status, latency, length, integration_error) = if self.requests[r].route.is_none() {
            (Outcome::NotFound, 404, rng.range(1, 2), 23, false)
        } else if token.is_none() {
            (Outcome::IdentityMissing, 401, rng.range(1, 3), 26, false)
        } else if let Some((allow, made_for)) = cached {
            let outcome = Outcome::Cached { allow, made_for };
            if allow {
                let (status, length, failed) = self.backend(r, t);
                let latency = self.rng.range(1, 3) + self.rng.range(15, 90);
                (outcome, status, latency, length, failed)
            } else {
                (outcome, 403, rng.range(1, 4), 23, false)
            }
        } else if (PERMISSION_OUTAGE.0..PERMISSION_OUTAGE.1).contains(&(t - T0)) {
            (Outcome::PermissionFailure, 500, rng.range(8, 30), 35, false)
        } else {
            let timeout = self.timeouts_left.first().is_some_and(|&at| t - T0 >= at);
            if timeout {
                self.timeouts_left.remove(0);
            }
            let id = self.requests[r].api_request_id.clone();
            let i = self.invoke(t, ip, token.clone(), id, Some(r), timeout);
            self.requests[r].invocation = Some(i);
            let (decision, start, end) = {
                let inv = &self.invocations[i];
                (inv.decision, inv.start, inv.end())
            };
            if decision != Decision::Timeout {
                // API Gateway caches the decision (and its context, `ip`) once the authorizer answered.
                if let Some(tok) = token {
                    self.cache.insert(
                        tok,
                        CacheEntry {
                            allow: decision == Decision::Allow,
                            made_for: ip,
                            from: end,
                            until: end + CACHE_TTL_MS,
                        },
                    );
                }
            }
            match decision {
                Decision::Timeout => {
                    let latency = start - t + 3000 + self.rng.range(5, 15);
                    (Outcome::Invoked(decision), 500, latency, 35, false)
                }
                Decision::Deny => {
                    let latency = end - t + self.rng.range(2, 5);
                    (Outcome::Invoked(decision), 403, latency, 23, false)
                }
                Decision::Allow => {
                    let (status, length, failed) = self.backend(r, t);
                    let latency = end - t + self.rng.range(15, 90);
                    (Outcome::Invoked(decision), status, latency, length, failed)
                }
            }
        };
        let req = &mut self.requests[r];
        req.outcome = outcome;
        req.status = status;
        req.latency = latency;
        req.length = length;
        req.integration_error = integration_error;
    }
}
