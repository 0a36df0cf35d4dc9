//! `cargo xtask corpus [DIR]... [--build]`: generates a client for every
//! spec in the folders (default `../shared/specs`) and prints one row per spec:
//! operations, types, generated lines, codegen time, fallbacks taken and,
//! with `--build`, whether the crate passes `cargo clippy` and how many
//! warnings it has. Exits non-zero if any spec fails.
//!
//! With the paging census of lowering (`lower/paging_census.rs`) it prints
//! per spec the GETs taking paging parameters, how many of them answer a
//! list (a reason starting "no " is not a list) and how many stream;
//! `--paging-report` also lists each one without a stream and why.
//!
//! It also counts the `*_stream` methods by paging convention, with no
//! settings file, and checks the specs of [`EXPECTED_STREAMS`]: each
//! convention found must give the streams its spec's list operations call
//! for (an unexpected count, either way, fails the spec).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::codegen::generate;
use crate::project_root;
use generator::write::{crate_name_of, ensure_files};

#[derive(clap::Args, Debug)]
pub(crate) struct Args {
    /// Folders of specs (`*.yaml`, `*.yml`, `*.json`), or spec files.
    pub dirs: Vec<PathBuf>,
    /// Also build each crate with clippy and count warnings.
    #[arg(long)]
    pub build: bool,
    /// Where the crates are written (default `target/corpus`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only specs whose file name contains this text.
    #[arg(long)]
    pub only: Option<String>,
    /// Also list each GET taking paging parameters that gets no stream,
    /// with the reason lowering gives.
    #[arg(long)]
    pub paging_report: bool,
}

