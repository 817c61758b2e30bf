//! One file per group under `src/emitted/api/`: the group handle, its methods (required
//! parameters positional), a request builder per operation (optional parameters as setters,
//! `.form()` where the operation also takes a form body, per-call timeout and retry policy,
//! `.stream(page_size)` for paginated lists, finished by `.send()`), and the group's handle under
//! a service (`client.service(id).<group>()`), whose methods take no service id.

use super::{allow_inception, doc_attrs, ident, rust_type, spec_doc_attrs};
use crate::ir::{
    Api, Body, BodyEncoding, Group, Operation, Param, ParamLocation, PathSegment, ResponseKind,
    SERVICE_ACCESSOR, SERVICE_ID_METHOD,
};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::collections::BTreeMap;

const NO_GROUP_DOC: &str = "Operations of this group.";

pub fn emit(api: &Api, files: &mut BTreeMap<String, TokenStream>) {
    let modules: Vec<_> = api.groups.values().map(|g| ident(&g.module)).collect();
    // A group named after its parent module (a tag `API`): `api::api` is what the tag says.
    let inception = api
        .groups
        .values()
        .map(|g| allow_inception(&g.module, "api"));
    let module_docs: Vec<TokenStream> = api
        .groups
        .values()
        .map(|g| {
            // The group's own description (its tag's) first, then what the module holds.
            let about = g
                .doc
                .as_deref()
                .map(|d| super::markdown::clean(first_sentence(d)))
                .unwrap_or_default();
            let holds = format!(
                "[`{1}`]({0}::{1}) and its request builders.",
                g.module, g.type_name
            );
            doc_attrs(&if about.is_empty() {
                format!("The `{}` group: {holds}", g.module)
            } else {
                format!("{about}\n\n{holds}")
            })
        })
        .collect();
    let top: Vec<&Group> = api.groups.values().filter(|g| g.parent.is_none()).collect();
    let accessors = top
        .iter()
        .map(|g| accessor(g, false, quote! { client: self.clone() }));
    let scoped_accessors = top.iter().filter(|g| g.service_scoped).map(|g| {
        accessor(
            g,
            true,
            quote! { client: self.client.clone(), service_id: self.service_id.clone() },
        )
    });
    let (service, service_id) = (ident(SERVICE_ACCESSOR), ident(SERVICE_ID_METHOD));
    // Only a document with service-scoped operations gets `client.service(id)`.
    let (service_accessor, service_handle) = if top.iter().any(|g| g.service_scoped) {
        (
            quote! {
                /// A handle on one service: its operations take no service id. Owned and cheap to
                /// clone (`Clone + Send + Sync + 'static`), so it can be kept in application state.
                pub fn #service(&self, service_id: impl ::std::fmt::Display) -> ServiceHandle {
                    ServiceHandle { client: self.clone(), service_id: service_id.to_string() }
                }
            },
            quote! {
                /// The operations of one service (see [`crate::Client::service`]).
                #[derive(Clone, Debug)]
                pub struct ServiceHandle {
                    client: crate::Client,
                    service_id: String,
                }

                impl ServiceHandle {
                    /// The service id this handle supplies.
                    pub fn #service_id(&self) -> &str {
                        &self.service_id
                    }

                    #(#scoped_accessors)*
                }
            },
        )
    } else {
        (quote! {}, quote! {})
    };
    files.insert(
        "src/emitted/api/mod.rs".to_string(),
        quote! {
            //! The operations of the API, in groups: `client.<group>().<operation>(required…)`,
            //! then optional setters, then `.send().await`. Under a service handle,
            //! `client.service(id).<group>().<operation>(…)`, the service id is supplied.
            #( #module_docs #inception pub mod #modules; )*

            impl crate::Client {
                #service_accessor
                #(#accessors)*
            }

            #service_handle
        },
    );
    for group in api.groups.values() {
        files.insert(
            format!("src/emitted/api/{}.rs", group.module),
            group_file(api, group),
        );
    }
}

