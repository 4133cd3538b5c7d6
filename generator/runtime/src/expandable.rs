//! [`Expandable`]: a reference to another object that the server sends as
//! its id, or as the whole object when the request asked for it (Stripe's
//! `expand[]`).
//!
//! ```
//! use apigen_runtime::{Expandable, Identified};
//!
//! #[derive(serde::Deserialize)]
//! struct Customer {
//!     id: String,
//!     email: Option<String>,
//! }
//!
//! impl Identified for Customer {
//!     fn id(&self) -> &str {
//!         &self.id
//!     }
//! }
//!
//! let plain: Expandable<Customer> = serde_json::from_str(r#""cus_1""#).unwrap();
//! assert_eq!(plain.id(), "cus_1");
//! assert!(plain.object().is_none());
//!
//! let expanded: Expandable<Customer> =
//!     serde_json::from_str(r#"{"id": "cus_1", "email": "a@example.com"}"#).unwrap();
//! assert_eq!(expanded.id(), "cus_1");
//! assert_eq!(expanded.object().and_then(|c| c.email.as_deref()), Some("a@example.com"));
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};

/// An object with an id: what an [`Expandable`] reference points at.
/// Generated types implement it for every type an expandable field can
/// hold; a type whose `id` is optional (or a union branch without one)
/// gives `""` when it has none.
pub trait Identified {
    /// The object's id.
    fn id(&self) -> &str;
}

impl<T: Identified + ?Sized> Identified for Box<T> {
    fn id(&self) -> &str {
        (**self).id()
    }
}

/// A reference that is either the id of an object or, when the request
/// expanded it, the object itself.
///
/// On the wire a JSON string is the id and a JSON object is `T` (decoded
/// with `T`'s own errors, located as usual); it serializes back the same
/// way. The object is boxed, so the reference is small whatever `T` is.
#[derive(Clone, Debug, PartialEq)]
pub enum Expandable<T> {
    /// Only the id was sent.
    Id(String),
    /// The whole object was sent.
    Object(Box<T>),
}

impl<T: Identified> Expandable<T> {
    /// The id: the one sent, or the expanded object's.
    pub fn id(&self) -> &str {
        match self {
            Expandable::Id(id) => id,
            Expandable::Object(object) => object.id(),
        }
    }
}

impl<T> Expandable<T> {
    /// The expanded object, if the server sent it.
    pub fn object(&self) -> Option<&T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(object),
        }
    }

    /// The expanded object, mutably, if the server sent it.
    pub fn object_mut(&mut self) -> Option<&mut T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(object),
        }
    }

    /// The expanded object, if the server sent it.
    pub fn into_object(self) -> Option<T> {
        match self {
            Expandable::Id(_) => None,
            Expandable::Object(object) => Some(*object),
        }
    }

    /// Whether the server sent the whole object.
    pub fn is_expanded(&self) -> bool {
        matches!(self, Expandable::Object(_))
    }

    /// The same reference with the object converted (a response type into
    /// its request counterpart, say); an id stays the id.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Expandable<U> {
        match self {
            Expandable::Id(id) => Expandable::Id(id),
            Expandable::Object(object) => Expandable::Object(Box::new(f(*object))),
        }
    }
}

impl<T> From<String> for Expandable<T> {
    fn from(id: String) -> Self {
        Expandable::Id(id)
    }
}

impl<T> From<&str> for Expandable<T> {
    fn from(id: &str) -> Self {
        Expandable::Id(id.to_owned())
    }
}

impl<T: Identified> From<T> for Expandable<T> {
    fn from(object: T) -> Self {
        Expandable::Object(Box::new(object))
    }
}

impl<T: Serialize> Serialize for Expandable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Expandable::Id(id) => serializer.serialize_str(id),
            Expandable::Object(object) => object.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Expandable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExpandableVisitor(PhantomData))
    }
}

