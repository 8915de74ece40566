//! A writer between the tracker's terminal backend and the terminal that sends a colour or
//! attribute change only where the pen really changes, and holds a frame until it is flushed.
//!
//! ratatui's crossterm backend writes foreground and background together whenever either one
//! changes, names the 16 basic colours by their long 256-colour form (`38;5;9`), and ends every
//! frame with three separate resets. This writer reads the escape codes passing through, keeps
//! the pen the next character will be drawn with, and writes, just before a character is
//! printed (or something that paints, such as a clear), one short SGR sequence with only what
//! differs from the pen the terminal already has. A space shows only its background (unless
//! underlined, crossed out or reversed), so before spaces only the background is changed.
//! Cursor moves pass through unchanged. An
//! escape code it does not understand is passed on as it came, and so is every colour code
//! after it until the next reset, so the picture on screen is the same as without it. The whole frame goes to the terminal in one write at `flush`.

use std::io::{self, Write};

/// A colour as a terminal pen holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Col {
    /// The terminal's default colour (`39` / `49`).
    #[default]
    Default,
    /// An entry of the 256-colour palette (0-15 are the basic colours).
    Idx(u8),
    /// A true colour.
    Rgb(u8, u8, u8),
}

/// Attribute bits, by SGR number: 1 bold .. 9 crossed out (bit n for SGR n).
const BOLD: u16 = 1 << 1;
const DIM: u16 = 1 << 2;
const BLINK: u16 = 1 << 5;
/// Underline, reverse and crossed out: the attributes that show on a space.
const SHOWN_ON_SPACE: u16 = (1 << 4) | (1 << 7) | (1 << 9);
const RAPID: u16 = 1 << 6;

/// What the next printed character is drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Pen {
    fg: Col,
    bg: Col,
    /// Underline colour (`58` / `59`).
    ul: Col,
    attrs: u16,
}

impl Pen {
    /// Applies one SGR parameter list (`None`: something this writer does not model).
    fn apply(&mut self, params: &[u8]) -> Option<()> {
        if params.iter().any(|b| !(b.is_ascii_digit() || *b == b';')) {
            return None;
        }
        let mut nums = Vec::with_capacity(8);
        for part in params.split(|b| *b == b';') {
            let mut n: u32 = 0;
            for d in part {
                n = n.checked_mul(10)?.checked_add(u32::from(d - b'0'))?;
            }
            nums.push(n);
        }
        let mut it = nums.into_iter();
        while let Some(n) = it.next() {
            match n {
                0 => *self = Pen::default(),
                1..=9 => self.attrs |= 1 << n,
                22 => self.attrs &= !(BOLD | DIM),
                23..=24 | 27..=29 => self.attrs &= !(1 << (n - 20)),
                25 => self.attrs &= !(BLINK | RAPID),
                30..=37 => self.fg = Col::Idx((n - 30) as u8),
                90..=97 => self.fg = Col::Idx((n - 90 + 8) as u8),
                40..=47 => self.bg = Col::Idx((n - 40) as u8),
                100..=107 => self.bg = Col::Idx((n - 100 + 8) as u8),
                39 => self.fg = Col::Default,
                49 => self.bg = Col::Default,
                38 => self.fg = extended(&mut it)?,
                48 => self.bg = extended(&mut it)?,
                58 => self.ul = extended(&mut it)?,
                59 => self.ul = Col::Default,
                _ => return None,
            }
        }
        Some(())
    }
}

/// The colour after `38` / `48`: `5;n` or `2;r;g;b`.
fn extended(it: &mut impl Iterator<Item = u32>) -> Option<Col> {
    let byte = |v: Option<u32>| v.and_then(|v| u8::try_from(v).ok());
    match it.next()? {
        5 => Some(Col::Idx(byte(it.next())?)),
        2 => Some(Col::Rgb(
            byte(it.next())?,
            byte(it.next())?,
            byte(it.next())?,
        )),
        _ => None,
    }
}

