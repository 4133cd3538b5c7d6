//! Project commands: `cargo xtask regen [--check]`, `cargo xtask generate`,
//! `cargo xtask corpus`.
//!
//! `regen` writes the client for `specs/` into `generated/`; `--check` only
//! compares and fails when `generated/` is stale. `generate` does the same for
//! any spec into any directory, as a standalone crate. Both are thin callers
//! of `apigen::Generator`, which writes atomically and compares; the
//! installable equivalent is the `apigen` binary (`generator/cli`). Both
//! print how the public API changed (`API.txt`) and the semver verdict;
//! `diff` compares any two generated crates or manifests.
//! `corpus` generates and compiles a client for every document of a corpus
//! (see `corpus.rs`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod bench_stripe;
mod corpus;
mod seeds;

use anyhow::{bail, Context, Result};
use apigen::{CrateSettings, Diagnostic, Generated, Generator, Options, Runtime};

// The generator makes and frees millions of small values (JSON, tokens,
// syntax trees) across threads; mimalloc does that faster than the system
// allocator and without glibc's per-thread arenas, which held on to memory
// one thread had freed (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  cargo xtask regen [--check] [--deny-warnings]
  cargo xtask diff OLD NEW    (each a generated crate directory or an API.txt)
  cargo xtask merge --spec PATH... --out FILE.json
  cargo xtask bench [--spec PATH] [--runs N] [--peer 'COMMAND {spec} .. {out} ..']
  cargo xtask bench --stripe --baseline REV [--release] [--program DIR]
  cargo xtask corpus [DIR|FILE...] [--expect-generated N] [--expect-compiled N] [--keep DIR] [--target-dir DIR]
  cargo xtask fuzz-seeds --out DIR
  cargo xtask generate --spec PATH... --out DIR [--crate-name NAME] [--runtime VERSION|path=DIR] [--deny-warnings] [--lenient] [--example-tests] [--contract-tests[=all]] [--header 'NAME: VALUE']... [--env SCHEME=VARIABLE]... [--quiet] [--type-uses]";

