//! [`Number`]: a JSON number that keeps the form it was written in.

use std::cmp::Ordering;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

/// A JSON `number` (OpenAPI `type: number` without a format) that keeps
/// whole numbers whole.
///
/// Decoded from a response, it keeps what the server sent: `3600` stays an
/// integer and is sent back as `3600`, `3600.5` stays `3600.5`. Built by a
/// program, a whole number is sent without a decimal point, even when it
/// was written as an `f64` (`Number::from(2.0)` goes on the wire as `2`, in
/// a body and in a query string alike), since many servers parse such
/// fields as integers.
///
/// Numbers compare by value: `Number::from(2) == Number::from(2.0)`.
#[derive(Clone, Copy)]
pub struct Number(Repr);

#[derive(Clone, Copy, Debug)]
enum Repr {
    /// A non-negative integer.
    Unsigned(u64),
    /// A negative integer.
    Negative(i64),
    /// A number with a fraction or an exponent (or out of integer range).
    Float(f64),
}

impl Number {
    /// The value as an `f64` (possibly rounded, for integers beyond 2^53).
    pub fn as_f64(self) -> f64 {
        match self.0 {
            Repr::Unsigned(n) => n as f64,
            Repr::Negative(n) => n as f64,
            Repr::Float(n) => n,
        }
    }

    /// The value as an `i64`, when it is a whole number in range.
    pub fn as_i64(self) -> Option<i64> {
        match self.0 {
            Repr::Unsigned(n) => i64::try_from(n).ok(),
            Repr::Negative(n) => Some(n),
            Repr::Float(n) => whole(n).and_then(|n| match n.0 {
                Repr::Unsigned(n) => i64::try_from(n).ok(),
                Repr::Negative(n) => Some(n),
                Repr::Float(_) => None,
            }),
        }
    }

    /// The value as a `u64`, when it is a non-negative whole number in range.
    pub fn as_u64(self) -> Option<u64> {
        self.as_i64()
            .and_then(|n| u64::try_from(n).ok())
            .or(match self.0 {
                Repr::Unsigned(n) => Some(n),
                _ => None,
            })
    }

    /// Whether the value is held as an integer (it was written without a
    /// fraction or exponent, or built from a whole number).
    pub fn is_integer(self) -> bool {
        !matches!(self.0, Repr::Float(_))
    }
}

/// `value` as an integer, when it is whole and fits in `i64` or `u64`.
fn whole(value: f64) -> Option<Number> {
    if !value.is_finite() || value.fract() != 0.0 {
        return None;
    }
    // Both bounds are exact powers of two, so the comparisons are exact.
    if (0.0..18_446_744_073_709_551_616.0).contains(&value) {
        Some(Number(Repr::Unsigned(value as u64)))
    } else if (-9_223_372_036_854_775_808.0..0.0).contains(&value) {
        Some(Number(Repr::Negative(value as i64)))
    } else {
        None
    }
}

impl From<f64> for Number {
    /// A whole `f64` becomes an integer (sent without `.0`).
    fn from(value: f64) -> Self {
        whole(value).unwrap_or(Number(Repr::Float(value)))
    }
}

impl From<f32> for Number {
    fn from(value: f32) -> Self {
        Number::from(f64::from(value))
    }
}

macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(value: $t) -> Self {
                Number(Repr::Unsigned(value as u64))
            }
        }
    )*};
}
from_unsigned!(u8, u16, u32, u64, usize);

macro_rules! from_signed {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(value: $t) -> Self {
                let value = value as i64;
                match u64::try_from(value) {
                    Ok(value) => Number(Repr::Unsigned(value)),
                    Err(_) => Number(Repr::Negative(value)),
                }
            }
        }
    )*};
}
from_signed!(i8, i16, i32, i64, isize);

impl From<Number> for f64 {
    fn from(value: Number) -> Self {
        value.as_f64()
    }
}