/// Appends `n` in decimal.
fn num(out: &mut Vec<u8>, n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Appends one parameter (with a `;` before it unless it is the first).
fn param(out: &mut Vec<u8>, first: &mut bool, n: u32) {
    if !*first {
        out.push(b';');
    }
    *first = false;
    num(out, n);
}

/// Appends the parameters that set colour `c` (`base` 30 for foreground, 40 for background,
/// 50 for underline, which has no short form for the basic colours).
fn colour(out: &mut Vec<u8>, first: &mut bool, base: u32, c: Col) {
    match c {
        Col::Default => param(out, first, base + 9),
        Col::Idx(i) if i < 8 && base < 50 => param(out, first, base + u32::from(i)),
        Col::Idx(i) if i < 16 && base < 50 => param(out, first, base + 60 + u32::from(i - 8)),
        Col::Idx(i) => {
            param(out, first, base + 8);
            param(out, first, 5);
            param(out, first, u32::from(i));
        }
        Col::Rgb(r, g, b) => {
            param(out, first, base + 8);
            param(out, first, 2);
            param(out, first, u32::from(r));
            param(out, first, u32::from(g));
            param(out, first, u32::from(b));
        }
    }
}

/// The parameters that take a terminal whose pen is `from` to `to`: the shorter of a change
/// from `from` and a reset followed by all of `to`.
fn change(from: Option<Pen>, to: Pen) -> Vec<u8> {
    let mut full = vec![b'0'];
    let mut first = false;
    for n in 1..=9u32 {
        if to.attrs & (1 << n) != 0 {
            param(&mut full, &mut first, n);
        }
    }
    if to.fg != Col::Default {
        colour(&mut full, &mut first, 30, to.fg);
    }
    if to.bg != Col::Default {
        colour(&mut full, &mut first, 40, to.bg);
    }
    if to.ul != Col::Default {
        colour(&mut full, &mut first, 50, to.ul);
    }
    let Some(from) = from else {
        return full;
    };
    let mut diff = Vec::new();
    let mut first = true;
    let off = from.attrs & !to.attrs;
    let mut on = to.attrs & !from.attrs;
    if off & (BOLD | DIM) != 0 {
        param(&mut diff, &mut first, 22);
        // 22 clears both: set again the one that stays.
        on |= to.attrs & (BOLD | DIM);
    }
    if off & (BLINK | RAPID) != 0 {
        param(&mut diff, &mut first, 25);
        on |= to.attrs & (BLINK | RAPID);
    }
    for n in [3u32, 4, 7, 8, 9] {
        if off & (1 << n) != 0 {
            param(&mut diff, &mut first, n + 20);
        }
    }
    for n in 1..=9u32 {
        if on & (1 << n) != 0 {
            param(&mut diff, &mut first, n);
        }
    }
    if to.fg != from.fg {
        colour(&mut diff, &mut first, 30, to.fg);
    }
    if to.bg != from.bg {
        colour(&mut diff, &mut first, 40, to.bg);
    }
    if to.ul != from.ul {
        colour(&mut diff, &mut first, 50, to.ul);
    }
    if diff.len() <= full.len() { diff } else { full }
}

/// Where the escape-code reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// Plain text.
    Text,
    /// After an ESC.
    Esc,
    /// Inside a control sequence (`ESC [` ... final byte); its bytes are in `csi`.
    Csi,
}

/// The writer: wrap the terminal's output in it (see the module text).
pub struct SgrWriter<W: Write> {
    inner: W,
    /// The frame so far, written out at `flush`.
    out: Vec<u8>,
    /// The pen the terminal has (`None`: unknown, after a code this writer does not model).
    have: Option<Pen>,
    /// The pen the escape codes so far ask for.
    want: Pen,
    scan: Scan,
    /// The parameter and intermediate bytes of the control sequence being read.
    csi: Vec<u8>,
}

