//! Putting generated files on disk, and comparing them with what is there.
//!
//! - [`write_atomically`]: the files go into a fresh staging directory beside
//!   the output, which is swapped in only when complete, so a failure at any
//!   point leaves the previous output as it was. [`Staging`] is that
//!   directory; the pipeline puts each source file into it as soon as the file
//!   is formatted (see `output::format`), so writing overlaps formatting.
//! - A marker file, [`MARKER`], is written with the output. A non-empty
//!   directory without it was not made by apigen and is never replaced.
//! - [`stale_files`]: what `--check` reports.
//!
//! `target/`, `.git/` and `Cargo.lock` inside an output directory belong to
//! its user: they are carried over into the new output and ignored by the
//! check.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::Error;

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
    Staging::new(out)?.finish(files, preamble)
}

/// A fresh staging directory beside an output directory, filled from any
/// thread while the files are made ([`Staging::put`]) and swapped in by
/// [`Staging::finish`]. Dropped unfinished (the run failed), it is removed.
#[derive(Debug)]
pub(crate) struct Staging {
    dir: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// The files put so far, and the first failure to put one.
    put: Mutex<(HashSet<PathBuf>, Option<Error>)>,
}

impl Staging {
    /// A staging directory for `out`, which must be replaceable
    /// ([`ensure_replaceable`]).
    pub(crate) fn new(out: &Path) -> Result<Staging, Error> {
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
        let dir = unique_dir(&parent, &format!(".apigen-staging-{name}"))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            parent,
            name,
            put: Mutex::new((HashSet::new(), None)),
        })
    }

    /// Writes one file (`path` relative to the crate root) now. A failure is
    /// kept and returned by [`Staging::finish`]; files after it are left to
    /// `finish`, which writes whatever was not put.
    pub(crate) fn put(&self, path: &Path, contents: &str) {
        if self.lock().1.is_some() {
            return;
        }
        let result = write_file(&self.dir.join(path), contents);
        let mut put = self.lock();
        match result {
            Ok(()) => {
                put.0.insert(path.to_path_buf());
            }
            Err(error) => {
                put.1.get_or_insert(error);
            }
        }
    }

    /// The staging directory.
    #[cfg(test)]
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (HashSet<PathBuf>, Option<Error>)> {
        self.put.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the files of `files` not put yet and the marker, then swaps
    /// the directory in for the output. On failure, the staging directory
    /// is removed and the output left as it was.
    pub(crate) fn finish(
        &self,
        files: &BTreeMap<PathBuf, String>,
        preamble: &str,
    ) -> Result<(), Error> {
        let result = self.fill(files, preamble);
        if result.is_err() && self.dir.exists() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        result
    }

    fn fill(&self, files: &BTreeMap<PathBuf, String>, preamble: &str) -> Result<(), Error> {
        let (put, failed) = std::mem::take(&mut *self.lock());
        if let Some(error) = failed {
            return Err(error);
        }
        for (path, contents) in files {
            if !put.contains(path) {
                write_file(&self.dir.join(path), contents)?;
            }
        }
        let marker_path = self.dir.join(MARKER);
        std::fs::write(&marker_path, marker(preamble)).map_err(io(&marker_path))?;
        swap(&self.dir, &self.out, &self.parent, &self.name)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Swapped in, it is gone; otherwise the run or the swap failed.
        if self.dir.exists() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn write_file(target: &Path, contents: &str) -> Result<(), Error> {
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    std::fs::write(target, contents).map_err(io(target))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> BTreeMap<PathBuf, String> {
        BTreeMap::from([
            (PathBuf::from("Cargo.toml"), "[package]\n".to_string()),
            (PathBuf::from("src/lib.rs"), "pub mod zones;\n".to_string()),
            (
                PathBuf::from("src/zones.rs"),
                "pub struct Zone;\n".to_string(),
            ),
        ])
    }

    /// The entries of `dir`, sorted.
    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn files_put_early_and_the_rest_make_the_whole_output() {
        let parent = tempfile::tempdir().expect("temp dir");
        let out = parent.path().join("client");
        let files = files();
        let staging = Staging::new(&out).expect("staging");
        // Put early with what `finish` would write: `finish` keeps it.
        staging.put(Path::new("src/zones.rs"), "pub struct Zone;\n");
        staging.finish(&files, "@generated").expect("finished");
        assert_eq!(entries(parent.path()), ["client"]);
        assert!(stale_files(&files, &out).expect("compared").is_empty());
        assert!(out.join(MARKER).is_file());
    }

    #[test]
    fn an_unfinished_staging_directory_is_removed() {
        let parent = tempfile::tempdir().expect("temp dir");
        let out = parent.path().join("client");
        let staging = Staging::new(&out).expect("staging");
        staging.put(Path::new("src/zones.rs"), "pub struct Zone;\n");
        assert_eq!(entries(parent.path()).len(), 1, "the staging directory");
        drop(staging);
        assert!(entries(parent.path()).is_empty());
    }

    #[test]
    fn a_file_that_cannot_be_put_fails_the_finish_and_leaves_the_output() {
        let parent = tempfile::tempdir().expect("temp dir");
        let out = parent.path().join("client");
        write_atomically(&files(), &out, "@generated").expect("first output");
        let staging = Staging::new(&out).expect("staging");
        staging.put(Path::new("Cargo.toml"), "[package]\n");
        // A directory where a file already is.
        staging.put(Path::new("Cargo.toml/x.rs"), "");
        let error = staging.finish(&files(), "@generated").expect_err("refused");
        assert!(matches!(error, Error::Io { .. }), "{error:?}");
        assert_eq!(entries(parent.path()), ["client"]);
        assert!(stale_files(&files(), &out).expect("compared").is_empty());
    }
}
