//! Request ids as map keys: Lambda's 36-byte UUID text as five machine words, anything else as text.

use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};

use rustc_hash::FxBuildHasher;

/// A request id. A 36-byte id (Lambda's UUIDs) is kept as integers holding its exact bytes: no
/// allocation, hashing in one folded word and comparing in five, and the same text back, so grouping stays
/// exact for any id. Decoding the hex instead would save 20 bytes but cost more than it saves.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RequestKey {
    Words([u64; 4], u32),
    Text(Box<str>),
}

fn word(b: &[u8; 36], at: usize) -> u64 {
    u64::from_le_bytes([
        b[at],
        b[at + 1],
        b[at + 2],
        b[at + 3],
        b[at + 4],
        b[at + 5],
        b[at + 6],
        b[at + 7],
    ])
}

impl RequestKey {
    pub fn new(id: &str) -> RequestKey {
        match <&[u8; 36]>::try_from(id.as_bytes()) {
            Ok(b) => RequestKey::Words(
                [word(b, 0), word(b, 8), word(b, 16), word(b, 24)],
                u32::from_le_bytes([b[32], b[33], b[34], b[35]]),
            ),
            // An id over the cap (no real one is) is kept cut, still exact for grouping.
            Err(_) => RequestKey::Text(crate::cut::cut(id, crate::cut::VALUE_CAP).into()),
        }
    }

    /// Whether the id was longer than [`VALUE_CAP`](crate::cut::VALUE_CAP) and is kept cut.
    pub fn is_cut(&self) -> bool {
        matches!(self, RequestKey::Text(t) if t.len() > crate::cut::VALUE_CAP && crate::cut::is_cut(t))
    }

    /// Bytes it holds outside itself.
    pub fn heap_bytes(&self) -> usize {
        match self {
            RequestKey::Words(..) => 0,
            RequestKey::Text(t) => t.len(),
        }
    }

    fn bytes(words: &[u64; 4], tail: u32) -> [u8; 36] {
        let mut out = [0u8; 36];
        for (chunk, w) in out.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        out[32..].copy_from_slice(&tail.to_le_bytes());
        out
    }

    /// A compact fingerprint for the set of recently emitted requests (a collision could at worst
    /// count one line of a new request as late, at odds of about 2^-64 per line).
    pub fn fingerprint(&self) -> u64 {
        match self {
            RequestKey::Words(w, t) => FxBuildHasher.hash_one((w, t)),
            RequestKey::Text(t) => FxBuildHasher.hash_one(t),
        }
    }
}

/// One word for the map of open requests: the words folded with rotations, which `FxHasher` then
/// mixes once, instead of six writes (variant, length, words, tail). Equal keys fold equally; the
/// fold is not the `fingerprint`, whose odds of collision must stay those of a 64-bit hash.
impl Hash for RequestKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            RequestKey::Words([a, b, c, d], t) => state.write_u64(
                a ^ b.rotate_left(16) ^ c.rotate_left(32) ^ d.rotate_left(48) ^ u64::from(*t).rotate_left(8),
            ),
            RequestKey::Text(text) => text.hash(state),
        }
    }
}

impl Default for RequestKey {
    fn default() -> RequestKey {
        RequestKey::Text(Box::default())
    }
}

impl From<&str> for RequestKey {
    fn from(id: &str) -> RequestKey {
        RequestKey::new(id)
    }
}

impl fmt::Display for RequestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The bytes came from a `str`, so they are UTF-8.
            RequestKey::Words(words, tail) => match std::str::from_utf8(&RequestKey::bytes(words, *tail)) {
                Ok(text) => f.write_str(text),
                Err(_) => Err(fmt::Error),
            },
            RequestKey::Text(t) => f.write_str(t),
        }
    }
}

impl PartialEq<&str> for RequestKey {
    fn eq(&self, other: &&str) -> bool {
        *self == RequestKey::new(other)
    }
}

