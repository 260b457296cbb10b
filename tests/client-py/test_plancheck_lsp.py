"""A second, independent client for `plancheck lsp`, on pytest-lsp (pygls).

Every expectation is computed here, from the file text, in Python: positions
are found by searching the text and converted to the negotiated encoding
(UTF-16 code units or UTF-8 bytes) with Python's own codecs, never by asking
the server. Run through run.sh (or set PLANCHECK_BIN to the binary).
"""

from __future__ import annotations

import asyncio
import os
import pathlib
import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pygls.protocol import default_converter
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
EXAMPLE = REPO / "examples" / "isesaki"
BIN = pathlib.Path(os.environ.get("PLANCHECK_BIN") or REPO / "target" / "debug" / "plancheck").resolve()

# Every wait is bounded: a server that hangs fails the test instead of the run.
TIMEOUT = 30.0

MEASURE = "施策 1-1-1 "
INDICATOR = "指標 健康づくり事業への参加者数 {"


# --- positions, computed by the client ------------------------------------


def col(line: str, index: int, encoding: str) -> int:
    """The LSP character of `line[index]`: UTF-16 code units or UTF-8 bytes."""
    prefix = line[:index]
    if encoding == "utf-16":
        return len(prefix.encode("utf-16-le")) // 2
    assert encoding == "utf-8", encoding
    return len(prefix.encode("utf-8"))


def lines_of(text: str) -> list[str]:
    """The text's lines as LSP counts them, without their line ends."""
    return [line.rstrip("\r") for line in text.split("\n")]


def offset_of(text: str, pos: types.Position, encoding: str) -> int:
    """The Python string index of an LSP position in `text`."""
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    assert pos.line < len(starts), f"line {pos.line} is past the end ({len(starts)} lines)"
    line = lines_of(text)[pos.line]
    units = 0
    for i, ch in enumerate(line):
        if units == pos.character:
            return starts[pos.line] + i
        units += col(ch, 1, encoding)
        if units > pos.character:
            raise AssertionError(f"character {pos.character} falls inside {ch!r} in {line!r}")
    assert units == pos.character, f"character {pos.character} is past the end of {line!r} ({units})"
    return starts[pos.line] + len(line)


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    spans = sorted(((offset_of(text, e.range.start, encoding), offset_of(text, e.range.end, encoding), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def end_position(text: str, encoding: str) -> types.Position:
    lines = text.split("\n")
    return types.Position(line=len(lines) - 1, character=col(lines[-1], len(lines[-1]), encoding))


def rating_value(text: str) -> tuple[int, int]:
    """(line, index in line) of the stated grade of 1-1-1's indicator 健康づくり事業への参加者数."""
    lines = lines_of(text)
    measure = next(i for i, l in enumerate(lines) if l.strip().startswith(MEASURE))
    indicator = next(i for i in range(measure, len(lines)) if lines[i].strip() == INDICATOR)
    grade = next(i for i in range(indicator + 1, len(lines)) if lines[i].strip().startswith(("定量評価:", "}")))
    line = lines[grade]
    assert line.strip().startswith("定量評価:"), f"the indicator has no 定量評価 before its end: {line!r}"
    index = line.index("定量評価:") + len("定量評価:")
    while line[index] == " ":
        index += 1
    assert line[index:].rstrip() == "C", line
    return grade, index


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def rng(start: types.Position, end: types.Position) -> types.Range:
    return types.Range(start=start, end=end)


# --- the client --------------------------------------------------------------


def make_client() -> LanguageClient:
    """pytest-lsp's test client, also keeping every publishDiagnostics with its version."""
    client = LanguageClient(converter_factory=default_converter)
    defaults = {m: f for m, f in DEFAULT_CLIENT_FEATURES.items() if m != types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS}
    register_lsp_features(client, defaults)
    client.publications = []
    client.registrations = []

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(ls, params: types.PublishDiagnosticsParams):
        ls.diagnostics[params.uri] = params.diagnostics
        ls.publications.append(params)

    # Answered like an editor that supports dynamic registration (declared below).
    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(ls, params: types.RegistrationParams):
        ls.registrations.extend(params.registrations)

    return client


SERVER = ClientServerConfig(server_command=[str(BIN), "lsp"], client_factory=make_client)


def capabilities(encodings: list[str] | None, dynamic: bool = True) -> types.ClientCapabilities:
    general = None if encodings is None else types.GeneralClientCapabilities(position_encodings=encodings)
    return types.ClientCapabilities(
        general=general,
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=dynamic),
            workspace_folders=True,
        ),
        text_document=types.TextDocumentClientCapabilities(
            synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True, version_support=True),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]),
            document_symbol=types.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
            inlay_hint=types.InlayHintClientCapabilities(),
            formatting=types.DocumentFormattingClientCapabilities(),
        ),
    )


