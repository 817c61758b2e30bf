//! The overlaid document made k times larger, for the scaling measurement: k − 1 copies of every
//! schema and every path beside the originals, each copy referring to its own copies, so that the
//! generator meets k times the schemas, references, operations and output of the real document
//! (and no construct the real one lacks).

use serde_json::{Map, Value};

const SCHEMA_REFS: &str = "#/components/schemas/";

/// The document with `k − 1` copies of its schemas and paths added (`k = 1`: unchanged).
pub fn scaled(document: &Value, k: usize) -> Value {
    let mut out = document.clone();
    for copy in 1..k {
        if let Some(Value::Object(schemas)) = document.pointer("/components/schemas") {
            let copies: Vec<(String, Value)> = schemas
                .iter()
                .map(|(key, schema)| (format!("{key}_copy{copy}"), renamed(schema, copy)))
                .collect();
            if let Some(Value::Object(target)) = out.pointer_mut("/components/schemas") {
                target.extend(copies);
            }
        }
        if let Some(Value::Object(paths)) = document.get("paths") {
            let copies: Vec<(String, Value)> = paths
                .iter()
                .map(|(path, item)| (format!("/copy{copy}{path}"), renamed(item, copy)))
                .collect();
            if let Some(Value::Object(target)) = out.get_mut("paths") {
                target.extend(copies);
            }
        }
    }
    out
}

/// A copy of `value` whose schema references, operationIds, Rust names and groups belong to
/// copy number `copy`, so that nothing collides with the original.
fn renamed(value: &Value, copy: usize) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let value = match (key.as_str(), value) {
                    ("$ref", Value::String(r)) if r.starts_with(SCHEMA_REFS) => {
                        Value::String(format!("{r}_copy{copy}"))
                    }
                    ("operationId" | "x-rust-type" | "x-rust-name", Value::String(s)) => {
                        Value::String(format!("{s}_copy{copy}"))
                    }
                    ("x-rust-group", Value::String(s)) => Value::String(format!("copy{copy}.{s}")),
                    _ => renamed(value, copy),
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| renamed(v, copy)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn copies_refer_to_their_own_copies_and_keep_the_originals() {
        let document = json!({
            "paths": {"/a": {"get": {"operationId": "a", "x-rust-group": "g",
                "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S"}}}}}}}},
            "components": {"schemas": {"S": {"type": "object", "x-rust-type": "Ess",
                "properties": {"t": {"$ref": "#/components/schemas/T"}}}, "T": {"type": "string"}}}
        });
        let three = scaled(&document, 3);
        assert_eq!(three["paths"].as_object().unwrap().len(), 3);
        assert_eq!(three["components"]["schemas"].as_object().unwrap().len(), 6);
        assert_eq!(three["paths"]["/a"], document["paths"]["/a"]);
        let copy = &three["paths"]["/copy2/a"]["get"];
        assert_eq!(copy["operationId"], "a_copy2");
        assert_eq!(copy["x-rust-group"], "copy2.g");
        assert_eq!(
            copy["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/S_copy2"
        );
        let s = &three["components"]["schemas"]["S_copy1"];
        assert_eq!(s["x-rust-type"], "Ess_copy1");
        assert_eq!(s["properties"]["t"]["$ref"], "#/components/schemas/T_copy1");
        assert_eq!(scaled(&document, 1), document);
    }
}
