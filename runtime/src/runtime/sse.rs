//! Server-Sent Events: a `text/event-stream` response as a [`Stream`] of
//! typed [`Event`]s, parsed by `eventsource-stream` per the WHATWG
//! EventSource rules (`data` lines joined with `\n`, `id`, `event`,
//! `retry`; comments and unknown fields ignored).
//!
//! The body is read as it arrives: the per-attempt timeout bounds only
//! the wait for the response headers, never the stream. One event (its
//! field lines up to the blank line that ends it) may hold at most the
//! client's `max_response_bytes`: a server sending an endless line ends the
//! stream with [`EventError::TooLarge`] instead of filling memory.
//!
//! **Resuming.** When the connection ends or breaks, the stream reconnects
//! by itself, sending `Last-Event-ID` with the id of the last event it
//! yielded, only when all of these hold:
//! - the request is a GET (sending it again changes nothing);
//! - the server gave its events ids: an API that names positions in its
//!   stream can resume from one (EventSource's contract), one that does not
//!   would only replay or skip events;
//! - the wait is at most the retry policy's `max_retry_after` (60 s): the
//!   wait is the server's last `retry:` hint, or [`DEFAULT_RECONNECT_WAIT`]
//!   without one; a server asking for longer ends the stream;
//! - fewer than `max_retries` reconnections in a row (the request's
//!   `RequestOptions::max_retries`, else the retry policy's; 0 turns
//!   resuming off) were fruitless. A reconnection is fruitful once it
//!   yields an event with an id not seen before, and that resets the
//!   count; one that brings nothing, only replays, or only events without
//!   ids is fruitless. After `max_retries` fruitless ones the stream ends
//!   with [`EventError::Stalled`] (the caller may resume by hand later).
//!
//! **Replays.** A server resumes *after* `Last-Event-ID`, so an event on a
//! resumed connection whose id was yielded on an earlier connection is a
//! replay (of a server that ignores the header): it is skipped, neither
//! yielded again nor taken as the id to resume from. The ids remembered are
//! those of the last 1024 events with distinct ids (`REMEMBERED_IDS`), and
//! of these at most 64 KiB of ids (`REMEMBERED_ID_BYTES`; the last id
//! whatever its length), so memory stays bounded: a replay reaching further
//! back is yielded again, and counts as new. An id repeated on the
//! connection that first brought it is no replay: an event without an `id`
//! field carries the last id of its connection (EventSource's rule), and a
//! server may send several events at one position. An event without any id
//! on a resumed connection cannot be told from a new one: it is yielded,
//! but it is no sign that the server resumed, so it does not make the
//! reconnection fruitful.
//!
//! A reconnection answered with 204 No Content ends the stream (the
//! EventSource way for a server to say there is nothing more); any other
//! status that is not a success ends it with [`EventError::Transport`].
//! `EventStream::last_event_id` and `RequestOptions::last_event_id` resume
//! by hand, later or elsewhere.

use std::collections::{HashMap, VecDeque};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource};
use futures_util::{Stream, StreamExt};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::client::{Client, RequestOptions, StreamSource};
use super::error::{Error, TransportError};

/// The wait before reconnecting when the server sent no `retry:` hint
/// (EventSource leaves it to the client: "a few seconds").
pub const DEFAULT_RECONNECT_WAIT: Duration = Duration::from_secs(3);

/// How many distinct event ids a resuming stream remembers to tell replays
/// from new events (module docs, **Replays**).
const REMEMBERED_IDS: usize = 1024;

/// How many bytes of event ids a resuming stream remembers at most; the
/// id of the last event is remembered whatever its length.
const REMEMBERED_ID_BYTES: usize = 64 * 1024;

/// One event of a stream: its `data` decoded as the spec's schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The `id` field (the last one seen, as EventSource keeps it), if any.
    pub id: Option<String>,
    /// The `event` field; `message` when the server sent none.
    pub event: String,
    pub data: T,
    /// The `retry` field of this event: how long the server asks clients
    /// to wait before reconnecting.
    pub retry: Option<Duration>,
}

/// Why a stream stopped or an event could not be read.
#[derive(Debug)]
pub enum EventError {
    /// The connection broke or the bytes were not UTF-8.
    Transport(String),
    /// An event's `data` did not decode as the spec says.
    Decode { event: String, data: String, message: String },
    /// One event was longer than `limit` bytes (the client's
    /// `max_response_bytes`); the stream ends.
    TooLarge { limit: usize },
    /// `reconnects` reconnections in a row (the `max_retries` allowed)
    /// brought no event with a new id: the server ignores `Last-Event-ID`
    /// (`replayed` counts the events it sent again, skipped) or has
    /// nothing more but does not say so with a 204. The stream ends;
    /// `last_event_id` is where to resume from later.
    Stalled { reconnects: u32, last_event_id: String, replayed: u64 },
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventError::Transport(e) => write!(f, "event stream broke off: {e}"),
            EventError::Decode { event, message, .. } => write!(f, "cannot decode a `{event}` event: {message}"),
            EventError::TooLarge { limit } => write!(f, "an event is longer than the limit of {limit} bytes"),
            EventError::Stalled { reconnects, last_event_id, replayed } => write!(
                f,
                "event stream stalled: {reconnects} reconnections in a row after event `{last_event_id}` \
                 brought no new event ({replayed} replayed)"
            ),
        }
    }
}

