"""`phiguard server` end to end with pytest-lsp: a real client talks to the real server over
stdio. Diagnostics are masked and at the findings' ranges; the safe fix is a code action that
makes its diagnostic go; a second document reuses the loaded checker."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from .conftest import AMBIENT, phiguard_command

pytestmark = pytest.mark.e2e  # `phiguard server` is a program of its own

DISCLAIMER = "Education only; it never replaces a visit."
# Emoji before the identifier: LSP counts UTF-16 units, phiguard code points.
DRAFT = ("Feeling feverish? Drink plenty of fluids and rest until the fever breaks.\n"
         "\n"
         "🌡️ Patient MRN 00482913 is doing well.\n")
OTHER = "Our pharmacy on Harbor Road now opens at 7 AM.\n"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("editor")
    (root / ".phiguard.yaml").write_text(f'org:\n  disclaimer: "{DISCLAIMER}"\n', "utf-8")
    return root


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[*phiguard_command(), "server"],
    server_env={k: v for k, v in os.environ.items() if k not in AMBIENT}))
async def client(lsp_client: LanguageClient, project: Path):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=project.as_uri()))
    yield
    await lsp_client.shutdown_session()


async def diagnostics_for(client: LanguageClient, uri: str, version: int
                          ) -> list[types.Diagnostic]:
    """The diagnostics published for this version of the document (waits for them)."""
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri and params.version == version:
            return list(params.diagnostics)


def open_document(client: LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)))
    return uri


def covered(text: str, rng: types.Range) -> str:
    """The text a range covers, counting UTF-16 units as an LSP client does."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        line = lines[pos.line].encode("utf-16-le")[: 2 * pos.character].decode("utf-16-le")
        return sum(len(ln) + 1 for ln in lines[: pos.line]) + len(line)

    return text[offset(rng.start): offset(rng.end)]


def apply(text: str, edit: types.TextEdit) -> str:
    lines = text.split("\n")
    start = sum(len(ln) + 1 for ln in lines[: edit.range.start.line]) + edit.range.start.character
    end = sum(len(ln) + 1 for ln in lines[: edit.range.end.line]) + edit.range.end.character
    return text[:start] + edit.new_text + text[end:]


@pytest.mark.asyncio
async def test_diagnostics_code_action_and_one_checker_for_all_documents(
        client: LanguageClient, project: Path) -> None:
    uri = open_document(client, project / "post.md", DRAFT)
    diagnostics = await diagnostics_for(client, uri, 1)
    by_rule = {d.code: d for d in diagnostics}
    assert {"PHI001", "DIS002"} <= set(by_rule), diagnostics
    phi = by_rule["PHI001"]
    assert phi.severity == types.DiagnosticSeverity.Error and phi.source == "phiguard"
    assert phi.range.start.line == 2
    assert covered(DRAFT, phi.range).startswith("MRN 00482913")  # past the emoji's 2 units
    # masked: nothing sent to the editor holds the identifier
    assert "00482913" not in json.dumps([client.protocol._converter.unstructure(d)
                                         for d in diagnostics])

    dis = by_rule["DIS002"]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri), range=dis.range,
        context=types.CodeActionContext(diagnostics=[dis])))
    assert actions and len(actions) == 1, actions
    action = actions[0]
    assert action.kind == types.CodeActionKind.QuickFix and "disclaimer" in action.title
    (edit,) = action.edit.changes[uri]
    fixed = apply(DRAFT, edit)
    assert fixed.rstrip().endswith(DISCLAIMER) and fixed.startswith(DRAFT.rstrip())

    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)]))
    after = await diagnostics_for(client, uri, 2)
    assert "DIS002" not in {d.code for d in after} and "PHI001" in {d.code for d in after}

    # A second document: checked by the checker already loaded, not a second model.
    other = open_document(client, project / "other.md", OTHER)
    assert isinstance(await diagnostics_for(client, other, 1), list)
    loads = [m.message for m in client.log_messages if "loaded the checker" in m.message]
    assert len(loads) == 1, loads


@pytest.mark.asyncio
async def test_a_draft_that_cannot_be_read_is_one_diagnostic_without_its_text(
        client: LanguageClient, project: Path) -> None:
    text = "---\nplatform: [unclosed\n---\nQuillon Farrady MRN 00482913\n"
    uri = open_document(client, project / "broken.md", text)
    diagnostics = await diagnostics_for(client, uri, 1)
    assert len(diagnostics) == 1 and diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert "00482913" not in diagnostics[0].message and "Farrady" not in diagnostics[0].message
