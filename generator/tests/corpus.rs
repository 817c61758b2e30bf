//! The bad-input corpus, under `tests/fixtures/corpus/`: documents that must be errors
//! (`errors/`), documents at the edge of what is supported that must generate (`accepted/`), and
//! overlays that must be errors (`overlays/`, applied to the `params` fixture). Each goes through
//! the real binary and has an `.expected` file beside it; in `errors/`:
//!
//! ```text
//! pointer: #/components/schemas/a        the error's pointer (a file path: its ending)
//! message: cycle of type aliases          a part of the error message (one or more lines)
//! ```
//!
//! A document with several errors lists a `pointer:` line for each: the run must report exactly
//! those, each on its own `error:` line, in that order (with a `more` line: those first, and
//! maybe others after them).
//!
//! in `accepted/`: `ok` (and `compile`: the crate must pass `cargo clippy` with no warning; `docs`: also
//! `cargo doc` with warnings denied and `cargo test --doc`; `warning: <text>`: the run must print
//! a warning line starting with that text, one line each). Whatever the
//! case, the binary must not panic, must end within a time limit, and on an error must leave the
//! output directory byte-identical.

mod common;

use common::{nested_cargo, repo, snapshot};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A hang guard, not a speed claim: far above any real run even of the debug binary on a loaded
/// 2-core machine (the 10 MB document takes about 30 s there). Generation speed is measured by
/// `make bench`, never asserted here.
const HANG_GUARD: Duration = Duration::from_secs(600);

fn corpus_dir() -> PathBuf {
    repo().join("tests/fixtures/corpus")
}

struct Run {
    code: Option<i32>,
    stderr: String,
}

/// Runs `authlete-codegen generate`, killing it at the time limit.
fn generate(spec: &Path, overlay: &Path, out: &Path) -> Result<Run, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_authlete-codegen"))
        .args([
            "generate",
            "--pin",
            "/nonexistent",
            "--crate-files",
            "/nonexistent",
        ])
        .arg("--spec")
        .arg(spec)
        .arg("--overlay")
        .arg(overlay)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start authlete-codegen: {e}"))?;
    // Read stderr on a thread so a chatty child cannot block on a full pipe.
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not end within {HANG_GUARD:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Run {
        code: status.code(),
        stderr: reader.join().unwrap_or_default(),
    })
}

/// A previous crate in the output directory, which an error must leave as it was.
fn seed_output(out: &Path) {
    std::fs::create_dir_all(out.join("src")).unwrap();
    std::fs::write(out.join("Cargo.toml"), "# the previous crate\n").unwrap();
    std::fs::write(out.join("src/lib.rs"), "// the previous crate\n").unwrap();
}

enum Expected {
    Error {
        pointers: Vec<String>,
        messages: Vec<String>,
        more: bool,
    },
    Ok {
        compile: bool,
        docs: bool,
        warnings: Vec<String>,
    },
}

fn read_expected(path: &Path) -> Expected {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.first() == Some(&"ok") {
        return Expected::Ok {
            compile: lines.contains(&"compile"),
            docs: lines.contains(&"docs"),
            warnings: lines
                .iter()
                .filter(|l| l.starts_with("warning: "))
                .map(|l| l.to_string())
                .collect(),
        };
    }
    let pointers: Vec<String> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("pointer: "))
        .map(str::to_string)
        .collect();
    assert!(
        !pointers.is_empty(),
        "{}: no `pointer:` line",
        path.display()
    );
    let messages = lines
        .iter()
        .filter_map(|l| l.strip_prefix("message: "))
        .map(str::to_string)
        .collect();
    Expected::Error {
        pointers,
        messages,
        more: lines.contains(&"more"),
    }
}

