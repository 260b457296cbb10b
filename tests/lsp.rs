//! The language server end to end: the real binary over stdio, JSON-RPC.

#[path = "common/lsp_client.rs"]
mod lsp_client;

use lsp_client::{Client, uri};
use serde_json::{Value, json};
use std::io::Write;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_plancheck");

const PLAN: &str = "施策 1-1-1 健康づくり {\n  全体評価: A\n  代表課: 健康づくり課\n  指標 参加者数 {\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }\n  展開 𠮷野家😀の支援 {\n    成果: 𠮷野家😀と連携して健康づくり教室を開催した。\n    定性評価: 中\n  }\n}\n";
const OTHER: &str = "施策 1-1-2 地域医療 {\n  全体評価: B\n  代表課: 健康づくり課\n  次期課題: 𠮷野家😀と連携して健康づくり教室を開催した。\n}\n";

fn start_in(dir: &std::path::Path, encodings: &[&str]) -> (Client, Value) {
    let mut client = Client::start(BIN);
    let result = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(dir), "capabilities": {"general": {"positionEncodings": encodings}, "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}, "textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}}, "workspaceFolders": [{"uri": uri(dir), "name": "w"}]}),
    );
    client.notify("initialized", json!({}));
    (client, result)
}

#[test]
fn utf16_session_diagnostics_edits_hover_actions_formatting_symbols() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    std::fs::write(dir.join("other.plan"), OTHER).unwrap();
    std::fs::write(dir.join("a.plan"), PLAN).unwrap();
    let (mut client, init) = start_in(&dir, &["utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let a = uri(&dir.join("a.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": PLAN}}));

    let published = client.diagnostics(&a, |p| p["version"] == 1 && !p["diagnostics"].as_array().unwrap().is_empty());
    let diags = published["diagnostics"].as_array().unwrap();
    let rating = diags.iter().find(|d| d["code"] == "rating-mismatch").expect("rating-mismatch");
    assert_eq!(rating["range"], json!({"start": {"line": 6, "character": 10}, "end": {"line": 6, "character": 11}}));
    assert_eq!(rating["source"], "plancheck");
    // The 成果 copies the other file's 次期課題: UTF-16 ranges count 𠮷 and 😀 as two units each.
    let other = uri(&dir.join("other.plan"));
    let other_published = client.diagnostics(&other, |p| !p["diagnostics"].as_array().unwrap().is_empty());
    let dup = &other_published["diagnostics"][0];
    assert_eq!(dup["code"], "duplicate-text");
    let text = "𠮷野家😀と連携して健康づくり教室を開催した。";
    let units = text.encode_utf16().count() as u64;
    assert_eq!(dup["range"]["start"], json!({"line": 3, "character": 8}));
    assert_eq!(dup["range"]["end"]["character"], json!(8 + units));
    assert_eq!(dup["relatedInformation"][0]["location"]["uri"], a);
    assert_eq!(dup["relatedInformation"][0]["location"]["range"]["start"], json!({"line": 9, "character": 8}));

    // Hover on the indicator: the computed grade and the ratio.
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": a}, "position": {"line": 6, "character": 10}}));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("rating-mismatch") && value.contains("55.4%") && value.contains("**D**"), "{value}");

    // Hover on the 施策: its computed summaries.
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": a}, "position": {"line": 0, "character": 3}}));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("定量評価 (指標 1 件から): **低**") && value.contains("定性評価 (展開 1 件から): **中**"), "{value}");

    // The quick fix replaces the stated grade.
    let actions = client.request("textDocument/codeAction", json!({"textDocument": {"uri": a}, "range": rating["range"], "context": {"diagnostics": [rating]}}));
    let edit = &actions[0]["edit"]["changes"][&a][0];
    assert_eq!(edit["newText"], "D");
    assert_eq!(edit["range"], rating["range"]);
    let allow = actions.as_array().unwrap().iter().find(|a| a["title"] == "ここでは rating-mismatch を抑制する").expect("an allow action");
    let allow_edit = &allow["edit"]["changes"][&a][0];
    assert_eq!(allow_edit["newText"], "    # plancheck: allow(rating-mismatch)\n");
    assert_eq!(allow_edit["range"]["start"], json!({"line": 6, "character": 0}));

    // Go to definition / references between the copies; workspace symbols.
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": other, "languageId": "plan", "version": 1, "text": OTHER}}));
    client.diagnostics(&other, |p| p["version"] == 1);
    let definition = client.request("textDocument/definition", json!({"textDocument": {"uri": other}, "position": {"line": 3, "character": 10}}));
    assert_eq!(definition["uri"], a);
    assert_eq!(definition["range"]["start"], json!({"line": 9, "character": 8}));
    let references = client.request("textDocument/references", json!({"textDocument": {"uri": other}, "position": {"line": 3, "character": 10}, "context": {"includeDeclaration": true}}));
    assert_eq!(references.as_array().unwrap().len(), 2);
    let found = client.request("workspace/symbol", json!({"query": "１－１－２"}));
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["name"], "施策 1-1-2 地域医療");

    // Inlay hints: the computed grade beside the stated one.
    let hints = client.request("textDocument/inlayHint", json!({"textDocument": {"uri": a}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 13, "character": 0}}}));
    let labels: Vec<&str> = hints.as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["→ D (55.4%)"]);
    assert_eq!(hints[0]["position"], json!({"line": 6, "character": 11}));

    // Completion: values by key, keys by block.
    let values = client.request("textDocument/completion", json!({"textDocument": {"uri": a}, "position": {"line": 6, "character": 10}}));
    let labels: Vec<&str> = values.as_array().unwrap().iter().map(|c| c["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["A", "B", "C", "D", "-"]);
    let departments = client.request("textDocument/completion", json!({"textDocument": {"uri": a}, "position": {"line": 2, "character": 7}}));
    assert!(departments.as_array().unwrap().iter().any(|c| c["label"] == "健康づくり課"));

    // Incremental edits: insert before the astral characters, then apply the fix.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 9, "character": 8}, "end": {"line": 9, "character": 8}}, "text": "本年度、"},
            {"range": {"start": {"line": 6, "character": 10}, "end": {"line": 6, "character": 11}}, "text": "D"}
        ]}),
    );
    let published = client.diagnostics(&a, |p| p["version"] == 2);
    let codes: Vec<&str> = published["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(!codes.contains(&"rating-mismatch"), "{codes:?}");
    // The other file's copy is no longer a copy.
    client.diagnostics(&other, |p| p["diagnostics"].as_array().unwrap().iter().all(|d| d["code"] != "duplicate-text"));

    // Formatting: one edit to the canonical layout; symbols: the outline.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 2}}, "text": "      "}
        ]}),
    );
    let edits = client.request("textDocument/formatting", json!({"textDocument": {"uri": a}, "options": {"tabSize": 2, "insertSpaces": true}}));
    // Only the changed line is replaced.
    assert_eq!(edits, json!([{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 0}}, "newText": "  全体評価: A\n"}]));
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": a}}));
    assert_eq!(symbols[0]["name"], "施策 1-1-1 健康づくり");
    let children: Vec<&str> = symbols[0]["children"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(children, ["指標 参加者数", "展開 𠮷野家😀の支援"]);
    let folds = client.request("textDocument/foldingRange", json!({"textDocument": {"uri": a}}));
    assert!(folds.as_array().unwrap().iter().any(|f| f["startLine"] == 0 && f["endLine"] == 12));
    client.shutdown();
}

