//! The generated clients of `build.rs` against servers on loopback, one binary.

mod petstore;
mod secured;