/// Checks one case; returns what is wrong with it, if anything.
fn check_case(
    name: &str,
    spec: &Path,
    overlay: &Path,
    expected: &Expected,
    work: &Path,
) -> Result<(), String> {
    let out = crate_dir(work, name);
    seed_output(&out);
    let before = snapshot(&out);
    let run = generate(spec, overlay, &out)?;
    if run.code == Some(101) || run.stderr.contains("panicked") {
        return Err(format!("panicked:\n{}", run.stderr));
    }
    match expected {
        Expected::Error {
            pointers,
            messages,
            more,
        } => {
            if run.code != Some(2) {
                return Err(format!(
                    "expected exit 2, got {:?}:\n{}",
                    run.code, run.stderr
                ));
            }
            if snapshot(&out) != before {
                return Err("the output directory changed on an error".into());
            }
            let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            if leftovers.len() != 1 {
                return Err(format!("files left beside the output: {leftovers:?}"));
            }
            let got: Vec<&str> = run
                .stderr
                .lines()
                .filter_map(|l| l.strip_prefix("error: "))
                .map(|error| error.split_once(": ").map_or(error, |(pointer, _)| pointer))
                .collect();
            let matches = |expected: &String, got: &&str| {
                if expected.starts_with('#') {
                    got == expected
                } else {
                    got.ends_with(expected.as_str())
                }
            };
            let pointers_ok = (got.len() == pointers.len()
                || (*more && got.len() > pointers.len()))
                && pointers.iter().zip(&got).all(|(e, g)| matches(e, g));
            if !pointers_ok {
                return Err(format!(
                    "expected the errors at {pointers:?}, got {got:?}:\n{}",
                    run.stderr
                ));
            }
            for message in messages {
                if !run.stderr.contains(message.as_str()) {
                    return Err(format!(
                        "expected the message to contain `{message}`:\n{}",
                        run.stderr
                    ));
                }
            }
            Ok(())
        }
        // `compile` and `docs` are checked by the caller, for all the cases at once.
        Expected::Ok { warnings, .. } => {
            if run.code != Some(0) {
                return Err(format!(
                    "expected success, got {:?}:\n{}",
                    run.code, run.stderr
                ));
            }
            for warning in warnings {
                if !run.stderr.lines().any(|l| l.starts_with(warning.as_str())) {
                    return Err(format!("expected a line `{warning}…`:\n{}", run.stderr));
                }
            }
            Ok(())
        }
    }
}

/// Where [`check_case`] writes a case's crate.
fn crate_dir(work: &Path, name: &str) -> PathBuf {
    work.join(name).join("crate")
}

/// `cargo doc` with warnings denied, and the doctests: descriptions must render without a
/// broken link and their code blocks must not become failing doctests.
fn cargo_docs(crate_dir: &Path) -> Result<(), String> {
    cargo_docs_matching(crate_dir, None)
}

