//! Expandable references: an `anyOf`/`oneOf` of a plain id string and
//! objects that have an `id` (Stripe's `customer: "cus_.." | {customer}`,
//! expanded on request) is `apigen_runtime::Expandable<T>`, not a union of
//! its own at each use. `T` is the object's type, or with several objects
//! (`customer | deleted_customer`) one union of them, named from them and
//! shared by every reference of that shape.

use super::unions::variant_name;
use super::{Dir, Lowerer, Source};
use crate::model::{TypeKind, TypeRef};
use crate::naming::pascal;
use crate::normalize::{Normalizer, Problem, Resolved};
use crate::spec::{Schema, SchemaKind};

/// Up to this many objects, their union is named after them
/// (`CustomerOrDeletedCustomer`); a longer name would say less than the
/// field's.
const MAX_NAMED_BRANCHES: usize = 3;

/// A string that is any text: no `enum`, no date format.
fn plain_string(schema: &Schema) -> bool {
    match &schema.kind {
        SchemaKind::String { values, format } => {
            values.iter().all(Option::is_none)
                && TypeRef::string(format.as_deref()) == TypeRef::String
        }
        _ => false,
    }
}

/// An object with an `id` property that is a plain string (required or not).
fn has_id(schema: &Schema, norm: &Normalizer, found: &mut Vec<Problem>) -> bool {
    let SchemaKind::Object(object) = &schema.kind else {
        return false;
    };
    let Some(id) = object.properties.get("id") else {
        return false;
    };
    let resolved = norm.resolve_shared(id);
    found.extend(resolved.findings);
    resolved.result.is_ok_and(|id| plain_string(&id))
}