/// The first sentence of a description (up to the first `. ` or line break).
fn first_sentence(text: &str) -> &str {
    let line = text.trim().lines().next().unwrap_or_default();
    match line.find(". ") {
        Some(end) => &line[..=end],
        None => line,
    }
}

fn scoped_type(group: &Group) -> Ident {
    ident(
        group
            .scoped_type_name
            .as_deref()
            .expect("service-scoped groups have a scoped type"),
    )
}

/// `pub fn token(&self) -> crate::api::token::Token` on the client (or the service handle).
fn accessor(group: &Group, scoped: bool, args: TokenStream) -> TokenStream {
    let name = ident(&group.accessor);
    let module = ident(&group.module);
    let ty = if scoped {
        scoped_type(group)
    } else {
        ident(&group.type_name)
    };
    let doc = spec_doc_attrs(group.doc.as_deref().unwrap_or(NO_GROUP_DOC));
    quote! {
        #doc
        pub fn #name(&self) -> crate::api::#module::#ty {
            crate::api::#module::#ty { #args }
        }
    }
}

fn group_file(api: &Api, group: &Group) -> TokenStream {
    let ty = ident(&group.type_name);
    let doc = spec_doc_attrs(group.doc.as_deref().unwrap_or(NO_GROUP_DOC));
    let children: Vec<&Group> = group.children.iter().map(|c| &api.groups[c]).collect();
    let child_accessors = children.iter().map(|child| {
        let (name, module, child_ty) = (
            ident(&child.accessor),
            ident(&child.module),
            ident(&child.type_name),
        );
        let doc = spec_doc_attrs(child.doc.as_deref().unwrap_or(NO_GROUP_DOC));
        quote! {
            #doc
            pub fn #name(&self) -> crate::api::#module::#child_ty {
                crate::api::#module::#child_ty { client: self.client.clone() }
            }
        }
    });
    let methods = group.operations.iter().map(|op| method(api, group, op));
    let builders = group.operations.iter().map(|op| builder(group, op));
    let scoped = if group.service_scoped {
        scoped_group(api, group, &children)
    } else {
        quote! {}
    };
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #ty {
            pub(crate) client: crate::Client,
        }

        impl #ty {
            #(#child_accessors)*
            #(#methods)*
        }

        #scoped
        #(#builders)*
    }
}

/// The group under a service handle: the same methods, minus the service id.
fn scoped_group(api: &Api, group: &Group, children: &[&Group]) -> TokenStream {
    let scoped = scoped_type(group);
    let doc = doc_attrs(&format!(
        "[`{}`] under a service handle: the service id is supplied.",
        group.type_name
    ));
    let child_accessors = children.iter().filter(|c| c.service_scoped).map(|child| {
        let (name, module, child_ty) = (
            ident(&child.accessor),
            ident(&child.module),
            scoped_type(child),
        );
        let doc = spec_doc_attrs(child.doc.as_deref().unwrap_or(NO_GROUP_DOC));
        quote! {
            #doc
            pub fn #name(&self) -> crate::api::#module::#child_ty {
                crate::api::#module::#child_ty { client: self.client.clone(), service_id: self.service_id.clone() }
            }
        }
    });
    let methods = group.operations.iter().filter_map(|op| {
        let service = op.service_param?;
        // The handle is how applications call a service's operations (and what the examples
        // show), so the full documentation is here; the group's method links to it.
        let doc = operation_doc(api, group, op);
        Some(super::prebuilt::impl_fn(scoped_method(
            group, op, service, &doc,
        )))
    });
    quote! {
        #doc
        #[derive(Clone, Debug)]
        pub struct #scoped {
            pub(crate) client: crate::Client,
            pub(crate) service_id: String,
        }

        impl #scoped {
            #(#child_accessors)*
            #(#methods)*
        }
    }
}

