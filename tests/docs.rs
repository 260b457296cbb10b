//! The rules' documentation: every rule's example of the bad case (each
//! ```` ```plan ```` block of its doc, in both languages) is a whole `.plan`
//! document that triggers the rule; the rule pages of `docs/rules/` are
//! generated from the rules (`plancheck_dev::docs`), and what a rule's page
//! says about its fixes is what its fixes are; `plancheck.toml`'s JSON
//! Schema (`schema/plancheck-toml.schema.json`) is generated from the
//! settings types, and accepts the repository's example configs and what
//! `plancheck init` writes, as plancheck does.
//!
//! Generated files are rewritten with `PLANCHECK_UPDATE_DOCS=1 cargo test
//! --test docs`; otherwise a difference fails the test.

mod common;

use plancheck::diagnostics::{Applicability, Lang, RuleMeta};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("PLANCHECK_UPDATE_DOCS").is_some()
}

/// A generated file: equal to `expected`, or rewritten when asked to.
fn check_generated(path: &Path, expected: &str) {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(actual == expected, "{} is out of date with the rules; run `{}` and commit it", path.display(), plancheck_dev::docs::UPDATE_COMMAND);
}

#[test]
fn the_rule_pages_are_generated_from_the_rules() {
    let pages = plancheck_dev::docs::rule_docs();
    for (path, text) in &pages {
        check_generated(&root().join(path), text);
    }
    // No page of a rule that is gone.
    let dir = root().join(plancheck_dev::docs::RULES_DIR);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let relative = path.strip_prefix(root()).unwrap();
        if !pages.iter().any(|(p, _)| p == relative) {
            if updating() {
                std::fs::remove_file(&path).unwrap();
            } else {
                panic!("{} is not generated from any rule; run `{}` (which removes it) and commit", path.display(), plancheck_dev::docs::UPDATE_COMMAND);
            }
        }
    }
    // Every rule's link (the default `docs-url`) is its page here, and the
    // note on each page names the rule's source.
    for rule in plancheck::rules::all() {
        let url = rule.url();
        let relative = url.strip_prefix(plancheck::diagnostics::REPOSITORY_URL).and_then(|u| u.strip_prefix("/blob/main/")).unwrap_or_else(|| panic!("{url} is not in the repository"));
        assert!(pages.iter().any(|(p, _)| p == Path::new(relative)), "{} links to {url}, which is not generated", rule.name);
        assert!(root().join(plancheck_dev::docs::source_of(rule)).is_file(), "{}", rule.name);
    }
}

/// A fix's applicability, each one a rule declares (and so its page
/// says), is one it gives: on its fixture, its doc's example, or the cases
/// here; and it gives no other.
#[test]
fn the_fixes_a_page_describes_are_the_rule_s() {
    /// Fixes that neither the fixture nor the example shows.
    const CASES: &[(&str, &str)] = &[("invalid-id", "施策 1.1 地域医療体制の充実 {\n  全体評価: B\n  代表課: 健康づくり課\n}\n")];
    for rule in plancheck::rules::all() {
        let mut given = BTreeSet::new();
        let mut add = |analysis: &plancheck::Analysis| given.extend(analysis.diagnostics.iter().filter(|d| d.rule.name == rule.name).filter_map(|d| d.fix.as_ref()).map(|f| f.applicability.as_str()));
        let fixture = Path::new("tests/fixtures/rules").join(format!("{}.plan", rule.name));
        let fixture = if fixture.exists() { fixture } else { Path::new("tests/fixtures/rules").join(rule.name) };
        add(&common::analyze_path(&fixture, Lang::En));
        let (plans, config) = examples(rule, Lang::En);
        for plan in &plans {
            add(&analysis_of(plan, config.as_deref(), Lang::En));
        }
        for (_, text) in CASES.iter().filter(|(name, _)| *name == rule.name) {
            add(&plancheck::check_text("case.plan", text, Lang::En));
        }
        let declared: BTreeSet<&str> = rule.fixes.iter().map(|a| a.as_str()).collect();
        assert_eq!(given, declared, "{}: its RuleMeta's `fixes` say {declared:?}, its findings give {given:?}", rule.name);
        assert_eq!(rule.fixable(), rule.fixes.contains(&Applicability::Safe) || rule.fixes.contains(&Applicability::Unsafe));
    }
}

