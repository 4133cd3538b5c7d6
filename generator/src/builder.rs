//! The library's entry point: [`Generator`], a builder for a `build.rs` or
//! any other program, and its [`Error`].

use std::path::{Path, PathBuf};

use crate::output::write;
use crate::output::{CrateSettings, Runtime};
use crate::{Diagnostic, Error, Generated, Options, Stats};

/// Generates a client crate (or module) from OpenAPI descriptions.
///
/// ```no_run
/// let generated = apigen::Generator::new()
///     .spec("petstore.yaml")
///     .crate_name("petstore")
///     .generate()?;
/// for (path, contents) in &generated.files {
///     println!("{}: {} bytes", path.display(), contents.len());
/// }
/// # Ok::<(), apigen::Error>(())
/// ```
///
/// [`write_to`](Generator::write_to) puts the crate on disk atomically and
/// [`check`](Generator::check) names the files that differ;
/// [`generate_module`](Generator::generate_module) gives one source file for
/// `include!` in a build script.
#[derive(Clone, Debug)]
pub struct Generator {
    options: Options,
}

impl Default for Generator {
    fn default() -> Self {
        Self::new()
    }
}

impl Generator {
    /// No specs yet; a standalone crate named `api-client` that depends on
    /// `apigen-runtime` by version; warnings allowed.
    pub fn new() -> Self {
        Generator {
            options: Options::new(Vec::new(), CrateSettings::new("api-client")),
        }
    }

    /// A generator with these options.
    pub fn from_options(options: Options) -> Self {
        Generator { options }
    }

