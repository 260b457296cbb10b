//! Fuzz target `import`: see `plancheck::fuzz_targets::import`.
fn main() {
    afl::fuzz!(|data: &[u8]| plancheck::fuzz_targets::import(data));
}
