//! `authlete-codegen diff` on the two releases in ../shared/spec: the SDK surface changes between
//! them, each marked breaking or not, as Markdown and JSON.

use authlete_codegen::report::{Bump, Changelog, EntryKind};
use authlete_codegen::Inputs;
use authlete_tests::{pinned_inputs, previous_spec};

fn changelog() -> Changelog {
    let new = pinned_inputs();
    let old = Inputs {
        spec: previous_spec(),
        crate_files: None,
        ..new.clone()
    };
    authlete_codegen::diff(
        &old,
        &Inputs {
            crate_files: None,
            ..new
        },
    )
    .unwrap()
}

fn find<'a>(
    log: &'a Changelog,
    kind: EntryKind,
    item: &str,
) -> Vec<&'a authlete_codegen::report::Entry> {
    log.entries
        .iter()
        .filter(|e| e.kind == kind && e.item == item)
        .collect()
}

#[test]
fn new_operations_are_reported_as_additions() {
    let log = changelog();
    for item in [
        "client.token().management().create_batch()",
        "client.token().management().get_batch_status()",
        "client.client_management().list_authorized_applications_by_subject()",
        "client.client_management().delete_authorization_by_subject()",
        "client.client_management().get_granted_scopes_by_subject()",
        "client.client_management().delete_granted_scopes_by_subject()",
        "client.client_management().list_authorized_applications_post()",
        "client.client_management().delete_authorization_post()",
        "client.client_management().get_granted_scopes_post()",
        "client.lifecycle().healthcheck()",
    ] {
        let added = find(&log, EntryKind::MethodAdded, item);
        assert_eq!(added.len(), 1, "{item} not reported as added");
        assert!(!added[0].breaking);
    }
    assert_eq!(
        find(
            &log,
            EntryKind::TypeAdded,
            "models::TokenCreateBatchResponse"
        )
        .len(),
        1
    );
}

#[test]
fn the_moved_delete_authorization_endpoint_is_breaking() {
    let log = changelog();
    let changes = find(
        &log,
        EntryKind::MethodChanged,
        "client.client_management().delete_authorization()",
    );
    let endpoint = changes
        .iter()
        .find(|e| e.detail.starts_with("endpoint changed"))
        .expect("path change reported");
    assert!(endpoint.breaking);
    assert!(endpoint.detail.contains("/delete/{clientId}/{subject}` → `DELETE /api/{serviceId}/client/authorization/delete/{clientId}`"), "{}", endpoint.detail);
    assert!(changes
        .iter()
        .any(|e| e.detail == "parameter `subject` moved from the path to the query"));
}

#[test]
fn field_and_variant_changes_follow_semver() {
    let log = changelog();
    let removed = find(
        &log,
        EntryKind::FieldRemoved,
        "models::AuthorizationResponse::metadata_document_location",
    );
    assert!(removed.len() == 1 && removed[0].breaking);
    let retyped = find(&log, EntryKind::FieldChanged, "models::TokenInfo::scopes");
    assert!(
        retyped.len() == 1
            && retyped[0].breaking
            && retyped[0].detail.contains("Option<Vec<Scope>>")
    );
    let added = find(
        &log,
        EntryKind::FieldAdded,
        "models::TokenResponse::additional_claims",
    );
    assert!(
        added.len() == 1 && !added[0].breaking,
        "a new optional field of a #[non_exhaustive] struct is not breaking"
    );
    let variant = find(
        &log,
        EntryKind::VariantAdded,
        "models::TokenResponseAction::NativeSso",
    );
    assert!(
        variant.len() == 1 && !variant[0].breaking,
        "enums are #[non_exhaustive] and open"
    );
    assert_eq!(
        log.bump,
        Bump::Minor,
        "breaking changes below 1.0 bump the minor version"
    );
    assert_eq!(
        (log.current_version.as_str(), log.next_version.as_str()),
        ("0.1.0", "0.2.0")
    );
}

#[test]
fn markdown_and_json_carry_the_same_entries() {
    let log = changelog();
    let markdown = log.to_markdown();
    // The heading names the new document by its version and the pin's sha256 (a prefix).
    let pinned =
        authlete_codegen::read_pinned_sha256(&authlete_tests::repo_root().join("spec/pin.toml"))
            .unwrap();
    assert_eq!(log.new_sha256, pinned);
    let heading = format!(
        "## authlete {} (Authlete API {}, spec sha256 {})",
        log.next_version,
        log.new_api_version,
        &pinned[..12]
    );
    assert!(markdown.starts_with(&heading), "{heading}\n{markdown}");
    assert!(markdown.contains("### Breaking changes") && markdown.contains("### Added"));
    assert_eq!(markdown.matches("\n- ").count(), log.entries.len());
    let json: serde_json::Value = serde_json::from_str(&log.to_json()).unwrap();
    assert_eq!(json["entries"].as_array().unwrap().len(), log.entries.len());
    // entry by entry: what tools read is what the changelog says
    for entry in json["entries"].as_array().unwrap() {
        let line = format!(
            "`{}` — {}\n",
            entry["item"].as_str().unwrap(),
            entry["detail"].as_str().unwrap()
        );
        assert!(markdown.contains(&line), "not in the Markdown: {line}");
    }
    assert_eq!(json["next_version"], log.next_version);
    assert!(markdown.contains(&format!("→ {})", log.next_version)));
    assert_eq!(json["bump"], "minor");
    assert_eq!(
        json["old_sha256"],
        "6b06198e141364c694ce67684c849fa2ed0f65a108f2989acc95a1b679b18ab6"
    );
}

