//! Renders diagnostics the way Rust users know from `rustc`: the message, the
//! offending source lines with a marker, the JSON pointer, and what to do.
//!
//! Rendering reads the source files again (they are on disk and unchanged), so
//! diagnostics stay plain data that any stage can make.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files;
use codespan_reporting::term;

use crate::diagnostic::{Diagnostic, Location, Severity};

/// Source lines longer than this many characters are shown as a window.
pub const MAX_LINE: usize = 120;
/// Characters shown of a long line, around the marked column.
const WINDOW: usize = 100;
/// Characters of a window before the marked column, where the line has them.
const BEFORE: usize = 40;
/// A checkpoint every this many characters of a long line, so a column is
/// found without walking the line from its start.
const STRIDE: usize = 64;

/// Renders diagnostics as text, without colour. File names are shown
/// relative to `base` where they are inside it.
///
/// Each file is read once. A line longer than `MAX_LINE` characters (a
/// minified JSON document is one line) is shown as a window around the
/// marked column, with `…` where it is cut; the line, column and pointer stay
/// exact. The cost of a diagnostic does not depend on the length of its line.
pub fn render(diagnostics: &[Diagnostic], base: &Path) -> String {
    let mut sources: BTreeMap<PathBuf, Option<Source>> = BTreeMap::new();
    let mut out = String::new();
    let config = term::Config::default();
    for diagnostic in diagnostics {
        let mut snippets = Snippets::default();
        let mut marks = Vec::new();
        for (location, primary) in std::iter::once((&diagnostic.location, true))
            .chain(diagnostic.related.as_ref().map(|r| (r, false)))
        {
            if let Some(mark) = mark(location, base, &mut sources, &mut snippets) {
                marks.push((mark, primary));
            }
        }
        snippets.fill_gaps(&mut sources);
        let labels: Vec<cs::Label<usize>> = marks
            .into_iter()
            .filter_map(|((id, line, marked), primary)| {
                let range = snippets.absolute(id, line, marked)?;
                Some(if primary {
                    cs::Label::primary(id, range)
                } else {
                    cs::Label::secondary(id, range).with_message("also defined here")
                })
            })
            .collect();
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
        match term::emit_into_string(&config, &snippets, &rendered) {
            Ok(text) => out.push_str(&text),
            Err(_) => {
                out.push_str(&diagnostic.to_string());
                out.push('\n');
            }
        }
    }
    out
}

/// Shows the line of `location` in `snippets`; returns the snippet, the
/// zero-based line and the marked bytes of the shown line.
fn mark(
    location: &Location,
    base: &Path,
    sources: &mut BTreeMap<PathBuf, Option<Source>>,
    snippets: &mut Snippets,
) -> Option<(usize, usize, Range<usize>)> {
    let path = location.file.as_ref()?;
    let line = location.line?.checked_sub(1)?;
    let source = sources
        .entry(path.clone())
        .or_insert_with(|| Source::read(path, base))
        .as_mut()?;
    let shown = source.show(line, location.column.unwrap_or(1))?;
    let marked = shown.marked.clone();
    let id = snippets.add(path, &source.name, line, shown);
    Some((id, line, marked))
}

/// A source file, read once per [`render`] call.
struct Source {
    /// The name shown (relative to the base directory).
    name: String,
    text: String,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// For each long line: the byte offset (from the line start) of every
    /// [`STRIDE`]th character, and the line's length in characters.
    long_lines: HashMap<usize, (Vec<usize>, usize)>,
}

/// The part of one line a label shows.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    /// The text: the whole line, or a window with `…` where it is cut.
    text: String,
    /// The one-based column of the line at `text[lead..]`.
    first_column: usize,
    /// Bytes of `text` before the line's own text starts (the `…`).
    lead: usize,
    /// The marked bytes of `text`.
    marked: Range<usize>,
}

impl Source {
    fn read(path: &Path, base: &Path) -> Option<Source> {
        let text = std::fs::read_to_string(path).ok()?;
        Some(Source::new(
            path.strip_prefix(base)
                .unwrap_or(path)
                .display()
                .to_string(),
            text,
        ))
    }

