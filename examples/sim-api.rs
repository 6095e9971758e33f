//! A simulated HTTP API behind the seed Lambda authorizer, for the access-log join (issue 19).
//!
//! `cargo run --release --example sim-api -- --seed 7 --out tests/data/access` (`--trace`: every
//! invocation on stderr)
//!
//! Fifteen minutes of traffic from eight IPs go through API Gateway (an HTTP API) with the seed
//! authorizer (`ALLOWED_IP` 203.0.113.10, `ALLOWED_TOKEN` Ab12Xy34) and its result cache: keyed by
//! the `Authorization` header only, TTL 300 s, so a decision made for one IP is reused for any IP
//! that sends the same token. The run writes the authorizer's log and the API's access log in
//! several formats, and `expected.json` with the counts of what happened, taken from the
//! simulation's own state (which request invoked the authorizer, which hit the cache and for whom
//! the cached decision was made), never from authlogs. Deterministic for a given `--seed`: its own
//! SplitMix RNG, no dependency beyond the crate's. `tests/data/access/README.md` tells the scenario.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};

const ALLOWED_IP: &str = "203.0.113.10";
const ALLOWED_TOKEN: &str = "Ab12Xy34";
/// 2025-07-14T01:00:00Z: the traffic runs from here for `SPAN_MS`.
const T0: i64 = 1_752_454_800_000;
const SPAN_MS: i64 = 15 * 60 * 1000;
/// The authorizer's `authorizerResultTtlInSeconds` (CDK's default): 300 s.
const CACHE_TTL_MS: i64 = 300_000;
/// No IP sends two requests closer than this: the join can then always tell a request's own
/// invocation (it starts at most 300 ms after the request) from a later request, even with the
/// CLF's second-precision times (see `join_check`).
const MIN_GAP_MS: i64 = 2_500;
/// authlogs' default `--join-window`.
const JOIN_WINDOW_MS: i64 = 10_000;
const PERMISSION_ERROR: &str = "The IAM role configured on the authorizer or API Gateway doesn't have permissions to \
                                call the authorizer. Check the permissions and try again.";
/// A deploy broke API Gateway's permission to invoke the authorizer from 575 s to 610 s: every
/// cache miss then fails with a 500 and no invocation (cache hits still work).
const PERMISSION_OUTAGE: (i64, i64) = (575_000, 610_000);
/// The first invocation for a request at or after each of these offsets hangs until the function's
/// 3 s timeout: the caller gets a 500 and nothing is cached.
const TIMEOUTS_AT: [i64; 3] = [200_000, 470_000, 740_000];
/// The routes' backend fails from 380 s to 395 s (allowed requests get a 500 with an integration
/// error), and at random 1 % of the time.
const BACKEND_OUTAGE: (i64, i64) = (380_000, 395_000);
const BACKEND_ERROR: &str = "The Lambda function returned the following error: Runtime.ExitError. Check your Lambda \
                             function code and try again.";
const RUNTIME_ARN: &str =
    "arn:aws:lambda:ap-northeast-1::runtime:6b9e6bdace9349e61d853adcfe031f7dbe39dd1762b0b2fcd6532dc5792399ca";
/// The `requestContext.requestId` of the developer's console test event (copied from AWS's example).
const CONSOLE_API_REQUEST_ID: &str = "JKJaXmPLvHcESHA=";

// ----------------------------------------------------------------------------- randomness

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Exponentially distributed with this mean.
    fn exp(&mut self, mean: f64) -> f64 {
        -(1.0 - self.unit()).ln() * mean
    }
    /// One of `items` by weight.
    fn weighted<T: Copy>(&mut self, items: &[(u32, T)]) -> T {
        let total: u32 = items.iter().map(|(w, _)| w).sum();
        let mut roll = self.below(u64::from(total)) as u32;
        for &(w, item) in items {
            if roll < w {
                return item;
            }
            roll -= w;
        }
        items[items.len() - 1].1
    }
    /// A Lambda RequestId (UUID v4 layout).
    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
    /// An HTTP API request id (`SpEIxi9MoAMEMXw=`): 11 bytes in base64, so 15 characters and `=`.
    fn api_request_id(&mut self) -> String {
        const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut bytes = [0u8; 11];
        for b in &mut bytes {
            *b = self.below(256) as u8;
        }
        let mut out = String::with_capacity(16);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out.push('=');
        out
    }
    /// A token a scanner tries for the first time.
    fn fresh_token(&mut self) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..12)
            .map(|_| ALNUM[self.below(ALNUM.len() as u64) as usize] as char)
            .collect()
    }
}

// ----------------------------------------------------------------------------- times

/// (year, month, day, seconds of the day) of epoch ms.
fn civil(ms: i64) -> (i64, i64, i64, i64) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    // civil_from_days (Howard Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d, secs.rem_euclid(86_400))
}

/// `2025-07-14T01:00:00.123Z`
fn iso(ms: i64) -> String {
    let (y, m, d, sod) = civil(ms);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        ms.rem_euclid(1000)
    )
}

