//! Paths → `Group`s of `Operation`s. Names come from the overlay (`x-rust-group`, `x-rust-name`),
//! else from the tag and the operationId, else from the method and path (with a warning).
//! Two operations that end up with the same name are an error, never a silent suffix.

use super::naming::{
    builder_type, derived_operation_id, group_module, group_type, inline_part, inline_type,
    operation_base, part, snake_ident, type_ident,
};
use super::types::{clean_doc, SchemaRef, TypeBuilder};
use super::{resolve, scopes, RustIdent};
use super::{
    Body, BodyEncoding, Group, HttpMethod, Operation, Param, ParamLocation, PathSegment,
    ResponseKind, TypeRef,
};
use crate::error::{pointer, CodegenError, Errors, Result};
use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, StatusCode,
};
use std::collections::BTreeMap;

/// The path parameter a service handle (`client.service(id)`) supplies.
const SERVICE_ID_PARAM: &str = "serviceId";
struct Located<'a> {
    group_path: Vec<String>,
    op: Operation,
    tag: Option<&'a str>,
}

pub fn build_groups<'a>(
    doc: &'a OpenAPI,
    types: &mut TypeBuilder<'a>,
    warnings: &mut Vec<String>,
    errors: &mut Errors,
    collisions: &mut Errors,
) -> BTreeMap<String, Group> {
    let mut located: Vec<Located<'a>> = Vec::new();
    // operationId -> the operation that used it first; OpenAPI requires them unique, and the
    // overlay and the changelog address operations by them.
    let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
    let mut lowering = Lowering {
        doc,
        types,
        warnings,
    };
    for (path, item) in &doc.paths.paths {
        let item_at = pointer("#/paths", &[path]);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                errors.push(
                    CodegenError::new(&item_at, "a $ref path item is not supported")
                        .with_hint("inline the path item in the document (an overlay action can)"),
                );
                continue;
            }
        };
        let methods = [
            (HttpMethod::Get, "get", &item.get),
            (HttpMethod::Put, "put", &item.put),
            (HttpMethod::Post, "post", &item.post),
            (HttpMethod::Delete, "delete", &item.delete),
            (HttpMethod::Patch, "patch", &item.patch),
        ];
        for (method, key, op) in methods {
            let Some(op) = op else { continue };
            let at = pointer(&item_at, &[key]);
            if let Some(id) = &op.operation_id {
                if let Some(first) = operation_ids.insert(id.clone(), at.clone()) {
                    errors.push(CodegenError::new(&at, format!("operationId `{id}` is already used by {first}"))
                        .with_hint("operationIds must be unique; rename one in spec/overlay.yaml (update its `operationId`)"));
                    continue;
                }
            }
            let lowered = lowering.operation(path, method, &item.parameters, op, &at);
            if let Some(lowered) = errors.keep(lowered) {
                located.push(lowered);
            }
        }
        for (key, op) in [
            ("head", &item.head),
            ("options", &item.options),
            ("trace", &item.trace),
        ] {
            if op.is_some() {
                lowering.warnings.push(format!(
                    "{}: {} operations are not generated",
                    pointer(&item_at, &[key]),
                    key.to_uppercase()
                ));
            }
        }
    }
    if !errors.is_empty() {
        // Collisions between operations are judged on all of them; the caller reports what
        // was recorded.
        return BTreeMap::new();
    }
    assemble(doc, located, collisions)
}

/// Lowers the operations of the document into the IR, adding the types they use (inline
/// parameter, body and response schemas) to the types being built and its warnings to the run's.
struct Lowering<'a, 'b> {
    doc: &'a OpenAPI,
    types: &'b mut TypeBuilder<'a>,
    warnings: &'b mut Vec<String>,
}

