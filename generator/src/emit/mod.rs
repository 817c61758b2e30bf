//! Stage 5: IR → token streams, one per file. No decisions are made here: every name, type and
//! shape comes from the IR. Hand-written parts of the crate (Cargo.toml, lib.rs, runtime/) are
//! kept as real files under `generator/template/` and copied verbatim.

mod api;
mod crate_tests;
pub mod doc_markers;
mod docs;
pub mod literal;
mod markdown;
mod models;
pub mod prebuilt;
pub mod samples;
mod syntax;
pub mod usage;

use crate::ir::{Api, TypeDef, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// What the crate consists of, before formatting.
pub struct Emitted {
    /// Rust files made from the IR, by path relative to the crate root.
    pub rust: RustUnit,
    /// Hand-written files, copied as they are.
    pub verbatim: BTreeMap<String, String>,
    /// Markdown made from the IR (the usage docs).
    pub markdown: BTreeMap<String, String>,
}

/// The hand-written files of the crate, embedded so the binary needs no source tree.
pub const TEMPLATE: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../../template/Cargo.toml")),
    // MIT: the notice travels with every generated crate.
    ("LICENSE", include_str!("../../template/LICENSE")),
    ("src/lib.rs", include_str!("../../template/src/lib.rs")),
    (
        "src/runtime/mod.rs",
        include_str!("../../template/src/runtime/mod.rs"),
    ),
    (
        "src/runtime/client.rs",
        include_str!("../../template/src/runtime/client.rs"),
    ),
    (
        "src/runtime/error.rs",
        include_str!("../../template/src/runtime/error.rs"),
    ),
    (
        "src/runtime/form.rs",
        include_str!("../../template/src/runtime/form.rs"),
    ),
    (
        "src/runtime/paginate.rs",
        include_str!("../../template/src/runtime/paginate.rs"),
    ),
    (
        "src/runtime/object.rs",
        include_str!("../../template/src/runtime/object.rs"),
    ),
    (
        "src/runtime/enums.rs",
        include_str!("../../template/src/runtime/enums.rs"),
    ),
    (
        "src/runtime/request.rs",
        include_str!("../../template/src/runtime/request.rs"),
    ),
    (
        "src/runtime/retry.rs",
        include_str!("../../template/src/runtime/retry.rs"),
    ),
    (
        "tests/support/mod.rs",
        include_str!("../../template/tests/support/mod.rs"),
    ),
];

/// Everything, on one thread: the same jobs [`crate::render`] shares between threads.
pub fn emit(api: &Api) -> Emitted {
    usage::sharing_examples(|| {
        let ((files, items), docs) = doc_markers::collecting(|| {
            prebuilt::collecting(|| {
                rust_files(api)
                    .into_iter()
                    .flat_map(|file| emit_unit(api, file))
                    .collect()
            })
        });
        Emitted {
            rust: RustUnit { files, docs, items },
            ..emit_text(api)
        }
    })
}

/// Rust files before formatting, with the doc comments ([`doc_markers`]) and the prebuilt
/// items ([`prebuilt`]) their markers stand for.
#[derive(Debug, Default)]
pub struct RustUnit {
    /// By path relative to the crate root.
    pub files: BTreeMap<String, TokenStream>,
    pub docs: doc_markers::Docs,
    /// The items their item markers stand for, in `impl` blocks and among a file's items.
    pub items: prebuilt::Items,
}

/// The Rust made from the IR, as units that threads can share (a `TokenStream` cannot cross
/// threads, so each unit is formatted on the thread that made it).
#[derive(Debug, Clone, Copy)]
pub enum RustFile<'a> {
    /// The root module and the operations (`api/`): the largest unit.
    Operations,
    /// The crate's tests made from the document (`tests/`): a unit of its own, so that the
    /// thread that is not emitting the operations can take it.
    CrateTests,
    /// `models/mod.rs`.
    ModelsModule,
    /// One model's file.
    Model(&'a TypeDef),
}

/// Every unit of Rust of the crate, the largest first so that it starts first.
pub fn rust_files(api: &Api) -> Vec<RustFile<'_>> {
    let mut files = vec![
        RustFile::Operations,
        RustFile::CrateTests,
        RustFile::ModelsModule,
    ];
    files.extend(api.types.values().map(RustFile::Model));
    files
}

/// The files of one unit, by path.
pub fn emit_file(api: &Api, file: RustFile<'_>) -> RustUnit {
    let ((files, items), docs) =
        doc_markers::collecting(|| prebuilt::collecting(|| emit_unit(api, file)));
    RustUnit { files, docs, items }
}

fn emit_unit(api: &Api, file: RustFile<'_>) -> BTreeMap<String, TokenStream> {
    match file {
        RustFile::Operations => emit_operations(api),
        RustFile::CrateTests => {
            let mut rust = BTreeMap::new();
            crate_tests::emit(api, &mut rust);
            rust
        }
        RustFile::ModelsModule => BTreeMap::from([models::module_file(api)]),
        RustFile::Model(def) => BTreeMap::from([models::type_file(def)]),
    }
}

