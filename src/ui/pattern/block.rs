//! Block operations; they live in [`crate::edit::block`].

pub use crate::edit::block::*;
