//! Stage 2½: schema constructs the typed model (openapiv3) would drop silently, rewritten into
//! equivalent ones it reads. Runs on the overlaid JSON, before parsing:
//!
//! - `{$ref: X, nullable: true, description: …}`: OpenAPI 3.0 says siblings of `$ref` are
//!   ignored, but documents (Authlete's among them) mean them, and openapiv3 drops them. They
//!   become `{allOf: [{$ref: X}], nullable: true, description: …}`, which the IR reads as "X"
//!   with the wrapper's presence and docs.
//! - `{allOf: […], properties: …, required: …}` (with or without `type: object`): openapiv3 keeps
//!   either the `type` or the `allOf` and loses the rest. The sibling properties become one more
//!   `allOf` member, so everything is merged.
//!
//! - A response without `description` (OpenAPI 3.0 requires one; older Authlete documents
//!   omit it): its meaning is unambiguous, so it gets an empty one and a warning, instead of a
//!   parse error that stops at the first of them.
//!
//! Only schema positions are visited (a `$ref` with siblings elsewhere, such as a parameter
//! reference, is left alone), iteratively, so a deep document cannot overflow the stack.

use serde_json::{Map, Value};

/// Keywords that may stand beside a `$ref` and carry meaning for the SDK.
const REF_SIBLINGS: &[&str] = &[
    "nullable",
    "description",
    "readOnly",
    "writeOnly",
    "deprecated",
    "x-sensitive",
    "example",
];

/// Keywords of an object schema that belong in their own `allOf` member.
const OBJECT_KEYWORDS: &[&str] = &["properties", "required", "additionalProperties"];

/// Rewrites every schema of the document; returns how many nodes changed.
pub fn schemas(document: &mut Value) -> usize {
    let mut stack: Vec<&mut Value> = Vec::new();
    push_roots(document, &mut stack);
    let mut changed = 0;
    while let Some(node) = stack.pop() {
        let Value::Object(schema) = node else {
            continue;
        };
        changed += usize::from(wrap_ref_with_siblings(schema))
            + usize::from(fold_all_of_siblings(schema))
            + usize::from(keep_alternatives_visible(schema));
        push_children(schema, &mut stack);
    }
    changed
}

/// Gives every response without a `description` an empty one; returns a warning for each.
pub fn response_descriptions(document: &mut Value) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut fill = |response: &mut Value, at: String| {
        if let Value::Object(response) = response {
            if !response.contains_key("description") && !response.contains_key("$ref") {
                response.insert("description".into(), Value::String(String::new()));
                warnings.push(format!("{at}: a response without `description` (OpenAPI 3.0 requires one); accepted with an empty one"));
            }
        }
    };
    if let Some(Value::Object(responses)) = document.pointer_mut("/components/responses") {
        for (name, response) in responses.iter_mut() {
            fill(
                response,
                crate::error::pointer("#/components/responses", &[name]),
            );
        }
    }
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            for (method, operation) in item.iter_mut() {
                let Some(Value::Object(responses)) = operation.get_mut("responses") else {
                    continue;
                };
                for (status, response) in responses.iter_mut() {
                    fill(
                        response,
                        crate::error::pointer("#/paths", &[path, method, "responses", status]),
                    );
                }
            }
        }
    }
    warnings
}

