//! Stage 6: format (prettyplease), add headers, and write the crate atomically; or compare it
//! with what is on disk (the drift check).

use crate::emit::Emitted;
use crate::error::{CodegenError, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The crate as text, by path relative to the crate root. Every file of the output directory.
pub type Rendered = BTreeMap<String, String>;

/// A directory's files as bytes, by path relative to it (`/`-separated): see [`read_tree_bytes`].
pub type TreeBytes = BTreeMap<String, Vec<u8>>;

/// IR → the whole crate as text, in memory. Emitting and formatting the Rust (most of the time
/// of a run) is spread over the cores: threads take jobs from a shared counter until none is
/// left. The result does not depend on which thread made what.
pub fn render(api: &crate::ir::Api) -> Result<Rendered> {
    let renderer = Renderer::new(api);
    let results = std::thread::scope(|scope| {
        work_beside(scope, &renderer, render_threads().saturating_sub(1))
    });
    merged(results)
}

/// The calling thread works on `renderer` beside `helpers` threads started in `scope`; the
/// parts each made. A helper that cannot be started leaves its share to the others.
pub fn work_beside<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    renderer: &'scope Renderer<'_>,
    helpers: usize,
) -> Vec<Result<Rendered>> {
    let helpers: Vec<_> = (0..helpers)
        .filter_map(|_| {
            std::thread::Builder::new()
                .spawn_scoped(scope, || renderer.work())
                .ok()
        })
        .collect();
    let mut results = vec![renderer.work()];
    results.extend(helpers.into_iter().map(joined));
    results
}

/// How many threads render: one per core, at most 8.
pub fn render_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
}

/// The result of a rendering thread (a panic in it is the generator's bug, reported).
fn joined(thread: std::thread::ScopedJoinHandle<'_, Result<Rendered>>) -> Result<Rendered> {
    thread.join().unwrap_or_else(|_| Err(thread_panicked()))
}

/// The error of a thread of the run that panicked (the generator's bug).
pub fn thread_panicked() -> CodegenError {
    CodegenError::new("#", "internal error: a thread of the emitter panicked").with_hint(
        "this is a bug in authlete-codegen; please report it with the document that caused it",
    )
}

/// The parts the rendering threads made, as one crate (the first error, if any).
pub fn merged(results: Vec<Result<Rendered>>) -> Result<Rendered> {
    let mut rendered = Rendered::new();
    for result in results {
        rendered.extend(result?);
    }
    Ok(rendered)
}

/// The units of Rust of one IR and a shared counter of the next one to take: any number of
/// threads call [`Renderer::work`], each takes units until none is left.
pub struct Renderer<'a> {
    api: &'a crate::ir::Api,
    /// Largest first, so that no thread is left with a long job at the end.
    jobs: Vec<crate::emit::RustFile<'a>>,
    next: std::sync::atomic::AtomicUsize,
}

impl<'a> Renderer<'a> {
    pub fn new(api: &'a crate::ir::Api) -> Self {
        Renderer {
            api,
            jobs: crate::emit::rust_files(api),
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Renders units until none is left; the files of those this thread took.
    pub fn work(&self) -> Result<Rendered> {
        use std::sync::atomic::Ordering;
        let (api, sha) = (self.api, self.api.spec_sha256.as_str());
        let mut rendered = Rendered::new();
        loop {
            let Some(&file) = self.jobs.get(self.next.fetch_add(1, Ordering::Relaxed)) else {
                return Ok(rendered);
            };
            if matches!(file, crate::emit::RustFile::Operations) {
                // The text files (templates and Markdown) in the same job: the operations'
                // examples, in their methods' docs and on the Markdown pages, are then
                // formatted once.
                crate::emit::usage::sharing_examples(|| -> Result<()> {
                    rendered.extend(format_rust(crate::emit::emit_file(api, file), sha)?);
                    rendered.extend(render_text(&crate::emit::emit_text(api), sha));
                    Ok(())
                })?;
            } else {
                rendered.extend(format_rust(crate::emit::emit_file(api, file), sha)?);
            }
        }
    }
}

/// prettyplease's text of `file`, or `None` where it gives up: it panics on a tree it does not
/// print (a part the emitter could not parse, kept as tokens), and that is the emitter's bug to
/// report as an error, never a crash of the run.
pub fn unparse(file: &syn::File) -> Option<String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prettyplease::unparse(file))).ok()
}

