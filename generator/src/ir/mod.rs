//! Stage 4: the intermediate representation. Plain data, sorted maps only, every node carrying the
//! JSON pointer it came from. Every decision (names, presence, boxing, response shapes) is made
//! while building it; emit only prints it.

mod examples;
mod naming;
mod operations;
mod pagination;
pub(crate) mod resolve;
mod round_trip;
mod scopes;
mod types;

pub use naming::{
    serde_camel_case, snake_ident, type_ident, variant_ident, RustIdent, CATCH_ALL_VARIANT,
};
pub use round_trip::reachable;
pub use scopes::{
    ADDITIONAL_SETTER, BUILDER_MEMBERS, DERIVED_METHODS, GROUP_RESERVED_METHODS, HANDLE_FIELDS,
    SERVICE_ACCESSOR, SERVICE_ID_METHOD,
};
pub use types::ADDITIONAL_FIELD;

use serde::Serialize;
use std::collections::BTreeMap;

use crate::error::{Errors, Result};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    pub title: String,
    pub version: String,
    /// sha256 of the document as read (before the overlay): what identifies the document.
    pub spec_sha256: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// Keyed by Rust type name.
    pub types: BTreeMap<String, TypeDef>,
    /// Keyed by module name (`token_management` for the group path `token.management`).
    pub groups: BTreeMap<String, Group>,
    /// Generator warnings (derived names and the like), sorted.
    pub warnings: Vec<String>,
    /// Every JSON example of the document with the type the document assigns to it, by pointer.
    pub examples: BTreeMap<String, Example>,
    /// Overlay actions that fix a defective example (`x-fixes-example: <the defect>`).
    pub example_fixes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub ty: TypeRef,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Server {
    /// Variant name of `Cluster`.
    pub name: RustIdent,
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    pub name: RustIdent,
    /// Module (file) name under `models/`.
    pub module: RustIdent,
    /// The schema key, or the wire name the inline schema hangs off.
    pub wire: String,
    pub source: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// `deprecated: true` on the schema: the type carries `#[deprecated]`.
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    /// `additional`: the type of the members that are not fields, kept in order in the
    /// `additional_properties` map (declared `additionalProperties`, or a type that is both read
    /// and written back, whose unknown members must survive the round trip); `None` ignores them.
    Struct {
        fields: Vec<Field>,
        additional: Option<TypeRef>,
    },
    /// A string enum, open: unknown values are kept in a catch-all variant.
    Enum {
        variants: Vec<Variant>,
    },
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: RustIdent,
    /// Its setter on the struct (`with_type` for the field `type_`).
    pub setter: RustIdent,
    pub wire: String,
    pub ty: TypeRef,
    pub presence: Presence,
    /// The field's type contains the struct itself without indirection: it is boxed.
    pub boxed: bool,
    pub read_only: bool,
    /// `x-sensitive: true` (set by the overlay on tokens, secrets, codes): `Debug` shows `***`.
    pub sensitive: bool,
    /// `deprecated: true` on the property: the field carries `#[deprecated]`.
    pub deprecated: bool,
    pub doc: Option<String>,
    pub source: String,
}

/// How a field is present on the wire, and so its Rust shape. The document's `required` and
/// `nullable` give four cases, each its own shape, so that what the server sent survives a read,
/// modify, write back: a member that was `null` is not one that was absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Presence {
    /// Always there, never null: `T`.
    Required,
    /// Always there, may be null: `Option<T>`, `None` sent as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, `None` left out.
    Optional,
    /// May be absent or null: `Option<Option<T>>`. `None` is absent (left out), `Some(None)` is
    /// `null`, `Some(Some(v))` a value.
    OptionalNullable,
}

impl Presence {
    pub fn new(required: bool, nullable: bool) -> Self {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }

    /// The member must be in the JSON object (a constructor argument, not a setter).
    pub fn required(self) -> bool {
        matches!(self, Presence::Required | Presence::RequiredNullable)
    }

    /// How many `Option`s wrap the field's type.
    pub fn option_layers(self) -> usize {
        match self {
            Presence::Required => 0,
            Presence::RequiredNullable | Presence::Optional => 1,
            Presence::OptionalNullable => 2,
        }
    }
}

