//! The output rule: where a command may write (a report, an export, an
//! imported plan, a baseline, `init`'s settings) without replacing what it
//! must not. Above the core because it knows the settings file's name and
//! what a baseline looks like.

use crate::config::FILE_NAME;
use plancheck_core::i18n::Lang;
use plancheck_core::load::{self, display_path, same_file};
use std::path::Path;

/// What an output is, to know what it may replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// `report -o`, `export -o`, `import -o`: an existing file is replaced
    /// (the previous report or export), unless it is a `.plan` (then only
    /// with `--force`).
    Document,
    /// `--write-baseline`: an existing file is replaced only if it is a
    /// baseline (any version), or with `--force`.
    Baseline,
    /// `init`'s `plancheck.toml` (whether it may replace one is `init`'s
    /// own rule): never a `.plan` file, even with `--force`.
    Settings,
}

/// Refuses to write an output where it would replace what it must not. The
/// file that would really be replaced is what counts: a symlink's target
/// (a chain of links, or links among the folders, followed), and a hard link
/// is the same file. So, whatever the spelling:
///
/// - never onto one of `inputs` (the files read: plans, a table, the
///   `plancheck.toml` files the run used), even with `--force`;
/// - a document or a baseline never named `plancheck.toml` (the output's
///   name or its target's, in any case) without `--force`, existing or not:
///   it would become the settings of every plan in its folder and below;
/// - never onto an existing `.plan`, nor an existing file with other hard
///   links (one could be a plan), without `--force` (for `init`, never a
///   `.plan`);
/// - a baseline only onto a baseline without `--force`.
pub fn check_output(out: &Path, inputs: &[&Path], force: bool, kind: OutputKind, lang: Lang) -> Result<(), String> {
    let shown = display_path(out);
    let is_link = std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink());
    // The file written (`None`: a link to nothing, refused when written).
    let target = if is_link { std::fs::canonicalize(out).ok() } else { Some(out.to_path_buf()) };
    let through = match (&target, is_link) {
        (Some(target), true) => lang.pick(format!(" (リンク先 {})", display_path(target)), format!(" (a link to {})", display_path(target))),
        _ => String::new(),
    };
    if let Some(input) = inputs.iter().find(|input| same_file(out, input)) {
        return Err(lang.pick(
            format!("{shown}{through}: 読み込んだファイル ({}) なので書き出しません。別の出力先を選んでください", display_path(input)),
            format!("{shown}{through}: is one of the files read ({}); not written: choose another output file", display_path(input)),
        ));
    }
    let names = [Some(out), target.as_deref()];
    let named = |test: &dyn Fn(&Path) -> bool| names.iter().flatten().any(|p| test(p));
    let is_plan = named(&|p: &Path| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("plan")));
    let exists = std::fs::metadata(out).is_ok();
    if kind == OutputKind::Settings {
        if exists && is_plan {
            return Err(lang.pick(
                format!("{shown}{through}: .plan ファイルです。plancheck init は設定だけを書くため、--force があっても書き込みません"),
                format!("{shown}{through}: is a .plan file; plancheck init writes only settings, so it is not written, even with --force"),
            ));
        }
        return Ok(());
    }
    if force {
        return Ok(());
    }
    if named(&|p: &Path| p.file_name().is_some_and(|n| n.eq_ignore_ascii_case(FILE_NAME))) {
        return Err(lang.pick(
            format!("{shown}{through}: {} という名前の出力は、そのフォルダ以下のすべての .plan の設定になります。--force なしでは書き出しません", FILE_NAME),
            format!("{shown}{through}: an output named {} would be the settings of every plan in its folder and below; not written without --force", FILE_NAME),
        ));
    }
    if !exists {
        return Ok(());
    }
    if is_plan {
        return Err(
            lang.pick(format!("{shown}{through}: 既存の .plan ファイルなので、--force なしでは置き換えません"), format!("{shown}{through}: is an existing .plan file; not replaced without --force"))
        );
    }
    // Another name of the same file (a hard link) could be a plan, and an
    // output with other links is rewritten in place: not without --force.
    #[cfg(unix)]
    if std::fs::metadata(out).is_ok_and(|meta| std::os::unix::fs::MetadataExt::nlink(&meta) > 1) {
        return Err(lang.pick(
            format!("{shown}{through}: ほかの名前 (ハードリンク) もある既存のファイルで、その名前の内容も変わるため、--force なしでは置き換えません"),
            format!("{shown}{through}: is an existing file with other names (hard links), which would change too; not replaced without --force"),
        ));
    }
    if kind == OutputKind::Baseline {
        let is_baseline = load::read_bytes(out).is_ok_and(|bytes| {
            bytes.iter().all(u8::is_ascii_whitespace)
                || serde_json::from_slice::<serde_json::Value>(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).is_ok_and(|v| v.get("version").is_some() && v.get("findings").is_some())
        });
        if !is_baseline {
            return Err(lang.pick(
                format!("{shown}{through}: plancheck のベースラインではない既存のファイルなので、--force なしでは置き換えません"),
                format!("{shown}{through}: exists and is not a plancheck baseline; not replaced without --force"),
            ));
        }
    }
    Ok(())
}
