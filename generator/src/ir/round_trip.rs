//! Which structs keep the members they do not know. A struct that is both read (in a success
//! response) and written back (in a request body), or contained in one, is a value users get,
//! modify and send back: `clients().get` → change a field → `clients().update`. Members newer
//! than this SDK must survive that round trip, so such structs keep them in
//! `additional_properties` (as the ones that declare `additionalProperties` do). Structs only
//! read, or only written, ignore unknown members (cheaper to decode).

use super::{Group, ResponseKind, TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Marks the structs read and written back; returns how many were marked.
pub fn keep_unknown_members(
    groups: &BTreeMap<String, Group>,
    types: &mut BTreeMap<String, TypeDef>,
) -> usize {
    let operations = groups.values().flat_map(|g| &g.operations);
    let written: Vec<&TypeRef> = operations
        .clone()
        .filter_map(|op| op.body.as_ref().map(|b| &b.ty))
        .collect();
    let read: Vec<&TypeRef> = operations
        .filter_map(|op| match &op.response {
            ResponseKind::Json(ty) | ResponseKind::JsonOrEmpty(ty) => Some(ty),
            ResponseKind::Empty | ResponseKind::Text => None,
        })
        .collect();
    let (written, read) = (reachable(types, written), reachable(types, read));
    let mut marked = 0;
    for name in written.intersection(&read) {
        if let Some(TypeDef {
            kind: TypeKind::Struct { additional, .. },
            ..
        }) = types.get_mut(name)
        {
            if additional.is_none() {
                *additional = Some(TypeRef::Json);
                marked += 1;
            }
        }
    }
    marked
}

/// The named types `roots` contain, at any depth (iterative: no recursion on the document's
/// nesting).
pub fn reachable(types: &BTreeMap<String, TypeDef>, roots: Vec<&TypeRef>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&TypeRef> = roots;
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(name) => {
                if !seen.insert(name.clone()) {
                    continue;
                }
                match types.get(name).map(|def| &def.kind) {
                    Some(TypeKind::Struct { fields, additional }) => {
                        stack.extend(fields.iter().map(|f| &f.ty));
                        stack.extend(additional.iter());
                    }
                    Some(TypeKind::Alias(target)) => stack.push(target),
                    Some(TypeKind::Enum { .. }) | None => {}
                }
            }
            TypeRef::List(item) | TypeRef::Map(item) => stack.push(item),
            TypeRef::I32
            | TypeRef::I64
            | TypeRef::U64
            | TypeRef::F64
            | TypeRef::Bool
            | TypeRef::String
            | TypeRef::Json => {}
        }
    }
    seen
}
