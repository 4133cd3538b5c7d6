//! Stage 1: read spec files from disk, parse them, and check they are OpenAPI
//! 3.0 or 3.1 (or Swagger 2.0, which `merge` converts to 3.0).
//!
//! This is the only place that knows about file formats. Every file becomes a
//! [`SourceFile`]: its path, its text (for line numbers) and a JSON value.
//! The document shape is checked after merging (by the 3.0 front end,
//! `front::check`); a shape error is traced back to the file it is in
//! through the merge's origins.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Kind, Location};
use crate::locate;

/// One parsed input file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given (or found in a given directory).
    pub path: PathBuf,
    /// The file's text, kept to turn JSON pointers into line numbers.
    pub text: String,
    /// The parsed document.
    pub value: Value,
}

impl SourceFile {
    /// A location in this file, with a line number when one can be found.
    pub fn location(&self, pointer: &str) -> Location {
        let mut location = Location::new(Some(self.path.clone()), pointer);
        if let Some((line, column)) = locate::find(&self.text, pointer) {
            location.line = Some(line);
            location.column = Some(column);
        }
        location
    }
}

/// Expands directories into the spec files they contain (`.yaml`, `.yml`,
/// `.json`, recursively), sorted so that the result does not depend on the
/// order the caller named them in.
pub fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    Ok(expand_marked(inputs)?.into_iter().map(|(p, _)| p).collect())
}

/// Like [`expand`], and tells for each file whether it was named itself
/// (`true`) or found in a named directory (`false`).
pub fn expand_marked(inputs: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>, Diagnostic> {
    let mut files = BTreeSet::new();
    for input in inputs {
        collect(input, &mut files)?;
    }
    let named: BTreeSet<&PathBuf> = inputs.iter().filter(|p| !p.is_dir()).collect();
    if files.is_empty() {
        return Err(
            Diagnostic::error(Kind::Syntax, Location::default(), "no spec files found")
                .with_help("pass .yaml, .yml or .json files, or a directory that contains them"),
        );
    }
    Ok(files
        .into_iter()
        .map(|p| {
            let explicit = named.contains(&p);
            (p, explicit)
        })
        .collect())
}

fn collect(path: &Path, files: &mut BTreeSet<PathBuf>) -> Result<(), Diagnostic> {
    let io_error = |e: std::io::Error| {
        Diagnostic::error(
            Kind::Syntax,
            Location::new(Some(path.to_path_buf()), ""),
            format!("cannot read: {e}"),
        )
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if metadata.is_dir() {
        let mut entries = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io_error)? {
            entries.push(entry.map_err(io_error)?.path());
        }
        for entry in entries {
            if entry.is_dir() || is_spec_file(&entry) {
                collect(&entry, files)?;
            }
        }
    } else {
        files.insert(path.to_path_buf());
    }
    Ok(())
}

fn is_spec_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Reads and parses one file, and checks its OpenAPI version.
pub fn load(path: &Path) -> Result<SourceFile, Diagnostic> {
    let file = read(path)?;
    check_version(&file)?;
    Ok(file)
}

/// Reads and parses one file, whatever it holds (a file reached by `$ref`
/// holds a part of a document, not a whole one).
pub fn read(path: &Path) -> Result<SourceFile, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(
            Kind::Syntax,
            Location::new(Some(path.to_path_buf()), ""),
            format!("cannot read: {e}"),
        )
    })?;
    parse_any(path.to_path_buf(), text)
}

/// Parses a file's text (JSON when the name ends in `.json`, YAML otherwise)
/// and checks its OpenAPI version.
pub fn parse(path: PathBuf, text: String) -> Result<SourceFile, Diagnostic> {
    let file = parse_any(path, text)?;
    check_version(&file)?;
    Ok(file)
}

/// Whether a file holds an OpenAPI (or Swagger) document, rather than a part
/// of one reached by `$ref`.
pub fn is_document(file: &SourceFile) -> bool {
    file.value.get("openapi").is_some() || file.value.get("swagger").is_some()
}

/// Parses a file's text: JSON when it reads as JSON (whatever the file is
/// called: a `.yaml` file that holds JSON is read as JSON), YAML otherwise.
/// See [`format_warning`] for a file whose content and name disagree.
pub fn parse_any(path: PathBuf, text: String) -> Result<SourceFile, Diagnostic> {
    let json_name = path.extension().and_then(|e| e.to_str()) == Some("json");
    let value = if json_name || looks_like_json(&text) {
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => value,
            // A `.json` file that starts as JSON is JSON, and its JSON
            // error is the one to show.
            Err(e) if json_name && looks_like_json(&text) => {
                let mut location = Location::new(Some(path.clone()), "");
                location.line = Some(e.line());
                location.column = Some(e.column());
                return Err(Diagnostic::error(
                    Kind::Syntax,
                    location,
                    format!("invalid JSON: {e}"),
                )
                .with_help("fix the JSON syntax at the marked position"));
            }
            Err(_) => parse_yaml(&path, &text)?,
        }
    } else {
        parse_yaml(&path, &text)?
    };
    Ok(SourceFile { path, text, value })
}

