//! The one error type of the crate.

use super::request::Response;
use std::fmt;

/// How much of a response body an error keeps.
const BODY_LIMIT: usize = 64 * 1024;

/// Everything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-success status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The request did not complete: connection, TLS or timeout.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// A success response whose body is not what the document says.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The request body could not be encoded.
    #[error("cannot encode the request body: {0}")]
    Encode(String),
    /// The client is not configured correctly.
    #[error("invalid client configuration: {0}")]
    Config(String),
}

impl Error {
    pub(crate) fn transport(error: reqwest::Error) -> Self {
        Error::Transport(error.without_url())
    }

    pub(crate) fn config(message: &str) -> Self {
        Error::Config(message.to_string())
    }

    pub(crate) fn from_status(operation_id: &'static str, response: Response) -> Self {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct ResultBody {
            result_code: Option<serde_json::Value>,
            result_message: Option<String>,
        }
        let parsed: Option<ResultBody> = serde_json::from_slice(&response.body).ok();
        let (result_code, result_message) = match parsed {
            Some(body) => (
                body.result_code.map(|code| match code {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                }),
                body.result_message,
            ),
            None => (None, None),
        };
        Error::Api(Box::new(ApiError {
            operation_id,
            status: response.status.as_u16(),
            headers: response.headers,
            result_code,
            result_message,
            body: bounded_text(&response.body),
        }))
    }

    /// The HTTP status, where the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
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
}

/// A non-success response.
#[derive(Debug)]
pub struct ApiError {
    operation_id: &'static str,
    status: u16,
    headers: reqwest::header::HeaderMap,
    result_code: Option<String>,
    result_message: Option<String>,
    body: String,
}

impl ApiError {
    pub fn status(&self) -> u16 {
        self.status
    }
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
    pub fn result_code(&self) -> Option<&str> {
        self.result_code.as_deref()
    }
    pub fn result_message(&self) -> Option<&str> {
        self.result_message.as_deref()
    }
    /// The response body as text (at most 64 KiB).
    pub fn body(&self) -> &str {
        &self.body
    }
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation_id, self.status)?;
        match (&self.result_code, &self.result_message) {
            (_, Some(message)) => write!(f, ": {message}"),
            (Some(code), None) => write!(f, ": {code}"),
            (None, None) => Ok(()),
        }
    }
}

/// A success response that does not decode into the expected type.
#[derive(Debug)]
pub struct DecodeError {
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
    /// The response body as text (at most 64 KiB).
    pub fn body(&self) -> &str {
        &self.body
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode the response as {} at `{}`: {}", self.target, self.path, self.message)
    }
}

pub(crate) fn bounded_text(body: &[u8]) -> String {
    let cut = &body[..body.len().min(BODY_LIMIT)];
    String::from_utf8_lossy(cut).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            headers: Default::default(),
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn api_error_reads_the_result_body() {
        let e = Error::from_status("auth_token_api", response(400, r#"{"resultCode":"A001201","resultMessage":"TLS must be used."}"#));
        assert_eq!(e.status(), Some(400));
        assert_eq!(e.result_code(), Some("A001201"));
        assert_eq!(e.to_string(), "auth_token_api failed with HTTP 400: TLS must be used.");
    }

    #[test]
    fn api_error_keeps_a_body_that_is_not_json() {
        let e = Error::from_status("x", response(502, "<html>bad gateway</html>"));
        let Error::Api(api) = &e else { panic!("{e:?}") };
        assert_eq!(api.body(), "<html>bad gateway</html>");
        assert_eq!(api.result_code(), None);
    }

    #[test]
    fn body_is_bounded() {
        assert_eq!(bounded_text(&vec![b'a'; BODY_LIMIT + 10]).len(), BODY_LIMIT);
    }
}
