//! Hostile input: each gives a clear error or a bounded result, never a
//! stack overflow, unbounded memory or a hang. Every command runs under a
//! timeout, so a hang fails the test instead of stalling CI.

use assert_cmd::Command;
use plancheck::diagnostics::Lang;
use predicates::prelude::*;
use std::fs;
use std::time::Duration;

fn plancheck() -> Command {
    let mut command = Command::cargo_bin("plancheck").unwrap();
    command.timeout(Duration::from_secs(120));
    command
}

/// Runs `f` on a thread with a small stack (256 KiB, an eighth of a test
/// thread's): recursion that depends on the input would overflow it.
fn on_a_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(256 * 1024).spawn(f).unwrap().join().expect("no stack overflow, no panic")
}

#[test]
fn a_line_of_a_million_characters_is_checked_with_bounded_messages() {
    let long = "あ".repeat(1_000_000);
    // A field line without its colon (a syntax error quoting the line) and a
    // valid field with a million-character value.
    let text = format!("施策 1-1-1 健康づくり {{\n  全体評価: B\n  代表課: 健康づくり課\n  成果 {long}\n  課題: {long}\n}}\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.plan");
    fs::write(&path, &text).unwrap();
    let output = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let syntax = diagnostics.iter().find(|d| d["rule"] == "syntax-error").expect("the line without a colon is reported");
    assert_eq!(syntax["range"]["start"]["line"], 4);
    for d in diagnostics {
        let message = d["message"].as_str().unwrap();
        assert!(message.chars().count() <= plancheck::diagnostics::MAX_MESSAGE_CHARS + 1, "a message of {} characters", message.chars().count());
    }
    // The terminal output shows the place, not the million characters.
    let human = plancheck().arg("check").arg(&path).env("NO_COLOR", "1").output().unwrap();
    assert_eq!(human.status.code(), Some(1));
    assert!(human.stdout.len() < 64 * 1024, "{} bytes of terminal output", human.stdout.len());
    // Formatting keeps every character.
    let fixed = text.replace("  成果 ", "  成果: ");
    fs::write(&path, &fixed).unwrap();
    plancheck().arg("fmt").arg(&path).assert().success();
    assert_eq!(fs::read_to_string(&path).unwrap().matches('あ').count(), 2_000_000);
}

#[test]
fn a_hundred_thousand_nested_blocks_do_not_overflow_the_stack() {
    for closed in [true, false] {
        let mut text = "施策 {\n".repeat(100_000);
        if closed {
            text.push_str(&"}\n".repeat(100_000));
        }
        let found = on_a_small_stack(move || {
            let analysis = plancheck::check_text("deep.plan", &text, Lang::En);
            let doc = &analysis.workspace.docs[0];
            assert!(doc.blocks.len() <= plancheck::model::MAX_NESTING + 1, "{} blocks modelled", doc.blocks.len());
            assert!(plancheck::format::format(doc).is_err(), "a file nested too deep is not formatted");
            analysis.diagnostics.iter().filter(|d| d.rule.name == "syntax-error").map(|d| d.message.clone()).collect::<Vec<_>>()
        });
        assert!(found.iter().any(|m| m.contains("nested too deep")), "closed: {closed}: {:?}", found.first());
    }
    // A hundred thousand braces on one line.
    let text = format!("施策 1-1-1 x {}\n", "{".repeat(100_000));
    let found = on_a_small_stack(move || plancheck::check_text("braces.plan", &text, Lang::En).diagnostics.len());
    assert!(found >= 1);
}

