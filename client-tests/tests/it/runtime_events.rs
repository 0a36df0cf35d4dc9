//! Server-Sent Events over real HTTP: a server on 127.0.0.1 that sends
//! three events (one `data` spread over two lines), a comment and a retry
//! hint, slower than the per-attempt timeout, then closes.

use std::time::{Duration, Instant};

use auth0_management::operations::events::SubscribeEventsRequestParameters;
use auth0_management::runtime::{EventStream, Method, Request, StreamExt};
use auth0_management::types::EventStreamSubscribeEventsResponseContent as Payload;
use auth0_management::{Client, RequestOptions};
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
                seen.lock().unwrap().push(String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase());
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
