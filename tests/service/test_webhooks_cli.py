"""`wf webhooks ...` and `wf worker --once` on a store with outbox rows, against a real receiver."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result

from werkstroom.cli import cli

from .hooklib import Receiver, emit, hook_engine


@pytest.fixture
def store(engine_url: str) -> Iterator[str]:
    eng = hook_engine(engine_url)
    eng.close()
    yield engine_url


def wf(url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", url, *args])


def with_outbox(url: str, n: int, start: int = 1) -> None:
    eng = hook_engine(url)
    try:
        emit(eng, n, start)
    finally:
        eng.close()


def test_add_list_pause_resume_and_remove(store: str) -> None:
    added = wf(store, "webhooks", "add", "https://erp.example.com/hooks", "--kind", "document.released",
               "--kind", "record.*", "--description", "ERP")
    assert added.exit_code == 0, added.output
    assert added.output.startswith(
        "subscription 1: https://erp.example.com/hooks <- document.released, record.*")
    assert "signing secret (shown once): whsec_" in added.output
    as_json = json.loads(wf(store, "webhooks", "add", "http://127.0.0.1:9/x", "--kind", "*", "--secret",
                            "a-secret-of-20-chars", "--paused", "--json").output)
    assert as_json["secret"] == "a-secret-of-20-chars" and as_json["active"] is False
    listed = wf(store, "webhooks").output.splitlines()  # the default: list
    assert listed[0].split() == ["id", "url", "kinds", "active", "pending", "delivered", "dead",
                                 "description"]
    assert listed[1].split() == ["1", "https://erp.example.com/hooks", "document.released,record.*", "yes",
                                 "0", "0", "0", "ERP"]
    assert listed[2].split()[3] == "paused"
    assert "secret" not in wf(store, "webhooks", "list", "--json").output  # never listed
    assert wf(store, "webhooks", "resume", "2").output == "subscription 2 resumed: http://127.0.0.1:9/x\n"
    assert wf(store, "webhooks", "pause", "1").output.startswith("subscription 1 paused")
    removed = wf(store, "webhooks", "remove", "1")
    assert removed.output == "subscription 1 removed: https://erp.example.com/hooks (0 deliveries deleted)\n"
    gone = wf(store, "webhooks", "remove", "1")
    assert gone.exit_code == 1 and "[WF822]" in gone.output


def test_refusals_exit_1_with_their_code_and_change_nothing(store: str) -> None:
    for args, code in [(["add", "erp/hooks", "--kind", "*"], "WF820"),
                       (["add", "http://erp/hooks"], "WF821"),
                       (["add", "http://erp/hooks", "--kind", "document.relased"], "WF821"),
                       (["add", "http://erp/hooks", "--kind", "*", "--secret", "short"], "WF825"),
                       (["pause", "7"], "WF822"), (["replay", "7"], "WF823")]:
        done = wf(store, "webhooks", *args)
        assert done.exit_code == 1 and done.output.endswith(f"[{code}]\n"), (args, done.output)
    assert wf(store, "webhooks", "list", "--json").output == "[]\n"


def test_the_worker_delivers_and_replays_from_the_command_line(store: str) -> None:
    broken = {"on": True}
    with Receiver(answer=lambda n: 500 if broken["on"] else 200).running() as receiver:
        added = json.loads(wf(store, "webhooks", "add", receiver.url, "--kind", "document.released",
                              "--json").output)
        receiver.secret = added["secret"]
        with_outbox(store, 2)
        once = wf(store, "worker", "--once", "--max-attempts", "1", "--no-timers")
        assert once.exit_code == 0, once.output
        assert json.loads(once.output.splitlines()[-1])["dead"] == 2
        failed = wf(store, "webhooks", "failed", "--json")
        dead = json.loads(failed.output)
        assert [d["status"] for d in dead] == ["dead", "dead"] and dead[0]["last_error"] == "HTTP 500"
        assert "HTTP 500" in wf(store, "webhooks", "failed").output
        broken["on"] = False
        replayed = wf(store, "webhooks", "replay", str(dead[0]["id"]), dead[1]["delivery_id"])
        assert replayed.output.count("is pending again") == 2
        again = wf(store, "webhooks", "replay", str(dead[0]["id"]))
        assert again.exit_code == 1 and again.output.endswith("[WF824]\n")
        assert wf(store, "worker", "--once", "--no-timers").exit_code == 0
    assert sorted(receiver.accepted) == sorted(d["delivery_id"] for d in dead)
    delivered = json.loads(wf(store, "webhooks", "deliveries", "--status", "delivered", "--json").output)
    assert len(delivered) == 2 and wf(store, "webhooks", "failed").output == "(none)\n"


def test_worker_settings_out_of_range_exit_1(store: str) -> None:
    done = wf(store, "worker", "--concurrency", "0")
    assert done.exit_code == 1 and done.output.endswith("[WF826]\n")


def test_the_commands_take_their_own_db_option(store: str, tmp_path: Any) -> None:
    other = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    result = CliRunner().invoke(cli, ["--db", other, "webhooks", "--db", store, "add", "http://127.0.0.1:9/x",
                                      "--kind", "*"])
    assert result.exit_code == 0
    assert len(json.loads(wf(store, "webhooks", "list", "--json").output)) == 1


def test_kinds_lists_what_can_be_subscribed_to() -> None:
    out = CliRunner().invoke(cli, ["webhooks", "kinds"]).output
    assert "document.released" in out and "record.field_applied" in out and "webhook.notify" in out
