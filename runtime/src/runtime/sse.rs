//! Server-Sent Events: a `text/event-stream` response as a [`Stream`] of
//! typed [`Event`]s, parsed by `eventsource-stream` per the WHATWG
//! EventSource rules (`data` lines joined with `\n`, `id`, `event`,
//! `retry`; comments and unknown fields ignored).
//!
//! The body is read as it arrives: the per-attempt timeout bounds only
//! the wait for the response headers, never the stream. The stream keeps
//! the last event id and the server's retry hint, so a caller can resume
//! with `RequestOptions::last_event_id` (the `Last-Event-ID` header) or the
//! API's own cursor. It does not reconnect by itself.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::{Stream, StreamExt};
use serde::de::DeserializeOwned;

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
}

impl std::fmt::Display for EventError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventError::Transport(e) => write!(f, "event stream broke off: {e}"),
            EventError::Decode { event, message, .. } => write!(f, "cannot decode a `{event}` event: {message}"),
        }
    }
}

impl std::error::Error for EventError {}

#[derive(Debug, Default)]
struct Resume {
    last_event_id: Option<String>,
    retry: Option<Duration>,
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

impl<T: DeserializeOwned + Send + 'static> EventStream<T> {
    /// Events from a stream of body chunks. `type_field`: when set, the
    /// event's name is put into that field of a JSON object `data` that
    /// lacks it (the spec's union is discriminated by it).
    pub(crate) fn new<S>(chunks: S, type_field: Option<&'static str>) -> Self
    where
        S: Stream<Item = Result<Bytes, String>> + Send + 'static,
    {
        let resume = Arc::new(Mutex::new(Resume::default()));
        let seen = resume.clone();
        let inner = chunks.eventsource().map(move |item| {
            let ev = item.map_err(|e| EventError::Transport(e.to_string()))?;
            let id = (!ev.id.is_empty()).then(|| ev.id.clone());
            {
                let mut r = seen.lock().unwrap_or_else(|e| e.into_inner());
                if id.is_some() {
                    r.last_event_id = id.clone();
                }
                if ev.retry.is_some() {
                    r.retry = ev.retry;
                }
            }
            let data = decode::<T>(&ev.event, &ev.data, type_field).map_err(|message| EventError::Decode {
                event: ev.event.clone(),
                data: ev.data.clone(),
                message,
            })?;
            Ok(Event { id, event: ev.event, data, retry: ev.retry })
        });
        EventStream { inner: Box::pin(inner), resume }
    }
}

impl<T> EventStream<T> {
    /// The id of the last event that had one: resume from it.
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
    match serde_json::from_str(data) {
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
