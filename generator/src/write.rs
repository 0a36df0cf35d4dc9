//! The file system side, shared by the `openapi-rust-client` command,
//! `cargo xtask` and build scripts: reading a description, the settings
//! beside it and the overlay documents they list (relative to the settings
//! file) or a command line names, and writing a crate folder so that only files whose bytes
//! change are touched (rust-analyzer's `ensure_file_contents` pattern).
//!
//! The rest of the library does no IO; everything here is a thin layer over
//! [`crate::generate`].

use std::fs;
use std::path::{Path, PathBuf};

use crate::config::{Config, OverlayFile, Settings};
use crate::render::OutputFile;

/// The settings file looked for beside a description.
pub const SETTINGS_FILE: &str = "codegen.yaml";

/// Reads a settings file and the overlays it lists (their paths relative
/// to its folder); a missing file gives the defaults.
pub fn read_settings(path: &Path) -> Result<Settings, String> {
    let mut settings = match fs::read_to_string(path) {
        Ok(text) => {
            let label = path.file_name().and_then(|n| n.to_str()).unwrap_or(SETTINGS_FILE);
            Settings::from_yaml(label, &text).map_err(|d| format!("{d}error: {} is invalid", path.display()))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
        Err(e) => return Err(format!("error: cannot read {}: {e}", path.display())),
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    for overlay in settings.overlays.iter_mut().filter(|o| o.bytes.is_none()) {
        let file = dir.join(&overlay.path);
        let bytes = fs::read(&file).map_err(|e| {
            format!("error: cannot read overlay {} (listed in {}): {e}", file.display(), path.display())
        })?;
        overlay.bytes = Some(bytes);
    }
    Ok(settings)
}

/// Reads an overlay document named on a command line.
pub fn read_overlay(path: &Path) -> Result<OverlayFile, String> {
    let bytes = fs::read(path).map_err(|e| format!("error: cannot read overlay {}: {e}", path.display()))?;
    Ok(OverlayFile { path: path.display().to_string(), bytes: Some(bytes) })
}

/// Which overlays apply to a description read from a file.
#[derive(Debug, Clone, Copy)]
pub enum Overlays<'a> {
    /// Those its settings file lists, then these files (a command line's
    /// `--overlay`), in order.
    Listed(&'a [PathBuf]),
    /// None, not even those the settings list: the description as it is
    /// (spec-diff's `--without-overlays`).
    Without,
}

impl Overlays<'_> {
    /// `settings` with these overlays: the extra files read and appended,
    /// or every overlay dropped.
    pub fn apply_to(self, mut settings: Settings) -> Result<Settings, String> {
        match self {
            Overlays::Listed(extra) => {
                for path in extra {
                    settings.overlays.push(read_overlay(path)?);
                }
            }
            Overlays::Without => settings.overlays.clear(),
        }
        Ok(settings)
    }
}

/// Reads `spec` and generates a crate from it. `settings` defaults to the
/// `codegen.yaml` beside the spec (or none); the overlays it lists apply.
/// Errors are the printed diagnostics with the file and JSON pointer of
/// each problem.
pub fn generate_file(spec: &Path, settings: Option<&Path>, config: Config) -> Result<crate::Output, String> {
    generate_file_with(spec, settings, Overlays::Listed(&[]), config)
}

/// [`generate_file`] with the settings' overlays and more, or none.
pub fn generate_file_with(
    spec: &Path,
    settings: Option<&Path>,
    overlays: Overlays,
    config: Config,
) -> Result<crate::Output, String> {
    let bytes = read_spec(spec, &config.spec_label)?;
    let settings = match settings {
        Some(path) => {
            if !path.exists() {
                return Err(format!("error: settings file {} does not exist", path.display()));
            }
            read_settings(path)?
        }
        None => read_settings(&spec.with_file_name(SETTINGS_FILE))?,
    };
    let config = Config { settings: overlays.apply_to(settings)?, ..config };
    let label = config.spec_label.clone();
    crate::generate(&label, &bytes, &config)
        .map_err(|diags| format!("{diags}error: {label} could not be generated ({} errors)", diags.errors().count()))
}

/// The description at `spec` as one document: its `$ref`s to other files
/// resolved ([`crate::bundle`]).
fn read_spec(spec: &Path, label: &str) -> Result<Vec<u8>, String> {
    crate::bundle::read(spec, label)
        .map_err(|diags| format!("{diags}error: {label} could not be read ({} errors)", diags.errors().count()))
}

/// Reads `spec` and lowers it to the IR (for spec-diff), with the settings
/// beside it and the overlays they list.
pub fn load_api_file(spec: &Path, config: Config) -> Result<crate::ir::Api, String> {
    load_api_file_with(spec, Overlays::Listed(&[]), config)
}

/// [`load_api_file`] with the settings' overlays and more, or none.
pub fn load_api_file_with(spec: &Path, overlays: Overlays, config: Config) -> Result<crate::ir::Api, String> {
    let bytes = read_spec(spec, &config.spec_label)?;
    let settings = read_settings(&spec.with_file_name(SETTINGS_FILE))?;
    let config = Config { settings: overlays.apply_to(settings)?, ..config };
    let label = config.spec_label.clone();
    match crate::load_api(&label, &bytes, &config) {
        Ok((api, _warnings)) => Ok(api),
        Err(d) => Err(format!("{d}error: {label} could not be loaded ({} errors)", d.errors().count())),
    }
}

/// A crate name for a description file: `stripe.yaml` -> `stripe-client`.
pub fn crate_name_of(stem: &str) -> String {
    let s: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("client-{s}")
    } else {
        format!("{s}-client")
    }
}