/// Streams each real spec must get without settings, by convention: file
/// name, convention, count. Oxide has 79 `x-dropshot-pagination`
/// operations; one (`GET /v1/system/networking/bgp-announce-set`) answers
/// with a bare array, so it has no token and gets a warning, not a stream.
/// GitHub: 147 of the 150 GETs declaring a `Link` header (the others answer
/// with two lists or a union of lists; contributors' bodiless 204 ends its
/// stream), 35 GETs
/// that declare none but take the same `page` and `per_page`,
/// `GET /repos/{owner}/{repo}/autolinks`, which takes only the shared
/// `page` of the lists declaring it, and the 3 webhook delivery lists,
/// whose shared `cursor` says "Refer to the `link` header". Stripe: its
/// 100 `has_more` lists with `starting_after` (two of them lists of several
/// kinds of object, each with an `id`), and 7 searches echoing `next_page`
/// in `page`. Twilio: its 60 lists with `next_page_uri`. Auth0, without
/// the project's settings: 35 lists answering a list or
/// `{start, limit, total, ..}` by `page` from 0, and 6 by page number with a
/// total (`GET /organizations/{id}/invitations`' object has no total).
///
/// Descriptions outside `../shared/specs`, checked when a folder holding
/// them is given: page numbers with a body hint in Hetzner Cloud
/// (`hcloud.json` of MaximilianKoestler/hcloud-openapi, `openapi/`; all 42
/// GETs taking `page`: `meta.pagination.next_page`), Harvest v2
/// (`harvest.yaml`: `generated/harvest-openapi.yaml` of
/// jolicode/harvest-openapi-generator; its 35 lists: `next_page`) and
/// authentik (`authentik.yaml`: `schema.yml` of goauthentik/client-go at
/// 43a493b; its 161 lists: `pagination.next`). `Link` headers in the Okta
/// Management API (`okta-management.yaml`:
/// `dist/current/management-oneOfInheritance-noExamples.yaml` of
/// okta/okta-management-openapi-spec at fdda229): one list declares it,
/// 48 more answer a bare array and take its shared `after` cursor (or an
/// `after` saying it comes from the header); its 9 lists with
/// `_links.next.href` in the body follow that (HAL). Mastodon (`mastodon.json`: `dist/schema.json` of
/// abraham/mastodon-openapi at 89b11e7): 27 of the 28 GETs declaring it
/// (the home timeline's bodiless 206 ends its stream; grouped notifications
/// stream `notification_groups`, the list named after the path; search's
/// three lists have no such one),
/// and 5 bare arrays by `offset` and `limit` (a short page is the last).
///
/// Offsets with a total (sources in `/tmp/corpus/paging-extra/SOURCES.md`):
/// Clerk's Backend API (`clerk-bapi-2026-05-12.yml`: `bapi/2026-05-12.yml`
/// of clerk/openapi-specs at 7987d1b): 26 of its 28 `{data, total_count}`
/// lists (two of them by a `number` offset; the other two hold no list)
/// and its 8 bare arrays by offset, to a short page; Spotify (`spotify-web-api.yml`: `official-spotify-open-api.yml`
/// of sonallux/spotify-web-api at a336958): the 14 lists answering a
/// paging object at the top and the 4 answering one inside the response
/// (`{message, playlists: {items, total, ...}}`), and its 2 cursor paging
/// objects (`cursors.after` sent back in `after`: `/me/following`, one
/// level down, and `/me/player/recently-played`); PagerDuty (`pagerduty-rest.json`:
/// `reference/REST/openapiv3.json` of PagerDuty/api-schema at 91a06fb): 31
/// of its 32 lists with `total` (one has three lists) and its 5 v3
/// schedule lists with only `more` and the page's `offset`, 2 change-event
/// lists by offset to a short page, beside its 18
/// `next_cursor` echoes. Cursors with a done flag: Svix
/// (`svix.json`: `codegen/lib-openapi.json` of svix/svix-webhooks at
/// 4fc0cfb): its 33 `iterator`/`done` lists. Cursor objects: Figma
/// (`figma-rest-api.yaml`: `openapi/openapi.yaml` of figma/rest-api-spec at
/// af94beb): its 3 team library lists, `meta.cursor.after` sent back in
/// `after`; its 6 library analytics lists, whose `rows` is one of two
/// lists (by asset or by team), `cursor` echoed until `next_page` is
/// false; and its 3 `pagination.next_page` URLs (file versions, webhook
/// requests, dev resources' pages). A token echoed under its own
/// name: Pinterest (`pinterest-v5.yaml`: `v5/openapi.yaml` of
/// pinterest/api-description at c05b189): its 55 `bookmark` lists.
/// Cursors in an object of the page (sources in
/// `/tmp/corpus/nested/SOURCES.md`): Asana (`asana.yaml`:
/// `defs/asana_oas.yaml` of Asana/openapi at fc9f8dc): the 62 of its 65
/// lists answering `next_page.offset`, sent back in `offset`; Intercom
/// (`intercom.yaml`: `descriptions/2.15/api.intercom.io.yaml` of
/// intercom/Intercom-OpenAPI at 8889625): `pages.next.starting_after`, two
/// objects down; Apideck (`apideck-crm.yml`, `apideck-hris.yml`: of
/// apideck-libraries/openapi-specs at fc186f7): its 12 and 4
/// `meta.cursors.next` lists, sent back in `cursor` (never `links.next`,
/// a URL). Shapes found later (sources in `/tmp/corpus2`): Box
/// (`box.json`: `openapi.json` of box/box-openapi at c9a878a): 37
/// `next_marker` lists sent back in `marker` (their `entries` beside the
/// `order` they are sorted by) and 13 offset lists with `total_count`,
/// three of them taking a `marker` too; Adyen's Management and Balance
/// Platform APIs (`adyen-ManagementService-v3.json`,
/// `adyen-BalancePlatformService-v2.json`: `json/` of Adyen/adyen-openapi at
/// aa014f0): 13 and 4 `_links.next.href` or `link.next.href` lists by
/// `pageNumber` and `pageSize`, and 6 each by offset to a short page; Resend
/// (`resend.yaml`: `resend.yaml` of resend/resend-openapi at fd6f395): 19
/// `has_more` lists, `after` the last item's uuid. And (sources in
/// `/tmp/corpus3`) Xero's accounting API (`xero-accounting.yaml`:
/// `xero_accounting.yaml` of XeroAPI/Xero-OpenAPI at e952d0b): 9 lists by
/// `page` to `pagination.pageCount`, each the list named after its path
/// beside `Warnings`; Temporal (`temporal.yaml`: `openapi/openapiv3.yaml` of
/// temporalio/api at f53963d4): 24 `nextPageToken` lists, the routes of
/// both prefixes, which share their operationIds.
const EXPECTED_STREAMS: &[(&str, &str, usize)] = &[
    ("auth0-management-2026-05.yaml", "page index with start and total", 35),
    ("auth0-management-2026-05.yaml", "page number", 6),
    ("oxide-nexus.json", "x-dropshot-pagination", 78),
    ("github.json", "link header", 147),
    ("github.json", "link header by example", 39),
    ("stripe.yaml", "has_more", 100),
    ("stripe.yaml", "cursor token", 7),
    ("twilio-api-v2010.yaml", "next link field", 60),
    ("hcloud.json", "page number", 42),
    ("harvest.yaml", "page number", 35),
    ("authentik.yaml", "page number", 161),
    ("okta-management.yaml", "link header", 1),
    ("okta-management.yaml", "link header by example", 48),
    ("okta-management.yaml", "hal next link", 9),
    ("mastodon.json", "link header", 27),
    ("mastodon.json", "offset and short page", 5),
    ("clerk-bapi-2026-05-12.yml", "offset and total", 26),
    ("clerk-bapi-2026-05-12.yml", "offset and short page", 8),
    ("clerk-fapi-2026-05-12.yml", "offset and total", 12),
    ("atlas-api-transformed.yaml", "page number", 82),
    ("spotify-web-api.yml", "offset and total", 18),
    ("spotify-web-api.yml", "cursor token", 2),
    ("pagerduty-rest.json", "offset and total", 31),
    ("pagerduty-rest.json", "offset and more flag", 5),
    ("pagerduty-rest.json", "offset and short page", 2),
    ("pagerduty-rest.json", "cursor token", 18),
    ("svix.json", "cursor token", 33),
    ("figma-rest-api.yaml", "cursor token", 9),
    ("figma-rest-api.yaml", "next link field", 3),
    ("pinterest-v5.yaml", "cursor token", 55),
    ("asana.yaml", "cursor token", 62),
    ("intercom.yaml", "cursor token", 1),
    ("intercom.yaml", "page number", 2),
    ("apideck-crm.yml", "cursor token", 12),
    ("apideck-hris.yml", "cursor token", 4),
    ("box.json", "cursor token", 37),
    ("box.json", "offset and total", 13),
    ("adyen-ManagementService-v3.json", "hal next link", 13),
    ("adyen-ManagementService-v3.json", "offset and short page", 6),
    ("adyen-BalancePlatformService-v2.json", "hal next link", 4),
    ("adyen-BalancePlatformService-v2.json", "offset and short page", 6),
    ("resend.yaml", "has_more", 19),
    ("xero-accounting.yaml", "page number", 9),
    ("temporal.yaml", "cursor token", 24),
];

