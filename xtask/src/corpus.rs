//! `cargo xtask corpus [DIR...]`: generates a client for every root document
//! of a corpus of real-world descriptions (`../shared/corpus` by default) and
//! proves each crate compiles with no rustc or clippy warning.
//!
//! - A root document is a `.json`, `.yaml` or `.yml` file with a top-level
//!   `openapi` (or `swagger`) key; the other files of a split description
//!   (reached by `$ref`) have none. A file given on the command line is a root.
//! - Every crate goes into one cargo workspace in a temporary directory (the
//!   repository's `Cargo.lock` copied in), sharing one target directory, and
//!   is checked on its own (`cargo check -p`, then `cargo clippy -p`, with
//!   `RUSTFLAGS=-Dwarnings`), so each failure is attributed to its document.
//! - One row per document: generated (or the first diagnostic), compiled,
//!   rustc and clippy warnings by lint, `serde_json::Value` fallbacks,
//!   generation and check times. Then totals, then every fallback with its
//!   pointers and reason.
//!
//! Exits non-zero when a document fails to generate or to compile cleanly, or,
//! with `--expect-generated N` / `--expect-compiled N`, when the totals are not
//! exactly those (while some documents cannot be generated yet).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use apigen::{CrateSettings, Kind, Options};

const USAGE: &str = "usage: cargo xtask corpus [DIR|FILE...] [--expect-generated N] [--expect-compiled N] [--keep DIR] [--target-dir DIR]";

/// What happened to one document.
#[derive(Debug, Default)]
struct Row {
    /// The document, relative to the corpus directory it was found in.
    name: String,
    /// The crate's package name and directory in the workspace.
    package: String,
    /// `Err(first diagnostic)` when generation failed.
    generated: Option<Result<(), String>>,
    generation_time: Duration,
    /// Generator warnings (all kinds).
    generator_warnings: usize,
    /// `serde_json::Value` fallbacks: location and reason.
    fallbacks: Vec<String>,
    /// `Err(first error)` when it does not compile cleanly.
    compiled: Option<Result<(), String>>,
    /// Lint name → count, rustc and clippy.
    warnings: BTreeMap<String, usize>,
    check_time: Duration,
}

/// The command line.
struct Args {
    inputs: Vec<PathBuf>,
    expect_generated: Option<usize>,
    expect_compiled: Option<usize>,
    keep: Option<PathBuf>,
    target_dir: PathBuf,
}

impl Args {
    fn parse(args: &[String], root: &Path) -> Result<Args> {
        let mut parsed = Args {
            inputs: Vec::new(),
            expect_generated: None,
            expect_compiled: None,
            keep: None,
            target_dir: root.join("target").join("corpus"),
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "--expect-generated" => {
                    parsed.expect_generated = Some(number(iter.next(), "--expect-generated")?)
                }
                "--expect-compiled" => {
                    parsed.expect_compiled = Some(number(iter.next(), "--expect-compiled")?)
                }
                "--keep" => {
                    parsed.keep = Some(PathBuf::from(
                        iter.next().context("--keep needs a directory")?,
                    ))
                }
                "--target-dir" => {
                    parsed.target_dir =
                        PathBuf::from(iter.next().context("--target-dir needs a directory")?)
                }
                other if other.starts_with('-') => bail!("unknown argument `{other}`\n{USAGE}"),
                other => parsed.inputs.push(PathBuf::from(other)),
            }
        }
        if parsed.inputs.is_empty() {
            parsed.inputs.push(root.join("../shared/corpus"));
        }
        Ok(parsed)
    }
}

