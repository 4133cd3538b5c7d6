//! The stack of the threads that walk a description or a syntax tree.

/// The stack of the generator thread and of every thread that recurses
/// over a description or a syntax tree (resolving references, reading
/// schemas, formatting): deeply nested schemas make deep recursion, and
/// only virtual memory that is touched is paid for.
pub(crate) const STACK_SIZE: usize = 512 << 20;
