//! Stage 3: the overlaid JSON document into the typed OpenAPI 3.0 model (openapiv3).
//! A node of the wrong shape is reported with its JSON pointer (serde_path_to_error).

use crate::error::{CodegenError, Result};
use serde_json::Value;

pub fn parse_openapi(value: Value) -> Result<openapiv3::OpenAPI> {
    match value.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => {
            return Err(CodegenError::new("#/openapi", format!("unsupported OpenAPI version {v}"))
                .with_hint("this generator reads OpenAPI 3.0.x documents"))
        }
        None => {
            return Err(CodegenError::new("#/openapi", "missing `openapi` version field")
                .with_hint("an OpenAPI 3.0 document starts with `openapi: 3.0.3`"))
        }
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        CodegenError::new(path_to_pointer(e.path()), format!("not a valid OpenAPI 3.0 node: {}", e.inner()))
    })
}

/// serde_path_to_error's path (`paths./api/x.get`) as a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    let refs: Vec<&str> = segments.iter().map(String::as_str).collect();
    crate::error::pointer("#", &refs)
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
