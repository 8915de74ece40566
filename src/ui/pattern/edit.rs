//! Editing one pattern; the rules live in [`crate::edit::trig`].

pub use crate::edit::trig::*;
