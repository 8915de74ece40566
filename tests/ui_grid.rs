#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The pattern grid shows the trigs, p-locks, conditions and micro-timing of real corpus
//! patterns in the right cells; snapshots of the screens.

mod facts;

use facts::{BankBytes, scale_name};
use octa::ui::testing::{app, lines, open_corpus as open, press, render, screen};
use ratatui::style::Modifier;

/// Checks a pattern screen of pattern A01 against the bank bytes decoded independently:
/// the part, the master length, every fully visible track header (machine, and in per-track
/// mode its length and scale) and which rows of each visible track hold a trig.
fn grid_matches_bytes(s: &[String], bank: &BankBytes) {
    let part = bank.pattern_part(0);
    assert!(s[0].contains(&format!("Part {}", part + 1)), "{}", s[0]);
    let per_track = bank.per_track(0);
    let len = if per_track {
        format!("Len {} (per track)", bank.per_track_master_len(0))
    } else {
        format!("Len {} ", bank.master_len(0))
    };
    // (On a narrow screen the title is cut before the length.)
    if s[0].ends_with(' ') {
        assert!(s[0].contains(&len), "{len:?} in {}", s[0]);
    }
    let heads: Vec<&str> = s[1][3..].split('│').collect();
    let complete = heads.len() - 1; // the last one may be cut at the screen edge
    let rows: Vec<usize> = s
        .iter()
        .filter_map(|l| l.get(..3)?.strip_suffix(' ')?.parse().ok())
        .collect();
    assert!(rows.len() >= 16, "{rows:?}");
    for (t, head) in heads.iter().enumerate().take(complete) {
        let (name, (len, scale), trigs) = if t < 8 {
            (
                format!("T{} {}", t + 1, bank.machine(part, t)),
                bank.audio_len_scale(0, t),
                bank.audio_trigs(0, t),
            )
        } else {
            (
                format!("M{}", t - 7),
                bank.midi_len_scale(0, t - 8),
                bank.midi_trigs(0, t - 8),
            )
        };
        let want = if per_track {
            format!("{name} L{len} {}", scale_name(scale))
        } else {
            name
        };
        assert_eq!(head.split_whitespace().collect::<Vec<_>>().join(" "), want);
        for &r in &rows {
            let c = cell(s, r, t);
            assert_eq!(
                c.starts_with('X'),
                trigs.contains(&r),
                "{want} row {r}: {c} (trigs {trigs:?})"
            );
        }
    }
}

/// The text of track `track`'s block (0 = T1) on the grid row labelled `row` (1-based).
fn cell(lines: &[String], row: usize, track: usize) -> String {
    let label = format!("{row:02} ");
    let line = lines
        .iter()
        .find(|l| l.starts_with(&label))
        .unwrap_or_else(|| panic!("no row {row}"));
    let seg = line[label.len()..].split('│').nth(track).unwrap_or("");
    seg.to_string()
}

