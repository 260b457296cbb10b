//! The benchmark table of the README: throughput of every stage of a check
//! on generated plans of 200 KB (one city), 1 MB, 10 MB and a 100 MB
//! workspace of 500 files (a whole prefecture), against the JSON reference
//! (the same content exported to JSON and read with `serde_json`).
//!
//! `cargo bench --bench throughput` prints a Markdown table. Options after
//! `--`: `--quick` (200 KB and 1 MB only, one repetition; what CI runs so
//! that the benchmark keeps building and working), `--sizes 1MB,10MB`,
//! `--write DIR` (write the inputs as files), `--profile STAGE` (run one
//! stage in a loop under perf: parse, model, rules or a rule's name).
//!
//! Each cell is the median of several runs (fewer for the big inputs), on
//! one core unless the row says otherwise.

use plancheck::config::ResolvedConfig;
use plancheck::diagnostics::Lang;
use plancheck::model::{Document, Workspace};
use plancheck::rules::{Context, RULES};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Input {
    label: &'static str,
    files: Vec<(String, String)>,
    repetitions: usize,
}

impl Input {
    fn bytes(&self) -> usize {
        self.files.iter().map(|(_, t)| t.len()).sum()
    }
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(repetitions: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..repetitions)
            .map(|_| {
                let started = Instant::now();
                black_box(f());
                started.elapsed()
            })
            .collect(),
    )
}

fn mb_per_s(bytes: usize, took: Duration) -> f64 {
    bytes as f64 / 1e6 / took.as_secs_f64()
}

/// Rows of the table: (stage, MB/s per input).
struct Table {
    labels: Vec<&'static str>,
    rows: Vec<(String, Vec<String>)>,
}

impl Table {
    fn set(&mut self, row: &str, column: usize, value: String) {
        let columns = self.labels.len();
        let index = match self.rows.iter().position(|(r, _)| r == row) {
            Some(i) => i,
            None => {
                self.rows.push((row.to_string(), vec!["".to_string(); columns]));
                self.rows.len() - 1
            }
        };
        self.rows[index].1[column] = value;
    }

    fn print(&self) {
        println!();
        println!("| stage | {} |", self.labels.join(" | "));
        println!("|---|{}", "---:|".repeat(self.labels.len()));
        for (row, cells) in &self.rows {
            println!("| {row} | {} |", cells.join(" | "));
        }
    }
}

#[global_allocator]
static GLOBAL: plancheck::allocator::MiMalloc = plancheck::allocator::MiMalloc;

