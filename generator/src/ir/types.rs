//! Schemas → `TypeDef`s. Component schemas get their key's name; inline objects and enums get
//! `Parent` + `Field` (never a number), so names stay stable when the document grows.

use super::naming::{
    field_setter, inline_part, inline_type, model_module, part, snake_ident, type_ident,
    variant_ident,
};
use super::resolve::schema_key;
use super::{Field, Presence, RustIdent, TypeDef, TypeKind, TypeRef, Variant};
use crate::error::{pointer, CodegenError, Errors, Result};
use openapiv3::{
    AdditionalProperties, IntegerFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

const SCHEMAS: &str = "#/components/schemas";

/// The extension that marks a property whose value is a secret (a token, a client secret, a
/// code): generated `Debug` shows `***` in its place.
pub const SENSITIVE: &str = "x-sensitive";

/// A schema or a reference to one, whatever box it came in.
#[derive(Clone, Copy)]
pub enum SchemaRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Item(schema),
        }
    }
}

/// Properties, required names and description gathered from an object schema (allOf merged).
#[derive(Default, Clone)]
struct ObjectShape<'a> {
    properties: Vec<(String, SchemaRef<'a>, String)>,
    required: BTreeSet<String>,
    description: Option<String>,
    /// `additionalProperties` beside the properties (`true` or a schema), with its pointer.
    additional: Option<(&'a AdditionalProperties, String)>,
}

/// The field that keeps the members of an object that are not its properties.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

pub struct TypeBuilder<'a> {
    doc: &'a OpenAPI,
    /// Component schema key → type name.
    component_names: BTreeMap<String, String>,
    types: BTreeMap<String, TypeDef>,
    /// Merged `allOf` shapes by pointer: a schema included many times (an allOf "diamond") is
    /// merged once, so the work stays linear in the document instead of exponential in its depth.
    merged: std::cell::RefCell<BTreeMap<String, ObjectShape<'a>>>,
    /// What lowering accepted but a maintainer should know (pointer first), for `Api::warnings`.
    pub warnings: Vec<String>,
}

/// How deep `allOf` may include `allOf`: far beyond real documents, and an error instead of a
/// stack overflow on a hostile one.
const MAX_ALL_OF_DEPTH: usize = 64;

impl<'a> TypeBuilder<'a> {
    pub fn new(doc: &'a OpenAPI) -> Self {
        TypeBuilder {
            doc,
            component_names: BTreeMap::new(),
            types: BTreeMap::new(),
            merged: Default::default(),
            warnings: Vec::new(),
        }
    }

