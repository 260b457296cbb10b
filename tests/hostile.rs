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
    plancheck().args(["fmt", "--lang", "en"]).arg(root.join("plans")).assert().success().stderr(predicate::str::contains("3 files reformatted"));
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
        .args(["fmt", "--lang", "en"])
        .arg(root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("b.plan: is read-only; not written. Make it writable"))
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
    let output = plancheck().args(["check", "--fix", "--format", "json", "--lang", "en"]).arg(root.join("a.plan")).arg(root.join("b.plan")).output().unwrap();
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
    let refused = predicate::str::contains("なので書き出しません。別の出力先を選んでください");
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
    plancheck()
        .arg("import")
        .arg(root.join("t.csv"))
        .args(["--lang", "en"])
        .arg("-o")
        .arg(root.join("t.csv"))
        .arg("--force")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not written: choose another output file"));
    // Another .plan: only with --force.
    let other = root.join("other.plan");
    plancheck().args(["report", "--lang", "en"]).arg(&plan).arg("-o").arg(&other).assert().code(2).stderr(predicate::str::contains("is an existing .plan file; not replaced without --force"));
    plancheck().args(["export", "--lang", "en"]).arg(&plan).arg("-o").arg(&other).assert().code(2).stderr(predicate::str::contains("without --force"));
    plancheck().args(["check", "--lang", "en"]).arg(&plan).arg("--write-baseline").arg(&other).assert().code(2).stderr(predicate::str::contains("without --force"));
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
    plancheck().args(["check", "--lang", "en"]).arg(&plan).arg("--write-baseline").arg(&notes).assert().code(2).stderr(predicate::str::contains("notes.txt: exists and is not a plancheck baseline"));
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
    plancheck().args(["fmt", "--lang", "en"]).arg(&path).assert().success().stderr(predicate::str::contains("1 files reformatted"));
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

// --- issue 14, fixes, workbooks and reports ---

/// A plan with one exact fix (a lower-case grade) and a guess of each
/// guessing rule: the closest department (都市整備課 is not 都市計画課, a
/// real other department), field, block and rule name, the `|` of a line
/// under an empty field, a dotted ID with the wrong count of numbers.
const GUESSES: &str = "# plancheck: allow(rating-mismach)
施策 1-1-1 まちづくり {
  全体評価: b
  代表課: 都市整備課
  指標 人口 {
    実績: 50人
    目漂: 100人
  }
  指表 もう一つ {
    実績: 50人
  }
  自己評価:
  まだ途中です
}
施策 2024.4 名前 {
}
";

fn guesses_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("plancheck.toml"), "departments = [\"都市計画課\", \"健康づくり課\"]\n").unwrap();
    fs::write(dir.path().join("a.plan"), GUESSES).unwrap();
    dir
}

#[test]
fn fix_applies_only_exact_fixes_and_counts_the_guesses_it_left() {
    let dir = guesses_dir();
    let out = plancheck().current_dir(dir.path()).args(["check", "--fix", "a.plan"]).output().unwrap();
    let fixed = fs::read_to_string(dir.path().join("a.plan")).unwrap();
    assert_eq!(fixed, GUESSES.replace("全体評価: b", "全体評価: B"), "only the exact fix is applied");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 件を修正しました。推測による修正案 6 件は適用していません"), "{stderr}");
    assert!(stderr.contains("--unsafe-fixes"), "{stderr}");
    // The guesses are still reported, each with its fix marked as a guess.
    let json = plancheck().current_dir(dir.path()).args(["check", "--format", "json", "a.plan"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let fixes: Vec<(&str, &str)> = report["diagnostics"].as_array().unwrap().iter().filter_map(|d| Some((d["rule"].as_str()?, d["fix"]["applicability"].as_str()?))).collect();
    for rule in ["invalid-directive", "unknown-department", "unknown-field", "unknown-block", "syntax-error", "invalid-id"] {
        assert!(fixes.contains(&(rule, "unsafe")), "{rule}: {fixes:?}");
    }
    assert!(fixes.iter().all(|(_, a)| *a == "unsafe"), "{fixes:?}");
    let sarif = plancheck().current_dir(dir.path()).args(["check", "--format", "sarif", "a.plan"]).output().unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().filter_map(|r| r["fixes"].as_array()).flatten().all(|f| f["properties"]["applicability"] == "unsafe"));
    let human = plancheck().current_dir(dir.path()).args(["check", "--color", "never", "a.plan"]).output().unwrap();
    assert!(String::from_utf8_lossy(&human.stdout).contains("修正案 (推測。--fix --unsafe-fixes で適用): `都市計画課` に直す"));
    // In English too.
    let en = plancheck().current_dir(dir.path()).args(["check", "--fix", "--lang", "en", "a.plan"]).output().unwrap();
    assert!(String::from_utf8_lossy(&en.stderr).contains("fixed 0 findings; 6 unsafe fixes (guesses) were not applied"), "{}", String::from_utf8_lossy(&en.stderr));
}

#[test]
fn unsafe_fixes_applies_the_guesses_too() {
    let dir = guesses_dir();
    let out = plancheck().current_dir(dir.path()).args(["check", "--fix", "--unsafe-fixes", "a.plan"]).output().unwrap();
    let fixed = fs::read_to_string(dir.path().join("a.plan")).unwrap();
    for expected in ["allow(rating-mismatch)", "全体評価: B", "代表課: 都市計画課", "    目標: 100人", "  指標 もう一つ {", "  | まだ途中です", "施策 2024-4 名前"] {
        assert!(fixed.contains(expected), "{expected}: {fixed}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("7 件を修正しました\n"), "{}", String::from_utf8_lossy(&out.stderr));
    // Without --fix it is a usage error.
    plancheck().current_dir(dir.path()).args(["check", "--unsafe-fixes", "a.plan"]).assert().code(2);
}

/// `成果2` beside `成果` is not renamed to `成果` (a duplicate-field), by
/// `--fix` or `--unsafe-fixes`: the finding says the block has one.
#[test]
fn a_field_name_the_block_already_has_is_never_a_fix() {
    let text = "施策 1-1-1 a {\n  全体評価: B\n  代表課: 課\n  展開 道路 {\n    成果: 舗装した\n    成果2: 橋を架けた\n    定性評価: 高\n  }\n  指標 b {\n    実績: 50\n    旧目標: 10\n    目標: 100\n    定量評価: D\n  }\n  定性評価: 高\n  定量評価: 低\n}\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.plan"), text).unwrap();
    for args in [&["check", "--fix", "a.plan"][..], &["check", "--fix", "--unsafe-fixes", "a.plan"]] {
        plancheck().current_dir(dir.path()).args(args).output().unwrap();
        assert_eq!(fs::read_to_string(dir.path().join("a.plan")).unwrap(), text);
    }
    let json = plancheck().current_dir(dir.path()).args(["check", "--format", "json", "a.plan"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let unknown: Vec<&serde_json::Value> = report["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "unknown-field").collect();
    assert_eq!(unknown.len(), 2, "{report}");
    assert!(unknown.iter().all(|d| d.get("fix").is_none() && d["message"].as_str().unwrap().contains("すでにあります")), "{unknown:?}");
    assert!(report["diagnostics"].as_array().unwrap().iter().all(|d| d["rule"] != "duplicate-field"));
}

/// A workbook in the official layout, with `extra` written into its first sheet.
fn workbook(path: &std::path::Path, extra: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = ["基本政策", "政策", "施策名", "全体評価", "指標", "令和4年度実績値", "令和6年度目標値", "定量評価", "施策代表課"];
    let row = ["1 健康", "1-1 医療", "1-1-1 健康づくり", "B", "参加者数", "50人", "100人", "C", "健康づくり課"];
    for (c, (h, v)) in header.iter().zip(row).enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
        sheet.write_string(1, c as u16, v).unwrap();
    }
    extra(sheet);
    book.save(path).unwrap();
}

/// One cell at XFD1048576 (a 2 KB file): the grid holds the cells, not the
/// sheet's range of 17 billion, and the stray cell is kept.
#[test]
fn a_workbook_with_one_cell_at_the_last_row_and_column_imports_sized_by_its_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.xlsx");
    workbook(&path, |sheet| {
        sheet.write_string(1_048_575, 16_383, "遠いセル").unwrap();
    });
    assert!(fs::metadata(&path).unwrap().len() < 16 * 1024);
    let grid = plancheck::import::read_grid(&path).unwrap();
    assert_eq!(grid.rows.len(), 1_048_576);
    let cells: usize = grid.rows.iter().map(Vec::len).sum();
    assert_eq!(cells, 9 + 9 + 16_384, "each row only as long as its last cell");
    let out = plancheck().arg("import").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("遠いセル"), "the stray cell is kept");
}

/// Cells in the last column of many rows would make a grid of millions of
/// empty cells: refused, naming the sheet and the cell.
#[test]
fn a_workbook_whose_cells_spread_too_far_is_refused_naming_the_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spread.xlsx");
    workbook(&path, |sheet| {
        for r in 2..400 {
            sheet.write_string(r, 16_383, "x").unwrap();
        }
    });
    plancheck()
        .args(["import", "--lang", "en"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("worksheet `Sheet1`").and(predicate::str::contains("at cell XFD")).and(predicate::str::contains("spread too far")));
    // The limit is on the grid, not the file: the same in a small limit.
    let limits = plancheck::import::grid::WorkbookLimits { grid_cells: 1000, ..Default::default() };
    let error = plancheck::import::grid::read_grid_with(&path, &limits).unwrap_err();
    assert!(error.0.contains("at cell XFD3"), "{error}");
}

/// A part whose declared uncompressed size is over the limit is refused
/// from the central directory, before anything is decompressed (a 1 MB
/// file may declare a 1 GiB sheet); so is a total over the limit.
#[test]
fn workbook_parts_larger_than_the_limits_are_refused_before_they_are_read() {
    use plancheck::import::grid::{WorkbookLimits, check_zip_sizes, read_grid_with};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.xlsx");
    workbook(&path, |sheet| {
        for r in 2..3000 {
            sheet.write_string(r, 0, "同じ文をくり返す行").unwrap();
            sheet.write_number(r, 1, r as f64).unwrap();
        }
    });
    assert!(check_zip_sizes(&path, &WorkbookLimits::default()).is_ok());
    let entry = WorkbookLimits { entry_bytes: 64 * 1024, ..Default::default() };
    let error = read_grid_with(&path, &entry).unwrap_err();
    assert!(error.0.contains("`xl/worksheets/sheet1.xml` would expand to") && error.0.contains("zip bomb"), "{error}");
    let total = WorkbookLimits { total_bytes: 8 * 1024, ..Default::default() };
    let error = read_grid_with(&path, &total).unwrap_err();
    assert!(error.0.contains("more than 0 MiB in all"), "{error}");
}

/// A part that decompresses to more than its declared size (a lie in both
/// headers) is refused while it is read, not followed.
#[test]
fn a_workbook_part_that_expands_past_its_declared_size_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lie.xlsx");
    workbook(&path, |sheet| {
        for r in 2..2000 {
            sheet.write_string(r, 0, "同じ文をくり返す行").unwrap();
        }
    });
    let mut bytes = fs::read(&path).unwrap();
    let name = b"xl/worksheets/sheet1.xml";
    let le16 = |b: &[u8], at: usize| u16::from_le_bytes([b[at], b[at + 1]]) as usize;
    let mut patched = 0;
    for at in 0..bytes.len().saturating_sub(46) {
        // Local header: the size at 22, the name at 30; central: 24 and 46.
        let (size_at, name_at, len_at) = match &bytes[at..at + 4] {
            b"PK\x03\x04" => (22, 30, 26),
            b"PK\x01\x02" => (24, 46, 28),
            _ => continue,
        };
        if le16(&bytes, at + len_at) == name.len() && &bytes[at + name_at..at + name_at + name.len()] == name {
            let declared = u32::from_le_bytes(bytes[at + size_at..at + size_at + 4].try_into().unwrap());
            if declared != 0 {
                bytes[at + size_at..at + size_at + 4].copy_from_slice(&100u32.to_le_bytes());
                patched += 1;
            }
        }
    }
    assert!(patched >= 1, "the central directory names the sheet");
    fs::write(&path, &bytes).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lie.xlsx") && stderr.contains("larger than its declared uncompressed size"), "{stderr}");
}

