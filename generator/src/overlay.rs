//! Stage 2: OpenAPI Overlay 1.0 (<https://spec.openapis.org/overlay/v1.0.0>) applied to the document
//! as JSON. Targets are RFC 9535 JSONPath expressions (serde_json_path). Our overlay carries the
//! SDK's naming (`x-rust-group`, `x-rust-name`, ...) and fixes for defects in the upstream document.

use crate::error::{CodegenError, Result};
use serde::Deserialize;
use serde_json::Value;
use serde_json_path::JsonPath;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    pub overlay: String,
    pub info: OverlayInfo,
    #[serde(default)]
    pub extends: Option<String>,
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OverlayInfo {
    pub title: String,
    pub version: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Action {
    pub target: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub update: Option<Value>,
    #[serde(default)]
    pub remove: bool,
    /// Specification extensions (`x-…`); any other key is an error.
    #[serde(flatten)]
    pub extensions: serde_json::Map<String, Value>,
}

/// The action extension that marks a fix for another release of the document: it may match
/// nothing, even on the pinned document, without an error.
pub const ALLOW_UNMATCHED: &str = "x-allow-unmatched";

impl Action {
    fn allows_unmatched(&self) -> bool {
        self.extensions
            .get(ALLOW_UNMATCHED)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }
}

/// An action whose target selected no node: the overlay is out of step with the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    pub index: usize,
    pub target: String,
}

impl Unmatched {
    pub fn to_error(&self, overlay_path: &str) -> CodegenError {
        CodegenError::new(
            format!("{overlay_path}#/actions/{}", self.index),
            format!("overlay action {} targets `{}`, which matches nothing in the document", self.index, self.target),
        )
        .with_hint("update or delete the action so that the overlay stays in step with the pinned document")
    }
}

/// Reads an overlay file (YAML or JSON). A file of the wrong shape is an error naming the field.
pub fn read_overlay(path: &std::path::Path) -> Result<Overlay> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| CodegenError::new(&origin, format!("cannot read the overlay: {e}")))?;
    let value = crate::load::parse_text(&origin, &bytes)?;
    parse_overlay(&origin, value)
}

pub fn parse_overlay(origin: &str, value: Value) -> Result<Overlay> {
    let overlay: Overlay = serde_path_to_error::deserialize(value).map_err(|e| {
        CodegenError::new(crate::error::pointer_of_path(&format!("{origin}#"), e.path()), format!("invalid overlay: {}", e.inner()))
            .with_hint("an overlay is `overlay: 1.0.0`, `info: {title, version}` and `actions: [{target, update | remove}]`")
    })?;
    if !overlay.overlay.starts_with("1.") {
        return Err(CodegenError::new(
            format!("{origin}#/overlay"),
            format!("unsupported overlay version {}", overlay.overlay),
        )
        .with_hint("this generator applies OpenAPI Overlay 1.x"));
    }
    let mut errors = crate::error::Errors::default();
    for (index, action) in overlay.actions.iter().enumerate() {
        errors.keep(check_action(origin, index, action));
    }
    errors.finish()?;
    Ok(overlay)
}

fn check_action(origin: &str, index: usize, action: &Action) -> Result<()> {
    let at = format!("{origin}#/actions/{index}");
    if let Some(key) = action.extensions.keys().find(|k| !k.starts_with("x-")) {
        return Err(
            CodegenError::new(at, format!("unknown action field `{key}`")).with_hint(
                "an action has `target`, `description`, `update` or `remove`, and `x-` extensions",
            ),
        );
    }
    if action.remove == action.update.is_some() {
        return Err(CodegenError::new(
            at,
            "an action must have exactly one of `update` or `remove: true`",
        ));
    }
    JsonPath::parse(&action.target).map_err(|e| {
        CodegenError::new(at, format!("invalid JSONPath `{}`: {e}", action.target))
            .with_hint("targets are RFC 9535 JSONPath, e.g. $.paths['/api/{serviceId}/gm'].post")
    })?;
    Ok(())
}

/// The extension of an action that fixes a defective example of the document: its value says
/// what the defect is. The example round-trip test lists these.
pub const FIXES_EXAMPLE: &str = "x-fixes-example";

/// `target: defect` of every action that fixes an example.
pub fn example_fixes(overlay: &Overlay) -> Vec<String> {
    overlay
        .actions
        .iter()
        .filter_map(|a| {
            a.extensions
                .get(FIXES_EXAMPLE)
                .and_then(Value::as_str)
                .map(|why| format!("{}: {why}", a.target))
        })
        .collect()
}

/// What applying an overlay did: the actions that matched nothing, and the nodes each update
/// changed (so that an error about a node can name the action that shaped it).
#[derive(Debug, Default)]
pub struct Applied {
    pub unmatched: Vec<Unmatched>,
    pub updated: Vec<Updated>,
}

/// One node an update action changed: `#/paths/...` (a pointer into the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    pub index: usize,
    pub pointer: String,
    /// The update set `x-rust-name` or `x-rust-group`: it named the node.
    pub names: bool,
}

