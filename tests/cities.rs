//! Two invented cities' workbooks (`tests/common/cities.rs` makes them):
//! imported completely, checked with exactly their planted mistakes found
//! (each at its sheet and cell) and no other finding, the plan read kept as
//! a snapshot.

#[path = "common/cities.rs"]
mod cities;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn plancheck() -> Command {
    let mut command = Command::cargo_bin("plancheck").unwrap();
    command.timeout(Duration::from_secs(120));
    command
}

/// The workbooks in a temporary folder (and in `PLANCHECK_CITIES_OUT` when set).
fn made(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let (midori, aoba, aoba_csv) = (dir.join("midori.xlsx"), dir.join("aoba.xlsx"), dir.join("aoba.csv"));
    cities::midori_workbook(&midori);
    cities::aoba_workbook(&aoba);
    cities::aoba_csv(&aoba_csv);
    if let Some(out) = std::env::var_os("PLANCHECK_CITIES_OUT") {
        std::fs::create_dir_all(&out).unwrap();
        for file in [&midori, &aoba, &aoba_csv] {
            std::fs::copy(file, Path::new(&out).join(file.file_name().unwrap())).unwrap();
        }
    }
    (midori, aoba, aoba_csv)
}

/// (rule, cell) of each finding of `plancheck check FILE --format json`.
fn findings(file: &Path) -> Vec<(String, String)> {
    let out = plancheck().args(["check", "--format", "json"]).arg(file).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    report["diagnostics"].as_array().unwrap().iter().map(|d| (d["rule"].as_str().unwrap().to_string(), d["cell"].as_str().unwrap_or("-").to_string())).collect()
}

fn imported(file: &Path) -> (String, String) {
    let out = plancheck().args(["import", "--lang", "en"]).arg(file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

#[test]
fn midori_imports_completely_and_checks_with_its_four_planted_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let (midori, _, _) = made(dir.path());
    let (plan, stderr) = imported(&midori);
    // 7 施策, 16 指標, 14 展開 over three sheets; what is kept as 備考 is the
    // cover (in the 計画's 備考, with the titles and legend above each table).
    assert!(stderr.contains("7 施策, 16 指標, 14 展開"), "{stderr}");
    assert!(stderr.contains("column N of sheet `基本政策1` is hidden") || stderr.contains("hidden"), "{stderr}");
    assert!(stderr.contains("担当者一覧"), "the hidden sheet is named: {stderr}");
    for hidden in ["山田", "内線", "1234"] {
        assert!(!plan.contains(hidden), "hidden cells are never read: {hidden}");
    }
    for line in [
        "実績: 55.4%",
        "目標: 80%",
        "実績: 5,900人",
        "実績: 128.0万人",
        "| シート「表紙」:\n    | みどり市総合計画 後期基本計画",
        "施策 3-1-2 特別支援教育の充実 {",
        "展開 健診の受診勧奨 {",
        "定性評価: 中",
    ] {
        assert!(plan.contains(line), "{line}:\n{plan}");
    }
    insta::assert_snapshot!("midori_plan", plan);
    let mut found = findings(&midori);
    found.sort();
    let expected = [
        // The pasted paragraph, three times: one finding for each copy after the first.
        ("duplicate-text", "基本政策1!J10"),
        ("duplicate-text", "基本政策1!J11"),
        // 3-1-2 under 政策 2-1.
        ("id-hierarchy-mismatch", "基本政策2!C9"),
        ("missing-department", "基本政策1!C9"),
        // 55.4% ÷ 80% = 69.25%: C, stated B.
        ("rating-mismatch", "基本政策1!H6"),
    ];
    assert_eq!(found, expected.map(|(r, c)| (r.to_string(), c.to_string())));
}

#[test]
fn aoba_in_its_own_layout_imports_completely_and_checks_with_its_planted_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let (_, aoba, aoba_csv) = made(dir.path());
    let (plan, stderr) = imported(&aoba);
    assert!(stderr.contains("5 施策, 6 指標, 6 展開"), "{stderr}");
    for line in ["実績年度: R5", "目標年度: R7", "様式にない項目: 全体評価, 定性評価", "基準値: 1,200人 (R元)", "実績: 41.2%", "方向: 減少", "記入要領"] {
        assert!(plan.contains(line), "{line}:\n{plan}");
    }
    insta::assert_snapshot!("aoba_plan", plan);
    let expected = [("ratio-mismatch", "施策評価!I6"), ("missing-department", "施策評価!A8"), ("rating-mismatch", "施策評価!J9")];
    let mut found = findings(&aoba);
    found.sort();
    let mut want: Vec<(String, String)> = expected.iter().map(|(r, c)| (r.to_string(), c.to_string())).collect();
    want.sort();
    assert_eq!(found, want);
    // The same table as the town's system exports it, in Shift_JIS: the same
    // plan (but for the name of the file it came from and the notes sheet)
    // and the same findings, at plain addresses.
    let (from_csv, stderr) = imported(&aoba_csv);
    assert!(stderr.contains("Shift_JIS"), "{stderr}");
    assert!(stderr.contains("5 施策, 6 指標, 6 展開"), "{stderr}");
    let body = |plan: &str| plan.lines().filter(|l| !l.trim_start().starts_with('#')).skip_while(|l| !l.starts_with("基本政策")).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&from_csv), body(&plan));
    let mut found = findings(&aoba_csv);
    found.sort();
    let mut want: Vec<(String, String)> = expected.iter().map(|(r, c)| (r.to_string(), c.split('!').nth(1).unwrap().to_string())).collect();
    want.sort();
    assert_eq!(found, want);
}
