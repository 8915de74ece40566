//! Track sub-columns; they live in [`crate::edit::columns`].

pub use crate::edit::columns::*;
