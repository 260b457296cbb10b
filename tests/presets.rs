//! The published legends (`plancheck init --preset NAME`), each on a fixture
//! built from its published description (`tests/fixtures/presets/NAME/`):
//! every indicator carries the grade worked out by hand from the published
//! rule (`# 手計算: … → X`), which must be the grade plancheck computes
//! under the preset, and the findings are exactly the planted mistakes.
//! The fixture's `plancheck.toml` is what `init --preset` writes.

use plancheck::config::{Config, ConfigResolver};
use plancheck::diagnostics::Lang;
use plancheck::model::{BlockKind, Document};
use plancheck::presets::{self, PRESETS};
use std::path::{Path, PathBuf};

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/presets").join(name)
}

/// The fixture's plan: (path, text).
fn plan_of(name: &str) -> (String, String) {
    let entry = std::fs::read_dir(dir(name)).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "plan")).expect("a .plan in the fixture");
    let text = std::fs::read_to_string(&entry).unwrap();
    (entry.display().to_string(), text)
}

/// Each indicator's title and the grade its `# 手計算:` comment gives.
fn worked_by_hand(doc: &Document) -> Vec<(String, String)> {
    doc.blocks_of(BlockKind::Indicator)
        .map(|(_, block)| {
            let title = block.title.as_ref().unwrap().value.clone();
            let body = &doc.text[block.span.start..block.span.end];
            let line = body.lines().find(|l| l.trim_start().starts_with("# 手計算:")).unwrap_or_else(|| panic!("{title}: no worked grade"));
            let grade = line.split('→').nth(1).unwrap_or_else(|| panic!("{title}: {line}")).split_whitespace().next().unwrap().to_string();
            (title, grade)
        })
        .collect()
}

/// The findings of checking the fixture as the CLI does (its own
/// `plancheck.toml`): (rule, the innermost block's title).
fn findings(name: &str) -> Vec<(String, String)> {
    let (path, text) = plan_of(name);
    let mut resolver = ConfigResolver::new();
    let analysis = plancheck::analyze(vec![(path, text)], &mut resolver, Lang::Ja).unwrap();
    let doc = &analysis.workspace.docs[0];
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let block = doc.blocks.iter().filter(|b| b.span.start <= d.span.start && d.span.end <= b.span.end).max_by_key(|b| b.span.start);
            (d.rule.name.to_string(), block.and_then(|b| b.title.as_ref()).map(|t| t.value.clone()).unwrap_or_default())
        })
        .collect()
}

