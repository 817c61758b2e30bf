// The crate's documentation is its README (spec/crate/README.md for the Authlete document, or
// one made from the document), so the README's examples are compiled as doctests.
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod runtime;

// What the document deprecates carries `#[deprecated]`, so applications are warned where they
// use it; the emitted code itself (constructors, derives, re-exports) must use it without a
// warning.
#[rustfmt::skip]
#[allow(deprecated)]
mod emitted;

// `api`, `models`, `Cluster`, the `API_*`/`SPEC_SHA256` constants, and `ServiceHandle` where
// the document has service-scoped operations.
pub use emitted::*;
/// The stream traits `.stream(page_size)` needs (`.next()`, `.try_collect()`, ...), so that
/// paginating needs no direct dependency on `futures-util`.
pub use futures_util::stream::{StreamExt, TryStreamExt};
/// The HTTP client the SDK runs on: its `Client`, `Certificate` and `header::HeaderMap` are part
/// of this crate's API (`ClientBuilder::http_client`, `add_root_certificate`, response headers),
/// so a major version of `reqwest` is a major version of this crate.
pub use reqwest;
pub use runtime::{
    defaults, ApiError, ApiResponse, Client, ClientBuilder, DecodeError, Error, ResponseTooLarge,
    RetryPolicy, RetrySafety, TransportError, TransportErrorKind, UnexpectedResponse, UnknownValue,
    BEARER_ENV,
};
