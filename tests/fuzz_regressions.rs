//! Every input saved under `tests/fuzz/<target>/` (crashes the fuzzers
//! found, now fixed, and the seeds they start from) goes through its fuzz
//! target's body again (`crates/plancheck_dev/src/lib.rs`). See fuzz/README.md.

use std::path::Path;

#[test]
fn every_saved_fuzz_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut replayed = 0;
    for (name, target) in plancheck_dev::TARGETS {
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

/// Triage: `PLANCHECK_FUZZ_TARGET=format PLANCHECK_FUZZ_DIR=fuzz/out/format/default/crashes
/// cargo test --test fuzz_regressions triage -- --ignored --nocapture` replays a
/// folder of inputs and prints each distinct failure once, with a count
/// (`PLANCHECK_FUZZ_KEEP=DIR` copies the failing inputs there).
#[test]
#[ignore = "a tool: needs PLANCHECK_FUZZ_TARGET and PLANCHECK_FUZZ_DIR"]
fn triage() {
    let name = std::env::var("PLANCHECK_FUZZ_TARGET").expect("PLANCHECK_FUZZ_TARGET");
    let dir = std::env::var("PLANCHECK_FUZZ_DIR").expect("PLANCHECK_FUZZ_DIR");
    let (_, target) = plancheck_dev::TARGETS.iter().find(|(n, _)| *n == name).expect("a target name");
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("id") || n.starts_with("failing-")
            })
        })
        .collect();
    inputs.sort();
    for input in &inputs {
        let data = std::fs::read(input).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| target(&data)) {
            let message = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
            let key: String = message.lines().next().unwrap_or("").chars().take(90).collect();
            failures.entry(key).or_default().push(input.display().to_string());
            // PLANCHECK_FUZZ_KEEP=DIR: the failing inputs are copied there.
            if let Ok(keep) = std::env::var("PLANCHECK_FUZZ_KEEP") {
                std::fs::create_dir_all(&keep).unwrap();
                let name = format!("failing-{:03}", failures.values().map(Vec::len).sum::<usize>());
                std::fs::copy(input, std::path::Path::new(&keep).join(name)).unwrap();
            }
        }
    }
    println!("{} inputs, {} failing", inputs.len(), failures.values().map(Vec::len).sum::<usize>());
    for (key, files) in &failures {
        println!("{:>4}  {key}\n      e.g. {}", files.len(), files[0]);
    }
}
