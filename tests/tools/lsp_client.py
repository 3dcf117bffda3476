"""A real LSP session for the tests: `python -m werkstroom lsp` started as a subprocess and spoken to
over stdio by pygls' own client, on an event loop in a thread of its own so that tests call it
synchronously. Diagnostics the server publishes are kept by URI and version."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as T
from pygls.lsp.client import LanguageClient

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120.0  # generous: a failing test must not hang, and the machines running the suite are shared

R = TypeVar("R")


class Session:
    """One server process; ``root``: the workspace folder; ``options``: initializationOptions."""

    def __init__(self, root: Path, options: dict[str, Any] | None = None, *, snippets: bool = True) -> None:
        self.root = root
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = LanguageClient("werkstroom-tests", "1")
        self.published: dict[str, list[T.PublishDiagnosticsParams]] = {}
        self.changed = threading.Condition()
        self.versions: dict[str, int] = {}  # by URI: the last version sent (never reused: a reopened
        self.opened: set[str] = set()        # document goes on counting, so old diagnostics never match)

        @self.client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: T.PublishDiagnosticsParams) -> None:
            with self.changed:
                self.published.setdefault(params.uri, []).append(params)
                self.changed.notify_all()

        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.run(self.client.start_io(sys.executable, "-m", "werkstroom", "lsp", "--stdio", env=env,
                                      cwd=str(root)))
        caps = T.ClientCapabilities(text_document=T.TextDocumentClientCapabilities(
            completion=T.CompletionClientCapabilities(
                completion_item=T.ClientCompletionItemOptions(snippet_support=snippets))))
        self.init = self.run(self.client.initialize_async(T.InitializeParams(
            capabilities=caps, initialization_options=options,
            workspace_folders=[T.WorkspaceFolder(uri=root.as_uri(), name=root.name)])))
        self.notify(self.client.initialized, T.InitializedParams())

    def run(self, coro: Coroutine[Any, Any, R]) -> R:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(TIMEOUT)

    def notify(self, send: Any, params: Any) -> None:
        async def call() -> None:
            send(params)

        self.run(call())

    # ------------------------------------------------------------------ documents

    def uri(self, name: str) -> str:
        return (self.root / name).as_uri()

    def open(self, name: str, text: str | None = None) -> str:
        """Open ``name`` (its text on disk unless ``text``); an open document is closed first."""
        uri = self.uri(name)
        if uri in self.opened:
            self.close_document(uri)
        if text is None:
            text = (self.root / name).read_text(encoding="utf-8")
        version = self.versions[uri] = self.versions.get(uri, 0) + 1
        self.opened.add(uri)
        self.notify(self.client.text_document_did_open, T.DidOpenTextDocumentParams(
            text_document=T.TextDocumentItem(uri=uri, language_id="wf", version=version, text=text)))
        return uri

    def change(self, uri: str, text: str) -> int:
        version = self.versions[uri] = self.versions[uri] + 1
        self.notify(self.client.text_document_did_change, T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[T.TextDocumentContentChangeWholeDocument(text=text)]))
        return version

    def close_document(self, uri: str) -> None:
        self.opened.discard(uri)
        self.notify(self.client.text_document_did_close, T.DidCloseTextDocumentParams(
            text_document=T.TextDocumentIdentifier(uri=uri)))

    def diagnostics(self, uri: str, version: int | None = None) -> list[T.Diagnostic]:
        """The diagnostics published for ``uri`` at ``version`` (default: the version last sent)."""
        want = self.versions.get(uri) if version is None else version
        with self.changed:
            ok = self.changed.wait_for(lambda: any(p.version == want for p in self.published.get(uri, [])),
                                       TIMEOUT)
            assert ok, f"no diagnostics for {uri} version {want}"
            return [p for p in self.published[uri] if p.version == want][-1].diagnostics

    def latest(self, uri: str, test: Any) -> list[T.Diagnostic]:
        """Wait until the diagnostics last published for ``uri`` (open or not) pass ``test``."""
        with self.changed:
            ok = self.changed.wait_for(lambda: bool(self.published.get(uri)) and test(
                self.published[uri][-1].diagnostics), TIMEOUT)
            assert ok, f"diagnostics for {uri}: {self.published.get(uri, [])[-1:]}"
            return self.published[uri][-1].diagnostics

    # ------------------------------------------------------------------ requests

    @staticmethod
    def where(uri: str, line: int, character: int) -> dict[str, Any]:
        return {"text_document": T.TextDocumentIdentifier(uri=uri),
                "position": T.Position(line=line, character=character)}

    def completion(self, uri: str, line: int, character: int) -> list[T.CompletionItem]:
        got = self.run(self.client.text_document_completion_async(
            T.CompletionParams(**self.where(uri, line, character))))
        assert isinstance(got, T.CompletionList)
        return list(got.items)

    def hover(self, uri: str, line: int, character: int) -> str | None:
        got = self.run(self.client.text_document_hover_async(
            T.HoverParams(**self.where(uri, line, character))))
        if got is None:
            return None
        assert isinstance(got.contents, T.MarkupContent)
        return got.contents.value

    def definition(self, uri: str, line: int, character: int) -> Any:
        return self.run(self.client.text_document_definition_async(
            T.DefinitionParams(**self.where(uri, line, character))))

    def symbols(self, uri: str) -> Any:
        return self.run(self.client.text_document_document_symbol_async(
            T.DocumentSymbolParams(text_document=T.TextDocumentIdentifier(uri=uri))))

    def formatting(self, uri: str) -> Any:
        return self.run(self.client.text_document_formatting_async(T.DocumentFormattingParams(
            text_document=T.TextDocumentIdentifier(uri=uri),
            options=T.FormattingOptions(tab_size=2, insert_spaces=True))))

    def code_actions(self, uri: str, diagnostics: list[T.Diagnostic]) -> list[T.CodeAction]:
        rng = diagnostics[0].range if diagnostics else T.Range(start=T.Position(line=0, character=0),
                                                                end=T.Position(line=0, character=0))
        got = self.run(self.client.text_document_code_action_async(T.CodeActionParams(
            text_document=T.TextDocumentIdentifier(uri=uri), range=rng,
            context=T.CodeActionContext(diagnostics=diagnostics))))
        return [a for a in got or [] if isinstance(a, T.CodeAction)]

    def close(self) -> int | None:
        """Shut the server down as an editor does; its exit code."""
        try:
            self.run(self.client.shutdown_async(None))
            self.notify(self.client.exit, None)
            server = self.client._server
            code = self.run(server.wait()) if server is not None else None
            self.run(self.client.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(TIMEOUT)
            self.loop.close()
        return code