    fn component(&self, key: &str) -> Option<&'a ReferenceOr<Schema>> {
        self.doc
            .components
            .as_ref()
            .and_then(|c| c.schemas.get(key))
    }

    /// Names every component schema first (so references resolve in any order), then lowers each.
    /// Names every component schema, then lowers each. A schema that cannot be named stops
    /// here (what refers to it could not be lowered); one that cannot be lowered is recorded
    /// in `errors` and the next is tried.
    pub fn add_components(&mut self, errors: &mut Errors) -> Result<()> {
        let Some(components) = self.doc.components.as_ref() else {
            return Ok(());
        };
        let mut naming = Errors::default();
        // type name -> the key that took it
        let mut taken: BTreeMap<String, &String> = BTreeMap::new();
        // keys whose schema repeats another one's exactly: they share its type
        let mut duplicates: BTreeSet<&String> = BTreeSet::new();
        for (key, schema) in &components.schemas {
            let at = pointer(SCHEMAS, &[key]);
            let name = match rust_name_extension(schema) {
                Some(name) => type_ident(name, &at),
                None => type_ident(key, &at),
            };
            let Some(name) = naming.keep(name) else {
                continue;
            };
            if let Some(first) = taken.get(&name) {
                let other = pointer(SCHEMAS, &[first]);
                if components.schemas.get(*first) == Some(schema) {
                    // `AccessToken` and `access_token`, the same schema twice (older Authlete
                    // documents have such pairs): one type, whichever key a reference uses.
                    self.warnings.push(format!(
                        "{at}: the same schema as {other}, whose type `{name}` it shares"
                    ));
                    duplicates.insert(key);
                    self.component_names.insert(key.clone(), name);
                    continue;
                }
                naming.push(CodegenError::new(&at, format!("type name `{name}` is already taken by {other}"))
                    .with_hint(format!("add an overlay action giving one of them an `x-rust-type`, e.g. target `$.components.schemas['{key}']`")));
                continue;
            }
            taken.insert(name.clone(), key);
            self.component_names.insert(key.clone(), name);
        }
        naming.finish()?;
        for (key, schema) in &components.schemas {
            if duplicates.contains(key) {
                continue;
            }
            let name = self.component_names[key].clone();
            let at = pointer(SCHEMAS, &[key]);
            errors.keep(self.lower_named(&name, key, SchemaRef::from(schema), &at));
        }
        Ok(())
    }

    /// `ty` with its chain of aliases followed (`type Id = Key; type Key = i64` → `i64`), at
    /// most 64 links (cycles of aliases are an error of `finish`).
    fn resolve_alias(&self, ty: &TypeRef) -> TypeRef {
        let mut current = ty.clone();
        for _ in 0..64 {
            match &current {
                TypeRef::Named(name) => match self.types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Alias(target)) => current = target.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        current
    }

    /// A scalar (string, number, integer, boolean) or a string enum, through aliases: what a
    /// path or query parameter can carry as text.
    pub fn is_scalar(&self, ty: &TypeRef) -> bool {
        match self.resolve_alias(ty) {
            TypeRef::String
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::U64
            | TypeRef::F64
            | TypeRef::Bool => true,
            TypeRef::Named(name) => matches!(
                self.types.get(&name).map(|def| &def.kind),
                Some(TypeKind::Enum { .. })
            ),
            TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Json => false,
        }
    }

    /// `ty` with an alias of a scalar or an enum resolved (`type Id = i64` → `i64`): what a
    /// parameter's example and argument are made of. Anything else is kept as it is.
    pub fn without_scalar_alias(&self, ty: TypeRef) -> TypeRef {
        let resolved = self.resolve_alias(&ty);
        if self.is_scalar(&resolved) {
            resolved
        } else {
            ty
        }
    }

    /// Resolves `#/components/schemas/X` to the type name of X.
    fn resolve_name(&self, reference: &str, at: &str) -> Result<String> {
        let key = schema_key(reference, at)?;
        self.component_names
            .get(&key)
            .cloned()
            .ok_or_else(|| dangling(reference, at))
    }

    /// Follows references to the schema they name (for allOf merging).
    fn deref(&self, schema: SchemaRef<'a>, at: &str) -> Result<(&'a Schema, String)> {
        let mut current = schema;
        let mut location = at.to_string();
        for _ in 0..64 {
            match current {
                SchemaRef::Item(schema) => return Ok((schema, location)),
                SchemaRef::Ref(reference) => {
                    let key = schema_key(reference, &location)?;
                    let target = self
                        .component(&key)
                        .ok_or_else(|| dangling(reference, &location))?;
                    location = pointer(SCHEMAS, &[&key]);
                    current = SchemaRef::from(target);
                }
            }
        }
        Err(
            CodegenError::new(at, "a chain of $ref that does not end (cyclic references)")
                .with_hint(
                    "make one of the schemas in the cycle a real schema instead of a bare $ref",
                ),
        )
    }

    /// Lowers a schema that gets a named type of its own (a component, or an inline object/enum).
    fn lower_named(
        &mut self,
        name: &str,
        wire: &str,
        schema: SchemaRef<'a>,
        at: &str,
    ) -> Result<()> {
        let deprecated = matches!(schema, SchemaRef::Item(s) if s.schema_data.deprecated);
        let (doc, kind) = match schema {
            SchemaRef::Ref(reference) => (
                None,
                TypeKind::Alias(TypeRef::Named(self.resolve_name(reference, at)?)),
            ),
            SchemaRef::Item(item) if single_ref(item).is_some() => {
                let reference = single_ref(item).unwrap_or_default();
                (
                    item.schema_data.description.clone(),
                    TypeKind::Alias(TypeRef::Named(self.resolve_name(reference, at)?)),
                )
            }
            SchemaRef::Item(item) => {
                let doc = item.schema_data.description.clone();
                if let Some(variants) = self.string_enum(item, at)? {
                    (doc, TypeKind::Enum { variants })
                } else if let Some(shape) = self.object_shape(item, at)? {
                    let doc = shape.description.clone().or(doc);
                    let additional = match shape.additional.clone() {
                        Some((AdditionalProperties::Schema(schema), at)) => Some(self.type_ref(
                            SchemaRef::from(schema.as_ref()),
                            &format!("{at}/additionalProperties"),
                            &inline_type(name, part::ADDITIONAL_VALUE),
                        )?),
                        Some((AdditionalProperties::Any(_), _)) => Some(TypeRef::Json),
                        None => None,
                    };
                    let fields = self.fields(name, shape, at)?;
                    (doc, TypeKind::Struct { fields, additional })
                } else {
                    (
                        doc,
                        TypeKind::Alias(self.unnamed_type_ref(schema, item, at, name)?),
                    )
                }
            }
        };
        self.insert(TypeDef {
            name: RustIdent::decided(name),
            module: model_module(name),
            wire: wire.to_string(),
            source: at.to_string(),
            doc: clean_doc(doc),
            kind,
            deprecated,
        })
    }

    fn insert(&mut self, def: TypeDef) -> Result<()> {
        super::naming::check_type_name(&def.name, &def.source)?;
        if let Some(existing) = self.types.get(def.name.as_str()) {
            return Err(CodegenError::new(
                &def.source,
                format!(
                    "type name `{}` is already taken by {}",
                    def.name, existing.source
                ),
            )
            .with_hint("give this schema an `x-rust-type` in spec/overlay.yaml"));
        }
        self.types.insert(def.name.to_string(), def);
        Ok(())
    }

    /// The variants of a string enum, or `None` if the schema is not one.
    fn string_enum(&self, schema: &Schema, at: &str) -> Result<Option<Vec<Variant>>> {
        let values: Vec<String> = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                s.enumeration.iter().flatten().cloned().collect()
            }
            _ => return Ok(None),
        };
        if values.is_empty() {
            return Err(CodegenError::new(at, "an enum with no values")
                .with_hint("list at least one value, or drop `enum`"));
        }
        let mut variants: Vec<Variant> = Vec::new();
        for (index, wire) in values.iter().enumerate() {
            let vat = format!("{at}/enum/{index}");
            if variants.iter().any(|v| &v.wire == wire) {
                continue; // a repeated value is the same value
            }
            let name = variant_ident(wire, &vat)?;
            if let Some(other) = variants.iter().find(|v| v.name == name) {
                return Err(CodegenError::new(&vat, format!("enum values `{}` and `{wire}` both become the variant `{name}`", other.wire))
                    .with_hint("values that differ only in case or punctuation cannot both be variants; fix the document with an overlay action"));
            }
            variants.push(Variant {
                name: RustIdent::decided(name),
                wire: wire.clone(),
            });
        }
        Ok(Some(variants))
    }

    /// Properties of an object schema (`type: object` with properties, or `allOf`), or `None`.
    fn object_shape(&self, schema: &'a Schema, at: &str) -> Result<Option<ObjectShape<'a>>> {
        self.object_shape_within(schema, at, &mut Vec::new())
    }

    /// `object_shape` below the `allOf` members in `enclosing` (their pointers): a member that
    /// is one of them makes a cycle, which has no finite shape.
    fn object_shape_within(
        &self,
        schema: &'a Schema,
        at: &str,
        enclosing: &mut Vec<String>,
    ) -> Result<Option<ObjectShape<'a>>> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                let mut shape = ObjectShape {
                    description: schema.schema_data.description.clone(),
                    ..Default::default()
                };
                for (wire, prop) in &object.properties {
                    shape.properties.push((
                        wire.clone(),
                        SchemaRef::from(prop),
                        pointer(at, &["properties", wire]),
                    ));
                }
                shape.required.extend(object.required.iter().cloned());
                shape.additional = open_members(object.additional_properties.as_ref(), at);
                Ok(Some(shape))
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() => Err(unsupported(at, "oneOf")),
            SchemaKind::Any(any) if !any.any_of.is_empty() => Err(unsupported(at, "anyOf")),
            SchemaKind::Any(any) if !any.properties.is_empty() && any.all_of.is_empty() => {
                let mut shape = ObjectShape {
                    description: schema.schema_data.description.clone(),
                    ..Default::default()
                };
                for (wire, prop) in &any.properties {
                    shape.properties.push((
                        wire.clone(),
                        SchemaRef::from(prop),
                        pointer(at, &["properties", wire]),
                    ));
                }
                shape.required.extend(any.required.iter().cloned());
                shape.additional = open_members(any.additional_properties.as_ref(), at);
                Ok(Some(shape))
            }
            SchemaKind::AllOf { all_of } => {
                self.merge_all_of(all_of, schema, at, enclosing).map(Some)
            }
            SchemaKind::Any(any) if !any.all_of.is_empty() => self
                .merge_all_of(&any.all_of, schema, at, enclosing)
                .map(Some),
            _ => Ok(None),
        }
    }

    /// `allOf`: the union of the members' properties (a later member's property replaces an
    /// earlier one of the same name) and of their `required` lists.
    fn merge_all_of(
        &self,
        members: &'a [ReferenceOr<Schema>],
        schema: &'a Schema,
        at: &str,
        enclosing: &mut Vec<String>,
    ) -> Result<ObjectShape<'a>> {
        if let Some(shape) = self.merged.borrow().get(at) {
            return Ok(shape.clone());
        }
        if enclosing.iter().any(|e| e == at) {
            return Err(CodegenError::new(at, format!("allOf includes itself (through {})", enclosing.join(" -> ")))
                .with_hint("an allOf member must not refer back to the schema that includes it; fix it in spec/overlay.yaml"));
        }
        if enclosing.len() >= MAX_ALL_OF_DEPTH {
            return Err(CodegenError::new(
                at,
                format!(
                    "allOf nested more than {MAX_ALL_OF_DEPTH} levels deep (from {})",
                    enclosing[0]
                ),
            )
            .with_hint("flatten the chain of allOf schemas (an overlay action can merge them)"));
        }
        enclosing.push(at.to_string());
        let merged = self.merge_all_of_members(members, schema, at, enclosing);
        enclosing.pop();
        if let Ok(shape) = &merged {
            self.merged
                .borrow_mut()
                .insert(at.to_string(), shape.clone());
        }
        merged
    }

    fn merge_all_of_members(
        &self,
        members: &'a [ReferenceOr<Schema>],
        schema: &'a Schema,
        at: &str,
        enclosing: &mut Vec<String>,
    ) -> Result<ObjectShape<'a>> {
        let mut merged = ObjectShape {
            description: schema.schema_data.description.clone(),
            ..Default::default()
        };
        for (index, member) in members.iter().enumerate() {
            let member_at = format!("{at}/allOf/{index}");
            let (member_schema, location) = self.deref(SchemaRef::from(member), &member_at)?;
            let shape = match &member_schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    let mut shape = ObjectShape {
                        description: member_schema.schema_data.description.clone(),
                        ..Default::default()
                    };
                    for (wire, prop) in &object.properties {
                        shape.properties.push((
                            wire.clone(),
                            SchemaRef::from(prop),
                            pointer(&location, &["properties", wire]),
                        ));
                    }
                    shape.required.extend(object.required.iter().cloned());
                    shape.additional =
                        open_members(object.additional_properties.as_ref(), &location);
                    shape
                }
                _ => match self.object_shape_within(member_schema, &location, enclosing)? {
                    Some(shape) => shape,
                    None => {
                        return Err(CodegenError::new(
                            &member_at,
                            "an allOf member that is not an object schema",
                        )
                        .with_hint("allOf is supported for merging object schemas only"))
                    }
                },
            };
            if merged.description.is_none() {
                merged.description = shape.description;
            }
            for (wire, prop, prop_at) in shape.properties {
                if let Some((_, earlier, earlier_at)) =
                    merged.properties.iter().find(|(w, _, _)| *w == wire)
                {
                    if !same_type(*earlier, prop) {
                        return Err(CodegenError::new(&prop_at, format!("allOf members give the property `{wire}` different types (also at {earlier_at})"))
                            .with_hint("make the members agree on the property's schema (an overlay action can), or drop it from one"));
                    }
                }
                merged.properties.retain(|(w, _, _)| *w != wire);
                merged.properties.push((wire, prop, prop_at));
            }
            merged.required.extend(shape.required);
            if merged.additional.is_none() {
                merged.additional = shape.additional;
            }
        }
        Ok(merged)
    }

    fn fields(&mut self, owner: &str, shape: ObjectShape<'a>, at: &str) -> Result<Vec<Field>> {
        let mut fields: Vec<Field> = Vec::new();
        for (wire, prop, prop_at) in shape.properties {
            let raw = match prop {
                SchemaRef::Item(schema) => schema
                    .schema_data
                    .extensions
                    .get("x-rust-name")
                    .and_then(|v| v.as_str()),
                SchemaRef::Ref(_) => None,
            };
            let name = snake_ident(raw.unwrap_or(&wire), &prop_at)?;
            if let Some(other) = fields.iter().find(|f| f.name == name) {
                return Err(CodegenError::new(
                    &prop_at,
                    format!(
                        "properties `{}` and `{wire}` both become the field `{name}`",
                        other.wire
                    ),
                )
                .with_hint("give one of them an `x-rust-name` in spec/overlay.yaml"));
            }
            let inline_name = inline_type(owner, &inline_part(&wire, &prop_at)?);
            let ty = self.type_ref(prop, &prop_at, &inline_name)?;
            let (nullable, read_only, doc) = match prop {
                SchemaRef::Item(s) => (
                    s.schema_data.nullable,
                    s.schema_data.read_only,
                    s.schema_data.description.clone(),
                ),
                SchemaRef::Ref(_) => (false, false, None),
            };
            let sensitive = self.is_sensitive(prop, &prop_at)?;
            let deprecated = matches!(prop, SchemaRef::Item(s) if s.schema_data.deprecated);
            fields.push(Field {
                setter: field_setter(&name),
                name: RustIdent::decided(name),
                presence: Presence::new(shape.required.contains(&wire), nullable),
                wire,
                ty,
                boxed: false,
                read_only,
                sensitive,
                deprecated,
                doc: clean_doc(doc),
                source: prop_at,
            });
        }
        let _ = at;
        Ok(fields)
    }

    /// `x-sensitive` on the property, or on the schema it refers to (a `$ref` has no siblings).
    /// Anything but a boolean is an error: a typo must not leave a secret printable.
    fn is_sensitive(&self, prop: SchemaRef<'a>, at: &str) -> Result<bool> {
        let (schema, location) = match prop {
            SchemaRef::Item(schema) => (schema, at.to_string()),
            SchemaRef::Ref(_) => self.deref(prop, at)?,
        };
        match schema.schema_data.extensions.get(SENSITIVE) {
            None => Ok(false),
            Some(serde_json::Value::Bool(flag)) => Ok(*flag),
            Some(other) => Err(CodegenError::new(
                format!("{location}/{SENSITIVE}"),
                format!("`{SENSITIVE}` is {other}, not a boolean"),
            )
            .with_hint(format!("write `{SENSITIVE}: true` (or remove it)"))),
        }
    }

    /// The Rust type of a schema in field, parameter, item or body position. Inline objects and
    /// enums become named types called `inline_name`.
    pub fn type_ref(
        &mut self,
        schema: SchemaRef<'a>,
        at: &str,
        inline_name: &str,
    ) -> Result<TypeRef> {
        let item = match schema {
            SchemaRef::Ref(reference) => {
                return Ok(TypeRef::Named(self.resolve_name(reference, at)?))
            }
            SchemaRef::Item(item) => item,
        };
        // `{allOf: [$ref X], nullable, description}`: X itself; the wrapper's presence and docs
        // are the field's (read by the caller from the wrapper).
        if let Some(reference) = single_ref(item) {
            return Ok(TypeRef::Named(self.resolve_name(reference, at)?));
        }
        if let Some(name) = rust_name_extension_schema(item) {
            let name = type_ident(name, at)?;
            self.lower_named(&name, &name, schema, at)?;
            return Ok(TypeRef::Named(name));
        }
        self.unnamed_type_ref(schema, item, at, inline_name)
    }

    /// The type of `item` itself, whatever `x-rust-type` it carries: what a named type whose
    /// schema is a plain one (`{type: string, x-rust-type: Code}`) is an alias of. (Through
    /// `type_ref`, the extension would name it again, without end.)
    fn unnamed_type_ref(
        &mut self,
        schema: SchemaRef<'a>,
        item: &'a Schema,
        at: &str,
        inline_name: &str,
    ) -> Result<TypeRef> {
        match &item.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                self.lower_named(inline_name, inline_name, schema, at)?;
                Ok(TypeRef::Named(inline_name.to_string()))
            }
            SchemaKind::Type(Type::String(_)) => Ok(TypeRef::String),
            SchemaKind::Type(Type::Integer(i)) => Ok(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uint64" => TypeRef::U64,
                // int64, and integers of no format: ids must stay exact, so never narrower than i64
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(_)) => Ok(TypeRef::F64),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => {
                    let item_ty = self.type_ref(
                        SchemaRef::from(items),
                        &format!("{at}/items"),
                        &inline_type(inline_name, part::ITEM),
                    )?;
                    Ok(TypeRef::List(Box::new(item_ty)))
                }
                None => Ok(TypeRef::List(Box::new(TypeRef::Json))),
            },
            SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
                self.map_of(object.additional_properties.as_ref(), at, inline_name)
            }
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => {
                self.lower_named(inline_name, inline_name, schema, at)?;
                Ok(TypeRef::Named(inline_name.to_string()))
            }
            SchemaKind::OneOf { .. } => Err(unsupported(at, "oneOf")),
            SchemaKind::AnyOf { .. } => Err(unsupported(at, "anyOf")),
            SchemaKind::Not { .. } => Err(unsupported(at, "not")),
            SchemaKind::Any(any) => {
                if !any.one_of.is_empty() {
                    Err(unsupported(at, "oneOf"))
                } else if !any.any_of.is_empty() {
                    Err(unsupported(at, "anyOf"))
                } else if any.not.is_some() {
                    Err(unsupported(at, "not"))
                } else if !any.properties.is_empty() || !any.all_of.is_empty() {
                    self.lower_named(inline_name, inline_name, schema, at)?;
                    Ok(TypeRef::Named(inline_name.to_string()))
                } else if let Some(typ) = any.typ.as_deref() {
                    self.warn_on_mixed_enum(&any.enumeration, Some(typ), at);
                    match typ {
                        "object" => {
                            self.map_of(any.additional_properties.as_ref(), at, inline_name)
                        }
                        "string" => Ok(TypeRef::String),
                        "integer" => Ok(match any.format.as_deref() {
                            Some("int32") => TypeRef::I32,
                            Some("uint64") => TypeRef::U64,
                            _ => TypeRef::I64,
                        }),
                        "number" => Ok(TypeRef::F64),
                        "boolean" => Ok(TypeRef::Bool),
                        "array" => Ok(TypeRef::List(Box::new(TypeRef::Json))),
                        other => Err(CodegenError::new(
                            at,
                            format!("unknown schema type `{other}`"),
                        )
                        .with_hint("use one of string, integer, number, boolean, array, object")),
                    }
                } else {
                    self.warn_on_mixed_enum(&any.enumeration, None, at);
                    Ok(TypeRef::Json)
                }
            }
        }
    }

    /// An `enum` whose values are not all of one JSON type (or not of the schema's `type`) has
    /// no Rust enum: the type stays plain (`String`, `i64`, a JSON value) and its values are not
    /// checked, which is worth a warning rather than silence.
    fn warn_on_mixed_enum(&mut self, values: &[serde_json::Value], typ: Option<&str>, at: &str) {
        let kind = |value: &serde_json::Value| match value {
            serde_json::Value::Null => None,
            serde_json::Value::Bool(_) => Some("boolean"),
            serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            serde_json::Value::Number(_) => Some("number"),
            serde_json::Value::String(_) => Some("string"),
            serde_json::Value::Array(_) => Some("array"),
            serde_json::Value::Object(_) => Some("object"),
        };
        let mut kinds: Vec<&str> = values.iter().filter_map(kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let fits = |k: &str| Some(k) == typ || (typ == Some("number") && k == "integer");
        let mixed = kinds.len() > 1 || (typ.is_some() && kinds.iter().any(|k| !fits(k)));
        if mixed {
            let declared = typ.map_or(String::new(), |t| format!(" under `type: {t}`"));
            self.warnings.push(format!(
                "{at}: `enum` has values of {}{declared}, which no Rust enum holds: the type stays plain and its values are not checked (make them one type in spec/overlay.yaml for an enum)",
                kinds.join(", ")
            ));
        }
    }

    fn map_of(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        at: &str,
        inline_name: &str,
    ) -> Result<TypeRef> {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let value = self.type_ref(
                    SchemaRef::from(schema.as_ref()),
                    &format!("{at}/additionalProperties"),
                    &inline_type(inline_name, part::VALUE),
                )?;
                Ok(TypeRef::Map(Box::new(value)))
            }
            _ => Ok(TypeRef::Map(Box::new(TypeRef::Json))),
        }
    }

    /// Ends the build: marks the fields that must be boxed to break a cycle of direct containment.
    pub fn finish(mut self) -> Result<BTreeMap<String, TypeDef>> {
        self.reject_alias_cycles()?;
        let direct: BTreeMap<String, BTreeSet<String>> = self
            .types
            .iter()
            .map(|(name, def)| (name.clone(), direct_named(def)))
            .collect();
        // A field needs a box when its type leads back to the struct: the two are in one
        // strongly connected component of the graph of direct (unboxed) uses.
        let component = strongly_connected(&direct);
        for (name, def) in self.types.iter_mut() {
            if let TypeKind::Struct { fields, .. } = &mut def.kind {
                for field in fields {
                    if let TypeRef::Named(target) = &field.ty {
                        field.boxed =
                            component.get(target.as_str()) == component.get(name.as_str());
                    }
                }
            }
        }
        Ok(self.types)
    }
}