impl<'a> Lowering<'a, '_> {
    fn operation(
        &mut self,
        path: &'a str,
        method: HttpMethod,
        shared_params: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        at: &str,
    ) -> Result<Located<'a>> {
        let derived_id = || derived_operation_id(method.as_str(), path);
        let operation_id = match &op.operation_id {
            Some(id) => id.clone(),
            None => {
                let id = derived_id();
                self.warnings.push(format!("{at}: no operationId; derived `{id}` from the method and path (name it in spec/overlay.yaml)"));
                id
            }
        };
        let base = operation_base(&operation_id);
        let name = match op.extensions.get("x-rust-name").and_then(|v| v.as_str()) {
            Some(name) => snake_ident(name, at)?,
            None => snake_ident(&base, at)?,
        };
        let group_path = match op.extensions.get("x-rust-group").and_then(|v| v.as_str()) {
            Some(group) => group
                .split('.')
                .map(|g| snake_ident(g, at))
                .collect::<Result<Vec<_>>>()?,
            None => match op.tags.first() {
                Some(tag) => vec![snake_ident(tag, at)?],
                None => {
                    self.warnings.push(format!(
                        "{at}: no tag and no x-rust-group; put in group `default`"
                    ));
                    vec!["default".to_string()]
                }
            },
        };
        let type_base = type_ident(&base, at)?;
        let params = self.params(shared_params, &op.parameters, at, &type_base)?;
        let segments = path_segments(path, &params, at)?;
        let body = match &op.request_body {
            Some(body) => {
                Some(self.request_body(body, &pointer(at, &["requestBody"]), &type_base)?)
            }
            None => None,
        };
        let response = self.response_kind(op, at, &type_base)?;
        let error_statuses = error_statuses(op);
        let service_param = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire == SERVICE_ID_PARAM);
        Ok(Located {
            group_path,
            tag: op.tags.first().map(String::as_str),
            op: Operation {
                builder: builder_type(&name, at)?,
                name: RustIdent::decided(name),
                operation_id,
                method,
                path: path.to_string(),
                segments,
                params,
                body,
                response,
                error_statuses,
                service_param,
                pagination: None,
                summary: clean_doc(op.summary.clone()),
                description: clean_doc(op.description.clone()),
                deprecated: op.deprecated,
                named_in_overlay: op.extensions.contains_key("x-rust-name")
                    && op.extensions.contains_key("x-rust-group"),
                source: at.to_string(),
            },
        })
    }

    /// The operation's parameters: the path item's and its own, merged; each lowered, and
    /// their Rust names checked against each other. Every parameter's error is reported.
    fn params(
        &mut self,
        shared: &'a [ReferenceOr<Parameter>],
        own: &'a [ReferenceOr<Parameter>],
        at: &str,
        type_base: &str,
    ) -> Result<Vec<Param>> {
        let mut errors = Errors::default();
        let mut out: Vec<Param> = Vec::new();
        for (param, param_at) in self.merged_params(shared, own, at)? {
            let Some(param) = errors.keep(self.param(param, &param_at, type_base)) else {
                continue;
            };
            if let Some(other) = out.iter().find(|p| p.name == param.name) {
                errors.push(CodegenError::new(
                    &param_at,
                    format!(
                        "parameters `{}` and `{}` both become `{}`",
                        other.wire, param.wire, param.name
                    ),
                )
                .with_hint(
                    "remove the duplicate parameter or give one an `x-rust-name` in spec/overlay.yaml",
                ));
                continue;
            }
            out.push(param);
        }
        errors.finish()?;
        Ok(out)
    }

    /// The path item's parameters and the operation's, resolved, with where each is; an
    /// operation parameter overrides a path-item one of the same name and location.
    fn merged_params(
        &self,
        shared: &'a [ReferenceOr<Parameter>],
        own: &'a [ReferenceOr<Parameter>],
        at: &str,
    ) -> Result<Vec<(&'a Parameter, String)>> {
        let mut merged: Vec<(&'a Parameter, String)> = Vec::new();
        let item_at = at.rsplit_once('/').map_or(at, |p| p.0);
        for (list, base) in [
            (shared, format!("{item_at}/parameters")),
            (own, format!("{at}/parameters")),
        ] {
            for (index, param) in list.iter().enumerate() {
                let param_at = format!("{base}/{index}");
                let param = resolve::parameter(self.doc, param, &param_at)?;
                merged.retain(|(p, _)| {
                    !(p.parameter_data_ref().name == param.parameter_data_ref().name
                        && same_location(p, param))
                });
                merged.push((param, param_at));
            }
        }
        Ok(merged)
    }

    /// One parameter: a scalar in the path or the query, with a name the builder can take.
    fn param(&mut self, param: &'a Parameter, param_at: &str, type_base: &str) -> Result<Param> {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } | Parameter::Cookie { .. } => {
                return Err(CodegenError::new(
                    param_at,
                    format!(
                        "parameter `{}`: header and cookie parameters are not supported",
                        data.name
                    ),
                )
                .with_hint(
                    "remove the parameter in spec/overlay.yaml; the client sets its own headers",
                ))
            }
        };
        if location == ParamLocation::Path && !data.required {
            return Err(CodegenError::new(
                param_at,
                format!("path parameter `{}` must be required", data.name),
            )
            .with_hint("set `required: true` (OpenAPI requires it for path parameters)"));
        }
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let inline = inline_type(type_base, &inline_part(&data.name, param_at)?);
                self.types.type_ref(
                    SchemaRef::from(schema),
                    &format!("{param_at}/schema"),
                    &inline,
                )?
            }
            ParameterSchemaOrContent::Content(_) => {
                return Err(CodegenError::new(
                    param_at,
                    "a parameter with `content` is not supported",
                )
                .with_hint("give the parameter a `schema`"))
            }
        };
        let ty = self.types.without_scalar_alias(ty);
        if !self.types.is_scalar(&ty) {
            // An object or an array would compile into `.to_string()` of a struct or a list:
            // deepObject/form encodings are not implemented, so say so instead.
            return Err(CodegenError::new(param_at, format!("parameter `{}`: only scalar parameters (string, number, integer, boolean, string enum) are supported", data.name))
                .with_hint("an object or array parameter (deepObject or form style) is not supported yet; replace it in spec/overlay.yaml, e.g. by a string"));
        }
        let raw_name = data
            .extensions
            .get("x-rust-name")
            .and_then(|v| v.as_str())
            .unwrap_or(&data.name);
        let name = snake_ident(raw_name, param_at)?;
        scopes::check_param_name(&name, param_at)?;
        let example = data.example.clone().or_else(|| match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                schema.schema_data.example.clone()
            }
            _ => None,
        });
        Ok(Param {
            name: RustIdent::decided(name),
            wire: data.name.clone(),
            location,
            required: data.required,
            ty,
            doc: clean_doc(data.description.clone()),
            deprecated: data.deprecated.unwrap_or(false),
            // Filled from the type later when the document gives none.
            example: example.unwrap_or(serde_json::Value::Null),
        })
    }

    fn request_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        at: &str,
        type_base: &str,
    ) -> Result<Body> {
        let body = resolve::request_body(self.doc, body, at)?;
        let json = body.content.get(JSON);
        let form = body.content.get(FORM);
        for media in body.content.keys() {
            if media != JSON && media != FORM {
                return Err(CodegenError::new(pointer(at, &["content", media]), format!("request content type `{media}` is not supported"))
                    .with_hint("the SDK sends application/json or application/x-www-form-urlencoded; remove the entry in spec/overlay.yaml"));
            }
        }
        let (primary, media) = match (json, form) {
            (Some(json), _) => (json, JSON),
            (None, Some(form)) => (form, FORM),
            (None, None) => {
                return Err(CodegenError::new(
                    pointer(at, &["content"]),
                    "a request body with no content type",
                ))
            }
        };
        if let (Some(json), Some(form)) = (json, form) {
            if json.schema != form.schema {
                return Err(CodegenError::new(
                    pointer(at, &["content", FORM, "schema"]),
                    "the form and JSON bodies have different schemas",
                )
                .with_hint(
                    "the SDK offers one body type with two encodings; make the schemas the same",
                ));
            }
        }
        let schema = primary.schema.as_ref().ok_or_else(|| {
            CodegenError::new(
                pointer(at, &["content", media]),
                "a request body without a schema",
            )
            .with_hint("add a `schema`")
        })?;
        let ty = self.types.type_ref(
            SchemaRef::from(schema),
            &pointer(at, &["content", media, "schema"]),
            &inline_type(type_base, part::BODY),
        )?;
        let example = primary
            .example
            .clone()
            .or_else(|| {
                primary.examples.values().find_map(|e| match e {
                    ReferenceOr::Item(example) => example.value.clone(),
                    ReferenceOr::Reference { .. } => None,
                })
            })
            .or_else(|| match schema {
                ReferenceOr::Item(schema) => schema.schema_data.example.clone(),
                ReferenceOr::Reference { .. } => None,
            });
        Ok(Body {
            ty,
            required: body.required,
            encoding: match (json.is_some(), form.is_some()) {
                (true, true) => BodyEncoding::JsonOrForm,
                (false, _) => BodyEncoding::Form,
                (true, false) => BodyEncoding::Json,
            },
            // Filled from the type later when the document gives none.
            example: example.unwrap_or(serde_json::Value::Null),
        })
    }

    fn response_kind(
        &mut self,
        op: &'a openapiv3::Operation,
        at: &str,
        type_base: &str,
    ) -> Result<ResponseKind> {
        let mut json: Option<TypeRef> = None;
        // The schema the JSON type was made from: a 201 (or a shared `components/responses` entry)
        // with the same schema is the same type, not a second one of the same name.
        let mut json_schema: Option<serde_json::Value> = None;
        let mut text = false;
        let mut empty = false;
        let mut any = false;
        for (status, response) in &op.responses.responses {
            let code = match status {
                StatusCode::Code(code) => *code,
                StatusCode::Range(range) => range * 100,
            };
            if !(200..300).contains(&code) {
                continue;
            }
            any = true;
            let response_at = pointer(at, &["responses", &status.to_string()]);
            let (response, _) = resolve::response(self.doc, response, &response_at)?;
            let json_media = response
                .content
                .iter()
                .find(|(media, _)| media.as_str() == JSON || media.ends_with("+json"));
            if let Some((media, content)) = json_media {
                let schema_at = pointer(&response_at, &["content", media, "schema"]);
                let schema_value = content
                    .schema
                    .as_ref()
                    .and_then(|s| serde_json::to_value(s).ok());
                let ty = match (&content.schema, &json) {
                    (Some(_), Some(existing))
                        if schema_value.is_some() && schema_value == json_schema =>
                    {
                        existing.clone()
                    }
                    (Some(schema), _) => self.types.type_ref(
                        SchemaRef::from(schema),
                        &schema_at,
                        &inline_type(type_base, part::RESPONSE),
                    )?,
                    (None, _) => TypeRef::Json,
                };
                if json.is_none() {
                    json_schema = schema_value;
                }
                match &json {
                    Some(existing) if *existing != ty => {
                        return Err(CodegenError::new(
                            &schema_at,
                            "success responses with different JSON types are not supported",
                        )
                        .with_hint("make the 2xx responses share one schema in spec/overlay.yaml"))
                    }
                    _ => json = Some(ty),
                }
                // A 204 has no body whatever it declares: decode when there is one.
                if code == 204 {
                    empty = true;
                }
            } else if response.content.contains_key("text/plain") {
                text = true;
            } else if response.content.is_empty() {
                empty = true;
            } else {
                let media = response.content.keys().next().cloned().unwrap_or_default();
                return Err(CodegenError::new(
                    pointer(&response_at, &["content", &media]),
                    format!("response content type `{media}` is not supported"),
                ));
            }
        }
        if !any {
            if op.responses.default.is_some() {
                self.warnings.push(format!(
                    "{at}: no 2xx response declared; the method returns nothing"
                ));
                return Ok(ResponseKind::Empty);
            }
            return Err(CodegenError::new(
                pointer(at, &["responses"]),
                "no success (2xx) response",
            )
            .with_hint("declare the success response"));
        }
        Ok(match (json, text, empty) {
            (Some(_), true, _) => {
                return Err(CodegenError::new(
                    pointer(at, &["responses"]),
                    "success responses mixing JSON and text are not supported",
                ))
            }
            (Some(ty), false, false) => ResponseKind::Json(ty),
            (Some(ty), false, true) => ResponseKind::JsonOrEmpty(ty),
            (None, true, _) => ResponseKind::Text,
            (None, false, _) => ResponseKind::Empty,
        })
    }
}

