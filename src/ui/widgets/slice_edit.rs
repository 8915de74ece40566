//! Slice editing; it lives in [`crate::edit::slice`].

pub use crate::edit::slice::*;