impl TypeBuilder<'_> {
    /// `type A = B; type B = A;` does not compile and has no value; a cycle through a struct
    /// does (it is boxed), so only chains of aliases are followed.
    fn reject_alias_cycles(&self) -> Result<()> {
        // Each type has at most one alias edge, so one walk per type that stops at anything
        // already walked finds every cycle in linear time.
        let mut walked: BTreeSet<&str> = BTreeSet::new();
        let mut cycles: Vec<Vec<&str>> = Vec::new();
        for start in self.types.keys() {
            let mut path: Vec<&str> = Vec::new();
            let mut on_path: BTreeMap<&str, usize> = BTreeMap::new();
            let mut current = start.as_str();
            while !walked.contains(current) {
                if let Some(&position) = on_path.get(current) {
                    cycles.push(path[position..].to_vec());
                    break;
                }
                on_path.insert(current, path.len());
                path.push(current);
                match self.types.get(current).map(|def| &def.kind) {
                    Some(TypeKind::Alias(TypeRef::Named(next))) => current = next,
                    _ => break,
                }
            }
            walked.extend(path);
        }
        let mut errors = Errors::default();
        for mut cycle in cycles {
            // Told from its first member in name order, as a reader scanning the types meets it.
            let first = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
            cycle.rotate_left(first);
            cycle.push(cycle[0]);
            errors.push(CodegenError::new(&self.types[cycle[0]].source, format!("cycle of type aliases: {}", cycle.join(" -> ")))
                .with_hint("one schema of the cycle must be an object, enum or plain type; fix it in spec/overlay.yaml"));
        }
        errors.finish()
    }
}

