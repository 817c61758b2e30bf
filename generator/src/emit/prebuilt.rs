//! Items built as syntax trees instead of as tokens that syn parses back.
//!
//! prettyplease prints a `syn::File`, so every token the emitter makes is parsed once by syn,
//! and parsing was the largest share of a run. Two kinds of items skip it:
//! - items made from a template: parsed once per thread, then copied with names, a type and
//!   trees put in. The models' `with_*` setters (1,353 on the pinned document, in a handful of
//!   shapes) and the request builders' `send_with_meta` ([`method`]), the builders' fixed
//!   methods (`timeout`, `header`, …: [`fixed_methods`]), and the open enums' conversions,
//!   serde impls, `as_str` and `try_parse`, and the redacting `Debug` impls ([`items_filled`]).
//!   What differs per item beyond names (a chain of fields, match arms, a request's parts) is
//!   built as trees (`syntax.rs`) and put into the template's [`Slots`];
//! - the models' fields, built as trees ([`fields`]).
//!
//! While a unit is emitted ([`collecting`]), an item stands in its token stream as a marker,
//! `__authlete_codegen_item!(7);` (which syn parses as an opaque macro call) or, for fields, a
//! field `__authlete_codegen_fields_7: ()`; [`substitute`] puts the trees in the markers' places
//! before the file is printed. The output is byte-identical to parsing the items' tokens (the
//! drift check on the pinned document, the golden fixtures and the tests below hold it to
//! that).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};
use std::cell::RefCell;
use std::collections::HashMap;
use syn::visit_mut::VisitMut;

/// The marker macro's name: not a real macro, so a marker left in the output would not compile
/// rather than pass unnoticed.
const MARKER: &str = "__authlete_codegen_item";

/// The name of a marker field, before its number: not a real field, so a marker left in the
/// output would be a field of type `()` that no constructor sets, which does not compile.
const FIELDS_MARKER: &str = "__authlete_codegen_fields_";

/// The items of one unit, by marker number; each is taken out when its marker is replaced.
#[derive(Default)]
pub struct Items(Vec<Option<Prebuilt>>);

/// A prebuilt item, and where its marker stands.
// Both variants are hundreds of bytes; a box would be one more allocation per item.
#[allow(clippy::large_enum_variant)]
enum Prebuilt {
    /// In an `impl` block.
    InImpl(syn::ImplItem),
    /// Among a file's (or an inline module's) items.
    Item(syn::Item),
    /// Among a struct's named fields.
    Fields(Vec<syn::Field>),
}

impl std::fmt::Debug for Items {
    // syn's trees implement `Debug` only with a feature that slows syn's own build.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let waiting = self.0.iter().filter(|item| item.is_some()).count();
        write!(f, "Items({} of {} waiting)", waiting, self.0.len())
    }
}

thread_local! {
    /// The items of the unit being emitted on this thread, while [`collecting`] runs.
    static COLLECTED: RefCell<Option<Items>> = const { RefCell::new(None) };
    /// The parsed method templates of [`method`], made once per thread.
    static TEMPLATES: RefCell<HashMap<TemplateKey, syn::ImplItemFn>> = RefCell::new(HashMap::new());
    /// Fixed methods, parsed once per thread, by name.
    static FIXED: RefCell<HashMap<&'static str, Vec<syn::ImplItem>>> = RefCell::new(HashMap::new());
    /// Items that differ only in the name of the type they are for (and in the trees put in
    /// their slots), parsed once per thread.
    static FOR_TYPE: RefCell<HashMap<&'static str, Vec<syn::Item>>> = RefCell::new(HashMap::new());
    /// Expressions that differ only in a name, parsed once per thread.
    static EXPRS: RefCell<HashMap<&'static str, syn::Expr>> = RefCell::new(HashMap::new());
}

/// The placeholder of a type's name in [`items_for_type`]'s template.
const TYPE_NAME: &str = "__TypeName";

