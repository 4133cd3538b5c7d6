//! The proofs stage: tests emitted into a generated crate that check its
//! types and client against the description itself. [`examples`] decodes the
//! description's response examples through the generated types;
//! [`contract`] calls a Prism mock of the description through the generated
//! client; [`values`] makes values a schema allows (path parameters, bodies).
//! The verdict logic they share is code of the runtime (`apigen_runtime::proof`,
//! feature `proof`): the emitted tests list the cases and call it.

pub mod contract;
pub mod examples;
pub mod values;
