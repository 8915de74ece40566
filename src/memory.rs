//! Process-wide memory tuning.
//!
//! A project holds about 10 MB of banks (16 x 636 KB), and opening, copying or undoing
//! bank-wide edits allocates and frees blocks of that size. glibc's malloc hands large
//! freed blocks back to the kernel at once (`munmap`, or trimming the heap top), so the
//! next bank-sized allocation page-faults its way through fresh zeroed memory: that was
//! two thirds of the time of a full project parse. Keeping freed memory for reuse (up to
//! a bound) removes that cost.

/// Largest block glibc may serve with its own `mmap` (32 MiB, glibc's maximum); smaller
/// blocks come from the heap and are reused after `free`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 32 << 20;
/// Free memory kept at the top of the heap before it is given back to the kernel.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: libc::c_int = 64 << 20;

/// Tells the C allocator to keep freed bank-sized blocks for reuse instead of returning
/// them to the kernel. Call once at start-up; does nothing off glibc.
#[allow(
    unsafe_code,
    reason = "mallopt is a C call; it only changes malloc's tuning"
)]
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes malloc's tuning parameters; it is safe to call at any
    // time and reports a rejected value by returning 0, which leaves the default in place.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}