#[test]
fn each_fixture_s_config_is_what_init_writes_for_its_preset() {
    for preset in PRESETS.iter().skip(1) {
        let path = dir(preset.name).join("plancheck.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let config = Config::from_toml(&path, &text).unwrap();
        assert_eq!(config.rating, preset.scheme(), "{}", preset.name);
        assert_eq!(text, plancheck::init::config_text(&config.departments, Some(preset)), "{}: run `plancheck init --preset {} --force` in it", path.display(), preset.name);
    }
}

#[test]
fn every_grade_worked_out_by_hand_is_the_grade_computed() {
    for preset in PRESETS.iter().skip(1) {
        let scheme = preset.scheme();
        let (path, text) = plan_of(preset.name);
        let doc = Document::parse(path, text);
        let expected = worked_by_hand(&doc);
        assert!(expected.len() >= 5, "{}: at least five indicators", preset.name);
        for ((title, grade), (_, block)) in expected.iter().zip(doc.blocks_of(BlockKind::Indicator)) {
            let computed = plancheck::rating::rate_indicator_block(&scheme, block).and_then(|r| r.grade()).map(|g| g.to_string());
            let judged = scheme.legend.is_ungraded(&plancheck::model::value::Symbol::new(grade)) && grade != "-";
            if judged {
                // A code that is not a grade: a judgement, not computed.
                continue;
            }
            assert_eq!(computed.as_deref(), Some(grade.as_str()), "{} / {title}", preset.name);
        }
    }
}

#[test]
fn the_findings_are_the_planted_mistakes() {
    let expected: &[(&str, &[(&str, &str)])] = &[
        ("nagayo", &[("rating-mismatch", "放課後児童クラブの登録者数"), ("rating-mismatch", "子育て講座の参加者数")]),
        ("motomiya", &[("rating-mismatch", "特定健診の受診率")]),
        ("ibaraki", &[("rating-mismatch", "新規就農者数")]),
        ("osaka-library", &[("rating-mismatch", "貸出冊数")]),
        ("ino", &[("rating-mismatch", "起業の件数")]),
    ];
    assert_eq!(expected.len(), PRESETS.len() - 1, "every preset but the default has its fixture here");
    for (name, planted) in expected {
        let found = findings(name);
        let planted: Vec<(String, String)> = planted.iter().map(|(r, t)| (r.to_string(), t.to_string())).collect();
        assert_eq!(found, planted, "{name}");
    }
}

/// The same fixtures under the spec's legend go wrong in the ways the
/// presets exist to prevent: their symbols are not grades, and a
/// baseline scheme's grades do not follow from actual ÷ target.
#[test]
fn under_the_default_legend_the_fixtures_symbols_are_refused() {
    let (path, text) = plan_of("ino");
    let analysis = plancheck::check_text(&path, &text, Lang::En);
    let refused = analysis.diagnostics.iter().filter(|d| d.rule.name == "invalid-value").count();
    assert!(refused >= 5, "◎ ○ △ × are not A–D: {refused}");
    let message = &analysis.diagnostics.iter().find(|d| d.rule.name == "invalid-value").unwrap().message;
    assert!(message.contains("one of A, B, C, D"), "{message}");
}

/// A 施策 whose stated 定量評価 comes out only when a code that is not a
/// grade is counted as the lowest grade: the finding says so.
#[test]
fn a_code_counted_in_a_mean_is_named() {
    let plan = "施策 1-1-1 x {\n  全体評価: B\n  代表課: 課\n  指標 a {\n    実績: 100\n    目標: 100\n    定量評価: A\n  }\n  指標 b {\n    実績: -\n    目標: 100\n    定量評価: -\n  }\n  定量評価: 低\n}\n";
    let analysis = plancheck::check_text("a.plan", plan, Lang::Ja);
    let finding = analysis.diagnostics.iter().find(|d| d.rule.name == "quantitative-summary-mismatch").expect("the summary is 高");
    assert!(finding.message.contains("評価でない記号 (-) を D (0点) として数えると記載の 低 になります"), "{}", finding.message);
    // Stated as the legend gives it: no finding, no hint.
    let right = plan.replace("定量評価: 低", "定量評価: 高");
    assert!(!plancheck::check_text("a.plan", &right, Lang::Ja).diagnostics.iter().any(|d| d.rule.name == "quantitative-summary-mismatch"));
}

#[test]
fn init_refuses_an_unknown_preset_and_lists_them() {
    assert!(presets::by_name("isesaki").is_some());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_plancheck")).args(["init", "--preset", "tokyo"]).arg(std::env::temp_dir()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for name in presets::names() {
        assert!(stderr.contains(name), "{stderr}");
    }
}

/// A legend written in the 計画 block, as the sheet prints it, applies to
/// every file of the plan (the 計画 block is in one of them), and an edit
/// of it changes the other files' findings; one that cannot be read is
/// named where it is written.
#[test]
fn a_legend_written_in_the_plan_applies_to_every_file() {
    let header =
        "計画 {\n  実績年度: 令和5年度\n  指標の評価: ◎:100%以上、○:90%以上、△\n  評価しない記号: 評価なし\n  定量評価の基準: 判断 高、中、低\n  全体評価の区分: A:達成、B:おおむね達成、C:未達\n}\n";
    let measure = "施策 1-1-1 x {\n  全体評価: B\n  代表課: 課\n  指標 a {\n    実績: 95人\n    目標: 100人\n    定量評価: ◎\n  }\n  指標 b {\n    実績: 5人\n    目標: - (未設定)\n    定量評価: 評価なし\n  }\n  定量評価: 中\n}\n";
    let check = |header: &str| {
        let files = vec![("plan.plan".to_string(), header.to_string()), ("kenko.plan".to_string(), measure.to_string())];
        let analysis = plancheck::analyze(files, &mut ConfigResolver::new(), Lang::En).unwrap();
        analysis.diagnostics.iter().map(|d| (d.file, d.rule.name.to_string(), d.message.clone())).collect::<Vec<_>>()
    };
    let found = check(header);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1.as_str()), (1, "rating-mismatch"));
    assert!(found[0].2.contains("95%") && found[0].2.ends_with("which is ○"), "{}", found[0].2);
    // Without the legend, the symbols are not grades.
    let without = check("計画 {\n  実績年度: 令和5年度\n}\n");
    assert!(without.iter().filter(|f| f.1 == "invalid-value").count() >= 2, "{without:?}");
    // A legend that cannot be read: named in the 計画 block's file.
    let broken = check(&header.replace("○:90%以上", "○:120%以上"));
    let named = broken.iter().find(|f| f.1 == "invalid-value").expect("the legend is refused");
    assert_eq!(named.0, 0);
    assert!(named.2.starts_with("指標の評価:") && named.2.contains("descend"), "{}", named.2);
    // An empty 計算方法 keeps the config's method and silences nothing.
    let empty_method = check(&header.replace("  評価しない記号", "  計算方法:\n  評価しない記号"));
    assert_eq!(empty_method.iter().map(|f| f.1.as_str()).collect::<Vec<_>>(), ["rating-mismatch"], "{empty_method:?}");
    // The language server's cache: the other file's findings follow an
    // edit of the legend, though that file did not change.
    use std::sync::Arc;
    let kenko = Arc::new(Document::parse("kenko.plan", measure));
    let config = Arc::new(plancheck::config::ResolvedConfig::default());
    let configs = vec![config.clone(), config];
    let mut cache = plancheck::rules::FileFindings::default();
    let mut run = |header: &str| {
        let workspace = plancheck::model::Workspace::from_shared(vec![Arc::new(Document::parse("plan.plan", header)), kenko.clone()]);
        plancheck::rules::check_workspace_with(&workspace, &configs, Lang::En, &mut cache).into_iter().filter(|d| d.file == 1).map(|d| d.rule.name).collect::<Vec<_>>()
    };
    assert_eq!(run(header), ["rating-mismatch"]);
    assert_eq!(run(&header.replace("◎:100%以上", "◎:95%以上")), Vec::<&str>::new(), "95% is ◎ now");
}