#[test]
fn utf8_is_used_when_offered_and_bad_requests_do_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let (mut client, init) = start_in(&dir, &["utf-8", "utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let a = uri(&dir.join("a.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": OTHER.replace("全体評価: B", "全体評価: E")}}));
    let published = client.diagnostics(&a, |p| p["version"] == 1);
    let invalid = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "invalid-value").unwrap().clone();
    // `  全体評価: ` is 2 + 12 + 2 bytes.
    assert_eq!(invalid["range"]["start"], json!({"line": 1, "character": 16}));
    // A 施策 without 代表課: an action adds the line.
    let b = uri(&dir.join("b.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": b, "languageId": "plan", "version": 1, "text": "施策 1-1-3 ｘ {\n  全体評価: Ｂ\n}\n"}}));
    let published = client.diagnostics(&b, |p| p["version"] == 1);
    let missing = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "missing-department").unwrap().clone();
    let actions = client.request("textDocument/codeAction", json!({"textDocument": {"uri": b}, "range": missing["range"], "context": {"diagnostics": [missing]}}));
    let add = actions.as_array().unwrap().iter().find(|a| a["title"] == "`代表課:` を追加").expect("add-department action");
    assert_eq!(add["edit"]["changes"][&b][0]["newText"], "  代表課: \n");
    assert_eq!(add["edit"]["changes"][&b][0]["range"]["start"], json!({"line": 2, "character": 0}));
    let width = actions.as_array().unwrap().iter().find(|a| a["kind"] == "source").expect("full-width action");
    assert_eq!(width["edit"]["changes"][&b][0]["newText"], "B");

    // Positions past the end, edits to unopened documents: answered or ignored.
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": a}, "position": {"line": 999, "character": 999}}));
    assert!(hover.is_null() || hover.is_object());
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri(&dir.join("never-opened.plan")), "version": 2}, "contentChanges": [{"text": "x"}]}));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 99, "character": 5}, "end": {"line": 0, "character": 1}}, "text": "施"}
        ]}),
    );
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": a}}));
    assert!(symbols.is_array());
    client.shutdown();
}

