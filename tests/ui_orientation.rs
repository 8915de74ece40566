#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! Tracker orientation: theme contrast, header, status line, prompts, help overlay, warnings,
//! lock column names (issue 14, "Orientation").

use octa::ui::theme::Theme;
use ratatui::style::{Color, Style};

/// WCAG 2 relative luminance of an sRGB colour.
fn luminance(c: (u8, u8, u8)) -> f64 {
    let ch = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.03928 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
}

/// WCAG 2 contrast ratio of two colours.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn rgb(c: Option<Color>, what: &str) -> (u8, u8, u8) {
    match c {
        Some(Color::Rgb(r, g, b)) => (r, g, b),
        other => panic!("{what}: colour {other:?} is not #rrggbb, contrast cannot be computed"),
    }
}

#[test]
fn contrast_formula_matches_known_values() {
    // Facts from the WCAG definition: black on white is 21:1, equal colours 1:1,
    // #777777 on white is about 4.48:1 (the classic "just fails" grey).
    assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
    assert!((contrast((10, 20, 30), (10, 20, 30)) - 1.0).abs() < 1e-9);
    let g = contrast((0x77, 0x77, 0x77), (255, 255, 255));
    assert!((4.47..4.49).contains(&g), "{g}");
}

/// Every foreground/background pair a theme draws: chrome elements as they are, and every grid
/// text colour over every row background the grid composes (plain, beat, page, cursor row,
/// selection, playhead), as `src/ui/pattern/render.rs` patches them.
fn pairs(t: &Theme) -> Vec<(String, Style)> {
    let mut out = Vec::new();
    for el in [
        "base",
        "header",
        "header.title",
        "status",
        "status.dirty",
        "status.key",
        "status.message",
        "status.error",
        "grid.cursor",
        "grid.playhead",
        "grid.track",
        "grid.track_current",
        "grid.column_header",
        "help",
        "help.key",
        "help.title",
        "popup",
        "popup.title",
        "message",
    ] {
        out.push((el.to_string(), t.style(el)));
    }
    let base = t.style("base");
    let rows = [
        ("plain", base),
        ("beat", base.patch(t.raw("grid.beat"))),
        ("page", base.patch(t.raw("grid.page"))),
        ("cursor_row", base.patch(t.raw("grid.cursor_row"))),
        (
            "page+cursor_row",
            base.patch(t.raw("grid.page"))
                .patch(t.raw("grid.cursor_row")),
        ),
        ("selection", base.patch(t.raw("grid.selection"))),
        ("playhead", base.patch(t.raw("grid.playhead"))),
    ];
    for fg in [
        "grid.row_number",
        "grid.separator",
        "grid.dimmed",
        "trig.trig",
        "trig.trigless",
        "trig.lock",
        "trig.none",
        "cell.note",
        "cell.lock",
        "cell.cond",
        "cell.micro",
        "cell.retrig",
        "cell.flag",
        "cell.empty",
    ] {
        for (rn, rs) in rows {
            let mut s = rs.patch(t.raw(fg));
            if fg == "grid.row_number" && rn.starts_with("page") {
                s = s.patch(t.raw("grid.page"));
            }
            out.push((format!("{fg} on {rn}"), s));
        }
    }
    out
}

