//! The `plancheck` binary end to end: exit codes, every output format, bad input.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::fs;

fn plancheck() -> Command {
    Command::cargo_bin("plancheck").unwrap()
}

const CLEAN: &str = "施策 1-1-2 地域医療体制の充実 {\n  全体評価: B\n  代表課: 健康づくり課\n}\n";
const WARNS: &str = "施策 1-1-2 地域医療体制の充実 {\n  全体評価: B\n}\n";
const ERRS: &str = "施策 1-1-2 地域医療体制の充実 {\n  全体評価: E\n  代表課: 健康づくり課\n}\n";

fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn exit_codes_follow_the_spec() {
    let dir = dir_with(&[("clean.plan", CLEAN), ("warns.plan", WARNS), ("errs.plan", ERRS)]);
    let p = |name: &str| dir.path().join(name);
    plancheck().arg("check").arg(p("clean.plan")).assert().code(0);
    plancheck().arg("check").arg(p("warns.plan")).assert().code(0);
    plancheck().args(["check", "--deny", "warnings"]).arg(p("warns.plan")).assert().code(1);
    plancheck().arg("check").arg(p("errs.plan")).assert().code(1);
    plancheck().args(["check", "--format", "json"]).arg(dir.path()).assert().code(1);
}

#[test]
fn json_output_has_the_spec_shape() {
    let dir = dir_with(&[("plans/kenko.plan", "施策 1-1-1 健康づくり {\n  全体評価: A\n  代表課: 健康づくり課\n  指標 参加者数 {\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }\n}\n")]);
    let out = plancheck().current_dir(dir.path()).args(["check", "--format", "json", "plans"]).assert().code(0).get_output().stdout.clone();
    let json: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["summary"], serde_json::json!({"files": 1, "errors": 0, "warnings": 1, "infos": 0}));
    let d = &json["diagnostics"][0];
    assert_eq!(d["path"], "plans/kenko.plan");
    assert_eq!(d["rule"], "rating-mismatch");
    assert_eq!(d["code"], "PC201");
    assert_eq!(d["severity"], "warning");
    // The range covers the stated value `C`: line 7, character column 11 (1-based).
    assert_eq!(d["range"], serde_json::json!({"start": {"line": 7, "column": 11}, "end": {"line": 7, "column": 12}}));
    assert!(d["message"].as_str().unwrap().contains("55.4%"));
    assert!(d["related"].as_array().unwrap().is_empty());
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    for key in ["path", "rule", "code", "severity", "message", "range", "related"] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
}

#[test]
fn columns_count_characters_not_bytes() {
    // Every character before the value is three bytes in UTF-8.
    let text = "施策 1-1-1 健康 {\n　全体評価：Ｅ\n  代表課: 課\n}\n";
    let dir = dir_with(&[("a.plan", text)]);
    let out = plancheck().args(["check", "--format", "json"]).arg(dir.path().join("a.plan")).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &json["diagnostics"][0];
    assert_eq!(d["rule"], "invalid-value");
    assert_eq!(d["range"]["start"], serde_json::json!({"line": 2, "column": 7}));
    // The human report's header shows the same character column.
    plancheck().args(["check", "--color", "never"]).arg(dir.path().join("a.plan")).assert().code(1).stdout(predicate::str::contains("a.plan:2:7]"));
}

