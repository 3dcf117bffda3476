"""The language server: pygls over standard input and output, one workspace, checks run one at a time
on a worker thread (edits that arrive meanwhile are checked together right after), and the features
answered from the current text of a document.

Settings (``initializationOptions``, or ``workspace/didChangeConfiguration`` under ``werkstroom``):
``enable`` (default true) runs BC's enable checks and the overlap refusals as `wf check --enable`
does; ``allowOverlap`` (default false) makes overlaps warnings as `--allow-overlap` does.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
from collections.abc import Callable
from importlib import metadata
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from ...binding.checking import Loaded
from ...catalogue.catalogue import Catalogue
from ...source import SourceFile
from .positions import Lines
from .publish import to_lsp
from .workspace import Outcome, Workspace

__all__ = ["WfServer"]

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return metadata.version("werkstroom")
    except metadata.PackageNotFoundError:
        return "0"


def _load(ws: Workspace, roots: list[str]) -> Loaded:
    """The installed catalogue (the stdlib and the partner libraries), and the workspace's files read."""
    from ...binding.libraries import load_catalogue

    loaded: Loaded = load_catalogue()
    ws.add_roots(roots)
    return loaded


class WfServer(LanguageServer):
    """The `wf lsp` server (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__("werkstroom", _version(), text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.enable = True
        self.allow_overlap = False
        self.checker = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="wf-check")
        self.ws = Workspace()
        self.ready: concurrent.futures.Future[Loaded] | None = None
        self.uris: dict[str, str] = {}  # path -> the URI the client uses for it
        self.sent: dict[str, list[types.Diagnostic]] = {}  # by path: the diagnostics last published
        self.dirty = False
        self.task: asyncio.Task[None] | None = None
        self.first: str | None = None  # the document edited last: published first

    # ------------------------------------------------------------------ the workspace

    def start_loading(self, roots: list[str]) -> None:
        """Load the catalogue and read the workspace's files on the worker thread."""
        if self.ready is None:
            self.ready = self.checker.submit(_load, self.ws, roots)

    @property
    def loaded(self) -> Loaded:
        """The catalogue and its loading diagnostics (waits while they are still loading)."""
        self.start_loading([])
        assert self.ready is not None
        return self.ready.result()

    @property
    def catalogue(self) -> Catalogue:
        cat: Catalogue = self.loaded[0]
        return cat

    def path_of(self, uri: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        path = path or uri
        self.uris.setdefault(path, uri)
        return path

    def uri_of(self, path: str) -> str:
        if path in self.uris:
            return self.uris[path]
        return (from_fs_path(path) or path) if not path.startswith("untitled:") else path

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    def settings(self, options: Any) -> None:
        if isinstance(options, dict):
            options = options.get("werkstroom", options)
            if isinstance(options, dict):
                self.enable = bool(options.get("enable", self.enable))
                self.allow_overlap = bool(options.get("allowOverlap", self.allow_overlap))

    # ------------------------------------------------------------------ checking and publishing

    def schedule(self, path: str | None = None) -> None:
        """Check again soon: at once when no check runs, else right after the running one."""
        self.dirty = True
        self.first = path or self.first
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._checks())

    async def _checks(self) -> None:
        loop = asyncio.get_running_loop()
        self.start_loading([])
        assert self.ready is not None
        loaded = await asyncio.wrap_future(self.ready)
        while self.dirty:
            self.dirty = False
            check = functools.partial(self.ws.check, self.ws.snapshot(), loaded, enable=self.enable,
                                      allow_overlap=self.allow_overlap)
            try:
                outcome = await loop.run_in_executor(self.checker, check)
            except Exception:  # a bug in a check must not take the editor's server down
                log.exception("wf lsp: the check failed")
                continue
            self.publish(outcome)

    def publish(self, outcome: Outcome) -> None:
        """Send the diagnostics of every file that has some, or had some last time; the open
        documents always (their version moved), the one edited last first."""
        nowhere = outcome.by_path.get("", ())
        opened = set(outcome.snapshot.versions)
        paths = (set(outcome.by_path) | set(self.sent) | opened) - {""}
        order = sorted(paths, key=lambda p: (p != self.first, p not in opened, p))
        for path in order:
            source = outcome.sources.get(path)
            found = [*outcome.by_path.get(path, ()), *(nowhere if path in opened else ())]
            lsp = [to_lsp(d, source, self._lines_of(outcome), self.uri_of) for d in found]
            if path not in opened and lsp == self.sent.get(path, []):
                continue
            if lsp:
                self.sent[path] = lsp
            else:
                self.sent.pop(path, None)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=self.uri_of(path), diagnostics=lsp, version=outcome.snapshot.versions.get(path)))

    def _lines_of(self, outcome: Outcome) -> Callable[[str], Lines | None]:
        """Positions in the texts the check read."""
        encoding = self.encoding

        def lines(path: str) -> Lines | None:
            src = outcome.sources.get(path)
            return Lines(src, encoding) if src is not None else None

        return lines

    # ------------------------------------------------------------------ a document's features

    def document(self, uri: str) -> tuple[str, SourceFile, Lines] | None:
        path = self.path_of(uri)
        src = self.ws.text(path)
        if src is None:
            return None
        return path, src, Lines(src, self.encoding)
