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
        .arg("import")
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
    let out = plancheck().arg("import").arg(&path).output().unwrap();
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
    let out = plancheck().arg("import").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    // Not a quantity the aligner can read: kept as a 備考 of the 施策.
    assert!(stdout.contains("=SUM(J2:J3)"), "{stdout}");
    assert!(stderr.contains("cell F2 has a formula without a computed value") && stderr.contains("`=SUM(J2:J3)`"), "{stderr}");
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
    assert!(html.contains("<html lang=\"en\">") && html.contains("Measure 1-1-1") && !html.contains(">施策 1-1-1"), "{html}");
}

/// A CSV line of millions of commas would be millions of empty cells in
/// memory: refused before it is parsed, naming the line.
#[test]
fn a_csv_of_millions_of_empty_cells_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commas.csv");
    fs::write(&path, format!("基本政策,政策,施策名,全体評価\n{}\n", ",".repeat(5_000_000))).unwrap();
    plancheck().arg("import").arg(&path).assert().code(2).stderr(predicate::str::contains("more than 4194304 cells (at line 2)"));
    let limits = plancheck::import::grid::WorkbookLimits { grid_cells: 2, ..Default::default() };
    let small = dir.path().join("small.tsv");
    fs::write(&small, "a\tb\tc\n").unwrap();
    assert!(plancheck::import::grid::read_grid_with(&small, &limits).unwrap_err().0.contains("at line 1"));
}