/// Summary, endpoint, description, errors and a compiled example.
fn operation_doc(api: &Api, group: &Group, op: &Operation) -> String {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(&super::markdown::clean(summary));
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "`{} {}` (operation `{}`)",
        op.method.as_str(),
        op.path,
        op.operation_id
    ));
    if op.deprecated {
        text.push_str(
            "\n\n**Deprecated** in the OpenAPI document: it may be removed from the API.",
        );
    }
    if let Some(description) = &op.description {
        text.push_str("\n\n");
        text.push_str(&super::markdown::clean(description));
    }
    text.push_str("\n\n# Errors\n\n");
    text.push_str(&errors_doc(&op.error_statuses));
    text.push_str("\n\n# Example\n\n");
    text.push_str(&super::usage::doctest(&super::usage::example_source(
        api, group, op,
    )));
    text
}

/// A group method of a service's operation: the summary, and a link to the method on the
/// service handle, which has the full documentation.
fn service_method_doc(group: &Group, op: &Operation) -> String {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(&super::markdown::clean(summary));
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "`{} {}` (operation `{}`), with the service id as the first argument. The same operation on a service \
         handle, [`{}::{}`], is documented in full: description, errors and an example.",
        op.method.as_str(),
        op.path,
        op.operation_id,
        scoped_type(group),
        op.name
    ));
    text
}

/// The error section of a method's docs: which `Error` variant for which outcome.
pub fn errors_doc(statuses: &[u16]) -> String {
    // What differs between operations is only which statuses are declared; the rest (transport,
    // unexpected responses, decoding) is the same for every call and documented once on `Error`.
    let others = "any other failure is as for every call (see [`Error`](crate::Error))";
    if statuses.is_empty() {
        return format!("The document declares no error status: {others}.");
    }
    let declared = statuses
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "[`Error::Api`](crate::Error::Api) for HTTP {declared}, the statuses the document declares \
         (with Authlete's `resultCode` and `resultMessage`); {others}."
    )
}

fn method(api: &Api, group: &Group, op: &Operation) -> TokenStream {
    let doc = match op.service_param {
        Some(_) => service_method_doc(group, op),
        None => operation_doc(api, group, op),
    };
    super::prebuilt::impl_fn(method_tree(op, &doc))
}

/// The group's method of an operation as a tree: the required parameters (and body) in, its
/// request builder out, built field by field.
fn method_tree(op: &Operation, doc: &str) -> syn::ImplItemFn {
    use super::prebuilt::parsed_once;
    use super::syntax::{method_call, path_expr};
    let (mut method, _) = signature(op, doc, |_| true);
    let none = || path_expr(&[&ident("None")]);
    let mut fields = vec![(
        ident("client"),
        parsed_once::<syn::Expr>("self.client.clone()", || quote! { self.client.clone() }),
    )];
    for p in &op.params {
        let pname = ident(&p.name);
        let value = if !p.required {
            none()
        } else if p.location == ParamLocation::Path {
            method_call(path_expr(&[&pname]), "to_string", Vec::new())
        } else {
            method_call(path_expr(&[&pname]), "into", Vec::new())
        };
        fields.push((pname, value));
    }
    if let Some(body) = &op.body {
        let value = if body.required {
            method_call(path_expr(&[&ident("body")]), "into", Vec::new())
        } else {
            none()
        };
        fields.push((ident("body"), value));
        if body.encoding == BodyEncoding::JsonOrForm {
            let no = syn::Expr::Lit(syn::ExprLit {
                attrs: Vec::new(),
                lit: syn::Lit::Bool(syn::LitBool::new(false, proc_macro2::Span::call_site())),
            });
            fields.push((ident("form"), no));
        }
    }
    fields.push((
        ident("options"),
        parsed_once::<syn::Expr>("Default::default()", || quote! { Default::default() }),
    ));
    let init = syn::Expr::Struct(struct_init(ident(&op.builder), fields));
    method.block.stmts = vec![syn::Stmt::Expr(init, None)];
    method
}

