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
