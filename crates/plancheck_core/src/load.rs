//! Finding and reading `.plan` files, with clear errors for what cannot be
//! read (missing paths, folders without plans, bad UTF-8).

use crate::i18n::Lang;

/// The name of the settings file, looked for next to and above each plan.
pub const CONFIG_FILE_NAME: &str = "plancheck.toml";
use std::collections::{BTreeSet, HashSet};
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
/// What the search had to pass over is dropped here; [`collect`] returns it.
pub fn collect_plan_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LoadError> {
    collect(paths).map(|c| c.files)
}

/// The `.plan` files found, and what the search passed over.
#[derive(Debug, Default)]
pub struct Collected {
    pub files: Vec<PathBuf>,
    /// Each thing passed over, and why: a `.plan` that is not a regular file
    /// (a FIFO, a device, a link to nothing), a subfolder that cannot be
    /// read (permissions, a path too long). The search goes on past them.
    pub warnings: Vec<LoadError>,
}

/// As [`collect_plan_files`], with the warnings. A path given that does not
/// exist, or a folder given that has no `.plan` file, is an error.
pub fn collect(paths: &[PathBuf]) -> Result<Collected, LoadError> {
    let mut found = BTreeSet::new();
    let mut warnings = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| LoadError { path: path.clone(), message: io_message(&e) })?;
        if meta.is_dir() {
            let mut here = BTreeSet::new();
            walk(path, &meta, &mut here, &mut warnings)?;
            if here.is_empty() {
                return Err(LoadError { path: path.clone(), message: "no .plan files in this folder (or its subfolders)".into() });
            }
            found.extend(here);
        } else {
            // Named on purpose: read (and refused there if it is not a regular file).
            found.insert(path.clone());
        }
    }
    // The same file named twice (`a.plan ./a.plan`, or a folder and a file
    // in it) is checked once, under the first spelling.
    let mut seen = HashSet::new();
    let files = found.into_iter().filter(|p| std::fs::metadata(p).map_or(true, |meta| seen.insert(file_id(&meta, p)))).collect();
    Ok(Collected { files, warnings })
}

/// What identifies a file or folder whatever path reaches it: its device
/// and inode (no path resolution, so a deep folder costs no more than a
/// shallow one); elsewhere its canonical path.
#[cfg(unix)]
type FileId = (u64, u64);
#[cfg(not(unix))]
type FileId = PathBuf;

/// Whether two paths reach the same file (links followed; hard links are
/// the same file). A path that does not exist is no file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) => file_id(&ma, a) == file_id(&mb, b),
        _ => false,
    }
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata, _path: &Path) -> FileId {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata, path: &Path) -> FileId {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The folder `root` and everything under it, with an explicit stack (a
/// chain of folders thousands deep is fine). Every real folder is entered
/// once (symlink loops end). Only `root` failing to be read is an error.
fn walk(root: &Path, root_meta: &std::fs::Metadata, found: &mut BTreeSet<PathBuf>, warnings: &mut Vec<LoadError>) -> Result<(), LoadError> {
    let mut visited = HashSet::from([file_id(root_meta, root)]);
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if dir == root => return Err(LoadError { path: dir, message: io_message(&e) }),
            Err(e) => {
                warnings.push(LoadError { path: dir, message: format!("{}; this folder was not searched (このフォルダは読めませんでした)", io_message(&e)) });
                continue;
            }
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.file_name()));
        for entry in entries {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // Hidden names include the temporary files of an interrupted
            // write (`.NAME.plancheck-tmp-XXXXXX`): never read, but said.
            if name.contains(TEMP_MARK) {
                warnings.push(LoadError {
                    path: entry.path(), message: "is left from an interrupted plancheck write (中断された書き込みの一時ファイル); not read, and safe to delete".into()
                });
                continue;
            }
            if name.starts_with('.') || name == "target" || name == "node_modules" {
                continue;
            }
            let path = entry.path();
            let is_plan = path.extension().is_some_and(|e| e == "plan");
            let Ok(kind) = entry.file_type() else { continue };
            // A link is followed (to a file or a folder); anything else is
            // looked at through its folder (no path resolution).
            let meta = if kind.is_symlink() { std::fs::metadata(&path) } else { entry.metadata() };
            let meta = match meta {
                Ok(meta) => meta,
                Err(e) => {
                    if is_plan {
                        let message = if e.kind() == std::io::ErrorKind::NotFound {
                            "is a link to nothing (リンク先がありません); not read".to_string()
                        } else {
                            format!("{}; not read", io_message(&e))
                        };
                        warnings.push(LoadError { path, message });
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                if visited.insert(file_id(&meta, &path)) {
                    stack.push(path);
                }
            } else if is_plan {
                if meta.is_file() {
                    found.insert(path);
                } else {
                    warnings.push(LoadError { path, message: format!("{}; not read", not_regular(&meta)) });
                }
            }
        }
    }
    Ok(())
}

/// The largest file plancheck reads: 64 MiB. A whole city's plan is well
/// under 1 MB, and a parsed file takes several times its size in memory, so
/// anything bigger is a mistake (a log, a dump, a disk image) that would
/// otherwise exhaust memory before saying so.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A file as read: its text, whether it began with a BOM, and what it was
/// on disk (to write it back only through the same path, and only if it
/// has not changed since).
#[derive(Debug, Clone)]
pub struct Source {
    /// The path it was read from, as given (never rebuilt from a display string).
    pub path: PathBuf,
    /// The text, a leading BOM removed.
    pub text: String,
    pub bom: bool,
    pub stamp: Stamp,
}

/// What a file's content was when read: its length and a hash of its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    hash: u64,
}

