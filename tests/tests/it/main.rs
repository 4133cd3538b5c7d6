//! The integration tests of the generated Cloudflare client and of the
//! fixture crates, one binary: each module is one concern (an area of the
//! API, a fixture, the docs, the contract against Prism).
//!
//! Run one module: `cargo test -p integration-tests --test it prism`.

mod api_shield;
mod area_names;
mod collisions;
mod common;
mod corpus_copy;
mod docs;
mod errors;
mod escape_hatch;
mod idempotency;
mod multipart;
mod paging;
mod petstore;
#[cfg(unix)]
mod prism;
#[cfg(unix)]
mod prism_needed;
mod readme;
mod streams;
mod styles;
mod values;
mod zero_trust_devices;
mod zero_trust_gateway;
