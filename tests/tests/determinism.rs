//! Same input, same bytes; and names that do not move when the document grows.

use authlete_tests::pinned_inputs;
use std::collections::BTreeMap;

#[test]
fn two_runs_give_identical_bytes() {
    let inputs = pinned_inputs();
    let first =
        authlete_codegen::render(&authlete_codegen::build_ir(&inputs).unwrap().api).unwrap();
    let second =
        authlete_codegen::render(&authlete_codegen::build_ir(&inputs).unwrap().api).unwrap();
    assert_eq!(first.len(), second.len());
    for (path, text) in &first {
        assert!(
            second.get(path) == Some(text),
            "{path} differs between two runs"
        );
    }
}

/// Every Rust name in the IR (types, fields, variants, groups, methods), keyed by where it came from.
fn names(api: &authlete_codegen::ir::Api) -> BTreeMap<String, String> {
    use authlete_codegen::ir::TypeKind;
    let mut out = BTreeMap::new();
    for def in api.types.values() {
        out.insert(def.source.clone(), def.name.to_string());
        match &def.kind {
            TypeKind::Struct { fields, .. } => {
                for f in fields {
                    out.insert(f.source.clone(), f.name.to_string());
                }
            }
            TypeKind::Enum { variants } => {
                for v in variants {
                    out.insert(format!("{}#{}", def.source, v.wire), v.name.to_string());
                }
            }
            TypeKind::Alias(_) => {}
        }
    }
    for group in api.groups.values() {
        for op in &group.operations {
            out.insert(op.source.clone(), format!("{}::{}", group.module, op.name));
        }
    }
    out
}

#[test]
fn adding_schemas_and_operations_renames_nothing() {
    let inputs = pinned_inputs();
    let before = names(&authlete_codegen::build_ir(&inputs).unwrap().api);

    // The same document with a new schema (with an inline enum) and a new operation added.
    let mut doc: serde_json::Value =
        serde_yaml::from_str(&std::fs::read_to_string(&inputs.spec).unwrap()).unwrap();
    doc["components"]["schemas"]["client_extra"] = serde_json::json!({
        "type": "object",
        "properties": {"action": {"type": "string", "enum": ["OK", "UNKNOWN"]}, "client": {"$ref": "#/components/schemas/client"}}
    });
    doc["paths"]["/api/{serviceId}/client/extra"] = serde_json::json!({"get": {
        "operationId": "client_extra_api", "tags": ["Client Management"],
        "parameters": [{"in": "path", "name": "serviceId", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/client_extra"}}}}}
    }});
    let dir = tempfile::tempdir().unwrap();
    let grown = dir.path().join("grown.json");
    std::fs::write(&grown, serde_json::to_vec(&doc).unwrap()).unwrap();
    let mut grown_inputs = inputs.clone();
    grown_inputs.spec = grown;
    let after_api = authlete_codegen::build_ir(&grown_inputs).unwrap().api;
    let after = names(&after_api);

    for (source, name) in &before {
        assert_eq!(after.get(source), Some(name), "{source} was renamed");
    }
    // The new struct, its two fields, its inline enum's two variants (the enum type shares its
    // field's pointer) and the new operation.
    assert_eq!(after.len(), before.len() + 6);
    assert!(after_api.types.contains_key("ClientExtraAction"));
}