#[allow(unsafe_code)] // installing the allocator, below
fn main() {
    // SAFETY: the first statement of main: no tree-sitter object exists and
    // no other thread has started.
    unsafe { plancheck::allocator::install_for_tree_sitter() };
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let only: Option<Vec<String>> = args.iter().position(|a| a == "--sizes").and_then(|i| args.get(i + 1)).map(|s| s.split(',').map(str::to_string).collect());
    let mut inputs = vec![
        Input { label: "200KB", files: vec![("city.plan".into(), plancheck_generate::plan(7, 200_000))], repetitions: if quick { 1 } else { 21 } },
        Input { label: "1MB", files: vec![("1mb.plan".into(), plancheck_generate::plan(42, 1_000_000))], repetitions: if quick { 1 } else { 11 } },
    ];
    if !quick {
        inputs.push(Input { label: "10MB", files: vec![("10mb.plan".into(), plancheck_generate::plan(42, 10_000_000))], repetitions: 5 });
        inputs.push(Input { label: "20MB (100 files)", files: plancheck_generate::workspace(5, 100, 200_000), repetitions: 3 });
        inputs.push(Input { label: "100MB (500 files)", files: plancheck_generate::workspace(3, 500, 200_000), repetitions: 3 });
    }
    if let Some(only) = &only {
        inputs.retain(|i| only.iter().any(|o| i.label.starts_with(o.as_str())));
    }
    // `--write DIR`: the generated inputs as files (for the CLI, perf, ...).
    if let Some(dir) = args.iter().position(|a| a == "--write").and_then(|i| args.get(i + 1)) {
        for input in &inputs {
            for (path, text) in &input.files {
                let path = std::path::Path::new(dir).join(input.label.split(' ').next().unwrap_or("input")).join(path);
                std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("the folder can be created");
                std::fs::write(&path, text).expect("the file can be written");
            }
        }
        return;
    }
    // `--profile STAGE`: only that stage, in a loop, for perf/callgrind.
    if let Some(stage) = args.iter().position(|a| a == "--profile").and_then(|i| args.get(i + 1)) {
        profile(stage, &inputs[inputs.len() - 1]);
        return;
    }
    let mut table = Table { labels: inputs.iter().map(|i| i.label).collect(), rows: Vec::new() };
    let threads = rayon::current_num_threads();
    for (column, input) in inputs.iter().enumerate() {
        let bytes = input.bytes();
        let reps = input.repetitions;
        eprintln!("{}: {} bytes in {} file(s), {} repetition(s)", input.label, bytes, input.files.len(), reps);
        table.set("size (bytes)", column, bytes.to_string());

        // One core: everything in sequence.
        let parse = time(reps, || input.files.iter().map(|(_, t)| plancheck::syntax::parse(t)).collect::<Vec<_>>());
        table.set("tree-sitter parse alone", column, format!("{:.1} MB/s", mb_per_s(bytes, parse)));

        let trees: Vec<_> = input.files.iter().map(|(_, t)| plancheck::syntax::parse(t)).collect();
        let model = time(reps, || input.files.iter().zip(&trees).map(|((p, t), tree)| Document::with_tree(p.as_str(), t.as_str(), tree.clone())).collect::<Vec<_>>());
        table.set("model build (given the tree)", column, format!("{:.1} MB/s", mb_per_s(bytes, model)));

        let docs: Vec<Document> = input.files.iter().map(|(p, t)| Document::parse(p.as_str(), t.as_str())).collect();
        let workspace = Workspace::new(docs);
        let configs: Vec<_> = (0..workspace.docs.len()).map(|_| Arc::new(ResolvedConfig::default())).collect();
        let ctx = Context { workspace: &workspace, configs: &configs, lang: Lang::Ja };
        let mut rules_total = Duration::ZERO;
        for rule in RULES {
            let took = time(reps, || {
                let mut found = Vec::new();
                rule.run(&ctx, &mut found);
                found
            });
            rules_total += took;
            table.set(&format!("rule {}", rule.meta.name), column, format!("{:.0} MB/s", mb_per_s(bytes, took)));
        }
        table.set("all rules (sum of the above)", column, format!("{:.1} MB/s", mb_per_s(bytes, rules_total)));

        let whole = time(reps, || {
            let docs: Vec<Document> = input.files.iter().map(|(p, t)| Document::parse(p.as_str(), t.as_str())).collect();
            let workspace = Workspace::new(docs);
            plancheck::rules::check_workspace(&workspace, &configs, Lang::Ja)
        });
        table.set("whole check, 1 core (parse + model + rules)", column, format!("{:.1} MB/s", mb_per_s(bytes, whole)));
        table.set("whole check ÷ parse alone", column, format!("{:.2}×", whole.as_secs_f64() / parse.as_secs_f64()));

        // Both cores: what `plancheck check` does (files parsed in parallel).
        let parallel = time(reps, || {
            let mut resolver = plancheck::config::ConfigResolver::default();
            plancheck::analyze(input.files.clone(), &mut resolver, Lang::Ja).map(|a| a.diagnostics.len())
        });
        table.set(&format!("whole check, {threads} threads (`analyze`)"), column, format!("{:.1} MB/s", mb_per_s(bytes, parallel)));

        // The reference: the same content as JSON, read into a Value.
        let json = plancheck::export::to_json(&plancheck::sheet::Sheet::from_workspace(&workspace));
        let serde = time(reps, || serde_json::from_str::<serde_json::Value>(&json).expect("our own JSON"));
        table.set("JSON export size (bytes)", column, json.len().to_string());
        table.set("serde_json::Value of the JSON export", column, format!("{:.0} MB/s", mb_per_s(json.len(), serde)));
    }
    table.print();
}

fn profile(stage: &str, input: &Input) {
    let configs: Vec<_> = input.files.iter().map(|_| Arc::new(ResolvedConfig::default())).collect();
    let docs = || Workspace::new(input.files.iter().map(|(p, t)| Document::parse(p.as_str(), t.as_str())).collect());
    let workspace = if matches!(stage, "parse" | "model") { Workspace::default() } else { docs() };
    let started = Instant::now();
    for _ in 0..input.repetitions.max(3) {
        match stage {
            "parse" => drop(black_box(input.files.iter().map(|(_, t)| plancheck::syntax::parse(t)).collect::<Vec<_>>())),
            "model" => drop(black_box(docs())),
            "rules" => drop(black_box(plancheck::rules::check_workspace(&workspace, &configs, Lang::Ja))),
            rule => {
                let rule = RULES.iter().find(|r| r.meta.name == rule).expect("a stage: parse, model, rules or a rule name");
                let ctx = Context { workspace: &workspace, configs: &configs, lang: Lang::Ja };
                let mut found = Vec::new();
                rule.run(&ctx, &mut found);
                black_box(found);
            }
        }
    }
    eprintln!("{stage}: {:?}", started.elapsed());
}
