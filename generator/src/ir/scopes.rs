//! The names each scope of the emitted crate already holds, in one registry, and the check that
//! the IR's names fit beside them. A name the document brings (a tag, an operationId, a parameter)
//! that lands on one of these, or on another name of the document in the same scope, would be a
//! crate that fails to compile after a generation that reported success; here it is an error
//! naming both nodes and the overlay key that fixes it.
//!
//! Emit takes the names it prints beside the document's (`service`, `service_id`, the builder's
//! own methods and fields) from here, and tests check the runtime template against it, so a new
//! runtime method cannot collide silently.

use super::{Group, TypeDef, TypeKind, ADDITIONAL_FIELD};
use crate::error::{CodegenError, Errors, Result};
use std::collections::BTreeMap;

/// Methods every emitted handle and builder gets from its derives (`Clone`, `Debug`): an
/// inherent method of the same name would shadow them where emitted code calls them.
pub const DERIVED_METHODS: &[&str] = &["clone", "clone_from", "fmt"];

/// `client.service(id)`: the service handle's accessor on `Client`.
pub const SERVICE_ACCESSOR: &str = "service";
/// `ServiceHandle::service_id()`.
pub const SERVICE_ID_METHOD: &str = "service_id";
/// The setter of a struct's members that are not fields (see [`ADDITIONAL_FIELD`]).
pub const ADDITIONAL_SETTER: &str = "with_additional_property";

/// Methods of `Client` in the runtime (`runtime/client.rs`, private ones included: a second
/// inherent method of the same name does not compile, whatever its visibility). A test reads
/// the template and fails on a method missing here.
pub const RUNTIME_CLIENT_METHODS: &[&str] = &[
    "builder",
    "base_url",
    "execute",
    "execute_with_retries",
    "attempt",
];

/// Methods and fields of every request builder besides its parameters' setters (which take the
/// parameters' names): a parameter may not take them. The fields `client` and `options` hold the
/// client and the per-call options; `body` and `form` the request body.
pub const BUILDER_MEMBERS: &[&str] = &[
    "send",
    "send_with_meta",
    "stream",
    "form",
    "body",
    "timeout",
    "retry_policy",
    "no_retry",
    "header",
    "client",
    "options",
];

/// Methods a group handle may not have besides the derived ones: `new` returning anything but
/// `Self` reads as a constructor that is not one (clippy's `new_ret_no_self`).
pub const GROUP_RESERVED_METHODS: &[&str] = &["new"];

/// Fields of the group handles and the service handle. Fields and methods do not share a
/// namespace, and the document adds no field to a handle, so these collide with nothing; a test
/// checks that the handles have no other field.
pub const HANDLE_FIELDS: &[&str] = &["client", "service_id"];

/// Which scope a name is checked in, for the message.
#[derive(Clone, Copy)]
enum Scope {
    Client,
    ServiceHandle,
    Group,
}

impl Scope {
    fn reserved(self, service_handle: bool) -> Vec<&'static str> {
        let mut names = DERIVED_METHODS.to_vec();
        match self {
            Scope::Client => {
                names.extend(RUNTIME_CLIENT_METHODS);
                if service_handle {
                    names.push(SERVICE_ACCESSOR);
                }
            }
            Scope::ServiceHandle => names.push(SERVICE_ID_METHOD),
            Scope::Group => names.extend(GROUP_RESERVED_METHODS),
        }
        names
    }

    fn describe(self) -> &'static str {
        match self {
            Scope::Client => "a method of `Client`",
            Scope::ServiceHandle => "a method of `ServiceHandle`",
            Scope::Group => "reserved on every group handle",
        }
    }
}

/// A parameter's name is a setter and a field of its request builder.
pub fn check_param_name(name: &str, at: &str) -> Result<()> {
    if BUILDER_MEMBERS.contains(&name) || DERIVED_METHODS.contains(&name) {
        return Err(CodegenError::new(
            at,
            format!("parameter name `{name}` is a method or field of the request builder"),
        )
        .with_hint("rename the parameter with `x-rust-name` in spec/overlay.yaml"));
    }
    Ok(())
}

/// Checks every scope of the API surface; all collisions are reported together.
pub fn check(types: &BTreeMap<String, TypeDef>, groups: &BTreeMap<String, Group>) -> Result<()> {
    let mut errors = Errors::default();
    let service_handle = groups.values().any(|g| g.service_scoped);
    for group in groups.values() {
        check_group(group, groups, &mut errors);
        if group.parent.is_none() {
            let at = group_source(group, groups);
            check_accessor(group, &at, Scope::Client, service_handle, &mut errors);
            if group.service_scoped {
                check_accessor(
                    group,
                    &at,
                    Scope::ServiceHandle,
                    service_handle,
                    &mut errors,
                );
            }
        }
    }
    check_builders(groups, &mut errors);
    for def in types.values() {
        check_struct_members(def, &mut errors);
    }
    check_model_modules(types, &mut errors);
    errors.finish()
}

/// Where a group is named: its first operation (a group holds at least one, or a sub-group).
fn group_source(group: &Group, groups: &BTreeMap<String, Group>) -> String {
    match group.operations.first() {
        Some(op) => op.source.clone(),
        None => group
            .children
            .first()
            .map(|child| group_source(&groups[child], groups))
            .unwrap_or_default(),
    }
}

/// `at`: where the group is named ([`group_source`]: a group of sub-groups only has no
/// operation of its own).
fn check_accessor(
    group: &Group,
    at: &str,
    scope: Scope,
    service_handle: bool,
    errors: &mut Errors,
) {
    if scope
        .reserved(service_handle)
        .contains(&group.accessor.as_str())
    {
        errors.push(
            CodegenError::new(
                at,
                format!(
                    "group accessor `{}` is {}",
                    group.accessor,
                    scope.describe()
                ),
            )
            .with_hint("put the operations in another group with `x-rust-group`"),
        );
    }
}

