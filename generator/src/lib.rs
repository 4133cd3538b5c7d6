//! `apigen` turns OpenAPI 3.0 descriptions into a typed, async Rust client crate.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: read and parse files, check they are OpenAPI 3.0;
//! 2. [`merge`]: merge fragments into one document, independent of file order;
//! 3. [`oas30`]: convert `openapiv3` types into the version-neutral [`spec`];
//! 4. [`normalize`]: merge `allOf` branches (nested, through references);
//! 5. [`lower`]: decide Rust types and operations, giving the [`model`];
//! 6. [`emit`]: turn the model into token streams with `quote!`;
//! 7. [`output`]: format with `prettyplease` and add `Cargo.toml`.
//!
//! [`generate`] runs them all. Problems are [`Diagnostic`]s with a location.

// Diagnostics are large and only travel on the cold, failing path; boxing
// them everywhere would buy nothing.
#![allow(clippy::result_large_err)]

pub mod contract;
pub mod diagnostic;
pub mod docs;
pub mod emit;
pub mod examples;
pub mod load;
pub mod locate;
pub mod lower;
pub mod merge;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod oas30;
pub mod output;
pub mod render;
pub mod spec;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

pub use diagnostic::{Diagnostic, Kind, Location, Severity};
pub use output::CrateSettings;
pub use render::render;

/// What to generate from.
#[derive(Clone, Debug)]
pub struct Options {
    /// Spec files, or directories of them.
    pub inputs: Vec<PathBuf>,
    /// How to write the crate's manifest.
    pub settings: CrateSettings,
    /// Treat warnings as errors.
    pub deny_warnings: bool,
    /// The API's name in the crate docs; `info.title` of the first file when
    /// `None`.
    pub title: Option<String>,
    /// Adds a `#[cfg(test)]` module that round-trips the description's
    /// response examples through the generated types (see [`examples`]).
    pub example_tests: bool,
    /// Adds a `#[cfg(test)]` module that calls one JSON operation per area
    /// against a Prism mock of the description (see [`contract`]).
    pub contract_tests: bool,
}

impl Options {
    /// Generation of `inputs` into a crate described by `settings`, with
    /// the defaults: warnings allowed (a schema no Rust type expresses is
    /// `serde_json::Value`, with a warning), `info.title`
    /// as the title, no test harnesses.
    pub fn new(inputs: Vec<PathBuf>, settings: CrateSettings) -> Self {
        Options {
            inputs,
            settings,
            deny_warnings: false,
            title: None,
            example_tests: false,
            contract_tests: false,
        }
    }
}

/// Figures about one run.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Operations (methods) generated.
    pub operations: usize,
    /// API areas (modules and features).
    pub areas: usize,
    /// Named types generated.
    pub types: usize,
    /// Named types before structurally identical ones were merged.
    pub types_before_dedup: usize,
    /// Lines of generated Rust.
    pub lines: usize,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// A successful run.
#[derive(Debug)]
pub struct Generated {
    /// File contents by path relative to the crate root (`Cargo.toml`,
    /// `src/lib.rs`, ...).
    pub files: BTreeMap<PathBuf, String>,
    /// Warnings: places the output only approximates the spec.
    pub warnings: Vec<Diagnostic>,
    /// Figures.
    pub stats: Stats,
}

