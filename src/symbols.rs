//! The symbols the tracker grid and `octa dump` write for steps, in one table: the help
//! overlay's legend is made from it, the grid and the dump take their characters from it.

use crate::format::TrigCondition;

/// A trig (plays the sample or note).
pub const TRIG: &str = "X";
/// A trigless trig (locks and LFO restart, no note).
pub const TRIGLESS: &str = "t";
/// A lock trig: parameter locks only, no trig.
pub const LOCK: &str = "l";
/// An empty step or unset value.
pub const EMPTY: &str = ".";
/// The one-shot flag (audio tracks).
pub const ONESHOT: &str = "O";
/// The slide flag (audio tracks).
pub const SLIDE: &str = "S";
/// The swing flag.
pub const SWING: &str = "W";

/// Every symbol with its meaning, in the order the legend lists them.
pub const LEGEND: &[(&str, &str)] = &[
    (TRIG, "trig: the step plays"),
    (TRIGLESS, "trigless trig: locks and LFO restart, no note"),
    (LOCK, "lock trig: parameter locks only"),
    (EMPTY, "empty step; `..`, `...` and `---` are unset values"),
    (ONESHOT, "one-shot trig (audio tracks, O column)"),
    (SLIDE, "slide to the next trig (audio tracks, S column)"),
    (SWING, "swing applies to this step (W column)"),
    ("R 2..", "retrig count (R column; dump: r2)"),
    ("C-4 C#4", "note (60 = C-4); PCH/NOT column"),
    (
        "+55 -12",
        "lock value as the device shows it (bipolar values signed)",
    ),
    (
        "FILL PRE NEI 1ST",
        "trig conditions: fill mode, previous trig, neighbour, first loop",
    ),
    ("!FILL !PRE", "NOT: the condition inverted"),
    ("50%", "probability condition"),
    ("3:4", "plays on loop 3 of every 4"),
    (
        "+12 -3",
        "micro-timing in 1/384 of a step (MIC column; dump: +12/384)",
    ),
];

/// A condition as the grid and the dump write it: `FILL`, `!PRE`, `50%`, `3:4`, empty for
/// none.
pub fn condition_text(c: TrigCondition) -> String {
    let s = c.to_string();
    match s.strip_prefix("NOT ") {
        Some(rest) => format!("!{rest}"),
        None if c == TrigCondition::None => String::new(),
        None => s,
    }
}