impl Stamp {
    pub fn of(bytes: &[u8]) -> Stamp {
        Stamp { len: bytes.len() as u64, hash: xxhash_rust::xxh3::xxh3_64(bytes) }
    }
}

/// Reads a file as UTF-8 text, a leading BOM removed.
pub fn read_plan(path: &Path) -> Result<String, LoadError> {
    read_source(path).map(|s| s.text)
}

/// Reads a file as UTF-8 text, with what it takes to write it back.
pub fn read_source(path: &Path) -> Result<Source, LoadError> {
    let bytes = read_bytes(path)?;
    let stamp = Stamp::of(&bytes);
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let text = decode(path, bytes)?;
    Ok(Source { path: path.to_path_buf(), text, bom, stamp })
}

/// Reads a file's bytes, refusing (before reading) files over
/// [`MAX_FILE_BYTES`] and anything that is not a regular file (see
/// [`open_regular`]).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, LoadError> {
    let (file, _) = open_regular(path)?;
    read_bounded(file).map_err(|message| LoadError { path: path.to_path_buf(), message })
}

/// Opens a file to read, only if it is a regular file (a link to one is
/// followed) of at most [`MAX_FILE_BYTES`]: a folder, a FIFO, a socket or a
/// device (`/dev/zero`, `/dev/stdin` on a pipe) is refused, never waited on
/// or read without end. The one function every reader of a file goes
/// through (plans, `plancheck.toml`, `--config`, `--baseline`, tables).
///
/// The type is checked before opening (opening a device can have effects)
/// and again on the open file (it may have been swapped in between); on
/// Unix the open itself cannot block (`O_NONBLOCK`, and `O_NOCTTY`).
pub fn open_regular(path: &Path) -> Result<(std::fs::File, std::fs::Metadata), LoadError> {
    let error = |message: String| LoadError { path: path.to_path_buf(), message };
    let meta = std::fs::metadata(path).map_err(|e| {
        let dangling = e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        error(if dangling { "is a link to nothing (リンク先がありません)".into() } else { io_message(&e) })
    })?;
    if !meta.is_file() {
        return Err(error(not_regular(&meta)));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(|e| error(io_message(&e)))?;
    let meta = file.metadata().map_err(|e| error(io_message(&e)))?;
    if !meta.is_file() {
        return Err(error(not_regular(&meta)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(error(too_large(meta.len())));
    }
    Ok((file, meta))
}

/// Why something that is not a regular file is not read.
fn not_regular(meta: &std::fs::Metadata) -> String {
    if meta.is_dir() {
        return "is a folder, not a file".into();
    }
    format!("{}; plancheck reads only regular files (通常のファイルではないため読みません)", not_regular_kind(meta).1)
}

/// What a file that is not a regular file is, in Japanese and English.
fn not_regular_kind(meta: &std::fs::Metadata) -> (&'static str, &'static str) {
    if meta.is_dir() {
        return ("フォルダで、ファイルではありません", "is a folder, not a file");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return ("FIFO (名前付きパイプ) で、通常のファイルではありません", "is a FIFO (named pipe), not a regular file");
        } else if kind.is_char_device() || kind.is_block_device() {
            return ("デバイスで、通常のファイルではありません", "is a device, not a regular file");
        } else if kind.is_socket() {
            return ("ソケットで、通常のファイルではありません", "is a socket, not a regular file");
        }
    }
    ("通常のファイルではありません", "is not a regular file")
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

/// [`io_message`] in `lang` (the system's own text stays as it is).
fn io_message_in(e: &std::io::Error, lang: Lang) -> String {
    match (lang, e.kind()) {
        (Lang::Ja, std::io::ErrorKind::NotFound) => "ファイルまたはフォルダがありません".into(),
        (Lang::Ja, std::io::ErrorKind::PermissionDenied) => "権限がありません".into(),
        _ => io_message(e),
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// A path as shown (never used to reach the file: a `\\` is part of a name
/// on Unix, a separator only on Windows; a name that is not UTF-8 is shown
/// with U+FFFD).
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = if cfg!(windows) { s.replace('\\', "/") } else { s.into_owned() };
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// What names a temporary file of [`write_back`]: `.NAME.plancheck-tmp-XXXXXX`.
const TEMP_MARK: &str = ".plancheck-tmp-";

/// Writes `bytes` to `path` (an output: a report, an export, a baseline, a
/// new `.plan`), as [`write_back`] writes a file read before, but without the
/// check that it is unchanged.
pub fn write_atomically(path: &Path, bytes: &[u8], lang: Lang) -> Result<(), LoadError> {
    replace(path, bytes, None, lang)
}

/// Writes `bytes` over the file `source` was read from, through exactly
/// that path, carefully:
///
/// - a symlink's target is written, the link kept;
/// - nothing is written if the file changed since it was read (someone
///   else's edit is never lost), if it is read-only (by its permissions,
///   whoever runs plancheck), or if its folder is read-only;
/// - the new content goes to a temporary file in the same folder
///   (`.NAME.plancheck-tmp-XXXXXX`), synced, then renamed over the file, so
///   a reader never sees half a file; it keeps the file's permissions, owner
///   and group, and on Linux its extended attributes (a POSIX ACL is
///   `system.posix_acl_access`; `user.*`, `security.*`), copied to the
///   temporary file before the rename;
/// - a file with several hard links, or whose owner or extended attributes
///   cannot be kept, is
///   rewritten in place instead (every link sees the new text), with the
///   old content kept in such a temporary file until the new one is synced;
/// - every error path removes the temporary file. A run killed in the middle
///   can leave one: it is hidden and does not end in `.plan`, so the folder
///   search never reads it, and warns about it (delete it; one from an
///   in-place rewrite holds the old content).
///
/// Every message is in `lang`, and says what was not written and why.
pub fn write_back(source: &Source, bytes: &[u8], lang: Lang) -> Result<(), LoadError> {
    replace(&source.path, bytes, Some(source.stamp), lang)
}

fn replace(path: &Path, bytes: &[u8], expected: Option<Stamp>, lang: Lang) -> Result<(), LoadError> {
    let error = |message: String| LoadError { path: path.to_path_buf(), message };
    let cannot = |e: &std::io::Error| error(lang.pick(format!("書き込めません: {}", io_message_in(e, lang)), format!("cannot write: {}", io_message(e))));
    // A link: its target is the file (a chain of links, or a link to a
    // folder on the way, included).
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = if is_link {
        std::fs::canonicalize(path).map_err(|_| error(lang.pick("リンク先がないため書き込みません", "is a link to nothing; not written").into()))?
    } else {
        path.to_path_buf()
    };
    let existing = match std::fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && expected.is_none() => None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(error(lang.pick("読み込んだ後に削除されたため書き込みません", "was removed since it was read; not written").into())),
        Err(e) => return Err(cannot(&e)),
    };
    if let Some(meta) = &existing {
        if !meta.is_file() {
            let (ja, en) = not_regular_kind(meta);
            return Err(error(lang.pick(format!("{ja}。plancheck は通常のファイルにだけ書き込むため、書き込みません"), format!("{en}; not written (plancheck writes only regular files)"))));
        }
        if meta.permissions().readonly() {
            return Err(error(lang.pick("読み取り専用のため書き込みません。変えるには書き込みできるようにしてください", "is read-only; not written. Make it writable to change it.").into()));
        }
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Ok(meta) = std::fs::metadata(dir)
        && meta.permissions().readonly()
    {
        return Err(error(lang.pick(format!("フォルダ {} が読み取り専用のため書き込みません", dir.display()), format!("its folder {} is read-only; not written", dir.display()))));
    }
    let changed = || {
        error(
            lang.pick(
                "読み込んだ後に変更されたため、その変更を残して書き込みません。plancheck をもう一度実行してください",
                "changed since it was read; not written, so that the other change is kept. Run plancheck again.",
            )
            .into(),
        )
    };
    let read_again = |e: LoadError| error(lang.pick(format!("書き込む前に読み直せません: {}", e.message), format!("cannot be read again before writing it: {}", e.message)));
    let unchanged = || -> Result<(), LoadError> {
        let Some(expected) = expected else { return Ok(()) };
        let now = read_bytes(&target).map_err(read_again)?;
        if Stamp::of(&now) != expected {
            return Err(changed());
        }
        Ok(())
    };
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = |contents: &[u8]| -> Result<tempfile::NamedTempFile, LoadError> {
        let mut temp = tempfile::Builder::new().prefix(&format!(".{name}.plancheck-tmp-")).tempfile_in(dir).map_err(|e| {
            error(
                lang.pick(format!("{} に一時ファイルを書き込めません: {}", dir.display(), io_message_in(&e, lang)), format!("cannot write a temporary file in {}: {}", dir.display(), io_message(&e))),
            )
        })?;
        std::io::Write::write_all(&mut temp, contents).and_then(|()| temp.as_file().sync_all()).map_err(|e| cannot(&e))?;
        Ok(temp)
    };
    let keeps_owner = |temp: &std::fs::File| -> bool {
        #[cfg(unix)]
        if let Some(meta) = &existing {
            use std::os::unix::fs::MetadataExt;
            let Ok(mine) = temp.metadata() else { return false };
            if (mine.uid(), mine.gid()) != (meta.uid(), meta.gid()) {
                return std::os::unix::fs::fchown(temp, Some(meta.uid()), Some(meta.gid())).is_ok();
            }
        }
        let _ = temp;
        true
    };
    #[cfg(unix)]
    let linked = existing.as_ref().is_some_and(|meta| std::os::unix::fs::MetadataExt::nlink(meta) > 1);
    #[cfg(not(unix))]
    let linked = false;
    let new = temp(bytes)?;
    // The owner first: changing it can clear set-id bits of the mode.
    let owner_kept = keeps_owner(new.as_file());
    let permissions = match &existing {
        Some(meta) => Some(meta.permissions()),
        None => new_file_permissions(),
    };
    if let Some(permissions) = permissions {
        std::fs::set_permissions(new.path(), permissions).map_err(|e| cannot(&e))?;
    }
    // Extended attributes (a POSIX ACL, `user.*`, an SELinux label): copied
    // to the new file last (setting the ACL after the mode keeps its mask);
    // one that cannot be copied sends the write down the in-place path,
    // which keeps every attribute of the file.
    let attributes_kept = existing.is_none() || copy_xattrs(&target, new.as_file());
    if !linked && owner_kept && attributes_kept {
        unchanged()?;
        new.persist(&target).map_err(|e| cannot(&e.error))?;
        sync_folder(dir);
        return Ok(());
    }
    drop(new);
    // In place: the old content kept aside until the new one is on disk.
    let old = read_bytes(&target).map_err(read_again)?;
    if expected.is_some_and(|expected| Stamp::of(&old) != expected) {
        return Err(changed());
    }
    let backup = temp(&old)?;
    let written = std::fs::OpenOptions::new().write(true).open(&target).and_then(|mut file| {
        std::io::Write::write_all(&mut file, bytes)?;
        file.set_len(bytes.len() as u64)?;
        file.sync_all()
    });
    match written {
        Ok(()) => Ok(()),
        Err(e) => {
            let restored = std::fs::OpenOptions::new().write(true).open(&target).and_then(|mut file| {
                std::io::Write::write_all(&mut file, &old)?;
                file.set_len(old.len() as u64)?;
                file.sync_all()
            });
            match restored {
                Ok(()) => Err(cannot(&e)),
                Err(_) => {
                    let kept = backup.into_temp_path().keep().map(|p| p.display().to_string()).unwrap_or_default();
                    let LoadError { message, .. } = cannot(&e);
                    Err(error(lang.pick(format!("{message}。元の内容は {kept} に残しました"), format!("{message}; the old content is kept in {kept}"))))
                }
            }
        }
    }
}

/// Gives `to` exactly the extended attributes of the file at `from` (those
/// this process can see): each copied, and any `to` got on its own (an ACL
/// inherited from its folder's default ACL) removed. False if any cannot be
/// read, set or removed: the caller then rewrites the file in place.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[allow(unsafe_code)] // libc's xattr calls (SAFETY below)
fn copy_xattrs(from: &Path, to: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    let Ok(from) = std::ffi::CString::new(from.as_os_str().as_bytes()) else { return false };
    let fd = to.as_raw_fd();
    // A list or a value: asked for its size, then read; it may grow in
    // between (ERANGE), so a few tries. Linux bounds both to 64 KiB.
    let errno = || std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    let read = |call: &dyn Fn(*mut libc::c_void, usize) -> isize| -> Result<Vec<u8>, i32> {
        for _ in 0..4 {
            let size = call(std::ptr::null_mut(), 0);
            if size < 0 {
                return Err(errno());
            }
            let mut buf = vec![0u8; size as usize];
            let got = call(buf.as_mut_ptr().cast(), buf.len());
            if got >= 0 {
                buf.truncate(got as usize);
                return Ok(buf);
            }
            if errno() != libc::ERANGE {
                return Err(errno());
            }
        }
        Err(libc::ERANGE)
    };
    // A file system without extended attributes has none to copy.
    let list = |call: &dyn Fn(*mut libc::c_void, usize) -> isize| -> Option<Vec<std::ffi::CString>> {
        let list = match read(call) {
            Ok(list) => list,
            Err(libc::ENOTSUP) => Vec::new(),
            Err(_) => return None,
        };
        Some(list.split(|&b| b == 0).filter(|n| !n.is_empty()).filter_map(|n| std::ffi::CString::new(n).ok()).collect())
    };
    // SAFETY (every call below): the path and names are NUL-terminated
    // CStrings, each buffer pointer is valid for the length passed with it,
    // and `fd` is the open file `to`.
    let Some(wanted) = list(&|buf, len| unsafe { libc::listxattr(from.as_ptr(), buf.cast(), len) }) else { return false };
    let Some(theirs) = list(&|buf, len| unsafe { libc::flistxattr(fd, buf.cast(), len) }) else { return false };
    for name in theirs.iter().filter(|name| !wanted.contains(name)) {
        if unsafe { libc::fremovexattr(fd, name.as_ptr()) } != 0 && errno() != libc::ENODATA {
            return false;
        }
    }
    for name in &wanted {
        let value = match read(&|buf, len| unsafe { libc::getxattr(from.as_ptr(), name.as_ptr(), buf, len) }) {
            Ok(value) => value,
            // Removed since it was listed: nothing to copy.
            Err(libc::ENODATA) => continue,
            Err(_) => return false,
        };
        if unsafe { libc::fsetxattr(fd, name.as_ptr(), value.as_ptr().cast(), value.len(), 0) } != 0 {
            return false;
        }
    }
    true
}

/// Elsewhere extended attributes are not copied (the file is replaced).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn copy_xattrs(_from: &Path, _to: &std::fs::File) -> bool {
    true
}

/// A new file gets the usual permissions (a temporary file is private).
#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

/// Makes a rename in `dir` durable (best effort: not every system can).
#[cfg(unix)]
fn sync_folder(dir: &Path) {
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_folder(_dir: &Path) {}

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

    #[test]
    fn a_file_changed_since_it_was_read_is_not_written_and_no_temporary_file_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.plan");
        std::fs::write(&path, "before\n").unwrap();
        let source = read_source(&path).unwrap();
        std::fs::write(&path, "someone else's edit\n").unwrap();
        let e = write_back(&source, b"formatted\n", Lang::En).unwrap_err();
        assert!(e.message.starts_with("changed since it was read"), "{}", e.message);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "someone else's edit\n", "the other edit is kept");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from("a.plan")], "no temporary file left");
        // Removed since: not written either (nothing recreated).
        std::fs::remove_file(&path).unwrap();
        assert!(write_back(&source, b"x", Lang::En).unwrap_err().message.starts_with("was removed since it was read"));
        assert!(!path.exists());
        // Unchanged: written.
        std::fs::write(&path, "before\n").unwrap();
        write_back(&read_source(&path).unwrap(), b"after\n", Lang::En).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "after\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_with_two_links_is_rewritten_in_place_and_the_old_content_is_not_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.plan"), dir.path().join("b.plan"));
        std::fs::write(&a, "a long old text\n").unwrap();
        std::fs::hard_link(&a, &b).unwrap();
        write_back(&read_source(&a).unwrap(), b"new\n", Lang::En).unwrap();
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new\n", "truncated to the new length");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "the kept-aside copy is removed");
    }
}
