//! The front end: from files to the generator's own [`Spec`].
//!
//! Its stages, in order: [`load`] reads and parses files and checks their
//! version; [`merge`] merges fragments into one document; [`bundle`]
//! resolves references that point anywhere; [`check`] and [`read`] read the
//! merged, bundled document (a `serde_json::Value`) into a [`Spec`]
//! ([`spec`]); [`locate`] turns JSON pointers into lines for diagnostics.
//!
//! One reader serves every version; the [`Version`] is a switch at the
//! few places where versions differ (see `reader::Reader`'s notes). A Swagger 2.0
//! document is turned into a 3.0 one by a `Value` → `Value` pre-pass before
//! it gets here, and is then read as 3.0.
//!
//! - [`shape`]: the OpenAPI 3.0 shape check, through `openapiv3`'s types
//!   (the only place they are used), narrowed to the innermost object that
//!   does not read so the diagnostic points at it;
//! - `reader`: the document (info, servers, tags, components, paths on two
//!   threads, webhooks) and the whole-document checks (duplicate
//!   `operationId`s);
//! - `operation`: an operation's parameters, body, responses and security;
//! - `schema`: a schema, with what 3.0 and 3.1 read differently;
//! - `keywords`: constraints, security schemes, servers, small readers;
//! - `refs`: references, followed once through chains to their target;
//! - `paths`: path templates against declared path parameters.
//!
//! References are already of the form `#/components/<section>/<name>`
//! ([`crate::bundle`] copied everything else in); those to parameters,
//! request bodies and responses are followed here, schema references are
//! kept by name.

pub mod bundle;
pub mod load;
pub mod locate;
pub mod merge;
pub mod origins;
pub mod spec;
pub mod swagger2;

mod keywords;
mod operation;
mod paths;
mod reader;
mod refs;
mod schema;
pub mod shape;
mod yaml;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Kind};
use crate::front::origins::Origins;
pub use crate::load::Version;
use crate::spec::Spec;

/// Checks what the reader takes for granted of a version's documents:
/// for 3.0, that the document has OpenAPI 3.0's shape (every object where
/// one is expected, with its required fields and allowed values). 3.1
/// documents are checked as they are read.
pub fn check(document: &Value, version: Version, origins: &Origins) -> Result<(), Vec<Diagnostic>> {
    if version != Version::V30 {
        return Ok(());
    }
    shape::check(document).map_err(|(pointer, message)| {
        let mut diagnostics = vec![Diagnostic::error(
            Kind::NotOpenApi,
            origins.locate(&pointer),
            format!("not a valid OpenAPI 3.0 document: {message}"),
        )
        .with_help("fix the value at this pointer to match the OpenAPI 3.0 specification")];
        origins.add_lines(&mut diagnostics);
        diagnostics
    })
}

/// Reads a checked document. Errors are returned together; warnings are
/// returned alongside a successful result.
pub fn read(document: &Value, version: Version, origins: &Origins) -> (Spec, Vec<Diagnostic>) {
    reader::Reader::new(document, version, origins).spec()
}

/// Checks and reads a merged document of either version (for tests; the
/// pipeline times the two steps apart).
#[cfg(test)]
pub fn check_and_read(
    document: &Value,
    origins: &Origins,
) -> Result<(Spec, Vec<Diagnostic>), Vec<Diagnostic>> {
    let version = crate::load::version(document);
    check(document, version, origins)?;
    Ok(read(document, version, origins))
}

#[cfg(test)]
mod tests;
