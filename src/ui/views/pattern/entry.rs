//! Typing into the grid: note keys, digits and names typed into a cell, committed by Enter.

use super::*;

impl PatternView {
    pub(super) fn note_entry(&mut self, ctx: &mut Ctx, semis: u8) -> Outcome {
        let note = (self.octave as u16 + 1) * 12 + semis as u16;
        if note > 127 {
            return Outcome::Error("note out of range".into());
        }
        let at = Self::at(ctx);
        let (t, s) = (self.cursor.track, self.cursor.row);
        let layout = self.layout(ctx);
        let cmd = match chord_index(t, self.cursor_col(&layout)) {
            Some(index) => Command::ChordNote {
                index,
                note: note as u8,
            },
            None => Command::Note(note as u8),
        };
        let out = self.exec(ctx, self.cell_block(&layout), cmd);
        if matches!(out, Outcome::Error(_)) {
            return out;
        }
        let note = at.note(&ctx.doc, t, s);
        if let (Some(m), Some(bank), Some(n)) = (
            ctx.engines.midi_control.as_mut(),
            ctx.doc.bank(at.bank),
            note,
        ) {
            m.audition(bank, (at.bank, at.pattern), t, n, 100);
        }
        self.advance(ctx);
        out
    }

    /// Commits the digits typed into a value cell, read in the unit the cell shows (VOL `20`
    /// is the byte shown as +20; `#N` a stored byte; hex mode types stored bytes).
    pub(super) fn commit_entry(&mut self, ctx: &mut Ctx, layout: &[TrackCols]) -> Outcome {
        let text = std::mem::take(&mut self.entry);
        if text.is_empty() {
            return Outcome::Handled;
        }
        let t = self.cursor.track;
        let col = self.cursor_col(layout);
        let kind = &layout[t].kind;
        let stored = |unit: value::Unit, what: &str| -> Result<u8, String> {
            if self.hex {
                return u8::from_str_radix(text.trim_start_matches('#'), 16)
                    .ok()
                    .filter(|&v| v <= unit.max_stored())
                    .ok_or_else(|| format!("{what}: not a stored hex byte: {text}"));
            }
            unit.parse(what, &text).map_err(|e| e.to_string())
        };
        let cmd = match col {
            // A chord column takes a note name (`E-4`); `#N` is its stored offset byte.
            Col::Lock(i)
                if chord_index(t, col).is_some() && !text.starts_with('#') && !self.hex =>
            {
                let note = value::Unit::Display(crate::format::params::ValueDisplay::Note)
                    .parse(&kind.lock_name(i), &text);
                match (note, chord_index(t, col)) {
                    (Ok(note), Some(index)) => Command::ChordNote { index, note },
                    (Err(e), _) => return Outcome::Error(e.to_string()),
                    (Ok(_), None) => return Outcome::Handled,
                }
            }
            Col::Lock(i) => {
                let name = kind.lock_name(i);
                match stored(value::Unit::of(kind.param(i)), &name) {
                    Ok(v) => Command::SetLock {
                        idx: i,
                        value: Some(v),
                    },
                    Err(e) => return Outcome::Error(e),
                }
            }
            Col::Note => {
                // A typed note is a note, as from the piano keys: it brings a trig. (PTCH is
                // stored as 64 + semitones from C-4.)
                let unit = value::Unit::of(kind.param(0));
                match stored(unit, &columns::column_name(kind, col)) {
                    Ok(v) if is_midi(t) => Command::Note(v),
                    Ok(v) => match u8::try_from(i16::from(v) - 4) {
                        Ok(note) if note <= 127 => Command::Note(note),
                        _ => Command::SetLock {
                            idx: 0,
                            value: Some(v),
                        },
                    },
                    Err(e) => return Outcome::Error(e),
                }
            }
            Col::Retrig => match text.parse::<u8>() {
                Ok(n) => Command::SetRetrig(n),
                Err(_) => return Outcome::Error(format!("RETRIG takes 1..8, got {text:?}")),
            },
            _ => return Outcome::Handled,
        };
        let out = self.exec(ctx, self.cell_block(layout), cmd);
        if !matches!(out, Outcome::Error(_)) {
            self.advance(ctx);
        }
        out
    }

    pub(super) fn typed(&mut self, ctx: &mut Ctx, c: char, layout: &[TrackCols]) -> Outcome {
        let col = self.cursor_col(layout);
        let ok = match col {
            Col::Lock(_) | Col::Note => {
                if self.hex {
                    c.is_ascii_hexdigit()
                } else {
                    // Device units: digits, a sign, `#` for a stored byte, note names and
                    // fractions (`E-4`, `1/16`, `R2`).
                    c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '#' | '/' | '.')
                }
            }
            Col::Retrig => c.is_ascii_digit(),
            _ => false,
        };
        if !ok
            || (self.entry.is_empty()
                && col == Col::Note
                && !self.hex
                && !c.is_ascii_digit()
                && c != '#')
        {
            return Outcome::Ignored;
        }
        // Nothing commits by itself: Enter commits, Esc cancels.
        self.entry
            .push(if self.hex { c.to_ascii_uppercase() } else { c });
        if col == Col::Retrig {
            return self.commit_entry(ctx, layout);
        }
        Outcome::Message(format!(
            "entry: {}_ (Enter commits, Esc cancels)",
            self.entry
        ))
    }
}
