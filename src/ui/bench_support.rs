//! A busy pattern for benchmarks and memory checks: every track 64 steps with trigs, locks,
//! conditions and micro-timing.

use super::app::App;
use super::model::{Loc, Mask, Unit};
use crate::project::Project;

/// An app on a new project whose pattern A01 is 64 steps long and full on all 16 tracks.
pub fn busy_app() -> App {
    let mut a = super::testing::app(Project::new_blank("bench"), "tracker");
    let doc = &mut a.ctx.doc;
    let loc = |unit| Loc {
        bank: 0,
        pattern: 0,
        unit,
    };
    doc.set(loc(Unit::Length), 64);
    for t in 0..16u8 {
        for s in 0..64u8 {
            if (s + t) % 2 == 0 {
                doc.set(
                    loc(Unit::Mask {
                        track: t,
                        mask: Mask::Trig,
                        step: s,
                    }),
                    1,
                );
            }
            for idx in [0u8, 1, 15, 20] {
                if (s + idx) % 3 != 0 {
                    doc.set(
                        loc(Unit::Lock {
                            track: t,
                            step: s,
                            idx,
                        }),
                        (s as u16 * 2) % 127,
                    );
                }
            }
            doc.set(
                loc(Unit::Word { track: t, step: s }),
                ((s as u16 % 8) << 7) | (s as u16 % 40),
            );
        }
    }
    doc.commit("bench");
    a
}

/// Resident memory of this process in kB (Linux `/proc/self/status` VmRSS), if known.
pub fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
