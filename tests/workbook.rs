//! A workbook as its author keeps it: every sheet read and merged into one
//! plan with one 計画 block, a cover sheet kept in the 計画's 備考, hidden
//! sheets left out with a warning, `--sheet` to choose; text tables in the
//! encodings office systems write; and every kind of file that is not the
//! workbook its name says named for what it is. The workbooks are made here
//! (rust_xlsxwriter), never by hand.

#[path = "common/cities.rs"]
mod cities;

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

fn plancheck() -> Command {
    let mut command = Command::cargo_bin("plancheck").unwrap();
    command.timeout(Duration::from_secs(120));
    command
}

const HEADER: [&str; 9] = ["基本政策", "政策", "施策名", "全体評価", "指標", "令和5年度実績値", "令和7年度目標値", "定量評価", "施策代表課"];

/// A sheet in the official layout with one 施策 per row.
fn table(sheet: &mut rust_xlsxwriter::Worksheet, title: Option<&str>, rows: &[[&str; 9]]) {
    let mut r = 0;
    if let Some(title) = title {
        sheet.write_string(0, 0, title).unwrap();
        r = 2;
    }
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(r, c as u16, *h).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r + 1 + i as u32, c as u16, *v).unwrap();
        }
    }
}

/// The workbook of a city: a cover, one sheet per 基本政策, a hidden sheet
/// of staff extensions.
fn city_workbook(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let cover = book.add_worksheet().set_name("表紙").unwrap();
    cover.write_string(0, 0, "みどり市総合計画 成果・課題一覧").unwrap();
    cover.write_string(2, 0, "令和6年3月 企画課").unwrap();
    let first = book.add_worksheet().set_name("基本政策1").unwrap();
    table(first, Some("基本政策1 健康で安心なまち"), &[["1 健康で安心なまち", "1-1 保健", "1-1-1 健康づくり", "B", "参加者数", "5,900人", "10,650人", "C", "健康課"]]);
    let second = book.add_worksheet().set_name("基本政策2").unwrap();
    table(second, None, &[["2 学ぶまち", "2-1 学校", "2-1-1 学校教育", "A", "満足度", "80%", "80%", "A", "学校教育課"]]);
    let hidden = book.add_worksheet().set_name("担当者").unwrap();
    hidden.write_string(0, 0, "担当者（内線）").unwrap();
    hidden.write_string(1, 0, "山田 1234").unwrap();
    hidden.set_hidden(true);
    book.save(path).unwrap();
}

/// `report book.xlsx` reports the workbook as it is now (no .plan in
/// between to go stale): named from its title, each finding at its cell.
#[test]
fn a_workbook_is_reported_straight_from_its_cells() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.xlsx");
    city_workbook(&path);
    let html = dir.path().join("report.html");
    let out = plancheck().arg("report").arg(&path).arg("-o").arg(&html).args(["--date", "令和8年12月6日"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("report.html を書きました (施策 2、指摘"), "the run says what it wrote: {said}");
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("<title>みどり市総合計画 成果・課題一覧 点検結果</title>"), "named from the cover's title");
    assert!(html.contains("みどり市 · ") && html.contains("作成 令和8年12月6日"));
    let smalls: Vec<&str> = html.split("<small>").skip(1).filter_map(|s| s.split_once("</small>").map(|(text, _)| text)).filter(|t| t.contains("city.xlsx")).collect();
    assert!(!smalls.is_empty() && smalls.iter().all(|t| t.contains("city.xlsx ") && t.contains('!')), "findings at sheet!cell: {smalls:?}");
    assert!(!smalls.iter().any(|t| t.contains("city.xlsx:")), "no line of the plan made in memory: {smalls:?}");
}

