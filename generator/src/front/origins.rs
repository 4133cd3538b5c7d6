//! Where each part of the merged document came from: the file and pointer
//! a diagnostic about it names (see [`Origins`]).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::merge::normalize_path;
use crate::diagnostic::{Diagnostic, Location};
use crate::load::SourceFile;

/// Maps pointers in the merged document back to their source files.
#[derive(Debug, Default)]
pub struct Origins {
    pub(super) parts: BTreeMap<String, usize>,
    pub(super) files: Vec<SourceFile>,
    /// Parts of the merged document copied from elsewhere when references
    /// were resolved (see [`crate::bundle`]): the pointer of the copy, and the
    /// file and pointer it came from.
    pub(super) mounts: HashMap<String, (usize, String)>,
    /// References to files as written, by the form they were rewritten to.
    pub(crate) written: HashMap<String, String>,
    /// Files converted from Swagger 2.0, by index: where each part of the
    /// converted document came from in the file.
    pub(super) converted: HashMap<usize, crate::front::swagger2::Trace>,
}

impl Origins {
    /// The source location of a pointer into the merged document: the file that
    /// defined the enclosing path item or component (and, for parts copied from
    /// another place or file, the pointer there). Lines are added later, for
    /// all diagnostics at once, by [`Origins::add_lines`].
    pub fn locate(&self, pointer: &str) -> Location {
        let (file, pointer) = self.source(pointer);
        match file {
            Some(index) => {
                // A Swagger 2.0 file: the pointer of the part it was made from.
                let pointer = match self.converted.get(&index) {
                    Some(trace) => trace.original(&pointer),
                    None => pointer,
                };
                Location::new(Some(self.files[index].path.clone()), pointer)
            }
            None => Location::new(None, pointer),
        }
    }

    /// The file index and the pointer in that file of a pointer into the
    /// merged document.
    pub(crate) fn source(&self, pointer: &str) -> (Option<usize>, String) {
        if !self.mounts.is_empty() {
            let mut prefix = pointer;
            loop {
                if let Some((file, at)) = self.mounts.get(prefix) {
                    return (Some(*file), format!("{at}{}", &pointer[prefix.len()..]));
                }
                match prefix.rfind('/') {
                    Some(end) => prefix = &prefix[..end],
                    None => break,
                }
            }
        }
        (self.owner(pointer), pointer.to_string())
    }

    /// Records that the merged document's `pointer` is a copy of `at` in file
    /// `file`.
    pub(crate) fn mount(&mut self, pointer: String, file: Option<usize>, at: String) {
        if let Some(file) = file {
            self.mounts.insert(pointer, (file, at));
        }
    }

    /// Adds a file reached by reference; returns its index.
    pub(crate) fn add_file(&mut self, file: SourceFile) -> usize {
        self.files.push(file);
        self.files.len() - 1
    }

    /// The normalized paths of the files loaded so far.
    pub(crate) fn paths(&self) -> Vec<PathBuf> {
        self.files.iter().map(|f| normalize_path(&f.path)).collect()
    }

    /// A file by index.
    pub(crate) fn file(&self, index: usize) -> &SourceFile {
        &self.files[index]
    }

    /// Moves the locations the merge made in a converted Swagger 2.0 file
    /// (in pointers of the converted document) to the 2.0 document's
    /// pointers, for [`Origins::add_lines`].
    pub(super) fn retrace(&self, diagnostics: &mut [Diagnostic]) {
        for (index, trace) in &self.converted {
            let path = &self.files[*index].path;
            for diagnostic in diagnostics.iter_mut() {
                for location in
                    std::iter::once(&mut diagnostic.location).chain(diagnostic.related.as_mut())
                {
                    if location.line.is_none() && location.file.as_ref() == Some(path) {
                        location.pointer = trace.original(&location.pointer);
                    }
                }
            }
        }
    }

    /// Fills in line and column of every location that lacks them.
    pub fn add_lines(&self, diagnostics: &mut [crate::Diagnostic]) {
        for file in &self.files {
            let mut pointers: Vec<&str> = Vec::new();
            for diagnostic in diagnostics.iter() {
                for location in
                    std::iter::once(&diagnostic.location).chain(diagnostic.related.as_ref())
                {
                    if location.line.is_none() && location.file.as_ref() == Some(&file.path) {
                        pointers.push(location.pointer.as_str());
                    }
                }
            }
            if pointers.is_empty() {
                continue;
            }
            let found: std::collections::HashMap<String, (usize, usize)> =
                crate::locate::find_all(&file.text, &pointers)
                    .into_iter()
                    .map(|(p, at)| (p.to_string(), at))
                    .collect();
            for diagnostic in diagnostics.iter_mut() {
                for location in
                    std::iter::once(&mut diagnostic.location).chain(diagnostic.related.as_mut())
                {
                    if location.line.is_none() && location.file.as_ref() == Some(&file.path) {
                        if let Some((line, column)) = found.get(&location.pointer) {
                            location.line = Some(*line);
                            location.column = Some(*column);
                        }
                    }
                }
            }
        }
    }

    fn owner(&self, pointer: &str) -> Option<usize> {
        self.parts
            .range(..=pointer.to_string())
            .rev()
            .find(|(prefix, _)| {
                pointer == prefix.as_str() || pointer.starts_with(&format!("{prefix}/"))
            })
            .map(|(_, index)| *index)
            .or_else(|| (self.files.len() == 1).then_some(0))
    }
}
