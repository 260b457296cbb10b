//! The `plancheck` command line: a thin front end over the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use plancheck::config::ConfigResolver;
use plancheck::diagnostics::{Applicability, Counts, Lang};
use plancheck::output_path::{OutputKind, check_output};
use plancheck::{load, output, rules};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// `--lang ja|en` (the core's [`Lang`] knows nothing of the command line).
fn lang_parser() -> impl clap::builder::TypedValueParser<Value = Lang> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["ja", "en"]).map(|s| if s == "en" { Lang::En } else { Lang::Ja })
}

#[derive(Parser)]
#[command(name = "plancheck", version, about = "Linter for municipal plan evaluation sheets (総合計画の成果・課題一覧) written as .plan files")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check .plan files and report every inconsistency.
    Check(CheckArgs),
    /// Format .plan files in the canonical layout (in place, atomically).
    Fmt(FmtArgs),
    /// Explain a rule (or list them all).
    Explain(ExplainArgs),
    /// Run the language server over standard input and output.
    Lsp(LspArgs),
    /// Turn a table (.xlsx, .csv, .tsv, or the text dump of a published PDF) into a .plan.
    Import(ImportArgs),
    /// Write plans as JSON, CSV, TSV or .xlsx in the official table layout (or the HTML report).
    Export(ExportArgs),
    /// Write one self-contained HTML report (hierarchy, stated and computed ratings, charts, findings).
    Report(ReportArgs),
    /// Write a commented plancheck.toml with every setting (departments taken from the plans there).
    Init(InitArgs),
    /// Show what changed between two editions of a plan (values, grades, departments, prose left unchanged).
    Diff(DiffArgs),
}

#[derive(Args)]
struct DiffArgs {
    /// The old edition: a .plan file or a folder of them.
    old: PathBuf,
    /// The new edition: a .plan file or a folder of them.
    new: PathBuf,
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    #[arg(long, value_parser = lang_parser(), default_value = "ja")]
    lang: Lang,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

#[derive(Args)]
struct InitArgs {
    /// The folder to set up (its .plan files, searched recursively, give the departments).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Replace an existing plancheck.toml (never a plan).
    #[arg(long)]
    force: bool,
    /// Write the published legend of another body: isesaki (the default), nagayo, motomiya, ibaraki, osaka-library, ino.
    #[arg(long, value_parser = preset_parser())]
    preset: Option<&'static plancheck::presets::Preset>,
    /// Language of messages.
    #[arg(long, value_parser = lang_parser(), default_value = "ja")]
    lang: Lang,
}

/// `--preset NAME`: one of the published legends.
fn preset_parser() -> impl clap::builder::TypedValueParser<Value = &'static plancheck::presets::Preset> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(plancheck::presets::names()).map(|name: String| plancheck::presets::by_name(&name).expect("a listed preset"))
}

#[derive(Args)]
struct ReportArgs {
    /// Files or folders (searched recursively for *.plan), or a workbook or CSV (.xlsx, .xls, .ods, .csv, .tsv), reported as `check` reads it.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Where to write the HTML file (never one of the files read; an existing .plan or a plancheck.toml only with --force).
    #[arg(short, long)]
    output: PathBuf,
    /// Replace an existing .plan file, or write a plancheck.toml, with the output.
    #[arg(long)]
    force: bool,
    /// The report's language.
    #[arg(long, value_parser = lang_parser(), default_value = "ja")]
    lang: Lang,
    /// The date shown in the title (any text, e.g. 令和8年12月6日); by default today's, in this computer's time zone.
    #[arg(long)]
    date: Option<String>,
    /// Show every 施策's text (成果, 課題, ...) open rather than folded: for printing.
    #[arg(long)]
    expand: bool,
}

#[derive(Args)]
struct ImportArgs {
    /// The table: .xlsx/.xls/.ods (every visible worksheet, merged into one plan), .csv, .tsv or .txt (tab-separated; UTF-8, UTF-16 or Shift_JIS).
    file: PathBuf,
    /// Import only this worksheet (repeat for several; a hidden one too).
    #[arg(long = "sheet", value_name = "NAME")]
    sheets: Vec<String>,
    /// Import hidden worksheets too (they are left out, with a warning, by default).
    #[arg(long)]
    include_hidden: bool,
    /// Say how the table was read: its hierarchy, each heading and what it was read as.
    #[arg(long)]
    explain: bool,
    /// Where to write the .plan (default: standard output). An existing file is not overwritten without --force.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    force: bool,
    /// Language of the warnings and errors (the comments in the .plan are Japanese).
    #[arg(long, value_parser = lang_parser(), default_value = "ja")]
    lang: Lang,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
    Tsv,
    Xlsx,
    /// The HTML report (as `plancheck report`).
    Html,
}

#[derive(Args)]
struct ExportArgs {
    /// Files or folders (searched recursively for *.plan).
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// The format.
    #[arg(long = "to", value_enum, default_value = "json")]
    to: ExportFormat,
    /// Where to write (default: standard output; required for xlsx). Never one of the files read; an existing .plan or a plancheck.toml only with --force.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Replace an existing .plan file with the output.
    #[arg(long)]
    force: bool,
    /// Add the computed ratings beside the stated ones.
    #[arg(long)]
    with_computed: bool,
    /// Print the JSON Schema of the JSON export instead.
    #[arg(long, conflicts_with_all = ["with_computed"])]
    schema: bool,
    /// Language of messages and of the HTML report.
    #[arg(long, value_parser = lang_parser(), default_value = "ja")]
    lang: Lang,
}

