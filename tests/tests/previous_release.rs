//! The same generator and overlay on the release before the pinned one
//! (`../shared/spec/authlete-openapi-3.0.16-2026-01-10.yaml`): overlay actions for operations it
//! does not have are warnings (not errors), and the crate compiles with no warnings.

use authlete_tests::{clippy_crates, previous_spec, repo_root};

#[test]
fn previous_release_generates_a_compiling_crate() {
    let inputs = authlete_codegen::Inputs {
        spec: previous_spec(),
        overlay: repo_root().join("spec/overlay.yaml"),
        pinned_sha256: Some(
            authlete_codegen::read_pinned_sha256(&repo_root().join("spec/pin.toml")).unwrap(),
        ),
        crate_files: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("authlete-previous");
    let built = authlete_codegen::generate(&inputs, &out).unwrap();
    let count = |api: &authlete_codegen::ir::Api| -> usize {
        api.groups.values().map(|g| g.operations.len()).sum()
    };
    let operations = count(&built.api);
    let pinned = count(
        &authlete_codegen::build_ir(&authlete_tests::pinned_inputs())
            .unwrap()
            .api,
    );
    assert!(
        operations > 0 && operations < pinned,
        "{operations} operations in the previous release, {pinned} in the pinned one"
    );
    assert!(
        built
            .warnings
            .iter()
            .any(|w| w.contains("matches nothing") && w.contains("only a warning")),
        "overlay actions for newer operations should warn: {:#?}",
        built.warnings
    );
    clippy_crates(dir.path(), &[out]).unwrap_or_else(|e| panic!("{e}"));
}