impl std::error::Error for EventError {}

#[derive(Debug, Default)]
struct Resume {
    /// The id of the last event yielded (replays do not move it).
    last_event_id: Option<String>,
    retry: Option<Duration>,
    /// The ids yielded lately, to tell replays.
    recent: RecentIds,
    /// Whether an event with a new id was yielded since the stream last
    /// looked (at a reconnection).
    progressed: bool,
    /// Replays skipped since the last event with a new id.
    replayed: u64,
}

/// The ids of the last events yielded with distinct ids, each with the
/// number of the connection (0 for the first) that first brought it,
/// bounded by [`REMEMBERED_IDS`] and [`REMEMBERED_ID_BYTES`].
#[derive(Debug, Default)]
struct RecentIds {
    order: VecDeque<String>,
    connection: HashMap<String, u32>,
    bytes: usize,
}

impl RecentIds {
    /// Whether `id` came on a connection before `connection`.
    fn is_replay(&self, id: &str, connection: u32) -> bool {
        self.connection.get(id).is_some_and(|&c| c < connection)
    }

    /// Notes `id` as yielded on `connection`; true when it was not known.
    fn insert(&mut self, id: &str, connection: u32) -> bool {
        if self.connection.contains_key(id) {
            return false;
        }
        self.order.push_back(id.to_string());
        self.connection.insert(id.to_string(), connection);
        self.bytes += id.len();
        while self.order.len() > REMEMBERED_IDS || (self.bytes > REMEMBERED_ID_BYTES && self.order.len() > 1) {
            let Some(old) = self.order.pop_front() else { break };
            self.bytes -= old.len();
            self.connection.remove(&old);
        }
        true
    }
}

/// A `text/event-stream` response body as events.
pub struct EventStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<Event<T>, EventError>> + Send>>,
    resume: Arc<Mutex<Resume>>,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("resume", &self.resume).finish_non_exhaustive()
    }
}

type Events<T> = Pin<Box<dyn Stream<Item = Result<Event<T>, EventError>> + Send>>;

impl<T: DeserializeOwned + Send + 'static> EventStream<T> {
    /// Events from a body that was read already, all at once.
    pub(crate) fn new<S>(chunks: S, type_field: Option<&'static str>) -> Self
    where
        S: Stream<Item = Result<Bytes, String>> + Send + 'static,
    {
        let resume = Arc::new(Mutex::new(Resume::default()));
        let inner = parse(chunks.map(|c| c.map_err(ChunkError::Transport)), type_field, resume.clone(), 0);
        EventStream { inner, resume }
    }

    /// Events from a body read as it arrives, each bounded in size, resumed
    /// as the module docs say. `type_field`: when set, the event's name is
    /// put into that field of a JSON object `data` that lacks it (the
    /// spec's union is discriminated by it).
    pub(crate) fn resuming(
        resp: reqwest::Response,
        source: Option<StreamSource>,
        type_field: Option<&'static str>,
    ) -> Self {
        let resume = Arc::new(Mutex::new(Resume::default()));
        let limit = source.as_ref().map_or(usize::MAX, |s| s.client.inner.max_response_bytes);
        let events = parse(bounded(chunks(resp), limit), type_field, resume.clone(), 0);
        let state = Resuming {
            events: Some(events),
            source,
            resume: resume.clone(),
            type_field,
            limit,
            connection: 0,
            fruitless: 0,
        };
        let inner = futures_util::stream::unfold(state, |mut st| async move { st.next().await.map(|item| (item, st)) });
        EventStream { inner: Box::pin(inner), resume }
    }
}