/// The code blocks of a Markdown text, as (info string, text).
fn code_blocks(doc: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in doc.lines() {
        match (&mut open, line.trim_start().strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_string(), String::new())),
            (Some(_), Some("")) => blocks.push(open.take().expect("an open block")),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "a code block is not closed:\n{doc}");
    blocks
}

/// Rules whose example triggers other rules too, and why that is right.
const ALSO_TRIGGERED: &[(&str, &[&str], &str)] = &[
    ("unknown-field", &["missing-field"], "the misspelt `実積` leaves the indicator without its `実績`, as the doc says"),
    ("invalid-directive", &["rating-mismatch"], "a misspelt suppression suppresses nothing: the finding it was meant to allow is still reported"),
];

/// An example checked alone, with the default config or with the doc's
/// ```` ```toml ```` block as its `plancheck.toml`.
fn analysis_of(example: &str, config: Option<&str>, lang: Lang) -> plancheck::Analysis {
    match config {
        None => plancheck::check_text("example.plan", example, lang),
        Some(toml) => {
            let config = plancheck::config::Config::from_toml(Path::new("plancheck.toml"), toml).unwrap_or_else(|e| panic!("the doc's plancheck.toml: {e}"));
            let workspace = plancheck::model::Workspace::new(vec![plancheck::model::Document::parse("example.plan", example)]);
            let configs = vec![Arc::new(plancheck::config::ResolvedConfig { path: None, config })];
            let diagnostics = plancheck::rules::check_workspace(&workspace, &configs, lang);
            plancheck::Analysis { workspace, configs, diagnostics }
        }
    }
}

/// The rules an example triggers.
fn triggered(example: &str, config: Option<&str>, lang: Lang) -> BTreeSet<&'static str> {
    analysis_of(example, config, lang).diagnostics.iter().map(|d| d.rule.name).collect()
}

/// A doc's examples: its `plan` blocks and its `toml` block (at most one).
fn examples(rule: &RuleMeta, lang: Lang) -> (Vec<String>, Option<String>) {
    let blocks = code_blocks(rule.doc(lang));
    for (info, _) in &blocks {
        assert!(info == "plan" || info == "toml", "{} ({lang:?}): a code block marked `{info}`; mark it `plan` (an example that triggers the rule) or `toml` (its plancheck.toml)", rule.name);
    }
    let plans: Vec<String> = blocks.iter().filter(|(info, _)| info == "plan").map(|(_, text)| text.clone()).collect();
    let tomls: Vec<String> = blocks.iter().filter(|(info, _)| info == "toml").map(|(_, text)| text.clone()).collect();
    assert!(tomls.len() <= 1, "{} ({lang:?}): one plancheck.toml per doc", rule.name);
    (plans, tomls.into_iter().next())
}

