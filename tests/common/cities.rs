//! The workbooks of two invented cities, as their planning offices keep
//! them, made here (never by hand) with every trap of a real office
//! workbook and a few planted mistakes each:
//!
//! - みどり市 (`midori.xlsx`): a cover sheet, one sheet per 基本政策 with a
//!   title and the legend above a two-row header (merged group headings,
//!   headings merged down both rows), 施策 cells merged down their rows,
//!   number cells with formats (`0.0%`, `#,##0"人"`), a hidden column of
//!   staff extensions and a hidden sheet. Planted: a grade the legend's
//!   arithmetic contradicts, a 施策 without its department, one paragraph
//!   pasted into three rows, and a 施策 under the wrong number.
//! - あおば町 (`aoba.xlsx`, and `aoba.csv` in Shift_JIS as its system
//!   writes it): a neighbouring city's layout (施策番号, 施策名, 担当課,
//!   指標名, 単位, 基準値(R元), 実績値(R5), 目標値(R7), 達成度, 評価, 取組内容,
//!   成果, 課題), a notes sheet after the table, a lower-is-better
//!   indicator with no 方向 column. Planted: a 達成度 that is not 実績 ÷ 目標,
//!   a grade the legend contradicts, and a 施策 without its department.
//!
//! `PLANCHECK_CITIES_OUT=DIR cargo test --test cities` also writes them to
//! DIR, to open in Excel or LibreOffice.

#![allow(dead_code)]

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet};
use std::path::Path;

