//! Every query a run started: those still running (to stop when the run ends, however it ends)
//! and what each one scanned, from its last statistics (to bill every byte, finished or not).

use std::collections::BTreeMap;
use std::sync::Mutex;

/// What a query's statistics said last. The service reports them growing while the query runs,
/// so the largest seen is what it scanned (and is billed) so far.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scanned {
    pub bytes: f64,
    pub records: f64,
    pub matched: f64,
}

impl Scanned {
    fn max(self, other: Scanned) -> Scanned {
        Scanned {
            bytes: self.bytes.max(other.bytes),
            records: self.records.max(other.records),
            matched: self.matched.max(other.matched),
        }
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Entry {
    running: bool,
    scanned: Scanned,
}

/// The queries a run started, by id.
#[derive(Debug, Default)]
pub struct Running {
    ids: Mutex<BTreeMap<String, Entry>>,
}

impl Running {
    /// A query was started (it runs until [`Running::remove`]).
    pub fn add(&self, id: &str) {
        if let Ok(mut ids) = self.ids.lock() {
            ids.entry(id.to_string()).or_default().running = true;
        }
    }

    /// A query reached a final status, or was stopped.
    pub fn remove(&self, id: &str) {
        if let Ok(mut ids) = self.ids.lock() {
            if let Some(e) = ids.get_mut(id) {
                e.running = false;
            }
        }
    }

    /// A query's statistics, from one of its GetQueryResults answers.
    pub fn saw(&self, id: &str, scanned: Scanned) {
        if let Ok(mut ids) = self.ids.lock() {
            let e = ids.entry(id.to_string()).or_default();
            e.scanned = e.scanned.max(scanned);
        }
    }

    /// Whether this run started the query `id` (and saw its id).
    pub fn knows(&self, id: &str) -> bool {
        self.ids.lock().map(|ids| ids.contains_key(id)).unwrap_or(false)
    }

    /// The ids still running.
    pub fn ids(&self) -> Vec<String> {
        self.ids
            .lock()
            .map(|ids| {
                ids.iter()
                    .filter(|(_, e)| e.running)
                    .map(|(id, _)| id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// How many queries were started, and what they scanned in all: the bill of the run.
    pub fn bill(&self) -> (u64, Scanned) {
        self.ids
            .lock()
            .map(|ids| {
                let sum = ids.values().fold(Scanned::default(), |a, e| Scanned {
                    bytes: a.bytes + e.scanned.bytes,
                    records: a.records + e.scanned.records,
                    matched: a.matched + e.scanned.matched,
                });
                (ids.len() as u64, sum)
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_started_query_is_billed_at_its_largest_statistics_running_or_not() {
        let r = Running::default();
        r.add("a");
        r.add("b");
        let s = |bytes| Scanned {
            bytes,
            records: bytes / 10.0,
            matched: 1.0,
        };
        r.saw("a", s(100.0));
        r.saw("a", s(300.0));
        // An answer read out of order never lowers the bill.
        r.saw("a", s(200.0));
        r.saw("b", s(50.0));
        r.remove("a");
        assert_eq!(r.ids(), vec!["b".to_string()]);
        assert!(r.knows("a") && !r.knows("c"));
        let (queries, total) = r.bill();
        assert_eq!(queries, 2);
        assert_eq!((total.bytes, total.records, total.matched), (350.0, 35.0, 2.0));
    }
}
