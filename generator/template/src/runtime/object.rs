//! Reading the models from JSON objects. Every model's `Deserialize` is one visitor (here) and
//! a `match` on its members' names (emitted): serde's derive gives each struct a field enum, a
//! sequence visitor and three identifier visitors besides, which were more than half of the
//! macro expansion when checking this crate. What it accepts is what the derive accepted for
//! these structs, but for a JSON array in place of an object (the derive read one
//! positionally; no Authlete response has one) and for an optional member that comes twice,
//! `null` first (the second is taken).

// Which of these a crate uses depends on its document: one without structs reads no object, one
// whose structs are all open skips no member.
#![allow(dead_code)]

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// A struct read from a JSON object, member by member.
pub(crate) trait Object: Sized {
    /// The struct's name, for errors ("expected struct TokenResponse").
    const NAME: &'static str;

    /// Reads every member of the object and builds the struct.
    fn read<'de, A: MapAccess<'de>>(members: Members<'de, A>) -> Result<Self, A::Error>;
}

/// `T` read from a JSON object (a model's `Deserialize::deserialize`).
pub(crate) fn deserialize_object<'de, D: Deserializer<'de>, T: Object>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(Members {
            map,
            key: Cow::Borrowed(""),
        })
    }
}

/// The members of one object, read in order: a member's name ([`Members::next_key`]), then its
/// value, into its field's slot ([`Members::value`]), kept as an additional member, or skipped.
pub(crate) struct Members<'de, A> {
    map: A,
    /// The name of the member whose value is next.
    key: Cow<'de, str>,
}

impl<'de, A: MapAccess<'de>> Members<'de, A> {
    /// The next member's name, or `None` after the last one.
    pub(crate) fn next_key(&mut self) -> Result<Option<&str>, A::Error> {
        match self.map.next_key_seed(KeySeed)? {
            Some(key) => {
                self.key = key;
                Ok(Some(&self.key))
            }
            None => Ok(None),
        }
    }

    /// The member's value, into the slot of its field; a member that comes twice is an error
    /// (`duplicate field`), as it was with serde's derive.
    pub(crate) fn value<T: Deserialize<'de>>(
        &mut self,
        slot: &mut Option<T>,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(self.duplicate());
        }
        *slot = Some(self.map.next_value()?);
        Ok(())
    }

    /// An optional member's value (`null` is `None`), into its field. A member that comes twice
    /// is an error, unless it came as `null` first.
    pub(crate) fn optional<T: Deserialize<'de>>(
        &mut self,
        field: &mut Option<T>,
    ) -> Result<(), A::Error> {
        if field.is_some() {
            return Err(self.duplicate());
        }
        *field = self.map.next_value()?;
        Ok(())
    }

    fn duplicate(&self) -> A::Error {
        de::Error::custom(format_args!("duplicate field `{}`", self.key))
    }

    /// The value of a member that is no field, kept under its name.
    pub(crate) fn additional<V: Deserialize<'de>>(
        &mut self,
        members: &mut indexmap::IndexMap<String, V>,
    ) -> Result<(), A::Error> {
        let value = self.map.next_value()?;
        members.insert(std::mem::take(&mut self.key).into_owned(), value);
        Ok(())
    }

    /// Skips the value of a member that is no field (Authlete adds members over time).
    pub(crate) fn skip(&mut self) -> Result<(), A::Error> {
        self.map.next_value::<IgnoredAny>().map(|_| ())
    }

    /// A required member's value, or the error that it is missing.
    pub(crate) fn required<T>(&self, slot: Option<T>, name: &'static str) -> Result<T, A::Error> {
        slot.ok_or_else(|| de::Error::missing_field(name))
    }
}

