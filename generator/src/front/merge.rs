//! Stage 2: merge the fragments into one document.
//!
//! Fragments may reference each other's components, either as
//! `other.yaml#/components/schemas/X` or as a plain `#/components/schemas/X`
//! that only resolves after merging. References into other files are rewritten
//! to local ones here, so later stages see one self-contained document.
//!
//! **Invariant:** the result does not depend on the order of the files: inputs
//! are sorted by path, every map is keyed, a component defined twice identically
//! is accepted, and one defined twice differently is an error naming both files.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::origins::Origins;
use crate::diagnostic::{join, Diagnostic, Kind};
use crate::load::SourceFile;

/// The merged document and where each part came from.
#[derive(Debug)]
pub struct Merged {
    /// One OpenAPI document with only local references.
    pub document: Value,
    /// Which file each path item and component came from, keyed by the JSON
    /// pointer of that part in the merged document.
    pub origins: Origins,
    /// Warnings of the conversion of Swagger 2.0 documents (see
    /// [`crate::front::swagger2`]), located.
    pub warnings: Vec<Diagnostic>,
}

/// Sections of `components` whose entries are merged by name.
const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
];

/// Merges files (already sorted by path) into one document.
pub fn merge(mut files: Vec<SourceFile>) -> Result<Merged, Vec<Diagnostic>> {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let (converted, warnings) = convert_swagger(&mut files)?;
    let known: Vec<PathBuf> = files.iter().map(|f| normalize_path(&f.path)).collect();
    let mut written = HashMap::new();
    for file in &mut files {
        let dir = file
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        rewrite_refs(&mut file.value, &dir, &known, None, &mut written);
    }
    let roots: Vec<Value> = files
        .iter_mut()
        .map(|f| std::mem::take(&mut f.value))
        .collect();
    let mut merger = Merger {
        files: &files,
        document: Map::new(),
        parts: BTreeMap::new(),
        paths: Map::new(),
        components: BTreeMap::new(),
        tags: BTreeMap::new(),
        errors: Vec::new(),
    };
    for (index, root) in roots.into_iter().enumerate() {
        if let Value::Object(root) = root {
            merger.add(index, root);
        }
    }
    let Merger {
        mut document,
        parts,
        paths,
        components,
        tags,
        mut errors,
        ..
    } = merger;
    let origins = Origins {
        parts,
        files,
        mounts: HashMap::new(),
        written,
        converted,
    };
    if !errors.is_empty() {
        // Lines for all of them in one walk per file (a minified document
        // with thousands of bad references is one line).
        origins.retrace(&mut errors);
        origins.add_lines(&mut errors);
        return Err(errors);
    }
    document.insert("paths".into(), Value::Object(paths));
    let mut merged_components = Map::new();
    for (section, entries) in components {
        merged_components.insert(section.to_string(), Value::Object(entries));
    }
    document.insert("components".into(), Value::Object(merged_components));
    if !tags.is_empty() {
        document.insert("tags".into(), Value::Array(tags.into_values().collect()));
    }
    Ok(Merged {
        document: Value::Object(document),
        origins,
        warnings,
    })
}

/// The document being merged, and which file gave each part.
struct Merger<'f> {
    files: &'f [SourceFile],
    document: Map<String, Value>,
    parts: BTreeMap<String, usize>,
    paths: Map<String, Value>,
    components: BTreeMap<&'static str, Map<String, Value>>,
    tags: BTreeMap<String, Value>,
    errors: Vec<Diagnostic>,
}

impl Merger<'_> {
    /// Adds the root of file `index`.
    fn add(&mut self, index: usize, root: Map<String, Value>) {
        for (key, value) in root {
            match key.as_str() {
                "paths" => {
                    let Value::Object(items) = value else {
                        let error = not_a_map(&self.files[index], "/paths", "paths", "path items");
                        self.errors.push(error);
                        continue;
                    };
                    for (path, item) in items {
                        self.path_item(index, &path, item);
                    }
                }
                "components" => self.components(index, value),
                "tags" => {
                    let Value::Array(list) = value else { continue };
                    for tag in list {
                        if let Some(name) = tag.get("name").and_then(Value::as_str) {
                            self.tags.entry(name.to_string()).or_insert(tag);
                        }
                    }
                }
                // The first file (in path order) that has them gives the
                // document-level fields; later ones must agree on `security`.
                "security" => match self.document.get(&key) {
                    Some(existing) if *existing != value => {
                        let first = self.parts["/security"];
                        let error =
                            conflict(self.files, first, index, "/security", "global security");
                        self.errors.push(error);
                    }
                    Some(_) => {}
                    None => {
                        self.document.insert(key, value);
                        self.parts.insert("/security".into(), index);
                    }
                },
                _ => {
                    self.document.entry(key).or_insert(value);
                }
            }
        }
    }

    /// Adds the `components` of file `index`: a component defined again
    /// must be the same.
    fn components(&mut self, index: usize, value: Value) {
        let Value::Object(sections) = value else {
            let error = not_a_map(&self.files[index], "/components", "components", "sections");
            self.errors.push(error);
            return;
        };
        for (section, entries) in sections {
            let Some(section) = SECTIONS.iter().find(|s| **s == section) else {
                continue;
            };
            let Value::Object(entries) = entries else {
                let pointer = join("/components", section);
                let error = not_a_map(&self.files[index], &pointer, section, "components");
                self.errors.push(error);
                continue;
            };
            let target = self.components.entry(section).or_default();
            for (name, entry) in entries {
                let pointer = join(&join("/components", section), &name);
                if is_reexport(&entry, section, &name) {
                    // `X: {$ref: 'other.yaml#/components/<section>/X'}`
                    // only makes another file's component visible here.
                    continue;
                }
                match target.get(&name) {
                    Some(existing) if *existing != entry => {
                        let first = self.parts[&pointer];
                        let error = conflict(self.files, first, index, &pointer, "component");
                        self.errors.push(error);
                    }
                    Some(_) => {}
                    None => {
                        target.insert(name, entry);
                        self.parts.insert(pointer, index);
                    }
                }
            }
        }
    }

    /// Adds path item `path` of file `index`: its entries join those other
    /// files gave, and one given again must be the same.
    fn path_item(&mut self, index: usize, path: &str, item: Value) {
        let pointer = join("/paths", path);
        let Value::Object(item) = item else {
            let error = not_a_map(&self.files[index], &pointer, path, "operations");
            self.errors.push(error);
            return;
        };
        let target = self
            .paths
            .entry(path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(target) = target else {
            return;
        };
        for (key, value) in item {
            let child = join(&pointer, &key);
            match target.get(&key) {
                Some(existing) if *existing != value => {
                    let first = self.parts.get(&child).copied().unwrap_or(index);
                    let error = conflict(self.files, first, index, &child, "path item entry");
                    self.errors.push(error);
                }
                Some(_) => {}
                None => {
                    target.insert(key, value);
                    self.parts.insert(child, index);
                }
            }
        }
    }
}

