//! progenitor 0.15, the Rust peer, run as a library on the pinned document. It cannot take the
//! document as it is; `EDITS` lists the minimal changes applied (in code, to a copy) so that it
//! can, and BENCHMARKS.md repeats the list.

use serde_json::Value;
use std::time::Instant;

/// What `edit` changes, and why progenitor needs it.
pub const EDITS: &[&str] = &[
    "every operation without an `operationId` gets one made from its method and path (progenitor: \"path … is missing operation ID\")",
    "request bodies and responses with more than one media type keep only `application/json` (progenitor panics: \"more media types than expected\")",
    "an operation keeps only its first 2xx response, and every error response takes the content of its first one (progenitor asserts one success type and one error type per operation)",
];

/// Applies `EDITS` to the document as JSON.
pub fn edit(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            if !["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let Some(operation) = operation.as_object_mut() else {
                continue;
            };
            if !operation.contains_key("operationId") {
                let id: String = format!("{method}_{path}")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                operation.insert("operationId".into(), Value::String(id));
            }
            if let Some(body) = operation.get_mut("requestBody") {
                json_only(body);
            }
            if let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            {
                let first_success = responses.keys().find(|k| k.starts_with('2')).cloned();
                responses.retain(|status, _| {
                    !status.starts_with('2') || Some(status) == first_success.as_ref()
                });
                let first_error = responses
                    .iter()
                    .find(|(status, _)| !status.starts_with('2'))
                    .map(|(_, r)| r.clone());
                for (status, response) in responses.iter_mut() {
                    if let (false, Some(error)) = (status.starts_with('2'), &first_error) {
                        *response = error.clone();
                    }
                    json_only(response);
                }
            }
        }
    }
}

fn json_only(node: &mut Value) {
    if let Some(content) = node.get_mut("content").and_then(Value::as_object_mut) {
        if content.len() > 1 {
            content.retain(|media_type, _| media_type == "application/json");
        }
    }
}

/// Seconds spent in each stage of one progenitor run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stages {
    pub load_and_edit: f64,
    pub generate: f64,
    pub format: f64,
    pub write: f64,
}

/// progenitor's two interface styles: positional arguments (its default) or request builders
/// (the style closer to ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Positional,
    Builder,
}

impl Style {
    pub fn parse(text: &str) -> Option<Style> {
        match text {
            "positional" => Some(Style::Positional),
            "builder" => Some(Style::Builder),
            _ => None,
        }
    }
}

/// One full run: read, edit, parse, generate, format with prettyplease, write `lib.rs` to `out`.
pub fn run(spec: &std::path::Path, out: &std::path::Path) -> Result<Stages, String> {
    run_with(spec, out, Style::Positional)
}

/// [`run`] in the given interface style.
pub fn run_with(
    spec: &std::path::Path,
    out: &std::path::Path,
    style: Style,
) -> Result<Stages, String> {
    let mut stages = Stages::default();
    let started = Instant::now();
    let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
    let mut document: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    edit(&mut document);
    let openapi: openapiv3::OpenAPI =
        serde_json::from_value(document).map_err(|e| e.to_string())?;
    stages.load_and_edit = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut settings = progenitor::GenerationSettings::default();
    settings.with_interface(match style {
        Style::Positional => progenitor::InterfaceStyle::Positional,
        Style::Builder => progenitor::InterfaceStyle::Builder,
    });
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(&openapi)
    }))
    .map_err(|_| "progenitor panicked".to_string())?
    .map_err(|e| e.to_string())?;
    stages.generate = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    let text = prettyplease::unparse(&file);
    stages.format = started.elapsed().as_secs_f64();

    let started = Instant::now();
    std::fs::create_dir_all(out.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(out.join("src/lib.rs"), text).map_err(|e| e.to_string())?;
    stages.write = started.elapsed().as_secs_f64();
    Ok(stages)
}

/// The Cargo.toml progenitor's output needs (its README's dependency list).
pub const CARGO_TOML: &str = r#"[package]
name = "progenitor-authlete"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
bytes = "1"
chrono = { version = "0.4", default-features = false, features = ["serde"] }
futures-core = "0.3"
progenitor-client = "0.15"
regress = "0.10"
reqwest = { version = "0.13", default-features = false, features = ["json", "stream", "query", "form"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_urlencoded = "0.7"
uuid = { version = "1", features = ["serde", "v4"] }

[workspace]
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edits_name_operations_and_keep_one_type_per_outcome() {
        let mut document = json!({"paths": {"/a/{id}": {"post": {
            "requestBody": {"content": {"application/json": {}, "application/x-www-form-urlencoded": {}}},
            "responses": {"200": {"description": "a"}, "204": {"description": "b"},
                          "400": {"description": "c"}, "500": {"description": "d"}}
        }}}});
        edit(&mut document);
        let operation = &document["paths"]["/a/{id}"]["post"];
        assert_eq!(operation["operationId"], "post__a__id_");
        assert_eq!(
            operation["requestBody"]["content"],
            json!({"application/json": {}})
        );
        assert_eq!(
            operation["responses"],
            json!({"200": {"description": "a"}, "400": {"description": "c"}, "500": {"description": "c"}})
        );
    }
}
