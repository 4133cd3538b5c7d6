//! `apigen` turns OpenAPI 3.0 descriptions into a typed, async Rust client crate.
//!
//! [`Generator`] is the entry point for programs and build scripts:
//!
//! ```no_run
//! // Into a directory, atomically: a failed run leaves it as it was.
//! apigen::Generator::new()
//!     .spec("petstore.yaml")
//!     .crate_name("petstore")
//!     .write_to("petstore-client")?;
//! # Ok::<(), apigen::Error>(())
//! ```
//!
//! The `apigen` binary (`generator/cli`) and `cargo xtask regen` call it.
//!
//! The pipeline, one private module per stage (see `ARCHITECTURE.md`):
//! `load` reads and parses files; `merge` merges fragments into one document,
//! independent of file order; `front` reads the document (3.0 or 3.1) into
//! the version-neutral `spec`; `normalize` merges `allOf` branches; `lower`
//! decides Rust types and operations, giving the `model`; `emit` turns the
//! model into token streams with `quote!`; `output` formats them with
//! `prettyplease` and adds `Cargo.toml`; `manifest` lists the public API in
//! `API.txt` (for review and a semver verdict); `write` puts them on disk.
//! `bundle` resolves references that point anywhere before `front` reads.
//! Swagger 2.0 documents are converted to OpenAPI 3.0 by `swagger2` as they
//! are merged.
//! Problems are [`Diagnostic`]s with a location; [`render()`] shows them the
//! way `rustc` does.

// Diagnostics are large and only travel on the cold, failing path; boxing
// them everywhere would buy nothing.
#![allow(clippy::result_large_err)]

mod builder;
mod diagnostic;
mod docs;
mod emit;
mod error;
mod front;
// The front end's stages, at the crate root where the pipeline names them.
pub use front::load;
use front::{bundle, locate, merge, spec};
mod lower;
pub mod manifest;
mod model;
mod naming;
mod normalize;
mod output;
mod proofs;
use proofs::{contract, examples};
mod render;
mod settings;
mod stack;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub use builder::{module_file_name, GeneratedModule, Generator};
pub use diagnostic::{Diagnostic, Kind, Location, Severity};
pub use error::Error;
pub use manifest::{Comparison, Manifest, Verdict};
pub use output::write::MARKER;
pub use output::{CrateSettings, Runtime, RUNTIME_VERSION};
pub use render::{render, warnings_summary};
pub use settings::{parse_env, parse_header};

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
    /// response examples through the generated types (see `examples.rs`).
    pub example_tests: bool,
    /// Adds a `#[cfg(test)]` module that calls one JSON operation per area
    /// against a Prism mock of the description (see `contract.rs`).
    pub contract_tests: bool,
    /// With `contract_tests`, calls every operation once instead of a few
    /// per area (`--contract-tests=all`; see `contract::harness_every_operation`).
    pub contract_every_operation: bool,
    /// The prefix of the environment variables `Client::from_env` reads
    /// (`CLOUDFLARE` for `CLOUDFLARE_API_TOKEN`); derived from the crate
    /// name when `None` (see `naming::env_prefix`).
    pub env_prefix: Option<String>,
    /// The command that made the output, named in the first line of every
    /// file (`cargo xtask regen`). Deterministic: no absolute paths, no
    /// timestamp.
    pub command: Option<String>,
    /// Headers the generated `Client::builder` sends with every request,
    /// `(name, value)` (`--header 'Stripe-Version: 2020-08-27'`). They are
    /// written into the generated source: no secrets.
    pub default_headers: Vec<(String, String)>,
    /// `(security scheme, environment variable)`: the variable
    /// `Client::from_env` reads for that scheme (`--env
    /// bearerAuth=STRIPE_SECRET_KEY`), as its `x-apigen-env` would say.
    pub env_vars: Vec<(String, String)>,
    /// Also writes `USES.txt` ([`manifest::USES_FILE`]): every use of each
    /// type identical anonymous schemas were merged into, so a test can
    /// check that a type is named after what its uses share.
    pub type_uses: bool,
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
            contract_every_operation: false,
            env_prefix: None,
            command: None,
            default_headers: Vec::new(),
            env_vars: Vec::new(),
            type_uses: false,
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
    generate_as(options, Form::Crate, None)
}

