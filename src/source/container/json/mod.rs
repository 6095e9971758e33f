//! JSON containers, streamed: CLI `filter-log-events`/`get-log-events` output, subscription payloads, Logs Insights exports, event objects.

mod cut;
mod encoded;
mod fields;

use std::cell::Cell as Flag;
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::source::{EventSink, LogEvent};
use crate::timeutil::{impossible_date, parse_leading_timestamp};
pub(crate) use cut::CutStrings;
use fields::{ControlSeed, Key, KeySeed, MessageSeed, StrSeed, TimestampSeed};

/// What a JSON input held besides its events.
#[derive(Debug, Default)]
pub(crate) struct JsonStats {
    pub events: u64,
    /// Values that were neither an event nor a container of events.
    pub skipped: u64,
    /// Encoded (base64, gzip) subscription records met, and those that could not be decoded.
    pub encoded: u64,
    pub damaged: u64,
    /// The first record that could not be decoded: its ordinal among the encoded records (from
    /// 1) and what was wrong with it.
    pub first_damage: Option<(u64, String)>,
    /// Events whose timestamp string has a date or time that does not exist (read without a
    /// time), and the first one's ordinal among the events (from 1).
    pub invalid_times: u64,
    pub first_invalid_time: Option<u64>,
}

impl JsonStats {
    /// One more event whose timestamp does not exist; `pending` events come before it.
    fn note_invalid_time(&mut self, pending: usize) {
        self.invalid_times += 1;
        let at = self.events + pending as u64 + 1;
        self.first_invalid_time.get_or_insert(at);
    }
}

/// Reads a sequence of JSON values (concatenated, NDJSON or pretty-printed) and delivers every
/// event as soon as it is parsed; a failure stops the input after the events before it.
pub(crate) fn read_json<R: Read>(
    reader: R,
    default_stream: &str,
    sink: &mut dyn EventSink,
    stats: &mut JsonStats,
) -> Result<(), serde_json::Error> {
    read_values(reader, &Flag::new(false), sink, default_stream, stats)
}

/// `read_json` with a stop flag shared with an enclosing read (an encoded payload's events stop
/// the whole input when the sink asks).
fn read_values<R: Read>(
    reader: R,
    stop: &Flag<bool>,
    sink: &mut dyn EventSink,
    default_stream: &str,
    stats: &mut JsonStats,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(StopReader { inner: reader, stop });
    let mut ctx = Ctx {
        stop,
        sink,
        default_stream,
        msg: String::new(),
        stream: String::new(),
        stats,
    };
    loop {
        if stop.get() {
            return Ok(());
        }
        match de.end() {
            Ok(()) => return Ok(()),
            // The sink stopped the read mid-value: the rest is not read, and that is no damage.
            Err(_) if stop.get() => return Ok(()),
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
        .deserialize(&mut de)
        .or_else(|e| if stop.get() { Ok(()) } else { Err(e) })?;
    }
}

/// Ends the input early (as if it were over) once the sink asked to stop.
struct StopReader<'s, R> {
    inner: R,
    stop: &'s Flag<bool>,
}

impl<R: Read> Read for StopReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.get() {
            return Ok(0);
        }
        self.inner.read(buf)
    }
}

struct Ctx<'s> {
    /// Set when the sink asks to stop.
    stop: &'s Flag<bool>,
    sink: &'s mut dyn EventSink,
    default_stream: &'s str,
    /// Reused across events so that string messages cost no allocation.
    msg: String,
    stream: String,
    stats: &'s mut JsonStats,
}

fn deliver(
    sink: &mut dyn EventSink,
    stats: &mut JsonStats,
    stop: &Flag<bool>,
    ts: Option<i64>,
    stream: &str,
    msg: &str,
) {
    if stop.get() {
        return;
    }
    stats.events += 1;
    let message = msg.trim_end_matches(['\n', '\r']);
    let flow = sink.event(&LogEvent {
        timestamp_ms: ts,
        stream,
        message,
    });
    if flow.is_break() {
        stop.set(true);
    }
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
                deliver(&mut *ctx.sink, &mut *ctx.stats, ctx.stop, ts, stream, text);
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

// So that `fields` can import them: a `macro_rules!` is otherwise in scope only below its definition.
use {skip_compounds, skip_scalars};

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
        let mut bad_time = false;
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
                    let stamp = map.next_value_seed(TimestampSeed)?;
                    ts = stamp.ms;
                    bad_time = stamp.impossible;
                    // Lambda's own JSON log lines carry an ISO string `timestamp`; container events carry epoch ms.
                    event_like |= stamp.numeric || key == Key::AtTimestamp;
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
                Key::Wrapper => {
                    had_events |= map.next_value_seed(encoded::WrappedSeed { ctx: &mut *self.ctx })? > 0;
                }
                Key::Data => {
                    had_events |= map.next_value_seed(encoded::DataSeed {
                        ctx: &mut *self.ctx,
                        enveloped: false,
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
                    deliver(&mut *ctx.sink, &mut *ctx.stats, ctx.stop, p.ts, stream, &p.msg);
                }
            }
            return Ok(());
        }
        if !(has_msg && event_like) {
            self.ctx.stats.skipped += 1;
            return Ok(());
        }
        if bad_time {
            let pending = self.buffer.as_ref().map_or(0, |b| b.len());
            self.ctx.stats.note_invalid_time(pending);
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
            let mut bad_time = false;
            for cell in cells {
                match cell.field.as_str() {
                    "@timestamp" => {
                        ts = parse_leading_timestamp(&cell.value).map(|t| t.epoch_ms);
                        bad_time = ts.is_none() && impossible_date(cell.value.trim_start().as_bytes()).is_some();
                    }
                    "@logStream" => stream = Some(cell.value),
                    "@message" => msg = Some(cell.value),
                    _ => {}
                }
            }
            match msg {
                Some(msg) => {
                    if bad_time {
                        self.ctx.stats.note_invalid_time(0);
                    }
                    let stream = stream.as_deref().or(self.inherited).unwrap_or(self.ctx.default_stream);
                    deliver(
                        &mut *self.ctx.sink,
                        &mut *self.ctx.stats,
                        self.ctx.stop,
                        ts,
                        stream,
                        &msg,
                    );
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

#[cfg(test)]
mod tests;