impl<W: Write> SgrWriter<W> {
    /// Wraps `inner`, a terminal whose pen is the default one (as after a reset).
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            out: Vec::with_capacity(64 * 1024),
            have: Some(Pen::default()),
            want: Pen::default(),
            scan: Scan::Text,
            csi: Vec::with_capacity(32),
        }
    }

    /// The wrapped writer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// The wrapped writer, mutably.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    /// Brings the terminal's pen to the one asked for, before something is painted.
    fn pen_down(&mut self) {
        let Some(have) = self.have else {
            // Unknown pen: every SGR code passes unchanged until a reset.
            return;
        };
        self.set(have, self.want);
    }

    /// Like [`Self::pen_down`] before spaces: a space shows only its background (unless it is
    /// underlined, crossed out or reversed), so the foreground and the attributes the terminal
    /// has are kept and the change is put off until a character that shows them.
    fn pen_down_blank(&mut self) {
        let Some(have) = self.have else {
            return;
        };
        if (have.attrs | self.want.attrs) & SHOWN_ON_SPACE != 0 {
            self.set(have, self.want);
            return;
        }
        self.set(
            have,
            Pen {
                bg: self.want.bg,
                ..have
            },
        );
    }

    /// Sends what takes the terminal's pen from `have` to `to`.
    fn set(&mut self, have: Pen, to: Pen) {
        if have == to {
            return;
        }
        let params = change(Some(have), to);
        self.out.extend_from_slice(b"\x1b[");
        // `ESC [ m` is a reset: the `0` is not needed.
        if params != b"0" {
            self.out.extend_from_slice(&params);
        }
        self.out.push(b'm');
        self.have = Some(to);
    }

    /// Copies text, setting the pen before each run of spaces and of other characters.
    fn text(&mut self, text: &[u8]) {
        let mut k = 0;
        while k < text.len() {
            let spaces = text[k..].iter().take_while(|b| **b == b' ').count();
            if spaces > 0 {
                self.pen_down_blank();
                self.out.extend_from_slice(&text[k..k + spaces]);
                k += spaces;
            }
            let other = text[k..].iter().take_while(|b| **b != b' ').count();
            if other > 0 {
                self.pen_down();
                self.out.extend_from_slice(&text[k..k + other]);
                k += other;
            }
        }
    }

    /// A whole control sequence `ESC [ <csi> <fin>` was read.
    fn sequence(&mut self, fin: u8) {
        if fin == b'm' {
            if self.have.is_none() {
                self.raw_csi(fin);
                if self.csi.is_empty() || self.csi == b"0" {
                    self.have = Some(Pen::default());
                    self.want = Pen::default();
                }
                return;
            }
            let mut pen = self.want;
            if pen.apply(&self.csi).is_some() {
                self.want = pen;
                return;
            }
            // Not modelled: bring the pen up to date, pass it on, and pass every SGR code
            // unchanged until the next reset.
            self.pen_down();
            self.raw_csi(fin);
            self.have = None;
            return;
        }
        // Cursor moves do not paint; everything else might (clears use the background).
        let moves = matches!(fin, b'A'..=b'H' | b'f') && !self.csi.starts_with(b"?");
        if !moves {
            self.pen_down();
        }
        self.raw_csi(fin);
    }

    fn raw_csi(&mut self, fin: u8) {
        self.out.extend_from_slice(b"\x1b[");
        self.out.extend_from_slice(&self.csi);
        self.out.push(fin);
    }
}

