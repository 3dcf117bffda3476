"""``pip install werkstroom`` brings what running workflows needs, and nothing of the test world: the
base install's imports never need pytest, pytest-bdd, psycopg or pygls (they come with the ``specs``,
``postgres``, ``lsp`` and ``test`` extras), and the pytest plugin keeps out of a host's way without
pytest-bdd.

Each check runs in a fresh interpreter that refuses to import the optional packages, as on a
machine where they are not installed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

OPTIONAL = ("pytest", "_pytest", "pytest_bdd", "psycopg", "psycopg_binary", "psycopg_c", "pygls",
            "lsprotocol")
# the [server] extra's packages (and the ones they bring): only `wf serve` and `wf tokens` need them
SERVER = ("fastapi", "starlette", "uvicorn", "argon2", "prometheus_client", "httpx", "jinja2", "multipart",
          "python_multipart", "pydantic")



def _blocker(blocked: tuple[str, ...]) -> str:
    """Code that makes importing any of ``blocked`` (and their submodules) fail as if not installed."""
    return textwrap.dedent(f"""
        import sys

        class NotInstalled:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {blocked!r}:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None

        sys.meta_path.insert(0, NotInstalled())
    """)


def _run(code: str, *, block_pytest: bool = True, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    blocked = (OPTIONAL if block_pytest else OPTIONAL[2:]) + SERVER
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-c", _blocker(blocked) + textwrap.dedent(code)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)


def test_every_module_outside_the_specs_world_imports_without_the_optional_packages() -> None:
    """The service's modules may need the [server] extra (and fail naming one of its packages);
    every other module imports."""
    done = _run(f"""
        import importlib, pkgutil, werkstroom
        # the specs world needs pytest; the language server's modules need the `lsp` extra (pygls)
        names = [m.name for m in pkgutil.walk_packages(werkstroom.__path__, "werkstroom.")
                 if not m.name.startswith(("werkstroom.specs", "werkstroom.tools.lsp."))]
        server = 0
        for name in names:
            try:
                importlib.import_module(name)
            except ModuleNotFoundError as exc:
                assert name.startswith("werkstroom.service."), (name, exc)
                assert exc.name.split(".")[0] in {SERVER!r}, (name, exc)
                server += 1
        print(len(names), "modules", server, "need the server extra")
    """)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[0]) > 50
    assert int(done.stdout.split()[2]) > 5


def test_the_worker_and_webhooks_without_the_server_extra(tmp_path: Path) -> None:
    """`wf webhooks` needs only the store; `wf worker` needs httpx for webhooks (WF816), not without."""
    db = f"sqlite:///{tmp_path / 'w.db'}"
    for args, code in ((["webhooks", "add", "http://127.0.0.1:9/h", "--kind", "*"], 0),
                       (["webhooks", "list"], 0), (["worker", "--once", "--no-webhooks"], 0),
                       (["worker", "--once"], 2)):
        done = _run(f"""
            from werkstroom.cli import main
            main(["--db", {db!r}, *{args!r}])
        """)
        assert done.returncode == code, (args, done.stdout + done.stderr)
    assert "[WF816]" in done.stderr and "--no-webhooks" in done.stderr


def test_serve_tokens_and_users_without_the_server_extra_say_which_extra_to_install(tmp_path: Path) -> None:
    for args in (["serve", "--port", "0"], ["tokens", "list"], ["users", "set-password", "FINANCE"]):
        done = _run(f"""
            from werkstroom.cli import main
            main(["--db", "sqlite:///{tmp_path / 'w.db'}", *{args!r}])
        """)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "[WF816]" in done.stderr, done.stderr
        assert "pip install 'werkstroom[server]'" in done.stderr


def test_check_simulate_and_an_engine_on_sqlite_without_the_optional_packages(tmp_path: Path) -> None:
    done = _run(f"""
        from werkstroom.cli import main
        for args in (["check", "examples/purchase-invoice-eu.wf", "werkstroom/stdlib/templates"],
                     ["simulate", "examples/purchase-invoice-eu.wf",
                      "--scenario", "examples/scenarios/purchase-invoice-eu.toml"],
                     ["--db", "sqlite:///{tmp_path / 'w.db'}", "deploy", "--enable",
                      "examples/purchase-invoice-eu.wf"]):
            try:
                main(args)
            except SystemExit as exc:
                assert exc.code in (0, None), (args, exc.code)
        from werkstroom import open_engine
        open_engine("sqlite://").close()
    """)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    assert "every step went as expected" in done.stdout


def test_partner_steps_are_declared_without_pytest() -> None:
    """A partner library's step module only declares (plain data); the specs plugin binds it."""
    done = _run("""
        from werkstroom.extend import REF, SpecError, then
        from werkstroom.steps import STEPS

        @then(r"the webhook of " + REF + " was called",
              example='Then the webhook of the customer "C1" was called')
        def _(werkstroom_world, kind, id):
            \"\"\"The webhook ran.\"\"\"
            raise SpecError("not called")

        assert STEPS[-1].kind == "Then" and STEPS[-1].module == "__main__", STEPS[-1]
    """)
    assert done.returncode == 0, done.stderr


def test_postgres_url_without_the_driver_says_which_extra_to_install() -> None:
    done = _run("""
        from werkstroom.cli import main
        main(["--db", "postgresql+psycopg://postgres@127.0.0.1:5432/test", "instances"])
    """)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "[WF515]" in done.stderr
    assert "pip install 'werkstroom[postgres]'" in done.stderr


def test_wf_lsp_without_pygls_says_which_extra_to_install() -> None:
    done = _run("""
        from werkstroom.cli import main
        main(["lsp"])
    """)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("error[WF880]: wf lsp needs "), done.stderr
    assert done.stderr.rstrip().endswith("pip install 'werkstroom[lsp]'")


def test_the_pytest_plugin_without_pytest_bdd(tmp_path: Path) -> None:
    """A host's own tests run; a test that uses the step library fails saying what to install.
    (``--assert=plain``: pytest's assertion rewriter, first in ``sys.meta_path``, would find pytest-bdd.)"""
    (tmp_path / "test_host.py").write_text(
        "def test_plain():\n    assert 1 + 1 == 2\n\n\ndef test_world(werkstroom_world):\n    pass\n",
        encoding="utf-8")
    done = _run("""
        import sys
        import pytest
        sys.exit(pytest.main(["-p", "no:pytest-bdd", "-p", "no:cacheprovider", "-p", "no:xdist",
                              "--assert=plain", "-q", "test_host.py"]))
    """, block_pytest=False, cwd=tmp_path)
    out = done.stdout + done.stderr
    assert "1 passed, 1 error" in out, out
    assert "needs pytest-bdd, which is not installed" in out
    assert "pip install 'werkstroom[specs]'" in out


def test_the_base_dependencies_leave_the_optional_packages_to_extras() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\[<>=!~ ;]", r, maxsplit=1)[0].lower() for r in requirements}

    base = names(project["dependencies"])
    assert not base & {"pytest", "pytest-bdd", "psycopg", "pygls", "lsprotocol"}, base
    extras = project["optional-dependencies"]
    assert "psycopg" in names(extras["postgres"])
    assert {"pytest", "pytest-bdd"} <= names(extras["specs"])
    assert {"pygls", "lsprotocol"} <= names(extras["lsp"])
    assert any(r.startswith("werkstroom[") and "specs" in r and "postgres" in r and "lsp" in r
               for r in extras["test"])
