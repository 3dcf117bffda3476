"""The Python examples of docs/engine.md run as written, in order, and print what they claim."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_engine_doc_examples_run() -> None:
    text = (ROOT / "docs" / "engine.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 6
    namespace: dict[str, object] = {}
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out):
            for block in blocks:
                exec(compile(block, "docs/engine.md", "exec"), namespace)  # our own documentation
    finally:
        os.chdir(cwd)
    printed = out.getvalue()
    # the comments in the examples say what they print
    assert "PIAPW-EU 1" in printed
    assert "started instance-1" in printed
    assert "1 ('amount > 1000', [('amount', '4500')], True)" in printed
    assert "6 True" in printed
    assert "Released False" in printed
    assert printed.rstrip().endswith("[]")
