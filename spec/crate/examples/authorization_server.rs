//! An OAuth 2.0 / OpenID Connect authorization server on axum, with Authlete behind it: the
//! authorization endpoint (process the request, then issue or deny), the token endpoint (client
//! credentials from `Authorization: Basic`), a resource protected by token introspection,
//! discovery metadata served as Authlete wrote it, client registration by an administrator,
//! a client's tokens, and revocation. The service handle lives in the router's state.
//!
//! Reads AUTHLETE_BEARER, AUTHLETE_SERVICE_ID and, optionally, AUTHLETE_BASE_URL (a mock server
//! on this machine such as `http://127.0.0.1:4010` is allowed); listens on 127.0.0.1:8080.
//!
//! ```text
//! cargo run --example authorization_server
//! curl 'http://127.0.0.1:8080/authorize?response_type=code&client_id=...&redirect_uri=...'
//! ```

use authlete::models::{
    AuthorizationFailRequest, AuthorizationFailRequestReason, AuthorizationIssueRequest,
    AuthorizationRequest, AuthorizationResponseAction, IntrospectionRequest,
    IntrospectionResponseAction, OauthClient, RevocationRequest, RevocationResponseAction,
    TokenFailRequest, TokenFailRequestReason, TokenIssueRequest, TokenRequest, TokenResponseAction,
};
use authlete::{Client, ServiceHandle, TryStreamExt};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;

/// What every handler needs: a handle on the Authlete service (owned, cheap to clone).
#[derive(Clone)]
struct AppState {
    service: ServiceHandle,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Ok(service_id) = std::env::var("AUTHLETE_SERVICE_ID") else {
        eprintln!("set AUTHLETE_BEARER and AUTHLETE_SERVICE_ID to run this example (AUTHLETE_BASE_URL is optional)");
        std::process::exit(2);
    };
    let builder = Client::builder().bearer_token_from_env();
    let builder = match std::env::var("AUTHLETE_BASE_URL") {
        Ok(url) => builder.base_url(url).allow_http_loopback(),
        Err(_) => builder.cluster(authlete::Cluster::Us),
    };
    let state = AppState {
        service: builder.build()?.service(service_id),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
    axum::serve(listener, router(state)).await?;
    Ok(())
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .route("/resource", get(resource))
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/admin/clients", post(register_client))
        .route("/admin/clients/{client_id}/tokens", get(client_tokens))
        .route("/revoke", post(revoke))
        .with_state(state)
}

/// An Authlete error as a response: 502, with the error's text (the token never is in it).
fn upstream(error: authlete::Error) -> Response {
    (
        StatusCode::BAD_GATEWAY,
        format!("authorization backend: {error}"),
    )
        .into_response()
}

/// A JSON body Authlete prepared (`responseContent`), with the status it calls for.
fn json(status: StatusCode, content: Option<String>) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "application/json"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    (status, headers, content.unwrap_or_else(|| "{}".into())).into_response()
}