fn same_location(a: &Parameter, b: &Parameter) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Splits `/api/{serviceId}/client/get/{clientId}` and checks it against the path parameters.
fn path_segments(path: &str, params: &[Param], at: &str) -> Result<Vec<PathSegment>> {
    let mut segments = Vec::new();
    let mut rest = path;
    let mut used = Vec::new();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| CodegenError::new(at, format!("path `{path}` has an unclosed `{{`")))?;
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_string()));
        }
        let wire = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.location == ParamLocation::Path && p.wire == wire)
            .ok_or_else(|| {
                CodegenError::new(at, format!("path template names `{{{wire}}}` but no path parameter `{wire}` is declared"))
                    .with_hint("declare the parameter (in: path, required: true) or fix the path")
            })?;
        used.push(index);
        segments.push(PathSegment::Param(index));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(CodegenError::new(
            at,
            format!("path `{path}` has an unmatched `}}`"),
        ));
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_string()));
    }
    for (index, param) in params.iter().enumerate() {
        if param.location == ParamLocation::Path && !used.contains(&index) {
            return Err(CodegenError::new(
                at,
                format!(
                    "path parameter `{}` does not appear in the path `{path}`",
                    param.wire
                ),
            )
            .with_hint("remove the parameter or add it to the path template"));
        }
    }
    Ok(segments)
}