/// The schemas directly under the document: components, parameters, bodies, responses.
fn push_roots<'a>(document: &'a mut Value, stack: &mut Vec<&'a mut Value>) {
    let Value::Object(root) = document else {
        return;
    };
    let mut parameters: Vec<&'a mut Value> = Vec::new();
    let mut contents: Vec<&'a mut Value> = Vec::new();
    for (key, value) in root.iter_mut() {
        match key.as_str() {
            "components" => {
                let Value::Object(components) = value else {
                    continue;
                };
                for (kind, entries) in components.iter_mut() {
                    let Value::Object(entries) = entries else {
                        continue;
                    };
                    for entry in entries.values_mut() {
                        match kind.as_str() {
                            "schemas" => stack.push(entry),
                            "parameters" => parameters.push(entry),
                            "requestBodies" | "responses" => contents.push(entry),
                            _ => {}
                        }
                    }
                }
            }
            "paths" => {
                let Value::Object(paths) = value else {
                    continue;
                };
                for item in paths.values_mut() {
                    let Value::Object(item) = item else { continue };
                    for (key, operation) in item.iter_mut() {
                        if key == "parameters" {
                            parameters.extend(array_items(operation));
                            continue;
                        }
                        let Value::Object(operation) = operation else {
                            continue;
                        };
                        for (key, part) in operation.iter_mut() {
                            match key.as_str() {
                                "parameters" => parameters.extend(array_items(part)),
                                "requestBody" => contents.push(part),
                                "responses" => {
                                    if let Value::Object(responses) = part {
                                        contents.extend(responses.values_mut());
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for parameter in parameters {
        if let Some(schema) = parameter.get_mut("schema") {
            stack.push(schema);
        }
    }
    for holder in contents {
        if let Some(Value::Object(media)) = holder.get_mut("content") {
            for media_type in media.values_mut() {
                if let Some(schema) = media_type.get_mut("schema") {
                    stack.push(schema);
                }
            }
        }
    }
}

fn array_items(value: &mut Value) -> impl Iterator<Item = &mut Value> {
    match value {
        Value::Array(items) => items.iter_mut().collect::<Vec<_>>().into_iter(),
        _ => Vec::new().into_iter(),
    }
}

/// The schemas inside a schema.
fn push_children<'a>(schema: &'a mut Map<String, Value>, stack: &mut Vec<&'a mut Value>) {
    for (key, value) in schema.iter_mut() {
        match key.as_str() {
            "properties" => {
                if let Value::Object(properties) = value {
                    stack.extend(properties.values_mut());
                }
            }
            "items" | "additionalProperties" | "not" => stack.push(value),
            "allOf" | "oneOf" | "anyOf" => stack.extend(array_items(value)),
            _ => {}
        }
    }
}

/// `{$ref, siblings…}` → `{allOf: [{$ref}], siblings…}`.
fn wrap_ref_with_siblings(schema: &mut Map<String, Value>) -> bool {
    if !schema.contains_key("$ref") || !schema.keys().any(|k| REF_SIBLINGS.contains(&k.as_str())) {
        return false;
    }
    let reference = schema.remove("$ref").unwrap_or(Value::Null);
    // A `type` beside `$ref` repeats (or contradicts) the referenced schema's: the reference
    // decides, as OpenAPI 3.0 says.
    schema.remove("type");
    let mut only_ref = Map::new();
    only_ref.insert("$ref".into(), reference);
    schema.insert("allOf".into(), Value::Array(vec![Value::Object(only_ref)]));
    true
}

/// `{type: object, properties, oneOf/anyOf}`: openapiv3 reads the `type` and drops the
/// alternatives without a word. Without the `type` it keeps them, and the IR reports that
/// `oneOf`/`anyOf` is not supported, at this schema: an error, never silence.
fn keep_alternatives_visible(schema: &mut Map<String, Value>) -> bool {
    let alternatives = schema.contains_key("oneOf") || schema.contains_key("anyOf");
    alternatives && schema.remove("type").is_some()
}

/// `{allOf, properties…}` → `{allOf: [..., {type: object, properties…}]}`.
fn fold_all_of_siblings(schema: &mut Map<String, Value>) -> bool {
    if !matches!(schema.get("allOf"), Some(Value::Array(_)))
        || !schema.keys().any(|k| OBJECT_KEYWORDS.contains(&k.as_str()))
    {
        return false;
    }
    let mut member = Map::new();
    member.insert("type".into(), Value::String("object".into()));
    for keyword in OBJECT_KEYWORDS {
        if let Some(value) = schema.remove(*keyword) {
            member.insert((*keyword).into(), value);
        }
    }
    // `type: object` beside `allOf` makes openapiv3 read the schema as a plain object and drop
    // the `allOf`: the merged members say it is an object.
    if schema.get("type").and_then(Value::as_str) == Some("object") {
        schema.remove("type");
    }
    if let Some(Value::Array(members)) = schema.get_mut("allOf") {
        members.push(Value::Object(member));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn document(schema: Value) -> Value {
        json!({"openapi": "3.0.3", "components": {"schemas": {"a": {"type": "object", "properties": {"p": schema}}}}})
    }

    #[test]
    fn ref_siblings_become_an_all_of_wrapper() {
        let mut doc = document(
            json!({"$ref": "#/components/schemas/b", "nullable": true, "description": "d"}),
        );
        assert_eq!(schemas(&mut doc), 1);
        let p = &doc["components"]["schemas"]["a"]["properties"]["p"];
        assert_eq!(
            p,
            &json!({"allOf": [{"$ref": "#/components/schemas/b"}], "nullable": true, "description": "d"})
        );
    }

    #[test]
    fn all_of_siblings_become_a_member() {
        let mut doc = json!({"components": {"schemas": {"d": {
            "type": "object", "description": "derived",
            "allOf": [{"$ref": "#/components/schemas/base"}],
            "properties": {"extra": {"type": "string"}}, "required": ["extra"]
        }}}});
        assert_eq!(schemas(&mut doc), 1);
        assert_eq!(
            doc["components"]["schemas"]["d"],
            json!({
                "description": "derived",
                "allOf": [{"$ref": "#/components/schemas/base"}, {"type": "object", "properties": {"extra": {"type": "string"}}, "required": ["extra"]}]
            })
        );
    }

    #[test]
    fn a_plain_ref_and_a_parameter_ref_are_left_alone() {
        let mut doc = json!({"paths": {"/x": {"get": {"parameters": [{"$ref": "#/components/parameters/p", "description": "d"}]}}},
                             "components": {"schemas": {"a": {"$ref": "#/components/schemas/b"}}}});
        let before = doc.clone();
        assert_eq!(schemas(&mut doc), 0);
        assert_eq!(doc, before);
    }
}
