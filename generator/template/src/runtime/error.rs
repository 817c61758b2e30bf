//! The one error type of the crate. It never contains the bearer token: requests carry it only
//! in the `Authorization` header, which no error keeps.

use super::request::RawResponse;
use std::fmt;
use std::time::{Duration, SystemTime};

/// How much of a response body an error keeps.
const BODY_LIMIT: usize = 64 * 1024;

/// Everything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status the document declares for the operation (400,
    /// 401, 403, 404, 500 for most) and Authlete's `resultCode`/`resultMessage` body.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// Any other non-success answer: an undeclared status (a proxy's 502 page, a 418), or a
    /// declared one whose body is not Authlete's result object. The raw body is kept.
    #[error("{0}")]
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// The request did not complete: connection, TLS, timeout, or the response was cut off.
    /// [`source()`](std::error::Error::source) is the underlying cause (for example
    /// "connection refused" or a TLS certificate error).
    #[error(transparent)]
    Transport(Box<TransportError>),
    /// A success response whose body does not decode into the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A response body larger than the client's limit
    /// ([`ClientBuilder::max_response_body`](crate::ClientBuilder::max_response_body)), refused
    /// before it was read whole.
    #[error("{0}")]
    ResponseTooLarge(Box<ResponseTooLarge>),
    /// The request body could not be encoded.
    #[error("cannot encode the request body: {0}")]
    Encode(String),
    /// An argument that would change which endpoint is called (a path parameter that is empty,
    /// `.` or `..`): refused before anything is sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// A paginated listing that makes no progress (the server ignored `start` and sent the same
    /// page again): the stream ends with this error instead of running forever.
    #[error("pagination stopped: {0}")]
    Pagination(String),
    /// The client is not configured correctly.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

/// Whether repeating a failed request can repeat its effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetrySafety {
    /// The server did not process the request (nothing was sent, or it was refused with 429 or
    /// 503): safe to repeat, whatever the method.
    Safe,
    /// The request may have been processed (502, 504, a timeout, a reset after sending): safe to
    /// repeat only if the operation is idempotent.
    IfIdempotent,
    /// Repeating it will fail the same way (400, 401, 404, a decode error, ...).
    No,
}

impl Error {
    pub(crate) fn config(message: &str) -> Self {
        Error::Config(message.to_string())
    }