/// Runs the pipeline; with `staging`, each file is also put there as soon as
/// it is made.
fn generate_as(
    options: &Options,
    form: Form,
    staging: Option<Arc<output::write::Staging>>,
) -> Result<Generated, Vec<Diagnostic>> {
    if let Err(message) = options.settings.runtime.check() {
        return Err(vec![Diagnostic::error(
            Kind::Usage,
            Location::default(),
            message,
        )
        .with_help(
            "the generated Cargo.toml must not depend on where this machine keeps files",
        )]);
    }
    let start = Instant::now();
    let (files, extra) = load_inputs(&options.inputs)?;
    let load_time = start.elapsed();
    let mut generated = generate_with_parts(files, extra, options, form, staging)?;
    generated.stats.timings.insert(0, ("load", load_time));
    Ok(generated)
}

/// Loads and merges spec files into one self-contained OpenAPI document (for
/// tools such as mock servers that want a single file).
pub fn merged_document(inputs: &[PathBuf]) -> Result<serde_json::Value, Vec<Diagnostic>> {
    let (files, mut extra) = load_inputs(inputs)?;
    extra.retain(|f| !lower::resources::is_naming_file(&f.path));
    let merge::Merged {
        mut document,
        mut origins,
        ..
    } = merge::merge(files)?;
    // Warnings (a mistake read as meant) do not stop a merge.
    bundle::bundle(&mut document, &mut origins, extra).map_err(|mut diagnostics| {
        origins.add_lines(&mut diagnostics);
        diagnostics
    })?;
    Ok(document)
}

