//! The pattern view's commands with their default (tracker layout) keys: the one table of
//! names, help texts and keys (cursor moves are the shared `nav` commands).

use crate::ui::action::ActionDef;
use crate::ui::command::{NavCmd, commands};
use crate::ui::model::Mask;

commands! {
    /// A command of the pattern view.
    pub enum PatternCmd {
        Track(i8) {
            (1) "pattern.next_track", "Cursor to the next track", ["tab"];
            (-1) "pattern.prev_track", "Cursor to the previous track", ["backtab"];
        }
        Select(NavCmd) {
            (NavCmd::Up) "pattern.select_up", "Extend the selection up", ["shift+up"];
            (NavCmd::Down) "pattern.select_down", "Extend the selection down", ["shift+down"];
            (NavCmd::Left) "pattern.select_left", "Extend the selection left", ["shift+left"];
            (NavCmd::Right) "pattern.select_right", "Extend the selection right", ["shift+right"];
        }
        Mark { "pattern.mark", "Start a selection at the cursor, or drop it", ["alt+b"]; }
        SelectTrack { "pattern.select_track", "Select the cursor's track (all steps)", ["alt+t"]; }
        SelectAll { "pattern.select_all", "Select every track and step", ["ctrl+a"]; }
        SelectClear { "pattern.select_clear", "Drop the selection / cancel entry", ["esc"]; }
        ToggleTrig { "pattern.toggle_trig", "Toggle a trig", ["space"]; }
        ToggleTrigless { "pattern.toggle_trigless", "Toggle a trigless (lock) trig", ["ctrl+t"]; }
        Clear { "pattern.clear", "Clear the value under the cursor (or the selection)", ["delete"]; }
        ClearStep { "pattern.clear_step", "Clear the whole step: trigs, locks, condition", ["backspace"]; }
        Enter { "pattern.enter", "Commit a typed value (as displayed, #N stored); on a lock cell with nothing typed, open a prompt", ["enter"]; }
        Octave(i8) {
            (1) "pattern.octave_up", "Note entry octave up", [">"];
            (-1) "pattern.octave_down", "Note entry octave down", ["<"];
        }
        EditStep(i8) {
            (1) "pattern.edit_step_up", "Edit step +1 (rows advanced after an entry)", ["F10"];
            (-1) "pattern.edit_step_down", "Edit step -1", ["F9"];
        }
        Follow { "pattern.follow", "Follow the playhead: while playing, the cursor moves with the played step", ["ctrl+alt+f"]; }
        ToggleHex { "pattern.toggle_hex", "Type stored bytes in hex / values as displayed", ["alt+x"]; }
        Cond(i8) {
            (1) "pattern.cond_next", "Next trig condition", ["]"];
            (-1) "pattern.cond_prev", "Previous trig condition", ["["];
        }
        CondPick { "pattern.cond_pick", "Type a trig condition (FILL, NOT PRE, 50%, 3:4, ...)", ["alt+c"]; }
        Micro(i8) {
            (1) "pattern.micro_inc", "Micro-timing +1/384", ["}"];
            (-1) "pattern.micro_dec", "Micro-timing -1/384", ["{"];
        }
        MicroPick { "pattern.micro_pick", "Type a micro-timing (-23..23)", ["alt+m"]; }
        Retrig(i8) {
            (1) "pattern.retrig_inc", "Retrig count +1", ["alt+."];
            (-1) "pattern.retrig_dec", "Retrig count -1", ["alt+,"];
        }
        Flag(Mask) {
            (Mask::OneShot) "pattern.toggle_oneshot", "Toggle the one-shot flag", ["alt+o"];
            (Mask::Slide) "pattern.toggle_slide", "Toggle the slide flag", ["alt+s"];
            (Mask::Swing) "pattern.toggle_swing", "Toggle the swing flag", ["alt+w"];
        }
        AddColumn { "pattern.add_column", "Add a lock column (by parameter name)", ["alt+="]; }
        RemoveColumn { "pattern.remove_column", "Remove the lock column under the cursor", ["alt+-"]; }
        Copy { "pattern.copy", "Copy the selection", ["ctrl+c"]; }
        Cut { "pattern.cut", "Cut the selection", ["ctrl+x"]; }
        Paste(bool) {
            (false) "pattern.paste", "Paste at the cursor", ["ctrl+v"];
            (true) "pattern.mix_paste", "Paste only into empty cells", ["alt+v"];
        }
        Transpose(i8) {
            (1) "pattern.transpose_up", "Transpose notes +1 semitone", ["alt+up"];
            (-1) "pattern.transpose_down", "Transpose notes -1 semitone", ["alt+down"];
            (12) "pattern.transpose_oct_up", "Transpose notes +1 octave", ["alt+pageup"];
            (-12) "pattern.transpose_oct_down", "Transpose notes -1 octave", ["alt+pagedown"];
        }
        Interpolate { "pattern.interpolate", "Interpolate locks linearly across the selection", ["alt+i"]; }
        FillEvery { "pattern.fill_every", "Place a trig every N steps", ["alt+f"]; }
        Euclid { "pattern.euclid", "Euclidean trigs: k of n, rotation, repeated over the track's length", ["alt+e"]; }
        Rotate(i8) {
            (1) "pattern.rotate_down", "Shift steps down (wrapping)", ["ctrl+down", "alt+shift+down"];
            (-1) "pattern.rotate_up", "Shift steps up (wrapping)", ["ctrl+up", "alt+shift+up"];
        }
        Reverse { "pattern.reverse", "Reverse the steps", ["alt+r"]; }
        Randomize { "pattern.randomize", "Randomize locks within a range (in the values the device shows)", ["alt+n"]; }
        Double { "pattern.double", "Double: stretch steps to twice the span (the track grows up to 64 steps)", ["alt+d"]; }
        Halve { "pattern.halve", "Halve: squeeze steps to half the span", ["alt+h"]; }
        AssignPart { "pattern.assign_part", "Use the current part for this pattern", ["alt+p"]; }
        SetLength { "pattern.set_length", "Set the pattern length (or track length in PER TRACK mode)", ["alt+l"]; }
        SetTempo { "pattern.set_tempo", "Set the pattern tempo", ["alt+g"]; }
        RecorderBand { "pattern.recorder_band", "Show / hide the recorder trigs band below the grid", ["ctrl+alt+b"]; }
        RecSource(u8) {
            (1) "pattern.rec_inab", "Toggle recorder trig source INAB (inputs A/B) at the cursor", ["ctrl+alt+a"];
            (2) "pattern.rec_incd", "Toggle recorder trig source INCD (inputs C/D) at the cursor", ["ctrl+alt+c"];
            (4) "pattern.rec_src3", "Toggle recorder trig source SRC3 at the cursor", ["ctrl+alt+x"];
        }
        RecOneshot { "pattern.rec_oneshot", "Toggle the one-shot flag of the recorder trig at the cursor", ["ctrl+alt+e"]; }
        Script { "pattern.script", "Script menu: run a script (config dir scripts/ or shipped) on the selection or the whole pattern, as one undo step", ["shift+F2"]; }
        TrackSettings { "pattern.track_settings", "Open / close the track settings panel (up/down choose, left/right change)", ["ctrl+alt+t"]; }
        Note(u8) {
            (0) "pattern.note.n0", "Enter note C (octave current)", ["z"];
            (1) "pattern.note.n1", "Enter note C# (octave current)", ["s"];
            (2) "pattern.note.n2", "Enter note D (octave current)", ["x"];
            (3) "pattern.note.n3", "Enter note D# (octave current)", ["d"];
            (4) "pattern.note.n4", "Enter note E (octave current)", ["c"];
            (5) "pattern.note.n5", "Enter note F (octave current)", ["v"];
            (6) "pattern.note.n6", "Enter note F# (octave current)", ["g"];
            (7) "pattern.note.n7", "Enter note G (octave current)", ["b"];
            (8) "pattern.note.n8", "Enter note G# (octave current)", ["h"];
            (9) "pattern.note.n9", "Enter note A (octave current)", ["n"];
            (10) "pattern.note.n10", "Enter note A# (octave current)", ["j"];
            (11) "pattern.note.n11", "Enter note B (octave current)", ["m"];
            (12) "pattern.note.n12", "Enter note C (octave +1)", [",", "q"];
            (13) "pattern.note.n13", "Enter note C# (octave +1)", ["l", "2"];
            (14) "pattern.note.n14", "Enter note D (octave +1)", [".", "w"];
            (15) "pattern.note.n15", "Enter note D# (octave +1)", [";", "3"];
            (16) "pattern.note.n16", "Enter note E (octave +1)", ["/", "e"];
            (17) "pattern.note.n17", "Enter note F (octave +1)", ["r"];
            (18) "pattern.note.n18", "Enter note F# (octave +1)", ["5"];
            (19) "pattern.note.n19", "Enter note G (octave +1)", ["t"];
            (20) "pattern.note.n20", "Enter note G# (octave +1)", ["6"];
            (21) "pattern.note.n21", "Enter note A (octave +1)", ["y"];
            (22) "pattern.note.n22", "Enter note A# (octave +1)", ["7"];
            (23) "pattern.note.n23", "Enter note B (octave +1)", ["u"];
            (24) "pattern.note.n24", "Enter note C (octave +2)", ["i"];
            (25) "pattern.note.n25", "Enter note C# (octave +2)", ["9"];
            (26) "pattern.note.n26", "Enter note D (octave +2)", ["o"];
            (27) "pattern.note.n27", "Enter note D# (octave +2)", ["0"];
            (28) "pattern.note.n28", "Enter note E (octave +2)", ["p"];
        }
    }
}

/// Every action of the pattern view (the table of [`PatternCmd`]).
pub const ACTIONS: &[ActionDef] = PatternCmd::ACTIONS;
