//! The authorizer's log (its lines as `docs/authorizer.md` lists them) for each invocation, and its CloudWatch export.

use std::fmt::Write as _;

use crate::scenario::{ALLOWED_IP, ALLOWED_TOKEN, RUNTIME_ARN};
use crate::sim::{Decision, Invocation, Sim};
use crate::time::{centi, iso};

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
pub fn authorizer_export(sim: &Sim, api_request_id: bool) -> String {
    let mut events: Vec<(i64, String)> = sim
        .invocations
        .iter()
        .flat_map(|inv| invocation_events(inv, api_request_id))
        .collect();
    events.sort_by_key(|e| e.0); // stable: an invocation's lines keep their order
    events.iter().map(|(t, m)| format!("{} {m}\n", iso(*t))).collect()
}
