//! The pattern view's cursor and selection: the column layout, moves, blocks.

use super::*;

impl PatternView {
    /// The pattern shown.
    pub fn at(ctx: &Ctx) -> At {
        At {
            bank: ctx.nav.bank,
            pattern: ctx.nav.pattern,
        }
    }

    /// Every track's columns for the shown pattern.
    pub fn layout(&self, ctx: &Ctx) -> Vec<TrackCols> {
        let at = Self::at(ctx);
        let bank = ctx.doc.bank(at.bank);
        let part = ctx
            .doc
            .info(at.bank, at.pattern)
            .map_or(0, |i| i.part as usize);
        (0..TRACKS)
            .map(|t| {
                let (kind, locked) = match bank {
                    Some(b) => (TrackKind::of(b, part, t), locked_bytes(b, at.pattern, t)),
                    None => (TrackKind::fallback(t), BTreeSet::new()),
                };
                let cols = kind.columns(&locked, &self.extra[t], &self.hidden[t]);
                TrackCols { kind, cols }
            })
            .collect()
    }

    /// Rows shown: the pattern length, or the longest track in PER TRACK mode.
    pub fn rows(ctx: &Ctx) -> usize {
        let at = Self::at(ctx);
        let Some(info) = ctx.doc.info(at.bank, at.pattern) else {
            return 16;
        };
        let n = if info.per_track {
            (0..TRACKS)
                .map(|t| at.get(&ctx.doc, Unit::TrackLength(t as u8)) as usize)
                .max()
                .unwrap_or(16)
        } else {
            info.length as usize
        };
        n.clamp(1, STEPS)
    }

    /// A track's own length in steps.
    pub fn track_len(ctx: &Ctx, track: usize) -> usize {
        command::track_len(&ctx.doc, Self::at(ctx), track)
    }

    pub(super) fn flat(&self, layout: &[TrackCols], track: usize, col: usize) -> usize {
        layout[..track].iter().map(|t| t.cols.len()).sum::<usize>() + col
    }

    pub(super) fn unflat(layout: &[TrackCols], mut i: usize) -> (usize, usize) {
        for (t, tc) in layout.iter().enumerate() {
            if i < tc.cols.len() {
                return (t, i);
            }
            i -= tc.cols.len();
        }
        let last = layout.len().saturating_sub(1);
        (
            last,
            layout
                .get(last)
                .map_or(0, |t| t.cols.len().saturating_sub(1)),
        )
    }

    /// The column under the cursor.
    pub fn cursor_col(&self, layout: &[TrackCols]) -> Col {
        layout
            .get(self.cursor.track)
            .and_then(|t| t.cols.get(self.cursor.col))
            .copied()
            .unwrap_or(Col::Trig)
    }

    /// The selection's anchor as (row, flat column index) in this layout.
    pub fn anchor_flat(&self, ctx: &Ctx, layout: &[TrackCols]) -> Option<(usize, usize)> {
        let (row, track, col) = ctx.doc.selection.anchor?;
        let track = track.min(layout.len().saturating_sub(1));
        let n = layout.get(track).map_or(1, |t| t.cols.len());
        Some((row, self.flat(layout, track, col.min(n.saturating_sub(1)))))
    }

    /// The selection (the document's anchor to the cursor) as a block, if any.
    pub fn selection(&self, ctx: &Ctx, layout: &[TrackCols]) -> Option<Block> {
        let (arow, aflat) = self.anchor_flat(ctx, layout)?;
        let cflat = self.flat(layout, self.cursor.track, self.cursor.col);
        let (r0, r1) = (arow.min(self.cursor.row), arow.max(self.cursor.row));
        let (c0, c1) = (aflat.min(cflat), aflat.max(cflat));
        let cols = (c0..=c1)
            .map(|i| {
                let (t, c) = Self::unflat(layout, i);
                (t, layout[t].cols[c])
            })
            .collect();
        Some(Block {
            rows: r0..=r1,
            cols,
        })
    }

    /// The selection, or the cursor cell when there is none.
    pub(super) fn block_or_cell(&self, ctx: &Ctx, layout: &[TrackCols]) -> Block {
        self.selection(ctx, layout).unwrap_or_else(|| Block {
            rows: self.cursor.row..=self.cursor.row,
            cols: vec![(self.cursor.track, self.cursor_col(layout))],
        })
    }

    /// The selection, or the cursor's whole track over its length.
    pub(super) fn block_or_track(&self, ctx: &Ctx, layout: &[TrackCols]) -> Block {
        self.selection(ctx, layout).unwrap_or_else(|| {
            let t = self.cursor.track;
            Block {
                rows: 0..=Self::track_len(ctx, t).clamp(1, STEPS) - 1,
                cols: layout[t].cols.iter().map(|c| (t, *c)).collect(),
            }
        })
    }

    pub(super) fn clamp_cursor(&mut self, ctx: &Ctx, layout: &[TrackCols]) {
        let rows = Self::rows(ctx);
        self.cursor.row = self.cursor.row.min(rows - 1);
        self.cursor.track = self.cursor.track.min(TRACKS - 1);
        let n = layout.get(self.cursor.track).map_or(1, |t| t.cols.len());
        self.cursor.col = self.cursor.col.min(n.saturating_sub(1));
    }

    pub(super) fn move_rows(&mut self, ctx: &Ctx, d: i64) {
        let rows = Self::rows(ctx) as i64;
        self.cursor.row = (self.cursor.row as i64 + d).clamp(0, rows - 1) as usize;
    }

    pub(super) fn move_cols(&mut self, layout: &[TrackCols], d: i64) {
        let total: usize = layout.iter().map(|t| t.cols.len()).sum();
        let f = self.flat(layout, self.cursor.track, self.cursor.col) as i64 + d;
        let (t, c) = Self::unflat(layout, f.clamp(0, total as i64 - 1) as usize);
        self.cursor.track = t;
        self.cursor.col = c;
    }

    pub(super) fn advance(&mut self, ctx: &Ctx) {
        self.move_rows(ctx, ctx.edit_step as i64);
    }

    pub(super) fn start_select(&self, ctx: &mut Ctx) {
        let sel = &mut ctx.doc.selection;
        if sel.anchor.is_none() {
            sel.anchor = Some((self.cursor.row, self.cursor.track, self.cursor.col));
        }
    }

    /// The block of the cursor cell.
    pub(super) fn cell_block(&self, layout: &[TrackCols]) -> Block {
        Block {
            rows: self.cursor.row..=self.cursor.row,
            cols: vec![(self.cursor.track, self.cursor_col(layout))],
        }
    }
}
