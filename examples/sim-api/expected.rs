//! `expected.json`: the `callers` section every variant must give, once the rules' join is checked on the scenario.

use serde_json::{json, Value};

use crate::callers::{expected_callers, Recorded};
use crate::facts::Facts;
use crate::join::join_check;
use crate::sim::Sim;

/// The content of `expected.json` for a run with `seed` written to `out`; fails when the rules' join would pair
/// an invocation wrongly on the access log in `order`.
pub fn expected(sim: &Sim, order: &[usize], facts: &Facts, seed: u64, out: &str) -> Result<Value, String> {
    let ms_ambiguous = join_check(sim, order, false, false).map_err(|e| format!("IP/time join: {e}"))?;
    let clf_ambiguous = join_check(sim, order, true, false).map_err(|e| format!("CLF join: {e}"))?;
    let exact_ambiguous = join_check(sim, order, false, true).map_err(|e| format!("exact join: {e}"))?;

    let path = |name: &str| format!("{}/{name}", out.trim_end_matches('/'));
    let variant = |authorizer: &str, access: &str, extra: &[String], about: &str, callers: Value| {
        let mut a = vec![path(authorizer), "--access-logs".to_string(), path(access)];
        a.extend_from_slice(extra);
        json!({"args": a, "about": about, "callers": callers})
    };
    let errors = expected_callers(sim, Recorded::Errors, false, ms_ambiguous);
    let context = expected_callers(sim, Recorded::ErrorsAndContext, false, ms_ambiguous);
    Ok(json!({
        "about": "Ground truth for `authlogs report AUTH --access-logs ACCESS`: the `callers` section each variant must \
                  give. Every class count comes from the simulation's state (which request invoked the authorizer, \
                  which hit the cache, for whom a cached decision was made), not from authlogs. join.ambiguous is the \
                  one number that is a property of the rules' join rather than of what happened: the invocations \
                  that had more than one candidate when the join (run on the true pairs, which the simulator checks \
                  it finds) reached them. See README.md.",
        "command": format!("cargo run --release --example sim-api -- --seed {} --out {}", seed, out),
        "seed": seed,
        "simulation": facts.value.clone(),
        "summary": facts.summary.clone(),
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
                expected_callers(sim, Recorded::Errors, true, exact_ambiguous)),
            "export": variant("authorizer.export.log", "access.export.log", &[],
                "default as a CloudWatch export of the access-log group (<ISO ms Z> {json} per line, the time the \
                 record was written). Same counts as default.",
                errors),
            "clf": variant("authorizer.export.log", "access.clf.log", &[],
                "AWS's CLF example: status, second-precision times, no error fields. The rules then make the \
                 permission 500s and the backend 500s behind a cached allow `other` (nothing recorded says the \
                 authorizer or the integration failed); cached_other_ip by allowed_ip.",
                expected_callers(sim, Recorded::Clf, false, clf_ambiguous)),
        },
    }))
}