impl Default for Number {
    fn default() -> Self {
        Number(Repr::Unsigned(0))
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self.0, other.0) {
            (Repr::Unsigned(a), Repr::Unsigned(b)) => Some(a.cmp(&b)),
            (Repr::Negative(a), Repr::Negative(b)) => Some(a.cmp(&b)),
            (Repr::Unsigned(_), Repr::Negative(_)) => Some(Ordering::Greater),
            (Repr::Negative(_), Repr::Unsigned(_)) => Some(Ordering::Less),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

macro_rules! eq_primitive {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for Number {
            fn eq(&self, other: &$t) -> bool {
                *self == Number::from(*other)
            }
        }
    )*};
}
eq_primitive!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, f32, f64);

impl fmt::Display for Number {
    /// The number as JSON writes it (`2`, `-3`, `2.5`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Repr::Unsigned(n) => fmt::Display::fmt(&n, f),
            Repr::Negative(n) => fmt::Display::fmt(&n, f),
            // serde_json's form (`1e300`, `2.0`); Rust's for NaN and infinities.
            Repr::Float(n) => match serde_json::Number::from_f64(n) {
                Some(json) => fmt::Display::fmt(&json, f),
                None => fmt::Display::fmt(&n, f),
            },
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Repr::Unsigned(n) => serializer.serialize_u64(n),
            Repr::Negative(n) => serializer.serialize_i64(n),
            Repr::Float(n) => serializer.serialize_f64(n),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;

        impl Visitor<'_> for NumberVisitor {
            type Value = Number;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number")
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Number, E> {
                Ok(Number::from(value))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Number, E> {
                Ok(Number::from(value))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Number, E> {
                // Kept as sent: `2.0` from a server goes back as `2.0`.
                Ok(Number(Repr::Float(value)))
            }
        }

        deserializer.deserialize_any(NumberVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(text: &str) -> String {
        let number: Number = serde_json::from_str(text).expect("a number");
        serde_json::to_string(&number).expect("serializes")
    }

    #[test]
    fn keeps_what_the_server_sent() {
        for text in [
            "3600",
            "0",
            "-5",
            "3600.5",
            "2.0",
            "18446744073709551615",
            "1e300",
        ] {
            assert_eq!(
                round_trip(text),
                serde_json::to_string(&serde_json::from_str::<serde_json::Value>(text).unwrap())
                    .unwrap(),
                "{text}"
            );
        }
        assert_eq!(round_trip("3600"), "3600");
        assert_eq!(round_trip("3600.5"), "3600.5");
    }

    #[test]
    fn whole_numbers_a_program_writes_go_out_without_a_fraction() {
        assert_eq!(json!(Number::from(2.0)), json!(2));
        assert_eq!(json!(Number::from(2.0)).to_string(), "2");
        assert_eq!(json!(Number::from(-7.0)).to_string(), "-7");
        assert_eq!(json!(Number::from(2.5)).to_string(), "2.5");
        assert_eq!(json!(Number::from(50_u32)).to_string(), "50");
        assert_eq!(Number::from(2.0).to_string(), "2");
        assert_eq!(Number::from(0.25).to_string(), "0.25");
        assert_eq!(
            Number::from(1e300).to_string(),
            serde_json::Number::from_f64(1e300).unwrap().to_string()
        );
    }

    #[test]
    fn compares_by_value() {
        assert_eq!(Number::from(2), Number::from(2.0));
        assert_eq!(serde_json::from_str::<Number>("2.0").unwrap(), 2);
        assert!(Number::from(-1) < Number::from(0_u8));
        assert!(Number::from(1.5) > Number::from(1));
        assert_ne!(Number::from(f64::NAN), Number::from(f64::NAN));
    }

    #[test]
    fn conversions() {
        assert_eq!(Number::from(3600.0).as_i64(), Some(3600));
        assert_eq!(Number::from(3600.5).as_i64(), None);
        assert_eq!(Number::from(-1).as_u64(), None);
        assert_eq!(Number::from(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Number::from(u64::MAX).as_i64(), None);
        assert_eq!(Number::from(7).as_f64(), 7.0);
        assert!(Number::from(7.0).is_integer());
        assert!(!serde_json::from_str::<Number>("7.0").unwrap().is_integer());
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        assert!(serde_json::from_str::<Number>("\"2\"").is_err());
        assert!(serde_json::from_str::<Number>("null").is_err());
    }
}
