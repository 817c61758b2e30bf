//! Golden tests: each `tests/fixtures/<case>/spec.yaml` (with its `overlay.yaml`, if any) beside
//! the files it must produce under `expected/` (the emitted tree, `src/emitted/**`) and the
//! warnings it must print (`expected/warnings.txt`). `BLESS=1 cargo test -p authlete-tests --test
//! golden` rewrites the expectations; review the diff before committing it.

use authlete_tests::{cargo_check, fixture_inputs, fixtures_dir};
use std::collections::BTreeMap;
use std::path::Path;

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("spec.yaml").exists())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

/// The emitted files of a case plus its warnings, as the golden tree holds them.
fn produce(case: &str) -> BTreeMap<String, String> {
    let built =
        authlete_codegen::build_ir(&fixture_inputs(case)).unwrap_or_else(|e| panic!("{case}: {e}"));
    let rendered = authlete_codegen::render(&built.api).unwrap();
    let mut files: BTreeMap<String, String> = rendered
        .into_iter()
        .filter(|(path, _)| path.starts_with("src/emitted/"))
        .collect();
    let warnings: String = built.warnings.iter().map(|w| format!("{w}\n")).collect();
    files.insert("warnings.txt".to_string(), warnings);
    files
}

fn read_expected(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(relative, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn every_fixture_matches_its_golden_output() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    let cases = cases();
    assert!(cases.len() >= 9, "fixtures missing: {cases:?}");
    for case in &cases {
        let expected_dir = fixtures_dir().join(case).join("expected");
        let produced = produce(case);
        if bless {
            let _ = std::fs::remove_dir_all(&expected_dir);
            for (path, text) in &produced {
                let target = expected_dir.join(path);
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(target, text).unwrap();
            }
            continue;
        }
        let expected = read_expected(&expected_dir);
        if expected.is_empty() {
            failures.push(format!(
                "{case}: no expected/ tree; run with BLESS=1 to create it"
            ));
            continue;
        }
        for (path, text) in &produced {
            match expected.get(path) {
                Some(want) if want == text => {}
                Some(want) => {
                    failures.push(format!("{case}/{path} differs:\n{}", diff(want, text)))
                }
                None => failures.push(format!("{case}/{path}: produced but not expected")),
            }
        }
        for path in expected.keys().filter(|p| !produced.contains_key(*p)) {
            failures.push(format!("{case}/{path}: expected but not produced"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden mismatch(es) (BLESS=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn diff(old: &str, new: &str) -> String {
    let mut out = String::new();
    for (i, (a, b)) in old.lines().zip(new.lines()).enumerate() {
        if a != b {
            out.push_str(&format!("line {}:\n- {a}\n+ {b}\n", i + 1));
            break;
        }
    }
    if out.is_empty() {
        out = format!(
            "(lengths differ: {} vs {} lines)",
            old.lines().count(),
            new.lines().count()
        );
    }
    out
}

/// Every fixture, written as a complete crate, compiles with no warnings.
#[test]
fn every_fixture_crate_compiles_without_warnings() {
    let workdir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let out = workdir.path().join(&case);
        authlete_codegen::generate(&fixture_inputs(&case), &out)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        if let Err(e) = cargo_check(&out) {
            failures.push(format!("{case}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
