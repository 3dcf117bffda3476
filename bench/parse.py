"""Parser benchmark: a generated 10,000-line script, and the start-up cost of `wf check`.

Prints, in one run:
  * lines/s for Lark building a bare parse tree from our grammar (same post-lexer, no positions
    propagated, no AST) and for our parse (AST built during the LALR parse, spans on every node),
    side by side with their ratio (target: parse+AST >= 1.0x the bare tree);
  * the wall time of `wf check` on one template against `python -c "import lark"` (target <= 3x).

Run: python bench/parse.py [--lines 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generate(lines: int) -> str:
    """A realistic script of about ``lines`` lines: workflows with wrapped conditions, option lists,
    labels, jumps, nested steps, comments and blank lines."""
    out: list[str] = []
    i = 0
    while len(out) < lines:
        out += [
            f"# Workflow {i}: purchase approvals for region {i % 17}.",
            f'workflow PIAPW-{i} "Purchase invoice approval {i}"',
            "  category PURCHDOC",
            "",
            "  on PurchaseDocSentForApproval",
            f"     when document_type in [Invoice, \"Credit Memo\"] and amount > {1000 + i}.50",
            "      and (vendor.blocked = false or vendor.name contains \"ltd\")",
            f"      and posting_date >= 2026-01-{1 + i % 28:02d}",
            "  then",
            "     restrict record usage",
            "     set status to pending approval",
            "     create approval requests for approver chain, due in 2D, delegate after 5D",
            "     send approval requests as send",
            "",
            "     on ApprovalRequestApproved when pending_approvals = 0 then",
            "        allow record usage",
            "        release document",
            "     on ApprovalRequestApproved when pending_approvals > 0 then continue at send",
            "     on ApprovalRequestRejected when any lines with quantity > 8 then",
            "        reject approval requests, notify sender",
            "        reopen document",
            "     on ApprovalRequestDelegated then continue at send",
            "",
        ]
        i += 1
    return "\n".join(out[:lines]) + "\n"


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT))
    from werkstroom.grammar.lalr import tree_parser
    from werkstroom.grammar.layout import Layout, ParseState
    from werkstroom.grammar.parser import parse
    from werkstroom.source import SourceFile

    text = generate(args.lines)
    n = text.count("\n")
    bare = tree_parser()
    layout = bare.options.postlex
    assert isinstance(layout, Layout)

    def bare_tree() -> object:
        layout.state = ParseState(SourceFile("<bench>", text), len(text))
        return bare.parse(text)

    def bare_tree_gc_paused() -> object:
        """The bare tree with the cyclic GC paused during the parse, as ``parse`` does."""
        layout.state = ParseState(SourceFile("<bench>", text), len(text))
        enabled = gc.isenabled()
        gc.disable()
        try:
            tree = bare.parse(text)
        finally:
            if enabled:
                gc.enable()
        # the young-generation collection put off by the pause runs at the next allocation, while
        # the tree is alive (in ours it runs when the ParseResult is made)
        return [tree]

    def ours() -> object:
        r = parse(text, "bench.wf")
        assert not r.diagnostics, r.diagnostics[:3]
        return r

    from werkstroom.grammar.lalr import _build

    pos = _build(postlex=Layout(), propagate_positions=True)
    pos_layout = pos.options.postlex
    assert isinstance(pos_layout, Layout)

    def positions_tree() -> object:
        pos_layout.state = ParseState(SourceFile("<bench>", text), len(text))
        return pos.parse(text)

    bare_tree()
    positions_tree()
    ours()  # warm up (grammar built / loaded from the cache)
    # interleaved, best of N each: the three modes see the same machine load
    t_bare = t_pos = t_ours = t_bare_nogc = float("inf")
    for _ in range(args.repeat):
        t_bare = min(t_bare, best(bare_tree, 1))
        t_ours = min(t_ours, best(ours, 1))
        t_pos = min(t_pos, best(positions_tree, 1))
        t_bare_nogc = min(t_bare_nogc, best(bare_tree_gc_paused, 1))
    print(f"input: {n:,} lines, {len(text):,} characters (best of {args.repeat})")
    for label, t in (("Lark bare tree (no positions, no AST)", t_bare),
                     ("werkstroom parse + AST (spans on)", t_ours),
                     ("Lark tree, propagate_positions=True", t_pos)):
        print(f"{label:<44} {n / t:>10,.0f} lines/s  {t * 1000:8.1f} ms")
    print(f"{'ratio parse+AST / bare tree':<44} {t_bare / t_ours:>10.2f}x   (target >= 1.0x)"
          + ("" if t_bare / t_ours >= 1.0 else "  TARGET MISSED"))
    print(f"{'ratio parse+AST / tree with positions':<44} {t_pos / t_ours:>10.2f}x")
    # like for like on garbage collection: our parse pauses the cyclic GC (its objects are acyclic)
    print(f"{'Lark bare tree, GC paused as in our parse':<44} {n / t_bare_nogc:>10,.0f} lines/s  "
          f"{t_bare_nogc * 1000:8.1f} ms")
    print(f"{'ratio parse+AST / bare tree, GC paused':<44} {t_bare_nogc / t_ours:>10.2f}x")

    long_comment(generate, args.repeat)

    template_dir = ROOT / "werkstroom" / "stdlib" / "templates"
    templates = sorted(template_dir.glob("*.wf")) if template_dir.is_dir() else []
    target = templates[0] if templates else ROOT / "examples" / "purchase-invoice-eu.wf"
    # The console script installed next to this interpreter: on PATH `wf` may be a version
    # manager's shim (pyenv: a bash script that starts another program first), which is not ours.
    beside = Path(sys.executable).with_name("wf")
    exe = str(beside) if beside.is_file() else shutil.which("wf")
    wf = [exe] if exe else [sys.executable, "-c", "import sys; from werkstroom.cli import main; main()"]
    wf = [*wf, "check", str(target)]
    wf_parse_only = [sys.executable, "-c",
                     "import sys; from werkstroom.cli import main; "
                     "from werkstroom.binding import checking; "
                     "checking._bind = lambda parsed: (None, []); main(['check', sys.argv[1]])", str(target)]
    wall(wf, 1)  # fills the grammar cache
    t_lark = wall([sys.executable, "-c", "import lark"], args.repeat)
    t_check = wall(wf, args.repeat)
    t_check_syntax = wall(wf_parse_only, args.repeat)
    print(f"\nwf check {target.relative_to(ROOT)}  (wf = {wf[0]})")
    label = 'python -c "import lark"'
    print(f"{label:<44} {t_lark * 1000:10.1f} ms")
    print(f"{'wf check (parse + bind + render)':<44} {t_check * 1000:10.1f} ms  "
          f"{t_check / t_lark:5.2f}x  (target <= 3x)" + ("" if t_check / t_lark <= 3 else "  TARGET MISSED"))
    print(f"{'wf check, syntax only (binding skipped)':<44} {t_check_syntax * 1000:10.1f} ms  "
          f"{t_check_syntax / t_lark:5.2f}x")


def long_comment(generate: Callable[[int], str], repeat: int) -> None:
    """Checking 1 MB scripts of long-line shapes against checking 1,000 ordinary lines, and a 1 MB
    text literal against a 1 MB comment line (both grow linearly with the size of the script)."""
    from werkstroom.binding.checking import check_sources
    from werkstroom.source import SourceFile

    step = "on PurchaseDocReleased then release document\n"
    mb = 1_000_000
    shapes = {
        "1 MB comment line between two steps": step + "# " + "x" * mb + "\n" + step,
        "1 MB indented comment line in a block": ("workflow A\n  on PurchaseDocReleased then\n"
                                                  "    release document\n    # " + "x" * mb
                                                  + "\n    release document\n"),
        "1 MB of 80-character comment lines": step + ("# " + "x" * 78 + "\n") * (mb // 81) + step,
    }
    literal = (step + 'on PurchaseDocReleased when buy_from_vendor_name = "' + "x" * mb + '" then\n'
               "  release document\n")
    ordinary = generate(1000)
    check_sources([SourceFile("warm-up.wf", step)])
    t_ordinary = best(lambda: check_sources([SourceFile("ordinary.wf", ordinary)]), repeat)
    print(f"\ncheck (parse + bind) of 1 MB long-line scripts and of 1,000 ordinary lines (best of {repeat})")
    print(f"{'1,000 ordinary lines':<44} {t_ordinary * 1000:10.1f} ms")
    times: dict[str, float] = {}
    for name, text in shapes.items():
        times[name] = t = best(lambda text=text: check_sources([SourceFile("big.wf", text)]), repeat)
        ratio = t / t_ordinary
        verdict = "" if ratio <= 10 else "  TARGET MISSED"
        print(f"{name:<44} {t * 1000:10.1f} ms  {ratio:5.2f}x  (target <= 10x){verdict}")
    t_literal = best(lambda: check_sources([SourceFile("big.wf", literal)]), repeat)
    ratio = t_literal / times["1 MB comment line between two steps"]
    verdict = "" if ratio < 6 else "  TARGET MISSED"
    print(f"{'1 MB text literal in a condition':<44} {t_literal * 1000:10.1f} ms  {ratio:5.2f}x the 1 MB "
          f"comment (target < 6x){verdict}")


if __name__ == "__main__":
    main()
