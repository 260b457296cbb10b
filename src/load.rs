//! Finding and reading `.plan` files, with clear errors for what cannot be
//! read (missing paths, folders without plans, bad UTF-8).

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// A file or folder that could not be used.
#[derive(Debug)]
pub struct LoadError {
    pub path: PathBuf,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// The `.plan` files named by `paths`: files as given, folders searched
/// recursively (hidden folders and `target` skipped), sorted, each once.
pub fn collect_plan_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    let mut found = BTreeSet::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| LoadError { path: path.clone(), message: io_message(&e) })?;
        if meta.is_dir() {
            let mut here = BTreeSet::new();
            let mut visited = BTreeSet::new();
            walk(path, &mut here, &mut visited)?;
            if here.is_empty() {
                return Err(LoadError { path: path.clone(), message: "no .plan files in this folder (or its subfolders)".into() });
            }
            found.extend(here);
        } else {
            found.insert(path.clone());
        }
    }
    // The same file named twice (`a.plan ./a.plan`, or a folder and a file
    // in it) is checked once, under the first spelling.
    let mut seen = BTreeSet::new();
    Ok(found.into_iter().filter(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))).collect())
}

fn walk(dir: &Path, found: &mut BTreeSet<PathBuf>, visited: &mut BTreeSet<PathBuf>) -> Result<(), LoadError> {
    // Symlink loops: every real folder is entered once.
    let real = std::fs::canonicalize(dir).map_err(|e| LoadError { path: dir.to_path_buf(), message: io_message(&e) })?;
    if !visited.insert(real) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError { path: dir.to_path_buf(), message: io_message(&e) })?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, found, visited)?;
        } else if path.extension().is_some_and(|e| e == "plan") {
            found.insert(path);
        }
    }
    Ok(())
}

/// The largest file plancheck reads: 64 MiB. A whole city's plan is well
/// under 1 MB, and a parsed file takes several times its size in memory, so
/// anything bigger is a mistake (a log, a dump, a disk image) that would
/// otherwise exhaust memory before saying so.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file as UTF-8 text, a leading BOM removed.
pub fn read_plan(path: &Path) -> Result<String, LoadError> {
    decode(path, read_bytes(path)?)
}

/// Reads a file's bytes, refusing (before reading) files over
/// [`MAX_FILE_BYTES`] and things that are not files.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    let error = |message: String| LoadError { path: path.to_path_buf(), message };
    let meta = std::fs::metadata(path).map_err(|e| error(io_message(&e)))?;
    if meta.is_dir() {
        return Err(error("is a folder, not a file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(error(too_large(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(|e| error(io_message(&e)))?;
    read_bounded(file).map_err(error)
}

/// Reads standard input (or any stream) up to [`MAX_FILE_BYTES`].
pub fn read_bounded(reader: impl std::io::Read) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| io_message(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(bytes: u64) -> String {
    let size = if bytes >= 1 << 30 { format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64) } else { format!("{} MiB", bytes >> 20) };
    format!(
        "is {size}{}; plancheck reads files up to {} MiB (a whole city's plan is under 1 MB). Is this the right file? (ファイルが大きすぎます)",
        if bytes > MAX_FILE_BYTES + 1 { "" } else { " or more" },
        MAX_FILE_BYTES >> 20
    )
}

/// Bytes to text: UTF-8 required; a BOM is removed; an error names the line
/// and column of the first bad byte and guesses the encoding.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, LoadError> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            if text.contains('\0') {
                let at = text.find('\0').unwrap_or(0);
                let (line, col) = line_col(&text.as_bytes()[..at]);
                return Err(LoadError { path: path.to_path_buf(), message: format!("{line}:{col}: contains a NUL byte; this looks like a binary file, not a .plan text") });
            }
            Ok(text)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let (line, col) = line_col(&bytes[..valid]);
            let byte = bytes[valid];
            let hint = if looks_like_shift_jis(bytes) {
                " It looks like Shift_JIS (Excel's default on Japanese Windows): save it as UTF-8 (「UTF-8」で保存してください)."
            } else {
                " Save it as UTF-8."
            };
            Err(LoadError { path: path.to_path_buf(), message: format!("{line}:{col}: not valid UTF-8 (byte 0x{byte:02X} at offset {valid}).{hint}") })
        }
    }
}

fn line_col(valid: &[u8]) -> (usize, usize) {
    let text = std::str::from_utf8(valid).unwrap_or("");
    let line = text.matches('\n').count() + 1;
    let col = text.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Shift_JIS lead bytes followed by valid trail bytes, for most non-ASCII.
fn looks_like_shift_jis(bytes: &[u8]) -> bool {
    let (mut pairs, mut non_ascii) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b >= 0x80 {
            non_ascii += 1;
            let lead = (0x81..=0x9F).contains(&b) || (0xE0..=0xFC).contains(&b);
            if lead && bytes.get(i + 1).is_some_and(|&t| (0x40..=0xFC).contains(&t) && t != 0x7F) {
                pairs += 1;
                i += 2;
                continue;
            }
        }
        i += 1;
    }
    non_ascii > 0 && pairs * 2 >= non_ascii
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// renamed over it: a reader never sees half a file, and a failed write
/// leaves the old one. An existing file keeps its permissions.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.as_file().sync_all()?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(temp.path(), meta.permissions())?;
    } else {
        // A new file gets the usual permissions (the temporary file is private).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o644))?;
        }
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_utf8_names_line_and_column() {
        let mut bytes = "施策 1-1-1 {\n  全体評価: ".as_bytes().to_vec();
        bytes.extend([0x82, 0xA0]); // あ in Shift_JIS
        let e = decode(Path::new("x.plan"), bytes).unwrap_err();
        assert!(e.message.starts_with("2:9: not valid UTF-8"), "{}", e.message);
        assert!(e.message.contains("Shift_JIS"), "{}", e.message);
    }

    #[test]
    fn bom_is_removed_and_nul_refused() {
        assert_eq!(decode(Path::new("x"), b"\xEF\xBB\xBFabc".to_vec()).unwrap(), "abc");
        let e = decode(Path::new("x"), b"ab\ncd\0".to_vec()).unwrap_err();
        assert!(e.message.starts_with("2:3:"), "{}", e.message);
    }
}
