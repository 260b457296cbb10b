//! The snippets completion offers: a whole 施策, an 指標 (two: higher and
//! lower is better), a 展開, a 計画 header, a 政策 and a text field. Each
//! names the block it inserts, so that completion offers only those that
//! may stand where the cursor is (no 施策 inside an 指標). Bodies use the
//! LSP snippet syntax (`${1:default}`, choices `${1|A,B|}`, `$0`); a tab
//! is one indentation step, the editor's own.

use plancheck_core::i18n::Lang;
use plancheck_core::model::BlockKind;
use plancheck_core::model::ValueKind;
use plancheck_core::model::schema::{CellForm, FIELDS, FieldDef};

/// One snippet: what it inserts and the block it is (`None`: a field).
#[derive(Debug, Clone, Copy)]
pub struct Snippet {
    /// The label shown (and matched against what is typed).
    pub label: &'static str,
    /// The block the snippet is, or `None` for a field.
    pub inserts: Option<BlockKind>,
    pub body: &'static str,
    /// The keyword in romaji (`shihyo`): typing it finds the snippet too.
    pub romaji: &'static str,
    pub ja: &'static str,
    pub en: &'static str,
}

impl Snippet {
    pub fn description(&self, lang: Lang) -> &'static str {
        lang.pick(self.ja, self.en)
    }
}

/// The block snippets, most used first.
pub const SNIPPETS: &[Snippet] = &[
    Snippet {
        label: "施策 (指標・展開つき)",
        romaji: "shisaku",
        inserts: Some(BlockKind::Measure),
        body: "施策 ${1:1-1-1} ${2:施策名} {\n\t全体評価: ${3|A,B,C,D|}\n\t自己評価:\n\t\t| ${4:自己評価の文章}\n\t指標 ${5:指標名} {\n\t\t実績: ${6:100人}\n\t\t目標: ${7:100人}\n\t\t定量評価: ${8|A,B,C,D,-|}\n\t}\n\t定量評価: ${9|高,中,低|}\n\t展開 ${10:展開名} {\n\t\t取組: ${11:主な取組}\n\t\t成果:\n\t\t\t| ${12:成果の文章}\n\t\t課題:\n\t\t\t| ${13:課題の文章}\n\t\t定性評価: ${14|高,中,低|}\n\t}\n\t定性評価: ${15|高,中,低|}\n\t代表課: ${16:代表課}\n}$0",
        ja: "施策 (指標1つ、展開1つ、代表課つき)",
        en: "a 施策 with one 指標, one 展開 and its department",
    },
    Snippet {
        label: "指標",
        romaji: "shihyo",
        inserts: Some(BlockKind::Indicator),
        body: "指標 ${1:指標名} {\n\t実績: ${2:100人}\n\t目標: ${3:100人}\n\t定量評価: ${4|A,B,C,D,-|}\n}$0",
        ja: "指標 (実績・目標・定量評価)",
        en: "an 指標 (actual, target, grade)",
    },
    Snippet {
        label: "指標 (減少が良い)",
        romaji: "shihyo",
        inserts: Some(BlockKind::Indicator),
        body: "指標 ${1:指標名} {\n\t実績: ${2:100件}\n\t目標: ${3:100件}\n\t方向: 減少\n\t定量評価: ${4|A,B,C,D,-|}\n}$0",
        ja: "小さいほど良い指標 (方向: 減少)",
        en: "an 指標 where lower is better (方向: 減少)",
    },
    Snippet {
        label: "展開",
        romaji: "tenkai",
        inserts: Some(BlockKind::Development),
        body: "展開 ${1:展開名} {\n\t取組: ${2:主な取組}\n\t成果:\n\t\t| ${3:成果の文章}\n\t課題:\n\t\t| ${4:課題の文章}\n\t定性評価: ${5|高,中,低|}\n}$0",
        ja: "施策の展開 (取組・成果・課題・定性評価)",
        en: "a line of development (actions, results, issues, level)",
    },
    Snippet {
        label: "計画",
        romaji: "keikaku",
        inserts: Some(BlockKind::Plan),
        body: "計画 ${1:計画名} {\n\t実績年度: ${2:令和4年度}\n\t目標年度: ${3:令和6年度}\n}$0",
        ja: "計画の見出し (計画名・年度)",
        en: "the plan's header (name, years)",
    },
    Snippet {
        label: "政策", romaji: "seisaku", inserts: Some(BlockKind::Policy), body: "政策 ${1:1-1} ${2:政策名} {\n\t$0\n}", ja: "政策 (中に施策を書く)", en: "a 政策 (holding 施策)"
    },
];

