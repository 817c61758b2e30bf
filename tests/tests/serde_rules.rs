//! The generator leaves out a field's `#[serde(rename)]` when the struct's
//! `rename_all = "camelCase"` gives the wire name; that is only right if its copy of serde's rule
//! (`serde_camel_case`) is serde's. This derives a struct with field names of every shape the
//! generator makes and compares the keys serde writes with the generator's prediction.

use authlete_codegen::ir::serde_camel_case;

#[derive(Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(non_snake_case)]
struct Shapes {
    id: u8,
    type_: u8,
    user_info_sign_alg: u8,
    n1st_party: u8,
    x509_cert_url: u8,
    a_1: u8,
    sha256_hash: u8,
    tls_client_certificate_bound_access_tokens: u8,
    x_y: u8,
    ab_c_d: u8,
    self_: u8,
    already_camel_caseX: u8,
}

#[test]
fn the_generators_camel_case_is_serdes() {
    let fields = [
        "id",
        "type_",
        "user_info_sign_alg",
        "n1st_party",
        "x509_cert_url",
        "a_1",
        "sha256_hash",
        "tls_client_certificate_bound_access_tokens",
        "x_y",
        "ab_c_d",
        "self_",
        "already_camel_caseX",
    ];
    let value = serde_json::to_value(Shapes::default()).unwrap();
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    let mut predicted: Vec<String> = fields.iter().map(|f| serde_camel_case(f)).collect();
    keys.sort();
    predicted.sort();
    assert_eq!(keys, predicted);
}
