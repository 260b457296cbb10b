//! Every input saved under `tests/fuzz/<target>/` (crashes the fuzzers
//! found, now fixed, and the seeds they start from) goes through its fuzz
//! target's body again (`src/fuzz_targets.rs`). See fuzz/README.md.

use std::path::Path;

#[test]
fn every_saved_fuzz_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut replayed = 0;
    for (name, target) in plancheck::fuzz_targets::TARGETS {
        let dir = root.join(name);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).map(|e| e.unwrap().path()).collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "{} has no inputs", dir.display());
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| target(&data)) {
                let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
                panic!("{}: {message}", input.display());
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 4);
}
