//! The registry of views: each is reachable by one keystroke (its `view.<id>` action).
//!
//! Adding a view: one line in [`all_views`].

use super::pattern::PatternView;
use super::view::View;

/// Every view, in tab order.
pub fn all_views() -> Vec<Box<dyn View>> {
    vec![Box::new(PatternView::new())]
}
