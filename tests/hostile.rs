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