#[test]
fn every_visible_sheet_is_imported_into_one_plan_and_the_cover_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.xlsx");
    city_workbook(&path);
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("2 施策"), "both data sheets: {stderr}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with("計画 ")).count(), 1, "one 計画 block:\n{stdout}");
    assert!(stdout.contains("計画 みどり市総合計画 成果・課題一覧 {\n  自治体: みどり市\n"), "named from the cover's title:\n{stdout}");
    for text in ["施策 1-1-1 健康づくり", "施策 2-1-1 学校教育", "シート「表紙」:", "みどり市総合計画 成果・課題一覧", "令和6年3月 企画課", "基本政策1 健康で安心なまち"]
    {
        assert!(stdout.contains(text), "{text} is in the plan:\n{stdout}");
    }
    // The hidden sheet: left out, and said.
    assert!(!stdout.contains("山田"), "a hidden sheet is never imported:\n{stdout}");
    assert!(stderr.contains("sheet `担当者` is hidden and is not imported"), "{stderr}");
    assert!(stderr.contains("sheet `表紙` has no header row") && stderr.contains("kept in the 計画's 備考"), "{stderr}");
    // Where each 施策 came from, by sheet.
    assert!(stdout.contains("取り込み元: シート「基本政策2」の 2 行"), "{stdout}");
    // The plan checks as one plan.
    let plan = dir.path().join("city.plan");
    std::fs::write(&plan, stdout.as_bytes()).unwrap();
    let check = plancheck().args(["check", "--format", "json"]).arg(&plan).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["rating-mismatch"], "5,900 / 10,650 = 55.4%: D, stated C; nothing about two 計画 blocks");
}

#[test]
fn sheets_are_chosen_by_name_and_hidden_ones_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.xlsx");
    city_workbook(&path);
    let out = plancheck().args(["import", "--lang", "en", "--sheet", "基本政策2"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("施策 2-1-1") && !stdout.contains("施策 1-1-1") && !stdout.contains("表紙"), "{stdout}");
    assert!(stderr.contains("1 施策"), "{stderr}");
    let out = plancheck().args(["import", "--lang", "en", "--include-hidden"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("山田 1234") && stdout.contains("シート「担当者」:"), "kept in the 備考 with its sheet:\n{stdout}");
    let out = plancheck().args(["import", "--lang", "en", "--sheet", "基本政策9"]).arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("there is no sheet `基本政策9`") && stderr.contains("`基本政策1`, `基本政策2`"), "{stderr}");
}

/// A cell the importer cannot place is named by its sheet and address.
#[test]
fn a_cell_that_cannot_be_placed_is_located_by_sheet_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("基本政策2").unwrap();
    table(sheet, None, &[["2 学ぶまち", "2-1 学校", "2-1-1 学校教育", "A", "満足度", "80%", "80%", "A", "学校教育課"]]);
    sheet.write_string(1, 20, "遠い列のメモ").unwrap();
    book.save(&path).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stderr.contains("基本政策2!U2:"), "{stderr}");
    assert!(stdout.contains("備考: 遠い列のメモ") && stdout.contains("# 備考: セル 基本政策2!U2"), "{stdout}");
}

/// The export's CSV in the encodings office systems write: the same plan.
#[test]
fn csv_in_shift_jis_utf16_and_with_a_bom_reads_as_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = "基本政策,政策,施策名,全体評価,指標,令和5年度実績値,令和7年度目標値,定量評価,施策代表課\n1 健康,1-1 保健,1-1-1 健康づくり,B,参加者数,\"5,900人\",\"10,650人\",C,健康づくり課\n";
    let import = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        (String::from_utf8_lossy(&out.stdout).replace(name, "x.csv"), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let (expected, _) = import("utf8.csv", utf8.as_bytes());
    assert!(expected.contains("代表課: 健康づくり課") && expected.contains("実績: 5,900人"), "{expected}");
    let (sjis, _, failed) = encoding_rs::SHIFT_JIS.encode(utf8);
    assert!(!failed);
    let utf16le: Vec<u8> = utf8.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = utf8.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let cases: Vec<(&str, Vec<u8>, Option<&str>)> = vec![
        ("bom.csv", [b"\xEF\xBB\xBF".as_slice(), utf8.as_bytes()].concat(), None),
        ("sjis.csv", sjis.into_owned(), Some("read as Shift_JIS (CP932)")),
        ("le.csv", [b"\xFF\xFE".as_slice(), &utf16le].concat(), Some("read as UTF-16 (LE)")),
        ("be.csv", [b"\xFE\xFF".as_slice(), &utf16be].concat(), Some("read as UTF-16 (BE)")),
        ("nobom.csv", utf16le.clone(), Some("read as UTF-16 (LE)")),
    ];
    // Mostly Japanese, without a BOM: few zero bytes, still UTF-16.
    let japanese = "基本政策,政策,施策名,全体評価,指標,令和5年度実績値,令和7年度目標値,定量評価,施策代表課\n１ 健康で安心なまち,１－１ 保健と医療,１－１－１ 健康づくりと疾病予防の推進,Ｂ,健康づくり事業への参加者数,５，９００人,１０，６５０人,Ｃ,健康づくり課\n";
    let path = dir.path().join("ja16.csv");
    std::fs::write(&path, japanese.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>()).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    assert!(out.status.success() && String::from_utf8_lossy(&out.stderr).contains("read as UTF-16 (LE)"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("施策 1-1-1 健康づくりと疾病予防の推進"));
    for (name, bytes, said) in cases {
        let (plan, stderr) = import(name, &bytes);
        assert_eq!(plan, expected, "{name}");
        match said {
            Some(said) => assert!(stderr.contains(said), "{name}: {stderr}"),
            None => assert!(!stderr.contains("read as"), "{name}: {stderr}"),
        }
    }
    // Bytes no encoding reads: named, with where.
    let path = dir.path().join("bad.csv");
    std::fs::write(&path, b"a,b\n\xFF\xFF\xFF\n").unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("cannot tell its encoding (at byte 4"), "{stderr}");
}

