//! The client: base URL, bearer token, HTTP connection pool.

use super::error::Error;
use super::request::{Request, Response};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The bearer token. Never shown by `Debug` and never part of an error message.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A client of the Authlete API. Cheap to clone: clones share one connection pool.
///
/// Operations are reached through groups: `client.token().process_request(service_id, &body)`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    token: Secret,
    http: reqwest::Client,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").field("base_url", &self.inner.base_url).field("token", &self.inner.token).finish()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends one request: the single non-generic path every operation goes through.
    pub(crate) async fn execute(&self, request: Request) -> Result<Response, Error> {
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .bearer_auth(&self.inner.token.0)
            .header(reqwest::header::ACCEPT, "application/json");
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some((content_type, bytes)) = request.body.into_parts() {
            builder = builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes);
        }
        let response = builder.send().await.map_err(Error::transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::transport)?;
        let response = Response { status, headers, body };
        if status.is_success() {
            Ok(response)
        } else {
            Err(Error::from_status(request.operation_id, response))
        }
    }
}

/// Configures a [`Client`]. A base URL (or a cluster) and a bearer token are required.
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<Secret>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    allow_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder").field("base_url", &self.base_url).field("token", &self.token).finish()
    }
}

impl ClientBuilder {
    /// Sends requests to this base URL (for example `https://us.authlete.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into().trim_end_matches('/').to_string());
        self
    }

    /// The service access token or organization token sent as `Authorization: Bearer`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret(token.into()));
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS settings, connection pool) instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// A timeout for every request, from connecting to the end of the response body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Allows a plain `http://` base URL (for tests against a local server). Off by default: the
    /// bearer token must not travel unencrypted.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.ok_or_else(|| Error::config("no base URL: call `.base_url(..)` or `.cluster(..)`"))?;
        if base_url.starts_with("http://") && !self.allow_http {
            return Err(Error::config("the base URL is http://; the bearer token needs https:// (or call `.allow_http(true)`)"));
        }
        if !base_url.starts_with("https://") && !base_url.starts_with("http://") {
            return Err(Error::config("the base URL must start with https://"));
        }
        let token = self.token.ok_or_else(|| Error::config("no bearer token: call `.bearer_token(..)`"))?;
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .user_agent(concat!("authlete-rust/", env!("CARGO_PKG_VERSION")));
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(|e| Error::config(&format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(Client { inner: Arc::new(Inner { base_url, token, http }) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let builder = Client::builder().base_url("https://example.com/").bearer_token("s3cret-token");
        assert!(!format!("{builder:?}").contains("s3cret"));
        let client = builder.build().unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("[redacted]"));
        assert_eq!(client.base_url(), "https://example.com");
    }

    #[test]
    fn plain_http_is_refused_unless_allowed() {
        let err = Client::builder().base_url("http://127.0.0.1:1").bearer_token("t").build().unwrap_err();
        assert!(err.to_string().contains("https"), "{err}");
        assert!(Client::builder().base_url("http://127.0.0.1:1").bearer_token("t").allow_http(true).build().is_ok());
    }

    #[test]
    fn missing_token_is_a_config_error() {
        let err = Client::builder().base_url("https://example.com").build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
    }
}