/// The root module and the operations.
fn emit_operations(api: &Api) -> BTreeMap<String, TokenStream> {
    let mut rust = BTreeMap::new();
    rust.insert("src/emitted/mod.rs".to_string(), root_module(api));
    api::emit(api, &mut rust);
    rust
}

/// Everything but the Rust made from the IR: the template files and the Markdown docs.
pub fn emit_text(api: &Api) -> Emitted {
    let mut verbatim: BTreeMap<String, String> = TEMPLATE
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
    if api.groups.values().all(|g| g.operations.is_empty()) {
        // A document without operations still makes a crate (its models), warning-free: nothing
        // calls the request machinery of the runtime then.
        if let Some(lib) = verbatim.get_mut("src/lib.rs") {
            *lib = lib.replacen(
                "\nmod runtime;",
                "\n// The document has no operations: nothing sends requests.\n#[allow(dead_code)]\nmod runtime;",
                1,
            );
        }
    }
    let mut markdown = BTreeMap::new();
    docs::emit(api, &mut markdown);
    Emitted {
        rust: RustUnit::default(),
        verbatim,
        markdown,
    }
}

fn root_module(api: &Api) -> TokenStream {
    let version = &api.version;
    let sha = &api.spec_sha256;
    let title = &api.title;
    let variants: Vec<Ident> = api.servers.iter().map(|s| ident(&s.name)).collect();
    let urls: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    let variant_docs: Vec<TokenStream> = api
        .servers
        .iter()
        .map(|s| {
            spec_doc_attrs(&format!(
                "{} (`{}`)",
                s.description.as_deref().unwrap_or(&s.name),
                s.url
            ))
        })
        .collect();
    let cluster_doc = if api.servers.is_empty() {
        doc_attrs("The document lists no servers: set the base URL with `ClientBuilder::base_url`.")
    } else {
        doc_attrs("The API servers listed in the document's `servers`.")
    };
    let cluster = {
        quote! {
            #cluster_doc
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum Cluster {
                #( #variant_docs #variants, )*
            }

            impl Cluster {
                /// The base URL of the cluster.
                pub fn url(self) -> &'static str {
                    match self {
                        #( Cluster::#variants => #urls, )*
                    }
                }
            }

            impl crate::ClientBuilder {
                /// Sends requests to one of the document's servers.
                pub fn cluster(self, cluster: Cluster) -> Self {
                    self.base_url(cluster.url())
                }
            }
        }
    };
    // The service handle is reached from the crate root (`authlete::ServiceHandle`), not only
    // through `api::`; a document without service-scoped operations has none.
    let service_handle = api
        .groups
        .values()
        .any(|g| g.parent.is_none() && g.service_scoped)
        .then(|| quote! { pub use api::ServiceHandle; });
    quote! {
        //! Everything in this module is emitted by authlete-codegen from the OpenAPI document.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_many_arguments)]

        pub mod api;
        pub mod models;
        #service_handle

        /// `info.title` of the document the SDK was generated from.
        pub const API_TITLE: &str = #title;
        /// `info.version` of the document (not unique: upstream keeps it across changes).
        pub const API_VERSION: &str = #version;
        /// sha256 of the document the SDK was generated from: what identifies it.
        pub const SPEC_SHA256: &str = #sha;

        #cluster
    }
}

/// `#[deprecated]` with the document's word for it (`what`: operation, parameter, property,
/// schema), or nothing.
pub fn deprecated_attr(deprecated: bool, what: &str) -> TokenStream {
    deprecated_attr_tree(deprecated, what)
        .map(|attr| attr.into_token_stream())
        .unwrap_or_default()
}

/// [`deprecated_attr`] as a tree, for items built as trees.
pub fn deprecated_attr_tree(deprecated: bool, what: &str) -> Option<syn::Attribute> {
    deprecated.then(|| {
        let note = format!("this {what} is deprecated in the OpenAPI document");
        syntax::list_attr("deprecated", quote! { note = #note })
    })
}

/// One `#[doc = " line"]` per line, so prettyplease prints clean `///` comments (a marker in
/// their place while a unit is emitted: [`doc_markers`]).
pub fn doc_attrs(text: &str) -> TokenStream {
    doc_markers::attrs(doc_lines(text))
}

/// [`doc_attrs`] as attribute trees, for items built as trees.
pub fn doc_attr_trees(text: &str) -> Vec<syn::Attribute> {
    doc_markers::attr_trees(doc_lines(text))
}

/// Doc text as doc lines. Code fences are marked `text` so that rustdoc does not compile JSON
/// or shell examples as doctests, except the generator's own `no_run` examples.
fn doc_lines(text: &str) -> Vec<String> {
    safe_doc_lines(&markdown::without_controls(text))
}

/// [`doc_lines`] of text that has no control character but line breaks and tabs (what
/// [`markdown::without_controls`] and [`markdown::clean`] give).
fn safe_doc_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.trim()
        .lines()
        .map(|line| {
            let line = line.trim_end();
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") {
                let line = line.replace('\t', "    ");
                let trimmed = line.trim_start();
                let info = &trimmed[3..];
                let indent = &line[..line.len() - trimmed.len()];
                let out = if in_fence || info == "no_run" {
                    line.clone()
                } else {
                    format!("{indent}```text")
                };
                in_fence = !in_fence;
                return format!(" {out}");
            }
            if line.is_empty() {
                return String::new();
            }
            // One copy of the line, its tabs as spaces.
            let mut doc = String::with_capacity(line.len() + 1);
            doc.push(' ');
            if line.contains('\t') {
                doc.push_str(&line.replace('\t', "    "));
            } else {
                doc.push_str(line);
            }
            doc
        })
        .collect()
}