/// Parses the chunks of connection number `connection` (0 for the first)
/// into typed events, skipping replays and noting ids and retry hints in
/// `seen` (module docs, **Replays**).
fn parse<T, S>(chunks: S, type_field: Option<&'static str>, seen: Arc<Mutex<Resume>>, connection: u32) -> Events<T>
where
    T: DeserializeOwned + Send + 'static,
    S: Stream<Item = Result<Bytes, ChunkError>> + Send + 'static,
{
    let inner = chunks
        .eventsource()
        .filter_map(move |item| futures_util::future::ready(read(item, type_field, &seen, connection).transpose()));
    Box::pin(inner)
}

/// One parsed event as a typed one; `None` for a replay (see [`parse`]).
fn read<T: DeserializeOwned>(
    item: Result<eventsource_stream::Event, EventStreamError<ChunkError>>,
    type_field: Option<&str>,
    seen: &Mutex<Resume>,
    connection: u32,
) -> Result<Option<Event<T>>, EventError> {
    let ev = item.map_err(|e| match e {
        EventStreamError::Transport(ChunkError::TooLarge(limit)) => EventError::TooLarge { limit },
        e => EventError::Transport(e.to_string()),
    })?;
    let id = (!ev.id.is_empty()).then(|| ev.id.clone());
    {
        let mut r = seen.lock().unwrap_or_else(|e| e.into_inner());
        // Even a replay's hint counts: it is the server's setting now.
        if ev.retry.is_some() {
            r.retry = ev.retry;
        }
        if let Some(id) = &id {
            if r.recent.is_replay(id, connection) {
                r.replayed += 1;
                return Ok(None);
            }
            if r.recent.insert(id, connection) {
                r.progressed = true;
                r.replayed = 0;
            }
            r.last_event_id = Some(id.clone());
        }
    }
    let data = decode::<T>(&ev.event, &ev.data, type_field).map_err(|message| EventError::Decode {
        event: ev.event.clone(),
        data: ev.data.clone(),
        message,
    })?;
    Ok(Some(Event { id, event: ev.event, data, retry: ev.retry }))
}

/// The state of a resuming stream.
struct Resuming<T> {
    /// The events of the current connection; `None` once the stream ended.
    events: Option<Events<T>>,
    source: Option<StreamSource>,
    resume: Arc<Mutex<Resume>>,
    type_field: Option<&'static str>,
    limit: usize,
    /// The number of the current connection (0 for the first).
    connection: u32,
    /// Reconnections in a row that brought no event with a new id.
    fruitless: u32,
}

impl<T: DeserializeOwned + Send + 'static> Resuming<T> {
    async fn next(&mut self) -> Option<Result<Event<T>, EventError>> {
        loop {
            let events = self.events.as_mut()?;
            let broke = match events.next().await {
                Some(Ok(ev)) => return Some(Ok(ev)),
                Some(Err(EventError::Transport(e))) => Some(EventError::Transport(e)),
                Some(Err(e @ EventError::TooLarge { .. })) => {
                    self.events = None;
                    return Some(Err(e));
                }
                // One event that does not decode: the stream goes on.
                Some(Err(e)) => return Some(Err(e)),
                None => None,
            };
            self.events = None;
            match self.reconnect().await {
                Ok(Some(events)) => self.events = Some(events),
                // Not resumed: the stream ends, with its error if it broke.
                Ok(None) => return broke.map(Err),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// A new connection after the last event id, when the rules of the
    /// module docs allow one; `Ok(None)` when they do not or the server
    /// has nothing more (204).
    async fn reconnect(&mut self) -> Result<Option<Events<T>>, EventError> {
        let Some(StreamSource { client, resend: Some(req) }) = &self.source else { return Ok(None) };
        let (last_id, hint, progressed, replayed) = {
            let mut r = self.resume.lock().unwrap_or_else(|e| e.into_inner());
            (r.last_event_id.clone(), r.retry, std::mem::take(&mut r.progressed), r.replayed)
        };
        if progressed {
            // The connection that ended brought a new id.
            self.fruitless = 0;
        }
        let Some(last_id) = last_id else { return Ok(None) };
        let inner = &client.inner;
        let wait = hint.unwrap_or(DEFAULT_RECONNECT_WAIT);
        let max_reconnects = client.options.as_ref().and_then(|o| o.max_retries).unwrap_or(inner.retry.max_retries);
        if wait > inner.retry.max_retry_after {
            return Ok(None);
        }
        if self.fruitless >= max_reconnects {
            // No reconnection was made when resuming is off (0).
            return match self.fruitless {
                0 => Ok(None),
                reconnects => Err(EventError::Stalled { reconnects, last_event_id: last_id, replayed }),
            };
        }
        let Ok(value) = HeaderValue::from_str(&last_id) else { return Ok(None) };
        self.fruitless += 1;
        inner.sleeper.sleep(wait).await;
        // The client's options, with this `Last-Event-ID` instead of any other.
        let name = HeaderName::from_static("last-event-id");
        let mut options = client.options.as_deref().cloned().unwrap_or_else(RequestOptions::new);
        options.headers.retain(|(k, _)| *k != name);
        options.headers.push((name, value));
        let client = Client { inner: client.inner.clone(), options: Some(Arc::new(options)) };
        let failed = |why: String| EventError::Transport(format!("cannot resume after event `{last_id}`: {why}"));
        let raw = client.send_once(req.resend()).await.map_err(|e| failed(describe(&e)))?;
        if raw.status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        match raw.stream {
            Some(resp) if raw.status.is_success() => {
                self.connection = self.connection.saturating_add(1);
                let events =
                    parse(bounded(chunks(resp), self.limit), self.type_field, self.resume.clone(), self.connection);
                Ok(Some(events))
            }
            _ => Err(failed(format!("the server answered {}", raw.status))),
        }
    }
}

/// What went wrong with a reconnection, without the URL (its query may
/// hold a key).
fn describe(e: &TransportError) -> String {
    match e {
        Error::Timeout { .. } => "timed out".to_string(),
        Error::Transport { .. } => "the connection failed".to_string(),
        Error::Auth(t) => t.to_string(),
        _ => "the request failed".to_string(),
    }
}

/// Why a chunk of the body could not be read.
#[derive(Debug)]
enum ChunkError {
    Transport(String),
    /// An event grew past this many bytes.
    TooLarge(usize),
}

impl std::fmt::Display for ChunkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChunkError::Transport(e) => f.write_str(e),
            ChunkError::TooLarge(limit) => write!(f, "an event is longer than {limit} bytes"),
        }
    }
}