#[test]
fn files_changed_on_disk_and_config_reloads_are_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    std::fs::write(dir.join("a.plan"), "施策 1-1-1 a {\n  全体評価: A\n  代表課: 健康づくり課\n}\n").unwrap();
    let (mut client, _) = start_in(&dir, &["utf-16"]);
    let a = uri(&dir.join("a.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": "施策 1-1-1 a {\n  全体評価: A\n  代表課: 健康づくり課\n}\n"}}));
    client.diagnostics(&a, |p| p["version"] == 1 && p["diagnostics"].as_array().unwrap().is_empty());
    client.wait_for_registrations(1);
    assert_eq!(client.registrations, 1, "the server asked to watch files once");
    // Another file with the same ID appears on disk: a duplicate-id in it.
    let b_path = dir.join("b.plan");
    std::fs::write(&b_path, "施策 1-1-1 b {\n  全体評価: A\n  代表課: 健康づくり課\n}\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&b_path), "type": 1}]}));
    let b = uri(&b_path);
    let published = client.diagnostics(&b, |p| !p["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(published["diagnostics"][0]["code"], "duplicate-id");
    // A config that turns the rule off: reloaded.
    std::fs::write(dir.join("plancheck.toml"), "[rules]\nduplicate-id = \"off\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&dir.join("plancheck.toml")), "type": 1}]}));
    client.diagnostics(&b, |p| p["diagnostics"].as_array().unwrap().is_empty());
    // The file is deleted: its diagnostics stay cleared and nothing breaks.
    std::fs::remove_file(&b_path).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": b, "type": 3}]}));
    // (Nothing changed for a.plan, so it is not published again.)
    assert!(client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": a}})).is_array());
    client.shutdown();
}

#[test]
fn clients_without_hierarchical_symbols_get_a_flat_list() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut client = Client::start(BIN);
    client.request("initialize", json!({"processId": null, "rootUri": uri(&dir), "capabilities": {}}));
    client.notify("initialized", json!({}));
    let a = uri(&dir.join("a.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": PLAN}}));
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": a}}));
    let names: Vec<(&str, Option<&str>)> = symbols.as_array().unwrap().iter().map(|s| (s["name"].as_str().unwrap(), s["containerName"].as_str())).collect();
    assert_eq!(names, [("施策 1-1-1 健康づくり", None), ("指標 参加者数", Some("施策 1-1-1 健康づくり")), ("展開 𠮷野家😀の支援", Some("施策 1-1-1 健康づくり"))]);
    assert_eq!(symbols[0]["location"]["uri"], a);
    client.shutdown();
}

#[test]
fn malformed_messages_get_errors_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let (mut client, _) = start_in(&dir, &["utf-16"]);
    // Not JSON at all.
    let garbage = "{this is not json";
    write!(client.stdin, "Content-Length: {}\r\n\r\n{garbage}", garbage.len()).unwrap();
    client.stdin.flush().unwrap();
    // An unknown method and bad parameters: error responses, no crash.
    client.send(json!({"jsonrpc": "2.0", "id": 900, "method": "plancheck/noSuchThing", "params": {}}));
    client.send(json!({"jsonrpc": "2.0", "id": 901, "method": "textDocument/hover", "params": {"textDocument": 42}}));
    let mut errors = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while errors.len() < 2 && Instant::now() < deadline {
        let message = client.messages.recv_timeout(Duration::from_secs(20)).expect("answers");
        if message["id"] == 900 || message["id"] == 901 {
            assert!(message.get("error").is_some(), "{message}");
            errors.push(message["error"]["code"].as_i64().unwrap());
        }
    }
    assert_eq!(errors.len(), 2);
    assert!(errors.contains(&-32601), "method not found: {errors:?}");
    // A header without a length, then a normal request: still answered.
    write!(client.stdin, "Content-Type: nonsense\r\n\r\n").unwrap();
    client.stdin.flush().unwrap();
    // A large document (about 1 MB) opens and is checked; the server still answers.
    let big = plancheck_generate::plan(5, 1_000_000);
    let a = uri(&dir.join("big.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": big}}));
    client.diagnostics(&a, |p| p["version"] == 1);
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": a}}));
    assert!(symbols.as_array().unwrap().len() > 3);
    client.shutdown();
}

#[test]
fn editor_settings_override_severities_and_a_broken_config_is_shown_on_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut client = Client::start(BIN);
    // Settings as the VS Code extension sends them: rating-mismatch as an error,
    // and one setting that cannot be used (it is reported, the rest applies).
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&dir), "capabilities": {}, "initializationOptions": {"lang": "en", "rules": {"rating-mismatch": "error", "no-such-rule": "off"}}}),
    );
    client.notify("initialized", json!({}));
    let warning = client.notification("window/showMessage", |_| true);
    assert!(warning["message"].as_str().unwrap().contains("rules.no-such-rule: unknown rule"), "{warning}");
    assert!(warning["message"].as_str().unwrap().starts_with("plancheck: some settings were ignored"), "English: {warning}");
    let a = uri(&dir.join("a.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": PLAN}}));
    let published = client.diagnostics(&a, |p| p["version"] == 1);
    let rating = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "rating-mismatch").unwrap().clone();
    assert_eq!(rating["severity"], 1, "error, from the settings");
    assert!(rating["message"].as_str().unwrap().starts_with("stated grade C"), "English, from the settings: {}", rating["message"]);
    // The settings change: the rule becomes information, messages go back to Japanese.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"plancheck": {"lang": "ja", "rules": {"rating-mismatch": "info"}}}}));
    let published = client.diagnostics(&a, |p| p["diagnostics"][0]["severity"] == 3);
    assert!(published["diagnostics"][0]["message"].as_str().unwrap().starts_with("定量評価が C と記載"), "{published}");
    // A client that sends its own, empty settings changes nothing.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {}}));
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": 2}, "contentChanges": [{"text": PLAN}]}));
    let published = client.diagnostics(&a, |p| p["version"] == 2);
    assert_eq!(published["diagnostics"][0]["severity"], 3);
    // A broken plancheck.toml: an error on the file, at its line; the plan is
    // checked with the defaults meanwhile.
    let toml = dir.join("plancheck.toml");
    std::fs::write(&toml, "# 設定\n[rules]\nrating-mismatch = \"loud\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&toml), "type": 1}]}));
    let shown = client.diagnostics(&uri(&toml), |p| !p["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(shown["diagnostics"][0]["code"], "config-error");
    // Its docs link resolves, as every rule's does: a page in docs/rules.
    let href = shown["diagnostics"][0]["codeDescription"]["href"].as_str().expect("a docs link");
    let page = href.rsplit_once("/blob/main/").map(|(_, path)| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(href);
    assert!(page.is_file(), "{href} has no page ({})", page.display());
    assert!(shown["diagnostics"][0]["message"].as_str().unwrap().starts_with("plancheck.toml を読めない"), "Japanese, from the settings: {shown}");
    assert_eq!(shown["diagnostics"][0]["range"]["start"]["line"], 2);
    // Repaired: the error goes away.
    std::fs::write(&toml, "[rules]\nrating-mismatch = \"info\"\n").unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&toml), "type": 2}]}));
    client.diagnostics(&uri(&toml), |p| p["diagnostics"].as_array().unwrap().is_empty());
    client.shutdown();
}