/// Reads the inputs: the OpenAPI documents (every file named, and the files
/// in a named directory that say `openapi:`), and the other files found in
/// directories, which may be parts reached by `$ref`.
fn load_inputs(
    inputs: &[PathBuf],
) -> Result<(Vec<load::SourceFile>, Vec<load::SourceFile>), Vec<Diagnostic>> {
    let paths = load::expand_marked(inputs).map_err(|d| vec![d])?;
    let mut files = Vec::new();
    let mut extra = Vec::new();
    let mut errors = Vec::new();
    for (path, named) in &paths {
        let file = load::read(path).and_then(|file| {
            // The naming file is read by the pipeline, named or found.
            let named = *named && !lower::resources::is_naming_file(path);
            if named || load::is_document(&file) {
                load::check_version(&file).map(|()| Some(file))
            } else {
                extra.push(file);
                Ok(None)
            }
        });
        match file {
            Ok(Some(file)) => files.push(file),
            Ok(None) => {}
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
    if files.is_empty() && errors.is_empty() {
        // A directory of parts only: each one is not a document.
        errors.extend(extra.iter().filter_map(|f| load::check_version(f).err()));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((files, extra))
}

/// Runs the pipeline on files already loaded (`options.inputs` is not read:
/// `files` are the input). [`generate`] and [`Generator`] load the files
/// first.
pub fn generate_from(
    files: Vec<load::SourceFile>,
    options: &Options,
) -> Result<Generated, Vec<Diagnostic>> {
    generate_with_parts(files, Vec::new(), options, Form::Crate, None)
}

/// Runs the pipeline on documents already loaded, and parts that references
/// may reach (see `bundle`).
fn generate_with_parts(
    files: Vec<load::SourceFile>,
    extra: Vec<load::SourceFile>,
    options: &Options,
    form: Form,
    staging: Option<Arc<output::write::Staging>>,
) -> Result<Generated, Vec<Diagnostic>> {
    // Normalizing and lowering recurse along chains of references, which a
    // spec can make long: run on a thread whose stack is sized for that (it
    // is reserved, not used, unless needed) rather than on the caller's.
    // The result is sent before the thread ends, and nothing waits for the
    // end: the allocator then collects what the thread holds, 20 ms or more
    // after the whole Cloudflare description, while the caller goes on.
    let options = options.clone();
    let (sender, result) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("apigen".into())
        .stack_size(stack::STACK_SIZE)
        .spawn(move || {
            let generated = pipeline(files, extra, &options, form, staging.as_deref());
            drop(staging);
            let _ = sender.send(generated);
        })
        .map_err(|e| {
            vec![Diagnostic::internal(format!(
                "cannot start the generator thread: {e}"
            ))]
        })?;
    result
        .recv()
        .unwrap_or_else(|_| Err(vec![Diagnostic::internal("the generator panicked")]))
}

/// What the pipeline produces: a crate, or one file of items to `include!`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Crate,
    Module,
}

/// What the options change in the model: its title, the prefix of its
/// environment variables, the crate's name, default headers and variables.
fn configure(model: &mut model::Model, options: &Options) -> Result<(), Vec<Diagnostic>> {
    if let Some(title) = &options.title {
        model.title.clone_from(title);
        model.description = None;
    }
    model.env_prefix = match &options.env_prefix {
        Some(prefix) => prefix.clone(),
        None => naming::env_prefix(&options.settings.name),
    };
    model.crate_name = options.settings.name.replace('-', "_");
    settings::apply(model, &options.default_headers, &options.env_vars)
}

/// Every file of the crate by its path: `Cargo.toml`, the sources,
/// `API.txt` and, when asked for, `USES.txt`.
fn crate_files(
    model: &model::Model,
    options: &Options,
    preamble: &str,
    sources: BTreeMap<String, String>,
    api: String,
) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    out.insert(
        PathBuf::from("Cargo.toml"),
        output::manifest(
            model,
            &options.settings,
            preamble,
            options.example_tests,
            options.contract_tests,
        ),
    );
    for (name, source) in sources {
        out.insert(PathBuf::from("src").join(name), source);
    }
    out.insert(PathBuf::from(manifest::FILE), api);
    if options.type_uses {
        out.insert(
            PathBuf::from(manifest::USES_FILE),
            manifest::render_uses(model),
        );
    }
    out
}

/// The crate's sources (formatted on both cores, each put into `staging`
/// as soon as made) and its `API.txt` (listed on another thread
/// meanwhile); the spec is kept only for the proof harnesses.
fn crate_sources(
    model: &model::Model,
    spec: spec::Spec,
    options: &Options,
    preamble: &str,
    staging: Option<&output::write::Staging>,
) -> (Result<BTreeMap<String, String>, Diagnostic>, String) {
    // The test harnesses, when asked for, go into `lib.rs` and need the
    // spec, which is then kept until the files are made. A
    // `proc_macro2::TokenStream` is not `Send` (it shares its buffers with
    // `Rc`) and `lib.rs` may be formatted on another thread: the harness is
    // made there, by this closure, rather than carried across as text and
    // parsed back (nothing is ever parsed from text).
    let harnesses = options.example_tests || options.contract_tests;
    let (kept_spec, spec) = if harnesses {
        (Some(spec), None)
    } else {
        (None, Some(spec))
    };
    let extra_lib = || {
        let mut extra = proc_macro2::TokenStream::new();
        let Some(spec) = &kept_spec else {
            return extra;
        };
        if options.example_tests {
            let (cases, skipped) = examples::collect_all(spec);
            extra.extend(examples::harness(model, &cases, &skipped));
        }
        if options.contract_tests && options.contract_every_operation {
            extra.extend(contract::harness_every_operation(model, spec));
        } else if options.contract_tests {
            extra.extend(contract::harness(model, spec));
        }
        extra
    };
    // When writing, each file goes to disk as soon as it is made (the
    // sources from `output::format`'s writer thread, `API.txt` from the
    // thread that lists it), while the others are still being made.
    let put = |path: &std::path::Path, source: &str| {
        if let Some(staging) = staging {
            staging.put(path, source);
        }
    };
    // While the files are formatted (on both cores), other threads list
    // `API.txt` and free the spec: only the model is needed from here on.
    // Where no thread can be started, the work is done here.
    let (sources, api) = std::thread::scope(|scope| {
        // A failed start drops the closure, and the spec with it.
        if let Some(spec) = spec {
            let _ = std::thread::Builder::new()
                .stack_size(stack::STACK_SIZE)
                .spawn_scoped(scope, move || drop(spec));
        }
        let api = std::thread::Builder::new()
            .stack_size(stack::STACK_SIZE)
            .spawn_scoped(scope, || {
                let api = manifest::render(model);
                put(std::path::Path::new(manifest::FILE), &api);
                api
            });
        let sources = output::format(model, &extra_lib, preamble, &|name, source| {
            put(&std::path::Path::new("src").join(name), source)
        });
        let api = match api {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => manifest::render(model),
        };
        (sources, api)
    });
    drop_in_background(kept_spec);
    (sources, api)
}

/// The front end: the files merged, bundled, checked and read into a
/// spec, with the naming file's overrides and the diagnostics so far.
fn front_end(
    files: Vec<load::SourceFile>,
    extra: Vec<load::SourceFile>,
    laps: &mut Laps,
) -> Result<FrontEnd, Vec<Diagnostic>> {
    // A file named as one format that holds the other is read by its
    // content, with a warning.
    let mut tolerated: Vec<Diagnostic> = files.iter().filter_map(load::format_warning).collect();
    let merge::Merged {
        document: mut json,
        mut origins,
        warnings: converted,
    } = merge::merge(files)?;
    // The naming file is read here, not bundled as a part of the document.
    let (naming, extra): (Vec<_>, Vec<_>) = extra
        .into_iter()
        .partition(|f| lower::resources::is_naming_file(&f.path));
    let overrides = lower::resources::Overrides::find(&naming).map_err(|d| vec![d])?;
    tolerated.extend(bundle::bundle(&mut json, &mut origins, extra).map_err(
        |mut diagnostics| {
            origins.add_lines(&mut diagnostics);
            sorted(diagnostics)
        },
    )?);
    laps.lap("merge");
    let version = load::version(&json);
    front::check(&json, version, &origins)?;
    laps.lap("check");
    let (spec, mut diagnostics) = front::read(&json, version, &origins);
    diagnostics.append(&mut tolerated);
    // The document is needed no more; freed while the next stages run.
    drop_in_background(json);
    laps.lap("convert");
    diagnostics.extend(converted);
    if diagnostics.iter().any(Diagnostic::is_error) {
        origins.add_lines(&mut diagnostics);
        return Err(sorted(diagnostics));
    }
    Ok(FrontEnd {
        spec,
        origins,
        overrides,
        diagnostics,
    })
}

/// What the front end gives the later stages.
struct FrontEnd {
    spec: spec::Spec,
    origins: front::origins::Origins,
    overrides: lower::resources::Overrides,
    diagnostics: Vec<Diagnostic>,
}

/// The time each stage took, in order.
struct Laps {
    timings: Vec<(&'static str, std::time::Duration)>,
    clock: Instant,
}

impl Laps {
    /// Ends stage `name`.
    fn lap(&mut self, name: &'static str) {
        self.timings.push((name, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

fn pipeline(
    files: Vec<load::SourceFile>,
    extra: Vec<load::SourceFile>,
    options: &Options,
    form: Form,
    staging: Option<&output::write::Staging>,
) -> Result<Generated, Vec<Diagnostic>> {
    let mut laps = Laps {
        timings: Vec::new(),
        clock: Instant::now(),
    };
    let FrontEnd {
        spec,
        origins,
        overrides,
        mut diagnostics,
    } = front_end(files, extra, &mut laps)?;
    let (mut model, lowered) = lower::lower_with(&spec, &origins, &overrides);
    configure(&mut model, options)?;
    diagnostics.extend(lowered.diagnostics);
    laps.lap("lower");
    origins.add_lines(&mut diagnostics);
    // The source text and the map of parts are needed no more (freed before
    // the files are made, the peak of memory).
    drop(origins);
    laps.lap("locate");
    let fail = diagnostics
        .iter()
        .any(|d| d.is_error() || options.deny_warnings);
    if fail {
        return Err(sorted(diagnostics));
    }
    let preamble = output::preamble(options.command.as_deref());
    let stats = |lines| Stats {
        operations: model.operations.len(),
        areas: model.areas.len(),
        types: model.types.len(),
        types_before_dedup: lowered.types_before_dedup,
        lines,
        timings: Vec::new(),
    };
    if form == Form::Module {
        let source = output::module(&model, &preamble).map_err(|d| vec![d])?;
        laps.lap("emit+format");
        let mut stats = stats(source.lines().count());
        stats.timings = laps.timings;
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from(builder::module_file_name(&options.settings.name)),
            source,
        );
        return Ok(Generated {
            files,
            warnings: sorted(diagnostics),
            stats,
        });
    }
    let (sources, api) = crate_sources(&model, spec, options, &preamble, staging);
    let sources = sources.map_err(|d| vec![d])?;
    laps.lap("emit+format");
    let lines = sources.values().map(|s| s.lines().count()).sum();
    let out = crate_files(&model, options, &preamble, sources, api);
    laps.lap("manifest");
    let mut stats = stats(lines);
    stats.timings = laps.timings;
    drop_in_background(model);
    Ok(Generated {
        files: out,
        warnings: sorted(diagnostics),
        stats,
    })
}

/// Frees a large value on another thread, so that the next stage (or the
/// caller) does not wait for its many small frees; where no thread can be
/// started, here.
fn drop_in_background<T: Send + 'static>(value: T) {
    // Drop glue recurses as deeply as the value nests: the generator
    // thread's stack size (reserved, not used, unless needed).
    let _ = std::thread::Builder::new()
        .name("apigen-drop".into())
        .stack_size(stack::STACK_SIZE)
        .spawn(move || drop(value));
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics.sort();
    diagnostics.dedup();
    diagnostics
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Zones, version: "1"}
paths:
  /zones:
    get:
      operationId: zones-list
      tags: [Zones]
      responses:
        "200":
          description: The zones.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/zone'}}
  /accounts:
    get:
      operationId: accounts-list
      tags: [Accounts]
      responses:
        "200":
          description: The accounts.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
components:
  schemas:
    zone:
      type: object
      properties:
        name: {type: string}
"#;

    #[test]
    fn the_pipeline_puts_each_source_file_into_the_staging_directory_as_it_is_made() {
        let file = load::parse("zones.yaml".into(), SPEC.to_string()).expect("parses");
        let parent = tempfile::tempdir().expect("temp dir");
        let staging =
            Arc::new(output::write::Staging::new(&parent.path().join("client")).expect("staging"));
        let options = Options::new(Vec::new(), CrateSettings::new("zones"));
        let generated = generate_with_parts(
            vec![file],
            Vec::new(),
            &options,
            Form::Crate,
            Some(staging.clone()),
        )
        .expect("generates");
        // Before `finish`: the sources and `API.txt` are there, as generated;
        // `Cargo.toml` and the marker come with `finish`.
        let mut put = Vec::new();
        for (path, contents) in &generated.files {
            match std::fs::read_to_string(staging.dir().join(path)) {
                Ok(text) => {
                    assert_eq!(&text, contents, "{}", path.display());
                    put.push(path.display().to_string());
                }
                Err(_) => assert_eq!(path, Path::new("Cargo.toml")),
            }
        }
        assert_eq!(
            put,
            ["API.txt", "src/accounts.rs", "src/lib.rs", "src/zones.rs"]
        );
        assert!(!staging.dir().join(MARKER).exists());
        let out = parent.path().join("client");
        staging
            .finish(&generated.files, "@generated")
            .expect("finished");
        assert!(output::write::stale_files(&generated.files, &out)
            .expect("compared")
            .is_empty());
    }
}