/// Items that are the same for every type but for its name (`make` gives their tokens for a
/// name; `key` names the template): parsed once per thread with a placeholder name, and a copy
/// of the trees with `name` put in each time.
pub fn items_for_type(
    key: &'static str,
    name: &Ident,
    make: impl Fn(&Ident) -> TokenStream,
) -> TokenStream {
    items_filled(key, name, make, Slots::default())
}

/// Trees put into a template's slots: the expression `__expr{i}` is replaced by `exprs[i]`, a
/// `match` arm whose pattern is `__arms{i}` by the arms `arms[i]`, and a statement `__stmts{i};`
/// by the statements `stmts[i]` (each slot once).
#[derive(Default)]
pub struct Slots {
    pub exprs: Vec<syn::Expr>,
    pub arms: Vec<Vec<syn::Arm>>,
    pub stmts: Vec<Vec<syn::Stmt>>,
}

impl Slots {
    fn is_empty(&self) -> bool {
        self.exprs.is_empty() && self.arms.is_empty() && self.stmts.is_empty()
    }
}

/// The statements slot `i` of a template: a statement `__stmts{i};` (see [`Slots`]).
pub fn stmts_slot(i: usize) -> Ident {
    super::ident(&format!("{STMTS_SLOT}{i}"))
}

/// The expression slot `i` of a template (see [`Slots`]).
pub fn expr_slot(i: usize) -> Ident {
    super::ident(&format!("{EXPR_SLOT}{i}"))
}

/// The match-arms slot `i` of a template: an arm `__arms{i} => {}` (see [`Slots`]).
pub fn arms_slot(i: usize) -> Ident {
    super::ident(&format!("{ARMS_SLOT}{i}"))
}

const EXPR_SLOT: &str = "__expr";
const ARMS_SLOT: &str = "__arms";
const STMTS_SLOT: &str = "__stmts";

/// Items made from a template that differs per type in its name and in trees built for it
/// (`slots`: a `Debug` impl's chain of fields, a `match`'s arms): the template is `make` of a
/// placeholder name with slots in it, parsed once per thread per `key`; each time, a copy of
/// its trees with the name and the slots filled. Outside a unit the items are their tokens.
pub fn items_filled(
    key: &'static str,
    name: &Ident,
    make: impl Fn(&Ident) -> TokenStream,
    slots: Slots,
) -> TokenStream {
    let items = FOR_TYPE.with(|templates| {
        let mut templates = templates.borrow_mut();
        if let std::collections::hash_map::Entry::Vacant(entry) = templates.entry(key) {
            // A template that does not parse is not kept: its tokens stay, and the file's parse
            // reports them.
            entry.insert(
                syn::parse2::<syn::File>(make(&super::ident(TYPE_NAME)))
                    .ok()?
                    .items,
            );
        }
        templates.get(key).cloned()
    });
    let Some(mut items) = items else {
        return make(name);
    };
    let mut fill = Fill {
        names: vec![(TYPE_NAME, name)],
        ty: None,
        slots,
    };
    items.iter_mut().for_each(|item| fill.visit_item_mut(item));
    items
        .into_iter()
        .map(|item| marker(Prebuilt::Item(item)))
        .collect()
}

/// An expression that is the same for every name but for that name (`make` gives its tokens
/// for a name; `key` names the template), as a tree: parsed once per thread, and a copy with
/// `name` put in each time. A template that does not parse gives its tokens as they are, for
/// the file's parse to report.
pub fn expr_for_name(
    key: &'static str,
    name: &Ident,
    make: impl Fn(&Ident) -> TokenStream,
) -> syn::Expr {
    let template = EXPRS.with(|templates| {
        let mut templates = templates.borrow_mut();
        if let std::collections::hash_map::Entry::Vacant(entry) = templates.entry(key) {
            entry.insert(syn::parse2::<syn::Expr>(make(&super::ident(NAMES[0]))).ok()?);
        }
        templates.get(key).cloned()
    });
    let Some(mut expr) = template else {
        return syn::Expr::Verbatim(make(name));
    };
    Fill {
        names: vec![(NAMES[0], name)],
        ty: None,
        slots: Slots::default(),
    }
    .visit_expr_mut(&mut expr);
    expr
}

