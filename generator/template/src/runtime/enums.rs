//! Support for the open enums: a value the SDK does not know is kept, not rejected.

use std::borrow::Cow;
use std::fmt;

/// A wire value that this version of the SDK has no variant for. Authlete adds values over time;
/// such a value is kept as it came and serialized back unchanged. It is opaque on purpose: match
/// on the named variants and treat `Unrecognized` as "anything else", so that a later SDK version that
/// adds the variant does not silently change what your code does.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UnknownValue(String);

impl UnknownValue {
    #[allow(dead_code)] // unused by a document without enums
    pub(crate) fn new(value: &str) -> Self {
        UnknownValue(value.to_string())
    }

    /// The value as it is on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// Reads a JSON string without copying it when the input allows.
#[allow(dead_code)] // unused by a document without enums
pub(crate) fn deserialize_enum_str<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'de, str>, D::Error> {
    deserializer.deserialize_str(CowStr("a string"))
}

/// A visitor of a string that borrows it from the input when it can (no escapes), and copies
/// it otherwise; it expects what its text says (for errors).
#[allow(dead_code)] // unused by a document without enums or structs
pub(crate) struct CowStr(pub(crate) &'static str);

impl<'de> serde::de::Visitor<'de> for CowStr {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq)]
    struct Wrapped(String);
    impl<'de> Deserialize<'de> for Wrapped {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_enum_str(d).map(|s| Wrapped(s.into_owned()))
        }
    }

    #[test]
    fn reads_borrowed_and_escaped_strings() {
        assert_eq!(
            serde_json::from_str::<Wrapped>(r#""RS256""#).unwrap(),
            Wrapped("RS256".into())
        );
        assert_eq!(
            serde_json::from_str::<Wrapped>(r#""a\"b""#).unwrap(),
            Wrapped("a\"b".into())
        );
        assert!(serde_json::from_str::<Wrapped>("1").is_err());
    }

    #[test]
    fn unknown_value_keeps_the_wire_text() {
        let v = UnknownValue::new("NEW_VALUE");
        assert_eq!(v.as_str(), "NEW_VALUE");
        assert_eq!(format!("{v:?}"), "\"NEW_VALUE\"");
    }
}
