//! Counting the list calls of a generated crate that stream their pages
//! (`cloudflare.rs` and `stripe.rs` assert the counts on the real
//! descriptions).

use std::path::PathBuf;

use apigen::Generated;

/// The calls whose manifest line says how they page, and the `items()`
/// streams in the source: each paged call has one.
pub fn counts(generated: &Generated) -> (usize, usize) {
    let manifest = &generated.files[&PathBuf::from(apigen::manifest::FILE)];
    let paged = manifest
        .lines()
        .filter(|line| line.starts_with("fn ") && line.contains(" | pages "))
        .count();
    let streams = generated
        .files
        .iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "rs"))
        .map(|(_, source)| {
            // Formatted over lines: `pub fn items(`, `self,`, `) -> ...`.
            let flat: String = source.split_whitespace().collect();
            flat.matches("pubfnitems(self,)->impl::apigen_runtime::Stream<")
                .count()
        })
        .sum();
    (paged, streams)
}
