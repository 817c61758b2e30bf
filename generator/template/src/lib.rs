// The crate's documentation is its README (spec/crate/README.md for the Authlete document, or
// one made from the document), so the README's examples are compiled as doctests.
#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod runtime;

#[rustfmt::skip]
mod emitted;

pub use emitted::{api, models, API_TITLE, API_VERSION, SPEC_SHA256};
pub use emitted::Cluster;
pub use runtime::{
    defaults, ApiError, ApiResponse, Client, ClientBuilder, DecodeError, Error, ResponseTooLarge, RetryPolicy,
    RetrySafety, TransportError, TransportErrorKind, UnexpectedResponse, UnknownValue, BEARER_ENV,
};
