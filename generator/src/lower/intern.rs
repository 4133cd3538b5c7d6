//! Interning: a finished type whose shape (documentation aside) equals one
//! made before becomes an alias of it, so the dozens of copies of a schema
//! in a large spec cost one type. Component schemas merge only when their
//! names agree once the namespace prefix is removed; anonymous types only
//! when their docs agree (so a merged type's name and doc fit every use).

use std::collections::BTreeSet;

use super::shared::Shared;
use super::{Draft, Lowerer};
use crate::model::{TypeId, TypeKind};
use crate::spec::Schema;

/// The kind with documentation removed: the key under which structurally
/// identical types are interned.
pub(super) fn shape_key(kind: &TypeKind) -> TypeKind {
    let mut key = kind.clone();
    match &mut key {
        TypeKind::Struct { fields, .. } => fields.iter_mut().for_each(|f| {
            f.doc.clear();
            f.deprecated = false;
        }),
        TypeKind::Params { fields } => fields.iter_mut().for_each(|f| f.field.doc.clear()),
        TypeKind::Enum { .. } | TypeKind::Union { .. } => {}
    }
    key
}

impl Lowerer<'_> {
    pub(super) fn alloc(&mut self, preferred: &str, schema: &Schema, origin: String) -> TypeId {
        let doc = self.doc_of(schema);
        let id = self.alloc_doc(preferred, doc, origin);
        self.drafts[id.0].deprecated = schema.deprecated;
        id
    }

    /// A draft documented by `doc` rather than by a schema's description.
    pub(super) fn alloc_doc(
        &mut self,
        preferred: &str,
        doc: Vec<String>,
        origin: String,
    ) -> TypeId {
        self.drafts.push(Draft {
            preferred: preferred.to_string(),
            doc,
            kind: None,
            origin,
            deprecated: false,
            redirect: None,
            class: None,
            read_only: BTreeSet::new(),
            speculative: self.speculative,
            source: None,
            requests: BTreeSet::new(),
            shared: None,
        });
        TypeId(self.drafts.len() - 1)
    }

    /// Completes a draft; if an identical type exists (and nothing refers to
    /// this one yet), the draft becomes an alias of it.
    pub(super) fn finish(&mut self, id: TypeId, kind: TypeKind) -> TypeId {
        if self.cyclic.contains(&id) || matches!(kind, TypeKind::Params { .. }) {
            self.drafts[id.0].kind = Some(kind);
            return id;
        }
        let key = shape_key(&kind);
        let class = self.drafts[id.0].class.clone();
        let candidates = self.interned.entry(key).or_default();
        let doc = &self.drafts[id.0].doc;
        let preferred = &self.drafts[id.0].preferred;
        // A speculative draft only looks for an identical request-side type;
        // it never names one.
        let speculative = self.speculative;
        let found = candidates.iter().copied().find(|existing| {
            let other = &self.drafts[existing.0];
            match (&class, &other.class) {
                // Two anonymous uses are one type only if one doc fits both
                // (`dns` and `http` logging settings of the same shape stay
                // apart, each named and documented for its own use), and
                // their names share a trailing word to name it by.
                (None, None) => {
                    other.doc == *doc
                        && (speculative
                            || match &other.shared {
                                Some(shared) => shared.admits(preferred),
                                None => {
                                    Shared::new(&other.preferred, &other.origin).admits(preferred)
                                }
                            })
                }
                (None, Some(_)) | (Some(_), None) => true,
                (Some(_), Some(_)) => other.class == class,
            }
        });
        match found {
            Some(existing) => {
                // Never sent: the union of what each copy leaves out.
                let read_only = std::mem::take(&mut self.drafts[id.0].read_only);
                self.drafts[existing.0].read_only.extend(read_only);
                let source = self.drafts[id.0].source.take();
                if self.drafts[existing.0].source.is_none() {
                    self.drafts[existing.0].source = source;
                }
                // A component's name beats a name made up from the context
                // (unless it was made only to find a request counterpart).
                if self.drafts[existing.0].class.is_none() && class.is_some() && !self.speculative {
                    let (named, anonymous) = if id.0 < existing.0 {
                        let (a, b) = self.drafts.split_at_mut(existing.0);
                        (&a[id.0], &mut b[0])
                    } else {
                        let (a, b) = self.drafts.split_at_mut(id.0);
                        (&b[0], &mut a[existing.0])
                    };
                    anonymous.preferred.clone_from(&named.preferred);
                    anonymous.origin.clone_from(&named.origin);
                    anonymous.class.clone_from(&named.class);
                    if !named.doc.is_empty() {
                        anonymous.doc.clone_from(&named.doc);
                    }
                }
                self.record_use(id, existing);
                self.drafts[id.0].redirect = Some(existing);
                existing
            }
            None => {
                candidates.push(id);
                self.drafts[id.0].kind = Some(kind);
                id
            }
        }
    }

    /// Records that `id` is a use of the anonymous type `existing` it is
    /// merged into, under the name it would have given it.
    fn record_use(&mut self, id: TypeId, existing: TypeId) {
        if self.speculative || self.drafts[existing.0].class.is_some() {
            return;
        }
        let (name, origin) = (
            self.drafts[id.0].preferred.clone(),
            self.drafts[id.0].origin.clone(),
        );
        let target = &mut self.drafts[existing.0];
        target
            .shared
            .get_or_insert_with(|| Shared::new(&target.preferred, &target.origin))
            .add(&name, &origin);
    }

    /// The type `id` stands for: itself, or the one it was merged into.
    pub(super) fn canonical(&self, mut id: TypeId) -> TypeId {
        while let Some(next) = self.drafts[id.0].redirect {
            id = next;
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{components, object, string};
    use super::super::{Dir, Lowerer};
    use crate::front::origins::Origins;
    use crate::model::TypeRef;

    #[test]
    fn identical_objects_merge_and_different_ones_stay_apart() {
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let described = |at: &str, required: usize, doc: &str| {
            let mut schema = object(at, vec![("name", string(&format!("{at}/name")))], required);
            schema.description = Some(doc.into());
            schema
        };
        let first = described("/a", 1, "Logging settings.");
        let copy = described("/b", 1, "Logging settings.");
        let optional = described("/c", 0, "Logging settings.");
        let a = lowerer.ty(&first, "ZoneLogging", Dir::Read);
        let b = lowerer.ty(&copy, "AccountLogging", Dir::Read);
        let c = lowerer.ty(&optional, "OtherLogging", Dir::Read);
        let d = lowerer.ty(&described("/d", 1, "Logging settings."), "Audit", Dir::Read);
        assert!(matches!(a, TypeRef::Named(_)), "{a:?}");
        assert_eq!(a, b, "the copy is the first type");
        assert_ne!(a, c, "an optional field is another shape");
        assert_ne!(
            a, d,
            "a copy whose name shares no word with the others stays apart"
        );
        assert_eq!(lowerer.drafts.len(), 4);
        assert_eq!(lowerer.drafts[1].redirect, Some(super::TypeId(0)));
        assert_eq!(lowerer.canonical(super::TypeId(1)), super::TypeId(0));
        assert_eq!(lowerer.drafts[2].redirect, None);
        assert_eq!(lowerer.drafts[3].redirect, None);
        let shared = lowerer.drafts[0].shared.as_ref().expect("uses recorded");
        let names: Vec<&str> = shared.uses.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["ZoneLogging", "AccountLogging"]);
    }

    #[test]
    fn anonymous_copies_with_other_docs_stay_apart() {
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let mut dns = object("/dns", vec![("log_all", string("/dns/log_all"))], 0);
        dns.description = Some("Logging settings for DNS firewall.".into());
        let mut http = object("/http", vec![("log_all", string("/http/log_all"))], 0);
        http.description = Some("Logging settings for HTTP firewall.".into());
        let a = lowerer.ty(&dns, "SettingsDns", Dir::Read);
        let b = lowerer.ty(&http, "SettingsHttp", Dir::Read);
        assert_ne!(a, b, "a type named and documented for DNS is not HTTP's");
        assert_eq!(lowerer.drafts[1].preferred, "SettingsHttp");
        assert_eq!(lowerer.drafts[1].redirect, None);
    }

    #[test]
    fn components_merge_only_when_their_names_agree_without_prefix() {
        let shape = |at: &str| object(at, vec![("enabled", string(&format!("{at}/e")))], 1);
        let spec = components(vec![
            ("dns_settings", shape("/dns")),
            ("zones_settings", shape("/zones")),
            ("zones_other", shape("/other")),
        ]);
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let dns = lowerer.component("dns_settings", Dir::Read);
        let zones = lowerer.component("zones_settings", Dir::Read);
        let other = lowerer.component("zones_other", Dir::Read);
        assert_eq!(dns, zones, "both are `settings`");
        assert_ne!(dns, other, "`other` is another concept of the same shape");
    }

    #[test]
    fn a_component_lends_its_name_to_an_identical_anonymous_type() {
        let shape = |at: &str| object(at, vec![("id", string(&format!("{at}/id")))], 1);
        let spec = components(vec![(
            "zones_zone",
            shape("/components/schemas/zones_zone"),
        )]);
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let anonymous = lowerer.ty(&shape("/paths/x"), "GetZoneResult", Dir::Read);
        let named = lowerer.component("zones_zone", Dir::Read);
        assert_eq!(anonymous, named);
        let TypeRef::Named(id) = named else {
            panic!("{named:?}")
        };
        assert_eq!(
            lowerer.drafts[id.0].preferred, "ZonesZone",
            "not `GetZoneResult`"
        );
    }
}
