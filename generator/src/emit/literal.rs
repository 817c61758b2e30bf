//! A JSON example as Rust that builds the same value with the SDK's types: constructors with the
//! required fields, `with_*` setters for the others, enum variants, arrays for lists, suffixed
//! numbers. What people would write, instead of a JSON string decoded at run time. A value that
//! has no typed form (a free-form JSON member, a map, a null where a value is required, an
//! unknown member) is an `Err` with the reason; the caller falls back to JSON.

use super::syntax::{array, call, literal_expr, method_call, parsed_expr, path_expr, str_lit};
use crate::ir::{Api, Field, TypeKind, TypeRef};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// `value` as a Rust expression of type `ty`, built as a tree. `models` is the path the model
/// types are named with: `authlete::models`, or nothing under `use authlete::models::*;`.
pub fn typed(
    api: &Api,
    ty: &TypeRef,
    value: &Value,
    models: &[Ident],
) -> Result<syn::Expr, String> {
    typed_at(api, ty, value, models, 0)
}

/// Examples nest a few levels; deeper than this is a document to show as JSON.
const MAX_DEPTH: usize = 8;

fn typed_at(
    api: &Api,
    ty: &TypeRef,
    value: &Value,
    models: &[Ident],
    depth: usize,
) -> Result<syn::Expr, String> {
    if depth > MAX_DEPTH {
        return Err("nested too deep".into());
    }
    match (ty, value) {
        (TypeRef::String, Value::String(s)) => Ok(str_lit(s)),
        (TypeRef::I32, Value::Number(n)) => {
            let n = n
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or("an int32 out of range")?;
            Ok(literal_expr(Literal::i32_unsuffixed(n)))
        }
        // Suffixed: `impl Into<i64>` would otherwise infer `i32` and overflow on large ids.
        (TypeRef::I64, Value::Number(n)) => Ok(literal_expr(Literal::i64_suffixed(
            n.as_i64().ok_or("an int64 out of range")?,
        ))),
        (TypeRef::U64, Value::Number(n)) => Ok(literal_expr(Literal::u64_suffixed(
            n.as_u64().ok_or("a uint64 out of range")?,
        ))),
        (TypeRef::F64, Value::Number(n)) => {
            let n = n
                .as_f64()
                .filter(|n| n.is_finite())
                .ok_or("a number that is not finite")?;
            Ok(literal_expr(Literal::f64_suffixed(n)))
        }
        (TypeRef::Bool, Value::Bool(b)) => Ok(syn::Expr::Lit(syn::ExprLit {
            attrs: Vec::new(),
            lit: syn::Lit::Bool(syn::LitBool::new(*b, proc_macro2::Span::call_site())),
        })),
        (TypeRef::List(item), Value::Array(items)) => {
            if items.is_empty() {
                let item = type_path(item, models)?;
                return Ok(parsed_expr(quote! { Vec::<#item>::new() }));
            }
            let items = items
                .iter()
                .map(|v| typed_at(api, item, v, models, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(array(items))
        }
        (TypeRef::Named(name), _) => named(api, name, value, models, depth),
        (TypeRef::Map(_), _) => Err("a map".into()),
        (TypeRef::Json, _) => Err("a free-form JSON value".into()),
        (_, Value::Null) => Err("null where a value is expected".into()),
        (ty, value) => Err(format!("{value} where {ty:?} is expected")),
    }
}

fn named(
    api: &Api,
    name: &str,
    value: &Value,
    models: &[Ident],
    depth: usize,
) -> Result<syn::Expr, String> {
    let def = api
        .types
        .get(name)
        .ok_or_else(|| format!("no type `{name}`"))?;
    // `models::Name::rest…` as a path expression.
    let path = |rest: &str| {
        let (ty, rest) = (format_ident!("{}", name), format_ident!("{}", rest));
        let segments: Vec<&Ident> = models.iter().chain([&ty, &rest]).collect();
        path_expr(&segments)
    };
    match (&def.kind, value) {
        (TypeKind::Alias(target), _) => typed_at(api, target, value, models, depth),
        (TypeKind::Enum { variants }, Value::String(wire)) => {
            match variants.iter().find(|v| &v.wire == wire) {
                Some(variant) => Ok(path(variant.name.as_str())),
                None => Ok(call(path("from"), vec![str_lit(wire)])),
            }
        }
        (TypeKind::Struct { fields, .. }, Value::Object(members)) => {
            if let Some(unknown) = members
                .keys()
                .find(|k| !fields.iter().any(|f| &f.wire == *k))
            {
                return Err(format!("the member `{unknown}` is not a field of `{name}`"));
            }
            let member = |f: &Field| members.get(&f.wire).filter(|v| !v.is_null());
            let mut required = Vec::new();
            for field in fields.iter().filter(|f| f.presence.required()) {
                let value = member(field).ok_or_else(|| {
                    format!(
                        "the required `{}` of `{name}` is missing or null",
                        field.wire
                    )
                })?;
                required.push(typed_at(api, &field.ty, value, models, depth + 1)?);
            }
            let mut built = if fields.iter().any(|f| f.presence.required()) {
                call(path("new"), required)
            } else {
                call(path("default"), Vec::new())
            };
            for field in fields.iter().filter(|f| !f.presence.required()) {
                if let Some(value) = member(field) {
                    let value = typed_at(api, &field.ty, value, models, depth + 1)?;
                    built = method_call(built, field.setter.as_str(), vec![value]);
                }
            }
            Ok(built)
        }
        (_, Value::Null) => Err("null where a value is expected".into()),
        (kind, value) => Err(format!("{value} where a {} is expected", kind_name(kind))),
    }
}

/// A type as a short path: prelude names, models under `models`.
fn type_path(ty: &TypeRef, models: &[Ident]) -> Result<TokenStream, String> {
    Ok(match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", name);
            quote! { #(#models::)* #ident }
        }
        TypeRef::I32 => quote! { i32 },
        TypeRef::I64 => quote! { i64 },
        TypeRef::U64 => quote! { u64 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::Bool => quote! { bool },
        TypeRef::String => quote! { String },
        TypeRef::List(item) => {
            let item = type_path(item, models)?;
            quote! { Vec<#item> }
        }
        TypeRef::Map(_) => return Err("a map".into()),
        TypeRef::Json => quote! { serde_json::Value },
    })
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Alias(_) => "alias",
    }
}

/// JSON text as a Rust string literal: raw (`r#"{"a":1}"#`) when the text has quotes or
/// backslashes and is printable ASCII, so that it reads as the JSON it is and nothing has to
/// escape its quotes (proc-macro2 on the way in) and unescape them (syn on the way back, for
/// every file formatted); an ordinary literal otherwise: there is nothing to escape, or a raw
/// string cannot show the text (it cannot hold a bare carriage return, and rustc denies some
/// Unicode controls inside literals).
pub fn json_text(json: &str) -> Literal {
    let printable = json.bytes().all(|b| (b' '..=b'~').contains(&b));
    if !printable || !json.contains(['"', '\\']) {
        return Literal::string(json);
    }
    let hashes = "#".repeat(raw_hashes_needed(json));
    format!("r{hashes}\"{json}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(json))
}

/// How many `#` a raw string of `text` needs: one more than the longest run of them after a
/// quote in the text, so that no `"` inside it closes the literal.
fn raw_hashes_needed(text: &str) -> usize {
    text.match_indices('"')
        .map(|(at, _)| text[at + 1..].bytes().take_while(|&b| b == b'#').count() + 1)
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the literal holds once Rust reads it.
    fn value(literal: &Literal) -> String {
        syn::parse_str::<syn::LitStr>(&literal.to_string())
            .expect("a string literal")
            .value()
    }

    #[test]
    fn json_text_is_a_raw_string_that_holds_the_text() {
        let cases = [
            ("{}", "\"{}\""),
            ("a\\b", "r\"a\\b\""),
            ("{\"a\":\"b\"}", "r#\"{\"a\":\"b\"}\"#"),
            ("{\"a\":\"#x\"}", "r##\"{\"a\":\"#x\"}\"##"),
            (
                "{\"a\":\"##x\",\"b\":\"\\n\"}",
                "r###\"{\"a\":\"##x\",\"b\":\"\\n\"}\"###",
            ),
        ];
        for (json, printed) in cases {
            let literal = json_text(json);
            assert_eq!(literal.to_string(), printed, "{json}");
            assert_eq!(value(&literal), json);
        }
    }

    #[test]
    fn json_text_escapes_what_a_raw_string_cannot_show() {
        for json in ["\"a\rb\"", "\"caf\u{e9}\"", "\"\u{202e}x\"", "\"tab\tx\""] {
            let literal = json_text(json);
            assert!(!literal.to_string().starts_with('r'), "{literal}");
            assert_eq!(value(&literal), json);
        }
    }
}
