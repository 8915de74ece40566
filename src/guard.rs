//! Third-party parsing code (symphonia's demuxers and decoders) runs through [`catch`]: a panic
//! in it becomes an error for that one file, and the tracker's panic hook knows not to tear the
//! terminal down for it ([`is_catching`]).

use std::cell::Cell;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`; `None` when it panicked (the panic is not propagated).
pub fn catch<T>(f: impl FnOnce() -> T) -> Option<T> {
    DEPTH.with(|d| d.set(d.get() + 1));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    result.ok()
}

/// True while this thread runs code under [`catch`] (for panic hooks: the panic will be
/// turned into an error, the program goes on).
pub fn is_catching() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_none_and_the_depth_unwinds() {
        assert!(!super::is_catching());
        let inner = super::catch(|| {
            assert!(super::is_catching());
            super::catch(|| -> u8 { panic!("decoder bug") })
        });
        assert_eq!(inner, Some(None));
        assert!(!super::is_catching());
        assert_eq!(super::catch(|| 7), Some(7));
    }
}