/// Takes a string as the id and hands a map to `T`, so that a bad object
/// fails with `T`'s own error (not serde's "did not match any variant").
struct ExpandableVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ExpandableVisitor<T> {
    type Value = Expandable<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id string or an object")
    }

    fn visit_str<E: de::Error>(self, id: &str) -> Result<Self::Value, E> {
        Ok(Expandable::Id(id.to_owned()))
    }

    fn visit_string<E: de::Error>(self, id: String) -> Result<Self::Value, E> {
        Ok(Expandable::Id(id))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let object = T::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Expandable::Object(Box::new(object)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Customer {
        id: String,
        email: Option<String>,
        #[serde(flatten, serialize_with = "crate::unknown::extra")]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    impl Identified for Customer {
        fn id(&self) -> &str {
            &self.id
        }
    }

    /// Stripe's `customer | deleted_customer`, as generated: untagged.
    #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    #[serde(untagged)]
    enum CustomerOrDeleted {
        Deleted { id: String, deleted: bool },
        Customer(Customer),
    }

    impl Identified for CustomerOrDeleted {
        fn id(&self) -> &str {
            match self {
                CustomerOrDeleted::Deleted { id, .. } => id,
                CustomerOrDeleted::Customer(customer) => customer.id(),
            }
        }
    }

    #[derive(Debug, serde::Serialize, serde::Deserialize)]
    struct Charge {
        id: String,
        customer: Option<Expandable<CustomerOrDeleted>>,
        invoice: Option<Expandable<Customer>>,
    }

    fn customer(id: &str) -> Customer {
        Customer {
            id: id.into(),
            email: None,
            extra: serde_json::Map::new(),
        }
    }

    #[test]
    fn a_string_is_the_id_and_an_object_is_expanded() {
        let id: Expandable<Customer> = serde_json::from_value(json!("cus_1")).unwrap();
        assert_eq!(id, Expandable::Id("cus_1".into()));
        assert_eq!(id.id(), "cus_1");
        assert!(!id.is_expanded());
        assert_eq!(id.object(), None);
        let object: Expandable<Customer> =
            serde_json::from_value(json!({"id": "cus_2", "email": "a@b.c", "name": "A"})).unwrap();
        assert!(object.is_expanded());
        assert_eq!(object.id(), "cus_2");
        assert_eq!(object.object().unwrap().email.as_deref(), Some("a@b.c"));
        assert_eq!(object.object().unwrap().extra["name"], json!("A"));
        assert_eq!(object.into_object().unwrap().id, "cus_2");
    }

    #[test]
    fn serializes_back_to_what_was_sent() {
        for sent in [
            json!("cus_1"),
            json!({"id": "cus_2", "email": null, "name": "A"}),
        ] {
            let decoded: Expandable<Customer> = serde_json::from_value(sent.clone()).unwrap();
            assert_eq!(serde_json::to_value(&decoded).unwrap(), sent);
        }
        // What was not typed stays reported as unknown.
        let decoded: Expandable<Customer> =
            serde_json::from_value(json!({"id": "c", "email": null, "name": "A"})).unwrap();
        assert_eq!(crate::Unknown::unknown_paths(&decoded), ["/name"]);
    }

    #[test]
    fn conversions_build_either_side() {
        assert_eq!(
            Expandable::<Customer>::from("c"),
            Expandable::Id("c".into())
        );
        assert_eq!(Expandable::<Customer>::from(String::from("c")).id(), "c");
        let expanded = Expandable::from(customer("cus_3"));
        assert_eq!(expanded.id(), "cus_3");
        let mapped = expanded.map(|c| c.id.len());
        assert_eq!(mapped, Expandable::Object(Box::new(5)));
        let mut object = Expandable::from(customer("y"));
        object.object_mut().unwrap().email = Some("e".into());
        assert_eq!(object.object().unwrap().email.as_deref(), Some("e"));
    }

    #[test]
    fn a_bad_object_fails_with_its_own_error_and_location() {
        let text = r#"{"id": "ch_1", "customer": {"email": "a@b.c"}, "invoice": null}"#;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let err = serde_path_to_error::deserialize::<_, Charge>(&mut deserializer).unwrap_err();
        // The untagged union inside reports its own failure; a plain
        // struct reports the missing field, at its path.
        assert_eq!(err.path().to_string(), "customer");
        let text = r#"{"id": "ch_1", "customer": null, "invoice": {"email": 3}}"#;
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let err = serde_path_to_error::deserialize::<_, Charge>(&mut deserializer).unwrap_err();
        assert_eq!(err.path().to_string(), "invoice.email");
        assert!(
            err.inner()
                .to_string()
                .contains("invalid type: integer `3`, expected a string"),
            "{err}"
        );
        let err = serde_json::from_value::<Expandable<Customer>>(json!(12)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid type: integer `12`, expected an id string or an object"
        );
    }

    #[test]
    fn decodes_a_stripe_charge_with_and_without_expansion() {
        let charge: Charge = serde_json::from_value(json!({
            "id": "ch_3MmlLrLkdIwHu7ix0snN0B15",
            "customer": "cus_NffrFeUfNV2Hib",
            "invoice": null,
        }))
        .unwrap();
        let customer = charge.customer.as_ref().unwrap();
        assert_eq!(customer.id(), "cus_NffrFeUfNV2Hib");
        assert!(!customer.is_expanded());
        assert!(charge.invoice.is_none());

        let charge: Charge = serde_json::from_value(json!({
            "id": "ch_3MmlLrLkdIwHu7ix0snN0B15",
            "customer": {
                "id": "cus_NffrFeUfNV2Hib",
                "object": "customer",
                "email": "jenny.rosen@example.com",
                "created": 1680893993,
                "metadata": {}
            },
            "invoice": "in_1MtHbELkdIwHu7ixl4OzzPMv",
        }))
        .unwrap();
        let customer = charge.customer.as_ref().unwrap();
        assert_eq!(customer.id(), "cus_NffrFeUfNV2Hib");
        let Some(CustomerOrDeleted::Customer(full)) = customer.object() else {
            panic!("not expanded as a customer: {customer:?}")
        };
        assert_eq!(full.email.as_deref(), Some("jenny.rosen@example.com"));
        assert_eq!(charge.invoice.unwrap().id(), "in_1MtHbELkdIwHu7ixl4OzzPMv");

        let deleted: Charge = serde_json::from_value(json!({
            "id": "ch_1",
            "customer": {"id": "cus_gone", "deleted": true, "object": "customer"},
            "invoice": null,
        }))
        .unwrap();
        let customer = deleted.customer.unwrap();
        assert!(matches!(
            customer.object(),
            Some(CustomerOrDeleted::Deleted { deleted: true, .. })
        ));
        assert_eq!(customer.id(), "cus_gone");
    }
}