#[test]
fn a_1_gb_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.plan");
    // Sparse: takes no disk space, but says 1 GiB.
    fs::File::create(&path).unwrap().set_len(1 << 30).unwrap();
    plancheck().arg("check").arg(&path).assert().code(2).stderr(predicate::str::contains("huge.plan: is 1.0 GiB").and(predicate::str::contains("up to 64 MiB")));
    plancheck().arg("fmt").arg(&path).assert().code(2).stderr(predicate::str::contains("1.0 GiB"));
    let csv = dir.path().join("huge.csv");
    fs::File::create(&csv).unwrap().set_len(1 << 30).unwrap();
    plancheck().arg("import").arg(&csv).assert().code(2).stderr(predicate::str::contains("1.0 GiB"));
    // Standard input is read up to the limit, not further.
    let over = vec![b'#'; (plancheck::load::MAX_FILE_BYTES + 10) as usize];
    plancheck().args(["check", "-"]).write_stdin(over).assert().code(2).stderr(predicate::str::contains("standard input: is 64 MiB or more"));
}

#[test]
fn binary_and_badly_encoded_files_are_named_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    // A PNG named .plan: its header has a NUL after invalid UTF-8.
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    fs::write(dir.path().join("image.plan"), png).unwrap();
    plancheck().arg("check").arg(dir.path().join("image.plan")).assert().code(2).stderr(predicate::str::contains("image.plan: 1:1: not valid UTF-8 (byte 0x89"));
    // NUL bytes inside otherwise good text: line and column.
    fs::write(dir.path().join("nul.plan"), "施策 1-1-1 x {\n  全体評価: B\0\n}\n").unwrap();
    plancheck().arg("check").arg(dir.path().join("nul.plan")).assert().code(2).stderr(predicate::str::contains("nul.plan: 2:10: contains a NUL byte"));
    // Invalid UTF-8 in the middle of a line.
    fs::write(dir.path().join("bad.plan"), b"\xe6\x96\xbd\xe7\xad\x96 1-1-1 x {\n  \xff\n}\n").unwrap();
    plancheck().arg("check").arg(dir.path().join("bad.plan")).assert().code(2).stderr(predicate::str::contains("bad.plan: 2:3: not valid UTF-8 (byte 0xFF"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_the_workspace_ends() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("plans/sub")).unwrap();
    fs::write(root.join("plans/a.plan"), "施策 1-1-1 x {\n  全体評価: B\n  代表課: 課\n}\n").unwrap();
    std::os::unix::fs::symlink(root.join("plans"), root.join("plans/sub/loop")).unwrap();
    std::os::unix::fs::symlink(root.join("plans/sub/self"), root.join("plans/sub/self")).unwrap();
    let output = plancheck().args(["check", "--format", "json"]).arg(root.join("plans")).output().unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 1, "a.plan once, through the loop or not: {report}");
}

#[test]
fn a_config_with_wrong_types_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.plan"), "施策 1-1-1 x {\n  全体評価: B\n  代表課: 課\n}\n").unwrap();
    for (config, line, says) in [
        ("[duplicates]\nmin-length = \"many\"\n", 2, "invalid type"),
        ("rules = 5\n", 1, "invalid type"),
        ("[duplicates]\nsimilarity = 7.5\n", 0, "between 0 and 1"),
        ("[rules]\nrating-mismatch = [1, 2]\n", 2, "wanted string or table"),
        ("departments = \"健康づくり課\"\n", 1, "invalid type"),
        ("\u{0}\u{1}binary", 1, "plancheck.toml"),
    ] {
        fs::write(dir.path().join("plancheck.toml"), config).unwrap();
        let assert = plancheck().arg("check").arg(dir.path()).assert().code(2).stderr(predicate::str::contains(says));
        if line > 0 {
            assert.stderr(predicate::str::contains(format!("plancheck.toml:{line}:")));
        }
    }
}

// --- issue 14, files on disk ---

