//! `application/x-www-form-urlencoded` bodies, encoded per OpenAPI 3.0's Encoding Object
//! defaults (style `form`, explode `true`): a scalar is the value, an array of scalars repeats
//! the key, an object or an array holding objects is sent as JSON text. Absent (`None`) fields
//! are left out; `null` is left out too, as a form cannot carry it. Keys are sorted.

use super::error::Error;
use serde_json::Value;

#[allow(dead_code)] // unused by a document without form bodies
pub(crate) fn encode<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    let value = serde_json::to_value(value).map_err(|e| Error::Encode(e.to_string()))?;
    let Value::Object(map) = value else {
        return Err(Error::Encode("a form body must be an object".to_string()));
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in map {
        match value {
            Value::Null => {}
            Value::Array(items) if items.iter().all(is_scalar) => {
                for item in items {
                    if let Some(text) = scalar_text(&item) {
                        pairs.push((key.clone(), text));
                    }
                }
            }
            Value::Array(_) | Value::Object(_) => pairs.push((key, value.to_string())),
            scalar => {
                if let Some(text) = scalar_text(&scalar) {
                    pairs.push((key, text));
                }
            }
        }
    }
    // Keys in a fixed order whatever serde_json's `preserve_order` feature (which another crate
    // in the build may turn on): the same body is always the same bytes.
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    serde_urlencoded::to_string(&pairs).map_err(|e| Error::Encode(e.to_string()))
}

#[allow(dead_code)]
fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

#[allow(dead_code)]
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn encodes_per_openapi_defaults() {
        let body = json!({
            "parameters": "response_type=code&client_id=1",
            "scopes": ["openid", "profile"],
            "sub": null,
            "ttl": 3600,
            "refresh": true,
            "claims": {"a": 1},
            "details": [{"type": "x"}]
        });
        assert_eq!(
            encode(&body).unwrap(),
            "claims=%7B%22a%22%3A1%7D&details=%5B%7B%22type%22%3A%22x%22%7D%5D\
             &parameters=response_type%3Dcode%26client_id%3D1&refresh=true&scopes=openid&scopes=profile&ttl=3600"
        );
    }

    #[test]
    fn empty_array_sends_no_pair() {
        assert_eq!(encode(&json!({"scopes": []})).unwrap(), "");
    }

    #[test]
    fn a_non_object_is_refused() {
        assert!(encode(&json!([1, 2])).is_err());
    }
}
