//! Renders diagnostics the way Rust users know from `rustc`: the message, the
//! offending source lines with a marker, the JSON pointer, and what to do.
//!
//! Rendering reads the source files again (they are on disk and unchanged), so
//! diagnostics stay plain data that any stage can make.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

use crate::diagnostic::{Diagnostic, Location, Severity};

/// Renders diagnostics as text, without colour. File names are shown
/// relative to `base` where they are inside it.
pub fn render(diagnostics: &[Diagnostic], base: &Path) -> String {
    let mut files = SimpleFiles::new();
    let mut ids: BTreeMap<PathBuf, Option<usize>> = BTreeMap::new();
    let mut out = String::new();
    let config = term::Config::default();
    for diagnostic in diagnostics {
        let mut labels = Vec::new();
        for (location, primary) in std::iter::once((&diagnostic.location, true))
            .chain(diagnostic.related.as_ref().map(|r| (r, false)))
        {
            let Some(label) = label(location, primary, base, &mut files, &mut ids) else {
                continue;
            };
            labels.push(label);
        }
        let severity = match diagnostic.severity {
            Severity::Error => cs::Severity::Error,
            Severity::Warning => cs::Severity::Warning,
        };
        let mut notes = Vec::new();
        for location in std::iter::once(&diagnostic.location).chain(diagnostic.related.as_ref()) {
            if labels.is_empty() || location.line.is_none() {
                notes.push(format!("at {}", shown(location, base)));
            } else if !location.pointer.is_empty() {
                notes.push(format!("at #{}", location.pointer));
            }
        }
        if let Some(help) = &diagnostic.help {
            notes.push(format!("help: {help}"));
        }
        let rendered = cs::Diagnostic::new(severity)
            .with_code(diagnostic.kind.label().replace(' ', "-"))
            .with_message(&diagnostic.message)
            .with_labels(labels)
            .with_notes(notes);
        match term::emit_into_string(&config, &files, &rendered) {
            Ok(text) => out.push_str(&text),
            Err(_) => {
                out.push_str(&diagnostic.to_string());
                out.push('\n');
            }
        }
    }
    out
}

fn label(
    location: &Location,
    primary: bool,
    base: &Path,
    files: &mut SimpleFiles<String, String>,
    ids: &mut BTreeMap<PathBuf, Option<usize>>,
) -> Option<cs::Label<usize>> {
    let path = location.file.as_ref()?;
    let line = location.line?;
    let id = *ids.entry(path.clone()).or_insert_with(|| {
        let text = std::fs::read_to_string(path).ok()?;
        let name = path
            .strip_prefix(base)
            .unwrap_or(path)
            .display()
            .to_string();
        Some(files.add(name, text))
    });
    let id = id?;
    let text = files.get(id).ok()?.source();
    let start = offset(text, line, location.column.unwrap_or(1))?;
    let rest = &text[start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let end = start + line_len.clamp(1, 120).min(rest.len());
    let end = (start..=end)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(start);
    let label = if primary {
        cs::Label::primary(id, start..end)
    } else {
        cs::Label::secondary(id, start..end).with_message("also defined here")
    };
    Some(label)
}

/// The byte offset of a one-based line and column.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let line_text = &text[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    let within = line_text[..line_end]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_end, |(i, _)| i);
    Some(start + within)
}

fn shown(location: &Location, base: &Path) -> String {
    let mut location = location.clone();
    if let Some(file) = &location.file {
        if let Ok(relative) = file.strip_prefix(base) {
            location.file = Some(relative.to_path_buf());
        }
    }
    location.to_string()
}

#[cfg(test)]
mod tests {
    use super::offset;

    #[test]
    fn line_and_column_to_offset() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset(text, 1, 1), Some(0));
        assert_eq!(offset(text, 2, 3), Some(5));
        assert_eq!(offset(text, 3, 1), Some(8));
        assert_eq!(offset(text, 4, 1), None);
    }
}