impl Field {
    /// The struct's `rename_all = "camelCase"` gives this field its wire name (else it carries
    /// its own `rename`).
    pub fn wire_is_camel_case(&self) -> bool {
        naming::serde_camel_case(&self.name) == self.wire
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    pub name: RustIdent,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum TypeRef {
    Named(String),
    I32,
    I64,
    /// `format: uint64`: ids above `i64::MAX` must stay exact.
    U64,
    F64,
    Bool,
    String,
    List(Box<TypeRef>),
    Map(Box<TypeRef>),
    /// Any JSON value.
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Module and file name.
    pub module: RustIdent,
    /// The handle type (`TokenManagement`).
    pub type_name: RustIdent,
    /// The handle type under a service handle (`TokenManagementForService`), when the group is
    /// service-scoped.
    pub scoped_type_name: Option<RustIdent>,
    /// The accessor on the parent (`management` in `client.token().management()`).
    pub accessor: RustIdent,
    /// Module of the parent group; `None` for groups reached from the client.
    pub parent: Option<String>,
    /// Modules of the child groups, sorted.
    pub children: Vec<String>,
    pub doc: Option<String>,
    /// Sorted by method name.
    pub operations: Vec<Operation>,
    /// The group, or one of its sub-groups, has operations a service handle can call.
    pub service_scoped: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// The method name.
    pub name: RustIdent,
    /// The request builder type (`IssueBuilder`).
    pub builder: RustIdent,
    pub operation_id: String,
    pub method: HttpMethod,
    pub path: String,
    pub segments: Vec<PathSegment>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub response: ResponseKind,
    /// The error statuses the document declares (a body of Authlete's result object is decoded
    /// for these; any other status is an unexpected response).
    pub error_statuses: Vec<u16>,
    /// Index into `params` of the `serviceId` path parameter: the operation is reachable from a
    /// service handle (`client.service(id)`), which supplies it.
    pub service_param: Option<usize>,
    /// A list operation with `start`/`end` and a total count: it gets a `.stream(page_size)`.
    pub pagination: Option<Pagination>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// The document (or the overlay) names the method and its group (`x-rust-name` and
    /// `x-rust-group`); otherwise both come from the operationId and the tag, and the
    /// maintainer's update suggests naming them.
    pub named_in_overlay: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// Indices into `Operation::params`.
    pub start_param: usize,
    pub end_param: usize,
    /// The list field of the response type (Rust name) and its item type.
    pub items_field: RustIdent,
    pub item: TypeRef,
    /// The `totalCount` field of the response type (Rust name).
    pub total_field: RustIdent,
    /// Whether those fields are `Option`s.
    pub items_optional: bool,
    pub total_optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
    Patch,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub name: RustIdent,
    pub wire: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: TypeRef,
    pub doc: Option<String>,
    /// `deprecated: true` on the parameter: its setter carries `#[deprecated]`.
    pub deprecated: bool,
    /// A value to call the operation with: the document's example, else one made from the type.
    pub example: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamLocation {
    Path,
    Query,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub encoding: BodyEncoding,
    /// A body to call the operation with: the document's example, else one made from the type
    /// (its required fields).
    pub example: serde_json::Value,
}

/// The media types a request body can be sent as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyEncoding {
    /// `application/json` only.
    Json,
    /// `application/x-www-form-urlencoded` only.
    Form,
    /// Both, with one schema: JSON unless the caller picks the form (`.form()`).
    JsonOrForm,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ResponseKind {
    /// JSON body decoded into the type.
    Json(TypeRef),
    /// No body (204, or a 2xx that declares no content).
    Empty,
    /// A JSON body or none (200 with JSON or 204): `Option<T>`.
    JsonOrEmpty(TypeRef),
    /// `text/plain`: the body as a `String`.
    Text,
}

/// A group is service-scoped when it or a descendant has an operation with the service id.
fn mark_service_scoped(groups: &mut BTreeMap<String, Group>) {
    let scoped: Vec<String> = groups
        .values()
        .filter(|g| g.operations.iter().any(|op| op.service_param.is_some()))
        .map(|g| g.module.to_string())
        .collect();
    for module in scoped {
        let mut current = Some(module);
        while let Some(module) = current {
            let Some(group) = groups.get_mut(&module) else {
                break;
            };
            group.service_scoped = true;
            group.scoped_type_name = Some(naming::scoped_group_type(&group.type_name));
            current = group.parent.clone();
        }
    }
}

/// The runtime authenticates with `Authorization: Bearer`. A document whose security needs
/// something else (an API key, Basic, OAuth 2.0 flows) is an error here, not a crate that
/// silently sends a bearer token: every `security` list (the document's and each operation's)
/// must offer an alternative of HTTP bearer schemes only, or no authentication.
fn check_security(doc: &openapiv3::OpenAPI) -> Result<()> {
    use openapiv3::{ReferenceOr, SecurityScheme};
    let schemes = doc.components.as_ref().map(|c| &c.security_schemes);
    let bearer = |name: &str| match schemes.and_then(|s| s.get(name)) {
        Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) => {
            scheme.eq_ignore_ascii_case("bearer")
        }
        _ => false,
    };
    let check = |requirements: &Option<Vec<openapiv3::SecurityRequirement>>,
                 at: String|
     -> Result<()> {
        let Some(requirements) = requirements else {
            return Ok(());
        };
        if requirements.is_empty()
            || requirements
                .iter()
                .any(|alternative| alternative.keys().all(|name| bearer(name)))
        {
            return Ok(());
        }
        let names: Vec<&str> = requirements
            .iter()
            .flat_map(|a| a.keys().map(String::as_str))
            .collect();
        Err(crate::error::CodegenError::new(at, format!("security needs {} but the SDK authenticates with an HTTP bearer token only", names.join(", ")))
            .with_hint("declare an `http`/`bearer` security scheme as an alternative (an overlay action can), or remove the requirement"))
    };
    let mut errors = Errors::default();
    errors.keep(check(&doc.security, "#/security".into()));
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            errors.keep(check(
                &operation.security,
                crate::error::pointer("#/paths", &[path, method, "security"]),
            ));
        }
    }
    errors.finish()
}

