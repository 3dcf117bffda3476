"""The files the server checks: every .wf file under the client's workspace folders as read from disk
(as `wf check FOLDER` finds them, leaving out hidden folders such as `.git` or `.venv`, and
`node_modules` and `site-packages`, where installed packages keep theirs), with the text of the open
documents in their place, checked together by the `wf check` pipeline (``binding.checking``) against
one catalogue loaded once. The parse of an unchanged text is reused, and an edited document is parsed
again reusing its unchanged workflows (``incremental``)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ...binding.checking import Loaded, check_sources, enable_diagnostics, expand_paths
from ...diagnostics import Diagnostic
from ...grammar.parser import ParseResult
from ...grammar.reading import read_source
from ...source import SourceFile
from .incremental import Reparser

__all__ = ["Outcome", "Snapshot", "Workspace"]

_LEFT_OUT = frozenset({"node_modules", "site-packages", "__pycache__"})
"""Folders of other tools: their .wf files are not the workspace's own."""


def _own(path: str, root: str) -> bool:
    """True when ``path`` (under ``root``) is in no hidden folder and none of ``_LEFT_OUT``."""
    folders = os.path.relpath(path, root).split(os.sep)[:-1]
    return not any(f.startswith(".") or f in _LEFT_OUT for f in folders)


@attrs.frozen
class Snapshot:
    """The texts of one check: ``sources`` in check order (by path), ``unreadable`` the workspace files
    that could not be read (WF100, WF101, WF112) by path, ``versions`` of the open documents."""

    sources: tuple[SourceFile, ...]
    unreadable: Mapping[str, Diagnostic]
    versions: Mapping[str, int | None]


@attrs.frozen
class Outcome:
    """What one check found. ``by_path``: the diagnostics of each file (those without a place, such as a
    partner library that cannot be installed, under ``""``). ``program``: the bound program or None."""

    snapshot: Snapshot
    by_path: Mapping[str, tuple[Diagnostic, ...]]
    sources: Mapping[str, SourceFile]
    program: Any


class Workspace:
    """The workspace's files and open documents, by file path (or by URI for a document without one)."""

    def __init__(self) -> None:
        self.roots: list[str] = []
        self._disk: dict[str, SourceFile | Diagnostic] = {}
        self._open: dict[str, tuple[SourceFile, int | None]] = {}
        self._parses: dict[str, ParseResult] = {}
        self._reparsers: dict[str, Reparser] = {}
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ files

    def add_roots(self, roots: Iterable[str]) -> None:
        """Read every .wf file under the folders ``roots`` (recursively, as `wf check DIR` does)."""
        new = [os.path.abspath(r) for r in roots if os.path.isdir(r)]
        self.roots.extend(r for r in new if r not in self.roots)
        for root in new:
            for path in expand_paths([root]):
                if _own(path, root):
                    self.refresh(path)

    def in_roots(self, path: str) -> bool:
        """True for a .wf file of the workspace's own (see the module docstring)."""
        return path.endswith(".wf") and any(path.startswith(r.rstrip(os.sep) + os.sep) and _own(path, r)
                                            for r in self.roots)

    def refresh(self, path: str) -> None:
        """Read ``path`` from disk again (a file of the workspace changed, was created or deleted)."""
        if not self.in_roots(path) or not os.path.isfile(path):
            with self._lock:
                self._disk.pop(path, None)
            return
        read = read_source(path)
        with self._lock:
            self._disk[path] = read

    def open(self, path: str, text: str, version: int | None) -> None:
        with self._lock:
            self._open[path] = (SourceFile(path, text), version)

    def close(self, path: str) -> None:
        with self._lock:
            self._open.pop(path, None)
        self.refresh(path)

    def text(self, path: str) -> SourceFile | None:
        """The current text of ``path``: the open document's, else the file's."""
        with self._lock:
            got = self._open.get(path)
            disk = self._disk.get(path)
        if got is not None:
            return got[0]
        return disk if isinstance(disk, SourceFile) else None

    @property
    def open_paths(self) -> list[str]:
        with self._lock:
            return list(self._open)

    # ------------------------------------------------------------------ checking

    def parse(self, source: SourceFile) -> ParseResult:
        """The parse of ``source``, reused while its path's text stays the same."""
        got = self._parses.get(source.path)
        if got is not None and got.source.text == source.text:
            return got
        with self._lock:
            reparser = self._reparsers.setdefault(source.path, Reparser())
        result = reparser.parse(source)
        self._parses[source.path] = result
        return result

    def parsed(self, path: str) -> ParseResult | None:
        """The parse of the current text of ``path`` (None when there is none)."""
        src = self.text(path)
        return self.parse(src) if src is not None else None

    def snapshot(self) -> Snapshot:
        with self._lock:
            texts = {p: s for p, s in self._disk.items() if isinstance(s, SourceFile)}
            unreadable = {p: d for p, d in self._disk.items()
                          if isinstance(d, Diagnostic) and p not in self._open}
            texts.update((p, src) for p, (src, _v) in self._open.items())
            versions = {p: v for p, (_s, v) in self._open.items()}
        return Snapshot(tuple(texts[p] for p in sorted(texts)), unreadable, versions)

    def check(self, snap: Snapshot, loaded: Loaded, *, enable: bool = True,
              allow_overlap: bool = False) -> Outcome:
        """Check the snapshot's files together against the ``loaded`` catalogue: `wf check` (with
        ``enable``: `wf check --enable`)."""
        result = check_sources(snap.sources, catalogue=loaded, parse=self.parse)
        diags = (enable_diagnostics(result, loaded[0], allow_overlap=allow_overlap) if enable
                 else result.diagnostics)
        return Outcome(snap, group(diags, snap.unreadable), result.sources, result.program)


def group(diags: Sequence[Diagnostic],
          unreadable: Mapping[str, Diagnostic]) -> dict[str, tuple[Diagnostic, ...]]:
    """Diagnostics by the file they are about (``""`` for those about no file)."""
    out: dict[str, list[Diagnostic]] = {path: [d] for path, d in unreadable.items()}
    for d in diags:
        out.setdefault(d.span.path if d.span is not None else "", []).append(d)
    return {path: tuple(ds) for path, ds in out.items()}