#[test]
fn hello_flex_locks_and_conditions_in_their_cells() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    let s = screen(&mut a, 200, 30);
    assert!(
        s[0].contains("Bank A Pattern 01 Part 1 Len 16 Scale 1x 124.0 BPM (project)"),
        "{}",
        s[0]
    );
    // Column headers: T1 and T3 have a VOL lock column (byte 15), T2 has none.
    assert!(
        s[1].contains("T1 FLEX") && s[1].contains("T4 STATIC"),
        "{}",
        s[1]
    );
    let headers: Vec<&str> = s[2][3..].split('│').collect();
    assert_eq!(
        headers[0].split_whitespace().collect::<Vec<_>>(),
        ["T", "PCH", "VOL", "COND", "MIC", "R", "O", "S", "W"]
    );
    assert!(!headers[1].contains("VOL"));
    // T1 trigs at steps 1,3,5,7,8,10,12,14,15 with VOL 119 (shown as the device does: +55)
    // and 87% (condition code 24).
    for row in [1, 3, 5, 7, 8, 10, 12, 14, 15] {
        let c = cell(&s, row, 0);
        let f: Vec<&str> = c.split_whitespace().collect();
        assert_eq!(&f[..4], ["X", "---", "+55", "87%"], "row {row}: {c}");
    }
    for row in [2, 4, 6, 9, 11, 13, 16] {
        let c = cell(&s, row, 0);
        assert!(c.starts_with(". ---   .."), "row {row}: {c}");
    }
    // T3's VOL ramp 88 -> 127 (+24 -> +63).
    let vols: Vec<String> = [1, 3, 5, 7, 8, 10, 12, 14, 15]
        .iter()
        .map(|r| {
            cell(&s, *r, 2)
                .split_whitespace()
                .nth(2)
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(
        vols,
        [
            "+24", "+29", "+34", "+38", "+43", "+48", "+53", "+58", "+63"
        ]
    );
    // T2 plain trigs without locks or conditions.
    assert_eq!(
        cell(&s, 1, 1).split_whitespace().collect::<Vec<_>>(),
        ["X", "---", "...", "..", ".", ".", ".", "."]
    );
    assert!(cell(&s, 2, 1).starts_with(". "));
}

#[test]
fn multipart_micro_timing_lengths_and_dimmed_steps() {
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut a = app(p, "tracker");
    let buf = render(&mut a, 240, 70);
    let s = lines(&buf);
    assert!(s[0].contains("Len 64 (per track)"), "{}", s[0]);
    let heads: Vec<&str> = s[1][3..].split('│').collect();
    assert!(heads[0].starts_with("T1 THRU L16 1x"), "{}", heads[0]);
    assert!(heads[1].starts_with("T2 FLEX L12 1x"), "{}", heads[1]);
    assert!(heads[5].starts_with("T6 FLEX L64 1x"), "{}", heads[5]);
    // T2 step 1: trig with micro-timing +1/384 (word 0x0080).
    let c = cell(&s, 1, 1);
    assert_eq!(
        c.split_whitespace().collect::<Vec<_>>(),
        ["X", "---", "...", "+1", ".", ".", ".", "."],
        "{c}"
    );
    // T1 step 1 trig, no micro-timing.
    assert!(cell(&s, 1, 0).split_whitespace().nth(3) == Some(".."));
    // T2 (length 12) trigs beyond its length are still shown, dimmed.
    assert!(cell(&s, 17, 1).starts_with('X'));
    let y = s.iter().position(|l| l.starts_with("17 ")).unwrap() as u16;
    let x = 3 + heads[0].chars().count() as u16 + 1; // first cell of T2
    assert!(
        buf[(x, y)].modifier.contains(Modifier::DIM),
        "step 17 of a 12-step track is dimmed"
    );
    let y11 = s.iter().position(|l| l.starts_with("11 ")).unwrap() as u16;
    assert!(!buf[(x, y11)].modifier.contains(Modifier::DIM));
    // T6 trigs at steps 1, 17, 33; T3 (static) at step 49.
    for r in [1, 17, 33] {
        assert!(cell(&s, r, 5).starts_with('X'), "T6 row {r}");
    }
    assert!(cell(&s, 49, 2).starts_with('X'));
    assert!(cell(&s, 48, 2).starts_with('.'));
}

#[test]
fn tracks_scroll_sideways_to_the_cursor() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    let s = screen(&mut a, 100, 24);
    assert!(s[1].contains("T1 FLEX") && !s[1].contains("M8"));
    for _ in 0..15 {
        press(&mut a, &["tab"]);
    }
    let s = screen(&mut a, 100, 24);
    assert!(s[1].contains("M8") && !s[1].contains("T1 FLEX"), "{}", s[1]);
}

#[test]
fn snapshots() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    let hello = BankBytes::read(&octa::testutil::corpus("ot/hello-flex/project").unwrap(), 0);
    let s = screen(&mut a, 160, 24);
    grid_matches_bytes(&s, &hello);
    insta::assert_snapshot!("pattern_hello_flex", s.join("\n"));
    press(&mut a, &["F1"]);
    insta::assert_snapshot!("help_overlay", screen(&mut a, 120, 30).join("\n"));
    press(&mut a, &["esc", "space", "ctrl+q"]);
    insta::assert_snapshot!("quit_confirm", screen(&mut a, 100, 16).join("\n"));
    press(&mut a, &["n"]);
    insta::assert_snapshot!("too_small", screen(&mut a, 30, 8).join("\n"));
    let Some(p) = open("ot/multipart") else {
        return;
    };
    let mut m = app(p, "vim");
    let multi = BankBytes::read(&octa::testutil::corpus("ot/multipart").unwrap(), 0);
    let s = screen(&mut m, 240, 40);
    assert!(s[0].ends_with(' '), "the whole title fits: {}", s[0]);
    grid_matches_bytes(&s, &multi);
    assert!(s[1].contains("M1 L16 1x"), "the MIDI header is checked too");
    insta::assert_snapshot!("pattern_multipart_vim", s.join("\n"));
}

#[test]
fn mouse_click_moves_the_cursor_and_wheel_scrolls() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    let s = screen(&mut a, 200, 30);
    let t2 = 3 + s[2][3..].split('│').next().unwrap().chars().count() as u16 + 1;
    a.mouse(t2, 7, 0); // row 5 (grid rows start at line 3), T2 trig column
    press(&mut a, &["space"]);
    let at = octa::ui::pattern::edit::At {
        bank: 0,
        pattern: 0,
    };
    let trig = |a: &octa::ui::App, t, s| at.mask(&a.ctx.doc, t, octa::ui::model::Mask::Trig, s);
    assert!(trig(&a, 1, 4), "click put the cursor on T2 step 5");
    a.mouse(t2, 10, 1); // wheel down: three steps from step 6
    press(&mut a, &["space"]);
    assert!(trig(&a, 1, 8), "wheel moved the cursor to step 9");
}

#[test]
fn beat_rows_keep_their_background_under_filled_cells() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    let buf = render(&mut a, 120, 30);
    let beat = a.ctx.theme.raw("grid.beat").bg;
    // Row 5 (a beat row, y = 7): T1 has a trig there.
    assert_eq!(buf[(3, 7)].symbol(), "X");
    assert_eq!(buf[(3, 7)].bg, beat.unwrap());
    assert_ne!(buf[(3, 8)].bg, beat.unwrap(), "row 6 is not a beat row");
}
