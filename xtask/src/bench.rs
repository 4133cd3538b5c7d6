//! `cargo xtask bench`: the speed and size figures of `BENCHMARKS.md`, measured
//! on the whole Cloudflare description.
//!
//! - generation (parse to formatted files, in process): wall time, best and
//!   median of several runs;
//! - the whole `xtask generate` command as a separate process (what a user
//!   waits for, writing included): wall time, best and median, and peak
//!   memory (VmHWM, the highest of the runs);
//! - lines of generated code;
//! - `cargo check` of the generated crate with its dependencies already built
//!   (the crate's own artifacts removed first), for all features and for the
//!   `zero-trust` feature alone;
//! - with `--peer 'COMMAND {spec} .. {out} ..'`, another generator's command
//!   timed in the same runs, alternating with `xtask generate` (each writing
//!   to a new directory), and how many times faster this one is (medians).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// Runs the benchmark and prints a Markdown report.
// Longer than 80 lines: the benchmark's steps, in the order its report
// prints them.
pub fn run(args: &[String], root: &Path) -> Result<()> {
    if cfg!(debug_assertions) {
        bail!("measure an optimized generator: cargo run --release --package xtask -- bench");
    }
    if args.iter().any(|a| a == "--stripe") {
        return crate::bench_stripe::run(args, root);
    }
    let mut spec = root.join("../shared/cloudflare/openapi.json");
    let mut runs = 5;
    let mut peer: Option<Vec<String>> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--spec" => spec = PathBuf::from(iter.next().context("--spec needs a path")?),
            "--runs" => runs = iter.next().context("--runs needs a number")?.parse()?,
            "--peer" => {
                let command = iter.next().context("--peer needs a command")?;
                peer = Some(command.split_whitespace().map(str::to_owned).collect());
            }
            other => bail!("unknown argument `{other}`"),
        }
    }
    let work = tempfile::tempdir()?;
    let settings = apigen::CrateSettings::new("cloudflare-bench");
    let options = apigen::Options::new(vec![spec.clone()], settings);

    // Generation in process.
    let mut times = Vec::new();
    let mut generated = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let result = apigen::generate(&options)
            .map_err(|d| anyhow::anyhow!("generation failed: {} diagnostics", d.len()))?;
        times.push(start.elapsed());
        generated = Some(result);
    }
    let generated = generated.context("no run")?;
    times.sort();
    let best = times[0];
    let median = times[times.len() / 2];

    // The whole `generate` command as a separate process, as a user runs
    // it (reading, generating, writing the files): wall time, best and
    // median, and the highest peak memory (VmHWM) of the runs.
    let exe = std::env::current_exe()?;
    let mut process_times = Vec::new();
    let mut peer_times = Vec::new();
    let mut peaks = Vec::new();
    for run in 0..runs.max(1) {
        // A new directory each run: creating files where many were just
        // deleted is slower on some file systems.
        let run_out = work.path().join(format!("run-{run}"));
        if let Some(peer) = &peer {
            peer_times.push(time_peer(
                peer,
                &spec,
                &work.path().join(format!("peer-{run}")),
            )?);
        }
        let start = Instant::now();
        let output = Command::new(&exe)
            .args(["generate", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&run_out)
            .args([
                "--crate-name",
                "cloudflare-bench",
                "--quiet",
                "--peak-memory",
            ])
            .output()?;
        process_times.push(start.elapsed());
        if !output.status.success() {
            bail!(
                "generate failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        if let Some(peak) = stdout
            .lines()
            .find_map(|l| l.strip_prefix("peak memory: "))
            .and_then(|p| p.strip_suffix(" MiB"))
            .and_then(|p| p.parse::<u64>().ok())
        {
            peaks.push(peak);
        }
    }
    process_times.sort();
    // The crate `cargo check` builds: the last run's.
    let out = work.path().join(format!("run-{}", runs.max(1) - 1));
    let peak = peaks
        .iter()
        .max()
        .map_or_else(|| "unknown".to_string(), |p| format!("{p} MiB"));

    // cargo check, dependencies built first. The crate depends on
    // `apigen-runtime` by version; this checkout's runtime stands in for it.
    let config = work.path().join(".cargo");
    std::fs::create_dir_all(&config)?;
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[patch.crates-io]\napigen-runtime = {{ path = {:?} }}\n",
            root.join("generator/runtime").display().to_string()
        ),
    )?;
    let target = work.path().join("target");
    let check = |features: &[&str]| -> Result<Duration> {
        let mut warm = Command::new("cargo");
        warm.arg("check")
            .args(features)
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target);
        if !warm.status()?.success() {
            bail!("cargo check failed");
        }
        let clean = Command::new("cargo")
            .args(["clean", "-p", "cloudflare-bench"])
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .output()?;
        if !clean.status.success() {
            bail!("cargo clean failed");
        }
        let start = Instant::now();
        let status = Command::new("cargo")
            .arg("check")
            .args(features)
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .status()?;
        if !status.success() {
            bail!("cargo check failed");
        }
        Ok(start.elapsed())
    };
    let all = check(&[])?;
    let zero_trust = check(&["--no-default-features", "--features", "zero-trust"])?;

    let stats = &generated.stats;
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| operations | {} in {} areas |",
        stats.operations, stats.areas
    );
    println!(
        "| types | {} ({} before merging identical ones) |",
        stats.types, stats.types_before_dedup
    );
    println!(
        "| generation, parse to formatted files (best / median of {}) | {:.2} s / {:.2} s |",
        times.len(),
        best.as_secs_f64(),
        median.as_secs_f64()
    );
    println!(
        "| `xtask generate`, whole process (best / median of {}) | {:.2} s / {:.2} s |",
        process_times.len(),
        process_times[0].as_secs_f64(),
        process_times[process_times.len() / 2].as_secs_f64()
    );
    println!("| `xtask generate`, peak memory (VmHWM, highest of the runs) | {peak} |");
    if let Some(peer) = &peer {
        peer_times.sort();
        let peer_median = peer_times[peer_times.len() / 2];
        let ours = process_times[process_times.len() / 2];
        println!(
            "| `{}`, same runs (best / median of {}) | {:.2} s / {:.2} s ({:.1}× the median of `xtask generate`) |",
            peer[0],
            peer_times.len(),
            peer_times[0].as_secs_f64(),
            peer_median.as_secs_f64(),
            peer_median.as_secs_f64() / ours.as_secs_f64()
        );
    }
    println!("| generated lines of Rust | {} |", stats.lines);
    println!(
        "| `cargo check`, all features, dependencies built | {:.1} s |",
        all.as_secs_f64()
    );
    println!(
        "| `cargo check`, `zero-trust` feature alone, dependencies built | {:.1} s |",
        zero_trust.as_secs_f64()
    );
    println!("\nstages of the last run: {}", stages(stats));
    Ok(())
}

/// Runs another generator's command once (`{spec}` and `{out}` replaced),
/// giving its wall time.
fn time_peer(command: &[String], spec: &Path, out: &Path) -> Result<Duration> {
    let args: Vec<String> = command
        .iter()
        .map(|a| {
            a.replace("{spec}", &spec.display().to_string())
                .replace("{out}", &out.display().to_string())
        })
        .collect();
    std::fs::create_dir_all(out)?;
    let start = Instant::now();
    let output = Command::new(&args[0]).args(&args[1..]).output()?;
    let elapsed = start.elapsed();
    if !output.status.success() {
        bail!(
            "the peer failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(elapsed)
}

/// The wall time of each pipeline stage, on one line.
pub fn stages(stats: &apigen::Stats) -> String {
    let stages: Vec<String> = stats
        .timings
        .iter()
        .map(|(stage, time)| format!("{stage} {:.0} ms", time.as_secs_f64() * 1000.0))
        .collect();
    stages.join(", ")
}

/// Peak resident memory of this process (VmHWM, in MiB), from
/// `/proc/self/status` (Linux).
pub fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.0} MiB", kib / 1024.0))
}