#[test]
fn the_same_document_has_no_changes() {
    let inputs = Inputs {
        crate_files: None,
        ..pinned_inputs()
    };
    let log = authlete_codegen::diff(&inputs, &inputs).unwrap();
    assert!(log.entries.is_empty());
    assert_eq!(log.bump, Bump::None);
    assert!(log.to_markdown().contains("No change to the SDK surface."));
}

/// The maintainer's updates replayed over the five consecutive upstream revisions in
/// ../shared/spec, oldest first, each step counting from the version the previous step
/// suggested: every step moves the version (a new document is at least a patch), the step that
/// declares 404 on four operations reports each as a behaviour change, and a changed type names
/// the methods it affects.
#[test]
fn replaying_the_upstream_revisions_reports_every_step() {
    let shared = authlete_tests::repo_root().join("../shared/spec");
    let revisions: Vec<std::path::PathBuf> = [
        "authlete-openapi-3.0.16-2025-12-18.yaml",
        "authlete-openapi-3.0.16-2026-01-06.yaml",
        "authlete-openapi-3.0.16-2026-01-10.yaml",
        "authlete-openapi-3.0.16-2026-01-15.yaml",
        "authlete-openapi-3.0.16.yaml",
    ]
    .iter()
    .map(|name| shared.join(name))
    .collect();
    for revision in &revisions {
        assert!(revision.exists(), "{} is missing", revision.display());
    }
    let inputs = |spec: &std::path::Path| Inputs {
        spec: spec.to_path_buf(),
        crate_files: None,
        pinned_sha256: None,
        ..pinned_inputs()
    };
    let mut version = "0.1.0".to_string();
    let mut logs = Vec::new();
    for pair in revisions.windows(2) {
        let log =
            authlete_codegen::diff_from_version(&inputs(&pair[0]), &inputs(&pair[1]), &version)
                .unwrap();
        assert_ne!(
            log.next_version,
            version,
            "{} → {}: a new document must move the version",
            pair[0].display(),
            pair[1].display()
        );
        assert_ne!(log.bump, Bump::None);
        version = log.next_version.clone();
        logs.push(log);
    }
    // 0.1.0 → 0.1.1 (no surface change) → 0.2.0 → 0.3.0 → 0.4.0 (each with a breaking change)
    let versions: Vec<&str> = logs.iter().map(|l| l.next_version.as_str()).collect();
    assert_eq!(versions, ["0.1.1", "0.2.0", "0.3.0", "0.4.0"]);

    let declared: Vec<&str> = logs[2]
        .entries
        .iter()
        .filter(|e| {
            e.kind == EntryKind::MethodChanged && e.detail.starts_with("declares status 404")
        })
        .map(|e| e.item.as_str())
        .collect();
    assert_eq!(
        declared,
        [
            "client.client_management().update_authorization()",
            "client.clients().delete()",
            "client.clients().update()",
            "client.token().management().revoke()",
        ]
    );
    let scopes = find(
        &logs[2],
        EntryKind::FieldChanged,
        "models::TokenInfo::scopes",
    );
    assert_eq!(scopes.len(), 1);
    assert!(
        scopes[0]
            .detail
            .ends_with("affects `client.token().process_request()`"),
        "{}",
        scopes[0].detail
    );
}

/// An edit of the overlay alone (a method renamed, one moved to another group) is a change of
/// the SDK surface: with the committed overlay on the old side (`--old-overlay`), the
/// changelog reports it and the version moves.
#[test]
fn overlay_renames_reach_the_changelog() {
    let pinned = pinned_inputs();
    let mut overlay: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&pinned.overlay).unwrap()).unwrap();
    let renames: serde_yaml::Value = serde_yaml::from_str(
        r#"
- target: "$.paths[*][?@.operationId == 'auth_introspection_api']"
  update: {x-rust-name: introspect}
- target: "$.paths[*][?@.operationId == 'auth_introspection_standard_api']"
  update: {x-rust-group: token, x-rust-name: introspect_standard}
"#,
    )
    .unwrap();
    overlay["actions"]
        .as_sequence_mut()
        .unwrap()
        .extend(renames.as_sequence().unwrap().iter().cloned());
    let dir = tempfile::tempdir().unwrap();
    let edited = dir.path().join("overlay.yaml");
    std::fs::write(&edited, serde_yaml::to_string(&overlay).unwrap()).unwrap();
    let old = Inputs {
        crate_files: None,
        ..pinned.clone()
    };
    let new = Inputs {
        overlay: edited,
        crate_files: None,
        ..pinned
    };
    let log = authlete_codegen::diff_from_version(&old, &new, "0.4.2").unwrap();
    for (kind, item) in [
        (
            EntryKind::MethodRemoved,
            "client.introspection().process_request()",
        ),
        (
            EntryKind::MethodAdded,
            "client.introspection().introspect()",
        ),
        (
            EntryKind::MethodRemoved,
            "client.introspection().standard_process()",
        ),
        (
            EntryKind::MethodAdded,
            "client.token().introspect_standard()",
        ),
    ] {
        assert_eq!(
            find(&log, kind, item).len(),
            1,
            "{kind:?} {item}:\n{}",
            log.to_markdown()
        );
    }
    assert_eq!(log.next_version, "0.5.0");
}
