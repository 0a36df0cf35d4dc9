//! Per-call overhead of the generated client on the seed endpoint (build the
//! request, validate, serialize, send, read and decode the 201) against a
//! hand-written reqwest + serde call to the same local server.
//!
//! Run with `cargo bench -p client-tests --bench overhead -- --measurement-time 5`.
//! The server is a minimal HTTP/1.1 keep-alive responder on 127.0.0.1 in its
//! own thread, so both clients pay the same, small server cost.
//!
//! Three clients: `generated`; `hand_written`, a bare reqwest call; and
//! `hand_written_timeout`, the same with reqwest's per-request timeout, as
//! the generated client always has one (its timer costs a few µs per call
//! in tokio). After criterion's benchmarks, an interleaved run alternates
//! blocks of the three and prints the ratios of their medians: the figures
//! to trust on a shared, loaded machine. `OVERHEAD_PROFILE=<client name>`
//! makes the binary do 20,000 calls of one client and exit, for `perf stat`
//! / `perf record` comparisons.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use auth0_management_api::runtime::BoundedString;
use auth0_management_api::types::{
    CreateUserAuthenticationMethodRequestContent, CreatedUserAuthenticationMethodTypeEnum,
};
use auth0_management_api::Client;
use criterion::{criterion_group, Criterion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const RESPONSE_BODY: &str = r#"{"id":"phone|dev_abc","type":"phone","name":"work phone","phone_number":"+15551234567","created_at":"2024-01-01T00:00:00.000Z"}"#;

/// Answers every request on every connection with 201 and `RESPONSE_BODY`.
fn start_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let (sock, _) = listener.accept().await.unwrap();
                sock.set_nodelay(true).unwrap();
                tokio::spawn(serve(sock));
            }
        });
    });
    addr
}

async fn serve(mut sock: tokio::net::TcpStream) {
    let response = format!(
        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{RESPONSE_BODY}",
        RESPONSE_BODY.len()
    );
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        // One request: headers up to the blank line, then content-length bytes.
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < head_end + len {
            match sock.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + len);
        if sock.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// The hand-written equivalent: plain serde types and a reqwest call.
mod manual {
    #[derive(serde::Serialize)]
    pub struct CreateRequest<'a> {
        #[serde(rename = "type")]
        pub type_: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub name: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub phone_number: Option<&'a str>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    pub struct Created {
        pub id: Option<String>,
        #[serde(rename = "type")]
        pub type_: String,
        pub name: Option<String>,
        pub phone_number: Option<String>,
        pub created_at: Option<String>,
    }

    pub async fn create(
        http: &reqwest::Client,
        base: &str,
        token: &str,
        user: &str,
        body: &CreateRequest<'_>,
        timeout: Option<std::time::Duration>,
    ) -> Result<Created, String> {
        let id = percent_encoding::utf8_percent_encode(user, percent_encoding::NON_ALPHANUMERIC);
        // What reqwest's `json` feature does (it is not enabled here).
        let bytes = serde_json::to_vec(body).map_err(|e| e.to_string())?;
        let mut req = http
            .post(format!("{base}/users/{id}/authentication-methods"))
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(bytes);
        if let Some(t) = timeout {
            req = req.timeout(t);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        if resp.status().as_u16() != 201 {
            return Err(format!("status {}", resp.status()));
        }
        let body = resp.bytes().await.map_err(|e| e.to_string())?;
        serde_json::from_slice(&body).map_err(|e| e.to_string())
    }
}

fn generated_body() -> CreateUserAuthenticationMethodRequestContent {
    let mut body = CreateUserAuthenticationMethodRequestContent::new(CreatedUserAuthenticationMethodTypeEnum::Phone);
    body.phone_number = Some(BoundedString::new("+15551234567").unwrap());
    body.name = Some("work phone".to_string());
    body
}

fn manual_body() -> manual::CreateRequest<'static> {
    manual::CreateRequest { type_: "phone", name: Some("work phone"), phone_number: Some("+15551234567") }
}

/// A server, a runtime and both clients, each checked once.
struct Setup {
    rt: tokio::runtime::Runtime,
    base: String,
    client: Client,
    body: CreateUserAuthenticationMethodRequestContent,
    http: reqwest::Client,
    manual_body: manual::CreateRequest<'static>,
}

