//! The generator's integration tests, one binary: each module drives the
//! library's public API on one concern. Snapshots live in `snapshots/`
//! beside this file, named `it__<module>__<name>.snap`.
//!
//! Run one module: `cargo test -p apigen --test it bad_specs`.

mod api;
mod bad_specs;
mod cloudflare;
mod common;
mod crate_docs;
#[path = "../../runtime/tests/it/layer_check.rs"]
mod layer_check;
mod layers;
mod manifest;
mod merge;
mod multipart;
mod naming_corpus;
mod oas31;
mod paging;
mod refs;
mod regressions;
mod sizes;
mod snapshot_files;
mod snapshots;
mod stripe;
mod swagger2;
mod tidy;
