"""API tokens: stored hashed, made, listed and revoked with `wf tokens`; a revoked token fails on the next
request in every process; failures are rate limited per client address across processes; a token
never appears in the logs."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from werkstroom import Engine, VirtualClock, open_engine
from werkstroom.cli import main
from werkstroom.service import logs
from werkstroom.service.app import create_app
from werkstroom.service.auth import tokens as token_store
from werkstroom.service.settings import Settings

from .conftest import LiveServer, Tokens, bearer, invoice

ME = "/api/v1/me"


def _cli(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    try:
        main(["--db", url, *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_store_keeps_only_an_argon2_hash_of_each_secret(engine: Engine, engine_url: str) -> None:
    token, info = token_store.create(engine, system="erp", scopes=["events"])
    parts = token_store.split(token)  # the secret is URL-safe base64: it may hold "_" itself
    assert parts is not None and parts[0] == info.id
    secret = parts[1]
    raw = create_engine(engine_url)
    with raw.connect() as conn:
        rows = [tuple(map(str, r)) for r in conn.execute(text("SELECT * FROM wf_api_token"))]
    raw.dispose()
    (row,) = rows
    assert info.id in row and any(v.startswith("$argon2id$") for v in row)
    assert not any(secret in v or token in v for v in row)


def test_wf_tokens_creates_lists_and_revokes(engine: Engine, engine_url: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(capsys, engine_url, "tokens", "create", "--user", "finance", "--note", "laptop")
    token = out.strip()
    assert code == 0 and token_store.split(token) is not None and "shown once" in err
    code, out, _ = _cli(capsys, engine_url, "tokens", "create", "--system", "erp", "--scope", "events",
                        "--scope", "records", "--json")
    made = json.loads(out)
    assert code == 0 and made["scopes"] == ["events", "records"] and made["token"].startswith("wfk_")
    code, out, _ = _cli(capsys, engine_url, "tokens", "list")
    assert "user FINANCE" in out and "system erp (events, records)" in out and "laptop" in out
    assert token not in out and made["token"] not in out
    code, out, _ = _cli(capsys, engine_url, "tokens", "revoke", made["id"])
    assert code == 0 and made["id"] in out
    code, _, err = _cli(capsys, engine_url, "tokens", "revoke", made["id"])
    assert code == 1 and "[WF812]" in err
    code, out, _ = _cli(capsys, engine_url, "tokens", "list", "--all", "--json")
    revoked = {r["name"]: r["revoked_at"] is not None for r in json.loads(out)}
    assert revoked == {"erp": True, "FINANCE": False}
    code, out, _ = _cli(capsys, engine_url, "tokens", "revoke", "--user", "FINANCE")
    assert code == 0 and "revoked 1 token" in out


@pytest.mark.parametrize("args", [
    ("--user", "NOBODY"),
    ("--system", "erp"),
    ("--system", "erp", "--scope", "events", "--user", "FINANCE"),
    ("--system", "has space", "--scope", "events"),
    ("--user", "FINANCE", "--scope", "admin"),
    (),
])
def test_a_token_for_a_principal_that_cannot_be_is_refused_WF811(engine: Engine, engine_url: str,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 args: tuple[str, ...]) -> None:
    code, _, err = _cli(capsys, engine_url, "tokens", "create", *args)
    assert code == 1 and "[WF811]" in err, err
    assert token_store.listing(engine, revoked=True) == []


def test_a_revoked_token_fails_on_the_next_request_in_every_process(engine: Engine, engine_url: str,
                                                                    tokens: Tokens) -> None:
    other = open_engine(engine_url)  # another server process: its own engine and token cache
    try:
        with TestClient(create_app(engine)) as one, TestClient(create_app(other)) as two:
            for client in (one, two):
                assert client.get(ME, headers=bearer(tokens.finance)).json()["name"] == "FINANCE"
            token_store.revoke(engine, token_id=token_store.split(tokens.finance)[0])  # type: ignore[index]
            for client in (one, two):
                refused = client.get(ME, headers=bearer(tokens.finance))
                assert (refused.status_code, refused.json()["code"]) == (401, "WF802")
                assert client.get(ME, headers=bearer(tokens.buyer)).status_code == 200
            token_store.revoke(engine, user="buyer")  # a revoked principal: every token of it
            assert two.get(ME, headers=bearer(tokens.buyer)).json()["code"] == "WF802"
    finally:
        other.close()


def test_authentication_failures_are_limited_per_address_across_processes(engine: Engine, engine_url: str,
                                                                          tokens: Tokens,
                                                                          clock: VirtualClock) -> None:
    settings = Settings(auth_failures=3, auth_window=60, auth_block=120)
    other = open_engine(engine_url, clock=clock)
    wrong = tokens.events[:-4] + "AAAA"
    try:
        with TestClient(create_app(engine, settings)) as one, TestClient(create_app(other, settings)) as two:
            assert one.get(ME).json()["code"] == "WF800"  # no token: not counted
            codes = [c.get(ME, headers=bearer(t)).json()["code"]
                     for c, t in ((one, wrong), (two, "wfk_nonsense"), (one, wrong))]
            assert codes == ["WF801", "WF801", "WF801"]
            for client in (one, two):  # blocked, whatever the token, in every process
                blocked = client.get(ME, headers=bearer(tokens.events))
                assert (blocked.status_code, blocked.json()["code"]) == (429, "WF803")
                assert blocked.headers["Retry-After"] == "120"
            clock.advance(dt.timedelta(seconds=61))
            assert one.get(ME, headers=bearer(tokens.events)).headers["Retry-After"] == "59"
            clock.advance(dt.timedelta(seconds=60))
            assert two.get(ME, headers=bearer(tokens.events)).status_code == 200
            assert one.get(ME, headers=bearer(wrong)).json()["code"] == "WF801"  # a new window
            assert one.get(ME, headers=bearer(tokens.events)).status_code == 200
    finally:
        other.close()


def test_no_token_ever_appears_in_the_log(engine: Engine, tokens: Tokens,
                                          capfd: pytest.CaptureFixture[str]) -> None:
    """The server's logs as `wf serve --log-format json` writes them (uvicorn's logging set up by the
    service), for requests with good, wrong, revoked and malformed tokens."""
    revoked, _ = token_store.create(engine, user="CEO")
    wrong = tokens.finance[:-4] + "AAAA"
    settings = Settings(log_format="json")
    capfd.readouterr()
    with LiveServer(create_app(engine, settings), settings) as server, \
            httpx.Client(base_url=server.url) as http:
        http.get(ME, headers=bearer(revoked))
        token_store.revoke(engine, user="CEO")
        for token in (tokens.events, tokens.finance, wrong, revoked, "wfk_" + "x" * 60):
            http.get(ME, headers=bearer(token))
            body = {"event": "PurchaseDocSentForApproval", "record": invoice("PI-L"), "user": "BUYER"}
            http.post("/api/v1/events", headers=bearer(token), json=body)
            http.get("/api/v1/approval-entries", params={"approver": "me"}, headers=bearer(token))
    output = capfd.readouterr().err
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == logs.LOGGER]
    assert sum(1 for line in requests if line["path"] == ME) == 6
    assert {line["status"] for line in requests} >= {200, 401, 403}
    assert {line["code"] for line in requests} >= {None, "WF801", "WF802", "WF804"}
    for token in (tokens.events, tokens.finance, wrong, revoked):
        secret = token_store.split(token)
        for part in (token, secret[1] if secret else token):
            assert part not in output