#[derive(Args)]
struct LspArgs {
    /// Accepted for clients that pass it; standard input and output are the only transport.
    #[arg(long)]
    stdio: bool,
}

#[derive(Args)]
struct FmtArgs {
    /// Files or folders (searched recursively for *.plan); `-` formats standard input to standard output.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Change nothing: list the files that would be reformatted, exit 1 if any.
    #[arg(long)]
    check: bool,
    /// Language of messages (why a file is not formatted).
    #[arg(long, value_parser = lang_parser(), default_value = "ja")]
    lang: Lang,
}

/// `--format NAME`: every output format the linter lists, with its help.
fn format_parser() -> impl clap::builder::TypedValueParser<Value = output::OutputFormat> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = output::OutputFormat::ALL.map(|f| PossibleValue::new(f.name()).help(f.description()));
    PossibleValuesParser::new(values).map(|name| output::OutputFormat::ALL.into_iter().find(|f| f.name() == name).expect("a listed format"))
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Fail (exit 1) on warnings too, not only on errors.
    Warnings,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or folders (searched recursively for *.plan); `-` reads standard input.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[arg(long, value_parser = format_parser(), default_value = "human")]
    format: output::OutputFormat,
    /// Make warnings fail the check too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Language of messages.
    #[arg(long, value_parser = lang_parser(), default_value = "ja")]
    lang: Lang,
    /// The path to report (and to find plancheck.toml from) for standard input.
    #[arg(long)]
    stdin_filename: Option<PathBuf>,
    /// Use this plancheck.toml instead of searching for one.
    #[arg(long)]
    config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Apply the safe fixes (exact ones: a recomputed grade, ...) to the files, then report what remains.
    #[arg(long)]
    fix: bool,
    /// With --fix, apply the unsafe fixes too (guesses: the closest department, field or rule name).
    #[arg(long, requires = "fix")]
    unsafe_fixes: bool,
    /// Report only findings not recorded in this baseline file (and say which recorded ones are gone).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record every finding in this baseline file (replacing it) instead of reporting them.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// With --write-baseline: replace an existing file that is not a baseline (never a plan read);
    /// with --annotate: replace an existing file (never the workbook read).
    #[arg(long)]
    force: bool,
    /// Write a copy of the workbook checked (.xlsx) to this file: each finding's cell highlighted,
    /// with a comment giving the finding and its fix, and a findings sheet with links to the cells.
    #[arg(long, value_name = "OUT.xlsx", conflicts_with_all = ["fix", "write_baseline"])]
    annotate: Option<PathBuf>,
}

#[derive(Args)]
struct ExplainArgs {
    /// The rule's name or code (e.g. rating-mismatch, PC201).
    rule: Option<String>,
    /// List every rule.
    #[arg(long)]
    list: bool,
    #[arg(long, value_parser = lang_parser(), default_value = "ja")]
    lang: Lang,
}

// mimalloc, unless built for a heap profiler (`--features system-allocator`:
// heaptrack and valgrind see the C library's malloc, not mimalloc's pages).
#[cfg(not(feature = "system-allocator"))]
#[global_allocator]
static GLOBAL: plancheck::allocator::MiMalloc = plancheck::allocator::MiMalloc;