/// A formula cell saved without its computed value (as generators write
/// them) was dropped without a word: its formula is kept as the cell's
/// text (a field's value, or a 備考 where no column fits), with a warning
/// naming the cell.
#[test]
fn a_formula_without_a_cached_value_is_kept_as_its_text_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formula.xlsx");
    workbook(&path, |sheet| {
        sheet.set_formula_result_default("");
        sheet.write_formula(1, 5, "=SUM(J2:J3)").unwrap();
        sheet.write_formula(2, 12, rust_xlsxwriter::Formula::new("=1+1").set_result("2")).unwrap();
    });
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // Not a quantity the aligner can read: kept as a 備考 of the 施策.
    assert!(stdout.contains("=SUM(J2:J3)"), "{stdout}");
    assert!(stderr.contains("Sheet1!F2: this formula has no computed value") && stderr.contains("`=SUM(J2:J3)`"), "{stderr}");
    // A formula with its value: the value, no warning.
    assert!(stdout.contains('2') && !stderr.contains("M3"), "{stderr}");
}

/// A plan with a syntax error: `report` and `export` (HTML and the tables)
/// refuse it alike, listing the error with its place, and write nothing.
#[test]
fn report_and_export_refuse_a_plan_with_syntax_errors_alike() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.plan"), "施策 1-1-1 a {\n  全体評価: B\n  成果 ことば\n}\n").unwrap();
    let runs: [&[&str]; 3] = [&["report", "a.plan", "-o", "out.html"], &["export", "a.plan", "--to", "html", "-o", "out.html"], &["export", "a.plan", "--to", "csv", "-o", "out.html"]];
    let mut messages = Vec::new();
    for args in runs {
        let out = plancheck().current_dir(dir.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(stderr.contains("a.plan:3:3: `成果` の後にコロンがありません") && stderr.contains("構文エラーが 1 件あるため書き出しません"), "{args:?}: {stderr}");
        assert!(!dir.path().join("out.html").exists(), "{args:?} wrote it");
        messages.push(stderr);
    }
    assert!(messages.iter().all(|m| *m == messages[0]), "{messages:?}");
}

