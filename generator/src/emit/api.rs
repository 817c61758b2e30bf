//! One file per group under `src/emitted/api/`: the group handle, its methods (required
//! parameters positional), and a request builder per operation (optional parameters as setters,
//! `.form()` where the operation also takes a form body, finished by `.send()`).

use super::{doc_attrs, ident, rust_type};
use crate::ir::{Api, Body, Group, Operation, Param, ParamLocation, PathSegment, ResponseKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

pub fn emit(api: &Api, files: &mut BTreeMap<String, TokenStream>) {
    let modules: Vec<_> = api.groups.values().map(|g| ident(&g.module)).collect();
    let top: Vec<&Group> = api.groups.values().filter(|g| g.parent.is_none()).collect();
    let accessors = top.iter().map(|g| accessor(g, quote! { self }));
    files.insert(
        "src/emitted/api/mod.rs".to_string(),
        quote! {
            //! The operations of the API, in groups: `client.<group>().<operation>(required…)`,
            //! then optional setters, then `.send().await`.
            #( pub mod #modules; )*

            impl crate::Client {
                #(#accessors)*
            }
        },
    );
    for group in api.groups.values() {
        files.insert(format!("src/emitted/api/{}.rs", group.module), group_file(api, group));
    }
}

/// `pub fn token(&self) -> super::token::Token<'_>` on the client or a parent group.
fn accessor(group: &Group, client: TokenStream) -> TokenStream {
    let name = ident(&group.accessor);
    let module = ident(&group.module);
    let ty = ident(&group.type_name);
    let doc = doc_attrs(group.doc.as_deref().unwrap_or("Operations of this group."));
    quote! {
        #doc
        pub fn #name(&self) -> crate::api::#module::#ty<'_> {
            crate::api::#module::#ty::new(#client)
        }
    }
}

fn group_file(api: &Api, group: &Group) -> TokenStream {
    let ty = ident(&group.type_name);
    let doc = doc_attrs(group.doc.as_deref().unwrap_or("Operations of this group."));
    let children = group.children.iter().map(|child| {
        let child = &api.groups[child];
        let name = ident(&child.accessor);
        let module = ident(&child.module);
        let child_ty = ident(&child.type_name);
        let doc = doc_attrs(child.doc.as_deref().unwrap_or("Operations of this group."));
        quote! {
            #doc
            pub fn #name(&self) -> crate::api::#module::#child_ty<'a> {
                crate::api::#module::#child_ty::new(self.client)
            }
        }
    });
    let methods = group.operations.iter().map(method);
    let builders = group.operations.iter().map(|op| builder(group, op));
    quote! {
        #doc
        #[derive(Clone, Copy, Debug)]
        pub struct #ty<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #ty<'a> {
            pub(crate) fn new(client: &'a crate::Client) -> Self {
                Self { client }
            }

            #(#children)*
            #(#methods)*
        }

        #(#builders)*
    }
}

/// The borrowed body type: a list body is taken as a slice (`&[T]`, not `&Vec<T>`).
fn body_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::List(item) => {
            let item = rust_type(item);
            quote! { [#item] }
        }
        other => rust_type(other),
    }
}

fn required_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.required)
}

fn optional_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| !p.required)
}

