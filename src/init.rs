//! `plancheck init [DIR]`: a commented `plancheck.toml` with every setting
//! at its default, and the departments the plans in DIR already name, so
//! that an office starts from a file that documents itself.

use crate::config::{Config, DuplicateSettings, FILE_NAME};
use crate::diagnostics::{Lang, Severity};
use crate::model::{BlockKind, Document, FieldKey};
use crate::presets::Preset;
use crate::rating::RatingScheme;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// What `init` wrote, and what it could not read on the way.
#[derive(Debug)]
pub struct Initialized {
    pub path: PathBuf,
    /// The `.plan` files read for departments.
    pub plans: usize,
    pub departments: Vec<String>,
    /// Files that could not be read (their departments are missing).
    pub skipped: Vec<String>,
}

/// Writes `DIR/plancheck.toml` (refusing to replace one unless `force`, and
/// to write onto a plan, whatever the spelling, even with `force`), with
/// the legend of `preset` (the spec's when `None`); messages in `lang`.
pub fn init(dir: &Path, force: bool, preset: Option<&Preset>, lang: Lang) -> Result<Initialized, String> {
    let shown = |p: &Path| crate::load::display_path(p);
    if !dir.is_dir() {
        return Err(lang.pick(format!("{}: フォルダではありません", shown(dir)), format!("{}: not a folder", shown(dir))));
    }
    let path = dir.join(FILE_NAME);
    if path.exists() && !force {
        return Err(lang.pick(format!("{}: 既にあります。置き換えるには --force を付けます", shown(&path)), format!("{}: already exists; --force replaces it", shown(&path))));
    }
    // A folder with no plans yet is set up all the same (no departments).
    let (files, warnings) = match crate::load::collect(&[dir.to_path_buf()]) {
        Ok(collected) => (collected.files, collected.warnings),
        Err(e) if e.message.starts_with("no .plan files") => (Vec::new(), Vec::new()),
        Err(e) => return Err(e.to_string()),
    };
    let mut departments = BTreeSet::new();
    // What the search passed over (a FIFO named *.plan, an unreadable folder) is not read either.
    let mut skipped: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let passed_over = skipped.len();
    for file in &files {
        match crate::load::read_plan(file) {
            Ok(text) => departments.extend(departments_of(&Document::parse(file.display().to_string(), text))),
            Err(e) => skipped.push(e.to_string()),
        }
    }
    // Never onto a plan it read (a plancheck.toml that is a link or a hard
    // link to one), nor onto any .plan, even with --force.
    plancheck_linter::output_path::check_output(&path, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>(), force, plancheck_linter::output_path::OutputKind::Settings, lang)?;
    let departments: Vec<String> = departments.into_iter().collect();
    let text = config_text(&departments, preset);
    // What is written must read back as the defaults with those departments.
    let read = Config::from_toml(&path, &text).map_err(|e| format!("internal error: the generated {FILE_NAME} does not read back: {e}"))?;
    debug_assert_eq!(read, Config { departments: departments.clone(), rating: preset.map(Preset::scheme).unwrap_or_default(), ..Config::default() });
    crate::load::write_atomically(&path, text.as_bytes(), lang).map_err(|e| format!("{}: {}", shown(&e.path), e.message))?;
    Ok(Initialized { path, plans: files.len() - (skipped.len() - passed_over), departments, skipped })
}

/// The 代表課 values of a document's 施策, as written (trimmed).
fn departments_of(doc: &Document) -> impl Iterator<Item = String> + '_ {
    doc.blocks_of(BlockKind::Measure).filter_map(|(_, block)| block.field(FieldKey::Department)).filter(|f| !f.is_empty()).map(|f| f.text.trim().to_string())
}