/// Each file that is not the workbook its name says gets its own message.
#[test]
fn files_that_are_not_workbooks_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.xlsx");
    city_workbook(&good);
    let bytes = std::fs::read(&good).unwrap();
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.extend(std::iter::repeat_n(0u8, 504));
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.xlsx", Vec::new(), "the file is empty"),
        ("cut.xlsx", bytes[..bytes.len() / 2].to_vec(), "the workbook is damaged"),
        ("text.xlsx", "基本政策,政策\n1,1-1\n".as_bytes().to_vec(), "not a workbook but a text file"),
        ("html.xlsx", b"<html><table><tr><td>1</td></tr></table></html>".to_vec(), "not a workbook but a text file"),
        ("noise.xlsx", vec![0x00, 0x9F, 0x92, 0x96, 0x00, 0xFF, 0x00, 0x01], "not a workbook (it does not have the form of an Excel file)"),
        ("locked.xlsx", encrypted, "the workbook is password-protected"),
    ];
    for (name, content, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &content).unwrap();
        let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}");
        assert!(stderr.contains(expected) && stderr.contains(name), "{name}: {stderr}");
        assert!(!stderr.contains("EOCD") && !stderr.contains("panicked"), "{name}: {stderr}");
    }
    // An .xlsx under the .xls name is read as what it is.
    let renamed = dir.path().join("renamed.xls");
    std::fs::copy(&good, &renamed).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&renamed).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.contains("an .xlsx workbook under the name .xls") && stderr.contains("2 施策"), "{stderr}");
}

/// Numbers as the sheet shows them: `0.554` under `0.0%` is `55.4%` (not a
/// ratio against a percentage), `5900` under `#,##0"件"` keeps its unit.
#[test]
fn number_cells_are_read_as_their_format_shows_them() {
    use rust_xlsxwriter::Format;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formats.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("基本政策1").unwrap();
    table(sheet, None, &[["1 健康", "1-1 保健", "1-1-1 健康づくり", "B", "相談件数", "", "", "C", "健康課"], ["", "", "1-1-2 健診", "B", "受診率", "", "", "B", "健康課"]]);
    let (count, percent) = (Format::new().set_num_format("#,##0\"件\""), Format::new().set_num_format("0.0%"));
    sheet.write_number_with_format(1, 5, 5900.0, &count).unwrap();
    sheet.write_number_with_format(1, 6, 10650.0, &count).unwrap();
    sheet.write_number_with_format(2, 5, 0.554, &percent).unwrap();
    sheet.write_number_with_format(2, 6, 0.6, &percent).unwrap();
    book.save(&path).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    for shown in ["実績: 5,900件", "目標: 10,650件", "実績: 55.4%", "目標: 60.0%"] {
        assert!(stdout.contains(shown), "{shown}:\n{stdout}");
    }
    assert!(!stdout.contains("0.554") && !stdout.contains("5900"), "{stdout}");
    // Checked, the percentages compare as percentages: 55.4 / 60 = 92.3%, B as stated.
    let plan = dir.path().join("formats.plan");
    std::fs::write(&plan, stdout.as_bytes()).unwrap();
    let check = plancheck().args(["check", "--format", "json"]).arg(&plan).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let rules: Vec<(&str, &str)> = report["diagnostics"].as_array().unwrap().iter().map(|d| (d["rule"].as_str().unwrap(), d["message"].as_str().unwrap())).collect();
    assert!(rules.iter().all(|(rule, _)| *rule != "unit-mismatch" && *rule != "ratio-mismatch"), "{rules:?}");
    assert_eq!(rules.iter().filter(|(rule, _)| *rule == "rating-mismatch").count(), 1, "5,900 / 10,650 = 55.4%: D, stated C: {rules:?}");
}

