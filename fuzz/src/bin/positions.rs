//! Fuzz target `positions`: see `plancheck::fuzz_targets::positions`.
fn main() {
    afl::fuzz!(|data: &[u8]| plancheck::fuzz_targets::positions(data));
}
