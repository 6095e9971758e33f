//! The values of single JSON fields: object keys, messages, timestamps, stream names and the message type.

use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{skip_compounds, skip_scalars};
use crate::timeutil::{impossible_date, parse_leading_timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Message,
    AtMessage,
    Timestamp,
    AtTimestamp,
    LogStreamName,
    AtLogStream,
    LogStream,
    MessageType,
    /// Keys only CloudWatch events have: they make a standalone object an event.
    EventMarker,
    Events,
    LogEvents,
    /// `aws logs get-query-results`: rows of `{"field": …, "value": …}` cells.
    Results,
    /// Envelopes around encoded subscription payloads: a Lambda delivery's `awslogs`, Kinesis
    /// `Records` and their `kinesis`, a Firehose transformation event's `records`.
    Wrapper,
    /// A record's `data` (`Data` in Kinesis API output): base64 of a gzip'd subscription payload.
    Data,
    Other,
}

pub(super) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key, E> {
        Ok(match s {
            "message" => Key::Message,
            "@message" => Key::AtMessage,
            "timestamp" => Key::Timestamp,
            "@timestamp" => Key::AtTimestamp,
            "logStreamName" => Key::LogStreamName,
            "@logStream" => Key::AtLogStream,
            "logStream" => Key::LogStream,
            "messageType" => Key::MessageType,
            "ingestionTime" | "eventId" => Key::EventMarker,
            "events" => Key::Events,
            "logEvents" => Key::LogEvents,
            "results" => Key::Results,
            "awslogs" | "kinesis" | "Records" | "records" => Key::Wrapper,
            "data" | "Data" => Key::Data,
            _ => Key::Other,
        })
    }
}

/// A message into the reused buffer; a non-string message (Insights `@message` object) becomes compact JSON.
pub(super) struct MessageSeed<'a>(pub(super) &'a mut String);

impl<'de> DeserializeSeed<'de> for MessageSeed<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl MessageSeed<'_> {
    fn set(self, s: &str) -> bool {
        self.0.clear();
        self.0.push_str(s);
        true
    }
}

impl<'de> Visitor<'de> for MessageSeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a message")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<bool, E> {
        Ok(self.set(s))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(self.set(if v { "true" } else { "false" }))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        Ok(self.set(&v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        Ok(self.set(&v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        Ok(self.set(&serde_json::Value::from(v).to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        let value = serde_json::Value::deserialize(MapAccessDeserializer::new(map))?;
        Ok(self.set(&value.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
        let value = serde_json::Value::deserialize(SeqAccessDeserializer::new(seq))?;
        Ok(self.set(&value.to_string()))
    }
}

/// A JSON timestamp as read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Stamp {
    /// Epoch milliseconds, when the value was one.
    pub(super) ms: Option<i64>,
    /// It was a number (container events carry epoch ms; Lambda's own JSON lines an ISO string).
    pub(super) numeric: bool,
    /// A string with the shape of a timestamp whose date or time does not exist (`2025-02-30T…`):
    /// read without a time and reported, never as another time.
    pub(super) impossible: bool,
}

/// Epoch milliseconds (number or numeric string) or an ISO/Insights timestamp string.
pub(super) struct TimestampSeed;

impl<'de> DeserializeSeed<'de> for TimestampSeed {
    type Value = Stamp;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TimestampSeed {
    type Value = Stamp;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a timestamp")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Stamp::number(Some(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Stamp::number(i64::try_from(v).ok()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        let ms = (v.is_finite() && v.abs() < 9.0e18).then_some(v as i64);
        Ok(Stamp::number(ms))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        let ms = parse_leading_timestamp(s)
            .map(|t| t.epoch_ms)
            .or_else(|| s.trim().parse::<i64>().ok());
        Ok(Stamp {
            ms,
            numeric: false,
            impossible: ms.is_none() && impossible_date(s.trim_start().as_bytes()).is_some(),
        })
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Stamp::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Stamp::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Stamp::default())
    }
    skip_compounds!(Stamp::default());
}

impl Stamp {
    fn number(ms: Option<i64>) -> Stamp {
        Stamp {
            ms,
            numeric: true,
            impossible: false,
        }
    }
}

/// A string into a reused buffer; other types are skipped.
pub(super) struct StrSeed<'a>(pub(super) &'a mut String);

impl<'de> DeserializeSeed<'de> for StrSeed<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrSeed<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<bool, E> {
        self.0.clear();
        self.0.push_str(s);
        Ok(true)
    }
    skip_scalars!(false);
    skip_compounds!(false);
}

/// Whether a `messageType` is `CONTROL_MESSAGE` (a health check with no log data).
pub(super) struct ControlSeed;

impl<'de> DeserializeSeed<'de> for ControlSeed {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ControlSeed {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a message type")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<bool, E> {
        Ok(s == "CONTROL_MESSAGE")
    }
    skip_scalars!(false);
    skip_compounds!(false);
}