#[test]
fn an_unsaved_untitled_buffer_is_checked_and_answered_under_its_uri() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    // The workspace's config applies to unsaved buffers: rating-mismatch as an error.
    std::fs::write(dir.join("plancheck.toml"), "[rules]\nrating-mismatch = \"error\"\n").unwrap();
    std::fs::write(dir.join("other.plan"), OTHER).unwrap();
    let (mut client, _) = start_in(&dir, &["utf-16"]);
    let untitled = "untitled:Untitled-1";
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": untitled, "languageId": "plan", "version": 1, "text": PLAN}}));
    // The whole workspace is in: the buffer's 成果 copies other.plan's 次期課題.
    let has = |p: &Value, code: &str| p["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == code);
    let published = client.diagnostics(untitled, |p| p["version"] == 1 && has(p, "duplicate-text"));
    let rating = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "rating-mismatch").unwrap().clone();
    assert_eq!(rating["severity"], 1, "the workspace's plancheck.toml applies");
    let copy = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "duplicate-text").unwrap().clone();
    assert_eq!(copy["relatedInformation"][0]["location"]["uri"], uri(&dir.join("other.plan")));
    // From the copy in other.plan, references lead back to the buffer by its URI.
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri(&dir.join("other.plan")), "languageId": "plan", "version": 1, "text": OTHER}}));
    client.diagnostics(&uri(&dir.join("other.plan")), |p| p["version"] == 1);
    let position = json!({"line": 3, "character": 12});
    let references = client.request("textDocument/references", json!({"textDocument": {"uri": uri(&dir.join("other.plan"))}, "position": position, "context": {"includeDeclaration": true}}));
    assert!(references.as_array().is_some_and(|r| r.iter().any(|l| l["uri"] == untitled)), "{references}");
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": untitled}, "position": {"line": 6, "character": 10}}));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("55.4%"));
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": untitled}}));
    client.diagnostics(untitled, |p| p["diagnostics"].as_array().unwrap().is_empty());
    client.shutdown();
}

#[test]
fn the_stdio_flag_that_clients_add_is_accepted() {
    let mut client = Client::start_with(BIN, &["lsp", "--stdio"]);
    let result = client.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    assert_eq!(result["serverInfo"]["name"], "plancheck");
    client.shutdown();
}

// --- issue 14, files on disk ---