    fn new(name: String, text: String) -> Source {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            name,
            text,
            line_starts,
            long_lines: HashMap::new(),
        }
    }

    /// The text of a zero-based line, without its line break.
    fn line<'t>(text: &'t str, line_starts: &[usize], line: usize) -> Option<&'t str> {
        let start = *line_starts.get(line)?;
        let end = line_starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        let line = &text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// What to show of a zero-based line with the one-based `column` marked:
    /// from the column to the end of the line (at most [`MAX_LINE`] bytes) on
    /// a short line, a window of [`WINDOW`] characters on a long one.
    fn show(&mut self, line: usize, column: usize) -> Option<Shown> {
        let text = Source::line(&self.text, &self.line_starts, line)?;
        if text.len() <= MAX_LINE {
            let start = text
                .char_indices()
                .nth(column.saturating_sub(1))
                .map_or(text.len(), |(i, _)| i);
            let end = (start + (text.len() - start).clamp(1, MAX_LINE)).min(text.len());
            let end = (start..=end)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(start);
            return Some(Shown {
                text: text.to_string(),
                first_column: 1,
                lead: 0,
                marked: start..end,
            });
        }
        let (checkpoints, chars) = self.long_lines.entry(line).or_insert_with(|| {
            let mut checkpoints = Vec::new();
            let mut chars = 0;
            for (i, (at, _)) in text.char_indices().enumerate() {
                if i % STRIDE == 0 {
                    checkpoints.push(at);
                }
                chars = i + 1;
            }
            (checkpoints, chars)
        });
        let chars = *chars;
        let byte_of = |char_index: usize| -> usize {
            if char_index >= chars {
                return text.len();
            }
            let from = checkpoints[char_index / STRIDE];
            text[from..]
                .char_indices()
                .nth(char_index % STRIDE)
                .map_or(text.len(), |(i, _)| from + i)
        };
        let marked_char = column.saturating_sub(1).min(chars);
        let mut first = marked_char.saturating_sub(BEFORE);
        let last = (first + WINDOW).min(chars);
        first = first.min(last.saturating_sub(WINDOW));
        let (from, to) = (byte_of(first), byte_of(last));
        let lead = if first > 0 { "…" } else { "" };
        let tail = if last < chars { "…" } else { "" };
        let window = &text[from..to];
        let marked_start = byte_of(marked_char) - from;
        let marked_end = marked_start + token_len(&window[marked_start..]);
        Some(Shown {
            text: format!("{lead}{window}{tail}"),
            first_column: first + 1,
            lead: lead.len(),
            marked: lead.len() + marked_start..lead.len() + marked_end,
        })
    }
}

/// The bytes of the JSON token `text` starts with (a string with its quotes,
/// or a bare value up to the next delimiter; one character of a bracket),
/// cut at the end of `text`. A long line is usually minified JSON, where
/// marking the rest of the window would mark unrelated values.
fn token_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    match bytes.first() {
        None => 0,
        Some(b'"') => {
            let mut i = 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 2,
                    b'"' => return i + 1,
                    _ => i += 1,
                }
            }
            text.len()
        }
        Some(b'{' | b'[') => 1,
        Some(_) => text.find([',', '}', ']']).map_or(text.len(), |end| {
            end.max(text.chars().next().map_or(0, char::len_utf8))
        }),
    }
}

/// The lines one diagnostic shows, as the "files" `codespan-reporting` reads:
/// a file per source file (a second one when two labels want different
/// windows of one long line), holding only the shown lines, at their real
/// line numbers.
#[derive(Default)]
struct Snippets {
    files: Vec<Snippet>,
}

struct Snippet {
    path: PathBuf,
    name: String,
    /// The shown lines by zero-based line index.
    lines: BTreeMap<usize, Shown>,
    /// The shown lines joined by line breaks, with each one's line index
    /// and range; built by [`Snippets::fill_gaps`].
    source: String,
    ranges: Vec<(usize, Range<usize>)>,
}

impl Snippets {
    /// Adds a shown line; returns the snippet it is in.
    fn add(&mut self, path: &Path, name: &str, line: usize, shown: Shown) -> usize {
        let fits = |s: &Snippet| {
            s.path == path && s.lines.get(&line).map_or(true, |l| l.text == shown.text)
        };
        let id = match self.files.iter().position(fits) {
            Some(id) => id,
            None => {
                self.files.push(Snippet {
                    path: path.to_path_buf(),
                    name: name.to_string(),
                    lines: BTreeMap::new(),
                    source: String::new(),
                    ranges: Vec::new(),
                });
                self.files.len() - 1
            }
        };
        self.files[id].lines.insert(line, shown);
        id
    }

    /// A range of a shown line as a range of its snippet's source.
    fn absolute(&self, id: usize, line: usize, within: Range<usize>) -> Option<Range<usize>> {
        let (_, range) = self
            .files
            .get(id)?
            .ranges
            .iter()
            .find(|(l, _)| *l == line)?;
        Some(range.start + within.start..range.start + within.end)
    }

