//! Decode functions turning a successful [`RawResponse`] into an
//! [`ApiResponse`]; a call takes one of them (see
//! [`Client::call`](crate::Client::call)).
//!
//! Non-2xx responses never reach these functions: the client turns them
//! into [`Error::Api`] first.

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::envelope::{messages_from_value, Message, ResultInfo};
use crate::error::{ApiError, DecodeError, Error};
use crate::response::{ApiResponse, RawResponse};

/// Decodes Cloudflare's envelope
/// `{"success", "errors", "messages", "result", "result_info"}`, giving the
/// `result` as `T`.
///
/// * The body must be a JSON object, else [`Error::Decode`] (with the raw
///   body and content type). An empty body decodes as a `null` result, so
///   `T = ()` or `Option<_>` accept it.
/// * `"success": false` gives [`Error::Api`] with the envelope's errors.
/// * A missing or `null` `result` decodes as JSON `null` (so `()` and
///   `Option<_>` work).
/// * A `result` that doesn't fit `T` gives [`Error::Decode`] whose `path`
///   names where, e.g. `result.settings.tls_decrypt.enabled`.
/// * `messages` and `result_info` are read leniently: malformed entries
///   never fail the call.
pub fn envelope<T: DeserializeOwned>(raw: RawResponse) -> Result<ApiResponse<T>, Error> {
    if raw.body.iter().all(u8::is_ascii_whitespace) {
        return match serde_json::from_str::<T>("null") {
            Ok(result) => Ok(ApiResponse::new(raw.status, raw.headers, result)),
            Err(_) => Err(decode_error(&raw, "", "the response body is empty")),
        };
    }
    if raw.body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(decode_error(
            &raw,
            "",
            "expected a JSON object (the response envelope)",
        ));
    }
    let envelope: RawEnvelope<'_> = match serde_json::from_slice(&raw.body) {
        Ok(envelope) => envelope,
        Err(error) => {
            return Err(decode_error(
                &raw,
                "",
                format!("the body is not a valid JSON envelope: {error}"),
            ))
        }
    };

    let errors = lenient_messages(envelope.errors);
    let messages = lenient_messages(envelope.messages);
    let success = match envelope.success {
        Some(Value::Bool(flag)) => flag,
        Some(Value::String(text)) if text.eq_ignore_ascii_case("false") => false,
        _ => errors.is_empty(),
    };
    if !success {
        return Err(ApiError {
            status: raw.status,
            headers: raw.headers,
            errors,
            messages,
            body: raw.body,
        }
        .into());
    }

    let result_text = envelope.result.map_or("null", RawValue::get);
    let mut deserializer = serde_json::Deserializer::from_str(result_text);
    let result: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(result) => result,
        Err(error) => {
            let path = join_path("result", &error.path().to_string());
            let message = without_position(error.inner());
            return Err(decode_error(&raw, path, message));
        }
    };
    let result_info = envelope
        .result_info
        .and_then(|raw_info| serde_json::from_str::<Value>(raw_info.get()).ok())
        .filter(|value| !value.is_null())
        .map(ResultInfo::from_value);

    Ok(ApiResponse {
        status: raw.status,
        headers: raw.headers,
        result,
        messages,
        result_info,
    })
}

/// Decodes the whole body as `T` (no envelope). An empty body decodes as
/// JSON `null`. A failure reports the JSON path, e.g. `items[2].name`.
pub fn json<T: DeserializeOwned>(raw: RawResponse) -> Result<ApiResponse<T>, Error> {
    let body: &[u8] = if raw.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &raw.body
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let result: T = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(result) => result,
        Err(error) => {
            let path = join_path("", &error.path().to_string());
            return Err(decode_error(&raw, path, error.inner().to_string()));
        }
    };
    // Reject trailing garbage after the document.
    if let Err(error) = deserializer.end() {
        return Err(decode_error(&raw, "", error.to_string()));
    }
    Ok(ApiResponse::new(raw.status, raw.headers, result))
}

/// Gives the body as UTF-8 text; invalid UTF-8 gives [`Error::Decode`].
pub fn text(raw: RawResponse) -> Result<ApiResponse<String>, Error> {
    match String::from_utf8(raw.body.to_vec()) {
        Ok(text) => Ok(ApiResponse::new(raw.status, raw.headers, text)),
        Err(error) => Err(decode_error(
            &raw,
            "",
            format!("the body is not valid UTF-8: {error}"),
        )),
    }
}

/// Gives the body as bytes.
pub fn bytes(raw: RawResponse) -> Result<ApiResponse<Bytes>, Error> {
    Ok(ApiResponse::new(raw.status, raw.headers, raw.body))
}

/// Ignores the body.
pub fn empty(raw: RawResponse) -> Result<ApiResponse<()>, Error> {
    Ok(ApiResponse::new(raw.status, raw.headers, ()))
}

/// The envelope with its parts left undecoded, so `result` is only decoded
/// after `success` was checked and odd `messages` can't fail the call.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(default)]
    success: Option<Value>,
    #[serde(default, borrow)]
    errors: Option<&'a RawValue>,
    #[serde(default, borrow)]
    messages: Option<&'a RawValue>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
    #[serde(default, borrow)]
    result_info: Option<&'a RawValue>,
}

/// Reads an `errors`/`messages` list, never failing.
fn lenient_messages(raw: Option<&RawValue>) -> Vec<Message> {
    raw.and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok())
        .map(messages_from_value)
        .unwrap_or_default()
}

/// Joins a prefix and a `serde_path_to_error` path (`.` means the root).
fn join_path(prefix: &str, path: &str) -> String {
    match path {
        "." | "" => prefix.to_owned(),
        _ if prefix.is_empty() => path.to_owned(),
        _ if path.starts_with('[') => format!("{prefix}{path}"),
        _ => format!("{prefix}.{path}"),
    }
}

/// A serde_json error message without its ` at line L column C` suffix,
/// which would point into the `result` fragment rather than the body.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match text.strip_suffix(&suffix) {
        Some(stripped) => stripped.to_owned(),
        None => text,
    }
}

/// A [`DecodeError`] for this response.
fn decode_error(raw: &RawResponse, path: impl Into<String>, message: impl Into<String>) -> Error {
    Error::Decode(DecodeError::new(
        raw.status,
        path,
        message,
        raw.content_type(),
        raw.body.clone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths() {
        assert_eq!(join_path("result", "."), "result");
        assert_eq!(join_path("result", "a.b"), "result.a.b");
        assert_eq!(join_path("result", "[0].a"), "result[0].a");
        assert_eq!(join_path("", "[0].a"), "[0].a");
        assert_eq!(join_path("", "."), "");
    }
}
