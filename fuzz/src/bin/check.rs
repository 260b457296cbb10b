//! Fuzz target `check`: see `plancheck::fuzz_targets::check`.
fn main() {
    afl::fuzz!(|data: &[u8]| plancheck::fuzz_targets::check(data));
}
