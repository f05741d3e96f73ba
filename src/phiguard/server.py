"""`phiguard server`: findings as editor diagnostics, over the Language Server Protocol (stdio).

- A document is checked when it is opened or saved, and after each change once typing pauses
  (DEBOUNCE_SECONDS); a result for a text that has since changed is dropped.
- Its configuration is found from its folder as `phiguard check` finds it; one Session (the
  spaCy model, rules, recognizers) is loaded per configuration and kept for every document.
- Diagnostics carry the rule, its category and the message: never the matched words or an
  excerpt (the editor has the text; a client's log of diagnostics must not hold PHI).
- The safe fixes of `check --fix` (disclaimer, sponsorship disclosure) are code actions.

Checks run one at a time in a worker thread (spaCy is not shared between threads), so the
server keeps answering while a long draft is analysed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__
from .models import LINE_END, Finding, PhiguardError
from .rules.categories import lookup

DEBOUNCE_SECONDS = 0.3
SOURCE = "phiguard"
_SEVERITY = {"error": types.DiagnosticSeverity.Error,
             "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}


class PhiguardServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("phiguard", __version__)
        self.sessions: dict[Path | None, Any] = {}  # configuration file -> loaded Session
        self.pending: dict[str, asyncio.Task[None]] = {}  # uri -> debounced check
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="phiguard-check")

    def session_for(self, path: Path) -> Any:
        """The Session of the configuration that applies to ``path``; loaded once."""
        from .config import find_config, load_settings
        from .pipeline import Session, load_rules

        config = find_config(path.parent if path.parent.is_dir() else Path.cwd())
        if config not in self.sessions:
            started = time.monotonic()
            settings = load_settings(config)
            self.sessions[config] = Session(settings, load_rules(settings))
            self.log(f"loaded the checker for {config or 'the default configuration'} in "
                     f"{time.monotonic() - started:.1f} s")
        return self.sessions[config]

    def log(self, message: str) -> None:
        self.window_log_message(types.LogMessageParams(types.MessageType.Info, message))


server = PhiguardServer()


def _document_path(uri: str) -> Path:
    path = to_fs_path(uri)
    return Path(path) if path else Path("untitled.md")


def check_document(ls: PhiguardServer, uri: str, text: str) -> list[types.Diagnostic]:
    """The document's findings and read errors as diagnostics (in the worker thread)."""
    from .runner import check_data
    from .walk import Target

    path = _document_path(uri)
    try:
        session = ls.session_for(path)
        report = check_data(Target(path, path.name), text.encode("utf-8"), session.settings,
                            lambda: session)
    except PhiguardError as exc:  # a broken configuration or rule file: say so at the top
        return [_diagnostic_at(0, str(exc), "config")]
    lines = _lines(text)
    ranges = _Ranges(lines, ls.workspace.position_encoding)
    diagnostics = [_diagnostic(f, ranges) for f in report.findings]
    for error in report.errors:
        line, message = _error_line(error.message)
        diagnostics.append(_diagnostic_at(line, message, "read-error"))
    return diagnostics


def _lines(text: str) -> list[str]:
    """The text's lines as phiguard and LSP count them (LF, CR LF or CR), without line ends."""
    lines, start = [], 0
    for end in LINE_END.finditer(text):
        lines.append(text[start:end.start()])
        start = end.end()
    lines.append(text[start:])
    return lines


class _Ranges:
    """Findings' positions (1-based lines, code-point columns, exclusive end) as LSP ranges in
    the client's position encoding (UTF-16 unless it asked for another)."""

    def __init__(self, lines: list[str], encoding: Any) -> None:
        self.lines = lines
        name = getattr(encoding, "value", encoding) or "utf-16"  # LSP's default
        self.utf16 = name == "utf-16"
        self.utf8 = name == "utf-8"

    def position(self, line: int, column: int) -> types.Position:
        index = min(max(line - 1, 0), len(self.lines) - 1)
        before = self.lines[index][: max(column - 1, 0)]
        if self.utf16:
            units = len(before.encode("utf-16-le")) // 2
        elif self.utf8:
            units = len(before.encode("utf-8"))
        else:
            units = len(before)
        return types.Position(index, units)

    def of(self, finding: Finding) -> types.Range:
        end_column = max(finding.end_column, finding.column + 1)
        return types.Range(self.position(finding.line, finding.column),
                           self.position(finding.end_line, end_column))


def _diagnostic(finding: Finding, ranges: _Ranges) -> types.Diagnostic:
    return types.Diagnostic(range=ranges.of(finding), message=finding.message,
                            severity=_SEVERITY.get(finding.severity),
                            code=finding.rule, source=SOURCE,
                            data={"category": finding.category})


