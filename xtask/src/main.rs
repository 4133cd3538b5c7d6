//! Project commands: `cargo xtask regen [--check]`, `cargo xtask generate`,
//! `cargo xtask corpus`.
//!
//! `regen` writes the client for `specs/` into `generated/`; `--check` only
//! compares and fails when `generated/` is stale. `generate` does the same for
//! any spec into any directory, as a standalone crate. `corpus` generates and
//! compiles a client for every document of a corpus (see `corpus.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod corpus;
mod seeds;

use anyhow::{bail, Context, Result};
use apigen::{CrateSettings, Diagnostic, Generated, Options};

const USAGE: &str = "usage:
  cargo xtask regen [--check] [--deny-warnings]
  cargo xtask merge --spec PATH... --out FILE.json
  cargo xtask bench [--spec PATH] [--runs N]
  cargo xtask corpus [DIR|FILE...] [--expect-generated N] [--expect-compiled N] [--keep DIR] [--target-dir DIR]
  cargo xtask fuzz-seeds --out DIR
  cargo xtask generate --spec PATH... --out DIR [--crate-name NAME] [--deny-warnings] [--example-tests] [--contract-tests] [--quiet]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
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
    // Generated, committed crates: the client, and fixtures whose names
    // (fields, types, tags) collide in every way, compiled by `cargo test` to
    // prove the disambiguation yields valid Rust and a valid manifest.
    let targets = [
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
    ];
    let mut stale = Vec::new();
    for (spec, out_dir, name, title) in targets {
        let out = root.join(out_dir);
        let depth = out_dir.split('/').count();
        let settings = CrateSettings {
            name: name.into(),
            runtime_path: format!("{}generator/runtime", "../".repeat(depth)),
            standalone: false,
        };
        let options = Options {
            // The fixtures warn by design.
            deny_warnings: deny_warnings && out_dir == "generated",
            title: title.map(Into::into),
            ..Options::new(vec![root.join(spec)], settings)
        };
        let Some(generated) = run_generator(&options, &root)? else {
            return Ok(ExitCode::FAILURE);
        };
        if check {
            stale.extend(
                stale_files(&generated.files, &out)?
                    .into_iter()
                    .map(|f| Path::new(out_dir).join(f)),
            );
        } else {
            write_atomically(&generated.files, &out)?;
            print_stats(&generated, &out);
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

fn generate(args: &[String]) -> Result<ExitCode> {
    let mut specs = Vec::new();
    let mut out = None;
    let mut name = None;
    let mut deny_warnings = false;
    let mut quiet = false;
    let mut example_tests = false;
    let mut contract_tests = false;
    let mut peak_memory = false;
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
            "--deny-warnings" => deny_warnings = true,
            "--quiet" => quiet = true,
            // Accepted for old scripts: falling back to `serde_json::Value`
            // for a schema no Rust type expresses is now the default.
            "--lenient" => {}
            "--example-tests" => example_tests = true,
            "--contract-tests" => contract_tests = true,
            "--peak-memory" => peak_memory = true,
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
    let runtime = root().join("generator").join("runtime");
    let settings = CrateSettings {
        name: name.unwrap_or_else(|| "api-client".into()),
        runtime_path: runtime.display().to_string(),
        standalone: true,
    };
    let options = Options {
        deny_warnings,
        example_tests,
        contract_tests,
        ..Options::new(specs, settings)
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    let Some(generated) = run_generator(&options, &cwd)? else {
        return Ok(ExitCode::FAILURE);
    };
    write_atomically(&generated.files, &out)?;
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

/// Runs the generator; prints diagnostics and returns `None` on failure.
fn run_generator(options: &Options, base: &Path) -> Result<Option<Generated>> {
    match apigen::generate(options) {
        Ok(generated) => Ok(Some(generated)),
        Err(diagnostics) => {
            eprint!("{}", apigen::render(&diagnostics, base));
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            eprintln!(
                "generation failed: {errors} error(s), {warnings} warning(s); nothing was written"
            );
            Ok(None)
        }
    }
}

/// Groups warnings by kind, each with its locations.
fn print_warnings(warnings: &[Diagnostic]) {
    if warnings.is_empty() {
        return;
    }
    let mut groups: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for warning in warnings {
        groups
            .entry(warning.kind.label())
            .or_default()
            .push(warning);
    }
    eprintln!("places the output only approximates the spec:");
    for (label, list) in groups {
        eprintln!("  {label}: {}", list.len());
        for warning in list {
            eprintln!("    {}: {}", warning.location, warning.message);
        }
    }
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

/// Files under `dir` that differ from `files`, are missing, or are extra.
fn stale_files(files: &BTreeMap<PathBuf, String>, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut stale = Vec::new();
    for (path, contents) in files {
        match std::fs::read_to_string(dir.join(path)) {
            Ok(existing) if existing == *contents => {}
            _ => stale.push(path.clone()),
        }
    }
    for existing in list_files(dir)? {
        if !files.contains_key(&existing) {
            stale.push(existing);
        }
    }
    stale.sort();
    Ok(stale)
}

fn list_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in
            std::fs::read_dir(&current).with_context(|| format!("reading {}", current.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                out.push(relative.to_path_buf());
            }
        }
    }
    Ok(out)
}

/// Writes the files into a fresh sibling directory, then swaps it in, so a
/// failure at any point leaves the previous output as it was.
fn write_atomically(files: &BTreeMap<PathBuf, String>, out: &Path) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".apigen-staging-")
        .tempdir_in(&parent)
        .with_context(|| format!("creating a staging directory in {}", parent.display()))?;
    for (path, contents) in files {
        let target = staging.path().join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&target, contents)
            .with_context(|| format!("writing {}", target.display()))?;
    }
    // Keep a build directory the user may have inside the output.
    let target_dir = out.join("target");
    if target_dir.is_dir() {
        std::fs::rename(&target_dir, staging.path().join("target"))?;
    }
    let backup = parent.join(format!(
        ".apigen-old-{}",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    if backup.exists() {
        std::fs::remove_dir_all(&backup)?;
    }
    if out.exists() {
        std::fs::rename(out, &backup).with_context(|| format!("moving {} aside", out.display()))?;
    }
    let staged = staging.keep();
    if let Err(error) = std::fs::rename(&staged, out) {
        // Put the old output back.
        if backup.exists() {
            let _ = std::fs::rename(&backup, out);
        }
        return Err(error).with_context(|| format!("moving the new output into {}", out.display()));
    }
    if backup.exists() {
        std::fs::remove_dir_all(&backup)?;
    }
    Ok(())
}