const GOOD: &str = "施策 1-1-1 x {\n  全体評価: B\n  代表課: 課\n}\n";

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    assert!(std::process::Command::new("mkfifo").arg(path).status().unwrap().success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_fifo_named_plan_in_a_folder_is_passed_over_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans");
    fs::create_dir(&plans).unwrap();
    fs::write(plans.join("a.plan"), GOOD).unwrap();
    mkfifo(&plans.join("pipe.plan"));
    let warned = predicate::str::contains("pipe.plan: is a FIFO (named pipe), not a regular file");
    let output = plancheck().args(["check", "--format", "json"]).arg(&plans).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(warned.eval(&String::from_utf8_lossy(&output.stderr)), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 1, "{report}");
    plancheck().args(["check", "--fix"]).arg(&plans).assert().success().stderr(warned.clone());
    plancheck().arg("fmt").arg(&plans).assert().success().stderr(warned.clone());
    plancheck().arg("export").arg(&plans).assert().success().stderr(warned.clone()).stdout(predicate::str::contains("1-1-1"));
    plancheck().arg("report").arg(&plans).arg("-o").arg(dir.path().join("r.html")).assert().success().stderr(warned.clone());
    plancheck().arg("diff").arg(&plans).arg(&plans).assert().success().stderr(warned.clone());
    plancheck().arg("init").arg(&plans).assert().success().stderr(predicate::str::contains("pipe.plan: is a FIFO"));
    assert!(fs::read_to_string(plans.join("plancheck.toml")).unwrap().contains("\"課\""));
    // Named on the command line, it is an error that names it (not a hang).
    plancheck().arg("check").arg(plans.join("pipe.plan")).assert().code(2).stderr(warned.clone());
    plancheck().arg("fmt").arg(plans.join("pipe.plan")).assert().code(2).stderr(warned);
    // A table to import that is a FIFO, or a device.
    mkfifo(&dir.path().join("pipe.csv"));
    plancheck().arg("import").arg(dir.path().join("pipe.csv")).assert().code(2).stderr(predicate::str::contains("pipe.csv: is a FIFO"));
    mkfifo(&dir.path().join("pipe.xlsx"));
    plancheck().arg("import").arg(dir.path().join("pipe.xlsx")).assert().code(2).stderr(predicate::str::contains("pipe.xlsx: is a FIFO"));
}

#[cfg(unix)]
#[test]
fn a_config_or_baseline_that_is_a_fifo_or_a_device_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("a.plan");
    fs::write(&plan, GOOD).unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    for special in [fifo.as_path(), std::path::Path::new("/dev/zero")] {
        let what = if special.starts_with("/dev") { "is a device, not a regular file" } else { "is a FIFO (named pipe), not a regular file" };
        plancheck().arg("check").arg("--config").arg(special).arg(&plan).assert().code(2).stderr(predicate::str::contains(format!("{}: cannot read: {what}", special.display())));
        plancheck().arg("check").arg("--baseline").arg(special).arg(&plan).assert().code(2).stderr(predicate::str::contains(format!("{}: cannot read the baseline: {what}", special.display())));
    }
}

/// A 施策 whose stated 定量評価 has a safe fix (50% of the target: D, not A).
const FIXABLE: &str = "施策 1-1-2 y {\n  全体評価: B\n  代表課: 課\n  指標 参加者数 {\n    実績: 50人\n    目標: 100人\n    定量評価: A\n  }\n}\n";

#[cfg(unix)]
#[test]
fn fix_writes_through_the_path_it_read_a_backslash_or_a_name_that_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("a")).unwrap();
    fs::write(dir.path().join("a/b.plan"), GOOD).unwrap();
    let backslash = dir.path().join("a\\b.plan");
    fs::write(&backslash, FIXABLE).unwrap();
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"bad\xff.plan"));
    fs::write(&odd, FIXABLE.replace("1-1-2", "1-1-3")).unwrap();
    plancheck().args(["check", "--fix"]).arg(&backslash).assert().success();
    assert!(fs::read_to_string(&backslash).unwrap().contains("定量評価: D"), "the file named a\\b.plan is fixed");
    assert_eq!(fs::read_to_string(dir.path().join("a/b.plan")).unwrap(), GOOD, "a/b.plan is another file: untouched");
    plancheck().args(["check", "--fix"]).arg(dir.path()).assert().success();
    assert!(fs::read_to_string(&odd).unwrap().contains("定量評価: D"), "the file whose name is not UTF-8 is fixed");
    let mut names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, [std::ffi::OsString::from("a"), std::ffi::OsString::from("a\\b.plan"), std::ffi::OsStr::from_bytes(b"bad\xff.plan").to_os_string()], "no file written under another name");
    assert_eq!(fs::read_to_string(dir.path().join("a/b.plan")).unwrap(), GOOD);
}