/// The published sheet prints its legend above the table: imported, it is
/// the plan's legend (the default one, for the seed), and the findings are
/// those of the default legend.
#[test]
fn the_published_sheet_s_printed_legend_is_imported() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed/000_e1a3054432cb96ea.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    let grid = plancheck::import::grid::Grid::from_tsv(&text);
    let imported = plancheck::import::import_in(&grid, "seed", Lang::Ja).unwrap();
    let plan = imported.sheet.plan.as_ref().unwrap();
    assert_eq!(plan.fields.get(plancheck::model::FieldKey::LegendGrades), Some("A:100%以上 3点、B:80%以上 2点、C:60%以上 1点、D:0点"));
    let doc = Document::parse("seed.plan", imported.text.clone());
    let (_, header) = doc.blocks_of(BlockKind::Plan).next().unwrap();
    let read = plancheck::rating::RatingScheme::default().with_plan(Some(header)).unwrap();
    assert_eq!(read.legend.overall.as_ref().map(|s| s.listed("・")).as_deref(), Some("A・B・C・D"), "施策の目標 A–D: its 全体評価");
    let default = plancheck::rating::RatingScheme::default();
    assert_eq!(plancheck::legend::Legend { overall: None, ..read.legend }, default.legend, "otherwise the default legend");
}

/// The methods at their edges: points are a difference in the baseline's
/// unit, an expected value of 0 is explained (never divided), and an
/// indicator the expected method cannot rate asks for its 期待値.
#[test]
fn the_methods_at_their_edges() {
    let grades = |plan: &str| {
        let analysis = plancheck::check_text("a.plan", plan, Lang::En);
        let doc = &analysis.workspace.docs[0];
        let (_, header) = doc.blocks_of(BlockKind::Plan).next().unwrap();
        let scheme = plancheck::rating::RatingScheme::default().with_plan(Some(header)).unwrap();
        let rated: Vec<Option<String>> = doc.blocks_of(BlockKind::Indicator).map(|(_, b)| plancheck::rating::rate_indicator_block(&scheme, b).and_then(|r| r.grade()).map(|g| g.to_string())).collect();
        (rated, analysis.diagnostics.iter().map(|d| (d.rule.name.to_string(), d.message.clone())).collect::<Vec<_>>())
    };
    let points = "計画 {\n  計算方法: baseline-points\n  指標の評価: A:3以上、B:-3以上、C\n}\n施策 1-1-1 x {\n  全体評価: A\n  代表課: 課\n  指標 a {\n    基準値: 10,000人\n    実績: 1.5万人\n    目標: 2万人\n    定量評価: A\n  }\n}\n";
    let (rated, found) = grades(points);
    assert_eq!(rated, [Some("A".to_string())], "15,000 − 10,000 = +5,000人: {found:?}");
    let expected = "計画 {\n  計算方法: expected\n}\n施策 1-1-1 x {\n  全体評価: A\n  代表課: 課\n  指標 a {\n    期待値: 0人\n    実績: 100人\n    目標: 200人\n    定量評価: C\n  }\n  指標 b {\n    基準値: 10人 (R6年)\n    実績: 12人 (R5年)\n    目標: 20人 (R3年)\n    定量評価: A\n  }\n}\n";
    let (rated, found) = grades(expected);
    assert_eq!(rated[0].as_deref(), Some("A"));
    let mismatch = found.iter().find(|(r, _)| r == "rating-mismatch").expect("C is wrong");
    assert!(mismatch.1.contains("expected value 0人 is 0") && !mismatch.1.contains('/'), "explained, not divided: {}", mismatch.1);
    assert_eq!(rated[1], None, "years reversed: no line to draw");
    assert!(found.iter().any(|(r, m)| r == "missing-field" && m.contains("期待値")), "{found:?}");
}
