//! Turns a JSON pointer into a line and column of the source text.
//!
//! The parsers we use do not keep positions for every node, so this walks the
//! text itself: a small scanner for JSON, and an indentation walk for block
//! YAML. It is best effort: when it cannot follow the pointer it returns the
//! deepest position it reached, or `None`, never a wrong file.

/// Finds the one-based line and column where the value at `pointer` starts.
pub fn find(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens: Vec<String> = if pointer.is_empty() {
        Vec::new()
    } else {
        pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    };
    let trimmed = text.trim_start();
    let offset = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        json::find(text, &tokens)
    } else {
        yaml::find(text, &tokens)
    }?;
    Some(line_column(text, offset))
}

/// Finds many pointers at once: one walk of the text for JSON (which may be
/// megabytes), a lookup each for YAML.
pub fn find_all<'p>(text: &str, pointers: &[&'p str]) -> Vec<(&'p str, (usize, usize))> {
    let trimmed = text.trim_start();
    let is_json = trimmed.starts_with('{') || trimmed.starts_with('[');
    let mut wanted: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for pointer in pointers {
        let mut prefix = *pointer;
        loop {
            if !wanted.insert(prefix) {
                break;
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => break,
            }
        }
    }
    let mut offsets = std::collections::HashMap::new();
    if is_json {
        json::walk(text, &wanted, &mut offsets);
    } else {
        // As `yaml::find` does one pointer at a time: a pointer below a key
        // with nothing indented under it (a scalar or a flow collection) is
        // at that key.
        let mut found = std::collections::HashMap::new();
        yaml::walk(text, &wanted, &mut found);
        for pointer in pointers {
            let mut prefix = *pointer;
            let hit = loop {
                if let Some(&(offset, leaf)) = found.get(prefix) {
                    break (prefix == *pointer || leaf).then_some(offset);
                }
                match prefix.rfind('/') {
                    Some(i) => prefix = &prefix[..i],
                    None => break None,
                }
            };
            if let Some(offset) = hit {
                offsets.insert(pointer.to_string(), offset);
            }
        }
    }
    // One pass over the text turns offsets into lines and columns: columns
    // are counted on from the previous offset, not from the line start, so a
    // one-line document with many pointers is still read once.
    let mut sorted: Vec<usize> = offsets.values().copied().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut positions = std::collections::HashMap::new();
    let (mut line, mut column, mut at) = (1, 1, 0);
    for wanted in sorted {
        // Offsets are where values start, so on character boundaries (made
        // sure of here); `rfind` and `chars().count()` then use the standard
        // library's word-at-a-time scans: the text may be megabytes on one
        // line.
        let mut offset = wanted.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let segment = &text[at..offset];
        match segment.rfind('\n') {
            Some(last) => {
                line += segment.bytes().filter(|b| *b == b'\n').count();
                column = 1 + segment[last + 1..].chars().count();
            }
            None => column += segment.chars().count(),
        }
        at = offset;
        positions.insert(wanted, (line, column));
    }
    pointers
        .iter()
        .filter_map(|p| {
            offsets
                .get(*p)
                .and_then(|o| positions.get(o))
                .map(|at| (*p, *at))
        })
        .collect()
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

mod json {
    //! Pointer lookup in JSON text.

    /// Byte offset of the value at `tokens`.
    pub fn find(text: &str, tokens: &[String]) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut pos = skip_ws(bytes, 0);
        for token in tokens {
            pos = skip_ws(bytes, pos);
            match bytes.get(pos)? {
                b'{' => {
                    pos += 1;
                    loop {
                        pos = skip_ws(bytes, pos);
                        if bytes.get(pos)? == &b'}' {
                            return None;
                        }
                        let (key, after) = string(text, pos)?;
                        pos = skip_ws(bytes, after);
                        if bytes.get(pos)? != &b':' {
                            return None;
                        }
                        pos = skip_ws(bytes, pos + 1);
                        if key == *token {
                            break;
                        }
                        pos = skip_value(text, pos)?;
                        pos = skip_ws(bytes, pos);
                        if bytes.get(pos)? == &b',' {
                            pos += 1;
                        }
                    }
                }
                b'[' => {
                    let index: usize = token.parse().ok()?;
                    pos = skip_ws(bytes, pos + 1);
                    for _ in 0..index {
                        pos = skip_value(text, pos)?;
                        pos = skip_ws(bytes, pos);
                        if bytes.get(pos)? != &b',' {
                            return None;
                        }
                        pos = skip_ws(bytes, pos + 1);
                    }
                }
                _ => return None,
            }
        }
        Some(pos)
    }

    /// Records the offset of every value whose pointer is in `wanted`,
    /// skipping subtrees no wanted pointer goes into.
    pub fn walk(
        text: &str,
        wanted: &std::collections::HashSet<&str>,
        out: &mut std::collections::HashMap<String, usize>,
    ) {
        let bytes = text.as_bytes();
        let start = skip_ws(bytes, 0);
        let mut pointer = String::new();
        visit(text, start, &mut pointer, wanted, out);
    }

    fn visit(
        text: &str,
        pos: usize,
        pointer: &mut String,
        wanted: &std::collections::HashSet<&str>,
        out: &mut std::collections::HashMap<String, usize>,
    ) -> Option<usize> {
        let bytes = text.as_bytes();
        out.insert(pointer.clone(), pos);
        match bytes.get(pos)? {
            b'{' => {
                let mut at = skip_ws(bytes, pos + 1);
                if bytes.get(at)? == &b'}' {
                    return Some(at + 1);
                }
                loop {
                    let (key, after) = string(text, at)?;
                    at = skip_ws(bytes, after);
                    if bytes.get(at)? != &b':' {
                        return None;
                    }
                    at = skip_ws(bytes, at + 1);
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    at = if wanted.contains(pointer.as_str()) {
                        visit(text, at, pointer, wanted, out)?
                    } else {
                        skip_value(text, at)?
                    };
                    pointer.truncate(len);
                    at = skip_ws(bytes, at);
                    match bytes.get(at)? {
                        b',' => at = skip_ws(bytes, at + 1),
                        b'}' => return Some(at + 1),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                let mut at = skip_ws(bytes, pos + 1);
                if bytes.get(at)? == &b']' {
                    return Some(at + 1);
                }
                let mut index = 0usize;
                loop {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    at = if wanted.contains(pointer.as_str()) {
                        visit(text, at, pointer, wanted, out)?
                    } else {
                        skip_value(text, at)?
                    };
                    pointer.truncate(len);
                    index += 1;
                    at = skip_ws(bytes, at);
                    match bytes.get(at)? {
                        b',' => at = skip_ws(bytes, at + 1),
                        b']' => return Some(at + 1),
                        _ => return None,
                    }
                }
            }
            _ => skip_value(text, pos),
        }
    }

    fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        pos
    }

    /// Parses a string starting at `pos`; returns it and the offset after it.
    fn string(text: &str, pos: usize) -> Option<(String, usize)> {
        let end = string_end(text.as_bytes(), pos)?;
        let raw = text.get(pos..end)?;
        if !raw.contains('\\') {
            return Some((raw[1..raw.len() - 1].to_string(), end));
        }
        let value: String = serde_json::from_str(raw).ok()?;
        Some((value, end))
    }

    /// The offset after the string starting at `pos`, without making it:
    /// most of the text is skipped, and the document is known to parse.
    fn string_end(bytes: &[u8], pos: usize) -> Option<usize> {
        if bytes.get(pos)? != &b'"' {
            return None;
        }
        let mut end = pos + 1;
        while end < bytes.len() {
            match bytes[end] {
                b'\\' => end += 2,
                b'"' => return Some(end + 1),
                _ => end += 1,
            }
        }
        None
    }

    fn skip_value(text: &str, pos: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        match bytes.get(pos)? {
            b'"' => string_end(bytes, pos),
            b'{' | b'[' => {
                let mut depth = 0usize;
                let mut i = pos;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' => {
                            i = string_end(bytes, i)?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                return Some(i + 1);
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                None
            }
            _ => {
                let mut i = pos;
                while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']') {
                    i += 1;
                }
                Some(i)
            }
        }
    }
}