/// Text that `fmt` changes (the indentation) into [`GOOD`].
const UNFORMATTED: &str = "施策 1-1-1 x {\n      全体評価: B\n  代表課: 課\n}\n";

#[cfg(unix)]
fn temporary_files_in(dir: &std::path::Path) -> Vec<String> {
    fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.contains("plancheck-tmp") || n.starts_with(".tmp")).collect()
}

#[cfg(unix)]
#[test]
fn fmt_and_fix_write_a_symlinks_target_and_keep_hard_links_mode_and_owner() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("real")).unwrap();
    fs::create_dir(root.join("plans")).unwrap();
    // A link to a file elsewhere: the target is formatted, the link stays a link.
    fs::write(root.join("real/target.plan"), UNFORMATTED).unwrap();
    std::os::unix::fs::symlink(root.join("real/target.plan"), root.join("plans/link.plan")).unwrap();
    // A file with a second hard link: both names see the new text.
    fs::write(root.join("plans/hard.plan"), UNFORMATTED.replace("1-1-1", "1-1-2")).unwrap();
    fs::hard_link(root.join("plans/hard.plan"), root.join("real/other-name.plan")).unwrap();
    // A file with its own mode, and (when plancheck runs as root) owner and group.
    let owned = root.join("plans/owned.plan");
    fs::write(&owned, UNFORMATTED.replace("1-1-1", "1-1-3")).unwrap();
    fs::set_permissions(&owned, fs::Permissions::from_mode(0o640)).unwrap();
    let chowned = std::os::unix::fs::chown(&owned, Some(4321), Some(4322)).is_ok();
    plancheck().arg("fmt").arg(root.join("plans")).assert().success().stderr(predicate::str::contains("3 files reformatted"));
    assert!(fs::symlink_metadata(root.join("plans/link.plan")).unwrap().file_type().is_symlink(), "the link is kept");
    assert_eq!(fs::read_to_string(root.join("real/target.plan")).unwrap(), GOOD, "its target is formatted");
    assert_eq!(fs::read_to_string(root.join("real/other-name.plan")).unwrap(), GOOD.replace("1-1-1", "1-1-2"), "the other hard link sees it");
    assert_eq!(fs::metadata(root.join("plans/hard.plan")).unwrap().nlink(), 2);
    let meta = fs::metadata(&owned).unwrap();
    assert_eq!(meta.permissions().mode() & 0o7777, 0o640);
    if chowned {
        assert_eq!((meta.uid(), meta.gid()), (4321, 4322), "owner and group kept");
    }
    // --fix: the same path.
    fs::write(root.join("real/target.plan"), FIXABLE).unwrap();
    plancheck().args(["check", "--fix"]).arg(root.join("plans/link.plan")).assert().success();
    assert!(fs::symlink_metadata(root.join("plans/link.plan")).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(root.join("real/target.plan")).unwrap().contains("定量評価: D"));
    assert!(temporary_files_in(&root.join("plans")).is_empty() && temporary_files_in(&root.join("real")).is_empty());
}