/// Requests go to the client's one base URL: `servers` on a path or an operation (another
/// host for some endpoints) would be ignored, so they are an error.
fn check_servers(doc: &openapiv3::OpenAPI) -> Result<()> {
    use openapiv3::ReferenceOr;
    let mut errors = Errors::default();
    for (path, item) in &doc.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let mut at = (!item.servers.is_empty())
            .then(|| crate::error::pointer("#/paths", &[path, "servers"]));
        for (method, operation) in item.iter() {
            if at.is_none() && !operation.servers.is_empty() {
                at = Some(crate::error::pointer("#/paths", &[path, method, "servers"]));
            }
        }
        if let Some(at) = at {
            errors.push(crate::error::CodegenError::new(at, "`servers` on a path or an operation is not supported: every request goes to the client's base URL")
                .with_hint("remove it with an overlay action (and call that endpoint with a client built for its host)"));
        }
    }
    errors.finish()
}

/// Builds the IR from the overlaid, typed document.
pub fn build(
    doc: &openapiv3::OpenAPI,
    spec_sha256: &str,
    example_fixes: Vec<String>,
) -> Result<Api> {
    let mut warnings = Vec::new();
    // The checks, the schemas and the operations are independent: their errors are reported
    // together. What follows (name collisions across operations, boxing, pagination) needs
    // all of them lowered, so it runs only when they were.
    let mut errors = Errors::default();
    errors.keep(check_security(doc));
    errors.keep(check_servers(doc));
    let mut types = types::TypeBuilder::new(doc);
    if let Err(naming) = types.add_components(&mut errors) {
        // Without every schema's name, operations referring to them would only add noise.
        errors.push(naming);
        errors.finish()?;
    }
    // Names that collide across operations and scopes: judged once everything is lowered,
    // and reported together.
    let mut collisions = Errors::default();
    let mut groups =
        operations::build_groups(doc, &mut types, &mut warnings, &mut errors, &mut collisions);
    errors.finish()?;
    warnings.append(&mut types.warnings);
    let mut types = types.finish()?;
    round_trip::keep_unknown_members(&groups, &mut types);
    pagination::derive(&mut groups, &types);
    mark_service_scoped(&mut groups);
    collisions.keep(scopes::check(&types, &groups));
    collisions.finish()?;
    examples::fill_call_examples(&mut groups, &types);
    let examples = examples::collect(doc, &groups, &types);
    let servers = naming::servers(&doc.servers, &mut warnings)?;
    warnings.sort();
    warnings.dedup();
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        spec_sha256: spec_sha256.to_string(),
        description: doc.info.description.clone(),
        servers,
        types,
        groups,
        warnings,
        examples,
        example_fixes,
    })
}
