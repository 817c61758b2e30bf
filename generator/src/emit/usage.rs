//! How an operation is called: the accessor chain, arguments from the document's examples, and
//! the example program shown in the method's rustdoc (a compiled doctest) and in the Markdown
//! docs. The conformance test calls operations the same way.

use super::{ident, rust_type_in};
use crate::ir::{Api, Group, Operation, Param, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;

/// `client.token().management()` for a group.
pub fn accessor_chain(api: &Api, group: &Group) -> TokenStream {
    let mut chain = vec![ident(&group.accessor)];
    let mut parent = group.parent.as_ref();
    while let Some(module) = parent {
        let Some(g) = api.groups.get(module) else { break };
        chain.insert(0, ident(&g.accessor));
        parent = g.parent.as_ref();
    }
    quote! { client #(.#chain())* }
}

/// A parameter's example as a Rust expression of its type (`root` names the crate).
pub fn param_value(api: &Api, param: &Param, root: &TokenStream) -> TokenStream {
    let value = &param.example;
    let text = match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let number = || value.as_f64().or_else(|| text.parse().ok()).unwrap_or(1.0);
    match &param.ty {
        TypeRef::I32 => {
            let n = number() as i32;
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
        TypeRef::Named(name) if matches!(api.types.get(name).map(|t| &t.kind), Some(TypeKind::Enum { .. })) => {
            let ty = rust_type_in(&param.ty, root);
            quote! { #ty::from(#text) }
        }
        _ => quote! { #text },
    }
}

/// The arguments of the method (required parameters, then the body, by value) and the
/// statement that declares the body, if any. `decode` turns the body's JSON text into a value.
pub fn arguments(api: &Api, op: &Operation, root: &TokenStream, decode: impl Fn(&str) -> TokenStream) -> (Option<TokenStream>, Vec<TokenStream>, bool) {
    let mut args: Vec<TokenStream> = op.params.iter().filter(|p| p.required).map(|p| param_value(api, p, root)).collect();
    let mut optional_body = false;
    let declaration = op.body.as_ref().map(|body| {
        let ty = rust_type_in(&body.ty, root);
        let json = serde_json::to_string(&body.example).unwrap_or_default();
        let value = decode(&json);
        if body.required {
            args.push(quote! { body });
        } else {
            optional_body = true;
        }
        quote! { let body: #ty = #value; }
    });
    (declaration, args, optional_body)
}

/// The example program of an operation, as Rust source: an async function taking the client.
pub fn example_source(api: &Api, group: &Group, op: &Operation) -> String {
    let root = quote! { authlete };
    let chain = accessor_chain(api, group);
    let name = ident(&op.name);
    let (declaration, args, optional_body) =
        arguments(api, op, &root, |json| quote! { serde_json::from_str(#json).expect("the example is valid") });
    let body_setter = if optional_body { quote! { .body(body) } } else { quote! {} };
    let file = quote! {
        async fn example(client: &authlete::Client) -> Result<(), authlete::Error> {
            #declaration
            let response = #chain.#name(#(#args),*)#body_setter.send().await?;
            println!("{response:?}");
            Ok(())
        }
    };
    match syn::parse2::<syn::File>(file) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => String::new(),
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
