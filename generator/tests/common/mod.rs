//! Helpers shared by the binary's integration tests.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};

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

/// Every file under `dir` with its bytes, sorted by path: two snapshots are equal exactly when
/// the trees are byte-identical.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                ));
            }
        }
    }
    files.sort();
    files
}
