//! The rows and columns an `.xlsx` sheet hides (`<col hidden="1">`,
//! `<row hidden="1">`), which calamine does not report, and its merged
//! ranges (`<mergeCell ref="A4:A9"/>`): read from the sheet's XML in one
//! pass, found through the workbook's relationships. A hidden column
//! (staff names and extensions beside the table) is never imported unless
//! asked, and never exported.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufReader, Read, Seek};

/// A sheet's hidden rows and columns, 0-based, and its merged ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    pub rows: BTreeSet<u32>,
    pub columns: BTreeSet<u32>,
    pub merges: Vec<super::grid::Merge>,
}

impl Hidden {
    pub fn hides(&self, row: u32, column: u32) -> bool {
        self.rows.contains(&row) || self.columns.contains(&column)
    }
}

/// Each sheet's hidden rows and columns and merged ranges, by sheet name
/// (a sheet that has none, or whose XML cannot be found, is absent), and
/// the sheets `check --annotate` added to the workbook: those whose part is
/// `xl/worksheets/plancheck<N>.xml` (a sheet the user named so is theirs).
/// `zip` is the workbook.
pub fn layouts_by_sheet<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, limit: u64) -> (HashMap<String, Hidden>, Vec<String>) {
    let mut found = HashMap::new();
    let mut findings = Vec::new();
    let (Some(workbook), Some(relations)) = (read_part(zip, "xl/workbook.xml", limit), read_part(zip, "xl/_rels/workbook.xml.rels", limit)) else { return (found, findings) };
    for (name, part) in sheet_parts(&workbook, &relations) {
        if is_findings_part(&part) {
            findings.push(name.clone());
        }
        let Some(xml) = read_part(zip, &part, limit) else { continue };
        let hidden = hidden_in(&xml);
        if !hidden.rows.is_empty() || !hidden.columns.is_empty() || !hidden.merges.is_empty() {
            found.insert(name, hidden);
        }
    }
    (found, findings)
}

/// `xl/worksheets/plancheck1.xml`: the part of a findings sheet.
pub fn is_findings_part(part: &str) -> bool {
    part.strip_prefix("xl/worksheets/plancheck").and_then(|rest| rest.strip_suffix(".xml")).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Each sheet's name and part (`xl/worksheets/sheet1.xml`), in the
/// workbook's order, from `xl/workbook.xml` and its relationships.
pub fn sheet_parts(workbook: &[u8], relations: &[u8]) -> Vec<(String, String)> {
    // r:id → target part.
    let mut targets = HashMap::new();
    for (_, attributes) in elements(relations, b"Relationship") {
        if let (Some(id), Some(target)) = (attributes.get("Id"), attributes.get("Target")) {
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            targets.insert(id.clone(), path);
        }
    }
    let mut parts = Vec::new();
    for (_, attributes) in elements(workbook, b"sheet") {
        let (Some(name), Some(id)) = (attributes.get("name"), attributes.iter().find(|(k, _)| k.ends_with(":id") || *k == "id").map(|(_, v)| v)) else { continue };
        if let Some(part) = targets.get(id) {
            parts.push((name.clone(), part.clone()));
        }
    }
    parts
}

/// The hidden rows and columns and the merged ranges a sheet's XML declares.
pub fn hidden_in(xml: &[u8]) -> Hidden {
    let mut hidden = Hidden::default();
    let is_hidden = |a: &HashMap<String, String>| a.get("hidden").is_some_and(|v| v == "1" || v == "true");
    for (tag, attributes) in elements(xml, b"") {
        match tag.as_slice() {
            b"col" if is_hidden(&attributes) => {
                let number = |key: &str| attributes.get(key).and_then(|v| v.parse::<u32>().ok());
                if let (Some(min), Some(max)) = (number("min"), number("max")) {
                    // 1-based, inclusive; at most Excel's 16,384 columns.
                    hidden.columns.extend(min.saturating_sub(1)..max.min(16_384));
                }
            }
            b"row" if is_hidden(&attributes) => {
                if let Some(r) = attributes.get("r").and_then(|v| v.parse::<u32>().ok()).filter(|&r| r >= 1) {
                    hidden.rows.insert(r - 1);
                }
            }
            b"mergeCell" => {
                if let Some(merge) = attributes.get("ref").and_then(|r| super::grid::Merge::of_ref(r)) {
                    hidden.merges.push(merge);
                }
            }
            _ => {}
        }
    }
    hidden
}

fn read_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str, limit: u64) -> Option<Vec<u8>> {
    let entry = zip.by_name(name).ok()?;
    let mut bytes = Vec::new();
    entry.take(limit).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The start (or empty) elements named `tag` (any, when empty), with their
/// attributes, local names as keys.
fn elements(xml: &[u8], tag: &[u8]) -> Vec<(Vec<u8>, HashMap<String, String>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(xml));
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = e.local_name().as_ref().as_bytes().to_vec();
                if tag.is_empty() && (name == b"col" || name == b"row" || name == b"mergeCell") || !tag.is_empty() && name == tag {
                    let attributes =
                        e.attributes().flatten().map(|a| (a.key.as_ref().to_string(), a.normalized_value(quick_xml::XmlVersion::default()).map(|v| v.into_owned()).unwrap_or_default())).collect();
                    out.push((name, attributes));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_and_column_ranges_are_read() {
        let xml = br#"<worksheet><cols><col min="2" max="2" width="9"/><col min="4" max="5" hidden="1"/></cols><sheetData><row r="1"><c r="A1"/></row><row r="3" hidden="1"/><row r="4" hidden="0"/></sheetData><mergeCells count="2"><mergeCell ref="A4:B9"/><mergeCell ref="AA10:AB10"/><mergeCell ref="nonsense"/></mergeCells></worksheet>"#;
        let hidden = hidden_in(xml);
        let merge = |first_row, first_column, last_row, last_column| super::super::grid::Merge { first_row, first_column, last_row, last_column };
        assert_eq!(hidden.merges, [merge(3, 0, 8, 1), merge(9, 26, 9, 27)]);
        assert_eq!(hidden.columns.iter().copied().collect::<Vec<_>>(), [3, 4]);
        assert_eq!(hidden.rows.iter().copied().collect::<Vec<_>>(), [2]);
        assert!(hidden.hides(2, 0) && hidden.hides(0, 4) && !hidden.hides(0, 1));
    }
}
