//! How an operation is called: the accessor chain, arguments from the document's examples, and
//! the example program shown in the method's rustdoc (a compiled doctest) and in the Markdown
//! docs. The conformance test calls operations the same way.

use super::{ident, rust_type_in};
use crate::ir::{Api, Group, Operation, Param, TypeKind, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    /// Examples already formatted on this thread, by group module and operation, while
    /// [`sharing_examples`] runs.
    static EXAMPLES: RefCell<Option<HashMap<(String, String), String>>> =
        const { RefCell::new(None) };
}

/// Runs `emit` (for one document) with each example formatted once: an operation's example is
/// in its method's doc comment and on its group's Markdown page, and formatting it (syn and
/// prettyplease) is most of what making it costs.
pub fn sharing_examples<T>(emit: impl FnOnce() -> T) -> T {
    let outer = EXAMPLES.with(|e| e.replace(Some(HashMap::new())));
    let output = emit();
    EXAMPLES.with(|e| e.replace(outer));
    output
}

/// `client.token().management()` for a group.
pub fn accessor_chain(api: &Api, group: &Group) -> TokenStream {
    accessor_chain_from(api, group, quote! { client })
}

/// The same chain from another receiver (`service.token().management()` on a service handle).
pub fn accessor_chain_from(api: &Api, group: &Group, receiver: TokenStream) -> TokenStream {
    let mut chain = vec![ident(&group.accessor)];
    let mut parent = group.parent.as_ref();
    while let Some(module) = parent {
        let Some(g) = api.groups.get(module) else {
            break;
        };
        chain.insert(0, ident(&g.accessor));
        parent = g.parent.as_ref();
    }
    quote! { #receiver #(.#chain())* }
}

/// A parameter's example as a Rust expression of its type (`root` names the crate).
pub fn param_value(api: &Api, param: &Param, root: &TokenStream) -> TokenStream {
    let value = &param.example;
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // `NaN` or `1e999` in a document: a literal of them would panic in proc-macro2.
    let number = || {
        value
            .as_f64()
            .or_else(|| text.parse().ok())
            .filter(|n: &f64| n.is_finite())
            .unwrap_or(1.0)
    };
    match &param.ty {
        TypeRef::I32 => {
            let n = number() as i32;
            quote! { #n }
        }
        TypeRef::U64 => {
            let n = number() as u64;
            quote! { #n }
        }
        TypeRef::I64 => {
            let n = number() as i64;
            quote! { #n }
        }
        TypeRef::F64 => {
            let n = number();
            quote! { #n }
        }
        TypeRef::Bool => {
            let b = value.as_bool().unwrap_or(text == "true");
            quote! { #b }
        }
        TypeRef::Named(name)
            if matches!(
                api.types.get(name).map(|t| &t.kind),
                Some(TypeKind::Enum { .. })
            ) =>
        {
            let ty = rust_type_in(&param.ty, root);
            quote! { #ty::from(#text) }
        }
        _ => quote! { #text },
    }
}

/// The arguments of the method (required parameters, then the body, by value) and the
/// statement that declares the body, if any. `decode` turns the body's JSON text into a value.
pub fn arguments(
    api: &Api,
    op: &Operation,
    root: &TokenStream,
    decode: impl Fn(Literal) -> TokenStream,
) -> (Option<TokenStream>, Vec<TokenStream>, bool) {
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| param_value(api, p, root))
        .collect();
    let mut optional_body = false;
    let declaration = op.body.as_ref().map(|body| {
        let ty = rust_type_in(&body.ty, root);
        let json = serde_json::to_string(&body.example).unwrap_or_default();
        let value = decode(super::literal::json_text(&json));
        if body.required {
            args.push(quote! { body });
        } else {
            optional_body = true;
        }
        quote! { let body: #ty = #value; }
    });
    (declaration, args, optional_body)
}

/// How the body of an operation's example is built: with the SDK's types from the document's
/// example (under `use authlete::models::*;`), or, where the example has no typed form, decoded
/// from its JSON (with the reason).
pub enum BodyExample {
    None,
    Typed(TokenStream),
    Json { value: TokenStream, reason: String },
}

/// The body of an operation's example (see [`BodyExample`]).
pub fn body_example(api: &Api, op: &Operation) -> BodyExample {
    let Some(body) = &op.body else {
        return BodyExample::None;
    };
    match super::literal::typed(api, &body.ty, &body.example, &quote! {}) {
        Ok(value) => BodyExample::Typed(value),
        Err(reason) => {
            let json = super::literal::json_text(
                &serde_json::to_string(&body.example).unwrap_or_default(),
            );
            BodyExample::Json {
                value: quote! { serde_json::from_str(#json).expect("the example is valid") },
                reason,
            }
        }
    }
}

/// The example program of an operation, as Rust source: an async function taking the client.
/// An operation of a service is called through a service handle (`client.service(id)`), as
/// applications do; the body is built with the SDK's types where its example allows.
pub fn example_source(api: &Api, group: &Group, op: &Operation) -> String {
    let key = (group.module.to_string(), op.name.to_string());
    let known = EXAMPLES.with(|e| e.borrow().as_ref().and_then(|m| m.get(&key).cloned()));
    if let Some(source) = known {
        return source;
    }
    let source = new_example_source(api, group, op);
    EXAMPLES.with(|e| {
        if let Some(examples) = e.borrow_mut().as_mut() {
            examples.insert(key, source.clone());
        }
    });
    source
}

fn new_example_source(api: &Api, group: &Group, op: &Operation) -> String {
    let root = quote! { authlete };
    let name = ident(&op.name);
    let service = op
        .service_param
        .map(|index| param_value(api, &op.params[index], &root));
    let (handle, chain) = match &service {
        Some(id) => (
            quote! { let service = client.service(#id); },
            accessor_chain_from(api, group, quote! { service }),
        ),
        None => (quote! {}, accessor_chain(api, group)),
    };
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .enumerate()
        .filter(|(index, p)| p.required && Some(*index) != op.service_param)
        .map(|(_, p)| param_value(api, p, &root))
        .collect();
    let (imports, declaration) = match (body_example(api, op), op.body.as_ref()) {
        (BodyExample::Typed(value), Some(body)) => {
            // A list body names its type for an empty list; a value names it itself.
            let declared = match &body.ty {
                TypeRef::List(_) => {
                    let ty = rust_type_in(&body.ty, &root);
                    quote! { let body: #ty = #value; }
                }
                _ => quote! { let body = #value; },
            };
            (quote! { use authlete::models::*; }, declared)
        }
        (BodyExample::Json { value, .. }, Some(body)) => {
            let ty = rust_type_in(&body.ty, &root);
            (quote! {}, quote! { let body: #ty = #value; })
        }
        _ => (quote! {}, quote! {}),
    };
    let body_setter = match op.body.as_ref() {
        Some(body) if body.required => {
            args.push(quote! { body });
            quote! {}
        }
        Some(_) => quote! { .body(body) },
        None => quote! {},
    };
    let file = quote! {
        async fn example(client: &authlete::Client) -> Result<(), authlete::Error> {
            #imports
            #handle
            #declaration
            let response = #chain.#name(#(#args),*)#body_setter.send().await?;
            println!("{response:?}");
            Ok(())
        }
    };
    format_example(file)
}

/// An example as formatted source. The tokens are the generator's own, so they parse; were
/// they ever not to, the example is still shown, unformatted, rather than dropped (and the
/// crate's doctests, which compile every example, fail on it).
fn format_example(file: TokenStream) -> String {
    match syn::parse2::<syn::File>(file.clone()) {
        Ok(parsed) => prettyplease::unparse(&parsed),
        Err(_) => file.to_string(),
    }
}

/// The example as a rustdoc code block whose wrapper lines are hidden.
pub fn doctest(source: &str) -> String {
    let mut out = String::from("```no_run\n");
    for line in source.lines() {
        let hidden = line.starts_with("async fn example") || line == "}" || line.trim() == "Ok(())";
        if hidden {
            out.push_str("# ");
            out.push_str(line);
        } else {
            out.push_str(line.strip_prefix("    ").unwrap_or(line));
        }
        out.push('\n');
    }
    out.push_str("```");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_that_does_not_parse_is_shown_unformatted_not_dropped() {
        let broken = quote! { fn fn (example) };
        assert_eq!(format_example(broken.clone()), broken.to_string());
        let fine = quote! { fn example() { let x = 1; } };
        assert!(format_example(fine).contains("let x = 1;\n"));
    }
}