#[cfg(unix)]
#[test]
fn a_fifo_in_the_workspace_neither_stops_the_scan_nor_hangs_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    std::fs::write(dir.join("disk.plan"), PLAN).unwrap();
    let fifo = dir.join("pipe.plan");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let (mut client, _) = start_in(&dir, &["utf-16"]);
    // The scan got past the FIFO: the file on disk, never opened, is checked.
    let disk = uri(&dir.join("disk.plan"));
    let published = client.diagnostics(&disk, |p| !p["diagnostics"].as_array().unwrap().is_empty());
    assert!(published["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "rating-mismatch"), "{published}");
    // Saved, or changed on disk: a FIFO is not read (it would never end),
    // nor /dev/stdin (the server's own input).
    let pipe = uri(&fifo);
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": pipe}}));
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": pipe, "type": 2}, {"uri": "file:///dev/stdin", "type": 2}, {"uri": "file:///dev/zero", "type": 1}]}));
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": "file:///dev/stdin"}}));
    // The server still answers, with the real file's symbols.
    let found = client.request("workspace/symbol", json!({"query": "1-1-1"}));
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    client.shutdown();
}

// --- issue 14, language server ---

/// A session in an empty folder, started with extra environment variables.
fn start_env(dir: &std::path::Path, env: &[(&str, &str)]) -> Client {
    let mut client = Client::start_with_env(BIN, &["lsp"], env);
    client.request("initialize", json!({"processId": null, "rootUri": uri(dir), "capabilities": {}, "workspaceFolders": [{"uri": uri(dir), "name": "w"}]}));
    client.notify("initialized", json!({}));
    client
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
}

/// A document the test hook makes a handler panic on (see `PLANCHECK_TEST_PANIC` in crates/plancheck_server/src/lib.rs).
fn with_panic_marker(text: &str) -> String {
    format!("# plancheck-test-panic\n{text}")
}

#[test]
fn a_panicking_request_or_notification_handler_is_answered_with_an_error_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut client = start_env(&dir, &[("PLANCHECK_TEST_PANIC", "hover,didChange")]);
    let a = uri(&dir.join("a.plan"));
    let text = with_panic_marker(PLAN);
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": text}}));
    client.diagnostics(&a, |p| p["version"] == 1);
    // The hover handler panics: an InternalError answer, and a log line.
    let hover = json!({"textDocument": {"uri": a}, "position": {"line": 7, "character": 10}});
    client.send(json!({"jsonrpc": "2.0", "id": 500, "method": "textDocument/hover", "params": hover}));
    let answer = client.response(json!(500));
    assert_eq!(answer["error"]["code"], -32603, "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("textDocument/hover"), "{answer}");
    client.notification("window/logMessage", |p| p["type"] == 1 && p["message"].as_str().unwrap().contains("textDocument/hover"));
    // The session goes on; even the same id can be used again.
    client.send(json!({"jsonrpc": "2.0", "id": 500, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": a}}}));
    let answer = client.response(json!(500));
    assert_eq!(answer["result"][0]["name"], "施策 1-1-1 健康づくり", "{answer}");
    // A notification handler panics (after applying the change): logged, and later edits are checked.
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": 2}, "contentChanges": [{"text": with_panic_marker(&PLAN.replace("定量評価: C", "定量評価: D"))}]}));
    client.notification("window/logMessage", |p| p["type"] == 1 && p["message"].as_str().unwrap().contains("textDocument/didChange"));
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": 3}, "contentChanges": [{"text": PLAN}]}));
    let published = client.diagnostics(&a, |p| p["version"] == 3);
    assert!(codes(&published).contains(&"rating-mismatch".to_string()), "{published}");
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": a}, "position": {"line": 6, "character": 10}}));
    assert!(hover["contents"]["value"].as_str().unwrap().contains("55.4%"), "{hover}");
    client.shutdown();
}

#[test]
fn a_panicking_check_is_told_once_and_later_edits_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut client = start_env(&dir, &[("PLANCHECK_TEST_PANIC", "analysis")]);
    let a = uri(&dir.join("a.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": with_panic_marker(PLAN)}}));
    let shown = client.notification("window/showMessage", |_| true);
    assert_eq!(shown["type"], 1, "{shown}");
    assert!(shown["message"].as_str().unwrap().contains("内部エラー"), "{shown}");
    // The next edit is checked.
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": 2}, "contentChanges": [{"text": PLAN}]}));
    let published = client.diagnostics(&a, |p| p["version"] == 2);
    assert!(codes(&published).contains(&"rating-mismatch".to_string()), "{published}");
    // Again: logged, not shown a second time; and checked again after.
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": 3}, "contentChanges": [{"text": with_panic_marker(PLAN)}]}));
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": 4}, "contentChanges": [{"text": PLAN}]}));
    let seen = client.collect_until(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 4);
    assert!(seen.iter().all(|m| m["method"] != "window/showMessage"), "{seen:?}");
    client.shutdown();
}

/// Sends one frame with this body, as bytes.
fn frame(body: &[u8]) -> Vec<u8> {
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

#[test]
fn hostile_frames_are_answered_or_skipped_and_the_server_keeps_answering() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut client = start_env(&dir, &[]);
    let symbols = json!({"jsonrpc": "2.0", "id": 1000, "method": "workspace/symbol", "params": {"query": ""}}).to_string();
    let mut deep = b"{\"jsonrpc\":\"2.0\",\"id\":35,\"method\":\"workspace/symbol\",\"params\":".to_vec();
    deep.extend(b"[".repeat(200));
    deep.extend(b"]".repeat(200));
    deep.push(b'}');
    let skipped: Vec<Vec<u8>> = vec![
        frame(b"{}"),
        frame(b"[]"),
        frame(b"123"),
        frame(b"null"),
        frame(br#"{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}"#),
        frame(br#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#),
        frame(br#"{"jsonrpc":"2.0","id":18446744073709551616,"method":"shutdown"}"#),
        frame(&b"[".repeat(100_000)),
        frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{\"x\":\"\xff\"}}"),
        b"Content-Length: \xff\xfe\r\n\r\n".to_vec(),
        b"Content-Type: text/plain\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}".to_vec(),
        b"Content-Length: abc\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}".to_vec(),
        // A Content-Length shorter than the body: the rest is garbage to skip.
        b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}".to_vec(),
    ];
    for (i, bytes) in skipped.iter().enumerate() {
        let mut bytes = bytes.clone();
        bytes.extend(frame(symbols.replace("1000", &(1000 + i).to_string()).as_bytes()));
        client.send_raw(&bytes);
        let answer = client.response(json!(1000 + i));
        assert!(answer.get("error").is_none() && answer.get("result").is_some(), "after hostile frame {i}: {answer}");
    }
    // Invalid requests with a usable id: an error answer each (and no shutdown).
    let answered: Vec<(Vec<u8>, i64, i64)> = vec![
        (frame(br#"{"jsonrpc":"1.0","id":31,"method":"shutdown"}"#), 31, -32600),
        (frame(b"{\"jsonrpc\":\"2.0\",\"id\":32,\"method\":\"workspace/symbol\",\"params\":{\"query\":\"\xff\"}}"), 32, -32700),
        (frame(br#"[{"jsonrpc":"2.0","id":33,"method":"shutdown"},{"jsonrpc":"2.0","method":"exit"}]"#), 33, -32600),
        (frame(br#"{"jsonrpc":"2.0","id":34,"method":7}"#), 34, -32600),
        (frame(&deep), 35, -32600),
    ];
    for (bytes, id, code) in answered {
        client.send_raw(&bytes);
        let answer = client.response(json!(id));
        assert_eq!(answer["error"]["code"], code, "{answer}");
        client.request("workspace/symbol", json!({"query": ""}));
    }
    // A Content-Length longer than the body, the next frame right after it: both answered.
    let request = |id: i64| json!({"jsonrpc": "2.0", "id": id, "method": "workspace/symbol", "params": {"query": ""}}).to_string();
    let mut bytes = format!("Content-Length: {}\r\n\r\n{}", request(40).len() + 50, request(40)).into_bytes();
    bytes.extend(frame(request(41).as_bytes()));
    client.send_raw(&bytes);
    assert!(client.response(json!(40)).get("result").is_some());
    assert!(client.response(json!(41)).get("result").is_some());
    // ... and with nothing after it: answered all the same.
    client.send_raw(format!("Content-Length: {}\r\n\r\n{}", request(42).len() + 50, request(42)).as_bytes());
    assert!(client.response(json!(42)).get("result").is_some());
    client.shutdown();
}

#[test]
fn a_64_mib_header_line_is_skipped_without_being_kept() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut client = start_env(&dir, &[]);
    client.request("workspace/symbol", json!({"query": ""}));
    let before = client.resident_bytes();
    let line = vec![b'x'; 64 << 20];
    for chunk in line.chunks(1 << 20) {
        client.send_raw(chunk);
    }
    client.send_raw(b"\r\n\r\n");
    client.request("workspace/symbol", json!({"query": ""}));
    if let (Some(before), Some(after)) = (before, client.resident_bytes()) {
        assert!(after < before + (16 << 20), "resident {before} → {after} bytes");
    }
    // Glued to a header with no line end in between, too.
    client.send_raw(&vec![b'y'; 1 << 20]);
    client.request("workspace/symbol", json!({"query": ""}));
    client.shutdown();
}

#[test]
fn a_cancellation_for_an_id_not_in_flight_cancels_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut client = start_env(&dir, &[]);
    // The cancellation comes first, the request with that id right after it.
    let mut bytes = frame(json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 77}}).to_string().as_bytes());
    bytes.extend(frame(json!({"jsonrpc": "2.0", "id": 77, "method": "workspace/symbol", "params": {"query": ""}}).to_string().as_bytes()));
    client.send_raw(&bytes);
    let answer = client.response(json!(77));
    assert!(answer.get("error").is_none() && answer.get("result").is_some(), "{answer}");
    // A cancellation of a request answered already changes nothing either.
    client.send(json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 77}}));
    client.send(json!({"jsonrpc": "2.0", "id": 77, "method": "workspace/symbol", "params": {"query": ""}}));
    assert!(client.response(json!(77)).get("error").is_none());
    client.shutdown();
}

#[test]
fn exit_without_shutdown_exits_with_status_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut client = start_env(dir.path(), &[]);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit().code(), Some(1));
    // After shutdown: 0 (`Client::shutdown` asserts success).
    let client = start_env(dir.path(), &[]);
    client.shutdown();
}