#[test]
fn sarif_output_is_valid_for_code_scanning() {
    let dir = dir_with(&[("計画/健康.plan", WARNS), ("b.plan", ERRS)]);
    let out = plancheck().current_dir(dir.path()).args(["check", "--format", "sarif", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), plancheck::rules::all().count());
    for rule in rules {
        assert!(rule["id"].is_string() && rule["shortDescription"]["text"].is_string() && rule["helpUri"].is_string());
        assert!(["error", "warning", "note"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    let results = run["results"].as_array().unwrap();
    assert!(results.len() >= 2);
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        assert!(result["message"]["text"].is_string());
        let loc = &result["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1, "startLine is always set");
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.is_ascii() && !uri.starts_with('/') && !uri.starts_with("./"), "{uri}");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    }
    let uris: Vec<&str> = results.iter().map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap()).collect();
    assert!(uris.contains(&"%E8%A8%88%E7%94%BB/%E5%81%A5%E5%BA%B7.plan"), "{uris:?}");
}

#[test]
fn sarif_links_rules_to_their_pages_under_the_configured_docs_url() {
    let sarif_of = |dir: &std::path::Path| -> Value { serde_json::from_slice(&plancheck().current_dir(dir).args(["check", "--format", "sarif", "."]).output().unwrap().stdout).unwrap() };
    let help_uris = |sarif: &Value| -> Vec<String> { sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["helpUri"].as_str().unwrap().to_string()).collect() };
    let dir = dir_with(&[("a.plan", WARNS)]);
    let sarif = sarif_of(dir.path());
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["informationUri"], "https://github.com/plancheck/plancheck");
    let expected: Vec<String> = plancheck::rules::all().map(|r| format!("https://github.com/plancheck/plancheck/blob/main/docs/rules/{}.md", r.name)).collect();
    assert_eq!(help_uris(&sarif), expected);
    let dir = dir_with(&[("a.plan", WARNS), ("plancheck.toml", "docs-url = \"https://intra.example.jp/plancheck/rules/\"\n")]);
    let expected: Vec<String> = plancheck::rules::all().map(|r| format!("https://intra.example.jp/plancheck/rules/{}.md", r.name)).collect();
    assert_eq!(help_uris(&sarif_of(dir.path())), expected);
}

