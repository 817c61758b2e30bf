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

/// Defaults of a client the SDK builds (see the README's "Using the SDK" for the table).
pub mod defaults {
    use std::time::Duration;
    /// Time to establish a connection (TCP and TLS).
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Time for one attempt, from sending the request to the end of the response body.
    pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);
    /// The largest success body read (16 MiB); a larger one is [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
    pub const MAX_RESPONSE_BODY: usize = 16 * 1024 * 1024;
    /// How much of an error body is read and kept (64 KiB); the rest is not read.
    pub const MAX_ERROR_BODY: usize = 64 * 1024;
}

/// A client of the Authlete API. Cheap to clone: clones share one connection pool.
///
/// Operations are reached through groups, `client.token().process_request(service_id, body)`,
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
    timeout: Duration,
    call_timeout: Option<Duration>,
    max_response_body: usize,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("token", &self.inner.token)
            .field("timeout", &self.inner.timeout)
            .field("call_timeout", &self.inner.call_timeout)
            .field("max_response_body", &self.inner.max_response_body)
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
    pub(crate) async fn execute(
        &self,
        request: Request,
        options: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let span = tracing::debug_span!(
            "authlete.request",
            operation_id = request.operation_id,
            method = %request.method,
            path = request.path_template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        self.execute_with_retries(request, options)
            .instrument(span)
            .await
    }

    async fn execute_with_retries(
        &self,
        request: Request,
        options: &CallOptions,
    ) -> Result<RawResponse, Error> {
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let idempotent = request.idempotent();
        let attempt_timeout = options.timeout.unwrap_or(self.inner.timeout);
        let call_headers = options.header_map()?;
        // The whole call, retries and waits included, ends by this instant.
        let deadline = self.inner.call_timeout.map(|limit| Instant::now() + limit);
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let timeout = match deadline {
                Some(deadline) => attempt_timeout.min(deadline.saturating_duration_since(started)),
                None => attempt_timeout,
            };
            let result = self.attempt(&request, timeout, &call_headers).await;
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
            let error = match result {
                Ok(response) => {
                    span.record("status", response.status.as_u16());
                    if response.status.is_success() {
                        tracing::debug!(
                            status = response.status.as_u16(),
                            "authlete call succeeded"
                        );
                        return Ok(response);
                    }
                    Error::from_response(
                        request.operation_id,
                        idempotent,
                        request.error_statuses,
                        response,
                    )
                }
                Err(error) => error,
            };
            let delay = policy
                .delay(attempt, &error, idempotent)
                .filter(|delay| match deadline {
                    // A retry that could not start before the deadline is not made.
                    Some(deadline) => Instant::now() + *delay < deadline,
                    None => true,
                });
            match delay {
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

    async fn attempt(
        &self,
        request: &Request,
        timeout: Duration,
        call_headers: &HeaderMap,
    ) -> Result<RawResponse, Error> {
        let idempotent = request.idempotent();
        let url = reqwest::Url::parse(&format!("{}{}", self.inner.base_url, request.path))
            .map_err(|e| {
                Error::config(&format!(
                    "{}: cannot make a URL of the path: {e}",
                    request.operation_id
                ))
            })?;
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url.clone())
            .header(reqwest::header::ACCEPT, request.accept)
            .timeout(timeout);
        if !self.inner.headers.is_empty() {
            builder = builder.headers(self.inner.headers.clone());
        }
        if !call_headers.is_empty() {
            builder = builder.headers(call_headers.clone());
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        if let Some((content_type, bytes)) = request.body.parts() {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes);
        }
        let transport = |e| Error::transport(request.operation_id, idempotent, e);
        let mut response = builder.send().await.map_err(transport)?;
        // A caller's `reqwest::Client` may follow redirects (ours never does): refuse the answer
        // of another URL rather than return it as this operation's.
        if response.url().path() != url.path() || response.url().origin() != url.origin() {
            return Err(Error::config(&format!(
                "{}: the HTTP client followed a redirect to another URL; build it with \
                 `reqwest::redirect::Policy::none()` (see `ClientBuilder::http_client`)",
                request.operation_id
            )));
        }
        let status = response.status();
        // Taken, not cloned: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let limits = BodyLimit::for_status(status, self.inner.max_response_body);
        let body = read_body(&mut response, limits)
            .await
            .map_err(|failure| match failure {
                BodyFailure::Transport(e) => transport(e),
                BodyFailure::TooLarge { announced } => Error::response_too_large(
                    request.operation_id,
                    status.as_u16(),
                    limits.max,
                    announced,
                ),
            })?;
        Ok(RawResponse {
            operation_id: request.operation_id,
            status,
            headers,
            body,
        })
    }
}

/// How much of a body is read: a success body whole up to `max` (more is an error), an error
/// body up to [`defaults::MAX_ERROR_BODY`] (the rest is left unread).
#[derive(Clone, Copy)]
struct BodyLimit {
    max: usize,
    truncate: bool,
}

impl BodyLimit {
    fn for_status(status: reqwest::StatusCode, max_response_body: usize) -> Self {
        if status.is_success() {
            BodyLimit {
                max: max_response_body,
                truncate: false,
            }
        } else {
            BodyLimit {
                max: defaults::MAX_ERROR_BODY.min(max_response_body),
                truncate: true,
            }
        }
    }
}

enum BodyFailure {
    Transport(reqwest::Error),
    TooLarge { announced: Option<u64> },
}

/// Reads the body chunk by chunk, never holding more than `limit.max` bytes: a `Content-Length`
/// above it is refused before anything is read.
async fn read_body(
    response: &mut reqwest::Response,
    limit: BodyLimit,
) -> Result<bytes::Bytes, BodyFailure> {
    let announced = response.content_length();
    if let Some(length) = announced {
        if length > limit.max as u64 && !limit.truncate {
            return Err(BodyFailure::TooLarge { announced });
        }
    }
    let capacity = announced.map_or(0, |length| length.min(limit.max as u64) as usize);
    let mut body = bytes::BytesMut::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(BodyFailure::Transport)? {
        let room = limit.max - body.len();
        if chunk.len() > room {
            if limit.truncate {
                body.extend_from_slice(&chunk[..room]);
                break;
            }
            return Err(BodyFailure::TooLarge { announced });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Which plain-HTTP base URLs a client accepts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum PlainHttp {
    /// https only (the default).
    #[default]
    Refused,
    /// `http://` to loopback hosts (`localhost`, 127.0.0.0/8, `[::1]`).
    Loopback,
    /// `http://` to any host.
    AnyHost,
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
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    max_response_body: Option<usize>,
    root_certificates: Vec<reqwest::Certificate>,
    retry: Option<RetryPolicy>,
    plain_http: PlainHttp,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("timeout", &self.timeout)
            .field("plain_http", &self.plain_http)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sends requests to this base URL (for example `https://us.authlete.com`). Checked by
    /// [`build`](Self::build): `https` (see [`allow_http_loopback`](Self::allow_http_loopback)),
    /// no credentials, query or fragment.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
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

    /// Uses this `reqwest::Client` (proxies, a connection pool shared with other code) instead
    /// of one the SDK builds. The SDK cannot change a client it is given, so it must be built
    /// the way the SDK builds its own, or the SDK's guarantees do not hold:
    ///
    /// - `.redirect(reqwest::redirect::Policy::none())`: a followed redirect can send the body
    ///   and the bearer token elsewhere (the SDK refuses the answer, after the fact);
    /// - `.retry(reqwest::retry::never())`: reqwest's own HTTP/2 retries repeat a POST unseen by
    ///   the SDK's [`RetryPolicy`];
    /// - `.connect_timeout(..)`: [`connect_timeout`](Self::connect_timeout) applies only to a
    ///   client the SDK builds (the per-attempt timeout and body limits apply to both);
    /// - `.https_only(true)` unless plain HTTP is meant, and no `gzip`/`brotli`/`deflate`/`zstd`
    ///   unless compressed responses are wanted (the body limit then counts decoded bytes).
    ///
    /// The bearer token and the default headers are added to each request.
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

    /// The time to establish a connection, TCP and TLS (default
    /// [`defaults::CONNECT_TIMEOUT`], 10 s). Applies to a client the SDK builds.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// A timeout for each attempt of every call, from sending to the end of the response body
    /// (default [`defaults::ATTEMPT_TIMEOUT`], 30 s). A call's own `.timeout(..)` overrides it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A limit on a whole call, every attempt and every wait between attempts included (default:
    /// none; each attempt has [`timeout`](Self::timeout)). No attempt starts that could not
    /// begin before it, and the last attempt is cut off at it.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// The largest success response body read, in bytes (default
    /// [`defaults::MAX_RESPONSE_BODY`], 16 MiB). A larger body, or a `Content-Length` announcing
    /// one, is [`Error::ResponseTooLarge`] without being read whole. Error bodies are read up to
    /// [`defaults::MAX_ERROR_BODY`] (64 KiB) and cut there.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// Trusts this certificate authority too (a private CA in front of Authlete, a test CA).
    /// Applies to a client the SDK builds.
    pub fn add_root_certificate(mut self, certificate: reqwest::Certificate) -> Self {
        self.root_certificates.push(certificate);
        self
    }

    /// The retry policy of every call (default: [`RetryPolicy::default`]). A call's own
    /// `.retry_policy(..)` or `.no_retry()` overrides it.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Allows a plain `http://` base URL whose host is a loopback address (`localhost`,
    /// `127.0.0.0/8`, `[::1]`): a mock server on this machine. Any other `http://` host is
    /// still refused.
    pub fn allow_http_loopback(mut self) -> Self {
        if self.plain_http == PlainHttp::Refused {
            self.plain_http = PlainHttp::Loopback;
        }
        self
    }

    /// **Dangerous**: allows a plain `http://` base URL to any host, so that the bearer token,
    /// which can administer a whole Authlete service, crosses the network unencrypted. Only for a
    /// private network that encrypts below HTTP. Prefer [`allow_http_loopback`](Self::allow_http_loopback).
    pub fn allow_insecure_http_to_any_host(mut self) -> Self {
        self.plain_http = PlainHttp::AnyHost;
        self
    }

    /// Builds the client: an error if the base URL or the token is missing or invalid.
    pub fn build(self) -> Result<Client, Error> {
        let raw = self
            .base_url
            .ok_or_else(|| Error::config("no base URL: call `.base_url(..)` or `.cluster(..)`"))?;
        let base_url = check_base_url(&raw, self.plain_http)?;
        let token = match (self.token, self.token_from_env) {
            (Some(token), _) => token,
            (None, true) => Secret(std::env::var(BEARER_ENV).map_err(|_| {
                Error::config(&format!(
                    "`{BEARER_ENV}` is not set (bearer_token_from_env was asked for)"
                ))
            })?),
            (None, false) => {
                return Err(Error::config(
                    "no bearer token: call `.bearer_token(..)` or `.bearer_token_from_env()`",
                ))
            }
        };
        if token.0.is_empty() {
            return Err(Error::config("the bearer token is empty"));
        }
        let mut headers = HeaderMap::new();
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| concat!("authlete-rust/", env!("CARGO_PKG_VERSION")).to_string());
        headers.insert(
            reqwest::header::USER_AGENT,
            header_value("User-Agent", &user_agent)?,
        );
        for (name, value) in &self.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::config(&format!("invalid header name `{name}`")))?;
            if name == reqwest::header::AUTHORIZATION {
                return Err(Error::config(
                    "set the token with `.bearer_token(..)`, not as a default header",
                ));
            }
            headers.insert(name.clone(), header_value(name.as_str(), value)?);
        }
        // Made once, not per request; marked sensitive so that reqwest and `Debug` of the
        // header map never show it. A token that is not a valid header value fails here, at
        // configuration, not at the first call.
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {}", token.0)).map_err(|_| {
                Error::config("the bearer token has characters a header value cannot carry")
            })?;
        authorization.set_sensitive(true);
        headers.insert(reqwest::header::AUTHORIZATION, authorization);
        // On a client of our own the headers are its defaults (merged by reqwest, no copy per
        // request); a caller's client gets them on each request.
        let (http, headers) = match self.http {
            Some(http) => (http, headers),
            None => {
                let mut http = reqwest::Client::builder()
                    .default_headers(headers)
                    // A redirect would re-send the body (and, to the same host over http, the
                    // token) somewhere the caller did not choose: a 3xx is an error instead.
                    .redirect(reqwest::redirect::Policy::none())
                    // reqwest re-sends requests refused by HTTP/2 on its own, unseen by the
                    // retry policy: the SDK retries them itself (as not processed).
                    .retry(reqwest::retry::never())
                    .connect_timeout(self.connect_timeout.unwrap_or(defaults::CONNECT_TIMEOUT))
                    // No content-encoding negotiation, even if another crate turns reqwest's
                    // decompression features on: a small compressed body cannot inflate past
                    // the body limit's reach unseen.
                    .no_gzip()
                    .no_brotli()
                    .no_deflate()
                    .no_zstd()
                    .https_only(self.plain_http == PlainHttp::Refused);
                for certificate in self.root_certificates {
                    http = http.add_root_certificate(certificate);
                }
                let http = http
                    .build()
                    .map_err(|e| Error::config(&format!("cannot build the HTTP client: {e}")))?;
                (http, HeaderMap::new())
            }
        };
        let retry = self.retry.unwrap_or_default();
        Ok(Client {
            inner: Arc::new(Inner {
                base_url,
                token,
                http,
                headers,
                timeout: self.timeout.unwrap_or(defaults::ATTEMPT_TIMEOUT),
                call_timeout: self.call_timeout,
                max_response_body: self
                    .max_response_body
                    .unwrap_or(defaults::MAX_RESPONSE_BODY),
                retry,
            }),
        })
    }
}