/// `cargo doc` with warnings denied, and the doctests (those whose name contains `doctests`,
/// when given: a large crate's doctests are compiled one by one).
fn cargo_docs_matching(crate_dir: &Path, doctests: Option<&str>) -> Result<(), String> {
    let mut test = vec!["test", "--doc", "--quiet"];
    if let Some(filter) = doctests {
        test.extend(["--", filter]);
    }
    for (args, flags) in [
        (&["doc", "--no-deps", "--quiet"][..], "-D warnings"),
        (&test[..], ""),
    ] {
        let output = Command::new(env!("CARGO"))
            .args(args)
            .current_dir(crate_dir)
            .env("CARGO_TARGET_DIR", nested_cargo::target_dir(&repo()))
            .env("RUSTDOCFLAGS", flags)
            .env_remove("RUSTFLAGS")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "cargo {} failed:\n{}{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    Ok(())
}

/// The cases of a folder: (name, document, expected) for each `<name>.expected`.
fn cases(dir: &Path) -> Vec<(String, PathBuf, Expected)> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("expected") {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let input = ["yaml", "json"]
            .iter()
            .map(|ext| dir.join(format!("{name}.{ext}")))
            .find(|p| p.exists())
            .unwrap_or_else(|| {
                panic!(
                    "{}: no {name}.yaml or {name}.json beside it",
                    path.display()
                )
            });
        cases.push((name, input, read_expected(&path)));
    }
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

fn report(failures: Vec<String>, total: usize) {
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_invalid_document_is_a_clear_error_or_a_compiling_crate() {
    let errors = cases(&corpus_dir().join("errors"));
    let accepted = cases(&corpus_dir().join("accepted"));
    assert!(
        errors.len() >= 30 && accepted.len() >= 10,
        "the corpus has only {} + {} documents",
        errors.len(),
        accepted.len()
    );
    // A case in the wrong folder says one thing by its place and another by its `.expected`.
    let misplaced: Vec<&String> = errors
        .iter()
        .filter(|(_, _, e)| matches!(e, Expected::Ok { .. }))
        .chain(
            accepted
                .iter()
                .filter(|(_, _, e)| matches!(e, Expected::Error { .. })),
        )
        .map(|(name, _, _)| name)
        .collect();
    assert!(misplaced.is_empty(), "in the wrong folder: {misplaced:?}");
    let cases: Vec<_> = errors.into_iter().chain(accepted).collect();
    let empty_overlay = repo().join("tests/fixtures/empty-overlay.yaml");
    let work = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut generated = Vec::new();
    for (name, spec, expected) in &cases {
        match check_case(name, spec, &empty_overlay, expected, work.path()) {
            Ok(()) => generated.push((name, expected)),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    // The crates that must compile, in one cargo run (its output names each failing crate's
    // directory), then the docs of those that must document, one at a time.
    let to_compile: Vec<PathBuf> = generated
        .iter()
        // a crate documented is also compiled: its directory must be a member of the workspace
        .filter(|(_, e)| matches!(e, Expected::Ok { compile, docs, .. } if *compile || *docs))
        .map(|(name, _)| crate_dir(work.path(), name))
        .collect();
    if let Err(e) = nested_cargo::clippy_crates(&repo(), work.path(), &to_compile) {
        failures.push(e);
    }
    for (name, expected) in &generated {
        if matches!(expected, Expected::Ok { docs: true, .. }) {
            if let Err(e) = cargo_docs(&crate_dir(work.path(), name)) {
                failures.push(format!("{name}: {e}"));
            }
        }
    }
    report(failures, cases.len());
}

#[test]
fn every_invalid_overlay_is_an_error_naming_the_action() {
    let cases = cases(&corpus_dir().join("overlays"));
    assert!(cases.len() >= 5, "only {} overlay cases", cases.len());
    let spec = repo().join("tests/fixtures/params/spec.yaml");
    let work = tempfile::tempdir().unwrap();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, overlay, expected)| {
            check_case(name, &spec, overlay, expected, work.path())
                .err()
                .map(|e| format!("{name}: {e}"))
        })
        .collect();
    report(failures, cases.len());
}

/// A minimal valid document with `schemas` (YAML text, indented for `components.schemas`).
fn document_with_schemas(schemas: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}")
}

#[test]
fn a_10_mb_document_generates() {
    // 2,000 object schemas of 40 properties each, with long descriptions: about 10 MB of YAML.
    let description = "x".repeat(80);
    let mut schemas = String::new();
    for i in 0..2000 {
        schemas.push_str(&format!("    thing{i}:\n      type: object\n      description: {description}\n      properties:\n"));
        for p in 0..40 {
            schemas.push_str(&format!(
                "        field{p}: {{type: string, description: {description}}}\n"
            ));
        }
    }
    let text = document_with_schemas(&schemas);
    assert!(text.len() >= 10_000_000, "{} bytes", text.len());
    let work = tempfile::tempdir().unwrap();
    let spec = work.path().join("big.yaml");
    std::fs::write(&spec, text).unwrap();
    check_case(
        "big",
        &spec,
        &repo().join("tests/fixtures/empty-overlay.yaml"),
        &Expected::Ok {
            compile: false,
            docs: false,
            warnings: Vec::new(),
        },
        work.path(),
    )
    .unwrap();
    let models = work.path().join("big/crate/src/emitted/models");
    assert_eq!(
        std::fs::read_dir(models).unwrap().count(),
        2001,
        "2,000 models and mod.rs"
    );
}

/// A document whose one schema nests `depth` inline objects (`{type: object, properties: {a: …}}`).
fn nested_document(depth: usize) -> String {
    let mut schema = String::from("{type: string}");
    for _ in 0..depth {
        schema = format!("{{type: object, properties: {{a: {schema}}}}}");
    }
    document_with_schemas(&format!("    deep: {schema}\n"))
}

fn check_generated(name: &str, text: &str, expected: &Expected) -> Result<(), String> {
    let work = tempfile::tempdir().unwrap();
    let spec = work.path().join(format!("{name}.yaml"));
    std::fs::write(&spec, text).unwrap();
    check_case(
        name,
        &spec,
        &repo().join("tests/fixtures/empty-overlay.yaml"),
        expected,
        work.path(),
    )
}

#[test]
fn a_schema_nested_500_deep_is_an_error_not_a_stack_overflow() {
    // Past the YAML parser's recursion limit (128 levels of mappings, two per level here).
    let expected = Expected::Error {
        pointers: vec!["deep.yaml".into()],
        messages: vec!["recursion limit exceeded".into()],
        more: false,
    };
    check_generated("deep", &nested_document(500), &expected).unwrap();
}

#[test]
fn a_schema_nested_50_deep_generates_a_crate() {
    // Deep but within the parser's limit: every level becomes a named inline type.
    check_generated(
        "deep",
        &nested_document(50),
        &Expected::Ok {
            compile: false,
            docs: false,
            warnings: Vec::new(),
        },
    )
    .unwrap();
}

#[test]
fn an_all_of_chain_20_000_long_is_an_error_not_a_stack_overflow() {
    // link0 = allOf [link1, {x0}], link1 = allOf [link2, {x1}], ...: flat YAML, deep merging.
    let mut schemas = String::new();
    for i in 0..20_000 {
        schemas.push_str(&format!(
            "    link{i}:\n      allOf:\n        - {{$ref: '#/components/schemas/link{}'}}\n        - {{type: object, properties: {{x{i}: {{type: string}}}}}}\n",
            i + 1
        ));
    }
    schemas.push_str("    link20000: {type: object, properties: {end: {type: string}}}\n");
    let expected = Expected::Error {
        pointers: vec!["#/components/schemas/link64".into()],
        messages: vec![
            "allOf nested more than 64 levels".into(),
            "from #/components/schemas/link0".into(),
            // each schema past the limit is an error of its own; the report shows the first ones
            "more errors of the same run".into(),
        ],
        more: true,
    };
    check_generated("chain", &document_with_schemas(&schemas), &expected).unwrap();
}

#[test]
fn an_all_of_diamond_40_levels_deep_is_merged_once_per_schema() {
    // Each level's two schemas both include both schemas of the next level: 2^40 paths from the
    // top, 80 schemas. Merging each schema once keeps it linear (the hang guard catches the rest).
    let mut schemas = String::new();
    for level in 0..40 {
        for side in ["a", "b"] {
            schemas.push_str(&format!(
                "    d{level}{side}:\n      allOf:\n        - {{$ref: '#/components/schemas/d{next}a'}}\n        - {{$ref: '#/components/schemas/d{next}b'}}\n        - {{type: object, properties: {{p{level}{side}: {{type: string}}}}}}\n",
                next = level + 1
            ));
        }
    }
    schemas.push_str("    d40a: {type: object, properties: {bottom: {type: string}}}\n    d40b: {type: object, properties: {other: {type: string}}}\n");
    check_generated(
        "diamond",
        &document_with_schemas(&schemas),
        &Expected::Ok {
            compile: false,
            docs: false,
            warnings: Vec::new(),
        },
    )
    .unwrap();
}

/// The two defects most likely to arrive with the next upstream release, made on the pinned
/// document itself by overlay actions added to spec/overlay.yaml (a one-line change each, as a
/// maintainer's update would meet them): an operation marked deprecated, and descriptions with
/// an indented code block and a `~~~` fence. The crate must pass clippy on all targets (the
/// emitted tests call the deprecated method), `cargo doc` with warnings denied, and the
/// doctests of the group both operations belong to.
#[test]
fn the_pinned_document_with_a_deprecated_operation_and_code_blocks_generates_a_clean_crate() {
    let spec = common::pinned_spec();
    let work = tempfile::tempdir().unwrap();
    let mut overlay: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(repo().join("spec/overlay.yaml")).unwrap())
            .unwrap();
    let variant: serde_yaml::Value = serde_yaml::from_str(
        r#"
- target: "$.paths[*][?@.operationId == 'auth_introspection_api']"
  update: {deprecated: true}
- target: "$.paths[*][?@.operationId == 'auth_introspection_standard_api']"
  update:
    description: |
      Processes a standard introspection request, for example:

          curl -X POST https://as.example.com/introspection -d token=abc

      A fenced block that is not Rust either:

      ~~~
      { "active": true
      ~~~
"#,
    )
    .unwrap();
    let actions = overlay["actions"].as_sequence_mut().unwrap();
    actions.extend(variant.as_sequence().unwrap().iter().cloned());
    let overlay_path = work.path().join("overlay.yaml");
    std::fs::write(&overlay_path, serde_yaml::to_string(&overlay).unwrap()).unwrap();

    let out = work.path().join("crate");
    let run = Command::new(env!("CARGO_BIN_EXE_authlete-codegen"))
        .args(["generate", "--crate-files", "/nonexistent"])
        .arg("--pin")
        .arg(repo().join("spec/pin.toml"))
        .arg("--spec")
        .arg(&spec)
        .arg("--overlay")
        .arg(&overlay_path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let group = std::fs::read_to_string(out.join("src/emitted/api/introspection.rs")).unwrap();
    assert!(group.contains("#[deprecated"), "no #[deprecated] emitted");
    assert!(
        group.contains("```text") && group.contains("curl -X POST"),
        "the code blocks are not text blocks"
    );
    nested_cargo::clippy_crates(&repo(), work.path(), std::slice::from_ref(&out))
        .unwrap_or_else(|e| panic!("{e}"));
    cargo_docs_matching(&out, Some("introspection")).unwrap();
}
