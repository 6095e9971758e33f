//! JSON containers, streamed: CLI `filter-log-events`/`get-log-events` output, subscription payloads, Logs Insights exports, event objects.

use std::fmt;
use std::io::Read;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::source::{EventSink, LogEvent};
use crate::timeutil::parse_leading_timestamp;

/// What a JSON input held besides its events.
#[derive(Debug, Default)]
pub(crate) struct JsonStats {
    pub events: u64,
    /// Values that were neither an event nor a container of events.
    pub skipped: u64,
}

/// Reads a sequence of JSON values (concatenated, NDJSON or pretty-printed) and delivers every
/// event as soon as it is parsed; a failure stops the input after the events before it.
pub(crate) fn read_json<R: Read>(
    reader: R,
    default_stream: &str,
    sink: &mut dyn EventSink,
    stats: &mut JsonStats,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut ctx = Ctx {
        sink,
        default_stream,
        msg: String::new(),
        stream: String::new(),
        stats,
    };
    loop {
        match de.end() {
            Ok(()) => return Ok(()),
            Err(e) if e.is_io() => return Err(e),
            // Not at the end: another value follows.
            Err(_) => {}
        }
        ValueSeed {
            ctx: &mut ctx,
            place: Place::Top,
            inherited: None,
            buffer: None,
        }
        .deserialize(&mut de)?;
    }
}

struct Ctx<'s> {
    sink: &'s mut dyn EventSink,
    default_stream: &'s str,
    /// Reused across events so that string messages cost no allocation.
    msg: String,
    stream: String,
    stats: &'s mut JsonStats,
}

fn deliver(sink: &mut dyn EventSink, stats: &mut JsonStats, ts: Option<i64>, stream: &str, msg: &str) {
    stats.events += 1;
    let message = msg.trim_end_matches(['\n', '\r']);
    sink.event(&LogEvent {
        timestamp_ms: ts,
        stream,
        message,
    });
}

/// Where a value sits: a standalone value must look like a log event to count as one, while an
/// element of `events`/`logEvents` is an event by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Top,
    Element,
    EventOf,
}

/// Events of a subscription payload seen before its `logStream`/`messageType` keys (key order is not fixed).
struct Pending {
    ts: Option<i64>,
    stream: Option<String>,
    msg: String,
}

struct ValueSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
    place: Place,
    inherited: Option<&'a str>,
    buffer: Option<&'a mut Vec<Pending>>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl ValueSeed<'_, '_> {
    /// Delivers (or buffers) one event; `text` is `None` when the message is in the reused buffer.
    fn emit(&mut self, ts: Option<i64>, stream: Option<&str>, text: Option<&str>) {
        let ctx = &mut *self.ctx;
        let text = text.unwrap_or(&ctx.msg);
        match self.buffer.as_deref_mut() {
            Some(buf) => buf.push(Pending {
                ts,
                stream: stream.map(str::to_string),
                msg: text.to_string(),
            }),
            None => {
                let stream = stream.or(self.inherited).unwrap_or(ctx.default_stream);
                deliver(&mut *ctx.sink, &mut *ctx.stats, ts, stream, text);
            }
        }
    }
}

macro_rules! skip_scalars {
    ($ret:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($ret)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($ret)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($ret)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($ret)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($ret)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($ret)
        }
    };
}

