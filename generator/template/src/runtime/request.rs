//! The parts of a request that emitted code builds, per-call options, and response decoding.

use super::error::{bounded_text, DecodeError, Error};
use super::retry::RetryPolicy;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::fmt::Display;
use std::time::Duration;

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters and
/// sub-delimiters that are safe in a segment.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^')
    .add(b'[')
    .add(b']');

/// One path parameter, percent-encoded so that it stays one segment. An empty value, `.` or `..`
/// would change which endpoint is called (`/api/../auth/token/issue` is `/auth/token/issue`
/// once the URL is normalized, and `%2e` is normalized too), so they are refused.
#[allow(dead_code)] // unused by a document without path parameters
pub(crate) fn path_param(name: &str, value: &impl Display) -> Result<String, Error> {
    let value = value.to_string();
    if matches!(value.as_str(), "" | "." | "..") {
        let shown = if value.is_empty() {
            "empty".to_string()
        } else {
            format!("`{value}`")
        };
        return Err(Error::InvalidArgument(format!(
            "the path parameter `{name}` is {shown}, which would change the endpoint called"
        )));
    }
    Ok(utf8_percent_encode(&value, PATH_SEGMENT).to_string())
}

#[allow(dead_code)] // unused by a document without sensitive fields
/// Shown by `Debug` in place of a value the document marks sensitive (`x-sensitive`): tokens,
/// secrets, codes.
#[derive(Clone, Copy)]
pub(crate) struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// One request as emitted code describes it.
pub(crate) struct Request {
    pub operation_id: &'static str,
    pub method: reqwest::Method,
    /// The path as the document writes it: logged instead of the path, which holds values.
    pub path_template: &'static str,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: RequestBody,
    /// The error statuses the document declares for the operation.
    pub error_statuses: &'static [u16],
    /// The `Accept` header: the media type of the operation's success response.
    pub accept: &'static str,
}

impl Request {
    /// GET, PUT and DELETE may be repeated without a further effect (RFC 9110 §9.2.2).
    pub(crate) fn idempotent(&self) -> bool {
        matches!(
            self.method,
            reqwest::Method::GET
                | reqwest::Method::PUT
                | reqwest::Method::DELETE
                | reqwest::Method::HEAD
        )
    }
}

/// Options of one call, set on its request builder (`.timeout(..)`, `.retry_policy(..)`,
/// `.no_retry()`); they override the client's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    /// Headers of this call only, checked when it is sent.
    pub(crate) headers: Vec<(String, String)>,
}

impl CallOptions {
    /// The call's own headers as a map: an invalid name or value, or an `Authorization` header
    /// (the client sends the bearer token), is an error before anything is sent.
    pub(crate) fn header_map(&self) -> Result<reqwest::header::HeaderMap, Error> {
        let mut map = reqwest::header::HeaderMap::new();
        for (name, value) in &self.headers {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidArgument(format!("`{name}` is not a valid header name"))
            })?;
            if name == reqwest::header::AUTHORIZATION {
                return Err(Error::InvalidArgument(
                    "a call cannot set `Authorization`: the client sends the bearer token".into(),
                ));
            }
            let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                Error::InvalidArgument(format!(
                    "the value of header `{name}` is not a valid header value"
                ))
            })?;
            map.append(name, value);
        }
        Ok(map)
    }
}

/// An encoded request body. Which variants a crate uses depends on its document.
#[allow(dead_code)]
pub(crate) enum RequestBody {
    None,
    Json(bytes::Bytes),
    Form(bytes::Bytes),
}

#[allow(dead_code)]
impl RequestBody {
    pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        serde_json::to_vec(value)
            .map(|v| RequestBody::Json(v.into()))
            .map_err(|e| Error::Encode(e.to_string()))
    }

    pub(crate) fn form<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        super::form::encode(value).map(|text| RequestBody::Form(text.into_bytes().into()))
    }

    /// Content type and bytes; cheap to call once per attempt (the bytes are shared).
    pub(crate) fn parts(&self) -> Option<(&'static str, bytes::Bytes)> {
        match self {
            RequestBody::None => None,
            RequestBody::Json(bytes) => Some(("application/json", bytes.clone())),
            RequestBody::Form(bytes) => Some(("application/x-www-form-urlencoded", bytes.clone())),
        }
    }
}

/// A response read whole.
pub(crate) struct RawResponse {
    pub operation_id: &'static str,
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: bytes::Bytes,
}

