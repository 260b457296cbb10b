//! The memory allocator of plancheck's binaries: mimalloc, for Rust (each
//! binary declares [`MiMalloc`] as its `#[global_allocator]`) and for
//! tree-sitter's C library, which allocates a little for every node and
//! every parse-stack step. With glibc's malloc those allocations were about
//! a quarter of parse time (`cargo bench --bench throughput`, see README).

pub use mimalloc::MiMalloc;

/// Routes tree-sitter's allocations to mimalloc. Call it first thing in
/// `main`, before any tree-sitter object exists: memory allocated by one
/// allocator must never be freed by the other. Library users and tests that
/// do not call it keep the C library's malloc throughout, which is also
/// consistent.
pub fn install_for_tree_sitter() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let allocator = tree_sitter::Allocator { malloc: libmimalloc_sys::mi_malloc, calloc: libmimalloc_sys::mi_calloc, realloc: libmimalloc_sys::mi_realloc, free: libmimalloc_sys::mi_free };
        // SAFETY: called once, before any tree-sitter allocation of the
        // process (the binaries' first statement); the four functions are
        // mimalloc's C allocator, which has exactly these semantics.
        unsafe { tree_sitter::set_allocator(Some(allocator)) };
    });
}
