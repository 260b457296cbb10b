//! Findings written back into the workbook they were found in:
//! `plancheck check book.xlsx --annotate OUT.xlsx` writes a copy of the
//! workbook with each finding's cell filled (red for an error, yellow for a
//! warning, blue for information; its font, borders and number format
//! kept), a cell comment giving the finding and its fix, and a findings
//! sheet at the end with a link to each cell.
//!
//! The copy is the original package edited in place, not a workbook
//! rebuilt from a model: every part the findings do not touch (other
//! sheets, shared strings, themes, pictures, charts, macros, defined
//! names, printer settings) is copied byte for byte, still compressed;
//! `styles.xml` gains fills and cell formats at its ends (the existing
//! ones keep their numbers); a sheet with findings changes only in the
//! style of those cells (an empty one is added where a finding has no
//! cell yet) and in one `legacyDrawing` element for its comments. Crates
//! that load a workbook into their model and write it out again
//! (umya-spreadsheet, or rust_xlsxwriter, which only writes) keep what
//! they model, and drop or rewrite the rest.
//!
//! A sheet that already has comments keeps them; the findings in it are
//! added to its comments, and a cell that already has a comment keeps it,
//! with the finding written after it.

use crate::diagnostics::Lang;
use crate::import::ImportError;
use crate::import::grid::WorkbookLimits;
use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Seek, Write};
use std::path::Path;

/// How serious a finding is: the colour of its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    Info,
}

impl Level {
    /// The fill (ARGB): Excel's own "bad", "neutral" and a light blue.
    fn fill(self) -> &'static str {
        match self {
            Level::Error => "FFFFC7CE",
            Level::Warning => "FFFFEB9C",
            Level::Info => "FFDDEBF7",
        }
    }

    fn name(self, lang: Lang) -> &'static str {
        match self {
            Level::Error => lang.pick("エラー", "error"),
            Level::Warning => lang.pick("警告", "warning"),
            Level::Info => lang.pick("情報", "info"),
        }
    }
}

/// A finding to write: at a cell of a sheet (0-based), or at none (it goes
/// to the findings sheet only).
#[derive(Debug, Clone)]
pub struct Note {
    pub cell: Option<(String, u32, u32)>,
    pub level: Level,
    /// `rating-mismatch (PC201)`.
    pub rule: String,
    pub message: String,
    /// The fix's description, when the finding has one.
    pub fix: Option<String>,
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotated {
    /// Cells highlighted (with a comment each).
    pub cells: usize,
    /// Rows of the findings sheet.
    pub findings: usize,
    /// The findings sheet's name.
    pub sheet: String,
    /// Findings whose cell is on no sheet of the workbook (listed in the
    /// findings sheet only).
    pub unplaced: usize,
}

pub use crate::table::FINDINGS_SHEET;

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL_COMMENTS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments";
const REL_VML: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing";
const REL_WORKSHEET: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const CT_COMMENTS: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml";
const CT_WORKSHEET: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const CT_VML: &str = "application/vnd.openxmlformats-officedocument.vmlDrawing";

fn failed(lang: Lang, path: &Path, ja: impl std::fmt::Display, en: impl std::fmt::Display) -> ImportError {
    let shown = path.display();
    ImportError(lang.pick(format!("{shown}: 指摘を書き込めません: {ja}"), format!("{shown}: cannot write the findings into it: {en}")))
}

/// Writes `out`: a copy of the workbook `source` (`.xlsx`/`.xlsm`) with the
/// findings in it. `out` is written whole or not at all (a temporary file
/// beside it, renamed), and is never `source`.
pub fn annotate(source: &Path, out: &Path, notes: &[Note], lang: Lang) -> Result<Annotated, ImportError> {
    let limits = WorkbookLimits::default();
    let extension = source.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    if !matches!(extension.as_str(), "xlsx" | "xlsm") {
        return Err(failed(
            lang,
            source,
            "--annotate は .xlsx と .xlsm のブックに書き込みます (CSV や .xls は、Excel で .xlsx として保存してから)",
            "--annotate writes into an .xlsx or .xlsm workbook (save a CSV or an .xls as .xlsx in Excel first)",
        ));
    }
    if let (Ok(a), Ok(b)) = (source.canonicalize(), out.canonicalize())
        && a == b
    {
        return Err(failed(lang, out, "書き込み先が元のブックです: 別の名前を指定します", "the output is the workbook itself: give another name"));
    }
    crate::import::grid::check_zip_sizes(source, &limits)?;
    let file = std::fs::File::open(source).map_err(|e| failed(lang, source, e.to_string(), e.to_string()))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| failed(lang, source, e.to_string(), e.to_string()))?;
    let mut package = Package::read(&mut zip, limits.entry_bytes).map_err(|(ja, en)| failed(lang, source, ja, en))?;
    let summary = package.annotate(notes, lang).map_err(|(ja, en)| failed(lang, source, ja, en))?;
    // Written beside the output, then renamed over it.
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut temp = tempfile_in(dir).map_err(|e| failed(lang, out, e.to_string(), e.to_string()))?;
    package.write(&mut zip, &mut temp.1).map_err(|e| failed(lang, out, e.to_string(), e.to_string()))?;
    drop(temp.1);
    std::fs::rename(&*temp.0, out).map_err(|e| failed(lang, out, e.to_string(), e.to_string()))?;
    temp.0 = Default::default();
    Ok(summary)
}

