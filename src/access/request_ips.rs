//! The caller IP of every request id read, kept in 12 bytes a request: a cached decision may name
//! the request it was made for (`authorizerRequestId`), anywhere in the input, before or after it.

use rustc_hash::{FxHashMap, FxHashSet};

use super::collect::IdHash;

/// Entries per chunk: fixed chunks instead of one growing `Vec`, which would double (and copy
/// itself) as it grows, for a peak of three times the data.
const CHUNK: usize = 1 << 16;

/// (request id, caller IP) pairs in reading order, ids and IPs in separate arrays so each pair
/// costs 12 bytes, not 16.
#[derive(Debug, Default)]
pub struct RequestIps {
    ids: Vec<Vec<IdHash>>,
    ips: Vec<Vec<u32>>,
}

impl RequestIps {
    /// Adds the request `id` from the interned IP `ip`.
    pub fn push(&mut self, id: IdHash, ip: u32) {
        if self.ids.last().is_none_or(|c| c.len() == CHUNK) {
            self.ids.push(Vec::with_capacity(CHUNK));
            self.ips.push(Vec::with_capacity(CHUNK));
        }
        if let (Some(ids), Some(ips)) = (self.ids.last_mut(), self.ips.last_mut()) {
            ids.push(id);
            ips.push(ip);
        }
    }

    /// The IP of the last request with each of `wanted` (those read), in one pass.
    pub fn lookup(&self, wanted: &FxHashSet<IdHash>) -> FxHashMap<IdHash, u32> {
        let mut found = FxHashMap::default();
        if wanted.is_empty() {
            return found;
        }
        for (ids, ips) in self.ids.iter().zip(&self.ips) {
            for (id, ip) in ids.iter().zip(ips) {
                if wanted.contains(id) {
                    found.insert(*id, *ip);
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::collect::id_hash;

    #[test]
    fn the_last_request_with_an_id_gives_its_ip_across_chunks() {
        let mut r = RequestIps::default();
        for i in 0..(CHUNK + 10) as u32 {
            r.push(id_hash(&format!("r{i}")), i);
        }
        r.push(id_hash("r3"), 7);
        let wanted: FxHashSet<IdHash> = ["r3", "r70000", "r65540", "absent"]
            .iter()
            .map(|s| id_hash(s))
            .collect();
        let found = r.lookup(&wanted);
        assert_eq!(found.get(&id_hash("r3")), Some(&7));
        assert_eq!(found.get(&id_hash("r65540")), Some(&65_540));
        assert_eq!(found.get(&id_hash("r70000")), None);
        assert_eq!(found.get(&id_hash("absent")), None);
        assert_eq!(found.len(), 2);
    }
}