fn operation_doc(op: &Operation) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary);
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}` (operation `{}`)", op.method.as_str(), op.path, op.operation_id));
    if let Some(description) = &op.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    let mut doc = doc_attrs(&text);
    if op.deprecated {
        doc.extend(quote! { #[deprecated] });
    }
    doc
}

fn method(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let doc = operation_doc(op);
    let params = required_params(op).map(|p| {
        let pname = ident(&p.name);
        let ty = rust_type(&p.ty);
        quote! { #pname: impl ::std::convert::Into<#ty> }
    });
    let body_param = match &op.body {
        Some(body) if body.required => {
            let ty = body_type(&body.ty);
            quote! { body: &'a #ty, }
        }
        _ => quote! {},
    };
    let mut inits: Vec<TokenStream> = vec![quote! { client: self.client }];
    for p in &op.params {
        let pname = ident(&p.name);
        inits.push(if p.required { quote! { #pname: #pname.into() } } else { quote! { #pname: ::std::option::Option::None } });
    }
    if let Some(body) = &op.body {
        inits.push(if body.required { quote! { body } } else { quote! { body: ::std::option::Option::None } });
        if body.form && !body.form_only {
            inits.push(quote! { form: false });
        }
    }
    quote! {
        #doc
        pub fn #name(&self, #(#params,)* #body_param) -> #builder<'a> {
            #builder { #(#inits),* }
        }
    }
}

fn builder(group: &Group, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let doc = doc_attrs(&format!("Request builder of [`{}::{}`]: set optional parameters, then `.send().await`.", group.type_name, op.name));
    let mut fields: Vec<TokenStream> = vec![quote! { client: &'a crate::Client }];
    for p in &op.params {
        let pname = ident(&p.name);
        let ty = rust_type(&p.ty);
        fields.push(if p.required { quote! { #pname: #ty } } else { quote! { #pname: ::std::option::Option<#ty> } });
    }
    if let Some(body) = &op.body {
        let ty = body_type(&body.ty);
        fields.push(if body.required { quote! { body: &'a #ty } } else { quote! { body: ::std::option::Option<&'a #ty> } });
        if body.form && !body.form_only {
            fields.push(quote! { form: bool });
        }
    }
    let setters = optional_params(op).map(|p| {
        let pname = ident(&p.name);
        let ty = rust_type(&p.ty);
        let doc = doc_attrs(&format!("`{}` ({}).{}", p.wire, "query", p.doc.as_deref().map(|d| format!("\n\n{d}")).unwrap_or_default()));
        quote! {
            #doc
            pub fn #pname(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#pname = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let body_setters = body_setters(op.body.as_ref());
    let send = send(op);
    quote! {
        #doc
        #[derive(Debug)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #builder<'a> {
            #(#fields,)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*
            #body_setters
            #send
        }
    }
}

fn body_setters(body: Option<&Body>) -> TokenStream {
    let Some(body) = body else { return quote! {} };
    let optional = if body.required {
        quote! {}
    } else {
        let ty = body_type(&body.ty);
        quote! {
            /// The request body (optional for this operation).
            pub fn body(mut self, body: &'a #ty) -> Self {
                self.body = ::std::option::Option::Some(body);
                self
            }
        }
    };
    let form = if body.form && !body.form_only {
        quote! {
            /// Sends the body as `application/x-www-form-urlencoded` instead of JSON (the operation
            /// accepts both). Scalars are values, arrays of scalars repeat the key, objects and
            /// arrays of objects are JSON text (OpenAPI 3.0's Encoding Object defaults).
            pub fn form(mut self) -> Self {
                self.form = true;
                self
            }
        }
    } else {
        quote! {}
    };
    quote! { #optional #form }
}

fn send(op: &Operation) -> TokenStream {
    let method = ident(op.method.as_str());
    let operation_id = &op.operation_id;
    let path_template = &op.path;
    let pieces: Vec<TokenStream> = op
        .segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => quote! { #text },
            PathSegment::Param(index) => {
                let pname = ident(&op.params[*index].name);
                quote! { &crate::runtime::path_param(&self.#pname) }
            }
        })
        .collect();
    let path = if op.segments.iter().all(|s| matches!(s, PathSegment::Literal(_))) {
        quote! { let path = ::std::string::String::from(#path_template); }
    } else {
        quote! { let path = [#(#pieces),*].concat(); }
    };
    let query_params: Vec<&Param> = op.params.iter().filter(|p| p.location == ParamLocation::Query).collect();
    let required_query = query_params.iter().filter(|p| p.required).map(|p| {
        let pname = ident(&p.name);
        let wire = &p.wire;
        quote! { (#wire, self.#pname.to_string()) }
    });
    let optional_query: Vec<TokenStream> = query_params
        .iter()
        .filter(|p| !p.required)
        .map(|p| {
            let pname = ident(&p.name);
            let wire = &p.wire;
            quote! {
                if let ::std::option::Option::Some(value) = &self.#pname {
                    query.push((#wire, value.to_string()));
                }
            }
        })
        .collect();
    let query = if optional_query.is_empty() {
        quote! { let query: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec![#(#required_query),*]; }
    } else {
        quote! {
            let mut query: ::std::vec::Vec<(&'static str, ::std::string::String)> = ::std::vec![#(#required_query),*];
            #(#optional_query)*
        }
    };
    let body = match &op.body {
        None => quote! { let body = crate::runtime::RequestBody::None; },
        Some(body) => {
            let encode = |value: TokenStream| {
                if body.form_only {
                    quote! { crate::runtime::RequestBody::form(#value)? }
                } else if body.form {
                    quote! {
                        if self.form { crate::runtime::RequestBody::form(#value)? } else { crate::runtime::RequestBody::json(#value)? }
                    }
                } else {
                    quote! { crate::runtime::RequestBody::json(#value)? }
                }
            };
            if body.required {
                let encoded = encode(quote! { self.body });
                quote! { let body = #encoded; }
            } else {
                let encoded = encode(quote! { value });
                quote! {
                    let body = match self.body {
                        ::std::option::Option::Some(value) => #encoded,
                        ::std::option::Option::None => crate::runtime::RequestBody::None,
                    };
                }
            }
        }
    };
    let (output, decode) = match &op.response {
        ResponseKind::Json(ty) => {
            let ty = rust_type(ty);
            (ty.clone(), quote! { response.json::<#ty>() })
        }
        ResponseKind::JsonOrEmpty(ty) => {
            let ty = rust_type(ty);
            (quote! { ::std::option::Option<#ty> }, quote! { response.json_or_empty::<#ty>() })
        }
        ResponseKind::Empty => (quote! { () }, quote! { response.empty() }),
        ResponseKind::Text => (quote! { ::std::string::String }, quote! { response.text() }),
    };
    let returns_doc = doc_attrs(match &op.response {
        ResponseKind::Json(_) => "Sends the request and decodes the JSON response.",
        ResponseKind::JsonOrEmpty(_) => "Sends the request; `None` when the server answers with no content.",
        ResponseKind::Empty => "Sends the request; the response has no content.",
        ResponseKind::Text => "Sends the request and returns the text response.",
    });
    quote! {
        #returns_doc
        pub async fn send(self) -> ::std::result::Result<#output, crate::Error> {
            #path
            #query
            #body
            let response = self
                .client
                .execute(crate::runtime::Request {
                    operation_id: #operation_id,
                    method: ::reqwest::Method::#method,
                    path_template: #path_template,
                    path,
                    query,
                    body,
                })
                .await?;
            #decode
        }
    }
}