#[test]
fn every_theme_pair_meets_wcag_aa_contrast() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .expect("themes/ is readable")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["dark", "device", "high-contrast", "light"]);
    let mut failures = Vec::new();
    for name in &names {
        // The repo folder as the user config dir: the files under themes/ are read as they are.
        let t = Theme::load(name, Some(root.to_path_buf()))
            .unwrap_or_else(|e| panic!("theme {name}: {e}"));
        for (what, s) in pairs(&t) {
            let fg = rgb(s.fg, &format!("{name} {what} fg"));
            let bg = rgb(s.bg, &format!("{name} {what} bg"));
            let r = contrast(fg, bg);
            if r < 4.5 {
                failures.push(format!("{name}: {what} {fg:02x?} on {bg:02x?} is {r:.2}:1"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} pair(s) below 4.5:1:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

use octa::ui::testing::{app, open_corpus as open, press, screen, type_text};

/// hello-flex bank A pattern 1: part 1, length 16, scale 1x; pattern tempo is off, so it plays at
/// the project's `TEMPOx24=2976` (124 BPM; corpus README), not the pattern's stored 120.
const HELLO_POSITION: &str = "Bank A Pattern 01 Part 1 Len 16 Scale 1x 124.0 BPM (project)";

/// The header line without its trailing blanks.
fn top(s: &[String]) -> String {
    s[0].trim_end().to_string()
}

#[test]
fn header_keeps_the_position_and_shortens_the_view_list() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    // 220 columns: every view with its key, then the position at the right edge.
    let s = screen(&mut a, 220, 55);
    let views = " octa  F2:pattern  F3:parts  F4:scenes  F5:slots  F6:arranger  F7:settings  \
                 F8:overview  shift+F8:side  F11:samples  F12:librarian  shift+F5:pool ";
    let pad = " ".repeat(220 - views.len() - HELLO_POSITION.len() - 1);
    assert_eq!(top(&s), format!("{views}{pad}{HELLO_POSITION}"));
    assert_eq!(s[0].len(), 220);
    // 100 and 80 columns: only the current view, the position whole.
    for w in [100u16, 80] {
        let s = screen(&mut a, w, if w == 100 { 30 } else { 24 });
        let pad = " ".repeat(w as usize - 18 - HELLO_POSITION.len() - 1);
        assert_eq!(
            top(&s),
            format!(" octa  F2:pattern {pad}{HELLO_POSITION}"),
            "{w}"
        );
    }
    // Another view: its title shows when it fits, the position stays.
    press(&mut a, &["F3"]);
    let s = screen(&mut a, 100, 30);
    assert_eq!(
        top(&s),
        format!(
            " octa  F3:parts  Parts A1{}{HELLO_POSITION}",
            " ".repeat(14)
        )
    );
    // Too narrow for the view name too: the position alone (40 columns is the minimum).
    let s = screen(&mut a, 64, 24);
    assert_eq!(top(&s), format!("   {HELLO_POSITION}"));
}

#[test]
fn header_abbreviates_views_when_only_that_fits() {
    use octa::ui::chrome::{ViewTab, header_layout};
    let tabs: Vec<ViewTab> = [("F2", "pattern"), ("F3", "parts"), ("shift+F8", "side")]
        .iter()
        .map(|(k, id)| ViewTab {
            key: k.to_string(),
            id: id.to_string(),
            current: *id == "parts",
        })
        .collect();
    let texts = |w| {
        header_layout(w, &tabs, None, "POS".into())
            .tabs
            .into_iter()
            .map(|(t, _)| t)
            .collect::<Vec<_>>()
    };
    // " octa " (6) + tabs (12 + 10 + 15 in full, 8 + 8 + 10 short) + " POS " (5).
    assert_eq!(
        texts(6 + 37 + 5),
        [" F2:pattern ", " F3:parts ", " shift+F8:side "]
    );
    assert_eq!(texts(6 + 36 + 5), [" F2:pat ", " F3:par ", " S-F8:sid "]);
    assert_eq!(texts(6 + 26 + 5), [" F2:pat ", " F3:par ", " S-F8:sid "]);
    assert_eq!(texts(6 + 25 + 5), [" F3:parts "]);
}

#[test]
fn cursor_line_shows_track_step_column_modes_selection_and_state() {
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    let s = screen(&mut a, 80, 24);
    assert_eq!(
        s[22].trim_end(),
        " T1 step 01/16 TRIG | oct 4 | edit +1 | dec | no sel | stopped | editable"
    );
    // T1 of hello-flex: T, PCH, VOL (byte 15), COND... (see ui_grid); octave, edit step,
    // hex mode and a 3-step x 2-column selection.
    press(
        &mut a,
        &[
            "right",
            "right",
            ">",
            "F10",
            "alt+x",
            "shift+down",
            "shift+down",
            "shift+left",
        ],
    );
    let s = screen(&mut a, 80, 24);
    assert_eq!(
        s[22].trim_end(),
        " T1 step 03/16 PTCH | oct 5 | edit +2 | hex | sel 3x2 | stopped | editable"
    );
    a.ctx.doc.project.set_read_only(true);
    press(&mut a, &["esc", "right", "right", "right"]);
    let s = screen(&mut a, 80, 24);
    assert_eq!(
        s[22].trim_end(),
        " T1 step 03/16 MICRO | oct 5 | edit +2 | hex | no sel | stopped | read-only"
    );
}

/// The text inside the popup box on a screen (the rows between its top and bottom corners),
/// one string per row, without the borders.
fn popup_rows(s: &[String]) -> Vec<String> {
    let top = s
        .iter()
        .position(|l| l.contains('┌'))
        .expect("a popup on screen");
    let bottom = s
        .iter()
        .position(|l| l.contains('└'))
        .expect("popup bottom");
    let corners: Vec<char> = s[top].chars().collect();
    let a = corners.iter().position(|c| *c == '┌').expect("left corner");
    let b = corners
        .iter()
        .position(|c| *c == '┐')
        .expect("right corner");
    s[top + 1..bottom]
        .iter()
        .map(|l| {
            let row: Vec<char> = l.chars().collect();
            assert_eq!((row[a], row[b]), ('│', '│'), "{l}");
            row[a + 1..b]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

/// Words of the popup, joined by single spaces.
fn popup_words(s: &[String]) -> String {
    popup_rows(s)
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn prompts_show_their_whole_instructions_at_80_columns() {
    use octa::project::Project;
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["alt+c"]);
    let s = screen(&mut a, 80, 24);
    // The whole instruction, wrapped inside the box (before: cut at 28 columns).
    assert_eq!(
        popup_words(&s),
        "Condition: FILL NOT FILL PRE NOT PRE NEI NOT NEI 1ST NOT 1ST 1%..99% A:B, - = none > [87%]"
    );
    // The prefilled value is selected: typing replaces it, Enter would keep it.
    press(&mut a, &["5"]);
    let s = screen(&mut a, 80, 24);
    assert!(popup_words(&s).ends_with("> 5_"), "{}", popup_words(&s));
    let rows = popup_rows(&s);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[0].chars().count() <= 76, "{rows:?}");
    // The box fits the screen with a blank column each side.
    let top = s.iter().find(|l| l.contains('┌')).expect("top");
    assert_eq!(top.find('┌'), Some(1), "{top}");
    // T1 step 1 of hello-flex holds 87% (condition code 24); the prompt starts from it.
    press(&mut a, &["backspace", "backspace", "backspace"]);
    type_text(&mut a, "FILL");
    let s = screen(&mut a, 80, 24);
    assert_eq!(popup_rows(&s).last().map(|r| r.trim()), Some("> FILL_"));
    press(&mut a, &["esc"]);

    let mut a = app(Project::new_blank("untitled"), "tracker");
    press(&mut a, &["space", "ctrl+s"]);
    let s = screen(&mut a, 80, 24);
    assert_eq!(popup_words(&s), "Save new project as (folder) > _");
    // A narrow screen still shows every word.
    let s = screen(&mut a, 40, 24);
    assert_eq!(popup_words(&s), "Save new project as (folder) > _");
}

#[test]
fn lock_column_prompt_offers_the_tracks_parameters_and_explains_freq() {
    use octa::project::Project;
    let mut a = app(Project::new_blank("untitled"), "tracker");
    // T1: a FLEX machine with FX1 = FILTER (code 4) and FX2 = DELAY (code 8), set here.
    {
        let part = a
            .ctx
            .doc
            .bank_mut(0)
            .expect("bank A")
            .part_mut(0)
            .expect("part 1");
        part.set_machine_type(0, octa::format::MachineType::Flex)
            .expect("flex");
        part.set_fx1_type(0, 4).expect("FILTER");
        part.set_fx2_type(0, 8).expect("DELAY");
    }
    press(&mut a, &["alt+="]);
    let s = screen(&mut a, 100, 40);
    let rows = popup_rows(&s);
    let names: Vec<&str> = rows[2..]
        .iter()
        .filter_map(|r| r.split("  ").next())
        .collect();
    // The device's pages: FLEX SRC (PTCH is the note column), LFO, AMP, FILTER, DELAY, SLOT.
    assert_eq!(
        names,
        [
            "STRT", "LEN", "RATE", "RTRG", "RTIM", "SPD1", "SPD2", "SPD3", "DEP1", "DEP2", "DEP3",
            "ATK", "HOLD", "REL", "VOL", "BAL", "F", "BASE", "WDTH", "Q", "DEPT", "ATK", "DEC",
            "TIME", "FB", "VOL", "BASE", "WDTH", "SEND", "SLOT"
        ],
        "{rows:#?}"
    );
    // Typing filters: FREQ finds the filter's BASE through its description.
    type_text(&mut a, "freq");
    let s = screen(&mut a, 100, 40);
    let rows = popup_rows(&s);
    assert_eq!(
        rows[2..].iter().map(|r| r.trim()).collect::<Vec<_>>(),
        [
            "BASE  FX1 FILTER BASE: base frequency (FREQ, CUTOFF)",
            "BASE  FX2 DELAY BASE: filter base frequency (FREQ)"
        ]
    );
    // Enter on FREQ says what the device calls it.
    press(&mut a, &["enter"]);
    let (msg, err) = a.message.clone().expect("an error");
    assert!(err);
    assert_eq!(
        msg,
        "T1: no parameter `freq`: the FILTER's base frequency is called BASE on the device \
         (FX1 FILTER BASE)"
    );
    // Tab takes the first match and Enter adds the column.
    press(&mut a, &["alt+="]);
    type_text(&mut a, "wdth");
    press(&mut a, &["tab", "enter"]);
    let s = screen(&mut a, 200, 30);
    let headers: Vec<&str> = s[2][3..]
        .split('│')
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert!(headers.contains(&"WDTH"), "{headers:?}");
}

/// The help overlay's inner rows (between the body's borders) on a screen.
fn help_rows(s: &[String]) -> Vec<String> {
    let top = s.iter().position(|l| l.starts_with('┌')).expect("help box");
    let bottom = s
        .iter()
        .position(|l| l.starts_with('└'))
        .expect("help bottom");
    s[top + 1..bottom]
        .iter()
        .map(|l| {
            let row: Vec<char> = l.chars().collect();
            row[1..row.len() - 1]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect()
}

#[test]
fn help_opens_on_the_views_keys_pages_searches_and_stops_at_its_end() {
    use octa::ui::app::Overlay;
    use octa::ui::help::{HelpLine, help_lines};
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F1"]);
    // 100x30: header, 26 body rows (cursor line and status below), 24 inside the box, the
    // first one the search line.
    let s = screen(&mut a, 100, 30);
    let rows = help_rows(&s);
    assert_eq!(rows.len(), 25);
    assert_eq!(rows[0], "  search: _");
    assert_eq!(rows[1], "[pattern]");
    // The key column is as wide as the section's longest keys (`ctrl+down alt+shift+down`, 24
    // characters, plus one space), so two bindings never run into the text.
    assert_eq!(
        rows[2],
        format!(
            "  {:<25}Cursor to the next track  (pattern.next_track)",
            "tab"
        )
    );
    {
        let mut b = app(open("ot/hello-flex/project").expect("corpus"), "tracker");
        press(&mut b, &["F1"]);
        type_text(&mut b, "next part");
        let found = help_rows(&screen(&mut b, 100, 30));
        let line = found
            .iter()
            .find(|r| r.contains("alt+shift+right"))
            .unwrap_or_else(|| panic!("{found:#?}"));
        assert!(line.contains("alt+shift+right Next part"), "{line}");
    }
    // The pattern view's own sections come before the global keys.
    let all = help_lines(&a, "");
    let sections: Vec<&str> = all
        .iter()
        .filter_map(|l| match l {
            HelpLine::Section(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        &sections[..5],
        ["pattern", "pattern.note", "nav", "global", "views",]
    );
    // PgDn moves one page (24 lines): the first row shown is help line 24.
    press(&mut a, &["pagedown"]);
    let rows = help_rows(&screen(&mut a, 100, 30));
    // Compared word by word: the key column's width depends on the section's longest keys.
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let line_text = |l: &HelpLine| match l {
        HelpLine::Section(t) => format!("[{t}]"),
        HelpLine::Key { keys, text } => words(&format!("{keys} {text}")),
        HelpLine::Symbol { symbol, meaning } => words(&format!("{symbol} {meaning}")),
    };
    // (A line wider than the box is cut at its border.)
    let shown = words(&rows[1]);
    assert!(
        shown.len() > 20 && line_text(&all[24]).starts_with(&shown),
        "{shown:?} vs {:?}",
        all[24]
    );
    press(&mut a, &["pageup"]);
    assert_eq!(a.overlay, Overlay::Help(0));
    // End shows the last line at the bottom; further keys do not scroll past it.
    press(&mut a, &["end"]);
    let end = screen(&mut a, 100, 30);
    let rows = help_rows(&end);
    assert_eq!(
        rows.last().map(|r| words(r)),
        Some(line_text(all.last().expect("lines")))
    );
    press(&mut a, &["down", "pagedown", "down"]);
    assert_eq!(screen(&mut a, 100, 30), end);
    // Typing searches: only the matching keys, under their sections.
    type_text(&mut a, "octave up");
    let rows = help_rows(&screen(&mut a, 100, 30));
    assert_eq!(
        rows[..3],
        [
            "  search: octave up_",
            "[pattern]",
            "  >                     Note entry octave up  (pattern.octave_up)"
        ]
    );
    assert!(rows[3..].iter().all(|r| r.is_empty()), "{rows:#?}");
    press(&mut a, &["esc"]);
    assert_eq!(a.overlay, Overlay::None);
    // Another view: its keys first.
    press(&mut a, &["F3", "F1"]);
    let rows = help_rows(&screen(&mut a, 100, 30));
    assert_eq!(rows[1], "[parts]");
}

#[test]
fn help_legend_lists_the_grids_and_dumps_symbols() {
    use octa::symbols;
    let Some(p) = open("ot/hello-flex/project") else {
        return;
    };
    let mut a = app(p, "tracker");
    press(&mut a, &["F1"]);
    type_text(&mut a, "trig");
    let rows = help_rows(&screen(&mut a, 120, 40));
    let legend: Vec<&String> = rows
        .iter()
        .skip_while(|r| !r.starts_with("[grid symbols"))
        .skip(1)
        .take_while(|r| r.starts_with("  "))
        .collect();
    assert_eq!(
        legend,
        [
            "  X                     trig: the step plays",
            "  t                     trigless trig: locks and LFO restart, no note",
            "  l                     lock trig: parameter locks only",
            "  O                     one-shot trig (audio tracks, O column)",
            "  S                     slide to the next trig (audio tracks, S column)",
            "  R 2..                 retrig count (R column; dump: r2)",
            "  FILL PRE NEI 1ST      trig conditions: fill mode, previous trig, neighbour, first loop",
        ]
    );
    // The grid and octa dump write the same characters: hello-flex A01 T1 step 1 is a trig
    // with condition 87% (format_bank facts), step 2 empty.
    press(&mut a, &["esc"]);
    let s = screen(&mut a, 200, 30);
    let row1 = s.iter().find(|l| l.starts_with("01 ")).expect("row 1");
    assert!(row1[3..].starts_with(symbols::TRIG), "{row1}");
    let row2 = s.iter().find(|l| l.starts_with("02 ")).expect("row 2");
    assert!(row2[3..].starts_with(symbols::EMPTY), "{row2}");
    let dir = octa::testutil::corpus("ot/hello-flex/project").expect("corpus");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_octa"))
        .args(["dump", "-b", "A", "-p", "1"])
        .arg(&dir)
        .output()
        .expect("octa dump runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let step1 = text.lines().nth(2).expect("step 1 line");
    assert!(
        step1.contains(&format!("| {} 87% VOL=119", symbols::TRIG)),
        "{text}"
    );
    // A NOT condition is one word in both: `!FILL`.
    assert_eq!(
        symbols::condition_text(octa::format::TrigCondition::NotFill),
        "!FILL"
    );
}

#[test]
fn warnings_list_opens_any_time_with_missing_files_and_samples() {
    use octa::ui::app::Overlay;
    let Some(src) = octa::testutil::corpus("ot/hello-flex") else {
        return;
    };
    // A set: PROJ/ (hello-flex without bank16.work) and AUDIO/projects/HELLO FLEX/ with every
    // sample but Electrokik.wav (the slots' paths are ../AUDIO/projects/HELLO FLEX/...).
    let set = tempfile::tempdir().expect("tmp");
    let proj = set.path().join("PROJ");
    let audio = set.path().join("AUDIO/projects/HELLO FLEX");
    std::fs::create_dir_all(&proj).expect("proj dir");
    std::fs::create_dir_all(&audio).expect("audio dir");
    for e in std::fs::read_dir(src.join("project")).expect("project") {
        let e = e.expect("entry");
        if e.file_name() != "bank16.work" {
            std::fs::copy(e.path(), proj.join(e.file_name())).expect("copy");
        }
    }
    for e in std::fs::read_dir(src.join("samples")).expect("samples") {
        let e = e.expect("entry");
        if e.file_name() != "Electrokik.wav" {
            std::fs::copy(e.path(), audio.join(e.file_name())).expect("copy");
        }
    }
    let project = octa::project::Project::open(&proj, &Default::default()).expect("the copy opens");
    let mut a = app(project, "tracker");
    // Any time, not only at start: after moving around and another view.
    press(&mut a, &["down", "F3", "F2", "ctrl+w"]);
    assert_eq!(a.overlay, Overlay::Warnings(0));
    let s = screen(&mut a, 200, 30);
    let rows = help_rows(&s);
    let bank16 = proj.join("bank16.work");
    assert_eq!(
        rows[..3],
        [
            "2 warning(s):".to_string(),
            format!(
                "- {}: missing: using the device's blank file (written only when edited)",
                bank16.display()
            ),
            "- Flex 1: sample missing: ../AUDIO/projects/HELLO FLEX/Electrokik.wav".to_string(),
        ],
        "{rows:#?}"
    );
    assert!(s[1].contains("Warnings"), "{}", s[1]);
    // Any other key closes it; the key works again later.
    press(&mut a, &["x"]);
    assert_eq!(a.overlay, Overlay::None);
    press(&mut a, &["ctrl+w"]);
    assert_eq!(a.overlay, Overlay::Warnings(0));
}

#[test]
fn a_long_choice_list_keeps_the_header_and_says_how_many_more() {
    use octa::project::Project;
    let mut a = app(Project::new_blank("untitled"), "tracker");
    press(&mut a, &["alt+="]);
    // 80x24: the popup leaves the header and the status line; 20 rows inside: the question (one
    // line), the input, 17 choices and the count of the rest.
    let s = screen(&mut a, 80, 24);
    assert!(s[0].contains("Bank A Pattern 01"), "{}", s[0]);
    assert!(s[1].contains('┌') && s[22].contains('└'), "{s:#?}");
    let rows = popup_rows(&s);
    assert_eq!(rows.len(), 20);
    assert_eq!(rows[1].trim(), "> _");
    let total = a.prompt_choices("pattern.add_column", "").len();
    assert!(total > 18, "{total}");
    assert_eq!(
        rows[19].trim(),
        format!("... {} more: type to filter", total - 17)
    );
}
