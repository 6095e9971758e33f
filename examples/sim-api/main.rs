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

mod access_log;
mod authorizer_log;
mod callers;
mod facts;
mod join;
mod rng;
mod scenario;
mod sim;
mod time;
mod traffic;

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};

use crate::access_log::{clf_record, json_record, log_order, record, JsonShape, RENAMED};
use crate::authorizer_log::authorizer_export;
use crate::callers::{expected_callers, Recorded};
use crate::facts::facts;
use crate::join::join_check;
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
