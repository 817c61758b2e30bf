//! Stage 1: read the document (YAML or JSON) into a JSON value, and its sha256.
//! The typed OpenAPI model is built after the overlay, in [`crate::parse`].

pub mod yaml;

use crate::error::{CodegenError, Result};
use sha2::{Digest, Sha256};
use std::path::Path;

/// The raw document as read from disk.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path it was read from (for messages).
    pub path: String,
    /// Lower-case hex sha256 of the file's bytes: the identity of the document (`info.version` is not).
    pub sha256: String,
    pub value: serde_json::Value,
}

pub fn read_document(path: &Path) -> Result<Document> {
    from_bytes(&path.display().to_string(), &read_bytes(path)?)
}

/// The document's bytes as they are on disk.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        CodegenError::new(
            path.display().to_string(),
            format!("cannot read the document: {e}"),
        )
    })
}

/// A document from its bytes; `origin` names it in messages.
pub fn from_bytes(origin: &str, bytes: &[u8]) -> Result<Document> {
    with_value(origin, bytes, sha256_hex(bytes), None)
}

/// A document from its bytes, their `sha256` ([`sha256_hex`]) and, when another reader already
/// made it, its value (see [`yaml_halves`]); without one, the bytes are read here.
pub fn with_value(
    origin: &str,
    bytes: &[u8],
    sha256: String,
    value: Option<serde_json::Value>,
) -> Result<Document> {
    let value = match value {
        Some(value) => value,
        None => parse_text(origin, bytes)?,
    };
    Ok(Document {
        path: origin.to_string(),
        sha256,
        value,
    })
}

/// A large YAML document cut in two before a top-level key near its middle, so that two cores
/// can read it ([`yaml::parse`] on each half, then [`yaml::join`]): `None` for JSON, for text
/// that is not UTF-8, and for a document too small to be worth it.
pub fn yaml_halves(bytes: &[u8]) -> Option<(&str, &str)> {
    let text = std::str::from_utf8(bytes).ok()?;
    if text.trim_start().starts_with(['{', '[']) {
        return None;
    }
    yaml::halves(text)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses YAML or JSON (JSON is YAML, but serde_json gives better messages for it).
pub fn parse_text(origin: &str, bytes: &[u8]) -> Result<serde_json::Value> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| CodegenError::new(origin, format!("the document is not UTF-8: {e}")))?;
    let trimmed = text.trim_start();
    let value: serde_json::Value = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        serde_json::from_str(text).map_err(|e| {
            CodegenError::new(
                origin,
                format!(
                    "malformed JSON at line {}, column {}: {e}",
                    e.line(),
                    e.column()
                ),
            )
        })?
    } else if let Some(value) = yaml::parse(text) {
        value
    } else {
        // What the fast reader leaves (see `yaml`), and every error, with its line and column.
        serde_yaml::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
                .unwrap_or_default();
            CodegenError::new(origin, format!("malformed YAML{at}: {e}"))
        })?
    };
    if !value.is_object() {
        return Err(CodegenError::new(
            origin,
            "the document is not a mapping (an OpenAPI document is an object)",
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_error_names_line() {
        let e = parse_text("x.yaml", b"openapi: 3.0.3\ninfo: [unclosed\n").unwrap_err();
        assert!(e.message.contains("malformed YAML at line"), "{e}");
    }

    #[test]
    fn a_json_array_is_not_a_document() {
        let e = parse_text("x.json", b"[1, 2]").unwrap_err();
        assert!(e.message.contains("not a mapping"), "{e}");
    }

    #[test]
    fn json_is_accepted() {
        let v = parse_text("x.json", br#"{"openapi":"3.0.3"}"#).unwrap();
        assert_eq!(v["openapi"], "3.0.3");
    }

    #[test]
    fn scalar_document_is_refused() {
        assert!(parse_text("x.yaml", b"just text").is_err());
    }
}