/// A method of an operation without its body: its docs, name, required parameters (those at
/// the indices `keep` keeps) and body as arguments, and its builder as the result; with the
/// arguments as expressions, in order, for a call that passes them on.
fn signature(
    op: &Operation,
    doc: &str,
    keep: impl Fn(usize) -> bool,
) -> (syn::ImplItemFn, Vec<syn::Expr>) {
    use super::syntax::path_expr;
    let mut method: syn::ImplItemFn = super::prebuilt::parsed_once("operation method", || {
        quote! { pub fn method(&self) -> Builder { Builder {} } }
    });
    method.attrs = super::doc_attr_trees(doc);
    method
        .attrs
        .extend(super::deprecated_attr_tree(op.deprecated, "operation"));
    method.sig.ident = ident(&op.name);
    method.sig.output = syn::ReturnType::Type(
        Default::default(),
        Box::new(syn::Type::Path(syn::TypePath {
            qself: None,
            path: syn::Path::from(ident(&op.builder)),
        })),
    );
    let mut args = Vec::new();
    let mut push = |method: &mut syn::ImplItemFn, name: Ident, ty: syn::Type| {
        args.push(path_expr(&[&name]));
        method.sig.inputs.push(syn::FnArg::Typed(syn::PatType {
            attrs: Vec::new(),
            pat: Box::new(syn::Pat::Ident(syn::PatIdent {
                attrs: Vec::new(),
                by_ref: None,
                mutability: None,
                ident: name,
                subpat: None,
            })),
            colon_token: Default::default(),
            ty: Box::new(ty),
        }));
    };
    for (index, p) in op.params.iter().enumerate() {
        if p.required && keep(index) {
            push(&mut method, ident(&p.name), param_type_tree(p));
        }
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = impl_into(super::type_tree(&body.ty, false, 0));
        push(&mut method, ident("body"), ty);
    }
    (method, args)
}

/// `Name { field: value, … }`.
fn struct_init(name: Ident, fields: Vec<(Ident, syn::Expr)>) -> syn::ExprStruct {
    syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: syn::Path::from(name),
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(name, expr)| syn::FieldValue {
                attrs: Vec::new(),
                member: syn::Member::Named(name),
                colon_token: Some(Default::default()),
                expr,
            })
            .collect(),
        dot2_token: None,
        rest: None,
    }
}

/// The method of an operation on a service handle: the group's method with the handle's
/// service id (the parameter at `service`) supplied.
fn scoped_method(group: &Group, op: &Operation, service: usize, doc: &str) -> syn::ImplItemFn {
    use super::prebuilt::parsed_once;
    use super::syntax::method_call;
    let (mut method, mut args) = signature(op, doc, |index| index != service);
    // The service id's place among the arguments: after the required parameters before it.
    let at = op.params[..service].iter().filter(|p| p.required).count();
    args.insert(
        at,
        parsed_once::<syn::Expr>("self.service_id.clone()", || {
            quote! { self.service_id.clone() }
        }),
    );
    let group_value = syn::Expr::Struct(struct_init(
        ident(&group.type_name),
        vec![(
            ident("client"),
            parsed_once::<syn::Expr>("self.client.clone()", || quote! { self.client.clone() }),
        )],
    ));
    let mut call = method_call(group_value, op.name.as_str(), args);
    if op.deprecated {
        if let syn::Expr::MethodCall(call) = &mut call {
            call.attrs
                .push(super::syntax::list_attr("allow", quote! { deprecated }));
        }
    }
    method.block.stmts = vec![syn::Stmt::Expr(call, None)];
    method
}

/// The argument type of a required parameter. A path parameter takes anything `Display` (it is
/// text in the URL): an id read from a model as `i64` goes in as is, whether the document types
/// the parameter as a string or an integer, and a service handle can supply either.
fn param_type_tree(p: &Param) -> syn::Type {
    match p.location {
        ParamLocation::Path => super::prebuilt::parsed_once("impl Display", || {
            quote! { impl ::std::fmt::Display }
        }),
        ParamLocation::Query => impl_into(super::type_tree(&p.ty, false, 0)),
    }
}