/// Formats emitted files on the calling thread: the bench's split of [`render`]'s work into
/// emit and format (the same units, one after the other).
pub fn format_emitted(emitted: Emitted, spec_sha256: &str) -> Result<Rendered> {
    let mut out = render_text(&emitted, spec_sha256);
    out.extend(format_rust(emitted.rust, spec_sha256)?);
    Ok(out)
}

/// Formats Rust files (prettyplease) with their headers. Takes the unit by value: syn parses a
/// token stream it owns without copying every token first.
pub fn format_rust(unit: crate::emit::RustUnit, spec_sha256: &str) -> Result<Rendered> {
    let internal = |path: &str, what: String| {
        CodegenError::new(path, format!("internal error: {what}")).with_hint(
            "this is a bug in authlete-codegen; please report it with the document that caused it",
        )
    };
    let mut out = Rendered::new();
    let mut items = unit.items;
    for (path, tokens) in unit.files {
        let mut file: syn::File = syn::parse2(tokens)
            .map_err(|e| internal(&path, format!("the emitter produced invalid Rust: {e}")))?;
        crate::emit::prebuilt::substitute(&mut file, &mut items).map_err(|e| internal(&path, e))?;
        let printed = unparse(&file).ok_or_else(|| {
            internal(
                &path,
                "prettyplease could not print the emitted syntax tree".to_string(),
            )
        })?;
        let text = crate::emit::doc_markers::splice(&printed, &unit.docs)
            .map_err(|e| internal(&path, e))?;
        let text = space_out_items(&text);
        let header = format!(
            "// @generated by authlete-codegen {} from the OpenAPI document with sha256 {spec_sha256}.\n// Do not edit: change the generator or spec/overlay.yaml and run `make generate`.\n\n",
            env!("CARGO_PKG_VERSION")
        );
        out.insert(path, normalize_owned(header + &text));
    }
    crate::emit::prebuilt::all_placed(&items).map_err(|e| internal("#", e))?;
    Ok(out)
}

/// The Markdown and template files with their headers.
pub fn render_text(emitted: &Emitted, spec_sha256: &str) -> Rendered {
    let mut out = Rendered::new();
    for (path, text) in &emitted.markdown {
        let header = format!(
            "<!-- @generated by authlete-codegen {} from the OpenAPI document with sha256 {spec_sha256}. Do not edit. -->\n\n",
            env!("CARGO_PKG_VERSION")
        );
        out.insert(path.clone(), normalize(&format!("{header}{text}")));
    }
    for (path, text) in &emitted.verbatim {
        if path.ends_with(".md") {
            out.insert(
                path.clone(),
                markdown_copy(text, &format!("generator/template/{path}")),
            );
            continue;
        }
        if path == "LICENSE" {
            // The licence text as it is (a header inside it would confuse licence scanners).
            out.insert(path.clone(), normalize(text));
            continue;
        }
        let comment = if path.ends_with(".toml") { "#" } else { "//" };
        let header = format!(
            "{comment} @generated by authlete-codegen: copied from generator/template/{path}.\n{comment} Do not edit: edit that file and run `make generate`.\n\n"
        );
        out.insert(path.clone(), normalize(&format!("{header}{text}")));
    }
    out
}

/// A Rust file copied into the crate, with the @generated marker.
pub fn rust_copy(text: &str, source: &str) -> String {
    normalize(&format!("// @generated by authlete-codegen: copied from {source}.\n// Do not edit: edit that file and run `make generate`.\n\n{text}"))
}

/// A Markdown file copied into the crate, with the @generated marker as an HTML comment.
pub fn markdown_copy(text: &str, source: &str) -> String {
    normalize(&format!(
        "<!-- @generated by authlete-codegen: copied from {source}. Edit that file. -->\n\n{text}"
    ))
}

