"""Passwords (`wf users set-password`): refused when they cannot be set (WF847), kept as argon2
hashes only, checked at sign-in; setting one ends the user's sessions."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from werkstroom import Engine
from werkstroom.service.inbox import passwords, sessions
from werkstroom.service.inbox.errors import PasswordRefused
from werkstroom.store.inbox import InboxSession, UserPassword

from .conftest import ORGANISATION, PASSWORD, ROOT


@pytest.mark.parametrize(("user", "password", "words"), [
    ("FINANCE", "short", "it needs at least 12"),
    ("FINANCE", "", "empty"),
    ("FINANCE", "x" * 1025, "at most 1024"),
    ("FINANCE", "twelve chars\x00", "NUL"),
    ("NOBODY", PASSWORD, "no user 'NOBODY' in the approval user setup"),
    ("", PASSWORD, "the user is empty"),
])
def test_a_password_that_cannot_be_set_is_wf847(engine: Engine, user: str, password: str, words: str) -> None:
    with engine.transaction() as uow:
        before = uow.session.get_one(UserPassword, "FINANCE").password_hash
    with pytest.raises(PasswordRefused) as err:
        passwords.set_password(engine, user, password)
    assert err.value.code == "WF847" and words in err.value.message
    with engine.transaction() as uow:
        assert uow.session.get_one(UserPassword, "FINANCE").password_hash == before


def test_only_a_hash_is_kept_and_sign_in_checks_it(engine: Engine) -> None:
    with engine.transaction() as uow:
        stored = uow.session.get_one(UserPassword, "CEO").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert passwords.verify(engine, "ceo", PASSWORD) == "CEO"  # user ids in any case
    assert passwords.verify(engine, "CEO", PASSWORD + "!") is None
    assert passwords.verify(engine, "NOBODY", PASSWORD) is None
    assert passwords.verify(engine, "", PASSWORD) is None
    assert passwords.verify(engine, "CEO", "") is None


def test_a_user_removed_from_the_setup_cannot_sign_in(engine: Engine) -> None:
    from werkstroom.store.approvals import ApprovalUserSetup

    with engine.transaction() as uow:
        uow.session.delete(uow.session.get_one(ApprovalUserSetup, "CLERK"))
    assert passwords.verify(engine, "CLERK", PASSWORD) is None


def test_a_new_password_ends_the_users_sessions(engine: Engine) -> None:
    with engine.transaction() as uow:
        cookie = sessions.start(uow, "FINANCE", "password", dt.timedelta(hours=1))
        sessions.start(uow, "CEO", "password", dt.timedelta(hours=1))
    assert sessions.find(engine, cookie) is not None
    passwords.set_password(engine, "FINANCE", "another long password")
    assert sessions.find(engine, cookie) is None
    with engine.transaction() as uow:
        assert uow.session.scalar(select(func.count()).select_from(InboxSession)) == 1  # the CEO's
    assert passwords.verify(engine, "FINANCE", "another long password") == "FINANCE"


def test_wf_users_set_password(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'w.db'}"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}

    def wf(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "werkstroom", "--db", db, *args], input=stdin, env=env,
                              capture_output=True, text=True, timeout=120)

    assert wf("setup", "load", str(ORGANISATION)).returncode == 0
    done = wf("users", "set-password", "finance", "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert "password of FINANCE set" in done.stdout
    refused = wf("users", "set-password", "finance", "--password-stdin", stdin="short\n")
    assert refused.returncode == 1 and "[WF847]" in refused.stderr
    asked = wf("users", "set-password", "ceo", stdin=f"{PASSWORD}\n{PASSWORD}\n")  # prompted twice
    assert asked.returncode == 0, asked.stderr
    from werkstroom import open_engine

    eng = open_engine(db)
    try:
        assert passwords.verify(eng, "FINANCE", PASSWORD) == "FINANCE"
        assert passwords.verify(eng, "CEO", PASSWORD) == "CEO"
    finally:
        eng.close()