fn redirect(location: Option<String>) -> Response {
    match location {
        Some(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn html(content: Option<String>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        content.unwrap_or_default(),
    )
        .into_response()
}

/// The authorization endpoint. A real server authenticates the user and asks for consent where
/// `Interaction` says so; this one treats `john` as signed in and consenting.
async fn authorize(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let request = AuthorizationRequest::new(query.unwrap_or_default());
    let response = match state
        .service
        .authorization()
        .process_request(request)
        .send()
        .await
    {
        Ok(response) => response,
        Err(error) => return upstream(error),
    };
    match response.action {
        Some(AuthorizationResponseAction::Interaction) => {
            let Some(ticket) = response.ticket else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let issued = state
                .service
                .authorization()
                .issue(AuthorizationIssueRequest::new(ticket, "john"))
                .send()
                .await;
            match issued {
                Ok(issued) => redirect(issued.response_content),
                Err(error) => upstream(error),
            }
        }
        Some(AuthorizationResponseAction::NoInteraction) => {
            // `prompt=none` without a signed-in user: deny, and let Authlete make the response.
            let Some(ticket) = response.ticket else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let request =
                AuthorizationFailRequest::new(ticket, AuthorizationFailRequestReason::NotLoggedIn);
            match state.service.authorization().fail(request).send().await {
                Ok(failed) => redirect(failed.response_content),
                Err(error) => upstream(error),
            }
        }
        Some(AuthorizationResponseAction::Location) => redirect(response.response_content),
        Some(AuthorizationResponseAction::Form) => html(response.response_content),
        Some(AuthorizationResponseAction::BadRequest) => {
            json(StatusCode::BAD_REQUEST, response.response_content)
        }
        // INTERNAL_SERVER_ERROR, and any action newer than this SDK.
        _ => json(StatusCode::INTERNAL_SERVER_ERROR, response.response_content),
    }
}

/// `Authorization: Basic base64(client_id:client_secret)`, if present and well formed.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?,
    )
    .ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// The token endpoint: the form body goes to Authlete as it came.
async fn token(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let mut request = TokenRequest::new(body);
    if let Some((client_id, client_secret)) = basic_credentials(&headers) {
        request = request
            .with_client_id(client_id)
            .with_client_secret(client_secret);
    }
    let response = match state.service.token().process_request(request).send().await {
        Ok(response) => response,
        Err(error) => return upstream(error),
    };
    match response.action {
        Some(TokenResponseAction::Ok) => json(StatusCode::OK, response.response_content),
        Some(TokenResponseAction::Password) => {
            // Resource owner password flow: a real server checks the credentials here.
            let Some(ticket) = response.ticket else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            if response.username.as_deref() == Some("john")
                && response.password.as_deref() == Some("john")
            {
                match state
                    .service
                    .token()
                    .issue(TokenIssueRequest::new(ticket, "john"))
                    .send()
                    .await
                {
                    Ok(issued) => json(StatusCode::OK, issued.response_content),
                    Err(error) => upstream(error),
                }
            } else {
                let request = TokenFailRequest::new(
                    ticket,
                    TokenFailRequestReason::InvalidResourceOwnerCredentials,
                );
                match state.service.token().fail(request).send().await {
                    Ok(failed) => json(StatusCode::BAD_REQUEST, failed.response_content),
                    Err(error) => upstream(error),
                }
            }
        }
        Some(TokenResponseAction::InvalidClient) => {
            let challenge = [(header::WWW_AUTHENTICATE, "Basic realm=\"token\"")];
            (
                challenge,
                json(StatusCode::UNAUTHORIZED, response.response_content),
            )
                .into_response()
        }
        Some(TokenResponseAction::BadRequest) => {
            json(StatusCode::BAD_REQUEST, response.response_content)
        }
        _ => json(StatusCode::INTERNAL_SERVER_ERROR, response.response_content),
    }
}

/// A resource that needs an access token with the `profile` scope.
async fn resource(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(access_token) = bearer else {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response();
    };
    let request = IntrospectionRequest::new(access_token).with_scopes(["profile"]);
    let response = match state
        .service
        .introspection()
        .process_request(request)
        .send()
        .await
    {
        Ok(response) => response,
        Err(error) => return upstream(error),
    };
    match response.action {
        Some(IntrospectionResponseAction::Ok) => {
            Json(serde_json::json!({"subject": response.subject, "scopes": response.scopes}))
                .into_response()
        }
        // Authlete prepares the WWW-Authenticate value for the error cases.
        action => {
            let status = match action {
                Some(IntrospectionResponseAction::BadRequest) => StatusCode::BAD_REQUEST,
                Some(IntrospectionResponseAction::Forbidden) => StatusCode::FORBIDDEN,
                Some(IntrospectionResponseAction::Unauthorized) => StatusCode::UNAUTHORIZED,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let challenge = response.response_content.unwrap_or_else(|| "Bearer".into());
            (status, [(header::WWW_AUTHENTICATE, challenge)]).into_response()
        }
    }
}

/// Discovery metadata, served in the order Authlete wrote it.
async fn discovery(State(state): State<AppState>) -> Response {
    match state.service.discovery().get_configuration().send().await {
        Ok(metadata) => Json(metadata).into_response(),
        Err(error) => upstream(error),
    }
}

#[derive(serde::Deserialize)]
struct Registration {
    client_name: String,
    redirect_uris: Vec<String>,
}

/// Registers a client (an administrator's call; protect it in a real server).
async fn register_client(
    State(state): State<AppState>,
    Json(registration): Json<Registration>,
) -> Response {
    let client = OauthClient::default()
        .with_client_name(registration.client_name)
        .with_redirect_uris(registration.redirect_uris);
    match state.service.clients().create(client).send().await {
        Ok(created) => Json(serde_json::json!({"client_id": created.client_id, "client_secret": created.client_secret})).into_response(),
        Err(error) => upstream(error),
    }
}

/// Every access token of a client, over as many pages as there are.
async fn client_tokens(State(state): State<AppState>, Path(client_id): Path<String>) -> Response {
    let tokens = state
        .service
        .token()
        .management()
        .list()
        .client_identifier(client_id)
        .stream(100);
    match tokens
        .map_ok(|token| token.access_token_hash)
        .try_collect::<Vec<_>>()
        .await
    {
        Ok(hashes) => Json(serde_json::json!({"access_token_hashes": hashes})).into_response(),
        Err(error) => upstream(error),
    }
}

/// The revocation endpoint (RFC 7009).
async fn revoke(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let mut request = RevocationRequest::new(body);
    if let Some((client_id, client_secret)) = basic_credentials(&headers) {
        request = request
            .with_client_id(client_id)
            .with_client_secret(client_secret);
    }
    let response = match state
        .service
        .revocation()
        .process_request(request)
        .send()
        .await
    {
        Ok(response) => response,
        Err(error) => return upstream(error),
    };
    match response.action {
        Some(RevocationResponseAction::Ok) => StatusCode::OK.into_response(),
        Some(RevocationResponseAction::InvalidClient) => {
            json(StatusCode::UNAUTHORIZED, response.response_content)
        }
        Some(RevocationResponseAction::BadRequest) => {
            json(StatusCode::BAD_REQUEST, response.response_content)
        }
        _ => json(StatusCode::INTERNAL_SERVER_ERROR, response.response_content),
    }
}
