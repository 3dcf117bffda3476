"""Property: for any nesting of steps and responses the step table has BC's shape."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.binder.astb import Parsed, Src
from tests.binder.fakecat import FakeCatalogue
from werkstroom.binding.binder import bind
from werkstroom.grammar import ast

RESPONSES = ["restrict record usage", "allow record usage", "set status to pending approval",
             "send approval requests", "reopen document"]
NESTED = ["ApprovalRequestApproved", "ApprovalRequestRejected"]


def _resp(words: str) -> ast.Response:
    return ast.Response(ast.Phrase(tuple(ast.Name(w) for w in words.split())))


def steps(depth: int) -> st.SearchStrategy[ast.Step]:
    children = st.just(()) if depth == 0 else st.lists(steps(depth - 1), max_size=3).map(tuple)
    event = st.just("PurchaseDocSentForApproval") if depth == 3 else st.sampled_from(NESTED)
    return st.builds(
        lambda ev, rs, kids: ast.Step(ast.Name(ev), None, tuple(_resp(r) for r in rs) + kids),
        event, st.lists(st.sampled_from(RESPONSES), max_size=3), children)


def expected(step: ast.Step, parent: int | None, seq: int, out: list[tuple[str, int | None, int]]) -> None:
    out.append(("event", parent, seq))
    last = len(out)
    for item in step.body:
        if isinstance(item, ast.Response):
            out.append(("response", last, 0))
            last = len(out)
    for k, sub in enumerate(i for i in step.body if isinstance(i, ast.Step)):
        expected(sub, last, k, out)


@settings(max_examples=60, deadline=None)
@given(steps(3))
def test_step_table_shape(root: ast.Step) -> None:
    src = Src("x")
    prog = bind([Parsed(src, ast.Workflow(ast.Name("P"), None, None, (root,)))], FakeCatalogue())
    assert prog.ok, prog.diagnostics
    (wf,) = prog.workflows
    want: list[tuple[str, int | None, int]] = []
    expected(root, None, 1, want)
    assert [(s.kind, s.parent, s.sequence_no) for s in wf.steps] == want
    assert [s.id for s in wf.steps] == list(range(1, len(want) + 1))
    assert [s.entry_point for s in wf.steps] == [True] + [False] * (len(want) - 1)