/// Methods that are the same wherever they are emitted (`make` gives their tokens; `name`
/// names them): parsed once per thread, and a copy of the trees each time.
pub fn fixed_methods(name: &'static str, make: impl FnOnce() -> TokenStream) -> TokenStream {
    if COLLECTED.with(|c| c.borrow().is_none()) {
        return make();
    }
    let methods = FIXED.with(|fixed| {
        let mut fixed = fixed.borrow_mut();
        if !fixed.contains_key(name) {
            let tokens = make();
            let parsed: syn::ItemImpl = match syn::parse2(quote! { impl A { #tokens } }) {
                Ok(parsed) => parsed,
                // Tokens that do not parse stay tokens: the file's parse then reports them.
                Err(_) => return Err(tokens),
            };
            fixed.insert(name, parsed.items);
        }
        Ok(fixed[name].clone())
    });
    match methods {
        Ok(methods) => methods.into_iter().map(impl_item).collect(),
        Err(tokens) => tokens,
    }
}

/// Runs `emit` with prebuilt items collected: its output, and the items its markers refer to.
pub fn collecting<T>(emit: impl FnOnce() -> T) -> (T, Items) {
    let outer = COLLECTED.with(|c| c.replace(Some(Items::default())));
    let output = emit();
    let items = COLLECTED.with(|c| c.replace(outer)).unwrap_or_default();
    (output, items)
}

/// The tokens standing for `item` in an `impl` block: a marker while collecting, the item's
/// own tokens otherwise.
fn impl_item(item: syn::ImplItem) -> TokenStream {
    marker(Prebuilt::InImpl(item))
}

/// A marker for `item` while collecting, the item's own tokens otherwise.
fn marker(item: Prebuilt) -> TokenStream {
    let fields = matches!(item, Prebuilt::Fields(_));
    let item = COLLECTED.with(|c| match c.borrow_mut().as_mut() {
        Some(items) => {
            items.0.push(Some(item));
            Err(items.0.len() - 1)
        }
        None => Ok(item),
    });
    match item {
        Ok(Prebuilt::InImpl(item)) => item.into_token_stream(),
        Ok(Prebuilt::Item(item)) => item.into_token_stream(),
        Ok(Prebuilt::Fields(fields)) => quote! { #(#fields,)* },
        Err(n) if fields => {
            let name = super::ident(&format!("{FIELDS_MARKER}{n}"));
            quote! { #name: (), }
        }
        Err(n) => {
            let name = super::ident(MARKER);
            let n = Literal::usize_unsuffixed(n);
            quote! { #name!(#n); }
        }
    }
}

/// A method built as a tree: a marker in its `impl` block while collecting, its tokens
/// otherwise.
pub fn impl_fn(method: syn::ImplItemFn) -> TokenStream {
    impl_item(syn::ImplItem::Fn(method))
}

thread_local! {
    /// Small trees parsed once per thread, by name ([`parsed_once`]).
    static PARSED: RefCell<HashMap<&'static str, Box<dyn std::any::Any>>> = RefCell::new(HashMap::new());
}

/// A tree that is always the same (`self.client.clone()`, a method's skeleton), parsed once
/// per thread from `make`'s tokens and copied each time. The tokens are constants of the
/// emitter, like `syn::parse_quote!`'s (which panics on tokens that do not parse: a bug of the
/// emitter that any run shows, never something a document can cause).
pub fn parsed_once<T: syn::parse::Parse + Clone + 'static>(
    key: &'static str,
    make: impl FnOnce() -> TokenStream,
) -> T {
    PARSED.with(|parsed| {
        let mut parsed = parsed.borrow_mut();
        let tree = parsed.entry(key).or_insert_with(|| {
            let tokens = make();
            let tree: T = syn::parse_quote!(#tokens);
            Box::new(tree)
        });
        match tree.downcast_ref::<T>() {
            Some(tree) => tree.clone(),
            None => panic!("parsed_once: `{key}` was parsed as another type"),
        }
    })
}

/// A file-level item built as a tree: a marker while collecting, its tokens otherwise.
pub fn item(item: syn::Item) -> TokenStream {
    marker(Prebuilt::Item(item))
}

/// A struct's named fields built as trees, where the struct's tokens list its fields: while
/// collecting, a marker field `__authlete_codegen_fields_7: ()` that [`substitute`] replaces
/// by them; their tokens otherwise.
pub fn fields(fields: Vec<syn::Field>) -> TokenStream {
    marker(Prebuilt::Fields(fields))
}

/// Replaces every marker of `file` by its item: among the file's items, in its `impl` blocks,
/// and the same in its inline modules. A marker without its item, or of the wrong kind for
/// where it stands, is an error (the emitter's bug), never an item silently lost; so is an
/// item left without its marker ([`all_placed`]).
pub fn substitute(file: &mut syn::File, items: &mut Items) -> Result<(), String> {
    substitute_in(&mut file.items, items)?;
    Ok(())
}

/// Whether every item of the unit has been put in place (checked once all its files are).
pub fn all_placed(items: &Items) -> Result<(), String> {
    match items.0.iter().position(Option::is_some) {
        Some(n) => Err(format!(
            "prebuilt item {n} has no marker in the emitted code"
        )),
        None => Ok(()),
    }
}

fn substitute_in(file_items: &mut [syn::Item], items: &mut Items) -> Result<(), String> {
    for item in file_items {
        match item {
            syn::Item::Macro(call) if call.mac.path.is_ident(MARKER) => {
                let Prebuilt::Item(prebuilt) = take(items, &call.mac.tokens.to_string())? else {
                    return Err(format!(
                        "an impl block's item outside one: `{}`",
                        call.mac.tokens
                    ));
                };
                *item = prebuilt;
            }
            syn::Item::Impl(block) => {
                for member in &mut block.items {
                    let syn::ImplItem::Macro(call) = member else {
                        continue;
                    };
                    if !call.mac.path.is_ident(MARKER) {
                        continue;
                    }
                    let Prebuilt::InImpl(prebuilt) = take(items, &call.mac.tokens.to_string())?
                    else {
                        return Err(format!(
                            "a file's item in an impl block: `{}`",
                            call.mac.tokens
                        ));
                    };
                    *member = prebuilt;
                }
            }
            syn::Item::Mod(module) => {
                if let Some((_, content)) = &mut module.content {
                    substitute_in(content, items)?;
                }
            }
            syn::Item::Struct(structure) => {
                let syn::Fields::Named(named) = &mut structure.fields else {
                    continue;
                };
                let marked = named.named.iter().any(|field| {
                    field
                        .ident
                        .as_ref()
                        .is_some_and(|name| name.to_string().starts_with(FIELDS_MARKER))
                });
                if !marked {
                    continue;
                }
                let mut fields = syn::punctuated::Punctuated::new();
                for field in std::mem::take(&mut named.named) {
                    let number = field.ident.as_ref().and_then(|name| {
                        name.to_string()
                            .strip_prefix(FIELDS_MARKER)
                            .map(str::to_string)
                    });
                    let Some(number) = number else {
                        fields.push(field);
                        continue;
                    };
                    let Prebuilt::Fields(prebuilt) = take(items, &number)? else {
                        return Err(format!("an item among the fields of `{}`", structure.ident));
                    };
                    fields.extend(prebuilt);
                }
                named.named = fields;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The item a marker's number stands for, taken out of `items`.
fn take(items: &mut Items, number: &str) -> Result<Prebuilt, String> {
    number
        .parse::<usize>()
        .ok()
        .and_then(|n| items.0.get_mut(n))
        .and_then(Option::take)
        .ok_or_else(|| format!("a marker without its item: number {number}"))
}

/// The placeholders of a method template: names, then the type.
const NAMES: [&str; 2] = ["__name0", "__name1"];
const TYPE: &str = "__Ty";

/// Which template a method is made from: its family (`"setter"`) and, within it, its shape.
pub type TemplateKey = (&'static str, u64);

/// A method made from a template: `make` gives the method's tokens (without its doc) for two
/// names and a type. The template is `make` of placeholders, parsed once per thread per `key`
/// (methods of one key must differ only in those names, that type and the trees of `slots`,
/// see [`Slots`]); each method is a copy of its tree with `names`, `ty` and the slots' trees
/// put in, and `doc` before it. Outside a unit the method is its tokens (for a template with
/// slots, the filled tree's), and so it is wherever something does not parse.
pub fn method(
    key: TemplateKey,
    make: impl Fn([&Ident; 2], TokenStream) -> TokenStream,
    doc: Vec<syn::Attribute>,
    names: [&Ident; 2],
    ty: syn::Type,
    slots: Slots,
) -> TokenStream {
    let plain = |doc: Vec<syn::Attribute>, ty: syn::Type| {
        let tokens = make(names, ty.into_token_stream());
        quote! { #(#doc)* #tokens }
    };
    if slots.is_empty() && COLLECTED.with(|c| c.borrow().is_none()) {
        return plain(doc, ty);
    }
    let template = TEMPLATES.with(|templates| {
        let mut templates = templates.borrow_mut();
        if let std::collections::hash_map::Entry::Vacant(entry) = templates.entry(key) {
            let placeholders = NAMES.map(super::ident);
            let tokens = make(
                [&placeholders[0], &placeholders[1]],
                super::ident(TYPE).into_token_stream(),
            );
            // A template that does not parse is not kept: its methods stay tokens.
            entry.insert(syn::parse2::<syn::ImplItemFn>(tokens).ok()?);
        }
        templates.get(&key).cloned()
    });
    let Some(mut method) = template else {
        // Tokens that do not parse stay tokens: the file's parse then reports them.
        return plain(doc, ty);
    };
    Fill {
        names: vec![(NAMES[0], names[0]), (NAMES[1], names[1])],
        ty: Some(ty),
        slots,
    }
    .visit_impl_item_fn_mut(&mut method);
    method.attrs.splice(0..0, doc);
    impl_item(syn::ImplItem::Fn(method))
}

/// Puts names, a type and trees in place of a template's placeholders.
struct Fill<'a> {
    /// Each placeholder identifier and what replaces it.
    names: Vec<(&'static str, &'a Ident)>,
    /// What replaces the type placeholder ([`TYPE`]).
    ty: Option<syn::Type>,
    /// What fills the template's expression and match-arm slots.
    slots: Slots,
}

/// The number of slot `ident` if it is one of `prefix`'s (`__expr3` → 3).
fn slot_number(ident: &Ident, prefix: &str) -> Option<usize> {
    ident.to_string().strip_prefix(prefix)?.parse().ok()
}

/// Replaces each element of `list` that is a slot (`slot_of` gives its number) by the elements
/// that fill it, taken out of `fillings`.
fn fill_list<T>(list: &mut Vec<T>, fillings: &mut [Vec<T>], slot_of: impl Fn(&T) -> Option<usize>) {
    if fillings.is_empty() {
        return;
    }
    for element in std::mem::take(list) {
        match slot_of(&element).and_then(|n| fillings.get_mut(n)) {
            Some(filling) => list.append(filling),
            None => list.push(element),
        }
    }
}

impl VisitMut for Fill<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        let slot = match expr {
            _ if self.slots.exprs.is_empty() => None,
            syn::Expr::Path(path) if path.qself.is_none() && path.attrs.is_empty() => path
                .path
                .get_ident()
                .and_then(|ident| slot_number(ident, EXPR_SLOT)),
            _ => None,
        };
        match slot.and_then(|n| self.slots.exprs.get_mut(n)) {
            Some(tree) => *expr = std::mem::replace(tree, syn::Expr::Verbatim(TokenStream::new())),
            None => syn::visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        syn::visit_mut::visit_block_mut(self, block);
        fill_list(&mut block.stmts, &mut self.slots.stmts, |stmt| match stmt {
            syn::Stmt::Expr(syn::Expr::Path(path), Some(_)) => path
                .path
                .get_ident()
                .and_then(|ident| slot_number(ident, STMTS_SLOT)),
            _ => None,
        });
    }

    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        syn::visit_mut::visit_expr_match_mut(self, expr);
        fill_list(&mut expr.arms, &mut self.slots.arms, |arm| match &arm.pat {
            syn::Pat::Ident(pat) => slot_number(&pat.ident, ARMS_SLOT),
            _ => None,
        });
    }

    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some((_, name)) = self
            .names
            .iter()
            .find(|(placeholder, _)| ident == placeholder)
        {
            *ident = (*name).clone();
        }
    }

    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        let is_placeholder =
            matches!(ty, syn::Type::Path(path) if path.qself.is_none() && path.path.is_ident(TYPE));
        match &self.ty {
            Some(replacement) if is_placeholder => *ty = replacement.clone(),
            _ => syn::visit_mut::visit_type_mut(self, ty),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unparse(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    /// A getter-like method of a field, with two shapes: the tokens a template is made from.
    fn accessor(shape: u64) -> impl Fn([&Ident; 2], TokenStream) -> TokenStream {
        move |[method, field], ty| {
            let value = if shape == 0 {
                quote! { self.#field.clone() }
            } else {
                quote! { Some(self.#field.clone()) }
            };
            let ty = if shape == 0 {
                ty
            } else {
                quote! { Option<#ty> }
            };
            quote! {
                #[must_use]
                pub fn #method(&self) -> #ty {
                    #value
                }
            }
        }
    }

    /// Both shapes, with a short and a long name and a simple and a nested type (prettyplease
    /// breaks the long ones over lines), printed from the tree and from the tokens.
    #[test]
    fn a_method_from_a_template_prints_as_its_tokens_would() {
        let names = [
            ("get_a", "a"),
            (
                "get_a_rather_long_field_name_that_makes_the_signature_wrap_around",
                "a_rather_long_field_name_that_makes_the_signature_wrap_around",
            ),
        ];
        let types = [
            quote! { String },
            quote! { ::std::collections::BTreeMap<String, crate::models::SomeLongModelName> },
        ];
        for shape in [0, 1] {
            for (name, field) in names {
                for ty in &types {
                    let (name, field) = (super::super::ident(name), super::super::ident(field));
                    let doc = quote! { #[doc = " Gets `a`."] };
                    let make = accessor(shape);
                    let plain = make([&name, &field], ty.clone());
                    let plain = unparse(quote! { impl A { #doc #plain } });
                    let doc = syn::parse::Parser::parse2(syn::Attribute::parse_outer, doc).unwrap();
                    let ty: syn::Type = syn::parse2(ty.clone()).unwrap();
                    let made = || {
                        let method = method(
                            ("test", shape),
                            &make,
                            doc.clone(),
                            [&name, &field],
                            ty.clone(),
                            Slots::default(),
                        );
                        quote! { impl A { #method } }
                    };
                    let (tokens, mut items) = collecting(made);
                    let mut file: syn::File = syn::parse2(tokens).unwrap();
                    assert!(prettyplease::unparse(&file).contains(MARKER));
                    substitute(&mut file, &mut items).unwrap();
                    all_placed(&items).unwrap();
                    assert_eq!(prettyplease::unparse(&file), plain, "shape {shape}");
                    // Outside a unit, the method is its tokens.
                    assert_eq!(unparse(made()), plain);
                }
            }
        }
    }

    #[test]
    fn fixed_methods_print_as_their_tokens_would_each_time() {
        let methods = || {
            quote! {
                /// One.
                pub fn one(self) -> Self { self }
                /// Two.
                pub fn two(&self) -> u8 { 2 }
            }
        };
        let plain = unparse({
            let m = methods();
            quote! { impl A { #m } impl B { fn b() {} #m } }
        });
        let (tokens, mut items) = collecting(|| {
            let first = fixed_methods("test methods", methods);
            let second = fixed_methods("test methods", || unreachable!("parsed once per thread"));
            quote! { impl A { #first } impl B { fn b() {} #second } }
        });
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        substitute(&mut file, &mut items).unwrap();
        all_placed(&items).unwrap();
        assert_eq!(prettyplease::unparse(&file), plain);
        // Outside a unit, they are their tokens.
        let outside = fixed_methods("test methods", methods);
        assert_eq!(outside.to_string(), methods().to_string());
    }

    #[test]
    fn items_for_a_type_print_as_their_tokens_would() {
        let make = |name: &Ident| {
            quote! {
                impl From<&str> for #name {
                    fn from(value: &str) -> Self { #name::parse(value) }
                }
                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
            }
        };
        let (a, b) = (
            super::super::ident("Alpha"),
            super::super::ident("AVeryMuchLongerName"),
        );
        let plain = {
            let (ma, mb) = (make(&a), make(&b));
            unparse(quote! { pub enum Alpha {} #ma mod m { #mb } })
        };
        let (tokens, mut items) = collecting(|| {
            let ma = items_for_type("test items", &a, make);
            let mb = items_for_type("test items", &b, make);
            quote! { pub enum Alpha {} #ma mod m { #mb } }
        });
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        substitute(&mut file, &mut items).unwrap();
        all_placed(&items).unwrap();
        assert_eq!(prettyplease::unparse(&file), plain);
        assert_eq!(
            items_for_type("test items", &a, make).to_string(),
            make(&a).to_string()
        );
        // A file-level item's marker inside an impl block is an error, not a method.
        let (tokens, mut items) = collecting(|| {
            let ma = items_for_type("test items", &a, make);
            quote! { impl Alpha { #ma } }
        });
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        let error = substitute(&mut file, &mut items).unwrap_err();
        assert!(error.contains("in an impl block"), "{error}");
    }

    /// A template with an expression slot and a match-arms slot, filled with trees built
    /// directly, prints as the same code written as tokens; outside a unit it is those tokens.
    #[test]
    fn slots_filled_with_trees_print_as_their_tokens_would() {
        use super::super::syntax::{arm, method_call, path_expr, str_lit, str_pat};
        let make = |name: &Ident| {
            let (chain, arms, stmts) = (expr_slot(0), arms_slot(0), stmts_slot(0));
            quote! {
                impl #name {
                    fn f(&self, x: &str) -> u8 {
                        #stmts;
                        let _ = #chain;
                        match x {
                            #arms => {}
                            _ => 0,
                        }
                    }
                }
            }
        };
        let slots = || {
            let receiver = path_expr(&[&super::super::ident("a")]);
            let chain = method_call(method_call(receiver, "b", vec![str_lit("c")]), "d", vec![]);
            let arms = vec![
                arm(str_pat("one"), syn::parse_quote!(1)),
                arm(str_pat("two"), syn::parse_quote!(2)),
            ];
            let stmts = syn::parse::Parser::parse2(
                syn::Block::parse_within,
                quote! { let y = 1; if y > 0 { drop(y); } },
            )
            .unwrap();
            Slots {
                exprs: vec![chain],
                arms: vec![arms],
                stmts: vec![stmts],
            }
        };
        let plain = unparse(quote! {
            impl Alpha {
                fn f(&self, x: &str) -> u8 {
                    let y = 1;
                    if y > 0 { drop(y); }
                    let _ = a.b("c").d();
                    match x {
                        "one" => 1,
                        "two" => 2,
                        _ => 0,
                    }
                }
            }
        });
        let name = super::super::ident("Alpha");
        let (tokens, mut items) = collecting(|| items_filled("test slots", &name, make, slots()));
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        substitute(&mut file, &mut items).unwrap();
        all_placed(&items).unwrap();
        assert_eq!(prettyplease::unparse(&file), plain);
        assert_eq!(
            unparse(items_filled("test slots", &name, make, slots())),
            plain
        );
        // A slot left without its tree stays a placeholder, which does not compile.
        let unfilled = unparse(items_filled("test slots", &name, make, Slots::default()));
        assert!(
            unfilled.contains("__expr0") && unfilled.contains("__arms0"),
            "{unfilled}"
        );
    }

    /// Named fields built as trees, in the place of their marker among a struct's other fields,
    /// print as the same fields written as tokens; outside a unit they are those tokens.
    #[test]
    fn fields_built_as_trees_print_as_their_tokens_would() {
        let field = |tokens: TokenStream| -> syn::Field {
            syn::parse::Parser::parse2(syn::Field::parse_named, tokens).unwrap()
        };
        let trees = || {
            vec![
                field(quote! { #[serde(default)] pub a: Option<String> }),
                field(quote! { pub b: ::std::collections::BTreeMap<String, Vec<u8>> }),
            ]
        };
        let plain = unparse(quote! {
            pub struct S {
                pub first: u8,
                #[serde(default)]
                pub a: Option<String>,
                pub b: ::std::collections::BTreeMap<String, Vec<u8>>,
                pub last: u8,
            }
        });
        let (tokens, mut items) = collecting(|| {
            let declared = fields(trees());
            quote! { pub struct S { pub first: u8, #declared pub last: u8, } }
        });
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        assert!(prettyplease::unparse(&file).contains(FIELDS_MARKER));
        substitute(&mut file, &mut items).unwrap();
        all_placed(&items).unwrap();
        assert_eq!(prettyplease::unparse(&file), plain);
        let outside = fields(trees());
        assert_eq!(
            unparse(quote! { pub struct S { pub first: u8, #outside pub last: u8, } }),
            plain
        );
        // An item's marker standing for fields is an error, not fields lost.
        let (_, mut items) = collecting(|| string_method("a"));
        let mut file: syn::File =
            syn::parse2(quote! { pub struct S { __authlete_codegen_fields_0: (), } }).unwrap();
        let error = substitute(&mut file, &mut items).unwrap_err();
        assert!(error.contains("among the fields"), "{error}");
    }

    /// A method of a `String` field named `name`, with no doc.
    fn string_method(name: &str) -> TokenStream {
        let (method_name, field) = (
            super::super::ident(&format!("get_{name}")),
            super::super::ident(name),
        );
        method(
            ("test", 0),
            accessor(0),
            Vec::new(),
            [&method_name, &field],
            syn::parse_quote!(String),
            Slots::default(),
        )
    }

    #[test]
    fn a_marker_without_its_item_or_an_item_without_its_marker_is_an_error() {
        let (tokens, mut items) = collecting(|| {
            let a = string_method("a");
            let _unplaced = string_method("b");
            quote! { impl A { #a __authlete_codegen_item!(9); } }
        });
        let mut file: syn::File = syn::parse2(tokens.clone()).unwrap();
        let error = substitute(&mut file, &mut items).unwrap_err();
        assert!(error.contains("without its item"), "{error}");
        let mut file: syn::File =
            syn::parse2(quote! { impl A { __authlete_codegen_item!(0); } }).unwrap();
        substitute(&mut file, &mut items).unwrap_err();
        let (_, mut items) = collecting(|| string_method("a"));
        let mut file: syn::File = syn::parse2(quote! { impl A {} }).unwrap();
        substitute(&mut file, &mut items).unwrap();
        assert!(all_placed(&items).is_err());
    }
}
