//! The crate's own tests made from the document: `tests/examples.rs` (every example of the
//! document decodes into its type and encodes back) and `tests/conformance.rs` (every operation,
//! in every body encoding, called through the SDK against a mock server of the document).

use super::syntax::{
    async_block, await_expr, call, literal_expr, method_call, parsed_expr, parsed_stmt,
    parsed_type, path_expr, semi_stmt, str_lit, try_expr,
};
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
    let checks: Vec<syn::Stmt> = api
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
                let args = vec![
                    str_lit(def.name.as_str()),
                    literal_expr(json),
                    path_expr(&[&ident("SECRET")]),
                    failures_arg(),
                ];
                support_check("debug_hides_secrets", rust, args)
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
    let test = test_fn(
        |checks| {
            quote! {
                #[test]
                fn debug_hides_every_sensitive_field() {
                    let #failures: Vec<String> = Vec::new();
                    #checks
                    support::report(&format!("sensitive: {} types checked, {} failed", #count, failures.len()));
                    assert!(failures.is_empty(), "{} type(s) show a secret:\n{}", failures.len(), failures.join("\n"));
                }
            }
        },
        checks,
    );
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

        #test
    }
}

fn root() -> TokenStream {
    quote! { authlete }
}

fn examples(api: &Api) -> TokenStream {
    let checks = api
        .examples
        .iter()
        .map(|(source, example)| {
            let ty = rust_type_in(&example.ty, &root());
            let json = super::literal::json_text(
                &serde_json::to_string(&example.value).unwrap_or_default(),
            );
            let args = vec![str_lit(source), literal_expr(json), failures_arg()];
            support_check("round_trip", ty, args)
        })
        .collect();
    let count = api.examples.len();
    let fixes = &api.example_fixes;
    let failures = if count == 0 {
        quote! { failures }
    } else {
        quote! { mut failures }
    };
    let test = test_fn(
        |checks| {
            quote! {
                #[test]
                fn every_example_round_trips() {
                    let #failures: Vec<String> = Vec::new();
                    #checks
                    support::report(&format!("examples: {} checked, {} failed", #count, failures.len()));
                    support::report(&format!("examples fixed in spec/overlay.yaml: {}", FIXED_IN_OVERLAY.len()));
                    for fix in FIXED_IN_OVERLAY {
                        support::report(&format!("  {fix}"));
                    }
                    assert!(failures.is_empty(), "{} example(s) do not round-trip:\n{}", failures.len(), failures.join("\n"));
                }
            }
        },
        checks,
    );
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

        #test
    }
}

fn conformance(api: &Api) -> TokenStream {
    // The calls are built as syntax trees (`tests/conformance.rs` was the largest file syn
    // parsed back); only their varied parts (the accessor chain, the arguments, the body's
    // declaration) are parsed from tokens, each on its own.
    let ok = parsed_expr(quote! { Result::<(), String>::Ok(()) });
    let mut calls = Vec::new();
    let mut operation_ids = Vec::new();
    for group in api.groups.values() {
        let chain = parsed_expr(accessor_chain(api, group));
        for op in &group.operations {
            operation_ids.push(op.operation_id.clone());
            calls.push(recorded_call(api, &chain, &ok, op, false));
            if op
                .body
                .as_ref()
                .is_some_and(|b| b.encoding == BodyEncoding::JsonOrForm)
            {
                calls.push(recorded_call(api, &chain, &ok, op, true));
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
    let test = test_fn(
        |calls| {
            quote! {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn every_operation_conforms_to_the_document() {
                    #setup
                    #calls
                    calls.finish(&[#(#operation_ids),*]);
                }
            }
        },
        calls,
    );
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

        #test
    }
}

/// A test function whose tokens `test` makes around its checks, with the checks as trees: the
/// function is parsed with a placeholder statement where they go (one parse of the few tokens
/// around them), and the placeholder replaced.
fn test_fn(test: impl Fn(TokenStream) -> TokenStream, checks: Vec<syn::Stmt>) -> TokenStream {
    const PLACEHOLDER: &str = "__checks";
    let placeholder = ident(PLACEHOLDER);
    let parsed = syn::parse2::<syn::ItemFn>(test(quote! { #placeholder; }))
        .ok()
        .and_then(|mut function| {
            let at = function.block.stmts.iter().position(|stmt| {
                matches!(stmt, syn::Stmt::Expr(syn::Expr::Path(p), Some(_)) if p.path.is_ident(PLACEHOLDER))
            })?;
            function.block.stmts.splice(at..=at, checks.iter().cloned());
            Some(function)
        });
    match parsed {
        Some(function) => super::prebuilt::item(syn::Item::Fn(function)),
        // Tokens that do not parse stay tokens: the file's parse reports them.
        None => test(quote! { #(#checks)* }),
    }
}

/// `support::function::<ty>(args…);`
fn support_check(function: &str, ty: TokenStream, args: Vec<syn::Expr>) -> syn::Stmt {
    let mut path = syn::Path::from(ident("support"));
    path.segments.push(syn::PathSegment {
        ident: ident(function),
        arguments: syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: Some(Default::default()),
            lt_token: Default::default(),
            args: [syn::GenericArgument::Type(parsed_type(ty))]
                .into_iter()
                .collect(),
            gt_token: Default::default(),
        }),
    });
    let function = syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    });
    semi_stmt(call(function, args))
}

/// `&mut failures`.
fn failures_arg() -> syn::Expr {
    syn::Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: Some(Default::default()),
        expr: Box::new(path_expr(&[&ident("failures")])),
    })
}

/// `calls.record("operationId", "json", async { …the call… }.await);`
fn recorded_call(
    api: &Api,
    chain: &syn::Expr,
    ok: &syn::Expr,
    op: &Operation,
    form: bool,
) -> syn::Stmt {
    let variant = if form { "form" } else { "json" };
    let (declaration, args, optional_body) =
        arguments(api, op, &root(), |json| quote! { support::example(#json)? });
    let mut stmts: Vec<syn::Stmt> = declaration.map(parsed_stmt).into_iter().collect();
    let args = args.into_iter().map(parsed_expr).collect();
    let mut request = method_call(chain.clone(), op.name.as_str(), args);
    if optional_body {
        request = method_call(request, "body", vec![path_expr(&[&ident("body")])]);
    }
    if form {
        request = method_call(request, "form", Vec::new());
    }
    let sent = await_expr(method_call(request, "send", Vec::new()));
    let describe = path_expr(&[&ident("support"), &ident("describe")]);
    stmts.push(semi_stmt(try_expr(method_call(
        sent,
        "map_err",
        vec![describe],
    ))));
    stmts.push(syn::Stmt::Expr(ok.clone(), None));
    semi_stmt(method_call(
        path_expr(&[&ident("calls")]),
        "record",
        vec![
            str_lit(&op.operation_id),
            str_lit(variant),
            await_expr(async_block(stmts)),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checks() -> Vec<syn::Stmt> {
        let args = vec![str_lit("a"), failures_arg()];
        vec![
            support_check("round_trip", quote! { authlete::models::A }, args.clone()),
            support_check("round_trip", quote! { Vec<u8> }, args),
        ]
    }

    #[test]
    fn the_checks_take_the_placeholders_place() {
        let (test, mut items) = super::super::prebuilt::collecting(|| {
            test_fn(
                |checks| quote! { fn t() { let x = 1; #checks drop(x); } },
                checks(),
            )
        });
        // A tree: its marker stands in the tokens.
        assert_eq!(test.to_string(), "__authlete_codegen_item ! (0) ;");
        let mut file: syn::File = syn::parse2(test).unwrap();
        super::super::prebuilt::substitute(&mut file, &mut items).unwrap();
        assert_eq!(
            prettyplease::unparse(&file),
            "fn t() {\n    let x = 1;\n    support::round_trip::<authlete::models::A>(\"a\", &mut failures);\n    support::round_trip::<Vec<u8>>(\"a\", &mut failures);\n    drop(x);\n}\n"
        );
    }

    #[test]
    fn a_function_that_does_not_parse_stays_tokens() {
        let test = test_fn(|checks| quote! { fn t() -> { #checks } }, checks());
        let text = test.to_string();
        assert!(text.starts_with("fn t () -> {"), "{text}");
        assert!(
            text.contains("support :: round_trip :: < Vec < u8 > >"),
            "{text}"
        );
        assert!(!text.contains("__checks"), "{text}");
    }
}