macro_rules! skip_compounds {
    ($ret:expr) => {
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok($ret)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok($ret)
        }
    };
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a log event, an array of events, or a container of events")
    }

    fn visit_str<E: de::Error>(mut self, s: &str) -> Result<(), E> {
        self.emit(None, None, Some(s));
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.ctx.stats.skipped += 1;
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.ctx.stats.skipped += 1;
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.ctx.stats.skipped += 1;
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.ctx.stats.skipped += 1;
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.ctx.stats.skipped += 1;
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let place = if self.place == Place::EventOf {
            Place::EventOf
        } else {
            Place::Element
        };
        let mut buffer = self.buffer;
        while seq
            .next_element_seed(ValueSeed {
                ctx: self.ctx,
                place,
                inherited: self.inherited,
                buffer: buffer.as_deref_mut(),
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut ts = None;
        let mut has_msg = false;
        let mut has_stream = false;
        let mut event_like = self.place == Place::EventOf;
        let mut container_stream: Option<String> = None;
        let mut message_type_seen = false;
        let mut control = false;
        let mut had_events = false;
        let mut pending: Vec<Pending> = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key {
                Key::Message | Key::AtMessage => {
                    has_msg = map.next_value_seed(MessageSeed(&mut self.ctx.msg))?;
                    event_like |= key == Key::AtMessage;
                }
                Key::Timestamp | Key::AtTimestamp => {
                    let (value, numeric) = map.next_value_seed(TimestampSeed)?;
                    ts = value;
                    // Lambda's own JSON log lines carry an ISO string `timestamp`; container events carry epoch ms.
                    event_like |= numeric || key == Key::AtTimestamp;
                }
                Key::LogStreamName | Key::AtLogStream => {
                    has_stream = map.next_value_seed(StrSeed(&mut self.ctx.stream))?;
                    event_like = true;
                }
                Key::LogStream => {
                    let mut s = String::new();
                    if map.next_value_seed(StrSeed(&mut s))? {
                        container_stream = Some(s);
                    }
                }
                Key::MessageType => {
                    message_type_seen = true;
                    control = map.next_value_seed(ControlSeed)?;
                }
                Key::EventMarker => {
                    map.next_value::<IgnoredAny>()?;
                    event_like = true;
                }
                Key::Events => {
                    had_events = true;
                    map.next_value_seed(ValueSeed {
                        ctx: &mut *self.ctx,
                        place: Place::EventOf,
                        inherited: self.inherited,
                        buffer: None,
                    })?;
                }
                Key::LogEvents => {
                    had_events = true;
                    if message_type_seen && control {
                        map.next_value::<IgnoredAny>()?;
                    } else if message_type_seen && container_stream.is_some() {
                        map.next_value_seed(ValueSeed {
                            ctx: &mut *self.ctx,
                            place: Place::EventOf,
                            inherited: container_stream.as_deref().or(self.inherited),
                            buffer: None,
                        })?;
                    } else {
                        map.next_value_seed(ValueSeed {
                            ctx: &mut *self.ctx,
                            place: Place::EventOf,
                            inherited: None,
                            buffer: Some(&mut pending),
                        })?;
                    }
                }
                Key::Results => {
                    had_events = true;
                    map.next_value_seed(RowsSeed {
                        ctx: &mut *self.ctx,
                        inherited: self.inherited,
                    })?;
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if had_events {
            if !control {
                let stream = container_stream.as_deref().or(self.inherited);
                let ctx = &mut *self.ctx;
                for p in pending {
                    let stream = p.stream.as_deref().or(stream).unwrap_or(ctx.default_stream);
                    deliver(&mut *ctx.sink, &mut *ctx.stats, p.ts, stream, &p.msg);
                }
            }
            return Ok(());
        }
        if !(has_msg && event_like) {
            self.ctx.stats.skipped += 1;
            return Ok(());
        }
        if has_stream {
            let stream = std::mem::take(&mut self.ctx.stream);
            self.emit(ts, Some(&stream), None);
            self.ctx.stream = stream;
        } else {
            self.emit(ts, container_stream.as_deref(), None);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
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
    Other,
}

struct KeySeed;

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
            _ => Key::Other,
        })
    }
}

/// The rows of a `get-query-results` answer, one event per row that has `@message`.
struct RowsSeed<'a, 's> {
    ctx: &'a mut Ctx<'s>,
    inherited: Option<&'a str>,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RowsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("query result rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut rows: A) -> Result<(), A::Error> {
        while let Some(cells) = rows.next_element::<Vec<Cell>>()? {
            let (mut ts, mut stream, mut msg) = (None, None, None);
            for cell in cells {
                match cell.field.as_str() {
                    "@timestamp" => ts = parse_leading_timestamp(&cell.value).map(|t| t.epoch_ms),
                    "@logStream" => stream = Some(cell.value),
                    "@message" => msg = Some(cell.value),
                    _ => {}
                }
            }
            match msg {
                Some(msg) => {
                    let stream = stream.as_deref().or(self.inherited).unwrap_or(self.ctx.default_stream);
                    deliver(&mut *self.ctx.sink, &mut *self.ctx.stats, ts, stream, &msg);
                }
                None => self.ctx.stats.skipped += 1,
            }
        }
        Ok(())
    }
    skip_scalars!(());
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// One `{"field": …, "value": …}` cell of a query result row.
#[derive(Deserialize)]
struct Cell {
    #[serde(default)]
    field: String,
    #[serde(default)]
    value: String,
}

/// A message into the reused buffer; a non-string message (Insights `@message` object) becomes compact JSON.
struct MessageSeed<'a>(&'a mut String);

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

