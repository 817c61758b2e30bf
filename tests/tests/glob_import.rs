//! `use authlete::models::*;` beside `use authlete::*;` and the standard prelude: no model may
//! shadow `Result`, `Option`, `Display`, … or a crate-root name such as `Client` or `Error`
//! (the generator refuses such names; the overlay renames them). This file compiling is most of
//! the test: a model named `Result` would make the signatures below fail (E0107), and one named
//! `Client` would make `Client::builder()` ambiguous (E0659).

use authlete::models::*;
use authlete::*;
use std::fmt::Display;

fn configured() -> Result<Client, Error> {
    Client::builder()
        .base_url("https://example.com")
        .bearer_token("t")
        .build()
}

fn shown(value: &impl Display) -> String {
    value.to_string()
}

#[test]
fn models_glob_imported_beside_the_crate_root_and_std() {
    let client: Client = configured().unwrap();
    assert_eq!(client.base_url(), "https://example.com");
    let renamed: Option<OauthClient> = Some(OauthClient::default().with_client_name("app"));
    assert_eq!(renamed.and_then(|c| c.client_name).as_deref(), Some("app"));
    assert_eq!(shown(&DisplayMode::Page), "PAGE");
    let _: Option<ApiResult> = None;
    let reason = TokenFailRequestReason::from("UNKNOWN");
    assert_eq!(
        reason,
        TokenFailRequestReason::Unknown,
        "the wire value UNKNOWN is a variant of its own"
    );
    assert!(matches!(
        TokenFailRequestReason::from("NEWER"),
        TokenFailRequestReason::Unrecognized(_)
    ));
}
