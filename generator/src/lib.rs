//! authlete-codegen: the Authlete OpenAPI document in, the `authlete` Rust crate out.
//!
//! The pipeline, one module per stage:
//! [`load`] (YAML/JSON, sha256) → [`overlay`] (OpenAPI Overlay 1.0) → [`parse`] (openapiv3) →
//! [`ir`] (every decision) → [`emit`] (quote) → [`write`](mod@write) (prettyplease, headers, atomic swap, drift).

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod mock;
pub mod normalize;
pub mod overlay;
pub mod parse;
pub mod report;
pub mod spec;
pub mod write;

pub use error::{CodegenError, Result};

use std::path::{Path, PathBuf};

/// The inputs of a run.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub spec: PathBuf,
    pub overlay: PathBuf,
    /// sha256 of the pinned document. An overlay action that matches nothing is an error when the
    /// document is the pinned one, and a warning on any other (so one overlay serves older specs).
    pub pinned_sha256: Option<String>,
    /// Files that belong to this document's crate rather than to the generator (spec/crate/:
    /// README.md, CHANGELOG.md, examples/), copied into the crate as they are.
    pub crate_files: Option<PathBuf>,
}

/// The IR and what the run had to say along the way.
pub struct Built {
    pub api: ir::Api,
    pub warnings: Vec<String>,
}

/// load → overlay → parse → IR.
pub fn build_ir(inputs: &Inputs) -> Result<Built> {
    let document = load::read_document(&inputs.spec)?;
    build_ir_of(
        inputs,
        document,
        overlay::read_overlay(&inputs.overlay)?,
        None,
    )
}

/// overlay → parse → IR on the inputs' document and overlay, already read.
fn build_ir_of(
    inputs: &Inputs,
    document: load::Document,
    overlay: overlay::Overlay,
    beside: Option<&parse::Beside>,
) -> Result<Built> {
    build_ir_beside(
        document,
        &overlay,
        &inputs.overlay.display().to_string(),
        inputs.pinned_sha256.as_deref(),
        beside,
    )
}

/// overlay → parse → IR on a document already read (the fuzz target's entry: no files).
pub fn build_ir_from(
    document: load::Document,
    overlay: &overlay::Overlay,
    overlay_origin: &str,
    pinned_sha256: Option<&str>,
) -> Result<Built> {
    build_ir_beside(document, overlay, overlay_origin, pinned_sha256, None)
}

/// [`build_ir_from`], with part of the parsing done on the thread beside when there is one.
fn build_ir_beside(
    mut document: load::Document,
    overlay: &overlay::Overlay,
    overlay_origin: &str,
    pinned_sha256: Option<&str>,
    beside: Option<&parse::Beside>,
) -> Result<Built> {
    let applied = overlay::apply(overlay, &mut document.value);
    let unmatched = &applied.unmatched;
    let example_fixes = overlay::example_fixes(overlay);
    let strict = pinned_sha256 == Some(document.sha256.as_str());
    let mut warnings = Vec::new();
    if strict {
        // Every unmatched action at once: an overlay out of step usually has several.
        if let Some(error) =
            CodegenError::combine(unmatched.iter().map(|u| u.to_error(overlay_origin)))
        {
            return Err(error);
        }
    } else {
        for u in unmatched {
            warnings.push(format!(
                "{} (not the pinned document, so this is only a warning)",
                u.to_error(overlay_origin)
            ));
        }
    }
    normalize::schemas(&mut document.value);
    warnings.extend(normalize::response_descriptions(&mut document.value));
    let openapi =
        parse::parse_openapi_beside(document.value, beside).map_err(|e| applied.attribute(e))?;
    let api =
        ir::build(&openapi, &document.sha256, example_fixes).map_err(|e| applied.attribute(e))?;
    warnings.extend(api.warnings.iter().cloned());
    Ok(Built { api, warnings })
}

/// The overlaid document as the conformance test's mock server reads it (see [`mock`]).
pub fn mock_document(inputs: &Inputs) -> Result<serde_json::Value> {
    let mut document = load::read_document(&inputs.spec)?;
    let overlay = overlay::read_overlay(&inputs.overlay)?;
    overlay::apply(&overlay, &mut document.value);
    Ok(mock::with_explicit_form_encodings(document.value))
}

pub use write::render;

/// The whole crate for these inputs: the rendered code plus the crate files, if any (a README
/// made from the IR stands in when they have none).
fn with_crate_files(inputs: &Inputs, mut rendered: write::Rendered) -> Result<write::Rendered> {
    if let Some(dir) = &inputs.crate_files {
        for (relative, text) in write::read_tree(dir)? {
            // Named relative to the crate-files folder: the bytes must not depend on where the
            // repository is checked out.
            let source = format!("spec/crate/{relative}");
            let text = if relative.ends_with(".md") {
                write::markdown_copy(&text, &source)
            } else {
                write::rust_copy(&text, &source)
            };
            rendered.insert(relative, text);
        }
    }
    Ok(rendered)
}

