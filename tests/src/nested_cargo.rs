//! Cargo runs over crates the tests generate outside the workspace. Shared by the tests crate
//! (`authlete_tests::nested_cargo`) and the generator's own integration tests (included by path
//! from `generator/tests/common`), so it uses nothing but std.
//!
//! Every generated crate is a package `authlete` 0.1.0. Checked one by one, each in a workspace
//! of its own, they were the largest part of `make test`'s time: a cargo start, a resolve and a
//! sequential check per crate. [`clippy_crates`] checks any number of them in one cargo run, as
//! members of one workspace, so cargo resolves once and spreads the crates over the cores.
//!
//! The package names also keep runs apart in the shared target directory: cargo names a
//! library's file after a hash of its package (name, version, and path from the workspace root),
//! so two crates' doctests, which link the library after cargo's own lock has ended, each link
//! their own, even in tests running side by side.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The target directory of every nested run (the workspace's own is locked by the test run).
/// Dependencies are built once for all of them: the same lock, the same features.
pub fn target_dir(repo: &Path) -> PathBuf {
    repo.join("target/nested-check")
}

/// `cargo clippy --all-targets` of the generated crates under `workspace`, in one run, with the
/// repository's Cargo.lock (the same dependency versions). Each crate becomes a member with a
/// package name of its own (`case-<its path under workspace>`) while its library keeps the name
/// `authlete`, which its tests, examples and doctests use. Returns the compiler output when any
/// crate fails or warns; the output's paths start with the crate's directory, which names it.
pub fn clippy_crates(repo: &Path, workspace: &Path, crates: &[PathBuf]) -> Result<(), String> {
    if crates.is_empty() {
        return Ok(());
    }
    let mut members = Vec::new();
    for dir in crates {
        let member = dir
            .strip_prefix(workspace)
            .map_err(|_| format!("{} is not under {}", dir.display(), workspace.display()))?
            .to_string_lossy()
            .replace('\\', "/");
        rename_package(dir, &package_name(&member))?;
        members.push(format!("{member:?}"));
    }
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!(
            // no debug info: the doctests build the crates and their dependencies, and nothing
            // here is debugged
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
            members.join(", ")
        ),
    )
    .map_err(|e| format!("cannot write the workspace manifest: {e}"))?;
    std::fs::copy(repo.join("Cargo.lock"), workspace.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    let output = Command::new(env!("CARGO"))
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            // every crate's problems in one report, not only the first failing crate's
            "--keep-going",
            "--message-format",
            "short",
            "--quiet",
        ])
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target_dir(repo))
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let problems = stderr
        .lines()
        .any(|l| l.contains("warning") || l.contains("error"));
    if !output.status.success() || problems {
        return Err(format!(
            "cargo clippy of {} crate(s) under {} failed:\n{stderr}",
            crates.len(),
            workspace.display()
        ));
    }
    Ok(())
}

/// A package name from a member's path: `big/crate` → `case-big-crate`.
fn package_name(member: &str) -> String {
    let name: String = member
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("case-{name}")
}

/// Gives the generated crate at `dir` the package name `name`, keeping its library's name.
fn rename_package(dir: &Path, name: &str) -> Result<(), String> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|e| format!("cannot read {}: {e}", manifest.display()))?;
    let original = "\nname = \"authlete\"\n";
    if !text.contains(original) {
        return Err(format!(
            "{}: no `name = \"authlete\"` line to rename",
            manifest.display()
        ));
    }
    let renamed = text.replacen(original, &format!("\nname = \"{name}\"\n"), 1)
        + "\n[lib]\nname = \"authlete\"\n";
    std::fs::write(&manifest, renamed)
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))
}