/// A hidden column in the middle of the table (staff names and extensions)
/// and a hidden row: left out, said, never in the plan; the columns around
/// them read as they stand.
#[test]
fn hidden_columns_and_rows_are_left_out_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hidden.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("基本政策1").unwrap();
    let header = ["基本政策", "政策", "施策名", "担当者（内線）", "全体評価", "指標", "令和5年度実績値", "令和7年度目標値", "定量評価", "施策代表課"];
    let rows = [
        ["1 健康", "1-1 保健", "1-1-1 健康づくり", "山田 1234", "B", "参加者数", "5,900人", "10,650人", "D", "健康課"],
        ["", "", "1-1-2 下書き", "鈴木 5678", "A", "", "", "", "", "健康課"],
        ["", "", "1-1-3 健診", "佐藤 9012", "A", "受診率", "60%", "60%", "A", "健康課"],
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    sheet.set_column_hidden(3).unwrap();
    sheet.set_row_hidden(2).unwrap();
    book.save(&path).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    for private in ["山田", "鈴木", "佐藤", "担当者", "下書き"] {
        assert!(!stdout.contains(private), "{private} is hidden:\n{stdout}");
    }
    assert!(stderr.contains("sheet `基本政策1`: the 7 cell(s) of its hidden column(s) D and row(s) 3 are not imported"), "{stderr}");
    assert!(stdout.contains("施策 1-1-1 健康づくり") && stdout.contains("施策 1-1-3 健診") && stdout.contains("全体評価: B") && stdout.contains("代表課: 健康課"), "{stdout}");
    assert!(!stdout.contains("備考"), "nothing shifted into a 備考:\n{stdout}");
    let out = plancheck().args(["import", "--lang", "en", "--include-hidden"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("山田 1234") && stdout.contains("施策 1-1-2 下書き"), "{stdout}");
}

/// A neighbouring city's layout: the 施策's number and name in two columns,
/// 担当課, 指標名, a 単位 column, years in parentheses after the headings,
/// 達成度, 評価, 取組内容. Read whole, with no 備考 and no false finding.
#[test]
fn another_body_s_layout_is_read_by_its_headings() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "施策番号,施策名,担当課,指標名,単位,基準値(R元),実績値(R5),目標値(R7),達成度,評価,取組内容,成果,課題\n\
               1-1-1,子育て支援の充実,こども課,保育所の定員,人,1200,1290,1300,99.2%,B,保育所の整備,定員を90人増やした。,保育士の確保が課題である。\n\
               1-1-2,学校教育の充実,学校教育課,英語検定の取得率,%,30.5,41.2,50,82.4%,B,英語教育の推進,ALTを増員した。,教員の負担が増えている。\n";
    let path = dir.path().join("neighbour.csv");
    std::fs::write(&path, csv).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("2 施策, 2 指標, 2 展開; 0 cell(s) kept as 備考"), "{stderr}");
    for line in [
        "実績年度: R5",
        "目標年度: R7",
        "施策 1-1-1 子育て支援の充実 {",
        "指標 保育所の定員 {",
        "実績: 1290人",
        "目標: 1300人",
        "基準値: 1200人 (R元)",
        "達成率: 99.2%",
        "定量評価: B",
        "取組: 保育所の整備",
        "代表課: こども課",
        "実績: 41.2%",
        "基準値: 30.5% (R元)",
    ] {
        assert!(stdout.contains(line), "{line}:\n{stdout}");
    }
    // How each heading was read, on request.
    let explained = plancheck().args(["import", "--explain"]).arg(&path).output().unwrap();
    let explained = String::from_utf8_lossy(&explained.stderr);
    for line in [
        "階層: 基本政策 > 政策 > 施策 (既定)",
        "見出しの行: 1 行目",
        "A1 「施策番号」 → 施策 の番号",
        "C1 「担当課」 → 施策 の 代表課",
        "E1 「単位」 → 単位",
        "F1 「基準値(R元)」 → 指標 の 基準値 (年 R元 を値の注記に)",
        "J1 「評価」 → 指標 の 定量評価",
    ] {
        assert!(explained.contains(line), "{line}:\n{explained}");
    }
    let plan = dir.path().join("neighbour.plan");
    std::fs::write(&plan, stdout.as_bytes()).unwrap();
    let check = plancheck().args(["check", "--format", "json"]).arg(&plan).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    // The grades and ratios agree with their numbers, and what this layout
    // has no column for (全体評価, the 展開's 定性評価) is not asked for.
    assert!(stdout.contains("様式にない項目: 全体評価, 定性評価"), "{stdout}");
    assert!(rules.is_empty(), "{rules:?}");
    // Written back without the line, the same plan asks for them.
    let asked = stdout.replace("  様式にない項目: 全体評価, 定性評価\n", "");
    std::fs::write(&plan, asked).unwrap();
    let check = plancheck().args(["check", "--format", "json"]).arg(&plan).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["missing-field"; 4], "2 施策 without 全体評価, 2 展開 without 定性評価");
}