#[test]
fn every_rule_s_example_triggers_it() {
    let mut failures = Vec::new();
    for rule in plancheck::rules::all() {
        let allowed: BTreeSet<&str> = ALSO_TRIGGERED.iter().filter(|(name, _, _)| *name == rule.name).flat_map(|(_, also, _)| also.iter().copied()).chain([rule.name]).collect();
        for lang in [Lang::Ja, Lang::En] {
            let (plans, config) = examples(rule, lang);
            if plans.is_empty() {
                failures.push(format!("{} ({lang:?}): no ```plan example", rule.name));
            }
            for plan in &plans {
                let found = triggered(plan, config.as_deref(), lang);
                if !found.contains(rule.name) || !found.is_subset(&allowed) {
                    failures.push(format!("{} ({lang:?}): the example triggers {found:?}, expected {:?}:\n{plan}", rule.name, allowed));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The Japanese and the English doc show the same example: the same lines
/// but for the comments (which are in the doc's language).
#[test]
fn both_languages_show_the_same_examples() {
    let without_comments = |text: &str| -> Vec<String> { text.lines().filter(|l| !l.trim_start().starts_with('#') || l.trim_start().starts_with("# plancheck:")).map(String::from).collect() };
    for rule in plancheck::rules::all() {
        let (ja, ja_toml) = examples(rule, Lang::Ja);
        let (en, en_toml) = examples(rule, Lang::En);
        assert_eq!(ja.iter().map(|p| without_comments(p)).collect::<Vec<_>>(), en.iter().map(|p| without_comments(p)).collect::<Vec<_>>(), "{}", rule.name);
        assert_eq!(ja_toml, en_toml, "{}", rule.name);
    }
}

#[test]
fn the_exceptions_name_real_rules_that_the_examples_need() {
    for (name, also, reason) in ALSO_TRIGGERED {
        let rule = plancheck::rules::by_name(name).unwrap_or_else(|| panic!("{name}"));
        assert!(!reason.is_empty());
        for lang in [Lang::Ja, Lang::En] {
            let (plans, config) = examples(rule, lang);
            let found: BTreeSet<&str> = plans.iter().flat_map(|p| triggered(p, config.as_deref(), lang)).collect();
            for other in *also {
                assert!(found.contains(other), "{name}'s example no longer triggers {other}: remove it from ALSO_TRIGGERED");
            }
        }
    }
}

#[test]
fn the_config_schema_is_generated_from_the_settings() {
    check_generated(&root().join("schema/plancheck-toml.schema.json"), &plancheck::config::json_schema());
}

fn config_schema() -> (serde_json::Value, jsonschema::Validator) {
    let schema: serde_json::Value = serde_json::from_str(&plancheck::config::json_schema()).unwrap();
    let validator = jsonschema::draft7::new(&schema).unwrap_or_else(|e| panic!("the schema is a valid draft 7 schema: {e}"));
    (schema, validator)
}

/// A `plancheck.toml`'s text as the JSON the schema describes.
fn toml_as_json(text: &str) -> serde_json::Value {
    serde_json::to_value(toml::from_str::<toml::Table>(text).unwrap_or_else(|e| panic!("not TOML: {e}\n{text}"))).unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    validator.iter_errors(&toml_as_json(text)).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

/// The ```` ```toml ```` blocks of a Markdown file.
fn toml_blocks(markdown: &str) -> Vec<String> {
    code_blocks(markdown).into_iter().filter(|(info, _)| info == "toml").map(|(_, text)| text).collect()
}

/// Every `plancheck.toml` of the repository (fixtures, examples).
fn config_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() && !name.starts_with('.') && name != "target" && name != "node_modules" {
            config_files(&path, out);
        } else if name == "plancheck.toml" {
            out.push(path);
        }
    }
}

#[test]
fn the_example_configs_and_what_init_writes_follow_the_schema() {
    let (_, validator) = config_schema();
    let mut examples: Vec<(String, String)> = Vec::new();
    let mut files = Vec::new();
    config_files(&root(), &mut files);
    assert!(!files.is_empty(), "the repository has example configs");
    for file in files {
        examples.push((file.display().to_string(), std::fs::read_to_string(&file).unwrap()));
    }
    for markdown in ["README.md", "docs/adopting.md"] {
        for (i, block) in toml_blocks(&std::fs::read_to_string(root().join(markdown)).unwrap()).into_iter().enumerate() {
            examples.push((format!("{markdown}, toml block {}", i + 1), block));
        }
    }
    for rule in plancheck::rules::all() {
        for (i, block) in toml_blocks(rule.doc_ja).into_iter().chain(toml_blocks(rule.doc_en)).enumerate() {
            examples.push((format!("{}'s doc, toml block {}", rule.name, i + 1), block));
        }
    }
    // What `plancheck init` writes, as it is and with every commented
    // setting (each rule's level, docs-url) switched on.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.plan"), "施策 1-1-1 a {\n  全体評価: A\n  代表課: 健康づくり課\n}\n").unwrap();
    assert_cmd::Command::cargo_bin("plancheck").unwrap().current_dir(dir.path()).arg("init").assert().success();
    let written = std::fs::read_to_string(dir.path().join("plancheck.toml")).unwrap();
    assert!(written.contains("健康づくり課"), "{written}");
    let uncommented: String = written
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(setting) if setting.split_once(" = ").is_some_and(|(key, _)| key == "docs-url" || plancheck::rules::by_name(key).is_some()) => setting,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(uncommented.contains("\nrating-mismatch = \"warning\"") && uncommented.contains("\ndocs-url = "), "{uncommented}");
    examples.push(("plancheck init".into(), written));
    examples.push(("plancheck init, every setting on".into(), uncommented));
    for (name, text) in &examples {
        plancheck::config::Config::from_toml(Path::new("plancheck.toml"), text).unwrap_or_else(|e| panic!("{name}: plancheck refuses it: {e}"));
        let errors = schema_errors(&validator, text);
        assert!(errors.is_empty(), "{name} does not follow the schema: {errors:?}\n{text}");
    }
}

/// The schema refuses what plancheck refuses, and accepts what it accepts
/// (short of what JSON Schema cannot say: thresholds that must descend).
#[test]
fn the_schema_refuses_what_plancheck_refuses() {
    let (schema, validator) = config_schema();
    let cases = [
        ("[rules]\nrating-mismatch = \"off\"\nPC302 = \"error\"\npc401 = \"warning\"\n", true),
        ("[rules]\nrating-mismach = \"off\"\n", false),
        ("[rules]\nPC999 = \"off\"\n", false),
        ("[rules]\nrating-mismatch = \"loud\"\n", false),
        ("[rules]\nrating-mismatch = \"Error\"\n", false),
        ("colour = 1\n", false),
        ("docs-url = \"https://intra.example.jp/plancheck/\"\n", true),
        ("docs-url = \"rules/\"\n", false),
        ("docs-url = 1\n", false),
        ("departments = [\"健康づくり課\"]\n", true),
        ("departments = \"健康づくり課\"\n", false),
        ("[rating.indicator]\nB = 85\n", true),
        ("[rating.indicator]\nB = 85.5\nC = \"60\"\n", true),
        ("[rating]\ngrades = [{ symbol = \"S\", above = 100 }, { symbol = \"A\", from = 80 }, { symbol = \"B\" }]\nungraded = [\"Z\"]\n", true),
        ("[rating]\ngrades = [{ symbol = \"S\", over = 100 }, { symbol = \"A\" }]\n", false),
        ("[rating]\ngrades = [{ from = 100 }, { symbol = \"A\" }]\n", false),
        ("[rating]\nlevels = [{ symbol = \"◎\", points = 3 }, { symbol = \"○\", points = 1 }]\n", true),
        ("[rating.quantitative]\naggregate = \"share\"\nshare-of = \"B\"\nscale = [{ symbol = \"順調\", from = 80 }, { symbol = \"遅れ\" }]\n", true),
        ("[rating.quantitative]\naggregate = \"median\"\n", false),
        ("[rating.quantitative]\nhigh = 2.6\npoints = { D = -1 }\ncomparison = \"at-least\"\n", true),
        ("[rating.quantitative]\ncomparison = \"more\"\n", false),
        ("[rating.qualitative.points]\n\"中\" = 2.5\n", true),
        ("[rating.qualitative.points]\n\"中\" = 2000000000\n", false),
        ("[rating.qualitative]\nhigh = \"a lot\"\n", false),
        ("[duplicates]\nfields = [\"成果\", \"課題\"]\nmin-length = 30\nsimilarity = 0.9\n", true),
        ("[duplicates]\nfields = [\"感想\"]\n", false),
        ("[duplicates]\nsimilarity = 1.5\n", false),
        ("[duplicates]\nmin-length = -1\n", false),
        ("[duplicates]\nmin_length = 3\n", false),
    ];
    for (text, valid) in cases {
        let read = plancheck::config::Config::from_toml(Path::new("plancheck.toml"), text);
        assert_eq!(read.is_ok(), valid, "plancheck on {text:?}: {read:?}");
        let errors = schema_errors(&validator, text);
        assert_eq!(errors.is_empty(), valid, "the schema on {text:?}: {errors:?}");
    }
    // What the schema cannot say (which symbols the legend has, bounds that
    // descend): plancheck refuses it, naming the key.
    for (text, says) in [
        ("[rating.indicator]\nE = 10\n", "rating.indicator: `E` is not a grade"),
        ("[rating]\ngrades = [{ symbol = \"A\", from = 50 }, { symbol = \"B\", from = 80 }, { symbol = \"C\" }]\n", "descend"),
        ("[rating.quantitative]\naggregate = \"share\"\n", "share-of"),
    ] {
        assert!(schema_errors(&validator, text).is_empty(), "{text:?}");
        let e = plancheck::config::Config::from_toml(Path::new("plancheck.toml"), text).unwrap_err();
        assert!(e.message.contains(says), "{text:?}: {e}");
    }
    // Every rule's name and code is a key editors can complete, with its
    // summary and default level.
    let rules = &schema["properties"]["rules"]["properties"];
    for rule in plancheck::rules::all() {
        for key in [rule.name, rule.code] {
            assert_eq!(rules[key]["default"], rule.default_severity.as_str(), "{key}");
            assert!(rules[key]["description"].as_str().unwrap().contains(rule.summary_ja), "{key}");
        }
    }
    assert_eq!(rules.as_object().unwrap().len(), 2 * plancheck::rules::all().count());
    assert!(schema["properties"]["departments"]["description"].as_str().unwrap().contains("代表課"), "descriptions come from the doc comments");
}

/// The settings a rule's page says it reads are keys of `plancheck.toml`.
#[test]
fn the_settings_a_rule_reads_are_in_the_schema() {
    let (schema, _) = config_schema();
    for rule in plancheck::rules::all() {
        for setting in rule.settings {
            // `[rating.indicator]`, `[duplicates] min-length`, `departments`.
            let (table, key) = match setting.strip_prefix('[').and_then(|s| s.split_once(']')) {
                Some((table, key)) => (table, key.trim()),
                None => ("", *setting),
            };
            let mut at = &schema;
            for part in table.split('.').chain([key]).filter(|p| !p.is_empty()) {
                at = &at["properties"][part];
                assert!(!at.is_null(), "{}: `{setting}` is not a setting of plancheck.toml", rule.name);
            }
        }
    }
}

/// `.taplo.toml` associates the schema with every `plancheck.toml`, and the
/// address README.md gives for the `#:schema` directive is the schema's `$id`.
#[test]
fn taplo_finds_the_schema() {
    let taplo: toml::Table = toml::from_str(&std::fs::read_to_string(root().join(".taplo.toml")).unwrap()).unwrap();
    let rules = taplo["rule"].as_array().unwrap();
    let rule = rules.iter().find(|r| r["include"].as_array().is_some_and(|i| i.iter().any(|p| p.as_str() == Some("**/plancheck.toml")))).expect("a rule for **/plancheck.toml");
    let path = rule["schema"]["path"].as_str().unwrap();
    assert_eq!(std::fs::read_to_string(root().join(path)).unwrap(), plancheck::config::json_schema(), "{path} is the generated schema");
    let (schema, _) = config_schema();
    let id = schema["$id"].as_str().unwrap();
    assert!(id.ends_with(path.trim_start_matches("./")), "{id}");
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains(&format!("#:schema {id}")), "README.md shows the directive with {id}");
}
