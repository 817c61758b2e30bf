//! Shared helpers of the integration tests in `tests/tests/`.

pub mod nested_cargo;

use authlete_codegen::Inputs;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The pinned document. A plain `cargo test` on a fresh clone finds it in the shared mirror and
/// puts it in place, as `make spec` would; otherwise the panic names `make spec`.
pub fn pinned_spec() -> PathBuf {
    authlete_codegen::spec::materialize(&repo_root()).unwrap_or_else(|e| panic!("{e}"))
}

/// The release before the pinned one, from the shared mirror.
pub fn previous_spec() -> PathBuf {
    let path = repo_root().join("../shared/spec/authlete-openapi-3.0.16-2026-01-10.yaml");
    assert!(
        path.exists(),
        "{} is missing: the shared spec mirror must sit beside the repository",
        path.display()
    );
    path
}

/// Inputs for the pinned document with the project's overlay (strict about unmatched actions).
pub fn pinned_inputs() -> Inputs {
    let root = repo_root();
    Inputs {
        spec: pinned_spec(),
        overlay: root.join("spec/overlay.yaml"),
        pinned_sha256: Some(
            authlete_codegen::read_pinned_sha256(&root.join("spec/pin.toml"))
                .expect("spec/pin.toml"),
        ),
        crate_files: Some(root.join("spec/crate")),
    }
}

pub fn fixtures_dir() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// Inputs of a fixture case: its spec and its overlay (or the empty one).
pub fn fixture_inputs(case: &str) -> Inputs {
    let dir = fixtures_dir().join(case);
    let overlay = dir.join("overlay.yaml");
    Inputs {
        spec: dir.join("spec.yaml"),
        overlay: if overlay.exists() {
            overlay
        } else {
            fixtures_dir().join("empty-overlay.yaml")
        },
        pinned_sha256: None,
        crate_files: None,
    }
}

/// `cargo clippy --all-targets` of generated crates under `workspace`, in one cargo run, with
/// no warning allowed (see [`nested_cargo::clippy_crates`]).
pub fn clippy_crates(workspace: &Path, crates: &[PathBuf]) -> Result<(), String> {
    nested_cargo::clippy_crates(&repo_root(), workspace, crates)
}
