//! The resource tree: every operation hangs on a resource derived from its
//! URL path (`client.zero_trust().gateway().configuration().get(..)`, see
//! `crate::lower::resources::place`), and its method and call type are named there.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Diagnostic;
use crate::front::origins::Origins;
use crate::lower::resources::{Overrides, Placement, Route};
use crate::lower::{report, Lowerer};
use crate::model::{AreaId, OperationDef, Resource, ResourceId, TypeRef};
use crate::naming::{pascal, Namespace};
use crate::spec::Spec;

/// The resources' accessor methods while they are named: the names taken on
/// each resource, and what took each (for the collision warnings).
struct Methods {
    taken: Vec<Namespace>,
    by: Vec<BTreeMap<String, String>>,
}

/// Where every operation hangs, decided beside the rest of lowering (see
/// [`hang`]) and applied to the lowerer by [`Lowerer::apply_tree`].
pub(crate) struct Tree {
    resources: Vec<Resource>,
    /// Each operation's resource, method name and (when it has a call type)
    /// the call type's preferred name, in `spec.operations` order.
    placed: Vec<(ResourceId, String, Option<String>)>,
    /// The name collisions found.
    diagnostics: Vec<Diagnostic>,
}

/// What naming the tree reads, and the warnings it writes.
struct Namer<'a> {
    spec: &'a Spec,
    origins: &'a Origins,
    diagnostics: Vec<Diagnostic>,
}

/// Hangs every operation (in `spec.operations` order) on the resource tree
/// and names its method (`resources::place`); a method that would collide
/// is numbered, with a warning. Names each operation's call type after its
/// method. Reads only the spec and the lowered operations, so it runs on a
/// thread of its own while the request types are found.
pub(crate) fn hang(
    spec: &Spec,
    origins: &Origins,
    operations: &[OperationDef],
    overrides: &Overrides,
) -> Tree {
    let routes: Vec<Route<'_>> = spec
        .operations
        .iter()
        .zip(operations.iter())
        .map(|(op, def)| Route {
            id: &op.id,
            method: &op.method,
            path: op.path.as_str(),
            returns_list: returns_list(&def.response.ty) || def.response.paginated,
        })
        .collect();
    let placements = crate::lower::resources::place(&routes, overrides);
    let (mut resources, index) = resource_nodes(&placements);
    let first_under = mark_areas(&mut resources, &index, &placements, operations);
    let mut namer = Namer {
        spec,
        origins,
        diagnostics: Vec::new(),
    };
    let mut methods = namer.name_accessors(&mut resources, &first_under);
    let mut placed = Vec::with_capacity(placements.len());
    for (i, placement) in placements.iter().enumerate() {
        let node = index[&placement.chain];
        let fallback = &operations[i].legacy_name;
        let name = namer.name_method(i, placement, node, &resources, &mut methods, fallback);
        let call = operations[i].params.map(|_| {
            let mut stem: Vec<&str> = resources[node]
                .chain
                .iter()
                .map(|c| crate::naming::unraw(c))
                .collect();
            stem.push(crate::naming::unraw(&name));
            format!("{}Call", pascal(&stem.join("_")))
        });
        placed.push((ResourceId(node), name, call));
    }
    Tree {
        resources,
        placed,
        diagnostics: namer.diagnostics,
    }
}

impl Lowerer<'_> {
    /// Gives each operation its resource and method name, and each call
    /// type its name, as `tree` decided; returns the resources.
    pub(crate) fn apply_tree(
        &mut self,
        tree: Tree,
        operations: &mut [OperationDef],
    ) -> Vec<Resource> {
        for (def, (resource, name, call)) in operations.iter_mut().zip(tree.placed) {
            def.resource = resource;
            if let (Some((id, _)), Some(call)) = (def.params, call) {
                self.drafts[id.0].preferred = call;
            }
            def.name = name;
        }
        self.diagnostics.extend(tree.diagnostics);
        tree.resources
    }
}