/// A new file in `dir` (its path and a writer), removed if never renamed.
fn tempfile_in(dir: &Path) -> std::io::Result<(TempPath, std::io::BufWriter<std::fs::File>)> {
    for n in 0..1000u32 {
        let path = dir.join(format!(".plancheck-annotate-{}-{n}.xlsx", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((TempPath(path), std::io::BufWriter::new(file))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no temporary file name left"))
}

#[derive(Default)]
struct TempPath(std::path::PathBuf);

impl std::ops::Deref for TempPath {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if !self.0.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

type Failure = (String, String);

fn fail<T>(ja: impl Into<String>, en: impl Into<String>) -> Result<T, Failure> {
    Err((ja.into(), en.into()))
}

/// The parts of the package that change, and the new ones.
struct Package {
    /// Part name → new content (replacing the original, or added).
    changed: BTreeMap<String, Vec<u8>>,
    /// Every original part, in order.
    names: Vec<String>,
    content_types: String,
    workbook: String,
    workbook_rels: String,
    styles: Option<String>,
    /// (sheet name, part) in the workbook's order.
    sheets: Vec<(String, String)>,
    /// Original parts read on demand.
    originals: HashMap<String, Vec<u8>>,
}

fn read_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let entry = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.take(limit).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

fn text_of(bytes: Vec<u8>, name: &str) -> Result<String, Failure> {
    String::from_utf8(bytes).or_else(|_| fail(format!("{name} が UTF-8 ではありません"), format!("{name} is not UTF-8")))
}

impl Package {
    fn read<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, limit: u64) -> Result<Package, Failure> {
        let names: Vec<String> = zip.file_names().filter_map(|n| n.ok().map(|n| n.into_owned())).collect();
        let mut part = |name: &str| -> Result<String, Failure> {
            match read_part(zip, name, limit) {
                Some(bytes) => text_of(bytes, name),
                None => fail(format!("ブックに {name} がありません (壊れているか、.xlsx ではありません)"), format!("the workbook has no {name} (damaged, or not an .xlsx)")),
            }
        };
        let content_types = part("[Content_Types].xml")?;
        let workbook = part("xl/workbook.xml")?;
        let workbook_rels = part("xl/_rels/workbook.xml.rels")?;
        let styles = match read_part(zip, "xl/styles.xml", limit) {
            Some(bytes) => Some(text_of(bytes, "xl/styles.xml")?),
            None => None,
        };
        let sheets = crate::import::hidden::sheet_parts(workbook.as_bytes(), workbook_rels.as_bytes());
        // A copy plancheck annotated: its findings are of an older check.
        if let Some((name, _)) = sheets.iter().find(|(_, part)| crate::import::hidden::is_findings_part(part)) {
            return fail(
                format!("このブックは plancheck が指摘を書き込んだ写しです (シート「{name}」): 元のブックを直して、それを確かめます"),
                format!("this workbook is a copy plancheck annotated (sheet `{name}`): fix the original workbook, and check that"),
            );
        }
        let mut originals = HashMap::new();
        for (_, part) in &sheets {
            if let Some(bytes) = read_part(zip, part, limit) {
                originals.insert(part.clone(), bytes);
            }
            let rels = rels_of(part);
            if let Some(bytes) = read_part(zip, &rels, limit) {
                originals.insert(rels, bytes);
            }
        }
        // Comment parts the sheets already have.
        let mut more = Vec::new();
        for (name, bytes) in &originals {
            if name.ends_with(".rels") {
                for (_, target, kind) in relationships(bytes) {
                    if kind == REL_COMMENTS || kind == REL_VML {
                        more.push(resolve(name, &target));
                    }
                }
            }
        }
        for name in more {
            if let Some(bytes) = read_part(zip, &name, limit) {
                originals.insert(name, bytes);
            }
        }
        Ok(Package { changed: BTreeMap::new(), names, content_types, workbook, workbook_rels, styles, sheets, originals })
    }

    fn annotate(&mut self, notes: &[Note], lang: Lang) -> Result<Annotated, Failure> {
        let mut summary = Annotated::default();
        // Findings by sheet and cell, each cell's worst level.
        let mut by_sheet: BTreeMap<usize, BTreeMap<(u32, u32), Vec<&Note>>> = BTreeMap::new();
        for note in notes {
            let Some((sheet, row, column)) = &note.cell else { continue };
            match self.sheets.iter().position(|(name, _)| name == sheet) {
                Some(i) => by_sheet.entry(i).or_default().entry((*row, *column)).or_default().push(note),
                None => summary.unplaced += 1,
            }
        }
        let mut styles = Styles::read(self.styles.as_deref())?;
        let wrap = styles.add_plain_xf(None);
        let header = styles.add_plain_xf(Some(Level::Info));
        let mut comment_parts = 0;
        for (&index, cells) in &by_sheet {
            let (_, part) = self.sheets[index].clone();
            let Some(xml) = self.originals.get(&part).cloned() else {
                summary.unplaced += cells.values().map(Vec::len).sum::<usize>();
                continue;
            };
            let xml = text_of(xml, &part)?;
            let levels: BTreeMap<(u32, u32), Level> = cells.iter().map(|(&at, notes)| (at, notes.iter().map(|n| n.level).min().expect("a cell has a note"))).collect();
            let edited = edit_sheet(&xml, &levels, |original, level| styles.highlighted(original, level))?;
            // Its comments: added to the sheet's own, or new parts.
            let rels_name = rels_of(&part);
            let rels = self.originals.get(&rels_name).map(|b| String::from_utf8_lossy(b).into_owned());
            let existing = rels.as_deref().map(|r| relationships(r.as_bytes())).unwrap_or_default();
            let comments_rel = existing.iter().find(|(_, _, kind)| kind == REL_COMMENTS).map(|(_, t, _)| resolve(&rels_name, t));
            let vml_rel = existing.iter().find(|(_, _, kind)| kind == REL_VML).map(|(_, t, _)| resolve(&rels_name, t));
            let texts: Vec<((u32, u32), String)> = cells.iter().map(|(&at, notes)| (at, comment_text(notes, lang))).collect();
            let mut sheet_xml = edited.xml;
            match (comments_rel, vml_rel, edited.has_legacy_drawing) {
                (Some(comments), Some(vml), true) if self.originals.contains_key(&comments) && self.originals.contains_key(&vml) => {
                    let old_comments = text_of(self.originals[&comments].clone(), &comments)?;
                    let old_vml = String::from_utf8_lossy(&self.originals[&vml]).into_owned();
                    let (new_comments, added) = add_to_comments(&old_comments, &texts)?;
                    let new_vml = add_to_vml(&old_vml, &added, 2000 + index * 1024)?;
                    self.changed.insert(comments, new_comments.into_bytes());
                    self.changed.insert(vml, new_vml.into_bytes());
                }
                (_, _, true) => {
                    return fail(format!("シート「{}」のコメントの部品が読めません", self.sheets[index].0), format!("the comments of sheet `{}` cannot be read", self.sheets[index].0));
                }
                _ => {
                    comment_parts += 1;
                    let comments = format!("xl/comments_plancheck{comment_parts}.xml");
                    let vml = format!("xl/drawings/vmlDrawing_plancheck{comment_parts}.vml");
                    self.changed.insert(comments.clone(), new_comments(&texts).into_bytes());
                    let all: Vec<(u32, u32)> = texts.iter().map(|(at, _)| *at).collect();
                    self.changed.insert(vml.clone(), new_vml(&all, 2000 + index * 1024).into_bytes());
                    let (comments_id, vml_id) = ("rIdPlancheckComments".to_string(), "rIdPlancheckVml".to_string());
                    let added = [(comments_id.clone(), relative(&part, &comments), REL_COMMENTS), (vml_id.clone(), relative(&part, &vml), REL_VML)];
                    self.changed.insert(rels_name.clone(), add_relationships(rels.as_deref(), &added)?.into_bytes());
                    sheet_xml = insert_legacy_drawing(&sheet_xml, &vml_id)?;
                    self.add_override(&format!("/{comments}"), CT_COMMENTS);
                    self.add_default("vml", CT_VML);
                }
            }
            self.changed.insert(part.clone(), sheet_xml.into_bytes());
            summary.cells += cells.len();
        }
        // The findings sheet, last.
        let name = (1..).map(|n| if n == 1 { FINDINGS_SHEET.to_string() } else { format!("{FINDINGS_SHEET} ({n})") }).find(|n| !self.sheets.iter().any(|(s, _)| s == n)).expect("a free name");
        let part = (1..).map(|n| format!("xl/worksheets/plancheck{n}.xml")).find(|p| !self.names.contains(p)).expect("a free part name");
        let rows = notes.len();
        self.changed.insert(part.clone(), findings_sheet(notes, &self.sheets, lang, wrap, header).into_bytes());
        self.add_override(&format!("/{part}"), CT_WORKSHEET);
        let rel_id = (1..).map(|n| format!("rIdPlancheck{n}")).find(|id| !relationships(self.workbook_rels.as_bytes()).iter().any(|(i, _, _)| i == id)).expect("a free id");
        self.workbook_rels = add_relationships(Some(&self.workbook_rels), &[(rel_id.clone(), relative("xl/workbook.xml", &part), REL_WORKSHEET)])?;
        self.workbook = add_sheet(&self.workbook, &name, &rel_id)?;
        // The styles.
        let (styles_xml, created) = styles.write()?;
        if created {
            self.workbook_rels = add_relationships(
                Some(&self.workbook_rels),
                &[("rIdPlancheckStyles".to_string(), "styles.xml".to_string(), "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles")],
            )?;
            self.add_override("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
        }
        self.changed.insert("xl/styles.xml".to_string(), styles_xml.into_bytes());
        self.changed.insert("xl/workbook.xml".to_string(), std::mem::take(&mut self.workbook).into_bytes());
        self.changed.insert("xl/_rels/workbook.xml.rels".to_string(), std::mem::take(&mut self.workbook_rels).into_bytes());
        self.changed.insert("[Content_Types].xml".to_string(), std::mem::take(&mut self.content_types).into_bytes());
        summary.findings = rows;
        summary.sheet = name;
        Ok(summary)
    }

    fn add_override(&mut self, part: &str, content_type: &str) {
        if self.content_types.contains(&format!("PartName=\"{part}\"")) {
            return;
        }
        let element = format!("<Override PartName=\"{part}\" ContentType=\"{content_type}\"/>");
        insert_before_close(&mut self.content_types, "Types", &element);
    }

    fn add_default(&mut self, extension: &str, content_type: &str) {
        let lower = self.content_types.to_ascii_lowercase();
        if lower.contains(&format!("extension=\"{extension}\"")) {
            return;
        }
        let element = format!("<Default Extension=\"{extension}\" ContentType=\"{content_type}\"/>");
        insert_before_close(&mut self.content_types, "Types", &element);
    }

    /// The new package: the original's parts in order (unchanged ones
    /// copied raw, still compressed), then the new ones.
    fn write<R: Read + Seek, W: Write + Seek>(&self, zip: &mut zip::ZipArchive<R>, out: &mut W) -> zip::result::ZipResult<()> {
        let mut writer = zip::ZipWriter::new(out);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i)?;
            let name = entry.name()?.into_owned();
            match self.changed.get(&name) {
                Some(bytes) => {
                    drop(entry);
                    writer.start_file(name, options)?;
                    writer.write_all(bytes)?;
                }
                None => writer.raw_copy_file(entry)?,
            }
        }
        for (name, bytes) in &self.changed {
            if !self.names.contains(name) {
                writer.start_file(name.clone(), options)?;
                writer.write_all(bytes)?;
            }
        }
        writer.finish()?.flush()?;
        Ok(())
    }
}

/// `xl/worksheets/_rels/sheet1.xml.rels` for `xl/worksheets/sheet1.xml`.
fn rels_of(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The part a relationship of the `rels` part points at.
fn resolve(rels: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    // The source part's folder: `xl/worksheets/_rels/x.rels` → `xl/worksheets`.
    let base = rels.rsplit_once("/_rels/").map_or("", |(dir, _)| dir);
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// `target` as a path relative to the folder of `from`.
fn relative(from: &str, target: &str) -> String {
    let from_dir: Vec<&str> = from.rsplit_once('/').map_or(Vec::new(), |(d, _)| d.split('/').collect());
    let target_parts: Vec<&str> = target.split('/').collect();
    let common = from_dir.iter().zip(&target_parts).take_while(|(a, b)| a == b).count();
    let mut path: Vec<&str> = vec![".."; from_dir.len() - common];
    path.extend(&target_parts[common..]);
    path.join("/")
}

/// (Id, Target, Type) of each relationship.
fn relationships(xml: &[u8]) -> Vec<(String, String, String)> {
    elements(xml).into_iter().filter(|e| e.local == "Relationship").map(|e| (e.attr("Id").unwrap_or_default(), e.attr("Target").unwrap_or_default(), e.attr("Type").unwrap_or_default())).collect()
}

fn add_relationships(rels: Option<&str>, added: &[(String, String, &str)]) -> Result<String, Failure> {
    let elements: String = added.iter().map(|(id, target, kind)| format!("<Relationship Id=\"{}\" Type=\"{kind}\" Target=\"{}\"/>", escape(id), escape(target))).collect();
    match rels {
        Some(rels) => {
            let mut rels = rels.to_string();
            if !insert_before_close(&mut rels, "Relationships", &elements) {
                return fail("関係の部品 (.rels) が読めません", "a relationships part (.rels) cannot be read");
            }
            Ok(rels)
        }
        None => Ok(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{elements}</Relationships>"
        )),
    }
}

/// Inserts `text` before the closing tag of the root element `local`
/// (with any prefix); `false` when there is none.
fn insert_before_close(xml: &mut String, local: &str, text: &str) -> bool {
    let found = elements(xml.as_bytes()).into_iter().rev().find(|e| e.local == local && e.depth == 0);
    match found {
        Some(e) if e.kind == Kind::End => {
            xml.insert_str(e.start, text);
            true
        }
        Some(e) if e.kind == Kind::Empty => {
            // `<Types/>`: opened and closed around the text.
            let tag = &xml[e.start..e.end];
            let open = format!("{}>", tag.trim_end_matches("/>").trim_end());
            let close = format!("</{}>", e.qname);
            xml.replace_range(e.start..e.end, &format!("{open}{text}{close}"));
            true
        }
        _ => false,
    }
}

fn add_sheet(workbook: &str, name: &str, rel_id: &str) -> Result<String, Failure> {
    let all = elements(workbook.as_bytes());
    let sheets: Vec<&Element> = all.iter().filter(|e| e.local == "sheet" && e.depth == 2).collect();
    let next_id = sheets.iter().filter_map(|e| e.attr("sheetId")?.parse::<u32>().ok()).max().unwrap_or(0) + 1;
    let Some(close) = all.iter().find(|e| e.local == "sheets" && e.kind == Kind::End) else {
        return fail("xl/workbook.xml にシートの一覧がありません", "xl/workbook.xml has no list of sheets");
    };
    let prefix = close.qname.strip_suffix("sheets").unwrap_or("");
    let element = format!("<{prefix}sheet name=\"{}\" sheetId=\"{next_id}\" {}=\"{}\"/>", escape(name), relationship_attribute(&all), escape(rel_id));
    let mut workbook = workbook.to_string();
    workbook.insert_str(close.start, &element);
    Ok(workbook)
}

/// The text of a cell's comment: each finding, its rule and its fix.
fn comment_text(notes: &[&Note], lang: Lang) -> String {
    let mut text = String::new();
    for note in notes {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&format!("plancheck {}: {}\n{}", note.level.name(lang), note.rule, note.message));
        if let Some(fix) = &note.fix {
            text.push_str(&lang.pick(format!("\n修正案: {fix}"), format!("\nfix: {fix}")));
        }
    }
    text
}

fn address(row: u32, column: u32) -> String {
    format!("{}{}", crate::table::column_letters(column as usize), row + 1)
}

fn comment_element(at: (u32, u32), author: usize, text: &str) -> String {
    format!(
        "<comment ref=\"{}\" authorId=\"{author}\"><text><r><rPr><sz val=\"9\"/><rFont val=\"Meiryo UI\"/><family val=\"3\"/><charset val=\"128\"/></rPr><t xml:space=\"preserve\">{}</t></r></text></comment>",
        address(at.0, at.1),
        escape(text)
    )
}

fn new_comments(texts: &[((u32, u32), String)]) -> String {
    let comments: String = texts.iter().map(|(at, text)| comment_element(*at, 0, text)).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<comments xmlns=\"{MAIN_NS}\"><authors><author>plancheck</author></authors><commentList>{comments}</commentList></comments>"
    )
}

/// The sheet's comments with the findings added (a cell's own comment
/// first, the finding after it); returns the cells that need a new note
/// shape in the drawing.
fn add_to_comments(xml: &str, texts: &[((u32, u32), String)]) -> Result<(String, Vec<(u32, u32)>), Failure> {
    let all = elements(xml.as_bytes());
    let authors = all.iter().filter(|e| e.local == "author" && e.kind != Kind::End).count();
    let mut xml = xml.to_string();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    // The author `plancheck`, last.
    match all.iter().find(|e| e.local == "authors" && e.kind != Kind::Start) {
        Some(e) if e.kind == Kind::End => edits.push((e.start, e.start, format!("<{}>plancheck</{}>", e.qname.replace("authors", "author"), e.qname.replace("authors", "author")))),
        Some(e) => edits.push((e.start, e.end, format!("<{q}><{a}>plancheck</{a}></{q}>", q = e.qname, a = e.qname.replace("authors", "author")))),
        None => return fail("コメントの部品に作成者の一覧がありません", "the comments part has no list of authors"),
    }
    let mut added = Vec::new();
    let existing: HashMap<String, &Element> = all.iter().filter(|e| e.local == "comment" && e.kind == Kind::Start).filter_map(|e| Some((e.attr("ref")?, e))).collect();
    let mut new = String::new();
    for (at, text) in texts {
        let reference = address(at.0, at.1);
        match existing.get(&reference) {
            // After the comment's own text: the finding as one more run.
            Some(comment) => {
                let Some(text_end) = all.iter().find(|e| e.start > comment.start && e.local == "text" && e.kind == Kind::End) else {
                    return fail("コメントの部品が読めません", "the comments part cannot be read");
                };
                let prefix = text_end.qname.strip_suffix("text").unwrap_or("");
                edits.push((text_end.start, text_end.start, format!("<{prefix}r><{prefix}t xml:space=\"preserve\">{}</{prefix}t></{prefix}r>", escape(&format!("\n\n{text}")))));
            }
            None => {
                new.push_str(&comment_element(*at, authors, text));
                added.push(*at);
            }
        }
    }
    match all.iter().find(|e| e.local == "commentList" && e.kind != Kind::Start) {
        Some(e) if e.kind == Kind::End => edits.push((e.start, e.start, new)),
        Some(e) => edits.push((e.start, e.end, format!("<{q}>{new}</{q}>", q = e.qname))),
        None => return fail("コメントの部品にコメントの一覧がありません", "the comments part has no comment list"),
    }
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    for (start, end, text) in edits {
        xml.replace_range(start..end, &text);
    }
    Ok((xml, added))
}

fn note_shape(at: (u32, u32), id: usize) -> String {
    let (row, column) = at;
    format!(
        "<v:shape id=\"_x0000_s{id}\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:60pt;margin-top:2pt;width:260pt;height:110pt;z-index:{z};visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\">\
<v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/>\
<v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>\
<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>{c1}, 15, {r1}, 2, {c2}, 15, {r2}, 16</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>",
        z = id % 1024 + 1,
        c1 = column + 1,
        r1 = row.saturating_sub(1),
        c2 = column + 5,
        r2 = row + 6,
    )
}

const SHAPE_TYPE: &str = "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>";

fn new_vml(cells: &[(u32, u32)], first_id: usize) -> String {
    let shapes: String = cells.iter().enumerate().map(|(i, at)| note_shape(*at, first_id + 1 + i)).collect();
    format!(
        "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\
<o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"{}\"/></o:shapelayout>{SHAPE_TYPE}{shapes}</xml>",
        first_id / 1024
    )
}

/// The sheet's drawing with a note shape for each new comment (the shape
/// type added when the drawing has none).
fn add_to_vml(vml: &str, cells: &[(u32, u32)], first_id: usize) -> Result<String, Failure> {
    let Some(close) = vml.rfind("</xml>") else {
        return fail("コメントの図形の部品 (VML) が読めません", "the comments' drawing (VML) cannot be read");
    };
    let mut shapes = String::new();
    if !vml.contains("_x0000_t202") {
        shapes.push_str(SHAPE_TYPE);
    }
    for (i, at) in cells.iter().enumerate() {
        shapes.push_str(&note_shape(*at, first_id + 1 + i));
    }
    let mut vml = vml.to_string();
    vml.insert_str(close, &shapes);
    Ok(vml)
}

/// The findings sheet: one row per finding, its cell a link to it.
fn findings_sheet(notes: &[Note], sheets: &[(String, String)], lang: Lang, wrap: usize, header: usize) -> String {
    let heading = crate::table::FINDINGS_HEADINGS[usize::from(lang != Lang::Ja)];
    let cell = |column: usize, row: usize, text: &str, style: usize| -> String {
        if text.is_empty() {
            return String::new();
        }
        format!("<c r=\"{}\" s=\"{style}\" t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>", address(row as u32, column as u32), escape(text))
    };
    let mut order: Vec<&Note> = notes.iter().collect();
    // By sheet (in the workbook's order), row and column; those without a cell last.
    order.sort_by_key(|n| match &n.cell {
        Some((sheet, row, column)) => (sheets.iter().position(|(s, _)| s == sheet).unwrap_or(usize::MAX - 1), *row, *column),
        None => (usize::MAX, 0, 0),
    });
    let mut rows = String::new();
    rows.push_str(&format!("<row r=\"1\">{}</row>", heading.iter().enumerate().map(|(c, h)| cell(c, 0, h, header)).collect::<String>()));
    let mut links = String::new();
    for (i, note) in order.iter().enumerate() {
        let r = i + 1;
        let (sheet, at) = match &note.cell {
            Some((sheet, row, column)) => (sheet.as_str(), address(*row, *column)),
            None => ("", String::new()),
        };
        let values = [note.level.name(lang), sheet, &at, &note.rule, &note.message, note.fix.as_deref().unwrap_or("")];
        rows.push_str(&format!("<row r=\"{}\">{}</row>", r + 1, values.iter().enumerate().map(|(c, v)| cell(c, r, v, wrap)).collect::<String>()));
        if !at.is_empty() && sheets.iter().any(|(s, _)| s == sheet) {
            let location = format!("'{}'!{at}", sheet.replace('\'', "''"));
            links.push_str(&format!("<hyperlink ref=\"{}\" location=\"{}\" display=\"{}\"/>", address(r as u32, 2), escape(&location), escape(&format!("{sheet}!{at}"))));
        }
    }
    let links = if links.is_empty() { String::new() } else { format!("<hyperlinks>{links}</hyperlinks>") };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<worksheet xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\">\
<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>\
<sheetFormatPr defaultRowHeight=\"15\"/>\
<cols><col min=\"1\" max=\"1\" width=\"8\" customWidth=\"1\"/><col min=\"2\" max=\"2\" width=\"14\" customWidth=\"1\"/><col min=\"3\" max=\"3\" width=\"8\" customWidth=\"1\"/><col min=\"4\" max=\"4\" width=\"30\" customWidth=\"1\"/><col min=\"5\" max=\"5\" width=\"70\" customWidth=\"1\"/><col min=\"6\" max=\"6\" width=\"40\" customWidth=\"1\"/></cols>\
<sheetData>{rows}</sheetData><autoFilter ref=\"A1:F{}\"/>{links}<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>",
        order.len() + 1
    )
}

/// Text for an XML attribute or element: the five characters escaped, and
/// the characters XML 1.0 cannot hold at all (controls but tab and line
/// ends) shown as U+FFFD.
fn escape(text: &str) -> String {
    let held: String = text.chars().map(|c| if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') { '\u{FFFD}' } else { c }).collect();
    quick_xml::escape::escape(held.as_str()).into_owned()
}

/// The cell formats of `styles.xml`, and those added.
struct Styles {
    xml: String,
    created: bool,
    /// Each existing cell format's XML (`<xf …/>` or `<xf …>…</xf>`).
    xfs: Vec<String>,
    fills: usize,
    /// Where to add fills and formats, and the count attributes to raise.
    fills_close: usize,
    fills_open: (usize, usize),
    xfs_close: usize,
    xfs_open: (usize, usize),
    prefix: String,
    added_fills: Vec<Level>,
    added_xfs: Vec<String>,
    /// (original format, level) → new format.
    highlights: HashMap<(usize, Level), usize>,
}

const MINIMAL_STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"1\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/></cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";

impl Styles {
    fn read(xml: Option<&str>) -> Result<Styles, Failure> {
        let created = xml.is_none();
        let xml = xml.unwrap_or(MINIMAL_STYLES).to_string();
        let all = elements(xml.as_bytes());
        let unreadable = || fail("xl/styles.xml が読めません", "xl/styles.xml cannot be read");
        let find = |local: &str, kind: Kind| all.iter().find(|e| e.local == local && e.depth == 1 && e.kind == kind);
        let (Some(fills_open), Some(fills_close), Some(xfs_open), Some(xfs_close)) = (find("fills", Kind::Start), find("fills", Kind::End), find("cellXfs", Kind::Start), find("cellXfs", Kind::End))
        else {
            return unreadable();
        };
        let fills = all.iter().filter(|e| e.local == "fill" && e.depth == 2 && e.kind != Kind::End && e.start > fills_open.start && e.start < fills_close.start).count();
        let mut xfs = Vec::new();
        let mut open: Option<usize> = None;
        for e in all.iter().filter(|e| e.local == "xf" && e.depth == 2 && e.start > xfs_open.start && e.start < xfs_close.start) {
            match e.kind {
                Kind::Empty => xfs.push(xml[e.start..e.end].to_string()),
                Kind::Start => open = Some(e.start),
                Kind::End => {
                    if let Some(start) = open.take() {
                        xfs.push(xml[start..e.end].to_string());
                    }
                }
            }
        }
        if xfs.is_empty() {
            return unreadable();
        }
        let prefix = fills_open.qname.strip_suffix("fills").unwrap_or("").to_string();
        Ok(Styles {
            created,
            xfs,
            fills,
            fills_close: fills_close.start,
            fills_open: (fills_open.start, fills_open.end),
            xfs_close: xfs_close.start,
            xfs_open: (xfs_open.start, xfs_open.end),
            prefix,
            added_fills: Vec::new(),
            added_xfs: Vec::new(),
            highlights: HashMap::new(),
            xml,
        })
    }

    fn fill_id(&mut self, level: Level) -> usize {
        match self.added_fills.iter().position(|&l| l == level) {
            Some(i) => self.fills + i,
            None => {
                self.added_fills.push(level);
                self.fills + self.added_fills.len() - 1
            }
        }
    }

    fn add_xf(&mut self, xf: String) -> usize {
        self.added_xfs.push(xf);
        self.xfs.len() + self.added_xfs.len() - 1
    }

    /// A plain format for the findings sheet: wrapped text at the top, with
    /// a fill for its header.
    fn add_plain_xf(&mut self, fill: Option<Level>) -> usize {
        let p = self.prefix.clone();
        let fill = match fill {
            Some(level) => format!("fillId=\"{}\" applyFill=\"1\"", self.fill_id(level)),
            None => "fillId=\"0\"".to_string(),
        };
        self.add_xf(format!("<{p}xf numFmtId=\"0\" fontId=\"0\" {fill} borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><{p}alignment vertical=\"top\" wrapText=\"1\"/></{p}xf>"))
    }

    /// The format of a highlighted cell: its own (`original`) with the
    /// level's fill.
    fn highlighted(&mut self, original: usize, level: Level) -> usize {
        if let Some(&xf) = self.highlights.get(&(original, level)) {
            return xf;
        }
        let base = self.xfs.get(original).or(self.xfs.first()).cloned().expect("a style sheet has a cell format");
        let fill = self.fill_id(level);
        let xf = self.add_xf(with_attributes(&base, &[("fillId", fill.to_string()), ("applyFill", "1".to_string())]));
        self.highlights.insert((original, level), xf);
        xf
    }

    /// The new `styles.xml`, and whether it is a new part.
    fn write(self) -> Result<(String, bool), Failure> {
        let p = &self.prefix;
        let fills: String = self
            .added_fills
            .iter()
            .map(|level| format!("<{p}fill><{p}patternFill patternType=\"solid\"><{p}fgColor rgb=\"{}\"/><{p}bgColor indexed=\"64\"/></{p}patternFill></{p}fill>", level.fill()))
            .collect();
        let xfs: String = self.added_xfs.concat();
        let mut edits = [
            (self.fills_open.0, self.fills_open.1, with_attributes(&self.xml[self.fills_open.0..self.fills_open.1], &[("count", (self.fills + self.added_fills.len()).to_string())])),
            (self.fills_close, self.fills_close, fills),
            (self.xfs_open.0, self.xfs_open.1, with_attributes(&self.xml[self.xfs_open.0..self.xfs_open.1], &[("count", (self.xfs.len() + self.added_xfs.len()).to_string())])),
            (self.xfs_close, self.xfs_close, xfs),
        ];
        edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
        let mut xml = self.xml;
        for (start, end, text) in edits {
            xml.replace_range(start..end, &text);
        }
        Ok((xml, self.created))
    }
}

/// An element's XML with these attributes set (replaced, or added after
/// its name) in its start tag.
fn with_attributes(element: &str, attributes: &[(&str, String)]) -> String {
    let tag_end = element.find('>').unwrap_or(element.len());
    let (tag, rest) = element.split_at(tag_end);
    let self_closing = tag.ends_with('/');
    let mut tag = tag.trim_end_matches('/').to_string();
    for (name, value) in attributes {
        let pattern = regex::Regex::new(&format!(r#"(\s){}\s*=\s*("[^"]*"|'[^']*')"#, regex::escape(name))).expect("a valid pattern");
        let replaced = pattern.replace(&tag, |c: &regex::Captures<'_>| format!("{}{name}=\"{value}\"", &c[1])).into_owned();
        tag = if replaced != tag || pattern.is_match(&tag) { replaced } else { format!("{tag} {name}=\"{value}\"") };
    }
    if self_closing {
        tag.push('/');
    }
    format!("{tag}{rest}")
}

struct EditedSheet {
    xml: String,
    has_legacy_drawing: bool,
}

/// The sheet with each cell of `cells` in its highlighted format (an
/// empty cell written where there is none).
/// A sheet's tags that say where things are: the top level, its rows and cells.
fn sheet_tags(xml: &str) -> Vec<Element> {
    elements_where(xml.as_bytes(), &|local, depth| depth <= 1 || matches!(local, b"row" | b"c") && depth <= 3)
}

fn edit_sheet(xml: &str, cells: &BTreeMap<(u32, u32), Level>, mut style: impl FnMut(usize, Level) -> usize) -> Result<EditedSheet, Failure> {
    let all = sheet_tags(xml);
    let root = all.iter().find(|e| e.depth == 0 && e.kind != Kind::End);
    let prefix = root.map_or("", |r| r.qname.strip_suffix(r.local.as_str()).unwrap_or("")).to_string();
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut done: std::collections::BTreeSet<(u32, u32)> = Default::default();
    let new_cell = |row: u32, column: u32, s: usize| format!("<{prefix}c r=\"{}\" s=\"{s}\"/>", address(row, column));
    let mut row: Option<u32> = None;
    let mut last_row: i64 = -1;
    let mut column: i64 = -1;
    let mut in_sheet_data = false;
    let mut has_legacy_drawing = false;
    let style_of_missing = |row: u32, column: u32, style: &mut dyn FnMut(usize, Level) -> usize| cells.get(&(row, column)).map(|&level| style(0, level));
    for e in &all {
        match (e.local.as_str(), e.kind) {
            ("legacyDrawing", _) if e.depth == 1 => has_legacy_drawing = true,
            ("sheetData", Kind::Start) => in_sheet_data = true,
            ("sheetData", Kind::Empty) => {
                let rows = missing_rows(cells, &done, 0, u32::MAX, &prefix, &mut |r, c| new_cell(r, c, style_of_missing(r, c, &mut style).unwrap_or(0)));
                edits.push((e.start, e.end, format!("<{}>{rows}</{}>", e.qname, e.qname)));
                done.extend(cells.keys().copied());
            }
            ("sheetData", Kind::End) => {
                let rows = missing_rows(cells, &done, (last_row + 1) as u32, u32::MAX, &prefix, &mut |r, c| new_cell(r, c, style_of_missing(r, c, &mut style).unwrap_or(0)));
                edits.push((e.start, e.start, rows));
                done.extend(cells.keys().copied());
                in_sheet_data = false;
            }
            ("row", Kind::Start | Kind::Empty) if in_sheet_data && e.depth == 2 => {
                let r = e.attr("r").and_then(|r| r.parse::<u32>().ok()).map_or(last_row + 1, |r| i64::from(r) - 1);
                let r = r.max(0) as u32;
                // Rows with findings and no row of their own, above this one.
                let rows = missing_rows(cells, &done, (last_row + 1) as u32, r, &prefix, &mut |rr, c| new_cell(rr, c, style_of_missing(rr, c, &mut style).unwrap_or(0)));
                if !rows.is_empty() {
                    edits.push((e.start, e.start, rows));
                }
                done.extend(cells.keys().filter(|(rr, _)| i64::from(*rr) > last_row && *rr < r).copied());
                last_row = i64::from(r);
                column = -1;
                if e.kind == Kind::Empty {
                    let cells_here: String = cells.keys().filter(|(rr, _)| *rr == r).map(|&(rr, c)| new_cell(rr, c, style_of_missing(rr, c, &mut style).unwrap_or(0))).collect();
                    if !cells_here.is_empty() {
                        let open = xml[e.start..e.end].trim_end_matches("/>").trim_end().to_string();
                        edits.push((e.start, e.end, format!("{open}>{cells_here}</{}>", e.qname)));
                    }
                    done.extend(cells.keys().filter(|(rr, _)| *rr == r).copied());
                    row = None;
                } else {
                    row = Some(r);
                }
            }
            ("row", Kind::End) if in_sheet_data && e.depth == 2 => {
                if let Some(r) = row.take() {
                    let rest: String = cells.keys().filter(|&&(rr, c)| rr == r && !done.contains(&(rr, c))).map(|&(rr, c)| new_cell(rr, c, style_of_missing(rr, c, &mut style).unwrap_or(0))).collect();
                    edits.push((e.start, e.start, rest));
                    done.extend(cells.keys().filter(|(rr, _)| *rr == r).copied());
                }
            }
            ("c", Kind::Start | Kind::Empty) if e.depth == 3 => {
                let Some(r) = row else { continue };
                let c = e.attr("r").and_then(|a| crate::import::grid::parse_cell_address(&a)).map_or(column + 1, |(_, c)| c as i64);
                column = c;
                let c = c.max(0) as u32;
                // Cells with findings and none of their own, left of this one.
                let before: String =
                    cells.keys().filter(|&&(rr, cc)| rr == r && cc < c && !done.contains(&(rr, cc))).map(|&(rr, cc)| new_cell(rr, cc, style_of_missing(rr, cc, &mut style).unwrap_or(0))).collect();
                if !before.is_empty() {
                    edits.push((e.start, e.start, before));
                    done.extend(cells.keys().filter(|&&(rr, cc)| rr == r && cc < c).copied());
                }
                if let Some(&level) = cells.get(&(r, c)) {
                    let original = e.attr("s").and_then(|s| s.parse::<usize>().ok()).unwrap_or(0);
                    let s = style(original, level);
                    let tag = &xml[e.start..e.end];
                    let tag_end = tag.find('>').map_or(tag.len(), |i| i + 1);
                    edits.push((e.start, e.start + tag_end, with_attributes(&tag[..tag_end], &[("s", s.to_string())])));
                    done.insert((r, c));
                }
            }
            _ => {}
        }
    }
    if done.len() < cells.len() {
        return fail("シートのセルの一覧 (sheetData) が読めません", "the sheet's cells (sheetData) cannot be read");
    }
    edits.sort_by_key(|(start, end, _)| (std::cmp::Reverse(*start), std::cmp::Reverse(*end)));
    let mut xml = xml.to_string();
    // Insertions at one place keep their order: applied last first.
    for (start, end, text) in edits {
        xml.replace_range(start..end, &text);
    }
    Ok(EditedSheet { xml, has_legacy_drawing })
}

/// Rows `from..to` that have findings, written whole (`<row r="…">` with
/// the findings' empty cells).
fn missing_rows(cells: &BTreeMap<(u32, u32), Level>, done: &std::collections::BTreeSet<(u32, u32)>, from: u32, to: u32, prefix: &str, new_cell: &mut dyn FnMut(u32, u32) -> String) -> String {
    let mut out = String::new();
    let mut rows: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &(r, c) in cells.keys().filter(|&&(r, c)| r >= from && r < to && !done.contains(&(r, c))) {
        rows.entry(r).or_default().push(c);
    }
    for (r, columns) in rows {
        out.push_str(&format!("<{prefix}row r=\"{}\">", r + 1));
        for c in columns {
            out.push_str(&new_cell(r, c));
        }
        out.push_str(&format!("</{prefix}row>"));
    }
    out
}

/// The sheet with `<legacyDrawing>` for its comments, where the schema
/// puts it (before the elements that follow it, else at the end).
fn insert_legacy_drawing(xml: &str, rel_id: &str) -> Result<String, Failure> {
    const AFTER: [&str; 8] = ["legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"];
    let all = elements_where(xml.as_bytes(), &|_, depth| depth <= 1);
    let root = all.iter().find(|e| e.depth == 0 && e.kind != Kind::End);
    let prefix = root.map_or("", |r| r.qname.strip_suffix(r.local.as_str()).unwrap_or(""));
    let at = all.iter().find(|e| e.depth == 1 && e.kind != Kind::End && AFTER.contains(&e.local.as_str())).or_else(|| all.iter().find(|e| e.depth == 0 && e.kind == Kind::End));
    let Some(at) = at else {
        return fail("シートの XML が読めません", "the sheet's XML cannot be read");
    };
    let element = format!("<{prefix}legacyDrawing {}=\"{}\"/>", relationship_attribute(&all), escape(rel_id));
    let mut xml = xml.to_string();
    xml.insert_str(at.start, &element);
    Ok(xml)
}

/// `r:id` (the prefix the root element binds to the relationships
/// namespace), else `xmlns:pcr="…" pcr:id`.
fn relationship_attribute(all: &[Element]) -> String {
    let root = all.iter().find(|e| e.depth == 0 && e.kind != Kind::End);
    let bound = root.and_then(|r| r.attributes.iter().find(|(k, v)| k.starts_with("xmlns:") && v == REL_NS)).map(|(k, _)| k["xmlns:".len()..].to_string());
    match bound {
        Some(prefix) => format!("{prefix}:id"),
        None => format!("xmlns:pcr=\"{REL_NS}\" pcr:id"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Start,
    Empty,
    End,
}

/// An element's tag, where it is in the text.
#[derive(Debug, Clone)]
struct Element {
    kind: Kind,
    qname: String,
    local: String,
    depth: usize,
    /// The tag's byte range.
    start: usize,
    end: usize,
    attributes: Vec<(String, String)>,
}

impl Element {
    /// An attribute by its local name.
    fn attr(&self, name: &str) -> Option<String> {
        self.attributes.iter().find(|(k, _)| k == name || k.rsplit_once(':').is_some_and(|(_, l)| l == name)).map(|(_, v)| v.clone())
    }
}

/// Every tag of an XML text, with its place (the depth of an end tag is
/// its start's).
fn elements(xml: &[u8]) -> Vec<Element> {
    elements_where(xml, &|_, _| true)
}

/// The tags `keep(local name, depth)` wants (a sheet's rows and cells, not
/// its values and formulas: a large sheet is read without holding them).
fn elements_where(xml: &[u8], keep: &dyn Fn(&[u8], usize) -> bool) -> Vec<Element> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    let mut depth = 0usize;
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event_into(&mut buf);
        let end = reader.buffer_position() as usize;
        let (kind, e) = match event {
            Ok(Event::Start(e)) if !keep(e.local_name().as_ref().as_bytes(), depth) => {
                depth += 1;
                buf.clear();
                continue;
            }
            Ok(Event::Empty(e)) if !keep(e.local_name().as_ref().as_bytes(), depth) => {
                buf.clear();
                continue;
            }
            Ok(Event::Start(e)) => (Kind::Start, e.into_owned()),
            Ok(Event::Empty(e)) => (Kind::Empty, e.into_owned()),
            Ok(Event::End(e)) => {
                depth = depth.saturating_sub(1);
                if !keep(e.local_name().as_ref().as_bytes(), depth) {
                    buf.clear();
                    continue;
                }
                let qname = e.name().as_ref().to_string();
                let local = e.local_name().as_ref().to_string();
                out.push(Element { kind: Kind::End, qname, local, depth, start, end, attributes: Vec::new() });
                buf.clear();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        let qname = e.name().as_ref().to_string();
        let local = e.local_name().as_ref().to_string();
        let attributes = e.attributes().flatten().map(|a| (a.key.as_ref().to_string(), a.normalized_value(quick_xml::XmlVersion::default()).map(|v| v.into_owned()).unwrap_or_default())).collect();
        out.push(Element { kind, qname, local, depth, start, end, attributes });
        if kind == Kind::Start {
            depth += 1;
        }
        buf.clear();
    }
    out
}

/// A message as a cell comment shows it: Excel shows no Markdown, so each
/// `code` span (a name between backticks) is quoted instead, 「代表課」 in
/// Japanese, "代表課" in English; a backtick without its pair stays.
pub fn without_backticks(text: &str, lang: crate::diagnostics::Lang) -> String {
    let (open, close) = if lang == crate::diagnostics::Lang::Ja { ("「", "」") } else { ("\"", "\"") };
    crate::diagnostics::code_spans(text).into_iter().map(|(code, piece)| if code { format!("{open}{piece}{close}") } else { piece.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn comments_quote_names_instead_of_showing_backticks() {
        use crate::diagnostics::Lang;
        assert_eq!(super::without_backticks("施策 1-1-1 に `代表課` がありません", Lang::Ja), "施策 1-1-1 に 「代表課」 がありません");
        assert_eq!(super::without_backticks("`B` に直す", Lang::En), "\"B\" に直す");
        assert_eq!(super::without_backticks("a `b", Lang::Ja), "a `b");
    }

    use super::*;

    #[test]
    fn a_relationship_target_is_resolved_and_made_relative() {
        assert_eq!(resolve("xl/worksheets/_rels/sheet1.xml.rels", "../comments1.xml"), "xl/comments1.xml");
        assert_eq!(resolve("xl/_rels/workbook.xml.rels", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/_rels/workbook.xml.rels", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(relative("xl/worksheets/sheet1.xml", "xl/comments_plancheck1.xml"), "../comments_plancheck1.xml");
        assert_eq!(relative("xl/workbook.xml", "xl/worksheets/plancheck1.xml"), "worksheets/plancheck1.xml");
        assert_eq!(rels_of("xl/worksheets/sheet1.xml"), "xl/worksheets/_rels/sheet1.xml.rels");
    }

    #[test]
    fn attributes_are_replaced_or_added_in_the_start_tag_only() {
        assert_eq!(with_attributes(r#"<c r="A1" s="3" t="s">"#, &[("s", "9".into())]), r#"<c r="A1" s="9" t="s">"#);
        assert_eq!(with_attributes(r#"<c r="A1"/>"#, &[("s", "9".into())]), r#"<c r="A1" s="9"/>"#);
        assert_eq!(
            with_attributes(r#"<xf numFmtId="0" fillId="0"><alignment wrapText="1"/></xf>"#, &[("fillId", "5".into()), ("applyFill", "1".into())]),
            r#"<xf numFmtId="0" fillId="5" applyFill="1"><alignment wrapText="1"/></xf>"#
        );
        // `xfId` is not `fillId`'s neighbour by name.
        assert_eq!(with_attributes(r#"<xf xfId="0"/>"#, &[("Id", "1".into())]), r#"<xf xfId="0" Id="1"/>"#);
    }

    #[test]
    fn a_sheet_gets_its_cells_styled_and_missing_cells_and_rows_added_in_order() {
        let xml =
            r#"<worksheet xmlns="m"><sheetData><row r="2"><c r="A2" s="1"><v>1</v></c><c r="C2"><v>2</v></c></row><row r="4"/><row r="6"><c r="B6"/></row></sheetData><pageMargins/></worksheet>"#;
        let cells: BTreeMap<(u32, u32), Level> =
            [((1, 0), Level::Error), ((1, 1), Level::Warning), ((2, 3), Level::Info), ((3, 0), Level::Error), ((5, 4), Level::Error), ((8, 0), Level::Error)].into();
        let edited = edit_sheet(xml, &cells, |original, level| 100 + original * 10 + level as usize).unwrap();
        assert_eq!(
            edited.xml,
            r#"<worksheet xmlns="m"><sheetData><row r="2"><c r="A2" s="110"><v>1</v></c><c r="B2" s="101"/><c r="C2"><v>2</v></c></row><row r="3"><c r="D3" s="102"/></row><row r="4"><c r="A4" s="100"/></row><row r="6"><c r="B6"/><c r="E6" s="100"/></row><row r="9"><c r="A9" s="100"/></row></sheetData><pageMargins/></worksheet>"#
        );
        assert!(!edited.has_legacy_drawing);
        let with = insert_legacy_drawing(&edited.xml, "rId9").unwrap();
        assert!(with.ends_with(&format!(r#"<pageMargins/><legacyDrawing xmlns:pcr="{REL_NS}" pcr:id="rId9"/></worksheet>"#)), "{with}");
        let bound = insert_legacy_drawing(&format!(r#"<worksheet xmlns="m" xmlns:rel="{REL_NS}"><sheetData/></worksheet>"#), "rId2").unwrap();
        assert!(bound.contains(r#"<sheetData/><legacyDrawing rel:id="rId2"/></worksheet>"#), "the root's own prefix: {bound}");
        let before_tables = insert_legacy_drawing(r#"<x:worksheet xmlns:x="m"><x:sheetData/><x:tableParts count="1"/></x:worksheet>"#, "r").unwrap();
        assert!(before_tables.contains(r#"<x:legacyDrawing xmlns:pcr"#) && before_tables.find("legacyDrawing") < before_tables.find("tableParts"), "{before_tables}");
    }

    #[test]
    fn styles_gain_fills_and_formats_at_their_ends_and_keep_their_numbers() {
        let xml = r#"<styleSheet><fonts count="1"><font/></fonts><fills count="2"><fill/><fill/></fills><cellXfs count="2"><xf numFmtId="0" fillId="0"/><xf numFmtId="10" fontId="0" fillId="0" xfId="0"><alignment wrapText="1"/></xf></cellXfs></styleSheet>"#;
        let mut styles = Styles::read(Some(xml)).unwrap();
        assert_eq!(styles.highlighted(1, Level::Error), 2);
        assert_eq!(styles.highlighted(1, Level::Error), 2, "once per format and level");
        assert_eq!(styles.highlighted(0, Level::Warning), 3);
        let (written, created) = styles.write().unwrap();
        assert!(!created);
        assert_eq!(
            written,
            r#"<styleSheet><fonts count="1"><font/></fonts><fills count="4"><fill/><fill/><fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFEB9C"/><bgColor indexed="64"/></patternFill></fill></fills><cellXfs count="4"><xf numFmtId="0" fillId="0"/><xf numFmtId="10" fontId="0" fillId="0" xfId="0"><alignment wrapText="1"/></xf><xf numFmtId="10" fontId="0" fillId="2" xfId="0" applyFill="1"><alignment wrapText="1"/></xf><xf numFmtId="0" fillId="3" applyFill="1"/></cellXfs></styleSheet>"#
        );
    }

    #[test]
    fn findings_are_added_to_a_sheet_s_own_comments() {
        let xml = r#"<comments xmlns="m"><authors><author>山田</author></authors><commentList><comment ref="B2" authorId="0"><text><t>確認済み</t></text></comment></commentList></comments>"#;
        let (written, added) = add_to_comments(xml, &[((1, 1), "plancheck: a".to_string()), ((2, 0), "plancheck: b".to_string())]).unwrap();
        assert_eq!(added, [(2, 0)]);
        assert!(written.contains("<author>山田</author><author>plancheck</author>"), "{written}");
        assert!(written.contains("<t>確認済み</t><r><t xml:space=\"preserve\">\n\nplancheck: a</t></r></text>"), "{written}");
        assert_eq!(escape("a&<b>\"'\u{1}\n"), "a&amp;&lt;b&gt;&quot;&apos;\u{FFFD}\n");
        assert!(written.contains("<comment ref=\"A3\" authorId=\"1\">"), "{written}");
    }
}
