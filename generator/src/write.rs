//! Putting generated files on disk, and comparing them with what is there.
//!
//! - [`write_atomically`]: the files go into a fresh staging directory beside
//!   the output, which is swapped in only when complete, so a failure at any
//!   point leaves the previous output as it was.
//! - A marker file, [`MARKER`], is written with the output. A non-empty
//!   directory without it was not made by apigen and is never replaced.
//! - [`stale_files`]: what `--check` reports.
//!
//! `target/`, `.git/` and `Cargo.lock` inside an output directory belong to
//! its user: they are carried over into the new output and ignored by the
//! check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::builder::Error;

/// The marker file of a generated directory.
pub const MARKER: &str = ".apigen";

/// Entries of an output directory that are its user's, not apigen's.
const KEPT: [&str; 3] = ["target", ".git", "Cargo.lock"];

/// The marker's contents. Deterministic: the same run writes the same bytes.
fn marker(preamble: &str) -> String {
    format!(
        "# {preamble}\n\
         # This directory is generated: `apigen generate` replaces everything in it\n\
         # except `target/`, `.git/` and `Cargo.lock`. Without this file, it refuses to.\n"
    )
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses to replace `dir` when it holds anything and no marker.
pub fn ensure_replaceable(dir: &Path) -> Result<(), Error> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(Error::NotGenerated {
            dir: dir.to_path_buf(),
        });
    }
    if dir.join(MARKER).is_file() {
        return Ok(());
    }
    let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
    if entries.next().is_some() {
        return Err(Error::NotGenerated {
            dir: dir.to_path_buf(),
        });
    }
    Ok(())
}

/// Writes `files` and the marker into a fresh sibling of `out`, then swaps it
/// in. `out` must be replaceable ([`ensure_replaceable`]).
pub fn write_atomically(
    files: &BTreeMap<PathBuf, String>,
    out: &Path,
    preamble: &str,
) -> Result<(), Error> {
    ensure_replaceable(out)?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = unique_dir(&parent, &format!(".apigen-staging-{name}"))?;
    let result = fill(&staging, files, preamble).and_then(|()| swap(&staging, out, &parent, &name));
    if result.is_err() && staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, files: &BTreeMap<PathBuf, String>, preamble: &str) -> Result<(), Error> {
    for (path, contents) in files {
        let target = staging.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&target, contents).map_err(io(&target))?;
    }
    let marker_path = staging.join(MARKER);
    std::fs::write(&marker_path, marker(preamble)).map_err(io(&marker_path))
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), Error> {
    // Move the user's entries over; they go back if the swap fails.
    let mut moved = Vec::new();
    for kept in KEPT {
        let from = out.join(kept);
        if from.symlink_metadata().is_ok() {
            let to = staging.join(kept);
            std::fs::rename(&from, &to).map_err(io(&from))?;
            moved.push((to, from));
        }
    }
    let restore = |moved: &[(PathBuf, PathBuf)]| {
        for (to, from) in moved {
            let _ = std::fs::rename(to, from);
        }
    };
    let backup = if out.exists() {
        let backup = unique_dir(parent, &format!(".apigen-old-{name}"))?;
        std::fs::remove_dir(&backup).map_err(io(&backup))?;
        if let Err(source) = std::fs::rename(out, &backup) {
            restore(&moved);
            return Err(Error::Io {
                path: out.to_path_buf(),
                source,
            });
        }
        Some(backup)
    } else {
        None
    };
    if let Err(source) = std::fs::rename(staging, out) {
        // Put the old output back, with the user's entries.
        if let Some(backup) = &backup {
            let _ = std::fs::rename(backup, out);
        }
        restore(&moved);
        return Err(Error::Io {
            path: out.to_path_buf(),
            source,
        });
    }
    if let Some(backup) = backup {
        std::fs::remove_dir_all(&backup).map_err(io(&backup))?;
    }
    Ok(())
}

/// Creates a new directory `<parent>/<prefix>-<n>` that did not exist.
fn unique_dir(parent: &Path, prefix: &str) -> Result<PathBuf, Error> {
    for n in 0..1000u32 {
        let candidate = parent.join(format!("{prefix}-{}-{n}", std::process::id()));
        match std::fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => {
                return Err(Error::Io {
                    path: candidate,
                    source,
                })
            }
        }
    }
    Err(Error::Io {
        path: parent.join(prefix),
        source: std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "no free name for a staging directory",
        ),
    })
}

/// Files under `dir` that differ from `files`, are missing, or are extra,
/// sorted. The marker, `target/`, `.git/` and `Cargo.lock` are not compared.
pub fn stale_files(files: &BTreeMap<PathBuf, String>, dir: &Path) -> Result<Vec<PathBuf>, Error> {
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

fn list_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).map_err(io(&current))? {
            let path = entry.map_err(io(&current))?.path();
            let Ok(relative) = path.strip_prefix(dir) else {
                continue;
            };
            if current == dir
                && relative
                    .to_str()
                    .is_some_and(|n| n == MARKER || KEPT.contains(&n))
            {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(relative.to_path_buf());
            }
        }
    }
    Ok(out)
}
