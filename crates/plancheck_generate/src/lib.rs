//! Synthetic, realistic plans for benchmarks, property tests and fuzzing:
//! the hierarchy of a city's plan with varied Japanese prose, and a few of
//! the errors real sheets have (wrong grades, pasted paragraphs, missing
//! departments), deterministically from a seed.

use std::fmt::Write;

/// A small deterministic PRNG (xorshift64*), so generated plans are the
/// same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SUBJECTS: &[&str] = &[
    "健康づくり事業",
    "地域医療体制",
    "子育て支援",
    "高齢者の見守り",
    "障害者の就労支援",
    "地域福祉活動",
    "土地区画整理事業",
    "公共交通ネットワーク",
    "汚水処理施設",
    "水道施設の耐震化",
    "新規就農者の支援",
    "商店街の活性化",
    "企業誘致",
    "観光資源の活用",
    "自主防災組織",
    "防犯灯の設置",
    "消費生活相談",
    "ごみの減量化",
    "公園の維持管理",
    "学校給食",
    "青少年の健全育成",
    "文化財の保存",
    "生涯学習",
    "国際交流",
    "男女共同参画",
    "行政のデジタル化",
];
const ACTIONS: &[&str] = &["を推進した", "の充実を図った", "に取り組んだ", "を拡充した", "の周知を行った", "を実施した", "の体制を整えた", "の見直しを行った", "を支援した", "の整備を進めた"];
const CONTEXTS: &[&str] = &[
    "新型コロナウイルス感染症の影響により一部事業を縮小したが、",
    "関係機関と連携し、",
    "市民のニーズを把握しながら、",
    "国や県の補助制度を活用して、",
    "地域の団体と協力して、",
    "前年度の課題を踏まえて、",
    "デジタル技術を活用し、",
    "令和4年度は、",
];
const OUTCOMES: &[&str] = &[
    "参加者数が増加した。",
    "利用者の満足度が向上した。",
    "目標値の達成に向けて順調に進捗している。",
    "一定の成果が得られた。",
    "受診率が昨年度より増加した。",
    "地域の担い手の育成につながった。",
    "計画どおりに事業を完了した。",
    "市民の関心が高まった。",
];
const ISSUES: &[&str] = &[
    "構成員の高齢化が進んでおり、担い手の確保が課題である。",
    "財源の確保と事業の長期化が課題。",
    "更なる関係機関との連携が必要である。",
    "情報発信の方法を見直す必要がある。",
    "施設の老朽化への対応が必要。",
    "利用者の増加に向けた周知が必要である。",
    "地域間の格差が生じないよう取り組む必要がある。",
];
const UNITS: &[&str] = &["人", "%", "件", "団体", "回", "箇所", "t", "億円"];
const DEPARTMENTS: &[&str] = &["健康づくり課", "社会福祉課", "都市計画課", "下水道整備課", "農政課", "商工労働課", "文化観光課", "危機管理室", "資源循環課", "学校教育課", "市民活動課", "財政課"];

/// A made-up place name (`ミサトキ地区`): enough of them that two generated
/// texts are unlikely to be near copies by chance, so that the duplicate
/// findings of a generated plan grow with its size, not with its square
/// (real plans are written by different people about different places).
fn place(rng: &mut Rng) -> String {
    const KANA: &[char] = &[
        'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ', 'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ',
        'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ',
    ];
    let mut name: String = (0..4).map(|_| KANA[rng.below(KANA.len())]).collect();
    name.push_str(["地区", "町", "団地", "校区"][rng.below(4)]);
    name
}

fn sentence(rng: &mut Rng) -> String {
    let (year, count) = (1 + rng.below(5), 2 + rng.below(500));
    format!("{}令和{year}年度に{}と{}{}、{count}件の相談に対応した。{}", rng.pick(CONTEXTS), rng.pick(SUBJECTS), rng.pick(SUBJECTS), rng.pick(ACTIONS).trim_end_matches('。'), rng.pick(OUTCOMES))
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences).map(|_| sentence(rng)).collect()
}

