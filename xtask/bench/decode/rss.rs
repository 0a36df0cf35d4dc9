//! The memory bench that `cargo xtask bench --rss` writes and runs: the
//! generated client walks `organizations().list_stream` (checkpoint
//! paging, 50 items a page) over `PAGES` pages served by a small HTTP/1.1
//! server on 127.0.0.1, and prints the peak resident set (`VmHWM`) after
//! the first page and after the whole walk. A stream holds one page at a
//! time, so the two differ by the allocator's noise, not by the number of
//! items.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};

use auth0_management_api::operations::organizations::ListOrganizationsRequestParameters;
use auth0_management_api::runtime::StreamExt;
use auth0_management_api::Client;

const PAGES: usize = 2_000;
const PER_PAGE: usize = 50;

/// One page of organizations for the cursor `from` (the page's number),
/// with the next page's cursor unless it is the last.
fn page(from: usize) -> String {
    let mut items = Vec::with_capacity(PER_PAGE);
    for i in 0..PER_PAGE {
        let n = from * PER_PAGE + i;
        items.push(format!(
            r##"{{"id":"org_{n:016}","name":"organization-{n}","display_name":"Organization {n}","branding":{{"logo_url":"https://example.com/{n}.png","colors":{{"primary":"#0059d6","page_background":"#ffffff"}}}},"metadata":{{"tier":"gold","region":"eu"}}}}"##
        ));
    }
    let next = if from + 1 < PAGES { format!(r#","next":"{}""#, from + 1) } else { String::new() };
    format!(r#"{{"organizations":[{}]{next}}}"#, items.join(","))
}

/// Answers the requests of one connection (keep-alive) until it closes.
fn serve(stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let target = line.split(' ').nth(1).unwrap_or("").to_string();
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            if header == "\r\n" {
                break;
            }
            if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        let from =
            target.split(['?', '&']).find_map(|p| p.strip_prefix("from=")).and_then(|v| v.parse().ok()).unwrap_or(0);
        let json = page(from);
        write!(
            out,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{json}",
            json.len()
        )?;
    }
}

/// Peak resident memory of this process (Linux), in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let client = Client::builder().base_url(format!("http://{addr}/api/v2")).bearer_token("t").build()?;
        let params = ListOrganizationsRequestParameters::default();
        let mut stream = client.organizations().list_stream(&params);
        let (mut items, mut first_page_mb) = (0usize, 0.0);
        while let Some(org) = stream.next().await {
            let org = org?;
            std::hint::black_box(&org);
            items += 1;
            if items == PER_PAGE {
                first_page_mb = peak_mb();
            }
        }
        let page_kb = page(0).len() as f64 / 1e3;
        println!(
            "{items} items in {PAGES} pages of {PER_PAGE} ({page_kb:.1} KB a page, {:.0} MB in all): \
             peak RSS {first_page_mb:.1} MB after the first page, {:.1} MB after the walk",
            page_kb * PAGES as f64 / 1e3,
            peak_mb()
        );
        Ok::<(), Box<dyn std::error::Error>>(())
    })
}
