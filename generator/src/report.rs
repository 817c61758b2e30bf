//! IR (old) vs IR (new) → the changes of the Rust SDK surface, each marked breaking or not by
//! Rust semver rules, with a suggested version bump; as Markdown (for a CHANGELOG entry) and as
//! JSON (for tools). Methods are matched by their Rust path (`token().management().list`), types
//! by name: what a user's code names.

use crate::ir::{
    Api, Body, BodyEncoding, Field, Group, Operation, Param, ParamLocation, ResponseKind, TypeDef,
    TypeKind, TypeRef,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changelog {
    pub old_sha256: String,
    pub new_sha256: String,
    pub old_api_version: String,
    pub new_api_version: String,
    pub entries: Vec<Entry>,
    pub breaking: usize,
    pub bump: Bump,
    pub current_version: String,
    pub next_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub kind: EntryKind,
    /// What the user's code names: `client.token().management().list()`, `models::Client`,
    /// `models::Client::client_id`, `models::GrantType::Password`.
    pub item: String,
    pub detail: String,
    pub breaking: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    MethodAdded,
    MethodRemoved,
    MethodChanged,
    TypeAdded,
    TypeRemoved,
    TypeChanged,
    FieldAdded,
    FieldRemoved,
    FieldChanged,
    VariantAdded,
    VariantRemoved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

pub fn compare(old: &Api, new: &Api, current_version: &str) -> Changelog {
    let mut entries = Vec::new();
    compare_methods(old, new, &mut entries);
    compare_types(old, new, &mut entries);
    name_affected_methods(old, new, &mut entries);
    entries.sort_by(|a, b| (!a.breaking, a.kind, &a.item).cmp(&(!b.breaking, b.kind, &b.item)));
    let breaking = entries.iter().filter(|e| e.breaking).count();
    // A new document changes generated/ (its sha256, docs, examples) even when the surface
    // stays: that is a new release too, at least a patch.
    let changed = !entries.is_empty() || old.spec_sha256 != new.spec_sha256;
    let (bump, next_version) = suggest(current_version, breaking > 0, changed);
    Changelog {
        old_sha256: old.spec_sha256.clone(),
        new_sha256: new.spec_sha256.clone(),
        old_api_version: old.version.clone(),
        new_api_version: new.version.clone(),
        entries,
        breaking,
        bump,
        current_version: current_version.to_string(),
        next_version,
    }
}

/// Cargo's semver: below 1.0 the minor number is the breaking one. A pre-release
/// (`0.3.0-rc.1`) is released as its own version when the bump fits inside it (cargo orders
/// `0.3.0-rc.1` before `0.3.0`); a version that is not semver is left as it is.
fn suggest(current: &str, breaking: bool, changed: bool) -> (Bump, String) {
    let bump = match (breaking, changed) {
        (false, false) => Bump::None,
        (true, _) => Bump::Major,
        (false, true) => Bump::Minor,
    };
    let Ok(version) = semver::Version::parse(current.trim()) else {
        return (bump, current.to_string());
    };
    // Below 1.0 everything moves one place down: breaking is minor, the rest patch.
    let bump = match (bump, version.major) {
        (Bump::Major, 0) => Bump::Minor,
        (Bump::Minor, 0) => Bump::Patch,
        (bump, _) => bump,
    };
    let mut next = version.clone();
    next.pre = semver::Prerelease::EMPTY;
    next.build = semver::BuildMetadata::EMPTY;
    let pre_release = !version.pre.is_empty();
    match bump {
        Bump::None => return (bump, current.to_string()),
        // `x.y.z-pre` → `x.y.z` already is the next release of each kind that lands on it.
        Bump::Major if pre_release && version.minor == 0 && version.patch == 0 => {}
        Bump::Minor if pre_release && version.patch == 0 => {}
        Bump::Patch if pre_release => {}
        Bump::Major => {
            next.major += 1;
            next.minor = 0;
            next.patch = 0;
        }
        Bump::Minor => {
            next.minor += 1;
            next.patch = 0;
        }
        Bump::Patch => next.patch += 1,
    }
    (bump, next.to_string())
}

/// Adds to every entry about a type (or its fields and variants) the methods whose arguments or
/// results contain that type, so that a change to a struct reads as the calls it affects.
fn name_affected_methods(old: &Api, new: &Api, entries: &mut [Entry]) {
    let (old_uses, new_uses) = (type_uses(old), type_uses(new));
    for entry in entries.iter_mut() {
        let Some(rest) = entry.item.strip_prefix("models::") else {
            continue;
        };
        let name = rest.split("::").next().unwrap_or(rest);
        let mut methods: BTreeSet<&String> = BTreeSet::new();
        methods.extend(new_uses.get(name).into_iter().flatten());
        methods.extend(old_uses.get(name).into_iter().flatten());
        if methods.is_empty() {
            continue;
        }
        const SHOWN: usize = 4;
        let mut listed: Vec<String> = methods
            .iter()
            .take(SHOWN)
            .map(|m| format!("`{m}`"))
            .collect();
        if methods.len() > SHOWN {
            listed.push(format!("{} more", methods.len() - SHOWN));
        }
        entry.detail = format!("{}; affects {}", entry.detail, listed.join(", "));
    }
}

/// Type name → the methods (`client.x().y()`) whose parameters, body or result contain it, at
/// any depth (through fields, lists, maps and aliases).
fn type_uses(api: &Api) -> BTreeMap<String, BTreeSet<String>> {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (method, op) in methods(api) {
        let mut roots: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
        roots.extend(op.body.as_ref().map(|b| &b.ty));
        if let ResponseKind::Json(ty) | ResponseKind::JsonOrEmpty(ty) = &op.response {
            roots.push(ty);
        }
        for name in crate::ir::reachable(&api.types, roots) {
            uses.entry(name).or_default().insert(method.clone());
        }
    }
    uses
}

/// `client.token().management().list()` for every operation.
fn methods(api: &Api) -> BTreeMap<String, &Operation> {
    let mut out = BTreeMap::new();
    for group in api.groups.values() {
        let chain = accessor_chain(api, group);
        for op in &group.operations {
            out.insert(format!("client.{chain}.{}()", op.name), op);
        }
    }
    out
}

/// Overlay actions, ready to paste into spec/overlay.yaml, that name every operation the
/// document and the overlay leave to fallback names (made from the operationId and the tag), as
/// they are named now; empty when every operation is named.
pub fn naming_suggestions(api: &Api) -> String {
    let mut out = String::new();
    for group in api.groups.values() {
        let group_path = accessor_chain(api, group)
            .split('.')
            .map(|accessor| accessor.trim_end_matches("()"))
            .collect::<Vec<_>>()
            .join(".");
        for op in group.operations.iter().filter(|op| !op.named_in_overlay) {
            let method = op.method.as_str().to_lowercase();
            let path = op.path.replace('\\', "\\\\").replace('\'', "\\'");
            out.push_str(&format!(
                "  - target: \"$.paths['{path}'].{method}\"\n    update: {{x-rust-group: {group_path}, x-rust-name: {}}}\n",
                op.name
            ));
        }
    }
    out
}

fn accessor_chain(api: &Api, group: &Group) -> String {
    let mut chain = vec![format!("{}()", group.accessor)];
    let mut parent = group.parent.as_ref();
    while let Some(module) = parent {
        let Some(g) = api.groups.get(module) else {
            break;
        };
        chain.insert(0, format!("{}()", g.accessor));
        parent = g.parent.as_ref();
    }
    chain.join(".")
}

fn compare_methods(old: &Api, new: &Api, entries: &mut Vec<Entry>) {
    let (old_methods, new_methods) = (methods(old), methods(new));
    for (item, op) in &new_methods {
        if !old_methods.contains_key(item) {
            let fallback = if op.named_in_overlay {
                ""
            } else {
                " — a name made from its operationId and tag, not yet in spec/overlay.yaml \
                 (`authlete-codegen suggest-names`)"
            };
            entries.push(entry(
                EntryKind::MethodAdded,
                item,
                format!(
                    "`{} {}` ({}){fallback}",
                    op.method.as_str(),
                    op.path,
                    op.operation_id
                ),
                false,
            ));
        }
    }
    for (item, op) in &old_methods {
        match new_methods.get(item) {
            None => entries.push(entry(
                EntryKind::MethodRemoved,
                item,
                format!("`{} {}` ({})", op.method.as_str(), op.path, op.operation_id),
                true,
            )),
            Some(new_op) => compare_operation(item, op, new_op, entries),
        }
    }
}

fn compare_operation(item: &str, old: &Operation, new: &Operation, entries: &mut Vec<Entry>) {
    let mut changed = |detail: String, breaking: bool| {
        entries.push(entry(EntryKind::MethodChanged, item, detail, breaking))
    };
    if old.method != new.method || old.path != new.path {
        // The call reaches another endpoint: what it does may differ even if it still compiles.
        changed(
            format!(
                "endpoint changed: `{} {}` → `{} {}`",
                old.method.as_str(),
                old.path,
                new.method.as_str(),
                new.path
            ),
            true,
        );
    }
    let required = |op: &Operation| -> Vec<String> {
        op.params
            .iter()
            .filter(|p| p.required)
            .map(param_signature)
            .collect()
    };
    let (old_required, new_required) = (required(old), required(new));
    if old_required != new_required {
        changed(
            format!(
                "required parameters: ({}) → ({})",
                old_required.join(", "),
                new_required.join(", ")
            ),
            true,
        );
    }
    let optional = |op: &Operation| -> BTreeMap<String, String> {
        op.params
            .iter()
            .filter(|p| !p.required)
            .map(|p| (p.name.to_string(), type_name(&p.ty)))
            .collect()
    };
    let (old_optional, new_optional) = (optional(old), optional(new));
    for (name, ty) in &new_optional {
        match old_optional.get(name) {
            None if !old_required
                .iter()
                .any(|r| r.starts_with(&format!("{name}:"))) =>
            {
                changed(format!("new optional parameter `.{name}({ty})`"), false)
            }
            Some(old_ty) if old_ty != ty => changed(
                format!("optional parameter `{name}`: `{old_ty}` → `{ty}`"),
                true,
            ),
            _ => {}
        }
    }
    for name in old_optional.keys() {
        if !new_optional.contains_key(name)
            && !new_required
                .iter()
                .any(|r| r.starts_with(&format!("{name}:")))
        {
            changed(format!("optional parameter `.{name}()` removed"), true);
        }
    }
    let locations = |op: &Operation| -> BTreeMap<String, ParamLocation> {
        op.params
            .iter()
            .map(|p| (p.name.to_string(), p.location))
            .collect()
    };
    let new_locations = locations(new);
    for (name, location) in locations(old) {
        if let Some(new_location) = new_locations.get(&name).filter(|l| **l != location) {
            changed(
                format!(
                    "parameter `{name}` moved from the {} to the {}",
                    where_(location),
                    where_(*new_location)
                ),
                false,
            );
        }
    }
    compare_body(old.body.as_ref(), new.body.as_ref(), &mut changed);
    if old.response != new.response {
        changed(
            format!(
                "returns `{}` → `{}`",
                response_name(&old.response),
                response_name(&new.response)
            ),
            true,
        );
    }
    for status in new
        .error_statuses
        .iter()
        .filter(|s| !old.error_statuses.contains(s))
    {
        changed(
            format!("declares status {status}: its body now arrives as `Error::Api` (was `Error::UnexpectedResponse`)"),
            false,
        );
    }
    for status in old
        .error_statuses
        .iter()
        .filter(|s| !new.error_statuses.contains(s))
    {
        // Code that matches `Error::Api` for this status stops seeing it: behaviour breaks.
        changed(
            format!("no longer declares status {status}: its body now arrives as `Error::UnexpectedResponse` (was `Error::Api`)"),
            true,
        );
    }
    if old.operation_id != new.operation_id {
        changed(
            format!(
                "operationId `{}` → `{}`",
                old.operation_id, new.operation_id
            ),
            false,
        );
    }
}

fn compare_body(old: Option<&Body>, new: Option<&Body>, changed: &mut impl FnMut(String, bool)) {
    match (old, new) {
        (None, None) => {}
        (None, Some(b)) => changed(format!("takes a body `{}`", type_name(&b.ty)), b.required),
        (Some(_), None) => changed("takes no body any more".to_string(), true),
        (Some(o), Some(n)) => {
            if o.ty != n.ty {
                changed(
                    format!("body `{}` → `{}`", type_name(&o.ty), type_name(&n.ty)),
                    true,
                );
            }
            if o.required != n.required {
                changed(
                    format!(
                        "body {}",
                        if n.required {
                            "became required"
                        } else {
                            "became optional"
                        }
                    ),
                    true,
                );
            }
            match (
                o.encoding == BodyEncoding::JsonOrForm,
                n.encoding == BodyEncoding::JsonOrForm,
            ) {
                (false, true) => changed("accepts a form body too (`.form()`)".to_string(), false),
                (true, false) => changed(
                    "no longer accepts a form body (`.form()` removed)".to_string(),
                    true,
                ),
                _ => {}
            }
        }
    }
}

fn compare_types(old: &Api, new: &Api, entries: &mut Vec<Entry>) {
    for (name, def) in &new.types {
        if !old.types.contains_key(name) {
            entries.push(entry(
                EntryKind::TypeAdded,
                &format!("models::{name}"),
                kind_name(def).to_string(),
                false,
            ));
        }
    }
    for (name, old_def) in &old.types {
        let item = format!("models::{name}");
        let Some(new_def) = new.types.get(name) else {
            entries.push(entry(
                EntryKind::TypeRemoved,
                &item,
                kind_name(old_def).to_string(),
                true,
            ));
            continue;
        };
        match (&old_def.kind, &new_def.kind) {
            (TypeKind::Struct { fields: a, .. }, TypeKind::Struct { fields: b, .. }) => {
                compare_fields(&item, a, b, entries)
            }
            (TypeKind::Enum { variants: a }, TypeKind::Enum { variants: b }) => {
                let old_names: BTreeSet<_> = a.iter().map(|v| (&v.name, &v.wire)).collect();
                let new_names: BTreeSet<_> = b.iter().map(|v| (&v.name, &v.wire)).collect();
                for (variant, wire) in new_names.difference(&old_names) {
                    entries.push(entry(
                        EntryKind::VariantAdded,
                        &format!("{item}::{variant}"),
                        format!("`{wire}`"),
                        false,
                    ));
                }
                for (variant, wire) in old_names.difference(&new_names) {
                    entries.push(entry(
                        EntryKind::VariantRemoved,
                        &format!("{item}::{variant}"),
                        format!("`{wire}` (now arrives as `Unknown`)"),
                        true,
                    ));
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) if a == b => {}
            _ => entries.push(entry(
                EntryKind::TypeChanged,
                &item,
                format!("{} → {}", kind_name(old_def), kind_name(new_def)),
                true,
            )),
        }
    }
}

fn compare_fields(item: &str, old: &[Field], new: &[Field], entries: &mut Vec<Entry>) {
    let old_by_name: BTreeMap<&str, &Field> = old.iter().map(|f| (f.name.as_str(), f)).collect();
    let new_by_name: BTreeMap<&str, &Field> = new.iter().map(|f| (f.name.as_str(), f)).collect();
    for (name, field) in &new_by_name {
        if !old_by_name.contains_key(name) {
            // Structs are #[non_exhaustive] and built with new()/with_*: a new optional field
            // breaks nobody; a new required one changes new()'s arguments.
            let detail = format!(
                "`{}`: `{}`{}",
                field.wire,
                field_type(field),
                if field.presence.required() {
                    " (required)"
                } else {
                    ""
                }
            );
            entries.push(entry(
                EntryKind::FieldAdded,
                &format!("{item}::{name}"),
                detail,
                field.presence.required(),
            ));
        }
    }
    for (name, old_field) in &old_by_name {
        let path = format!("{item}::{name}");
        let Some(new_field) = new_by_name.get(name) else {
            entries.push(entry(
                EntryKind::FieldRemoved,
                &path,
                format!("`{}`", old_field.wire),
                true,
            ));
            continue;
        };
        let (old_ty, new_ty) = (field_type(old_field), field_type(new_field));
        if old_ty != new_ty {
            let why = match (old_field.presence.required(), new_field.presence.required()) {
                (false, true) => " (became required)",
                (true, false) => " (became optional)",
                _ => "",
            };
            entries.push(entry(
                EntryKind::FieldChanged,
                &path,
                format!("`{old_ty}` → `{new_ty}`{why}"),
                true,
            ));
        } else if old_field.presence.required() != new_field.presence.required() {
            // Same Rust type (nullable and required): only serialization changes.
            entries.push(entry(
                EntryKind::FieldChanged,
                &path,
                "required on the wire changed".to_string(),
                false,
            ));
        }
        if old_field.wire != new_field.wire {
            entries.push(entry(
                EntryKind::FieldChanged,
                &path,
                format!("wire name `{}` → `{}`", old_field.wire, new_field.wire),
                false,
            ));
        }
    }
}

fn entry(kind: EntryKind, item: &str, detail: String, breaking: bool) -> Entry {
    Entry {
        kind,
        item: item.to_string(),
        detail,
        breaking,
    }
}

fn where_(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
    }
}

fn param_signature(p: &Param) -> String {
    format!("{}: {}", p.name, type_name(&p.ty))
}

fn kind_name(def: &TypeDef) -> &'static str {
    match def.kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Alias(_) => "type alias",
    }
}