    pub(crate) fn transport(
        operation_id: &'static str,
        idempotent: bool,
        source: reqwest::Error,
    ) -> Self {
        let kind = if source.is_connect() {
            TransportErrorKind::Connect
        } else if refused_before_processing(&source) {
            TransportErrorKind::Refused
        } else if source.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Other
        };
        Error::Transport(Box::new(TransportError {
            operation_id,
            idempotent,
            kind,
            source: source.without_url(),
        }))
    }

    pub(crate) fn response_too_large(
        operation_id: &'static str,
        status: u16,
        limit: usize,
        announced: Option<u64>,
    ) -> Self {
        Error::ResponseTooLarge(Box::new(ResponseTooLarge {
            operation_id,
            status,
            limit,
            announced,
        }))
    }

    /// A non-success response: [`Error::Api`] when the status is one the operation declares and
    /// the body is Authlete's result object, [`Error::UnexpectedResponse`] otherwise.
    pub(crate) fn from_response(
        operation_id: &'static str,
        idempotent: bool,
        declared: &[u16],
        response: RawResponse,
    ) -> Self {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct ResultBody {
            result_code: Option<serde_json::Value>,
            result_message: Option<String>,
        }
        let status = response.status.as_u16();
        // A declared status with no body at all (a 404 the document declares without content)
        // is still the declared error, without a result code.
        let parsed = if response.body.is_empty() {
            Some(ResultBody {
                result_code: None,
                result_message: None,
            })
        } else {
            serde_json::from_slice::<ResultBody>(&response.body)
                .ok()
                .filter(|body| body.result_code.is_some() || body.result_message.is_some())
        };
        let body = bounded_text(&response.body);
        match parsed {
            Some(result) if declared.contains(&status) => Error::Api(Box::new(ApiError {
                operation_id,
                idempotent,
                status,
                headers: response.headers,
                result_code: result.result_code.map(|code| match code {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                }),
                result_message: result.result_message,
                body,
            })),
            _ => Error::UnexpectedResponse(Box::new(UnexpectedResponse {
                operation_id,
                idempotent,
                status,
                headers: response.headers,
                body,
            })),
        }
    }

    /// The HTTP status, where the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::ResponseTooLarge(e) => Some(e.status),
            Error::Transport(e) => e.source.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// Authlete's `resultCode` (for example `A001202`), where the body had one.
    pub fn result_code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.result_code.as_deref(),
            _ => None,
        }
    }

    /// Authlete's `resultMessage`, where the body had one (server text: escape it before
    /// writing it anywhere that interprets control characters).
    pub fn result_message(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.result_message.as_deref(),
            _ => None,
        }
    }

    /// The response headers, where the server answered.
    pub fn headers(&self) -> Option<&reqwest::header::HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::UnexpectedResponse(e) => Some(&e.headers),
            _ => None,
        }
    }

    /// Whether repeating the request can repeat its effect; see [`RetrySafety`].
    pub fn retry_safety(&self) -> RetrySafety {
        match self {
            Error::Transport(t)
                if matches!(
                    t.kind,
                    TransportErrorKind::Connect | TransportErrorKind::Refused
                ) =>
            {
                RetrySafety::Safe
            }
            Error::Transport(_) => RetrySafety::IfIdempotent,
            Error::Api(_) | Error::UnexpectedResponse(_) => match self.status() {
                // 408: the server closed before it had the whole request (RFC 9110 §15.5.9).
                Some(408 | 429 | 503) => RetrySafety::Safe,
                Some(502 | 504) => RetrySafety::IfIdempotent,
                _ => RetrySafety::No,
            },
            _ => RetrySafety::No,
        }
    }

    /// Whether this failed call can be repeated without risk of repeating its effect: the
    /// request was not processed, or it may have been and the operation's method is idempotent.
    pub fn is_retryable(&self) -> bool {
        match self.retry_safety() {
            RetrySafety::Safe => true,
            RetrySafety::IfIdempotent => self.idempotent(),
            RetrySafety::No => false,
        }
    }

    fn idempotent(&self) -> bool {
        match self {
            Error::Api(e) => e.idempotent,
            Error::UnexpectedResponse(e) => e.idempotent,
            Error::Transport(e) => e.idempotent,
            _ => false,
        }
    }

    /// The wait the server asked for with `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self
            .headers()?
            .get(reqwest::header::RETRY_AFTER)?
            .to_str()
            .ok()?;
        super::retry::parse_retry_after(value, SystemTime::now())
    }

    #[cfg(test)]
    pub(crate) fn test_status(status: u16, retry_after: Option<&str>) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(value) = retry_after {
            headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
        }
        Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            operation_id: "test",
            idempotent: false,
            status,
            headers,
            body: String::new(),
        }))
    }
}

/// An error status the operation declares, with Authlete's result object.
pub struct ApiError {
    operation_id: &'static str,
    idempotent: bool,
    status: u16,
    headers: reqwest::header::HeaderMap,
    result_code: Option<String>,
    result_message: Option<String>,
    body: String,
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
    /// `resultCode`, for example `A001201`.
    pub fn result_code(&self) -> Option<&str> {
        self.result_code.as_deref()
    }
    /// `resultMessage`, for example `[A001201] /auth/authorization, TLS must be used.`
    pub fn result_message(&self) -> Option<&str> {
        self.result_message.as_deref()
    }
    /// The response body as text (at most 64 KiB).
    pub fn body(&self) -> &str {
        &self.body
    }
    /// The `operationId` of the call that failed.
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }
}

/// The body is left out: it is the server's, may carry values of the request, and is there
/// through [`ApiError::body`] for code that wants it.
impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("result_code", &self.result_code)
            .field("result_message", &self.result_message)
            .field("body", &BodyLength(self.body.len()))
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation_id, self.status)?;
        // Server text: control characters are escaped so that it cannot forge log lines.
        match (&self.result_code, &self.result_message) {
            (_, Some(message)) => write!(f, ": {}", Escaped(message)),
            (Some(code), None) => write!(f, ": {}", Escaped(code)),
            (None, None) => Ok(()),
        }
    }
}

/// A non-success response that is not a declared Authlete error.
pub struct UnexpectedResponse {
    operation_id: &'static str,
    idempotent: bool,
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl UnexpectedResponse {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
    /// The response body as text (at most 64 KiB).
    pub fn body(&self) -> &str {
        &self.body
    }
    /// The `operationId` of the call that failed.
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }
}

