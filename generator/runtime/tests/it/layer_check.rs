//! Checking a module graph against layers: shared by the runtime's layer
//! test (`layers.rs`) and the generator's (`generator/tests/it/layers.rs`
//! includes this file), which read their graphs each their own way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Which top-level modules each top-level module refers to.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// Problems with `graph` against `layers` (bottom first): a module using
/// one of its own or a later layer, a module in no layer, a layer entry
/// that names no module.
pub fn check_layers(graph: &Graph, layers: &[&[&str]]) -> Vec<String> {
    let layer_of = |module: &str| {
        layers
            .iter()
            .position(|layer| layer.contains(&module))
            .map(|index| index + 1)
    };
    let mut problems = Vec::new();
    for (module, uses) in graph {
        let Some(own) = layer_of(module) else {
            problems.push(format!("`{module}` is in no layer: add it to LAYERS"));
            continue;
        };
        for used in uses {
            if used == "*" {
                problems.push(format!(
                    "`{module}` imports the crate root with a glob, which hides what it uses"
                ));
                continue;
            }
            // A module in no layer is reported as such, once.
            if let Some(layer) = layer_of(used).filter(|layer| *layer >= own) {
                problems.push(format!(
                    "`{module}` (layer {own}) uses `{used}` (layer {layer}), which is not below it"
                ));
            }
        }
    }
    for module in layers.iter().flat_map(|layer| layer.iter()) {
        if !graph.contains_key(*module) {
            problems.push(format!(
                "`{module}` is in LAYERS but there is no such module"
            ));
        }
    }
    problems
}

/// `a -> b, c` lines.
pub fn describe(graph: &Graph) -> String {
    graph
        .iter()
        .map(|(module, uses)| {
            let uses: Vec<&str> = uses.iter().map(String::as_str).collect();
            format!("{module} -> {}\n", uses.join(", "))
        })
        .collect()
}

/// Every `.rs` file under `dir`, as `(path under root, text)`.
pub fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path.strip_prefix(root).expect("under src/");
            let name = relative.to_str().expect("a UTF-8 path").replace('\\', "/");
            out.push((name, std::fs::read_to_string(&path).expect("read a source")));
        }
    }
}

/// `(path, text)` pairs of test sources.
pub fn sources(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}
