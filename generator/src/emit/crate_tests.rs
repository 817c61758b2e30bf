//! The crate's own tests made from the document: `tests/examples.rs` (every example of the
//! document decodes into its type and encodes back) and `tests/conformance.rs` (every operation,
//! in every body encoding, called through the SDK against a mock server of the document).

use super::usage::{accessor_chain, arguments};
use super::{ident, rust_type_in};
use crate::ir::{Api, BodyEncoding, Operation};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub fn emit(api: &Api, files: &mut BTreeMap<String, TokenStream>) {
    files.insert("tests/examples.rs".to_string(), examples(api));
    files.insert("tests/conformance.rs".to_string(), conformance(api));
    files.insert("tests/sensitive.rs".to_string(), sensitive(api));
}

/// `tests/sensitive.rs`: every struct that holds a sensitive field (`x-sensitive`), at any depth,
/// decoded from a sample with every field set: its `Debug` shows none of the secrets, and it
/// still encodes them (redaction is for display only).
fn sensitive(api: &Api) -> TokenStream {
    let secret = super::samples::SECRET;
    let checks: Vec<TokenStream> = api
        .types
        .values()
        .filter(|def| matches!(def.kind, crate::ir::TypeKind::Struct { .. }))
        .filter_map(|def| {
            let ty = crate::ir::TypeRef::Named(def.name.to_string());
            // A type that requires itself has no finite sample (and no value to print).
            let sample = super::samples::every_field(api, &ty)?;
            super::samples::holds_secret(&sample).then(|| {
                let rust = rust_type_in(&ty, &root());
                let json = super::literal::json_text(&sample.to_string());
                let name = def.name.as_str();
                quote! { support::debug_hides_secrets::<#rust>(#name, #json, SECRET, &mut failures); }
            })
        })
        .collect();
    let count = checks.len();
    let (failures, secret_const) = if count == 0 {
        (quote! { failures }, quote! {})
    } else {
        (
            quote! { mut failures },
            quote! { /// What every sensitive string of the samples holds.
            const SECRET: &str = #secret; },
        )
    };
    quote! {
        //! Every type that holds a field the document marks sensitive (`x-sensitive`, at any
        //! depth), decoded from a sample with every field set: `Debug` shows `***` for each
        //! secret and never the secret itself, while encoding still sends it.
        #![allow(deprecated)]
        // Formatted by prettyplease when emitted; `cargo fmt` leaves it as it is, so that a
        // formatted tree still matches `make check`.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        mod support;

        #secret_const

        #[test]
        fn debug_hides_every_sensitive_field() {
            let #failures: Vec<String> = Vec::new();
            #(#checks)*
            support::report(&format!("sensitive: {} types checked, {} failed", #count, failures.len()));
            assert!(failures.is_empty(), "{} type(s) show a secret:\n{}", failures.len(), failures.join("\n"));
        }
    }
}

fn root() -> TokenStream {
    quote! { authlete }
}

fn examples(api: &Api) -> TokenStream {
    let checks = api.examples.iter().map(|(source, example)| {
        let ty = rust_type_in(&example.ty, &root());
        let json =
            super::literal::json_text(&serde_json::to_string(&example.value).unwrap_or_default());
        quote! { support::round_trip::<#ty>(#source, #json, &mut failures); }
    });
    let count = api.examples.len();
    let fixes = &api.example_fixes;
    let failures = if count == 0 {
        quote! { failures }
    } else {
        quote! { mut failures }
    };
    quote! {
        //! Every JSON example of the OpenAPI document decodes into the type the document assigns
        //! to it and encodes back to the same JSON (fields the example sets to null aside).
        #![allow(deprecated)]
        // Formatted by prettyplease when emitted; `cargo fmt` leaves it as it is, so that a
        // formatted tree still matches `make check`.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        mod support;

        /// Examples the document gets wrong, fixed in spec/overlay.yaml (never by loosening a type).
        const FIXED_IN_OVERLAY: &[&str] = &[#(#fixes),*];

        #[test]
        fn every_example_round_trips() {
            let #failures: Vec<String> = Vec::new();
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
            if op
                .body
                .as_ref()
                .is_some_and(|b| b.encoding == BodyEncoding::JsonOrForm)
            {
                calls.push(call(api, &chain, op, true));
            }
        }
    }
    let setup = if calls.is_empty() {
        // Still starts the mock server: the document must be one it accepts.
        quote! {
            let Some(_prism) = support::Prism::start() else { return };
            let calls = support::Calls::default();
        }
    } else {
        quote! {
            let Some(prism) = support::Prism::start() else { return };
            let client = prism.client();
            let mut calls = support::Calls::default();
        }
    };
    quote! {
        //! Every operation of the document called through the SDK (the JSON and the form variant
        //! where both exist), with arguments from the document's examples, against Prism serving
        //! the same document: each request must pass Prism's validation and each response must
        //! decode. The calls are emitted from the generator's IR, so a new operation is covered
        //! by regenerating. Deprecated operations are called too.
        #![allow(deprecated)]
        // Formatted by prettyplease when emitted; `cargo fmt` leaves it as it is, so that a
        // formatted tree still matches `make check`.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        mod support;

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn every_operation_conforms_to_the_document() {
            #setup
            #(#calls)*
            calls.finish(&[#(#operation_ids),*]);
        }
    }
}

fn call(api: &Api, chain: &TokenStream, op: &Operation, form: bool) -> TokenStream {
    let name = ident(&op.name);
    let operation_id = &op.operation_id;
    let variant = if form { "form" } else { "json" };
    let (declaration, args, optional_body) =
        arguments(api, op, &root(), |json| quote! { support::example(#json)? });
    let body_setter = if optional_body {
        quote! { .body(body) }
    } else {
        quote! {}
    };
    let form_setter = if form {
        quote! { .form() }
    } else {
        quote! {}
    };
    quote! {
        calls.record(#operation_id, #variant, async {
            #declaration
            #chain.#name(#(#args),*)#body_setter #form_setter.send().await.map_err(support::describe)?;
            Result::<(), String>::Ok(())
        }.await);
    }
}