fn field_type(field: &Field) -> String {
    (0..field.presence.option_layers()).fold(type_name(&field.ty), |ty, _| format!("Option<{ty}>"))
}

fn response_name(response: &ResponseKind) -> String {
    match response {
        ResponseKind::Json(ty) => type_name(ty),
        ResponseKind::JsonOrEmpty(ty) => format!("Option<{}>", type_name(ty)),
        ResponseKind::Empty => "()".to_string(),
        ResponseKind::Text => "String".to_string(),
    }
}

/// A type as the user writes it.
pub fn type_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::U64 => "u64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::String => "String".into(),
        TypeRef::List(item) => format!("Vec<{}>", type_name(item)),
        TypeRef::Map(value) => format!("BTreeMap<String, {}>", type_name(value)),
        TypeRef::Json => "serde_json::Value".into(),
    }
}

impl Changelog {
    /// A CHANGELOG entry.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "## authlete {} (Authlete API {}, spec sha256 {})\n\n",
            self.next_version,
            self.new_api_version,
            short(&self.new_sha256)
        ));
        out.push_str(&format!(
            "Generated from the OpenAPI document with sha256 `{}` (was `{}`). ",
            self.new_sha256, self.old_sha256
        ));
        out.push_str(&match self.bump {
            Bump::None => "No change to the SDK surface.\n".to_string(),
            _ if self.entries.is_empty() => format!(
                "No change to the SDK surface; the document changed (docs, examples), so a patch release ({} → {}).\n",
                self.current_version, self.next_version
            ),
            bump => format!(
                "{} change(s), {} breaking: suggested bump {} ({} → {}).\n",
                self.entries.len(),
                self.breaking,
                format!("{bump:?}").to_lowercase(),
                self.current_version,
                self.next_version
            ),
        });
        let sections = [
            ("Breaking changes", true, None),
            ("Added", false, Some(true)),
            ("Changed", false, Some(false)),
        ];
        for (title, breaking, added) in sections {
            let items: Vec<&Entry> = self
                .entries
                .iter()
                .filter(|e| e.breaking == breaking)
                .filter(|e| match added {
                    None => true,
                    Some(want) => is_addition(e.kind) == want,
                })
                .collect();
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("\n### {title}\n\n"));
            for e in items {
                out.push_str(&format!(
                    "- {}: `{}` — {}\n",
                    label(e.kind),
                    e.item,
                    e.detail
                ));
            }
        }
        out
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