fn main() -> ExitCode {
    tune_allocator();
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// mimalloc keeps freed memory for a second (`purge_delay`) before giving it
/// back, longer than a whole generation of the Cloudflare description, so
/// what the early stages freed (JSON, typed documents) still counted when
/// formatting peaked. A quarter of a second brought the peak from 147-157
/// to 128-139 MiB (7 runs each) for about 3% more CPU time. Once the
/// generated code was a third smaller (the whole run about 0.55 s), the
/// peak was 148-159 MiB with 250 ms and 130-144 MiB with 100 ms (11 runs
/// each, alternating; wall and CPU time the same within noise); 50 ms gave
/// 127-134 MiB for a little more CPU time. Once the stages were faster
/// still (the whole run about 0.42 s), less of what they free had been
/// given back when the next one peaked: 140-146 MiB with 100 ms, 135-139
/// MiB with 50 ms for 10 ms more (9 runs each, alternating), so 50 ms.
fn tune_allocator() {
    /// `mi_option_purge_delay`, the same number in mimalloc 2 and 3 (the
    /// bindings name it only for older versions).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one option's value; mimalloc reads options when it
    // needs them, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 50) };
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        bail!("no command\n{USAGE}");
    };
    match command.as_str() {
        "regen" => regen(rest),
        "generate" => generate(rest),
        "diff" => diff(rest),
        "merge" => merge(rest),
        "bench" => bench::run(rest, &root()).map(|()| ExitCode::SUCCESS),
        "corpus" => corpus::run(rest, &root()),
        "fuzz-seeds" => {
            let out = match rest {
                [flag, dir] if flag == "--out" => PathBuf::from(dir),
                _ => bail!("usage: cargo xtask fuzz-seeds --out DIR"),
            };
            let count = seeds::write(&root(), &out)?;
            println!("wrote {count} seeds to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

/// What `regen` writes: (specs, output directory, crate name, title).
/// Generated, committed crates: the client, and fixtures whose names
/// (fields, types, tags) collide in every way, compiled by `cargo test` to
/// prove the disambiguation yields valid Rust and a valid manifest.
const TARGETS: &[(&str, &str, &str, Option<&str>)] = &[
    (
        "specs",
        "generated",
        "cloudflare-api",
        Some("Cloudflare API"),
    ),
    (
        "tests/fixtures/collisions.yaml",
        "tests/fixtures/collisions",
        "collisions-fixture",
        None,
    ),
    (
        "tests/fixtures/area-names.yaml",
        "tests/fixtures/area-names",
        "area-names-fixture",
        None,
    ),
    // Parameter styles and form bodies (`tests/tests/it/styles.rs`).
    (
        "tests/fixtures/styles-specs/3.0",
        "tests/fixtures/styles-30",
        "styles-fixture-30",
        None,
    ),
    (
        "tests/fixtures/styles-specs/3.1",
        "tests/fixtures/styles-31",
        "styles-fixture-31",
        None,
    ),
    // Pagination read from the description (`tests/tests/paging.rs`).
    (
        "tests/fixtures/paging.yaml",
        "tests/fixtures/paging",
        "paging-fixture",
        None,
    ),
    // Idempotency keys, default headers and a named variable
    // (`tests/tests/it/idempotency.rs`).
    (
        "tests/fixtures/idempotency.yaml",
        "tests/fixtures/idempotency",
        "idempotency-fixture",
        None,
    ),
    // Server-sent events and NDJSON responses and request bodies
    // (`tests/tests/it/streams.rs`).
    (
        "tests/fixtures/streams.yaml",
        "tests/fixtures/streams",
        "streams-fixture",
        None,
    ),
    // A corpus client, untouched (readmeio's Petstore), called blocking
    // from a plain `fn main` (`tests/tests/blocking`).
    (
        "tests/fixtures/corpus/petstore.json",
        "tests/fixtures/petstore",
        "petstore-fixture",
        None,
    ),
];

fn regen(args: &[String]) -> Result<ExitCode> {
    let mut check = false;
    let mut deny_warnings = false;
    for arg in args {
        match arg.as_str() {
            "--check" => check = true,
            "--deny-warnings" => deny_warnings = true,
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    let root = root();
    let mut stale = Vec::new();
    for &(spec, out_dir, name, title) in TARGETS {
        let out = root.join(out_dir);
        let depth = out_dir.split('/').count();
        let settings = CrateSettings {
            name: name.into(),
            runtime: Runtime::Path(format!("{}generator/runtime", "../".repeat(depth))),
            standalone: false,
        };
        let generator = Generator::from_options(Options {
            // The fixtures warn by design.
            deny_warnings: deny_warnings && out_dir == "generated",
            title: title.map(Into::into),
            command: Some("cargo xtask regen".into()),
            // As `--header 'Stripe-Version: 2020-08-27'` and
            // `--env bearerAuth=PAYMENTS_SECRET_KEY` make it.
            default_headers: pairs(out_dir, &[("Stripe-Version", "2020-08-27")]),
            env_vars: pairs(out_dir, &[("bearerAuth", "PAYMENTS_SECRET_KEY")]),
            ..Options::new(vec![root.join(spec)], settings)
        });
        let Some(generated) = report(generator.generate(), &root)? else {
            return Ok(ExitCode::FAILURE);
        };
        let api = api_changes(&generated, &out)?;
        if check {
            let Some(files) = report(Generator::stale(&generated, &out), &root)? else {
                return Ok(ExitCode::FAILURE);
            };
            if !files.is_empty() {
                eprint!("{out_dir}/{}: {api}", apigen::manifest::FILE);
            }
            stale.extend(files.into_iter().map(|f| Path::new(out_dir).join(f)));
        } else {
            if report(generator.write_generated(&generated, &out), &root)?.is_none() {
                return Ok(ExitCode::FAILURE);
            }
            print_stats(&generated, &out);
            print!("{out_dir}/{}: {api}", apigen::manifest::FILE);
        }
    }
    if !check {
        return Ok(ExitCode::SUCCESS);
    }
    if stale.is_empty() {
        println!("generated code is up to date");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("generated code is stale; these files differ from what the specs produce:");
    for file in &stale {
        eprintln!("  {}", file.display());
    }
    eprintln!("run `cargo xtask regen` and commit the result");
    Ok(ExitCode::FAILURE)
}

/// `pairs` for the idempotency fixture, none for the other outputs.
fn pairs(out_dir: &str, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    if out_dir != "tests/fixtures/idempotency" {
        return Vec::new();
    }
    pairs
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// `generate`'s command line: the generator's options, where to write,
/// and what to print.
struct GenerateArgs {
    options: Options,
    out: PathBuf,
    quiet: bool,
    peak_memory: bool,
}

// Longer than 80 lines: one match arm per command-line flag.
fn generate_args(args: &[String]) -> Result<GenerateArgs> {
    let mut specs = Vec::new();
    let mut out = None;
    let mut name = None;
    let mut runtime = Runtime::default();
    let mut deny_warnings = false;
    let mut quiet = false;
    let mut example_tests = false;
    let mut contract_tests = false;
    let mut contract_every_operation = false;
    let mut peak_memory = false;
    let mut type_uses = false;
    let mut default_headers = Vec::new();
    let mut env_vars = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--spec" => specs.push(PathBuf::from(iter.next().context("--spec needs a path")?)),
            "--out" => {
                out = Some(PathBuf::from(
                    iter.next().context("--out needs a directory")?,
                ))
            }
            "--crate-name" => {
                name = Some(iter.next().context("--crate-name needs a name")?.clone())
            }
            "--runtime" => {
                runtime = iter
                    .next()
                    .context("--runtime needs a version or path=DIR")?
                    .parse()
                    .map_err(anyhow::Error::msg)?
            }
            "--header" => default_headers.push(
                apigen::parse_header(iter.next().context("--header needs NAME: VALUE")?)
                    .map_err(anyhow::Error::msg)?,
            ),
            "--env" => env_vars.push(
                apigen::parse_env(iter.next().context("--env needs SCHEME=VARIABLE")?)
                    .map_err(anyhow::Error::msg)?,
            ),
            "--deny-warnings" => deny_warnings = true,
            "--quiet" => quiet = true,
            // Accepted for old scripts: falling back to `serde_json::Value`
            // for a schema no Rust type expresses is now the default.
            "--lenient" => {}
            "--example-tests" => example_tests = true,
            "--contract-tests" => contract_tests = true,
            // Every operation once, rather than a few per area.
            "--contract-tests=all" => {
                contract_tests = true;
                contract_every_operation = true;
            }
            "--peak-memory" => peak_memory = true,
            "--type-uses" => type_uses = true,
            other if !other.starts_with('-') && !specs.is_empty() => {
                specs.push(PathBuf::from(other))
            }
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    if specs.is_empty() {
        bail!("no --spec given\n{USAGE}");
    }
    let out = out.context("no --out given")?;
    let settings = CrateSettings {
        runtime,
        ..CrateSettings::new(name.unwrap_or_else(|| "api-client".into()))
    };
    let options = Options {
        deny_warnings,
        example_tests,
        contract_tests,
        contract_every_operation,
        command: Some("cargo xtask generate".into()),
        default_headers,
        env_vars,
        type_uses,
        ..Options::new(specs, settings)
    };
    Ok(GenerateArgs {
        options,
        out,
        quiet,
        peak_memory,
    })
}

fn generate(args: &[String]) -> Result<ExitCode> {
    let GenerateArgs {
        options,
        out,
        quiet,
        peak_memory,
    } = generate_args(args)?;
    let generator = Generator::from_options(options);
    let cwd = std::env::current_dir().unwrap_or_default();
    let Some(generated) = report(generator.write_to(&out), &cwd)? else {
        return Ok(ExitCode::FAILURE);
    };
    if !quiet {
        print_warnings(&generated.warnings);
    }
    print_stats(&generated, &out);
    if peak_memory {
        println!(
            "peak memory: {}",
            bench::peak_memory().unwrap_or_else(|| "unknown".into())
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// How the public API in `generated` differs from the crate in `out`, as a
/// summary with the semver verdict.
fn api_changes(generated: &Generated, out: &Path) -> Result<String> {
    let new = generated
        .files
        .get(Path::new(apigen::manifest::FILE))
        .context("the generator wrote no API manifest")?;
    let new = apigen::Manifest::parse(new).map_err(anyhow::Error::msg)?;
    let old_path = out.join(apigen::manifest::FILE);
    let (old, note) = match std::fs::read_to_string(&old_path) {
        Ok(text) => (
            apigen::Manifest::parse(&text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("reading {}", old_path.display()))?,
            "",
        ),
        Err(_) => (
            apigen::Manifest::default(),
            "(no previous manifest: compared with an empty API)\n",
        ),
    };
    Ok(format!("{note}{}", apigen::manifest::compare(&old, &new)))
}

/// Reads a manifest: `API.txt` in a generated crate directory, or the file.
fn read_manifest(path: &Path) -> Result<apigen::Manifest> {
    let file = if path.is_dir() {
        path.join(apigen::manifest::FILE)
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&file).with_context(|| {
        format!(
            "reading {} (generate the crate with this version of apigen to get one)",
            file.display()
        )
    })?;
    apigen::Manifest::parse(&text)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("reading {}", file.display()))
}

/// `cargo xtask diff OLD NEW`: the API changes from one output to another.
fn diff(args: &[String]) -> Result<ExitCode> {
    let [old, new] = args else {
        bail!("expected two paths\n{USAGE}");
    };
    let old = read_manifest(Path::new(old))?;
    let new = read_manifest(Path::new(new))?;
    print!("{}", apigen::manifest::compare(&old, &new));
    Ok(ExitCode::SUCCESS)
}

/// Writes the merged, self-contained document of some spec files.
fn merge(args: &[String]) -> Result<ExitCode> {
    let mut specs = Vec::new();
    let mut out = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--spec" => specs.push(PathBuf::from(iter.next().context("--spec needs a path")?)),
            "--out" => out = Some(PathBuf::from(iter.next().context("--out needs a file")?)),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    let out = out.context("no --out given")?;
    if specs.is_empty() {
        specs.push(root().join("specs"));
    }
    match apigen::merged_document(&specs) {
        Ok(document) => {
            let text = serde_json::to_string_pretty(&document)?;
            std::fs::write(&out, text).with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                eprintln!("{diagnostic}\n");
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Prints diagnostics and returns `None` when the spec was at fault; other
/// failures (a directory apigen did not make, I/O) are errors.
fn report<T>(result: Result<T, apigen::Error>, base: &Path) -> Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(apigen::Error::Spec(diagnostics)) => {
            eprint!("{}", apigen::render(&diagnostics, base));
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            eprintln!(
                "generation failed: {errors} error(s), {warnings} warning(s); nothing was written"
            );
            Ok(None)
        }
        Err(other) => Err(other.into()),
    }
}

/// Groups warnings by kind, each with its locations.
fn print_warnings(warnings: &[Diagnostic]) {
    eprint!("{}", apigen::warnings_summary(warnings));
}

fn print_stats(generated: &Generated, out: &Path) {
    let stats = &generated.stats;
    println!(
        "wrote {} ({} operations in {} areas; {} types, {} before merging identical ones; {} lines; {} warnings)",
        out.display(),
        stats.operations,
        stats.areas,
        stats.types,
        stats.types_before_dedup,
        stats.lines,
        generated.warnings.len()
    );
    println!("stages: {}", bench::stages(stats));
}
