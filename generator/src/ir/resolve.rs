//! `$ref`s: what a reference inside the document points at. One place, so that every stage reads
//! references the same way: same-document references to a component of the expected kind only,
//! the key's JSON Pointer escapes (`~1` for `/`, `~0` for `~`) decoded, and a reference to a
//! reference refused rather than followed without end.

use crate::error::{pointer, CodegenError, Result};
use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response};

pub const SCHEMAS: &str = "#/components/schemas/";
const PARAMETERS: &str = "#/components/parameters/";
const REQUEST_BODIES: &str = "#/components/requestBodies/";
const RESPONSES: &str = "#/components/responses/";

/// The key of the component `reference` names under `prefix` (`#/components/schemas/`), with
/// its escapes decoded; `None` for anything else (another kind, another document, a deeper
/// pointer).
pub fn component_key(reference: &str, prefix: &str) -> Option<String> {
    let key = reference.strip_prefix(prefix)?;
    (!key.contains('/')).then(|| key.replace("~1", "/").replace("~0", "~"))
}

/// The schema key of a reference, or an error naming the node that holds it.
pub fn schema_key(reference: &str, at: &str) -> Result<String> {
    component_key(reference, SCHEMAS).ok_or_else(|| {
        CodegenError::new(at, format!("unsupported $ref `{reference}`")).with_hint(
            "schema references must point at #/components/schemas/<name> in the same document",
        )
    })
}

/// An item in place, or the component it refers to, with the pointer of where it is.
fn component<'a, T>(
    item: &'a ReferenceOr<T>,
    lookup: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
    prefix: &str,
    what: &str,
    at: &str,
) -> Result<(&'a T, String)> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok((item, at.to_string())),
        ReferenceOr::Reference { reference } => reference,
    };
    let key = component_key(reference, prefix).ok_or_else(|| {
        CodegenError::new(at, format!("unsupported $ref `{reference}`"))
            .with_hint(format!("point it at {prefix}<name> in the same document"))
    })?;
    match lookup(&key) {
        Some(ReferenceOr::Item(item)) => Ok((item, pointer(prefix.trim_end_matches('/'), &[&key]))),
        Some(ReferenceOr::Reference { .. }) => Err(CodegenError::new(
            at,
            format!("a {what} $ref to another $ref is not supported"),
        )
        .with_hint("point the reference at the component that holds the definition")),
        None => Err(
            CodegenError::new(at, format!("$ref `{reference}` points at nothing"))
                .with_hint("define the target or fix the reference"),
        ),
    }
}

pub fn parameter<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<Parameter>,
    at: &str,
) -> Result<&'a Parameter> {
    let lookup = |key: &str| doc.components.as_ref()?.parameters.get(key);
    component(item, lookup, PARAMETERS, "parameter", at).map(|(p, _)| p)
}

pub fn request_body<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<RequestBody>,
    at: &str,
) -> Result<&'a RequestBody> {
    let lookup = |key: &str| doc.components.as_ref()?.request_bodies.get(key);
    component(item, lookup, REQUEST_BODIES, "request body", at).map(|(b, _)| b)
}

/// A response and where it is (its component's pointer when it is a reference: examples are
/// collected by that pointer).
pub fn response<'a>(
    doc: &'a OpenAPI,
    item: &'a ReferenceOr<Response>,
    at: &str,
) -> Result<(&'a Response, String)> {
    let lookup = |key: &str| doc.components.as_ref()?.responses.get(key);
    component(item, lookup, RESPONSES, "response", at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_decoded_and_only_of_the_expected_kind() {
        assert_eq!(
            component_key("#/components/schemas/a~1b~0c", SCHEMAS).as_deref(),
            Some("a/b~c")
        );
        assert_eq!(component_key("#/components/responses/a", SCHEMAS), None);
        assert_eq!(
            component_key("other.yaml#/components/schemas/a", SCHEMAS),
            None
        );
        assert_eq!(
            component_key("#/components/schemas/a/properties/b", SCHEMAS),
            None
        );
    }
}
