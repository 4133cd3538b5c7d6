//! Stage 2b: resolve references that point anywhere but
//! `#/components/<section>/<name>`, and load the files they reach.
//!
//! A `$ref` is a URI: a JSON pointer into any part of the document
//! (`#/paths/~1pets/post/requestBody/content/application~1json/schema`,
//! `#/components/schemas/Tag/allOf/0`), or a file relative to the file that
//! holds the reference, with or without a fragment (`schemas/Pet.yaml`,
//! `../common.yaml#/Error`). [`crate::merge`] has already made references
//! between the fragments local, and turned the others into paths from the
//! working directory. This stage makes the document self-contained, so the
//! converters only ever see references of the form
//! `#/components/<section>/<name>`:
//!
//! - a reference in a schema position becomes a reference to a component
//!   schema: the target is copied to `components/schemas` under a name that
//!   says what it is (the file's name, the pointer's last name, or the
//!   enclosing schema or operation and the path inside it, as in `TagAllOf0`),
//!   and a target inside the document is replaced by a reference to the copy,
//!   so both places share one type;
//! - a component schema that is only a reference to a file takes the file's
//!   content (Redocly's `Pet: {$ref: ./schemas/Pet.yaml}`);
//! - any other reference (path item, parameter, response, request body,
//!   header, callback) is replaced by a copy of its target.
//!
//! Only positions where the OpenAPI structure allows a reference are
//! followed: a `$ref` in an example or an extension (`x-codeSamples`) is data,
//! and the files it names are not read. Copies are recorded in
//! [`Origins`], so a diagnostic inside a copy names the file, line and
//! pointer of the original. A chain of copies that comes back to itself is a
//! cycle, reported with both ends; cycles through schema references are
//! recursive types, and left to the later stages.
//!
//! **Invariant:** the result depends only on the document and the files it
//! reaches, not on the order anything was listed in: sites are visited in the
//! document's (sorted) key order, so copies are named the same every time.

mod sites;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use self::sites::{is_canonical, lookup, sites, tokens, unescape, visit, Node};
use crate::diagnostic::{join, Diagnostic, Kind};
use crate::front::origins::Origins;
use crate::load::SourceFile;
use crate::merge::{normalize_path, percent_decode, rewrite_refs};

/// A reference to inline: where it is, what the structure expects there,
/// the reference as written, and the pointer of its `$ref`.
struct Site {
    pointer: String,
    node: Node,
    written: String,
    reference: String,
}

/// What a reference points to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Target {
    /// A JSON pointer into the (merged) document.
    Doc(String),
    /// A JSON pointer into a file reached by reference, by index in
    /// [`Origins`].
    File(usize, String),
}

/// Makes `document` self-contained (see the module docs). `extra` are files
/// found in a directory that are not OpenAPI documents: they are parts
/// reached by reference, and an error when nothing reaches them.
pub fn bundle(
    document: &mut Value,
    origins: &mut Origins,
    extra: Vec<SourceFile>,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let fragments = origins.paths();
    let mut bundler = Bundler {
        origins,
        fragments,
        available: extra
            .into_iter()
            .map(|f| (normalize_path(&f.path), f))
            .collect(),
        files: HashMap::new(),
        hoisted: HashMap::new(),
        names: BTreeSet::new(),
        chains: HashMap::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        bundler.names.extend(schemas.keys().cloned());
    }
    let mut queue = sites(document);
    // Every step either resolves a site or drops it; copies add sites, and
    // the bound stops a pathological document that keeps adding them.
    let mut budget = 1_000_000usize;
    while let Some((site, node)) = queue.pop_front() {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            break;
        }
        bundler.process(document, site, node, &mut queue);
    }
    let mut unreached: Vec<SourceFile> = bundler.available.into_values().collect();
    unreached.sort_by(|a, b| a.path.cmp(&b.path));
    for file in unreached {
        if let Err(error) = crate::load::check_version(&file) {
            bundler.errors.push(error);
        }
    }
    if bundler.errors.is_empty() {
        Ok(bundler.warnings)
    } else {
        bundler.errors.append(&mut bundler.warnings);
        Err(bundler.errors)
    }
}

struct Bundler<'o> {
    origins: &'o mut Origins,
    /// The fragments' paths, normalized.
    fragments: Vec<PathBuf>,
    /// Files found in a directory, not yet reached.
    available: HashMap<PathBuf, SourceFile>,
    /// Files reached by reference: their index in `origins`, or `None` when
    /// they could not be read (reported once).
    files: HashMap<PathBuf, Option<usize>>,
    /// Targets copied to `components/schemas`, and their names.
    hoisted: HashMap<Target, String>,
    /// Names taken in `components/schemas`.
    names: BTreeSet<String>,
    /// For each copy of a non-schema target, the targets it was copied
    /// through (to find cycles).
    chains: HashMap<String, Vec<(Target, crate::Location)>>,
    errors: Vec<Diagnostic>,
    /// Mistakes read the way they were clearly meant.
    warnings: Vec<Diagnostic>,
}

