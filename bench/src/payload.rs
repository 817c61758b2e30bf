//! Response payloads with every field set, made from the generator's IR: what a large response
//! of the real service looks like to the decoder, without a recorded one.

use authlete_codegen::ir::{Api, TypeRef};
use serde_json::{json, Value};

/// A value of a type with every field set (lists of two, maps of one entry), as the crate's
/// own tests make it (null for a type that requires itself: none in the Authlete document).
pub fn every_field(api: &Api, ty: &TypeRef) -> Value {
    authlete_codegen::emit::samples::every_field(api, ty).unwrap_or(Value::Null)
}

/// The response of the client list operation with `count` clients, every field of each set.
pub fn client_list(api: &Api, count: usize) -> Value {
    let client = every_field(api, &TypeRef::Named("OauthClient".into()));
    let clients: Vec<Value> = (0..count)
        .map(|i| {
            let mut client = client.clone();
            client["clientId"] = json!(1_000_000_000_000i64 + i as i64);
            client["clientName"] = json!(format!("client {i}"));
            client
        })
        .collect();
    let mut list = every_field(api, &TypeRef::Named("ClientGetListResponse".into()));
    list["start"] = json!(0);
    list["end"] = json!(count);
    list["totalCount"] = json!(count);
    list["clients"] = Value::Array(clients);
    list
}

/// The first place where `b` differs from `a` (a JSON pointer), if any.
pub fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, &format!("{at}/{key}")) {
                            return Some(d);
                        }
                    }
                    (p, q) => {
                        return Some(format!("{at}/{key}: {} vs {}", p.is_some(), q.is_some()))
                    }
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, &format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

/// The introspection response of a valid token: a small payload, as the real one is.
pub fn introspection_response() -> Value {
    json!({
        "resultCode": "A056001",
        "resultMessage": "[A056001] The access token is valid.",
        "action": "OK",
        "clientId": 1_000_000_000_001i64,
        "subject": "john",
        "scopes": ["openid", "profile"],
        "existent": true,
        "usable": true,
        "sufficient": true,
        "refreshable": true,
        "expiresAt": 1_900_000_000_000i64,
        "clientIdAlias": "my-client",
        "clientIdAliasUsed": false
    })
}

/// The bodies of the runtime benchmark, as bytes.
pub struct Payloads {
    pub introspection: Vec<u8>,
    pub service: Vec<u8>,
    pub client_list: Vec<u8>,
}

/// Builds the IR of the pinned document and makes the three bodies from it.
pub fn payloads() -> Result<Payloads, String> {
    let root = crate::repo();
    let inputs = authlete_codegen::Inputs {
        spec: root.join("spec/authlete-openapi.yaml"),
        overlay: root.join("spec/overlay.yaml"),
        pinned_sha256: None,
        crate_files: None,
    };
    let api = authlete_codegen::build_ir(&inputs)
        .map_err(|e| e.to_string())?
        .api;
    let bytes = |value: Value| serde_json::to_vec(&value).map_err(|e| e.to_string());
    Ok(Payloads {
        introspection: bytes(introspection_response())?,
        service: bytes(every_field(&api, &TypeRef::Named("Service".into())))?,
        client_list: bytes(client_list(&api, 1000))?,
    })
}