impl Namer<'_> {
    fn name_collision(&mut self, pointer: &str, message: String) {
        self.diagnostics.push(report::name_collision(
            self.origins.locate(pointer),
            message,
        ));
    }

    /// Names each resource's accessor method on its parent (child accessors
    /// are named before operations); a taken name is numbered, with a
    /// warning at the first operation under the resource.
    fn name_accessors(
        &mut self,
        resources: &mut [Resource],
        first_under: &[Option<usize>],
    ) -> Methods {
        let mut methods = Methods {
            taken: resources.iter().map(|_| Namespace::new()).collect(),
            by: vec![BTreeMap::new(); resources.len()],
        };
        for reserved in crate::naming::CLIENT_METHODS {
            methods.taken[0].reserve(reserved);
        }
        for node in 1..resources.len() {
            let parent = resources[node].parent.map_or(0, |p| p.0);
            let wanted = resources[node].method.clone();
            let (method, renamed) = methods.taken[parent].claim(&wanted);
            if renamed {
                let op = &self.spec.operations[first_under[node].unwrap_or(0)];
                let path = accessor_path(resources, parent);
                self.name_collision(
                    &op.pointer,
                    format!("resource `{path}{wanted}()` is reached by `{path}{method}()`: `{wanted}` is taken"),
                );
            }
            methods.by[parent].insert(method.clone(), format!("resource `{}`", wanted));
            resources[node].method = method;
        }
        methods
    }

    /// Names operation `i`'s method on resource `node`. A taken name
    /// yields to `by_id`, the name of its `operationId` without its area's
    /// prefix (`update_pet_with_form`), or when that is taken too is
    /// numbered: a warning says what took it.
    fn name_method(
        &mut self,
        i: usize,
        placement: &Placement,
        node: usize,
        resources: &[Resource],
        methods: &mut Methods,
        by_id: &str,
    ) -> String {
        let op = &self.spec.operations[i];
        let verb = &placement.verb;
        let collides = methods.taken[node].contains(verb);
        let wanted = if collides && !methods.taken[node].contains(by_id) {
            by_id
        } else {
            verb
        };
        let (name, _) = methods.taken[node].claim(wanted);
        if collides {
            let path = accessor_path(resources, node);
            let by = methods.by[node]
                .get(verb)
                .cloned()
                .unwrap_or_else(|| "a method of the client".to_owned());
            self.name_collision(
                &op.pointer,
                format!(
                    "operation `{}` becomes `{path}{name}()`: `{path}{verb}()` is {by}",
                    op.id
                ),
            );
        }
        methods.by[node].insert(name.clone(), format!("operation `{}`", op.id));
        name
    }
}

/// Whether a result is a list (an array, perhaps nullable).
fn returns_list(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Vec(_))
        || matches!(ty, TypeRef::Option(inner) if matches!(**inner, TypeRef::Vec(_)))
}

/// Every chain and its prefixes as resources, in sorted order (the root
/// first, a parent before its children), with accessor struct names, and
/// the index of each chain.
fn resource_nodes(placements: &[Placement]) -> (Vec<Resource>, BTreeMap<Vec<String>, usize>) {
    let mut chains: BTreeSet<Vec<String>> = BTreeSet::new();
    chains.insert(Vec::new());
    for placement in placements {
        for len in 1..=placement.chain.len() {
            chains.insert(placement.chain[..len].to_vec());
        }
    }
    let index: BTreeMap<Vec<String>, usize> = chains
        .iter()
        .enumerate()
        .map(|(i, chain)| (chain.clone(), i))
        .collect();
    let mut struct_names = Namespace::for_types();
    let resources = chains
        .iter()
        .map(|chain| {
            let plain: Vec<&str> = chain.iter().map(|c| crate::naming::unraw(c)).collect();
            Resource {
                method: chain.last().cloned().unwrap_or_default(),
                name: if chain.is_empty() {
                    String::new()
                } else {
                    struct_names.claim(&pascal(&plain.join("_"))).0
                },
                parent: (!chain.is_empty()).then(|| ResourceId(index[&chain[..chain.len() - 1]])),
                chain: chain.clone(),
                areas: Vec::new(),
            }
        })
        .collect();
    (resources, index)
}

