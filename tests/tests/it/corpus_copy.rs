//! The corpus documents kept in `tests/fixtures/corpus/` are the corpus's
//! own, byte for byte (checked when `../shared/corpus` is beside the
//! checkout, as in CI; skipped with a message otherwise).

use std::path::Path;

#[test]
fn the_kept_petstore_is_the_corpus_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = root.join("../shared/corpus/oas-examples/3.0/petstore.json");
    if !corpus.exists() {
        eprintln!("skipped: {} is not here", corpus.display());
        return;
    }
    let kept = std::fs::read(root.join("tests/fixtures/corpus/petstore.json")).expect("kept copy");
    assert!(
        kept == std::fs::read(&corpus).expect("corpus"),
        "tests/fixtures/corpus/petstore.json differs from {}",
        corpus.display()
    );
}