#[allow(unsafe_code)] // installing the allocator, below
fn main() -> ExitCode {
    // SAFETY: the first statement of main: no tree-sitter object exists and
    // no other thread has started.
    #[cfg(not(feature = "system-allocator"))]
    unsafe {
        plancheck::allocator::install_for_tree_sitter()
    };
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Fmt(args) => fmt(args),
        Command::Explain(args) => explain(args),
        Command::Import(args) => import(args),
        Command::Export(args) => export(args),
        Command::Report(args) => report(args),
        Command::Init(args) => init(args),
        Command::Diff(args) => diff(args),
        Command::Lsp(_) => plancheck::lsp::run().map(|()| ExitCode::SUCCESS).map_err(|e| format!("language server: {e}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "plancheck: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn check(args: CheckArgs) -> Result<ExitCode, String> {
    let mut files: Vec<(String, String)> = Vec::new();
    let stdin_requested = args.paths.iter().any(|p| p.as_os_str() == "-");
    let paths: Vec<PathBuf> = args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    if args.stdin_filename.is_some() && !stdin_requested {
        return Err("--stdin-filename names the text read from standard input: add `-` to the paths".into());
    }
    if stdin_requested {
        let bytes = load::read_bounded(std::io::stdin().lock()).map_err(|e| format!("standard input: {e}"))?;
        let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("<stdin>.plan"));
        let text = load::decode(&name, bytes).map_err(|e| e.to_string())?;
        files.push((display_path(&name), text));
    }
    // What each file was read from, beside `files` (`None`: standard input):
    // `--fix` writes through these paths, never through the shown name.
    let mut sources: Vec<Option<load::Source>> = files.iter().map(|_| None).collect();
    // With --fix, a file that cannot be read (not UTF-8, too large, ...) is
    // reported and the others are still fixed; the run exits 2 at the end.
    let mut unreadable: Vec<PathBuf> = Vec::new();
    // A workbook or CSV named on the command line is checked as a table:
    // imported in memory, its findings located by cell (`基本政策2!I12`).
    let (table_paths, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths.into_iter().partition(|p| is_table(p) && p.is_file());
    let mut tables: Vec<(usize, plancheck::import::Imported)> = Vec::new();
    if !table_paths.is_empty() && args.fix {
        return Err(args.lang.pick(
            "--fix は表 (.xlsx, .csv) を書き換えません: plancheck import で .plan にしてから直してください".to_string(),
            "--fix does not rewrite a table (.xlsx, .csv): import it with plancheck import, then fix the .plan".to_string(),
        ));
    }
    for path in &table_paths {
        let imported = read_table(path, args.lang)?;
        tables.push((files.len(), imported));
        files.push((display_path(path), tables.last().expect("pushed").1.text.clone()));
        sources.push(None);
    }
    if !paths.is_empty() || (!stdin_requested && table_paths.is_empty()) {
        for path in collect_files(&paths)? {
            let mut source = match load::read_source(&path) {
                Ok(source) => source,
                Err(e) if args.fix => {
                    let _ = writeln!(std::io::stderr(), "plancheck: error: {}: {}", display_path(&e.path), e.message);
                    unreadable.push(path);
                    continue;
                }
                Err(e) => return Err(e.to_string()),
            };
            // The text as read is kept only for --fix (to know what changed).
            let text = if args.fix { source.text.clone() } else { std::mem::take(&mut source.text) };
            files.push((display_path(&path), text));
            sources.push(Some(source));
        }
    }
    let mut resolver = match &args.config {
        Some(path) => ConfigResolver::with_explicit(path),
        None => ConfigResolver::new(),
    };
    // The texts are kept only for --fix (its rounds check them again); without
    // it they move into the analysis, not copied.
    let first = if args.fix { files.clone() } else { std::mem::take(&mut files) };
    let mut analysis = plancheck::analyze(first, &mut resolver, args.lang).map_err(|e| e.to_string())?;
    locate_in_tables(&mut analysis, &tables);
    // Files `--fix` could not read or write: the run goes on, and exits 2.
    let mut unwritten = 0;
    if args.fix {
        // Rounds: a fixed grade can change the summary computed from it.
        let mut files = files;
        // The fixes applied to each file's text (counted once written).
        let mut applied_to = vec![0usize; files.len()];
        let allowed = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
        for _ in 0..8 {
            let mut applied_this_round = 0;
            for (file, (_, text)) in files.iter_mut().enumerate() {
                let (new_text, applied) = plancheck::fix::apply_with(text, file, &analysis.diagnostics, allowed);
                if applied > 0 {
                    *text = new_text;
                    applied_this_round += applied;
                    applied_to[file] += applied;
                }
            }
            if applied_this_round == 0 {
                break;
            }
            analysis = plancheck::analyze(files.clone(), &mut resolver, args.lang).map_err(|e| e.to_string())?;
        }
        let mut lost = 0;
        if !stdin_requested {
            // Each fixed file written once, through the path it was read
            // from; one that cannot be is reported as it is on disk.
            for (file, (_, text)) in files.iter_mut().enumerate() {
                let Some(source) = &sources[file] else { continue };
                if *text == source.text {
                    continue;
                }
                let bytes = if source.bom { [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat() } else { text.as_bytes().to_vec() };
                if let Err(e) = load::write_back(source, &bytes, args.lang) {
                    let _ = writeln!(std::io::stderr(), "plancheck: error: {}: {}", display_path(&e.path), e.message);
                    text.clone_from(&source.text);
                    unwritten += 1;
                    lost += std::mem::take(&mut applied_to[file]);
                }
            }
            if unwritten > 0 {
                analysis = plancheck::analyze(files.clone(), &mut resolver, args.lang).map_err(|e| e.to_string())?;
            }
        }
        if stdin_requested {
            // Standard input: the fixed text goes to standard output.
            let text = files.first().map(|(_, t)| t.as_str()).unwrap_or("");
            std::io::stdout().write_all(text.as_bytes()).map_err(|e| format!("writing: {e}"))?;
            return Ok(ExitCode::SUCCESS);
        }
        let fixed: usize = applied_to.iter().sum();
        let mut summary = args.lang.pick(format!("{fixed} 件を修正しました"), format!("fixed {fixed} findings"));
        if lost > 0 {
            summary.push_str(
                &args
                    .lang
                    .pick(format!("。書き込めなかった {unwritten} ファイルの修正 {lost} 件は書き込んでいません (上記)"), format!("; {lost} fixes in {unwritten} files were not written (see above)")),
            );
        }
        let unsafe_left = analysis.diagnostics.iter().filter(|d| d.fix.as_ref().is_some_and(|f| !plancheck::fix::allows(allowed, f.applicability))).count();
        if unsafe_left > 0 {
            summary.push_str(&args.lang.pick(
                format!("。推測による修正案 {unsafe_left} 件は適用していません (確かめてから --unsafe-fixes で適用できます)"),
                format!("; {unsafe_left} unsafe fixes (guesses) were not applied (check them, then --unsafe-fixes applies them)"),
            ));
        }
        let _ = writeln!(std::io::stderr(), "{summary}");
        if !unreadable.is_empty() {
            let n = unreadable.len();
            let _ = writeln!(std::io::stderr(), "{}", args.lang.pick(format!("{n} ファイルは読めませんでした (上記)"), format!("{n} files not read (see above)")));
        }
        unwritten += unreadable.len();
    }
    if let Some(path) = &args.write_baseline {
        let configs: Vec<&std::path::Path> = analysis.configs.iter().filter_map(|c| c.path.as_deref()).collect();
        // A plan named but not readable is an input all the same.
        let inputs: Vec<&std::path::Path> = sources.iter().flatten().map(|s| s.path.as_path()).chain(unreadable.iter().map(PathBuf::as_path)).chain(configs).collect();
        check_output(path, &inputs, args.force, OutputKind::Baseline, args.lang)?;
        let baseline = plancheck::baseline::Baseline::of(&analysis, &folder_of(path));
        load::write_atomically(path, baseline.to_json().as_bytes(), args.lang).map_err(not_written)?;
        let (findings, entries) = (analysis.diagnostics.len(), baseline.entries.len());
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            args.lang.pick(format!("{}: {findings} 件の指摘を記録しました", display_path(path)), format!("{}: recorded {findings} findings ({entries} entries)", display_path(path)))
        );
        return Ok(if unwritten > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS });
    }
    if let Some(path) = &args.baseline {
        let bytes = load::read_bytes(path).map_err(|e| format!("{}: cannot read the baseline: {}", display_path(path), e.message))?;
        let text = String::from_utf8(bytes).map_err(|e| format!("{}: cannot read the baseline: not valid UTF-8 (byte {})", display_path(path), e.utf8_error().valid_up_to()))?;
        let baseline = plancheck::baseline::Baseline::from_json(path, &text)?;
        let applied = baseline.apply(&mut analysis, &folder_of(path));
        let gone: usize = applied.gone.iter().fold(0, |sum, e| sum.saturating_add(e.count));
        let mut note = args.lang.pick(
            format!("baseline {}: 記録済みの {} 件を除きました。記録のうち {gone} 件は解消しています", display_path(path), applied.known),
            format!("baseline {}: {} recorded findings left out; {gone} recorded ones are gone", display_path(path), applied.known),
        );
        for entry in &applied.gone {
            let id = &entry.identity;
            let place = [Some(id.path.as_str()), id.measure.as_deref(), id.block.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
            let times = if entry.count > 1 { format!(" ×{}", entry.count) } else { String::new() };
            note.push_str(&format!("\n  - {} {place}{times}", id.rule));
        }
        if gone > 0 {
            note.push_str(&args.lang.pick(format!("\n(--write-baseline {} で記録を更新できます)", display_path(path)), format!("\n(--write-baseline {} records the smaller set)", display_path(path))));
        }
        let _ = writeln!(std::io::stderr(), "{note}");
    }
    if let Some(out) = &args.annotate {
        annotate(out, &table_paths, &tables, &analysis, args.force, args.lang)?;
    }
    let format = args.format;
    if format == output::OutputFormat::Github
        && let Ok(summary_path) = std::env::var("GITHUB_STEP_SUMMARY")
        && !summary_path.is_empty()
    {
        // The annotations matter more than the summary: a summary that
        // cannot be written is a warning, not a failed run.
        let summary = output::github::render_summary(&analysis, args.lang);
        let written = std::fs::OpenOptions::new().create(true).append(true).open(&summary_path).and_then(|mut file| file.write_all(summary.as_bytes()));
        if let Err(e) = written {
            let _ = writeln!(std::io::stderr(), "plancheck: warning: cannot write the job summary to GITHUB_STEP_SUMMARY ({summary_path}): {e}");
        }
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let options = output::EmitOptions { lang: args.lang, color };
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    if let Err(e) = format.emitter().emit(&mut stdout, &analysis, &options).and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(format!("writing the report: {e}"));
    }
    let counts = Counts::of(&analysis.diagnostics);
    let failed = counts.errors > 0 || (args.deny == Some(Deny::Warnings) && counts.warnings > 0);
    Ok(if unwritten > 0 {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A workbook or CSV named on the command line, imported in memory as
/// `import` would (its `plancheck.toml`'s `[import]` applied); the import's
/// warnings go to standard error.
fn read_table(path: &std::path::Path, lang: Lang) -> Result<plancheck::import::Imported, String> {
    let book = plancheck::import::grid::read_book_in(path, &Default::default(), lang).map_err(|e| e.to_string())?;
    let source = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
    let mapping = import_mapping(path, lang)?;
    let imported = plancheck::import::import_book_with(&book, &source, lang, &mapping).map_err(|e| e.to_string())?;
    for warning in &imported.warnings {
        let _ = writeln!(std::io::stderr(), "{}: {}", display_path(path), warning.shown(lang));
    }
    Ok(imported)
}

/// Each finding in a table (and each of its related places) located at its
/// cell, for every output: `check`'s, the report's.
fn locate_in_tables(analysis: &mut plancheck::Analysis, tables: &[(usize, plancheck::import::Imported)]) {
    let docs = &analysis.workspace.docs;
    for d in &mut analysis.diagnostics {
        if let Some((_, imported)) = tables.iter().find(|(file, _)| *file == d.file) {
            d.cell = finding_cell(imported, &docs[d.file], d).map(|c| c.address());
        }
        let related_cells: Vec<Option<String>> = d
            .related
            .iter()
            .map(|r| {
                let (_, imported) = tables.iter().find(|(file, _)| *file == r.file)?;
                imported.cell_of(&docs[r.file], r.span).map(|c| c.address())
            })
            .collect();
        if related_cells.iter().any(Option::is_some) {
            d.related_cells = related_cells;
        }
    }
}

/// The cell of a table a finding is shown at: a missing field at the empty
/// cell where it would be, else the cell its text came from.
fn finding_cell<'a>(imported: &'a plancheck::import::Imported, doc: &plancheck::model::Document, d: &plancheck::diagnostics::Diagnostic) -> Option<&'a plancheck::import::CellAt> {
    use plancheck::model::FieldKey as K;
    let missing: &[K] = match d.rule.name {
        "missing-department" => &[K::Department],
        "missing-field" => &[K::OverallGrade, K::Actual, K::Target, K::IndicatorGrade, K::Baseline, K::Expected, K::Result, K::DevelopmentLevel],
        _ => &[],
    };
    imported.blank_cell_of(doc, d.span, missing).or_else(|| imported.cell_of(doc, d.span))
}

/// `check --annotate OUT.xlsx`: the one workbook checked, written again with
/// its findings (the findings reported, after any baseline).
fn annotate(out: &std::path::Path, table_paths: &[PathBuf], tables: &[(usize, plancheck::import::Imported)], analysis: &plancheck::Analysis, force: bool, lang: Lang) -> Result<(), String> {
    use plancheck::annotate::{Level, Note};
    let ([source], [(file, imported)]) = (table_paths, tables) else {
        return Err(lang.pick(
            "--annotate は、1つのブック (.xlsx) を検査するときに使います: plancheck check BOOK.xlsx --annotate OUT.xlsx".to_string(),
            "--annotate takes one workbook (.xlsx) checked: plancheck check BOOK.xlsx --annotate OUT.xlsx".to_string(),
        ));
    };
    let shown = display_path(out);
    // Another workbook is never replaced unasked; a folder or a missing folder is said as such.
    if out.is_dir() {
        return Err(lang.pick(
            format!("{shown}: フォルダーです。書き出すブックのファイル名 (例 {shown}/確認済み.xlsx) を指定します"),
            format!("{shown}: is a folder; name the workbook to write (e.g. {shown}/checked.xlsx)"),
        ));
    }
    check_output(out, &[source.as_path()], false, OutputKind::Document, lang)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty() && !p.is_dir()) {
        return Err(lang.pick(format!("{shown}: フォルダー {} がありません", display_path(parent)), format!("{shown}: there is no folder {}", display_path(parent))));
    }
    if out.exists() && !force {
        return Err(lang.pick(format!("{shown}: 既にあるファイルです。置き換えるときは --force を付けます"), format!("{shown}: the file exists; --force replaces it")));
    }
    // A macro workbook keeps its macros: its copy is an .xlsm too (Excel refuses
    // an .xlsx that holds them).
    let extension = |p: &std::path::Path| p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if extension(source) == "xlsm" && extension(out) != "xlsm" || extension(source) == "xlsx" && extension(out) != "xlsx" {
        let wanted = extension(source);
        return Err(lang.pick(
            format!("{shown}: 写しは元のブックと同じ種類 (.{wanted}) で書きます: 名前を .{wanted} で終えます"),
            format!("{shown}: the copy is of the same kind as the workbook (.{wanted}): end its name with .{wanted}"),
        ));
    }
    let doc = &analysis.workspace.docs[*file];
    let notes: Vec<Note> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.file == *file)
        .map(|d| Note {
            cell: finding_cell(imported, doc, d).and_then(|c| Some((c.sheet.clone()?, c.row.checked_sub(1)? as u32, c.column.checked_sub(1)? as u32))),
            level: match d.severity {
                plancheck::diagnostics::Severity::Error => Level::Error,
                plancheck::diagnostics::Severity::Warning => Level::Warning,
                _ => Level::Info,
            },
            rule: format!("{} ({})", d.rule.name, d.rule.code),
            message: plancheck::annotate::without_backticks(&d.message, lang),
            fix: d.fix.as_ref().map(|f| plancheck::annotate::without_backticks(&f.message, lang)),
        })
        .collect();
    let written = plancheck::annotate::annotate(source, out, &notes, lang).map_err(|e| e.to_string())?;
    let _ = writeln!(
        std::io::stderr(),
        "{}",
        lang.pick(
            format!("{}: 指摘 {} 件を書き込みました (色とコメントを付けたセル {} 個、シート「{}」に一覧)", display_path(out), written.findings, written.cells, written.sheet),
            format!("{}: {} findings written ({} cells coloured and commented, listed in sheet `{}`)", display_path(out), written.findings, written.cells, written.sheet),
        )
    );
    Ok(())
}

fn fmt(args: FmtArgs) -> Result<ExitCode, String> {
    use plancheck::format::{FormatError, first_difference, format};
    use plancheck::model::Document;
    let mut stderr = std::io::stderr();
    let lang = args.lang;
    let report_refusal = |path: &str, error: &FormatError| {
        let mut stderr = std::io::stderr();
        match error {
            FormatError::Syntax(errors) => {
                for (line, col, ja, en) in errors {
                    let _ = writeln!(stderr, "{path}:{line}:{col}: {}", lang.pick(ja, en));
                }
                let _ = writeln!(stderr, "{path}: {}", lang.pick("構文エラーがあるため整形しません。先に直してください", "not formatted: fix the syntax errors first"));
            }
            FormatError::NotLossless(detail) => {
                let _ = writeln!(
                    stderr,
                    "{path}: {}",
                    lang.pick(
                        format!("整形しません: 結果がすべての文字を保てません ({detail})。報告してください"),
                        format!("not formatted: the result would not keep every character ({detail}); please report this")
                    )
                );
            }
        }
    };
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 {
            return Err("`-` (standard input) cannot be combined with other paths".into());
        }
        let bytes = load::read_bounded(std::io::stdin().lock()).map_err(|e| format!("standard input: {e}"))?;
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let text = load::decode(std::path::Path::new("<stdin>"), bytes).map_err(|e| e.to_string())?;
        let doc = Document::parse("<stdin>", text.clone());
        return match format(&doc) {
            Ok(out) => {
                if args.check {
                    return Ok(if out == text { ExitCode::SUCCESS } else { ExitCode::from(1) });
                }
                // A leading BOM goes out as it came in.
                let bom: &[u8] = if bom { b"\xEF\xBB\xBF" } else { b"" };
                std::io::stdout().write_all(&[bom, out.as_bytes()].concat()).map_err(|e| format!("writing: {e}"))?;
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => {
                report_refusal("<stdin>", &error);
                Ok(ExitCode::from(2))
            }
        };
    }
    let files = collect_files(&args.paths)?;
    // A file that cannot be read or written is reported and the others are
    // still formatted; the run exits 2.
    let (mut changed, mut unchanged, mut refused, mut unsafe_to_format, mut failed) = (0, 0, 0, 0, 0);
    let mut fail = |e: load::LoadError| {
        let _ = writeln!(std::io::stderr(), "plancheck: error: {}: {}", display_path(&e.path), e.message);
        failed += 1;
    };
    for path in files {
        let shown = display_path(&path);
        let source = match load::read_source(&path) {
            Ok(source) => source,
            Err(e) => {
                fail(e);
                continue;
            }
        };
        let text = &source.text;
        let doc = Document::parse(shown.clone(), text.clone());
        let out = match format(&doc) {
            Ok(out) => out,
            Err(error) => {
                report_refusal(&shown, &error);
                match error {
                    FormatError::Syntax(_) => refused += 1,
                    FormatError::NotLossless(_) => unsafe_to_format += 1,
                }
                continue;
            }
        };
        if out == *text {
            unchanged += 1;
            continue;
        }
        if args.check {
            changed += 1;
            let line = first_difference(text, &out).unwrap_or(1);
            println!("{}", lang.pick(format!("整形が必要: {shown} ({line} 行目から)"), format!("would reformat: {shown} (from line {line})")));
            continue;
        }
        let mut bytes = Vec::with_capacity(out.len() + 3);
        if source.bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        bytes.extend_from_slice(out.as_bytes());
        match load::write_back(&source, &bytes, lang) {
            Ok(()) => changed += 1,
            Err(e) => fail(e),
        }
    }
    // The summary in the language asked for, like every other message.
    let mut summary = match (lang, args.check) {
        (Lang::Ja, false) => format!("{changed} ファイルを整形、{unchanged} ファイルは変更なし"),
        (Lang::Ja, true) => format!("整形が必要なファイル {changed}、{unchanged} ファイルは変更なし"),
        (Lang::En, false) => format!("{changed} files reformatted, {unchanged} unchanged"),
        (Lang::En, true) => format!("{changed} files would be reformatted, {unchanged} unchanged"),
    };
    for (count, ja, en) in [
        (refused, "構文エラーのため整形しなかったファイル", "not formatted (syntax errors)"),
        (unsafe_to_format, "整形すると文字が失われるため整形しなかったファイル", "not formatted (the result would not keep every character)"),
        (failed, "読み込みまたは書き込みができなかったファイル (上記)", "not read or not written (see above)"),
    ] {
        if count > 0 {
            summary.push_str(&lang.pick(format!("、{ja} {count}"), format!(", {count} {en}")));
        }
    }
    let _ = writeln!(stderr, "{summary}");
    Ok(if refused > 0 || unsafe_to_format > 0 || failed > 0 {
        ExitCode::from(2)
    } else if args.check && changed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The body's own headings for a table: `[import.columns]` of the
/// `plancheck.toml` that applies in the table's folder.
fn import_mapping(table: &std::path::Path, lang: Lang) -> Result<plancheck::import::Mapping, String> {
    let mut resolver = plancheck::config::ConfigResolver::new();
    let config = resolver.for_file(table).map_err(|e| e.to_string())?;
    plancheck::import::mapping_of(&config.config.import, lang).map_err(|e| e.to_string())
}

/// Whether a path names a table that `check` reads by importing it.
/// A workbook or CSV, checked as a table (the outputs know it by the same test).
fn is_table(path: &std::path::Path) -> bool {
    output::is_table(path)
}

/// `-o -` is standard output, as `-` is standard input.
fn to_file(output: &Option<PathBuf>) -> Option<&PathBuf> {
    output.as_ref().filter(|p| p.as_os_str() != "-")
}

fn import(args: ImportArgs) -> Result<ExitCode, String> {
    if let Some(out) = to_file(&args.output) {
        check_output(out, &[args.file.as_path()], args.force, OutputKind::Document, args.lang)?;
    }
    let lang = args.lang;
    let options = plancheck::import::grid::ReadOptions { sheets: args.sheets.clone(), include_hidden: args.include_hidden, ..Default::default() };
    let book = plancheck::import::grid::read_book_in(&args.file, &options, lang).map_err(|e| e.to_string())?;
    let source = args.file.file_name().map_or_else(|| args.file.display().to_string(), |n| n.to_string_lossy().to_string());
    let mapping = import_mapping(&args.file, lang)?;
    let imported = plancheck::import::import_book_with(&book, &source, lang, &mapping).map_err(|e| e.to_string())?;
    let mut stderr = std::io::stderr();
    if args.explain {
        for line in &imported.explanation {
            let _ = writeln!(stderr, "{line}");
        }
    }
    for warning in &imported.warnings {
        let _ = writeln!(stderr, "{}: {}", display_path(&args.file), warning.shown(lang));
    }
    let (measures, indicators, developments) = imported.count();
    let remarks = imported.remarks();
    let _ = writeln!(
        stderr,
        "{}: {}",
        display_path(&args.file),
        lang.pick(
            format!("{measures} 施策、{indicators} 指標、{developments} 展開。備考 として残したセル: {remarks}"),
            format!("{measures} 施策, {indicators} 指標, {developments} 展開; {remarks} cell(s) kept as 備考")
        )
    );
    if imported.inferred_directions > 0 {
        let n = imported.inferred_directions;
        let _ = writeln!(
            stderr,
            "{}: {}",
            display_path(&args.file),
            lang.pick(
                format!("名前と記載の評価から 方向: 減少 を推定した指標: {n} (コメントに理由があります。確かめてください)"),
                format!("{n} indicator(s) given 方向: 減少 from their name and stated grade (the comments say why; please check)")
            )
        );
    }
    match to_file(&args.output) {
        None => std::io::stdout().write_all(imported.text.as_bytes()).map_err(|e| format!("writing: {e}"))?,
        Some(out) => {
            if out.exists() && !args.force {
                return Err(format!("{}: exists; use --force to overwrite it", display_path(out)));
            }
            load::write_atomically(out, imported.text.as_bytes(), lang).map_err(not_written)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn export(args: ExportArgs) -> Result<ExitCode, String> {
    if args.schema {
        std::io::stdout().write_all(plancheck::export::json_schema().as_bytes()).map_err(|e| format!("writing: {e}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let files = collect_files(&args.paths)?;
    let mut sources = Vec::new();
    for file in &files {
        let text = load::read_plan(file).map_err(|e| e.to_string())?;
        sources.push((display_path(file), text));
    }
    let mut resolver = plancheck::config::ConfigResolver::new();
    let analysis = plancheck::analyze(sources, &mut resolver, args.lang).map_err(|e| e.to_string())?;
    refuse_syntax_errors(&analysis, args.lang)?;
    if let Some(out) = to_file(&args.output) {
        check_output(out, &inputs_of(&files, &analysis), args.force, OutputKind::Document, args.lang)?;
    }
    // Each 施策 computed with its own file's rating scheme.
    let owned = analysis.schemes();
    let schemes: Vec<_> = owned.iter().map(|c| c.as_ref()).collect();
    let sheet = if args.with_computed { plancheck::sheet::Sheet::from_workspace_computed(&analysis.workspace, &schemes) } else { plancheck::sheet::Sheet::from_workspace(&analysis.workspace) };
    let bytes = match args.to {
        ExportFormat::Json => plancheck::export::to_json(&sheet).into_bytes(),
        ExportFormat::Csv => plancheck::export::to_csv(&plancheck::table::layout(&sheet, args.with_computed), b',').into_bytes(),
        ExportFormat::Tsv => plancheck::export::to_csv(&plancheck::table::layout(&sheet, args.with_computed), b'\t').into_bytes(),
        ExportFormat::Html => plancheck::report::report(&analysis, args.lang).into_bytes(),
        ExportFormat::Xlsx => {
            if to_file(&args.output).is_none() {
                return Err("--to xlsx needs --output FILE.xlsx".into());
            }
            plancheck::export::to_xlsx(&plancheck::table::layout(&sheet, args.with_computed)).map_err(|e| format!("xlsx: {e}"))?
        }
    };
    match to_file(&args.output) {
        None => std::io::stdout().write_all(&bytes).map_err(|e| format!("writing: {e}"))?,
        Some(out) => load::write_atomically(out, &bytes, args.lang).map_err(not_written)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn diff(args: DiffArgs) -> Result<ExitCode, String> {
    let edition = |path: &PathBuf| -> Result<plancheck::sheet::Sheet, String> {
        let mut files = Vec::new();
        for file in collect_files(std::slice::from_ref(path))? {
            files.push((display_path(&file), load::read_plan(&file).map_err(|e| e.to_string())?));
        }
        if files.is_empty() {
            return Err(format!("{}: no .plan files", display_path(path)));
        }
        let analysis = plancheck::analyze(files, &mut ConfigResolver::new(), args.lang).map_err(|e| e.to_string())?;
        let owned = analysis.schemes();
        let schemes: Vec<_> = owned.iter().map(|c| c.as_ref()).collect();
        Ok(plancheck::sheet::Sheet::from_workspace_computed(&analysis.workspace, &schemes))
    };
    let diff = plancheck::diff::diff(&edition(&args.old)?, &edition(&args.new)?);
    let text = match args.format {
        DiffFormat::Text => plancheck::diff::render_text(&diff, args.lang),
        DiffFormat::Json => serde_json::to_string_pretty(&diff).map_err(|e| e.to_string())? + "\n",
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(format!("writing: {e}"));
    }
    Ok(ExitCode::SUCCESS)
}

fn init(args: InitArgs) -> Result<ExitCode, String> {
    let lang = args.lang;
    let done = plancheck::init::init(&args.dir, args.force, args.preset, lang)?;
    for skipped in &done.skipped {
        let _ = writeln!(std::io::stderr(), "plancheck: warning: {}: {skipped}", lang.pick("読めませんでした (その課は入っていません)", "not read (its departments are not listed)"));
    }
    let (path, plans, departments) = (display_path(&done.path), done.plans, done.departments.len());
    let _ = writeln!(
        std::io::stdout(),
        "{}",
        lang.pick(format!("{path} を作りました: .plan {plans} ファイルから課 {departments} 件"), format!("{path}: written, {departments} departments from {plans} .plan files"))
    );
    Ok(ExitCode::SUCCESS)
}

fn report(args: ReportArgs) -> Result<ExitCode, String> {
    let lang = args.lang;
    // A workbook or CSV is reported straight from the table (imported in
    // memory, as `check` does): no .plan in between to go stale.
    let (table_paths, paths): (Vec<PathBuf>, Vec<PathBuf>) = args.paths.iter().cloned().partition(|p| is_table(p) && p.is_file());
    let mut sources = Vec::new();
    let mut tables: Vec<(usize, plancheck::import::Imported)> = Vec::new();
    for path in &table_paths {
        let imported = read_table(path, lang)?;
        sources.push((display_path(path), imported.text.clone()));
        tables.push((sources.len() - 1, imported));
    }
    let mut files = table_paths.clone();
    if !paths.is_empty() || table_paths.is_empty() {
        for file in collect_files(&paths)? {
            sources.push((display_path(&file), load::read_plan(&file).map_err(|e| e.to_string())?));
            files.push(file);
        }
    }
    let mut analysis = plancheck::analyze(sources, &mut ConfigResolver::new(), lang).map_err(|e| e.to_string())?;
    refuse_syntax_errors(&analysis, lang)?;
    check_output(&args.output, &inputs_of(&files, &analysis), args.force, OutputKind::Document, lang)?;
    locate_in_tables(&mut analysis, &tables);
    let options = plancheck::report::ReportOptions { date: Some(args.date.unwrap_or_else(|| today(lang))), expand: args.expand };
    let html = plancheck::report::report_with(&analysis, lang, &options);
    load::write_atomically(&args.output, html.as_bytes(), lang).map_err(not_written)?;
    // Said, so that a first user knows it worked and where the file is.
    let measures: usize = analysis.workspace.docs.iter().map(|d| d.blocks_of(plancheck::model::BlockKind::Measure).count()).sum();
    let findings = analysis.diagnostics.len();
    let shown = display_path(&args.output);
    let _ = writeln!(std::io::stderr(), "{}", lang.pick(format!("{shown} を書きました (施策 {measures}、指摘 {findings} 件)"), format!("wrote {shown} ({measures} measures, {findings} findings)")));
    Ok(ExitCode::SUCCESS)
}

/// Today's date in this computer's time zone (UTC when it has none):
/// `2026年12月6日`, or `2026-12-06` in English.
fn today(lang: Lang) -> String {
    let date = jiff::Zoned::now().date();
    lang.pick(format!("{}年{}月{}日", date.year(), date.month(), date.day()), date.to_string())
}

/// The `.plan` files named by `paths`; what the search passed over (a FIFO,
/// an unreadable subfolder) is a warning on standard error.
fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let collected = load::collect(paths).map_err(|e| e.to_string())?;
    for warning in &collected.warnings {
        let _ = writeln!(std::io::stderr(), "plancheck: warning: {}: {}", display_path(&warning.path), warning.message);
    }
    Ok(collected.files)
}

/// The files a run read: its plans and the `plancheck.toml` files used.
fn inputs_of<'a>(files: &'a [PathBuf], analysis: &'a plancheck::Analysis) -> Vec<&'a std::path::Path> {
    files.iter().map(PathBuf::as_path).chain(analysis.configs.iter().filter_map(|c| c.path.as_deref())).collect()
}

/// An output that could not be written: its path and why.
fn not_written(e: load::LoadError) -> String {
    format!("{}: {}", display_path(&e.path), e.message)
}

/// A plan with syntax errors would be exported or reported with holes:
/// `export` (every format) and `report` refuse it alike, listing each
/// error with its place.
fn refuse_syntax_errors(analysis: &plancheck::Analysis, lang: Lang) -> Result<(), String> {
    let mut stderr = std::io::stderr();
    let mut broken = 0;
    for doc in &analysis.workspace.docs {
        for error in &doc.syntax_errors {
            let p = doc.line_index.char_position(&doc.text, error.span.start);
            let _ = writeln!(stderr, "{}:{}:{}: {}", doc.path, p.line + 1, p.col + 1, lang.pick(&error.ja, &error.en));
            broken += 1;
        }
    }
    if broken > 0 {
        return Err(lang.pick(format!("構文エラーが {broken} 件あるため書き出しません。先に直してください"), format!("not written: fix the syntax errors first ({broken})")));
    }
    Ok(())
}

/// The folder a file is in (`.` for a bare name).
fn folder_of(path: &std::path::Path) -> PathBuf {
    path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf)
}

/// A path as shown (see [`load::display_path`]).
fn display_path(path: &std::path::Path) -> String {
    load::display_path(path)
}

fn explain(args: ExplainArgs) -> Result<ExitCode, String> {
    let mut out = String::new();
    match (&args.rule, args.list) {
        // Not a rule, but a code the editor shows: a plancheck.toml that cannot be read.
        (Some(name), false) if name == plancheck::explain::CONFIG_ERROR => out.push_str(&plancheck::explain::config_error_page(args.lang)),
        (Some(name), false) => {
            let Some(rule) = rules::by_name(name) else {
                let hint = rules::closest_name(name).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
                return Err(format!("no rule named `{name}`{hint}; `plancheck explain --list` lists them"));
            };
            out.push_str(&plancheck::explain::page(rule, args.lang));
        }
        _ => {
            for rule in rules::all() {
                out.push_str(&format!("{:<31} {}  {:<7}  {}\n", rule.name, rule.code, rule.default_severity.as_str(), rule.summary(args.lang)));
            }
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
