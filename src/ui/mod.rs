//! See the crate docs.

pub mod widgets;
