//! The command line as `make` and maintainers use it: exit codes, messages, untouched output.

mod common;

use common::{repo, snapshot};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(case: &str) -> PathBuf {
    repo().join("tests/fixtures").join(case)
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlete-codegen"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

fn generate_fixture(case: &str, out: &Path) -> Output {
    let spec = fixture(case).join("spec.yaml");
    let overlay = repo().join("tests/fixtures/empty-overlay.yaml");
    codegen(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--overlay",
        overlay.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

fn check_fixture(case: &str, out: &Path) -> Output {
    let spec = fixture(case).join("spec.yaml");
    let overlay = repo().join("tests/fixtures/empty-overlay.yaml");
    codegen(&[
        "check",
        "--spec",
        spec.to_str().unwrap(),
        "--overlay",
        overlay.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn two_processes_write_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert!(generate_fixture("presence", &a).status.success());
    assert!(generate_fixture("presence", &b).status.success());
    assert_eq!(snapshot(&a), snapshot(&b));
}

#[test]
fn check_exits_1_with_a_diff_on_drift_and_0_when_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    assert!(generate_fixture("enums", &out).status.success());
    let clean = check_fixture("enums", &out);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    let file = out.join("src/emitted/models/jws_alg.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("Rs256", "Rs257", 1)).unwrap();
    std::fs::write(out.join("src/emitted/stray.rs"), "").unwrap();
    let drift = check_fixture("enums", &out);
    assert_eq!(drift.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&drift.stdout);
    assert!(
        stdout.contains("--- a/src/emitted/models/jws_alg.rs") && stdout.contains("-    Rs257,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("stale file (not produced by the generator): src/emitted/stray.rs"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&drift.stderr).contains("1 changed, 0 missing, 1 stale"));
}

#[test]
fn an_error_exits_2_names_the_pointer_and_leaves_the_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("crate");
    assert!(generate_fixture("enums", &out).status.success());
    let before = snapshot(&out);

    let spec = dir.path().join("bad.yaml");
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    a: {$ref: '#/components/schemas/nowhere'}\n").unwrap();
    let overlay = repo().join("tests/fixtures/empty-overlay.yaml");
    let run = codegen(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--overlay",
        overlay.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(
            "error: #/components/schemas/a: $ref `#/components/schemas/nowhere` points at nothing"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("help:"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(snapshot(&out), before);
}

#[test]
fn an_unmatched_overlay_action_is_an_error_on_the_pinned_document_and_a_warning_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let spec = fixture("enums").join("spec.yaml");
    let overlay = dir.path().join("overlay.yaml");
    // Two actions out of step with the document (the first and the third): both are reported.
    std::fs::write(&overlay, "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: \"$.paths['/gone'].get\"\n    update: {x-rust-name: gone}\n  - target: $.info\n    update: {title: kept}\n  - target: $.components.schemas.Gone\n    remove: true\n").unwrap();
    let sha = authlete_codegen::load::sha256_hex(&std::fs::read(&spec).unwrap());
    let pin = dir.path().join("pin.toml");
    std::fs::write(&pin, format!("sha256 = \"{sha}\"\n")).unwrap();
    let out = dir.path().join("crate");
    let args = |pin: &Path| {
        vec![
            "generate".to_string(),
            "--spec".into(),
            spec.display().to_string(),
            "--overlay".into(),
            overlay.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--pin".into(),
            pin.display().to_string(),
        ]
    };
    let strict = codegen(&args(&pin).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(strict.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&strict.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 2, "{stderr}");
    assert!(errors[0].contains("overlay.yaml#/actions/0"), "{stderr}");
    assert!(errors[1].contains("overlay.yaml#/actions/2"), "{stderr}");
    assert!(stderr.contains("2 errors"), "{stderr}");
    assert!(!out.exists());

    let other_pin = dir.path().join("other.toml");
    std::fs::write(&other_pin, "sha256 = \"0000\"\n").unwrap();
    let lenient = codegen(
        &args(&other_pin)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert_eq!(lenient.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&lenient.stderr).contains("warning:"));
}

/// `scripts/update-spec.sh` in a scratch copy of the project, moving from the pinned release to
/// a newer one (a local file made from it with one operation and one schema added, so nothing is
/// downloaded): the pin, the changelog, the crate version and the crate all move.
/// A scratch copy of the project with what `scripts/update-spec.sh` reads and writes.
fn scratch_project() -> tempfile::TempDir {
    common::pinned_spec();
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    for dir in ["spec/crate", "scripts", "generator/template"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    for file in [
        "spec/pin.toml",
        "spec/overlay.yaml",
        "spec/crate/CHANGELOG.md",
        "spec/authlete-openapi.yaml",
        "scripts/fetch-spec.sh",
        "scripts/update-spec.sh",
        "generator/template/Cargo.toml",
    ] {
        std::fs::copy(repo().join(file), root.join(file)).unwrap();
    }
    scratch
}

/// `scripts/update-spec.sh <commit> <file>` in `root`, with this test's binary.
fn update_spec(root: &Path, file: &Path) -> Output {
    Command::new("bash")
        .args([
            "scripts/update-spec.sh",
            "0123456789abcdef0123456789abcdef01234567",
            file.to_str().unwrap(),
        ])
        .current_dir(root)
        .env("CODEGEN", env!("CARGO_BIN_EXE_authlete-codegen"))
        .env("AUTHLETE_SPEC_MIRROR", repo().join("spec"))
        .output()
        .unwrap()
}

#[test]
fn update_spec_bumps_the_pin_prepends_the_changelog_and_regenerates() {
    let pinned = common::pinned_spec();
    let scratch = scratch_project();
    let root = scratch.path();
    let mut newer: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&pinned).unwrap()).unwrap();
    let addition: serde_yaml::Value = serde_yaml::from_str(
        "get:\n  operationId: service_ping_api\n  tags: [Service Management]\n  parameters:\n    - {in: path, name: serviceId, required: true, schema: {type: string}}\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/service_ping_response'}\n",
    )
    .unwrap();
    newer["paths"]
        .as_mapping_mut()
        .unwrap()
        .insert("/api/{serviceId}/service/ping".into(), addition);
    newer["components"]["schemas"]
        .as_mapping_mut()
        .unwrap()
        .insert(
            "service_ping_response".into(),
            serde_yaml::from_str("{type: object, properties: {alive: {type: boolean}}}").unwrap(),
        );
    let newer_file = root.join("newer.yaml");
    std::fs::write(&newer_file, serde_yaml::to_string(&newer).unwrap()).unwrap();
    let newer_sha = authlete_codegen::load::sha256_hex(&std::fs::read(&newer_file).unwrap());

    let run = update_spec(root, &newer_file);
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );

    // The new operation has no name in the overlay: the run says so, with the action to paste.
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("  - target: \"$.paths['/api/{serviceId}/service/ping'].get\"\n    update: {x-rust-group: service_management, x-rust-name: service_ping}"),
        "{stderr}"
    );
    let pin = std::fs::read_to_string(root.join("spec/pin.toml")).unwrap();
    assert!(pin.contains(&format!("sha256 = \"{newer_sha}\"")), "{pin}");
    assert!(
        pin.contains("0123456789abcdef0123456789abcdef01234567/spec_next.yaml")
            && pin.contains("version = \"3.0.16\""),
        "{pin}"
    );
    let changelog = std::fs::read_to_string(root.join("spec/crate/CHANGELOG.md")).unwrap();
    let new_entry = changelog
        .find("## authlete 0.1.1")
        .expect("new entry (additions only: a patch bump below 1.0)");
    let old_entry = changelog.find("## authlete 0.1.0").expect("old entry kept");
    assert!(
        changelog.starts_with("# Changelog") && new_entry < old_entry,
        "{changelog}"
    );
    assert!(
        changelog.contains("method added: `client.service_management().service_ping()`"),
        "{changelog}"
    );
    assert!(
        changelog.contains("not yet in spec/overlay.yaml"),
        "{changelog}"
    );
    assert!(
        changelog.contains("type added: `models::ServicePingResponse`"),
        "{changelog}"
    );
    let manifest = std::fs::read_to_string(root.join("generator/template/Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"0.1.1\""), "{manifest}");
    let header = std::fs::read_to_string(root.join("generated/src/emitted/mod.rs")).unwrap();
    assert!(header.contains(&newer_sha));
    assert!(root
        .join("generated/src/emitted/models/service_ping_response.rs")
        .exists());
    assert!(std::fs::read_to_string(root.join("generated/CHANGELOG.md"))
        .unwrap()
        .contains("## authlete 0.1.1"));
}

#[test]
fn a_reader_that_goes_away_is_a_normal_end_not_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    // `dump-ir | head -c 16` on the pinned document: the reader closes the pipe long before the
    // IR (megabytes, far more than a pipe holds) is written.
    common::pinned_spec();
    let mut child = Command::new(env!("CARGO_BIN_EXE_authlete-codegen"))
        .args(["dump-ir"])
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0_u8; 16];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap(); // then dropped: the pipe closes
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

/// Each subcommand takes only what it uses: `mock-document` needs `--out` (it once wrote into
/// generated/, a directory, by default), `dump-ir` has no `--out`, and `--format` is a closed set.
#[test]
fn each_subcommand_takes_its_own_arguments() {
    let mock = codegen(&["mock-document"]);
    assert_eq!(mock.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&mock.stderr);
    assert!(
        stderr.contains("required") && stderr.contains("--out"),
        "{stderr}"
    );

    let dump_help = String::from_utf8_lossy(&codegen(&["dump-ir", "--help"]).stdout).into_owned();
    assert!(dump_help.contains("--spec"), "{dump_help}");
    assert!(
        !dump_help.contains("--out") && !dump_help.contains("--crate-files"),
        "{dump_help}"
    );
    let dump_out = codegen(&["dump-ir", "--out", "x"]);
    assert_eq!(dump_out.status.code(), Some(2));

    let format = codegen(&["diff", "--old", "a", "--new", "b", "--format", "yaml"]);
    assert_eq!(format.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&format.stderr);
    assert!(
        stderr.contains("markdown") && stderr.contains("json"),
        "{stderr}"
    );

    let diff_help = String::from_utf8_lossy(&codegen(&["diff", "--help"]).stdout).into_owned();
    for (flag, text) in [
        (
            "--overlay <OVERLAY>",
            "The OpenAPI Overlay applied to the new document",
        ),
        ("--pin <PIN>", "The pin of the upstream document"),
        (
            "--old-overlay <OLD_OVERLAY>",
            "The overlay the old document was generated with",
        ),
    ] {
        // the option's own entry: from its flag to the next option
        let entry = diff_help
            .split_once(flag)
            .map(|(_, rest)| rest.split("\n      --").next().unwrap_or(""))
            .unwrap_or_else(|| panic!("no {flag} in:\n{diff_help}"));
        assert!(entry.contains(text), "{flag} has no help: {entry}");
    }
}

/// Every subcommand's help lists the exit codes, and they hold: 2 for bad arguments and bad
/// input alike.
#[test]
fn help_lists_the_exit_codes() {
    for args in [
        &["--help"][..],
        &["generate", "--help"],
        &["check", "--help"],
        &["dump-ir", "--help"],
        &["diff", "--help"],
        &["mock-document", "--help"],
        &["suggest-names", "--help"],
    ] {
        let help = codegen(args);
        assert_eq!(help.status.code(), Some(0));
        let text = String::from_utf8_lossy(&help.stdout);
        for line in ["Exit codes:", "0  success", "1  `check`", "2  an error"] {
            assert!(text.contains(line), "{args:?}: no `{line}` in\n{text}");
        }
    }
    assert_eq!(codegen(&["no-such-command"]).status.code(), Some(2));
}

/// The defaults are the repository's files wherever the command runs from: `check` from
/// generator/ (a folder below the root) finds spec/, the overlay and generated/.
#[test]
fn defaults_are_found_from_a_folder_below_the_repository_root() {
    common::pinned_spec();
    let output = Command::new(env!("CARGO_BIN_EXE_authlete-codegen"))
        .arg("check")
        .current_dir(repo().join("generator/src"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("is up to date"), "{stderr}");
}

/// A pin file that exists but is broken is an error naming it, not "no document is pinned"
/// (which would silently turn unmatched overlay actions into warnings).
#[test]
fn a_broken_pin_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let pin = dir.path().join("pin.toml");
    std::fs::write(&pin, "sha256 = [not toml").unwrap();
    let spec = fixture("enums").join("spec.yaml");
    let output = codegen(&[
        "dump-ir",
        "--spec",
        spec.to_str().unwrap(),
        "--overlay",
        repo()
            .join("tests/fixtures/empty-overlay.yaml")
            .to_str()
            .unwrap(),
        "--pin",
        pin.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("pin.toml"), "{stderr}");
}

/// An update the overlay no longer fits (the new document lacks an operation the overlay
/// names; a second one is renamed too): it fails before writing anything, naming every
/// unmatched action, and the tree is byte-identical afterwards.
#[test]
fn a_failing_update_leaves_the_tree_byte_identical_and_names_every_problem() {
    let pinned = common::pinned_spec();
    let scratch = scratch_project();
    let root = scratch.path();
    // generated/ as a maintainer has it: from the pinned document
    let generated = codegen(&[
        "generate",
        "--spec",
        root.join("spec/authlete-openapi.yaml").to_str().unwrap(),
        "--overlay",
        root.join("spec/overlay.yaml").to_str().unwrap(),
        "--pin",
        root.join("spec/pin.toml").to_str().unwrap(),
        "--out",
        root.join("generated").to_str().unwrap(),
    ]);
    assert!(generated.status.success());
    let mut older: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&pinned).unwrap()).unwrap();
    let paths = older["paths"].as_mapping_mut().unwrap();
    let mut renamed = 0;
    for (_, item) in paths.iter_mut() {
        for (_, operation) in item.as_mapping_mut().unwrap().iter_mut() {
            let id = operation.get("operationId").and_then(|v| v.as_str());
            if matches!(
                id,
                Some("auth_introspection_api" | "auth_introspection_standard_api")
            ) {
                operation["operationId"] = format!("{}_v2", id.unwrap()).into();
                renamed += 1;
            }
        }
    }
    assert_eq!(
        renamed, 2,
        "the pinned document changed: pick two other operations"
    );
    let file = root.join("older.yaml");
    std::fs::write(&file, serde_yaml::to_string(&older).unwrap()).unwrap();
    let before = snapshot(root);

    let run = update_spec(root, &file);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{stderr}");
    let unmatched = stderr
        .lines()
        .filter(|l| l.starts_with("error: ") && l.contains("matches nothing"))
        .count();
    assert_eq!(unmatched, 2, "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert!(
        snapshot(root) == before,
        "the tree changed on a failed update"
    );
}

/// The maintainer's workflow replayed: a scratch project (a git repository) pinned to the
/// oldest of the five upstream revisions in ../shared/spec moves through the four newer ones
/// with `scripts/update-spec.sh`, one at a time. Before the third step the maintainer renames a
/// method in the overlay (uncommitted, as one does while updating): that step's entry reports
/// the rename beside the document's changes. Every step moves the version; the step that
/// declares 404 on four operations says so, with the methods a changed type affects.
#[test]
fn the_upstream_revisions_replayed_through_update_spec() {
    let shared = repo().join("../shared/spec");
    let revision = |date: &str| shared.join(format!("authlete-openapi-3.0.16{date}.yaml"));
    let steps = ["-2026-01-06", "-2026-01-10", "-2026-01-15", ""];
    let scratch = scratch_project();
    let root = scratch.path();
    let oldest = revision("-2025-12-18");
    std::fs::copy(&oldest, root.join("spec/authlete-openapi.yaml")).unwrap();
    let sha = authlete_codegen::load::sha256_hex(&std::fs::read(&oldest).unwrap());
    std::fs::write(
        root.join("spec/pin.toml"),
        format!("version = \"3.0.16\"\nurl = \"https://raw.githubusercontent.com/authlete/openapi/0bc76cfb100a9c7f4929fe0be017f20dd63f061a/spec_next.yaml\"\nsha256 = \"{sha}\"\n"),
    )
    .unwrap();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // Today's overlay names operations that the older revisions lack: as an overlay that spans
    // releases does, every action may match nothing.
    let overlay_path = root.join("spec/overlay.yaml");
    let mut overlay: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&overlay_path).unwrap()).unwrap();
    for action in overlay["actions"].as_sequence_mut().unwrap() {
        action["x-allow-unmatched"] = true.into();
    }
    std::fs::write(&overlay_path, serde_yaml::to_string(&overlay).unwrap()).unwrap();
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "pinned to 2025-12-18"]);

    let mut versions = Vec::new();
    for (step, date) in steps.iter().enumerate() {
        if step == 2 {
            let renamed = overlay["actions"]
                .as_sequence_mut()
                .unwrap()
                .iter_mut()
                .filter(|a| a["update"]["x-rust-name"] == "standard_process")
                .map(|a| a["update"]["x-rust-name"] = "process_standard".into())
                .count();
            assert_eq!(renamed, 1, "the overlay changed: pick another action");
            std::fs::write(&overlay_path, serde_yaml::to_string(&overlay).unwrap()).unwrap();
        }
        let run = update_spec(root, &revision(date));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "step {step} ({date}):\n{stderr}");
        let manifest = std::fs::read_to_string(root.join("generator/template/Cargo.toml")).unwrap();
        let version = authlete_codegen::manifest_version(&manifest).unwrap();
        assert!(
            !versions.contains(&version),
            "step {step} kept version {version}"
        );
        versions.push(version);
        git(&["add", "-A"]);
        git(&["commit", "-q", "-m", &format!("step {step}")]);
    }
    assert_eq!(versions, ["0.1.1", "0.2.0", "0.3.0", "0.4.0"]);

    let changelog = std::fs::read_to_string(root.join("spec/crate/CHANGELOG.md")).unwrap();
    let entry = |version: &str| {
        let start = changelog
            .find(&format!("## authlete {version} "))
            .unwrap_or_else(|| panic!("no entry {version}:\n{changelog}"));
        let rest = &changelog[start + 3..];
        &changelog[start..start + 3 + rest.find("\n## ").unwrap_or(rest.len())]
    };
    let third = entry("0.3.0");
    for line in [
        "method removed: `client.introspection().standard_process()`",
        "method added: `client.introspection().process_standard()`",
        "method changed: `client.clients().delete()` — declares status 404",
        "field changed: `models::TokenInfo::scopes` — `Option<Vec<String>>` → `Option<Vec<Scope>>`; affects `client.token().process_request()`",
    ] {
        assert!(third.contains(line), "no `{line}` in:\n{third}");
    }
    assert!(entry("0.1.1").contains("No change to the SDK surface; the document changed"));
}
