//! Property tests: on any input, parsing, modelling, checking and rendering
//! never panic, and every reported span lies on character boundaries inside
//! the text.

use plancheck::diagnostics::Lang;
use proptest::prelude::*;

const EXAMPLE: &str = include_str!("fixtures/rules/rating-mismatch.plan");

/// Pieces that make the grammar's life hard: keywords, markers, full-width
/// forms, CR, BOM, characters outside the BMP.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("施策 ".to_string()),
        Just("指標 ".to_string()),
        Just("展開 ".to_string()),
        Just("基本政策 1 ".to_string()),
        Just("1-1-1 ".to_string()),
        Just("１－２－３".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("{}".to_string()),
        Just(": ".to_string()),
        Just("：".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("| ".to_string()),
        Just("｜".to_string()),
        Just("# plancheck: allow(rating-mismatch)\n".to_string()),
        Just("# plancheck: allow-file(".to_string()),
        Just("実績: 5,900人 (R3年)\n".to_string()),
        Just("定量評価: Ｃ\n".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{3000}".to_string()),
        Just("𠮷".to_string()),
        Just("😀".to_string()),
        Just("\0".to_string()),
        "[ -~]{0,8}",
        "[ぁ-んァ-ン一-龥]{0,6}",
    ]
}

fn check_everything(text: &str) {
    for lang in [Lang::Ja, Lang::En] {
        let analysis = plancheck::check_text("p.plan", text, lang);
        let doc = &analysis.workspace.docs[0];
        for d in &analysis.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{d:?}");
            for r in &d.related {
                assert!(r.span.end <= analysis.workspace.docs[r.file].text.len());
            }
            if let Some(fix) = &d.fix {
                for e in &fix.edits {
                    assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                }
            }
        }
        for format in plancheck::output::OutputFormat::ALL {
            let _ = format.render(&analysis, &plancheck::output::EmitOptions { lang, color: false });
        }
        assert_eq!(doc.text, text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_everything(&text);
    }

    #[test]
    fn plan_like_text_never_panics(pieces in prop::collection::vec(piece(), 0..60)) {
        check_everything(&pieces.concat());
    }

    #[test]
    fn mutated_real_plans_never_panic(cuts in prop::collection::vec((0usize..EXAMPLE.len(), 0usize..40, piece()), 1..8)) {
        let mut text = EXAMPLE.to_string();
        for (at, len, insert) in cuts {
            let mut start = at.min(text.len());
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            text.replace_range(start..end.max(start), &insert);
        }
        check_everything(&text);
    }
}

#[test]
fn a_fixed_table_of_hostile_inputs() {
    for text in ["", "\n", "}", "{", "施策", "施策 {", "施策 1-1-1 {\n", "|", "：", "#", "# plancheck:", "\r\r\r", "施策 1-1-1 {}\u{0}", "指標 x {\n実績:\n|\n|\n}"] {
        check_everything(text);
    }
    let deep = "施策 1-1-1 {\n".repeat(2000);
    check_everything(&deep);
}

mod incremental {
    use plancheck::lsp::document::{Encoding, OpenDocument};
    use plancheck::syntax::{LineCol, LineIndex};
    use proptest::prelude::*;
    use tower_lsp_server::ls_types::{Position, Range};

    fn insert_text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("𠮷".to_string()),
            Just("😀".to_string()),
            Just("施策 2-1-1 a {\n".to_string()),
            Just("}\n".to_string()),
            Just("  定量評価: Ｂ\n".to_string()),
            Just("  | 本文".to_string()),
            Just("#".to_string()),
            Just(" # メモ".to_string()),
            "[a-z:{}| ]{0,4}",
            "[あ-ん]{0,3}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Any sequence of incremental edits leaves the text and the tree equal
        /// to a from-scratch parse of the final text, with the same findings.
        #[test]
        fn edits_match_a_fresh_parse(edits in prop::collection::vec((0u32..30, 0u32..40, 0u32..30, 0u32..40, insert_text()), 1..25)) {
            let start = include_str!("fixtures/rules/rating-mismatch.plan").replace("指標 ちょうど80%", "指標 𠮷野家😀");
            let mut doc = OpenDocument::new(start.clone(), 1);
            let mut expected = start;
            for (l1, c1, l2, c2, text) in edits {
                let (a, b) = (Position { line: l1, character: c1 }, Position { line: l2, character: c2 });
                // The reference: the same positions resolved by the CLI's line index.
                let index = LineIndex::new(&expected);
                let mut x = index.offset_of_utf16_position(&expected, LineCol { line: l1 as usize, col: c1 as usize });
                let mut y = index.offset_of_utf16_position(&expected, LineCol { line: l2 as usize, col: c2 as usize });
                if y < x { std::mem::swap(&mut x, &mut y); }
                expected.replace_range(x..y, &text);
                doc.apply(Some(Range { start: a, end: b }), &text, Encoding::Utf16);
                prop_assert_eq!(&doc.text, &expected);
                // Modelled after each edit, as the server does while typing
                // (each model patched from the last where the edit allows).
                doc.model("p.plan").prose();
            }
            prop_assert_eq!(doc.rope.to_string(), doc.text.clone());
            let fresh = plancheck::syntax::parse(&doc.text);
            prop_assert_eq!(doc.tree.root_node().to_sexp(), fresh.root_node().to_sexp());
            let ws = plancheck::model::Workspace::from_shared(vec![doc.model("p.plan")]);
            let configs = vec![std::sync::Arc::new(plancheck::config::ResolvedConfig::default())];
            let a: Vec<_> = plancheck::rules::check_workspace(&ws, &configs, plancheck::diagnostics::Lang::En).into_iter().map(|d| (d.rule.name, d.span, d.message)).collect();
            let b: Vec<_> = plancheck::check_text("p.plan", &doc.text, plancheck::diagnostics::Lang::En).diagnostics.into_iter().map(|d| (d.rule.name, d.span, d.message)).collect();
            prop_assert_eq!(a, b);
        }
    }
}

