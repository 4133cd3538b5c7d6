//! A JSON response as paging detection sees it: an array, or an object
//! whose properties may hold the items, a next cursor or a stop.

use super::normalized;
use crate::model::paging::Items;
use crate::model::{Field, Model, TypeKind, TypeRef};

/// A JSON response, as paging sees it.
pub(super) enum Response<'m> {
    /// An array of this.
    Array(&'m TypeRef),
    /// An object with these fields.
    Object(&'m [Field]),
    /// Anything else.
    Other,
}

impl<'m> Response<'m> {
    pub(super) fn of(model: &'m Model, ty: &'m TypeRef) -> Self {
        match ty {
            TypeRef::Vec(item) => Response::Array(item),
            TypeRef::Named(id) => match &model.types[id.0].kind {
                TypeKind::Struct { fields, .. } => Response::Object(fields),
                _ => Response::Other,
            },
            _ => Response::Other,
        }
    }

    /// The items: the array itself, or the one array property. `Ok(None)`
    /// when the response holds no list; an error when it holds several.
    pub(super) fn items(&self) -> Result<Option<Items>, String> {
        match self {
            Response::Array(item) => Ok(Some(Items {
                field: None,
                ty: (*item).clone(),
            })),
            Response::Object(fields) => {
                let arrays: Vec<_> = fields
                    .iter()
                    .filter(|f| matches!(f.ty, TypeRef::Vec(_)))
                    .collect();
                match arrays.as_slice() {
                    [] => Ok(None),
                    [field] => {
                        let TypeRef::Vec(item) = &field.ty else {
                            return Ok(None);
                        };
                        Ok(Some(Items {
                            field: Some((field.name.clone(), field.wire.clone(), field.presence)),
                            ty: (**item).clone(),
                        }))
                    }
                    several => {
                        let names: Vec<String> =
                            several.iter().map(|f| format!("`{}`", f.wire)).collect();
                        Err(format!(
                            "the response has several arrays ({}), so which holds the items is unclear",
                            names.join(", ")
                        ))
                    }
                }
            }
            Response::Other => Ok(None),
        }
    }

    /// The paths of the properties named (normalized) one of `names` whose
    /// type passes `accept`: at the top, and in objects one level down.
    pub(super) fn find(
        &self,
        model: &Model,
        names: &[&str],
        accept: impl Fn(&TypeRef) -> bool,
    ) -> Vec<Vec<String>> {
        let Response::Object(fields) = self else {
            return Vec::new();
        };
        let matches = |f: &Field| accept(&f.ty) && names.contains(&normalized(&f.wire).as_str());
        let mut found = Vec::new();
        for field in fields.iter() {
            if matches(field) {
                found.push(vec![field.wire.clone()]);
            }
            // `links.next` and the like are URLs, not cursors.
            if normalized(&field.wire) == "links" {
                continue;
            }
            if let TypeRef::Named(id) | TypeRef::Boxed(id) = &field.ty {
                if let TypeKind::Struct { fields: inner, .. } = &model.types[id.0].kind {
                    for nested in inner.iter().filter(|f| matches(f)) {
                        found.push(vec![field.wire.clone(), nested.wire.clone()]);
                    }
                }
            }
        }
        found
    }

    /// The one path [`find`](Self::find) finds, if exactly one.
    pub(super) fn unique(
        &self,
        model: &Model,
        names: &[&str],
        accept: impl Fn(&TypeRef) -> bool,
    ) -> Option<Vec<String>> {
        let mut found = self.find(model, names, accept);
        (found.len() == 1).then(|| found.remove(0))
    }
}
