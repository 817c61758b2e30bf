//! The hand-written part of the SDK: what is the same for every operation. Emitted code builds
//! plain request parts and calls the one non-generic [`Client::execute`]; only decoding is generic.

mod client;
mod enums;
mod error;
mod form;
mod object;
mod paginate;
mod request;
mod retry;

pub use client::{defaults, Client, ClientBuilder, BEARER_ENV};
pub use enums::UnknownValue;
pub use error::{
    ApiError, DecodeError, Error, ResponseTooLarge, RetrySafety, TransportError,
    TransportErrorKind, UnexpectedResponse,
};
pub use request::ApiResponse;
pub use retry::RetryPolicy;

// Helpers the emitted code calls. Which of them a crate uses depends on its document (one
// without enums never reads one), so an unused helper is not dead code to warn about.
#[allow(unused_imports)]
pub(crate) use enums::deserialize_enum_str;
#[allow(unused_imports)]
pub(crate) use object::{deserialize_object, Members, Object};
#[allow(unused_imports)]
pub(crate) use paginate::paginate;
#[allow(unused_imports)]
pub(crate) use request::{path_param, CallOptions, Redacted, Request, RequestBody};
