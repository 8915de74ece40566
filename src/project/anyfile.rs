//! Any single Octatrack file, recognised by its name (or, failing that, its header): the
//! format layer's one file-kind enum and any-kind file, seen from the project layer.

pub use crate::format::file::{AnyFile, Kind};
