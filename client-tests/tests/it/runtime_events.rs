//! Server-Sent Events over real HTTP: a server on 127.0.0.1 that sends
//! three events (one `data` spread over two lines), a comment and a retry
//! hint, slower than the per-attempt timeout, then closes; resuming with
//! `Last-Event-ID` after the server closes (and not without event ids);
//! a server that ignores `Last-Event-ID` and replays events: replays are
//! not yielded twice and reconnections that bring no new id end the stream
//! with `EventError::Stalled`; an endless event ends the stream with an
//! error.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use auth0_management_api::operations::events::SubscribeEventsRequestParameters;
use auth0_management_api::runtime::{EventError, EventStream, Method, Request, StreamExt};
use auth0_management_api::types::EventStreamSubscribeEventsResponseContent as Payload;
use auth0_management_api::{Client, RequestOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server writes, chunk by chunk, 250 ms apart.
const CHUNKS: &[&str] = &[
    ": a comment, ignored\n\n",
    "event: offset-only\nid: cur-1\ndata: {\"offset\":\"cur-1\"}\n\n",
    "retry: 1500\nevent: offset-only\nid: cur-2\ndata: {\"offset\":\n",
    "data: \"cur-2\"}\n\n",
    "event: offset-only\nid: cur-3\ndata: {\"offset\":\"cur-3\"}\n\n",
];

/// Serves each connection the event stream, recording the request heads.
async fn sse_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let heads: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
                seen.lock().unwrap().push(request.clone());
                if request.contains("last-event-id: cur-3") {
                    // Resumed after the last event: nothing more.
                    let _ = sock.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await;
                    return;
                }
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";
                let _ = sock.write_all(head.as_bytes()).await;
                for chunk in CHUNKS {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                    let _ = sock.write_all(chunk.as_bytes()).await;
                }
                // Closing the connection ends the stream.
            });
        }
    });
    (format!("http://{addr}/api/v2"), heads)
}

fn client(base: &str) -> Client {
    // Each attempt may take 400 ms; the stream takes well over a second.
    Client::builder().base_url(base).bearer_token("t").timeout(Duration::from_millis(400)).build().unwrap()
}

#[tokio::test]
async fn subscribe_streams_typed_events_past_the_attempt_timeout() {
    let (base, _) = sse_server().await;
    let started = Instant::now();
    let resp = client(&base).events().subscribe(&SubscribeEventsRequestParameters::default()).await.unwrap();
    let mut events: EventStream<Payload> = resp.into_inner();

    let mut got = Vec::new();
    while let Some(ev) = events.next().await {
        let ev = ev.unwrap();
        let Payload::EventStreamCloudEventOffsetOnlyMessage(m) = &ev.data else { panic!("{ev:?}") };
        got.push((ev.id.clone().unwrap(), ev.event.clone(), m.offset.clone()));
    }

    let want = |i: &str| (format!("cur-{i}"), "offset-only".to_string(), format!("cur-{i}"));
    assert_eq!(got, [want("1"), want("2"), want("3")]);
    assert!(started.elapsed() > Duration::from_millis(1000), "{:?}", started.elapsed());
    assert_eq!(events.last_event_id().as_deref(), Some("cur-3"));
    assert_eq!(events.retry_hint(), Some(Duration::from_millis(1500)));
}

const SSE_HEAD: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";

/// Serves the `i`-th connection `bodies[i]` as an event stream (written in
/// `chunk`-byte pieces) and closes it; once they are used up, answers 204.
/// Returns the base URL and the request heads, lowercased.
async fn scripted_server(bodies: Vec<String>, chunk: usize) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let heads: Arc<Mutex<Vec<String>>> = Default::default();
    let seen = heads.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let i = {
                let mut seen = seen.lock().unwrap();
                seen.push(String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase());
                seen.len() - 1
            };
            let Some(body) = bodies.get(i).cloned() else {
                let _ = sock.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await;
                continue;
            };
            tokio::spawn(async move {
                let _ = sock.write_all(SSE_HEAD.as_bytes()).await;
                for piece in body.as_bytes().chunks(chunk) {
                    if sock.write_all(piece).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (format!("http://{addr}/api/v2"), heads)
}

fn offsets(events: &[Result<auth0_management_api::runtime::Event<Payload>, EventError>]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            Ok(ev) => match &ev.data {
                Payload::EventStreamCloudEventOffsetOnlyMessage(m) => m.offset.to_string(),
                other => format!("{other:?}"),
            },
            Err(e) => format!("error: {e}"),
        })
        .collect()
}

