//! Typing: the Rust shape of a schema. Objects become structs, string
//! enums enums, `oneOf`/`anyOf` unions (tagged when a property tells the
//! branches apart); everything else a Rust or `serde_json` type used in
//! place.

use super::place::class_of;
use super::{Dir, Lowerer, Source};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{EnumVariant, Field, IntWidth, Presence, TypeKind, TypeRef};
use crate::naming::{pascal, Namespace};
use crate::normalize::Problem;
use crate::spec::{Object, Schema, SchemaKind};

pub(super) fn option(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Json | TypeRef::Option(_) => ty,
        other => TypeRef::Option(Box::new(other)),
    }
}

/// Appends to a field's `doc` what its schema says about its values: the
/// constraints (`maxLength`, `pattern`, `minimum`, `maxItems`, ...) and the
/// examples, a sentence each, at the end of the description's last
/// paragraph (see [`crate::docs::append_sentence`]).
fn value_notes(schema: &Schema, doc: &mut Vec<String>) {
    // `true` or `false` tells a reader nothing a `bool` does not.
    let examples = (!matches!(schema.kind, SchemaKind::Boolean))
        .then(|| schema.example.iter().chain(&schema.examples))
        .into_iter()
        .flatten();
    let notes = [
        crate::docs::constraints_doc(&schema.constraints),
        crate::docs::examples_doc(examples),
    ];
    for note in notes.into_iter().flatten() {
        crate::docs::append_sentence(doc, &note);
    }
}

/// A field's type without the `Option` of a nullable schema, and how it
/// may be present: a `serde_json::Value` holds `null` itself.
pub(super) fn presence(ty: TypeRef, required: bool) -> (TypeRef, Presence) {
    let (ty, nullable) = match ty {
        TypeRef::Option(inner) => (*inner, true),
        other => (other, false),
    };
    let presence = match (required, nullable || ty == TypeRef::Json) {
        (true, false) => Presence::Required,
        (true, true) if ty == TypeRef::Json => Presence::Required,
        (true, true) => Presence::RequiredNullable,
        (false, false) => Presence::Optional,
        (false, true) if ty == TypeRef::Json => Presence::Optional,
        (false, true) => Presence::OptionalNullable,
    };
    (ty, presence)
}

/// Whether a resolved schema becomes a named type (rather than a Rust or
/// `serde_json` type used in place).
pub(super) fn makes_named(schema: &Schema) -> bool {
    match &schema.kind {
        SchemaKind::Object(object) => !object.properties.is_empty(),
        SchemaKind::String { values, .. } => values.iter().any(Option::is_some),
        SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants) => !variants.is_empty(),
        _ => false,
    }
}