def _diagnostic_at(line: int, message: str, code: str) -> types.Diagnostic:
    start = types.Position(max(line - 1, 0), 0)
    return types.Diagnostic(range=types.Range(start, types.Position(start.line + 1, 0)),
                            message=message, severity=types.DiagnosticSeverity.Error,
                            code=code, source=SOURCE)


def _error_line(message: str) -> tuple[int, str]:
    """``line 3: why`` (as the runner writes read errors) -> (3, why)."""
    head, _, rest = message.partition(": ")
    if head.startswith("line ") and head[5:].isdigit() and rest:
        return int(head[5:]), rest
    return 1, message


async def _publish(ls: PhiguardServer, uri: str) -> None:
    document = ls.workspace.get_text_document(uri)
    text, version = document.source, document.version
    loop = asyncio.get_running_loop()
    diagnostics = await loop.run_in_executor(ls.worker, check_document, ls, uri, text)
    current = ls.workspace.get_text_document(uri)
    if current.version != version or current.source != text:
        return  # the text changed while it was checked: its own check is on the way
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics))


def _schedule(ls: PhiguardServer, uri: str, delay: float) -> None:
    """Check ``uri`` after ``delay`` seconds, replacing a check not yet started."""
    previous = ls.pending.pop(uri, None)
    if previous is not None and not previous.done():
        previous.cancel()

    async def later() -> None:
        await asyncio.sleep(delay)
        await _publish(ls, uri)

    ls.pending[uri] = asyncio.ensure_future(later())


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PhiguardServer, params: types.DidOpenTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PhiguardServer, params: types.DidChangeTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, DEBOUNCE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PhiguardServer, params: types.DidSaveTextDocumentParams) -> None:
    _schedule(ls, params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PhiguardServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
async def code_action(ls: PhiguardServer, params: types.CodeActionParams
                      ) -> list[types.CodeAction] | None:
    """The safe fixes, offered where a fixable diagnostic is: one edit for all of them."""
    fixable = [d for d in params.context.diagnostics if d.source == SOURCE
               and isinstance(d.data, dict)
               and lookup(str(d.data.get("category"))).fix]  # categories.yaml `fix`
    if not fixable:
        return None
    uri = params.text_document.uri
    text = ls.workspace.get_text_document(uri).source
    loop = asyncio.get_running_loop()
    fixed, notes = await loop.run_in_executor(ls.worker, _fixed_text, ls, uri, text)
    if fixed == text:
        return None
    edit = _minimal_edit(text, fixed, _Ranges(_lines(text), ls.workspace.position_encoding))
    return [types.CodeAction(title=f"phiguard: {'; '.join(notes)}",
                             kind=types.CodeActionKind.QuickFix, diagnostics=fixable,
                             is_preferred=True,
                             edit=types.WorkspaceEdit(changes={uri: [edit]}))]


def _fixed_text(ls: PhiguardServer, uri: str, text: str) -> tuple[str, list[str]]:
    """What `check --fix` would write for this text (edits/autofix.py), and its notes."""
    from .edits.autofix import fix_file
    from .edits.files import Editable, Snapshot
    from .readers import reader_for

    path = _document_path(uri)
    reader = reader_for(path)
    if reader is None:
        return text, []
    session = ls.session_for(path)
    opened = Editable(path, path.name, reader, text, "utf-8", Snapshot(b"", 0, 0, 0, 0))
    try:
        fixed, fixes, _ = fix_file(session, opened, session.settings)
    except PhiguardError:
        return text, []
    return fixed, list(dict.fromkeys(f.note for f in fixes))


def _minimal_edit(before: str, after: str, ranges: _Ranges) -> types.TextEdit:
    """One edit replacing only what differs (the common start and end are kept), so the
    cursor and the rest of the document stay as they are."""
    start = 0
    limit = min(len(before), len(after))
    while start < limit and before[start] == after[start]:
        start += 1
    end = 0
    while end < limit - start and before[-1 - end] == after[-1 - end]:
        end += 1
    line, column = _line_column(before, start)
    end_line, end_column = _line_column(before, len(before) - end)
    return types.TextEdit(types.Range(ranges.position(line, column),
                                      ranges.position(end_line, end_column)),
                          after[start: len(after) - end])


def _line_column(text: str, offset: int) -> tuple[int, int]:
    from .models import LineIndex

    line, column = LineIndex(text).position(offset)
    return int(line), int(column)


def serve() -> None:
    """Serve one editor over standard input and output until it exits."""
    logging.getLogger("pygls").setLevel(logging.WARNING)  # stderr stays free of draft text
    server.start_io()
