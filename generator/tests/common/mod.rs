//! Helpers shared by the binary's integration tests.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};

/// The cargo runs over generated crates, shared with the tests crate (std only, so it is
/// included by path rather than depended on).
#[path = "../../../tests/src/nested_cargo.rs"]
pub mod nested_cargo;

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The pinned document, put in place from the shared mirror if `make spec` has not run.
pub fn pinned_spec() -> PathBuf {
    authlete_codegen::spec::materialize(&repo()).unwrap_or_else(|e| panic!("{e}"))
}

/// Every file under `dir` with its bytes, by path: two snapshots are equal exactly when the
/// trees are byte-identical.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    authlete_codegen::write::read_tree_bytes(dir).unwrap_or_else(|e| panic!("{e}"))
}
