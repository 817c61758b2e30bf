//! The client: base URL, bearer token, connection pool, default headers, timeouts, retries; and
//! the one non-generic `execute` every operation goes through.

use super::error::Error;
use super::request::{CallOptions, RawResponse, Request};
use super::retry::RetryPolicy;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// The environment variable [`ClientBuilder::bearer_token_from_env`] reads.
pub const BEARER_ENV: &str = "AUTHLETE_BEARER";

/// The bearer token. Never shown by `Debug`, never logged, never part of an error.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A client of the Authlete API. Cheap to clone: clones share one connection pool.
///
/// Operations are reached through groups, `client.token().process_request(service_id, &body)`,
/// or through a service handle that supplies the service id, `client.service(id).token()...`.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    token: Secret,
    http: reqwest::Client,
    headers: HeaderMap,
    timeout: Option<Duration>,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.token)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
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

    /// Sends one request, with retries: the single non-generic path every operation goes through.
    pub(crate) async fn execute(&self, request: Request, options: &CallOptions) -> Result<RawResponse, Error> {
        let span = tracing::debug_span!(
            "authlete.request",
            operation_id = request.operation_id,
            method = %request.method,
            path = request.path_template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        self.execute_with_retries(request, options).instrument(span).await
    }

    async fn execute_with_retries(&self, request: Request, options: &CallOptions) -> Result<RawResponse, Error> {
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let idempotent = request.idempotent();
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let result = self.attempt(&request, options).await;
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            let error = match result {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    if response.status.is_success() {
                        tracing::debug!(status = response.status.as_u16(), "authlete call succeeded");
                        return Ok(response);
                    }
                    Error::from_response(request.operation_id, idempotent, request.error_statuses, response)
                }
                Err(error) => error,
            };
            match policy.delay(attempt, &error, idempotent) {
                Some(delay) => {
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, error = %error, "retrying authlete call");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                None => {
                    tracing::debug!(attempt, error = %error, "authlete call failed");
                    return Err(error);
                }
            }
        }
    }

    async fn attempt(&self, request: &Request, options: &CallOptions) -> Result<RawResponse, Error> {
        let idempotent = request.idempotent();
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header(reqwest::header::ACCEPT, request.accept);
        if !self.inner.headers.is_empty() {
            builder = builder.headers(self.inner.headers.clone());
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some((content_type, bytes)) = request.body.parts() {
            builder = builder.header(reqwest::header::CONTENT_TYPE, content_type).body(bytes);
        }
        if let Some(timeout) = options.timeout.or(self.inner.timeout) {
            builder = builder.timeout(timeout);
        }
        let transport = |e| Error::transport(request.operation_id, idempotent, e);
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status();
        // Taken, not cloned: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(transport)?;
        Ok(RawResponse { operation_id: request.operation_id, status, headers, body })
    }
}

/// Configures a [`Client`]. A base URL (or a cluster) and a bearer token are required.
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<Secret>,
    token_from_env: bool,
    http: Option<reqwest::Client>,
    headers: Vec<(String, String)>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    allow_http: bool,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to this base URL (for example `https://us.authlete.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into().trim_end_matches('/').to_string());
        self
    }

    /// The service access token or organization token, sent as `Authorization: Bearer`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret(token.into()));
        self
    }

    /// Reads the bearer token from `AUTHLETE_BEARER` when the client is built (unless
    /// [`bearer_token`](Self::bearer_token) set one).
    pub fn bearer_token_from_env(mut self) -> Self {
        self.token_from_env = true;
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS settings, connection pool) instead of a new one.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// A header sent with every request.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Replaces the `User-Agent` (default `authlete-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A timeout for each attempt of every call, from sending to the end of the response body.
    /// A call's own `.timeout(..)` overrides it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy of every call (default: [`RetryPolicy::default`]). A call's own
    /// `.retry_policy(..)` or `.no_retry()` overrides it.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Allows a plain `http://` base URL (for tests against a local server). Off by default: the
    /// bearer token must not travel unencrypted.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Builds the client: an error if the base URL or the token is missing or invalid.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.ok_or_else(|| Error::config("no base URL: call `.base_url(..)` or `.cluster(..)`"))?;
        if base_url.starts_with("http://") {
            if !self.allow_http {
                return Err(Error::config("the base URL is http://; the bearer token needs https:// (or call `.allow_http(true)`)"));
            }
        } else if !base_url.starts_with("https://") {
            return Err(Error::config("the base URL must start with https://"));
        }
        let token = match (self.token, self.token_from_env) {
            (Some(token), _) => token,
            (None, true) => Secret(std::env::var(BEARER_ENV).map_err(|_| {
                Error::config(&format!("`{BEARER_ENV}` is not set (bearer_token_from_env was asked for)"))
            })?),
            (None, false) => return Err(Error::config("no bearer token: call `.bearer_token(..)` or `.bearer_token_from_env()`")),
        };
        if token.0.is_empty() {
            return Err(Error::config("the bearer token is empty"));
        }
        let mut headers = HeaderMap::new();
        let user_agent = self.user_agent.unwrap_or_else(|| concat!("authlete-rust/", env!("CARGO_PKG_VERSION")).to_string());
        headers.insert(reqwest::header::USER_AGENT, header_value("User-Agent", &user_agent)?);
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::config(&format!("invalid header name `{name}`")))?;
            if name == reqwest::header::AUTHORIZATION {
                return Err(Error::config("set the token with `.bearer_token(..)`, not as a default header"));
            }
            headers.insert(name.clone(), header_value(name.as_str(), value)?);
        }
        // Made once, not per request; marked sensitive so that reqwest and `Debug` of the
        // header map never show it. A token that is not a valid header value fails here, at
        // configuration, not at the first call.
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", token.0))
            .map_err(|_| Error::config("the bearer token has characters a header value cannot carry"))?;
        authorization.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, authorization);
        // On a client of our own the headers are its defaults (merged by reqwest, no copy per
        // request); a caller's client gets them on each request.
        let (http, headers) = match self.http {
            Some(http) => (http, headers),
            None => {
                let http = reqwest::Client::builder()
                    .default_headers(headers)
                    .build()
                    .map_err(|e| Error::config(&format!("cannot build the HTTP client: {e}")))?;
                (http, HeaderMap::new())
            }
        };
        let retry = self.retry.unwrap_or_default();
        Ok(Client { inner: Arc::new(Inner { base_url, token, http, headers, timeout: self.timeout, retry }) })
    }
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value).map_err(|_| Error::config(&format!("invalid value for header `{name}`")))
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
        assert!(Client::builder().base_url("ftp://x").bearer_token("t").build().is_err());
    }

    #[test]
    fn missing_or_empty_token_is_a_config_error() {
        let err = Client::builder().base_url("https://example.com").build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(Client::builder().base_url("https://example.com").bearer_token("").build().is_err());
    }

    #[test]
    fn a_token_that_cannot_be_a_header_fails_at_build_without_showing_it() {
        let err = Client::builder().base_url("https://example.com").bearer_token("s3cret\nline").build().unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(!format!("{err} {err:?}").contains("s3cret"), "{err:?}");
        let http = reqwest::Client::new();
        let client = Client::builder().base_url("https://example.com").bearer_token("s3cret").http_client(http).build().unwrap();
        assert!(!format!("{:?}", client.inner.headers).contains("s3cret"), "the header is marked sensitive");
    }

    #[test]
    fn authorization_cannot_be_a_default_header() {
        let err = Client::builder().base_url("https://example.com").bearer_token("t").default_header("Authorization", "x").build();
        assert!(err.is_err());
    }
}