#[test]
fn a_file_from_outside_the_workspace_leaves_it_when_closed() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let outside = outside.path().canonicalize().unwrap();
    let text = "施策 1-1-1 a {\n  全体評価: A\n  代表課: 健康づくり課\n}\n";
    std::fs::write(dir.join("a.plan"), text).unwrap();
    std::fs::write(outside.join("b.plan"), text).unwrap();
    let (mut client, _) = start_in(&dir, &["utf-16"]);
    let a = uri(&dir.join("a.plan"));
    let b = uri(&outside.join("b.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": text}}));
    client.diagnostics(&a, |p| p["version"] == 1 && p["diagnostics"].as_array().unwrap().is_empty());
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": b, "languageId": "plan", "version": 1, "text": text}}));
    // The later of the two in path order gets the finding.
    let seen = client.collect_until(|m| m["method"] == "textDocument/publishDiagnostics" && codes(&m["params"]) == ["duplicate-id"]);
    let flagged = seen.last().unwrap()["params"]["uri"].as_str().unwrap().to_string();
    client.notify("textDocument/didSave", json!({"textDocument": {"uri": b}}));
    client.notify("textDocument/didClose", json!({"textDocument": {"uri": b}}));
    client.diagnostics(&flagged, |p| p["diagnostics"].as_array().unwrap().is_empty());
    let symbols = client.request("workspace/symbol", json!({"query": ""}));
    assert!(symbols.as_array().unwrap().iter().all(|s| s["location"]["uri"] == a), "{symbols}");
    client.shutdown();
}

