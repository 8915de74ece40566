#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark: bad input data stops it; it reports on the console"
)]
//! Tracker speed: drawing a full 16-track x 64-step grid at 240x70 on TestBackend, and a key
//! press plus redraw. Also prints resident memory with a whole project loaded.

use criterion::{Criterion, criterion_group};
use octa::ui::bench_support::{busy_app, rss_kb};
use octa::ui::keys::Chord;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

fn grid(c: &mut Criterion) {
    // As the octa binary does at start-up.
    octa::memory::keep_freed_memory();
    let mut app = busy_app();
    let mut term = Terminal::new(TestBackend::new(240, 70)).unwrap();
    c.bench_function("render 240x70 full grid (frame buffer, no terminal)", |b| {
        b.iter(|| {
            // The app draws every cell of a blank frame; no diff, no backend writes.
            term.current_buffer_mut().reset();
            let mut frame = term.get_frame();
            app.render(&mut frame);
            black_box(frame.area());
        })
    });
    c.bench_function("render 240x70 full grid + full TestBackend flush", |b| {
        b.iter(|| {
            // Force a full redraw each time, as after a scroll.
            term.clear().unwrap();
            term.draw(|f| app.render(f)).unwrap();
            black_box(term.backend().buffer().area);
        })
    });
    let down = Chord::parse("down").unwrap();
    let up = Chord::parse("up").unwrap();
    let mut flip = false;
    c.bench_function("key (cursor move) + redraw", |b| {
        b.iter(|| {
            flip = !flip;
            app.key(if flip { down } else { up });
            term.draw(|f| app.render(f)).unwrap();
        })
    });
    let space = Chord::parse("space").unwrap();
    c.bench_function("key (toggle trig, undo step) + redraw", |b| {
        b.iter(|| {
            app.key(up);
            app.key(space);
            term.draw(|f| app.render(f)).unwrap();
        })
    });
}

criterion_group!(benches, grid);

fn main() {
    let base = rss_kb();
    let project = octa::testutil::corpus("ot/hello-flex/project")
        .and_then(|p| octa::project::Project::open(&p, &Default::default()).ok());
    if let Some(p) = project {
        let mut app = octa::ui::testing::app(p, "tracker");
        let _ = octa::ui::testing::render(&mut app, 240, 70);
        println!(
            "memory: VmRSS {} kB before, {} kB with hello-flex (16 banks) loaded and drawn",
            base.unwrap_or(0),
            rss_kb().unwrap_or(0)
        );
        drop(app);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
