#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test: a panic is a failed test"
)]
//! The allocator tuning of `octa::memory` (one test: it needs a fresh process).

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
#[allow(unsafe_code, reason = "mallinfo2 is how glibc reports its heap")]
fn bank_sized_blocks_stay_in_the_heap_and_are_kept_after_free() {
    let mapped = || unsafe { libc::mallinfo2() }.hblks;
    // Untuned, glibc maps a block this large on its own and unmaps it on free.
    let before = mapped();
    let a = std::hint::black_box(vec![1u8; 4 << 20]);
    assert_eq!(
        mapped(),
        before + 1,
        "untuned 4 MiB block should be mmapped"
    );
    drop(a);

    octa::memory::keep_freed_memory();
    let before = mapped();
    let b = std::hint::black_box(vec![2u8; 16 << 20]);
    assert_eq!(
        mapped(),
        before,
        "tuned 16 MiB block should come from the heap"
    );
    assert_eq!(b[(16 << 20) - 1], 2);
    drop(b);
    // Freed, it stays with malloc for the next bank instead of going back to the kernel.
    let free_in_heap = unsafe { libc::mallinfo2() }.fordblks;
    assert!(free_in_heap >= 16 << 20, "only {free_in_heap} bytes kept");
}
