"""The sample deployment in examples/deploy runs valid `wf` commands: the systemd units' ExecStart lines
and the compose file's commands parse as `wf` invocations (every option known, every value of its
type) and `wf ... --help` answers for each. (Docker and systemd themselves do not run here.)"""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from werkstroom.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "examples" / "deploy"


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd's keys are case-sensitive
    parser.read(path)
    return parser


def unit_commands() -> list[tuple[str, list[str]]]:
    found = []
    for path in sorted((DEPLOY / "systemd").glob("*.service")):
        argv = shlex.split(unit(path)["Service"]["ExecStart"])
        assert argv[0] == "/opt/werkstroom/venv/bin/wf", path.name
        found.append((path.name, argv[1:]))
    return found


def compose_commands() -> list[tuple[str, list[str]]]:
    spec = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return [(name, service["command"]) for name, service in sorted(spec["services"].items())
            if "command" in service]


COMMANDS = unit_commands() + compose_commands()


def test_the_deployment_has_a_server_and_a_worker_in_each_form() -> None:
    assert [args[0] for _, args in unit_commands()] == ["serve", "worker"]
    assert sorted(args[0] for _, args in compose_commands()) == ["serve", "worker"]
    spec = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert spec["services"]["worker"]["deploy"]["replicas"] == 2
    assert spec["services"]["postgres"]["image"].startswith("postgres:")
    assert spec["services"]["server"]["environment"]["WERKSTROOM_DB"].startswith("postgresql+psycopg://")
    env = dict(line.split("=", 1) for line in (DEPLOY / "systemd" / "werkstroom.env").read_text().splitlines()
               if line and not line.startswith("#"))
    assert env["WERKSTROOM_DB"].startswith("postgresql+psycopg://")
    for path in (DEPLOY / "systemd").glob("*.service"):
        service = unit(path)["Service"]
        assert service["KillSignal"] == "SIGTERM" and service["EnvironmentFile"].endswith("werkstroom.env")


@pytest.mark.parametrize(("where", "args"), COMMANDS, ids=[w for w, _ in COMMANDS])
def test_each_command_parses_as_a_wf_invocation(where: str, args: list[str]) -> None:
    """Every option is one the command has and every value fits its type (parsed as `wf` would,
    without running it)."""
    with cli.make_context("wf", list(args), resilient_parsing=False) as ctx:
        command = cli.get_command(ctx, args[0])
        assert isinstance(command, click.Command)
        with command.make_context(args[0], list(args[1:]), parent=ctx) as sub:
            assert sub.params  # parsed


@pytest.mark.parametrize(("where", "args"), COMMANDS, ids=[w for w, _ in COMMANDS])
def test_wf_help_answers_for_each_command(where: str, args: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-m", "werkstroom", *args, "--help"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Usage: wf {args[0]} [OPTIONS]")