/// Epoch milliseconds (number or numeric string) or an ISO/Insights timestamp string; also says whether it was a number.
struct TimestampSeed;

impl<'de> DeserializeSeed<'de> for TimestampSeed {
    type Value = (Option<i64>, bool);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TimestampSeed {
    type Value = (Option<i64>, bool);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a timestamp")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok((Some(v), true))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok((i64::try_from(v).ok(), true))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        let ms = (v.is_finite() && v.abs() < 9.0e18).then_some(v as i64);
        Ok((ms, true))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        let parsed = parse_leading_timestamp(s)
            .map(|t| t.epoch_ms)
            .or_else(|| s.trim().parse::<i64>().ok());
        Ok((parsed, false))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok((None, false))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((None, false))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((None, false))
    }
    skip_compounds!((None, false));
}

/// A string into a reused buffer; other types are skipped.
struct StrSeed<'a>(&'a mut String);

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
struct ControlSeed;

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

#[cfg(test)]
mod tests {
    use crate::source::file::read_reader;
    use crate::source::InputFormat;
    use crate::testutil::{gzip, many_events, read, TestSink, FILTER, INSIGHTS, SUBSCRIPTIONS};

    #[test]
    fn filter_and_get_log_events() {
        let s = read(FILTER.as_bytes(), InputFormat::Json);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.events.len(), 2);
        assert_eq!(s.events[0].0, Some(1_756_861_433_072));
        assert_eq!(
            s.events[0].1,
            "2025/09/02/gemini-cli-lambda[$LATEST]10681b291d2547ae90e38612e90b0aeb"
        );
        assert!(s.events[0].2.ends_with("\tStatus: timeout"));
        assert_eq!(
            s.events[1],
            (
                Some(1_559_763_003_171),
                "dflt".into(),
                "START RequestId: 4ce9340a-b765-490f-ad8a-02ab3415e2bf Version: $LATEST".into()
            )
        );
    }

    #[test]
    fn concatenated_subscription_payloads() {
        let (first, second) = SUBSCRIPTIONS.split_at(SUBSCRIPTIONS.find("{\"owner\"").unwrap());
        let mut data = gzip(first.as_bytes());
        data.extend(gzip(second.as_bytes()));
        for input in [SUBSCRIPTIONS.as_bytes(), &data[..]] {
            let s = read(input, InputFormat::Auto);
            assert!(s.errors.is_empty(), "{:?}", s.errors);
            assert_eq!(
                s.events,
                vec![
                    (
                        Some(1_432_826_855_000),
                        "2024/09/15/[$LATEST]57661289d19ebedfe4a6782395866989".into(),
                        "START RequestId: a Version: $LATEST".into()
                    ),
                    (
                        Some(1_432_826_855_001),
                        "2024/09/15/[$LATEST]57661289d19ebedfe4a6782395866989".into(),
                        "END RequestId: a".into()
                    ),
                    (
                        Some(1_432_826_855_002),
                        "2024/09/15/[$LATEST]b".into(),
                        "REPORT RequestId: a\tDuration: 1.85 ms\t".into()
                    ),
                ]
            );
        }
    }

    #[test]
    fn insights_export_and_object_messages() {
        let s = read(INSIGHTS.as_bytes(), InputFormat::Auto);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.events.len(), 2);
        assert_eq!(s.events[0].0, Some(1_681_831_966_721));
        assert_eq!(s.events[0].1, "2023/04/18/[$LATEST]2a9d");
        assert!(s.events[0]
            .2
            .ends_with("2.11 ms\t\nXRAY TraceId: 1-643eb8\tSegmentId: 1\tSampled: true"));
        assert_eq!(s.events[1].2, r#"{"level":"INFO","message":"x"}"#);
    }

    #[test]
    fn get_query_results() {
        let data = r#"{
    "results": [
        [
            {"field": "@timestamp", "value": "2024-05-19 06:10:35.743"},
            {"field": "@message", "value": "REPORT RequestId: 7f1e\tDuration: 14.97 ms\t\n"},
            {"field": "@logStream", "value": "2024/05/19/[$LATEST]abc"},
            {"field": "@ptr", "value": "CmAKJwoj"}
        ],
        [{"field": "@duration", "value": "14.97"}]
    ],
    "statistics": {"recordsMatched": 2.0},
    "status": "Complete"
}"#;
        let s = read(data.as_bytes(), InputFormat::Auto);
        assert_eq!(
            s.events,
            vec![(
                Some(1_716_099_035_743),
                "2024/05/19/[$LATEST]abc".into(),
                "REPORT RequestId: 7f1e\tDuration: 14.97 ms\t".into()
            )]
        );
        assert_eq!(s.errors.len(), 1, "the row without @message is reported");
    }

    #[test]
    fn single_objects_arrays_and_ndjson() {
        let data = "{\"timestamp\": 5, \"message\": \"END RequestId: a\\n\"}\n[{\"timestamp\":6,\"message\":\"a\",\"logStreamName\":\"s\"}, \"bare string\"]\n{\"timestamp\": \"2026-11-25T17:33:47Z\", \"level\": \"INFO\", \"message\": \"hello\"}";
        let s = read(data.as_bytes(), InputFormat::Json);
        assert_eq!(
            s.events,
            vec![
                (Some(5), "dflt".into(), "END RequestId: a".into()),
                (Some(6), "s".into(), "a".into()),
                (None, "dflt".into(), "bare string".into()),
            ]
        );
        assert_eq!(s.errors.len(), 1);
        assert!(
            s.errors[0].message.contains("1 JSON value(s) held no log event"),
            "{}",
            s.errors[0].message
        );
    }

    /// Counts events and checks they arrive in order, without keeping them.
    #[derive(Default)]
    struct Counter {
        n: u64,
        errors: Vec<crate::source::InputError>,
    }

    impl crate::source::EventSink for Counter {
        fn event(&mut self, e: &crate::source::LogEvent<'_>) {
            assert_eq!(e.timestamp_ms, Some(1_700_000_000_000 + self.n as i64));
            assert_eq!(e.message, format!("START RequestId: {:08} Version: $LATEST", self.n));
            self.n += 1;
        }
        fn input_error(&mut self, error: crate::source::InputError) {
            self.errors.push(error);
        }
    }

    #[test]
    fn streams_many_events() {
        let data = many_events(20_000);
        let mut sink = Counter::default();
        read_reader("big.json", data.as_bytes(), InputFormat::Auto, "", &mut sink).unwrap();
        assert_eq!(sink.n, 20_000);
        assert!(sink.errors.is_empty());
        // Events before a cut are delivered as they are parsed.
        let mut sink = Counter::default();
        read_reader(
            "cut.json",
            &data.as_bytes()[..data.len() / 2],
            InputFormat::Json,
            "",
            &mut sink,
        )
        .unwrap();
        assert!(sink.n > 8_000, "{}", sink.n);
        assert_eq!(sink.errors.len(), 1);
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let data = "{\"events\": [\n  {\"timestamp\": 1, \"message\": \"START RequestId: a\"},\n  {\"timestamp\": 2, \"message\": oops}\n]}";
        let mut sink = TestSink::default();
        read_reader("bad.json", data.as_bytes(), InputFormat::Json, "", &mut sink).unwrap();
        assert_eq!(sink.messages(), vec!["START RequestId: a"]);
        assert_eq!(sink.errors.len(), 1);
        let e = &sink.errors[0];
        assert_eq!(e.input, "bad.json");
        assert_eq!(e.position, "line 3, column 31");
        assert!(
            e.message.starts_with("malformed JSON (expected value)"),
            "{}",
            e.message
        );
    }
}
