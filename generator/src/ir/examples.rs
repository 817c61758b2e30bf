//! Examples: every JSON example of the document with the type it must decode into (for the
//! round-trip test), and a value for every parameter and body of every operation (for the
//! conformance test against a mock server): the document's example, else one made from the type.

use super::{Example, Group, ResponseKind, TypeDef, TypeKind, TypeRef};
use crate::error::pointer;
use openapiv3::{MediaType, OpenAPI, ReferenceOr, Response, StatusCode};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Gives every parameter and body without an example one: a parameter takes the example that
/// another parameter of the same name and type has in the document (`serviceId` is
/// `715948317` everywhere once one operation says so), else one made from its type.
pub fn fill_call_examples(groups: &mut BTreeMap<String, Group>, types: &BTreeMap<String, TypeDef>) {
    let mut documented: BTreeMap<(String, TypeRef), Value> = BTreeMap::new();
    for param in groups
        .values()
        .flat_map(|g| g.operations.iter())
        .flat_map(|op| op.params.iter())
    {
        if !param.example.is_null() {
            documented
                .entry((param.wire.clone(), param.ty.clone()))
                .or_insert_with(|| param.example.clone());
        }
    }
    for op in groups.values_mut().flat_map(|g| g.operations.iter_mut()) {
        for param in &mut op.params {
            if param.example.is_null() {
                param.example = match documented.get(&(param.wire.clone(), param.ty.clone())) {
                    Some(example) => example.clone(),
                    None => synthesize(&param.ty, types, 0),
                };
            }
        }
        if let Some(body) = &mut op.body {
            if body.example.is_null() {
                body.example = synthesize(&body.ty, types, 0);
            }
        }
    }
}

/// The smallest value of a type: required fields only, first enum value.
fn synthesize(ty: &TypeRef, types: &BTreeMap<String, TypeDef>, depth: usize) -> Value {
    if depth > 16 {
        return Value::Null;
    }
    match ty {
        TypeRef::Named(name) => match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) => {
                let mut object: Map<String, Value> = fields
                    .iter()
                    .filter(|f| f.presence.required())
                    .map(|f| (f.wire.clone(), synthesize(&f.ty, types, depth + 1)))
                    .collect();
                // An object with no required field would be an empty form body, which is no
                // body at all: give it its first string field.
                if object.is_empty() {
                    if let Some(field) = fields.iter().find(|f| f.ty == TypeRef::String) {
                        object.insert(field.wire.clone(), json!("example"));
                    }
                }
                Value::Object(object)
            }
            Some(TypeKind::Enum { variants }) => variants
                .first()
                .map(|v| json!(v.wire))
                .unwrap_or(Value::Null),
            Some(TypeKind::Alias(inner)) => synthesize(inner, types, depth + 1),
            None => Value::Null,
        },
        TypeRef::I32 | TypeRef::I64 | TypeRef::U64 => json!(1),
        TypeRef::F64 => json!(1.5),
        TypeRef::Bool => json!(true),
        TypeRef::String => json!("example"),
        TypeRef::List(_) => json!([]),
        TypeRef::Map(_) | TypeRef::Json => json!({}),
    }
}

/// Every example in the document that has a type: request bodies, responses (success and
/// error, shared responses once), component schemas.
pub fn collect(
    doc: &OpenAPI,
    groups: &BTreeMap<String, Group>,
    types: &BTreeMap<String, TypeDef>,
) -> BTreeMap<String, Example> {
    let mut out = BTreeMap::new();
    let by_source: BTreeMap<&str, &TypeDef> =
        types.values().map(|t| (t.source.as_str(), t)).collect();
    for op in groups.values().flat_map(|g| g.operations.iter()) {
        let Some(ReferenceOr::Item(item)) = doc.paths.paths.get(&op.path) else {
            continue;
        };
        let operation = match op.method {
            super::HttpMethod::Get => &item.get,
            super::HttpMethod::Put => &item.put,
            super::HttpMethod::Post => &item.post,
            super::HttpMethod::Delete => &item.delete,
            super::HttpMethod::Patch => &item.patch,
        };
        let Some(operation) = operation else { continue };
        if let (Some(body), Some(ReferenceOr::Item(request))) = (&op.body, &operation.request_body)
        {
            for (media, content) in &request.content {
                let at = pointer(&op.source, &["requestBody", "content", media]);
                add_media(&mut out, &at, content, &body.ty);
            }
        }
        let success = match &op.response {
            ResponseKind::Json(ty) | ResponseKind::JsonOrEmpty(ty) => Some(ty.clone()),
            _ => None,
        };
        for (status, response) in &operation.responses.responses {
            let is_success = matches!(status, StatusCode::Code(c) if (200..300).contains(c));
            let here = pointer(&op.source, &["responses", &status.to_string()]);
            // Lowering resolved every response already; one that did not resolve has no
            // examples to collect.
            let Ok((response, at)) = super::resolve::response(doc, response, &here) else {
                continue;
            };
            let ty = if is_success {
                success.clone()
            } else {
                error_type(response, &by_source)
            };
            let Some(ty) = ty else { continue };
            for (media, content) in response
                .content
                .iter()
                .filter(|(m, _)| m.as_str() == "application/json")
            {
                add_media(&mut out, &pointer(&at, &["content", media]), content, &ty);
            }
        }
    }
    if let Some(components) = &doc.components {
        for (key, schema) in &components.schemas {
            let at = pointer("#/components/schemas", &[key]);
            if let (ReferenceOr::Item(schema), Some(def)) = (schema, by_source.get(at.as_str())) {
                if let Some(example) = &schema.schema_data.example {
                    out.insert(
                        pointer(&at, &["example"]),
                        Example {
                            ty: TypeRef::Named(def.name.to_string()),
                            value: example.clone(),
                        },
                    );
                }
            }
        }
    }
    out
}

/// The type of an error response: only a `$ref` to a component schema (an inline error schema
/// has no type of its own in the SDK).
fn error_type(response: &Response, by_source: &BTreeMap<&str, &TypeDef>) -> Option<TypeRef> {
    let content = response.content.get("application/json")?;
    let ReferenceOr::Reference { reference } = content.schema.as_ref()? else {
        return None;
    };
    let key = super::resolve::component_key(reference, super::resolve::SCHEMAS)?;
    let def = by_source.get(pointer("#/components/schemas", &[&key]).as_str())?;
    Some(TypeRef::Named(def.name.to_string()))
}

fn add_media(out: &mut BTreeMap<String, Example>, at: &str, content: &MediaType, ty: &TypeRef) {
    if let Some(value) = &content.example {
        out.insert(
            pointer(at, &["example"]),
            Example {
                ty: ty.clone(),
                value: value.clone(),
            },
        );
    }
    for (name, example) in &content.examples {
        if let ReferenceOr::Item(example) = example {
            if let Some(value) = &example.value {
                out.insert(
                    pointer(at, &["examples", name, "value"]),
                    Example {
                        ty: ty.clone(),
                        value: value.clone(),
                    },
                );
            }
        }
    }
}
