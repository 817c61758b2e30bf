//! How an operation is called: the accessor chain, arguments from the document's examples, and
//! the example program shown in the method's rustdoc (a compiled doctest) and in the Markdown
//! docs. The conformance test calls operations the same way.

use super::syntax::{
    await_expr, call, literal_expr, method_call, parsed_expr, parsed_stmt, parsed_type, path_expr,
    str_lit, try_expr,
};
use super::{ident, rust_type_in};
use crate::ir::{Api, Group, Operation, Param, TypeKind, TypeRef};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};
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
    Typed(syn::Expr),
    Json { value: syn::Expr, reason: String },
}

/// The body of an operation's example (see [`BodyExample`]).
pub fn body_example(api: &Api, op: &Operation) -> BodyExample {
    let Some(body) = &op.body else {
        return BodyExample::None;
    };
    match super::literal::typed(api, &body.ty, &body.example, &[]) {
        Ok(value) => BodyExample::Typed(value),
        Err(reason) => {
            let json = super::literal::json_text(
                &serde_json::to_string(&body.example).unwrap_or_default(),
            );
            let from_str = path_expr(&[&ident("serde_json"), &ident("from_str")]);
            let value = method_call(
                call(from_str, vec![literal_expr(json)]),
                "expect",
                vec![str_lit("the example is valid")],
            );
            BodyExample::Json { value, reason }
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
    let service = op
        .service_param
        .map(|index| param_value(api, &op.params[index], &root));
    let mut statements = Vec::new();
    let chain = match &service {
        Some(id) => {
            statements.push(parsed_stmt(quote! { let service = client.service(#id); }));
            accessor_chain_from(api, group, quote! { service })
        }
        None => accessor_chain(api, group),
    };
    let mut args: Vec<syn::Expr> = op
        .params
        .iter()
        .enumerate()
        .filter(|(index, p)| p.required && Some(*index) != op.service_param)
        .map(|(_, p)| parsed_expr(param_value(api, p, &root)))
        .collect();
    let declared = |ty: Option<syn::Type>, value: syn::Expr| {
        let body = syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: ident("body"),
            subpat: None,
        });
        let pat = match ty {
            Some(ty) => syn::Pat::Type(syn::PatType {
                attrs: Vec::new(),
                pat: Box::new(body),
                colon_token: Default::default(),
                ty: Box::new(ty),
            }),
            None => body,
        };
        syn::Stmt::Local(syn::Local {
            attrs: Vec::new(),
            let_token: Default::default(),
            pat,
            init: Some(syn::LocalInit {
                eq_token: Default::default(),
                expr: Box::new(value),
                diverge: None,
            }),
            semi_token: Default::default(),
        })
    };
    let body_type = |ty: &TypeRef| parsed_type(rust_type_in(ty, &root));
    match (body_example(api, op), op.body.as_ref()) {
        (BodyExample::Typed(value), Some(body)) => {
            statements.insert(
                0,
                super::prebuilt::parsed_once("use models", || quote! { use authlete::models::*; }),
            );
            // A list body names its type for an empty list; a value names it itself.
            let ty = matches!(body.ty, TypeRef::List(_)).then(|| body_type(&body.ty));
            statements.push(declared(ty, value));
        }
        (BodyExample::Json { value, .. }, Some(body)) => {
            statements.push(declared(Some(body_type(&body.ty)), value));
        }
        _ => {}
    }
    let body = || path_expr(&[&ident("body")]);
    let mut request = match op.body.as_ref() {
        Some(body_param) if body_param.required => {
            args.push(body());
            method_call(parsed_expr(chain), op.name.as_str(), args)
        }
        Some(_) => method_call(
            method_call(parsed_expr(chain), op.name.as_str(), args),
            "body",
            vec![body()],
        ),
        None => method_call(parsed_expr(chain), op.name.as_str(), args),
    };
    request = try_expr(await_expr(method_call(request, "send", Vec::new())));
    let mut example: syn::ItemFn = super::prebuilt::parsed_once("example program", || {
        quote! {
            async fn example(client: &authlete::Client) -> Result<(), authlete::Error> {
                let response = request;
                println!("{response:?}");
                Ok(())
            }
        }
    });
    // The skeleton's first statement is `let response = …;` (a constant of this function).
    if let Some(syn::Stmt::Local(response)) = example.block.stmts.first_mut() {
        if let Some(init) = &mut response.init {
            *init.expr = request;
        }
    }
    example.block.stmts.splice(0..0, statements);
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Fn(example)],
    };
    // A part that did not parse (kept as tokens) is shown unformatted rather than dropped (and
    // the crate's doctests, which compile every example, fail on it).
    crate::write::unparse(&file).unwrap_or_else(|| file.into_token_stream().to_string())
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

    /// prettyplease panics on a part kept as tokens; `write::unparse` turns that into `None`
    /// (the example then shows its tokens, a file is an internal error), never a crash.
    #[test]
    fn a_part_that_does_not_parse_is_no_crash() {
        let mut example: syn::ItemFn = syn::parse_quote! { fn example() { let x = 1; } };
        let file = |example: &syn::ItemFn| syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![syn::Item::Fn(example.clone())],
        };
        let fine = crate::write::unparse(&file(&example)).unwrap();
        assert!(fine.contains("let x = 1;\n"), "{fine}");
        let broken = parsed_expr(quote! { fn fn (example) });
        assert!(matches!(broken, syn::Expr::Verbatim(_)));
        example.block.stmts.push(syn::Stmt::Expr(
            method_call(broken, "send", Vec::new()),
            None,
        ));
        assert_eq!(crate::write::unparse(&file(&example)), None);
    }
}
