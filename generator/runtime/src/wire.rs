//! [`variant_name`]: the wire text of a string enum's known values, read
//! from the enum's own `Serialize` (its `rename` and `rename_all`
//! attributes), so a generated enum states each value once.

use serde::ser::{Impossible, Serialize, Serializer};

use crate::unknown::{refuse, Failed};

/// The name serde writes for `value` when it serializes as a unit variant
/// (a known value of a generated string enum: `Class::RemovalPending` gives
/// `"removalPending"`); `None` for anything else, such as the `Unknown`
/// variant that holds the text itself.
///
/// ```
/// #[derive(serde::Serialize)]
/// #[serde(rename_all = "camelCase")]
/// enum Class {
///     RemovalPending,
///     #[serde(rename = "noBlock")]
///     NotBlocked,
///     #[serde(untagged)]
///     Unknown(String),
/// }
///
/// assert_eq!(apigen_runtime::variant_name(&Class::RemovalPending), Some("removalPending"));
/// assert_eq!(apigen_runtime::variant_name(&Class::NotBlocked), Some("noBlock"));
/// assert_eq!(apigen_runtime::variant_name(&Class::Unknown("x".into())), None);
/// ```
pub fn variant_name<T: Serialize + ?Sized>(value: &T) -> Option<&'static str> {
    value.serialize(VariantName).ok()
}

/// A serializer that accepts only a unit variant, giving its name.
struct VariantName;

/// The type every compound serializer of [`VariantName`] refuses with.
type Refused = Impossible<&'static str, Failed>;

impl Serializer for VariantName {
    type Ok = &'static str;
    type Error = Failed;
    type SerializeSeq = Refused;
    type SerializeTuple = Refused;
    type SerializeTupleStruct = Refused;
    type SerializeTupleVariant = Refused;
    type SerializeMap = Refused;
    type SerializeStruct = Refused;
    type SerializeStructVariant = Refused;

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<&'static str, Failed> {
        Ok(variant)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<&'static str, Failed> {
        Err(Failed)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, Failed> {
        Err(Failed)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<&'static str, Failed> {
        Err(Failed)
    }

    refuse! {
        serialize_bool(bool) -> &'static str;
        serialize_i8(i8) -> &'static str;
        serialize_i16(i16) -> &'static str;
        serialize_i32(i32) -> &'static str;
        serialize_i64(i64) -> &'static str;
        serialize_u8(u8) -> &'static str;
        serialize_u16(u16) -> &'static str;
        serialize_u32(u32) -> &'static str;
        serialize_u64(u64) -> &'static str;
        serialize_f32(f32) -> &'static str;
        serialize_f64(f64) -> &'static str;
        serialize_char(char) -> &'static str;
        serialize_str(&str) -> &'static str;
        serialize_bytes(&[u8]) -> &'static str;
        serialize_none() -> &'static str;
        serialize_unit() -> &'static str;
        serialize_unit_struct(&'static str) -> &'static str;
        serialize_seq(Option<usize>) -> Refused;
        serialize_tuple(usize) -> Refused;
        serialize_tuple_struct(&'static str, usize) -> Refused;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Refused;
        serialize_map(Option<usize>) -> Refused;
        serialize_struct(&'static str, usize) -> Refused;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Refused;
    }
}