/// A header in two rows: group headings over the columns' own (written
/// once at their left, as a CSV of merged cells has them), headings down
/// both rows; the group says whose `評価` a column is.
#[test]
fn a_two_row_header_is_read_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "令和5年度 施策評価一覧\n\
               施策番号,施策名,担当課,指標,,,,施策の展開,,,\n\
               ,,,指標名,実績値(R5),目標値(R7),評価,取組内容,成果,課題,評価\n\
               1-1-1,子育て支援の充実,こども課,保育所の定員,1290人,1300人,B,保育所の整備,定員を90人増やした。,保育士の確保が課題である。,高\n";
    let path = dir.path().join("two-rows.csv");
    std::fs::write(&path, csv).unwrap();
    let out = plancheck().args(["import", "--explain"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    for line in ["見出しの行: 2〜3 行目", "D3 「指標 / 指標名」 → 指標 の名前", "G3 「指標 / 評価」 → 指標 の 定量評価", "K3 「施策の展開 / 評価」 → 展開 の 定性評価", "A3 「施策番号」 → 施策 の番号"]
    {
        assert!(stderr.contains(line), "{line}:\n{stderr}");
    }
    assert!(stderr.contains("1 施策、1 指標、1 展開。備考 として残したセル: 1"), "only the title is kept, as 備考: {stderr}");
    for line in ["定量評価: B", "定性評価: 高", "実績: 1290人", "  備考: 令和5年度 施策評価一覧"] {
        assert!(stdout.contains(line), "{line}:\n{stdout}");
    }
    // The group row alone, over a header that reads the same without it, is
    // kept as it is written (in the 備考), never dropped.
    let plain = "施策の展開とは別の注記,指標\n施策名,全体評価,指標,令和5年度実績値,令和7年度目標値,定量評価\n1-1-1 a,B,b,5人,5人,A\n";
    std::fs::write(&path, plain).unwrap();
    let out = plancheck().arg("import").arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("| 施策の展開とは別の注記\n    | 指標"), "{stdout}");
}