/// LF line ends and exactly one trailing newline, whatever the platform.
fn normalize(text: &str) -> String {
    normalize_owned(text.to_string())
}

/// [`normalize`] on text the caller no longer needs: no copy when it has no CR.
fn normalize_owned(text: String) -> String {
    let mut text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    while text.ends_with("\n\n") {
        text.pop();
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// prettyplease leaves no blank line between items; one between items (and between the items
/// of an impl) makes the generated code and its diffs readable.
fn space_out_items(text: &str) -> String {
    fn is_decl(line: &str) -> bool {
        let line = line
            .trim_start_matches("pub ")
            .trim_start_matches("pub(crate) ");
        line.starts_with("mod ") || line.starts_with("use ")
    }
    const ITEM_STARTS: &[&str] = &[
        "#[",
        "///",
        "pub ",
        "pub(crate) ",
        "fn ",
        "async fn ",
        "impl",
        "struct ",
        "enum ",
        "mod ",
        "type ",
        "const ",
        "use ",
    ];
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // The previous line without its indentation, and its indentation.
    let mut previous: Option<(&str, usize)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((p, prev_indent)) = previous {
            // Cheapest first: most lines follow one that ends no item.
            let prev_ends_item = p == "}" || (p.ends_with(';') && (prev_indent == 0 || is_decl(p)));
            if prev_ends_item
                && prev_indent == indent
                && ITEM_STARTS.iter().any(|start| trimmed.starts_with(start))
                && !(is_decl(p) && is_decl(trimmed))
            {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some((trimmed, indent));
    }
    if out.is_empty() {
        out.push('\n');
    }
    out
}

/// Writes the crate to `out` atomically: the new tree is written beside it, then swapped in.
/// Any failure before the swap leaves `out` as it was, and a process killed at any point leaves
/// `out` holding either the old tree or the new one, never a mix (on Linux the swap is one
/// `renameat2(RENAME_EXCHANGE)`; elsewhere there is a moment between two renames when `out` is
/// absent, and the old tree is then beside it as `.{name}.old-*`).
pub fn write_atomic(rendered: &Rendered, out: &Path) -> Result<()> {
    write_atomic_seen(rendered, out, None)
}

/// [`write_atomic`], told what `out` held while the crate was being rendered (`seen`, read on
/// a core that was otherwise idle): when that is the rendered crate, nothing is written and
/// `out` is not read again. Only that decision uses it; a write reads the tree afresh, since
/// the files it keeps are hard-linked and must be the very bytes it compared.
pub fn write_atomic_seen(rendered: &Rendered, out: &Path, seen: Option<&TreeBytes>) -> Result<()> {
    let out_name = out
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("generated")
        .to_string();
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, e))?;
    remove_leftovers(&parent, &out_name);
    // The maintainer's usual case: nothing changed, so nothing is written (no file's time
    // moves, and a build watching generated/ has nothing to do).
    if seen.is_some_and(|on_disk| same_tree(rendered, on_disk)) && out.is_dir() {
        return Ok(());
    }
    let previous = out.is_dir().then(|| read_tree_bytes(out).ok()).flatten();
    if previous
        .as_ref()
        .is_some_and(|on_disk| same_tree(rendered, on_disk))
    {
        return Ok(());
    }
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{out_name}.new-"))
        .tempdir_in(&parent)
        .map_err(|e| io_error(&parent, e))?;
    write_tree_reusing(
        rendered,
        staging.path(),
        previous.as_ref().map(|p| (out, p)),
    )?;
    if !out.exists() {
        let staged = staging.keep();
        return std::fs::rename(&staged, out).map_err(|e| io_error(out, e));
    }
    if exchange(staging.path(), out).is_ok() {
        // `staging` now holds the old tree; dropping it deletes it.
        return staging.close().map_err(|e| io_error(&parent, e));
    }
    let staged = staging.keep();
    let old = parent.join(format!(".{out_name}.old-{}", std::process::id()));
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))?;
    }
    std::fs::rename(out, &old).map_err(|e| io_error(out, e))?;
    if let Err(e) = std::fs::rename(&staged, out) {
        // Put the old tree back; the output must never be left half-written.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&staged);
        return Err(io_error(out, e));
    }
    std::fs::remove_dir_all(&old).map_err(|e| io_error(&old, e))
}

