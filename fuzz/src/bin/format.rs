//! Fuzz target `format`: see `plancheck_dev::format`.
fn main() {
    afl::fuzz!(|data: &[u8]| plancheck_dev::format(data));
}
