//! Responses: the [`RawResponse`] a decode function receives and the decoded
//! [`ApiResponse`] a call returns.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;

use crate::envelope::{Message, ResultInfo};
use crate::preview::{DebugBody, DebugHeaders};

/// A successful (2xx) response, fully read, before decoding.
///
/// `Debug` shows a bounded preview of the body and hides cookie and
/// credential headers.
#[derive(Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl RawResponse {
    /// The `Content-Type` header, if present and readable.
    pub fn content_type(&self) -> Option<String> {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    }
}

/// A decoded response: the `result` plus the envelope's `messages` and
/// `result_info` and the HTTP status and headers.
///
/// `Debug` hides cookie and credential headers.
#[derive(Clone)]
pub struct ApiResponse<T> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded result.
    pub result: T,
    /// The envelope's informational `messages` (empty without an envelope).
    pub messages: Vec<Message>,
    /// The envelope's `result_info` (pagination), if any.
    pub result_info: Option<ResultInfo>,
}

impl<T> ApiResponse<T> {
    /// A response carrying `result` with no messages or `result_info`.
    pub fn new(status: StatusCode, headers: HeaderMap, result: T) -> Self {
        ApiResponse {
            status,
            headers,
            result,
            messages: Vec::new(),
            result_info: None,
        }
    }

    /// The decoded result alone.
    pub fn into_result(self) -> T {
        self.result
    }

    /// Converts the result, keeping everything else.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ApiResponse<U> {
        ApiResponse {
            status: self.status,
            headers: self.headers,
            result: f(self.result),
            messages: self.messages,
            result_info: self.result_info,
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &DebugBody(&self.body))
            .finish()
    }
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &DebugHeaders(&self.headers))
            .field("result", &self.result)
            .field("messages", &self.messages)
            .field("result_info", &self.result_info)
            .finish()
    }
}
