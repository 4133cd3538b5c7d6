//! Setting a [`Request`]'s parameters, headers and body from typed values:
//! each setter serializes and encodes its value (with the `style`, `path`,
//! `query` and `form` modules) or returns the [`Error::InvalidRequest`]
//! that explains why it can't, leaving the request as it was. `Call`'s
//! builder methods are these setters plus keeping the first error.

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

use super::style::{self, Node, ParamStyle};
use super::{form, path, query, Body, Request};
use crate::error::Error;

impl Request {
    /// Fills the `{name}` placeholder with `value` as one percent-encoded
    /// path segment.
    pub(crate) fn path_param(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let encoded = path::encode_segment(name, value).map_err(Error::InvalidRequest)?;
        self.path_params.push((name.to_owned(), encoded));
        Ok(())
    }

    /// Adds a query parameter serialized through `serde_json` (arrays
    /// repeated, objects as `deepObject`, `null` left out).
    pub(crate) fn query_param<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), Error> {
        let value = serde_json::to_value(value).map_err(|error| {
            Error::InvalidRequest(format!(
                "query parameter `{name}` could not be serialized: {error}"
            ))
        })?;
        let mut pairs = Vec::new();
        query::flatten(name, &value, &mut pairs);
        self.set_query_pairs(
            name,
            pairs
                .into_iter()
                .map(|(name, value)| query::pair(name, value)),
        );
        Ok(())
    }

    /// Fills the `{name}` placeholder with `value` serialized as `style`
    /// says; `null`, an empty segment, `.`, `..` or a line break is an
    /// error.
    pub(crate) fn path_param_styled<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Result<(), Error> {
        let node = parameter_node("path", name, value)?;
        let segment = match style::path(name, &node, style) {
            None => {
                return Err(Error::InvalidRequest(format!(
                    "path parameter `{name}` is null"
                )))
            }
            Some(segment) if matches!(segment.as_str(), "" | "." | "..") => {
                return Err(Error::InvalidRequest(format!(
                    "path parameter `{name}` is `{segment}`, which would change the request path"
                )))
            }
            Some(segment) if segment.contains("%0D") || segment.contains("%0A") => {
                return Err(Error::InvalidRequest(format!(
                    "path parameter `{name}` contains a line break (CR or LF)"
                )))
            }
            Some(segment) => segment,
        };
        self.path_params.push((name.to_owned(), segment));
        Ok(())
    }

    /// Adds a query parameter serialized as `style` says.
    pub(crate) fn query_param_styled<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Result<(), Error> {
        let node = parameter_node("query", name, value)?;
        self.set_query_pairs(name, style::pairs(name, &node, style));
        Ok(())
    }

    /// Replaces the pairs parameter `name` added before (if any) with
    /// `pairs`, where the first of them was.
    fn set_query_pairs(&mut self, name: &str, pairs: impl IntoIterator<Item = style::Pair>) {
        let at = self.query.iter().position(|(param, _)| param == name);
        self.query.retain(|(param, _)| param != name);
        let pairs = pairs.into_iter().map(|pair| (name.to_owned(), pair));
        match at {
            Some(at) => {
                let rest = self.query.split_off(at);
                self.query.extend(pairs);
                self.query.extend(rest);
            }
            None => self.query.extend(pairs),
        }
    }

    /// Adds a header parameter serialized in `simple` style; `null` is left
    /// out.
    pub(crate) fn header_param<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Result<(), Error> {
        let node = parameter_node("header", name, value)?;
        match style::header(&node, style) {
            Some(text) => self.set_header(name, &text, true),
            None => Ok(()),
        }
    }

    /// Adds a cookie parameter's pairs (values percent-encoded).
    pub(crate) fn cookie_param<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
        style: ParamStyle,
    ) -> Result<(), Error> {
        let node = parameter_node("cookie", name, value)?;
        let pairs = style::pairs(name, &node, style);
        self.cookies.retain(|(param, _)| param != name);
        self.cookies.extend(
            pairs
                .into_iter()
                .map(|pair| (name.to_owned(), pair.encoded)),
        );
        Ok(())
    }

    /// Adds a header (after any of the same name set before). An invalid
    /// name or a value with a line break is an error.
    pub(crate) fn header(&mut self, name: &str, value: &str) -> Result<(), Error> {
        self.set_header(name, value, false)
    }

    /// Adds a header, or replaces every earlier one of the same name.
    fn set_header(&mut self, name: &str, value: &str, replace: bool) -> Result<(), Error> {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            return Err(Error::InvalidRequest(format!(
                "`{name}` is not a valid header name"
            )));
        };
        let Ok(value) = HeaderValue::from_str(value) else {
            // The value isn't echoed: it might be a secret.
            return Err(Error::InvalidRequest(format!(
                "the value of header `{name}` contains characters not allowed in a header"
            )));
        };
        if replace {
            self.headers.insert(name, value);
        } else {
            self.headers.append(name, value);
        }
        Ok(())
    }

    /// Sets the idempotency key of this request; a value that can't be a
    /// header is an error.
    pub(crate) fn idempotency_key(&mut self, key: &str) -> Result<(), Error> {
        let Ok(value) = HeaderValue::from_str(key) else {
            return Err(Error::InvalidRequest(
                "the idempotency key contains characters not allowed in a header".to_owned(),
            ));
        };
        self.idempotency_key = Some(value);
        Ok(())
    }

    /// Names the header in which the operation takes an idempotency key.
    pub(crate) fn idempotency_header(&mut self, name: &str) -> Result<(), Error> {
        let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
            return Err(Error::InvalidRequest(format!(
                "`{name}` is not a valid idempotency header name"
            )));
        };
        self.idempotency_header = Some(name);
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object,
    /// each property serialized as `encoding` says (default `form`,
    /// exploded).
    pub(crate) fn form_body<B: Serialize + ?Sized>(
        &mut self,
        body: &B,
        encoding: &[(&str, ParamStyle)],
    ) -> Result<(), Error> {
        let text = Node::from_value(body)
            .and_then(|node| form::encode(&node, encoding))
            .map_err(|error| {
                Error::InvalidRequest(format!("the form body could not be serialized: {error}"))
            })?;
        self.set_body(
            Bytes::from(text),
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        Ok(())
    }

    /// Sets a JSON body.
    pub(crate) fn json_body<B: Serialize + ?Sized>(&mut self, body: &B) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            Error::InvalidRequest(format!("the request body could not be serialized: {error}"))
        })?;
        self.set_body(
            Bytes::from(bytes),
            HeaderValue::from_static("application/json"),
        );
        Ok(())
    }

    /// Sets a `multipart/form-data` body, each property of `body` one part
    /// (see `Call::multipart_form_body`), encoded at once so that it can be
    /// sent again.
    pub(crate) fn multipart_form_body<B: Serialize + ?Sized>(
        &mut self,
        body: &B,
        content_types: &[(&str, &str)],
    ) -> Result<(), Error> {
        let parts = super::multipart::parts(body, content_types).map_err(|error| {
            Error::InvalidRequest(format!(
                "the multipart body could not be serialized: {error}"
            ))
        })?;
        let boundary = super::multipart::boundary(&parts);
        let bytes = Bytes::from(super::multipart::encode(&parts, &boundary));
        let content_type = HeaderValue::from_str(&format!(
            "multipart/form-data; boundary={boundary}"
        ))
        .map_err(|_| {
            Error::InvalidRequest("the multipart boundary is not a valid header value".to_owned())
        })?;
        self.set_body(bytes, content_type);
        Ok(())
    }

    /// Sets a body with a `Content-Type` given as text.
    pub(crate) fn raw_body(&mut self, bytes: Bytes, content_type: &str) -> Result<(), Error> {
        let Ok(content_type) = HeaderValue::from_str(content_type) else {
            return Err(Error::InvalidRequest(format!(
                "`{content_type}` is not a valid Content-Type"
            )));
        };
        self.set_body(bytes, content_type);
        Ok(())
    }

    /// Sets the re-sendable body.
    fn set_body(&mut self, bytes: Bytes, content_type: HeaderValue) {
        self.body = Some(Body {
            bytes,
            content_type,
        });
    }

    /// Drops the re-sendable body (a multipart one replaces it).
    pub(crate) fn clear_body(&mut self) {
        self.body = None;
    }
}

/// A parameter's value as the style encoders read it; `place` (`path`,
/// `query`, ...) names it in the error.
fn parameter_node<V: Serialize + ?Sized>(
    place: &str,
    name: &str,
    value: &V,
) -> Result<Node, Error> {
    Node::from_value(value).map_err(|error| {
        Error::InvalidRequest(format!(
            "{place} parameter `{name}` could not be serialized: {error}"
        ))
    })
}