struct Row {
    name: String,
    ops: usize,
    types: usize,
    lines: usize,
    files: usize,
    ms: f64,
    fallbacks: usize,
    streams: String,
    build: String,
    build_s: f64,
    warnings: Option<usize>,
    ok: bool,
    /// The paging census: GETs taking paging parameters, those of them
    /// answering a list, and those streamed.
    paging: (usize, usize, usize),
}

pub(crate) fn run(args: &Args) -> Result<(), String> {
    let root = project_root();
    let out = args.out.clone().unwrap_or_else(|| root.join("target/corpus"));
    let specs = find_specs(args, &root)?;
    let mut rows = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec").to_string();
        // Two folders may hold specs of the same name: each gets its own crate.
        let mut name = stem.clone();
        let mut n = 1;
        while !names.insert(name.clone()) {
            n += 1;
            name = format!("{stem}-{n}");
        }
        let label = spec.file_name().and_then(|s| s.to_str()).unwrap_or("spec").to_string();
        let crate_name = crate_name_of(&name);
        let command = format!("cargo xtask codegen --spec {label}");
        let t = Instant::now();
        let res = generate(spec, &label, &crate_name, &command, true);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let mut row = Row {
            name: label.clone(),
            ops: 0,
            types: 0,
            lines: 0,
            files: 0,
            ms,
            fallbacks: 0,
            streams: "-".into(),
            build: "-".into(),
            build_s: 0.0,
            warnings: None,
            ok: false,
            paging: (0, 0, 0),
        };
        match res {
            Err(e) => {
                eprintln!("{e}");
                row.build = "codegen failed".into();
            }
            Ok(g) => {
                let o = &g.output;
                row.ops = o.n_operations;
                row.types = o.n_types;
                row.files = o.files.len();
                row.lines = o.files.iter().map(|f| f.contents.lines().count()).sum();
                row.fallbacks = o.diagnostics.warnings().count();
                let shown: Vec<String> = o.streams.iter().map(|(k, n)| format!("{n} {k}")).collect();
                row.streams = if shown.is_empty() { "0".into() } else { shown.join(", ") };
                let mut streams_ok = true;
                for (_, convention, want) in EXPECTED_STREAMS.iter().filter(|(f, _, _)| *f == label) {
                    let got = o.streams.get(convention).copied().unwrap_or(0);
                    if got != *want {
                        eprintln!("{label}: {got} streams by {convention}, expected {want}");
                        streams_ok = false;
                    }
                }
                row.paging = paging_census(&label, &o.paging_census, args.paging_report);
                let crate_dir = out.join(&name);
                ensure_files(&crate_dir, &o.files, false)?;
                fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock"))
                    .map_err(|e| format!("error: cannot copy Cargo.lock: {e}"))?;
                row.ok = streams_ok;
                if args.build {
                    let (ok, warnings, secs) = clippy(&crate_dir, &root.join("target/corpus-target"))?;
                    row.build = if ok { "ok".into() } else { "FAILED".into() };
                    row.build_s = secs;
                    row.warnings = Some(warnings);
                    row.ok = row.ok && ok && warnings == 0;
                }
            }
        }
        eprintln!("{}: {}", row.name, if row.ok { "ok" } else { "FAILED" });
        rows.push(row);
    }
    print_table(&rows, args.build);
    let failed: Vec<&str> = rows.iter().filter(|r| !r.ok).map(|r| r.name.as_str()).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("error: {} of {} specs failed: {}", failed.len(), rows.len(), failed.join(", ")))
    }
}

