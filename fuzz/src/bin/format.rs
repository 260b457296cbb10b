//! Fuzz target `format`: see `plancheck::fuzz_targets::format`.
fn main() {
    afl::fuzz!(|data: &[u8]| plancheck::fuzz_targets::format(data));
}