/// Doc attributes for prose from the document: cleaned for rustdoc first.
pub fn spec_doc_attrs(text: &str) -> TokenStream {
    doc_markers::attrs(safe_doc_lines(&markdown::clean(text)))
}

/// The document's description of an item, or `fallback` (every public item is documented).
pub fn spec_doc_or(text: &Option<String>, fallback: &str) -> TokenStream {
    doc_markers::attrs(safe_doc_lines(&spec_doc_text(text, fallback)))
}

/// [`spec_doc_or`] as attribute trees, for items built as trees.
pub fn spec_doc_or_trees(text: &Option<String>, fallback: &str) -> Vec<syn::Attribute> {
    doc_markers::attr_trees(safe_doc_lines(&spec_doc_text(text, fallback)))
}

/// The text of [`spec_doc_or`]: the description made safe for rustdoc, or the fallback (without
/// control characters either).
fn spec_doc_text(text: &Option<String>, fallback: &str) -> String {
    match text {
        Some(text) => markdown::clean(text),
        None => markdown::without_controls(fallback),
    }
}

/// `#[allow(clippy::module_inception)]` on a module named after its parent (`api::api` from a
/// tag `API`, the private `models::models` from a schema `Models`): legal, and the name the
/// document gives.
pub fn allow_inception(module: &str, parent: &str) -> TokenStream {
    if module == parent {
        quote! { #[allow(clippy::module_inception)] }
    } else {
        quote! {}
    }
}

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type of a `TypeRef`, with fully qualified paths so no schema name can shadow them.
pub fn rust_type(ty: &TypeRef) -> TokenStream {
    rust_type_in(ty, &quote! { crate })
}

thread_local! {
    /// The parsed Rust type of each `TypeRef`, boxing and number of `Option`s, made once per
    /// thread.
    static TYPE_TREES: RefCell<HashMap<(TypeRef, bool, usize), syn::Type>> =
        RefCell::new(HashMap::new());
}

/// The Rust type of a `TypeRef` as a tree, in a `Box` if `boxed`, and in `option_layers`
/// `Option`s: parsed once per thread for each.
pub fn type_tree(ty: &TypeRef, boxed: bool, option_layers: usize) -> syn::Type {
    TYPE_TREES.with(|types| {
        types
            .borrow_mut()
            .entry((ty.clone(), boxed, option_layers))
            .or_insert_with(|| {
                let mut tokens = rust_type(ty);
                if boxed {
                    tokens = quote! { Box<#tokens> };
                }
                for _ in 0..option_layers {
                    tokens = quote! { Option<#tokens> };
                }
                // Tokens that do not parse stay tokens: the file's parse then reports them.
                syn::parse2(tokens.clone()).unwrap_or(syn::Type::Verbatim(tokens))
            })
            .clone()
    })
}

/// The same, from outside the crate (`root` = `authlete` in the crate's own tests).
pub fn rust_type_in(ty: &TypeRef, root: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = format_ident!("{}", name);
            quote! { #root::models::#name }
        }
        TypeRef::I32 => quote! { i32 },
        TypeRef::I64 => quote! { i64 },
        TypeRef::U64 => quote! { u64 },
        TypeRef::F64 => quote! { f64 },
        TypeRef::Bool => quote! { bool },
        TypeRef::String => quote! { String },
        TypeRef::List(item) => {
            let item = rust_type_in(item, root);
            quote! { Vec<#item> }
        }
        TypeRef::Map(value) => {
            let value = rust_type_in(value, root);
            // Order-preserving: a map (or a document such as discovery metadata) is returned,
            // and sent back, in the order the server wrote it.
            quote! { ::indexmap::IndexMap<String, #value> }
        }
        TypeRef::Json => quote! { ::serde_json::Value },
    }
}

#[cfg(test)]
mod tests {
    use super::TEMPLATE;
    use std::path::Path;

    /// A file added to `generator/template/` but not to `TEMPLATE` would be missing from every
    /// generated crate.
    #[test]
    fn every_template_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("template");
        let mut on_disk = Vec::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    on_disk.push(
                        path.strip_prefix(&root)
                            .unwrap()
                            .to_string_lossy()
                            .replace('\\', "/"),
                    );
                }
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = TEMPLATE.iter().map(|(path, _)| path.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }
}
