//! Fuzz target `positions`: see `plancheck_dev::positions`.
fn main() {
    afl::fuzz!(|data: &[u8]| plancheck_dev::positions(data));
}