/// A cell of the generated tables: text, or a number with its format.
#[derive(Clone, Copy)]
pub enum Value {
    Text(&'static str),
    Number(f64, &'static str),
    Empty,
}

use Value::{Empty, Number, Text};

pub struct MidoriIndicator {
    pub title: &'static str,
    pub actual: Value,
    pub target: Value,
    pub grade: &'static str,
}

pub struct MidoriDevelopment {
    pub title: &'static str,
    pub result: &'static str,
    pub issue: &'static str,
    pub level: &'static str,
}

pub struct MidoriMeasure {
    pub id: &'static str,
    pub title: &'static str,
    pub overall: &'static str,
    pub department: &'static str,
    pub staff: &'static str,
    pub indicators: Vec<MidoriIndicator>,
    pub developments: Vec<MidoriDevelopment>,
}

pub struct MidoriSheet {
    pub name: &'static str,
    pub basic: &'static str,
    pub policy: &'static str,
    pub measures: Vec<MidoriMeasure>,
}

const PASTED: &str = "地域の関係団体と連携し、講座や相談会を年間を通じて開催した。参加者の満足度は高い。";

fn ind(title: &'static str, actual: Value, target: Value, grade: &'static str) -> MidoriIndicator {
    MidoriIndicator { title, actual, target, grade }
}

fn dev(title: &'static str, result: &'static str, issue: &'static str, level: &'static str) -> MidoriDevelopment {
    MidoriDevelopment { title, result, issue, level }
}

/// みどり市's plan: 7 施策, 16 指標, 14 展開 over three sheets.
pub fn midori() -> Vec<MidoriSheet> {
    vec![
        MidoriSheet {
            name: "基本政策1",
            basic: "1 健康で安心して暮らせるまち",
            policy: "1-1 健康づくりと医療",
            measures: vec![
                MidoriMeasure {
                    id: "1-1-1",
                    title: "健康づくりの推進",
                    overall: "B",
                    department: "健康づくり課",
                    staff: "山田 (内線1234)",
                    indicators: vec![
                        // Planted: 55.4% ÷ 80% = 69.25%: C, stated B.
                        ind("特定健診の受診率", Number(0.554, "0.0%"), Number(0.8, "0%"), "B"),
                        ind("健康教室の参加者数", Number(5900.0, "#,##0\"人\""), Number(6000.0, "#,##0\"人\""), "B"),
                        ind("健康ポイント事業の登録者数", Number(3200.0, "#,##0\"人\""), Number(3000.0, "#,##0\"人\""), "A"),
                    ],
                    developments: vec![
                        dev("健診の受診勧奨", "未受診者へはがきと電話で受診を勧めた。", "働く世代の受診率が伸びていない。", "中"),
                        dev("健康教育の充実", PASTED, "若い世代の参加が少ない。", "高"),
                    ],
                },
                MidoriMeasure {
                    id: "1-1-2",
                    title: "地域医療体制の充実",
                    overall: "A",
                    // Planted: no department.
                    department: "",
                    staff: "佐藤 (内線2345)",
                    indicators: vec![
                        ind("休日診療所の開設日数", Number(72.0, "0\"日\""), Number(72.0, "0\"日\""), "A"),
                        ind("かかりつけ医を持つ市民の割合", Number(0.612, "0.0%"), Number(0.65, "0%"), "B"),
                    ],
                    developments: vec![
                        dev("救急医療体制の確保", "休日と夜間の診療体制を医師会と維持した。", "医師の高齢化が進んでいる。", "高"),
                        dev("医療情報の提供", PASTED, "情報が高齢者に届きにくい。", "中"),
                    ],
                },
                MidoriMeasure {
                    id: "1-1-3",
                    title: "こころの健康づくり",
                    overall: "B",
                    department: "障がい福祉課",
                    staff: "鈴木 (内線3456)",
                    indicators: vec![
                        ind("ゲートキーパー養成講座の修了者数", Number(410.0, "#,##0\"人\""), Number(500.0, "#,##0\"人\""), "B"),
                        ind("こころの相談の実施回数", Number(48.0, "0\"回\""), Number(48.0, "0\"回\""), "A"),
                    ],
                    developments: vec![
                        dev("相談窓口の周知", PASTED, "相談につながらない人への支援が要る。", "中"),
                        dev("人材の養成", "民生委員や職員を対象に講座を開いた。", "受講者の地域の偏りがある。", "中"),
                    ],
                },
            ],
        },
        MidoriSheet {
            name: "基本政策2",
            basic: "2 学び育つまち",
            policy: "2-1 学校教育",
            measures: vec![
                MidoriMeasure {
                    id: "2-1-1",
                    title: "確かな学力の育成",
                    overall: "B",
                    department: "学校教育課",
                    staff: "高橋 (内線4567)",
                    indicators: vec![
                        ind("授業がわかると答えた児童の割合", Number(0.862, "0.0%"), Number(0.9, "0%"), "B"),
                        ind("英語検定3級以上の取得率", Number(0.415, "0.0%"), Number(0.5, "0%"), "B"),
                        ind("学校図書館の貸出冊数", Number(152000.0, "#,##0\"冊\""), Number(150000.0, "#,##0\"冊\""), "A"),
                    ],
                    developments: vec![
                        dev("授業改善の推進", "教員の研修で授業の進め方を共有した。", "学校ごとの差が大きい。", "中"),
                        dev("外国語教育の充実", "外国語指導助手を2人増やした。", "中学校の指導体制が足りない。", "高"),
                    ],
                },
                MidoriMeasure {
                    // Planted: a 施策 of 基本政策3 under 政策 2-1.
                    id: "3-1-2",
                    title: "特別支援教育の充実",
                    overall: "C",
                    department: "学校教育課",
                    staff: "高橋 (内線4567)",
                    indicators: vec![ind("支援員の配置校数", Number(14.0, "0\"校\""), Number(20.0, "0\"校\""), "C"), ind("個別の指導計画の作成率", Number(0.9, "0%"), Number(1.0, "0%"), "B")],
                    developments: vec![
                        dev("支援員の配置", "支援員を4校に新たに置いた。", "支援員のなり手が少ない。", "中"),
                        dev("保護者との連携", "就学相談を年に3回開いた。", "相談の待ち時間が長い。", "低"),
                    ],
                },
            ],
        },
        MidoriSheet {
            name: "基本政策3",
            basic: "3 活力あるまち",
            policy: "3-1 産業振興",
            measures: vec![
                MidoriMeasure {
                    id: "3-1-1",
                    title: "商工業の振興",
                    overall: "B",
                    department: "商工観光課",
                    staff: "伊藤 (内線5678)",
                    indicators: vec![
                        ind("創業支援による創業件数", Number(18.0, "0\"件\""), Number(20.0, "0\"件\""), "B"),
                        ind("市内事業所の従業者数", Number(21500.0, "#,##0\"人\""), Number(22000.0, "#,##0\"人\""), "B"),
                    ],
                    developments: vec![
                        dev("創業の支援", "創業塾を開き、修了者の半数が創業した。", "創業後の資金繰りの相談が多い。", "高"),
                        dev("事業承継の支援", "事業承継の個別相談を27件受けた。", "後継者のいない事業所が多い。", "中"),
                    ],
                },
                MidoriMeasure {
                    id: "3-1-3",
                    title: "観光の振興",
                    overall: "C",
                    department: "商工観光課",
                    staff: "伊藤 (内線5678)",
                    indicators: vec![
                        ind("観光入込客数", Number(128.0, "0.0\"万人\""), Number(160.0, "0.0\"万人\""), "B"),
                        ind("観光案内所の利用者数", Number(8400.0, "#,##0\"人\""), Number(12000.0, "#,##0\"人\""), "C"),
                    ],
                    developments: vec![
                        dev("観光資源の磨き上げ", "花の名所を巡る周遊ルートを設けた。", "滞在時間が短く消費につながらない。", "中"),
                        dev("情報発信の強化", "動画配信で市の魅力を伝えた。", "外国人向けの発信が足りない。", "低"),
                    ],
                },
            ],
        },
    ]
}

const MIDORI_LEGEND: &str = "指標の評価: A:100%以上、B:80%以上100%未満、C:60%以上80%未満、D:60%未満";

fn write(sheet: &mut Worksheet, row: u32, column: u16, value: Value, formats: &Formats) {
    match value {
        Text(text) if !text.is_empty() => {
            sheet.write_string_with_format(row, column, text, &formats.cell).unwrap();
        }
        Number(n, format) => {
            sheet.write_number_with_format(row, column, n, &formats.cell.clone().set_num_format(format)).unwrap();
        }
        _ => {}
    }
}

struct Formats {
    header: Format,
    cell: Format,
    title: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new().set_bold().set_align(FormatAlign::Center).set_background_color("#DDEBF7").set_border(rust_xlsxwriter::FormatBorder::Thin),
        cell: Format::new().set_text_wrap().set_border(rust_xlsxwriter::FormatBorder::Thin),
        title: Format::new().set_bold().set_font_size(14),
    }
}

/// Writes a cell down `rows` rows (merged when more than one).
fn down(sheet: &mut Worksheet, first: u32, rows: u32, column: u16, text: &str, format: &Format) {
    if rows > 1 {
        sheet.merge_range(first, column, first + rows - 1, column, text, format).unwrap();
    } else {
        sheet.write_string_with_format(first, column, text, format).unwrap();
    }
}

/// Columns of みどり市's sheets: A 基本政策, B 政策, C 施策名, D 全体評価,
/// E–H 指標 (指標名, 実績, 目標, 評価), I–L 施策の展開 (展開, 成果, 課題,
/// 評価), M 施策代表課, N 担当者（内線） (hidden).
pub fn midori_workbook(path: &Path) {
    let f = formats();
    let mut book = Workbook::new();
    let cover = book.add_worksheet().set_name("表紙").unwrap();
    cover.write_string_with_format(2, 1, "みどり市総合計画 後期基本計画", &f.title).unwrap();
    cover.write_string(4, 1, "施策の成果・課題一覧 (令和5年度)").unwrap();
    cover.write_string(8, 1, "令和6年7月 みどり市 企画部 企画政策課").unwrap();
    for sheet_data in midori() {
        let sheet = book.add_worksheet().set_name(sheet_data.name).unwrap();
        sheet.set_column_width(2, 24).unwrap();
        sheet.set_column_width(4, 28).unwrap();
        sheet.set_column_width(8, 20).unwrap();
        sheet.set_column_width(9, 36).unwrap();
        sheet.set_column_width(10, 30).unwrap();
        sheet.merge_range(0, 0, 0, 12, &format!("基本政策{}", sheet_data.basic), &f.title).unwrap();
        sheet.write_string(1, 0, MIDORI_LEGEND).unwrap();
        // The header: rows 4 and 5.
        for (column, heading) in [(0, "基本政策"), (1, "政策"), (2, "施策名"), (3, "全体評価"), (12, "施策代表課"), (13, "担当者（内線）")] {
            sheet.merge_range(3, column, 4, column, heading, &f.header).unwrap();
        }
        sheet.merge_range(3, 4, 3, 7, "指標", &f.header).unwrap();
        sheet.merge_range(3, 8, 3, 11, "施策の展開", &f.header).unwrap();
        for (column, heading) in [(4, "指標名"), (5, "令和5年度実績値"), (6, "令和7年度目標値"), (7, "評価"), (8, "展開"), (9, "成果"), (10, "課題"), (11, "評価")] {
            sheet.write_string_with_format(4, column, heading, &f.header).unwrap();
        }
        sheet.set_column_hidden(13).unwrap();
        let mut row = 5u32;
        let measure_rows: u32 = sheet_data.measures.iter().map(|m| m.indicators.len().max(m.developments.len()) as u32).sum();
        down(sheet, row, measure_rows, 0, sheet_data.basic, &f.cell);
        down(sheet, row, measure_rows, 1, sheet_data.policy, &f.cell);
        for measure in &sheet_data.measures {
            let rows = measure.indicators.len().max(measure.developments.len()) as u32;
            down(sheet, row, rows, 2, &format!("{} {}", measure.id, measure.title), &f.cell);
            down(sheet, row, rows, 3, measure.overall, &f.cell);
            if measure.department.is_empty() {
                // Blank cells, merged as the others are.
                if rows > 1 {
                    sheet.merge_range(row, 12, row + rows - 1, 12, "", &f.cell).unwrap();
                }
            } else {
                down(sheet, row, rows, 12, measure.department, &f.cell);
            }
            down(sheet, row, rows, 13, measure.staff, &f.cell);
            for (i, indicator) in measure.indicators.iter().enumerate() {
                let r = row + i as u32;
                write(sheet, r, 4, Text(indicator.title), &f);
                write(sheet, r, 5, indicator.actual, &f);
                write(sheet, r, 6, indicator.target, &f);
                write(sheet, r, 7, Text(indicator.grade), &f);
            }
            for (i, development) in measure.developments.iter().enumerate() {
                let r = row + i as u32;
                write(sheet, r, 8, Text(development.title), &f);
                write(sheet, r, 9, Text(development.result), &f);
                write(sheet, r, 10, Text(development.issue), &f);
                write(sheet, r, 11, Text(development.level), &f);
            }
            row += rows;
        }
    }
    let staff = book.add_worksheet().set_name("担当者一覧").unwrap();
    staff.write_string(0, 0, "担当者").unwrap();
    staff.write_string(0, 1, "内線").unwrap();
    staff.write_string(1, 0, "山田 太郎").unwrap();
    staff.write_number(1, 1, 1234.0).unwrap();
    staff.set_hidden(true);
    book.save(path).unwrap();
}

/// あおば町's rows: 施策番号, 施策名, 担当課, 指標名, 単位, 基準値(R元),
/// 実績値(R5), 目標値(R7), 達成度, 評価, 取組内容, 成果, 課題 (a 施策's
/// later rows leave its first three cells blank).
pub const AOBA_HEADER: [&str; 13] = ["施策番号", "施策名", "担当課", "指標名", "単位", "基準値(R元)", "実績値(R5)", "目標値(R7)", "達成度", "評価", "取組内容", "成果", "課題"];

pub fn aoba_rows() -> Vec<[Value; 13]> {
    vec![
        [
            Text("1-1-1"),
            Text("子育て支援の充実"),
            Text("こども課"),
            Text("保育所の定員"),
            Text("人"),
            Number(1200.0, "#,##0"),
            Number(1290.0, "#,##0"),
            Number(1300.0, "#,##0"),
            Number(0.992, "0.0%"),
            Text("B"),
            Text("保育所の整備"),
            Text("小規模保育所を2か所開き、定員を90人増やした。"),
            Text("保育士の確保が難しい。"),
        ],
        [
            Empty,
            Empty,
            Empty,
            Text("子育て相談の件数"),
            Text("件"),
            Number(800.0, "#,##0"),
            Number(1020.0, "#,##0"),
            Number(1000.0, "#,##0"),
            Number(1.02, "0.0%"),
            Text("A"),
            Text("相談体制の充実"),
            Text("子育て世代包括支援センターで相談に応じた。"),
            Text("夜間の相談に応じる体制がない。"),
        ],
        [
            Text("1-1-2"),
            Text("学校教育の充実"),
            Text("学校教育課"),
            Text("英語検定の取得率"),
            Text("%"),
            Number(30.5, "0.0"),
            Number(41.2, "0.0"),
            Number(50.0, "0.0"),
            // Planted: 41.2 ÷ 50 = 82.4%, stated 92.4%.
            Number(0.924, "0.0%"),
            Text("B"),
            Text("英語教育の推進"),
            Text("外国語指導助手を増員し、授業の半分を英語で行った。"),
            Text("教員の負担が増えている。"),
        ],
        [
            Text("1-2-1"),
            Text("ごみの減量"),
            Text("環境課"),
            // Lower is better, with no 方向 column: 600 ÷ 610 = 98.4%, B.
            Text("1人1日あたりのごみ排出量"),
            Text("g"),
            Number(650.0, "#,##0"),
            Number(610.0, "#,##0"),
            Number(600.0, "#,##0"),
            Number(0.984, "0.0%"),
            Text("B"),
            Text("分別の徹底"),
            Text("資源物の分別を呼びかけ、集積所を巡回した。"),
            Text("集合住宅の分別が進まない。"),
        ],
        [
            Text("2-1-1"),
            Text("地域公共交通の確保"),
            // Planted: no department.
            Empty,
            Text("コミュニティバスの利用者数"),
            Text("人"),
            Number(52000.0, "#,##0"),
            Number(48100.0, "#,##0"),
            Number(60000.0, "#,##0"),
            Number(0.802, "0.0%"),
            Text("B"),
            Text("路線の見直し"),
            Text("利用の少ない便を減らし、病院への直行便を設けた。"),
            Text("運転手が不足している。"),
        ],
        [
            Text("2-1-2"),
            Text("防災力の向上"),
            Text("危機管理課"),
            Text("自主防災組織の結成率"),
            Text("%"),
            Number(70.0, "0.0"),
            Number(74.0, "0.0"),
            Number(85.0, "0.0"),
            Number(0.871, "0.0%"),
            // Planted: 74 ÷ 85 = 87.1%: B, stated A.
            Text("A"),
            Text("組織づくりの支援"),
            Text("自治会に出向き、組織の結成を支援した。"),
            Text("役員の高齢化で活動が続かない。"),
        ],
    ]
}

/// The text of a generated cell as the sheet shows it (what a CSV export
/// of the sheet holds).
pub fn shown(value: Value) -> String {
    match value {
        Text(text) => text.to_string(),
        Empty => String::new(),
        Number(n, "0.0%") => format!("{:.1}%", n * 100.0),
        Number(n, "0.0") => format!("{n:.1}"),
        Number(n, _) => {
            let digits = format!("{}", n as i64);
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            grouped
        }
    }
}

pub fn aoba_workbook(path: &Path) {
    let f = formats();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("施策評価").unwrap();
    sheet.write_string_with_format(0, 0, "あおば町 第5次総合計画 施策評価シート (令和5年度)", &f.title).unwrap();
    for (c, heading) in AOBA_HEADER.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *heading, &f.header).unwrap();
    }
    for (r, row) in aoba_rows().iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            write(sheet, 3 + r as u32, c as u16, *value, &f);
        }
    }
    let notes = book.add_worksheet().set_name("記入要領").unwrap();
    notes.write_string(0, 0, "評価は 達成度 により A:100%以上、B:80%以上100%未満、C:60%以上80%未満、D:60%未満 とする。").unwrap();
    notes.write_string(1, 0, "達成度は 実績値 ÷ 目標値 (少ないほどよい指標は 目標値 ÷ 実績値) とする。").unwrap();
    book.save(path).unwrap();
}