/// Swaps two directories in one step.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "no atomic exchange on this platform",
    ))
}

/// Staging and old trees that a killed run left beside the output (`.{name}.new-*`,
/// `.{name}.old-*`): never the output itself, so removing them loses nothing.
fn remove_leftovers(parent: &Path, out_name: &str) {
    let prefixes = [format!(".{out_name}.new-"), format!(".{out_name}.old-")];
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if prefixes.iter().any(|p| name.starts_with(p.as_str())) && entry.path().is_dir() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes every file under `root` (a fresh directory). Exposed for tests that inject failures.
pub fn write_tree(rendered: &Rendered, root: &Path) -> Result<()> {
    for (relative, text) in rendered {
        let path = root.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        std::fs::write(&path, text).map_err(|e| io_error(&path, e))?;
    }
    Ok(())
}

/// The staging tree, with every file whose bytes did not change hard-linked from the previous
/// tree instead of written anew: creating and writing ~260 files is most of a run's system
/// time, and a link keeps the file's inode and time. The swap that follows is unchanged, so
/// the output is still the old tree or the new one, never a mix; the old tree's names are
/// removed after it, which leaves the linked files to the new one.
fn write_tree_reusing(
    rendered: &Rendered,
    root: &Path,
    previous: Option<(&Path, &TreeBytes)>,
) -> Result<()> {
    for (relative, text) in rendered {
        let path = root.join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        if let Some((old_root, old)) = previous {
            if old.get(relative).map(Vec::as_slice) == Some(text.as_bytes())
                && std::fs::hard_link(old_root.join(relative), &path).is_ok()
            {
                continue;
            }
        }
        std::fs::write(&path, text).map_err(|e| io_error(&path, e))?;
    }
    Ok(())
}

fn io_error(path: &Path, e: std::io::Error) -> CodegenError {
    CodegenError::new(path.display().to_string(), format!("I/O error: {e}"))
}

/// What differs between the rendered crate and the directory on disk.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub stale: Vec<String>,
    /// A unified diff of the changes, cut to a readable size.
    pub diff: String,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.stale.is_empty()
    }
}

/// How many diff lines `check` prints before it says how many it left out.
const DIFF_LINE_LIMIT: usize = 400;

pub fn compare(rendered: &Rendered, out: &Path) -> Result<Drift> {
    Ok(compare_with(rendered, &read_tree(out)?))
}

/// What differs between the rendered crate and `on_disk` (a tree as [`read_tree`] reads it).
pub fn compare_with(rendered: &Rendered, on_disk: &BTreeMap<String, String>) -> Drift {
    let mut drift = Drift::default();
    let mut lines: Vec<String> = Vec::new();
    for (path, new) in rendered {
        match on_disk.get(path) {
            Some(old) if old == new => {}
            Some(old) => {
                drift.changed.push(path.clone());
                lines.extend(unified(old, new, path));
            }
            None => {
                drift.missing.push(path.clone());
                lines.extend(unified("", new, path));
            }
        }
    }
    for path in on_disk.keys() {
        if !rendered.contains_key(path) {
            drift.stale.push(path.clone());
            lines.push(format!(
                "stale file (not produced by the generator): {path}"
            ));
        }
    }
    let total = lines.len();
    if total > DIFF_LINE_LIMIT {
        lines.truncate(DIFF_LINE_LIMIT);
        lines.push(format!(
            "... {} more diff lines not shown",
            total - DIFF_LINE_LIMIT
        ));
    }
    drift.diff = lines.join("\n");
    drift
}

