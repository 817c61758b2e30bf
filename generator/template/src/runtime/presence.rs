//! Fields that may be absent or `null` (optional and nullable in the document): an
//! `Option<Option<T>>`, so that a value read and written back keeps which of the two it was.

use serde::{Deserialize, Deserializer};

/// Reads a member that is present: `null` is `Some(None)`, a value `Some(Some(v))`. An absent
/// member never reaches this (`#[serde(default)]` makes it `None`).
#[allow(dead_code)] // unused by a document without optional nullable members
pub(crate) fn deserialize_present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Thing {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "super::deserialize_present"
        )]
        note: Option<Option<String>>,
    }

    #[test]
    fn absent_null_and_a_value_stay_apart_both_ways() {
        for (json, note) in [
            ("{}", None),
            (r#"{"note":null}"#, Some(None)),
            (r#"{"note":"x"}"#, Some(Some("x".to_string()))),
        ] {
            let thing: Thing = serde_json::from_str(json).unwrap();
            assert_eq!(thing, Thing { note: note.clone() }, "{json}");
            assert_eq!(serde_json::to_string(&thing).unwrap(), json);
        }
    }

    #[test]
    fn a_wrong_type_is_still_an_error() {
        assert!(serde_json::from_str::<Thing>(r#"{"note":1}"#).is_err());
    }
}
