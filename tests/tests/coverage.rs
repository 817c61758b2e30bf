//! The whole pinned document is in the crate: every operation and every component schema of the
//! document, counted from the raw YAML (not from our IR), has its item in the committed
//! `generated/` tree.

use authlete_tests::{pinned_inputs, pinned_spec, repo_root};
use std::collections::BTreeSet;

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch"];

fn raw_document() -> serde_yaml::Value {
    serde_yaml::from_str(&std::fs::read_to_string(pinned_spec()).unwrap()).unwrap()
}

#[test]
fn every_operation_has_a_method_in_the_generated_crate() {
    let doc = raw_document();
    let mut in_document = BTreeSet::new();
    for (path, item) in doc["paths"].as_mapping().unwrap() {
        for method in METHODS {
            if item.get(*method).is_some() {
                in_document.insert((method.to_uppercase(), path.as_str().unwrap().to_string()));
            }
        }
    }
    assert!(
        !in_document.is_empty(),
        "no operation read from the document"
    );

    let api = authlete_codegen::build_ir(&pinned_inputs()).unwrap().api;
    let mut in_ir = BTreeSet::new();
    let mut missing = Vec::new();
    for group in api.groups.values() {
        let file = repo_root().join(format!("generated/src/emitted/api/{}.rs", group.module));
        let text =
            std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for op in &group.operations {
            in_ir.insert((op.method.as_str().to_string(), op.path.clone()));
            let signature = format!("pub fn {}(", op.name);
            let builder = format!("pub struct {} {{", op.builder);
            if !text.contains(&signature) || !text.contains(&builder) {
                missing.push(format!(
                    "{} {} ({}::{})",
                    op.method.as_str(),
                    op.path,
                    group.module,
                    op.name
                ));
            }
        }
    }
    assert_eq!(
        in_ir, in_document,
        "operations in the IR differ from the document"
    );
    assert!(
        missing.is_empty(),
        "operations without a method in generated/: {missing:#?}"
    );
}

#[test]
fn every_component_schema_has_a_type_in_the_generated_crate() {
    let doc = raw_document();
    let keys: Vec<String> = doc["components"]["schemas"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert!(
        !keys.is_empty(),
        "no component schema read from the document"
    );

    let api = authlete_codegen::build_ir(&pinned_inputs()).unwrap().api;
    let mut missing = Vec::new();
    for key in &keys {
        let source = format!("#/components/schemas/{key}");
        let Some(def) = api.types.values().find(|t| t.source == source) else {
            missing.push(format!("{key}: no type in the IR"));
            continue;
        };
        let file = repo_root().join(format!("generated/src/emitted/models/{}.rs", def.module));
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let declared = ["struct", "enum", "type"].iter().any(|kw| {
            text.contains(&format!("pub {kw} {} ", def.name))
                || text.contains(&format!("pub {kw} {}<", def.name))
        });
        if !declared {
            missing.push(format!(
                "{key}: `{}` not declared in {}",
                def.name,
                file.display()
            ));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn dual_body_operations_offer_the_form_encoding() {
    let doc = raw_document();
    let mut dual = BTreeSet::new();
    for (path, item) in doc["paths"].as_mapping().unwrap() {
        for method in METHODS {
            let content = &item[*method]["requestBody"]["content"];
            if content.get("application/json").is_some()
                && content.get("application/x-www-form-urlencoded").is_some()
            {
                dual.insert((method.to_uppercase(), path.as_str().unwrap().to_string()));
            }
        }
    }
    assert_eq!(
        dual.len(),
        44,
        "the pinned document has 44 operations with JSON and form bodies"
    );
    let api = authlete_codegen::build_ir(&pinned_inputs()).unwrap().api;
    let with_form: BTreeSet<_> = api
        .groups
        .values()
        .flat_map(|g| g.operations.iter())
        .filter(|op| {
            op.body
                .as_ref()
                .is_some_and(|b| b.encoding == authlete_codegen::ir::BodyEncoding::JsonOrForm)
        })
        .map(|op| (op.method.as_str().to_string(), op.path.clone()))
        .collect();
    assert_eq!(with_form, dual);
}

/// The per-operation examples (rustdoc and docs/*.md) build request bodies with the SDK's types
/// wherever the document's example allows; each fallback to JSON has a reason that no typed
/// form exists (a free-form member, a map, a member the schema lacks, a null where a value is
/// required).
#[test]
fn examples_build_bodies_with_typed_values_where_the_example_allows() {
    use authlete_codegen::emit::usage::{body_example, BodyExample};
    let api = authlete_codegen::build_ir(&pinned_inputs()).unwrap().api;
    let (mut typed, mut fallbacks) = (0, Vec::new());
    for op in api.groups.values().flat_map(|g| g.operations.iter()) {
        match body_example(&api, op) {
            BodyExample::None => {}
            BodyExample::Typed(_) => typed += 1,
            BodyExample::Json { reason, .. } => {
                fallbacks.push(format!("{}: {reason}", op.operation_id))
            }
        }
    }
    eprintln!(
        "examples: {typed} bodies typed, {} as JSON",
        fallbacks.len()
    );
    for fallback in &fallbacks {
        eprintln!("  {fallback}");
    }
    let allowed = [
        "a free-form JSON value",
        "a map",
        "is not a field of",
        "missing or null",
        "null where",
    ];
    let unexplained: Vec<&String> = fallbacks
        .iter()
        .filter(|f| !allowed.iter().any(|a| f.contains(a)))
        .collect();
    assert!(
        unexplained.is_empty(),
        "bodies shown as JSON without a reason that rules out a typed form: {unexplained:#?}"
    );
    assert!(
        typed > fallbacks.len(),
        "most examples must be typed: {typed} typed, {} JSON",
        fallbacks.len()
    );
}