impl UnexpectedResponse {
    /// Where a redirect (3xx) pointed. Redirects are never followed: the request would carry
    /// its body, and to the same host over `http://` the bearer token, somewhere unchosen.
    pub fn location(&self) -> Option<&str> {
        self.headers.get(reqwest::header::LOCATION)?.to_str().ok()
    }
}

/// The body is left out (see [`ApiError`]'s `Debug`); [`UnexpectedResponse::body`] has it.
impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("operation_id", &self.operation_id)
            .field("status", &self.status)
            .field("body", &BodyLength(self.body.len()))
            .finish_non_exhaustive()
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} failed with unexpected HTTP {}",
            self.operation_id, self.status
        )?;
        if (300..400).contains(&self.status) {
            match self.headers.get(reqwest::header::LOCATION) {
                Some(location) => {
                    let location = String::from_utf8_lossy(location.as_bytes());
                    write!(f, " (a redirect to `{}`, not followed)", Escaped(&location))?;
                }
                None => f.write_str(" (a redirect, not followed)")?,
            }
        }
        Ok(())
    }
}

/// A success body above the client's limit.
#[derive(Debug)]
pub struct ResponseTooLarge {
    operation_id: &'static str,
    status: u16,
    limit: usize,
    announced: Option<u64>,
}

impl ResponseTooLarge {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The limit, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }
    /// The `Content-Length` the server announced, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.announced
    }
    /// The `operationId` of the call that failed.
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the response body is larger than the limit of {} bytes",
            self.operation_id, self.limit
        )?;
        if let Some(length) = self.announced {
            write!(f, " (Content-Length: {length})")?;
        }
        Ok(())
    }
}

/// What kind of transport failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection (refused, DNS, TLS handshake): the request was not sent.
    Connect,
    /// The call took longer than its timeout.
    Timeout,
    /// The server refused the request before processing it (HTTP/2 `REFUSED_STREAM`, or a
    /// graceful `GOAWAY` that did not include it): safe to repeat, whatever the method.
    Refused,
    /// Anything else, for example a connection reset while the response was read.
    Other,
}

/// The request did not complete.
#[derive(Debug)]
pub struct TransportError {
    operation_id: &'static str,
    idempotent: bool,
    kind: TransportErrorKind,
    source: reqwest::Error,
}

impl TransportError {
    /// What kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
    /// No connection was made: nothing was sent.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
    /// The call took longer than its timeout.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }
    /// The `operationId` of the call that failed.
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Refused => "was refused by the server before processing",
            TransportErrorKind::Other => "failed in transit",
        };
        write!(f, "{} {what}", self.operation_id)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A success response that does not decode into the expected type.
pub struct DecodeError {
    pub(crate) operation_id: &'static str,
    pub(crate) target: &'static str,
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) status: u16,
    pub(crate) body: String,
}

impl DecodeError {
    /// The Rust type that was expected.
    pub fn target(&self) -> &str {
        self.target
    }
    /// Where in the JSON the decoding failed (for example `client.clientId`).
    pub fn path(&self) -> &str {
        &self.path
    }
    /// What was wrong there.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The response body as text (at most 64 KiB).
    pub fn body(&self) -> &str {
        &self.body
    }
}

/// The body is left out: a success body carries tokens and secrets; [`DecodeError::body`] has it.
impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation_id", &self.operation_id)
            .field("target", &self.target)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("body", &BodyLength(self.body.len()))
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: cannot decode the response as {} at `{}`: {}",
            self.operation_id, self.target, self.path, self.message
        )
    }
}

/// Shown in place of a body by `Debug`.
struct BodyLength(usize);

impl fmt::Debug for BodyLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes, see .body()>", self.0)
    }
}

/// Server text for `Display`: control characters (a newline could forge a log line) and bidi
/// overrides escaped as `\u{..}`.
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            if c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            {
                write!(f, "{}", c.escape_unicode())?;
            } else {
                fmt::Write::write_char(f, c)?;
            }
        }
        Ok(())
    }
}

/// HTTP/2 told us the request was not processed: `REFUSED_STREAM` (RFC 9113 §8.7), or a
/// graceful `GOAWAY` (`NO_ERROR`) that left the stream out. Found in the cause chain.
fn refused_before_processing(error: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        if let Some(h2) = current.downcast_ref::<h2::Error>() {
            let refused = h2.is_reset() && h2.reason() == Some(h2::Reason::REFUSED_STREAM);
            let goaway = h2.is_go_away() && h2.reason() == Some(h2::Reason::NO_ERROR);
            return h2.is_remote() && (refused || goaway);
        }
        cause = current.source();
    }
    false
}

