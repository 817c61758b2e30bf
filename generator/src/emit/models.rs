//! One file per type under `src/emitted/models/`, re-exported flat from `models`.

use super::{allow_inception, doc_attrs, ident, rust_type, spec_doc_attrs};
use crate::ir::{
    Api, Field, Presence, TypeDef, TypeKind, TypeRef, Variant, ADDITIONAL_FIELD, ADDITIONAL_SETTER,
    CATCH_ALL_VARIANT,
};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// `models/mod.rs`: every model module, re-exported.
pub fn module_file(api: &Api) -> (String, TokenStream) {
    let modules: Vec<_> = api.types.values().map(|t| ident(&t.module)).collect();
    let inception = api
        .types
        .values()
        .map(|t| allow_inception(&t.module, "models"));
    let tokens = quote! {
        //! The types of the API: one per schema of the document, and one per inline object or enum.
        #( #inception mod #modules; )*
        #( pub use #modules::*; )*
    };
    ("src/emitted/models/mod.rs".to_string(), tokens)
}

/// One model's file.
pub fn type_file(def: &TypeDef) -> (String, TokenStream) {
    (
        format!("src/emitted/models/{}.rs", def.module),
        type_def(def),
    )
}

fn type_def(def: &TypeDef) -> TokenStream {
    let deprecated = super::deprecated_attr(def.deprecated, "schema");
    let source = doc_attrs(&format!("Schema: `{}`", def.source));
    let doc = match &def.doc {
        Some(text) => {
            let text = spec_doc_attrs(text);
            quote! { #text #[doc = ""] #source }
        }
        None => source,
    };
    let doc = quote! { #doc #deprecated };
    match &def.kind {
        TypeKind::Struct { fields, additional } => structure(def, fields, additional.as_ref(), doc),
        TypeKind::Enum { variants } => open_enum(def, variants, doc),
        TypeKind::Alias(ty) => {
            let name = ident(&def.name);
            let ty = rust_type(ty);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

/// A field's declaration as a tree (the struct's fields are the largest part of the models, and
/// need not be parsed back): its doc, `#[deprecated]` and `#[serde]` attributes, name and type.
fn field_tree(field: &Field, camel_case: bool) -> syn::Field {
    let mut attrs =
        super::spec_doc_or_trees(&field.doc, &format!("The `{}` property.", field.wire));
    attrs.extend(super::deprecated_attr_tree(field.deprecated, "property"));
    let mut serde_args = Vec::new();
    if needs_rename(field, camel_case) {
        let wire = &field.wire;
        serde_args.push(quote! { rename = #wire });
    }
    serde_args.extend(presence_serde(field.presence));
    if !serde_args.is_empty() {
        attrs.push(super::syntax::list_attr(
            "serde",
            quote! { #(#serde_args),* },
        ));
    }
    syn::Field {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        mutability: syn::FieldMutability::None,
        ident: Some(ident(&field.name)),
        colon_token: Some(Default::default()),
        ty: field_type_tree(field),
    }
}

/// The declared type of a field: its type in as many `Option`s as its presence needs (see
/// [`Presence`]); `Box` to break cycles. A tree, made once per thread for each.
fn field_type_tree(field: &Field) -> syn::Type {
    super::type_tree(&field.ty, field.boxed, field.presence.option_layers())
}

/// The serde arguments of a field's presence, for `Serialize` (the emitted [`object_reading`]
/// reads it): an optional member is left out when `None`.
fn presence_serde(presence: Presence) -> Option<TokenStream> {
    match presence {
        Presence::Required | Presence::RequiredNullable => None,
        Presence::Optional | Presence::OptionalNullable => {
            Some(quote! { skip_serializing_if = "Option::is_none" })
        }
    }
}

/// A struct's `Deserialize`: [`crate::runtime`]'s one object visitor, and the struct's
/// `Object::read`, a `match` on the members' names that reads each member into its field. serde's
/// derive made five visitors per struct, more than half of the crate's macro expansion.
/// Members that are no field are kept in `additional_properties` where the struct has it, and
/// skipped otherwise. How a member is read follows its presence (see [`object_fields`]).
fn object_reading(def: &TypeDef, fields: &[Field], additional: bool) -> TokenStream {
    use super::prebuilt::{arms_slot, expr_slot, items_filled, stmts_slot, Slots};
    use super::syntax::{field_expr, method_call, mut_reference, path_expr, str_lit, try_expr};
    let members = path_expr(&[&ident(MEMBERS_LOCAL)]);
    let mut reading = object_fields(fields);
    let other = if additional {
        let name = ident(ADDITIONAL_FIELD);
        let place = match &reading.value {
            Some(value) => field_expr(value.clone(), &name),
            None => {
                reading.locals.push(super::syntax::let_mut(
                    &name,
                    super::prebuilt::parsed_once::<syn::Expr>("empty index map", || {
                        quote! { ::indexmap::IndexMap::new() }
                    }),
                ));
                reading.inits.push((name.clone(), None));
                path_expr(&[&name])
            }
        };
        try_expr(method_call(
            members,
            "additional",
            vec![mut_reference(place)],
        ))
    } else {
        try_expr(method_call(members, "skip", Vec::new()))
    };
    let result = match reading.value {
        Some(value) => value,
        None => super::syntax::struct_expr(&[&ident("Self")], reading.inits),
    };
    let make = |name: &Ident| {
        let members = ident(MEMBERS_LOCAL);
        let (type_name, other, result) = (expr_slot(0), expr_slot(1), expr_slot(2));
        let (locals, arms) = (stmts_slot(0), arms_slot(0));
        quote! {
            impl crate::runtime::Object for #name {
                const NAME: &'static str = #type_name;
                fn read<'de, A: ::serde::de::MapAccess<'de>>(
                    mut #members: crate::runtime::Members<'de, A>,
                ) -> Result<Self, A::Error> {
                    #locals;
                    loop {
                        match #members.next_key()? {
                            #arms => {}
                            Some(_) => #other,
                            None => break,
                        }
                    }
                    Ok(#result)
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    crate::runtime::deserialize_object(deserializer)
                }
            }
        }
    };
    let slots = Slots {
        exprs: vec![str_lit(&def.name), other, result],
        arms: vec![reading.arms],
        stmts: vec![reading.locals],
    };
    items_filled("object reading", &ident(&def.name), make, slots)
}

/// The parts of `Object::read` that differ per struct: its locals, one `match` arm per field,
/// and what it returns.
struct ObjectFields {
    locals: Vec<syn::Stmt>,
    arms: Vec<syn::Arm>,
    /// The struct being filled in, where it starts as its `Default` (all fields optional).
    value: Option<syn::Expr>,
    /// Otherwise each field's value from its local (`None`: the local is the value).
    inits: Vec<(Ident, Option<syn::Expr>)>,
}

/// How each field is read. A struct whose fields are all optional starts as its `Default`
/// and each member is read into its field: absent stays `None`, `null` is `None` (or
/// `Some(None)` where the field is also nullable). A struct with required fields reads each
/// member into a local of its field's name that is `None` while the member is absent, then
/// builds the struct: a required field is the value, or the error that the member is missing;
/// a required nullable one is `None` when absent (the derive also read it so), an optional one
/// `None` for absent and `null` alike. A member that comes twice is an error (`duplicate
/// field`), as with the derive, unless it first came as `null` into an optional field.
fn object_fields(fields: &[Field]) -> ObjectFields {
    use super::syntax::{
        arm, field_expr, let_mut, method_call, mut_reference, path_expr, str_lit, str_pat,
        try_expr, tuple_struct_pat,
    };
    let members = path_expr(&[&ident(MEMBERS_LOCAL)]);
    let some = ident("Some");
    let read = |method: &str, place: syn::Expr| {
        try_expr(method_call(
            members.clone(),
            method,
            vec![mut_reference(place)],
        ))
    };
    let member_arm =
        |field: &Field, body| arm(tuple_struct_pat(&[&some], vec![str_pat(&field.wire)]), body);
    if fields.iter().all(|f| !f.presence.required()) {
        let value = ident(VALUE_LOCAL);
        let arms = fields
            .iter()
            .map(|field| {
                let place = field_expr(path_expr(&[&value]), &ident(&field.name));
                let method = match field.presence {
                    Presence::OptionalNullable => "value",
                    _ => "optional",
                };
                member_arm(field, read(method, place))
            })
            .collect();
        let start = super::prebuilt::parsed_once::<syn::Expr>("default value", || {
            quote! { Self::default() }
        });
        return ObjectFields {
            locals: vec![let_mut(&value, start)],
            arms,
            value: Some(path_expr(&[&value])),
            inits: Vec::new(),
        };
    }
    let none = path_expr(&[&ident("None")]);
    let mut reading = ObjectFields {
        locals: Vec::with_capacity(fields.len() + 1),
        arms: Vec::with_capacity(fields.len()),
        value: None,
        inits: Vec::with_capacity(fields.len() + 1),
    };
    for field in fields {
        let name = ident(&field.name);
        let local = path_expr(&[&name]);
        reading.locals.push(let_mut(&name, none.clone()));
        reading
            .arms
            .push(member_arm(field, read("value", local.clone())));
        let value = match field.presence {
            Presence::Required => Some(try_expr(method_call(
                members.clone(),
                "required",
                vec![local, str_lit(&field.wire)],
            ))),
            Presence::RequiredNullable | Presence::Optional => {
                Some(method_call(local, "flatten", Vec::new()))
            }
            Presence::OptionalNullable => None,
        };
        reading.inits.push((name, value));
    }
    reading
}

/// The struct being filled in by `Object::read` when it starts as its `Default`.
const VALUE_LOCAL: &str = "value";

/// The name of `Object::read`'s parameter: never a field's name (those begin with a letter),
/// so that each field's local can have its field's name.
const MEMBERS_LOCAL: &str = "__members";

fn structure(
    def: &TypeDef,
    fields: &[Field],
    additional: Option<&TypeRef>,
    doc: TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let all_optional = fields.iter().all(|f| !f.presence.required());
    let default = if all_optional {
        quote! { Default, }
    } else {
        quote! {}
    };
    let camel_case = camel_case_struct(fields);
    let rename_all = if camel_case {
        quote! { #[serde(rename_all = "camelCase")] }
    } else {
        quote! {}
    };
    let declared =
        super::prebuilt::fields(fields.iter().map(|f| field_tree(f, camel_case)).collect());
    let additional_ty = additional.map(|ty| {
        let ty = rust_type(ty);
        quote! { ::indexmap::IndexMap<String, #ty> }
    });
    let additional_name = ident(ADDITIONAL_FIELD);
    let additional_field = additional_ty.as_ref().map(|ty| {
        quote! {
            /// The members that are not fields above (newer than this SDK, or left open by the
            /// document), in the order received; encoded back, so a value read, modified and
            /// written back loses none of them.
            #[serde(flatten)]
            pub #additional_name: #ty,
        }
    });
    let additional_init = additional.map(|_| quote! { #additional_name: Default::default(), });
    let setter_doc = format!(" Sets one member that is not a field (see `{ADDITIONAL_FIELD}`).");
    let additional_setter_name = ident(ADDITIONAL_SETTER);
    let additional_setter = additional.map(|ty| {
        let ty = rust_type(ty);
        quote! {
            #[doc = #setter_doc]
            pub fn #additional_setter_name(mut self, name: impl Into<String>, value: impl Into<#ty>) -> Self {
                self.#additional_name.insert(name.into(), value.into());
                self
            }
        }
    });
    let constructor = if all_optional {
        quote! {}
    } else {
        let required: Vec<&Field> = fields.iter().filter(|f| f.presence.required()).collect();
        let params = required.iter().map(|f| {
            let fname = ident(&f.name);
            let ty = setter_type(FieldShape::of(f), rust_type(item_type(f)));
            quote! { #fname: #ty }
        });
        let inits = fields.iter().map(|f| {
            let fname = ident(&f.name);
            if f.presence.required() {
                let shape = FieldShape::of(f);
                let value = wrap_value(shape, converted(shape, quote! { #fname }));
                quote! { #fname: #value }
            } else {
                quote! { #fname: None }
            }
        });
        quote! {
            /// Builds a value with the required fields; the others start absent.
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #additional_init }
            }
        }
    };
    let setters = fields.iter().map(setter);
    let (derive_debug, debug_impl) = if fields.iter().any(|f| f.sensitive) {
        (
            quote! {},
            redacting_debug(def, fields, additional.is_some()),
        )
    } else {
        (quote! { Debug, }, quote! {})
    };
    let reading = object_reading(def, fields, additional.is_some());
    quote! {
        #doc
        #[derive(Clone, #derive_debug PartialEq, #default ::serde::Serialize)]
        #rename_all
        #[non_exhaustive]
        pub struct #name {
            #declared
            #additional_field
        }

        #debug_impl

        impl #name {
            #constructor
            #(#setters)*
            #additional_setter
        }

        #reading
    }
}

/// `Debug` that shows `***` for the sensitive fields (`Some(***)` when optional), like the AWS
/// SDK's `sensitive` members: a token never reaches a log through `{:?}`. The chain of fields
/// is built as a tree and put into the impl's template (see [`super::prebuilt::items_filled`]).
fn redacting_debug(def: &TypeDef, fields: &[Field], additional: bool) -> TokenStream {
    use super::prebuilt::{expr_for_name, expr_slot, items_filled, Slots};
    use super::syntax::{method_call, path_expr, self_field_ref, str_lit};
    let name = ident(&def.name);
    let mut chain = method_call(
        path_expr(&[&ident("f")]),
        "debug_struct",
        vec![str_lit(&def.name)],
    );
    for f in fields {
        let fname = ident(&f.name);
        let value = match (f.sensitive, f.presence.option_layers()) {
            (false, _) => self_field_ref(&fname),
            (true, 0) => expr_for_name("redacted", &fname, |_| {
                quote! { &crate::runtime::Redacted }
            }),
            (true, 1) => expr_for_name("redacted option", &fname, |fname| {
                quote! { &self.#fname.as_ref().map(|_| crate::runtime::Redacted) }
            }),
            (true, _) => expr_for_name("redacted nested option", &fname, |fname| {
                quote! { &self.#fname.as_ref().map(|v| v.as_ref().map(|_| crate::runtime::Redacted)) }
            }),
        };
        chain = method_call(chain, "field", vec![str_lit(&f.name), value]);
    }
    if additional {
        let field = self_field_ref(&ident(ADDITIONAL_FIELD));
        chain = method_call(chain, "field", vec![str_lit(ADDITIONAL_FIELD), field]);
    }
    let chain = method_call(chain, "finish", Vec::new());
    let make = |name: &Ident| {
        let chain = expr_slot(0);
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #chain
                }
            }
        }
    };
    let slots = Slots {
        exprs: vec![chain],
        ..Slots::default()
    };
    items_filled("redacting debug", &name, make, slots)
}

/// What makes one field's setter differ from another's beyond its names and its item type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldShape {
    /// A list field: `new` and the setter take any iterable of convertible items.
    list: bool,
    /// The field's value is boxed (it breaks a cycle of types).
    boxed: bool,
    /// How many `Option`s the field's type has around the value.
    option_layers: usize,
}

impl FieldShape {
    fn of(field: &Field) -> Self {
        FieldShape {
            list: matches!(field.ty, TypeRef::List(_)),
            boxed: field.boxed,
            option_layers: field.presence.option_layers(),
        }
    }

    /// The shape's number among the setter templates.
    fn key(self) -> u64 {
        u64::from(self.list) | u64::from(self.boxed) << 1 | (self.option_layers as u64) << 2
    }
}

/// The type `new` and the setter convert from: the field's type without `Option`, `Box` and,
/// for a list, `Vec`.
fn item_type(field: &Field) -> &TypeRef {
    match &field.ty {
        TypeRef::List(item) => item,
        other => other,
    }
}

/// A field's setter `with_x(mut self, value: …) -> Self`, made from its shape's template.
fn setter(field: &Field) -> TokenStream {
    let doc = super::doc_attr_trees(&format!("Sets `{}`.", field.wire));
    let (method, name) = (ident(&field.setter), ident(&field.name));
    shaped_setter(
        FieldShape::of(field),
        doc,
        [&method, &name],
        super::type_tree(item_type(field), false, 0),
    )
}

/// A setter of this shape: its doc, its method's and field's names, and its item type.
fn shaped_setter(
    shape: FieldShape,
    doc: Vec<syn::Attribute>,
    names: [&Ident; 2],
    item: syn::Type,
) -> TokenStream {
    super::prebuilt::method(
        ("setter", shape.key()),
        |[method, name], item| setter_tokens(shape, method, name, item),
        doc,
        names,
        item,
        super::prebuilt::Slots::default(),
    )
}

/// The tokens of a setter (without its doc), for its shape, names and item type.
fn setter_tokens(
    shape: FieldShape,
    method: &Ident,
    field: &Ident,
    item: TokenStream,
) -> TokenStream {
    let param = setter_type(shape, item);
    let value = wrap_value(shape, converted(shape, quote! { value }));
    quote! {
        #[must_use]
        pub fn #method(mut self, value: #param) -> Self {
            self.#field = #value;
            self
        }
    }
}

/// The argument type of `new` and `with_*` for the item type: a list takes any iterable of
/// convertible items (`["a", "b"]`, a `Vec<String>`, an iterator).
fn setter_type(shape: FieldShape, item: TokenStream) -> TokenStream {
    if shape.list {
        quote! { impl IntoIterator<Item = impl Into<#item>> }
    } else {
        quote! { impl Into<#item> }
    }
}

/// The argument `value` (of [`setter_type`]) converted into the field's value type.
fn converted(shape: FieldShape, value: TokenStream) -> TokenStream {
    if shape.list {
        quote! { #value.into_iter().map(Into::into).collect() }
    } else {
        quote! { #value.into() }
    }
}

/// Wraps a converted value into the field's declared shape.
fn wrap_value(shape: FieldShape, value: TokenStream) -> TokenStream {
    let value = if shape.boxed {
        quote! { Box::new(#value) }
    } else {
        value
    };
    (0..shape.option_layers).fold(value, |value, _| quote! { Some(#value) })
}

/// `#[serde(rename)]` only where the struct's rule (`camelCase`, or none: the field's own name)
/// does not give the wire name.
fn needs_rename(field: &Field, camel_case: bool) -> bool {
    if camel_case {
        !field.wire_is_camel_case()
    } else {
        field.name != field.wire
    }
}

/// `rename_all = "camelCase"` on a struct where it spares at least one field a `rename` (a
/// field whose name is its wire name, `id`, is the same under both).
fn camel_case_struct(fields: &[Field]) -> bool {
    fields
        .iter()
        .any(|f| f.name != f.wire && f.wire_is_camel_case())
}

fn open_enum(def: &TypeDef, variants: &[Variant], doc: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let catch_all = ident(CATCH_ALL_VARIANT);
    let open_doc = doc_attrs(&format!(
        "Open: a value this version of the SDK does not know is kept in `{CATCH_ALL_VARIANT}` and sent back unchanged."
    ));
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs: Vec<TokenStream> =
        wires.iter().map(|w| doc_attrs(&format!("`{w}`"))).collect();
    let conversions =
        super::prebuilt::items_for_type("open enum conversions", &name, open_enum_conversions);
    let methods = open_enum_methods(&name, variants);
    quote! {
        #doc
        ///
        #open_doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #idents, )*
            /// A value this version of the SDK does not know (see [`crate::UnknownValue`]).
            #catch_all(crate::UnknownValue),
        }

        #methods

        #conversions
    }
}

/// An open enum's `as_str` and `try_parse`: the impl's template with the `match` arms of its
/// variants built as trees (see [`super::prebuilt::items_filled`]).
fn open_enum_methods(name: &Ident, variants: &[Variant]) -> TokenStream {
    use super::prebuilt::{arms_slot, items_filled, Slots};
    use super::syntax::{arm, call, path_expr, path_pat, str_lit, str_pat};
    let this = ident("Self");
    let some = path_expr(&[&ident("Some")]);
    let (mut as_str, mut try_parse) = (Vec::new(), Vec::new());
    for variant in variants {
        let variant_name = ident(&variant.name);
        let value = path_expr(&[&this, &variant_name]);
        as_str.push(arm(
            path_pat(&[&this, &variant_name]),
            str_lit(&variant.wire),
        ));
        try_parse.push(arm(str_pat(&variant.wire), call(some.clone(), vec![value])));
    }
    let make = |name: &Ident| {
        let catch_all = ident(CATCH_ALL_VARIANT);
        let (as_str, try_parse) = (arms_slot(0), arms_slot(1));
        quote! {
            impl #name {
                /// The value as it is on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #as_str => {}
                        Self::#catch_all(value) => value.as_str(),
                    }
                }

                /// The known variant of `value`, or `None` for a value this SDK does not know.
                pub fn try_parse(value: &str) -> Option<Self> {
                    match value {
                        #try_parse => {}
                        _ => None,
                    }
                }
            }
        }
    };
    let slots = Slots {
        arms: vec![as_str, try_parse],
        ..Slots::default()
    };
    items_filled("open enum methods", name, make, slots)
}

/// An open enum's conversions and serde impls: the same for every enum but for its name.
fn open_enum_conversions(name: &Ident) -> TokenStream {
    let catch_all = ident(CATCH_ALL_VARIANT);
    quote! {
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::try_parse(value).unwrap_or_else(|| Self::#catch_all(crate::UnknownValue::new(value)))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, ::std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::deserialize_enum_str(deserializer).map(|value| Self::from(value.as_ref()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::prebuilt::{all_placed, collecting, substitute};

    fn unparse(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    fn shapes() -> Vec<FieldShape> {
        let mut shapes = Vec::new();
        for list in [false, true] {
            for boxed in [false, true] {
                for option_layers in 0..3 {
                    shapes.push(FieldShape {
                        list,
                        boxed,
                        option_layers,
                    });
                }
            }
        }
        shapes
    }

    #[test]
    fn every_shape_has_its_own_template() {
        let keys: std::collections::HashSet<u64> =
            shapes().into_iter().map(FieldShape::key).collect();
        assert_eq!(keys.len(), shapes().len());
    }

    /// Every shape, with a short and a long name and a simple and a nested type (prettyplease
    /// breaks the long ones over lines): the setter made from its template prints as its
    /// tokens do.
    #[test]
    fn a_setter_from_its_template_prints_as_its_tokens_would() {
        let names = [
            ("with_a", "a"),
            (
                "with_a_rather_long_field_name_that_makes_the_signature_wrap",
                "a_rather_long_field_name_that_makes_the_signature_wrap",
            ),
        ];
        let types = [
            quote! { String },
            quote! { ::std::collections::BTreeMap<String, crate::models::SomeLongModelName> },
        ];
        for shape in shapes() {
            for (method, field) in names {
                for ty in &types {
                    let (method, field) = (ident(method), ident(field));
                    let doc = quote! { #[doc = " Sets `a`."] };
                    let plain = setter_tokens(shape, &method, &field, ty.clone());
                    let plain = unparse(quote! { impl A { #doc #plain } });
                    let doc = syn::parse::Parser::parse2(syn::Attribute::parse_outer, doc).unwrap();
                    let ty: syn::Type = syn::parse2(ty.clone()).unwrap();
                    let (tokens, mut items) = collecting(|| {
                        let setter =
                            shaped_setter(shape, doc.clone(), [&method, &field], ty.clone());
                        quote! { impl A { #setter } }
                    });
                    let mut file: syn::File = syn::parse2(tokens).unwrap();
                    substitute(&mut file, &mut items).unwrap();
                    all_placed(&items).unwrap();
                    assert_eq!(prettyplease::unparse(&file), plain, "{shape:?}");
                }
            }
        }
    }
}
