//! The `plancheck` command line: a thin front end over the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use plancheck::config::ConfigResolver;
use plancheck::diagnostics::{Counts, Lang};
use plancheck::{load, output, rules};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Explain a rule (or list them all).
    Explain(ExplainArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Readable report with source snippets.
    Human,
    /// The JSON of the plan-format spec.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions workflow annotations (and a job summary).
    Github,
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
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Make warnings fail the check too.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Language of messages.
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    lang: Lang,
    /// The path to report (and to find plancheck.toml from) for standard input.
    #[arg(long)]
    stdin_filename: Option<PathBuf>,
    /// Use this plancheck.toml instead of searching for one.
    #[arg(long)]
    config: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(Args)]
struct ExplainArgs {
    /// The rule's name or code (e.g. rating-mismatch, PC201).
    rule: Option<String>,
    /// List every rule.
    #[arg(long)]
    list: bool,
    #[arg(long, value_enum, default_value_t = Lang::Ja)]
    lang: Lang,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check(args),
        Command::Explain(args) => explain(args),
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
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| format!("standard input: {e}"))?;
        let name = args.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("<stdin>.plan"));
        let text = load::decode(&name, bytes).map_err(|e| e.to_string())?;
        files.push((display_path(&name), text));
    }
    if !paths.is_empty() || !stdin_requested {
        let found = load::collect_plan_files(&paths).map_err(|e| e.to_string())?;
        for path in found {
            let text = load::read_plan(&path).map_err(|e| e.to_string())?;
            files.push((display_path(&path), text));
        }
    }
    let mut resolver = match &args.config {
        Some(path) => ConfigResolver::with_explicit(path),
        None => ConfigResolver::new(),
    };
    let analysis = plancheck::analyze(files, &mut resolver, args.lang).map_err(|e| e.to_string())?;
    let mut stdout = std::io::stdout().lock();
    let rendered = match args.format {
        Format::Json => output::json::render(&analysis) + "\n",
        Format::Sarif => output::sarif::render(&analysis, args.lang) + "\n",
        Format::Github => {
            if let Ok(summary_path) = std::env::var("GITHUB_STEP_SUMMARY")
                && !summary_path.is_empty()
            {
                // The annotations matter more than the summary: a summary that
                // cannot be written is a warning, not a failed run.
                let summary = output::github::render_summary(&analysis);
                let written = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&summary_path)
                    .and_then(|mut file| file.write_all(summary.as_bytes()));
                if let Err(e) = written {
                    let _ = writeln!(std::io::stderr(), "plancheck: warning: cannot write the job summary to GITHUB_STEP_SUMMARY ({summary_path}): {e}");
                }
            }
            output::github::render_annotations(&analysis)
        }
        Format::Human => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            output::human::render(&analysis, args.lang, color)
        }
    };
    if let Err(e) = stdout.write_all(rendered.as_bytes()).and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(format!("writing the report: {e}"));
    }
    let counts = Counts::of(&analysis.diagnostics);
    let failed = counts.errors > 0 || (args.deny == Some(Deny::Warnings) && counts.warnings > 0);
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn display_path(path: &std::path::Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn explain(args: ExplainArgs) -> Result<ExitCode, String> {
    let mut out = String::new();
    match (&args.rule, args.list) {
        (Some(name), false) => {
            let Some(rule) = rules::by_name(name) else {
                let hint = rules::closest_name(name).map(|n| format!(" (did you mean `{n}`?)")).unwrap_or_default();
                return Err(format!("no rule named `{name}`{hint}; `plancheck explain --list` lists them"));
            };
            out.push_str(&format!("# {} ({})\n\n", rule.name, rule.code));
            let default = rule.default_severity.as_str();
            out.push_str(&args.lang.pick(
                format!("{}\n\n既定の重大度: {default}{}{}\n\n", rule.summary_ja, if rule.fixable { "、修正あり" } else { "" }, if rule.in_spec { "" } else { "、plancheck の拡張" }),
                format!("{}\n\nDefault severity: {default}{}{}\n\n", rule.summary_en, if rule.fixable { "; has a fix" } else { "" }, if rule.in_spec { "" } else { "; a plancheck extension" }),
            ));
            out.push_str(rule.doc(args.lang));
            out.push('\n');
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
