//! Conversions of spec text done once each: wire names to Rust case, and
//! descriptions to doc lines. The same property names (`id`, `name`,
//! `created_on`) and descriptions come back in thousands of schemas (and a
//! component's each time it is referred to); converting them again was a
//! large part of the time lowering took.

use rustc_hash::FxHashMap;

use crate::docs::sanitize;
use crate::naming::{pascal, snake};

/// [`pascal`], [`snake`] and [`sanitize`] of the text met so far.
#[derive(Default)]
pub(super) struct Memo {
    pascal: FxHashMap<String, String>,
    snake: FxHashMap<String, String>,
    docs: FxHashMap<String, Vec<String>>,
}

impl Memo {
    /// [`pascal`] of `name`.
    pub(super) fn pascal(&mut self, name: &str) -> &str {
        cached(&mut self.pascal, name, pascal).as_str()
    }

    /// [`snake`] of `name`.
    pub(super) fn snake(&mut self, name: &str) -> &str {
        cached(&mut self.snake, name, snake).as_str()
    }

    /// [`sanitize`] of `text`.
    pub(super) fn doc(&mut self, text: &str) -> &[String] {
        cached(&mut self.docs, text, sanitize).as_slice()
    }
}

fn cached<'m, T>(memo: &'m mut FxHashMap<String, T>, text: &str, convert: fn(&str) -> T) -> &'m T {
    if !memo.contains_key(text) {
        memo.insert(text.to_string(), convert(text));
    }
    &memo[text]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_the_naming_and_docs_modules_each_time() {
        let mut memo = Memo::default();
        let names = [
            "created_on",
            "zone-id",
            "type",
            "created_on",
            "Self",
            "type",
        ];
        for name in names {
            assert_eq!(memo.pascal(name), pascal(name), "{name}");
            assert_eq!(memo.snake(name), snake(name), "{name}");
        }
        assert_eq!((memo.pascal.len(), memo.snake.len()), (4, 4));
        let texts = [
            "The zone's <b>name</b>.\n\nSee [docs](https://example.com).",
            "Identifier",
            "The zone's <b>name</b>.\n\nSee [docs](https://example.com).",
        ];
        for text in texts {
            assert_eq!(memo.doc(text), sanitize(text), "{text}");
        }
        assert_eq!(memo.docs.len(), 2);
    }
}
