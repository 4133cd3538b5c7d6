//! Parsing a large JSON document on two threads.
//!
//! `serde_json` parses on one thread; the whole Cloudflare description
//! (4 MiB) took about 33 ms, with the second core idle. [`parse`] cuts the
//! text of a large object into its members (and the members of its largest
//! member, `paths`), parses each part with `serde_json` on one of two
//! threads, and puts the parts together in document order, so the value is
//! the one `serde_json` gives for the whole text. Whatever it does not
//! expect (not an object, invalid text, nesting near `serde_json`'s depth
//! limit, no thread), it leaves to `serde_json` on the whole text, which
//! also reports errors as it always did.

use serde_json::{Map, Value};

/// Below this size, one thread parses faster than two start.
const PARALLEL_FROM: usize = 1 << 20;

/// Nesting at which the parts would pass where the whole text fails:
/// `serde_json` refuses 128 levels, and a part starts two levels down.
const DEEP: usize = 120;

/// The JSON value of `text`, as `serde_json::from_str` gives it.
pub(super) fn parse(text: &str) -> serde_json::Result<Value> {
    if text.len() < PARALLEL_FROM {
        return serde_json::from_str(text);
    }
    parse_parts(text).map_or_else(|| serde_json::from_str(text), Ok)
}

/// A member of an object: its key as written (quoted, escapes and all) and
/// its value's text.
struct Member<'t> {
    key: &'t str,
    value: &'t str,
}

/// The value, when the text is cut into parts and each parses; `None`
/// otherwise (the whole text is then parsed again, for `serde_json`'s own
/// error).
fn parse_parts(text: &str) -> Option<Value> {
    let top = members(text)?;
    // The largest member's members are parts of their own.
    let largest = (0..top.len()).max_by_key(|i| top[*i].value.len())?;
    let inner = members(top[largest].value);
    // The values' texts, in document order.
    let mut parts: Vec<&str> = Vec::new();
    for (index, member) in top.iter().enumerate() {
        match &inner {
            Some(inner) if index == largest => parts.extend(inner.iter().map(|m| m.value)),
            _ => parts.push(member.value),
        }
    }
    // The first thread takes parts from the start until it has about half
    // of the text, the second the rest.
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut taken = 0;
    let split = parts
        .iter()
        .position(|p| {
            taken += p.len();
            taken * 2 >= total
        })
        .map_or(parts.len(), |i| i + 1);
    let (first, second) = parts.split_at(split);
    let parse_all = |parts: &[&str]| -> Option<Vec<Value>> {
        parts.iter().map(|p| serde_json::from_str(p).ok()).collect()
    };
    let (first, second) = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new().spawn_scoped(scope, || parse_all(second));
        let first = parse_all(first);
        let second = spawned.ok()?.join().ok()?;
        Some((first?, second?))
    })?;
    let mut values = first.into_iter().chain(second);
    let key = |member: &Member| serde_json::from_str::<String>(member.key).ok();
    let mut root = Map::new();
    for (index, member) in top.iter().enumerate() {
        let value = match &inner {
            Some(inner) if index == largest => {
                let mut map = Map::new();
                for member in inner {
                    map.insert(key(member)?, values.next()?);
                }
                Value::Object(map)
            }
            _ => values.next()?,
        };
        root.insert(key(member)?, value);
    }
    Some(Value::Object(root))
}

/// The members of the object that `text` is (with nothing but whitespace
/// around it), in order; `None` when it is not one, or nests [`DEEP`] levels.
fn members(text: &str) -> Option<Vec<Member<'_>>> {
    let bytes = text.as_bytes();
    let mut at = skip_space(bytes, 0);
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    at = skip_space(bytes, at + 1);
    let mut members = Vec::new();
    if bytes.get(at) == Some(&b'}') {
        return (skip_space(bytes, at + 1) == bytes.len()).then_some(members);
    }
    loop {
        if bytes.get(at) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, at)?;
        let key = &text[at..key_end];
        at = skip_space(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        let start = skip_space(bytes, at + 1);
        let end = value_end(bytes, start)?;
        members.push(Member {
            key,
            value: &text[start..end],
        });
        at = skip_space(bytes, end);
        match bytes.get(at) {
            Some(b',') => at = skip_space(bytes, at + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    (skip_space(bytes, at + 1) == bytes.len()).then_some(members)
}

/// The first byte at or after `at` that is not JSON whitespace.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while matches!(bytes.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// The end (after the closing quote) of the string that starts at `at`.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The end of the value that starts at `at`: a string, an object or array
/// (to its closing bracket), or a scalar (to the next delimiter). The value
/// is not checked: `serde_json` parses it afterwards.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => {
                        depth += 1;
                        if depth >= DEEP {
                            return None;
                        }
                    }
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
        }
        _ => {
            let mut i = at;
            while !matches!(
                bytes.get(i),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                i += 1;
            }
            (i > at).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document large enough to be parsed in parts, with what a
    /// hand-written scanner could get wrong: escaped quotes and brackets in
    /// strings and keys, a duplicate key, unicode escapes, numbers, and the
    /// largest member's members split between the threads.
    fn large() -> String {
        let mut paths = Vec::new();
        for i in 0..9000 {
            paths.push(format!(
                r#""/zones/{{id}}/r\"{i}" : {{"get": {{"description": "a \"quoted\" ] }} text \\ \u00e9 {i}", "x": [1, -2.5e3, true, null, {{}}, []]}}}}"#
            ));
        }
        paths.push(r#""/zones/{id}/r\"7": {"dup": "last wins"}"#.to_string());
        format!(
            " \n{{\"openapi\": \"3.0.3\", \"info\": {{\"title\": \"T\"}},\r\n \"paths\": {{{}}}, \"components\": {{\"schemas\": {{\"a\": {{\"type\": \"string\"}}}}}}, \"openapi\": \"3.0.0\", \"n\": 123456789012345678901234}}\t",
            paths.join(",\n")
        )
    }

    #[test]
    fn parts_make_the_value_serde_json_makes_of_the_whole() {
        let text = large();
        assert!(text.len() >= PARALLEL_FROM, "{}", text.len());
        assert_eq!(
            parse_parts(&text).expect("cut into parts"),
            serde_json::from_str::<Value>(&text).expect("valid")
        );
    }

    #[test]
    fn what_is_not_a_plain_object_is_left_to_serde_json() {
        let text = large();
        // Invalid inside a part: `serde_json`'s error, with its position.
        let broken = text.replacen("true", "tru", 1);
        assert!(members(&broken).is_some() && parse_parts(&broken).is_none());
        let error = parse(&broken).expect_err("invalid");
        assert_eq!(
            error.to_string(),
            serde_json::from_str::<Value>(&broken)
                .expect_err("invalid")
                .to_string()
        );
        // Trailing text, an array, a deep nesting: not cut at all.
        assert!(members(&format!("{text}x")).is_none());
        assert!(members(&format!("[{text}]")).is_none());
        let deep = format!("{{\"a\": {}1{}}}", "[".repeat(DEEP), "]".repeat(DEEP));
        assert!(members(&deep).is_none());
        assert_eq!(
            parse(&format!("{text}x")).is_err(),
            serde_json::from_str::<Value>(&format!("{text}x")).is_err()
        );
        assert_eq!(members(" { } ").map(|m| m.len()), Some(0));
    }
}