/// `plancheck check book.xlsx`: the workbook checked as it is, each finding
/// located by sheet and cell, in every output format; `--fix` refuses it.
#[test]
fn a_workbook_is_checked_directly_with_findings_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.xlsx");
    city_workbook(&path);
    let out = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let found: Vec<(&str, &str)> = report["diagnostics"].as_array().unwrap().iter().map(|d| (d["rule"].as_str().unwrap(), d["cell"].as_str().unwrap_or("-"))).collect();
    // 5,900 / 10,650 = 55.4%: D, stated C in 基本政策1's 定量評価 (column H, row 4).
    assert_eq!(found, [("rating-mismatch", "基本政策1!H4")]);
    assert_eq!(out.status.code(), Some(0), "a warning, as for a .plan");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sheet `担当者` is hidden") || stderr.contains("シート `担当者` は非表示"), "the import's warnings are shown: {stderr}");
    let github = plancheck().args(["check", "--format", "github"]).arg(&path).output().unwrap();
    let github = String::from_utf8_lossy(&github.stdout);
    assert!(github.contains("title=rating-mismatch (PC201) 基本政策1!H4::基本政策1!H4: "), "{github}");
    assert!(!github.contains("line="), "no line of the imported text: {github}");
    let human = plancheck().args(["check", "--lang", "en"]).arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&human.stdout).contains("基本政策1!H4: stated grade C"), "{}", String::from_utf8_lossy(&human.stdout));
    let sarif = plancheck().args(["check", "--format", "sarif"]).arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&sarif.stdout).contains("基本政策1!H4: "));
    // A workbook has no lines: the cell is the result's logical location,
    // and no fix edits text that is not in the file.
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    let location = &result["locations"][0];
    assert!(location["physicalLocation"]["region"].is_null(), "{location}");
    assert_eq!(location["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().rsplit('/').next(), Some("city.xlsx"));
    assert_eq!(location["logicalLocations"][0]["fullyQualifiedName"], "基本政策1!H4");
    assert_eq!(location["logicalLocations"][0]["name"], "H4");
    assert!(result["fixes"].is_null(), "{result}");
    let fix = plancheck().args(["check", "--fix", "--lang", "en"]).arg(&path).output().unwrap();
    assert_eq!(fix.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&fix.stderr).contains("--fix does not rewrite a table"));
    // A CSV too: its cells are plain addresses.
    let csv = dir.path().join("t.csv");
    std::fs::write(&csv, "基本政策,政策,施策名,全体評価,指標,令和5年度実績値,令和7年度目標値,定量評価,施策代表課\n1 a,1-1 b,1-1-1 c,B,d,50人,100人,A,企画課\n").unwrap();
    let out = plancheck().args(["check", "--format", "json"]).arg(&csv).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["cell"], "H2", "{report}");
}

/// `[import.columns]` in plancheck.toml maps a body's own headings, or
/// leaves a column out; a target plancheck does not know is refused.
#[test]
fn a_body_s_own_headings_are_mapped_in_its_settings() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "基本政策,政策,施策名,全体評価,所管,担当者（内線）,指標,実績値,目標値,定量評価\n1 a,1-1 b,1-1-1 c,B,企画課,山田 1234,d,50人,100人,D\n";
    let path = dir.path().join("t.csv");
    std::fs::write(&path, csv).unwrap();
    std::fs::write(dir.path().join("plancheck.toml"), "[import.columns]\n\"所管\" = \"施策代表課\"\n\"担当者（内線）\" = \"除外\"\n").unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("代表課: 企画課") && !stdout.contains("山田") && !stdout.contains("備考"), "{stdout}");
    assert!(stderr.contains("the 1 cell(s) of the columns plancheck.toml leaves out (除外) are not imported"), "{stderr}");
    // check of the table reads the same settings.
    let check = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let rules: Vec<&str> = report["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert!(!rules.contains(&"missing-department"), "{rules:?}");
    std::fs::write(dir.path().join("plancheck.toml"), "[import.columns]\n\"所管\" = \"課\"\n").unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`課` is not a heading plancheck knows"));
}

/// A header with nothing under it is not a plan: said, exit 2 (not "0 施策").
#[test]
fn a_header_without_rows_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    table(book.add_worksheet(), Some("様式"), &[]);
    book.save(&path).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("there is a header row but no 施策 row under it") && stderr.contains("--sheet chooses it"), "{stderr}");
}

/// Cell by cell: every visible non-empty cell of every sheet is placed once
/// (in a field, a title, a located 備考, the 計画 or a header), its text is
/// in the plan, and no hidden cell's text is.
#[test]
fn every_visible_cell_is_placed_once_and_no_hidden_one_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.xlsx");
    city_workbook(&path);
    let (text, names) = cities::assert_every_visible_cell_placed(&path);
    assert_eq!(names, [Some("表紙".to_string()), Some("基本政策1".to_string()), Some("基本政策2".to_string())], "the hidden sheet is not read");
    assert!(!text.contains("山田") && !text.contains("担当者"));
}