/// A right-to-left override in a 施策's name: the terminal output of
/// `check`, the report and the HTML export show it as `<U+202E>`.
#[test]
fn bidi_controls_are_shown_in_the_terminal_the_report_and_the_html_export() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.plan"), "施策 1-1-1 \u{202E}まちづくり {\n  代表課: 都市\u{2066}計画課\n}\n").unwrap();
    let check = plancheck().current_dir(dir.path()).args(["check", "--color", "never", "a.plan"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(!stdout.contains(plancheck::diagnostics::is_bidi_control) && stdout.contains("<U+202E>まちづくり"), "{stdout}");
    plancheck().current_dir(dir.path()).args(["report", "a.plan", "-o", "r.html"]).assert().success();
    let out = plancheck().current_dir(dir.path()).args(["export", "a.plan", "--to", "html"]).output().unwrap();
    for html in [fs::read_to_string(dir.path().join("r.html")).unwrap(), String::from_utf8(out.stdout).unwrap()] {
        assert!(!html.contains(plancheck::diagnostics::is_bidi_control));
        assert!(html.contains("&lt;U+202E&gt;まちづくり") && html.contains("都市&lt;U+2066&gt;計画課"));
    }
}

/// `--lang en` reaches the formatter's refusals, export (its refusal, its
/// HTML) and the report's refusal: no Japanese message in an English session.
#[test]
fn english_sessions_get_english_refusals_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("bad.plan"), "施策 1-1-1 a {\n  全体評価: B\n  成果 ことば\n}\n").unwrap();
    fs::write(dir.path().join("good.plan"), "施策 1-1-1 a {\n  全体評価: B\n  代表課: 課\n}\n").unwrap();
    let stderr = |args: &[&str]| String::from_utf8_lossy(&plancheck().current_dir(dir.path()).args(args).output().unwrap().stderr).to_string();
    let fmt = stderr(&["fmt", "--lang", "en", "bad.plan"]);
    assert!(fmt.contains("bad.plan:3:3: missing colon after `成果`") && fmt.contains("not formatted: fix the syntax errors first") && !fmt.contains("構文"), "{fmt}");
    let fmt_ja = stderr(&["fmt", "bad.plan"]);
    assert!(fmt_ja.contains("コロンがありません") && fmt_ja.contains("構文エラーがあるため整形しません"), "{fmt_ja}");
    for args in [&["export", "--lang", "en", "--to", "html", "bad.plan"][..], &["report", "--lang", "en", "bad.plan", "-o", "r.html"]] {
        let refused = stderr(args);
        assert!(refused.contains("missing colon after") && refused.contains("not written: fix the syntax errors first (1)") && !refused.contains("構文"), "{args:?}: {refused}");
    }
    let out = plancheck().current_dir(dir.path()).args(["export", "--lang", "en", "--to", "html", "good.plan"]).output().unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Measure <span class=\"id\">1-1-1</span>") && !html.contains(">施策 <span"), "{html}");
}

/// A CSV line of millions of commas would be millions of empty cells in
/// memory: refused before it is parsed, naming the line.
#[test]
fn a_csv_of_millions_of_empty_cells_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commas.csv");
    fs::write(&path, format!("基本政策,政策,施策名,全体評価\n{}\n", ",".repeat(5_000_000))).unwrap();
    plancheck().args(["import", "--lang", "en"]).arg(&path).assert().code(2).stderr(predicate::str::contains("more than 4194304 cells (at line 2)"));
    let limits = plancheck::import::grid::WorkbookLimits { grid_cells: 2, ..Default::default() };
    let small = dir.path().join("small.tsv");
    fs::write(&small, "a\tb\tc\n").unwrap();
    assert!(plancheck::import::grid::read_grid_with(&small, &limits).unwrap_err().0.contains("at line 1"));
}

// --- issue 14, arithmetic and rules ---

/// A 施策 with one indicator of these values, stated grade `D`.
fn one_indicator(actual: &str, target: &str) -> String {
    format!("施策 1-1-1 x {{\n  全体評価: A\n  代表課: 課\n  指標 y {{\n    実績: {actual}\n    目標: {target}\n    定量評価: D\n  }}\n  定量評価: 低\n}}\n")
}

#[test]
fn unit_prefix_chains_and_extreme_decimals_are_graded_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let chain = format!("1{}人", "万".repeat(200_000));
    for (actual, target) in [("1兆兆兆人", "1人"), (chain.as_str(), "1人"), ("79,228,162,514,264,337,593,543,950,335人", "0.5人")] {
        let path = dir.path().join("extreme.plan");
        fs::write(&path, one_indicator(actual, target)).unwrap();
        let output = plancheck().args(["check", "--format", "json", "--lang", "en"]).arg(&path).output().unwrap();
        assert!(output.status.code().is_some_and(|c| c <= 1), "{}: {}", &actual[..actual.len().min(40)], String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let mismatch = report["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "rating-mismatch").expect("the ratio is a grade");
        let message = mismatch["message"].as_str().unwrap();
        assert!(message.contains("which is A"), "{message}");
        // The library agrees, on a small stack (no recursion per prefix).
        let text = one_indicator(actual, target);
        let found = on_a_small_stack(move || plancheck::check_text("e.plan", &text, Lang::En).diagnostics.iter().any(|d| d.rule.name == "rating-mismatch"));
        assert!(found);
    }
}

#[test]
fn huge_points_or_thresholds_in_the_config_are_refused_or_graded() {
    let dir = tempfile::tempdir().unwrap();
    let mut plan = String::from("施策 1-1-1 x {\n  全体評価: A\n  代表課: 課\n");
    for _ in 0..8 {
        plan.push_str("  指標 y {\n    実績: 79,228,162,514,264,337,593,543,950,335人\n    目標: 0.0000000000000000000000000001人\n    定量評価: A\n  }\n");
    }
    plan.push_str("  定量評価: 高\n}\n");
    fs::write(dir.path().join("a.plan"), &plan).unwrap();
    // Points whose sum no decimal holds: refused, naming the key.
    fs::write(dir.path().join("plancheck.toml"), "[rating.quantitative]\npoints = { A = 1e28, B = 2, C = 1, D = 0 }\nhigh = 2.5\nmiddle = 1.5\ncomparison = \"greater\"\n").unwrap();
    plancheck().arg("check").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("rating.quantitative.points.A").and(predicate::str::contains("out of range")));
    // Thresholds as large as a decimal goes: compared exactly, no panic.
    fs::write(dir.path().join("plancheck.toml"), "[rating.indicator]\nA = \"79228162514264337593543950335\"\nB = \"79228162514264337593543950335\"\nC = 7.9e28\n").unwrap();
    let output = plancheck().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "rating-mismatch").count(), 0, "{report}");
}

#[test]
fn a_note_of_200_000_characters_is_checked_in_linear_time() {
    // Quadratic, `period-mismatch` took minutes on this (15 s at 80,000
    // characters); the timeout of `plancheck()` is the hang guard.
    let note = "R3年と令和4年度の値、".repeat(20_000);
    assert!(note.chars().count() >= 200_000);
    let text = format!(
        "計画 x {{\n  実績年度: 令和5年度\n  目標年度: 令和6年度\n}}\n施策 1-1-1 x {{\n  全体評価: A\n  代表課: 課\n  指標 y {{\n    実績: 5人 ({note})\n    目標: 5人 (R6年)\n    定量評価: A\n  }}\n  定量評価: 高\n}}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.plan");
    fs::write(&path, &text).unwrap();
    let output = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let periods: Vec<_> = report["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "period-mismatch").collect();
    assert_eq!(periods.len(), 1, "the 実績's note names other years than 令和5年度: {periods:?}");
    assert_eq!(periods[0]["range"]["start"]["line"], 9);
}

#[test]
fn four_hundred_copies_and_four_hundred_near_copies_give_bounded_related_lists() {
    let original = "市民が安心・安全に利用できる健康づくりや子育て支援の拠点として新保健センターの建設を進めている。";
    let edited = "市民が安心・安全に利用できる健康づくりや子育て支援の拠点として新しい保健センターの建設を進めた。";
    let mut text = String::new();
    for (n, result) in std::iter::repeat_n(original, 400).chain(std::iter::repeat_n(edited, 400)).enumerate() {
        text.push_str(&format!("施策 1-1-{} x {{\n  全体評価: A\n  代表課: 課\n  展開 y {{\n    成果: {result}\n    定性評価: 中\n  }}\n  定性評価: 中\n}}\n", n + 1));
    }
    let analysis = plancheck::check_text("copies.plan", &text, Lang::En);
    let near: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule.name == "near-duplicate-text").collect();
    assert_eq!(near.len(), 400, "each near copy is reported");
    assert!(near.iter().all(|d| d.related.len() == 1), "the first copy of the similar text: {}", near[0].related.len());
    assert!(near[0].message.contains("400 similar texts in all"), "{}", near[0].message);
    let related: usize = analysis.diagnostics.iter().map(|d| d.related.len()).sum();
    assert!(related <= plancheck::diagnostics::MAX_RELATED * analysis.diagnostics.len(), "{related} related places");
    // The JSON report stays proportionate to the input (it was 63 MB from 160 KB).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copies.plan");
    fs::write(&path, &text).unwrap();
    let output = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.len() < 64 * text.len(), "{} bytes of JSON from {} bytes", output.stdout.len(), text.len());
}

