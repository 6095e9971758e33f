//! The caller IP of every request id read, 12 bytes a request: a cached decision may name the
//! request it was made for (`authorizerRequestId`), anywhere in the input, before or after it.
//! Past a budget, full chunks go to an unnamed scratch file, so memory stays flat; the file is
//! read back once, only when some request named another.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::num::NonZeroU64;

use rustc_hash::{FxHashMap, FxHashSet};

use super::collect::IdHash;

/// Entries per chunk (768 KiB of pairs).
const CHUNK: usize = 1 << 16;

/// Chunks kept in memory before the oldest go to the scratch file: 1,048,576 requests, 12 MiB.
const MEMORY_CHUNKS: usize = 16;

/// One (id, IP) pair in the scratch file.
const PAIR: usize = 12;

/// (request id, caller IP) pairs in reading order.
#[derive(Debug)]
pub struct RequestIps {
    /// The newest pairs, oldest chunk first: ids and IPs apart, so a pair costs 12 bytes, not 16.
    chunks: Vec<(Vec<IdHash>, Vec<u32>)>,
    /// How many chunks stay in memory.
    memory_chunks: usize,
    /// The older pairs, in reading order, when any were written out.
    spilled: Option<BufWriter<File>>,
    /// Why the scratch file could not be made or written: the pairs then stay in memory, and
    /// reading the file back fails with it.
    spill_error: Option<io::Error>,
}

impl Default for RequestIps {
    fn default() -> Self {
        RequestIps::with_memory_chunks(MEMORY_CHUNKS)
    }
}

impl RequestIps {
    /// Pairs keeping `memory_chunks` chunks in memory (the tests spill early).
    pub fn with_memory_chunks(memory_chunks: usize) -> RequestIps {
        RequestIps {
            chunks: Vec::new(),
            memory_chunks: memory_chunks.max(1),
            spilled: None,
            spill_error: None,
        }
    }

    /// Adds the request `id` from the interned IP `ip`.
    pub fn push(&mut self, id: IdHash, ip: u32) {
        if self.chunks.last().is_none_or(|c| c.0.len() == CHUNK) {
            if self.chunks.len() >= self.memory_chunks && self.spill_error.is_none() {
                if let Err(e) = self.spill_oldest() {
                    self.spill_error = Some(e);
                }
            }
            self.chunks.push((Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK)));
        }
        if let Some((ids, ips)) = self.chunks.last_mut() {
            ids.push(id);
            ips.push(ip);
        }
    }

    fn spill_oldest(&mut self) -> io::Result<()> {
        if self.spilled.is_none() {
            self.spilled = Some(BufWriter::with_capacity(1 << 16, scratch_file()?));
        }
        let Some(out) = self.spilled.as_mut() else {
            return Ok(());
        };
        let (ids, ips) = &self.chunks[0];
        for (id, ip) in ids.iter().zip(ips) {
            out.write_all(&id.get().to_le_bytes())?;
            out.write_all(&ip.to_le_bytes())?;
        }
        self.chunks.remove(0);
        Ok(())
    }

    /// Whether older pairs went to the scratch file (only [`RequestIps::lookup`] reads them).
    pub fn spilled(&self) -> bool {
        self.spilled.is_some()
    }

    /// [`RequestIps::lookup`] over the pairs in memory: all of them unless [`RequestIps::spilled`].
    pub fn lookup_in_memory(&self, wanted: &FxHashSet<IdHash>) -> FxHashMap<IdHash, u32> {
        let mut found = FxHashMap::default();
        for (ids, ips) in &self.chunks {
            for (id, ip) in ids.iter().zip(ips) {
                if wanted.contains(id) {
                    found.insert(*id, *ip);
                }
            }
        }
        found
    }

    /// The IP of the last request with each of `wanted` (those read), in one pass over the
    /// pairs (the scratch file first: it holds the older ones).
    pub fn lookup(&mut self, wanted: &FxHashSet<IdHash>) -> io::Result<FxHashMap<IdHash, u32>> {
        let mut found = FxHashMap::default();
        if wanted.is_empty() {
            return Ok(found);
        }
        if let Some(e) = &self.spill_error {
            if self.spilled.is_some() {
                return Err(io::Error::new(e.kind(), e.to_string()));
            }
        }
        if let Some(out) = self.spilled.as_mut() {
            out.flush()?;
            let file = out.get_mut();
            file.seek(SeekFrom::Start(0))?;
            let mut reader = BufReader::with_capacity(1 << 16, &*file);
            let mut pair = [0u8; PAIR];
            loop {
                match reader.read_exact(&mut pair) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
                    Err(e) => return Err(e),
                }
                let (id, ip) = pair.split_at(8);
                let id = u64::from_le_bytes(id.try_into().unwrap_or_default());
                let ip = u32::from_le_bytes(ip.try_into().unwrap_or_default());
                if let Some(id) = NonZeroU64::new(id).filter(|id| wanted.contains(id)) {
                    found.insert(id, ip);
                }
            }
            // Later pairs go after the ones written.
            file.seek(SeekFrom::End(0))?;
        }
        found.extend(self.lookup_in_memory(wanted));
        Ok(found)
    }
}

/// A file in the temporary directory that no other process sees: unlinked once opened where the
/// system allows it (it then goes away with the process, whatever happens).
fn scratch_file() -> io::Result<File> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!("authlogs-join-{}-{nanos}.ids", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    let _ = std::fs::remove_file(&path);
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::collect::id_hash;

    fn filled(memory_chunks: usize) -> RequestIps {
        let mut r = RequestIps::with_memory_chunks(memory_chunks);
        for i in 0..(3 * CHUNK + 10) as u32 {
            r.push(id_hash(&format!("r{i}")), i);
        }
        r.push(id_hash("r3"), 7);
        r
    }

    #[test]
    fn the_last_request_with_an_id_gives_its_ip_in_memory_or_spilled() {
        let wanted: FxHashSet<IdHash> = ["r3", "r200000", "r65540", "r196617", "absent"]
            .iter()
            .map(|s| id_hash(s))
            .collect();
        let in_memory = filled(8).lookup(&wanted).unwrap();
        let mut spilling = filled(1);
        assert!(spilling.spilled.is_some() && spilling.chunks.len() == 1);
        let spilled = spilling.lookup(&wanted).unwrap();
        assert_eq!(spilled, in_memory);
        assert_eq!(in_memory.get(&id_hash("r3")), Some(&7));
        assert_eq!(in_memory.get(&id_hash("r65540")), Some(&65_540));
        assert_eq!(in_memory.get(&id_hash("r196617")), Some(&196_617));
        assert_eq!(in_memory.len(), 3);
        // Read back twice, with pairs added between: the file keeps its order.
        spilling.push(id_hash("r65540"), 1);
        assert_eq!(spilling.lookup(&wanted).unwrap().get(&id_hash("r65540")), Some(&1));
    }
}