/// Converts the Swagger 2.0 documents among `files` into OpenAPI 3.0 ones
/// (see [`crate::front::swagger2`]): their traces by file index, and the
/// conversion's warnings; or the errors of the documents that cannot be
/// converted. Every location is in the 2.0 file.
#[allow(clippy::type_complexity)]
fn convert_swagger(
    files: &mut [SourceFile],
) -> Result<
    (
        HashMap<usize, crate::front::swagger2::Trace>,
        Vec<Diagnostic>,
    ),
    Vec<Diagnostic>,
> {
    let mut traces = HashMap::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    for (index, file) in files.iter_mut().enumerate() {
        if !crate::front::swagger2::is_swagger(&file.value) {
            continue;
        }
        let result = crate::front::swagger2::convert(std::mem::take(&mut file.value));
        let in_file = |mut diagnostic: Diagnostic| {
            diagnostic.location = file.location(&diagnostic.location.pointer);
            if let Some(related) = &mut diagnostic.related {
                *related = file.location(&related.pointer);
            }
            diagnostic
        };
        match result {
            Ok(converted) => {
                warnings.extend(converted.warnings.into_iter().map(in_file));
                file.value = converted.document;
                traces.insert(index, converted.trace);
            }
            Err(diagnostics) => errors.extend(diagnostics.into_iter().map(in_file)),
        }
    }
    if errors.is_empty() {
        Ok((traces, warnings))
    } else {
        errors.sort();
        Err(errors)
    }
}

fn not_a_map(file: &SourceFile, pointer: &str, key: &str, of: &str) -> Diagnostic {
    Diagnostic::error(
        Kind::NotOpenApi,
        file.location(pointer),
        format!("not a valid OpenAPI 3.0 document: `{key}` must be a map of {of}"),
    )
    .with_help("fix the value at this pointer to match the OpenAPI 3.0 specification")
}

fn conflict(
    files: &[SourceFile],
    first: usize,
    second: usize,
    pointer: &str,
    what: &str,
) -> Diagnostic {
    Diagnostic::error(
        Kind::Conflict,
        files[second].location(pointer),
        format!(
            "{what} `{pointer}` is defined differently in `{}` and `{}`",
            file_name(&files[first].path),
            file_name(&files[second].path)
        ),
    )
    .with_related(files[first].location(pointer))
    .with_help("define it once, in one fragment, and reference it from the others")
}

/// A file's name, for messages (the labels show the full path).
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Whether a component entry is only a reference to the component of the same
/// name (after rewriting, a reference to itself).
fn is_reexport(entry: &Value, section: &str, name: &str) -> bool {
    entry.as_object().is_some_and(|map| {
        map.len() == 1
            && map.get("$ref").and_then(Value::as_str)
                == Some(join(&join("#/components", section), name).as_str())
    })
}

/// Rewrites `file.yaml#/x` references to `#/x` when `file.yaml` is one of the
/// fragments, and references to other files (with or without a fragment) to
/// the file's path from the working directory, which [`crate::bundle`] loads.
pub(crate) fn rewrite_refs(
    value: &mut Value,
    dir: &Path,
    known: &[PathBuf],
    this: Option<&Path>,
    written: &mut HashMap<String, String>,
) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                let (target, fragment) = reference
                    .split_once('#')
                    .unwrap_or((reference.as_str(), ""));
                let resolved = if target.is_empty() {
                    this.map(Path::to_path_buf)
                } else {
                    Some(normalize_path(&dir.join(percent_decode(target))))
                };
                if let Some(resolved) = resolved {
                    let rewritten = if known.contains(&resolved) {
                        format!("#{fragment}")
                    } else if fragment.is_empty() {
                        resolved.display().to_string()
                    } else {
                        format!("{}#{fragment}", resolved.display())
                    };
                    if !rewritten.starts_with('#') {
                        written
                            .entry(rewritten.clone())
                            .or_insert_with(|| reference.clone());
                    }
                    *reference = rewritten;
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "$ref" {
                    rewrite_refs(child, dir, known, this, written);
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                rewrite_refs(child, dir, known, this, written);
            }
        }
        _ => {}
    }
}

/// Decodes `%XX` escapes (references are URIs).
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `.` and `..` components lexically, so `a/./b.yaml` and
/// `a/c/../b.yaml` compare equal.
pub(crate) fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}
