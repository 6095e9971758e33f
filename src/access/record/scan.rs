//! One JSON access-log record scanned for the keys authlogs reads, values borrowed from the line:
//! no tree per record, every other key skipped (still checked to be JSON).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::access::fields::{AccessField, AccessFields};

/// The keys of one JSON record authlogs reads, as they were in the line. A key given twice keeps
/// its last value, as a JSON object read into a map does.
#[derive(Debug, Default)]
pub(crate) struct Scanned<'a> {
    /// The value of each field of [`AccessField::ALL`], as text; `None` when absent, `-`, empty,
    /// null, or not a scalar.
    pub values: [Option<Cow<'a, str>>; 16],
    /// The request id's key was present (whatever its value).
    pub has_request_id: bool,
}

impl<'a> Scanned<'a> {
    /// The text of `field`.
    pub fn get(&self, field: AccessField) -> Option<&str> {
        self.values[index(field)].as_deref()
    }

    /// The text of `field`, taken out.
    pub fn take(&mut self, field: AccessField) -> Option<Cow<'a, str>> {
        self.values[index(field)].take()
    }
}

/// The position of `field` in [`AccessField::ALL`].
fn index(field: AccessField) -> usize {
    AccessField::ALL.iter().position(|f| *f == field).unwrap_or(0)
}

/// `line` (trimmed, starting with `{`) read as one JSON object; `None` when it is not one.
pub(crate) fn scan<'a>(line: &'a str, fields: &AccessFields) -> Option<Scanned<'a>> {
    let mut de = serde_json::Deserializer::from_str(line);
    let scanned = de.deserialize_map(RecordVisitor { fields }).ok()?;
    // Only whitespace may follow the object, as `serde_json::from_str` requires.
    de.end().ok()?;
    Some(scanned)
}

struct RecordVisitor<'f> {
    fields: &'f AccessFields,
}

impl<'de> Visitor<'de> for RecordVisitor<'_> {
    type Value = Scanned<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an access-log record (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scanned<'de>, A::Error> {
        let mut out = Scanned::default();
        let request_id_key = self.fields.key(AccessField::RequestId);
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            // Which fields read this key: usually one, none for the keys authlogs does not use
            // (a team's mapping may name one key for two fields).
            let mut wanted = [false; 16];
            for (i, field) in AccessField::ALL.iter().enumerate() {
                wanted[i] = self.fields.key(*field) == key;
            }
            if !wanted.contains(&true) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            out.has_request_id |= key == request_id_key;
            let value = map.next_value::<Scalar<'de>>()?.text();
            for (slot, _) in out.values.iter_mut().zip(wanted).filter(|(_, w)| *w) {
                *slot = value.clone();
            }
        }
        Ok(out)
    }
}

/// A key, borrowed unless it has an escape (serde's own `Cow` always copies).
struct Text<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v)))
    }
}

/// A JSON value as the record reads it: strings as they are (borrowed unless escaped), numbers
/// and booleans written out as `serde_json::Value` writes them, anything else absent.
struct Scalar<'a>(Option<Cow<'a, str>>);

impl<'a> Scalar<'a> {
    /// `-` and empty are absent: API Gateway writes `-` for a variable with no value.
    fn text(self) -> Option<Cow<'a, str>> {
        self.0.filter(|s| !s.is_empty() && s != "-")
    }
}

impl<'de> de::Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Scalar<'de>, E> {
        Ok(Scalar(Some(Cow::Borrowed(v))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar<'de>, E> {
        Ok(Scalar(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar<'de>, E> {
        Ok(Scalar(Some(Cow::Owned(v))))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar<'de>, E> {
        Ok(Scalar(Some(Cow::Owned(v.to_string()))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar<'de>, E> {
        Ok(Scalar(Some(Cow::Owned(serde_json::Number::from(v).to_string()))))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar<'de>, E> {
        Ok(Scalar(Some(Cow::Owned(serde_json::Number::from(v).to_string()))))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar<'de>, E> {
        Ok(Scalar(
            serde_json::Number::from_f64(v).map(|n| Cow::Owned(n.to_string())),
        ))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'de>, E> {
        Ok(Scalar(None))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar(None))
    }
}