/// Makes `out` hold exactly `files` (plus files that are not ours): writes
/// only what differs and removes generated files the spec no longer makes.
/// With `check`, writes nothing. Returns a description (with a diff) of
/// each file that differed.
pub fn ensure_files(out: &Path, files: &[OutputFile], check: bool) -> Result<Vec<String>, String> {
    let mut changed = Vec::new();
    for f in files {
        let path = out.join(&f.path);
        let old = fs::read_to_string(&path).ok().map(|s| s.replace("\r\n", "\n"));
        if old.as_deref() == Some(f.contents.as_str()) {
            continue;
        }
        changed.push(describe_change(&f.path, old.as_deref(), &f.contents));
        if !check {
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("error: cannot create {}: {e}", parent.display()))?;
            }
            fs::write(&path, &f.contents).map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
        }
    }
    for stale in stale_files(out, files) {
        changed.push(format!("--- {} (stale: no longer generated)\n", stale.display()));
        if !check {
            fs::remove_file(&stale).map_err(|e| format!("error: cannot remove {}: {e}", stale.display()))?;
        }
    }
    Ok(changed)
}

/// Files under `src/`, `examples/` and `crates/` (the crates of a split
/// client), and `build.rs`, that carry our header but are not in `files`.
fn stale_files(out: &Path, files: &[OutputFile]) -> Vec<PathBuf> {
    let mut candidates = vec![out.join("build.rs")];
    let mut stack = vec![out.join("src"), out.join("examples"), out.join("crates")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else { continue };
        for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if p.is_dir() {
                stack.push(p);
            } else {
                candidates.push(p);
            }
        }
    }
    let mut res: Vec<PathBuf> = candidates
        .into_iter()
        .filter(|p| {
            let rel = p.strip_prefix(out).map(|r| r.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            !files.iter().any(|f| f.path == rel) && fs::read_to_string(p).is_ok_and(|t| crate::render::is_generated(&t))
        })
        .collect();
    res.sort();
    res
}

fn describe_change(path: &str, old: Option<&str>, new: &str) -> String {
    let Some(old) = old else {
        return format!("--- {path} (missing)\n");
    };
    let diff = similar::TextDiff::from_lines(old, new);
    let mut res = format!("--- {path} (committed)\n+++ {path} (generated)\n");
    let mut n = 0;
    for hunk in diff.unified_diff().context_radius(2).iter_hunks() {
        let text = hunk.to_string();
        n += text.len();
        res.push_str(&text);
        if n > 20_000 {
            res.push_str("... (diff cut)\n");
            break;
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names() {
        assert_eq!(crate_name_of("stripe"), "stripe-client");
        assert_eq!(crate_name_of("twilio_api_v2010"), "twilio-api-v2010-client");
        assert_eq!(crate_name_of("3d"), "client-3d");
    }

    #[test]
    fn only_changed_files_are_written_and_stale_ones_removed() {
        let dir = std::env::temp_dir().join(format!("write-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let header = crate::render::rust_header("t", "t.yaml");
        let file = |p: &str, body: &str| OutputFile { path: p.into(), contents: format!("{header}{body}") };
        let v1 = [file("src/lib.rs", "mod a;\n"), file("src/a.rs", "")];
        assert_eq!(ensure_files(&dir, &v1, false).map(|c| c.len()), Ok(2));
        assert_eq!(ensure_files(&dir, &v1, true).map(|c| c.len()), Ok(0), "a second run changes nothing");
        fs::write(dir.join("src/mine.rs"), "// not generated\n").unwrap();
        let v2 = [file("src/lib.rs", "")];
        let check = ensure_files(&dir, &v2, true).unwrap();
        assert_eq!(check.len(), 2, "{check:?}");
        assert!(dir.join("src/a.rs").exists(), "check writes nothing");
        ensure_files(&dir, &v2, false).unwrap();
        assert!(!dir.join("src/a.rs").exists() && dir.join("src/mine.rs").exists());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_named_settings_file_must_exist_and_parse() {
        let dir = std::env::temp_dir().join(format!("settings-test-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("api.yaml");
        fs::write(&spec, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n").unwrap();
        let config = Config {
            crate_name: "t".into(),
            crate_version: "0.1.0".into(),
            spec_label: "api.yaml".into(),
            command: "t".into(),
            standalone: true,
            runtime: Default::default(),
            parts: 0,
            layout: crate::config::Layout::Crate,
            settings: Settings::default(),
        };
        assert!(generate_file(&spec, None, config.clone()).is_ok(), "no settings file: defaults");
        let missing = generate_file(&spec, Some(&dir.join("nope.yaml")), config.clone()).unwrap_err();
        assert!(missing.contains("does not exist"), "{missing}");
        fs::write(dir.join("bad.yaml"), "paging: {offset: {page: 3}}\n").unwrap();
        let bad = generate_file(&spec, Some(&dir.join("bad.yaml")), config).unwrap_err();
        assert!(bad.contains("bad.yaml"), "{bad}");
        let _ = fs::remove_dir_all(&dir);
    }
}
