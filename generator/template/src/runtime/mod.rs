//! The hand-written part of the SDK: what is the same for every operation. Emitted code builds
//! plain request parts and calls the one non-generic [`Client::execute`]; only decoding is generic.

mod client;
mod enums;
mod error;
mod form;
mod request;

pub use client::{Client, ClientBuilder};
pub use enums::UnknownValue;
pub use error::{ApiError, DecodeError, Error};
pub(crate) use enums::deserialize_enum_str;
pub(crate) use request::{path_param, Request, RequestBody};