/// serde's message without the values it quotes (`invalid type: string "…"`): the value can be
/// a token. Names (`unknown variant \`X\``) stay.
fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        if c == '"' {
            if !quoted {
                out.push_str("\"…\"");
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

/// A success response: the decoded body, with the status and headers it came with.
#[derive(Clone, Debug)]
pub struct ApiResponse<T> {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    /// The HTTP status (a 2xx).
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }
    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }
    /// The decoded body, by value.
    pub fn into_body(self) -> T {
        self.body
    }
}

#[allow(dead_code)]
impl RawResponse {
    fn with<T>(self, body: T) -> ApiResponse<T> {
        ApiResponse {
            status: self.status.as_u16(),
            headers: self.headers,
            body,
        }
    }

    fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        // serde_path_to_error tracks the path of every value it visits, which costs half again
        // the decode time of a large list (see BENCHMARKS.md); the path only explains a
        // failure, so a body that fails is decoded a second time, under it.
        serde_json::from_slice(&self.body).map_err(|error| self.decode_error::<T>(error))
    }

    #[cold]
    fn decode_error<T: serde::de::DeserializeOwned>(&self, error: serde_json::Error) -> Error {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let path = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(e) => e.path().to_string(),
            // The value decoded; what follows it did not (trailing characters).
            Ok(_) => ".".to_string(),
        };
        Error::Decode(Box::new(DecodeError {
            operation_id: self.operation_id,
            target: std::any::type_name::<T>(),
            path,
            message: without_values(&error.to_string()),
            status: self.status.as_u16(),
            body: bounded_text(&self.body),
        }))
    }

    pub(crate) fn json<T: serde::de::DeserializeOwned>(self) -> Result<ApiResponse<T>, Error> {
        let body = self.decode()?;
        Ok(self.with(body))
    }

    /// 200 with JSON or 204: `None` for an empty body.
    pub(crate) fn json_or_empty<T: serde::de::DeserializeOwned>(
        self,
    ) -> Result<ApiResponse<Option<T>>, Error> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(self.with(None))
        } else {
            let body = self.decode()?;
            Ok(self.with(Some(body)))
        }
    }

    pub(crate) fn text(self) -> Result<ApiResponse<String>, Error> {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        Ok(self.with(body))
    }

    pub(crate) fn empty(self) -> Result<ApiResponse<()>, Error> {
        Ok(self.with(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> RawResponse {
        RawResponse {
            operation_id: "op",
            status: reqwest::StatusCode::OK,
            headers: Default::default(),
            body: body.as_bytes().to_vec().into(),
        }
    }

    #[test]
    fn path_params_stay_one_segment() {
        assert_eq!(path_param("id", &"a/b c?d").unwrap(), "a%2Fb%20c%3Fd");
        assert_eq!(path_param("id", &42_i64).unwrap(), "42");
        assert_eq!(path_param("id", &"...").unwrap(), "...");
    }

    #[test]
    fn path_params_that_change_the_endpoint_are_refused() {
        for value in ["", ".", ".."] {
            let err = path_param("serviceId", &value).unwrap_err();
            assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
            assert!(err.to_string().contains("serviceId"), "{err}");
        }
    }

    #[test]
    fn a_decode_error_does_not_quote_the_value() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Token {
            expires: i64,
        }
        let err = response(r#"{"expires":"SECRET-VALUE"}"#)
            .json::<Token>()
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(shown.contains("invalid type: string"), "{shown}");
    }

    #[test]
    fn decode_error_names_type_and_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Outer {
            inner: Inner,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Inner {
            id: i64,
        }
        let err = response(r#"{"inner":{"id":"x"}}"#)
            .json::<Outer>()
            .unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(d.path(), "inner.id");
        assert!(d.target().ends_with("Outer"));
        assert_eq!(d.body(), r#"{"inner":{"id":"x"}}"#);
    }

    #[test]
    fn trailing_characters_are_a_decode_error() {
        let err = response(r#"{"a":1} x"#)
            .json::<serde_json::Value>()
            .unwrap_err();
        let Error::Decode(d) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(d.path(), ".");
        assert!(d.to_string().contains("trailing characters"), "{d}");
    }

    #[test]
    fn empty_body_is_none() {
        assert_eq!(
            response("")
                .json_or_empty::<serde_json::Value>()
                .unwrap()
                .into_body(),
            None
        );
        let some = response("{\"a\":1}")
            .json_or_empty::<serde_json::Value>()
            .unwrap();
        assert_eq!(some.status(), 200);
        assert_eq!(some.into_body(), Some(serde_json::json!({"a": 1})));
    }

    #[test]
    fn int64_ids_stay_exact() {
        let v: i64 = response("9007199254740993").json().unwrap().into_body();
        assert_eq!(v, 9_007_199_254_740_993);
    }
}
