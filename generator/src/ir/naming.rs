//! Every identifier rule: case conversion (heck), Rust keywords, leading digits, characters that
//! cannot appear in an identifier. A name that cannot be made is an error naming the node and the
//! overlay key (`x-rust-name`) that would fix it; no rule here ever adds a numeric suffix, so a new
//! schema or operation can never rename an existing one.

use crate::error::{CodegenError, Result};
use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeMap;

/// A Rust name the IR decided (a type, module, field, setter, variant, method, builder, handle,
/// accessor or parameter). Only the IR makes one (`RustIdent::decided`, visible inside `ir`
/// only), from the rules of this module; emit, the changelog and the tests read and print them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct RustIdent(String);

impl RustIdent {
    /// A name decided by the rules above (callers are the IR's lowering steps).
    pub(super) fn decided(name: impl Into<String>) -> Self {
        RustIdent(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// For unit tests outside the IR that build IR values by hand.
    #[cfg(test)]
    pub(crate) fn for_test(name: &str) -> Self {
        RustIdent(name.to_string())
    }
}

impl std::ops::Deref for RustIdent {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RustIdent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RustIdent {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for RustIdent {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<&str> for RustIdent {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// Strict and reserved keywords of every edition up to 2024 (`gen` included), plus `union`
/// which is only contextual but confusing as a name.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The catch-all variant of every open enum, `Unrecognized(UnknownValue)`: a value this SDK
/// version does not recognize. Not `Unknown`, which Authlete uses as a wire value (`UNKNOWN`
/// reasons) and which must stay a variant of its own. A wire value that would take this name is
/// escaped.
pub const CATCH_ALL_VARIANT: &str = "Unrecognized";

/// Type names a model may not take: the standard prelude's ([`PRELUDE_NAMES`]) and the crate
/// root's ([`CRATE_ROOT_NAMES`]), so that `use authlete::models::*;` beside `use authlete::*;`
/// and std never shadows or clashes, and so that emitted code can name the prelude's types
/// unqualified.
pub fn is_reserved_type_name(name: &str) -> bool {
    PRELUDE_NAMES.contains(&name) || CRATE_ROOT_NAMES.contains(&name)
}

/// The standard prelude's names (2021 and 2024), and the traits that derives and `impl` blocks
/// name (`Display`, `Debug`, `Hash`): emitted code names them unqualified.
pub const PRELUDE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "FromIterator",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Default",
    "Future",
    "IntoFuture",
    "Debug",
    "Display",
    "Hash",
];

/// The crate root's names: the runtime's exports (checked against the template by a test) and
/// the emitted `Cluster` and `ServiceHandle`.
pub const CRATE_ROOT_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ApiError",
    "ApiResponse",
    "DecodeError",
    "ResponseTooLarge",
    "RetryPolicy",
    "RetrySafety",
    "TransportError",
    "TransportErrorKind",
    "UnexpectedResponse",
    "UnknownValue",
    "Cluster",
    "ServiceHandle",
    "StreamExt",
    "TryStreamExt",
];

/// A model's type name must not be reserved ([`is_reserved_type_name`]: the prelude's and the
/// crate root's names).
pub fn check_type_name(name: &str, pointer: &str) -> Result<()> {
    if is_reserved_type_name(name) {
        // The suggestion must not be reserved itself (`ApiError` is the crate root's).
        let api_name = format!("Api{name}");
        let suggestion = if is_reserved_type_name(&api_name) {
            format!("{name}Model")
        } else {
            api_name
        };
        return Err(CodegenError::new(pointer, format!("the type name `{name}` would shadow the prelude's or the crate root's `{name}`"))
            .with_hint(format!(
                "give the schema another Rust name with an overlay action, e.g. `update: {{x-rust-type: {suggestion}}}` (the wire name is unchanged)"
            )));
    }
    Ok(())
}

/// heck's `snake_case` (0.5), without its per-character formatting on ASCII text (every name
/// here, after [`words`]): about a fifth of the IR's time went to heck. Anything else goes to
/// heck itself; a test compares the two on every short string of each kind of character.
fn snake_case(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_snake_case();
    }
    let mut out = String::with_capacity(text.len() + 4);
    ascii_words(text, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    });
    out
}

/// heck's `UpperCamelCase` (0.5) on ASCII text, as [`snake_case`]: each word capitalized.
fn upper_camel_case(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_upper_camel_case();
    }
    let mut out = String::with_capacity(text.len());
    ascii_words(text, |word| {
        let mut bytes = word.bytes();
        if let Some(first) = bytes.next() {
            out.push(char::from(first.to_ascii_uppercase()));
        }
        out.extend(bytes.map(|b| char::from(b.to_ascii_lowercase())));
    });
    out
}

/// heck's split of ASCII text into words (its `transform`): runs of letters and digits, cut
/// before an uppercase letter that follows a lowercase one (`clientId` → `client` `Id`) and
/// before the last of several uppercase letters that a lowercase one follows (`JWKSet` → `JWK`
/// `Set`). A digit takes the case of what came before it in the word.
fn ascii_words(text: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        None,
        Lower,
        Upper,
    }
    for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = part.as_bytes();
        let mut start = 0;
        let mut case = Case::None;
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                word(&part[start..]);
                break;
            };
            let with_c = if c.is_ascii_lowercase() {
                Case::Lower
            } else if c.is_ascii_uppercase() {
                Case::Upper
            } else {
                case
            };
            if with_c == Case::Lower && next.is_ascii_uppercase() {
                word(&part[start..=i]);
                start = i + 1;
                case = Case::None;
            } else if case == Case::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(&part[start..i]);
                start = i;
                case = Case::None;
            } else {
                case = with_c;
            }
        }
    }
}