impl Bundler<'_> {
    /// A schema reference to Swagger 2.0's place, `#/definitions/X`, in a
    /// document that has no `definitions` but a `components/schemas/X`:
    /// read as a reference to that schema, with a warning. Whether it was.
    fn swagger_definition(&mut self, document: &mut Value, reference: &str, site: &str) -> bool {
        let Some(name) = reference
            .strip_prefix("#/definitions/")
            .filter(|name| !name.contains('/'))
        else {
            return false;
        };
        let canonical = format!("#/components/schemas/{name}");
        let exists = document
            .pointer(&format!("/components/schemas/{name}"))
            .is_some();
        let Some(Value::Object(site_map)) = document.pointer_mut(site).filter(|_| exists) else {
            return false;
        };
        site_map.insert("$ref".into(), Value::String(canonical.clone()));
        let location = self.origins.locate(&join(site, "$ref"));
        self.warnings.push(
            Diagnostic::warning(
                Kind::BadReference,
                location,
                format!("`$ref: {reference}` points to Swagger 2.0's `definitions`, which this document does not have; read as `{canonical}`"),
            )
            .with_help(format!("write `$ref: '{canonical}'`")),
        );
        true
    }

    fn error(&mut self, pointer: &str, message: String, help: &str) {
        let location = self.origins.locate(pointer);
        self.errors
            .push(Diagnostic::error(Kind::BadReference, location, message).with_help(help));
    }

    fn process(
        &mut self,
        document: &mut Value,
        pointer: String,
        node: Node,
        queue: &mut VecDeque<(String, Node)>,
    ) {
        let Some(site) = document.pointer(&pointer) else {
            return;
        };
        let Some(reference) = site.get("$ref").and_then(Value::as_str) else {
            return;
        };
        if node != Node::PathItem && is_canonical(reference) {
            return;
        }
        let reference = reference.to_string();
        let written = self
            .origins
            .written
            .get(&reference)
            .cloned()
            .unwrap_or_else(|| reference.clone());
        let ref_pointer = join(&pointer, "$ref");
        let Some(target) = self.target(&reference, &written, &ref_pointer) else {
            return;
        };
        let Some(value) = self.lookup(document, &target) else {
            if node == Node::Schema && self.swagger_definition(document, &reference, &pointer) {
                return;
            }
            self.error(
                &ref_pointer,
                format!("`$ref: {written}` does not point to anything"),
                "check the pointer: every part of it must name a key (or index) that exists",
            );
            return;
        };
        if node == Node::Schema {
            self.schema_site(document, &pointer, target, value, queue);
        } else {
            let site = Site {
                pointer,
                node,
                written,
                reference: ref_pointer,
            };
            self.inline_site(document, site, target, value, queue);
        }
    }

    /// A reference in a schema position: the target becomes (or already
    /// is) a component schema, and the site refers to it.
    fn schema_site(
        &mut self,
        document: &mut Value,
        pointer: &str,
        target: Target,
        value: Value,
        queue: &mut VecDeque<(String, Node)>,
    ) {
        let name = match self.hoisted.get(&target) {
            Some(name) => name.clone(),
            None => {
                let only_ref = document
                    .pointer(pointer)
                    .and_then(Value::as_object)
                    .is_some_and(|m| m.len() == 1);
                if let Some(name) = component_schema(pointer).filter(|_| only_ref) {
                    // The component is the target: it takes its content.
                    self.hoisted.insert(target.clone(), name.clone());
                    if let Some(slot) = document.pointer_mut(pointer) {
                        *slot = value;
                    }
                    self.mount(pointer, &target);
                    self.replace_original(document, &target, &name, pointer);
                    visit(document, pointer, Node::Schema, queue);
                    return;
                }
                self.hoist(document, &target, value, queue)
            }
        };
        if let Some(Value::Object(site)) = document.pointer_mut(pointer) {
            site.insert(
                "$ref".into(),
                Value::String(join("#/components/schemas", &name)),
            );
        }
    }

    /// Any other reference: the site becomes a copy of its target (a
    /// chain of them that comes back is a cycle).
    fn inline_site(
        &mut self,
        document: &mut Value,
        site: Site,
        target: Target,
        value: Value,
        queue: &mut VecDeque<(String, Node)>,
    ) {
        let Site {
            pointer,
            node,
            written,
            reference: ref_pointer,
        } = site;
        let mut chain = self.chain(&pointer);
        let location = self.origins.locate(&ref_pointer);
        if let Some((_, start)) = chain
            .first()
            .filter(|_| chain.iter().any(|(t, _)| *t == target))
        {
            self.errors.push(
                Diagnostic::error(
                    Kind::BadReference,
                    location,
                    format!("`$ref: {written}` leads back to where this chain of references began: a cycle"),
                )
                .with_related(start.clone())
                .with_help("make the chain of references end at a definition"),
            );
            return;
        }
        let mut value = value;
        // A reference's `summary` and `description` override the target's.
        if let (Some(Value::Object(site)), Value::Object(copy)) = (
            document.pointer(&pointer).filter(|s| s.is_object()),
            &mut value,
        ) {
            for key in ["summary", "description"] {
                if let Some(text) = site.get(key) {
                    copy.insert(key.into(), text.clone());
                }
            }
        }
        if let Some(slot) = document.pointer_mut(&pointer) {
            *slot = value;
        }
        chain.push((target.clone(), location));
        self.chains.insert(pointer.clone(), chain);
        self.mount(&pointer, &target);
        visit(document, &pointer, node, queue);
    }

    /// Copies a schema target to `components/schemas`; returns its name.
    fn hoist(
        &mut self,
        document: &mut Value,
        target: &Target,
        value: Value,
        queue: &mut VecDeque<(String, Node)>,
    ) -> String {
        let name = self.fresh_name(document, target);
        self.names.insert(name.clone());
        self.hoisted.insert(target.clone(), name.clone());
        let Some(root) = document.as_object_mut() else {
            return name;
        };
        let components = root
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            return name;
        }
        let schemas = components
            .as_object_mut()
            .map(|c| {
                c.entry("schemas")
                    .or_insert_with(|| Value::Object(Map::new()))
            })
            .and_then(Value::as_object_mut);
        let Some(schemas) = schemas else {
            return name;
        };
        schemas.insert(name.clone(), value);
        let pointer = join("/components/schemas", &name);
        self.mount(&pointer, target);
        self.replace_original(document, target, &name, &pointer);
        visit(document, &pointer, Node::Schema, queue);
        name
    }

    /// Replaces a schema inside the document that was copied to a component
    /// by a reference to the copy, so that both share one type.
    fn replace_original(&mut self, document: &mut Value, target: &Target, name: &str, copy: &str) {
        let Target::Doc(at) = target else { return };
        if at.is_empty()
            || at == copy
            || copy.starts_with(&format!("{at}/"))
            || at.split('/').any(|t| t == "example" || t == "examples")
        {
            return;
        }
        if let Some(slot) = document.pointer_mut(at) {
            if slot.is_object() {
                let mut reference = Map::new();
                reference.insert(
                    "$ref".into(),
                    Value::String(join("#/components/schemas", name)),
                );
                *slot = Value::Object(reference);
            }
        }
    }

    /// Records where a copy came from.
    fn mount(&mut self, pointer: &str, target: &Target) {
        let (file, at) = match target {
            Target::Doc(at) => self.origins.source(at),
            Target::File(index, at) => (Some(*index), at.clone()),
        };
        self.origins.mount(pointer.to_string(), file, at);
    }

    /// The targets the copy enclosing `pointer` was made through.
    fn chain(&self, pointer: &str) -> Vec<(Target, crate::Location)> {
        let mut prefix = pointer;
        loop {
            if let Some(chain) = self.chains.get(prefix) {
                return chain.clone();
            }
            match prefix.rfind('/') {
                Some(end) => prefix = &prefix[..end],
                None => return Vec::new(),
            }
        }
    }

    /// Parses a reference (already rewritten by [`crate::merge`]) and loads
    /// the file it names.
    fn target(&mut self, reference: &str, written: &str, at: &str) -> Option<Target> {
        if let Some(fragment) = reference.strip_prefix('#') {
            return self.fragment(written, fragment, at).map(Target::Doc);
        }
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let fragment = self.fragment(written, fragment, at)?;
        let index = self.file(Path::new(path), written, at)?;
        Some(Target::File(index, fragment))
    }

    fn fragment(&mut self, reference: &str, fragment: &str, at: &str) -> Option<String> {
        let fragment = percent_decode(fragment);
        if fragment.is_empty() || fragment.starts_with('/') {
            Some(fragment)
        } else {
            self.error(
                at,
                format!("`$ref: {reference}` has a fragment that is not a JSON pointer"),
                "write the fragment as a JSON pointer, such as `#/components/schemas/Name`",
            );
            None
        }
    }

    /// The index of a file reached by reference, loading it on first use.
    fn file(&mut self, path: &Path, reference: &str, at: &str) -> Option<usize> {
        if let Some(known) = self.files.get(path) {
            return *known;
        }
        let loaded = self.load(path, reference, at);
        self.files.insert(path.to_path_buf(), loaded);
        loaded
    }

    fn load(&mut self, path: &Path, reference: &str, at: &str) -> Option<usize> {
        let mut file = if let Some(file) = self.available.remove(path) {
            file
        } else {
            let is_spec = matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            );
            if !is_spec {
                let help = if reference.starts_with('/') {
                    format!("a pointer into this document starts with `#`: `#{reference}`")
                } else {
                    "reference a `.yaml`, `.yml` or `.json` file".to_string()
                };
                self.error(
                    at,
                    format!("`$ref: {reference}` points to a file that is not YAML or JSON"),
                    &help,
                );
                return None;
            }
            if !path.is_file() {
                self.error(
                    at,
                    format!("`$ref: {reference}` points to a file that does not exist"),
                    "check the file name: a relative path is resolved from the folder of the file that holds the reference",
                );
                return None;
            }
            match crate::load::read(path) {
                Ok(file) => file,
                Err(error) => {
                    self.errors.push(error);
                    return None;
                }
            }
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        rewrite_refs(
            &mut file.value,
            &dir,
            &self.fragments,
            Some(path),
            &mut self.origins.written,
        );
        Some(self.origins.add_file(file))
    }

    fn lookup(&self, document: &Value, target: &Target) -> Option<Value> {
        match target {
            Target::Doc(at) => lookup(document, at, true),
            Target::File(index, at) => lookup(&self.origins.file(*index).value, at, false),
        }
    }

    /// A name for a copied schema: what the target is, where that can be
    /// told, else where it is; unique among the component schemas.
    fn fresh_name(&self, document: &Value, target: &Target) -> String {
        let mut candidates = Vec::new();
        match target {
            Target::File(index, at) => {
                let path = &self.origins.file(*index).path;
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let tokens = tokens(at);
                if let Some(last) = tokens.last() {
                    candidates.push(last.clone());
                    candidates.push(format!("{stem}_{last}"));
                } else {
                    candidates.push(stem.clone());
                    if let Some(parent) = path
                        .parent()
                        .and_then(Path::file_name)
                        .map(|s| s.to_string_lossy().into_owned())
                    {
                        candidates.push(format!("{parent}_{stem}"));
                    }
                }
            }
            Target::Doc(at) => candidates.push(doc_name(document, &tokens(at))),
        }
        let candidates: Vec<String> = candidates
            .into_iter()
            .map(|c| c.to_upper_camel_case())
            .filter(|c| !c.is_empty())
            .collect();
        let base = candidates
            .first()
            .cloned()
            .unwrap_or_else(|| "Schema".to_string());
        for candidate in &candidates {
            if !self.names.contains(candidate) {
                return candidate.clone();
            }
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|c| !self.names.contains(c))
            .unwrap_or(base)
    }
}