fn is_addition(kind: EntryKind) -> bool {
    matches!(
        kind,
        EntryKind::MethodAdded
            | EntryKind::TypeAdded
            | EntryKind::FieldAdded
            | EntryKind::VariantAdded
    )
}

fn label(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::MethodAdded => "method added",
        EntryKind::MethodRemoved => "method removed",
        EntryKind::MethodChanged => "method changed",
        EntryKind::TypeAdded => "type added",
        EntryKind::TypeRemoved => "type removed",
        EntryKind::TypeChanged => "type changed",
        EntryKind::FieldAdded => "field added",
        EntryKind::FieldRemoved => "field removed",
        EntryKind::FieldChanged => "field changed",
        EntryKind::VariantAdded => "variant added",
        EntryKind::VariantRemoved => "variant removed",
    }
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_below_and_above_one() {
        assert_eq!(suggest("0.1.0", true, true), (Bump::Minor, "0.2.0".into()));
        assert_eq!(suggest("0.1.3", false, true), (Bump::Patch, "0.1.4".into()));
        assert_eq!(suggest("1.4.2", true, true), (Bump::Major, "2.0.0".into()));
        assert_eq!(suggest("1.4.2", false, true), (Bump::Minor, "1.5.0".into()));
        assert_eq!(suggest("1.4.2", false, false), (Bump::None, "1.4.2".into()));
    }

    #[test]
    fn pre_releases_are_kept_apart_from_their_release() {
        // 0.3.0-rc.1 < 0.3.0: a breaking or a patch change releases 0.3.0 itself
        assert_eq!(
            suggest("0.3.0-rc.1", true, true),
            (Bump::Minor, "0.3.0".into())
        );
        assert_eq!(
            suggest("0.3.0-rc.1", false, true),
            (Bump::Patch, "0.3.0".into())
        );
        // 0.3.1-rc.1: a breaking change needs the next minor
        assert_eq!(
            suggest("0.3.1-rc.1", true, true),
            (Bump::Minor, "0.4.0".into())
        );
        assert_eq!(
            suggest("2.0.0-beta.2", true, true),
            (Bump::Major, "2.0.0".into())
        );
        assert_eq!(
            suggest("1.2.3+build.5", false, true),
            (Bump::Minor, "1.3.0".into())
        );
        assert_eq!(
            suggest("not a version", false, true),
            (Bump::Minor, "not a version".into())
        );
    }
}