/// Replaces everything that is not an ASCII letter or digit by a word break, so heck sees words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn unnameable(raw: &str, pointer: &str, what: &str) -> CodegenError {
    CodegenError::new(
        pointer,
        format!("cannot derive a Rust {what} name from `{raw}`: it has no ASCII letter or digit"),
    )
    .with_hint("give the node an `x-rust-name` in spec/overlay.yaml")
}

/// `snake_case` for fields, parameters, methods and modules.
pub fn snake_ident(raw: &str, pointer: &str) -> Result<String> {
    let mut name = snake_case(&words(raw));
    if name.is_empty() {
        return Err(unnameable(raw, pointer, "snake_case"));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    Ok(name)
}

/// `UpperCamelCase` for types, with heck's acronym casing (`Jwk`, `Ciba`).
pub fn type_ident(raw: &str, pointer: &str) -> Result<String> {
    let mut name = upper_camel_case(&words(raw));
    if name.is_empty() {
        return Err(unnameable(raw, pointer, "type"));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    Ok(name)
}

/// The name of an inline schema's type: its owner's name and what it is in the owner, each
/// part a type name already (`AuthTokenGetList` + `Order`, `Client` + `Extension`, an array's
/// `Item`, a map's `Value`). Owners are unique, so inline names are, and they depend only on
/// their path: a new schema elsewhere renames none.
pub fn inline_type(owner: &str, part: &str) -> String {
    format!("{owner}{part}")
}

/// An inline schema's part name from a wire name (a property or a parameter): `order` → `Order`.
pub fn inline_part(wire: &str, pointer: &str) -> Result<String> {
    type_ident(wire, pointer)
}

/// What an inline type is in its owner, when that is not a wire name.
pub mod part {
    /// The request body of an operation.
    pub const BODY: &str = "Body";
    /// The success response of an operation.
    pub const RESPONSE: &str = "Response";
    /// The items of an array.
    pub const ITEM: &str = "Item";
    /// The values of a map.
    pub const VALUE: &str = "Value";
    /// The values of a struct's members that are not fields.
    pub const ADDITIONAL_VALUE: &str = "AdditionalValue";
}

/// An operationId for an operation without one, from its method and path:
/// `GET /api/{serviceId}/client/get` → `get_api_serviceId_client_get` (snake_cased later).
pub fn derived_operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .split(['/', '{', '}'])
        .filter(|w| !w.is_empty())
        .collect();
    format!("{}_{}", method.to_lowercase(), words.join("_"))
}

/// What serde's `rename_all = "camelCase"` makes of a field name, exactly as serde_derive does
/// it (each `_` dropped and the next character upper-cased, the first character lower-cased):
/// `user_info_sign_alg` → `userInfoSignAlg`, `type_` → `type`. A test compares it with serde's
/// own derive.
pub fn serde_camel_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for c in field.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(c);
        }
    }
    match pascal.chars().next() {
        Some(first) => first.to_ascii_lowercase().to_string() + &pascal[first.len_utf8()..],
        None => pascal,
    }
}

