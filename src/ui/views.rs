//! The registry of views: each is reachable by one keystroke (its `view.<id>` action).
//!
//! Adding a view: one line in [`all_views`].

pub mod start;

use super::librarian::LibrarianView;
use super::pattern::PatternView;
use super::view::View;

/// Every view, in tab order.
pub fn all_views() -> Vec<Box<dyn View>> {
    vec![
        Box::new(PatternView::new()),
        Box::new(super::parts::PartsView::new()),
        Box::new(super::scenes::ScenesView::new()),
        Box::new(super::slots_view::SlotsView::new()),
        Box::new(super::arranger::ArrangerView::new()),
        Box::new(super::settings::SettingsView::new()),
        Box::new(super::overview::OverviewView::new()),
        Box::new(super::side_view::SideView::new()),
        Box::new(super::samples_view::SamplesView::new()),
        Box::new(LibrarianView::new()),
    ]
}
