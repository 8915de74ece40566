//! The document the tracker edits; it lives in [`crate::edit::document`] (kept here so views
//! keep their `ui::model` paths).

pub use crate::edit::document::*;
