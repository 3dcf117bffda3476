"""What a subscription and a worker accept: kinds (the table follows the sources), URLs, secrets and
worker settings; every WF82x code is declared once, documented and asserted by a test."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from werkstroom.codes import CODES
from werkstroom.codes import delivery as delivery_codes
from werkstroom.errors import WerkstroomError
from werkstroom.service.webhooks.claims import Policy
from werkstroom.service.webhooks.kinds import KNOWN_KINDS, checked_filter, matches
from werkstroom.service.webhooks.subscriptions import checked_description, checked_secret, checked_url
from werkstroom.service.worker import WorkerSettings

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
KIND = re.compile(r"[a-z_]+\.[a-z_]+")


def _emitted_kinds() -> set[str]:
    """The outbox kinds written in the engine and the standard library: the text literals shaped like
    a kind (words joined by a dot, not a module name) and the engine's ``message``."""
    found = {"message"}
    for folder in ("engine", "stdlib"):
        for path in (ROOT / "werkstroom" / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                        and KIND.fullmatch(node.value) and not node.value.startswith("werkstroom.")):
                    found.add(node.value)
    return found


def test_the_known_kinds_are_the_kinds_the_engine_and_stdlib_emit() -> None:
    assert set(KNOWN_KINDS) == _emitted_kinds()


def code_of(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(WerkstroomError) as refused:
        call(*args, **kwargs)
    return refused.value.code


def test_a_filter_takes_known_kinds_namespaces_all_and_custom_kinds() -> None:
    assert checked_filter(["document.released", " document.* ", "*", "document.released"],
                          ["expenses.claim_paid", "expenses.*"]) == (
        "document.released", "document.*", "*", "expenses.claim_paid", "expenses.*")
    assert matches(["document.*"], "document.reopened") and not matches(["document.*"], "documents.x")
    assert matches(["*"], "anything.at_all") and matches(["message"], "message")
    assert not matches(["message"], "message.other") and not matches([], "message")


@pytest.mark.parametrize(("kinds", "custom", "says"), [
    ([], [], "at least one kind"),
    (["documnet.released"], [], "did you mean 'document.released'?"),
    (["documen.*"], [], "did you mean 'document.*'?"),
    (["expenses.claim_paid"], [], "give them as custom kinds"),
    ([], ["not a kind"], "is not a kind"),
    ([], ["x" * 65], "at most 64"),
    ([], ["a..b"], "is not a kind"),
    ([3], [], "a kind is text"),
    ([f"custom.k{n}" for n in range(51)], [], "custom kinds"),
    ([], [f"custom.k{n}" for n in range(51)], "at most 50 kinds"),
])
def test_a_filter_refuses_with_wf821(kinds: list[Any], custom: list[Any], says: str) -> None:
    with pytest.raises(WerkstroomError) as refused:
        checked_filter(kinds, custom)
    assert refused.value.code == "WF821" and says in str(refused.value)


@pytest.mark.parametrize("url", [
    "erp.example.com/hooks", "ftp://erp.example.com/hooks", "https:///hooks", "http://host:99999/x",
    "http://[::1/x", "https://erp.example.com/a b", "https://erp.example.com/" + "x" * 2000, 42,
])
def test_a_webhook_url_is_an_absolute_http_url_wf820(url: Any) -> None:
    assert code_of(checked_url, url) == "WF820"


def test_good_urls_pass() -> None:
    for url in ("https://erp.example.com/werkstroom/hooks?tenant=7", "http://127.0.0.1:8080/x",
                "http://[::1]:9000/hooks"):
        assert checked_url(f" {url} ") == url


@pytest.mark.parametrize("secret", ["short", " " + "s" * 20, "s" * 201, "tab\tin-the-secret!", None])
def test_a_secret_has_16_to_200_printable_characters_wf825(secret: Any) -> None:
    assert code_of(checked_secret, secret) == "WF825"


def test_a_description_is_short_printable_text_wf825() -> None:
    assert checked_description("the ERP's order hook") == "the ERP's order hook"
    assert code_of(checked_description, "x" * 251) == "WF825"
    assert code_of(checked_description, "line\nbreak") == "WF825"


@pytest.mark.parametrize("settings", [
    {"concurrency": 0}, {"concurrency": 65}, {"concurrency": 2.5}, {"concurrency": True},
    {"poll_interval": 0}, {"poll_interval": float("nan")}, {"timers_interval": -1}, {"batch": 0},
    {"policy": Policy(max_attempts=0)}, {"policy": Policy(timeout=0)}, {"policy": Policy(lease=0.5)},
    {"policy": Policy(backoff=10, backoff_cap=5)},
])
def test_worker_settings_out_of_range_are_wf826(settings: dict[str, Any]) -> None:
    assert code_of(lambda: WorkerSettings(**settings).checked()) == "WF826"


def test_the_lease_covers_a_batch_of_timeouts() -> None:
    assert WorkerSettings().lease() == 120.0
    assert WorkerSettings(batch=10, policy=Policy(timeout=30, lease=60)).lease() == 600.0


def test_every_delivery_code_is_asserted_by_a_test_documented_and_registered() -> None:
    sources = "\n".join(p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py"))
    asserted = set(re.findall(r"WF8[23]\d", sources))
    declared = {c.code for c in delivery_codes.CODES}
    assert declared <= {f"WF{n}" for n in range(820, 840)}
    assert declared - asserted == set()
    headings = set(re.findall(r"^### (WF8\d\d)$", (ROOT / "docs" / "diagnostics.md").read_text(), flags=re.M))
    for info in delivery_codes.CODES:
        assert info.code in headings, info.code
        assert CODES[info.code] is info