/// Gives each resource the areas with an operation on or below it, and
/// returns the first operation under each (to point a warning at).
fn mark_areas(
    resources: &mut [Resource],
    index: &BTreeMap<Vec<String>, usize>,
    placements: &[Placement],
    operations: &[OperationDef],
) -> Vec<Option<usize>> {
    let mut first_under: Vec<Option<usize>> = vec![None; resources.len()];
    let mut node_areas: Vec<BTreeSet<AreaId>> = vec![BTreeSet::new(); resources.len()];
    for (i, placement) in placements.iter().enumerate() {
        for len in 0..=placement.chain.len() {
            let node = index[&placement.chain[..len]];
            first_under[node].get_or_insert(i);
            node_areas[node].insert(operations[i].area);
        }
    }
    for (resource, areas_of) in resources.iter_mut().zip(node_areas) {
        resource.areas = areas_of.into_iter().collect();
    }
    first_under
}

/// `client.zero_trust().gateway().`: how a resource's methods are reached.
pub(crate) fn accessor_path(resources: &[Resource], node: usize) -> String {
    let mut methods = Vec::new();
    let mut at = Some(ResourceId(node));
    while let Some(id) = at {
        if id.0 != 0 {
            methods.push(crate::naming::unraw(&resources[id.0].method));
        }
        at = resources[id.0].parent;
    }
    let mut path = "client.".to_owned();
    for method in methods.iter().rev() {
        path.push_str(method);
        path.push_str("().");
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::fixtures::{lowered, ZONES};

    #[test]
    fn operations_hang_on_resources_from_their_paths() {
        let (model, _) = lowered(ZONES);
        let chains: Vec<(Vec<&str>, &str)> = model
            .resources
            .iter()
            .map(|r| {
                (
                    r.chain.iter().map(String::as_str).collect(),
                    r.name.as_str(),
                )
            })
            .collect();
        assert_eq!(
            chains,
            [
                (vec![], ""),
                (vec!["zones"], "Zones"),
                (vec!["zones", "records"], "ZonesRecords")
            ]
        );
        let methods: Vec<(&str, usize, &str)> = model
            .operations
            .iter()
            .map(|op| (op.operation_id.as_str(), op.resource.0, op.name.as_str()))
            .collect();
        assert_eq!(
            methods,
            [
                ("records-get", 2, "get"),
                ("zones-create", 1, "create"),
                ("zones-list", 1, "list")
            ]
        );
        assert_eq!(model.resources[2].areas, [AreaId(0)]);
        assert_eq!(
            accessor_path(&model.resources, 2),
            "client.zones().records()."
        );
        assert!(returns_list(&TypeRef::Option(Box::new(TypeRef::Vec(
            Box::new(TypeRef::Bool)
        )))));
    }

    #[test]
    fn a_colliding_method_is_named_by_its_operation_id_with_a_warning() {
        let (spec, origins) = crate::lower::fixtures::spec(ZONES);
        let mut overrides = Overrides::default();
        overrides
            .operations
            .insert("zones-create".into(), "zones.list".into());
        let (model, lowered) = crate::lower::lower_with(&spec, &origins, &overrides);
        let method = |id: &str| -> &str {
            let op = model.operations.iter().find(|op| op.operation_id == id);
            &op.expect("the operation").name
        };
        // `zones-list` comes first in the spec's order (by path, then method:
        // GET before POST), so it keeps `list`; `zones-create` is named by
        // its id without the area's prefix.
        assert_eq!(
            (method("zones-list"), method("zones-create")),
            ("list", "create")
        );
        let warnings: Vec<&str> = lowered
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert!(
            warnings.contains(&"operation `zones-create` becomes `client.zones().create()`: `client.zones().list()` is operation `zones-list`"),
            "{warnings:?}"
        );
    }
}
