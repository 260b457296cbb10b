//! A plan's own hierarchy (`階層`, `番号` in its 計画 block): two to four
//! levels and fixed-width codes, on fixtures under `tests/fixtures/hierarchy/`.
//! The findings are exactly the planted mistakes, and the 2-level plan's
//! `1-1` and the 9-digit codes are read as IDs of their levels.

use plancheck::config::ConfigResolver;
use plancheck::diagnostics::Lang;
use std::path::Path;

/// (rule, line, message) of every finding on the fixture folder, as the CLI checks it.
fn findings(name: &str, lang: Lang) -> Vec<(String, usize, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hierarchy").join(name);
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "plan")).collect();
    files.sort();
    let inputs = files.iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(p).unwrap())).collect();
    let analysis = plancheck::analyze(inputs, &mut ConfigResolver::new(), lang).unwrap();
    analysis
        .diagnostics
        .iter()
        .map(|d| {
            let doc = &analysis.workspace.docs[d.file];
            (d.rule.name.to_string(), doc.line_index.line_of(d.span.start) + 1, d.message.clone())
        })
        .collect()
}

#[test]
fn a_two_level_plan_numbers_its_measures_n_n() {
    let found = findings("two-levels", Lang::Ja);
    assert_eq!(
        found,
        [
            ("id-hierarchy-mismatch".into(), 20, "施策 2-1 は 政策 1 の中に書かれていますが、ID からは 政策 2 に属します".into()),
            ("invalid-id".into(), 27, "`施策` の ID `1-2-1` は N-N の形ではありません (例: `1-2`) (政策 > 施策)".into()),
            ("misplaced-block".into(), 33, "この計画の階層 (政策 > 施策) に `基本政策` の段はありません (段を足すときは 計画 の `階層` に書きます)".into()),
        ]
    );
}

#[test]
fn nine_digit_codes_are_read_by_the_widths_of_the_four_levels() {
    let found = findings("codes", Lang::En);
    let rules: Vec<(&str, usize)> = found.iter().map(|(r, l, _)| (r.as_str(), *l)).collect();
    assert_eq!(rules, [("id-hierarchy-mismatch", 9), ("invalid-id", 14), ("duplicate-id", 23)], "{found:#?}");
    assert_eq!(found[0].2, "施策 010102003 is written inside 政策 010101, but its ID places it in 政策 010102");
    assert_eq!(found[1].2, "the ID `01-01-01-2` of this `施策` is not shaped 9 digits (2+2+2+3) (e.g. `010203004`) (基本目標 > 基本政策 > 政策 > 施策)");
    assert_eq!(found[2].2, "duplicate ID 010101001: 2 施策 blocks have it");
}

/// The dashed code's fix runs its numbers together at the widths.
#[test]
fn a_dashed_code_is_fixed_to_the_digits() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hierarchy/codes");
    let inputs = ["keikaku.plan", "kenko.plan"].map(|f| (f.to_string(), std::fs::read_to_string(dir.join(f)).unwrap())).to_vec();
    let analysis = plancheck::analyze(inputs, &mut ConfigResolver::new(), Lang::Ja).unwrap();
    let invalid = analysis.diagnostics.iter().find(|d| d.rule.name == "invalid-id").unwrap();
    let fix = invalid.fix.as_ref().expect("a fix");
    assert_eq!(fix.edits[0].replacement, "010101002");
    assert_eq!(fix.applicability, plancheck::diagnostics::Applicability::Safe);
}