/// The types a definition contains without indirection (not through a list or a map).
fn direct_named(def: &TypeDef) -> BTreeSet<String> {
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .filter_map(|f| match &f.ty {
                TypeRef::Named(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        TypeKind::Alias(TypeRef::Named(n)) => BTreeSet::from([n.clone()]),
        _ => BTreeSet::new(),
    }
}

/// The strongly connected component of every node of `graph` (Tarjan's algorithm, iterative,
/// so linear in nodes and edges and safe on deep graphs). Nodes only named as targets get a
/// component too.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeMap<&str, usize> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut component: BTreeMap<&str, usize> = BTreeMap::new();
    let mut stack: Vec<&str> = Vec::new();
    static NO_EDGES: BTreeSet<String> = BTreeSet::new();
    let edges = |node: &str| graph.get(node).unwrap_or(&NO_EDGES).iter();
    let mut components = 0;
    for root in graph.keys() {
        if index.contains_key(root.as_str()) {
            continue;
        }
        // (node, its remaining edges): the recursion of the textbook algorithm, made explicit.
        let mut calls = vec![(root.as_str(), edges(root))];
        index.insert(root, index.len());
        low.insert(root, index[root.as_str()]);
        stack.push(root);
        while let Some((node, remaining)) = calls.last_mut() {
            let node = *node;
            if let Some(next) = remaining.next() {
                let next = next.as_str();
                if !index.contains_key(next) {
                    index.insert(next, index.len());
                    low.insert(next, index[next]);
                    stack.push(next);
                    calls.push((next, edges(next)));
                } else if !component.contains_key(next) {
                    let lowest = low[node].min(index[next]);
                    low.insert(node, lowest);
                }
                continue;
            }
            calls.pop();
            if let Some((parent, _)) = calls.last() {
                let lowest = low[*parent].min(low[node]);
                low.insert(parent, lowest);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    component.insert(member, components);
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

fn dangling(reference: &str, at: &str) -> CodegenError {
    CodegenError::new(at, format!("$ref `{reference}` points at nothing"))
        .with_hint("define the schema under #/components/schemas or fix the reference (an overlay action can do either)")
}

fn unsupported(at: &str, construct: &str) -> CodegenError {
    CodegenError::new(at, format!("`{construct}` is not supported"))
        .with_hint("replace the schema with an object, enum or plain type in spec/overlay.yaml")
}

fn rust_name_extension(schema: &ReferenceOr<Schema>) -> Option<&str> {
    match schema {
        ReferenceOr::Item(schema) => rust_name_extension_schema(schema),
        ReferenceOr::Reference { .. } => None,
    }
}

fn rust_name_extension_schema(schema: &Schema) -> Option<&str> {
    schema
        .schema_data
        .extensions
        .get("x-rust-type")
        .and_then(|v| v.as_str())
}

/// The reference of a schema that only wraps one (`allOf: [{$ref}]` and no properties of its
/// own; see the normalize stage), or `None`.
fn single_ref(schema: &Schema) -> Option<&str> {
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) if any.properties.is_empty() => &any.all_of,
        _ => return None,
    };
    match members.as_slice() {
        [ReferenceOr::Reference { reference }] => Some(reference),
        _ => None,
    }
}

/// Whether two schemas of one property (from two `allOf` members) have the same type: the same
/// reference, or inline schemas of the same kind (descriptions and examples may differ).
fn same_type(a: SchemaRef<'_>, b: SchemaRef<'_>) -> bool {
    match (a, b) {
        (SchemaRef::Ref(x), SchemaRef::Ref(y)) => x == y,
        (SchemaRef::Item(x), SchemaRef::Item(y)) => {
            serde_json::to_value(&x.schema_kind).ok() == serde_json::to_value(&y.schema_kind).ok()
        }
        _ => false,
    }
}

/// `additionalProperties: true` or `{schema}` beside properties: the object keeps its other
/// members. `false`, or nothing, does not (unknown members are still tolerated on decode).
fn open_members<'a>(
    additional: Option<&'a AdditionalProperties>,
    at: &str,
) -> Option<(&'a AdditionalProperties, String)> {
    match additional? {
        AdditionalProperties::Any(false) => None,
        other => Some((other, at.to_string())),
    }
}

/// Trims the description; an empty one is none.
pub fn clean_doc(doc: Option<String>) -> Option<String> {
    doc.map(|d| d.trim().to_string()).filter(|d| !d.is_empty())
}

#[cfg(test)]
mod graph_tests {
    use super::*;

    fn graph(edges: &[(&str, &str)], nodes: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for node in nodes {
            g.entry(node.to_string()).or_default();
        }
        for (from, to) in edges {
            g.entry(from.to_string())
                .or_default()
                .insert(to.to_string());
        }
        g
    }

    #[test]
    fn components_group_exactly_the_nodes_that_reach_each_other() {
        // a -> b -> c -> a is a cycle; c -> d -> e -> d another; f -> f a self-loop; g alone.
        let g = graph(
            &[
                ("a", "b"),
                ("b", "c"),
                ("c", "a"),
                ("c", "d"),
                ("d", "e"),
                ("e", "d"),
                ("f", "f"),
            ],
            &["g"],
        );
        let c = strongly_connected(&g);
        assert_eq!(c["a"], c["b"]);
        assert_eq!(c["b"], c["c"]);
        assert_eq!(c["d"], c["e"]);
        assert_ne!(c["a"], c["d"]);
        assert_ne!(c["f"], c["g"]);
        assert_ne!(c["a"], c["g"]);
        assert_eq!(c.len(), 7);
    }

    #[test]
    fn a_chain_100_000_long_is_walked_without_recursion() {
        let names: Vec<String> = (0..100_000).map(|i| format!("n{i:06}")).collect();
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for pair in names.windows(2) {
            g.entry(pair[0].clone())
                .or_default()
                .insert(pair[1].clone());
        }
        // closing the chain into one cycle puts every node in one component
        g.entry(names[99_999].clone())
            .or_default()
            .insert(names[0].clone());
        let c = strongly_connected(&g);
        assert!(names.iter().all(|n| c[n.as_str()] == c["n000000"]));
    }
}