impl Lowerer<'_> {
    /// A schema's doc lines: its title, a blank line, its description.
    pub(super) fn doc_of(&mut self, schema: &Schema) -> Vec<String> {
        let mut doc = Vec::new();
        if let Some(title) = &schema.title {
            doc.extend_from_slice(self.memo.doc(title));
        }
        if let Some(description) = &schema.description {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.extend_from_slice(self.memo.doc(description));
        }
        doc
    }

    /// The Rust type of `schema` (`hint` names a type made for it), on the
    /// `dir` side of the wire.
    pub(super) fn ty(&mut self, schema: &Schema, hint: &str, dir: Dir) -> TypeRef {
        let flat = self.norm.flatten(schema);
        let Some(flat) = self.normalized(flat, &schema.pointer) else {
            return TypeRef::Json;
        };
        let inner = match &flat.kind {
            SchemaKind::Ref(name) => self.component(name, dir),
            _ => self.structural(&flat, hint, dir),
        };
        if flat.nullable {
            option(inner)
        } else {
            inner
        }
    }

    pub(super) fn component(&mut self, name: &str, dir: Dir) -> TypeRef {
        let dir = if dir == Dir::Write && self.has_read_only_component(name) {
            Dir::Write
        } else {
            Dir::Read
        };
        let key = (name.to_string(), dir);
        if let Some(found) = self.components.get(&key) {
            return match found {
                TypeRef::Named(id) if self.in_progress.contains(id) => {
                    self.cyclic.insert(*id);
                    TypeRef::Boxed(*id)
                }
                other => other.clone(),
            };
        }
        let resolved = self.norm.component_flat(name);
        let at = crate::diagnostic::join("/components/schemas", name);
        let Some(resolved) = self.normalized(resolved, &at) else {
            self.components.insert(key, TypeRef::Json);
            return TypeRef::Json;
        };
        let mut preferred = self
            .component_names
            .get(name)
            .cloned()
            .unwrap_or_else(|| pascal(name));
        if dir == Dir::Write {
            preferred.push_str("Request");
        }
        if self.in_progress.len() >= crate::normalize::MAX_DEPTH {
            self.problem(
                Problem::TooDeep {
                    name: name.to_string(),
                },
                "",
            );
            return TypeRef::Json;
        }
        let ty = if makes_named(&resolved) {
            let origin = crate::diagnostic::join("/components/schemas", name);
            let id = self.alloc(&preferred, &resolved, origin);
            self.drafts[id.0].class = Some(format!("{}{:?}", class_of(name), dir));
            self.components.insert(key.clone(), TypeRef::Named(id));
            self.in_progress.insert(id);
            let kind = self.named_kind(&resolved, &preferred, dir);
            self.in_progress.remove(&id);
            match dir {
                Dir::Write => self.drafts[id.0].read_only = self.read_only_names(&resolved),
                Dir::Read if self.has_read_only_component(name) => {
                    self.drafts[id.0].source = Some(Source::Component(name.to_string()));
                }
                Dir::Read => {}
            }
            let id = self.finish(id, kind);
            TypeRef::Named(id)
        } else {
            // Guards against a component that is an array of itself.
            self.components.insert(key.clone(), TypeRef::Json);
            let mut plain = (*resolved).clone();
            plain.nullable = false;
            self.structural(&plain, &preferred, dir)
        };
        let ty = if resolved.nullable { option(ty) } else { ty };
        self.components.insert(key, ty.clone());
        ty
    }

    pub(super) fn named(&mut self, schema: &Schema, hint: &str, dir: Dir) -> TypeRef {
        let id = self.alloc(hint, schema, schema.pointer.clone());
        self.in_progress.insert(id);
        let kind = self.named_kind(schema, hint, dir);
        self.in_progress.remove(&id);
        match dir {
            Dir::Write => self.drafts[id.0].read_only = self.read_only_names(schema),
            Dir::Read if self.has_read_only(schema) => {
                self.drafts[id.0].source =
                    Some(Source::Inline(Box::new(schema.clone()), hint.to_string()));
            }
            Dir::Read => {}
        }
        TypeRef::Named(self.finish(id, kind))
    }

    pub(super) fn structural(&mut self, flat: &Schema, hint: &str, dir: Dir) -> TypeRef {
        match &flat.kind {
            SchemaKind::Ref(name) => self.component(name, dir),
            SchemaKind::Any => TypeRef::Json,
            SchemaKind::Not => {
                let location = self.locate(&flat.pointer);
                self.diagnostics.push(
                    Diagnostic::warning(
                        Kind::Fallback,
                        location,
                        "a schema that is only `not` cannot be expressed in Rust types; typed as serde_json::Value",
                    )
                    .with_help("describe what the value is rather than what it is not"),
                );
                TypeRef::Json
            }
            SchemaKind::Boolean => TypeRef::Bool,
            SchemaKind::Integer { format, .. } => {
                TypeRef::Integer(IntWidth::from_format(format.as_deref()))
            }
            SchemaKind::Number { format } => TypeRef::number(format.as_deref()),
            SchemaKind::String { values, format } => {
                if values.iter().any(Option::is_some) {
                    let ty = self.named(flat, hint, dir);
                    if values.contains(&None) {
                        option(ty)
                    } else {
                        ty
                    }
                } else {
                    TypeRef::string(format.as_deref())
                }
            }
            SchemaKind::Array(items) => {
                TypeRef::Vec(Box::new(self.ty(items, &[hint, "Item"].concat(), dir)))
            }
            SchemaKind::Object(object) if object.properties.is_empty() => {
                match &object.additional {
                    Some(values) => {
                        TypeRef::Map(Box::new(self.ty(values, &[hint, "Value"].concat(), dir)))
                    }
                    None => TypeRef::JsonObject,
                }
            }
            SchemaKind::Object(_) => self.named(flat, hint, dir),
            SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants)
                if variants.is_empty() =>
            {
                TypeRef::Json
            }
            SchemaKind::OneOf { variants, .. } | SchemaKind::AnyOf(variants) => {
                match self.expandable(flat, variants, hint, dir) {
                    Some(expandable) => expandable,
                    None => self.named(flat, hint, dir),
                }
            }
            SchemaKind::AllOf(_) => TypeRef::Json,
        }
    }

    /// The shape of a named type made for `schema` (named `name`): a struct,
    /// an enum or a union.
    pub(super) fn named_kind(&mut self, schema: &Schema, name: &str, dir: Dir) -> TypeKind {
        match &schema.kind {
            SchemaKind::Object(object) => self.object(object, name, dir),
            SchemaKind::String { values, .. } => self.string_enum(schema, values, name),
            SchemaKind::OneOf {
                variants,
                discriminator,
            } => self.union(variants, discriminator.as_deref(), name, dir),
            SchemaKind::AnyOf(variants) => self.union(variants, None, name, dir),
            _ => TypeKind::Struct {
                fields: Vec::new(),
                extra: TypeRef::Json,
            },
        }
    }

    /// A struct: a field per property (on the request side, without the
    /// `readOnly` ones), and the `extra` map for the others.
    fn object(&mut self, object: &Object, name: &str, dir: Dir) -> TypeKind {
        let mut names = Namespace::new();
        names.reserve("extra");
        let mut fields = Vec::new();
        for (wire, property) in &object.properties {
            let read_only = property.read_only || self.ref_flag(property, |s| s.read_only);
            let write_only = property.write_only || self.ref_flag(property, |s| s.write_only);
            if dir == Dir::Write && read_only {
                continue;
            }
            let required = object.required.contains(wire) && !(dir == Dir::Read && write_only);
            let hint = [name, self.memo.pascal(wire)].concat();
            let ty = self.ty(property, &hint, dir);
            let (ty, presence) = presence(ty, required);
            let (field_name, renamed) = names.claim(self.memo.snake(wire));
            if renamed {
                self.warn(
                    Kind::NameCollision,
                    &property.pointer,
                    format!("property `{wire}` becomes field `{field_name}`: its plain Rust name is taken in `{name}`"),
                );
            }
            let mut doc = self.doc_of(property);
            if let Ok(resolved) = self.resolve(property) {
                if !makes_named(&resolved) {
                    if doc.is_empty() {
                        doc = self.doc_of(&resolved);
                    }
                    value_notes(&resolved, &mut doc);
                }
            }
            fields.push(Field {
                name: field_name,
                wire: wire.clone(),
                ty,
                presence,
                doc,
                deprecated: property.deprecated,
            });
        }
        let extra = match &object.additional {
            Some(values) => self.ty(values, &[name, "Value"].concat(), dir),
            None => TypeRef::Json,
        };
        TypeKind::Struct { fields, extra }
    }

    /// A string enum: a variant per distinct value.
    fn string_enum(&mut self, schema: &Schema, values: &[Option<String>], name: &str) -> TypeKind {
        let mut names = Namespace::new();
        let mut variants = Vec::new();
        for value in values.iter().flatten() {
            if variants.iter().any(|v: &EnumVariant| v.wire == *value) {
                continue;
            }
            let (variant, renamed) = names.claim(self.memo.pascal(value));
            if renamed {
                self.warn(
                    Kind::NameCollision,
                    &schema.pointer,
                    format!("enum value `{value}` becomes variant `{variant}`: its plain Rust name is taken in `{name}`"),
                );
            }
            variants.push(EnumVariant {
                name: variant,
                wire: value.clone(),
            });
        }
        TypeKind::Enum { variants }
    }

    /// Whether a `$ref` property's target carries a flag.
    pub(super) fn ref_flag(&self, schema: &Schema, flag: impl Fn(&Schema) -> bool) -> bool {
        schema
            .reference()
            .and_then(|name| self.norm.component(name))
            .is_some_and(flag)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{components, object, string};
    use super::super::{Dir, Lowerer};
    use super::*;
    use crate::front::origins::Origins;

    fn kind_of(lowerer: &Lowerer<'_>, ty: &TypeRef) -> TypeKind {
        let TypeRef::Named(id) = ty else {
            panic!("not a named type: {ty:?}")
        };
        lowerer.drafts[id.0].kind.clone().expect("finished")
    }

    fn string_enum(at: &str, values: &[&str]) -> Schema {
        Schema::new(
            at,
            SchemaKind::String {
                format: None,
                values: values.iter().map(|v| Some(v.to_string())).collect(),
            },
        )
    }

    #[test]
    fn properties_get_their_presence_from_required_and_nullable() {
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let mut note = string("/o/note");
        note.nullable = true;
        let schema = object(
            "/o",
            vec![
                ("id", string("/o/id")),
                ("note", note),
                ("raw", Schema::new("/o/raw", SchemaKind::Any)),
            ],
            1,
        );
        let ty = lowerer.ty(&schema, "Thing", Dir::Read);
        let TypeKind::Struct { fields, extra } = kind_of(&lowerer, &ty) else {
            panic!("not a struct")
        };
        let got: Vec<(&str, &TypeRef, Presence)> = fields
            .iter()
            .map(|f| (f.name.as_str(), &f.ty, f.presence))
            .collect();
        assert_eq!(
            got,
            [
                ("id", &TypeRef::String, Presence::Required),
                ("note", &TypeRef::String, Presence::OptionalNullable),
                ("raw", &TypeRef::Json, Presence::Optional),
            ]
        );
        assert_eq!(extra, TypeRef::Json);
    }

    #[test]
    fn a_union_is_tagged_by_the_property_whose_values_differ() {
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let branch = |at: &str, kind: &str| {
            object(
                at,
                vec![
                    ("type", string_enum(&format!("{at}/type"), &[kind])),
                    ("name", string(&format!("{at}/name"))),
                ],
                1,
            )
        };
        let union = Schema::new(
            "/u",
            SchemaKind::OneOf {
                variants: vec![branch("/u/0", "a_record"), branch("/u/1", "cname")],
                discriminator: None,
            },
        );
        let ty = lowerer.ty(&union, "Record", Dir::Read);
        let TypeKind::Union { variants, tag } = kind_of(&lowerer, &ty) else {
            panic!("not a union")
        };
        assert_eq!(tag.as_deref(), Some("type"));
        let names: Vec<&str> = variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["ARecord", "Cname", "Unknown"]);
        assert_eq!(variants[1].tag_values, ["cname"]);
        assert_eq!(variants[2].ty, TypeRef::Json, "the fallback keeps anything");
    }

    #[test]
    fn a_string_enum_keeps_each_value_once_and_an_open_one_is_optional() {
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let ty = lowerer.ty(&string_enum("/e", &["on", "off", "on"]), "Mode", Dir::Read);
        let TypeKind::Enum { variants } = kind_of(&lowerer, &ty) else {
            panic!("not an enum")
        };
        let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
        assert_eq!(wires, ["on", "off"]);
        // `null` among the values: the enum is nullable.
        let mut with_null = string_enum("/n", &["on"]);
        if let SchemaKind::String { values, .. } = &mut with_null.kind {
            values.push(None);
        }
        let ty = lowerer.ty(&with_null, "Nullable", Dir::Read);
        assert!(matches!(ty, TypeRef::Option(_)), "{ty:?}");
    }

    #[test]
    fn a_lone_not_is_json_with_a_warning() {
        let spec = components(Vec::new());
        let origins = Origins::default();
        let mut lowerer = Lowerer::new(&spec, &origins);
        let ty = lowerer.ty(&Schema::new("/not", SchemaKind::Not), "X", Dir::Read);
        assert_eq!(ty, TypeRef::Json);
        assert_eq!(lowerer.diagnostics.len(), 1);
        assert_eq!(lowerer.diagnostics[0].kind, Kind::Fallback);
    }
}