#[cfg(unix)]
#[test]
fn read_only_files_and_folders_are_refused_and_the_other_files_still_formatted() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.plan"), UNFORMATTED).unwrap();
    // Refused by its permissions, whoever runs plancheck (root included).
    fs::write(root.join("b.plan"), UNFORMATTED.replace("1-1-1", "1-1-2")).unwrap();
    fs::set_permissions(root.join("b.plan"), fs::Permissions::from_mode(0o444)).unwrap();
    fs::create_dir(root.join("locked")).unwrap();
    fs::write(root.join("locked/c.plan"), UNFORMATTED.replace("1-1-1", "1-1-3")).unwrap();
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o555)).unwrap();
    fs::write(root.join("z.plan"), UNFORMATTED.replace("1-1-1", "1-1-4")).unwrap();
    plancheck()
        .arg("fmt")
        .arg(root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("b.plan: is read-only; not written (読み取り専用のため書き込みません)"))
        .stderr(predicate::str::contains("c.plan: its folder").and(predicate::str::contains("locked is read-only; not written")))
        .stderr(predicate::str::contains("2 files reformatted, 0 unchanged, 2 not read or not written"));
    assert_eq!(fs::read_to_string(root.join("a.plan")).unwrap(), GOOD);
    assert_eq!(fs::read_to_string(root.join("z.plan")).unwrap(), GOOD.replace("1-1-1", "1-1-4"), "the file after the refused ones is formatted");
    assert_eq!(fs::read_to_string(root.join("b.plan")).unwrap(), UNFORMATTED.replace("1-1-1", "1-1-2"));
    assert_eq!(fs::read_to_string(root.join("locked/c.plan")).unwrap(), UNFORMATTED.replace("1-1-1", "1-1-3"));
    assert_eq!(fs::metadata(root.join("b.plan")).unwrap().permissions().mode() & 0o777, 0o444);
    // --fix: the same refusal, the other files fixed, exit 2.
    fs::write(root.join("a.plan"), FIXABLE).unwrap();
    fs::set_permissions(root.join("b.plan"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::write(root.join("b.plan"), FIXABLE.replace("1-1-2", "1-1-5")).unwrap();
    fs::set_permissions(root.join("b.plan"), fs::Permissions::from_mode(0o444)).unwrap();
    let output = plancheck().args(["check", "--fix", "--format", "json"]).arg(root.join("a.plan")).arg(root.join("b.plan")).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stderr).contains("b.plan: is read-only"));
    assert!(fs::read_to_string(root.join("a.plan")).unwrap().contains("定量評価: D"));
    assert!(fs::read_to_string(root.join("b.plan")).unwrap().contains("定量評価: A"));
    // The findings reported are those of the files as they are on disk.
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["diagnostics"].as_array().unwrap().iter().any(|d| d["rule"] == "rating-mismatch" && d["path"].as_str().unwrap().ends_with("b.plan")), "{report}");
    // A temporary file left by a killed run is not read, and is said.
    fs::write(root.join(".a.plan.plancheck-tmp-Ab12Cd"), "施策 {{{").unwrap();
    plancheck().arg("check").arg(root.join("a.plan")).arg(root.join("locked")).assert().success();
    plancheck()
        .arg("check")
        .arg(root)
        .assert()
        .stderr(predicate::str::contains(".a.plan.plancheck-tmp-Ab12Cd: is left from an interrupted plancheck write").and(predicate::str::contains("syntax-error").not()));
    fs::remove_file(root.join(".a.plan.plancheck-tmp-Ab12Cd")).unwrap();
    // No temporary file is left by the refused writes.
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
    for name in [".", "locked"] {
        assert!(temporary_files_in(&root.join(name)).is_empty(), "{:?}", temporary_files_in(&root.join(name)));
    }
}

