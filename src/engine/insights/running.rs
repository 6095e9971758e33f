//! The queries a run started and has not seen finish: those to stop when the run ends early.

use std::collections::BTreeSet;
use std::sync::Mutex;

/// The queries started and not yet finished, to stop when the run ends early.
#[derive(Debug, Default)]
pub struct Running {
    ids: Mutex<BTreeSet<String>>,
}

impl Running {
    pub fn add(&self, id: &str) {
        if let Ok(mut ids) = self.ids.lock() {
            ids.insert(id.to_string());
        }
    }

    pub fn remove(&self, id: &str) {
        if let Ok(mut ids) = self.ids.lock() {
            ids.remove(id);
        }
    }

    /// The ids still running.
    pub fn ids(&self) -> Vec<String> {
        self.ids
            .lock()
            .map(|ids| ids.iter().cloned().collect())
            .unwrap_or_default()
    }
}
