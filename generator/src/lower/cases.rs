//! Wire names in Rust case, each converted once: the same property names
//! (`id`, `name`, `created_on`) come back in thousands of schemas, and
//! converting them again was a fifth of the time lowering took.

use std::collections::HashMap;

use crate::naming::{pascal, snake};

/// [`pascal`] and [`snake`] of the names met so far.
#[derive(Default)]
pub(super) struct Cases {
    pascal: HashMap<String, String>,
    snake: HashMap<String, String>,
}

impl Cases {
    /// [`pascal`] of `name`.
    pub(super) fn pascal(&mut self, name: &str) -> &str {
        cached(&mut self.pascal, name, pascal)
    }

    /// [`snake`] of `name`.
    pub(super) fn snake(&mut self, name: &str) -> &str {
        cached(&mut self.snake, name, snake)
    }
}

fn cached<'m>(
    memo: &'m mut HashMap<String, String>,
    name: &str,
    convert: fn(&str) -> String,
) -> &'m str {
    if !memo.contains_key(name) {
        memo.insert(name.to_string(), convert(name));
    }
    &memo[name]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_the_naming_modules_each_time() {
        let mut cases = Cases::default();
        for name in [
            "created_on",
            "zone-id",
            "type",
            "created_on",
            "Self",
            "type",
        ] {
            assert_eq!(cases.pascal(name), pascal(name), "{name}");
            assert_eq!(cases.snake(name), snake(name), "{name}");
        }
        assert_eq!(cases.pascal.len(), 4);
        assert_eq!(cases.snake.len(), 4);
    }
}
