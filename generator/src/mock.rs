//! The document as the conformance test's mock server (Prism) reads it: the overlaid document,
//! with the OpenAPI 3.0 default encodings of form bodies made explicit in terms Prism checks.
//! By the Encoding Object's defaults, a form body's array of scalars is `style: form, explode:
//! true` (repeated keys), and an object or an array of objects is `contentType:
//! application/json` (the value is JSON text). Prism applies neither default, and does not parse
//! JSON parts even when the content type is written out; so arrays of scalars get their encoding
//! written out, and in the form body's schema (an inlined copy: the JSON body keeps the original)
//! an object-valued property is what it is on the wire, a string. Nothing else changes, so the
//! SDK and the mock server read the same document.

use serde_json::{json, Map, Value};

const FORM: &str = "application/x-www-form-urlencoded";

pub fn with_explicit_form_encodings(mut document: Value) -> Value {
    let schemas = document
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or(Value::Null);
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return document;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for operation in item.values_mut() {
            let Some(media) =
                operation.pointer_mut(&format!("/requestBody/content/{}", FORM.replace('/', "~1")))
            else {
                continue;
            };
            let Some(schema) = media.get("schema").map(|s| resolve(s, &schemas)) else {
                continue;
            };
            let mut encoding = media
                .get("encoding")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let mut properties = all_properties(&schema, &schemas);
            let mut json_text = false;
            for (name, property) in properties.iter_mut() {
                if encoding.contains_key(name) {
                    continue;
                }
                let resolved = resolve(property, &schemas);
                let is_array = resolved.get("type") == Some(&json!("array"));
                let item = resolved
                    .get("items")
                    .map(|i| resolve(i, &schemas))
                    .unwrap_or(Value::Null);
                let is_object = |s: &Value| {
                    s.get("type") == Some(&json!("object")) || s.get("properties").is_some()
                };
                if is_array && !is_object(&item) {
                    encoding.insert(name.clone(), json!({"style": "form", "explode": true}));
                } else if is_object(&resolved) || (is_array && is_object(&item)) {
                    *property = json!({"type": "string", "description": "JSON text (form encoding of an object)"});
                    json_text = true;
                }
            }
            if json_text {
                let mut inlined = schema.as_object().cloned().unwrap_or_default();
                inlined.remove("allOf");
                inlined.insert("type".into(), json!("object"));
                inlined.insert("properties".into(), Value::Object(properties));
                media["schema"] = Value::Object(inlined);
            }
            if !encoding.is_empty() {
                media["encoding"] = Value::Object(encoding);
            }
        }
    }
    document
}

fn resolve(schema: &Value, schemas: &Value) -> Value {
    let mut current = schema.clone();
    for _ in 0..16 {
        match current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| crate::ir::resolve::component_key(r, crate::ir::resolve::SCHEMAS))
        {
            Some(key) => current = schemas.get(&key).cloned().unwrap_or(Value::Null),
            None => break,
        }
    }
    current
}

fn all_properties(schema: &Value, schemas: &Value) -> Map<String, Value> {
    let mut out = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        out.extend(all_properties(&resolve(member, schemas), schemas));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_out_the_default_encodings() {
        let document = json!({
            "paths": {"/a": {"post": {"requestBody": {"content": {FORM: {"schema": {"$ref": "#/components/schemas/r"}}}}}}},
            "components": {"schemas": {
                "r": {"type": "object", "properties": {
                    "scopes": {"type": "array", "items": {"type": "string"}},
                    "claims": {"type": "object"},
                    "details": {"type": "array", "items": {"$ref": "#/components/schemas/d"}},
                    "name": {"type": "string"}
                }},
                "d": {"type": "object", "properties": {"k": {"type": "string"}}}
            }}
        });
        let out = with_explicit_form_encodings(document);
        let form = out
            .pointer("/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded")
            .unwrap();
        assert_eq!(
            form["encoding"],
            json!({"scopes": {"style": "form", "explode": true}})
        );
        let properties = &form["schema"]["properties"];
        assert_eq!(properties["claims"]["type"], "string");
        assert_eq!(properties["details"]["type"], "string");
        assert_eq!(properties["name"], json!({"type": "string"}));
        assert_eq!(properties["scopes"]["items"], json!({"type": "string"}));
    }
}
