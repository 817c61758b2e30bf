//! The drift check: `generated/` is exactly what the generator makes from the pinned document,
//! and a one-character edit or a stray file is caught with a diff.

use authlete_tests::{pinned_inputs, repo_root};
use std::path::Path;

fn copy_tree(from: &Path, to: &Path) {
    for (path, bytes) in authlete_codegen::write::read_tree_bytes(from).unwrap() {
        let target = to.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}

#[test]
fn committed_crate_is_up_to_date() {
    let (_, drift) =
        authlete_codegen::check(&pinned_inputs(), &repo_root().join("generated")).unwrap();
    assert!(
        drift.is_clean(),
        "generated/ is out of date; run `make generate`:\n{}",
        drift.diff
    );
}

#[test]
fn a_one_character_edit_is_drift_with_a_diff() {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("generated"), copy.path());
    let file = copy.path().join("src/emitted/models/service.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("pub struct Service {", "pub struct Servic {", 1),
    )
    .unwrap();

    let (_, drift) = authlete_codegen::check(&pinned_inputs(), copy.path()).unwrap();
    assert_eq!(
        drift.changed,
        vec!["src/emitted/models/service.rs".to_string()]
    );
    assert!(
        drift.diff.contains("--- a/src/emitted/models/service.rs"),
        "{}",
        drift.diff
    );
    assert!(
        drift.diff.contains("-pub struct Servic {") && drift.diff.contains("+pub struct Service {"),
        "{}",
        drift.diff
    );
}

#[test]
fn a_stray_file_is_drift() {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("generated"), copy.path());
    std::fs::write(
        copy.path().join("src/emitted/models/stray.rs"),
        "// not generated\n",
    )
    .unwrap();
    let (_, drift) = authlete_codegen::check(&pinned_inputs(), copy.path()).unwrap();
    assert_eq!(drift.stale, vec!["src/emitted/models/stray.rs".to_string()]);
    assert!(!drift.is_clean());
}

#[test]
fn a_deleted_file_is_drift() {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&repo_root().join("generated"), copy.path());
    std::fs::remove_file(copy.path().join("src/runtime/form.rs")).unwrap();
    let (_, drift) = authlete_codegen::check(&pinned_inputs(), copy.path()).unwrap();
    assert_eq!(drift.missing, vec!["src/runtime/form.rs".to_string()]);
}