/// `$context.requestTime`: `14/Jul/2025:01:00:00 +0000`
fn clf_time(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d, sod) = civil(ms);
    format!(
        "{d:02}/{}/{y:04}:{:02}:{:02}:{:02} +0000",
        MONTHS[(m - 1) as usize],
        sod / 3600,
        sod % 3600 / 60,
        sod % 60
    )
}

/// `12.34` of hundredths.
fn centi(v: i64) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

// ----------------------------------------------------------------------------- the callers

/// What a caller sends as its `Authorization` header.
#[derive(Clone, Copy)]
enum Tok {
    Allowed,
    Missing,
    Fixed(&'static str),
    /// A scanner's guess: a word of its list, or a token never sent before.
    Guess,
}

struct Profile {
    ip: &'static str,
    who: &'static str,
    /// When it sends, in seconds from the start.
    active: &'static [(i64, i64)],
    requests: u32,
    /// A fixed period instead of random gaps (a monitoring probe).
    every_ms: Option<i64>,
    /// The share of requests on a path no route matches (404 before any authorizer).
    unknown_route: f64,
    tokens: &'static [(u32, Tok)],
}

const PROFILES: [Profile; 8] = [
    Profile {
        ip: ALLOWED_IP,
        who: "the office, the allowed IP: the allowed token, now and then no header (a script bug) or a typo",
        active: &[(0, 900)],
        requests: 170,
        every_ms: None,
        unknown_route: 0.01,
        tokens: &[(95, Tok::Allowed), (4, Tok::Missing), (1, Tok::Fixed("Ab12Xy43"))],
    },
    Profile {
        ip: "198.51.100.23",
        who: "a colleague working from home with the allowed token (the IP check should deny her)",
        active: &[(30, 900)],
        requests: 45,
        every_ms: None,
        unknown_route: 0.0,
        tokens: &[(88, Tok::Allowed), (8, Tok::Missing), (4, Tok::Fixed("test"))],
    },
    Profile {
        ip: "192.0.2.55",
        who: "a scanner guessing tokens and paths, in three bursts",
        active: &[(100, 200), (550, 650), (800, 860)],
        requests: 50,
        every_ms: None,
        unknown_route: 0.25,
        tokens: &[(15, Tok::Missing), (55, Tok::Guess), (30, Tok::Fixed("test"))],
    },
    Profile {
        ip: "198.51.100.77",
        who: "a partner's server with the leaked allowed token, from 300 s to 700 s",
        active: &[(300, 700)],
        requests: 30,
        every_ms: None,
        unknown_route: 0.0,
        tokens: &[(100, Tok::Allowed)],
    },
    Profile {
        ip: "203.0.113.45",
        who: "a second office machine behind a new NAT address: the allowed token or 'test'",
        active: &[(60, 900)],
        requests: 30,
        every_ms: None,
        unknown_route: 0.0,
        tokens: &[(60, Tok::Allowed), (40, Tok::Fixed("test"))],
    },
    Profile {
        ip: "192.0.2.200",
        who: "an uptime probe on an unrouted path, every 60 s (404)",
        active: &[(0, 900)],
        requests: 15,
        every_ms: Some(60_000),
        unknown_route: 1.0,
        tokens: &[(100, Tok::Missing)],
    },
    Profile {
        ip: "2001:db8::5",
        who: "an IPv6 client, mostly with the wrong token 'test'",
        active: &[(0, 900)],
        requests: 25,
        every_ms: None,
        unknown_route: 0.0,
        tokens: &[(70, Tok::Fixed("test")), (30, Tok::Allowed)],
    },
    Profile {
        ip: "100.64.3.9",
        who: "a crawler without a token",
        active: &[(0, 900)],
        requests: 30,
        every_ms: None,
        unknown_route: 0.4,
        tokens: &[(100, Tok::Missing)],
    },
];

const SCANNER_WORDS: [&str; 6] = ["admin", "Bearer null", "null", "password", "123456", "secret"];

/// (weight, method, route key, status of a success)
const ROUTES: [(u32, (&str, &str, u16)); 4] = [
    (50, ("GET", "GET /pets", 200)),
    (30, ("GET", "GET /pets/{petId}", 200)),
    (15, ("POST", "POST /pets", 201)),
    (5, ("DELETE", "DELETE /pets/{petId}", 204)),
];

// ----------------------------------------------------------------------------- the simulation

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Decision {
    Allow,
    Deny,
    Timeout,
}

/// What happened to a request.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Outcome {
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

struct Request {
    api_request_id: String,
    ip: &'static str,
    /// `requestTimeEpoch`
    t: i64,
    method: &'static str,
    route: Option<&'static str>,
    success_status: u16,
    token: Option<String>,
    outcome: Outcome,
    status: u16,
    latency: i64,
    length: u64,
    integration_error: bool,
    invocation: Option<usize>,
}

struct Invocation {
    lambda_request_id: String,
    ip: &'static str,
    token: Option<String>,
    api_request_id: String,
    /// The access-log request it answered (None: a console test).
    request: Option<usize>,
    /// `(INIT_START time, Init Duration in hundredths of ms)` of a cold start.
    cold: Option<(i64, i64)>,
    start: i64,
    duration_centi: i64,
    used_mb: i64,
    decision: Decision,
}

impl Invocation {
    /// When END and REPORT are logged.
    fn end(&self) -> i64 {
        self.start + (self.duration_centi / 100 + 1).max(2)
    }
    fn billed_ms(&self) -> i64 {
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

struct Sim {
    rng: Rng,
    requests: Vec<Request>,
    invocations: Vec<Invocation>,
    envs: Vec<Env>,
    cache: HashMap<String, CacheEntry>,
    timeouts_left: Vec<i64>,
}

/// Every profile's arrivals: (time, profile).
fn arrivals(rng: &mut Rng) -> Vec<(i64, usize)> {
    let mut out = Vec::new();
    for (p, profile) in PROFILES.iter().enumerate() {
        if let Some(every) = profile.every_ms {
            let mut t = T0 + rng.range(3_000, 20_000);
            while t < T0 + SPAN_MS {
                out.push((t, p));
                t += every + rng.range(-400, 400);
            }
            continue;
        }
        let active: i64 = profile.active.iter().map(|(a, b)| (b - a) * 1000).sum();
        let mean = active as f64 / f64::from(profile.requests);
        let extra = (mean - MIN_GAP_MS as f64).max(0.0);
        for &(from, to) in profile.active {
            let mut t = T0 + from * 1000 + rng.exp(mean / 2.0) as i64;
            while t < T0 + to * 1000 {
                out.push((t, p));
                t += MIN_GAP_MS + rng.exp(extra) as i64;
            }
        }
    }
    out.sort();
    out
}

impl Sim {
    fn new(seed: u64) -> Sim {
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

    fn run(&mut self) {
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

// ----------------------------------------------------------------------------- the authorizer's log

fn app_line(level: &str, t: i64, id: &str, message: &str) -> String {
    format!("[{level}]\t{}\t{id}\t[{level}] {message}\n", iso(t))
}

/// The seed authorizer's events for one invocation, text log format, Japanese messages; with
/// `api_request_id`, the `[INFO] API Request ID: …` line right after `Source IP`.
fn invocation_events(inv: &Invocation, api_request_id: bool) -> Vec<(i64, String)> {
    let id = &inv.lambda_request_id;
    let mut ev = Vec::new();
    if let Some((init_start, _)) = inv.cold {
        ev.push((
            init_start,
            format!("INIT_START Runtime Version: python:3.13.v60\tRuntime Version ARN: {RUNTIME_ARN}\n"),
        ));
    }
    ev.push((inv.start, format!("START RequestId: {id} Version: $LATEST\n")));
    let t = inv.start + 1;
    let token = inv.token.as_deref().unwrap_or("None");
    ev.push((t, app_line("INFO", t, id, &format!("Source IP: {}", inv.ip))));
    if api_request_id {
        ev.push((
            t,
            app_line("INFO", t, id, &format!("API Request ID: {}", inv.api_request_id)),
        ));
    }
    ev.push((t, app_line("INFO", t, id, &format!("Token: {token}"))));
    if inv.decision == Decision::Timeout {
        // It hung after its first lines until Lambda stopped it.
        let at = inv.start + 3000;
        ev.push((at, format!("{}\t{id}\tTask timed out after 3.00 seconds\n", iso(at))));
    } else {
        ev.push((t, app_line("INFO", t, id, &format!("Allowed IP: {ALLOWED_IP}"))));
        ev.push((t, app_line("INFO", t, id, &format!("Allowed Token: {ALLOWED_TOKEN}"))));
        if inv.ip != ALLOWED_IP {
            let m = format!("IPアドレスが不一致: 受信IP={}, 許可IP={ALLOWED_IP}", inv.ip);
            ev.push((t, app_line("ERROR", t, id, &m)));
        }
        if inv.token.as_deref() != Some(ALLOWED_TOKEN) {
            let m = format!("トークンが不一致: 受信トークン={token}, 許可トークン={ALLOWED_TOKEN}");
            ev.push((t, app_line("ERROR", t, id, &m)));
        }
    }
    let end = inv.end();
    ev.push((end, format!("END RequestId: {id}\n")));
    let mut report = format!(
        "REPORT RequestId: {id}\tDuration: {} ms\tBilled Duration: {} ms\tMemory Size: 512 MB\tMax Memory Used: {} MB",
        centi(inv.duration_centi),
        inv.billed_ms(),
        inv.used_mb
    );
    if let Some((_, init)) = inv.cold {
        let _ = write!(report, "\tInit Duration: {} ms", centi(init));
    }
    // With a Status field no tab follows the last field.
    report.push_str(if inv.decision == Decision::Timeout {
        "\tStatus: timeout\n"
    } else {
        "\t\n"
    });
    ev.push((end, report));
    ev
}

/// CloudWatch's S3 export of the function's log group: `<ISO ms Z> <message>` per event, every
/// environment's stream merged in time order (the messages end with their own `\n`).
fn authorizer_export(sim: &Sim, api_request_id: bool) -> String {
    let mut events: Vec<(i64, String)> = sim
        .invocations
        .iter()
        .flat_map(|inv| invocation_events(inv, api_request_id))
        .collect();
    events.sort_by_key(|e| e.0); // stable: an invocation's lines keep their order
    events.iter().map(|(t, m)| format!("{} {m}\n", iso(*t))).collect()
}

// ----------------------------------------------------------------------------- the access logs

/// One access-log record's values, in the order of AWS's example format and then the extras.
fn record(req: &Request, inv: &[Invocation]) -> Vec<(&'static str, String)> {
    let dash = || "-".to_string();
    let (authorizer_error, error_message, error_type) = match (req.outcome, req.status) {
        (Outcome::NotFound, _) => (dash(), "Not Found".to_string(), dash()),
        (Outcome::IdentityMissing, _) => (dash(), "Unauthorized".into(), "UNAUTHORIZED".into()),
        (Outcome::PermissionFailure, _) => (
            PERMISSION_ERROR.to_string(),
            "Internal Server Error".into(),
            "AUTHORIZER_CONFIGURATION_ERROR".into(),
        ),
        (Outcome::Invoked(Decision::Timeout), _) => {
            (dash(), "Internal Server Error".into(), "AUTHORIZER_FAILURE".into())
        }
        (_, 403) => ("Forbidden".into(), "Forbidden".into(), "ACCESS_DENIED".into()),
        (_, 500) => (dash(), "Internal Server Error".into(), "INTEGRATION_FAILURE".into()),
        _ => (dash(), dash(), dash()),
    };
    let authorizer_ip = match req.outcome {
        Outcome::Cached { made_for, .. } => made_for.to_string(),
        Outcome::Invoked(Decision::Allow | Decision::Deny) => inv
            [req.invocation.expect("an invoked request has its invocation")]
        .ip
        .to_string(),
        _ => dash(),
    };
    vec![
        ("requestId", req.api_request_id.clone()),
        ("ip", req.ip.to_string()),
        ("requestTime", clf_time(req.t)),
        ("httpMethod", req.method.to_string()),
        ("routeKey", req.route.unwrap_or("-").to_string()),
        ("status", req.status.to_string()),
        ("protocol", "HTTP/1.1".to_string()),
        ("responseLength", req.length.to_string()),
        ("requestTimeEpoch", req.t.to_string()),
        ("responseLatency", req.latency.to_string()),
        ("authorizerError", authorizer_error),
        ("errorMessage", error_message),
        ("errorResponseType", error_type),
        (
            "integrationErrorMessage",
            if req.integration_error {
                BACKEND_ERROR.to_string()
            } else {
                dash()
            },
        ),
        ("authorizerIp", authorizer_ip),
    ]
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// How a variant writes a record as JSON.
#[derive(Clone, Copy)]
enum JsonShape {
    /// AWS's example keys and the extras, every value a string; no authorizer context.
    Default,
    /// The same plus `authorizerIp` (`$context.authorizer.ip`).
    Context,
    /// `Context` with a team's own key names (`RENAMED`), status and epoch as JSON numbers.
    Renamed,
}

/// (field, key) of the renamed variant; `fields.toml` says the same.
const RENAMED: [(&str, &str); 4] = [
    ("ip", "sourceIp"),
    ("status", "httpStatus"),
    ("authorizerIp", "authIp"),
    ("requestTimeEpoch", "epoch"),
];

fn json_record(values: &[(&'static str, String)], shape: JsonShape) -> String {
    let mut out = String::from("{");
    for (key, value) in values {
        if *key == "authorizerIp" && matches!(shape, JsonShape::Default) {
            continue;
        }
        let mut key = *key;
        let mut bare = false;
        if let JsonShape::Renamed = shape {
            if let Some((_, renamed)) = RENAMED.iter().find(|(f, _)| *f == key) {
                bare = matches!(key, "status" | "requestTimeEpoch");
                key = renamed;
            }
        }
        if out.len() > 1 {
            out.push(',');
        }
        let value = if bare { value.clone() } else { json_string(value) };
        let _ = write!(out, "{}:{value}", json_string(key));
    }
    out.push('}');
    out
}

/// AWS's CLF example: `$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod
/// $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId`
fn clf_record(req: &Request) -> String {
    format!(
        "{} - - [{}] \"{} {} HTTP/1.1\" {} {} {}",
        req.ip,
        clf_time(req.t),
        req.method,
        req.route.unwrap_or("-"),
        req.status,
        req.length,
        req.api_request_id
    )
}

/// The access log's order: API Gateway writes a record when the response is sent.
fn log_order(sim: &Sim) -> Vec<usize> {
    let mut order: Vec<usize> = (0..sim.requests.len()).collect();
    order.sort_by_key(|&r| (sim.requests[r].t + sim.requests[r].latency, sim.requests[r].t, r));
    order
}

// ----------------------------------------------------------------------------- ground truth

/// What a variant's access log records.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Recorded {
    /// Status and the error fields, no authorizer context: `cached_other_ip` by `allowed_ip`.
    Errors,
    /// Status, the error fields and `authorizerIp`: `cached_other_ip` by `authorizer_ip`.
    ErrorsAndContext,
    /// AWS's CLF example: status only, times in seconds.
    Clf,
}

/// The class a request is counted in. For `Errors` and `ErrorsAndContext` it is what happened to
/// it; the CLF records no error fields, so a 500 that no invocation explains (the permission
/// failures, a backend failure behind a cached allow) is `other` there, as the rules give.
fn class(req: &Request, recorded: Recorded) -> &'static str {
    match req.outcome {
        Outcome::NotFound => "other",
        Outcome::IdentityMissing => "identity_missing",
        Outcome::PermissionFailure if recorded == Recorded::Clf => "other",
        Outcome::PermissionFailure | Outcome::Invoked(Decision::Timeout) => "authorizer_failed",
        Outcome::Invoked(Decision::Allow) => "fresh.allow",
        Outcome::Invoked(Decision::Deny) => "fresh.deny",
        Outcome::Cached { allow: true, .. } if recorded == Recorded::Clf && req.status >= 400 => "other",
        Outcome::Cached { allow: true, .. } => "cached.allow",
        Outcome::Cached { allow: false, .. } => "cached.deny",
    }
}

/// Whether a cached answer counts in `cached_other_ip`: with `authorizerIp`, a cached decision
/// (allow or deny) made for another IP; otherwise a cached allow of a caller that is not the
/// allowed IP (only the allowed IP is ever allowed, so that decision was made for it).
fn cached_other_ip(req: &Request, recorded: Recorded) -> bool {
    let counted = matches!(class(req, recorded), "cached.allow" | "cached.deny");
    match req.outcome {
        Outcome::Cached { made_for, .. } if recorded == Recorded::ErrorsAndContext => counted && made_for != req.ip,
        Outcome::Cached { allow: true, .. } => counted && req.ip != ALLOWED_IP,
        _ => false,
    }
}

/// Whether a request's status is consistent with an invocation's decision (the rules' join).
fn consistent(status: u16, decision: Decision) -> bool {
    match decision {
        Decision::Allow => status != 401 && status != 403,
        Decision::Deny => status == 403,
        Decision::Timeout => status >= 500,
    }
}

/// Checks that the rules' join finds every invocation's own request (and none for a console
/// test) on this scenario: invocations in START order, candidates the unmatched requests of its
/// source IP in its window with a consistent status, the latest taken (ties: first read). Returns
/// how many invocations had more than one candidate (`join.ambiguous`), or the first invocation
/// the join would pair wrongly. This is a check of the scenario, not the source of any class
/// count: those come from the simulation's state.
fn join_check(sim: &Sim, order: &[usize], second_precision: bool, exact: bool) -> Result<u64, String> {
    let mut position = vec![0; order.len()];
    for (p, &r) in order.iter().enumerate() {
        position[r] = p;
    }
    let time = |r: usize| {
        let t = sim.requests[r].t;
        if second_precision {
            t - t.rem_euclid(1000)
        } else {
            t
        }
    };
    let mut matched = vec![false; sim.requests.len()];
    if exact {
        for inv in &sim.invocations {
            if let Some(r) = inv.request {
                matched[r] = true;
            }
        }
    }
    let mut by_start: Vec<usize> = (0..sim.invocations.len()).collect();
    by_start.sort_by_key(|&i| (sim.invocations[i].start, i));
    let mut ambiguous = 0;
    for i in by_start {
        let inv = &sim.invocations[i];
        if exact && inv.request.is_some() {
            continue;
        }
        let (lo, hi) = if second_precision {
            (inv.start - JOIN_WINDOW_MS - 1000, inv.start + 999)
        } else {
            (inv.start - JOIN_WINDOW_MS, inv.start)
        };
        let candidates: Vec<usize> = (0..sim.requests.len())
            .filter(|&r| {
                let req = &sim.requests[r];
                !matched[r] && req.ip == inv.ip && (lo..=hi).contains(&time(r)) && consistent(req.status, inv.decision)
            })
            .collect();
        let pick = candidates
            .iter()
            .copied()
            .max_by_key(|&r| (time(r), std::cmp::Reverse(position[r])));
        if pick != inv.request {
            return Err(format!(
                "invocation {} (START {}, {}) would be joined to request {:?} instead of {:?}",
                inv.lambda_request_id,
                iso(inv.start),
                inv.ip,
                pick.map(|r| &sim.requests[r].api_request_id),
                inv.request.map(|r| &sim.requests[r].api_request_id)
            ));
        }
        if candidates.len() > 1 {
            ambiguous += 1;
        }
        if let Some(r) = pick {
            matched[r] = true;
        }
    }
    Ok(ambiguous)
}

/// The `callers` section a variant must give.
fn expected_callers(sim: &Sim, recorded: Recorded, exact: bool, ambiguous: u64) -> Value {
    let mut classes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut by_status: BTreeMap<u16, u64> = BTreeMap::new();
    let mut other_ip: BTreeMap<&str, u64> = BTreeMap::new();
    let mut errors: BTreeMap<&str, u64> = BTreeMap::new();
    for req in &sim.requests {
        let c = class(req, recorded);
        *classes.entry(c).or_default() += 1;
        *by_status.entry(req.status).or_default() += 1;
        if cached_other_ip(req, recorded) {
            *other_ip.entry(req.ip).or_default() += 1;
        }
        if c == "authorizer_failed" && recorded != Recorded::Clf && req.outcome == Outcome::PermissionFailure {
            *errors.entry(PERMISSION_ERROR).or_default() += 1;
        }
    }
    let n = |c: &str| classes.get(c).copied().unwrap_or(0);
    let invoked = sim.requests.iter().filter(|r| r.invocation.is_some()).count() as u64;
    let console = sim.invocations.iter().filter(|i| i.request.is_none()).count() as u64;
    let mut callers_by_count: Vec<(&str, u64)> = other_ip.into_iter().collect();
    callers_by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut errors_by_count: Vec<(&str, u64)> = errors.into_iter().collect();
    errors_by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    json!({
        "join": {
            "method": if exact { "request_id" } else { "ip_time" },
            "window_ms": JOIN_WINDOW_MS,
            "by_request_id": if exact { invoked } else { 0 },
            "by_ip_time": if exact { 0 } else { invoked },
            "ambiguous": ambiguous,
            "without_ip_or_time": 0,
        },
        "requests": sim.requests.len(),
        "by_status": by_status.iter().map(|(s, c)| json!({"status": s, "count": c})).collect::<Vec<_>>(),
        "authorizer_invoked": invoked,
        "fresh": {"allow": n("fresh.allow"), "deny": n("fresh.deny"), "unknown": 0},
        "cached": {"allow": n("cached.allow"), "deny": n("cached.deny")},
        "identity_missing": n("identity_missing"),
        "authorizer_failed": n("authorizer_failed"),
        "authorizer_errors": errors_by_count.iter().map(|(e, c)| json!({"error": e, "count": c})).collect::<Vec<_>>(),
        "cached_other_ip": callers_by_count.iter().map(|(_, c)| c).sum::<u64>(),
        "cached_other_ip_basis": if recorded == Recorded::ErrorsAndContext { "authorizer_ip" } else { "allowed_ip" },
        "cached_other_ip_callers": callers_by_count.iter().map(|(ip, c)| json!({"ip": ip, "count": c})).collect::<Vec<_>>(),
        "other": n("other"),
        "unmatched_invocations": console,
        "unreadable_records": 0,
    })
}

// ----------------------------------------------------------------------------- facts and checks

struct Facts {
    value: Value,
    summary: String,
}

fn facts(sim: &Sim) -> Result<Facts, String> {
    let reqs = &sim.requests;
    let count = |f: &dyn Fn(&Request) -> bool| reqs.iter().filter(|r| f(r)).count();
    let hits = count(&|r| matches!(r.outcome, Outcome::Cached { .. }));
    let hit_allow = count(&|r| matches!(r.outcome, Outcome::Cached { allow: true, .. }));
    let other_allow = count(&|r| matches!(r.outcome, Outcome::Cached { allow: true, made_for } if made_for != r.ip));
    let other_deny = count(&|r| matches!(r.outcome, Outcome::Cached { allow: false, made_for } if made_for != r.ip));
    let would_allow = |r: &Request| r.ip == ALLOWED_IP && r.token.as_deref() == Some(ALLOWED_TOKEN);
    // Cache hits a fresh invocation would have decided otherwise.
    let allowed_would_deny = count(&|r| matches!(r.outcome, Outcome::Cached { allow: true, .. }) && !would_allow(r));
    let denied_would_allow = count(&|r| matches!(r.outcome, Outcome::Cached { allow: false, .. }) && would_allow(r));
    let permission = count(&|r| r.outcome == Outcome::PermissionFailure);
    let not_found = count(&|r| r.outcome == Outcome::NotFound);
    let missing = count(&|r| r.outcome == Outcome::IdentityMissing);
    let backend_failed = count(&|r| r.integration_error);
    let backend_failed_cached = count(&|r| r.integration_error && matches!(r.outcome, Outcome::Cached { .. }));
    let fresh_allow = count(&|r| r.outcome == Outcome::Invoked(Decision::Allow));
    let fresh_deny = count(&|r| r.outcome == Outcome::Invoked(Decision::Deny));
    let timeouts = sim
        .invocations
        .iter()
        .filter(|i| i.decision == Decision::Timeout)
        .count();
    let cold = sim.invocations.iter().filter(|i| i.cold.is_some()).count();
    let console = sim.invocations.iter().filter(|i| i.request.is_none()).count();
    let max_start_delay = sim
        .invocations
        .iter()
        .filter_map(|i| i.request.map(|r| i.start - reqs[r].t))
        .max()
        .unwrap_or(0);
    let mut ips: Vec<&str> = reqs.iter().map(|r| r.ip).collect();
    ips.sort_unstable();
    ips.dedup();
    // Pairs of consecutive requests of one IP less than the join window apart.
    let mut last: HashMap<&str, i64> = HashMap::new();
    let mut close_pairs = 0;
    for r in reqs {
        if last.get(r.ip).is_some_and(|&t| r.t - t < JOIN_WINDOW_MS) {
            close_pairs += 1;
        }
        last.insert(r.ip, r.t);
    }
    let per_ip: BTreeMap<&str, usize> = ips.iter().map(|ip| (*ip, count(&|r| r.ip == *ip))).collect();
    let checks = [
        (timeouts == TIMEOUTS_AT.len(), "every scheduled timeout happened"),
        (permission >= 2, "at least 2 permission failures"),
        (console == 2, "2 console tests"),
        (close_pairs >= 3, "at least 3 same-IP pairs within 10 s"),
        (fresh_allow >= 2, "at least 2 fresh allows"),
        (hit_allow >= hits / 2, "cached allows (at least half of the cache hits)"),
        (other_allow >= 5, "at least 5 cached allows made for another IP"),
        (other_deny >= 5, "at least 5 cached denies made for another IP"),
        (
            denied_would_allow >= 1,
            "a cached deny turning away the allowed IP with the allowed token",
        ),
        (backend_failed_cached >= 1, "a backend failure behind a cached allow"),
        (max_start_delay <= 300, "every START within 300 ms of its request"),
    ];
    let summary = format!(
        "{} requests from {} IPs in 15 minutes; the Lambda authorizer ran {} times ({} for requests, {} console \
         tests; {} cold starts, {} timeouts). {} requests were answered from API Gateway's authorizer cache, {} of them \
         with a decision made for another IP ({} allows, {} denies): {} requests were let in that the IP check would \
         have turned away, and the allowed IP with the allowed token was turned away {} times. {} requests got a 401 \
         without a token, {} a 500 because API Gateway could not invoke the authorizer, {} a 404 on an unknown route.",
        reqs.len(),
        ips.len(),
        sim.invocations.len(),
        sim.invocations.len() - console,
        console,
        cold,
        timeouts,
        hits,
        other_allow + other_deny,
        other_allow,
        other_deny,
        allowed_would_deny,
        denied_would_allow,
        missing,
        permission,
        not_found
    );
    let value = json!({
        "requests": reqs.len(),
        "requests_per_ip": per_ip,
        "first_request": iso(reqs.first().map_or(T0, |r| r.t)),
        "last_request": iso(reqs.last().map_or(T0, |r| r.t)),
        "invocations": sim.invocations.len(),
        "invocations_for_requests": sim.invocations.len() - console,
        "console_tests": console,
        "cold_starts": cold,
        "timeouts": timeouts,
        "fresh_allow": fresh_allow,
        "fresh_deny": fresh_deny,
        "cache_hits": hits,
        "cache_hits_allow": hit_allow,
        "cache_hits_deny": hits - hit_allow,
        "cache_hits_made_for_another_ip": {"allow": other_allow, "deny": other_deny},
        "cache_hits_a_fresh_invocation_would_decide_otherwise": {
            "allowed_would_deny": allowed_would_deny,
            "denied_would_allow": denied_would_allow,
        },
        "identity_missing_401": missing,
        "permission_failures_500": permission,
        "unknown_route_404": not_found,
        "backend_failures_500": backend_failed,
        "backend_failures_behind_a_cached_allow": backend_failed_cached,
        "same_ip_pairs_within_10s": close_pairs,
        "max_start_delay_ms": max_start_delay,
        "cache_ttl_s": CACHE_TTL_MS / 1000,
        "allowed_ip": ALLOWED_IP,
        "permission_outage_s": [PERMISSION_OUTAGE.0 / 1000, PERMISSION_OUTAGE.1 / 1000],
        "backend_outage_s": [BACKEND_OUTAGE.0 / 1000, BACKEND_OUTAGE.1 / 1000],
        "callers": PROFILES.iter().map(|p| json!({"ip": p.ip, "who": p.who})).collect::<Vec<_>>(),
    });
    if let Some((_, what)) = checks.iter().find(|(ok, _)| !ok) {
        return Err(format!("the scenario lacks: {what}\n{summary}\n{value:#}"));
    }
    Ok(Facts { value, summary })
}

// ----------------------------------------------------------------------------- main

struct Args {
    seed: u64,
    out: String,
    trace: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        seed: 7,
        out: "tests/data/access".into(),
        trace: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut val = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--seed" => a.seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => a.out = val()?,
            "--trace" => a.trace = true,
            _ => return Err(format!("unknown argument {flag}; use --seed N --out DIR [--trace]")),
        }
    }
    Ok(a)
}

/// `--trace`: every invocation on stderr (START, decision, source IP, token, the caller's status).
fn trace(sim: &Sim) {
    for inv in &sim.invocations {
        let status = inv
            .request
            .map_or("console test".to_string(), |r| sim.requests[r].status.to_string());
        eprintln!(
            "{} {:?} {} {} {status}",
            iso(inv.start),
            inv.decision,
            inv.ip,
            inv.token.as_deref().unwrap_or("None")
        );
    }
}

fn write(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    std::fs::write(dir.join(name), text).map_err(|e| format!("{}: {e}", dir.join(name).display()))
}

fn lines(items: impl Iterator<Item = String>) -> String {
    items.map(|l| l + "\n").collect()
}

fn run(args: &Args) -> Result<String, String> {
    let mut sim = Sim::new(args.seed);
    sim.run();
    if args.trace {
        trace(&sim);
    }
    let facts = facts(&sim)?;
    let order = log_order(&sim);
    let dir = Path::new(&args.out);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    write(dir, "authorizer.export.log", &authorizer_export(&sim, false))?;
    write(dir, "authorizer-with-apiid.export.log", &authorizer_export(&sim, true))?;
    let records: Vec<Vec<(&'static str, String)>> = sim.requests.iter().map(|r| record(r, &sim.invocations)).collect();
    let json_log = |shape| lines(order.iter().map(|&r| json_record(&records[r], shape)));
    write(dir, "access.default.jsonl", &json_log(JsonShape::Default))?;
    write(dir, "access.context.jsonl", &json_log(JsonShape::Context))?;
    write(dir, "access.renamed.jsonl", &json_log(JsonShape::Renamed))?;
    let mut toml = String::from(
        "# The keys of access.renamed.jsonl: authlogs report … --access-log-fields tests/data/access/fields.toml\n\
         [fields]\n",
    );
    for (field, key) in RENAMED {
        let _ = writeln!(toml, "{field} = \"{key}\"");
    }
    write(dir, "fields.toml", &toml)?;
    write(
        dir,
        "access.export.log",
        &lines(order.iter().map(|&r| {
            let req = &sim.requests[r];
            format!(
                "{} {}",
                iso(req.t + req.latency),
                json_record(&records[r], JsonShape::Default)
            )
        })),
    )?;
    write(
        dir,
        "access.clf.log",
        &lines(order.iter().map(|&r| clf_record(&sim.requests[r]))),
    )?;

    let ms_ambiguous = join_check(&sim, &order, false, false).map_err(|e| format!("IP/time join: {e}"))?;
    let clf_ambiguous = join_check(&sim, &order, true, false).map_err(|e| format!("CLF join: {e}"))?;
    let exact_ambiguous = join_check(&sim, &order, false, true).map_err(|e| format!("exact join: {e}"))?;

    let path = |name: &str| format!("{}/{name}", args.out.trim_end_matches('/'));
    let variant = |authorizer: &str, access: &str, extra: &[String], about: &str, callers: Value| {
        let mut a = vec![path(authorizer), "--access-logs".to_string(), path(access)];
        a.extend_from_slice(extra);
        json!({"args": a, "about": about, "callers": callers})
    };
    let errors = expected_callers(&sim, Recorded::Errors, false, ms_ambiguous);
    let context = expected_callers(&sim, Recorded::ErrorsAndContext, false, ms_ambiguous);
    let expected = json!({
        "about": "Ground truth for `authlogs report AUTH --access-logs ACCESS`: the `callers` section each variant must \
                  give. Every class count comes from the simulation's state (which request invoked the authorizer, \
                  which hit the cache, for whom a cached decision was made), not from authlogs. join.ambiguous is the \
                  one number that is a property of the rules' join rather than of what happened: the invocations \
                  that had more than one candidate when the join (run on the true pairs, which the simulator checks \
                  it finds) reached them. See README.md.",
        "command": format!("cargo run --release --example sim-api -- --seed {} --out {}", args.seed, args.out),
        "seed": args.seed,
        "simulation": facts.value,
        "summary": facts.summary,
        "variants": {
            "default": variant("authorizer.export.log", "access.default.jsonl", &[],
                "AWS's example keys plus requestTimeEpoch, responseLatency and the error fields; no authorizer \
                 context. cached_other_ip (basis allowed_ip) = cached allows whose caller IP is not the allowed IP.",
                errors.clone()),
            "context": variant("authorizer.export.log", "access.context.jsonl", &[],
                "default plus authorizerIp ($context.authorizer.ip, the IP the decision used was made for). \
                 cached_other_ip (basis authorizer_ip) = cached allows and denies made for another IP.",
                context.clone()),
            "renamed": variant("authorizer.export.log", "access.renamed.jsonl",
                &["--access-log-fields".to_string(), path("fields.toml")],
                "context with keys renamed (sourceIp, httpStatus, authIp, epoch; status and epoch as JSON numbers), \
                 mapped by fields.toml. Same counts as context.",
                context),
            "apiid": variant("authorizer-with-apiid.export.log", "access.default.jsonl", &[],
                "default, but the authorizer also logs [INFO] API Request ID: <requestId>, so every invocation of a \
                 request is joined exactly (the console tests log their test event's id, which no request has).",
                expected_callers(&sim, Recorded::Errors, true, exact_ambiguous)),
            "export": variant("authorizer.export.log", "access.export.log", &[],
                "default as a CloudWatch export of the access-log group (<ISO ms Z> {json} per line, the time the \
                 record was written). Same counts as default.",
                errors),
            "clf": variant("authorizer.export.log", "access.clf.log", &[],
                "AWS's CLF example: status, second-precision times, no error fields. The rules then make the \
                 permission 500s and the backend 500s behind a cached allow `other` (nothing recorded says the \
                 authorizer or the integration failed); cached_other_ip by allowed_ip.",
                expected_callers(&sim, Recorded::Clf, false, clf_ambiguous)),
        },
    });
    let text = serde_json::to_string_pretty(&expected).map_err(|e| e.to_string())? + "\n";
    write(dir, "expected.json", &text)?;
    Ok(facts.summary)
}

fn main() {
    let result = parse_args().and_then(|args| run(&args));
    match result {
        Ok(summary) => println!("{summary}"),
        Err(e) => {
            eprintln!("sim-api: {e}");
            std::process::exit(1);
        }
    }
}