/// A name for a schema inside the document, from its pointer:
/// `/components/schemas/Tag/allOf/0` gives `TagAllOf0`,
/// `/paths/~1pets/post/requestBody/...` the operation's id and `Request`.
fn doc_name(document: &Value, tokens: &[String]) -> String {
    let (base, rest): (String, &[String]) = match tokens {
        [first, _, name, rest @ ..] if first == "components" => (name.clone(), rest),
        [first, path, method, rest @ ..] if first == "paths" || first == "webhooks" => {
            let id = document
                .get(first)
                .and_then(|p| p.get(path))
                .and_then(|p| p.get(method))
                .and_then(|o| o.get("operationId"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| format!("{method} {path}"));
            (id, rest)
        }
        _ => (String::new(), tokens),
    };
    let mut name = base.to_upper_camel_case();
    for token in rest {
        let part = match token.as_str() {
            "properties" | "content" | "schema" | "$defs" | "definitions" => continue,
            "requestBody" => "Request",
            "responses" => "Response",
            "items" => "Item",
            "additionalProperties" => "Value",
            _ if token.contains('/') => continue,
            other => other,
        };
        name.push_str(&part.to_upper_camel_case());
    }
    name
}

/// The name of the component schema `pointer` is, if it is one.
fn component_schema(pointer: &str) -> Option<String> {
    let rest = pointer.strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| unescape(rest))
}