/// Renders everything first, then replaces `out` in one swap: an error leaves `out` untouched.
pub fn generate(inputs: &Inputs, out: &Path) -> Result<Built> {
    let (built, rendered, seen) = render_while_reading(inputs, out)?;
    write::write_atomic_seen(&rendered, out, seen.and_then(|tree| tree.ok()).as_ref())?;
    Ok(built)
}

/// Renders in memory through the same path as [`generate`] and compares with `out`.
pub fn check(inputs: &Inputs, out: &Path) -> Result<(Built, write::Drift)> {
    let (built, rendered, seen) = render_while_reading(inputs, out)?;
    let on_disk = match seen {
        Some(tree) => write::as_text(tree?),
        None => write::read_tree(out)?,
    };
    Ok((built, write::compare_with(&rendered, &on_disk)))
}

/// The IR and the rendered crate, with the tree at `out` as another thread read it meanwhile.
/// The document is read and the IR built on one core, so the other is free: a side thread reads
/// the second half of a large YAML document (see [`load::yaml_halves`]), then the tree, then
/// waits for the IR and renders beside the main thread (a thread already running: starting one
/// on this machine's idle second core took up to 4 ms). The tree is `None` where no thread
/// could be started.
fn render_while_reading(
    inputs: &Inputs,
    out: &Path,
) -> Result<(Built, write::Rendered, Option<Result<write::TreeBytes>>)> {
    let bytes = load::read_bytes(&inputs.spec)?;
    let halves = load::yaml_halves(&bytes);
    // Outside the threads' scope: the side thread renders from the IR the main thread builds.
    let built_cell = std::sync::OnceLock::new();
    let handoff = Handoff::default();
    let (rendered, seen) = std::thread::scope(|scope| {
        let (send_half, second_half) = std::sync::mpsc::channel();
        // Jobs of the parse for the side thread, which takes them until the sender is dropped.
        let (beside, jobs) = std::sync::mpsc::channel::<parse::Job>();
        let handoff = &handoff;
        let side = std::thread::Builder::new()
            .spawn_scoped(scope, move || {
                if let Some((_, second)) = halves {
                    // The receiver waits for this unless the thread failed to start.
                    let _ = send_half.send(load::yaml::parse(second));
                }
                let tree = write::read_tree_bytes(out);
                jobs.iter().for_each(|job| job());
                (tree, handoff.wait().map(write::Renderer::work))
            })
            .ok();
        // However the main thread's part ends, the side thread stops waiting.
        let _closing = handoff.closing();
        // Read here, in two halves, only where the other half is being read meanwhile; the
        // checksum and the overlay are read before waiting for it.
        let first = match halves {
            Some((first, _)) if side.is_some() => Some(load::yaml::parse(first)),
            _ => None,
        };
        let sha256 = load::sha256_hex(&bytes);
        let overlay = overlay::read_overlay(&inputs.overlay);
        let value = first.and_then(|first| load::yaml::join(first, second_half.recv().ok()?));
        let origin = inputs.spec.display().to_string();
        let document = load::with_value(&origin, &bytes, sha256, value)?;
        let beside = side.is_some().then_some(beside);
        let built = build_ir_of(inputs, document, overlay?, beside.as_ref())?;
        // The side thread goes on to wait for the renderer.
        drop(beside);
        let built: &Built = built_cell.get_or_init(|| built);
        let Some(side) = side else {
            return Ok((render(&built.api)?, None));
        };
        let renderer = handoff.offer(write::Renderer::new(&built.api));
        // More cores than two: more helpers, started now.
        let helpers = write::render_threads().saturating_sub(2);
        let mut parts = write::work_beside(scope, renderer, helpers);
        let (tree, helped) = side.join().map_err(|_| write::thread_panicked())?;
        parts.extend(helped);
        Ok::<_, CodegenError>((write::merged(parts)?, Some(tree)))
    })?;
    drop(handoff);
    // Set before anything is rendered, so always there once the threads' part succeeded.
    let built = built_cell.into_inner().ok_or_else(write::thread_panicked)?;
    let rendered = with_crate_files(inputs, rendered)?;
    Ok((built, rendered, seen))
}

/// How to render the IR, handed from the thread that builds it to a thread already running.
#[derive(Default)]
struct Handoff<'a> {
    renderer: std::sync::OnceLock<write::Renderer<'a>>,
    /// Set when the builder's part ends: with no renderer, nothing is coming (an error).
    closed: std::sync::atomic::AtomicBool,
    waiter: std::sync::OnceLock<std::thread::Thread>,
}

