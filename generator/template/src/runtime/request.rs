//! The parts of a request that emitted code builds, and the decoding of responses.

use super::error::{bounded_text, DecodeError, Error};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use std::fmt::Display;

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters and
/// sub-delimiters that are safe in a segment.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ').add(b'"').add(b'#').add(b'%').add(b'/').add(b'<').add(b'>').add(b'?').add(b'`')
    .add(b'{').add(b'}').add(b'|').add(b'\\').add(b'^').add(b'[').add(b']');

/// One path parameter, percent-encoded so that it stays one segment.
#[allow(dead_code)] // unused by a document without path parameters
pub(crate) fn path_param(value: &impl Display) -> String {
    utf8_percent_encode(&value.to_string(), PATH_SEGMENT).to_string()
}

/// One request as emitted code describes it.
pub(crate) struct Request {
    pub operation_id: &'static str,
    pub method: reqwest::Method,
    /// The path as the document writes it (for logs and spans: it holds no values).
    #[allow(dead_code)]
    pub path_template: &'static str,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: RequestBody,
}

/// An encoded request body. Which variants and decoders a crate uses depends on its document.
#[allow(dead_code)]
pub(crate) enum RequestBody {
    None,
    Json(Vec<u8>),
    Form(String),
}

#[allow(dead_code)]
impl RequestBody {
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        serde_json::to_vec(value).map(RequestBody::Json).map_err(|e| Error::Encode(e.to_string()))
    }

    pub fn form<T: serde::Serialize + ?Sized>(value: &T) -> Result<Self, Error> {
        super::form::encode(value).map(RequestBody::Form)
    }

    pub fn into_parts(self) -> Option<(&'static str, Vec<u8>)> {
        match self {
            RequestBody::None => None,
            RequestBody::Json(bytes) => Some(("application/json", bytes)),
            RequestBody::Form(text) => Some(("application/x-www-form-urlencoded", text.into_bytes())),
        }
    }
}

/// A success response, read whole.
pub(crate) struct Response {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: bytes::Bytes,
}

#[allow(dead_code)]
impl Response {
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            Error::Decode(Box::new(DecodeError {
                target: std::any::type_name::<T>(),
                path: e.path().to_string(),
                message: e.inner().to_string(),
                status: self.status.as_u16(),
                body: bounded_text(&self.body),
            }))
        })
    }

    pub fn json_or_empty<T: serde::de::DeserializeOwned>(self) -> Result<Option<T>, Error> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            Ok(None)
        } else {
            self.json().map(Some)
        }
    }

    pub fn text(self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&self.body).into_owned())
    }

    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> Response {
        Response { status: reqwest::StatusCode::OK, headers: Default::default(), body: body.as_bytes().to_vec().into() }
    }

    #[test]
    fn path_params_stay_one_segment() {
        assert_eq!(path_param(&"a/b c?d"), "a%2Fb%20c%3Fd");
        assert_eq!(path_param(&42_i64), "42");
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
        let err = response(r#"{"inner":{"id":"x"}}"#).json::<Outer>().unwrap_err();
        let Error::Decode(d) = &err else { panic!("{err:?}") };
        assert_eq!(d.path(), "inner.id");
        assert!(d.target().ends_with("Outer"));
        assert_eq!(d.body(), r#"{"inner":{"id":"x"}}"#);
    }

    #[test]
    fn empty_body_is_none() {
        assert_eq!(response("").json_or_empty::<serde_json::Value>().unwrap(), None);
        assert_eq!(response("{\"a\":1}").json_or_empty::<serde_json::Value>().unwrap(), Some(serde_json::json!({"a": 1})));
    }

    #[test]
    fn int64_ids_stay_exact() {
        let v: i64 = response("9007199254740993").json().unwrap();
        assert_eq!(v, 9_007_199_254_740_993);
    }
}