/// A group's handle type, declared in the group's own module, where emitted code names the
/// prelude's types unqualified: a name the prelude has (`Default` for operations without a tag,
/// a tag `Option`) gets `Group` (`DefaultGroup`). Any other name, the crate root's included
/// (`Client`, `Error`), is the group's own: emitted code names those with `crate::`.
pub fn group_type(module: &str, pointer: &str) -> Result<RustIdent> {
    let name = type_ident(module, pointer)?;
    Ok(RustIdent::decided(
        if PRELUDE_NAMES.contains(&name.as_str()) {
            format!("{name}Group")
        } else {
            name
        },
    ))
}

/// The module of a group path (each part a snake_case name): `token.management` →
/// `token_management`. Two paths can share one (`a.b` and `a_b`); the IR refuses that.
pub fn group_module(path: &[String]) -> String {
    path.join("_")
}

/// The request builder of the operation `name` (a method name): `process_request` →
/// `ProcessRequestBuilder`.
pub fn builder_type(name: &str, pointer: &str) -> Result<RustIdent> {
    Ok(RustIdent::decided(format!(
        "{}Builder",
        type_ident(name, pointer)?
    )))
}

/// A group's handle type under a service handle: `Token` → `TokenForService`.
pub fn scoped_group_type(type_name: &str) -> RustIdent {
    RustIdent::decided(format!("{type_name}ForService"))
}

/// The setter of a struct field: `with_` and the field's name (a keyword's `_` dropped:
/// `with_type`).
pub fn field_setter(field: &str) -> RustIdent {
    RustIdent::decided(format!("with_{}", field.trim_end_matches('_')))
}

/// The (private) module of a model's file: snake_case that keeps every word break of the type
/// name, so two type names never share a file (`GMRequest` → `g_m_request`, `GmRequest` →
/// `gm_request`; heck gives `gm_request` for both). A keyword gets `_`.
pub fn model_module(type_name: &str) -> RustIdent {
    let mut module = String::with_capacity(type_name.len() + 4);
    for (index, c) in type_name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 && !module.ends_with('_') {
                module.push('_');
            }
            module.push(c.to_ascii_lowercase());
        } else {
            module.push(c);
        }
    }
    if KEYWORDS.contains(&module.as_str()) {
        module.push('_');
    }
    RustIdent::decided(module)
}

/// An enum variant from a wire value: `RS256` → `Rs256`, `A128CBC-HS256` → `A128cbcHs256`.
/// The catch-all name is reserved: a value that maps to it becomes `UnrecognizedValue`.
pub fn variant_ident(wire: &str, pointer: &str) -> Result<String> {
    let name = type_ident(wire, pointer)?;
    Ok(if name == CATCH_ALL_VARIANT {
        format!("{CATCH_ALL_VARIANT}Value")
    } else {
        name
    })
}

/// The `Cluster` enum from the document's `servers`: `x-rust-name`, else the first label of the
/// host (`https://us.authlete.com` → `Us`).
///
/// A relative URL (`/api/v3`, common in documents served by the API itself) names no host the
/// client could use on its own: it gets no variant, with a warning saying to pass the absolute
/// base URL to `ClientBuilder::base_url`.
pub fn servers(
    servers: &[openapiv3::Server],
    warnings: &mut Vec<String>,
) -> Result<Vec<crate::ir::Server>> {
    let mut out: Vec<crate::ir::Server> = Vec::new();
    // variant name -> the server that took it
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (index, server) in servers.iter().enumerate() {
        let pointer = format!("#/servers/{index}");
        let url = with_variable_defaults(server, &pointer)?;
        if !url.contains("://") {
            warnings.push(format!(
                "{pointer}: the server URL `{url}` is relative, so `Cluster` has no variant for it; pass the absolute base URL (with `{url}`) to `ClientBuilder::base_url`"
            ));
            continue;
        }
        let raw = match server
            .extensions
            .get("x-rust-name")
            .and_then(|v| v.as_str())
        {
            Some(name) => name.to_string(),
            None => {
                let host = server.url.split("://").nth(1).unwrap_or(&server.url);
                host.split(['.', '/', ':'])
                    .next()
                    .unwrap_or_default()
                    .to_string()
            }
        };
        let name = type_ident(&raw, &pointer)?;
        if let Some(other) = taken.insert(name.clone(), pointer.clone()) {
            return Err(CodegenError::new(
                &pointer,
                format!("server name `{name}` is already taken by {other}"),
            )
            .with_hint("give one of the servers an `x-rust-name` in spec/overlay.yaml"));
        }
        out.push(crate::ir::Server {
            name: RustIdent::decided(name),
            url: url.trim_end_matches('/').to_string(),
            description: server.description.clone(),
        });
    }
    Ok(out)
}

