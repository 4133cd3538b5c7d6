//! `cargo xtask fuzz-seeds --out DIR`: seeds for the fuzz target. Each of the
//! `specs/` fragments, and one small document per operation of the whole
//! Cloudflare description (the operation and the components it reaches), so
//! the fuzzer starts from real shapes without paying for 4 MB per run.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{json, Map, Value};

/// Writes the seeds into `out`.
pub fn write(root: &Path, out: &Path) -> Result<usize> {
    std::fs::create_dir_all(out)?;
    let mut count = 0;
    for entry in std::fs::read_dir(root.join("specs"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path.file_name().context("file name")?;
            std::fs::copy(&path, out.join(name))?;
            count += 1;
        }
    }
    let text = std::fs::read_to_string(root.join("../shared/cloudflare/openapi.json"))?;
    let document: Value = serde_json::from_str(&text)?;
    let empty = Map::new();
    let paths = document
        .get("paths")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, operation) in item {
            let mut components = BTreeSet::new();
            collect_refs(operation, &document, &mut components);
            let mut sections: Map<String, Value> = Map::new();
            for reference in &components {
                let mut parts = reference.trim_start_matches("#/components/").splitn(2, '/');
                let (Some(section), Some(name)) = (parts.next(), parts.next()) else {
                    continue;
                };
                let name = name.replace("~1", "/").replace("~0", "~");
                if let Some(value) = document.pointer(reference.trim_start_matches('#')) {
                    let entry = sections
                        .entry(section.to_string())
                        .or_insert_with(|| json!({}));
                    if let Some(map) = entry.as_object_mut() {
                        map.insert(name, value.clone());
                    }
                }
            }
            if let Some(schemes) = document.pointer("/components/securitySchemes") {
                sections.insert("securitySchemes".into(), schemes.clone());
            }
            let seed = json!({
                "openapi": "3.0.3",
                "info": {"title": "seed", "version": "1"},
                "paths": {path.clone(): {method.clone(): operation.clone()}},
                "components": sections,
            });
            count += 1;
            std::fs::write(
                out.join(format!("cloudflare-{count:04}.json")),
                serde_json::to_string(&seed)?,
            )?;
        }
    }
    Ok(count)
}

/// Every `#/components/...` reference reachable from `value`.
fn collect_refs(value: &Value, document: &Value, seen: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if reference.starts_with("#/components/") && seen.insert(reference.clone()) {
                    if let Some(target) = document.pointer(reference.trim_start_matches('#')) {
                        collect_refs(target, document, seen);
                    }
                }
            }
            for child in map.values() {
                collect_refs(child, document, seen);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, document, seen)),
        _ => {}
    }
}