pub(crate) fn bounded_text(body: &[u8]) -> String {
    let cut = &body[..body.len().min(BODY_LIMIT)];
    String::from_utf8_lossy(cut).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> RawResponse {
        RawResponse {
            operation_id: "op",
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            headers: Default::default(),
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn declared_status_with_result_body_is_an_api_error() {
        let body = r#"{"resultCode":"A001201","resultMessage":"TLS must be used."}"#;
        let e = Error::from_response("auth_token_api", false, &[400, 500], response(400, body));
        assert!(matches!(e, Error::Api(_)), "{e:?}");
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.result_code(), Some("A001201"));
        assert_eq!(
            e.to_string(),
            "auth_token_api failed with HTTP 400: TLS must be used."
        );
        assert_eq!(e.retry_safety(), RetrySafety::No);
    }

    #[test]
    fn other_statuses_and_bodies_are_unexpected_responses() {
        let e = Error::from_response(
            "x",
            false,
            &[400],
            response(502, "<html>bad gateway</html>"),
        );
        let Error::UnexpectedResponse(u) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(u.body(), "<html>bad gateway</html>");
        assert_eq!(e.retry_safety(), RetrySafety::IfIdempotent);
        assert!(!e.is_retryable());
        let e = Error::from_response("x", false, &[400], response(400, "not json"));
        assert!(matches!(e, Error::UnexpectedResponse(_)));
    }

    #[test]
    fn a_declared_status_without_a_body_is_an_api_error() {
        let e = Error::from_response("x", false, &[404], response(404, ""));
        assert!(matches!(e, Error::Api(_)), "{e:?}");
        assert_eq!((e.status(), e.result_code()), (Some(404), None));
        assert_eq!(e.to_string(), "x failed with HTTP 404");
        let e = Error::from_response("x", false, &[400], response(404, ""));
        assert!(
            matches!(e, Error::UnexpectedResponse(_)),
            "an undeclared status stays unexpected: {e:?}"
        );
    }

    #[test]
    fn numeric_result_codes_are_kept_as_text() {
        let e = Error::from_response(
            "x",
            false,
            &[404],
            response(404, r#"{"resultCode":404,"resultMessage":""}"#),
        );
        assert_eq!(e.result_code(), Some("404"));
    }

    #[test]
    fn server_text_cannot_forge_a_log_line() {
        let body = r#"{"resultCode":"A1","resultMessage":"bad\nINFO forged line\r\u202e"}"#;
        let e = Error::from_response("op", false, &[400], response(400, body));
        let shown = e.to_string();
        assert!(
            !shown.contains('\n') && !shown.contains('\r') && !shown.contains('\u{202e}'),
            "{shown}"
        );
        assert!(shown.contains("bad\\u{a}INFO forged line"), "{shown}");
        assert_eq!(
            e.result_message(),
            Some("bad\nINFO forged line\r\u{202e}"),
            "the accessor keeps the text"
        );
    }

    #[test]
    fn debug_of_errors_leaves_bodies_out() {
        let secret = r#"{"resultCode":"A1","resultMessage":"m","accessToken":"SECRET-TOKEN"}"#;
        for e in [
            Error::from_response("op", false, &[400], response(400, secret)),
            Error::from_response("op", false, &[], response(400, secret)),
        ] {
            let shown = format!("{e:?} {e}");
            assert!(!shown.contains("SECRET"), "{shown}");
            assert!(shown.contains("bytes, see .body()"), "{shown}");
        }
    }

    #[test]
    fn a_redirect_names_its_location_escaped() {
        let mut r = response(307, "");
        r.headers.insert(
            reqwest::header::LOCATION,
            "https://elsewhere.example/x".parse().unwrap(),
        );
        let e = Error::from_response("op", false, &[400], r);
        assert_eq!(e.to_string(), "op failed with unexpected HTTP 307 (a redirect to `https://elsewhere.example/x`, not followed)");
        let Error::UnexpectedResponse(u) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(u.location(), Some("https://elsewhere.example/x"));
        assert_eq!(e.retry_safety(), RetrySafety::No);
    }

    #[test]
    fn body_is_bounded() {
        assert_eq!(bounded_text(&vec![b'a'; BODY_LIMIT + 10]).len(), BODY_LIMIT);
    }
}