// --- issue 14, files on disk ---

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// U+FEFF anywhere a blank may stand in a real plan (line starts and
    /// ends, around keys, colons, values, comments, braces): `fmt` keeps
    /// every one, and formatting again changes nothing.
    #[test]
    fn fmt_keeps_every_zero_width_no_break_space(at in prop::collection::vec((0usize..EXAMPLE.len(), 1usize..3), 1..12)) {
        let mut text = EXAMPLE.to_string();
        let mut places: Vec<(usize, usize)> = at.into_iter().map(|(i, n)| {
            let mut i = i;
            while !text.is_char_boundary(i) { i -= 1; }
            (i, n)
        }).collect();
        places.sort_unstable_by(|a, b| b.cmp(a));
        for (i, n) in places {
            // Only where a blank may stand: before or after a blank or a line end.
            let before = text[..i].chars().next_back();
            let after = text[i..].chars().next();
            let blank = |c: Option<char>| c.is_none_or(|c| matches!(c, ' ' | '\n' | '\r' | '\t'));
            if blank(before) || blank(after) {
                text.insert_str(i, &"\u{feff}".repeat(n));
            }
        }
        let doc = plancheck::model::Document::parse("p.plan", text.clone());
        let formatted = plancheck::format::format(&doc);
        prop_assert!(!matches!(formatted, Err(plancheck::format::FormatError::NotLossless(_))), "{:?}: {:?}", text, formatted);
        if let Ok(out) = formatted {
            prop_assert_eq!(out.matches('\u{feff}').count(), text.matches('\u{feff}').count(), "{:?} → {:?}", text, out);
            let again = plancheck::format::format(&plancheck::model::Document::parse("p.plan", out.clone())).unwrap();
            prop_assert_eq!(again, out);
        }
    }
}