/// The branches (by index) that are the objects of an expandable
/// reference: `None` unless exactly one branch is a plain string and every
/// other one (at least one) an object with an `id`.
pub(super) fn expandable_objects(
    resolved: &[Option<Resolved<'_>>],
    norm: &Normalizer,
    found: &mut Vec<Problem>,
) -> Option<Vec<usize>> {
    let mut ids = 0;
    let mut objects = Vec::new();
    for (index, branch) in resolved.iter().enumerate() {
        let branch = branch.as_deref()?;
        if plain_string(branch) {
            ids += 1;
        } else if has_id(branch, norm, found) {
            objects.push(index);
        } else {
            return None;
        }
    }
    (ids == 1 && !objects.is_empty()).then_some(objects)
}

impl Lowerer<'_> {
    /// The type of `variants` (a union's branches) as an expandable
    /// reference, or `None` when they do not have its shape.
    pub(super) fn expandable(
        &mut self,
        flat: &Schema,
        variants: &[Schema],
        hint: &str,
        dir: Dir,
    ) -> Option<TypeRef> {
        let resolved: Vec<Option<Resolved>> =
            variants.iter().map(|v| self.resolve(v).ok()).collect();
        let mut found = Vec::new();
        let objects = expandable_objects(&resolved, &self.norm, &mut found);
        for finding in found {
            self.problem(finding, "");
        }
        let objects = objects?;
        let target = match objects[..] {
            [one] => {
                // An inline object is named as a union would name its
                // branch: by its title, after the field.
                let title = variants[one]
                    .title
                    .as_deref()
                    .or(resolved[one].as_ref().and_then(|r| r.title.as_deref()));
                let hint = match title {
                    Some(title) => [hint, &pascal(title)].concat(),
                    None => hint.to_string(),
                };
                self.ty(&variants[one], &hint, dir)
            }
            _ => {
                let names: Vec<Option<String>> = objects
                    .iter()
                    .map(|&i| self.branch_name(&variants[i], resolved[i].as_deref()))
                    .collect();
                self.objects_union(flat, variants, &objects, &names, hint, dir)
            }
        };
        match target {
            TypeRef::Named(id) | TypeRef::Boxed(id) => Some(TypeRef::Expandable(id)),
            _ => None,
        }
    }

    /// The union of an expandable reference's objects (`names` theirs):
    /// named after them (`CustomerOrDeletedCustomer`) when there are a few
    /// and each has a name of its own (a component's or a title), after the
    /// field (`hint`) otherwise, and documented the same at each
    /// use so that every reference to the same objects shares it. Its
    /// branches are never boxed to break a cycle (the reference's box does).
    fn objects_union(
        &mut self,
        flat: &Schema,
        variants: &[Schema],
        objects: &[usize],
        names: &[Option<String>],
        hint: &str,
        dir: Dir,
    ) -> TypeRef {
        let wires: Vec<String> = objects
            .iter()
            .zip(names)
            .map(|(&i, name)| match (variants[i].reference(), name) {
                (Some(wire), _) => format!("`{wire}`"),
                (None, Some(name)) => format!("`{name}`"),
                (None, None) => "an inline object".to_string(),
            })
            .collect();
        let mut union = flat.clone();
        union.nullable = false;
        union.title = None;
        union.description = Some(format!(
            "What an expandable reference holds when it is expanded: {}.",
            wires.join(" or ")
        ));
        let branches: Vec<Schema> = objects.iter().map(|&i| variants[i].clone()).collect();
        union.kind = SchemaKind::OneOf {
            variants: branches.clone(),
            discriminator: None,
        };
        let own: Option<Vec<String>> = names.iter().cloned().collect();
        let name = match own {
            Some(own) if own.len() <= MAX_NAMED_BRANCHES => own.join("Or"),
            _ => hint.to_string(),
        };
        let id = self.alloc(&name, &union, union.pointer.clone());
        self.in_progress.insert(id);
        let mut kind = self.union(&branches, None, &name, dir);
        self.in_progress.remove(&id);
        if let TypeKind::Union { variants, .. } = &mut kind {
            for variant in variants {
                if let TypeRef::Boxed(object) = variant.ty {
                    variant.ty = TypeRef::Named(object);
                }
            }
        }
        match dir {
            Dir::Write => self.drafts[id.0].read_only = self.read_only_names(&union),
            Dir::Read if self.has_read_only(&union) => {
                self.drafts[id.0].source = Some(Source::Inline(Box::new(union), name));
            }
            Dir::Read => {}
        }
        TypeRef::Named(self.finish(id, kind))
    }

    /// A branch's own name: its component's, or its title; `None` for an
    /// untitled inline object.
    fn branch_name(&self, variant: &Schema, resolved: Option<&Schema>) -> Option<String> {
        match variant.reference() {
            Some(name) => Some(
                self.component_names
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| pascal(name)),
            ),
            None => variant
                .title
                .as_deref()
                .or(resolved.and_then(|r| r.title.as_deref()))
                .and_then(|_| variant_name(variant, resolved, &[], &[])),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::lowered;
    use crate::model::{Model, TypeKind, TypeRef};

    const CHARGES: &str = r##"
openapi: 3.0.3
info: {title: Charges, version: "1"}
paths:
  /charges/{id}:
    get:
      operationId: GetCharge
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: A charge.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/charge'}
components:
  schemas:
    customer:
      type: object
      required: [id]
      properties:
        id: {type: string, maxLength: 5000}
        email: {type: string, nullable: true}
        default_card:
          anyOf:
            - {type: string}
            - $ref: '#/components/schemas/card'
    card:
      type: object
      properties:
        id: {type: string}
        customer:
          anyOf:
            - {type: string}
            - $ref: '#/components/schemas/customer'
            - $ref: '#/components/schemas/deleted_customer'
    deleted_customer:
      type: object
      required: [id, deleted]
      properties:
        id: {type: string}
        deleted: {type: boolean, enum: [true]}
    invoice:
      type: object
      properties:
        id: {type: string}
        total: {type: integer}
    charge:
      type: object
      required: [id]
      properties:
        id: {type: string}
        customer:
          anyOf:
            - {type: string, maxLength: 5000}
            - $ref: '#/components/schemas/customer'
            - $ref: '#/components/schemas/deleted_customer'
          nullable: true
        refunded_customer:
          anyOf:
            - {type: string, maxLength: 5000}
            - $ref: '#/components/schemas/customer'
            - $ref: '#/components/schemas/deleted_customer'
        invoice:
          oneOf:
            - {type: string}
            - $ref: '#/components/schemas/invoice'
        inline:
          anyOf:
            - {type: string}
            - {type: object, properties: {id: {type: string}, note: {type: string}}}
        mixed:
          anyOf:
            - $ref: '#/components/schemas/invoice'
            - {type: string}
            - {type: object, properties: {id: {type: string}, draft: {type: boolean}}}
        no_id:
          anyOf:
            - {type: string}
            - {type: object, properties: {note: {type: string}}}
        an_enum:
          anyOf:
            - {type: string, enum: [none]}
            - $ref: '#/components/schemas/customer'
        a_date:
          anyOf:
            - {type: string, format: date-time}
            - $ref: '#/components/schemas/customer'
"##;

    fn field<'m>(model: &'m Model, ty: &str, name: &str) -> &'m TypeRef {
        let def = model.types.iter().find(|t| t.name == ty).expect(ty);
        let TypeKind::Struct { fields, .. } = &def.kind else {
            panic!("{ty} is not a struct")
        };
        &fields.iter().find(|f| f.name == name).expect(name).ty
    }

    fn name(model: &Model, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Expandable(id) => format!("Expandable<{}>", model.types[id.0].name),
            TypeRef::Named(id) => model.types[id.0].name.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn an_id_string_or_objects_with_an_id_is_an_expandable_reference() {
        let (model, lowered) = lowered(CHARGES);
        assert!(lowered.diagnostics.is_empty(), "{:?}", lowered.diagnostics);
        let got = |f: &str| name(&model, field(&model, "Charge", f));
        assert_eq!(got("invoice"), "Expandable<Invoice>");
        assert_eq!(got("inline"), "Expandable<ChargeInline>");
        // An untitled inline object has no name to lend: the field's.
        assert_eq!(got("mixed"), "Expandable<ChargeMixed>");
        // Several objects: one union of them, shared by every such field.
        assert_eq!(got("customer"), "Expandable<CustomerOrDeletedCustomer>");
        assert_eq!(got("refunded_customer"), got("customer"));
        // Also where it is met inside `customer` itself (a cycle, which
        // the reference's box breaks: the union holds `Customer` by value).
        assert_eq!(
            name(&model, field(&model, "Card", "customer")),
            got("customer")
        );
        assert_eq!(
            name(&model, field(&model, "Customer", "default_card")),
            "Expandable<Card>"
        );
        let union = model
            .types
            .iter()
            .find(|t| t.name == "CustomerOrDeletedCustomer")
            .unwrap();
        let TypeKind::Union { variants, .. } = &union.kind else {
            panic!("not a union")
        };
        let branches: Vec<String> = variants.iter().map(|v| name(&model, &v.ty)).collect();
        assert_eq!(branches, ["Customer", "DeletedCustomer", "Json"]);
        assert!(variants[2].catch_all);
    }

    #[test]
    fn other_string_or_object_unions_stay_unions() {
        let (model, _) = lowered(CHARGES);
        for (field_name, union) in [
            ("no_id", "ChargeNoId"),
            ("an_enum", "ChargeAnEnum"),
            ("a_date", "ChargeADate"),
        ] {
            let ty = field(&model, "Charge", field_name);
            assert_eq!(name(&model, ty), union);
            let TypeRef::Named(id) = ty else {
                unreachable!()
            };
            assert!(
                matches!(model.types[id.0].kind, TypeKind::Union { .. }),
                "{field_name}"
            );
        }
    }
}
