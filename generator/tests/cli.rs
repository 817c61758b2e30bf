//! The command line as `make` and maintainers use it: exit codes, messages, untouched output.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn fixture(case: &str) -> PathBuf {
    repo().join("tests/fixtures").join(case)
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlete-codegen")).args(args).current_dir(repo()).output().unwrap()
}

fn generate_fixture(case: &str, out: &Path) -> Output {
    let spec = fixture(case).join("spec.yaml");
    let overlay = repo().join("tests/fixtures/empty-overlay.yaml");
    codegen(&["generate", "--spec", spec.to_str().unwrap(), "--overlay", overlay.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

fn check_fixture(case: &str, out: &Path) -> Output {
    let spec = fixture(case).join("spec.yaml");
    let overlay = repo().join("tests/fixtures/empty-overlay.yaml");
    codegen(&["check", "--spec", spec.to_str().unwrap(), "--overlay", overlay.to_str().unwrap(), "--out", out.to_str().unwrap()])
}

fn read_all(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn two_processes_write_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(generate_fixture("presence", &a).status.success());
    assert!(generate_fixture("presence", &b).status.success());
    assert_eq!(read_all(&a), read_all(&b));
}

#[test]
fn check_exits_1_with_a_diff_on_drift_and_0_when_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    assert!(generate_fixture("enums", &out).status.success());
    let clean = check_fixture("enums", &out);
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stderr));

    let file = out.join("src/emitted/models/jws_alg.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("Rs256", "Rs257", 1)).unwrap();
    std::fs::write(out.join("src/emitted/stray.rs"), "").unwrap();
    let drift = check_fixture("enums", &out);
    assert_eq!(drift.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&drift.stdout);
    assert!(stdout.contains("--- a/src/emitted/models/jws_alg.rs") && stdout.contains("-    Rs257,"), "{stdout}");
    assert!(stdout.contains("stale file (not produced by the generator): src/emitted/stray.rs"), "{stdout}");
    assert!(String::from_utf8_lossy(&drift.stderr).contains("1 changed, 0 missing, 1 stale"));
}

#[test]
fn an_error_exits_2_names_the_pointer_and_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    assert!(generate_fixture("enums", &out).status.success());
    let before = read_all(&out);

    let spec = dir.path().join("bad.yaml");
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    a: {$ref: '#/components/schemas/nowhere'}\n").unwrap();
    let overlay = repo().join("tests/fixtures/empty-overlay.yaml");
    let run = codegen(&["generate", "--spec", spec.to_str().unwrap(), "--overlay", overlay.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("error: #/components/schemas/a: $ref `#/components/schemas/nowhere` points at nothing"), "{stderr}");
    assert!(stderr.contains("fix:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(read_all(&out), before);
}

#[test]
fn an_unmatched_overlay_action_is_an_error_on_the_pinned_document_and_a_warning_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let spec = fixture("enums").join("spec.yaml");
    let overlay = dir.path().join("overlay.yaml");
    std::fs::write(&overlay, "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: \"$.paths['/gone'].get\"\n    update: {x-rust-name: gone}\n").unwrap();
    let sha = authlete_codegen::load::sha256_hex(&std::fs::read(&spec).unwrap());
    let pin = dir.path().join("pin.toml");
    std::fs::write(&pin, format!("sha256 = \"{sha}\"\n")).unwrap();
    let out = dir.path().join("crate");
    let args = |pin: &Path| {
        vec!["generate".to_string(), "--spec".into(), spec.display().to_string(), "--overlay".into(), overlay.display().to_string(),
             "--out".into(), out.display().to_string(), "--pin".into(), pin.display().to_string()]
    };
    let strict = codegen(&args(&pin).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(strict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("overlay.yaml#/actions/0"), "{}", String::from_utf8_lossy(&strict.stderr));
    assert!(!out.exists());

    let other_pin = dir.path().join("other.toml");
    std::fs::write(&other_pin, "sha256 = \"0000\"\n").unwrap();
    let lenient = codegen(&args(&other_pin).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(lenient.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&lenient.stderr).contains("warning:"));
}