#[cfg(unix)]
#[test]
fn outputs_are_never_written_onto_a_plan_read_and_other_plans_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let plan = root.join("a.plan");
    fs::write(&plan, FIXABLE).unwrap();
    std::os::unix::fs::symlink(&plan, root.join("link.plan")).unwrap();
    fs::write(root.join("other.plan"), GOOD).unwrap();
    let refused = predicate::str::contains("not written: choose another output file (読み込んだファイルには書き出しません)");
    for out in [plan.clone(), root.join("link.plan")] {
        for force in [false, true] {
            let with_force = |mut c: Command| {
                if force {
                    c.arg("--force");
                }
                c
            };
            let mut c = plancheck();
            c.arg("report").arg(&plan).arg("-o").arg(&out);
            with_force(c).assert().code(2).stderr(refused.clone());
            let mut c = plancheck();
            c.args(["export", "--to", "csv"]).arg(&plan).arg("-o").arg(&out);
            with_force(c).assert().code(2).stderr(refused.clone());
            let mut c = plancheck();
            c.arg("check").arg(&plan).arg("--write-baseline").arg(&out);
            with_force(c).assert().code(2).stderr(refused.clone());
            assert_eq!(fs::read_to_string(&plan).unwrap(), FIXABLE, "the plan is untouched (output {}, --force {force})", out.display());
        }
    }
    // A table imported onto itself.
    fs::write(root.join("t.csv"), "施策番号,施策名\n1-1-1,x\n").unwrap();
    plancheck().arg("import").arg(root.join("t.csv")).arg("-o").arg(root.join("t.csv")).arg("--force").assert().code(2).stderr(refused.clone());
    // Another .plan: only with --force.
    let other = root.join("other.plan");
    plancheck().arg("report").arg(&plan).arg("-o").arg(&other).assert().code(2).stderr(predicate::str::contains("is an existing .plan file; not replaced without --force"));
    plancheck().arg("export").arg(&plan).arg("-o").arg(&other).assert().code(2).stderr(predicate::str::contains("without --force"));
    plancheck().arg("check").arg(&plan).arg("--write-baseline").arg(&other).assert().code(2).stderr(predicate::str::contains("without --force"));
    assert_eq!(fs::read_to_string(&other).unwrap(), GOOD);
    plancheck().arg("report").arg(&plan).arg("-o").arg(&other).arg("--force").assert().success();
    assert!(fs::read_to_string(&other).unwrap().starts_with("<!DOCTYPE html>"));
    // The previous report, export or baseline is replaced as before; a file
    // that is not a baseline is not, without --force.
    let html = root.join("r.html");
    plancheck().arg("report").arg(&plan).arg("-o").arg(&html).assert().success();
    plancheck().arg("report").arg(&plan).arg("-o").arg(&html).assert().success();
    let baseline = root.join("baseline.json");
    plancheck().arg("check").arg(&plan).arg("--write-baseline").arg(&baseline).assert().success();
    plancheck().arg("check").arg(&plan).arg("--write-baseline").arg(&baseline).assert().success();
    let notes = root.join("notes.txt");
    fs::write(&notes, "my notes\n").unwrap();
    plancheck().arg("check").arg(&plan).arg("--write-baseline").arg(&notes).assert().code(2).stderr(predicate::str::contains("notes.txt: exists and is not a plancheck baseline"));
    assert_eq!(fs::read_to_string(&notes).unwrap(), "my notes\n");
    plancheck().arg("check").arg(&plan).arg("--write-baseline").arg(&notes).arg("--force").assert().success();
    // Nor onto the plancheck.toml that was read.
    fs::write(root.join("plancheck.toml"), "[rules]\n").unwrap();
    plancheck().arg("check").arg(&plan).arg("--write-baseline").arg(root.join("plancheck.toml")).arg("--force").assert().code(2).stderr(refused);
    assert_eq!(fs::read_to_string(root.join("plancheck.toml")).unwrap(), "[rules]\n");
}