impl<W: Write> Write for SgrWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut i = 0;
        while i < buf.len() {
            match self.scan {
                Scan::Text => {
                    // Copy the run of text up to the next ESC.
                    let end = buf[i..]
                        .iter()
                        .position(|b| *b == 0x1b)
                        .map_or(buf.len(), |p| i + p);
                    if end > i {
                        self.text(&buf[i..end]);
                    }
                    if end < buf.len() {
                        self.scan = Scan::Esc;
                    }
                    i = end + 1;
                }
                Scan::Esc => {
                    if buf[i] == b'[' {
                        self.csi.clear();
                        self.scan = Scan::Csi;
                    } else {
                        // Another kind of escape: passed on as it is.
                        self.pen_down();
                        self.out.push(0x1b);
                        self.out.push(buf[i]);
                        self.scan = Scan::Text;
                    }
                    i += 1;
                }
                Scan::Csi => {
                    let b = buf[i];
                    if (0x40..=0x7e).contains(&b) {
                        self.sequence(b);
                        self.scan = Scan::Text;
                    } else {
                        self.csi.push(b);
                    }
                    i += 1;
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Leave the terminal with the pen asked for (a frame ends with a reset), so what is
        // written later by others starts from it.
        if self.scan == Scan::Text {
            self.pen_down();
        }
        if !self.out.is_empty() {
            self.inner.write_all(&self.out)?;
            self.out.clear();
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for SgrWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn through(chunks: &[&[u8]]) -> Vec<u8> {
        let mut w = SgrWriter::new(Vec::new());
        for c in chunks {
            w.write_all(c).unwrap();
        }
        w.flush().unwrap();
        std::mem::take(w.get_mut())
    }

    #[test]
    fn an_unchanged_colour_is_not_sent_again() {
        // Red on blue, then red on green: only the background changes.
        let out =
            through(&[b"\x1b[38;5;9;48;5;4mA\x1b[38;5;9;48;5;2mB\x1b[39m\x1b[49m\x1b[59m\x1b[0m"]);
        assert_eq!(out, b"\x1b[91;44mA\x1b[42mB\x1b[m".to_vec());
    }

    // A stream that does not end with a reset leaves the pen as it asked (nothing added).
    #[test]
    fn changes_with_nothing_printed_between_are_merged() {
        let out = through(&[b"\x1b[1m\x1b[38;2;1;2;3m\x1b[22m\x1b[3mX"]);
        assert_eq!(out, b"\x1b[3;38;2;1;2;3mX".to_vec());
    }

    #[test]
    fn a_sequence_split_across_writes_is_read_whole() {
        let out = through(&[b"\x1b", b"[", b"38;5;", b"200", b"mZ\x1b[", b"5;7", b"H"]);
        assert_eq!(out, b"\x1b[38;5;200mZ\x1b[5;7H".to_vec());
    }

    #[test]
    fn cursor_moves_pass_and_do_not_paint_but_clears_do() {
        let out = through(&[b"\x1b[41m\x1b[3;4H\x1b[2J\x1b[0m\x1b[1;1Hx"]);
        assert_eq!(out, b"\x1b[3;4H\x1b[41m\x1b[2J\x1b[1;1H\x1b[mx".to_vec());
    }

    #[test]
    fn underline_colours_are_kept_in_their_long_form() {
        let out = through(&[b"\x1b[4m\x1b[58;5;1mu\x1b[59m\x1b[24mv"]);
        assert_eq!(out, b"\x1b[4;58;5;1mu\x1b[mv".to_vec());
    }

    #[test]
    fn spaces_change_only_the_background() {
        // Grey dots, white spaces between them: the spaces keep grey; a background change
        // is still sent before them; a reversed space gets its foreground.
        let out = through(&[
            b"\x1b[38;5;8m.\x1b[38;5;15m \x1b[38;5;8m.\x1b[38;5;15;48;5;4m  \x1b[38;5;8;49m.",
            b"\x1b[7;38;5;1m \x1b[0m",
        ]);
        assert_eq!(
            out,
            b"\x1b[90m. .\x1b[44m  \x1b[49m.\x1b[7;31m \x1b[m".to_vec()
        );
    }

    #[test]
    fn dropping_bold_keeps_dim() {
        let out = through(&[b"\x1b[1;2ma\x1b[22m\x1b[2mb"]);
        // `0;2` is shorter than `22;2`.
        assert_eq!(out, b"\x1b[1;2ma\x1b[0;2mb".to_vec());
    }

    #[test]
    fn an_unknown_code_passes_and_the_next_change_is_complete() {
        // `4:3` (curly underline) is not modelled: it and what follows pass unchanged until
        // a reset, after which changes are minimal again.
        let out = through(&[b"\x1b[4:3mu\x1b[38;5;1mr\x1b[0mx\x1b[38;5;2my"]);
        assert_eq!(out, b"\x1b[4:3mu\x1b[38;5;1mr\x1b[0mx\x1b[32my".to_vec());
    }

    #[test]
    fn other_escapes_and_private_modes_pass_unchanged() {
        let out = through(&[b"\x1b[?25l\x1b7\x1b[?1049h"]);
        assert_eq!(out, b"\x1b[?25l\x1b7\x1b[?1049h".to_vec());
    }
}