// --- issue 14, arithmetic and rules ---

mod extreme_values {
    use plancheck::model::value::{Direction, parse_quantity};
    use plancheck::rating::{IndicatorRating, RatingScheme, rate_indicator};
    use proptest::prelude::*;

    fn prefix_chain() -> impl Strategy<Value = String> {
        prop::collection::vec(prop_oneof![Just("兆"), Just("億"), Just("万"), Just("千")], 0..12).prop_map(|p| p.concat())
    }

    /// Decimals from tiny to the largest: up to 29 digits, any scale.
    fn decimal() -> impl Strategy<Value = String> {
        prop_oneof![
            (0u128..=79_228_162_514_264_337_593_543_950_335, 0u32..=28).prop_map(|(m, s)| rust_decimal::Decimal::from_i128_with_scale(m as i128, s).to_string()),
            Just("79228162514264337593543950335".to_string()),
            Just("0.0000000000000000000000000001".to_string()),
            Just("0".to_string()),
            (0u64..100_000).prop_map(|n| n.to_string()),
        ]
    }

    /// The grade's rank in the default legend (0: A, the best).
    fn graded(r: IndicatorRating) -> Option<usize> {
        match r {
            IndicatorRating::Graded { grade, .. } => RatingScheme::default().legend.grades.rank(&grade),
            _ => None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// Any chain of prefixes and any decimal: a grade, never a panic; the
        /// same chain on both sides changes nothing; the checker runs too.
        #[test]
        fn prefix_chains_and_extreme_decimals_are_graded(a in decimal(), t in decimal(), pa in prefix_chain(), pt in prefix_chain(), decrease in any::<bool>()) {
            let s = RatingScheme::default();
            let direction = if decrease { Direction::Decrease } else { Direction::Increase };
            let q = |n: &str, p: &str| parse_quantity(&format!("{n}{p}人")).unwrap();
            let rating = rate_indicator(&s, &q(&a, &pa), None, &q(&t, &pt), direction);
            prop_assert!(matches!(rating, IndicatorRating::Graded { .. }), "{:?}", rating);
            let same = rate_indicator(&s, &q(&a, &pa), None, &q(&t, &pa), direction);
            let plain = rate_indicator(&s, &q(&a, ""), None, &q(&t, ""), direction);
            prop_assert_eq!(graded(same), graded(plain));
            // More of the basis never lowers an increasing grade.
            if !decrease {
                let more = rate_indicator(&s, &q(&a, &format!("万{pa}")), None, &q(&t, &pt), direction);
                prop_assert!(graded(more) <= graded(rating), "ranks order A < B < C < D");
            }
            let text = format!("施策 1-1-1 x {{\n  指標 y {{\n    実績: {a}{pa}人\n    目標: {t}{pt}人\n    定量評価: B\n  }}\n  定量評価: 中\n}}\n");
            super::check_everything(&text);
        }
    }
}

/// The progress method (issue 16): from any baseline, actual and target,
/// in any units and either direction, a rating and never a panic; and a
/// better actual never lowers the grade.
mod progress_method {
    use plancheck::model::value::{Direction, parse_quantity};
    use plancheck::rating::{IndicatorRating, Method, RatingScheme, rate_indicator_with};
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(m, s)| rust_decimal::Decimal::new(m, s).to_string()),
            Just("79228162514264337593543950335".to_string()),
            Just("-79228162514264337593543950335".to_string()),
            Just("0".to_string()),
        ]
    }

    fn unit() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("人"), Just("万人"), Just("兆兆兆人"), Just("円"), Just("")]
    }

    /// The grade's rank (0: the best).
    fn graded(r: &IndicatorRating) -> Option<usize> {
        match r {
            IndicatorRating::Graded { grade, .. } => RatingScheme::default().legend.grades.rank(grade),
            _ => None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_values_are_rated_and_a_better_actual_never_grades_lower(a in value(), t in value(), b in value(), ua in unit(), ut in unit(), ub in unit(), decrease in any::<bool>(), step in 1i64..1000) {
            let scheme = RatingScheme::with_method(Method::Progress);
            let direction = if decrease { Direction::Decrease } else { Direction::Increase };
            let q = |n: &str, u: &str| parse_quantity(&format!("{n}{u}")).unwrap();
            let (actual, target, baseline) = (q(&a, ua), q(&t, ut), q(&b, ub));
            let rating = rate_indicator_with(&scheme, &actual, None, &target, Some(&baseline), direction);
            // A better actual: more when higher is better, less when lower.
            let Ok(n) = a.parse::<rust_decimal::Decimal>() else { return Ok(()) };
            let better = if decrease { n.checked_sub(rust_decimal::Decimal::from(step)) } else { n.checked_add(rust_decimal::Decimal::from(step)) };
            if let (Some(better), Some(grade)) = (better, graded(&rating)) {
                let again = rate_indicator_with(&scheme, &q(&better.to_string(), ua), None, &target, Some(&baseline), direction);
                if let Some(better_grade) = graded(&again) {
                    prop_assert!(better_grade <= grade, "{:?} then {:?}", rating, again);
                }
            }
        }
    }
}

