//! Writing the run's files: both authorizer exports, the access log in every shape and `fields.toml`.

use std::fmt::Write as _;
use std::path::Path;

use crate::access_log::{clf_record, json_record, record, JsonShape, RENAMED};
use crate::authorizer_log::authorizer_export;
use crate::sim::Sim;
use crate::time::iso;

/// `text` into `dir/name`; the error names the file.
pub fn write(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    std::fs::write(dir.join(name), text).map_err(|e| format!("{}: {e}", dir.join(name).display()))
}

fn lines(items: impl Iterator<Item = String>) -> String {
    items.map(|l| l + "\n").collect()
}

/// The logs of the run into `dir`, the access logs in `order` (see `log_order`).
pub fn write_logs(dir: &Path, sim: &Sim, order: &[usize]) -> Result<(), String> {
    write(dir, "authorizer.export.log", &authorizer_export(sim, false))?;
    write(dir, "authorizer-with-apiid.export.log", &authorizer_export(sim, true))?;
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
    Ok(())
}