/// A plan of about `target_bytes` bytes: one file's text.
pub fn plan(seed: u64, target_bytes: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(target_bytes + 4096);
    out.push_str("# 生成された計画 (plancheck のベンチマーク用)\n計画 第2次総合計画 {\n  実績年度: 令和4年度\n  目標年度: 令和6年度\n}\n\n");
    let mut basic = 0;
    let mut last_paragraph = String::new();
    while out.len() < target_bytes {
        basic += 1;
        let _ = writeln!(out, "基本政策 {basic} {}のまちをつくる {{", rng.pick(SUBJECTS));
        for policy in 1..=3 {
            let _ = writeln!(out, "  政策 {basic}-{policy} {}を進める {{", rng.pick(SUBJECTS));
            for measure in 1..=4 {
                let _ = writeln!(out, "    施策 {basic}-{policy}-{measure} {}の推進 {{", rng.pick(SUBJECTS));
                let _ = writeln!(out, "      全体評価: {}", ["A", "B", "C", "D"][rng.below(4)]);
                out.push_str("      自己評価:\n");
                for _ in 0..2 {
                    let _ = writeln!(out, "        | {}", paragraph(&mut rng, 2));
                }
                let mut grades = Vec::new();
                for _ in 0..1 + rng.below(3) {
                    let unit = rng.pick(UNITS);
                    let target = 50 + rng.below(20_000);
                    let actual = target * (30 + rng.below(90)) / 100;
                    let mut grade = match actual * 100 / target {
                        r if r >= 100 => "A",
                        r if r >= 80 => "B",
                        r if r >= 60 => "C",
                        _ => "D",
                    };
                    if rng.chance(5) {
                        grade = "B"; // a stated grade the arithmetic may contradict
                    }
                    grades.push(grade);
                    let _ = writeln!(out, "      指標 {}の{} {{", rng.pick(SUBJECTS), if unit == "%" { "割合" } else { "件数" });
                    let _ = writeln!(out, "        実績: {}{unit}", group(actual));
                    let _ = writeln!(out, "        目標: {}{unit}{}", group(target), if rng.chance(10) { " (R4年)" } else { "" });
                    let _ = writeln!(out, "        定量評価: {grade}");
                    out.push_str("      }\n");
                }
                let points: usize = grades
                    .iter()
                    .map(|g| match *g {
                        "A" => 3,
                        "B" => 2,
                        "C" => 1,
                        _ => 0,
                    })
                    .sum();
                let level = if points * 2 > 5 * grades.len() {
                    "高"
                } else if points * 2 > 3 * grades.len() {
                    "中"
                } else {
                    "低"
                };
                let _ = writeln!(out, "      定量評価: {level}");
                let mut levels = Vec::new();
                for _ in 0..2 + rng.below(3) {
                    let l = ["高", "中", "低"][rng.below(3)];
                    levels.push(l);
                    let _ = writeln!(out, "      展開 {}の充実 {{", rng.pick(SUBJECTS));
                    let _ = writeln!(out, "        取組: {}の推進", rng.pick(SUBJECTS));
                    let _ = writeln!(out, "        取組: {}の支援", rng.pick(SUBJECTS));
                    let result = if rng.chance(3) && !last_paragraph.is_empty() { last_paragraph.clone() } else { paragraph(&mut rng, 2) };
                    out.push_str("        成果:\n");
                    let _ = writeln!(out, "          | {result}");
                    last_paragraph = result;
                    let _ = writeln!(out, "        課題: {}の{}について、{}では{}{}", place(&mut rng), rng.pick(SUBJECTS), place(&mut rng), rng.pick(SUBJECTS), rng.pick(ISSUES));
                    let _ = writeln!(out, "        定性評価: {l}");
                    out.push_str("      }\n");
                }
                let qpoints: usize = levels
                    .iter()
                    .map(|l| match *l {
                        "高" => 3,
                        "中" => 2,
                        _ => 1,
                    })
                    .sum();
                let qlevel = if qpoints * 10 >= 25 * levels.len() {
                    "高"
                } else if qpoints * 10 >= 17 * levels.len() {
                    "中"
                } else {
                    "低"
                };
                let _ = writeln!(out, "      定性評価: {qlevel}");
                let _ = writeln!(out, "      次期課題: {}と{}の{}{}", place(&mut rng), place(&mut rng), rng.pick(SUBJECTS), rng.pick(ISSUES));
                let _ = writeln!(
                    out,
                    "      次期方向性: {}と{}で{}{}。",
                    place(&mut rng),
                    place(&mut rng),
                    rng.pick(SUBJECTS),
                    rng.pick(ACTIONS).replace("した", "する").replace("った", "う").replace("だ", "む")
                );
                if !rng.chance(4) {
                    let _ = writeln!(out, "      代表課: {}", rng.pick(DEPARTMENTS));
                }
                out.push_str("    }\n");
            }
            out.push_str("  }\n");
        }
        out.push_str("}\n\n");
    }
    out
}

fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A workspace of `files` plans of about `bytes_each` bytes, with distinct
/// 基本政策 numbers per file.
pub fn workspace(seed: u64, files: usize, bytes_each: usize) -> Vec<(String, String)> {
    (0..files)
        .map(|i| {
            let text = plan(seed.wrapping_add(i as u64), bytes_each);
            // Renumber 基本政策 so that IDs do not collide across files.
            let offset = (i * 1000) as u64;
            let text = renumber(&text, offset);
            (format!("generated/plan-{i:04}.plan"), text)
        })
        .collect()
}

fn renumber(text: &str, offset: u64) -> String {
    if offset == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 50);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let mut done = false;
        for kw in ["基本政策 ", "政策 ", "施策 "] {
            if let Some(rest) = trimmed.strip_prefix(kw) {
                let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
                if let Ok(n) = rest[..end].parse::<u64>() {
                    let _ = write!(out, "{indent}{kw}{}{}", n + offset, &rest[end..]);
                    done = true;
                }
                break;
            }
        }
        if !done {
            out.push_str(line);
        }
    }
    out
}