    /// Adds the line between two shown lines one apart (`codespan-reporting`
    /// prints it rather than a break), then lays out each snippet's source.
    fn fill_gaps(&mut self, sources: &mut BTreeMap<PathBuf, Option<Source>>) {
        for snippet in &mut self.files {
            let lines: Vec<usize> = snippet.lines.keys().copied().collect();
            for pair in lines.windows(2) {
                if pair[1] - pair[0] == 2 {
                    let shown = sources
                        .get_mut(&snippet.path)
                        .and_then(Option::as_mut)
                        .and_then(|s| s.show(pair[0] + 1, 1));
                    if let Some(shown) = shown {
                        snippet.lines.insert(pair[0] + 1, shown);
                    }
                }
            }
            for (line, shown) in &snippet.lines {
                let start = snippet.source.len();
                snippet.source.push_str(&shown.text);
                snippet.source.push('\n');
                snippet.ranges.push((*line, start..snippet.source.len()));
            }
        }
    }

    fn snippet(&self, id: usize) -> Result<&Snippet, files::Error> {
        self.files.get(id).ok_or(files::Error::FileMissing)
    }

    /// The index into `ranges` of the line holding `byte_index`.
    fn position(&self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        let ranges = &self.snippet(id)?.ranges;
        Ok(ranges
            .partition_point(|(_, range)| range.start <= byte_index)
            .saturating_sub(1))
    }
}

impl<'a> files::Files<'a> for Snippets {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(&self.snippet(id)?.name)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, files::Error> {
        Ok(&self.snippet(id)?.source)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, files::Error> {
        let position = self.position(id, byte_index)?;
        Ok(self
            .snippet(id)?
            .ranges
            .get(position)
            .map_or(0, |(line, _)| *line))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, files::Error> {
        let snippet = self.snippet(id)?;
        snippet
            .ranges
            .iter()
            .find(|(line, _)| *line == line_index)
            .map(|(_, range)| range.clone())
            .ok_or(files::Error::LineTooLarge {
                given: line_index,
                max: snippet.ranges.last().map_or(0, |(line, _)| *line),
            })
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let snippet = self.snippet(id)?;
        let range = self.line_range(id, line_index)?;
        let shown = snippet
            .lines
            .get(&line_index)
            .ok_or(files::Error::FileMissing)?;
        let from = (range.start + shown.lead).min(byte_index);
        let within = snippet.source.get(from..byte_index).unwrap_or_default();
        Ok(shown.first_column + within.chars().count())
    }
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

/// The warnings grouped by kind, each with its locations (what `apigen
/// generate` and `cargo xtask` print after a run); empty when there are none.
pub fn warnings_summary(warnings: &[Diagnostic]) -> String {
    use std::fmt::Write as _;
    let mut groups: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for warning in warnings {
        groups
            .entry(warning.kind.label())
            .or_default()
            .push(warning);
    }
    let mut out = String::new();
    if groups.is_empty() {
        return out;
    }
    out.push_str("places the output only approximates the spec:\n");
    for (label, list) in groups {
        let _ = writeln!(out, "  {label}: {}", list.len());
        for warning in list {
            let _ = writeln!(out, "    {}: {}", warning.location, warning.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Source, MAX_LINE};

    #[test]
    fn a_short_line_is_shown_whole_from_the_column_on() {
        let mut source = Source::new("f".into(), "ab\ncdé\nf".into());
        let shown = source.show(1, 3).expect("line 2");
        assert_eq!(shown.text, "cdé");
        assert_eq!((shown.first_column, shown.lead), (1, 0));
        assert_eq!(&shown.text[shown.marked.clone()], "é");
        assert!(source.show(3, 1).is_none());
    }

    #[test]
    fn a_long_line_is_a_window_around_the_column() {
        let line: String = (0..5000)
            .map(|i| if i % 7 == 0 { 'é' } else { 'x' })
            .collect();
        let mut with_mark = line.clone();
        with_mark.replace_range(
            line.char_indices().nth(3000).map(|(i, _)| i).unwrap()
                ..line.char_indices().nth(3001).map(|(i, _)| i).unwrap(),
            "M",
        );
        let mut source = Source::new("f".into(), format!("first\n{with_mark}\n"));
        let shown = source.show(1, 3001).expect("line 2");
        assert!(shown.text.chars().count() <= MAX_LINE, "{}", shown.text);
        assert!(shown.text.starts_with('…') && shown.text.ends_with('…'));
        assert!(shown.text[shown.marked.clone()].starts_with('M'));
        // The window's first character is the line's column `first_column`.
        let first: String = with_mark
            .chars()
            .skip(shown.first_column - 1)
            .take(5)
            .collect();
        assert!(shown.text[shown.lead..].starts_with(&first));
        // At the ends of the line, only one side is cut.
        let start = source.show(1, 1).expect("start");
        assert!(!start.text.starts_with('…') && start.text.ends_with('…'));
        let end = source.show(1, 5001).expect("end");
        assert!(end.text.starts_with('…') && !end.text.ends_with('…'));
        assert_eq!(end.marked.start, end.text.len());
    }
}