/// Counts the bytes of the event being received (every byte but line
/// ends, since the blank line that ended the last one).
#[derive(Debug, Default)]
struct EventSize {
    bytes: usize,
    at_line_start: bool,
    after_cr: bool,
}

impl EventSize {
    /// Counts `chunk`; false once an event is longer than `limit`.
    fn fits(&mut self, chunk: &[u8], limit: usize) -> bool {
        for &b in chunk {
            if self.after_cr && b == b'\n' {
                // The `\n` of a `\r\n`: one line end.
                self.after_cr = false;
                continue;
            }
            self.after_cr = b == b'\r';
            if b == b'\r' || b == b'\n' {
                if self.at_line_start {
                    // A blank line: the event is complete.
                    self.bytes = 0;
                }
                self.at_line_start = true;
            } else {
                self.at_line_start = false;
                self.bytes += 1;
                if self.bytes > limit {
                    return false;
                }
            }
        }
        true
    }
}

/// The chunks, ending with [`ChunkError::TooLarge`] once one event is
/// longer than `limit` bytes.
fn bounded<S>(chunks: S, limit: usize) -> impl Stream<Item = Result<Bytes, ChunkError>> + Send
where
    S: Stream<Item = Result<Bytes, String>> + Send,
{
    let size = EventSize { at_line_start: true, ..EventSize::default() };
    chunks.scan((size, false), move |(size, over), c| {
        let item = if *over {
            None
        } else {
            Some(match c {
                Ok(b) if !size.fits(&b, limit) => {
                    *over = true;
                    Err(ChunkError::TooLarge(limit))
                }
                Ok(b) => Ok(b),
                Err(e) => Err(ChunkError::Transport(e)),
            })
        };
        futures_util::future::ready(item)
    })
}

impl<T> EventStream<T> {
    /// The id of the last event yielded that had one (replays skipped do
    /// not count): resume from it.
    pub fn last_event_id(&self) -> Option<String> {
        self.resume.lock().unwrap_or_else(|e| e.into_inner()).last_event_id.clone()
    }

    /// The last `retry` hint the server sent.
    pub fn retry_hint(&self) -> Option<Duration> {
        self.resume.lock().unwrap_or_else(|e| e.into_inner()).retry
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, EventError>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

fn decode<T: DeserializeOwned>(event: &str, data: &str, type_field: Option<&str>) -> Result<T, String> {
    if let Some(field) = type_field {
        if let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_str::<serde_json::Value>(data) {
            obj.entry(field.to_string()).or_insert_with(|| serde_json::Value::String(event.to_string()));
            return serde_json::from_value(serde_json::Value::Object(obj)).map_err(|e| e.to_string());
        }
    }
    match super::one_pass::from_str(data) {
        Ok(v) => Ok(v),
        // A `String` schema gets the text itself.
        Err(e) => serde_json::from_value(serde_json::Value::String(data.to_string())).map_err(|_| e.to_string()),
    }
}

/// The chunks of a response body as they arrive; the stream ends after an error.
pub(crate) fn chunks(resp: reqwest::Response) -> impl Stream<Item = Result<Bytes, String>> + Send {
    futures_util::stream::unfold(Some(resp), |state| async move {
        let mut resp = state?;
        match resp.chunk().await {
            Ok(Some(b)) => Some((Ok(b), Some(resp))),
            Ok(None) => None,
            Err(e) => Some((Err(e.without_url().to_string()), None)),
        }
    })
}

#[cfg(test)]
mod tests;
