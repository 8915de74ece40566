//! The views, one module each, and their registry: each is reachable by one keystroke (its
//! `view.<id>` action).
//!
//! Adding a view: a module here and one line in [`all_views`].

pub mod arranger;
pub mod convert_job;
pub mod librarian;
pub mod overview;
pub mod parts;
pub mod pattern;
pub mod pool;
pub mod samples_view;
pub mod scenes;
pub mod settings;
pub mod side_view;
pub mod slots_view;
pub mod start;

use super::view::View;

/// Every view, in tab order.
pub fn all_views() -> Vec<Box<dyn View>> {
    vec![
        Box::new(pattern::PatternView::new()),
        Box::new(parts::PartsView::new()),
        Box::new(scenes::ScenesView::new()),
        Box::new(slots_view::SlotsView::new()),
        Box::new(arranger::ArrangerView::new()),
        Box::new(settings::SettingsView::new()),
        Box::new(overview::OverviewView::new()),
        Box::new(side_view::SideView::new()),
        Box::new(samples_view::SamplesView::new()),
        Box::new(librarian::LibrarianView::new()),
        Box::new(pool::PoolView::new()),
    ]
}
