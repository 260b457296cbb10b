//! The memory allocator of plancheck's binaries: mimalloc, for Rust (each
//! binary declares [`MiMalloc`] as its `#[global_allocator]`) and for
//! tree-sitter's C library, which allocates a little for every node and
//! every parse-stack step. With glibc's malloc those allocations were about
//! a quarter of parse time (`cargo bench --bench throughput`, see README).

#![allow(unsafe_code)] // what this module is for: tree-sitter's allocator and its shims

use std::alloc::Layout;
use std::ffi::c_void;

pub use mimalloc::MiMalloc;

/// Routes tree-sitter's allocations to mimalloc. Library users and tests
/// that do not call it keep the C library's malloc throughout, which is also
/// consistent. Calls after the first do nothing.
///
/// # Safety
///
/// Call it first thing in `main`, before any tree-sitter object (parser,
/// tree, query, language) exists and while no other thread can use
/// tree-sitter: memory allocated by one allocator must never be freed by the
/// other, and tree-sitter's allocator is a process-wide variable written
/// without synchronisation. Nothing in this function can check that (a
/// `Once` makes it run once, not first), hence `unsafe`.
pub unsafe fn install_for_tree_sitter() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let allocator = tree_sitter::Allocator { malloc, calloc, realloc, free };
        // SAFETY: the caller guarantees that no tree-sitter object exists
        // yet and that no other thread uses tree-sitter. The four functions
        // are one allocator family (mimalloc's), aligned as malloc is, and
        // never return NULL (they abort instead), as tree-sitter requires.
        unsafe { tree_sitter::set_allocator(Some(allocator)) };
    });
}

/// Out of memory inside tree-sitter, which cannot take NULL: the process
/// ends with the standard "memory allocation of N bytes failed" message (an
/// abort; a panic could not unwind through C anyway).
fn out_of_memory(size: usize) -> ! {
    std::alloc::handle_alloc_error(Layout::from_size_align(size.max(1), 16).unwrap_or(Layout::new::<u128>()))
}

unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
    // SAFETY: mi_malloc has no preconditions.
    let p = unsafe { libmimalloc_sys::mi_malloc(size) };
    if p.is_null() { out_of_memory(size) } else { p }
}

unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    // SAFETY: mi_calloc has no preconditions (an overflowing product is NULL).
    let p = unsafe { libmimalloc_sys::mi_calloc(count, size) };
    if p.is_null() { out_of_memory(count.saturating_mul(size)) } else { p }
}

unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: tree-sitter passes NULL or a pointer from this family.
    let p = unsafe { libmimalloc_sys::mi_realloc(ptr, size) };
    if p.is_null() { out_of_memory(size) } else { p }
}

unsafe extern "C" fn free(ptr: *mut c_void) {
    // SAFETY: tree-sitter passes NULL or a pointer from this family.
    unsafe { libmimalloc_sys::mi_free(ptr) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shims_return_memory_for_any_size_including_zero() {
        // SAFETY: each pointer comes from the shims and is freed once.
        unsafe {
            for size in [0, 1, 24, 4096, 1 << 20] {
                let p = super::malloc(size);
                assert!(!p.is_null(), "malloc({size})");
                std::ptr::write_bytes(p.cast::<u8>(), 0xab, size);
                let q = super::realloc(p, size * 2 + 1);
                assert!(!q.is_null(), "realloc to {}", size * 2 + 1);
                let r = super::realloc(q, 0);
                assert!(!r.is_null(), "realloc to 0");
                super::free(r);
                let z = super::calloc(size, 3);
                assert!(!z.is_null(), "calloc({size}, 3)");
                assert!(std::slice::from_raw_parts(z.cast::<u8>(), size * 3).iter().all(|&b| b == 0));
                super::free(z);
                let z = super::calloc(0, size);
                assert!(!z.is_null(), "calloc(0, {size})");
                super::free(z);
            }
            super::free(std::ptr::null_mut());
            let p = super::realloc(std::ptr::null_mut(), 16);
            assert!(!p.is_null(), "realloc(NULL, 16) is malloc");
            super::free(p);
        }
    }
}
