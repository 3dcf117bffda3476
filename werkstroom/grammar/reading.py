"""Reading .wf files: bytes in, a ``SourceFile`` out (UTF-8, a leading BOM dropped), or the WF100 /
WF101 / WF112 diagnostic that says why the file cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import Diagnostic
from ..source import SourceFile, Span
from .limits import MAX_SOURCE_BYTES, diag, too_large

__all__ = ["decode_source", "read_source"]


def read_source(path: str | os.PathLike[str]) -> SourceFile | Diagnostic:
    """Read a .wf file as UTF-8 (a leading BOM is dropped; CRLF is kept). Every failure is a
    diagnostic: WF100 (missing, a directory, unreadable), WF101 (not UTF-8 text), WF112 (too large)."""
    name = os.fspath(path)
    p = Path(name)
    try:
        if p.is_dir():
            return diag("WF100", f"`{name}` is a directory, not a .wf file", None,
                        help="pass the directory to `wf check`, which reads every *.wf file in it")
        size = p.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return too_large(name, size)
        data = p.read_bytes()
    except FileNotFoundError:
        return diag("WF100", f"cannot read `{name}`: no such file", None)
    except OSError as exc:
        return diag("WF100", f"cannot read `{name}`: {exc.strerror or exc}", None)
    return decode_source(name, data)


def decode_source(name: str, data: bytes) -> SourceFile | Diagnostic:
    """Decode file bytes (see ``read_source``)."""
    if len(data) > MAX_SOURCE_BYTES:
        return too_large(name, len(data))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        return diag("WF101", f"`{name}` looks like a binary file, not .wf text",
                    _bytes_span(name, data, nul), label="a NUL byte",
                    help="a .wf script is plain UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return diag("WF101", f"`{name}` is not valid UTF-8 text", _bytes_span(name, data, exc.start),
                    label=f"byte 0x{data[exc.start]:02x} is not UTF-8",
                    help="save the file as UTF-8 (most editors: 'Save with encoding')")
    return SourceFile(name, text)


def _bytes_span(name: str, data: bytes, offset: int) -> Span:
    before = data[:offset].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    return Span(name, len(before), len(before) + 1, line, col, line, col + 1)
