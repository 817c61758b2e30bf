//! What the project promises about how it is built and shipped, checked from cargo's own view:
//! one minimum supported Rust version that every crate declares and that every locked
//! dependency builds with, and a published `authlete` package that carries its licence and no
//! test that needs this repository.

use authlete_tests::repo_root;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

fn cargo(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run cargo: {e}"))
}

/// `1.88` and `1.88.0` alike, as three numbers.
fn version(text: &str) -> [u64; 3] {
    let mut parts = text.split('.').map(|n| n.parse().unwrap_or(0));
    [(); 3].map(|()| parts.next().unwrap_or(0))
}

/// `cargo metadata` of the workspace, with the committed lock.
fn metadata() -> Value {
    let output = cargo(&["metadata", "--format-version", "1", "--locked"]);
    assert!(
        output.status.success(),
        "cargo metadata failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The MSRV is honest: every workspace crate declares the same `rust-version`, and no package
/// the workspace builds with (normal and build dependencies, through the lock) needs a newer
/// one. A `cargo update` that raises the floor fails here, naming the package. (Compiling with
/// that exact toolchain needs a second toolchain, which this project's CI machines cannot
/// fetch; clippy's `incompatible_msrv` checks our own use of the standard library against it.)
#[test]
fn every_locked_dependency_builds_with_the_declared_rust_version() {
    let metadata = metadata();
    let packages: BTreeMap<&str, &Value> = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let declared: BTreeSet<&str> = members
        .iter()
        .map(|id| packages[id]["rust_version"].as_str().unwrap_or("(none)"))
        .collect();
    assert_eq!(
        declared.len(),
        1,
        "the workspace crates declare different rust-versions: {declared:?}"
    );
    let msrv = *declared.iter().next().unwrap();
    assert_ne!(
        msrv, "(none)",
        "the workspace crates declare no rust-version"
    );

    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap(), n))
        .collect();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = members.clone();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes[id]["deps"].as_array().unwrap() {
            // dev-dependencies of dependencies are not built; those of members are (tests)
            let built = members.contains(&id)
                || dep["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if built {
                stack.push(dep["pkg"].as_str().unwrap());
            }
        }
    }
    let too_new: Vec<String> = seen
        .iter()
        .filter_map(|id| {
            let needs = packages[id]["rust_version"].as_str()?;
            (version(needs) > version(msrv)).then(|| {
                format!(
                    "{} {} needs {needs}",
                    packages[id]["name"].as_str().unwrap(),
                    packages[id]["version"].as_str().unwrap()
                )
            })
        })
        .collect();
    assert!(
        too_new.is_empty(),
        "the lock needs a newer Rust than the declared {msrv}: {too_new:?}; raise rust-version \
         in Cargo.toml and generator/template/Cargo.toml, or pin the dependency lower"
    );
    // The published crate's own manifest says the same (it is copied from the template).
    let sdk = members
        .iter()
        .find(|id| packages[*id]["name"] == "authlete")
        .unwrap();
    assert_eq!(packages[sdk]["rust_version"], msrv);
}

/// `cargo package --list -p authlete`: the files a user of the published crate gets. The MIT
/// licence must travel with it, and the conformance test (it needs this repository's Prism
/// set-up) must not.
#[test]
fn the_published_crate_carries_its_licence_and_no_repository_only_test() {
    let output = cargo(&["package", "--list", "--allow-dirty", "-p", "authlete"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cargo package --list failed:\n{stderr}"
    );
    let files: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    for present in [
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "Cargo.toml",
        "src/lib.rs",
    ] {
        assert!(
            files.contains(present),
            "{present} is not packaged: {files:?}"
        );
    }
    assert!(
        !files.contains("tests/conformance.rs"),
        "the conformance test is packaged"
    );
    // Every packaged test finds the modules it declares inside the package.
    for file in files
        .iter()
        .filter(|f| f.starts_with("tests/") && f.ends_with(".rs"))
    {
        let text = std::fs::read_to_string(repo_root().join("generated").join(file)).unwrap();
        if text.lines().any(|l| l.trim() == "mod support;") {
            assert!(
                files.contains("tests/support/mod.rs"),
                "{file} needs tests/support/mod.rs, which is not packaged"
            );
        }
    }
    assert!(
        !stderr.contains("warning: manifest has no"),
        "cargo package warns about the manifest:\n{stderr}"
    );
}
