//! Typing a `multipart/form-data` body. An object schema becomes a
//! request struct, as a JSON or form body's does, which the runtime sends
//! one part per property (`Call::multipart_form_body`), each part as the
//! value's type says (text, a file, or JSON) unless `encoding` declares its
//! `contentType`.
//!
//! Where the JSON type would not give the part's content, the property is
//! typed as that content, in a struct of the body's own (`{Operation}Body`;
//! a body without such properties is the ordinary request type):
//!
//! - a file (`format: binary`; in 3.1 `contentEncoding: binary` or a
//!   non-text `contentMediaType`, which `oas31` reads as `binary`) is
//!   `apigen_runtime::Bytes`, an array of files `Vec<Bytes>`;
//! - a value whose declared `contentType` is not JSON is its encoded
//!   content: an object (or any structured value) `String` for text
//!   (`text/*`, XML) and `Bytes` otherwise, a string `Bytes` for a
//!   non-text type (`image/png`).
//!
//! From `encoding`, only `contentType` is kept. `style` and `explode` apply
//! to `application/x-www-form-urlencoded` only (OpenAPI 3.0.3 and 3.1.0,
//! Encoding Object), and a part's `headers` are not sent (nothing in a
//! part's value could carry them). A body without a schema, or whose schema
//! is not an object, stays a `multipart::Form` the caller builds.

use std::collections::BTreeMap;

use super::{Dir, Lowerer};
use crate::model::{BodyKind, TypeKind, TypeRef};
use crate::normalize::Resolved;
use crate::spec::{is_json, is_text, MediaType, Schema, SchemaKind};

impl Lowerer<'_> {
    /// The Rust shape of a `multipart/form-data` body; `hint` names its
    /// type (`{hint}Body`).
    pub(super) fn multipart_body(&mut self, media: &MediaType, hint: &str) -> BodyKind {
        let Some(schema) = &media.schema else {
            return BodyKind::Multipart;
        };
        let object = match self.resolve(schema) {
            Ok(object) if matches!(object.kind, SchemaKind::Object(_)) => object,
            Ok(_) => return BodyKind::Multipart,
            Err(problem) => {
                self.problem(problem, &schema.pointer);
                return BodyKind::Multipart;
            }
        };
        let retyped = self.retyped_properties(&object, &media.content_types);
        let name = [hint, "Body"].concat();
        let ty = if retyped.is_empty() {
            self.ty(schema, &name, Dir::Write)
        } else {
            let id = self.alloc(&name, &object, object.pointer.clone());
            let mut kind = self.named_kind(&object, &name, Dir::Write);
            if let TypeKind::Struct { fields, .. } = &mut kind {
                for field in fields.iter_mut() {
                    if let Some(target) = retyped.get(&field.wire) {
                        retype(&mut field.ty, target);
                    }
                }
            }
            self.drafts[id.0].read_only = self.read_only_names(&object);
            TypeRef::Named(self.finish(id, kind))
        };
        let content_types = media
            .content_types
            .iter()
            .map(|(property, content_type)| (property.clone(), content_type.clone()))
            .collect();
        BodyKind::MultipartForm(ty, content_types)
    }

    /// The properties whose parts are not what their JSON type says, with
    /// the type they take instead (for each item of an array): files
    /// become `Bytes`; a structured value whose declared `contentType` is
    /// not JSON becomes its encoded content, `String` for text (`text/*`,
    /// XML) and `Bytes` otherwise, as does a string declared with a
    /// binary type.
    fn retyped_properties(
        &mut self,
        object: &Schema,
        content_types: &BTreeMap<String, String>,
    ) -> BTreeMap<String, TypeRef> {
        let SchemaKind::Object(object) = &object.kind else {
            return BTreeMap::new();
        };
        let mut retyped = BTreeMap::new();
        for (wire, property) in &object.properties {
            let mut item = self.resolve(property).ok().map(Resolved::into_owned);
            if let Some(SchemaKind::Array(items)) = item.as_ref().map(|s| &s.kind) {
                item = self.resolve(items).ok().map(Resolved::into_owned);
            }
            let Some(item) = item else { continue };
            let declared = content_types
                .get(wire)
                .and_then(|declared| concrete(declared))
                .filter(|declared| !is_json(declared));
            let structured = matches!(
                item.kind,
                SchemaKind::Object(_)
                    | SchemaKind::Any
                    | SchemaKind::OneOf { .. }
                    | SchemaKind::AnyOf(_)
                    | SchemaKind::AllOf(_)
            );
            let plain_string = matches!(
                &item.kind,
                SchemaKind::String { values, .. } if values.iter().all(Option::is_none)
            );
            let target = match declared {
                _ if is_binary(&item) => TypeRef::Bytes,
                Some(declared) if structured && is_textual(declared) => TypeRef::String,
                Some(declared) if (structured || plain_string) && !is_textual(declared) => {
                    TypeRef::Bytes
                }
                _ => continue,
            };
            retyped.insert(wire.clone(), target);
        }
        retyped
    }
}

/// The first media type of a declared `contentType` (a comma-separated
/// list) that names one type, not a range such as `image/*`: the one the
/// runtime sends.
fn concrete(declared: &str) -> Option<&str> {
    declared
        .split(',')
        .map(str::trim)
        .find(|media| !media.is_empty() && !media.contains('*'))
}

/// Whether a part of this media type is text (a `String`).
fn is_textual(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    is_text(media_type) || essence.ends_with("+xml")
}

/// A `string` with `format: binary` (and no `enum`).
fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.kind,
        SchemaKind::String { format: Some(format), values }
            if format == "binary" && values.iter().all(Option::is_none)
    )
}

/// The type becomes `target`, item by item inside a `Vec` or an
/// `Option`.
fn retype(ty: &mut TypeRef, target: &TypeRef) {
    match ty {
        TypeRef::Vec(inner) | TypeRef::Option(inner) => retype(inner, target),
        _ => *ty = target.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::{concrete, is_textual, retype};
    use crate::model::TypeRef;

    #[test]
    fn types_are_replaced_item_by_item() {
        let cases = [
            (TypeRef::String, TypeRef::Bytes),
            (
                TypeRef::Vec(Box::new(TypeRef::Option(Box::new(TypeRef::String)))),
                TypeRef::Vec(Box::new(TypeRef::Option(Box::new(TypeRef::Bytes)))),
            ),
            (TypeRef::Map(Box::new(TypeRef::String)), TypeRef::Bytes),
            (TypeRef::Json, TypeRef::Bytes),
        ];
        for (mut ty, expected) in cases {
            retype(&mut ty, &TypeRef::Bytes);
            assert_eq!(ty, expected);
        }
    }

    #[test]
    fn the_first_concrete_declared_type_is_sent() {
        assert_eq!(concrete("image/png, image/jpeg"), Some("image/png"));
        assert_eq!(concrete("image/*, text/plain"), Some("text/plain"));
        assert_eq!(concrete("image/*"), None);
        assert!(is_textual("application/xml; charset=utf-8"));
        assert!(is_textual("application/atom+xml"));
        assert!(!is_textual("image/png"));
    }
}