#[test]
fn a_rule_code_in_the_config_sets_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.plan"), one_indicator("9人", "10人")).unwrap();
    let rules = |config: &str| -> Vec<String> {
        fs::write(dir.path().join("plancheck.toml"), config).unwrap();
        let output = plancheck().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
        assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap().to_string()).collect()
    };
    assert!(rules("").contains(&"rating-mismatch".to_string()));
    assert!(!rules("[rules]\nPC201 = \"off\"\n").contains(&"rating-mismatch".to_string()), "the code turns it off");
    assert!(!rules("[rules]\nrating-mismatch = \"off\"\n").contains(&"rating-mismatch".to_string()), "so does the name");
    // Both spellings at once: refused, not one silently dropped.
    fs::write(dir.path().join("plancheck.toml"), "[rules]\nPC201 = \"off\"\nrating-mismatch = \"error\"\n").unwrap();
    plancheck().arg("check").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("both set the rule rating-mismatch"));
}

/// The review's `sum.plan`: grades A and E (unreadable), stated 低.
const SUM_PLAN: &str = "施策 1-1-1 x {\n  全体評価: A\n  代表課: 課\n  指標 a {\n    実績: 10人\n    目標: 10人\n    定量評価: A\n  }\n  指標 e {\n    実績: 1人\n    目標: 10人\n    定量評価: E\n  }\n  定量評価: 低\n}\n";

#[test]
fn an_unreadable_grade_gives_no_computed_summary_in_check_export_report_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("sum.plan");
    fs::write(&plan, SUM_PLAN).unwrap();
    // check: the unreadable grade, and no summary computed from A alone.
    let output = plancheck().args(["check", "--format", "json"]).arg(&plan).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["invalid-value"], "{report}");
    // export --with-computed: no computed 定量評価 either (it said 高).
    let output = plancheck().args(["export", "--to", "json", "--with-computed"]).arg(&plan).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let sheet: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let measure = &sheet["basic_policies"][0]["policies"][0]["measures"][0];
    assert_eq!(measure["computed"]["quantitative_level"], serde_json::Value::Null, "{measure}");
    assert_eq!(measure["indicators"][1]["computed"]["grade"], "D", "the indicator itself is still rated");
    // The report shows no computed 高.
    let html = dir.path().join("r.html");
    plancheck().arg("report").arg(&plan).arg("-o").arg(&html).assert().success();
    let html = fs::read_to_string(&html).unwrap();
    assert!(!html.contains(">高</span>"), "a computed 高 in the report");
    // diff: from nothing computable to 低 once the grade is readable.
    let new = dir.path().join("new.plan");
    fs::write(&new, SUM_PLAN.replace("定量評価: E", "定量評価: D")).unwrap();
    let output = plancheck().args(["diff", "--format", "json"]).arg(&plan).arg(&new).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let changes = diff["measures"][0]["changes"].as_array().unwrap();
    let computed = changes.iter().find(|c| c["kind"] == "computed-grade" && c["field"] == "定量評価" && c.get("place").is_none()).expect("the 施策's computed 定量評価 changed");
    assert_eq!((&computed["old"], &computed["new"]), (&serde_json::Value::Null, &serde_json::json!("低")), "{diff}");
}

