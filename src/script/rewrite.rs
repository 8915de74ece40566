//! Rhai refuses an assignment whose target goes through a method call
//! (`kick.step(5).condition = "FILL"`: "Expression cannot be assigned to"), but accepts one
//! through an indexer (`kick.step[5].condition = "FILL"`). Before compiling, `.NAME(x)` is
//! rewritten to `.NAME[x]` for the API's one-number methods ([`CHAIN_METHODS`]), outside
//! strings and comments and only when the call has one argument; every such name is also a
//! property returning an indexable handle, so both spellings mean the same. The rewrite keeps
//! every character's place, so errors keep their line and column.

/// Methods taking one number whose results a script assigns through.
pub const CHAIN_METHODS: &[&str] = &[
    "bank",
    "pattern",
    "part",
    "audio_track",
    "midi_track",
    "track",
    "step",
    "scene",
    "lfo",
];

/// `source` with `.NAME(x)` as `.NAME[x]` for the names of [`CHAIN_METHODS`].
pub fn rewrite(source: &str) -> String {
    let mut b: Vec<u8> = source.as_bytes().to_vec();
    let n = b.len();
    let mut i = 0;
    while i < n {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < n && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < n && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < n && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'.' => {
                i += 1;
                let start = i;
                while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let name = &source[start..i];
                if i < n
                    && b[i] == b'('
                    && CHAIN_METHODS.contains(&name)
                    && let Some(close) = single_argument(&b, i)
                {
                    b[i] = b'[';
                    b[close] = b']';
                }
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes.
    String::from_utf8(b).unwrap_or_else(|_| source.to_string())
}

/// The index of the `)` closing the `(` at `open` when what is between holds no top-level
/// comma (one argument) and is not empty.
fn single_argument(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    let empty = b[open + 1..i].iter().all(u8::is_ascii_whitespace);
                    return (b[i] == b')' && !empty).then_some(i);
                }
            }
            b',' if depth == 1 => return None,
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    #[test]
    fn chains_become_indexers_and_keep_places() {
        let src = r#"project.bank(1).pattern(2).audio_track(f(3, 4)).step(5).condition = "x.step(1)"; // .step(2)
r.int(1, 8); t.step(n + (1)).lock("VOL", 2); t.lfo(1).SPD = 3; euclid(3, 8); x.steps(1, 2)"#;
        let out = rewrite(src);
        assert_eq!(
            out,
            r#"project.bank[1].pattern[2].audio_track[f(3, 4)].step[5].condition = "x.step(1)"; // .step(2)
r.int(1, 8); t.step[n + (1)].lock("VOL", 2); t.lfo[1].SPD = 3; euclid(3, 8); x.steps(1, 2)"#
        );
        assert_eq!(out.len(), src.len());
    }

    #[test]
    fn two_arguments_and_empty_calls_stay() {
        assert_eq!(
            rewrite("p.track(1, 2); p.step(); p.part"),
            "p.track(1, 2); p.step(); p.part"
        );
    }
}
