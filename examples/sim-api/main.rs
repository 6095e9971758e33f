//! A simulated HTTP API behind the seed authorizer, for the access-log join (issue 19).
//!
//! `cargo run --release --example sim-api -- --seed 7 --out tests/data/access` (`--trace`: every
//! invocation on stderr)
//!
//! The seed authorizer is the Lambda REQUEST authorizer `docs/authorizer.md` describes: it lets in
//! only a request from `ALLOWED_IP` that sends `ALLOWED_TOKEN` as its whole `Authorization` header,
//! and logs what it received and what it allows, then a Japanese `[ERROR]` line for each failed check.
//! Fifteen minutes of traffic from eight IPs go through API Gateway (an HTTP API) with that
//! authorizer (`ALLOWED_IP` 203.0.113.10, `ALLOWED_TOKEN` Ab12Xy34) and its result cache: keyed by
//! the `Authorization` header only, TTL 300 s, so a decision made for one IP is reused for any IP
//! that sends the same token. The run writes the authorizer's log and the API's access log in
//! several formats, and `expected.json` with the counts of what happened, taken from the
//! simulation's own state (which request invoked the authorizer, which hit the cache and for whom
//! the cached decision was made), never from authlogs. Deterministic for a given `--seed`: its own
//! SplitMix RNG, no dependency beyond the crate's. `tests/data/access/README.md` tells the scenario.

mod access_log;
mod authorizer_log;
mod callers;
mod expected;
mod facts;
mod files;
mod join;
mod rng;
mod scenario;
mod sim;
mod time;
mod traffic;

use std::path::Path;

use crate::access_log::log_order;
use crate::facts::facts;
use crate::sim::Sim;
use crate::time::iso;

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
    files::write_logs(dir, &sim, &order)?;
    let expected = expected::expected(&sim, &order, &facts, args.seed, &args.out)?;
    let text = serde_json::to_string_pretty(&expected).map_err(|e| e.to_string())? + "\n";
    files::write(dir, "expected.json", &text)?;
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