/// Whether a text starts the way a JSON document does (a YAML document
/// written in flow style does too; it is read as YAML when it is no JSON).
fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    super::yaml::parse(text).map_err(|e| {
        let mut location = Location::new(Some(path.to_path_buf()), "");
        if let Some(mark) = e.location() {
            location.line = Some(mark.line());
            location.column = Some(mark.column());
        }
        Diagnostic::error(Kind::Syntax, location, format!("invalid YAML: {e}"))
            .with_help("fix the YAML syntax at the marked position")
    })
}

/// A warning for a file named as one format that holds the other (a
/// `.yaml` file of JSON, as several vendors publish): it is read by its
/// content. `None` when name and content agree.
pub fn format_warning(file: &SourceFile) -> Option<Diagnostic> {
    let extension = file.path.extension().and_then(|e| e.to_str())?;
    // A `.json` file that starts as JSON was read as JSON (or refused);
    // a YAML file is parsed again only when it starts as JSON.
    let starts_as_json = looks_like_json(&file.text);
    let json_content = |text: &str| serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
    let (named, holds, help) = match extension {
        "json" if !starts_as_json => ("JSON", "YAML", "name the file for its content (`.yaml`)"),
        "yaml" | "yml" if starts_as_json && json_content(&file.text) => {
            ("YAML", "JSON", "name the file for its content (`.json`)")
        }
        _ => return None,
    };
    Some(
        Diagnostic::warning(
            Kind::Syntax,
            file.location(""),
            format!("this file is named as {named} but holds {holds}; read as {holds}"),
        )
        .with_help(help),
    )
}

/// Which OpenAPI version a document says it is, among those read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// 3.0.0 to 3.0.4.
    V30,
    /// 3.1.x, and 3.2.x read as 3.1 (the same JSON Schema dialect; of
    /// 3.2's additions `itemSchema` is read, `query` and
    /// `additionalOperations` are warned about and not generated).
    V31,
}

impl Version {
    /// The version as the `openapi` field starts (`3.0`, `3.1`).
    pub fn number(self) -> &'static str {
        match self {
            Version::V30 => "3.0",
            Version::V31 => "3.1",
        }
    }
}

/// The version of a document whose version was checked.
pub fn version(document: &Value) -> Version {
    match document.get("openapi").and_then(Value::as_str) {
        Some(v)
            if ["3.1", "3.2"]
                .iter()
                .any(|minor| v == *minor || v.starts_with(&format!("{minor}."))) =>
        {
            Version::V31
        }
        _ => Version::V30,
    }
}

/// Checks that a file is an OpenAPI 3.0 or 3.1 document, or a Swagger 2.0
/// one (converted to 3.0 when merged, see `front::swagger2`).
pub fn check_version(file: &SourceFile) -> Result<(), Diagnostic> {
    let version = file.value.get("openapi").and_then(Value::as_str);
    let known = |v: &str| {
        let mut parts = v.split('.');
        matches!(
            (parts.next(), parts.next()),
            (Some("3"), Some("0" | "1" | "2"))
        ) && parts
            .next()
            .map_or(true, |patch| patch.parse::<u32>().is_ok())
            && parts.next().is_none()
    };
    match version {
        Some(v) if known(v) => Ok(()),
        Some(v) => Err(Diagnostic::error(
            Kind::NotOpenApi,
            file.location("/openapi"),
            format!("unsupported OpenAPI version `{v}`"),
        )
        .with_help("this generator reads OpenAPI 3.0.x, 3.1.x and 3.2.x documents; set `openapi: 3.1.1` (or `3.0.3`) if the document is one")),
        None => match file.value.get("swagger") {
            Some(swagger) if crate::front::swagger2::is_two(swagger) => Ok(()),
            Some(swagger) => Err(Diagnostic::error(
                Kind::NotOpenApi,
                file.location("/swagger"),
                format!("unsupported Swagger version `{}`", swagger.as_str().map_or_else(|| swagger.to_string(), str::to_string)),
            )
            .with_help("this generator reads Swagger 2.0 (`swagger: \"2.0\"`), OpenAPI 3.0.x, 3.1.x and 3.2.x documents; convert older Swagger documents to 2.0 first")),
            None => {
                let message = if file.value.is_object() {
                    "no `openapi` version field: this is not an OpenAPI document"
                } else {
                    "the document is not a mapping: this is not an OpenAPI document"
                };
                Err(
                    Diagnostic::error(Kind::NotOpenApi, file.location(""), message).with_help(
                        "convert it to OpenAPI 3.0 (with `openapi: 3.0.3`, `info` and `paths`)",
                    ),
                )
            }
        },
    }
}