/// A formula saved without its value stands where its value would (kept
/// as its text, said); a 単位 is never put after an achievement ratio.
#[test]
fn a_formula_without_a_value_stays_in_its_column_and_a_ratio_gets_no_unit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formula.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("基本政策1").unwrap();
    table(sheet, None, &[["1 健康", "1-1 保健", "1-1-1 健康づくり", "B", "相談員研修受講者数", "", "100人", "B", "健康課"]]);
    sheet.set_formula_result_default("");
    sheet.write_formula(1, 5, "=60*2").unwrap();
    book.save(&path).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("指標 相談員研修受講者数 {") && stdout.contains("実績: =60*2"), "{stdout}");
    assert!(!stdout.contains("備考"), "{stdout}");
    assert!(stderr.contains("基本政策1!F2: this formula has no computed value"), "{stderr}");
    let csv = "施策番号,施策名,担当課,指標名,単位,実績値,目標値,達成度,評価\n1-1-1,a,企画課,b,人,90,100,0.9,B\n";
    let path = dir.path().join("ratio.csv");
    std::fs::write(&path, csv).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("実績: 90人") && stdout.contains("達成率: 0.9\n"), "{stdout}");
}

/// `様式にない項目: 状況`: a form with no status for each year of a series;
/// `missing-status` then reports only blank years. A name it cannot take is
/// an invalid-value.
#[test]
fn a_form_without_statuses_is_asked_only_for_blank_years() {
    let plan = |declared: &str| {
        format!(
            "計画 {{\n{declared}}}\n施策 1-1-1 a {{\n  全体評価: B\n  代表課: 企画課\n  指標 b {{\n    推移:\n      | R4年度: 5人\n      | R5年度:\n    実績: 5人\n    目標: 5人\n    定量評価: A\n  }}\n}}\n"
        )
    };
    let rules = |text: String| -> Vec<String> {
        let out = plancheck().args(["check", "--format", "json", "-"]).write_stdin(text).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["diagnostics"].as_array().unwrap().iter().map(|d| format!("{}:{}", d["rule"].as_str().unwrap(), d["range"]["start"]["line"])).collect()
    };
    assert_eq!(rules(plan("")), ["missing-status:8", "missing-status:9"]);
    assert_eq!(rules(plan("  様式にない項目: 状況\n")), ["missing-status:10"], "only the blank year (R5), on its line");
    assert_eq!(rules(plan("  様式にない項目: 状況, 予算\n")), ["invalid-value:2", "missing-status:9", "missing-status:10"]);
}

/// From a hostile trial: a workbook's row is read by position whatever its
/// values look like (TRUE under 目標, an error value under 定量評価, each then
/// an invalid-value at its cell); a note under 施策名 starts no 施策; a cell
/// on the header row over no column is kept; a legend printed on the cover
/// and on a sheet alike is one legend.
#[test]
fn a_workbook_s_odd_cells_are_read_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let cover = book.add_worksheet().set_name("表紙").unwrap();
    cover.write_string(0, 0, "はなみ市").unwrap();
    cover.write_string(1, 0, "※評価基準 A:100%以上、B:90%以上100%未満、C:70%以上90%未満、D:70%未満").unwrap();
    let sheet = book.add_worksheet().set_name("基本政策1").unwrap();
    sheet.write_string(0, 0, "※評価基準 A:100%以上、B:90%以上100%未満、C:70%以上90%未満、D:70%未満").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    sheet.write_string(2, 10, "入力者: 企画課").unwrap();
    for (c, v) in ["1 健康", "1-1 保健", "1-1-1 健康づくり", "B", "参加者数", "86.7人", "100人", "B", "健康課"].iter().enumerate() {
        sheet.write_string(3, c as u16, *v).unwrap();
    }
    sheet.write_string(4, 4, "達成フラグ").unwrap();
    sheet.write_number(4, 5, 9.0).unwrap();
    sheet.write_boolean(4, 6, true).unwrap();
    sheet.write_formula(4, 7, "=1/0").unwrap();
    sheet.write_string(6, 2, "以上").unwrap();
    book.save(&path).unwrap();
    let (plan, stderr) = {
        let out = plancheck().args(["import", "--lang", "en"]).arg(&path).output().unwrap();
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    for line in ["指標 達成フラグ {", "実績: 9", "目標: true", "セル 基本政策1!K3: 入力者: 企画課", "指標の評価: A:100%以上、B:90%以上、C:70%以上、D"] {
        assert!(plan.contains(line), "{line}:\n{plan}\n{stderr}");
    }
    assert!(!plan.contains("施策 以上"), "{plan}");
    assert!(stderr.contains("1 施策"), "{stderr}");
    let out = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = report["diagnostics"].as_array().unwrap().iter().map(|d| (d["rule"].as_str().unwrap().to_string(), d["cell"].as_str().unwrap_or("-").to_string())).collect();
    // 86.7% is C by the printed legend (90% for B), stated B.
    assert!(found.contains(&("rating-mismatch".to_string(), "基本政策1!H4".to_string())), "{found:?}");
    assert!(found.contains(&("invalid-value".to_string(), "基本政策1!G5".to_string())), "{found:?}");
}