/// あおば町's table as its system exports it: CSV in Shift_JIS.
pub fn aoba_csv(path: &Path) {
    let mut text = String::from("あおば町 第5次総合計画 施策評価シート (令和5年度)\r\n\r\n");
    text.push_str(&AOBA_HEADER.join(","));
    text.push_str("\r\n");
    for row in aoba_rows() {
        let cells: Vec<String> = row
            .iter()
            .map(|v| {
                let t = shown(*v);
                if t.contains(',') { format!("\"{t}\"") } else { t }
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push_str("\r\n");
    }
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable, "the text is in Shift_JIS");
    std::fs::write(path, bytes).unwrap();
}

/// さくら市 (`sakura.xlsx`): one sheet per 施策 (a card), as most offices
/// keep them: the 施策's number, name, department and grade as labels
/// beside their values, an indicator grid with years across (a year over
/// 実績 / 目標 in two header rows on one card; bare years and a 区分 column
/// on another), and a table of its 展開. Planted: a grade the legend
/// contradicts (990 ÷ 1,100 = 90%: B, stated A) and a 施策 whose 担当課 is
/// left blank.
pub fn sakura_workbook(path: &Path) {
    let f = formats();
    let mut book = Workbook::new();
    let labels = |sheet: &mut Worksheet, number: &str, title: &str, department: &str, grade: &str| {
        sheet.write_string_with_format(0, 0, "令和5年度 さくら市 施策評価シート", &f.title).unwrap();
        for (r, c, text) in [(2, 0, "施策番号"), (2, 3, "施策名"), (3, 0, "担当課"), (3, 3, "総合評価")] {
            sheet.write_string_with_format(r, c, text, &f.header).unwrap();
        }
        sheet.write_string(2, 1, number).unwrap();
        sheet.merge_range(2, 4, 2, 7, title, &f.cell).unwrap();
        if !department.is_empty() {
            sheet.write_string(3, 1, department).unwrap();
        }
        sheet.write_string(3, 4, grade).unwrap();
    };
    let developments = |sheet: &mut Worksheet, first: u32, rows: &[[&str; 4]]| {
        for (c, h) in ["取組内容", "成果", "課題", "評価"].iter().enumerate() {
            sheet.write_string_with_format(first, c as u16, *h, &f.header).unwrap();
        }
        for (i, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string_with_format(first + 1 + i as u32, c as u16, *v, &f.cell).unwrap();
            }
        }
    };
    // A year over 実績 / 目標.
    let first = book.add_worksheet().set_name("1-1-1").unwrap();
    labels(first, "1-1-1", "健康づくりの推進", "健康づくり課", "B");
    for (c, h) in [(0, "指標名"), (1, "単位"), (2, "基準値(R元)"), (7, "評価")] {
        first.merge_range(5, c, 6, c, h, &f.header).unwrap();
    }
    first.merge_range(5, 3, 5, 4, "令和4年度", &f.header).unwrap();
    first.merge_range(5, 5, 5, 6, "令和5年度", &f.header).unwrap();
    for (c, h) in [(3, "実績"), (4, "目標"), (5, "実績"), (6, "目標")] {
        first.write_string_with_format(6, c, h, &f.header).unwrap();
    }
    // (name, unit, baseline, R4 actual, R4 target, R5 actual, R5 target, grade)
    type GridRow<'a> = (&'a str, &'a str, f64, f64, f64, f64, f64, &'a str);
    let grid: [GridRow<'_>; 2] = [("特定健診の受診率", "%", 45.2, 50.1, 52.0, 55.4, 60.0, "B"), ("健康教室の参加者数", "人", 4800.0, 5600.0, 5500.0, 5900.0, 6000.0, "B")];
    for (i, (name, unit, base, a4, t4, a5, t5, grade)) in grid.iter().enumerate() {
        let r = 7 + i as u32;
        first.write_string(r, 0, *name).unwrap();
        first.write_string(r, 1, *unit).unwrap();
        for (c, v) in [(2, base), (3, a4), (4, t4), (5, a5), (6, t5)] {
            first.write_number(r, c, *v).unwrap();
        }
        first.write_string(r, 7, *grade).unwrap();
    }
    developments(
        first,
        10,
        &[["健診の受診勧奨", "未受診者に通知と電話で受診を勧めた。", "働く世代の受診が少ない。", "中"], ["健康教育の充実", "地区ごとに健康教室を開いた。", "若い世代の参加が少ない。", "高"]],
    );
    // Bare years and a 区分 column: a target row and an actual row per indicator.
    let second = book.add_worksheet().set_name("1-1-2").unwrap();
    labels(second, "1-1-2", "子育て相談の充実", "こども課", "B");
    for (c, h) in ["指標名", "単位", "区分", "R3", "R4", "R5", "R6", "R7", "評価"].iter().enumerate() {
        second.write_string_with_format(5, c as u16, *h, &f.header).unwrap();
    }
    second.merge_range(6, 0, 7, 0, "子育て相談の件数", &f.cell).unwrap();
    second.merge_range(6, 1, 7, 1, "件", &f.cell).unwrap();
    second.write_string(6, 2, "目標").unwrap();
    second.write_string(7, 2, "実績").unwrap();
    for (c, v) in [(3, 900.0), (4, 950.0), (5, 1000.0), (6, 1050.0), (7, 1100.0)] {
        second.write_number(6, c, v).unwrap();
    }
    for (c, v) in [(3, 880.0), (4, 940.0), (5, 990.0)] {
        second.write_number(7, c, v).unwrap();
    }
    // Planted: 990 ÷ 1,100 = 90%: B, stated A.
    second.merge_range(6, 8, 7, 8, "A", &f.cell).unwrap();
    developments(second, 9, &[["相談窓口の充実", "休日の相談日を月に2回設けた。", "相談員が足りない。", "中"]]);
    // Planted: no 担当課.
    let third = book.add_worksheet().set_name("2-1-1").unwrap();
    labels(third, "2-1-1", "観光の振興", "", "C");
    for (c, h) in ["指標名", "単位", "R4実績", "R5実績", "R7目標", "評価"].iter().enumerate() {
        third.write_string_with_format(5, c as u16, *h, &f.header).unwrap();
    }
    third.write_string(6, 0, "観光入込客数").unwrap();
    third.write_string(6, 1, "万人").unwrap();
    for (c, v) in [(2, 120.0), (3, 128.0), (4, 160.0)] {
        third.write_number(6, c, v).unwrap();
    }
    third.write_string(6, 5, "B").unwrap();
    developments(third, 8, &[["観光資源の磨き上げ", "花の名所を巡る周遊ルートを設けた。", "滞在時間が短い。", "中"]]);
    book.save(path).unwrap();
}

