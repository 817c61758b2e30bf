//! The crate's own tests made from the document: `tests/examples.rs` (every example of the
//! document decodes into its type and encodes back) and `tests/conformance.rs` (every operation,
//! in every body encoding, called through the SDK against a mock server of the document).

use super::{ident, rust_type_in};
use crate::ir::{Api, Group, Operation, Param, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub fn emit(api: &Api, files: &mut BTreeMap<String, TokenStream>) {
    files.insert("tests/examples.rs".to_string(), examples(api));
    files.insert("tests/conformance.rs".to_string(), conformance(api));
}

fn root() -> TokenStream {
    quote! { authlete }
}

fn examples(api: &Api) -> TokenStream {
    let checks = api.examples.iter().map(|(source, example)| {
        let ty = rust_type_in(&example.ty, &root());
        let json = serde_json::to_string(&example.value).unwrap_or_default();
        quote! { support::round_trip::<#ty>(#source, #json, &mut failures); }
    });
    let count = api.examples.len();
    let fixes = &api.example_fixes;
    let failures = if count == 0 { quote! { failures } } else { quote! { mut failures } };
    quote! {
        //! Every JSON example of the OpenAPI document decodes into the type the document assigns
        //! to it and encodes back to the same JSON (fields the example sets to null aside).

        mod support;

        /// Examples the document gets wrong, fixed in spec/overlay.yaml (never by loosening a type).
        const FIXED_IN_OVERLAY: &[&str] = &[#(#fixes),*];

        #[test]
        fn every_example_round_trips() {
            let #failures: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#checks)*
            support::report(&format!("examples: {} checked, {} failed", #count, failures.len()));
            support::report(&format!("examples fixed in spec/overlay.yaml: {}", FIXED_IN_OVERLAY.len()));
            for fix in FIXED_IN_OVERLAY {
                support::report(&format!("  {fix}"));
            }
            assert!(failures.is_empty(), "{} example(s) do not round-trip:\n{}", failures.len(), failures.join("\n"));
        }
    }
}

fn conformance(api: &Api) -> TokenStream {
    let mut calls = Vec::new();
    let mut operation_ids = Vec::new();
    for group in api.groups.values() {
        let chain = accessor_chain(api, group);
        for op in &group.operations {
            operation_ids.push(op.operation_id.clone());
            calls.push(call(api, &chain, op, false));
            if op.body.as_ref().is_some_and(|b| b.form && !b.form_only) {
                calls.push(call(api, &chain, op, true));
            }
        }
    }
    quote! {
        //! Every operation of the document called through the SDK (the JSON and the form variant
        //! where both exist), with arguments from the document's examples, against Prism serving
        //! the same document: each request must pass Prism's validation and each response must
        //! decode. The calls are emitted from the generator's IR, so a new operation is covered
        //! by regenerating.

        mod support;

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn every_operation_conforms_to_the_document() {
            let prism = support::Prism::start();
            let client = prism.client();
            let mut calls = support::Calls::default();
            #(#calls)*
            calls.finish(&[#(#operation_ids),*]);
        }
    }
}

/// `client.token().management()` for a group.
fn accessor_chain(api: &Api, group: &Group) -> TokenStream {
    let mut chain = vec![ident(&group.accessor)];
    let mut parent = group.parent.as_ref();
    while let Some(module) = parent {
        let Some(g) = api.groups.get(module) else { break };
        chain.insert(0, ident(&g.accessor));
        parent = g.parent.as_ref();
    }
    quote! { client #(.#chain())* }
}

fn call(api: &Api, chain: &TokenStream, op: &Operation, form: bool) -> TokenStream {
    let name = ident(&op.name);
    let operation_id = &op.operation_id;
    let variant = if form { "form" } else { "json" };
    let args = op.params.iter().filter(|p| p.required).map(|p| param_value(api, p));
    let (body_decl, body_arg, body_setter) = match &op.body {
        Some(body) => {
            let ty = rust_type_in(&body.ty, &root());
            let json = serde_json::to_string(&body.example).unwrap_or_default();
            let decl = quote! { let body: #ty = support::example(#json)?; };
            if body.required {
                (decl, quote! { &body }, quote! {})
            } else {
                (decl, quote! {}, quote! { .body(&body) })
            }
        }
        None => (quote! {}, quote! {}, quote! {}),
    };
    let form_setter = if form { quote! { .form() } } else { quote! {} };
    let mut all_args: Vec<TokenStream> = args.collect();
    if !body_arg.is_empty() {
        all_args.push(body_arg);
    }
    quote! {
        calls.record(#operation_id, #variant, async {
            #body_decl
            #chain.#name(#(#all_args),*)#body_setter #form_setter.send().await.map_err(support::describe)?;
            ::std::result::Result::<(), ::std::string::String>::Ok(())
        }.await);
    }
}

/// A parameter's example as a Rust expression of its type.
fn param_value(api: &Api, param: &Param) -> TokenStream {
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
            let ty = rust_type_in(&param.ty, &root());
            quote! { #ty::from(#text) }
        }
        _ => quote! { #text },
    }
}