    /// Adds a spec file, or a directory of them (`.yaml`, `.yml`, `.json`).
    /// Fragments are merged; their order does not matter.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.options.inputs.push(path.into());
        self
    }

    /// Adds several spec files or directories.
    pub fn specs<P: Into<PathBuf>>(mut self, paths: impl IntoIterator<Item = P>) -> Self {
        self.options
            .inputs
            .extend(paths.into_iter().map(Into::into));
        self
    }

    /// The package name of the generated crate (`api-client` by default).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.options.settings.name = name.into();
        self
    }

    /// How the crate depends on `apigen-runtime` (by version by default).
    pub fn runtime(mut self, runtime: Runtime) -> Self {
        self.options.settings.runtime = runtime;
        self
    }

    /// Whether the crate's manifest has its own `[workspace]` (the default),
    /// so it builds inside another workspace's directory without joining it.
    pub fn standalone(mut self, standalone: bool) -> Self {
        self.options.settings.standalone = standalone;
        self
    }

    /// The prefix of the environment variables the client reads.
    pub fn env_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.options.env_prefix = Some(prefix.into());
        self
    }

    /// A header the generated `Client::builder` sends with every request
    /// (`Stripe-Version`, `2020-08-27`); repeatable. It is written into the
    /// generated source, so it must not be a secret. An invalid name or
    /// value fails generation.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options
            .default_headers
            .push((name.into(), value.into()));
        self
    }

    /// The environment variable `Client::from_env` reads for the security
    /// scheme named `scheme` in the description (instead of
    /// `<PREFIX>_<SCHEME>`), as the scheme's `x-apigen-env` would; a
    /// scheme the description lacks fails generation.
    pub fn env_var(mut self, scheme: impl Into<String>, variable: impl Into<String>) -> Self {
        self.options.env_vars.push((scheme.into(), variable.into()));
        self
    }

    /// The API's name in the crate docs (`info.title` by default).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.options.title = Some(title.into());
        self
    }

    /// Fails on warnings (places the output only approximates the spec).
    pub fn deny_warnings(mut self, deny: bool) -> Self {
        self.options.deny_warnings = deny;
        self
    }

    /// The command named in the first line of every file (for example
    /// `apigen generate --spec petstore.yaml`); only apigen's version when
    /// not set. Give no absolute paths: the output must not depend on the
    /// machine.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.options.command = Some(command.into());
        self
    }

    /// The options as they stand.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Mutable access to every option, for those without a builder method.
    pub fn options_mut(&mut self) -> &mut Options {
        &mut self.options
    }

    /// Runs the pipeline and returns the crate's files in memory.
    pub fn generate(&self) -> Result<Generated, Error> {
        self.checked()?;
        crate::generate_as(&self.options, crate::Form::Crate, None).map_err(Error::Spec)
    }

    /// The client as one Rust source file of items, to be written into
    /// `OUT_DIR` by a build script and included in a module:
    ///
    /// ```text
    /// pub mod petstore {
    ///     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
    /// }
    /// ```
    ///
    /// All areas are compiled (there are no cargo features), paths are
    /// relative to that module, and the including crate depends on
    /// `apigen-runtime`, `serde` (with `derive`) and `serde_json`.
    pub fn generate_module(&self) -> Result<GeneratedModule, Error> {
        self.checked()?;
        let generated =
            crate::generate_as(&self.options, crate::Form::Module, None).map_err(Error::Spec)?;
        let source = generated.files.into_values().next().unwrap_or_default();
        Ok(GeneratedModule {
            source,
            warnings: generated.warnings,
            stats: generated.stats,
        })
    }

    /// Generates the crate and writes it into `dir`: into a staging
    /// directory first, swapped in when complete, so a failure leaves the
    /// previous output untouched. `dir` must be missing, empty, or made by
    /// apigen (it holds the [`MARKER`](crate::MARKER) file); `target/`,
    /// `.git/` and `Cargo.lock` in it are kept.
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<Generated, Error> {
        // Refuse before the (possibly long) run, and again at the swap. The
        // source files go into the staging directory as they are made; the
        // rest, and the swap, when the run is done.
        let staging = std::sync::Arc::new(write::Staging::new(dir.as_ref())?);
        self.checked()?;
        let generated =
            crate::generate_as(&self.options, crate::Form::Crate, Some(staging.clone()))
                .map_err(Error::Spec)?;
        staging.finish(&generated.files, &self.preamble())?;
        Ok(generated)
    }

    /// Writes what [`generate`](Self::generate) gave into `dir`, as
    /// [`write_to`](Self::write_to) does (for a caller that looked at the
    /// files first, without generating them twice).
    pub fn write_generated(
        &self,
        generated: &Generated,
        dir: impl AsRef<Path>,
    ) -> Result<(), Error> {
        write::write_atomically(&generated.files, dir.as_ref(), &self.preamble())
    }

    /// Generates the crate and compares it with `dir`: the files that
    /// differ, are missing or should not be there, relative to `dir` and
    /// sorted. Empty when `dir` is up to date.
    pub fn check(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        let generated = self.generate()?;
        Self::stale(&generated, dir)
    }

    /// The files of `dir` that differ from what [`generate`](Self::generate)
    /// gave, as [`check`](Self::check) reports them.
    pub fn stale(generated: &Generated, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        write::stale_files(&generated.files, dir.as_ref())
    }

    fn preamble(&self) -> String {
        crate::output::preamble(self.options.command.as_deref())
    }

    fn checked(&self) -> Result<(), Error> {
        if self.options.inputs.is_empty() {
            return Err(Error::Settings("no spec given".into()));
        }
        self.options
            .settings
            .runtime
            .check()
            .map_err(Error::Settings)
    }
}

/// The name of the file [`Generator::generate_module`] is written to by
/// convention: the crate name in snake case, `.rs`.
pub fn module_file_name(crate_name: &str) -> String {
    format!("{}.rs", crate_name.replace('-', "_"))
}

/// The result of [`Generator::generate_module`].
#[derive(Debug)]
pub struct GeneratedModule {
    /// The Rust source, formatted.
    pub source: String,
    /// Warnings: places the output only approximates the spec.
    pub warnings: Vec<Diagnostic>,
    /// Figures.
    pub stats: Stats,
}