/// The fields written as text (prose and 備考: the field table's text
/// fields but for names and item lists), in the field table's order.
pub fn text_fields() -> impl Iterator<Item = &'static FieldDef> {
    let cell = |d: &FieldDef| d.column.as_ref().map(|c| c.cell);
    FIELDS.iter().filter(move |d| d.value == ValueKind::Text && (d.prose || cell(d) == Some(CellForm::Items)) && cell(d) != Some(CellForm::Lines))
}

/// The text-field snippet for a block of `kind`: a choice of its text
/// fields, then a text block. `None` when the block has none.
pub fn text_field_snippet(kind: BlockKind) -> Option<String> {
    let names: Vec<&str> = text_fields().filter(|d| d.allowed_in(kind)).map(FieldDef::name).collect();
    (!names.is_empty()).then(|| format!("${{1|{}|}}:\n\t| ${{2:文章}}$0", names.join(",")))
}

/// A snippet body as it reads once inserted: each placeholder its default
/// (a choice its first option), tabs as `indent`. For tests, and to check
/// that every snippet is a valid plan.
pub fn expand(body: &str, indent: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
            '$' if chars.peek() == Some(&'{') => {
                chars.next();
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                match chars.next() {
                    Some(':') => {
                        // The default, up to the matching `}` (defaults nest).
                        let mut depth = 1;
                        let mut inner = String::new();
                        for c in chars.by_ref() {
                            match c {
                                '{' => depth += 1,
                                '}' => depth -= 1,
                                _ => {}
                            }
                            if depth == 0 {
                                break;
                            }
                            inner.push(c);
                        }
                        out.push_str(&expand(&inner, indent));
                    }
                    Some('|') => {
                        let mut options = String::new();
                        for c in chars.by_ref() {
                            if c == '|' {
                                break;
                            }
                            options.push(c);
                        }
                        chars.next(); // the closing `}`
                        out.push_str(options.split(',').next().unwrap_or(""));
                    }
                    _ => {}
                }
            }
            '\t' => out.push_str(indent),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_takes_each_default_and_the_first_choice() {
        assert_eq!(expand("施策 ${1:1-1-1} ${2:名前} {\n\t全体評価: ${3|A,B|}\n\t$0\n}", "  "), "施策 1-1-1 名前 {\n  全体評価: A\n  \n}");
        assert_eq!(expand("${1:a ${2:b}} \\$x", "\t"), "a b $x");
    }

    /// Every snippet, expanded, is a plan without a syntax error or a
    /// misplaced field, in the block it says it is.
    #[test]
    fn every_snippet_is_a_valid_block_of_its_kind() {
        for snippet in SNIPPETS {
            let text = expand(snippet.body, "  ") + "\n";
            let doc = plancheck_core::model::Document::parse("s.plan", text.clone());
            assert!(doc.syntax_errors.is_empty(), "{}:\n{text}", snippet.label);
            assert!(doc.all_fields().all(|(_, f)| matches!(f.resolution, plancheck_core::model::FieldResolution::Known(_))), "{}: a field not of its block", snippet.label);
            assert_eq!(doc.blocks[0].kind, snippet.inserts, "{}", snippet.label);
        }
        assert_eq!(text_field_snippet(BlockKind::Development).as_deref(), Some("${1|成果,課題,備考|}:\n\t| ${2:文章}$0"));
        assert!(text_field_snippet(BlockKind::Plan).is_none() || text_field_snippet(BlockKind::Plan).is_some_and(|s| s.contains("備考")));
    }
}
