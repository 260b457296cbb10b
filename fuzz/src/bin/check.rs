//! Fuzz target `check`: see `plancheck_dev::check`.
fn main() {
    afl::fuzz!(|data: &[u8]| plancheck_dev::check(data));
}