/// The specs of the folders (or files) `args` names, by default
/// `../shared/specs`, in name order, kept to `--only`.
fn find_specs(args: &Args, root: &Path) -> Result<Vec<PathBuf>, String> {
    let dirs = if args.dirs.is_empty() { vec![root.join("../shared/specs")] } else { args.dirs.clone() };
    let mut specs: Vec<PathBuf> = Vec::new();
    for dir in &dirs {
        if dir.is_file() {
            specs.push(dir.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = fs::read_dir(dir)
            .map_err(|e| format!("error: cannot read {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json"))
            .collect();
        found.sort();
        specs.extend(found);
    }
    specs.retain(|p| {
        args.only.as_deref().is_none_or(|o| p.file_name().is_some_and(|n| n.to_string_lossy().contains(o)))
    });
    if specs.is_empty() {
        let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(format!("error: no specs in {}", shown.join(", ")));
    }
    Ok(specs)
}

/// The report: one row per spec.
fn print_table(rows: &[Row], build: bool) {
    println!(
        "| spec | operations | types | files | generated lines | codegen ms | fallbacks | streams | paging GETs (lists, streamed) | build | build s | warnings |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---|---|---|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.0} | {} | {} | {} ({}, {} = {}) | {} | {} | {} |",
            r.name,
            r.ops,
            r.types,
            r.files,
            r.lines,
            r.ms,
            r.fallbacks,
            r.streams,
            r.paging.0,
            r.paging.1,
            r.paging.2,
            percent(r.paging.2, r.paging.1),
            r.build,
            if build { format!("{:.1}", r.build_s) } else { "-".into() },
            r.warnings.map(|w| w.to_string()).unwrap_or_else(|| "-".into())
        );
    }
}

/// Prints a description's paging summary (and, with `report`, each GET
/// without a stream and why); returns (paging GETs, lists, streamed). A
/// GET with no list in its body is not a list.
fn paging_census(label: &str, census: &[(String, Option<&'static str>)], report: bool) -> (usize, usize, usize) {
    let streamed = census.iter().filter(|(_, why)| why.is_none()).count();
    let not_lists = census.iter().filter(|(_, why)| why.is_some_and(|w| w.starts_with("no "))).count();
    let lists = census.len() - not_lists;
    eprintln!(
        "{label}: paging GETs {}, lists {lists}, streamed {streamed} ({})",
        census.len(),
        percent(streamed, lists)
    );
    if report {
        for (op, why) in census {
            if let Some(why) = why {
                eprintln!("  {op}: {why}");
            }
        }
    }
    (census.len(), lists, streamed)
}

fn percent(n: usize, of: usize) -> String {
    if of == 0 {
        "-".into()
    } else {
        format!("{:.0}%", n as f64 * 100.0 / of as f64)
    }
}

/// Runs clippy on a generated crate; returns (success, warnings, seconds).
fn clippy(dir: &Path, target: &Path) -> Result<(bool, usize, f64), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let t = Instant::now();
    let output = Command::new(cargo)
        .args(["clippy", "--offline", "--message-format=short", "--target-dir"])
        .arg(target)
        .current_dir(dir)
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let secs = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("warning:") && !l.contains("generated") && !l.starts_with("warning: unused manifest"))
        .collect();
    for w in warnings.iter().take(20) {
        eprintln!("  {w}");
    }
    for e in stderr.lines().filter(|l| l.contains("error")).take(20) {
        eprintln!("  {e}");
    }
    Ok((output.status.success(), warnings.len(), secs))
}