mod one_legend {
    use plancheck::model::{BlockKind, Document, Workspace};
    use plancheck::rating::{RatingScheme, qualitative_of_stated, quantitative_of_stated, rate_indicator_block, stated_grades, stated_levels};
    use proptest::prelude::*;

    fn grade() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("A"), Just("B"), Just("C"), Just("D"), Just("-"), Just("E"), Just(""), Just("ｂ"), Just("none")]
    }
    fn level() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("高"), Just("中"), Just("低"), Just(""), Just("普通"), Just("none")]
    }
    fn quantity() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("5人"), Just("10人"), Just("-"), Just("1万人"), Just("約5人"), Just("3%"), Just(""), Just("none"), Just("0人")]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// The sheet (export, report, diff) computes what the rules compute,
        /// with absent, empty and unreadable values.
        #[test]
        fn the_sheet_computes_what_the_rules_compute(indicators in prop::collection::vec((quantity(), quantity(), quantity(), grade()), 0..5), levels in prop::collection::vec(level(), 0..4)) {
            let field = |key: &str, value: &str| if value == "none" { String::new() } else { format!("    {key}: {value}\n") };
            let mut text = String::from("施策 1-1-1 x {\n");
            for (actual, target, forecast, grade) in &indicators {
                text.push_str(&format!("  指標 i {{\n{}{}{}{}  }}\n", field("実績", actual), field("目標", target), field("見込み", forecast), field("定量評価", grade)));
            }
            for level in &levels {
                text.push_str(&format!("  展開 d {{\n{}  }}\n", field("定性評価", level)));
            }
            text.push_str("}\n");
            let doc = Document::parse("p.plan", text.as_str());
            let scheme = RatingScheme::default();
            let (id, _) = doc.blocks_of(BlockKind::Measure).next().unwrap();
            let expected_q = quantitative_of_stated(&scheme, stated_grades(&scheme, &doc, id)).map(|s| s.summary.level.to_string());
            let expected_l = qualitative_of_stated(&scheme, stated_levels(&scheme, &doc, id)).map(|s| s.summary.level.to_string());
            let expected_grades: Vec<Option<String>> = doc.children_of(id, BlockKind::Indicator).map(|b| rate_indicator_block(&scheme, b).and_then(|r| r.grade()).map(|g| g.to_string())).collect();
            let workspace = Workspace::new(vec![doc]);
            let sheet = plancheck::sheet::Sheet::from_workspace_computed(&workspace, &[&scheme]);
            let (_, _, measure) = sheet.measures().next().unwrap();
            let computed = measure.computed.as_ref().unwrap();
            prop_assert_eq!(&computed.quantitative_level, &expected_q);
            prop_assert_eq!(&computed.qualitative_level, &expected_l);
            let grades: Vec<Option<String>> = measure.indicators.iter().map(|i| i.computed.as_ref().unwrap().grade.clone()).collect();
            prop_assert_eq!(grades, expected_grades);
        }
    }
}