/// A 階層 that cannot be read is named where it is, and the ID rules say
/// nothing rather than judge by a hierarchy the plan did not mean.
#[test]
fn an_unreadable_hierarchy_is_reported_and_ids_are_not_judged() {
    let plan = "計画 {\n  階層: 章 > 節 > 施策\n  番号: 2桁, 2桁\n}\n施策 0102003 a {\n  全体評価: B\n  代表課: 総務課\n}\n基本目標 1 b {\n}\n";
    let analysis = plancheck::analyze(vec![("a.plan".into(), plan.into())], &mut ConfigResolver::new(), Lang::Ja).unwrap();
    let found: Vec<(&str, &str)> = analysis.diagnostics.iter().map(|d| (d.rule.name, d.message.as_str())).collect();
    assert_eq!(found, [("invalid-value", "階層: `章` は階層の段ではありません: 基本目標・基本政策・政策・施策 から上の順に選びます (例: `政策 > 施策`)")], "{found:#?}");
    // Widths that do not match the levels.
    let plan = "計画 {\n  階層: 政策 > 施策\n  番号: 2桁, 2桁, 3桁\n}\n";
    let analysis = plancheck::analyze(vec![("a.plan".into(), plan.into())], &mut ConfigResolver::new(), Lang::En).unwrap();
    let found: Vec<&str> = analysis.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(found, ["番号: 3 widths are given, but the hierarchy has 2 levels (政策 > 施策): give one per level"]);
}

/// A plan that declares nothing keeps the spec's hierarchy: 基本目標 is no level of it.
#[test]
fn without_a_declaration_the_specs_hierarchy_stands() {
    let plan = "基本目標 1 a {\n}\n施策 1-1 b {\n  全体評価: B\n  代表課: 総務課\n}\n";
    let analysis = plancheck::analyze(vec![("a.plan".into(), plan.into())], &mut ConfigResolver::new(), Lang::En).unwrap();
    let found: Vec<(&str, &str)> = analysis.diagnostics.iter().map(|d| (d.rule.name, d.message.as_str())).collect();
    assert_eq!(
        found,
        [
            ("misplaced-block", "this plan's hierarchy (基本政策 > 政策 > 施策) has no `基本目標` level (to add it, declare it in the 計画 block's `階層`)"),
            ("invalid-id", "the ID `1-1` of this `施策` is not shaped N-N-N (e.g. `1-2-3`)"),
        ]
    );
}

/// A plan of another hierarchy goes out to a table and back unchanged: the
/// table's container columns are the plan's levels, and the importer reads
/// the levels and the numbering back from the header and the IDs (the 計画
/// block gets `階層` and `番号`), so the same findings come back.
#[test]
fn a_plan_of_two_or_four_levels_survives_a_round_trip_through_every_table_format() {
    use plancheck::import::{Grid, import};
    use plancheck::model::{Document, Workspace};
    use plancheck::sheet::Sheet;
    for name in ["two-levels", "codes"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hierarchy").join(name);
        let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        let docs = files.iter().map(|p| Document::parse(p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(p).unwrap())).collect();
        let original = Sheet::from_workspace(&Workspace::new(docs));
        let table = plancheck::table::layout(&original, false);
        let levels: Vec<&str> = table.headers.iter().take_while(|h| *h != "施策名").map(String::as_str).collect();
        let expected_levels: &[&str] = if name == "two-levels" { &["基本政策", "政策"] } else { &["基本目標", "基本政策", "政策"] };
        assert_eq!(levels, expected_levels, "{name}: the container columns");
        let expected: Vec<(String, String)> = findings(name, Lang::Ja).into_iter().map(|(rule, _, message)| (rule, message)).collect();
        for format in ["csv", "tsv", "xlsx"] {
            let grid = match format {
                "csv" => Grid::from_delimited(&plancheck::export::to_csv(&table, b','), b',').unwrap(),
                "tsv" => Grid::from_delimited(&plancheck::export::to_csv(&table, b'\t'), b'\t').unwrap(),
                _ => {
                    let temp = tempfile::tempdir().unwrap();
                    let path = temp.path().join("plan.xlsx");
                    std::fs::write(&path, plancheck::export::to_xlsx(&table).unwrap()).unwrap();
                    plancheck::import::read_grid(&path).unwrap()
                }
            };
            let imported = import(&grid, "table").unwrap();
            assert!(imported.warnings.is_empty(), "{name} {format}: {:?}", imported.warnings);
            assert_eq!(imported.sheet.hierarchy(), original.hierarchy(), "{name} {format}");
            assert_eq!(imported.sheet.goals, original.goals, "{name} {format}");
            assert_eq!(imported.sheet.basic_policies, original.basic_policies, "{name} {format}");
            let analysis = plancheck::analyze(vec![("back.plan".into(), imported.text.clone())], &mut ConfigResolver::new(), Lang::Ja).unwrap();
            let back: Vec<(String, String)> = analysis.diagnostics.iter().map(|d| (d.rule.name.to_string(), d.message.clone())).collect();
            assert_eq!(back, expected, "{name} {format}:\n{}", imported.text);
        }
    }
}