#[cfg(unix)]
#[test]
fn a_plancheck_toml_that_cannot_be_read_as_a_file_is_an_error_not_no_config() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("a.plan");
    fs::write(&plan, GOOD).unwrap();
    let toml = dir.path().join("plancheck.toml");
    let cases: [(&str, &dyn Fn()); 3] = [
        ("is a link to nothing", &|| std::os::unix::fs::symlink(dir.path().join("missing.toml"), &toml).unwrap()),
        ("is a folder, not a file", &|| fs::create_dir(&toml).unwrap()),
        ("is a FIFO (named pipe), not a regular file", &|| mkfifo(&toml)),
    ];
    for (says, make) in cases {
        make();
        plancheck().arg("check").arg(&plan).assert().code(2).stderr(predicate::str::contains(format!("{}: cannot read: {says}", toml.display())));
        if toml.is_dir() {
            fs::remove_dir(&toml).unwrap();
        } else {
            fs::remove_file(&toml).unwrap();
        }
    }
    // A BOM (an editor's) is accepted, in plancheck.toml and in a baseline.
    fs::write(&toml, "\u{feff}[rules]\nmissing-field = \"off\"\n").unwrap();
    plancheck().arg("check").arg(&plan).assert().success();
    let baseline = dir.path().join("baseline.json");
    plancheck().arg("check").arg(&plan).arg("--write-baseline").arg(&baseline).assert().success();
    let text = fs::read_to_string(&baseline).unwrap();
    fs::write(&baseline, format!("\u{feff}{text}")).unwrap();
    plancheck().arg("check").arg(&plan).arg("--baseline").arg(&baseline).assert().success();
    // A count out of range is an error at its place.
    fs::write(&baseline, "{\"version\": 1, \"findings\": [\n{\"path\": \"a.plan\", \"rule\": \"x\", \"text\": \"0\", \"count\": 99999999999999999999}]}\n").unwrap();
    plancheck().arg("check").arg(&plan).arg("--baseline").arg(&baseline).assert().code(2).stderr(predicate::str::contains("baseline.json:2:"));
}

#[test]
fn fmt_keeps_every_zero_width_no_break_space_on_disk_and_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.plan");
    // A BOM, then U+FEFF at line starts and ends, in a value, a comment and a text line.
    let text = "\u{feff}\u{feff}施策 1-1-1 x {\n      # 注\u{feff}\n  全体評価:\u{feff} B\u{feff}  \n  代表課: 課\n  成果:\n    |\u{feff}一\u{feff}\n}\n";
    fs::write(&path, text).unwrap();
    plancheck().arg("fmt").arg(&path).assert().success().stderr(predicate::str::contains("1 files reformatted"));
    let out = fs::read_to_string(&path).unwrap();
    assert_eq!(out.matches('\u{feff}').count(), text.matches('\u{feff}').count(), "{out:?}");
    assert!(out.starts_with("\u{feff}\u{feff}施策") && out.contains("\n  # 注\u{feff}\n") && out.contains("全体評価: \u{feff}B\u{feff}\n"), "{out:?}");
    let stdout = plancheck().args(["fmt", "-"]).write_stdin(text).assert().success().get_output().stdout.clone();
    assert_eq!(String::from_utf8(stdout).unwrap(), out, "standard input: the same, its BOM kept");
}

/// Makes a chain of `depth` folders `NAME/NAME/...` under `root` with a plan
/// at the bottom (a shell does it step by step: the whole path may be too
/// long for one system call).
#[cfg(unix)]
fn folder_chain(root: &std::path::Path, name: &str, depth: usize, plan: &str) {
    let script = format!("i=0; while [ $i -lt {depth} ]; do mkdir {name} && cd -P {name} || exit 1; i=$((i+1)); done; printf '%s' \"$PLAN\" > deep.plan");
    let status = std::process::Command::new("sh").arg("-c").arg(script).current_dir(root).env("PLAN", plan).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn deep_folders_are_searched_in_linear_work_and_a_path_too_long_is_a_warning() {
    // 400 levels: the plan at the bottom is found and checked.
    let dir = tempfile::tempdir().unwrap();
    folder_chain(dir.path(), "d", 400, FIXABLE);
    let output = plancheck().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let found = report["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "rating-mismatch").expect("the deep file's finding");
    assert_eq!(found["path"].as_str().unwrap().split('/').filter(|c| *c == "d").count(), 400);
    // 25 levels of 200-character names: past the system's path length
    // (4,096 bytes on Linux); that folder is a warning, the rest is checked.
    let dir = tempfile::tempdir().unwrap();
    folder_chain(dir.path(), &"n".repeat(200), 25, FIXABLE);
    fs::write(dir.path().join("top.plan"), GOOD).unwrap();
    let output = plancheck().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("plancheck: warning: ") && stderr.contains("this folder was not searched"), "{stderr}");
    assert!(stderr.len() < 16 * 1024, "one warning, not one per level: {} bytes", stderr.len());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["files"], 1);
}
