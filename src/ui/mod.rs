//! The terminal tracker: app state, views, actions, undo, themes and keymaps.
//!
//! Adding a view: see [`view::View`] and [`views::all_views`].

pub mod action;
pub mod app;
pub mod engines;
pub mod keymap;
pub mod keys;
pub mod model;
pub mod pattern;
pub mod theme;
pub mod view;
pub mod views;

pub use action::{ActionDef, Input};
pub use app::App;
pub use view::{Ctx, Nav, Outcome, View, ViewInfo};
