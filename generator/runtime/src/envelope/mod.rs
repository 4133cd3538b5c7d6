//! The parts of Cloudflare's response envelope besides `result`:
//!
//! ```json
//! {"success": true, "errors": [], "messages": [], "result": {}, "result_info": {"page": 1}}
//! ```
//!
//! Every type here decodes leniently: any JSON value is accepted, fields that
//! don't have the expected shape are kept in `extra` instead of failing the
//! call, so an odd message or `result_info` never hides a good result.

mod code;
mod message;
mod result_info;

pub use code::ErrorCode;
pub use message::{Message, MessageSource};
pub use result_info::{Cursors, ResultInfo};

pub(crate) use message::messages_from_value;