impl Applied {
    /// Adds to `error` which overlay actions updated the nodes it names (its pointer, and any
    /// pointer in its message), so that a collision made by the overlay is traced to the actions.
    pub fn attribute(&self, mut error: CodegenError) -> CodegenError {
        error.others = std::mem::take(&mut error.others)
            .into_iter()
            .map(|other| self.attribute(other))
            .collect();
        let mentioned: Vec<&str> = error
            .message
            .split_whitespace()
            .filter(|w| w.starts_with("#/"))
            .collect();
        let describe = |u: &Updated, node: &str| {
            let what = if u.names { "gave" } else { "updated" };
            let whose = if u.names { " its name" } else { "" };
            format!("overlay action {} {what} {node}{whose}", u.index)
        };
        let mut notes: Vec<String> = Vec::new();
        for u in self.updated.iter().filter(|u| u.pointer == error.pointer) {
            notes.push(describe(u, "this node"));
        }
        for pointer in mentioned {
            for u in self.updated.iter().filter(|u| u.pointer == pointer) {
                notes.push(describe(u, pointer));
            }
        }
        if !notes.is_empty() {
            error.message = format!("{} ({})", error.message, notes.join("; "));
        }
        error
    }
}

/// Applies every action in order. Reports the actions that matched nothing (the caller decides
/// whether that is an error: it is for the pinned document, a warning for any other).
pub fn apply(overlay: &Overlay, document: &mut Value) -> Applied {
    let mut unmatched = Vec::new();
    let mut updated = Vec::new();
    for (index, action) in overlay.actions.iter().enumerate() {
        // Parsing was checked in `parse_overlay`.
        let Ok(path) = JsonPath::parse(&action.target) else {
            continue;
        };
        let pointers: Vec<String> = path
            .query_located(document)
            .locations()
            .map(|location| location.to_json_pointer())
            .collect();
        if pointers.is_empty() {
            if !action.allows_unmatched() {
                unmatched.push(Unmatched {
                    index,
                    target: action.target.clone(),
                });
            }
            continue;
        }
        if action.remove {
            // Remove deepest and last first, so that earlier array indices stay valid.
            for pointer in pointers.iter().rev() {
                remove_at(document, pointer);
            }
        } else if let Some(update) = &action.update {
            let names = update.get("x-rust-name").is_some() || update.get("x-rust-group").is_some();
            for pointer in &pointers {
                if let Some(node) = document.pointer_mut(pointer) {
                    merge(node, update);
                    updated.push(Updated {
                        index,
                        pointer: format!("#{pointer}"),
                        names,
                    });
                }
            }
        }
    }
    Applied { unmatched, updated }
}

/// Overlay 1.0 update semantics: objects merge recursively, arrays append, anything else replaces.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    Some(Value::Array(existing)) if value.is_array() => {
                        existing.extend(value.as_array().into_iter().flatten().cloned())
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(update)) => target.extend(update.iter().cloned()),
        (Value::Array(target), update) => target.push(update.clone()),
        (target, update) => *target = update.clone(),
    }
}

fn remove_at(document: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Overlay {
        parse_overlay(
            "o.yaml",
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions}),
        )
        .unwrap()
    }

    #[test]
    fn update_merges_objects_and_reports_unmatched() {
        let mut doc = json!({"paths": {"/a/{id}": {"get": {"tags": ["x"]}}}});
        let o = overlay(json!([
            {"target": "$.paths['/a/{id}'].get", "update": {"x-rust-name": "get", "tags": ["y"]}},
            {"target": "$.paths['/nope'].get", "update": {"x": 1}}
        ]));
        let unmatched = apply(&o, &mut doc).unmatched;
        assert_eq!(
            doc["paths"]["/a/{id}"]["get"],
            json!({"tags": ["x", "y"], "x-rust-name": "get"})
        );
        assert_eq!(
            unmatched,
            vec![Unmatched {
                index: 1,
                target: "$.paths['/nope'].get".into()
            }]
        );
    }

    #[test]
    fn an_action_for_another_release_may_match_nothing() {
        let mut doc = json!({"paths": {}});
        let o = overlay(
            json!([{"target": "$.paths['/old'].get", "remove": true, "x-allow-unmatched": true}]),
        );
        assert!(apply(&o, &mut doc).unmatched.is_empty());
    }

    #[test]
    fn unknown_action_fields_are_errors() {
        let e = parse_overlay(
            "o.yaml",
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"},
            "actions": [{"target": "$.a", "remove": true, "remvoe": true}]}),
        )
        .unwrap_err();
        assert!(e.message.contains("remvoe"), "{e}");
    }

    #[test]
    fn remove_deletes_every_match() {
        let mut doc = json!({"a": [1, 2, 3], "b": {"c": 1, "d": 2}});
        let o = overlay(
            json!([{"target": "$.a[0,2]", "remove": true}, {"target": "$.b.c", "remove": true}]),
        );
        assert!(apply(&o, &mut doc).unmatched.is_empty());
        assert_eq!(doc, json!({"a": [2], "b": {"d": 2}}));
    }

    #[test]
    fn bad_jsonpath_names_the_action() {
        let e = parse_overlay(
            "o.yaml",
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"},
            "actions": [{"target": "$.ok", "remove": true}, {"target": "$[", "remove": true}]}),
        )
        .unwrap_err();
        assert_eq!(e.pointer, "o.yaml#/actions/1");
    }

    #[test]
    fn action_needs_update_or_remove() {
        let e = parse_overlay(
            "o.yaml",
            json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"},
            "actions": [{"target": "$.a"}]}),
        )
        .unwrap_err();
        assert!(e.message.contains("exactly one"), "{e}");
    }
}