/// Parses and checks the base URL once; returns it without a trailing `/`.
fn check_base_url(raw: &str, plain_http: PlainHttp) -> Result<String, Error> {
    let url = reqwest::Url::parse(raw.trim())
        .map_err(|e| Error::config(&format!("the base URL `{raw}` is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" => match plain_http {
            PlainHttp::AnyHost => {}
            PlainHttp::Loopback if is_loopback(&url) => {}
            PlainHttp::Loopback => {
                return Err(Error::config(&format!(
                    "the base URL `{raw}` is http:// to a host that is not loopback; the bearer token needs https:// \
                     (`.allow_insecure_http_to_any_host()` exists, but sends the token unencrypted)"
                )))
            }
            PlainHttp::Refused => {
                return Err(Error::config(&format!(
                    "the base URL `{raw}` is http://; the bearer token needs https:// (for a local mock server, \
                     call `.allow_http_loopback()`)"
                )))
            }
        },
        other => return Err(Error::config(&format!("the base URL must be https://, not `{other}:`"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config("the base URL must not carry credentials (`user:password@`); the bearer token authenticates"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(&format!(
            "the base URL `{raw}` must not have a query or a fragment"
        )));
    }
    if url.host().is_none() {
        return Err(Error::config(&format!("the base URL `{raw}` has no host")));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    match ip.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::config(&format!("invalid value for header `{name}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let builder = Client::builder()
            .base_url("https://example.com/")
            .bearer_token("s3cret-token");
        assert!(!format!("{builder:?}").contains("s3cret"));
        let client = builder.build().unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("[redacted]"));
        assert_eq!(client.base_url(), "https://example.com");
    }

    fn build(url: &str, plain_http: PlainHttp) -> Result<Client, Error> {
        let builder = Client::builder().base_url(url).bearer_token("t");
        match plain_http {
            PlainHttp::Refused => builder,
            PlainHttp::Loopback => builder.allow_http_loopback(),
            PlainHttp::AnyHost => builder.allow_insecure_http_to_any_host(),
        }
        .build()
    }

    #[test]
    fn plain_http_is_refused_unless_allowed() {
        let err = build("http://127.0.0.1:1", PlainHttp::Refused).unwrap_err();
        assert!(err.to_string().contains("allow_http_loopback"), "{err}");
        for loopback in [
            "http://127.0.0.1:1",
            "http://127.8.9.10",
            "http://localhost:4010/",
            "http://[::1]:80",
            "HTTP://LOCALHOST",
        ] {
            assert!(build(loopback, PlainHttp::Loopback).is_ok(), "{loopback}");
        }
        for remote in [
            "http://example.com",
            "http://10.0.0.1",
            "http://localhost.example.com",
            "http://[::2]",
        ] {
            let err = build(remote, PlainHttp::Loopback).unwrap_err();
            assert!(
                matches!(err, Error::Config(_)) && err.to_string().contains("not loopback"),
                "{remote}: {err}"
            );
            assert!(build(remote, PlainHttp::AnyHost).is_ok(), "{remote}");
        }
        assert!(build("ftp://x", PlainHttp::AnyHost).is_err());
    }

    #[test]
    fn the_base_url_is_parsed_once_and_checked() {
        let client = build("HTTPS://Example.COM/prefix/", PlainHttp::Refused).unwrap();
        assert_eq!(client.base_url(), "https://example.com/prefix");
        for (url, why) in [
            ("https://x/?a=1", "query"),
            ("https://x/#f", "fragment"),
            ("https://user:pw@x/", "credentials"),
            ("https://user@x/", "credentials"),
            ("not a url", "not a URL"),
            ("mailto:a@b", "https"),
        ] {
            let err = build(url, PlainHttp::AnyHost).unwrap_err();
            assert!(
                matches!(err, Error::Config(_)) && err.to_string().contains(why),
                "{url}: {err}"
            );
        }
    }

    #[test]
    fn missing_or_empty_token_is_a_config_error() {
        let err = Client::builder()
            .base_url("https://example.com")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(Client::builder()
            .base_url("https://example.com")
            .bearer_token("")
            .build()
            .is_err());
    }

    #[test]
    fn a_token_that_cannot_be_a_header_fails_at_build_without_showing_it() {
        let err = Client::builder()
            .base_url("https://example.com")
            .bearer_token("s3cret\nline")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(!format!("{err} {err:?}").contains("s3cret"), "{err:?}");
        let http = reqwest::Client::new();
        let client = Client::builder()
            .base_url("https://example.com")
            .bearer_token("s3cret")
            .http_client(http)
            .build()
            .unwrap();
        assert!(
            !format!("{:?}", client.inner.headers).contains("s3cret"),
            "the header is marked sensitive"
        );
    }

    #[test]
    fn authorization_cannot_be_a_default_header() {
        let err = Client::builder()
            .base_url("https://example.com")
            .bearer_token("t")
            .default_header("Authorization", "x")
            .build();
        assert!(err.is_err());
    }
}
