//! A crate that generates its API client at build time: `build.rs` runs the
//! apigen library on `petstore.yaml` and writes one Rust file into
//! `OUT_DIR`, included here as a module. No generated code is committed.

/// The Petstore client, generated from `petstore.yaml` by `build.rs`.
pub mod petstore {
    include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
}

/// A client for `secured.yaml`: every kind of security scheme, typed error
/// bodies and a server with variables.
pub mod secured {
    include!(concat!(env!("OUT_DIR"), "/secured.rs"));
}