/// The legend as data (issue 16): any legend written out (commented, as
/// `plancheck init` writes it, or bare) reads back the same; under any
/// legend, a higher ratio never gets a worse grade, and every grade the
/// rating gives is one of the legend's.
mod legends {
    use plancheck::config::Config;
    use plancheck::legend::{Aggregate, Bound, Legend, Reach, Scale, Step, SummaryRule, rating_toml};
    use plancheck::model::value::{Direction, Symbol, parse_quantity};
    use plancheck::rating::{IndicatorRating, Method, RatingScheme, rate_indicator};
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use std::path::Path;

    const POOL: [&str; 14] = ["S", "A", "B+", "B", "C", "D", "a", "◎", "○", "△", "×", "順調", "概ね順調", "\"引用\""];

    /// `n` distinct symbols of the pool, in a random order.
    fn symbols(n: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Vec<Symbol>> {
        Just(POOL.to_vec()).prop_shuffle().prop_flat_map(move |pool| (Just(pool), n.clone())).prop_map(|(pool, n)| pool.into_iter().take(n).map(Symbol::new).collect())
    }

    /// A scale with descending bounds (equal ones allowed), each inclusive
    /// or not, the last without one.
    fn scale(n: std::ops::RangeInclusive<usize>, points: bool) -> impl Strategy<Value = Scale> {
        symbols(n)
            .prop_flat_map(move |symbols| {
                let k = symbols.len();
                (Just(symbols), prop::collection::vec((0i64..20_000, 0u32..3, any::<bool>()), k), prop::collection::vec(-50i64..50, k))
            })
            .prop_map(move |(symbols, mut bounds, pts)| {
                bounds.sort_by_key(|&(m, s, _)| std::cmp::Reverse(Decimal::new(m, s)));
                let last = symbols.len() - 1;
                let steps = symbols
                    .into_iter()
                    .enumerate()
                    .map(|(i, symbol)| Step {
                        symbol,
                        bound: (i < last).then(|| Bound { value: Decimal::new(bounds[i].0, bounds[i].1), inclusive: bounds[i].2 }),
                        points: if points { Decimal::from(pts[i]) } else { Decimal::ZERO },
                        reach: None,
                    })
                    .collect();
                Scale { steps }
            })
    }

    fn aggregate(parts: &Scale) -> impl Strategy<Value = Aggregate> + use<> {
        let first = parts.steps[0].symbol.clone();
        prop_oneof![Just(Aggregate::Mean), Just(Aggregate::Sum), Just(Aggregate::Manual), Just(Aggregate::Share { at_least: first })]
    }

    fn legend() -> impl Strategy<Value = Legend> {
        (scale(2..=6, true), scale(1..=4, true), scale(1..=4, false), scale(1..=4, false), any::<bool>(), prop::option::of(prop_oneof![Just(Reach::Met), Just(Reach::Exceeded)]))
            .prop_map(|(mut grades, levels, q, l, with_codes, reach)| {
                // A best grade given for a reached target, above the bands.
                if let Some(reach) = reach {
                    grades.steps.insert(0, Step { symbol: Symbol::new("◆"), bound: None, points: Decimal::from(99), reach: Some(reach) });
                }
                (grades, levels, q, l, with_codes)
            })
            .prop_flat_map(|(grades, levels, q, l, with_codes)| {
                let mut levels = levels;
                for step in &mut levels.steps {
                    step.bound = None;
                }
                let (qa, la) = (aggregate(&grades), aggregate(&levels));
                (Just(grades), Just(levels), Just(q), Just(l), qa, la, Just(with_codes))
            })
            .prop_map(|(grades, levels, q, l, qa, la, with_codes)| {
                let mut ungraded = vec![Symbol::dash()];
                if with_codes {
                    ungraded.extend(["Z", "評価なし"].into_iter().map(Symbol::new).filter(|c| grades.rank(c).is_none()));
                }
                // Half the legends have 全体評価 symbols of their own (the levels').
                let overall = with_codes.then(|| Scale { steps: levels.steps.iter().map(|s| Step { points: Decimal::ZERO, ..s.clone() }).collect() });
                Legend { grades, ungraded, levels, quantitative: SummaryRule { aggregate: qa, scale: q }, qualitative: SummaryRule { aggregate: la, scale: l }, overall }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn a_legend_written_out_and_read_back_is_the_same(legend in legend(), method in prop::sample::select(Method::ALL.to_vec()), commented in any::<bool>()) {
            let text = rating_toml(method, &legend, commented);
            let read = Config::from_toml(Path::new("plancheck.toml"), &text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(read.rating.method, method);
            prop_assert_eq!(&read.rating.legend, &legend, "{}", text);
        }

        /// Any text in the 計画 block's legend fields: read or refused with a
        /// message, never a panic; and the whole plan is checked.
        #[test]
        fn any_text_in_the_plan_s_legend_is_read_or_refused(fields in prop::collection::vec((0usize..6, "[A-Z◎○△0-9０-９.,、・:：%％ 以上超未満点平均合計判断目標をるの割合高中低-]{0,30}"), 0..6)) {
            const KEYS: [&str; 6] = ["指標の評価", "評価しない記号", "展開の評価", "定量評価の基準", "定性評価の基準", "計算方法"];
            let mut text = String::from("計画 {\n");
            for (k, v) in &fields {
                text.push_str(&format!("  {}: {v}\n", KEYS[*k]));
            }
            text.push_str("}\n施策 1-1-1 x {\n  全体評価: A\n  指標 y {\n    実績: 5\n    目標: 10\n    定量評価: B\n  }\n  定量評価: 中\n}\n");
            let doc = plancheck::model::Document::parse("p.plan", text.as_str());
            let (_, plan) = doc.blocks_of(plancheck::model::BlockKind::Plan).next().unwrap();
            let (_, legend, errors) = Legend::default().with_plan(Method::Ratio, plan);
            prop_assert!(!legend.grades.steps.is_empty());
            for e in &errors {
                prop_assert!(!e.error.ja.is_empty() && !e.error.en.is_empty());
            }
            super::check_everything(&text);
        }

        #[test]
        fn a_higher_ratio_never_grades_worse_under_any_legend(legend in legend(), a in 0i64..3_000_000, step in 1i64..100_000) {
            let scheme = RatingScheme { method: Method::Ratio, legend, legend_unreadable: false };
            let q = |n: i64| parse_quantity(&rust_decimal::Decimal::new(n, 2).to_string()).unwrap();
            let rank = |r: IndicatorRating| match r {
                IndicatorRating::Graded { grade, .. } => scheme.legend.grades.rank(&grade).expect("a grade of the legend"),
                other => panic!("{other:?}"),
            };
            let target = q(1_000_000);
            let low = rank(rate_indicator(&scheme, &q(a), None, &target, Direction::Increase));
            let high = rank(rate_indicator(&scheme, &q(a + step), None, &target, Direction::Increase));
            prop_assert!(high <= low, "{} then {}", low, high);
        }
    }
}

// --- issue 14, formatter, import and report, round 2 ---

mod zero_width_no_break_space {
    use plancheck::model::{Document, FieldResolution, ValueKind};
    use proptest::prelude::*;

    /// A plan with every kind of line: blocks, values, text lines (one
    /// empty), comments, a directive.
    const PLAN: &str = "# plancheck: allow(missing-field)\n施策 1-1-1 まちづくり {\n  全体評価: B\n  代表課: 都市計画課\n  # 注\n  指標 人口 {\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: D\n  }\n  展開 道路 {\n    成果:\n      | 舗装した\n      |\n      |   字下げ\n    定性評価: 高\n  }\n  自己評価: よくできた\n  定性評価: 高\n  定量評価: 低\n}\n";

    /// U+FEFF alone or with spaces before or after it.
    fn feff() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just("\u{feff}"), Just(" \u{feff}"), Just("  \u{feff}"), Just("\u{feff} "), Just(" \u{feff} "), Just("\u{feff}\u{feff}"), Just("\u{3000}\u{feff}")]
    }

    /// What each field says: its key, and its text line by line without
    /// trailing white space (which the formatter drops; U+FEFF is not white
    /// space), folded to ASCII widths where the formatter folds.
    fn fields(text: &str) -> Vec<(String, Vec<String>)> {
        let doc = Document::parse("p.plan", text);
        doc.all_fields()
            .map(|(_, f)| {
                let folded = matches!(f.resolution, FieldResolution::Known(def) if def.value != ValueKind::Text);
                let lines = f.text.split('\n').map(|l| l.trim_end_matches(char::is_whitespace)).map(|l| if folded { plancheck::format::fold_width(l) } else { l.to_string() }).collect();
                (f.key_text.value.clone(), lines)
            })
            .collect()
    }

    fn meaningful(text: &str) -> Vec<char> {
        let mut chars: Vec<char> = plancheck::format::fold_width(text).chars().filter(|c| !c.is_whitespace()).collect();
        chars.sort_unstable();
        chars
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// U+FEFF (with spaces around it) anywhere a blank may stand,
        /// the end of the file included, with or without the final
        /// newline: `fmt` accepts every file without syntax errors, keeps
        /// every U+FEFF and every non-blank character, changes no field's
        /// text beyond trailing white space, and is idempotent.
        #[test]
        fn fmt_accepts_every_valid_file_and_keeps_every_meaningful_character(at in prop::collection::vec((0usize..=PLAN.len(), feff()), 1..10), end in prop::option::of(feff()), final_newline in any::<bool>()) {
            let mut text = PLAN.to_string();
            let mut places: Vec<(usize, &str)> = at.into_iter().map(|(mut i, f)| {
                while !text.is_char_boundary(i) { i -= 1; }
                (i, f)
            }).collect();
            places.sort_unstable_by(|a, b| b.cmp(a));
            for (i, piece) in places {
                let before = text[..i].chars().next_back();
                let after = text[i..].chars().next();
                let blank = |c: Option<char>| c.is_none_or(|c| matches!(c, ' ' | '\n' | '\r' | '\t' | '\u{feff}'));
                if blank(before) || blank(after) {
                    text.insert_str(i, piece);
                }
            }
            if !final_newline {
                text.pop();
            }
            if let Some(piece) = end {
                text.push_str(piece);
            }
            let doc = Document::parse("p.plan", text.clone());
            let formatted = plancheck::format::format(&doc);
            if !doc.syntax_errors.is_empty() {
                prop_assert!(matches!(formatted, Err(plancheck::format::FormatError::Syntax(_))), "{:?}", text);
                return Ok(());
            }
            let out = match formatted {
                Ok(out) => out,
                Err(e) => return Err(TestCaseError::fail(format!("{text:?} refused: {e:?}"))),
            };
            prop_assert_eq!(out.matches('\u{feff}').count(), text.matches('\u{feff}').count(), "{:?} → {:?}", text, out);
            prop_assert_eq!(meaningful(&out), meaningful(&text), "{:?} → {:?}", text, out);
            prop_assert_eq!(fields(&out), fields(&text), "{:?} → {:?}", text, out);
            let again = plancheck::format::format(&Document::parse("p.plan", out.clone())).unwrap();
            prop_assert_eq!(again, out);
        }
    }
}