/// Imports a table in memory and asserts that every visible non-empty cell
/// of every sheet read is placed exactly once and that its text (but a
/// heading's) is in the plan; returns the plan's text and the sheets read.
pub fn assert_every_visible_cell_placed(path: &Path) -> (String, Vec<Option<String>>) {
    use plancheck::import::grid::{ReadOptions, read_book_in};
    use plancheck::import::{Placement, import_book_in};
    let book = read_book_in(path, &ReadOptions::default(), plancheck::diagnostics::Lang::En).unwrap();
    let imported = import_book_in(&book, "book", plancheck::diagnostics::Lang::En).unwrap();
    let squeeze = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let output = squeeze(&imported.text.lines().map(|l| l.trim_start().trim_start_matches('|')).collect::<Vec<_>>().join("\n"));
    for (page, placements) in book.pages.iter().zip(&imported.placements) {
        let mut placed: Vec<(usize, usize)> = placements.iter().map(|(at, _)| *at).collect();
        placed.sort();
        assert_eq!(placed, page.grid.non_empty_cells(), "{path:?} {:?}: every non-empty cell placed exactly once", page.name);
        for ((row, col), placement) in placements {
            if *placement == Placement::Header {
                continue;
            }
            let text = &page.grid.rows[row - 1][col - 1];
            assert!(output.contains(&squeeze(text)), "{path:?} {:?} {row},{col}: {text} is in the plan", page.name);
        }
    }
    (imported.text, book.pages.iter().map(|p| p.name.clone()).collect())
}