#[test]
fn an_english_session_speaks_english_and_settings_change_only_what_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let mut client = Client::start(BIN);
    client.request("initialize", json!({"processId": null, "rootUri": uri(&dir), "capabilities": {}, "initializationOptions": {"lang": "en", "rules": {"rating-mismatch": "error"}}}));
    client.notify("initialized", json!({}));
    let a = uri(&dir.join("a.plan"));
    let text = PLAN.replace("  代表課: 健康づくり課\n", "  代表課: 健康づくり課\n  定量評価: 低\n  定性評価: 中\n");
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": text}}));
    client.diagnostics(&a, |p| p["version"] == 1);
    let hints = client.request("textDocument/inlayHint", json!({"textDocument": {"uri": a}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 20, "character": 0}}}));
    let labels: Vec<&str> = hints.as_array().unwrap().iter().map(|h| h["label"].as_str().unwrap()).collect();
    assert!(labels.iter().any(|l| l.contains("average")) && labels.iter().all(|l| !l.contains('平')), "{labels:?}");
    // Completion details: 全体評価's values, then the keys of a 施策.
    let values = client.request("textDocument/completion", json!({"textDocument": {"uri": a}, "position": {"line": 1, "character": 8}}));
    assert!(values.as_array().unwrap().iter().all(|c| c["detail"] == "grade"), "{values}");
    let keys = client.request("textDocument/completion", json!({"textDocument": {"uri": a}, "position": {"line": 3, "character": 2}}));
    let details: Vec<&str> = keys.as_array().unwrap().iter().map(|c| c["detail"].as_str().unwrap()).collect();
    assert!(!details.is_empty() && details.iter().all(|d| d.is_ascii()), "{details:?}");
    // Settings with only `rules`: the language stays English.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"plancheck": {"rules": {"rating-mismatch": "info"}}}}));
    let published = client.diagnostics(&a, |p| p["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "rating-mismatch" && d["severity"] == 3));
    let rating = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "rating-mismatch").unwrap().clone();
    assert!(rating["message"].as_str().unwrap().starts_with("stated grade C"), "{rating}");
    // Settings with only `lang`: the rule overrides stay.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"plancheck": {"lang": "ja"}}}));
    let published = client.diagnostics(&a, |p| p["diagnostics"].as_array().unwrap().iter().any(|d| d["message"].as_str().unwrap().starts_with("定量評価が C と記載")));
    let rating = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "rating-mismatch").unwrap().clone();
    assert_eq!(rating["severity"], 3, "{rating}");
    client.shutdown();
}

#[test]
fn hover_and_definition_use_findings_only_from_an_analysis_of_the_current_text() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    // The check of the second text panics (test hook): the latest analysis stays the first's.
    let mut client = start_env(&dir, &[("PLANCHECK_TEST_PANIC", "analysis")]);
    let a = uri(&dir.join("a.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": PLAN}}));
    client.diagnostics(&a, |p| p["version"] == 1);
    let at = json!({"textDocument": {"uri": a}, "position": {"line": 6, "character": 10}});
    let hover = client.request("textDocument/hover", at.clone());
    assert!(hover["contents"]["value"].as_str().unwrap().contains("rating-mismatch"), "{hover}");
    // The grade is corrected (same offsets); that text's check does not come.
    let fixed = format!("{}# plancheck-test-panic\n", PLAN.replace("定量評価: C", "定量評価: D"));
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": 2}, "contentChanges": [{"text": fixed}]}));
    client.notification("window/showMessage", |_| true);
    let hover = client.request("textDocument/hover", at.clone());
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(!value.contains("rating-mismatch") && value.contains("55.4%"), "{value}");
    client.shutdown();
}

#[test]
fn an_edit_publishes_only_the_documents_whose_findings_changed() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    let count = 2_000;
    // Each file has a finding of its own (no 代表課), none shared.
    for i in 0..count {
        std::fs::write(dir.join(format!("f{i:04}.plan")), format!("施策 1-1-{} 施策{i} {{\n  全体評価: A\n}}\n", i + 1)).unwrap();
    }
    let mut client = start_env(&dir, &[]);
    let seen = std::cell::RefCell::new(std::collections::HashSet::new());
    client.collect_until(|m| {
        if m["method"] == "textDocument/publishDiagnostics" {
            seen.borrow_mut().insert(m["params"]["uri"].as_str().unwrap().to_string());
        }
        seen.borrow().len() == count
    });
    let a = uri(&dir.join("f0000.plan"));
    let text = std::fs::read_to_string(dir.join("f0000.plan")).unwrap();
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": text}}));
    client.diagnostics(&a, |p| p["version"] == 1);
    // Two edits, each checked (the second after the first's diagnostics).
    let mut published = Vec::new();
    for (version, line) in [(2, "  代表課: 健康づくり課\n"), (3, "  代表課: 健康づくり課\n  備考: メモ\n")] {
        let edited = text.replace("  全体評価: A\n", &format!("  全体評価: A\n{line}"));
        client.notify("textDocument/didChange", json!({"textDocument": {"uri": a, "version": version}, "contentChanges": [{"text": edited}]}));
        published.extend(client.collect_until(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == a && m["params"]["version"] == version));
    }
    let others: Vec<&Value> = published.iter().filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] != a).collect();
    assert!(others.is_empty(), "{} other documents published again: {:?}", others.len(), others.first());
    client.shutdown();
}

