//! The runtime's integration tests, one binary: each module exercises one
//! concern against servers on loopback.

mod auth;
#[cfg(feature = "blocking")]
mod blocking;
mod decode;
mod double_option;
mod idempotency;
mod layer_check;
mod layers;
mod limits;
mod multipart;
mod oauth;
mod object;
mod pagination;
mod paging;
mod rate_limit;
mod request;
mod retry;
mod streams;
mod string_enum;
mod styles;
mod support;
mod tracing;
