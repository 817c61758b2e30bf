//! Introspects an access token at a resource server: `cargo run --example token_introspection -- <access token>`
//!
//! Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and, optionally, AUTHLETE_BASE_URL.

use authlete::models::{IntrospectionRequest, IntrospectionResponseAction};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let (Ok(service_id), true) = (
        std::env::var("AUTHLETE_SERVICE_ID"),
        std::env::var(authlete::BEARER_ENV).is_ok(),
    ) else {
        eprintln!("set AUTHLETE_BEARER and AUTHLETE_SERVICE_ID to run this example (AUTHLETE_BASE_URL is optional)");
        return ExitCode::from(2);
    };
    let Some(token) = std::env::args().nth(1) else {
        eprintln!("usage: token_introspection <access token>");
        return ExitCode::from(2);
    };
    let builder = authlete::Client::builder().bearer_token_from_env();
    let builder = match std::env::var("AUTHLETE_BASE_URL") {
        // A mock server on this machine (`http://127.0.0.1:4010`) is allowed; any other
        // `http://` host is still refused.
        Ok(url) => builder.base_url(url).allow_http_loopback(),
        Err(_) => builder.cluster(authlete::Cluster::Us),
    };
    let client = match builder.build() {
        Ok(client) => client,
        Err(e) => {
            eprintln!("cannot configure the client: {e}");
            return ExitCode::from(2);
        }
    };
    let request = IntrospectionRequest::new(token).with_scopes(vec!["openid".to_string()]);
    match client
        .introspection()
        .process_request(service_id, request)
        .send()
        .await
    {
        Ok(response) => {
            match response.action {
                Some(IntrospectionResponseAction::Ok) => {
                    println!("valid token of subject {:?}", response.subject)
                }
                other => println!(
                    "not usable ({other:?}): {}",
                    response.response_content.unwrap_or_default()
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("introspection failed: {e}");
            ExitCode::FAILURE
        }
    }
}