fn unified(old: &str, new: &str, path: &str) -> Vec<String> {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Every file under `root` as text (a missing root is an empty tree).
pub fn read_tree(root: &Path) -> Result<BTreeMap<String, String>> {
    Ok(as_text(read_tree_bytes(root)?))
}

/// A tree of bytes as text (bytes that are not UTF-8 become U+FFFD, and so differ from any
/// rendered file).
pub fn as_text(tree: TreeBytes) -> BTreeMap<String, String> {
    tree.into_iter()
        .map(|(path, bytes)| {
            // Text as it is (no copy); a file that is not UTF-8 differs anyway.
            let text = String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            (path, text)
        })
        .collect()
}

/// Every file under `root` with its bytes, by path relative to it (`/`-separated); a missing
/// root is an empty tree. The one directory walker of the project (its tests use it too).
pub fn read_tree_bytes(root: &Path) -> Result<TreeBytes> {
    let mut files = BTreeMap::new();
    if !root.exists() {
        return Ok(files);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))? {
            let entry = entry.map_err(|e| io_error(&dir, e))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&path).map_err(|e| io_error(&path, e))?;
                files.insert(relative, bytes);
            }
        }
    }
    Ok(files)
}

/// The rendered crate is exactly the tree on disk: the same paths, the same bytes.
fn same_tree(rendered: &Rendered, on_disk: &TreeBytes) -> bool {
    rendered.len() == on_disk.len()
        && rendered
            .iter()
            .all(|(path, text)| on_disk.get(path).map(Vec::as_slice) == Some(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_out_top_level_and_impl_items() {
        let text = "use a;\nuse b;\npub struct A {\n    x: u8,\n}\nimpl A {\n    fn a() {}\n    fn b() {\n        let x = 1;\n    }\n}\n";
        assert_eq!(
            space_out_items(text),
            "use a;\nuse b;\n\npub struct A {\n    x: u8,\n}\n\nimpl A {\n    fn a() {}\n    fn b() {\n        let x = 1;\n    }\n}\n"
        );
        let decls =
            "mod a;\npub mod b;\nconst X: u8 = 1;\nconst Y: u8 = 2;\n#[doc = \"\"]\nfn f() {}\n";
        assert_eq!(
            space_out_items(decls),
            "mod a;\npub mod b;\n\nconst X: u8 = 1;\n\nconst Y: u8 = 2;\n\n#[doc = \"\"]\nfn f() {}\n"
        );
        assert_eq!(space_out_items(""), "\n");
    }

    #[test]
    fn compare_reports_changed_missing_and_stale() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.rs"), "old\n").unwrap();
        std::fs::write(dir.path().join("stray.rs"), "x\n").unwrap();
        let mut rendered = Rendered::new();
        rendered.insert("a.rs".into(), "new\n".into());
        rendered.insert("b.rs".into(), "b\n".into());
        let drift = compare(&rendered, dir.path()).unwrap();
        assert_eq!(drift.changed, vec!["a.rs"]);
        assert_eq!(drift.missing, vec!["b.rs"]);
        assert_eq!(drift.stale, vec!["stray.rs"]);
        assert!(drift.diff.contains("-old\n+new"), "{}", drift.diff);
    }

    /// The file's identity on disk: a file written anew gets a new inode, a linked one keeps it.
    #[cfg(unix)]
    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn a_write_leaves_unchanged_files_alone_and_rewrites_only_the_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("generated");
        let mut rendered = Rendered::new();
        rendered.insert("src/lib.rs".into(), "// lib\n".into());
        rendered.insert("src/a.rs".into(), "// a\n".into());
        write_atomic(&rendered, &out).unwrap();
        let (lib, a) = (inode(&out.join("src/lib.rs")), inode(&out.join("src/a.rs")));
        let root = inode(&out);

        // nothing changed: not even the directory is swapped
        write_atomic(&rendered, &out).unwrap();
        assert_eq!(inode(&out), root);
        assert_eq!(inode(&out.join("src/lib.rs")), lib);

        // one file changed: the other keeps its inode, the changed one is new, a stray goes
        std::fs::write(out.join("stray.rs"), "x").unwrap();
        rendered.insert("src/a.rs".into(), "// a, changed\n".into());
        write_atomic(&rendered, &out).unwrap();
        assert_eq!(inode(&out.join("src/lib.rs")), lib);
        assert_ne!(inode(&out.join("src/a.rs")), a);
        assert_eq!(
            std::fs::read_to_string(out.join("src/a.rs")).unwrap(),
            "// a, changed\n"
        );
        assert!(!out.join("stray.rs").exists());
        // a stray file alone is a change too
        std::fs::write(out.join("stray.rs"), "x").unwrap();
        write_atomic(&rendered, &out).unwrap();
        assert!(!out.join("stray.rs").exists());
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "staging or old trees left beside the output");
    }

    #[test]
    fn atomic_write_replaces_the_whole_tree() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("generated");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("stale.rs"), "x").unwrap();
        let mut rendered = Rendered::new();
        rendered.insert("src/lib.rs".into(), "// x\n".into());
        write_atomic(&rendered, &out).unwrap();
        assert!(!out.join("stale.rs").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
            "// x\n"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("generated")]);
    }

    fn tree(files: &[(&str, &str)]) -> Rendered {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn a_write_that_fails_midway_leaves_the_old_tree_byte_identical() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("generated");
        let old = tree(&[("Cargo.toml", "old\n"), ("src/lib.rs", "// old\n")]);
        write_atomic(&old, &out).unwrap();
        // The injected failure: `src` is to be a file and a folder. Files are written in path
        // order, so `a.rs` and `src` are on disk in the staging tree when `src/lib.rs` fails.
        let broken = tree(&[
            ("a.rs", "new\n"),
            ("src", "a file\n"),
            ("src/lib.rs", "// new\n"),
        ]);
        let error = write_atomic(&broken, &out).unwrap_err();
        assert!(error.message.starts_with("I/O error"), "{error}");
        assert_eq!(read_tree(&out).unwrap(), old);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("generated")]);
    }

    fn bytes(files: &[(&str, &str)]) -> TreeBytes {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn a_tree_seen_earlier_decides_only_whether_to_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("generated");
        write_atomic(&tree(&[("a.rs", "1\n"), ("b.rs", "old b\n")]), &out).unwrap();
        let new = tree(&[("a.rs", "1\n"), ("b.rs", "new b\n")]);
        // Seen as the new crate: nothing is written (the run found nothing to do).
        write_atomic_seen(
            &new,
            &out,
            Some(&bytes(&[("a.rs", "1\n"), ("b.rs", "new b\n")])),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("b.rs")).unwrap(),
            "old b\n"
        );
        // Seen with `a.rs` as rendered, but it changed on disk since: the write reads the tree
        // again, so the changed `a.rs` is written, not linked.
        std::fs::write(out.join("a.rs"), "edited\n").unwrap();
        write_atomic_seen(
            &new,
            &out,
            Some(&bytes(&[("a.rs", "1\n"), ("b.rs", "old b\n")])),
        )
        .unwrap();
        assert_eq!(read_tree(&out).unwrap(), new);
        // Seen as different, but the tree on disk is the new one by now: still nothing written
        // (a write would swap in another directory).
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let before = std::fs::metadata(&out).unwrap().ino();
            write_atomic_seen(&new, &out, Some(&bytes(&[("a.rs", "0\n")]))).unwrap();
            assert_eq!(std::fs::metadata(&out).unwrap().ino(), before);
        }
        assert_eq!(read_tree(&out).unwrap(), new);
    }

    #[test]
    fn leftovers_of_a_killed_run_are_removed_and_the_output_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("generated");
        write_atomic(&tree(&[("a.rs", "1\n")]), &out).unwrap();
        for leftover in [".generated.new-abc", ".generated.old-42"] {
            std::fs::create_dir_all(dir.path().join(leftover).join("src")).unwrap();
            std::fs::write(dir.path().join(leftover).join("src/x.rs"), "half").unwrap();
        }
        std::fs::create_dir_all(dir.path().join("other")).unwrap();
        write_atomic(&tree(&[("a.rs", "2\n")]), &out).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(
            names,
            vec![
                std::ffi::OsString::from("generated"),
                std::ffi::OsString::from("other")
            ]
        );
        assert_eq!(std::fs::read_to_string(out.join("a.rs")).unwrap(), "2\n");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_swap_is_one_exchange_on_linux() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("f"), "a").unwrap();
        std::fs::write(b.join("f"), "b").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "b");
        assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "a");
    }
}
