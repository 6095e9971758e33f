//! The callers: their profiles, tokens and routes, and when each one sends a request.

use crate::rng::Rng;
use crate::scenario::{ALLOWED_IP, MIN_GAP_MS, SPAN_MS, T0};

/// What a caller sends as its `Authorization` header.
#[derive(Clone, Copy)]
pub enum Tok {
    Allowed,
    Missing,
    Fixed(&'static str),
    /// A scanner's guess: a word of its list, or a token never sent before.
    Guess,
}

pub struct Profile {
    pub ip: &'static str,
    pub who: &'static str,
    /// When it sends, in seconds from the start.
    pub active: &'static [(i64, i64)],
    pub requests: u32,
    /// A fixed period instead of random gaps (a monitoring probe).
    pub every_ms: Option<i64>,
    /// The share of requests on a path no route matches (404 before any authorizer).
    pub unknown_route: f64,
    pub tokens: &'static [(u32, Tok)],
}

pub const PROFILES: [Profile; 8] = [
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

pub const SCANNER_WORDS: [&str; 6] = ["admin", "Bearer null", "null", "password", "123456", "secret"];

/// (weight, method, route key, status of a success)
pub const ROUTES: [(u32, (&str, &str, u16)); 4] = [
    (50, ("GET", "GET /pets", 200)),
    (30, ("GET", "GET /pets/{petId}", 200)),
    (15, ("POST", "POST /pets", 201)),
    (5, ("DELETE", "DELETE /pets/{petId}", 204)),
];

/// Every profile's arrivals: (time, profile).
pub fn arrivals(rng: &mut Rng) -> Vec<(i64, usize)> {
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