/// A group's methods: its operations and its sub-groups' accessors, beside the derived ones.
fn check_group(group: &Group, groups: &BTreeMap<String, Group>, errors: &mut Errors) {
    let reserved = Scope::Group.reserved(false);
    for op in &group.operations {
        if reserved.contains(&op.name.as_str()) {
            errors.push(
                CodegenError::new(
                    &op.source,
                    format!("method name `{}` is {}", op.name, Scope::Group.describe()),
                )
                .with_hint("rename the operation with `x-rust-name` in spec/overlay.yaml"),
            );
        }
    }
    for child in &group.children {
        let child = &groups[child];
        let child_at = group_source(child, groups);
        if reserved.contains(&child.accessor.as_str()) {
            errors.push(
                CodegenError::new(
                    &child_at,
                    format!(
                        "sub-group accessor `{}` is {}",
                        child.accessor,
                        Scope::Group.describe()
                    ),
                )
                .with_hint("rename the group in its `x-rust-group`"),
            );
        }
        if let Some(op) = group.operations.iter().find(|o| o.name == child.accessor) {
            errors.push(
                CodegenError::new(
                    &op.source,
                    format!(
                        "method `{}` of group `{}` clashes with the sub-group accessor of {child_at}",
                        op.name, group.module
                    ),
                )
                .with_hint("rename the operation with `x-rust-name` (or the sub-group in its `x-rust-group`)"),
            );
        }
    }
}

/// The types of a group's module: the group, its service twin, and one builder per operation.
fn check_builders(groups: &BTreeMap<String, Group>, errors: &mut Errors) {
    for group in groups.values() {
        let mut taken: BTreeMap<&str, String> = BTreeMap::new();
        let handle = format!("the handle type of the group `{}`", group.module);
        taken.insert(&group.type_name, handle.clone());
        if let Some(scoped) = &group.scoped_type_name {
            taken.insert(scoped, handle);
        }
        for op in &group.operations {
            if let Some(other) = taken.get(op.builder.as_str()) {
                errors.push(
                    CodegenError::new(
                        &op.source,
                        format!(
                            "the request builder `{}` of `{}` is already {other} (module `api::{}`)",
                            op.builder, op.name, group.module
                        ),
                    )
                    .with_hint("rename the operation with `x-rust-name` (or move it with `x-rust-group`)"),
                );
                continue;
            }
            taken.insert(&op.builder, format!("the request builder of {}", op.source));
        }
    }
}

/// A struct's fields beside its members that are not fields, and their setters.
fn check_struct_members(def: &TypeDef, errors: &mut Errors) {
    let TypeKind::Struct {
        fields,
        additional: Some(_),
    } = &def.kind
    else {
        return;
    };
    for field in fields {
        let clash = if field.name == ADDITIONAL_FIELD {
            format!("becomes the field `{ADDITIONAL_FIELD}`, which holds")
        } else if field.setter == ADDITIONAL_SETTER {
            format!("gets the setter `{ADDITIONAL_SETTER}`, which sets one of")
        } else {
            continue;
        };
        errors.push(
            CodegenError::new(
                &field.source,
                format!(
                    "the property `{}` of `{}` {clash} the members that are not fields (the type declares `additionalProperties`, or is read and written back)",
                    field.wire, def.name
                ),
            )
            .with_hint("give the property an `x-rust-name` in spec/overlay.yaml"),
        );
    }
}

/// Model files: one module per type. Their names are lossless (see `naming::model_module`), so
/// this only guards that rule.
fn check_model_modules(types: &BTreeMap<String, TypeDef>, errors: &mut Errors) {
    let mut taken: BTreeMap<&str, &TypeDef> = BTreeMap::new();
    for def in types.values() {
        if let Some(other) = taken.insert(&def.module, def) {
            errors.push(
                CodegenError::new(
                    &def.source,
                    format!(
                        "types `{}` and `{}` (from {}) would share the file `models/{}.rs`",
                        def.name, other.name, other.source, def.module
                    ),
                )
                .with_hint("give one of the schemas another `x-rust-type` in spec/overlay.yaml"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every method of `Client` in the runtime template, private ones included.
    #[test]
    fn the_runtime_client_methods_are_reserved() {
        let source = include_str!("../../template/src/runtime/client.rs");
        let file = syn::parse_file(source).expect("the runtime parses");
        let mut methods = Vec::new();
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(ty) = &*block.self_ty else {
                continue;
            };
            if block.trait_.is_some() || !ty.path.is_ident("Client") {
                continue;
            }
            for item in &block.items {
                if let syn::ImplItem::Fn(f) = item {
                    methods.push(f.sig.ident.to_string());
                }
            }
        }
        assert!(methods.len() >= 3, "{methods:?}");
        for method in methods {
            assert!(
                RUNTIME_CLIENT_METHODS.contains(&method.as_str()),
                "`Client::{method}` is in the runtime but not reserved in RUNTIME_CLIENT_METHODS"
            );
        }
    }

    #[test]
    fn the_service_accessor_is_reserved_only_with_a_service_handle() {
        assert!(Scope::Client.reserved(true).contains(&SERVICE_ACCESSOR));
        assert!(!Scope::Client.reserved(false).contains(&SERVICE_ACCESSOR));
        assert!(Scope::ServiceHandle
            .reserved(false)
            .contains(&SERVICE_ID_METHOD));
    }
}