/// The whole file: every setting with its default (the legend of
/// `preset`, when given) and what it means.
pub fn config_text(departments: &[String], preset: Option<&Preset>) -> String {
    let rating: RatingScheme = preset.map(Preset::scheme).unwrap_or_default();
    let duplicates = DuplicateSettings::default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# plancheck の設定 / plancheck settings (`plancheck init` で作成 / written by `plancheck init`)\n\
         # このフォルダとその下の .plan に使われます / applies to the .plan files in this folder and below."
    );
    let _ = match preset {
        None => writeln!(out, "# 値はすべて既定値です / every value is the default: 変えたいものだけ直します / change only what you need.\n"),
        Some(p) => writeln!(
            out,
            "# 凡例 ([rating]) は {} のもの、ほかの値は既定値です / the legend ([rating]) is {}'s, every other value the default:\n\
             # 変えたいものだけ直します / change only what you need.\n",
            p.body_ja, p.body_en
        ),
    };
    let _ = writeln!(out, "# 施策代表課として認める課 / the departments a 代表課 may name (empty: any).");
    let _ = writeln!(out, "# .plan に書かれていた課を入れました / filled from the .plan files found here.");
    if departments.is_empty() {
        let _ = writeln!(out, "departments = []");
    } else {
        let _ = writeln!(out, "departments = [");
        for department in departments {
            let _ = writeln!(out, "  {},", toml_string(department));
        }
        let _ = writeln!(out, "]");
    }
    let _ = writeln!(out, "\n# ルールの説明ページの場所 (エディタや SARIF のリンクは <docs-url><ルール名>.md) / where the rule pages are");
    let _ = writeln!(out, "# (the docs link of editors and SARIF is <docs-url><rule-name>.md). 既定はリポジトリの docs/rules/ / the default: the repository's docs/rules/.");
    let _ = writeln!(out, "# docs-url = {}", toml_string(crate::diagnostics::DOCS_URL));
    let _ = writeln!(out, "\n# ルールごとの重大度 / each rule's severity: \"error\", \"warning\", \"info\" or \"off\".");
    let _ = writeln!(out, "# 行頭の # を消すと有効になります / remove the leading # to change one.");
    let _ = writeln!(out, "[rules]");
    for rule in crate::rules::all() {
        let _ = writeln!(out, "# {} = \"{}\"    # {}: {}", rule.name, level_name(rule.default_severity), rule.code, rule.summary_ja);
    }
    out.push('\n');
    if let Some(preset) = preset {
        let _ = writeln!(out, "# 凡例: {} / the legend of {} (plancheck init --preset {})", preset.body_ja, preset.body_en, preset.name);
        let _ = writeln!(out, "# 公表された凡例 / as published: {}", preset.published);
        let _ = writeln!(out, "# plancheck の読み: {}", preset.reading_ja);
        let _ = writeln!(out, "# how plancheck reads it: {}", preset.reading_en);
        let _ = writeln!(out, "# 出典 / source: {}", preset.source);
    }
    out.push_str(&plancheck_linter::legend::rating_toml(rating.method, &rating.legend, true));
    let _ = writeln!(out, "\n# 重複する文章の検出 / duplicate and near-duplicate prose.");
    let _ = writeln!(out, "[duplicates]");
    let fields: Vec<String> = duplicates.fields.iter().map(|f| toml_string(f)).collect();
    let _ = writeln!(out, "fields = [{}]    # 比べるフィールド / the fields compared", fields.join(", "));
    let _ = writeln!(out, "min-length = {}    # これより短い文章は比べません (文字数) / shorter texts are not compared (characters)", duplicates.min_length);
    let _ = writeln!(out, "similarity = {}    # ほぼ同じとみなす類似度 (0–1) / the similarity from which texts are near duplicates (0–1)", duplicates.similarity);
    let _ = writeln!(out, "\n# 指標の名前から方向を推定する語 (組み込みの語に加えます) / words of indicator names that say which way is better (added to the built-in ones).");
    let _ = writeln!(out, "[directions]");
    let _ = writeln!(out, "lower-is-better = []     # 低いほどよい指標を表す語 / words of lower-is-better names (e.g. \"救急出動件数\")");
    let _ = writeln!(out, "higher-is-better = []    # それでも高いほどよい指標を表す語 / words that make a name higher-is-better anyway (e.g. \"削減率\")");
    let _ = writeln!(out, "\n# 表を取り込むとき (plancheck import、表の check) の、この団体の見出しの読み方 / how this body's own headings of a table are read (import, check of a table).");
    let _ =
        writeln!(out, "# 見出し = plancheck の見出し (施策代表課、実績値、指標、備考 …) か \"除外\" (列を取り込みません) / heading = a heading plancheck knows, or \"除外\" (leave the column out).");
    let _ = writeln!(out, "[import.columns]");
    let _ = writeln!(out, "# \"所管\" = \"施策代表課\"");
    let _ = writeln!(out, "# \"担当者（内線）\" = \"除外\"");
    out
}

fn level_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

/// A TOML basic string (quotes, backslashes and control characters escaped).
fn toml_string(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_file_reads_back_as_the_defaults_with_the_departments() {
        let departments = vec!["健康づくり課".to_string(), "a \"quoted\" \\ name".to_string()];
        let text = config_text(&departments, None);
        let read = Config::from_toml(Path::new("plancheck.toml"), &text).unwrap();
        assert_eq!(read, Config { departments, ..Config::default() });
        // Every rule is there, commented, at its default level.
        for rule in crate::rules::all() {
            assert!(text.contains(&format!("# {} = \"{}\"", rule.name, level_name(rule.default_severity))), "{}", rule.name);
        }
        // Uncommenting a rule's line gives a valid file.
        let uncommented = text.replace("# near-duplicate-text = ", "near-duplicate-text = ");
        assert!(Config::from_toml(Path::new("plancheck.toml"), &uncommented).is_ok());
        // So does uncommenting docs-url, which is the default.
        let uncommented = text.replace("# docs-url = ", "docs-url = ");
        let read = Config::from_toml(Path::new("plancheck.toml"), &uncommented).unwrap();
        assert_eq!(read.docs_url.as_deref(), Some(crate::diagnostics::DOCS_URL));
    }

    /// Every preset is written out commented, with its source, and reads
    /// back as that preset's legend.
    #[test]
    fn each_preset_is_written_out_and_reads_back_as_itself() {
        for preset in crate::presets::PRESETS {
            let text = config_text(&[], Some(preset));
            let read = Config::from_toml(Path::new("plancheck.toml"), &text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", preset.name));
            assert_eq!(read.rating, preset.scheme(), "{}", preset.name);
            assert!(text.contains(preset.source) && text.contains(preset.published), "{}", preset.name);
        }
    }

    #[test]
    fn departments_come_from_the_plans_and_an_existing_file_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.plan"), "施策 1-1-1 a {\n  代表課: 健康づくり課\n}\n施策 1-1-2 b {\n  代表課:  医療保険課 \n}\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.plan"), "施策 2-1-1 c {\n  代表課: 健康づくり課\n}\n").unwrap();
        let done = init(dir.path(), false, None, Lang::En).unwrap();
        assert_eq!(done.plans, 2);
        assert_eq!(done.departments, ["健康づくり課", "医療保険課"]);
        let written = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        let error = init(dir.path(), false, None, Lang::En).unwrap_err();
        assert!(error.contains("--force"), "{error}");
        assert_eq!(std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap(), written, "not replaced");
        std::fs::remove_file(dir.path().join("sub/b.plan")).unwrap();
        assert_eq!(init(dir.path(), true, None, Lang::En).unwrap().departments, ["健康づくり課", "医療保険課"]);
        assert!(init(&dir.path().join("missing"), false, None, Lang::En).is_err());
    }
}