/// The sheet of a two-level plan has no 基本政策 of its own: one slot with
/// an empty ID holds its 政策, and no `基本政策` block is written back.
#[test]
fn a_level_the_plan_does_not_have_is_a_slot_that_is_never_written() {
    use plancheck::model::{Document, Workspace};
    use plancheck::sheet::Sheet;
    let text = "計画 {\n  階層: 政策 > 施策\n}\n政策 1 a {\n  施策 1-1 b {\n    全体評価: B\n  }\n}\n施策 2-1 c {\n  全体評価: C\n}\n";
    let sheet = Sheet::from_workspace(&Workspace::new(vec![Document::parse("a.plan", text)]));
    assert_eq!(sheet.basic_policies.len(), 1);
    assert_eq!(sheet.basic_policies[0].id, "");
    let policies: Vec<(&str, usize)> = sheet.basic_policies[0].policies.iter().map(|p| (p.id.as_str(), p.measures.len())).collect();
    assert_eq!(policies, [("1", 1), ("2", 1)], "a 施策 outside its 政策 joins the one its ID names");
    assert_eq!(sheet.to_plan(), "計画 {\n  階層: 政策 > 施策\n}\n政策 1 a {\n  施策 1-1 b {\n    全体評価: B\n  }\n}\n政策 2 {\n  施策 2-1 c {\n    全体評価: C\n  }\n}\n");
}

/// A code of the wrong length stays a 施策 of its own through a table, and
/// a container written without a title (a bare `02` cell) is read as its
/// level's ID, with no warning and no 備考.
#[test]
fn a_wrong_code_and_a_bare_container_code_survive_a_table() {
    use plancheck::import::{Grid, import};
    use plancheck::model::{Document, Workspace};
    use plancheck::sheet::Sheet;
    let text = "計画 X {\n  階層: 政策 > 施策\n  番号: 2桁, 3桁\n}\n政策 01 p {\n  施策 01001 a {\n    全体評価: B\n    代表課: 企画課\n  }\n  施策 1001 b {\n    全体評価: C\n    代表課: 財政課\n  }\n}\n施策 02001 c {\n  全体評価: A\n  代表課: 総務課\n}\n";
    let original = Sheet::from_workspace(&Workspace::new(vec![Document::parse("a.plan", text)]));
    let table = plancheck::table::layout(&original, false);
    let grid = Grid::from_delimited(&plancheck::export::to_csv(&table, b','), b',').unwrap();
    let imported = import(&grid, "table").unwrap();
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    assert_eq!(imported.remarks(), 0, "{}", imported.text);
    let ids: Vec<&str> = imported.sheet.measures().map(|(_, _, m)| m.id.as_str()).collect();
    assert_eq!(ids, ["01001", "1001", "02001"], "{}", imported.text);
    assert_eq!(imported.sheet.basic_policies, original.basic_policies);
    assert_eq!(imported.sheet.hierarchy(), original.hierarchy());
}

/// A 施策 number of another shape among the spec's does not change the
/// hierarchy a table is read with: only most numbers do.
#[test]
fn one_odd_number_does_not_change_the_hierarchy_read_from_a_table() {
    use plancheck::import::{Grid, import};
    let csv = "基本政策,政策,施策名,全体評価,施策代表課\n1 a,1-1 p,1-1-1 x,B,企画課\n,1-1 p,1-2 y,B,企画課\n";
    let imported = import(&Grid::from_delimited(csv, b',').unwrap(), "t").unwrap();
    assert!(imported.sheet.hierarchy().is_default(), "{}", imported.text);
    assert!(!imported.text.contains("階層"), "{}", imported.text);
}
