#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Resident memory with a whole project loaded in the tracker stays under 40 MB.

#[test]
fn project_in_the_tracker_fits_in_40_mb() {
    let Some(path) = octa::testutil::corpus("ot/hello-flex/project") else {
        return;
    };
    let p = octa::project::Project::open(&path, &Default::default()).unwrap();
    let mut app = octa::ui::testing::app(p, "tracker");
    let _ = octa::ui::testing::render(&mut app, 240, 70);
    let busy = octa::ui::bench_support::busy_app();
    let Some(kb) = octa::ui::bench_support::rss_kb() else {
        return; // not Linux
    };
    println!("VmRSS {kb} kB");
    assert!(kb < 40 * 1024, "VmRSS {kb} kB");
    drop((app, busy));
}