#[test]
fn each_folder_s_rating_scheme_applies_to_its_own_files_in_export_report_and_diff() {
    let dir = tempfile::tempdir().unwrap();
    let strict = "[rating.indicator]\nA = 100\nB = 90\nC = 70\n";
    let indicator = |id: &str, actual: &str| format!("施策 {id} x {{\n  全体評価: A\n  代表課: 課\n  指標 y {{\n    実績: {actual}人\n    目標: 100人\n    定量評価: B\n  }}\n}}\n");
    for (edition, actual) in [("old", "85"), ("new", "95")] {
        let root = dir.path().join(edition);
        fs::create_dir_all(root.join("a")).unwrap();
        fs::create_dir_all(root.join("b")).unwrap();
        fs::write(root.join("a/x.plan"), indicator("1-1-1", "85")).unwrap();
        fs::write(root.join("b/plancheck.toml"), strict).unwrap();
        fs::write(root.join("b/y.plan"), indicator("2-1-1", actual)).unwrap();
    }
    // 85% is B by default, C under the strict scheme of b/.
    let output = plancheck().args(["export", "--to", "json", "--with-computed"]).arg(dir.path().join("old")).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let sheet: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let grade_of = |basic: usize| sheet["basic_policies"][basic]["policies"][0]["measures"][0]["indicators"][0]["computed"]["grade"].clone();
    assert_eq!((grade_of(0), grade_of(1)), (serde_json::json!("B"), serde_json::json!("C")), "{sheet}");
    // The report rates each with its own scheme and draws each file's bands.
    let html = dir.path().join("r.html");
    plancheck().args(["report", "--lang", "en"]).arg(dir.path().join("old")).arg("-o").arg(&html).assert().success();
    let html = fs::read_to_string(&html).unwrap();
    assert!(html.contains("against the bands (each file&#39;s settings)"), "the chart says the bands differ");
    assert!(html.contains("<span class=\"grade gC\">C</span>"), "2-1-1 computed C");
    // diff: under b/'s scheme 85% → 95% is C → B (under the default both are B).
    let output = plancheck().args(["diff", "--format", "json"]).arg(dir.path().join("old")).arg(dir.path().join("new")).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let computed: Vec<_> = diff["measures"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|m| m["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "computed-grade").map(move |c| (m["id"].clone(), c["old"].clone(), c["new"].clone())))
        .collect();
    assert_eq!(computed, [(serde_json::json!("2-1-1"), serde_json::json!("C"), serde_json::json!("B"))], "{diff}");
}

#[test]
fn a_partial_rating_table_keeps_the_defaults_of_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.plan"), one_indicator("85人", "100人").replace("定量評価: D", "定量評価: B")).unwrap();
    // Only B given: A = 100 and C = 60 stay, so 85% is C.
    fs::write(dir.path().join("plancheck.toml"), "[rating.indicator]\nB = 90\n[rating.quantitative]\nhigh = 2.6\n").unwrap();
    let output = plancheck().args(["check", "--format", "json", "--lang", "en"]).arg(dir.path()).output().unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let mismatch = report["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "rating-mismatch").expect("85% is C under B = 90");
    assert!(mismatch["message"].as_str().unwrap().contains("at least 60% and under 90%"), "{mismatch}");
}

/// A 施策 with an indicator and a 展開, prose in four fields.
fn measure_block(id: &str) -> String {
    format!(
        "施策 {id} 健康づくりと疾病予防の推進 {{\n  全体評価: B\n  代表課: 健康づくり課\n  自己評価: 市民の健康づくりに向けて各種事業を実施し、参加者数は増加傾向にあるが目標には届いていない。\n  指標 健康づくり事業への参加者数 {{\n    実績: 5,900人 (R3年)\n    目標: 10,650人\n    定量評価: D\n  }}\n  展開 健康づくりの推進 {{\n    取組: 健康教室や講演会を開催し、市民の健康意識の向上を図った。\n    成果: 市民が安心・安全に利用できる健康づくりや子育て支援の拠点として新保健センターの建設を進めている。\n    課題: 木造住宅の耐震化について、大規模災害後は関心が高まるが時間の経過とともに関心が薄れる傾向にある。\n    定性評価: 中\n  }}\n  定量評価: 低\n  定性評価: 中\n}}\n"
    )
}

#[test]
fn a_repetitive_document_gives_findings_with_a_bounded_number_of_related_places() {
    // The shape of a 13 MB document pasted together, at 2.5 MB: 3,000 copies
    // of one 施策, with distinct IDs and with one ID.
    let dir = tempfile::tempdir().unwrap();
    for (name, same_id) in [("distinct.plan", false), ("same.plan", true)] {
        let text: String = (0..3_000).map(|n| measure_block(&if same_id { "1-1-1".to_string() } else { format!("{}-{}-{}", n / 100 + 1, n / 10 % 10 + 1, n % 10 + 1) })).collect();
        let path = dir.path().join(name);
        fs::write(&path, &text).unwrap();
        let output = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
        assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let findings = report["diagnostics"].as_array().unwrap();
        // Every copy after the first is reported (4 prose fields; the IDs too).
        let copies = findings.iter().filter(|d| d["rule"] == "duplicate-text").count();
        assert_eq!(copies, 4 * 2_999, "{name}");
        assert_eq!(findings.iter().filter(|d| d["rule"] == "duplicate-id").count(), if same_id { 2_999 } else { 0 });
        // Each lists the first, the previous and the next copy (it was 20
        // each), and the message gives the number in all.
        assert!(findings.iter().all(|d| d["related"].as_array().unwrap().len() <= 3), "{name}");
        assert!(findings.iter().filter(|d| d["rule"] == "duplicate-text").all(|d| d["message"].as_str().unwrap().contains("全部で 3000 か所")));
        let related: usize = findings.iter().map(|d| d["related"].as_array().unwrap().len()).sum();
        assert!(related <= 3 * findings.len(), "{name}: {related} related places for {} findings", findings.len());
        // The output grows with the input, by a bounded factor (it was 34×).
        assert!(output.stdout.len() < 12 * text.len(), "{name}: {} bytes of JSON from {} bytes", output.stdout.len(), text.len());
    }
}

#[test]
fn a_block_of_200_000_fields_is_checked_for_duplicate_fields_in_linear_time() {
    // 100,000 実績 then 100,000 目標: each 目標 searched the 実績 before it.
    let mut text = String::from("指標 y {\n");
    text.push_str(&"  実績: 5人\n".repeat(100_000));
    text.push_str(&"  目標: 5人\n".repeat(100_000));
    text.push_str("}\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fields.plan");
    fs::write(&path, &text).unwrap();
    let output = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let duplicates: Vec<_> = report["diagnostics"].as_array().unwrap().iter().filter(|d| d["rule"] == "duplicate-field").collect();
    assert_eq!(duplicates.len(), 2 * 99_999);
    assert_eq!(duplicates.last().unwrap()["related"][0]["range"]["start"]["line"], 100_002, "the first 目標");
}

// --- issue 14, files on disk, round 2 ---

/// Sets an extended attribute; false (with a note) where the file system
/// has none (the test is then skipped).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // libc's xattr calls
fn set_xattr(path: &std::path::Path, name: &str, value: &[u8]) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (p, n) = (std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap(), std::ffi::CString::new(name).unwrap());
    // SAFETY: NUL-terminated strings, a buffer valid for its length.
    if unsafe { libc::setxattr(p.as_ptr(), n.as_ptr(), value.as_ptr().cast(), value.len(), 0) } == 0 {
        return true;
    }
    let e = std::io::Error::last_os_error();
    assert!(matches!(e.raw_os_error(), Some(libc::ENOTSUP) | Some(libc::EPERM) | Some(libc::EACCES)), "setxattr {name}: {e}");
    eprintln!("note: skipped: cannot set {name} on {} ({e})", path.display());
    false
}

/// The extended attributes of a file, names and values, sorted.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // libc's xattr calls
fn xattrs(path: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    use std::os::unix::ffi::OsStrExt;
    let p = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    let mut list = vec![0u8; 65536];
    // SAFETY: as above.
    let len = unsafe { libc::listxattr(p.as_ptr(), list.as_mut_ptr().cast(), list.len()) };
    assert!(len >= 0, "{}", std::io::Error::last_os_error());
    let mut out: Vec<(String, Vec<u8>)> = list[..len as usize]
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(|name| {
            let n = std::ffi::CString::new(name).unwrap();
            let mut value = vec![0u8; 65536];
            // SAFETY: as above.
            let got = unsafe { libc::getxattr(p.as_ptr(), n.as_ptr(), value.as_mut_ptr().cast(), value.len()) };
            assert!(got >= 0);
            value.truncate(got as usize);
            (String::from_utf8_lossy(name).into_owned(), value)
        })
        .collect();
    out.sort();
    out
}

/// A POSIX ACL (the kernel's xattr form): owner rw, user 1500 rw, group r,
/// mask rw, other r.
#[cfg(target_os = "linux")]
fn acl() -> Vec<u8> {
    let entry = |tag: u16, perm: u16, id: u32| [tag.to_le_bytes().as_slice(), &perm.to_le_bytes(), &id.to_le_bytes()].concat();
    [2u32.to_le_bytes().to_vec(), entry(1, 6, u32::MAX), entry(2, 6, 1500), entry(4, 4, u32::MAX), entry(0x10, 6, u32::MAX), entry(0x20, 4, u32::MAX)].concat()
}

#[cfg(target_os = "linux")]
#[test]
#[allow(unsafe_code)] // libc's xattr calls
fn fmt_and_fix_keep_a_files_acl_and_user_xattrs() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("acl.plan");
    fs::write(&plan, UNFORMATTED).unwrap();
    if !set_xattr(&plan, "user.plancheck-note", b"kept") {
        return;
    }
    let with_acl = set_xattr(&plan, "system.posix_acl_access", &acl());
    let before = xattrs(&plan);
    assert!(before.len() == 1 + usize::from(with_acl), "{before:?}");
    plancheck().args(["fmt", "--lang", "en"]).arg(&plan).assert().success().stderr(predicate::str::contains("1 files reformatted"));
    assert_eq!(fs::read_to_string(&plan).unwrap(), GOOD);
    assert_eq!(xattrs(&plan), before, "the ACL and the user attribute are kept");
    fs::write(&plan, FIXABLE).unwrap();
    plancheck().args(["check", "--fix", "--lang", "en"]).arg(&plan).assert().success();
    assert!(fs::read_to_string(&plan).unwrap().contains("定量評価: D"));
    assert_eq!(xattrs(&plan), before, "--fix keeps them too");
    assert!(temporary_files_in(dir.path()).is_empty());
    // A file without an ACL in a folder whose default ACL a new file
    // inherits: the written file has no ACL either (nothing widened).
    if with_acl && set_xattr(dir.path(), "system.posix_acl_default", &acl()) {
        let bare = dir.path().join("bare.plan");
        fs::write(&bare, UNFORMATTED).unwrap();
        // The file created above inherited the ACL: take it off.
        let p = std::ffi::CString::new(bare.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path and name.
        unsafe { libc::removexattr(p.as_ptr(), c"system.posix_acl_access".as_ptr()) };
        let before = xattrs(&bare);
        plancheck().args(["fmt", "--lang", "en"]).arg(&bare).assert().success();
        assert_eq!(fs::read_to_string(&bare).unwrap(), GOOD);
        assert_eq!(xattrs(&bare), before, "no ACL inherited by the temporary file stays");
    }
}

/// The probes' base.plan: two fixes (the indicator's grade, the summary).
const BASE: &str = "施策 1-1-1 テスト施策 {\n  指標 参加者数 {\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }\n  定量評価: 中\n  代表課: 健康づくり課\n}\n";

#[cfg(unix)]
#[test]
fn fix_goes_on_past_a_file_it_cannot_read_and_counts_only_the_fixes_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.plan"), b"\xff bad\n").unwrap();
    fs::write(root.join("c.plan"), BASE).unwrap();
    let output = plancheck().args(["check", "--fix", "--lang", "en"]).arg(root).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("a.plan: 1:1: not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("fixed 2 findings") && stderr.contains("1 files not read (see above)"), "{stderr}");
    let fixed = fs::read_to_string(root.join("c.plan")).unwrap();
    assert!(fixed.contains("定量評価: D") && fixed.contains("定量評価: 低"), "the file after the unreadable one is fixed: {fixed}");
    // Named, though not readable, it is still an input: no baseline onto it.
    plancheck()
        .args(["check", "--fix", "--lang", "en", "--force", "--write-baseline"])
        .arg(root.join("a.plan"))
        .arg(root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is one of the files read"));
    assert_eq!(fs::read(root.join("a.plan")).unwrap(), b"\xff bad\n");
    // A read-only file: its fixes are not counted as made.
    fs::remove_file(root.join("a.plan")).unwrap();
    fs::write(root.join("c.plan"), BASE).unwrap();
    fs::write(root.join("d.plan"), BASE.replace("1-1-1", "1-1-2")).unwrap();
    fs::set_permissions(root.join("d.plan"), fs::Permissions::from_mode(0o444)).unwrap();
    let output = plancheck().args(["check", "--fix", "--lang", "en"]).arg(root).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("d.plan: is read-only; not written"), "{stderr}");
    assert!(stderr.contains("fixed 2 findings; 2 fixes in 1 files were not written (see above)"), "{stderr}");
    assert_eq!(fs::read_to_string(root.join("d.plan")).unwrap(), BASE.replace("1-1-1", "1-1-2"));
    // In Japanese, the same.
    fs::write(root.join("c.plan"), BASE).unwrap();
    let output = plancheck().args(["check", "--fix"]).arg(root).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("d.plan: 読み取り専用のため書き込みません") && stderr.contains("2 件を修正しました。書き込めなかった 1 ファイルの修正 2 件は書き込んでいません"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn outputs_never_replace_the_plancheck_toml_used_nor_one_by_its_name_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.plan"), BASE).unwrap();
    let settings = "[rules]\nrating-mismatch = \"off\"\n";
    fs::write(root.join("plancheck.toml"), settings).unwrap();
    let used = predicate::str::contains("is one of the files read");
    // The one used, under any spelling, even with --force.
    for out in ["plancheck.toml", "./plancheck.toml"] {
        for force in [false, true] {
            let runs: [&[&str]; 4] = [&["report", "a.plan"], &["export", "--to", "json", "a.plan"], &["export", "--to", "csv", "a.plan"], &["report", "."]];
            for run in runs {
                let mut c = plancheck();
                c.current_dir(root).args(run).args(["--lang", "en", "-o", out]);
                if force {
                    c.arg("--force");
                }
                c.assert().code(2).stderr(used.clone());
            }
            let mut c = plancheck();
            c.current_dir(root).args(["check", "--lang", "en", "a.plan", "--write-baseline", out]);
            if force {
                c.arg("--force");
            }
            c.assert().code(2).stderr(used.clone());
        }
    }
    assert_eq!(fs::read_to_string(root.join("plancheck.toml")).unwrap(), settings);
    // One not used (in another folder), or not there yet: only with --force.
    fs::create_dir(root.join("other")).unwrap();
    fs::write(root.join("other/plancheck.toml"), settings).unwrap();
    let by_name = predicate::str::contains("an output named plancheck.toml would be the settings of every plan in its folder and below; not written without --force");
    for out in ["other/plancheck.toml", "other/PlanCheck.TOML", "new/plancheck.toml"] {
        fs::create_dir_all(root.join("new")).unwrap();
        plancheck().current_dir(root).args(["report", "a.plan", "--lang", "en", "-o", out]).assert().code(2).stderr(by_name.clone());
        plancheck().current_dir(root).args(["export", "a.plan", "--lang", "en", "-o", out]).assert().code(2).stderr(by_name.clone());
        plancheck().current_dir(root).args(["check", "a.plan", "--lang", "en", "--write-baseline", out]).assert().code(2).stderr(by_name.clone());
    }
    fs::write(root.join("t.csv"), "施策番号,施策名\n1-1-1,x\n").unwrap();
    plancheck().current_dir(root).args(["import", "t.csv", "--lang", "en", "-o", "other/plancheck.toml"]).assert().code(2).stderr(by_name.clone());
    assert_eq!(fs::read_to_string(root.join("other/plancheck.toml")).unwrap(), settings);
    assert!(!root.join("new/plancheck.toml").exists());
    plancheck().current_dir(root).args(["report", "a.plan", "-o", "other/plancheck.toml", "--force"]).assert().success();
    assert!(fs::read_to_string(root.join("other/plancheck.toml")).unwrap().starts_with("<!DOCTYPE html>"));
    // In Japanese under the default language, with no English gloss.
    plancheck()
        .current_dir(root)
        .args(["report", "a.plan", "-o", "new/plancheck.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force なしでは書き出しません").and(predicate::str::contains("not written").not()));
}

#[cfg(unix)]
#[test]
fn an_output_through_a_symlink_is_judged_by_the_file_it_would_replace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.plan"), BASE).unwrap();
    fs::write(root.join("other.plan"), BASE).unwrap();
    fs::write(root.join("plancheck.toml"), "[rules]\n").unwrap();
    std::os::unix::fs::symlink("other.plan", root.join("so.html")).unwrap();
    std::os::unix::fs::symlink("so.html", root.join("chain.csv")).unwrap();
    std::os::unix::fs::symlink("a.plan", root.join("in.html")).unwrap();
    std::os::unix::fs::symlink("plancheck.toml", root.join("cfg.json")).unwrap();
    fs::create_dir(root.join("sub")).unwrap();
    std::os::unix::fs::symlink("../other.plan", root.join("sub/up.html")).unwrap();
    let existing_plan = || predicate::str::contains("is an existing .plan file; not replaced without --force").and(predicate::str::contains("(a link to "));
    for out in ["so.html", "chain.csv", "sub/up.html"] {
        plancheck().current_dir(root).args(["report", "a.plan", "--lang", "en", "-o", out]).assert().code(2).stderr(existing_plan());
        plancheck().current_dir(root).args(["export", "--to", "csv", "a.plan", "--lang", "en", "-o", out]).assert().code(2).stderr(existing_plan());
        plancheck().current_dir(root).args(["check", "a.plan", "--lang", "en", "--write-baseline", out]).assert().code(2).stderr(existing_plan());
    }
    assert_eq!(fs::read_to_string(root.join("other.plan")).unwrap(), BASE, "the plan behind the links is untouched");
    // A link to an input, or to the settings used: never, even with --force.
    for out in ["in.html", "cfg.json"] {
        plancheck().current_dir(root).args(["report", "a.plan", "--lang", "en", "--force", "-o", out]).assert().code(2).stderr(predicate::str::contains("is one of the files read"));
    }
    assert_eq!(fs::read_to_string(root.join("a.plan")).unwrap(), BASE);
    assert_eq!(fs::read_to_string(root.join("plancheck.toml")).unwrap(), "[rules]\n");
    // A hard link to a plan not read: another name of the file it would
    // rewrite, so only with --force.
    fs::hard_link(root.join("other.plan"), root.join("hard.html")).unwrap();
    plancheck()
        .current_dir(root)
        .args(["report", "a.plan", "--lang", "en", "-o", "hard.html"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("hard.html: is an existing file with other names (hard links), which would change too; not replaced without --force"));
    plancheck().current_dir(root).args(["check", "a.plan", "--write-baseline", "hard.html"]).assert().code(2).stderr(predicate::str::contains("--force なしでは置き換えません"));
    assert_eq!(fs::read_to_string(root.join("other.plan")).unwrap(), BASE);
    // A link to a baseline is replaced as the baseline is (the link kept).
    plancheck().current_dir(root).args(["check", "a.plan", "--write-baseline", "base.json"]).assert().success();
    std::os::unix::fs::symlink("base.json", root.join("b.json")).unwrap();
    plancheck().current_dir(root).args(["check", "a.plan", "--write-baseline", "b.json"]).assert().success();
    assert!(fs::symlink_metadata(root.join("b.json")).unwrap().file_type().is_symlink());
}

#[cfg(unix)]
#[test]
fn init_force_never_writes_onto_a_plan_through_a_link_or_a_hard_link() {
    let dir = tempfile::tempdir().unwrap();
    for (name, link) in [("soft", true), ("hard", false)] {
        let folder = dir.path().join(name);
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("a.plan"), BASE).unwrap();
        if link {
            std::os::unix::fs::symlink("a.plan", folder.join("plancheck.toml")).unwrap();
        } else {
            fs::hard_link(folder.join("a.plan"), folder.join("plancheck.toml")).unwrap();
        }
        plancheck().args(["init", "--force", "--lang", "en"]).arg(&folder).assert().code(2).stderr(predicate::str::contains("is one of the files read"));
        plancheck().args(["init", "--force"]).arg(&folder).assert().code(2).stderr(predicate::str::contains("読み込んだファイル"));
        assert_eq!(fs::read_to_string(folder.join("a.plan")).unwrap(), BASE, "{name}: the plan is untouched");
    }
    // A link to a plan that init does not read (a hidden folder): not either.
    let folder = dir.path().join("hidden");
    fs::create_dir_all(folder.join(".old")).unwrap();
    fs::write(folder.join(".old/x.plan"), BASE).unwrap();
    fs::write(folder.join("a.plan"), BASE).unwrap();
    std::os::unix::fs::symlink(".old/x.plan", folder.join("plancheck.toml")).unwrap();
    plancheck().args(["init", "--force", "--lang", "en"]).arg(&folder).assert().code(2).stderr(predicate::str::contains("is a .plan file; plancheck init writes only settings"));
    assert_eq!(fs::read_to_string(folder.join(".old/x.plan")).unwrap(), BASE);
    // A plain plancheck.toml is still replaced with --force.
    let folder = dir.path().join("plain");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("a.plan"), BASE).unwrap();
    fs::write(folder.join("plancheck.toml"), "[rules]\n").unwrap();
    plancheck().args(["init", "--force", "--lang", "en"]).arg(&folder).assert().success().stdout(predicate::str::contains("written, 1 departments from 1 .plan files"));
    assert!(fs::read_to_string(folder.join("plancheck.toml")).unwrap().contains("健康づくり課"));
}