impl<'a> Handoff<'a> {
    fn offer(&self, renderer: write::Renderer<'a>) -> &write::Renderer<'a> {
        let renderer = self.renderer.get_or_init(|| renderer);
        self.wake();
        renderer
    }

    fn wake(&self) {
        if let Some(waiter) = self.waiter.get() {
            waiter.unpark();
        }
    }

    /// The renderer, once offered; `None` if the builder's part ended without one. The waiting
    /// thread is woken by the offer, and looks every millisecond meanwhile: measured here, it
    /// then takes the renderer about 0.1 ms after the offer (no faster when it spins instead,
    /// which costs a core), where a thread started at that point took up to 4 ms.
    fn wait(&self) -> Option<&write::Renderer<'a>> {
        let _ = self.waiter.set(std::thread::current());
        loop {
            if let Some(renderer) = self.renderer.get() {
                return Some(renderer);
            }
            if self.closed.load(std::sync::atomic::Ordering::Acquire) {
                return self.renderer.get();
            }
            std::thread::park_timeout(std::time::Duration::from_millis(1));
        }
    }

    /// A guard that closes the handoff when dropped.
    fn closing(&self) -> Closing<'_, 'a> {
        Closing(self)
    }
}

/// Closes a [`Handoff`] when dropped, however the builder's part ends.
struct Closing<'h, 'a>(&'h Handoff<'a>);

impl Drop for Closing<'_, '_> {
    fn drop(&mut self) {
        self.0
            .closed
            .store(true, std::sync::atomic::Ordering::Release);
        self.0.wake();
    }
}

/// The version of the crate the generator writes (from generator/template/Cargo.toml).
pub fn crate_version() -> String {
    let manifest = emit::TEMPLATE
        .iter()
        .find(|(path, _)| *path == "Cargo.toml")
        .map(|(_, text)| *text)
        .unwrap_or_default();
    manifest_version(manifest).unwrap_or_else(|| "0.0.0".to_string())
}

/// `package.version` of a Cargo manifest's text.
pub fn manifest_version(manifest: &str) -> Option<String> {
    manifest
        .parse::<toml::Table>()
        .ok()?
        .get("package")?
        .get("version")?
        .as_str()
        .map(str::to_string)
}

/// The SDK surface changes between two documents, both read with the same overlay, from the
/// crate version compiled into this binary.
pub fn diff(old: &Inputs, new: &Inputs) -> Result<report::Changelog> {
    diff_from_version(old, new, &crate_version())
}

/// The same, from `current_version` (the template's version as it is on disk now: a binary
/// built before the last bump must not suggest an older version).
pub fn diff_from_version(
    old: &Inputs,
    new: &Inputs,
    current_version: &str,
) -> Result<report::Changelog> {
    let old = build_ir(old)?;
    let new = build_ir(new)?;
    Ok(report::compare(&old.api, &new.api, current_version))
}

/// Reads `sha256 = "…"` from the pin file (spec/pin.toml).
pub fn read_pinned_sha256(pin: &Path) -> Result<String> {
    let text = std::fs::read_to_string(pin).map_err(|e| {
        CodegenError::new(
            pin.display().to_string(),
            format!("cannot read the pin file: {e}"),
        )
    })?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| CodegenError::new(pin.display().to_string(), format!("invalid TOML: {e}")))?;
    table
        .get("sha256")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            CodegenError::new(
                format!("{}#/sha256", pin.display()),
                "the pin has no `sha256` string",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_api() -> ir::Api {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let inputs = Inputs {
            spec: fixtures.join("bodies/spec.yaml"),
            overlay: fixtures.join("empty-overlay.yaml"),
            pinned_sha256: None,
            crate_files: None,
        };
        build_ir(&inputs).expect("the fixture builds").api
    }

    /// The main thread's part ended without a renderer (an error): the waiting thread returns
    /// instead of waiting for ever.
    #[test]
    fn a_closed_handoff_without_a_renderer_ends_the_wait() {
        let handoff = Handoff::default();
        std::thread::scope(|scope| {
            let waiting = scope.spawn(|| handoff.wait().is_none());
            drop(handoff.closing());
            assert!(waiting.join().unwrap());
        });
    }

    /// Two threads share the units through the handoff: together they render what one
    /// thread renders alone, each unit once.
    #[test]
    fn the_waiting_thread_renders_beside_the_one_that_offers() {
        let api = fixture_api();
        let alone = render(&api).unwrap();
        let handoff = Handoff::default();
        let (mine, theirs) = std::thread::scope(|scope| {
            let waiting = scope.spawn(|| handoff.wait().map(write::Renderer::work));
            let _closing = handoff.closing();
            let renderer = handoff.offer(write::Renderer::new(&api));
            let mine = renderer.work().unwrap();
            (mine, waiting.join().unwrap().unwrap().unwrap())
        });
        assert!(mine.keys().all(|path| !theirs.contains_key(path)));
        assert_eq!(write::merged(vec![Ok(mine), Ok(theirs)]).unwrap(), alone);
    }
}