/// A member's name, borrowed from the input when it has no escapes.
struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(super::enums::CowStr("a member name"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    /// The shape the emitter gives a model with every kind of member: required, required and
    /// nullable, optional, optional and nullable, and the members that are no field.
    #[derive(Debug, PartialEq)]
    struct Thing {
        id: i64,
        label: Option<String>,
        note: Option<String>,
        hint: Option<Option<String>>,
        additional_properties: IndexMap<String, serde_json::Value>,
    }

    impl Object for Thing {
        const NAME: &'static str = "Thing";
        fn read<'de, A: MapAccess<'de>>(mut members: Members<'de, A>) -> Result<Self, A::Error> {
            let (mut id, mut label, mut note, mut hint) = (None, None, None, None);
            let mut additional_properties = IndexMap::new();
            while let Some(key) = members.next_key()? {
                match key {
                    "id" => members.value(&mut id)?,
                    "label" => members.value(&mut label)?,
                    "note" => members.value(&mut note)?,
                    "hint" => members.value(&mut hint)?,
                    _ => members.additional(&mut additional_properties)?,
                }
            }
            Ok(Thing {
                id: members.required(id, "id")?,
                label: label.flatten(),
                note: note.flatten(),
                hint,
                additional_properties,
            })
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_object(d)
        }
    }

    /// A model whose fields are all optional, without open members (the others are skipped):
    /// it starts as its `Default`, and each member is read into its field.
    #[derive(Debug, Default, PartialEq)]
    struct Closed {
        name: Option<String>,
        hint: Option<Option<String>>,
    }

    impl Object for Closed {
        const NAME: &'static str = "Closed";
        fn read<'de, A: MapAccess<'de>>(mut members: Members<'de, A>) -> Result<Self, A::Error> {
            let mut value = Self::default();
            loop {
                match members.next_key()? {
                    Some("name") => members.optional(&mut value.name)?,
                    Some("hint") => members.value(&mut value.hint)?,
                    Some(_) => members.skip()?,
                    None => break,
                }
            }
            Ok(value)
        }
    }

    impl<'de> Deserialize<'de> for Closed {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize_object(d)
        }
    }

    fn closed(json: &str) -> Result<Closed, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn an_all_optional_model_reads_absent_null_and_values_apart() {
        assert_eq!(closed("{}").unwrap(), Closed::default());
        let c = closed(r#"{"name":null,"hint":null}"#).unwrap();
        assert_eq!((c.name, c.hint), (None, Some(None)));
        let c = closed(r#"{"x":[1,{"y":null}],"name":"n","w":2.5,"hint":"h"}"#).unwrap();
        assert_eq!(c.name.as_deref(), Some("n"));
        assert_eq!(c.hint, Some(Some("h".to_string())));
        let error = closed(r#"{"name":"a","name":"b"}"#).unwrap_err();
        assert!(error.starts_with("duplicate field `name`"), "{error}");
        let error = closed(r#"{"hint":null,"hint":"b"}"#).unwrap_err();
        assert!(error.starts_with("duplicate field `hint`"), "{error}");
        let error = closed(r#"{"name":1}"#).unwrap_err();
        assert!(error.starts_with("invalid type: integer `1`"), "{error}");
    }

    fn thing(json: &str) -> Result<Thing, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn absent_null_and_a_value_stay_apart() {
        let t = thing(r#"{"id":1}"#).unwrap();
        assert_eq!((t.label, t.note, t.hint), (None, None, None));
        let t = thing(r#"{"id":1,"label":null,"note":null,"hint":null}"#).unwrap();
        assert_eq!((t.label, t.note, t.hint), (None, None, Some(None)));
        let t = thing(r#"{"id":1,"label":"l","note":"n","hint":"h"}"#).unwrap();
        assert_eq!(
            (t.label.as_deref(), t.note.as_deref(), t.hint),
            (Some("l"), Some("n"), Some(Some("h".to_string())))
        );
    }

    #[test]
    fn a_missing_required_member_is_an_error_that_names_it() {
        let error = thing(r#"{"label":"x"}"#).unwrap_err();
        assert!(error.starts_with("missing field `id`"), "{error}");
    }

    #[test]
    fn a_member_that_comes_twice_is_an_error_that_names_it() {
        let error = thing(r#"{"id":1,"note":"a","note":"b"}"#).unwrap_err();
        assert!(error.starts_with("duplicate field `note`"), "{error}");
        let error = thing(r#"{"id":1,"id":2}"#).unwrap_err();
        assert!(error.starts_with("duplicate field `id`"), "{error}");
    }

    #[test]
    fn members_that_are_no_field_are_kept_in_order_or_skipped() {
        let t = thing(r#"{"z":1,"id":7,"a":{"b":[true]},"m":"x"}"#).unwrap();
        assert_eq!(t.id, 7);
        let kept: Vec<_> = t.additional_properties.keys().map(String::as_str).collect();
        assert_eq!(kept, ["z", "a", "m"]);
        assert_eq!(
            t.additional_properties["a"],
            serde_json::json!({"b": [true]})
        );
    }

    #[test]
    fn escaped_names_match_like_plain_ones() {
        let t = thing(r#"{"\u0069d":3,"\"q\"":1}"#).unwrap();
        assert_eq!(t.id, 3);
        assert!(t.additional_properties.contains_key("\"q\""));
    }

    #[test]
    fn a_wrong_type_names_the_struct_or_the_member() {
        let error = thing("[1]").unwrap_err();
        assert!(error.contains("expected struct Thing"), "{error}");
        let error = thing(r#"{"id":"one"}"#).unwrap_err();
        assert!(error.contains("invalid type: string \"one\""), "{error}");
        let path = serde_path_to_error::deserialize::<_, Thing>(
            &mut serde_json::Deserializer::from_str(r#"{"id":1,"note":5}"#),
        )
        .unwrap_err();
        assert_eq!(path.path().to_string(), "note");
    }

    #[test]
    fn reads_from_a_json_value_too() {
        let value = serde_json::json!({"id": 2, "extra": "e"});
        let t: Thing = serde_json::from_value(value).unwrap();
        assert_eq!(t.id, 2);
        assert_eq!(t.additional_properties["extra"], "e");
    }
}
