//! Fuzz target `import`: see `plancheck_dev::import`.
fn main() {
    afl::fuzz!(|data: &[u8]| plancheck_dev::import(data));
}
