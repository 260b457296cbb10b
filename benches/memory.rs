//! `cargo bench --bench memory`: the peak resident memory of a whole
//! `plancheck check --format json` (the release binary, one process per run,
//! as CI and users run it) on generated plans (`plancheck_generate`: a city's
//! hierarchy, varied prose, the usual errors) of 200 KB (one city), 20 MB
//! (100 files) and 100 MB (500 files, a prefecture), in bytes per byte of
//! plan. The peak is the kernel's high-water mark of the child
//! (`getrusage(RUSAGE_CHILDREN)`), so it counts everything: the allocator's
//! pages, tree-sitter's, the output.
//!
//! `-- --sizes 20MB` picks rows; `-- --runs N` (default 3) the runs per
//! size, of which the median is shown; `-- --vs PATH` measures another
//! plancheck binary (an older build) on the same inputs, side by side.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

struct Input {
    label: &'static str,
    files: Vec<(String, String)>,
}

/// The peak resident set of the largest child waited for so far, in bytes.
#[cfg(unix)]
#[allow(unsafe_code)] // one getrusage call
fn children_peak() -> u64 {
    // SAFETY: getrusage writes one rusage struct, which is zeroed and ours.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_CHILDREN is a valid `who`; `usage` is a valid pointer.
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &raw mut usage) };
    assert_eq!(status, 0, "getrusage failed");
    // Linux reports ru_maxrss in kilobytes.
    usage.ru_maxrss as u64 * 1024
}

/// Windows has no getrusage (and this benchmark is run on Linux): no figure.
#[cfg(not(unix))]
fn children_peak() -> u64 {
    0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        child_mode(&args);
        return;
    }
    let only: Option<Vec<String>> = args.iter().position(|a| a == "--sizes").and_then(|i| args.get(i + 1)).map(|s| s.split(',').map(str::to_string).collect());
    let runs: usize = args.iter().position(|a| a == "--runs").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(3);
    let mut inputs = vec![
        Input { label: "200KB", files: vec![("city.plan".into(), plancheck_generate::plan(7, 200_000))] },
        Input { label: "20MB (100 files)", files: plancheck_generate::workspace(5, 100, 200_000) },
        Input { label: "100MB (500 files)", files: plancheck_generate::workspace(3, 500, 200_000) },
    ];
    if let Some(only) = &only {
        inputs.retain(|i| only.iter().any(|o| i.label.starts_with(o.as_str())));
    }
    let binary = env!("CARGO_BIN_EXE_plancheck");
    let other: Option<String> = args.iter().position(|a| a == "--vs").and_then(|i| args.get(i + 1)).cloned();
    let mut binaries: Vec<(&str, &str)> = Vec::new();
    if let Some(other) = &other {
        binaries.push(("--vs", other.as_str()));
    }
    binaries.push(("this build", binary));
    println!("| input | plan bytes | binary | peak resident | bytes per byte of plan | whole process |");
    println!("|---|---:|---|---:|---:|---:|");
    for input in &inputs {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mut bytes = 0u64;
        for (path, text) in &input.files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("the folder can be created");
            std::fs::write(&path, text).expect("the file can be written");
            bytes += text.len() as u64;
        }
        for (name, binary) in &binaries {
            let (mut peaks, mut times) = (Vec::new(), Vec::new());
            for _ in 0..runs {
                // RUSAGE_CHILDREN keeps the largest child's peak: one run per
                // fresh process keeps the figures apart.
                let (peak, seconds) = measured_run(binary, dir.path());
                peaks.push(peak);
                times.push(seconds);
            }
            peaks.sort_unstable();
            times.sort_by(f64::total_cmp);
            let peak = peaks[peaks.len() / 2];
            println!("| {} | {:.1} MB | {name} | {:.0} MB | {:.1} | {:.2} s |", input.label, bytes as f64 / 1e6, peak as f64 / 1e6, peak as f64 / bytes as f64, times[times.len() / 2]);
        }
    }
}

/// One `plancheck check --format json DIR` in a child of a fresh helper
/// process (this binary's `--child`), so that each peak is its own.
fn measured_run(binary: &str, dir: &Path) -> (u64, f64) {
    let started = Instant::now();
    let output =
        Command::new(std::env::current_exe().expect("this benchmark's path")).arg("--child").arg(binary).arg(dir).stdout(Stdio::piped()).stderr(Stdio::inherit()).output().expect("the helper runs");
    let seconds = started.elapsed().as_secs_f64();
    let peak: u64 = String::from_utf8_lossy(&output.stdout).trim().parse().expect("the helper prints the peak");
    (peak, seconds)
}

/// `--child BINARY DIR`: runs the check once, its output thrown away, and
/// prints the child's peak resident bytes.
fn child_mode(args: &[String]) {
    let status = Command::new(&args[2]).args(["check", "--format", "json"]).arg(&args[3]).stdout(Stdio::null()).stderr(Stdio::null()).status().expect("plancheck runs");
    // 0: no failing finding; 1: findings at a failing severity. Both are a complete run.
    assert!(matches!(status.code(), Some(0 | 1)), "plancheck check failed: {status}");
    println!("{}", children_peak());
}
