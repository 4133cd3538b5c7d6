//! Path items: the methods read, their order, and the path template
//! against the declared path parameters.

use std::collections::BTreeSet;

use crate::spec::{Parameter, ParameterLocation, PathTemplate};

/// The operations of a path item, in the order they are read.
pub(super) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Path parameters the template uses but no parameter declares, and the
/// reverse: (pointer, message, help) for each.
pub(super) fn path_parameter_problems(
    path: &PathTemplate,
    pointer: &str,
    parameters: &[Parameter],
) -> Vec<(String, String, String)> {
    let mut problems = Vec::new();
    let in_template: BTreeSet<&str> = path.params().iter().map(String::as_str).collect();
    let declared: BTreeSet<&str> = parameters
        .iter()
        .filter(|p| p.location == ParameterLocation::Path)
        .map(|p| p.name.as_str())
        .collect();
    for missing in in_template.difference(&declared) {
        problems.push((
            pointer.to_string(),
            format!("path parameter `{missing}` is used in `{path}` but not declared"),
            "declare it under `parameters` with `in: path` and `required: true`".to_string(),
        ));
    }
    for extra in declared.difference(&in_template) {
        let at = parameters
            .iter()
            .find(|p| p.location == ParameterLocation::Path && p.name == *extra)
            .map_or(pointer.to_string(), |p| p.pointer.clone());
        problems.push((
            at,
            format!("path parameter `{extra}` is declared but `{path}` does not use it"),
            format!("remove the declaration, or add `{{{extra}}}` to the path template"),
        ));
    }
    problems
}

/// Orders methods the way API references list them.
pub(crate) fn method_rank(method: &str) -> usize {
    [
        "get", "post", "put", "patch", "delete", "head", "options", "trace",
    ]
    .iter()
    .position(|m| *m == method)
    .unwrap_or(usize::MAX)
}