#[test]
fn github_format_annotates_and_writes_the_step_summary() {
    let dir = dir_with(&[("a.plan", ERRS), ("b.plan", WARNS)]);
    let summary = dir.path().join("summary.md");
    let out = plancheck().current_dir(dir.path()).env("GITHUB_STEP_SUMMARY", &summary).args(["check", "--format", "github", "a.plan", "b.plan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("::error file=a.plan,line=2,col=9,endLine=2,endColumn=10,title=invalid-value (PC002)::"), "{stdout}");
    assert!(stdout.contains("::warning file=b.plan,line=1,col=1"), "{stdout}");
    let md = fs::read_to_string(&summary).unwrap();
    // In the language chosen (Japanese by default), each rule linked to its page.
    assert!(md.contains("## plancheck の結果"), "{md}");
    assert!(md.contains("| [invalid-value](https://github.com/plancheck/plancheck/blob/main/docs/rules/invalid-value.md) (PC002) | 読めない評価"), "{md}");
    assert!(md.contains("| b.plan:1:1 | 警告 | [missing-department]("), "{md}");
    std::fs::remove_file(&summary).unwrap();
    plancheck().current_dir(dir.path()).env("GITHUB_STEP_SUMMARY", &summary).args(["check", "--format", "github", "--lang", "en", "a.plan", "b.plan"]).output().unwrap();
    let md = fs::read_to_string(&summary).unwrap();
    assert!(md.contains("| b.plan:1:1 | warning | [missing-department]("), "{md}");
    assert!(md.contains("| rule | what it finds | count |"), "{md}");
}

#[test]
fn github_format_notes_the_annotation_cap() {
    let mut text = String::new();
    for i in 1..=12 {
        text.push_str(&format!("施策 1-1-{i} 名前 {{\n  全体評価: B\n}}\n"));
    }
    let dir = dir_with(&[("a.plan", &text)]);
    let out = plancheck().current_dir(dir.path()).args(["check", "--format", "github", "a.plan"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.matches("::warning ").count(), 12);
    assert!(stdout.contains("::notice title=plancheck::12 warning findings"), "{stdout}");
}

#[test]
fn stdin_with_a_filename() {
    plancheck().args(["check", "--format", "json", "--stdin-filename", "plans/x.plan", "-"]).write_stdin(ERRS).assert().code(1).stdout(predicate::str::contains("\"path\": \"plans/x.plan\""));
}

#[test]
fn english_messages() {
    let dir = dir_with(&[("a.plan", WARNS)]);
    plancheck().args(["check", "--lang", "en", "--color", "never"]).arg(dir.path()).assert().code(0).stdout(predicate::str::contains("has no `代表課`"));
}

#[test]
fn config_changes_severity_and_suppression_works() {
    let dir = dir_with(&[("plancheck.toml", "[rules]\nmissing-department = \"error\"\n"), ("sub/a.plan", WARNS)]);
    plancheck().arg("check").arg(dir.path().join("sub/a.plan")).assert().code(1);
    let suppressed = format!("# plancheck: allow(missing-department)\n{WARNS}");
    fs::write(dir.path().join("sub/a.plan"), suppressed).unwrap();
    plancheck().args(["check", "--format", "json"]).arg(dir.path().join("sub/a.plan")).assert().code(0).stdout(predicate::str::contains("\"errors\": 0"));
    fs::write(dir.path().join("plancheck.toml"), "[rules]\nmissing-department = \"off\"\n").unwrap();
    fs::write(dir.path().join("sub/a.plan"), WARNS).unwrap();
    plancheck().args(["check", "--format", "json"]).arg(dir.path()).assert().code(0).stdout(predicate::str::contains("\"warnings\": 0"));
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    let dir = dir_with(&[("empty/readme.txt", "no plans here")]);
    plancheck().arg("check").arg(dir.path().join("missing.plan")).assert().code(2).stderr(predicate::str::contains("missing.plan: no such file or folder"));
    plancheck().arg("check").arg(dir.path().join("empty")).assert().code(2).stderr(predicate::str::contains("no .plan files"));
    fs::write(dir.path().join("sjis.plan"), b"\x8e\x7b\x8d\xf4 1-1-1 {\n}\n").unwrap();
    plancheck().arg("check").arg(dir.path().join("sjis.plan")).assert().code(2).stderr(predicate::str::contains("1:1: not valid UTF-8").and(predicate::str::contains("Shift_JIS")));
    fs::write(dir.path().join("bin.plan"), b"ab\x00cd").unwrap();
    plancheck().arg("check").arg(dir.path().join("bin.plan")).assert().code(2).stderr(predicate::str::contains("NUL"));
    let cfg = dir_with(&[("plancheck.toml", "[rules]\nrating-mismatch = 3\n"), ("a.plan", CLEAN)]);
    plancheck().arg("check").arg(cfg.path()).assert().code(2).stderr(predicate::str::contains("plancheck.toml:2:").and(predicate::str::contains("plancheck: error:")));
    plancheck().args(["check", "--format", "yaml"]).arg(cfg.path()).assert().code(2);
}

#[test]
fn human_output_survives_spans_at_the_end_of_the_file() {
    // An unclosed block and no final newline: errors point at the last line.
    let dir = dir_with(&[("a.plan", "施策 1-1-1 健康 {\n  全体評価: A\n  代表課:")]);
    plancheck().args(["check", "--color", "never"]).arg(dir.path()).assert().code(1).stdout(predicate::str::contains("syntax-error"));
    let dir = dir_with(&[("a.plan", "")]);
    plancheck().args(["check", "--color", "never"]).arg(dir.path()).assert().code(0);
}

#[test]
fn explain_prints_the_rule_docs() {
    plancheck().args(["explain", "rating-mismatch"]).assert().code(0).stdout(predicate::str::contains("# rating-mismatch (PC201)").and(predicate::str::contains("80%")));
    plancheck().args(["explain", "PC201", "--lang", "en"]).assert().code(0).stdout(predicate::str::contains("exactly 80% is B"));
    plancheck().args(["explain", "--list"]).assert().code(0).stdout(predicate::str::contains("near-duplicate-text"));
    plancheck().args(["explain", "rating-mismach"]).assert().code(2).stderr(predicate::str::contains("did you mean `rating-mismatch`"));
    // The code the editor gives a plancheck.toml it cannot read has its page too.
    plancheck().args(["explain", "config-error"]).assert().code(0).stdout(predicate::str::contains("# config-error: plancheck.toml を読めない").and(predicate::str::contains("既定の設定")));
    plancheck().args(["explain", "config-error", "--lang", "en"]).assert().code(0).stdout(predicate::str::contains("checks with the defaults"));
    // The page is the linter's, for every rule and language.
    for rule in plancheck::rules::all() {
        for (lang, name) in [(plancheck::diagnostics::Lang::Ja, "ja"), (plancheck::diagnostics::Lang::En, "en")] {
            plancheck().args(["explain", rule.code, "--lang", name]).assert().code(0).stdout(plancheck::explain::page(rule, lang));
        }
    }
}

#[test]
fn overlapping_paths_check_each_file_once() {
    let dir = dir_with(&[("sub/a.plan", CLEAN)]);
    let out = plancheck().current_dir(dir.path()).args(["check", "--format", "json", ".", "sub", "sub/a.plan", "./sub/a.plan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 1);
}

#[test]
fn config_is_found_from_the_files_real_folder() {
    // `../t1/a.plan` from t2 must use t1's (absent) config, not t2's.
    let dir = dir_with(&[("t1/a.plan", CLEAN), ("t2/plancheck.toml", "departments = [\"財政課\"]\n")]);
    plancheck().current_dir(dir.path().join("t2")).args(["check", "--format", "json", "../t1/a.plan"]).assert().code(0).stdout(predicate::str::contains("\"warnings\": 0"));
    plancheck()
        .current_dir(dir.path().join("t2"))
        .args(["check", "--format", "json", "--stdin-filename", "x.plan", "-"])
        .write_stdin(CLEAN)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("unknown-department"));
}

#[test]
fn an_unwritable_step_summary_still_annotates() {
    let dir = dir_with(&[("a.plan", ERRS)]);
    let out = plancheck().current_dir(dir.path()).env("GITHUB_STEP_SUMMARY", dir.path().join("no/such/dir/summary.md")).args(["check", "--format", "github", "a.plan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("::error file=a.plan"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("GITHUB_STEP_SUMMARY"));
}

#[test]
fn stdin_filename_without_stdin_is_a_usage_error() {
    let dir = dir_with(&[("a.plan", CLEAN)]);
    plancheck().current_dir(dir.path()).args(["check", "--stdin-filename", "x.plan", "a.plan"]).assert().code(2).stderr(predicate::str::contains("add `-`"));
}

#[test]
fn zero_targets_are_explained_not_divided() {
    let text = "施策 1-1-1 a {\n  全体評価: A\n  代表課: 課\n  指標 b {\n    実績: 5人\n    目標: 0人\n    定量評価: C\n  }\n}\n";
    let dir = dir_with(&[("a.plan", text)]);
    plancheck().args(["check", "--format", "json"]).arg(dir.path()).assert().code(0).stdout(predicate::str::contains("目標 0人 が 0 なので").and(predicate::str::contains("÷").not()));
}

#[test]
fn fix_applies_the_safe_fixes_and_reports_what_remains() {
    let text = "\u{feff}施策 1-1-1 a {\n  全体評価: a\n  指標 b {\n    実績: 50\n    目標: 100\n    定量評価: A\n  }\n  定量評価: 高\n}\n";
    let dir = dir_with(&[("a.plan", text)]);
    let out = plancheck().current_dir(dir.path()).args(["check", "--fix", "--format", "json", "a.plan"]).output().unwrap();
    let fixed = fs::read_to_string(dir.path().join("a.plan")).unwrap();
    assert!(fixed.starts_with('\u{feff}'), "the BOM is kept");
    assert!(fixed.contains("全体評価: A") && fixed.contains("定量評価: D") && fixed.contains("定量評価: 低"), "{fixed}");
    // What has no fix remains: the missing department.
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = json["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["missing-department"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 件を修正しました"));
}

/// Adopting plancheck on the real example: `init`, a baseline of today's
/// findings, then one wrong grade and one pasted paragraph: exactly those
/// two are reported, in whichever folder the check runs from.
#[test]
fn a_baseline_lets_through_only_the_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/isesaki");
    for entry in fs::read_dir(&examples).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    plancheck().current_dir(dir.path()).arg("init").assert().success().stdout(predicate::str::contains("plancheck.toml"));
    let config = fs::read_to_string(dir.path().join("plancheck.toml")).unwrap();
    assert!(config.contains("\"健康づくり課\","), "departments from the plans");
    plancheck().current_dir(dir.path()).arg("init").assert().code(2).stderr(predicate::str::contains("--force"));
    plancheck().current_dir(dir.path()).args(["check", "--write-baseline", "plancheck-baseline.json"]).assert().success();
    let baseline: Value = serde_json::from_str(&fs::read_to_string(dir.path().join("plancheck-baseline.json")).unwrap()).unwrap();
    let recorded: u64 = baseline["findings"].as_array().unwrap().iter().map(|f| f["count"].as_u64().unwrap()).sum();
    assert!(recorded > 50, "the real sheet has many findings: {recorded}");
    // Nothing new yet, from the folder or from above it.
    let run = |cwd: &std::path::Path, args: &[&str]| -> Value { serde_json::from_slice(&plancheck().current_dir(cwd).args(args).output().unwrap().stdout).unwrap() };
    assert_eq!(run(dir.path(), &["check", "--baseline", "plancheck-baseline.json", "--format", "json"])["diagnostics"], serde_json::json!([]));
    let folder = dir.path().file_name().unwrap().to_str().unwrap().to_string();
    let above = run(dir.path().parent().unwrap(), &["check", &folder, "--baseline", &format!("{folder}/plancheck-baseline.json"), "--format", "json"]);
    assert_eq!(above["diagnostics"], serde_json::json!([]), "paths are relative to the baseline's folder");
    // A wrong grade and a pasted paragraph, with lines added above both.
    let path = dir.path().join("3-anzen.plan");
    let text = fs::read_to_string(&path).unwrap();
    let pasted = "同報系防災無線の撤去により情報伝達手段が一部減少したことにより、それに代わる新たな情報伝達の構築が急がれる。";
    let edited = format!(
        "# 令和5年度の見直し\n\n{}",
        text.replacen("目標: 72件\n        定量評価: A", "目標: 72件\n        定量評価: B", 1).replacen(
            "行政区での自主防災組織は構築されているが、地区防災計画の整備並びに避難行動要支援者への災害時での対応については途上段階にあるため、更なる推進を促す必要がある。",
            pasted,
            1
        )
    );
    assert!(edited.contains("目標: 72件\n        定量評価: B") && edited.matches(pasted).count() == 2, "both edits applied");
    fs::write(&path, edited).unwrap();
    let output = plancheck().current_dir(dir.path()).args(["check", "--baseline", "plancheck-baseline.json", "--format", "json", "--deny", "warnings"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "new warnings fail with --deny warnings");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["rating-mismatch", "duplicate-text"], "{report}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("0 件は解消"), "{}", String::from_utf8_lossy(&output.stderr));
}

/// Two editions of the real sheet: the one changed grade is a stated-grade
/// change (the computed grade stays A), the rewritten 課題 is not reported,
/// and the prose left as it was is.
#[test]
fn diff_shows_what_changed_between_two_editions() {
    let old = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/isesaki/3-anzen.plan");
    let text = fs::read_to_string(&old).unwrap();
    let edited =
        text.replacen("目標: 72件\n        定量評価: A", "目標: 72件\n        定量評価: B", 1).replacen("行政区での自主防災組織は構築されているが", "行政区ごとの自主防災組織は構築されたが", 1);
    let dir = dir_with(&[("3-anzen.plan", &edited)]);
    let output = plancheck().args(["diff", "--format", "json"]).arg(&old).arg(dir.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    let changes: Vec<&Value> = diff["measures"].as_array().unwrap().iter().filter(|m| m["id"] == "3-1-1").flat_map(|m| m["changes"].as_array().unwrap()).collect();
    let kinds: Vec<(String, String, String)> =
        changes.iter().map(|c| (c["kind"].as_str().unwrap().into(), c["place"].as_str().unwrap_or("").into(), c["field"].as_str().unwrap_or("").into())).collect();
    let grade = changes.iter().find(|c| c["kind"] == "stated-grade").expect("the grade change");
    assert_eq!((&grade["place"], &grade["old"], &grade["new"]), (&Value::from("指標 災害時協力協定締結数"), &Value::from("A"), &Value::from("B")));
    assert!(!kinds.iter().any(|(k, p, _)| k == "computed-grade" && p == "指標 災害時協力協定締結数"), "{kinds:?}");
    assert!(!kinds.iter().any(|(_, p, f)| p == "展開 地域防災体制の充実" && f == "課題"), "the rewritten 課題 is not unchanged: {kinds:?}");
    assert!(kinds.iter().any(|(k, p, f)| k == "unchanged-prose" && p == "展開 地域防災体制の充実" && f == "成果"), "{kinds:?}");
    let text = plancheck().arg("diff").arg(&old).arg(dir.path()).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("指標 災害時協力協定締結数: 定量評価 (記載) A → B"), "{text}");
}

#[test]
fn every_output_format_is_a_format_option_and_prints_what_its_emitter_makes() {
    let dir = dir_with(&[("a.plan", "施策 1-1-1 t {\n  指標 a {\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }\n}\n")]);
    let path = dir.path().join("a.plan");
    for format in plancheck::output::OutputFormat::ALL {
        let out = plancheck().args(["check", "--lang", "en", "--color", "never", "--format", format.name()]).arg(&path).env_remove("GITHUB_STEP_SUMMARY").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{} (warnings only): {}", format.name(), String::from_utf8_lossy(&out.stderr));
        let printed = String::from_utf8(out.stdout).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        let analysis = plancheck::analyze(vec![(path.display().to_string(), text)], &mut plancheck::config::ConfigResolver::default(), plancheck::diagnostics::Lang::En).unwrap();
        let expected = format.render(&analysis, &plancheck::output::EmitOptions { lang: plancheck::diagnostics::Lang::En, color: false });
        assert_eq!(printed, expected, "{}", format.name());
    }
}

/// `[rating] method = "progress"`: each indicator is graded by its progress
/// from its 基準値, the message shows the formula, and an indicator without
/// a 基準値 is reported by missing-field instead of being graded.
#[test]
fn the_progress_method_grades_from_the_baseline_and_asks_for_one() {
    let plan = "施策 1-1-1 a {\n  全体評価: B\n  代表課: 課\n  指標 参加者数 {\n    基準値: 4,200人\n    実績: 6,100人\n    目標: 8,000人\n    定量評価: C\n  }\n  指標 基準値のない指標 {\n    実績: 50人\n    目標: 100人\n    定量評価: D\n  }\n}\n";
    let dir = dir_with(&[("a.plan", plan), ("plancheck.toml", "[rating]\nmethod = \"progress\"\n")]);
    let out = plancheck().args(["check", "--format", "json", "--lang", "ja"]).arg(dir.path()).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = json["diagnostics"].as_array().unwrap().iter().map(|d| (d["rule"].as_str().unwrap().to_string(), d["message"].as_str().unwrap().to_string())).collect();
    let rules: Vec<&str> = found.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(rules, ["rating-mismatch", "missing-field"], "{found:?}");
    assert!(found[0].1.contains("(実績 6,100人 − 基準値 4,200人) ÷ (目標 8,000人 − 基準値 4,200人) = 50%"), "{}", found[0].1);
    assert!(found[0].1.ends_with("なので D です"), "{}", found[0].1);
    assert!(found[1].1.contains("`基準値`"), "{}", found[1].1);
    // The same plan under the default method: 6,100 / 8,000 = 76.3%, C as stated.
    let default = dir_with(&[("a.plan", plan)]);
    let out = plancheck().args(["check", "--format", "json"]).arg(default.path()).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 0, "{json}");
}
