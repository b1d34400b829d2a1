//! The `chartroom` binary: everything lives in the library; this only hands over the exit code.
//! It also picks the global allocator: chartroom is a short-lived process that allocates many
//! small objects (parse trees, values), where mimalloc is markedly faster than the system's
//! (the v2 line: see Cargo.toml).

use libmimalloc_sys as mi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::{c_int, c_long, c_void};

/// mimalloc, called the way Rust's own `System` allocator calls `malloc`: the plain entry
/// points when the alignment asked for is one `malloc`-style blocks have anyway, the aligned
/// ones otherwise. (The `mimalloc` crate always takes the aligned path, which costs two to
/// three times the instructions per allocation, and parsing allocates a lot.)
struct MiMalloc;

/// The alignment every block of mimalloc's plain allocation functions has, when the block is
/// at least that large (as `malloc`'s `max_align_t` guarantee on x86-64 and AArch64).
const PLAIN_ALIGN: usize = 16;

fn plain(layout: &Layout) -> bool {
    layout.align() <= PLAIN_ALIGN && layout.align() <= layout.size()
}

// SAFETY: each method forwards to the mimalloc function with the contract the `GlobalAlloc`
// method requires: blocks of at least `layout.size()` bytes aligned to `layout.align()`
// (plain entry points only where `plain` holds: mimalloc aligns a block of size n >= align to
// min(16, largest power of two dividing its size class), as libc's malloc does), null on
// failure, and `mi_free` accepts blocks from every allocation function.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        let p = unsafe {
            if plain(&layout) {
                mi::mi_malloc(layout.size()) as *mut u8
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        };
        // Every debug run (the CLI tests run the debug binary) checks the alignment claim.
        debug_assert!(p.is_null() || (p as usize).is_multiple_of(layout.align()));
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if plain(&layout) {
                mi::mi_zalloc(layout.size()) as *mut u8
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator.
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`; the new block keeps the
        // alignment (plain only when it also holds for the new size).
        unsafe {
            let new = Layout::from_size_align_unchecked(new_size, layout.align());
            if plain(&new) {
                mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
            } else {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// mimalloc v2's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc.h). The sys
/// crate declares the option functions only with its `extended` feature, which pulls in
/// another crate for two C types; the two used here are declared below. The test checks the
/// number still names the option with the documented default.
const MI_OPTION_PURGE_DELAY: c_int = 15;

unsafe extern "C" {
    #[cfg(test)]
    fn mi_option_get(option: c_int) -> c_long;
    #[cfg(test)]
    fn mi_good_size(size: usize) -> usize;
    fn mi_option_set(option: c_int, value: c_long);
}

fn main() -> std::process::ExitCode {
    // Never hand freed memory back to the OS: chartroom is a short-lived process whose peak
    // heap is a few MB, and each purge is an `madvise` that splits a transparent huge page
    // (refaulted as 4 KiB pages if reused). About 2% of a postgresql render (median of 301
    // interleaved runs). `MIMALLOC_PURGE_DELAY` in the environment still wins.
    // (mimalloc has read its options by now, so a default set here would be ignored.)
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets an option; mimalloc takes any value for it at any time.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    chartroom::cli::main()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slice size set in .cargo/config.toml reached the C build: with mimalloc's default
    /// 64 KiB slices a 9,000-byte block comes from a size class (10,240 bytes); with 8 KiB slices
    /// it is past the largest class and rounded up to whole OS pages.
    #[test]
    #[cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]
    fn mimalloc_is_built_with_small_slices() {
        // SAFETY: a pure function of its argument.
        assert_eq!(unsafe { mi_good_size(9000) }, 12288);
    }

    #[test]
    fn purge_delay_option_is_the_one_mimalloc_documents() {
        // mimalloc.h: "memory purging is delayed by N milli seconds ... (=10)"; a renumbered
        // enum would read some other option here.
        // SAFETY: reading an option has no preconditions.
        let v = unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert!(
            v == 10 || std::env::var_os("MIMALLOC_PURGE_DELAY").is_some(),
            "{v}"
        );
    }
}