async def initialize(client: LanguageClient, root: pathlib.Path, encodings: list[str] | None, dynamic: bool = True) -> types.InitializeResult:
    assert BIN.is_file() and os.access(BIN, os.X_OK), f"no plancheck binary at {BIN} (set PLANCHECK_BIN)"
    uri = root.as_uri()
    params = types.InitializeParams(
        capabilities=capabilities(encodings, dynamic),
        root_uri=uri,
        workspace_folders=[types.WorkspaceFolder(uri=uri, name=root.name)],
    )
    return await asyncio.wait_for(client.initialize_session(params), TIMEOUT)


async def close(client: LanguageClient) -> None:
    """Ends a session even when the test failed halfway: shutdown and exit, else kill."""
    try:
        await asyncio.wait_for(client.shutdown_session(), TIMEOUT)
    finally:
        server = client._server
        if server is not None and server.returncode is None:
            server.kill()
            await server.wait()


@pytest.fixture
def workspace(tmp_path: pathlib.Path) -> pathlib.Path:
    """A copy of examples/isesaki in a temporary folder (the server may read it)."""
    root = tmp_path / "isesaki"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest_lsp.fixture(config=SERVER)
async def utf16(lsp_client: LanguageClient, workspace: pathlib.Path):
    """A session whose client offers UTF-16 only."""
    lsp_client.init_result = await initialize(lsp_client, workspace, [types.PositionEncodingKind.Utf16])
    yield
    await close(lsp_client)


@pytest_lsp.fixture(config=SERVER)
async def utf8(lsp_client: LanguageClient, workspace: pathlib.Path):
    """A session whose client offers UTF-8 first (and UTF-16, which every client supports)."""
    lsp_client.init_result = await initialize(lsp_client, workspace, [types.PositionEncodingKind.Utf8, types.PositionEncodingKind.Utf16])
    yield
    await close(lsp_client)


def open_doc(client: LanguageClient, path: pathlib.Path, text: str | None = None, version: int = 1) -> tuple[str, str]:
    if text is None:
        text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="plan", version=version, text=text)))
    return uri, text


