//! Stage 3: the overlaid JSON document into the typed OpenAPI 3.0 model (openapiv3).
//! A node of the wrong shape is reported with its JSON pointer (serde_path_to_error).

use crate::error::{CodegenError, Result};
use serde_json::Value;

pub fn parse_openapi(value: Value) -> Result<openapiv3::OpenAPI> {
    match value.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => {
            return Err(
                CodegenError::new("#/openapi", format!("unsupported OpenAPI version {v}"))
                    .with_hint("this generator reads OpenAPI 3.0.x documents"),
            )
        }
        None => {
            return Err(
                CodegenError::new("#/openapi", "missing `openapi` version field")
                    .with_hint("an OpenAPI 3.0 document starts with `openapi: 3.0.3`"),
            )
        }
    }
    // Without path tracking first (a quarter faster on the pinned document); only a document
    // that fails is parsed again to find where.
    if let Ok(doc) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value) {
        return Ok(doc);
    }
    match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
        Ok(doc) => Ok(doc),
        // openapiv3 flattens some maps (paths, responses), which hides the path below them;
        // parsing the parts one by one finds the node itself.
        Err(e) => Err(locate_invalid_node(&value).unwrap_or_else(|| {
            CodegenError::new(
                crate::error::pointer_of_path("#", e.path()),
                format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
            )
        })),
    }
}

/// Parses each path item and each component on its own, and reports the first that fails.
fn locate_invalid_node(value: &Value) -> Option<CodegenError> {
    use openapiv3::{Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    fn try_parse<T: serde::de::DeserializeOwned>(
        node: &Value,
        base: &[&str],
    ) -> Option<CodegenError> {
        serde_path_to_error::deserialize::<_, T>(node)
            .err()
            .map(|e| {
                let inner = crate::error::pointer_of_path("#", e.path());
                let base = crate::error::pointer("#", base);
                CodegenError::new(
                    format!("{base}{}", &inner[1..]),
                    format!("not a valid OpenAPI 3.0 node: {}", e.inner()),
                )
            })
    }
    if let Some(paths) = value.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if path.starts_with("x-") {
                continue;
            }
            if let Some(item_map) = item.as_object() {
                for (method, op) in item_map {
                    if [
                        "get", "put", "post", "delete", "patch", "head", "options", "trace",
                    ]
                    .contains(&method.as_str())
                    {
                        if let Some(e) =
                            try_parse::<openapiv3::Operation>(op, &["paths", path, method])
                        {
                            return Some(e);
                        }
                    }
                }
            }
            if let Some(e) = try_parse::<ReferenceOr<PathItem>>(item, &["paths", path]) {
                return Some(e);
            }
        }
    }
    let components = value.get("components")?;
    type Check = fn(&Value, &[&str]) -> Option<CodegenError>;
    let sections: [(&str, Check); 4] = [
        ("schemas", try_parse::<ReferenceOr<Schema>>),
        ("responses", try_parse::<ReferenceOr<Response>>),
        ("parameters", try_parse::<ReferenceOr<Parameter>>),
        ("requestBodies", try_parse::<ReferenceOr<RequestBody>>),
    ];
    for (section, parse) in sections {
        for (key, node) in components
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(e) = parse(node, &["components", section, key]) {
                return Some(e);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refuses_openapi_31() {
        let e = parse_openapi(json!({"openapi": "3.1.0"})).unwrap_err();
        assert_eq!(e.pointer, "#/openapi");
    }

    #[test]
    fn wrong_shape_names_the_node() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}});
        let e = parse_openapi(doc).unwrap_err();
        assert!(e.pointer.starts_with("#/paths/~1a/get"), "{e}");
    }
}