/// `impl Into<ty>`.
fn impl_into(ty: syn::Type) -> syn::Type {
    let into = syn::PathSegment {
        ident: ident("Into"),
        arguments: syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: [syn::GenericArgument::Type(ty)].into_iter().collect(),
            gt_token: Default::default(),
        }),
    };
    let bound = syn::TraitBound {
        paren_token: None,
        modifier: syn::TraitBoundModifier::None,
        lifetimes: None,
        path: syn::Path::from(into),
    };
    syn::Type::ImplTrait(syn::TypeImplTrait {
        impl_token: Default::default(),
        bounds: [syn::TypeParamBound::Trait(bound)].into_iter().collect(),
    })
}

fn builder(group: &Group, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder);
    let doc = doc_attrs(&format!(
        "Request builder of [`{}::{}`]: set optional parameters, then `.send().await`.",
        group.type_name, op.name
    ));
    let fields = super::prebuilt::fields(builder_fields(op));
    let setters = op.params.iter().filter(|p| !p.required).map(param_setter);
    let body_setters = body_setters(op.body.as_ref());
    let send_decoded = super::prebuilt::method(
        ("send the decoded body", 0),
        |[name, _], output| {
            quote! {
                /// Sends the request; the decoded body.
                pub async fn #name(self) -> Result<#output, crate::Error> {
                    self.send_with_meta().await.map(crate::ApiResponse::into_body)
                }
            }
        },
        Vec::new(),
        [&ident("send"), &ident("send")],
        response_output(&op.response),
        super::prebuilt::Slots::default(),
    );
    let send = send(op);
    let stream = stream(op);
    let call_options = super::prebuilt::fixed_methods("call options", || {
        quote! {
            /// A timeout for this call (each attempt), instead of the client's.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// A retry policy for this call, instead of the client's.
            pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// No retries for this call.
            pub fn no_retry(self) -> Self {
                self.retry_policy(crate::RetryPolicy::none())
            }

            /// A header sent with this call only (a tracing or correlation header, for example),
            /// added to the client's default headers. Checked when the call is sent: an invalid
            /// header, or `Authorization` (the client sends the bearer token), is
            /// [`Error::InvalidArgument`](crate::Error::InvalidArgument).
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.options.headers.push((name.into(), value.into()));
                self
            }
        }
    });
    quote! {
        #doc
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #builder {
            #fields
        }

        impl #builder {
            #(#setters)*
            #body_setters

            #call_options

            #send_decoded

            #send
            #stream
        }
    }
}

/// The fields of an operation's request builder: the client, every parameter (a path
/// parameter as the text it will be in the URL, see [`param_type_tree`]; an optional one in an
/// `Option`), the body (and whether it is sent as a form) and the call's options. The body is
/// owned, so that a request can outlive the scope that made it (spawned, stored, retried).
fn builder_fields(op: &Operation) -> Vec<syn::Field> {
    use super::prebuilt::parsed_once;
    let field = |name: &str, ty: syn::Type| syn::Field {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        mutability: syn::FieldMutability::None,
        ident: Some(ident(name)),
        colon_token: Some(Default::default()),
        ty,
    };
    let optional = |required: bool, ty: syn::Type| {
        if required {
            ty
        } else {
            generic_type("Option", ty)
        }
    };
    let mut fields = vec![field(
        "client",
        parsed_once("crate::Client", || quote! { crate::Client }),
    )];
    for p in &op.params {
        let ty = if p.location == ParamLocation::Path {
            parsed_once("String", || quote! { String })
        } else {
            super::type_tree(&p.ty, false, 0)
        };
        fields.push(field(&p.name, optional(p.required, ty)));
    }
    if let Some(body) = &op.body {
        let ty = super::type_tree(&body.ty, false, 0);
        fields.push(field("body", optional(body.required, ty)));
        if body.encoding == BodyEncoding::JsonOrForm {
            fields.push(field("form", parsed_once("bool", || quote! { bool })));
        }
    }
    fields.push(field(
        "options",
        parsed_once("crate::runtime::CallOptions", || {
            quote! { crate::runtime::CallOptions }
        }),
    ));
    fields
}