/// Runs the tool.
pub fn run(args: &[String], root: &Path) -> Result<ExitCode> {
    let args = Args::parse(args, root)?;
    let started = Instant::now();
    let documents = documents(&args.inputs)?;
    let temp = tempfile::Builder::new()
        .prefix("apigen-corpus-")
        .tempdir()?;
    let work = match &args.keep {
        Some(dir) => {
            if dir.exists() {
                std::fs::remove_dir_all(dir)
                    .with_context(|| format!("clearing {}", dir.display()))?;
            }
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => temp.path().to_path_buf(),
    };
    let runtime = root.join("generator").join("runtime");

    // Generate every document.
    let mut rows = Vec::new();
    let mut packages = BTreeMap::new();
    for (path, name) in &documents {
        let package = unique_package(&package_name(name), &mut packages);
        rows.push(generate(path, name, package, &work)?);
    }

    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        std::fs::write(work.join("Cargo.lock"), lock)?;
    }
    let members = members(&work, &args.target_dir, &mut rows, &runtime)?;

    // The dependencies first, so their build is not charged to one crate.
    let start = Instant::now();
    if !members.is_empty() {
        for tool in ["check", "clippy"] {
            cargo(&work, &args.target_dir)
                .args([tool, "--quiet", "-p", "apigen-runtime"])
                .env("RUSTFLAGS", "-Dwarnings")
                .status()
                .with_context(|| format!("running cargo {tool}"))?;
        }
    }
    let dependencies = start.elapsed();

    for &index in &members {
        check(&work, &args.target_dir, &mut rows[index])?;
    }

    let report = report(&rows, dependencies, started.elapsed());
    print!("{report}");
    if let Some(dir) = &args.keep {
        std::fs::write(dir.join("report.txt"), &report)?;
        println!("kept the crates and this report in {}", dir.display());
    }
    Ok(verdict(&rows, args.expect_generated, args.expect_compiled))
}

/// The root documents of the inputs (a file is one), each with its name
/// relative to the directory it was found in.
fn documents(inputs: &[PathBuf]) -> Result<Vec<(PathBuf, PathBuf)>> {
    let mut documents = Vec::new();
    for input in inputs {
        if input.is_file() {
            let name = input.file_name().map(PathBuf::from).unwrap_or_default();
            documents.push((input.clone(), name));
        } else {
            let mut found = Vec::new();
            roots(input, &mut found).with_context(|| format!("reading {}", input.display()))?;
            found.sort();
            for path in found {
                let name = path.strip_prefix(input).unwrap_or(&path).to_path_buf();
                documents.push((path, name));
            }
        }
    }
    if documents.is_empty() {
        bail!("no OpenAPI documents under {inputs:?}");
    }
    Ok(documents)
}

/// Generates one document into `work/<package>`: its row, with the
/// generator's warnings and fallbacks, or its first diagnostic.
fn generate(path: &Path, name: &Path, package: String, work: &Path) -> Result<Row> {
    let mut row = Row {
        name: name.display().to_string(),
        package: package.clone(),
        ..Row::default()
    };
    // The crates name the runtime by version, as users get them; the
    // workspace patches in this checkout's (see `write_workspace`).
    let settings = CrateSettings {
        standalone: false,
        ..CrateSettings::new(package.clone())
    };
    let options = Options::new(vec![path.to_path_buf()], settings);
    let start = Instant::now();
    let result = apigen::generate(&options);
    row.generation_time = start.elapsed();
    let generated = match result {
        Ok(generated) => generated,
        Err(diagnostics) => {
            let first = diagnostics
                .iter()
                .find(|d| d.is_error())
                .or(diagnostics.first())
                .map(|d| format!("{}[{}]: {}", "error", d.kind.label(), d.message))
                .unwrap_or_else(|| "failed without a diagnostic".into());
            row.generated = Some(Err(first));
            return Ok(row);
        }
    };
    row.generator_warnings = generated.warnings.len();
    for warning in generated
        .warnings
        .iter()
        .filter(|w| w.kind == Kind::Fallback)
    {
        // Paths relative to the corpus directory, as in the rows.
        let mut location = warning.location.clone();
        let base = path.ancestors().nth(name.components().count());
        if let (Some(file), Some(base)) = (&location.file, base) {
            if let Ok(relative) = file.strip_prefix(base) {
                location.file = Some(relative.to_path_buf());
            }
        }
        let mut at = location.to_string();
        if let Some(related) = &warning.related {
            let _ = write!(at, " and #{}", related.pointer);
        }
        row.fallbacks.push(format!("{at}: {}", warning.message));
    }
    for (file, contents) in &generated.files {
        let target = work.join(&package).join(file);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&target, contents)
            .with_context(|| format!("writing {}", target.display()))?;
    }
    row.generated = Some(Ok(()));
    Ok(row)
}

