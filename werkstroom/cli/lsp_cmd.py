"""`wf lsp`: the language server for editors, over standard input and output.

Exit codes: 0 when the editor ends the session, 2 when the `lsp` extra (pygls) is not installed (WF880).
"""

from __future__ import annotations

import sys

import click


@click.command()
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default; accepted "
                                           "because editors pass it).")
def lsp(stdio: bool) -> None:
    """Run the language server (diagnostics, completion, hover, go to definition, outline, formatting,
    quick fixes) for an editor, over standard input and output."""
    try:
        from ..tools.lsp.features import serve
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        click.echo(f"error[WF880]: wf lsp needs {exc.name}, which is not installed: "
                   "pip install 'werkstroom[lsp]'", err=True)
        sys.exit(2)
    serve()