const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";

/// The non-success statuses the operation declares, sorted.
fn error_statuses(op: &openapiv3::Operation) -> Vec<u16> {
    let mut statuses: Vec<u16> = op
        .responses
        .responses
        .keys()
        .filter_map(|status| match status {
            StatusCode::Code(code) if !(200..300).contains(code) => Some(*code),
            _ => None,
        })
        .collect();
    statuses.sort_unstable();
    statuses
}

/// Puts operations into groups (creating the parents of nested groups) and checks that no two
/// group paths share a module and no two operations of a group share a name; the names of
/// every other scope are checked once the groups are complete (`scopes`). An operation that
/// collides is recorded in `errors` and left out.
fn assemble(
    doc: &OpenAPI,
    located: Vec<Located<'_>>,
    errors: &mut Errors,
) -> BTreeMap<String, Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    // module -> the group path that made it and the operation that named it: `a.b` and a tag
    // `a_b` are both the module `a_b`, and must not be merged silently.
    let mut module_paths: BTreeMap<String, (Vec<String>, String)> = BTreeMap::new();
    'operations: for item in located {
        for depth in 1..=item.group_path.len() {
            let path = &item.group_path[..depth];
            let module = group_module(path);
            match module_paths.get(&module) {
                Some((other, at)) if other.as_slice() != path => {
                    errors.push(
                        CodegenError::new(
                            &item.op.source,
                            format!(
                                "group `{}` and group `{}` (of {at}) would both be the module `api::{module}`",
                                path.join("."),
                                other.join(".")
                            ),
                        )
                        .with_hint("give one of them another `x-rust-group` in spec/overlay.yaml"),
                    );
                    continue 'operations;
                }
                Some(_) => {}
                None => {
                    module_paths.insert(module.clone(), (path.to_vec(), item.op.source.clone()));
                }
            }
            let parent = (depth > 1).then(|| group_module(&item.group_path[..depth - 1]));
            let tag_doc = item
                .tag
                .and_then(|tag| doc.tags.iter().find(|t| t.name == tag))
                .and_then(|t| clean_doc(t.description.clone()));
            if !groups.contains_key(&module) {
                let type_name = match group_type(&module, &item.op.source) {
                    Ok(name) => name,
                    Err(error) => {
                        errors.push(error);
                        continue 'operations;
                    }
                };
                groups.insert(
                    module.clone(),
                    Group {
                        type_name,
                        scoped_type_name: None,
                        module: RustIdent::decided(module.clone()),
                        accessor: RustIdent::decided(path[depth - 1].clone()),
                        parent: parent.clone(),
                        children: Vec::new(),
                        doc: None,
                        operations: Vec::new(),
                        service_scoped: false,
                    },
                );
            }
            let group = groups.get_mut(&module).expect("inserted above");
            if group.doc.is_none() && depth == item.group_path.len() {
                group.doc =
                    tag_doc.or_else(|| item.tag.map(|t| format!("Operations tagged `{t}`.")));
            }
            if let Some(parent) = parent {
                let parent = groups.get_mut(&parent).expect("parents are created first");
                if !parent.children.contains(&module) {
                    parent.children.push(module.clone());
                    parent.children.sort();
                }
            }
        }
        let module = group_module(&item.group_path);
        let group = groups.get_mut(&module).expect("created above");
        if let Some(other) = group.operations.iter().find(|o| o.name == item.op.name) {
            errors.push(CodegenError::new(&item.op.source, format!("method name `{}` in group `{module}` is already taken by {}", item.op.name, other.source))
                .with_hint("give one of the operations an `x-rust-name` (or another `x-rust-group`) in spec/overlay.yaml"));
            continue;
        }
        group.operations.push(item.op);
    }
    for group in groups.values_mut() {
        group.operations.sort_by(|a, b| a.name.cmp(&b.name));
    }
    groups
}