/// The one rule for what a request id is, used by every line shape that carries one as a field (the
/// tab-separated app lines, `<id> Task timed out …`): Lambda's UUIDs, other ids of 8 to 64 letters,
/// digits and dashes (local emulators, tests), and the placeholders authors put in published logs
/// in place of the id (`<guid>`, `<request-id>`, `{id}`), so every line of such a log carries the
/// same id and attaches to its invocation.
pub fn is_request_id(id: &str) -> bool {
    let b = id.as_bytes();
    // Lambda's own ids are UUIDs: check the dashes, the usual case, before a byte-by-byte scan.
    if b.len() == 36 && b[8] == b'-' && b[13] == b'-' && b[18] == b'-' && b[23] == b'-' {
        return true;
    }
    is_placeholder(id) || (b.len() >= 8 && b.len() <= 64 && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-'))
}

/// `<guid>`, `<request-id>`, `{id}`: a name in angle brackets or braces standing for an id.
fn is_placeholder(id: &str) -> bool {
    let b = id.as_bytes();
    if b.len() < 3 || b.len() > 42 {
        return false;
    }
    let inner = &b[1..b.len() - 1];
    matches!((b[0], b[b.len() - 1]), (b'<', b'>') | (b'{', b'}'))
        && inner
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
}

/// The UUID at the start of `s` when the next field is glued to it (`…e603845Duration: 2.0 ms`, a
/// copy that lost a tab): a UUID has a fixed length, so the id ends after 36 bytes when a word
/// (an upper-case letter, then a lower-case one: no hex digit is lower-case past `f`, and a UUID's
/// own letters are hex) begins there.
pub fn glued_uuid(s: &str) -> Option<&str> {
    let b = s.as_bytes();
    if b.len() < 38 || !b[36].is_ascii_uppercase() || !b[37].is_ascii_lowercase() {
        return None;
    }
    let uuid = b[..36].iter().enumerate().all(|(i, c)| match i {
        8 | 13 | 18 | 23 => *c == b'-',
        _ => c.is_ascii_hexdigit(),
    });
    if uuid {
        s.get(..36)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ids_of_36_bytes_become_integers_and_everything_else_stays_text() {
        let id = "d39edf81-4b21-4e3d-8ad2-7c1e92f00c82";
        assert!(matches!(RequestKey::new(id), RequestKey::Words(..)));
        assert_eq!(RequestKey::new(id).to_string(), id);
        for other in [
            "req-1",
            "d39edf81-4b21-4e3d-8ad2-7c1e92f00c8",
            "d39edf81-4b21-4e3d-8ad2-7c1e92f00c821",
        ] {
            assert_eq!(RequestKey::new(other), RequestKey::Text(other.into()), "{other}");
            assert_eq!(RequestKey::new(other).to_string(), other);
        }
        assert_ne!(
            RequestKey::new(id),
            RequestKey::new("D39EDF81-4b21-4e3d-8ad2-7c1e92f00c82")
        );
        assert_eq!(RequestKey::new(id), id);
    }

    #[test]
    fn one_rule_accepts_uuids_short_ids_and_placeholders() {
        for id in [
            "d39edf81-4b21-4e3d-8ad2-7c1e92f00c82",
            "abcdefgh-1",
            "<guid>",
            "<request-id>",
            "{id}",
            "<request_id>",
        ] {
            assert!(is_request_id(id), "{id}");
        }
        for not in [
            "",
            "-",
            "<>",
            "{}",
            "<a b>",
            "<guid",
            "guid>",
            "ab",
            "hello,",
            "[INFO]",
            "<this-is-a-very-long-placeholder-name-over-forty-bytes>",
        ] {
            assert!(!is_request_id(not), "{not}");
        }
    }

    #[test]
    fn a_uuid_glued_to_the_next_field_splits_at_36_bytes() {
        let id = "1bdd37b4-e95b-43bd-a49b-9da55e603845";
        assert_eq!(glued_uuid(&format!("{id}Duration: 2.00 ms")), Some(id));
        assert_eq!(glued_uuid(&format!("{id}Version: $LATEST")), Some(id));
        // Separated, longer or not a UUID: no split.
        assert_eq!(glued_uuid(&format!("{id} Duration: 2.00 ms")), None);
        assert_eq!(glued_uuid(&format!("{id}DEADBEEF")), None);
        assert_eq!(glued_uuid("1bdd37b4-e95b-43bd-a49b-9da55e60384xDuration: 2 ms"), None);
        assert_eq!(glued_uuid("short"), None);
    }

    proptest! {
        #[test]
        fn text_round_trips_and_equal_keys_mean_equal_ids(a in "[0-9a-fA-F-]{30,40}", b in "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") {
            prop_assert_eq!(RequestKey::new(&a).to_string(), a.clone());
            prop_assert_eq!(RequestKey::new(&b).to_string(), b.clone());
            prop_assert!(matches!(RequestKey::new(&b), RequestKey::Words(..)));
            prop_assert_eq!(RequestKey::new(&a) == RequestKey::new(&b), a == b);
        }
    }
}
