//! Which way each type travels: sent (reachable from a request's
//! parameters or body), received (from a response, a typed error or a
//! webhook payload), or both.
//!
//! A type only received needs no `Serialize` and reads a nullable optional
//! field as one `Option` (absent and `null` alike); a type only sent needs
//! no `Deserialize`. A type neither way (a model built by hand) is taken as
//! both.

use super::{Model, Presence, TypeId, TypeKind};

/// The ways a type travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Direction {
    /// In a request: it is serialized.
    pub sent: bool,
    /// In a response: it is deserialized.
    pub received: bool,
}

impl Direction {
    /// Both ways: every derive, every state.
    pub const BOTH: Direction = Direction {
        sent: true,
        received: true,
    };

    /// Whether the type is received and never sent.
    pub fn received_only(self) -> bool {
        self.received && !self.sent
    }

    /// Whether the type is sent and never received.
    pub fn sent_only(self) -> bool {
        self.sent && !self.received
    }
}

impl Default for Direction {
    /// Both ways, the safe choice for a type nothing was found about.
    fn default() -> Self {
        Direction::BOTH
    }
}

/// Sets every type's [`Direction`] from the operations and webhooks that
/// reach it (through fields, `extra` maps, union branches, arrays and
/// maps); a type reached from neither stays [`Direction::BOTH`].
pub fn annotate(model: &mut Model) {
    let mut sent_roots = Vec::new();
    let mut received_roots = Vec::new();
    for op in &model.operations {
        op.each_request_id(&mut |id| sent_roots.push(id));
        op.response.ty.each_id(&mut |id| received_roots.push(id));
        op.errors
            .iter()
            .for_each(|e| e.ty.each_id(&mut |id| received_roots.push(id)));
    }
    for hook in &model.webhooks {
        hook.ty.each_id(&mut |id| received_roots.push(id));
    }
    let sent = reachable(model, sent_roots);
    let received = reachable(model, received_roots);
    for (index, def) in model.types.iter_mut().enumerate() {
        def.direction = match (sent[index], received[index]) {
            (false, false) => Direction::BOTH,
            (sent, received) => Direction { sent, received },
        };
    }
}

/// Marks the types reachable from `roots`.
fn reachable(model: &Model, roots: Vec<TypeId>) -> Vec<bool> {
    let mut seen = vec![false; model.types.len()];
    super::walk_reachable(roots, |id| {
        if std::mem::replace(&mut seen[id.0], true) {
            None
        } else {
            Some(&model.types[id.0].kind)
        }
    });
    seen
}

/// In every type only received, a nullable optional field becomes a plain
/// optional one: `Option<T>`, `None` for absent and `null` alike (only a
/// request needs to tell them apart, to clear a value).
pub fn collapse_received(model: &mut Model) {
    for def in &mut model.types {
        if !def.direction.received_only() {
            continue;
        }
        if let TypeKind::Struct { fields, .. } = &mut def.kind {
            for field in fields {
                if field.presence == Presence::OptionalNullable {
                    field.presence = Presence::Optional;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lower::fixtures::{lowered, type_named};
    use crate::model::{Presence, TypeKind};

    /// A body sent, a response received, an address in both, a note only
    /// in the response and a patch only in the request.
    const NOTES: &str = r##"
openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes/{id}:
    patch:
      operationId: update-note
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Patch"}
      responses:
        "200":
          description: The note.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
components:
  schemas:
    Address:
      type: object
      properties:
        city: {type: string, nullable: true}
    Patch:
      type: object
      properties:
        title: {type: string, nullable: true}
        address: {$ref: "#/components/schemas/Address"}
    Note:
      type: object
      properties:
        title: {type: string, nullable: true}
        address: {$ref: "#/components/schemas/Address"}
        tags:
          type: array
          items: {$ref: "#/components/schemas/Tag"}
    Tag:
      type: object
      properties:
        label: {type: string, nullable: true}
"##;

    fn presence(kind: &TypeKind, wire: &str) -> Presence {
        let TypeKind::Struct { fields, .. } = kind else {
            panic!("not a struct: {kind:?}");
        };
        fields
            .iter()
            .find(|f| f.wire == wire)
            .map(|f| f.presence)
            .unwrap_or_else(|| panic!("no field `{wire}`"))
    }

    #[test]
    fn types_only_received_read_null_as_absent_and_sent_ones_keep_three_states() {
        let (model, _) = lowered(NOTES);
        let patch = type_named(&model, "Patch");
        assert!(patch.direction.sent_only(), "{:?}", patch.direction);
        assert_eq!(presence(&patch.kind, "title"), Presence::OptionalNullable);
        let note = type_named(&model, "Note");
        assert!(note.direction.received_only(), "{:?}", note.direction);
        assert_eq!(presence(&note.kind, "title"), Presence::Optional);
        // Reached through an array of the response.
        let tag = type_named(&model, "Tag");
        assert!(tag.direction.received_only(), "{:?}", tag.direction);
        assert_eq!(presence(&tag.kind, "label"), Presence::Optional);
        // In both: three states, every derive.
        let address = type_named(&model, "Address");
        assert_eq!(address.direction, super::Direction::BOTH);
        assert_eq!(presence(&address.kind, "city"), Presence::OptionalNullable);
    }
}