/// `Name<ty>`.
fn generic_type(name: &str, ty: syn::Type) -> syn::Type {
    let segment = syn::PathSegment {
        ident: ident(name),
        arguments: syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: [syn::GenericArgument::Type(ty)].into_iter().collect(),
            gt_token: Default::default(),
        }),
    };
    syn::Type::Path(syn::TypePath {
        qself: None,
        path: syn::Path::from(segment),
    })
}

/// The setter of an optional parameter (a template: only its name, type and docs differ).
fn param_setter(p: &Param) -> TokenStream {
    let pname = ident(&p.name);
    let location = match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
    };
    let mut text = format!("`{}` ({location} parameter).", p.wire);
    if let Some(description) = &p.doc {
        text.push_str("\n\n");
        text.push_str(&super::markdown::clean(description));
    }
    let mut doc = super::doc_attr_trees(&text);
    doc.extend(super::deprecated_attr_tree(p.deprecated, "parameter"));
    super::prebuilt::method(
        ("parameter setter", 0),
        |[name, _], ty| {
            quote! {
                pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                    self.#name = Some(value.into());
                    self
                }
            }
        },
        doc,
        [&pname, &pname],
        super::type_tree(&p.ty, false, 0),
        super::prebuilt::Slots::default(),
    )
}

fn body_setters(body: Option<&Body>) -> TokenStream {
    let Some(body) = body else { return quote! {} };
    let optional = if body.required {
        quote! {}
    } else {
        super::prebuilt::method(
            ("optional body setter", 0),
            |[name, _], ty| {
                quote! {
                    /// The request body (optional for this operation).
                    pub fn #name(mut self, body: impl Into<#ty>) -> Self {
                        self.body = Some(body.into());
                        self
                    }
                }
            },
            Vec::new(),
            [&ident("body"), &ident("body")],
            super::type_tree(&body.ty, false, 0),
            super::prebuilt::Slots::default(),
        )
    };
    let form = if body.encoding == BodyEncoding::JsonOrForm {
        super::prebuilt::fixed_methods("form", || {
            quote! {
                /// Sends the body as `application/x-www-form-urlencoded` instead of JSON (the operation
                /// accepts both). Scalars are values, arrays of scalars repeat the key, objects and
                /// arrays of objects are JSON text (OpenAPI 3.0's Encoding Object defaults).
                pub fn form(mut self) -> Self {
                    self.form = true;
                    self
                }
            }
        })
    } else {
        quote! {}
    };
    quote! { #optional #form }
}

/// The body type `send` returns.
fn response_output(response: &ResponseKind) -> syn::Type {
    match response {
        ResponseKind::Json(ty) => super::type_tree(ty, false, 0),
        ResponseKind::JsonOrEmpty(ty) => super::type_tree(ty, false, 1),
        ResponseKind::Empty => response_item_type(response),
        ResponseKind::Text => super::prebuilt::parsed_once("String", || quote! { String }),
    }
}

/// The type a JSON response decodes into (`()` where there is none).
fn response_item_type(response: &ResponseKind) -> syn::Type {
    match response {
        ResponseKind::Json(ty) | ResponseKind::JsonOrEmpty(ty) => super::type_tree(ty, false, 0),
        ResponseKind::Empty | ResponseKind::Text => syn::Type::Tuple(syn::TypeTuple {
            paren_token: Default::default(),
            elems: Default::default(),
        }),
    }
}

