"""The grammar itself: conflict-free LALR(1), no terminal collisions, and the cached build works."""

from __future__ import annotations

import subprocess
import sys

from lark import Lark

from werkstroom.grammar.lalr import GRAMMAR_PATH


def test_grammar_is_conflict_free_in_strict_mode() -> None:
    # strict: shift/reduce conflicts and regex collisions between terminals are errors
    Lark(GRAMMAR_PATH.read_text(encoding="utf-8"), parser="lalr", strict=True)


def test_import_werkstroom_does_not_load_lark() -> None:
    code = "import sys, werkstroom; print('lark' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_parse_works_without_a_writable_cache(tmp_path: object) -> None:
    code = "import werkstroom; print(werkstroom.parse('on A then b').ok)"
    env = {"XDG_CACHE_HOME": "/proc/no-such-dir", "HOME": "/proc/no-such-dir", "PATH": ""}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "True"


def test_grammar_cache_is_written_once_and_reused(tmp_path: object) -> None:
    import os
    from pathlib import Path

    cache_home = Path(str(tmp_path))
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    code = "import werkstroom; print(werkstroom.parse('on A then b').ok)"
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env=env)
        assert out.stdout.strip() == "True"
    files = sorted(p.name for p in (cache_home / "werkstroom").iterdir())
    assert len(files) == 1 and files[0].startswith("wf-grammar-") and files[0].endswith(".cache")