#[test]
fn a_repetitive_document_with_thousands_of_findings_is_published_without_a_copy_per_place() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    // 2 MB: 5,600 施策 with the same 成果 (duplicate-text with related places) and a wrong grade.
    let mut text = String::new();
    for i in 1..=5_600 {
        text.push_str(&format!("施策 1-1-{i} 健康づくり{i} {{\n  全体評価: A\n  代表課: 健康づくり課\n  指標 参加者数 {{\n    実績: 5,900人\n    目標: 10,650人\n    定量評価: C\n  }}\n  展開 支援 {{\n    成果: 地域と連携して健康づくり教室を開催し、多くの市民が参加した。次年度も継続する。\n    定性評価: 中\n  }}\n}}\n"));
    }
    let mut client = start_env(&dir, &[]);
    let a = uri(&dir.join("a.plan"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": text}}));
    let published = client.diagnostics(&a, |p| p["version"] == 1);
    let diagnostics = published["diagnostics"].as_array().unwrap();
    // duplicate-text points each copy to the first, previous and next one
    // (the engine bounds the list): still thousands of places to convert.
    let related: usize = diagnostics.iter().map(|d| d["relatedInformation"].as_array().map_or(0, Vec::len)).sum();
    assert!(related > 10_000, "{related}");
    assert!(diagnostics.iter().all(|d| d["relatedInformation"].as_array().map_or(0, Vec::len) <= plancheck::diagnostics::MAX_RELATED), "bounded related lists");
    // Every position right (the sweep): the last 施策's wrong grade.
    let last = diagnostics.iter().filter(|d| d["code"] == "rating-mismatch").max_by_key(|d| d["range"]["start"]["line"].as_u64()).unwrap();
    assert_eq!(last["range"]["start"], json!({"line": 5_600 * 13 - 7, "character": 10}));
    // The JSON of these diagnostics is about 45 MB; turned into a serde_json
    // tree before writing (tower-lsp-server's way), it took 630 MB at the peak.
    if let Some(peak) = client.peak_resident_bytes() {
        assert!(peak < 400 << 20, "peak resident {} MiB", peak >> 20);
    }
    client.shutdown();
}

// --- issue 14, the lead: fix applicability in the editor ---

#[test]
fn a_finding_links_to_its_rule_page_under_its_file_s_docs_url() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    std::fs::create_dir(dir.join("intra")).unwrap();
    std::fs::write(dir.join("intra/plancheck.toml"), "docs-url = \"https://intra.example.jp/plancheck/rules\"\n").unwrap();
    let (a, b) = (uri(&dir.join("a.plan")), uri(&dir.join("intra/b.plan")));
    std::fs::write(dir.join("a.plan"), PLAN).unwrap();
    std::fs::write(dir.join("intra/b.plan"), PLAN.replace("1-1-1", "1-1-2")).unwrap();
    let (mut client, _) = start_in(&dir, &["utf-16"]);
    for (file, expected) in [(&a, "https://github.com/plancheck/plancheck/blob/main/docs/rules/rating-mismatch.md"), (&b, "https://intra.example.jp/plancheck/rules/rating-mismatch.md")] {
        let text = if file == &a { PLAN.to_string() } else { PLAN.replace("1-1-1", "1-1-2") };
        client.notify("textDocument/didOpen", json!({"textDocument": {"uri": file, "languageId": "plan", "version": 1, "text": text}}));
        let published = client.diagnostics(file, |p| p["version"] == 1 && p["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "rating-mismatch"));
        let rating = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "rating-mismatch").unwrap().clone();
        assert_eq!(rating["codeDescription"]["href"], expected, "{file}");
    }
    client.shutdown();
}

#[test]
fn a_guessed_fix_is_offered_but_not_preferred_and_an_exact_one_is_preferred() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path().canonicalize().unwrap();
    std::fs::write(dir.join("plancheck.toml"), "departments = [\"都市計画課\"]\n").unwrap();
    // 都市整備課 is not 都市計画課 (the closest known name: a guess); the
    // stated C of 55.4% is D (exact).
    let text = PLAN.replace("健康づくり課", "都市整備課");
    let a = uri(&dir.join("a.plan"));
    std::fs::write(dir.join("a.plan"), &text).unwrap();
    let (mut client, _) = start_in(&dir, &["utf-16"]);
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": a, "languageId": "plan", "version": 1, "text": text}}));
    let published = client.diagnostics(&a, |p| p["version"] == 1 && p["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "unknown-department"));
    let find = |code: &str| published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == code).unwrap().clone();
    for (code, preferred) in [("unknown-department", false), ("rating-mismatch", true)] {
        let finding = find(code);
        let actions = client.request("textDocument/codeAction", json!({"textDocument": {"uri": a}, "range": finding["range"], "context": {"diagnostics": [finding]}}));
        let fix = actions.as_array().unwrap().iter().find(|x| x["edit"]["changes"][&a][0]["range"] == finding["range"]).unwrap_or_else(|| panic!("{code}: a fix is offered: {actions}"));
        assert_eq!(fix["isPreferred"], json!(preferred), "{code}: {fix}");
    }
    client.shutdown();
}
