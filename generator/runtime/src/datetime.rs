//! [`DateTime`] and [`Date`]: OpenAPI `date-time` and `date` strings that
//! keep the text they were sent as, and parse on demand.

use std::fmt;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// Why a [`DateTime`] or [`Date`] does not hold a valid value.
pub type ParseError = time::error::Parse;

/// A `string` with `format: date-time` (RFC 3339, such as
/// `2014-01-01T05:20:00.12345Z`).
///
/// Decoding never fails on its content: the text is kept exactly as the
/// server sent it and sent back byte for byte (five fractional digits stay
/// five, `+00:00` stays `+00:00`), and a value that is not a valid
/// timestamp is kept too. [`to_offset_date_time`](Self::to_offset_date_time)
/// parses it when asked, and reports the error then.
///
/// Values compare as text: two spellings of the same instant differ.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(String);

/// A `string` with `format: date` (RFC 3339 `full-date`, such as
/// `2014-01-01`).
///
/// Like [`DateTime`], it keeps the text it was sent as, decodes whatever
/// it holds, and parses on demand ([`to_date`](Self::to_date)).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(String);

impl DateTime {
    /// A value holding `text` as it is (checked only when parsed).
    pub fn from_text(text: impl Into<String>) -> Self {
        DateTime(text.into())
    }

    /// The text, exactly as sent or received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, exactly as sent or received.
    pub fn into_string(self) -> String {
        self.0
    }

    /// Parses the text as an RFC 3339 timestamp.
    pub fn to_offset_date_time(&self) -> Result<time::OffsetDateTime, ParseError> {
        time::OffsetDateTime::parse(&self.0, &Rfc3339)
    }

    /// Whether the text is a valid RFC 3339 timestamp.
    pub fn is_valid(&self) -> bool {
        self.to_offset_date_time().is_ok()
    }
}

impl Date {
    /// A value holding `text` as it is (checked only when parsed).
    pub fn from_text(text: impl Into<String>) -> Self {
        Date(text.into())
    }

    /// The text, exactly as sent or received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, exactly as sent or received.
    pub fn into_string(self) -> String {
        self.0
    }

    /// Parses the text as a `full-date` (`YYYY-MM-DD`).
    pub fn to_date(&self) -> Result<time::Date, ParseError> {
        time::Date::parse(&self.0, format_description!("[year]-[month]-[day]"))
    }

    /// Whether the text is a valid `full-date`.
    pub fn is_valid(&self) -> bool {
        self.to_date().is_ok()
    }
}

impl From<time::OffsetDateTime> for DateTime {
    /// Formats the instant in RFC 3339 (`2014-01-01T05:20:00.5Z`: fractional
    /// seconds only as far as needed, `Z` for UTC).
    fn from(value: time::OffsetDateTime) -> Self {
        // RFC 3339 formatting fails only for years outside 0..=9999 or
        // offsets with seconds, which RFC 3339 cannot express; keep the
        // value readable (and reported as invalid when parsed) instead.
        match value.format(&Rfc3339) {
            Ok(text) => DateTime(text),
            Err(_) => DateTime(value.to_string()),
        }
    }
}

impl From<time::Date> for Date {
    fn from(value: time::Date) -> Self {
        match value.format(format_description!("[year]-[month]-[day]")) {
            Ok(text) => Date(text),
            Err(_) => Date(value.to_string()),
        }
    }
}

macro_rules! text_value {
    ($t:ident) => {
        impl From<String> for $t {
            fn from(text: String) -> Self {
                $t(text)
            }
        }

        impl From<&str> for $t {
            fn from(text: &str) -> Self {
                $t(text.to_string())
            }
        }

        impl From<$t> for String {
            fn from(value: $t) -> Self {
                value.0
            }
        }

        impl std::ops::Deref for $t {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($t)
            }
        }
    };
}

text_value!(DateTime);
text_value!(Date);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_is_sent_back_byte_for_byte() {
        for text in [
            "2014-01-01T05:20:00.12345Z",
            "2014-01-01T05:20:00+00:00",
            "2014-01-01t05:20:00.100z",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let value: DateTime = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
            assert!(value.is_valid(), "{text}");
        }
    }

    #[test]
    fn a_timestamp_parses_on_demand() {
        let value = DateTime::from("2014-01-01T05:20:00.12345Z");
        let parsed = value.to_offset_date_time().unwrap();
        assert_eq!(parsed.unix_timestamp(), 1_388_553_600);
        assert_eq!(parsed.nanosecond(), 123_450_000);
        let back = DateTime::from(parsed);
        assert_eq!(back.as_str(), "2014-01-01T05:20:00.12345Z");
    }

    #[test]
    fn a_value_that_does_not_parse_still_decodes() {
        let value: DateTime = serde_json::from_str("\"next tuesday\"").unwrap();
        assert_eq!(value.as_str(), "next tuesday");
        assert!(value.to_offset_date_time().is_err());
        assert_eq!(serde_json::to_string(&value).unwrap(), "\"next tuesday\"");
        let date: Date = serde_json::from_str("\"2014-13-01\"").unwrap();
        assert!(date.to_date().is_err());
    }

    #[test]
    fn a_date_round_trips_and_parses() {
        let date: Date = serde_json::from_str("\"2014-01-31\"").unwrap();
        let parsed = date.to_date().unwrap();
        assert_eq!((parsed.year(), parsed.ordinal()), (2014, 31));
        assert_eq!(Date::from(parsed), date);
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2014-01-31\"");
    }

    #[test]
    fn a_non_string_is_a_decode_error() {
        assert!(serde_json::from_str::<DateTime>("12").is_err());
    }
}