#[cfg(unix)]
#[test]
fn write_errors_are_said_once_in_the_language_asked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.plan"), BASE).unwrap();
    mkfifo(&root.join("fifo.html"));
    let output = plancheck().current_dir(root).args(["report", "a.plan", "--lang", "en", "-o", "fifo.html"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stderr.trim_end(), "plancheck: error: fifo.html: is a FIFO (named pipe), not a regular file; not written (plancheck writes only regular files)");
    let output = plancheck().current_dir(root).args(["export", "a.plan", "-o", "fifo.html"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("fifo.html: FIFO (名前付きパイプ) で、通常のファイルではありません") && !stderr.contains("not written"), "{stderr}");
    assert_eq!(stderr.matches("書き込").count(), 2, "said once: {stderr}");
    // A missing folder: one "cannot write", no Japanese gloss in English.
    let output = plancheck().current_dir(root).args(["check", "a.plan", "--lang", "en", "--write-baseline", "no/such/b.json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.matches("cannot write").count(), 1, "{stderr}");
    assert!(!stderr.chars().any(|c| ('\u{3040}'..='\u{9fff}').contains(&c)), "{stderr}");
}

// --- issue 14, formatter, import and report, round 2 ---

/// `旧目標` and `新目標` in an indicator without `目標`: `--unsafe-fixes`
/// renames neither (both to `目標` would be a duplicate-field), and each
/// finding says why, without a fix.
#[test]
fn two_guesses_into_one_field_are_neither_applied() {
    let text =
        "施策 1-1-1 テスト施策 {\n  指標 参加者数 {\n    実績: 5,900人\n    旧目標: 10,650人\n    新目標: 9,000人\n    定量評価: C\n  }\n  全体評価: C\n  定量評価: 低\n  代表課: 健康づくり課\n}\n";
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.plan"), text).unwrap();
    plancheck().current_dir(dir.path()).args(["check", "--fix", "--unsafe-fixes", "a.plan"]).assert().code(1);
    assert_eq!(fs::read_to_string(dir.path().join("a.plan")).unwrap(), text);
    let json = plancheck().current_dir(dir.path()).args(["check", "--format", "json", "--lang", "en", "a.plan"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let diagnostics = report["diagnostics"].as_array().unwrap();
    let unknown: Vec<&serde_json::Value> = diagnostics.iter().filter(|d| d["rule"] == "unknown-field").collect();
    assert_eq!(unknown.len(), 2, "{report}");
    assert!(unknown.iter().all(|d| d.get("fix").is_none() && d["message"].as_str().unwrap().contains("so neither is renamed")), "{unknown:?}");
    assert!(diagnostics.iter().all(|d| d["rule"] != "duplicate-field"));
}

/// U+FEFF on a last line without a newline (alone or after spaces) is
/// formatted, not refused; spaces before a U+FEFF at a text line's end are
/// prose and stay; a text line of only U+FEFF is exported with it and
/// comes back from CSV the same.
#[test]
fn fmt_and_export_keep_a_zero_width_no_break_space_at_a_line_or_file_end() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, expected) in [
        ("end.plan", "施策 1-1-1 x {\n  代表課: 課\n}\n\u{feff}", "施策 1-1-1 x {\n  代表課: 課\n}\n\u{feff}\n"),
        ("spaces.plan", "施策 1-1-1 x {\n  代表課: 課\n}\n  \u{feff}", "施策 1-1-1 x {\n  代表課: 課\n}\n\u{feff}\n"),
        ("prose.plan", "施策 1-1-1 x {\n  展開 e {\n    成果:\n      | テキスト \u{feff}\n  }\n}\n", "施策 1-1-1 x {\n  展開 e {\n    成果:\n      | テキスト \u{feff}\n  }\n}\n"),
    ] {
        fs::write(dir.path().join(name), text).unwrap();
        let out = plancheck().current_dir(dir.path()).args(["fmt", "--lang", "en", name]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(fs::read_to_string(dir.path().join(name)).unwrap(), expected, "{name}");
    }
    let only = "施策 1-1-1 x {\n  全体評価: B\n  展開 e {\n    成果:\n      | \u{feff}\n    定性評価: 高\n  }\n  代表課: 課\n}\n";
    fs::write(dir.path().join("only.plan"), only).unwrap();
    let json = plancheck().current_dir(dir.path()).args(["export", "--to", "json", "only.plan"]).output().unwrap();
    let export: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(export["basic_policies"][0]["policies"][0]["measures"][0]["developments"][0]["results"], serde_json::json!(["\u{feff}"]));
    plancheck().current_dir(dir.path()).args(["export", "--to", "csv", "-o", "only.csv", "only.plan"]).assert().success();
    plancheck().current_dir(dir.path()).args(["import", "only.csv", "-o", "back.plan"]).assert().success();
    let json = plancheck().current_dir(dir.path()).args(["export", "--to", "json", "back.plan"]).output().unwrap();
    let back: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(back["basic_policies"][0]["policies"][0]["measures"][0]["developments"][0]["results"], serde_json::json!(["\u{feff}"]));
}

/// The workbook of `workbook`, with one inline-string cell of `bytes`
/// letters put into its sheet's XML at L3 (what no spreadsheet writes: a
/// few kilobytes of zip for megabytes of cell).
fn workbook_with_a_long_cell(path: &std::path::Path, bytes: usize) {
    workbook_with_cells(path, &format!("<row r=\"3\"><c r=\"L3\" t=\"inlineStr\"><is><t>{}</t></is></c></row>", "a".repeat(bytes)));
}

/// The workbook of `workbook`, with `rows` (the XML of `<row>`s after the
/// second) put into its sheet's XML as they stand, saved as Excel saves a
/// workbook: calculated (no `fullCalcOnLoad`, which rust_xlsxwriter writes).
fn workbook_with_cells(path: &std::path::Path, rows: &str) {
    use std::io::{Read, Write};
    let plain = path.with_extension("plain.xlsx");
    workbook(&plain, |_| {});
    let mut archive = zip::ZipArchive::new(fs::File::open(&plain).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut text = Vec::new();
        entry.read_to_end(&mut text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(text).unwrap();
            text = xml.replacen("</sheetData>", &format!("{rows}</sheetData>"), 1).into_bytes();
        } else if name == "xl/workbook.xml" {
            text = String::from_utf8(text).unwrap().replace(" fullCalcOnLoad=\"1\"", "").into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&text).unwrap();
    }
    out.finish().unwrap();
}

/// A 2 MiB cell in a 10 KB workbook is refused, naming the sheet and the
/// cell (Excel holds 32,767 characters a cell; plancheck's export puts
/// longer texts in `続き` in pieces); under a larger limit it imports whole
/// (each step linear in the cell: it is normalised and sorted nowhere),
/// and the text of all cells is bounded by what a plan may hold.
#[test]
fn a_workbook_cell_of_megabytes_is_refused_naming_it_and_a_long_cell_costs_linear_work() {
    use plancheck::import::grid::{WorkbookLimits, read_grid_with};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.xlsx");
    workbook_with_a_long_cell(&path, 2 << 20);
    assert!(fs::metadata(&path).unwrap().len() < 64 * 1024);
    plancheck()
        .args(["import", "--lang", "en"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("worksheet `Sheet1`: cell L3 holds 2 MiB of text; plancheck imports cells up to 1 MiB").and(predicate::str::contains("32,767")));
    let larger = WorkbookLimits { cell_bytes: 4 << 20, ..Default::default() };
    let grid = read_grid_with(&path, &larger).unwrap();
    assert_eq!(grid.rows[2][11].len(), 2 << 20);
    let imported = plancheck::import::import(&grid, "long.xlsx").unwrap();
    assert!(imported.text.contains(&"a".repeat(2 << 20)), "the cell is kept whole");
    let total = WorkbookLimits { cell_bytes: 4 << 20, text_bytes: 1 << 20, ..Default::default() };
    let error = read_grid_with(&path, &total).unwrap_err();
    assert!(error.0.contains("worksheet `Sheet1`: its cells hold more text than a plan may (at cell L3: more than 1 MiB in all)"), "{error}");
}

/// A formula whose computed value is an empty string is a computed value
/// (the cell is empty, no warning); an error value is the text the sheet
/// shows (`#DIV/0!`), not a debug name.
#[test]
fn a_cached_empty_string_is_a_value_and_an_error_imports_as_the_sheet_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("values.xlsx");
    workbook_with_cells(
        &path,
        r#"<row r="3"><c r="J3" t="str"><f>""</f><v></v></c><c r="K3" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="L3" t="e"><v>#N/A</v></c><c r="M3" t="e"><f>A1+"x"</f><v>#VALUE!</v></c></row>"#,
    );
    let grid = plancheck::import::read_grid(&path).unwrap();
    assert!(grid.warnings.is_empty(), "{:?}", grid.warnings);
    assert_eq!(grid.rows[2].get(9).map_or("", String::as_str), "", "the empty string is the cell's value");
    assert_eq!(&grid.rows[2][10..13], ["#DIV/0!", "#N/A", "#VALUE!"]);
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!stderr.contains("formula") && !stdout.contains("=\"\""), "{stderr}\n{stdout}");
    assert!(stdout.contains("#DIV/0!") && stdout.contains("#N/A") && stdout.contains("#VALUE!") && !stdout.contains("Div0"), "{stdout}");
}

/// `import --lang en` gives English warnings and summary, `--lang ja`
/// (the default) Japanese ones, each in one language only.
#[test]
fn import_speaks_the_language_it_is_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    workbook(&path, |sheet| {
        sheet.set_formula_result_default("");
        sheet.write_formula(1, 5, "=SUM(J2:J3)").unwrap();
        sheet.write_string(1, 20, "遠い列").unwrap();
    });
    let en = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let en = String::from_utf8_lossy(&en.stderr).to_string();
    assert!(en.contains("Sheet1!F2: this formula has no computed value") && en.contains("kept as 備考") && en.contains("1 施策, 1 指標, 0 展開;"), "{en}");
    assert!(!en.contains("数式") && !en.contains("として残し") && !en.contains("決められない"), "{en}");
    let ja = plancheck().arg("import").arg(&path).output().unwrap();
    let ja = String::from_utf8_lossy(&ja.stderr).to_string();
    assert!(ja.contains("Sheet1!F2: この数式には計算された値がありません") && ja.contains("備考 として残しました") && ja.contains("1 施策、1 指標、0 展開。"), "{ja}");
    assert!(!ja.contains("formula") && !ja.contains("kept as") && !ja.contains("row 2"), "{ja}");
    // Errors too.
    let spread = dir.path().join("spread.xlsx");
    workbook(&spread, |sheet| {
        for r in 2..400 {
            sheet.write_string(r, 16_383, "x").unwrap();
        }
    });
    plancheck().arg("import").arg(&spread).assert().code(2).stderr(predicate::str::contains("シート `Sheet1`: セルが広がりすぎていて取り込めません (セル XFD"));
}

/// An escape sequence pasted into a plan (a symbol, a title) never reaches
/// the terminal: the snippet masks it, the message names it.
#[test]
fn control_characters_in_a_plan_do_not_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.plan"), "施策 1-1-1 a\u{1b}]0;owned\u{7} {\n  全体評価: A\u{1b}[2J\n  代表課: 課\n}\n").unwrap();
    let output = plancheck().arg("check").arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains('\u{1b}') && !stdout.contains('\u{7}'), "{stdout:?}");
    assert!(stdout.contains("A<U+001B>[2J"), "{stdout}");
    assert!(stdout.contains("A?[2J"), "the snippet masks it byte for byte: {stdout}");
}
