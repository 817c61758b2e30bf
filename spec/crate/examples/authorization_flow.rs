//! The authorization endpoint's flow: process an authorization request, then issue the
//! response for an authenticated user. `cargo run --example authorization_flow -- 'response_type=code&client_id=…' john`
//!
//! Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and, optionally, AUTHLETE_BASE_URL.

use authlete::models::{
    AuthorizationIssueRequest, AuthorizationRequest, AuthorizationResponseAction,
};
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
    let mut args = std::env::args().skip(1);
    let (Some(parameters), Some(subject)) = (args.next(), args.next()) else {
        eprintln!("usage: authorization_flow '<authorization request query>' <subject>");
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
    let service = client.service(service_id);
    let response = match service
        .authorization()
        .process_request(AuthorizationRequest::new(parameters))
        .send()
        .await
    {
        Ok(response) => response,
        Err(e) => {
            eprintln!("authorization request failed: {e}");
            return ExitCode::FAILURE;
        }
    };
    match response.action {
        Some(
            AuthorizationResponseAction::Interaction | AuthorizationResponseAction::NoInteraction,
        ) => {
            let ticket = response.ticket.unwrap_or_default();
            match service
                .authorization()
                .issue(AuthorizationIssueRequest::new(ticket, subject))
                .send()
                .await
            {
                Ok(issued) => {
                    println!(
                        "redirect the user agent to: {}",
                        issued.response_content.unwrap_or_default()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("authorization issue failed: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        other => {
            // BAD_REQUEST, LOCATION, FORM, INTERNAL_SERVER_ERROR, or a value newer than this SDK.
            println!(
                "action {other:?}: return this to the client: {}",
                response.response_content.unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
    }
}