impl Setup {
    fn new() -> Self {
        let addr = start_server();
        let base = format!("http://{addr}/api/v2");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        // Both clients are configured alike: default reqwest settings.
        let client = Client::builder().base_url(base.clone()).bearer_token("bench-token").build().unwrap();
        let http = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).build().unwrap();
        let s = Setup { rt, base, client, body: generated_body(), http, manual_body: manual_body() };
        s.rt.block_on(async {
            let r = s.generated().await;
            assert_eq!(r.id.as_deref(), Some("phone|dev_abc"));
            let m = s.hand_written().await;
            assert_eq!(m.id.as_deref(), Some("phone|dev_abc"));
        });
        s
    }

    async fn generated(
        &self,
    ) -> auth0_management_api::ApiResponse<auth0_management_api::types::CreateUserAuthenticationMethodResponseContent>
    {
        self.client.users().authentication_methods().create("auth0|123", &self.body).await.unwrap()
    }

    async fn hand_written(&self) -> manual::Created {
        self.manual(None).await
    }

    /// The hand-written call with the per-request timeout the generated
    /// client always has (60 s by default): a like-for-like baseline.
    async fn hand_written_timeout(&self) -> manual::Created {
        self.manual(Some(Duration::from_secs(60))).await
    }

    async fn manual(&self, timeout: Option<Duration>) -> manual::Created {
        manual::create(&self.http, &self.base, "bench-token", "auth0|123", &self.manual_body, timeout).await.unwrap()
    }

    /// One call of client `which` (0 generated, 1 hand-written, 2 with timeout).
    async fn call(&self, which: usize) {
        match which {
            0 => drop(self.generated().await),
            1 => drop(self.hand_written().await),
            _ => drop(self.hand_written_timeout().await),
        }
    }
}

const NAMES: [&str; 3] = ["generated", "hand_written", "hand_written_timeout"];

fn overhead(c: &mut Criterion) {
    let s = Setup::new();
    let mut group = c.benchmark_group("create_authentication_method");
    for (which, name) in NAMES.iter().enumerate() {
        group.bench_function(*name, |b| b.to_async(&s.rt).iter(|| s.call(which)));
    }
    group.finish();
}

/// Alternates blocks of calls of the clients (rotating which goes first)
/// and compares the medians of their per-call times: on a shared machine
/// the load drifts during a criterion run, and alternating keeps that drift
/// out of the comparison.
fn interleaved() {
    const ROUNDS: usize = 30;
    const CALLS: u32 = 300;
    let s = Setup::new();
    let mut times: [Vec<Duration>; 3] = Default::default();
    s.rt.block_on(async {
        for round in 0..=ROUNDS {
            for k in 0..3 {
                let which = (round + k) % 3;
                let t = Instant::now();
                for _ in 0..CALLS {
                    s.call(which).await;
                }
                // Round 0 warms up.
                if round > 0 {
                    times[which].push(t.elapsed() / CALLS);
                }
            }
        }
    });
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e6
    };
    let [g, h, ht] = times.map(|mut v| median(&mut v));
    println!("interleaved medians ({ROUNDS} rounds of {CALLS} calls each, µs/call):");
    println!("  generated {g:.1}, hand_written {h:.1}, hand_written_timeout {ht:.1}");
    println!("  generated / hand_written = {:.3}, generated / hand_written_timeout = {:.3}", g / h, g / ht);
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    targets = overhead
}

fn main() {
    // `OVERHEAD_PROFILE=generated|hand_written|hand_written_timeout`: a fixed
    // number of calls of one client and nothing else, to compare profiles.
    if let Ok(which) = std::env::var("OVERHEAD_PROFILE") {
        let which = NAMES.iter().position(|n| *n == which).expect("OVERHEAD_PROFILE: a client name");
        let s = Setup::new();
        s.rt.block_on(async {
            for _ in 0..20_000 {
                s.call(which).await;
            }
        });
        return;
    }
    benches();
    // Only under `cargo bench` (criterion's `--bench` flag), not in
    // `cargo test --benches` quick mode or when profiling.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--profile-time") {
        interleaved();
    }
    Criterion::default().configure_from_args().final_summary();
}
