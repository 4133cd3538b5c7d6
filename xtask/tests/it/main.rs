//! The project commands, run as a user runs them, one binary.

mod atomic;
mod diff;