async def diagnostics_for(client: LanguageClient, uri: str, version: int) -> list[types.Diagnostic]:
    """The diagnostics published for `uri` at `version` (waits for them)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while True:
        for p in reversed(client.publications):
            if p.uri == uri and p.version == version:
                return list(p.diagnostics)
        if loop.time() > deadline:
            seen = [(p.uri, p.version, len(p.diagnostics)) for p in client.publications]
            raise AssertionError(f"no publishDiagnostics for {uri} at version {version} in {TIMEOUT}s; received: {seen}")
        await asyncio.sleep(0.02)


def doc_id(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def hover(client: LanguageClient, uri: str, position: types.Position) -> types.Hover | None:
    return await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(text_document=doc_id(uri), position=position)), TIMEOUT)


async def inlay_hints(client: LanguageClient, uri: str, text: str, encoding: str) -> list[types.InlayHint]:
    params = types.InlayHintParams(text_document=doc_id(uri), range=rng(pos(0, 0), end_position(text, encoding)))
    return list(await asyncio.wait_for(client.text_document_inlay_hint_async(params), TIMEOUT) or [])


async def formatting(client: LanguageClient, uri: str) -> list[types.TextEdit] | None:
    params = types.DocumentFormattingParams(text_document=doc_id(uri), options=types.FormattingOptions(tab_size=2, insert_spaces=True))
    edits = await asyncio.wait_for(client.text_document_formatting_async(params), TIMEOUT)
    return None if edits is None else list(edits)


def only(diagnostics: list[types.Diagnostic], code: str, line: int) -> types.Diagnostic:
    found = [d for d in diagnostics if d.code == code and d.range.start.line == line]
    summary = [(d.code, d.range.start.line, d.range.start.character) for d in diagnostics]
    assert len(found) == 1, f"expected one {code} on line {line}, got {len(found)}; all: {summary}"
    return found[0]


# --- the isesaki example, UTF-16 ---------------------------------------------


@pytest.mark.asyncio
async def test_utf16_only_is_answered_with_utf16_and_the_rating_mismatch_is_placed_exactly(utf16: LanguageClient, workspace: pathlib.Path):
    result = utf16.init_result
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf16
    assert result.server_info is not None and result.server_info.name == "plancheck"

    uri, text = open_doc(utf16, workspace / "1-kenko.plan")
    diagnostics = await diagnostics_for(utf16, uri, 1)

    line, index = rating_value(text)
    assert (line, index) == (32, 14)  # the file as committed: line 33, column 15 (1-based)
    d = only(diagnostics, "rating-mismatch", line)
    start = col(lines_of(text)[line], index, "utf-16")
    assert d.range == rng(pos(line, start), pos(line, start + 1))
    assert d.severity == types.DiagnosticSeverity.Warning
    assert d.source == "plancheck"
    assert "55.4%" in d.message and "D" in d.message, d.message


@pytest.mark.asyncio
async def test_hover_on_the_stated_grade_shows_the_computed_ratio(utf16: LanguageClient, workspace: pathlib.Path):
    uri, text = open_doc(utf16, workspace / "1-kenko.plan")
    await diagnostics_for(utf16, uri, 1)
    line, index = rating_value(text)
    h = await hover(utf16, uri, pos(line, col(lines_of(text)[line], index, "utf-16")))
    assert h is not None
    assert isinstance(h.contents, types.MarkupContent) and h.contents.kind == types.MarkupKind.Markdown
    assert "55.4%" in h.contents.value, h.contents.value
    assert "**D**" in h.contents.value, h.contents.value
    assert "rating-mismatch" in h.contents.value, h.contents.value


@pytest.mark.asyncio
async def test_inlay_hint_gives_the_computed_grade_after_the_stated_one(utf16: LanguageClient, workspace: pathlib.Path):
    uri, text = open_doc(utf16, workspace / "1-kenko.plan")
    hints = await inlay_hints(utf16, uri, text, "utf-16")
    line, index = rating_value(text)
    labels = {(h.position.line, h.position.character): h.label for h in hints}
    end = col(lines_of(text)[line], index + 1, "utf-16")  # right after the stated `C`
    assert labels.get((line, end)) == "→ D (55.4%)", sorted(labels.items())[:10]
    # Every stated 定量評価 (indicators and 施策 summaries) gets a hint, at the end of its value,
    # and the only other hints are the 施策 定性評価 summaries.
    lines = lines_of(text)
    ends = {i: col(l, len(l.rstrip()), "utf-16") for i, l in enumerate(lines)}
    quantitative = {(i, ends[i]) for i, l in enumerate(lines) if l.strip().startswith("定量評価:")}
    qualitative = {(i, ends[i]) for i, l in enumerate(lines) if l.strip().startswith("定性評価:")}
    assert quantitative <= labels.keys(), sorted(quantitative - labels.keys())
    assert labels.keys() <= quantitative | qualitative, sorted(labels.keys() - quantitative - qualitative)
    assert all(isinstance(l, str) and l.startswith("→ ") for l in labels.values())


@pytest.mark.asyncio
async def test_document_symbols_outline_the_hierarchy(utf16: LanguageClient, workspace: pathlib.Path):
    uri, text = open_doc(utf16, workspace / "1-kenko.plan")
    symbols = await asyncio.wait_for(utf16.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc_id(uri))), TIMEOUT)
    assert symbols and all(isinstance(s, types.DocumentSymbol) for s in symbols)
    lines = lines_of(text)
    top = symbols[0]
    assert top.name.startswith("基本政策 1 "), top.name
    assert top.name == "基本政策 1 市民が健康で生き暮らせるまちをつくる"
    assert top.kind == types.SymbolKind.Namespace
    header = next(i for i, l in enumerate(lines) if l.startswith("基本政策 1 "))
    assert top.selection_range.start == pos(header, 0)
    policy = next(c for c in top.children if c.name == "政策 1-1")
    assert policy.kind == types.SymbolKind.Namespace
    measure = next(c for c in policy.children if c.name == "施策 1-1-1 健康づくりと疾病予防の推進")
    assert measure.kind == types.SymbolKind.Class
    measure_line = next(i for i, l in enumerate(lines) if l.strip() == "施策 1-1-1 健康づくりと疾病予防の推進 {")
    assert measure.selection_range.start == pos(measure_line, col(lines[measure_line], lines[measure_line].index("施策"), "utf-16"))
    indicator = next(c for c in measure.children if c.name == "指標 健康づくり事業への参加者数")
    assert indicator.kind == types.SymbolKind.Number
    # The indicator's range holds its stated grade.
    line, _ = rating_value(text)
    assert indicator.range.start.line < line < indicator.range.end.line
    assert policy.range.start.line <= measure.range.start.line and measure.range.end.line <= policy.range.end.line


@pytest.mark.asyncio
async def test_formatting_a_formatted_file_returns_no_edits(utf16: LanguageClient, workspace: pathlib.Path):
    uri, _ = open_doc(utf16, workspace / "1-kenko.plan")
    assert await formatting(utf16, uri) == []


MESSY = """\
施策 ９－１－１ 整形の確認 {
全体評価：Ｂ
      指標 参加者数 {
 実績：５，９００人
          目標:10,650人
    定量評価：Ｄ   
        }


代表課：健康づくり課
}
"""

CANONICAL = """\
施策 9-1-1 整形の確認 {
  全体評価: B
  指標 参加者数 {
    実績: 5,900人
    目標: 10,650人
    定量評価: D
  }

  代表課: 健康づくり課
}
"""


@pytest.mark.asyncio
async def test_formatting_a_messy_document_returns_the_canonical_layout(utf16: LanguageClient, workspace: pathlib.Path):
    uri, text = open_doc(utf16, workspace / "messy.plan", MESSY)
    edits = await formatting(utf16, uri)
    assert edits, edits
    # Minimal edits: whole lines, none overlapping, and the unchanged `}` line untouched.
    assert all(e.range.start.character == 0 and e.range.end.character == 0 for e in edits), edits
    last_line = len(lines_of(MESSY)) - 1
    assert all(e.range.end.line <= last_line for e in edits), edits
    assert apply_edits(text, edits, "utf-16") == CANONICAL
    # The canonical text, sent back, is left alone.
    utf16.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=CANONICAL)],
        )
    )
    assert await formatting(utf16, uri) == []


# --- characters outside the BMP ----------------------------------------------

ASTRAL = """\
施策 9-1-1 𠮷野家の健康づくり {
  全体評価: A
  指標 𠮷😀の数 { 余分
    実績: 50人
    目標: 100人
    定量評価: D
  }
  代表課: 健康づくり課
}
"""


def astral_problem() -> tuple[int, int, int]:
    """(line, start index, end index) of the text after `{` on the 指標 header."""
    lines = lines_of(ASTRAL)
    line = next(i for i, l in enumerate(lines) if "😀" in l)
    start = lines[line].index("余分")
    return line, start, start + len("余分")


@pytest.mark.asyncio
async def test_a_diagnostic_after_astral_characters_counts_surrogate_pairs(utf16: LanguageClient, workspace: pathlib.Path):
    path = workspace / "astral.plan"
    uri, text = open_doc(utf16, path, ASTRAL)
    diagnostics = await diagnostics_for(utf16, uri, 1)
    line, start, end = astral_problem()
    header = lines_of(text)[line]
    # 𠮷 and 😀 are two UTF-16 code units each: 余 is character 12 but code unit 14.
    assert (start, col(header, start, "utf-16")) == (12, 14)
    d = only(diagnostics, "syntax-error", line)
    assert d.range == rng(pos(line, col(header, start, "utf-16")), pos(line, col(header, end, "utf-16")))

    # And the other way: an incremental change addressed in UTF-16 removes exactly ` 余分`.
    utf16.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(range=rng(pos(line, col(header, start - 1, "utf-16")), pos(line, col(header, end, "utf-16"))), text="")],
        )
    )
    fixed = ASTRAL.replace("{ 余分", "{")
    assert await diagnostics_for(utf16, uri, 2) == []
    assert await formatting(utf16, uri) == []  # the server's text is exactly `fixed`, which is canonical
    hints = await inlay_hints(utf16, uri, fixed, "utf-16")
    grade_line = next(i for i, l in enumerate(lines_of(fixed)) if "定量評価: D" in l)
    assert [(h.position, h.label) for h in hints] == [(pos(grade_line, len(lines_of(fixed)[grade_line])), "→ D (50%)")]


# --- UTF-8 ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_utf8_session_counts_bytes(utf8: LanguageClient, workspace: pathlib.Path):
    assert utf8.init_result.capabilities.position_encoding == types.PositionEncodingKind.Utf8

    uri, text = open_doc(utf8, workspace / "1-kenko.plan")
    diagnostics = await diagnostics_for(utf8, uri, 1)
    line, index = rating_value(text)
    grade_line = lines_of(text)[line]
    start = col(grade_line, index, "utf-8")
    assert start == 22  # 8 spaces, 定量評価 (4 × 3 bytes), `: `
    d = only(diagnostics, "rating-mismatch", line)
    assert d.range == rng(pos(line, start), pos(line, start + 1))

    h = await hover(utf8, uri, pos(line, start))
    assert h is not None and "55.4%" in h.contents.value
    labels = {(x.position.line, x.position.character): x.label for x in await inlay_hints(utf8, uri, text, "utf-8")}
    assert labels.get((line, start + 1)) == "→ D (55.4%)"

    # Astral characters are four bytes each in UTF-8.
    auri, atext = open_doc(utf8, workspace / "astral.plan", ASTRAL)
    adiagnostics = await diagnostics_for(utf8, auri, 1)
    aline, astart, aend = astral_problem()
    header = lines_of(atext)[aline]
    assert col(header, astart, "utf-8") == 2 + 6 + 1 + 4 + 4 + 3 + 3 + 1 + 1 + 1
    d = only(adiagnostics, "syntax-error", aline)
    assert d.range == rng(pos(aline, col(header, astart, "utf-8")), pos(aline, col(header, aend, "utf-8")))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        (None, types.PositionEncodingKind.Utf16),
        ([types.PositionEncodingKind.Utf32], types.PositionEncodingKind.Utf16),
        # The server's documented choice: UTF-8 whenever it is offered (the spec gives no order).
        ([types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8], types.PositionEncodingKind.Utf8),
    ],
)
async def test_position_encoding_negotiation(offered, expected, workspace: pathlib.Path):
    client = await SERVER.start()
    try:
        result = await initialize(client, workspace, offered)
        assert result.capabilities.position_encoding == expected
    finally:
        await close(client)
        await client.stop()


# --- files on disk ------------------------------------------------------------------

EXTRA = """\
施策 9-2-1 監視の確認 {
  全体評価: B
  指標 登録件数 {
    実績: 70件
    目標: 100件
    定量評価: B
  }
  代表課: 健康づくり課
}
"""


@pytest.mark.asyncio
async def test_watched_files_registration_and_a_plan_created_on_disk(utf16: LanguageClient, workspace: pathlib.Path):
    uri, _ = open_doc(utf16, workspace / "1-kenko.plan")
    await diagnostics_for(utf16, uri, 1)  # the registration is sent before the first check
    watches = [r for r in utf16.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
    assert len(watches) == 1, utf16.registrations
    globs = {w["globPattern"] for w in watches[0].register_options["watchers"]}
    assert globs == {"**/*.plan", "**/plancheck.toml"}

    # A plan written by another program: 70 ÷ 100 = 70% is C, the file says B.
    path = workspace / "extra.plan"
    path.write_text(EXTRA, encoding="utf-8")
    utf16.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Created)]))
    diagnostics = await diagnostics_for(utf16, path.as_uri(), None)  # not open: no version
    lines = lines_of(EXTRA)
    line = next(i for i, l in enumerate(lines) if "定量評価: B" in l)
    start = lines[line].index("B")
    d = only(diagnostics, "rating-mismatch", line)
    assert d.range == rng(pos(line, start), pos(line, start + 1))
    assert "70%" in d.message, d.message


# --- regressions: bugs this client found in the server (fixed) ---


@pytest.mark.asyncio
async def test_no_dynamic_registration_for_a_client_that_does_not_offer_it(workspace: pathlib.Path):
    client = await SERVER.start()
    try:
        await initialize(client, workspace, [types.PositionEncodingKind.Utf16], dynamic=False)
        uri, _ = open_doc(client, workspace / "1-kenko.plan")
        await diagnostics_for(client, uri, 1)
        assert client.registrations == []
    finally:
        await close(client)
        await client.stop()


@pytest.mark.asyncio
async def test_diagnostics_come_back_under_the_uri_the_client_opened_through_a_symlink(tmp_path: pathlib.Path):
    real = tmp_path / "real"
    shutil.copytree(EXAMPLE, real)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    client = await SERVER.start()
    try:
        await initialize(client, link, [types.PositionEncodingKind.Utf16])
        uri, text = open_doc(client, link / "1-kenko.plan")
        # Whatever URI the server picks, the open document's diagnostics carry its version.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not any(p.version == 1 for p in client.publications) and loop.time() < deadline:
            await asyncio.sleep(0.02)
        assert [p.uri for p in client.publications if p.version == 1] == [uri]
        diagnostics = await diagnostics_for(client, uri, 1)
        line, index = rating_value(text)
        assert only(diagnostics, "rating-mismatch", line).range.start == pos(line, index)
    finally:
        await close(client)
        await client.stop()


@pytest.mark.asyncio
async def test_suppression_quick_fix_keeps_crlf_line_ends(utf16: LanguageClient, workspace: pathlib.Path):
    path = workspace / "1-kenko.plan"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    uri, _ = open_doc(utf16, path, text)
    await diagnostics_for(utf16, uri, 1)
    line, index = rating_value(text)
    at = col(lines_of(text)[line], index, "utf-16")
    params = types.CodeActionParams(text_document=doc_id(uri), range=rng(pos(line, at), pos(line, at + 1)), context=types.CodeActionContext(diagnostics=[]))
    actions = await asyncio.wait_for(utf16.text_document_code_action_async(params), TIMEOUT)
    edits = [e for a in actions or [] if isinstance(a, types.CodeAction) and a.edit for e in a.edit.changes[uri]]
    # The grade fix is right on CRLF too: C → D at the same place.
    assert any(e.range == rng(pos(line, at), pos(line, at + 1)) and e.new_text == "D" for e in edits), edits
    (allow,) = [e for e in edits if "plancheck: allow(rating-mismatch)" in e.new_text]
    fixed = apply_edits(text, [allow], "utf-16")
    lone_lf = fixed.count("\n") - fixed.count("\r\n")
    assert lone_lf == 0, f"{lone_lf} line(s) ending in a lone LF after inserting {allow.new_text!r}"