fn offset_event(id: &str) -> String {
    format!("event: offset-only\nid: {id}\ndata: {{\"offset\":\"{id}\"}}\n\n")
}

#[tokio::test]
async fn a_closed_stream_resumes_with_the_last_event_id_after_the_retry_hint() {
    let first =
        format!(": a comment\n\n{}{}{}retry: 60\n\n", offset_event("e1"), offset_event("e2"), offset_event("e3"));
    let (base, heads) = scripted_server(vec![first, offset_event("e4")], 4096).await;
    let started = Instant::now();
    let events = client(&base).events().subscribe(&SubscribeEventsRequestParameters::default()).await.unwrap();
    let got: Vec<_> = events.into_inner().collect().await;

    assert_eq!(offsets(&got), ["e1", "e2", "e3", "e4"]);
    let heads = heads.lock().unwrap().clone();
    // The first connection, the resumed one, and one more that got 204.
    assert_eq!(heads.len(), 3, "{heads:?}");
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
    assert!(heads[1].contains("last-event-id: e3"), "{}", heads[1]);
    assert!(heads[2].contains("last-event-id: e4"), "{}", heads[2]);
    assert!(heads.iter().all(|h| h.starts_with("get /api/v2/events")), "{heads:?}");
    // Two waits of the server's 60 ms.
    assert!(started.elapsed() >= Duration::from_millis(120), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_stream_without_event_ids_is_not_resumed() {
    let body = "event: offset-only\ndata: {\"offset\":\"a\"}\n\nretry: 10\n\n".to_string();
    let (base, heads) = scripted_server(vec![body.clone(), body], 4096).await;
    let events = client(&base).events().subscribe(&SubscribeEventsRequestParameters::default()).await.unwrap();
    let got: Vec<_> = events.into_inner().collect().await;
    assert_eq!(offsets(&got), ["a"]);
    assert_eq!(heads.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn an_endless_event_ends_the_stream_with_an_error() {
    // An event, then a `data` line that never ends (4 MiB and counting).
    let endless = format!("{}data: {}", offset_event("e1"), "x".repeat(4 << 20));
    let (base, heads) = scripted_server(vec![endless], 64 * 1024).await;
    let client = Client::builder().base_url(&base).bearer_token("t").max_response_bytes(256 * 1024).build().unwrap();
    let events = client.events().subscribe(&SubscribeEventsRequestParameters::default()).await.unwrap();
    let got: Vec<_> = events.into_inner().collect().await;

    assert_eq!(offsets(&got)[0], "e1");
    assert!(matches!(got[1..], [Err(EventError::TooLarge { limit: 262_144 })]), "{:?}", &got[1..]);
    // Ended, not resumed.
    assert_eq!(heads.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn any_event_stream_reads_as_json_values_and_resumes_by_last_event_id() {
    let (base, heads) = sse_server().await;
    let client = client(&base).with_options(RequestOptions::new().last_event_id("cur-2"));
    let mut req = Request::new(Method::GET, "/anything", "anything");
    req.literal("/anything");
    req.streaming();
    let raw = client.send(req).await.unwrap();
    let events = raw.event_stream::<serde_json::Value, std::convert::Infallible>(None).unwrap().into_inner();
    let data: Vec<serde_json::Value> = events.map(|e| e.unwrap().data).collect().await;

    assert_eq!(data.len(), 3);
    assert_eq!(data[1], serde_json::json!({"offset": "cur-2"}), "two data lines joined");
    assert!(heads.lock().unwrap()[0].contains("last-event-id: cur-2"), "{:?}", heads.lock().unwrap());
}

/// The client of the replay tests: resumes at most `max_retries` times in a
/// row without a new event id.
fn resuming_client(base: &str, max_retries: u32) -> Client {
    client(base).with_options(RequestOptions::new().max_retries(max_retries))
}

/// `offset_event`s with these ids, the first with a 5 ms `retry:` hint (a
/// hint on an event without `data` is dropped with it).
fn events_body(ids: &[&str]) -> String {
    let body: String = ids.iter().map(|id| offset_event(id)).collect();
    format!("retry: 5\n{body}")
}

/// The `Last-Event-ID` each request head carried (`-` for none).
fn last_ids(heads: &[String]) -> Vec<String> {
    heads
        .iter()
        .map(|h| {
            h.lines()
                .find_map(|l| l.strip_prefix("last-event-id: "))
                .map_or_else(|| "-".to_string(), |v| v.trim().to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_server_that_ignores_last_event_id_is_given_up_after_max_retries_replays() {
    // Every connection gets the same three events, whatever `Last-Event-ID`
    // says; a server left at 30 connections would then answer 204.
    let body = events_body(&["e1", "e2", "e3"]);
    let (base, heads) = scripted_server(vec![body; 30], 4096).await;
    let events = resuming_client(&base, 3).events().subscribe(&SubscribeEventsRequestParameters::default()).await;
    let mut events = events.unwrap().into_inner();
    let got: Vec<_> = events.by_ref().collect().await;

    let heads = heads.lock().unwrap().clone();
    // The first connection and exactly 3 fruitless reconnections.
    assert_eq!(heads.len(), 4, "{:?}", last_ids(&heads));
    assert_eq!(last_ids(&heads), ["-", "e3", "e3", "e3"]);
    // Each event once, then the typed error.
    assert_eq!(offsets(&got[..3]), ["e1", "e2", "e3"]);
    assert_eq!(got.len(), 4, "{:?}", offsets(&got));
    let Err(err @ EventError::Stalled { reconnects: 3, last_event_id, replayed: 9 }) = &got[3] else {
        panic!("{:?}", got[3]);
    };
    assert_eq!(last_event_id, "e3");
    assert_eq!(
        err.to_string(),
        "event stream stalled: 3 reconnections in a row after event `e3` brought no new event (9 replayed)"
    );
    assert_eq!(events.last_event_id().as_deref(), Some("e3"));
}

#[tokio::test]
async fn replayed_events_are_skipped_and_a_new_id_resets_the_reconnection_count() {
    // An event without an id of its own carries the last id of its connection.
    let follow_up = "event: offset-only\ndata: {\"offset\":\"e1+\"}\n\n";
    let bodies = vec![
        format!("{}{follow_up}{}", offset_event("e1"), events_body(&["e2", "e3"])),
        // Replays e2 and e3 (of the first connection), then a new e4.
        events_body(&["e2", "e3", "e4"]),
        // Only replays, the one that followed e1 too: fruitless.
        format!("{}{follow_up}{}", offset_event("e1"), events_body(&["e4"])),
        // New ones again, after a replay.
        events_body(&["e4", "e5", "e6"]),
        // Fruitless, its last event an old one: `Last-Event-ID` stays e6.
        events_body(&["e6", "e1"]),
        events_body(&["e6", "e7"]),
    ];
    let (base, heads) = scripted_server(bodies, 4096).await;
    // Two fruitless reconnections, each after a fruitful one: a count not
    // reset by a new id would reach `max_retries` (2) at the third connection.
    let events = resuming_client(&base, 2).events().subscribe(&SubscribeEventsRequestParameters::default()).await;
    let got: Vec<_> = events.unwrap().into_inner().collect().await;

    assert_eq!(offsets(&got), ["e1", "e1+", "e2", "e3", "e4", "e5", "e6", "e7"]);
    let ids: Vec<_> = got.iter().map(|e| e.as_ref().ok().and_then(|e| e.id.clone())).collect();
    assert_eq!(ids[1].as_deref(), Some("e1"));
    let heads = heads.lock().unwrap().clone();
    // Six connections with events, and a seventh answered 204.
    assert_eq!(last_ids(&heads), ["-", "e3", "e4", "e4", "e6", "e6", "e7"]);
}

#[tokio::test]
async fn events_without_ids_after_a_resume_are_yielded_but_are_not_new() {
    let no_id = |o: &str| format!("retry: 5\nevent: offset-only\ndata: {{\"offset\":\"{o}\"}}\n\n");
    let bodies = vec![events_body(&["e1"]), no_id("a"), no_id("b"), no_id("c")];
    let (base, heads) = scripted_server(bodies, 4096).await;
    let events = resuming_client(&base, 2).events().subscribe(&SubscribeEventsRequestParameters::default()).await;
    let got: Vec<_> = events.unwrap().into_inner().collect().await;

    assert_eq!(offsets(&got[..3]), ["e1", "a", "b"]);
    assert!(
        matches!(&got[3..], [Err(EventError::Stalled { reconnects: 2, last_event_id, replayed: 0 })] if last_event_id == "e1"),
        "{:?}",
        &got[3..]
    );
    assert_eq!(last_ids(&heads.lock().unwrap()), ["-", "e1", "e1"]);
}
