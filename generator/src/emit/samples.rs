//! Values with every field set, made from the IR: the crate's `tests/sensitive.rs` decodes them
//! to check that `Debug` hides every sensitive field, and `make bench` decodes them as large
//! responses of the real service.

use crate::ir::{Api, TypeKind, TypeRef};
use serde_json::{json, Map, Value};

/// What a sensitive string field holds in a sample: a test looks for it in `Debug` output.
pub const SECRET: &str = "SENSITIVE-SAMPLE-VALUE";

/// How deep nested objects are filled; below it, optional object fields are left out (the
/// Authlete document has self-referencing types).
const MAX_DEPTH: usize = 4;

/// Past this depth only required fields remain; a type that still nests here requires itself
/// (`node: {required: [next], next: node}`) and has no finite value.
const MAX_REQUIRED_DEPTH: usize = 32;

/// A value of `ty` with every field set (lists of two, maps of one entry); sensitive strings
/// hold [`SECRET`]. `None` for a type that has no finite value (it requires itself).
pub fn every_field(api: &Api, ty: &TypeRef) -> Option<Value> {
    value(api, ty, 0, "value", false)
}

fn value(api: &Api, ty: &TypeRef, depth: usize, hint: &str, sensitive: bool) -> Option<Value> {
    if depth > MAX_REQUIRED_DEPTH {
        return None;
    }
    Some(match ty {
        TypeRef::Named(name) => return named(api, name, depth, hint, sensitive),
        TypeRef::I32 => json!(42),
        TypeRef::I64 => json!(1_700_000_000_123i64),
        TypeRef::U64 => json!(18_000_000_000_000_000_000u64),
        TypeRef::F64 => json!(1.5),
        TypeRef::Bool => json!(true),
        TypeRef::String if sensitive => Value::String(SECRET.to_string()),
        TypeRef::String => Value::String(format!("{hint}-example")),
        TypeRef::List(item) => {
            let item = value(api, item, depth + 1, hint, sensitive)?;
            Value::Array(vec![item.clone(), item])
        }
        TypeRef::Map(item) => {
            let mut map = Map::new();
            map.insert("key".into(), value(api, item, depth + 1, hint, sensitive)?);
            Value::Object(map)
        }
        TypeRef::Json => json!({"any": "json"}),
    })
}

fn named(api: &Api, name: &str, depth: usize, hint: &str, sensitive: bool) -> Option<Value> {
    let Some(def) = api.types.get(name) else {
        return Some(Value::Null);
    };
    match &def.kind {
        TypeKind::Alias(target) => value(api, target, depth, hint, sensitive),
        TypeKind::Enum { variants } => Some(
            variants
                .first()
                .map(|v| Value::String(v.wire.clone()))
                .unwrap_or(Value::Null),
        ),
        TypeKind::Struct { fields, .. } => {
            let mut object = Map::new();
            for field in fields {
                let nests = matches!(
                    field.ty,
                    TypeRef::Named(_) | TypeRef::List(_) | TypeRef::Map(_)
                );
                if depth >= MAX_DEPTH && nests && !field.presence.required() {
                    continue;
                }
                object.insert(
                    field.wire.clone(),
                    value(api, &field.ty, depth + 1, &field.wire, field.sensitive)?,
                );
            }
            Some(Value::Object(object))
        }
    }
}

/// Whether `value` holds [`SECRET`] anywhere.
pub fn holds_secret(value: &Value) -> bool {
    match value {
        Value::String(s) => s == SECRET,
        Value::Array(items) => items.iter().any(holds_secret),
        Value::Object(map) => map.values().any(holds_secret),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Presence, RustIdent, TypeDef};

    #[test]
    fn a_type_that_requires_itself_has_no_sample_and_no_stack_overflow() {
        let field = Field {
            name: RustIdent::for_test("next"),
            setter: RustIdent::for_test("with_next"),
            wire: "next".into(),
            ty: TypeRef::Named("Node".into()),
            presence: Presence::Required,
            boxed: true,
            read_only: false,
            sensitive: false,
            deprecated: false,
            doc: None,
            source: "#".into(),
        };
        let node = TypeDef {
            name: RustIdent::for_test("Node"),
            module: RustIdent::for_test("node"),
            wire: "node".into(),
            source: "#".into(),
            doc: None,
            kind: TypeKind::Struct {
                fields: vec![field],
                additional: None,
            },
            deprecated: false,
        };
        let api = Api {
            title: String::new(),
            version: String::new(),
            spec_sha256: String::new(),
            description: None,
            servers: Vec::new(),
            types: [("Node".to_string(), node)].into(),
            groups: Default::default(),
            warnings: Vec::new(),
            examples: Default::default(),
            example_fixes: Vec::new(),
        };
        assert_eq!(every_field(&api, &TypeRef::Named("Node".into())), None);
        assert_eq!(every_field(&api, &TypeRef::I32), Some(json!(42)));
    }
}