mod yaml {
    //! Pointer lookup in block-style YAML text, by indentation.

    struct Line<'a> {
        offset: usize,
        indent: usize,
        content: &'a str,
    }

    /// The lines that hold content, with their indentation.
    fn lines(text: &str) -> Vec<Line<'_>> {
        let mut lines = Vec::new();
        let mut offset = 0;
        for raw in text.split('\n') {
            let content = raw.trim_start_matches(' ');
            let trimmed = content.trim_end();
            if !trimmed.is_empty() && !trimmed.starts_with('#') && trimmed != "---" {
                lines.push(Line {
                    offset: offset + (raw.len() - content.len()),
                    indent: raw.len() - content.len(),
                    content: trimmed,
                });
            }
            offset += raw.len() + 1;
        }
        lines
    }

    /// Whether a line is a list item (`- x` or `-`).
    fn is_item(content: &str) -> bool {
        content
            .strip_prefix('-')
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    }

    /// Finds every pointer of `wanted` (which holds the prefixes of each) in
    /// one walk: the offset of its key or list item, and whether nothing is
    /// indented under it. Subtrees no wanted pointer goes into are skipped.
    pub fn walk(
        text: &str,
        wanted: &std::collections::HashSet<&str>,
        out: &mut std::collections::HashMap<String, (usize, bool)>,
    ) {
        let lines = lines(text);
        let Some(first) = lines.first() else {
            return;
        };
        out.insert(String::new(), (first.offset, false));
        let mut pointer = String::new();
        visit(&lines, None, 0..lines.len(), &mut pointer, wanted, out);
    }

    /// Visits the mapping or sequence in `range`; `first` replaces its first
    /// line (the content of a list item that starts on the item's line).
    fn visit(
        lines: &[Line<'_>],
        first: Option<&Line<'_>>,
        range: std::ops::Range<usize>,
        pointer: &mut String,
        wanted: &std::collections::HashSet<&str>,
        out: &mut std::collections::HashMap<String, (usize, bool)>,
    ) {
        let line_at = |k: usize| match first {
            Some(line) if k == range.start => line,
            _ => &lines[k],
        };
        let Some(indent) = range.clone().map(|k| line_at(k).indent).min() else {
            return;
        };
        let mut item = 0usize;
        for i in range.clone() {
            let line = line_at(i);
            if line.indent != indent {
                continue;
            }
            let item_line = is_item(line.content);
            let token = if item_line {
                item += 1;
                (item - 1).to_string()
            } else {
                match key_of(line.content) {
                    Some(key) => key,
                    None => continue,
                }
            };
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
            if wanted.contains(pointer.as_str()) && !out.contains_key(pointer.as_str()) {
                let mut j = i + 1;
                while j < range.end && line_at(j).indent > indent {
                    j += 1;
                }
                let inner = line.content[1..].trim_start();
                if item_line && !inner.is_empty() {
                    let shift = line.content.len() - inner.len();
                    let replaced = Line {
                        offset: line.offset + shift,
                        indent: line.indent + shift,
                        content: inner,
                    };
                    out.insert(pointer.clone(), (line.offset, false));
                    visit(lines, Some(&replaced), i..j, pointer, wanted, out);
                } else {
                    out.insert(pointer.clone(), (line.offset, i + 1 >= j));
                    visit(lines, None, i + 1..j, pointer, wanted, out);
                }
            }
            pointer.truncate(len);
        }
    }

    /// Byte offset of the key (or list item) that holds the value at `tokens`.
    pub fn find(text: &str, tokens: &[String]) -> Option<usize> {
        let mut lines = lines(text);
        let mut start = 0;
        let mut end = lines.len();
        let mut found = if lines.is_empty() {
            None
        } else {
            Some(lines[0].offset)
        };
        // Indentation of the mapping or sequence we look in: any within the range
        // that is the smallest.
        for token in tokens {
            let indent = lines[start..end].iter().map(|l| l.indent).min()?;
            let mut hit = None;
            let mut item = 0usize;
            for (i, line) in lines.iter().enumerate().take(end).skip(start) {
                if line.indent != indent {
                    continue;
                }
                if let Some(rest) = line.content.strip_prefix('-') {
                    if rest.is_empty() || rest.starts_with(' ') {
                        if token.parse::<usize>().ok() == Some(item) {
                            hit = Some(i);
                            break;
                        }
                        item += 1;
                        continue;
                    }
                }
                if key_of(line.content).as_deref() == Some(token.as_str()) {
                    hit = Some(i);
                    break;
                }
            }
            let i = hit?;
            found = Some(lines[i].offset);
            // The child range: the lines after `i` that are indented further.
            let mut j = i + 1;
            while j < end && lines[j].indent > indent {
                j += 1;
            }
            if lines[i].content.starts_with('-') {
                // A list item's mapping starts on the item line itself: treat the
                // text after "- " as a line of its own, indented by two more.
                let inner = lines[i].content[1..].trim_start();
                let shift = lines[i].content.len() - inner.len();
                if !inner.is_empty() {
                    let replaced = Line {
                        offset: lines[i].offset + shift,
                        indent: lines[i].indent + shift,
                        content: inner,
                    };
                    lines[i] = replaced;
                    start = i;
                    end = j;
                    continue;
                }
            }
            start = i + 1;
            end = j;
            if start >= end {
                break;
            }
        }
        found
    }

    fn key_of(content: &str) -> Option<String> {
        let (key, _) = if let Some(rest) = content.strip_prefix('"') {
            let close = rest.find('"')?;
            return rest[close + 1..]
                .trim_start()
                .starts_with(':')
                .then(|| rest[..close].to_string());
        } else if let Some(rest) = content.strip_prefix('\'') {
            let close = rest.find('\'')?;
            return rest[close + 1..]
                .trim_start()
                .starts_with(':')
                .then(|| rest[..close].to_string());
        } else {
            let colon = content
                .find(": ")
                .or_else(|| content.strip_suffix(':').map(|k| k.len()))?;
            (content[..colon].trim_end(), ())
        };
        Some(key.to_string())
    }
}

#[cfg(test)]
mod tests;