/// Runs the whole pipeline. On failure, returns every error found (and the
/// warnings), sorted by location.
pub fn generate(options: &Options) -> Result<Generated, Vec<Diagnostic>> {
    let start = Instant::now();
    let paths = load::expand(&options.inputs).map_err(|d| vec![d])?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in &paths {
        match load::load(path) {
            Ok(file) => files.push(file),
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let load_time = start.elapsed();
    let mut generated = generate_from(files, options)?;
    generated.stats.timings.insert(0, ("load", load_time));
    Ok(generated)
}

/// Loads and merges spec files into one self-contained OpenAPI document (for
/// tools such as mock servers that want a single file).
pub fn merged_document(inputs: &[PathBuf]) -> Result<serde_json::Value, Vec<Diagnostic>> {
    let paths = load::expand(inputs).map_err(|d| vec![d])?;
    let files = paths
        .iter()
        .map(|p| load::load(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|d| vec![d])?;
    Ok(merge::merge(files)?.document)
}

/// Runs the pipeline on files already loaded.
pub fn generate_from(
    files: Vec<load::SourceFile>,
    options: &Options,
) -> Result<Generated, Vec<Diagnostic>> {
    // Normalizing and lowering recurse along chains of references, which a
    // spec can make long: run on a thread whose stack is sized for that (it
    // is reserved, not used, unless needed) rather than on the caller's.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("apigen".into())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || pipeline(files, options))
            .map_err(|e| vec![internal(format!("cannot start the generator thread: {e}"))])?
            .join()
            .unwrap_or_else(|_| Err(vec![internal("the generator panicked".into())]))
    })
}

/// The stack of the generator thread.
const STACK_SIZE: usize = 512 << 20;

fn internal(message: String) -> Diagnostic {
    Diagnostic::error(Kind::Unsupported, Location::default(), message)
        .with_help("this is a bug in the generator; please report it with the spec")
}

fn pipeline(files: Vec<load::SourceFile>, options: &Options) -> Result<Generated, Vec<Diagnostic>> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let merge::Merged {
        document: json,
        origins,
    } = merge::merge(files)?;
    lap("merge");
    let document = load::to_openapi(&json).map_err(|(pointer, message)| {
        let mut diagnostics = vec![Diagnostic::error(
            Kind::NotOpenApi,
            origins.locate(&pointer),
            format!("not a valid OpenAPI 3.0 document: {message}"),
        )
        .with_help("fix the value at this pointer to match the OpenAPI 3.0 specification")];
        origins.add_lines(&mut diagnostics);
        diagnostics
    })?;
    lap("check");
    // Each representation is dropped as soon as the next exists: the whole
    // Cloudflare description is large enough for peak memory to matter.
    drop(json);
    let (spec, mut diagnostics) = oas30::convert(&document, &origins);
    drop(document);
    lap("convert");
    if diagnostics.iter().any(Diagnostic::is_error) {
        origins.add_lines(&mut diagnostics);
        return Err(sorted(diagnostics));
    }
    let (mut model, lowered) = lower::lower(&spec, &origins);
    if let Some(title) = &options.title {
        model.title.clone_from(title);
        model.description = None;
    }
    diagnostics.extend(lowered.diagnostics);
    lap("lower");
    origins.add_lines(&mut diagnostics);
    lap("locate");
    let fail = diagnostics
        .iter()
        .any(|d| d.is_error() || options.deny_warnings);
    if fail {
        return Err(sorted(diagnostics));
    }
    let mut extra_lib = proc_macro2::TokenStream::new();
    if options.example_tests {
        extra_lib.extend(examples::harness(&model, &examples::collect(&spec)));
    }
    if options.contract_tests {
        extra_lib.extend(contract::harness(&model, &spec));
    }
    let extra_lib = extra_lib.to_string();
    let sources = output::format(&model, &extra_lib).map_err(|message| {
        vec![
            Diagnostic::error(Kind::Unsupported, Location::default(), message)
                .with_help("this is a bug in the generator; please report it with the spec"),
        ]
    })?;
    lap("emit+format");
    let lines = sources.values().map(|s| s.lines().count()).sum();
    let mut out = BTreeMap::new();
    out.insert(
        PathBuf::from("Cargo.toml"),
        output::manifest(
            &model,
            &options.settings,
            options.example_tests,
            options.contract_tests,
        ),
    );
    for (name, source) in sources {
        out.insert(PathBuf::from("src").join(name), source);
    }
    Ok(Generated {
        files: out,
        warnings: sorted(diagnostics),
        stats: Stats {
            operations: model.operations.len(),
            areas: model.areas.len(),
            types: model.types.len(),
            types_before_dedup: lowered.types_before_dedup,
            lines,
            timings,
        },
    })
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort();
    diagnostics.dedup();
    diagnostics
}