/// `--annotate`: an existing file is replaced only with --force, a macro
/// workbook's copy keeps its kind, an annotated copy is not annotated again,
/// and a sheet the user named like the findings sheet is theirs.
#[test]
fn annotate_refuses_what_would_lose_or_break_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.xlsx");
    city_workbook(&path);
    let other = dir.path().join("other.xlsx");
    std::fs::write(&other, b"another department's workbook").unwrap();
    let run = plancheck().args(["check", "--lang", "en", "--annotate"]).arg(&other).arg(&path).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("the file exists; --force replaces it"));
    assert_eq!(std::fs::read(&other).unwrap(), b"another department's workbook");
    let run = plancheck().args(["check", "--lang", "en", "--force", "--annotate"]).arg(&other).arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("findings written"), "{}", String::from_utf8_lossy(&run.stderr));
    // The copy again: refused, with the reason.
    let run = plancheck().args(["check", "--lang", "en", "--annotate"]).arg(dir.path().join("again.xlsx")).arg(&other).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("is a copy plancheck annotated"), "{}", String::from_utf8_lossy(&run.stderr));
    // A folder, and a folder that is not there.
    let run = plancheck().args(["check", "--lang", "en", "--annotate"]).arg(dir.path()).arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("is a folder"), "{}", String::from_utf8_lossy(&run.stderr));
    let run = plancheck().args(["check", "--lang", "en", "--annotate"]).arg(dir.path().join("no/such/x.xlsx")).arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("there is no folder"), "{}", String::from_utf8_lossy(&run.stderr));
    // An .xlsm's copy is an .xlsm.
    let macro_book = dir.path().join("m.xlsm");
    std::fs::copy(&path, &macro_book).unwrap();
    let run = plancheck().args(["check", "--lang", "en", "--annotate"]).arg(dir.path().join("m.xlsx")).arg(&macro_book).output().unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains("end its name with .xlsm"), "{}", String::from_utf8_lossy(&run.stderr));
    // A user's own sheet named 「plancheck指摘」 is imported.
    let own = dir.path().join("own.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    table(book.add_worksheet().set_name("基本政策1").unwrap(), None, &[["1 a", "1-1 b", "1-1-1 c", "B", "d", "50人", "100人", "D", "課"]]);
    book.add_worksheet().set_name("plancheck指摘").unwrap().write_string(0, 0, "自分のメモ").unwrap();
    book.save(&own).unwrap();
    let out = plancheck().args(["import", "--lang", "en"]).arg(&own).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("自分のメモ"), "{}", String::from_utf8_lossy(&out.stdout));
}

/// A 指標's grade merged down over the next 指標's row is each one's (no
/// false "定量評価がありません"); the merged cell is placed once.
#[test]
fn a_grade_merged_over_two_indicators_is_each_one_s() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("基本政策1").unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let plain = rust_xlsxwriter::Format::new();
    for (c, v) in ["1 健康", "1-1 保健", "1-1-1 健康づくり", "B"].iter().enumerate() {
        sheet.merge_range(1, c as u16, 2, c as u16, v, &plain).unwrap();
    }
    sheet.merge_range(1, 8, 2, 8, "健康課", &plain).unwrap();
    for (r, (name, actual)) in [("参加者数", "90人"), ("相談件数", "45件")].iter().enumerate() {
        sheet.write_string(1 + r as u32, 4, *name).unwrap();
        sheet.write_string(1 + r as u32, 5, *actual).unwrap();
        sheet.write_string(1 + r as u32, 6, if r == 0 { "100人" } else { "50件" }).unwrap();
    }
    sheet.merge_range(1, 7, 2, 7, "B", &plain).unwrap();
    book.save(&path).unwrap();
    let out = plancheck().args(["check", "--format", "json"]).arg(&path).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 0, "{report}");
    let (text, _) = cities::assert_every_visible_cell_placed(&path);
    assert_eq!(text.matches("定量評価: B").count(), 2, "{text}");
}
