//! Named legends: the published schemes of real bodies (the research in
//! `rating-schemes.md`, each with its source), as `[rating]` tables that
//! `plancheck init --preset NAME` writes out, commented. Each is data, read
//! by the same code as any `plancheck.toml`; where the published legend
//! leaves something open, the preset says how plancheck reads it.

use crate::legend::LegendToml;
use crate::rating::RatingScheme;

/// A published legend.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    /// Its name for `--preset` (ASCII, kebab-case).
    pub name: &'static str,
    /// Whose legend it is.
    pub body_ja: &'static str,
    pub body_en: &'static str,
    /// The legend as published, in its own words.
    pub published: &'static str,
    /// How plancheck reads what the legend leaves open.
    pub reading_ja: &'static str,
    pub reading_en: &'static str,
    pub source: &'static str,
    /// The `[rating]` table's keys (without the header).
    pub table: &'static str,
}

impl Preset {
    /// The rating scheme it gives.
    pub fn scheme(&self) -> RatingScheme {
        let table: LegendToml = toml::from_str(self.table).unwrap_or_else(|e| panic!("preset {}: {e}", self.name));
        RatingScheme::try_from(table).unwrap_or_else(|e| panic!("preset {}: {e}", self.name))
    }
}

/// Every preset, the default (伊勢崎市's, the spec's) first.
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "isesaki",
        body_ja: "伊勢崎市 第2次総合計画 (仕様の既定)",
        body_en: "Isesaki City, 2nd comprehensive plan (the spec's default)",
        published: "A 100%以上、B 80%以上、C 60%以上、D 60%未満 (実績 ÷ 目標)。施策の定量評価は A3・B2・C1・D0 の平均が 2.5 を超えると 高、1.5 を超えると 中。定性評価は 高3・中2・低1 の平均が 2.5 以上で 高、1.7 以上で 中。",
        reading_ja: "公表どおり。",
        reading_en: "As published.",
        source: "the seed document (../shared/seed/); https://www.city.isesaki.lg.jp/gyoseijoho/seisaku_keikaku/sogokeikaku/14716.html",
        table: "",
    },
    Preset {
        name: "nagayo",
        body_ja: "長与町 第9次総合計画",
        body_en: "Nagayo Town, 9th comprehensive plan",
        published: "S(現在値が目標値を超えている)・A(基準値を超えている)・B(基準値と同水準(△10%以内))・C(基準値より下落)・−(把握できない等)",
        reading_ja: "基準値からの増減率で評価します。△ は負の数の印なので、B は基準値から −10% まで (基準値を超えない)、A は基準値を超えるもの、C は −10% より下がったもの。S は目標を超えたとき (段階によらず)。− は取得できない値。施策のまとめ方は公表されていないので判断 (manual) とします。",
        reading_en: "Graded by the change from the baseline. △ marks a negative number, so B is from −10% up to the baseline, A above it, C more than 10% below; S whenever the target is exceeded, whatever the band; − is not obtainable. How a 施策 is summed up is not published: manual.",
        source: "https://webtown.nagayo.jp/kiji0032107/index.html",
        table: r#"method = "baseline"
grades = [
  { symbol = "S", target = "exceeded", points = 3 },
  { symbol = "A", above = 0, points = 2 },
  { symbol = "B", from = -10, points = 1 },
  { symbol = "C", points = 0 },
]
[quantitative]
aggregate = "manual"
scale = [{ symbol = "高" }, { symbol = "中" }, { symbol = "低" }]
"#,
    },
    Preset {
        name: "motomiya",
        body_ja: "本宮市 第2次総合計画 施策評価",
        body_en: "Motomiya City, 2nd comprehensive plan, measure evaluation",
        published: "(2019実績値 − 2017近況値) ÷ (2023目標値 − 2017近況値)。5年のうち1年目は 100% × 1/5 = 20% を A 評価として、以下 5% 刻みで5段階。目標値が累計の場合は、目標値に対しての割合。",
        reading_ja: "進捗率で A 20%以上、B 15%以上、C 10%以上、D 5%以上、E 5%未満 (1年目の境目)。累計の目標の指標には `計算方法: ratio` を書きます。施策のまとめ方は公表されていないので判断 (manual)。",
        reading_en: "Progress: A from 20%, B from 15%, C from 10%, D from 5%, E below (the first year's bounds). An indicator with a cumulative target writes `計算方法: ratio`. How a 施策 is summed up is not published: manual.",
        source: "https://701688.fgnqrw60.asia/soshiki/46/sesakuhyouka.html (a mirror of a 本宮市 page)",
        table: r#"method = "progress"
grades = [
  { symbol = "A", from = 20 },
  { symbol = "B", from = 15 },
  { symbol = "C", from = 10 },
  { symbol = "D", from = 5 },
  { symbol = "E" },
]
[quantitative]
aggregate = "manual"
scale = [{ symbol = "高" }, { symbol = "中" }, { symbol = "低" }]
"#,
    },
    Preset {
        name: "ibaraki",
        body_ja: "茨城県 総合計画・総合戦略 KPI",
        body_en: "Ibaraki Prefecture, comprehensive plan and strategy KPIs",
        published: "A:順調(実績値が期待値以上)、B+:概ね順調(期待値の80~99%)、B:やや遅れ(50~79%)、C:遅れ(50%未満)。施策の評価を数値化し、その平均値で 順調/概ね順調/やや遅れ/遅れ。",
        reading_ja: "期待値に対する割合 (指標の `期待値`、なければ基準値から目標への直線) で A 100%以上、B+ 80%以上、B 50%以上、C 50%未満。平均の境目は公表されていないので、まとめは判断 (manual) で記号 順調・概ね順調・やや遅れ・遅れ を確かめます。",
        reading_en: "Against the expected value (the indicator's `期待値`, else the line from the baseline to the target): A from 100%, B+ from 80%, B from 50%, C below. The bounds of the mean are not published: the summary is manual, with the symbols 順調, 概ね順調, やや遅れ, 遅れ.",
        source: "https://pdfslide.net/documents/eoecoeoeffcccc-77-eoecoeoeffccccfkpiece.html (mirror); http://www.pref.ibaraki.jp/bugai/seisakushingi/seisaku/seisakuhyoka/24-hyoka/toppage4.html",
        table: r#"method = "expected"
grades = [
  { symbol = "A", from = 100, points = 4 },
  { symbol = "B+", from = 80, points = 3 },
  { symbol = "B", from = 50, points = 2 },
  { symbol = "C", points = 1 },
]
[quantitative]
aggregate = "manual"
scale = [{ symbol = "順調" }, { symbol = "概ね順調" }, { symbol = "やや遅れ" }, { symbol = "遅れ" }]
"#,
    },
    Preset {
        name: "osaka-library",
        body_ja: "大阪府立図書館 活動評価",
        body_en: "Osaka Prefectural Library, activity evaluation",
        published: "A 110%以上、B 80~110%、C 50~80%、D 50%未満 (年度目標に対する達成率)。総合評価 ◎ / 〇 / △ / (×) は指標とその他の活動から。",
        reading_ja: "達成率で A 110%以上、B 80%以上、C 50%以上、D 50%未満。総合評価は判断 (manual) で、記号 ◎・〇・△・× を確かめます (〇 は公表どおり漢数字のゼロ U+3007)。",
        reading_en: "Ratio: A from 110%, B from 80%, C from 50%, D below. The overall grade is manual, with the symbols ◎, 〇, △, × (〇 as published: U+3007).",
        source: "https://www.library.pref.osaka.jp/site/hyoka/lib-hyoka-kijun2013.html",
        table: r#"method = "ratio"
grades = [
  { symbol = "A", from = 110 },
  { symbol = "B", from = 80 },
  { symbol = "C", from = 50 },
  { symbol = "D" },
]
[quantitative]
aggregate = "manual"
scale = [{ symbol = "◎" }, { symbol = "〇" }, { symbol = "△" }, { symbol = "×" }]
"#,
    },
    Preset {
        name: "ino",
        body_ja: "いの町 総合戦略",
        body_en: "Ino Town, comprehensive strategy",
        published: "◎ 目標値以上 / ○ 同等 / △ 未満 / × 進捗なし・事業終了。目標値の設定をしていなかった KPI は「評価なし」。",
        reading_ja: "達成率で ◎ 100%以上、○ 90%以上 (「同等」に数字がないので plancheck の読み: 事務局の基準に直してください)、△ 90%未満。× (進捗なし・事業終了) と 評価なし は計算せず、まとめから除く記号です。まとめは件数なので判断 (manual)。",
        reading_en: "Ratio: ◎ from 100%, ○ from 90% (同等 has no number: plancheck's reading, to be set to the office's), △ below. × (no progress, project ended) and 評価なし are codes that are not grades, left out of every summary. The summary is a count: manual.",
        source: "https://www.town.ino.kochi.jp/chosei/choseikeikaku/keikaku_sougousenryaku/1797/",
        table: r#"method = "ratio"
grades = [
  { symbol = "◎", from = 100 },
  { symbol = "○", from = 90 },
  { symbol = "△" },
]
ungraded = ["×", "評価なし"]
[quantitative]
aggregate = "manual"
scale = [{ symbol = "高" }, { symbol = "中" }, { symbol = "低" }]
"#,
    },
];

/// The preset of that name.
pub fn by_name(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

/// The names, for a message.
pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_reads_and_the_first_is_the_default() {
        assert_eq!(PRESETS[0].scheme(), RatingScheme::default());
        for preset in PRESETS {
            let scheme = preset.scheme();
            assert!(scheme.legend.grades.steps.len() >= 3, "{}", preset.name);
            assert!(preset.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", preset.name);
        }
        let names = names();
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names, unique);
        assert!(by_name("nagayo").is_some() && by_name("長与").is_none());
    }
}