/// One workspace over the generated crates: the indexes of its members. A
/// member whose manifest cargo refuses is taken out and marked, so the
/// others can still be checked.
fn members(work: &Path, target_dir: &Path, rows: &mut [Row], runtime: &Path) -> Result<Vec<usize>> {
    let mut members: Vec<usize> = (0..rows.len())
        .filter(|i| matches!(rows[*i].generated, Some(Ok(()))))
        .collect();
    loop {
        write_workspace(work, &members, rows, runtime)?;
        let output = cargo(work, target_dir)
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .output()
            .context("running cargo metadata")?;
        if output.status.success() || members.is_empty() {
            return Ok(members);
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let culprit = members.iter().position(|i| {
            let dir = work.join(&rows[*i].package);
            stderr.contains(&format!("`{}`", dir.display()))
                || stderr.contains(&dir.join("Cargo.toml").display().to_string())
        });
        let Some(position) = culprit else {
            bail!("cargo cannot load the corpus workspace:\n{stderr}");
        };
        let index = members.remove(position);
        rows[index].compiled = Some(Err(first_cargo_error(&stderr)));
    }
}

/// Checks and lints one crate on its own, recording its lints, time and
/// first error.
fn check(work: &Path, target_dir: &Path, row: &mut Row) -> Result<()> {
    let start = Instant::now();
    let mut failure = None;
    for tool in ["check", "clippy"] {
        let output = cargo(work, target_dir)
            .args([tool, "--quiet", "--message-format=json", "-p", &row.package])
            .env("RUSTFLAGS", "-Dwarnings")
            .output()
            .with_context(|| format!("running cargo {tool}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        // Clippy reports rustc's lints too: count them once, from it.
        let mut lints = BTreeMap::new();
        let errors = read_messages(&stdout, &mut lints);
        if !output.status.success() && failure.is_none() {
            failure = Some(match errors.into_iter().next() {
                Some(error) => error,
                None if !lints.is_empty() => "warnings, denied by -Dwarnings".to_string(),
                None => first_cargo_error(&String::from_utf8_lossy(&output.stderr)),
            });
        }
        if tool == "clippy" {
            row.warnings = lints;
        }
    }
    row.check_time = start.elapsed();
    // Lints denied by -Dwarnings fail the build; they are counted above.
    row.compiled = Some(match failure {
        None => Ok(()),
        Some(error) => Err(error),
    });
    Ok(())
}

/// Success unless a document failed, or the totals are not the expected.
fn verdict(
    rows: &[Row],
    expect_generated: Option<usize>,
    expect_compiled: Option<usize>,
) -> ExitCode {
    let (generated, compiled) = successes(rows);
    let mut failures = Vec::new();
    match expect_generated {
        Some(n) if n != generated => {
            failures.push(format!("{generated} documents generate, expected {n}"))
        }
        None if generated != rows.len() => failures.push(format!(
            "{} of {} documents do not generate",
            rows.len() - generated,
            rows.len()
        )),
        _ => {}
    }
    match expect_compiled {
        Some(n) if n != compiled => {
            failures.push(format!("{compiled} crates compile cleanly, expected {n}"))
        }
        None if compiled != generated => failures.push(format!(
            "{} of {generated} generated crates do not compile cleanly",
            generated - compiled
        )),
        _ => {}
    }
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn number(value: Option<&String>, flag: &str) -> Result<usize> {
    value
        .with_context(|| format!("{flag} needs a number"))?
        .parse()
        .with_context(|| format!("{flag} needs a number"))
}

/// Root documents under `dir`, at any depth.
fn roots(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            roots(&path, out)?;
        } else if is_root(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether a file is an OpenAPI (or Swagger) document rather than a fragment.
fn is_root(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !matches!(extension, "json" | "yaml" | "yml") {
        return false;
    }
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    // By content, not by name: some vendors publish JSON as `.yaml`.
    if text.trim_start().starts_with('{') {
        return serde_json::from_str::<serde_json::Value>(&text)
            .is_ok_and(|value| value.get("openapi").is_some() || value.get("swagger").is_some());
    }
    // A top-level key starts in the first column.
    text.lines().any(|line| {
        ["openapi:", "swagger:", "\"openapi\":", "'openapi':"]
            .iter()
            .any(|key| line.starts_with(key))
    })
}

/// A package name for a document: `oas-examples/3.0/petstore.json` →
/// `oas-examples-3-0-petstore`.
fn package_name(name: &Path) -> String {
    let text = name.with_extension("").display().to_string();
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let joined = words.join("-");
    if joined.starts_with(|c: char| c.is_ascii_alphabetic()) {
        joined
    } else {
        format!("doc-{joined}")
    }
}

fn unique_package(base: &str, taken: &mut BTreeMap<String, ()>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while taken.contains_key(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(name.clone(), ());
    name
}

fn write_workspace(work: &Path, members: &[usize], rows: &[Row], runtime: &Path) -> Result<()> {
    let mut toml = String::from("[workspace]\nresolver = \"2\"\nmembers = [\n");
    for index in members {
        let _ = writeln!(toml, "    {:?},", rows[*index].package);
    }
    toml.push_str("]\n");
    let _ = writeln!(
        toml,
        "\n[patch.crates-io]\napigen-runtime = {{ path = {:?} }}",
        runtime.display().to_string()
    );
    std::fs::write(work.join("Cargo.toml"), toml)?;
    Ok(())
}

fn cargo(work: &Path, target_dir: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(work)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS");
    command
}

/// Counts the lints in cargo's JSON messages and returns the real errors
/// (not lints denied by `-Dwarnings`), first line each.
fn read_messages(stdout: &str, warnings: &mut BTreeMap<String, usize>) -> Vec<String> {
    let mut errors = Vec::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let diagnostic = &message["message"];
        let level = diagnostic["level"].as_str().unwrap_or("");
        let code = diagnostic["code"]["code"].as_str().unwrap_or("");
        let text = diagnostic["message"].as_str().unwrap_or("").to_string();
        let is_lint = !code.is_empty() && !is_error_code(code);
        if is_lint {
            *warnings.entry(code.to_string()).or_default() += 1;
        } else if level == "error" && !text.starts_with("aborting due to") {
            let location = diagnostic["spans"]
                .as_array()
                .and_then(|spans| spans.first())
                .map(|span| {
                    format!(
                        " ({}:{})",
                        span["file_name"].as_str().unwrap_or(""),
                        span["line_start"]
                    )
                })
                .unwrap_or_default();
            errors.push(format!("{text}{location}"));
        }
    }
    errors
}

/// `E0412` and the like: rustc's codes for errors (lints have names).
fn is_error_code(code: &str) -> bool {
    code.len() == 5 && code.starts_with('E') && code[1..].chars().all(|c| c.is_ascii_digit())
}

fn first_cargo_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    // The cause is the last line of cargo's chain ("Caused by: ...").
    let cause = lines
        .iter()
        .rposition(|l| l.starts_with("Caused by:"))
        .and_then(|i| lines.get(i + 1))
        .or_else(|| lines.iter().find(|l| l.starts_with("error")))
        .or(lines.first());
    cause.map_or_else(|| "cargo failed".into(), |l| l.to_string())
}

fn seconds(duration: Duration) -> String {
    format!("{:.2}s", duration.as_secs_f64())
}

/// How many documents generated and how many compiled.
fn successes(rows: &[Row]) -> (usize, usize) {
    let count = |ok: fn(&Row) -> bool| rows.iter().filter(|r| ok(r)).count();
    (
        count(|r| matches!(r.generated, Some(Ok(())))),
        count(|r| matches!(r.compiled, Some(Ok(())))),
    )
}

fn report(rows: &[Row], dependencies: Duration, wall: Duration) -> String {
    let mut out = String::new();
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(8).max(8);
    let _ = writeln!(
        out,
        "{:width$}  {:9}  {:8}  {:>8}  {:>9}  {:>7}  {:>7}  warnings",
        "document", "generated", "compiled", "apigen-w", "fallbacks", "gen", "check*"
    );
    for row in rows {
        match &row.generated {
            Some(Err(first)) => {
                let _ = writeln!(out, "{:width$}  no: {first}", row.name);
                continue;
            }
            None => continue,
            Some(Ok(())) => {}
        }
        let compiled = match &row.compiled {
            Some(Ok(())) => "yes",
            Some(Err(_)) => "NO",
            None => "-",
        };
        let lints: Vec<String> = row
            .warnings
            .iter()
            .map(|(lint, count)| format!("{lint} x{count}"))
            .collect();
        let _ = writeln!(
            out,
            "{:width$}  {:9}  {:8}  {:>8}  {:>9}  {:>7}  {:>7}  {}",
            row.name,
            "yes",
            compiled,
            row.generator_warnings,
            row.fallbacks.len(),
            seconds(row.generation_time),
            seconds(row.check_time),
            if lints.is_empty() {
                "0".to_string()
            } else {
                lints.join(", ")
            }
        );
        if let Some(Err(error)) = &row.compiled {
            let _ = writeln!(out, "{:width$}    first error: {error}", "");
        }
    }
    let (generated, compiled) = successes(rows);
    let lints: usize = rows.iter().flat_map(|r| r.warnings.values()).sum();
    let fallbacks: usize = rows.iter().map(|r| r.fallbacks.len()).sum();
    let generation: Duration = rows.iter().map(|r| r.generation_time).sum();
    let check: Duration = rows.iter().map(|r| r.check_time).sum();
    let _ = writeln!(
        out,
        "\ntotal: {} documents, {generated} generated, {compiled} compiled with no warning, \
         {lints} rustc/clippy warnings, {fallbacks} serde_json::Value fallbacks; \
         generation {}, dependencies {}, check {}, wall {}",
        rows.len(),
        seconds(generation),
        seconds(dependencies),
        seconds(check),
        seconds(wall)
    );
    let _ = writeln!(
        out,
        "apigen-w: the generator's warnings; check*: cargo check and cargo clippy of the crate; \
         warnings: rustc and clippy lints (denied by -Dwarnings)"
    );
    if fallbacks > 0 {
        let _ = writeln!(out, "\nfallbacks to serde_json::Value:");
        for row in rows.iter().filter(|r| !r.fallbacks.is_empty()) {
            let _ = writeln!(out, "  {}:", row.name);
            for fallback in &row.fallbacks {
                let _ = writeln!(out, "    {fallback}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_valid_and_readable() {
        assert_eq!(
            package_name(Path::new("oas-examples/3.0/petstore.json")),
            "oas-examples-3-0-petstore"
        );
        assert_eq!(package_name(Path::new("3.1/x.yaml")), "doc-3-1-x");
        let mut taken = BTreeMap::new();
        assert_eq!(unique_package("a", &mut taken), "a");
        assert_eq!(unique_package("a", &mut taken), "a-2");
    }

    #[test]
    fn lints_are_counted_and_errors_kept() {
        let stdout = [
            r#"{"reason":"compiler-message","message":{"level":"error","message":"unused import","code":{"code":"unused_imports"},"spans":[]}}"#,
            r#"{"reason":"compiler-message","message":{"level":"error","message":"doc list item","code":{"code":"clippy::doc_lazy_continuation"},"spans":[]}}"#,
            r#"{"reason":"compiler-message","message":{"level":"error","message":"cannot find type `X`","code":{"code":"E0412"},"spans":[{"file_name":"src/lib.rs","line_start":3}]}}"#,
            r#"{"reason":"compiler-message","message":{"level":"error","message":"aborting due to 3 previous errors","code":null,"spans":[]}}"#,
            "not json",
        ]
        .join("\n");
        let mut warnings = BTreeMap::new();
        let errors = read_messages(&stdout, &mut warnings);
        assert_eq!(errors, vec!["cannot find type `X` (src/lib.rs:3)"]);
        assert_eq!(warnings.get("unused_imports"), Some(&1));
        assert_eq!(warnings.get("clippy::doc_lazy_continuation"), Some(&1));
    }

    #[test]
    fn cargo_errors_give_their_cause() {
        let stderr = "error: failed to load manifest for workspace member `/tmp/x/a`\n\
                      referenced by workspace at `/tmp/x/Cargo.toml`\n\nCaused by:\n  \
                      failed to parse manifest at `/tmp/x/a/Cargo.toml`\n\nCaused by:\n  \
                      duplicate key `default`\n";
        assert_eq!(first_cargo_error(stderr), "duplicate key `default`");
    }

    #[test]
    fn roots_are_documents_not_fragments() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("creates");
            std::fs::write(path, text).expect("writes");
        };
        write("a.json", r#"{"openapi": "3.0.3", "info": {}}"#);
        write(
            "split/openapi.yaml",
            "# comment\nopenapi: 3.1.0\ninfo: {}\n",
        );
        write("split/paths/pets.yaml", "get:\n  summary: 'openapi: no'\n");
        write("split/schema.json", r#"{"type": "object"}"#);
        write("README.md", "openapi: 3.0.0\n");
        // JSON published as `.yaml`, pretty-printed or on one line.
        write(
            "vendor.yaml",
            "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {}\n}\n",
        );
        write("minified.yml", r#"{"info":{},"openapi":"3.1.0"}"#);
        let mut found = Vec::new();
        roots(dir.path(), &mut found).expect("reads");
        found.sort();
        let names: Vec<PathBuf> = found
            .iter()
            .map(|p| p.strip_prefix(dir.path()).expect("inside").to_path_buf())
            .collect();
        assert_eq!(
            names,
            [
                Path::new("a.json"),
                Path::new("minified.yml"),
                Path::new("split/openapi.yaml"),
                Path::new("vendor.yaml")
            ]
        );
    }
}
