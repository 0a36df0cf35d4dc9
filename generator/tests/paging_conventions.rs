//! Paging without settings, decided in lowering: the streams of
//! `fixtures/paging_conventions.yaml` by convention, the warning when an
//! extension's evidence is missing, and settings winning over a convention.
//! The streams' HTTP behaviour is tested in
//! `client-tests/tests/it/paging_conventions.rs`.

use generator::config::{PagingConfig, Settings};
use generator::Config;

fn config(settings: Settings) -> Config {
    Config {
        crate_name: "paging".into(),
        crate_version: "0.1.0".into(),
        spec_label: "paging_conventions.yaml".into(),
        command: "cargo test -p generator --test paging_conventions".into(),
        standalone: true,
        runtime: Default::default(),
        parts: 0,
        layout: generator::Layout::Crate,
        settings,
    }
}

fn generate(settings: Settings) -> generator::Output {
    let config = config(settings);
    let path = format!("{}/tests/fixtures/paging_conventions.yaml", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(path).expect("fixture");
    generator::generate("paging_conventions.yaml", &bytes, &config).expect("generates")
}

fn code(out: &generator::Output) -> String {
    out.files.iter().map(|f| f.contents.as_str()).collect()
}

#[test]
fn each_convention_streams_and_half_of_one_does_not() {
    let out = generate(Settings::default());
    let counts: Vec<(&str, usize)> = out.streams.iter().map(|(k, n)| (*k, *n)).collect();
    assert_eq!(
        counts,
        [
            ("cursor token", 15),
            ("hal next link", 2),
            ("has_more", 4),
            ("link header", 5),
            ("link header by example", 2),
            ("next link field", 2),
            ("offset and more flag", 1),
            ("offset and short page", 1),
            ("offset and total", 8),
            ("page index with start and total", 1),
            ("page number", 6),
            ("x-dropshot-pagination", 1),
            ("x-ms-pageable", 1)
        ]
    );
    let code = code(&out);
    let halves = [
        "announce_set_list",
        "get_report_types",
        "list_audits",
        "list_notes",
        "pulls_list_requested_reviewers",
        "list_zones",
        "list_grants",
        "get_session_list",
        "list_overrides",
        "v1_event_type_list",
        "v1_stream_list",
        "labels_list",
        "get_saved_shows",
        "get_reactions",
        "get_grants",
        "get_summary_rows",
        "get_projects",
    ];
    for name in halves {
        assert!(code.contains(&format!("pub async fn {name}(")), "{name} is generated");
        assert!(!code.contains(&format!("fn {name}_stream(")), "{name} shows half a convention: no stream");
    }
    let warned: Vec<String> = out.diagnostics.warnings().map(|w| w.pointer.clone()).collect();
    assert_eq!(warned, ["#/paths/~1announce-sets/get/x-dropshot-pagination"]);
}

#[test]
fn the_census_tells_lists_from_answers_a_size_caps() {
    let out = generate(Settings::default());
    let why = |route: &str| {
        out.paging_census.iter().find(|(r, _)| r == route).map(|(_, why)| *why).unwrap_or_else(|| panic!("{route}"))
    };
    // Not paged lists: a reason starting "no ", which the census does not count.
    let capped = why("GET /recommendations").unwrap_or_default();
    assert!(capped.starts_with("no later page to ask for"), "{capped}");
    let search = why("GET /search").unwrap_or_default();
    assert!(search.starts_with("no one list"), "{search}");
    // A list the description cannot page: counted, with its reason.
    let logs = why("GET /activity_logs").unwrap_or_default();
    assert!(!logs.starts_with("no ") && logs.contains("no parameter sends it back"), "{logs}");
    assert_eq!(why("GET /me/playlists"), None);
}

#[test]
fn settings_win_over_a_convention() {
    let settings = Settings {
        paging: PagingConfig { offset: Some(("page".into(), "per_page".into(), None)), ..Default::default() },
        ..Default::default()
    };
    let out = generate(settings);
    // GitHub's issues, runners and events, and the two Auth0 lists, page by
    // number now; the rest still by convention.
    assert_eq!(out.streams.get("page numbers (settings)"), Some(&5));
    // Only Okta's templates and Mastodon's home timeline and grouped
    // notifications page by the `Link` they declare now, and Okta's users by
    // the shared cursor: no `page` and `per_page` example to follow.
    assert_eq!(out.streams.get("link header"), Some(&3));
    assert_eq!(out.streams.get("link header by example"), Some(&1));
    assert_eq!(out.streams.get("has_more"), Some(&4));
    assert!(code(&out).contains("rt::__private::offset_pages("));
}

#[test]
fn a_stream_named_as_an_operation_keeps_its_name_and_the_operation_is_told_apart() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/paging_stream_names.yaml");
    let bytes = std::fs::read(path).unwrap();
    let config = config(Settings::default());
    let out = generator::generate("paging_stream_names.yaml", &bytes, &config).unwrap_or_else(|d| panic!("{d}"));
    let code = code(&out);
    assert_eq!(code.matches("pub fn list_stream(").count(), 2, "the stream and its blocking iterator");
    assert!(code.contains("pub async fn list_stream_2("), "the operation, told apart");
    // A list paged by the example of another, after naming, is told apart
    // from the operation that has its stream's name.
    assert!(code.contains("pub async fn search_stream("), "the operation keeps its name");
    assert_eq!(code.matches("pub fn search_stream_2(").count(), 2, "the stream and its blocking iterator");
    let warned: Vec<String> = out.diagnostics.warnings().map(|w| w.to_string()).collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
    assert!(warned[0].contains("#/paths/~1items~1stream/get") && warned[0].contains("list_stream_2"), "{warned:?}");
    assert!(warned[1].contains("#/paths/~1repos~1search/get") && warned[1].contains("search_stream_2"), "{warned:?}");
}
