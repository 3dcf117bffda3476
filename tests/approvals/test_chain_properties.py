"""Property test: on random approver chains, Approver Chain and First Qualified Approver pick exactly the
approvers BC's rules name (checked against a direct reading of the rules on the same data)."""

from __future__ import annotations

from decimal import Decimal

from apptools import make_scope, purchase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from werkstroom.engine.approvals.service import ApprovalService
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.unit import UnitOfWork
from werkstroom.store.approvals import ApprovalEntry, ApprovalUserSetup
from werkstroom.store.metadata import Base

# a chain U0 -> U1 -> ... -> Uk (Uk is the top: its own approver); each with a limit (0 = none) or unlimited
link = st.tuples(st.integers(0, 5).map(lambda x: x * 1000), st.booleans())
chains = st.lists(link, min_size=1, max_size=6)
amounts = st.integers(0, 6000)


def expected(chain: list[tuple[int, bool]], amount: int, first_qualified: bool) -> list[str]:
    """BC's rule read directly: walk up from the requester U0 until a sufficient user."""
    def sufficient(i: int) -> bool:
        limit, unlimited = chain[i]
        return i == len(chain) - 1 or unlimited or (limit != 0 and amount <= limit)

    picked: list[str] = []
    i = 0
    while not sufficient(i):
        i += 1
        if not first_qualified or sufficient(i):
            picked.append(f"U{i}")
    return picked


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chain=chains, amount=amounts, first_qualified=st.booleans())
def test_chain_picks_bc_approvers(chain: list[tuple[int, bool]], amount: int, first_qualified: bool) -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        uow = UnitOfWork(session, VirtualClock(), SequentialIds())
        top = len(chain) - 1
        for i, (limit, unlimited) in enumerate(chain):
            session.add(ApprovalUserSetup(
                user_id=f"U{i}", approver_id=f"U{min(i + 1, top)}", salespers_purch_code="",
                purchase_amount_approval_limit=Decimal(limit), unlimited_purchase_approval=unlimited,
                sales_amount_approval_limit=Decimal(0), unlimited_sales_approval=False,
                request_amount_approval_limit=Decimal(0), unlimited_request_approval=False,
                substitute="", email="", approval_administrator=False, time_zone="UTC"))
        session.flush()
        scope, _ = make_scope(uow, purchase(amount=str(amount)), "U0")
        limit_type = "First Qualified Approver" if first_qualified else "Approver Chain"
        ApprovalService(scope).create_requests({"limit_type": limit_type})
        uow.flush()
        entries = list(session.scalars(select(ApprovalEntry).order_by(ApprovalEntry.entry_no)))
        # the requester's own entry first, approved; then the chain, strictly sequential
        assert (entries[0].approver_id, entries[0].status) == ("U0", "Approved")
        assert [e.approver_id for e in entries[1:]] == expected(chain, amount, first_qualified)
        assert [e.sequence_no for e in entries] == list(range(1, len(entries) + 1))
        assert all(e.status == "Created" for e in entries[1:])
    engine.dispose()
