//! The blocking client (cargo feature `blocking`): the same operations
//! without `async`, for scripts and command-line tools.
//!
//! A [`BlockingClient`] owns one tokio runtime (current-thread, IO and
//! timers on), shared by its clones and by the iterators it hands out;
//! each call drives its future to completion on the calling thread with
//! `block_on`. No runtime is started per call, and several threads may
//! call at once (tokio lets one of them drive the IO at a time).
//!
//! Calling it from inside an async runtime (a `#[tokio::main]` function, a
//! task) would block that runtime's thread, and tokio would panic: the call
//! returns [`Error::InvalidRequest`] saying so instead, and nothing is sent;
//! an iterator yields that error once and ends. Async code uses [`Client`]
//! (see [`BlockingClient::client`]). Dropping the client there is fine: its
//! runtime shuts down without waiting.

use std::future::Future;
use std::sync::Arc;

// @part streams
use std::pin::Pin;

use futures_util::{Stream, StreamExt};

// @end streams
use super::client::{Client, RequestOptions};
use super::error::{BuildError, Error};
// @part sse
use super::sse::{Event, EventError};

// @end sse
/// What a blocking call inside an async runtime says.
pub const INSIDE_RUNTIME: &str = "the blocking client was called from inside an async runtime, where blocking would stall it (use the async `Client` there, or call from a plain thread)";

/// The API client without `async`. Cheap to clone; clones share the
/// runtime, connections and state.
#[derive(Clone)]
pub struct BlockingClient {
    client: Client,
    runtime: Arc<Runtime>,
}

/// The runtime, shut down without waiting when the last handle goes: a
/// plain drop blocks, and tokio panics when that happens inside another
/// runtime (a client dropped in async code).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Runtime {
    fn block_on<F: Future>(&self, f: F) -> F::Output {
        match &self.0 {
            Some(rt) => rt.block_on(f),
            // Only `drop` takes it.
            None => unreachable!("the runtime is gone while a handle holds it"),
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl std::fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingClient").field("client", &self.client).finish_non_exhaustive()
    }
}

impl BlockingClient {
    pub fn new(client: Client) -> Result<Self, BuildError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| BuildError(format!("cannot start the blocking client's runtime: {e}")))?;
        Ok(BlockingClient { client, runtime: Arc::new(Runtime(Some(runtime))) })
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn with_options(&self, options: RequestOptions) -> BlockingClient {
        BlockingClient { client: self.client.with_options(options), runtime: self.runtime.clone() }
    }

    /// Runs an operation's future to completion on this thread. Used by
    /// generated code.
    pub fn wait<T, E>(&self, call: impl Future<Output = Result<T, Error<E>>>) -> Result<T, Error<E>> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::InvalidRequest(INSIDE_RUNTIME.to_string()));
        }
        self.runtime.block_on(call)
    }

    // @part streams
    /// A stream read as an iterator, one item per `next`. Used by
    /// generated code.
    pub fn iter<S: Stream>(&self, stream: S) -> BlockingIter<S>
    where
        S::Item: InsideRuntime,
    {
        BlockingIter { stream: Box::pin(stream), runtime: self.runtime.clone(), done: false }
    }
    // @end streams
}

// @part streams
/// A stream of the async client read with blocking calls: paged items, or
/// the events of an event stream.
pub struct BlockingIter<S> {
    stream: Pin<Box<S>>,
    runtime: Arc<Runtime>,
    done: bool,
}

impl<S> std::fmt::Debug for BlockingIter<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockingIter").field("done", &self.done).finish_non_exhaustive()
    }
}

impl<S: Stream> Iterator for BlockingIter<S>
where
    S::Item: InsideRuntime,
{
    type Item = S::Item;

    fn next(&mut self) -> Option<S::Item> {
        if self.done {
            return None;
        }
        if tokio::runtime::Handle::try_current().is_ok() {
            // One error, then the end: the stream cannot be read here.
            self.done = true;
            return Some(S::Item::inside_runtime());
        }
        let res = self.runtime.block_on(self.stream.next());
        self.done = res.is_none();
        res
    }
}

// @end streams
// @part sse
impl<T> BlockingIter<super::sse::EventStream<T>> {
    /// The id of the last event that had one.
    pub fn last_event_id(&self) -> Option<String> {
        self.stream.last_event_id()
    }

    /// The last `retry` hint the server sent.
    pub fn retry_hint(&self) -> Option<std::time::Duration> {
        self.stream.retry_hint()
    }
}

// @end sse
// @part streams
/// The item an iterator yields when it is read inside an async runtime.
pub trait InsideRuntime {
    fn inside_runtime() -> Self;
}

impl<T, E> InsideRuntime for Result<T, Error<E>> {
    fn inside_runtime() -> Self {
        Err(Error::InvalidRequest(INSIDE_RUNTIME.to_string()))
    }
}

// @end streams
// @part sse
impl<T> InsideRuntime for Result<Event<T>, EventError> {
    fn inside_runtime() -> Self {
        Err(EventError::Transport(INSIDE_RUNTIME.to_string()))
    }
}
// @end sse