/// A server URL with its `{variables}` replaced by their defaults (`https://{region}.example.com`
/// with `region: {default: us}` is `https://us.example.com`); a variable the server does not
/// declare is an error.
fn with_variable_defaults(server: &openapiv3::Server, pointer: &str) -> Result<String> {
    let mut url = String::with_capacity(server.url.len());
    let mut rest = server.url.as_str();
    while let Some(open) = rest.find('{') {
        url.push_str(&rest[..open]);
        let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
            CodegenError::new(
                format!("{pointer}/url"),
                format!("the server URL `{}` has an unclosed `{{`", server.url),
            )
            .with_hint("close the variable or fix the URL with an overlay action")
        })?;
        let name = &rest[open + 1..close];
        let value = server.variables.as_ref().and_then(|v| v.get(name)).map(|v| v.default.clone()).ok_or_else(|| {
            CodegenError::new(format!("{pointer}/url"), format!("the server URL uses `{{{name}}}`, which `variables` does not declare"))
                .with_hint(format!("declare `variables: {{{name}: {{default: ...}}}}` on the server (an overlay action can)"))
        })?;
        url.push_str(&value);
        rest = &rest[close + 1..];
    }
    url.push_str(rest);
    Ok(url)
}

/// The base name of an operation id: `client_get_api` → `client_get`,
/// `client_authorization_delete_api_post` → `client_authorization_delete_post`.
pub fn operation_base(operation_id: &str) -> String {
    let snake = snake_case(operation_id);
    snake
        .split('_')
        .filter(|word| *word != "api")
        .collect::<Vec<_>>()
        .join("_")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every type the runtime exports at the crate root is reserved: a new runtime type cannot
    /// silently collide with a model of the same name.
    #[test]
    fn the_runtime_exports_are_reserved() {
        let lib = include_str!("../../template/src/lib.rs");
        let exports = lib
            .split("pub use runtime::{")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .expect("the runtime exports");
        let names: Vec<&str> = exports
            .split(',')
            .map(str::trim)
            .filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
            .collect();
        assert!(names.len() > 5, "{names:?}");
        for name in names
            .into_iter()
            .filter(|n| !n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        {
            assert!(
                CRATE_ROOT_NAMES.contains(&name),
                "`{name}` is exported by the runtime but not reserved"
            );
        }
    }

    #[test]
    fn reserved_type_names_are_errors_naming_the_fix() {
        let error = check_type_name("Result", "#/components/schemas/result").unwrap_err();
        assert!(error.to_string().contains("x-rust-type"), "{error}");
        assert!(check_type_name("ResultCode", "#").is_ok());
        // Never a reserved name as the suggestion: `ApiError` is the crate root's.
        let error = check_type_name("Error", "#").unwrap_err();
        assert!(
            error.to_string().contains("x-rust-type: ErrorModel"),
            "{error}"
        );
        for name in PRELUDE_NAMES.iter().chain(CRATE_ROOT_NAMES) {
            let hint = check_type_name(name, "#").unwrap_err().hint.unwrap();
            let suggested = hint
                .split("x-rust-type: ")
                .nth(1)
                .unwrap()
                .split('}')
                .next()
                .unwrap();
            assert!(!is_reserved_type_name(suggested), "{name} → {suggested}");
        }
    }

    #[test]
    fn group_types_never_shadow_the_prelude() {
        assert_eq!(group_type("default", "#").unwrap(), "DefaultGroup");
        assert_eq!(group_type("option", "#").unwrap(), "OptionGroup");
        assert_eq!(group_type("error", "#").unwrap(), "Error");
        assert_eq!(
            group_type("token_management", "#").unwrap(),
            "TokenManagement"
        );
    }

    #[test]
    fn model_modules_keep_every_word_break() {
        let cases = [
            ("GMRequest", "g_m_request"),
            ("GmRequest", "gm_request"),
            ("JwkSet", "jwk_set"),
            ("A128cbcHs256", "a128cbc_hs256"),
            ("N1stParty", "n1st_party"),
            ("Self_", "self_"),
            ("Crate", "crate_"),
            ("Models", "models"),
        ];
        for (type_name, want) in cases {
            assert_eq!(model_module(type_name), want, "{type_name}");
        }
    }

    #[test]
    fn snake_cases() {
        let cases = [
            ("clientId", "client_id"),
            ("type", "type_"),
            ("self", "self_"),
            ("gen", "gen_"),
            ("ref", "ref_"),
            ("1stParty", "n1st_party"),
            ("x-rust", "x_rust"),
            ("accessTokenTTL", "access_token_ttl"),
            ("crate", "crate_"),
        ];
        for (raw, want) in cases {
            assert_eq!(snake_ident(raw, "#").unwrap(), want, "{raw}");
        }
    }

    /// Every string of up to seven characters from a lowercase and an uppercase letter, a digit
    /// and two separators (each kind of character heck tells apart), and a few longer ones.
    #[test]
    fn ascii_case_conversion_is_hecks() {
        let alphabet = [b'a', b'Q', b'7', b' ', b'_'];
        let mut texts = vec![String::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..7 {
            let longer: Vec<Vec<u8>> = last
                .iter()
                .flat_map(|t: &Vec<u8>| {
                    alphabet.iter().map(move |c| {
                        let mut t = t.clone();
                        t.push(*c);
                        t
                    })
                })
                .collect();
            texts.extend(longer.iter().map(|t| String::from_utf8(t.clone()).unwrap()));
            last = longer;
        }
        texts.extend(
            [
                "accessTokenTTL",
                "JWKSetURI",
                "A128CBC-HS256",
                "urn:ietf:params:oauth:grant-type:device_code",
                "getAuthorizationTicketInfo",
                "x-rust-name",
                "ABCdefGHIjkl9Mno",
            ]
            .map(String::from),
        );
        assert_eq!(texts.len(), 97_656 + 7);
        for text in &texts {
            assert_eq!(snake_case(text), text.to_snake_case(), "{text:?}");
            assert_eq!(
                upper_camel_case(text),
                text.to_upper_camel_case(),
                "{text:?}"
            );
        }
        // Not ASCII: heck itself.
        assert_eq!(snake_case("ÜberName"), "über_name");
    }

    #[test]
    fn type_cases() {
        let cases = [
            ("client_auth_method", "ClientAuthMethod"),
            ("jwk", "Jwk"),
            ("g_m_request", "GMRequest"),
            ("3rd", "N3rd"),
            ("Self", "Self_"),
            ("ciba_request", "CibaRequest"),
        ];
        for (raw, want) in cases {
            assert_eq!(type_ident(raw, "#").unwrap(), want, "{raw}");
        }
    }

    #[test]
    fn variant_cases() {
        let cases = [
            ("RS256", "Rs256"),
            ("A128CBC-HS256", "A128cbcHs256"),
            ("none", "None"),
            ("UNKNOWN", "Unknown"),
            ("UNRECOGNIZED", "UnrecognizedValue"),
            (
                "urn:ietf:params:oauth:grant-type:device_code",
                "UrnIetfParamsOauthGrantTypeDeviceCode",
            ),
            ("client_secret_basic", "ClientSecretBasic"),
        ];
        for (raw, want) in cases {
            assert_eq!(variant_ident(raw, "#").unwrap(), want, "{raw}");
        }
    }

    #[test]
    fn emoji_only_name_is_an_error_naming_the_node() {
        let e = type_ident("🚀", "#/components/schemas/🚀").unwrap_err();
        assert_eq!(e.pointer, "#/components/schemas/🚀");
        assert!(e.hint.unwrap().contains("x-rust-name"));
    }

    #[test]
    fn operation_base_strips_api_words() {
        assert_eq!(operation_base("client_get_api"), "client_get");
        assert_eq!(
            operation_base("client_authorization_delete_api_post"),
            "client_authorization_delete_post"
        );
        assert_eq!(
            operation_base("getAuthorizationTicketInfo"),
            "get_authorization_ticket_info"
        );
    }
}