/// The body type `send` returns, and how the raw response becomes an `ApiResponse` of it, for
/// the decoded type `ty` (the template's type placeholder in `send_with_meta`).
fn decoding_of(response: &ResponseKind, ty: TokenStream) -> (TokenStream, TokenStream) {
    match response {
        ResponseKind::Json(_) => (ty.clone(), quote! { response.json::<#ty>() }),
        ResponseKind::JsonOrEmpty(_) => (
            quote! { Option<#ty> },
            quote! { response.json_or_empty::<#ty>() },
        ),
        ResponseKind::Empty => (quote! { () }, quote! { response.empty() }),
        ResponseKind::Text => (quote! { String }, quote! { response.text() }),
    }
}

/// `send_with_meta`: one template per response kind (and whether optional query parameters
/// are pushed), parsed once per thread; the operation's parts (its path, query, body and the
/// `Request`'s values) are built as trees and put into the template's slots.
fn send(op: &Operation) -> TokenStream {
    use super::prebuilt::{expr_slot, method, stmts_slot, Slots};
    let query_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .collect();
    let pushes: Vec<TokenStream> = query_params
        .iter()
        .filter(|p| !p.required)
        .map(|p| {
            let (pname, wire) = (ident(&p.name), &p.wire);
            quote! {
                if let Some(value) = &self.#pname {
                    query.push((#wire, value.to_string()));
                }
            }
        })
        .collect();
    let pushed = !pushes.is_empty();
    let response = op.response.clone();
    let kind = match &op.response {
        ResponseKind::Json(_) => 0,
        ResponseKind::JsonOrEmpty(_) => 1,
        ResponseKind::Empty => 2,
        ResponseKind::Text => 3,
    };
    let make = move |_: [&Ident; 2], ty: TokenStream| {
        let (output, decode) = decoding_of(&response, ty);
        let [path, query, body, operation_id, method, path_template, error_statuses, accept] =
            std::array::from_fn(expr_slot);
        let query = if pushed {
            let pushes = stmts_slot(0);
            quote! {
                let mut query: Vec<(&'static str, String)> = #query;
                #pushes;
            }
        } else {
            quote! { let query: Vec<(&'static str, String)> = #query; }
        };
        quote! {
            /// Sends the request; the decoded body with the response's status and headers.
            pub async fn send_with_meta(self) -> Result<crate::ApiResponse<#output>, crate::Error> {
                let path = #path;
                #query
                let body = #body;
                let response = self
                    .client
                    .execute(
                        crate::runtime::Request {
                            operation_id: #operation_id,
                            method: #method,
                            path_template: #path_template,
                            path,
                            query,
                            body,
                            error_statuses: #error_statuses,
                            accept: #accept,
                        },
                        &self.options,
                    )
                    .await?;
                #decode
            }
        }
    };
    let slots = Slots {
        exprs: send_parts(op, &query_params),
        stmts: if pushed {
            vec![statements(quote! { #(#pushes)* })]
        } else {
            Vec::new()
        },
        ..Slots::default()
    };
    let unused = ident("__unused");
    method(
        ("send_with_meta", kind | u64::from(pushed) << 2),
        make,
        Vec::new(),
        [&unused, &unused],
        response_item_type(&op.response),
        slots,
    )
}

/// The trees of `send_with_meta`'s slots, in their order: the path, the required query, the
/// body, and the `Request`'s operation id, method, path template, error statuses and accept.
fn send_parts(op: &Operation, query_params: &[&Param]) -> Vec<syn::Expr> {
    use super::syntax::{
        array, bracket_macro, call, global_path_expr, int_lit, method_call, path_expr, reference,
        self_field_ref, str_lit, try_expr,
    };
    let path_param = path_expr(&[&ident("crate"), &ident("runtime"), &ident("path_param")]);
    let pieces: Vec<syn::Expr> = op
        .segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => str_lit(text),
            PathSegment::Param(index) => {
                let param = &op.params[*index];
                let value = self_field_ref(&ident(&param.name));
                reference(try_expr(call(
                    path_param.clone(),
                    vec![str_lit(&param.wire), value],
                )))
            }
        })
        .collect();
    let path = if op
        .segments
        .iter()
        .all(|s| matches!(s, PathSegment::Literal(_)))
    {
        call(
            path_expr(&[&ident("String"), &ident("from")]),
            vec![str_lit(&op.path)],
        )
    } else {
        method_call(array(pieces), "concat", Vec::new())
    };
    let required_query = query_params.iter().filter(|p| p.required).map(|p| {
        let (pname, wire) = (ident(&p.name), &p.wire);
        quote! { (#wire, self.#pname.to_string()) }
    });
    let query = bracket_macro(
        &[&ident("std"), &ident("vec")],
        true,
        quote! { #(#required_query),* },
    );
    let method = global_path_expr(&[
        &ident("reqwest"),
        &ident("Method"),
        &ident(op.method.as_str()),
    ]);
    let statuses = op
        .error_statuses
        .iter()
        .map(|status| int_lit(&format!("{status}u16")))
        .collect();
    let accept = match &op.response {
        ResponseKind::Json(_) | ResponseKind::JsonOrEmpty(_) => "application/json",
        ResponseKind::Text => "text/plain",
        ResponseKind::Empty => "*/*",
    };
    vec![
        path,
        query,
        request_body(op.body.as_ref()),
        str_lit(&op.operation_id),
        method,
        str_lit(&op.path),
        reference(array(statuses)),
        str_lit(accept),
    ]
}

/// Statements from their tokens (the few optional query parameters' pushes).
fn statements(tokens: TokenStream) -> Vec<syn::Stmt> {
    syn::parse::Parser::parse2(syn::Block::parse_within, tokens.clone())
        .unwrap_or_else(|_| vec![syn::Stmt::Expr(syn::Expr::Verbatim(tokens), None)])
}

/// How the body is encoded: the same expression for every operation of one encoding and
/// presence, so each is parsed once per thread.
fn request_body(body: Option<&Body>) -> syn::Expr {
    use super::prebuilt::expr_for_name;
    let unused = ident("__unused");
    let Some(body) = body else {
        return expr_for_name("no body", &unused, |_| {
            quote! { crate::runtime::RequestBody::None }
        });
    };
    let key = match (body.encoding, body.required) {
        (BodyEncoding::Form, true) => "form body",
        (BodyEncoding::Form, false) => "optional form body",
        (BodyEncoding::JsonOrForm, true) => "json or form body",
        (BodyEncoding::JsonOrForm, false) => "optional json or form body",
        (BodyEncoding::Json, true) => "json body",
        (BodyEncoding::Json, false) => "optional json body",
    };
    let encode = |value: TokenStream| match body.encoding {
        BodyEncoding::Form => quote! { crate::runtime::RequestBody::form(#value)? },
        BodyEncoding::JsonOrForm => quote! {
            if self.form { crate::runtime::RequestBody::form(#value)? } else { crate::runtime::RequestBody::json(#value)? }
        },
        BodyEncoding::Json => quote! { crate::runtime::RequestBody::json(#value)? },
    };
    expr_for_name(key, &unused, |_| {
        if body.required {
            encode(quote! { &self.body })
        } else {
            let encoded = encode(quote! { value });
            quote! {
                match &self.body {
                    Some(value) => #encoded,
                    None => crate::runtime::RequestBody::None,
                }
            }
        }
    })
}

/// `.stream(page_size)` of a paginated list operation.
fn stream(op: &Operation) -> TokenStream {
    let Some(pagination) = &op.pagination else {
        return quote! {};
    };
    let ResponseKind::Json(page) = &op.response else {
        return quote! {};
    };
    let page = rust_type(page);
    let item = rust_type(&pagination.item);
    let start = ident(&op.params[pagination.start_param].name);
    let end = ident(&op.params[pagination.end_param].name);
    let items = ident(&pagination.items_field);
    let total = ident(&pagination.total_field);
    let items_expr = if pagination.items_optional {
        quote! { page.#items.unwrap_or_default() }
    } else {
        quote! { page.#items }
    };
    let total_expr = if pagination.total_optional {
        quote! { page.#total.map(Into::into) }
    } else {
        quote! { Some(page.#total.into()) }
    };
    quote! {
        /// Every item of every page, fetching `page_size` items a request (`start`/`end` are
        /// set by the stream and the ones set on this builder are ignored). The stream ends
        /// after `totalCount` items, or at the first short page.
        pub fn stream(
            self,
            page_size: i32,
        ) -> impl ::futures_util::Stream<Item = Result<#item, crate::Error>> + Send + 'static {
            crate::runtime::paginate(
                page_size,
                move |start, end| {
                    let mut page = self.clone();
                    page.#start = Some(start);
                    page.#end = Some(end);
                    page.send()
                },
                |page: #page| (#items_expr, #total_expr),
            )
        }
    }
}
