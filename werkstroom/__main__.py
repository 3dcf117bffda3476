"""``python -m werkstroom ARGS``: the `wf` command, for where the console script is not on the PATH."""

from __future__ import annotations

if __name__ == "__main__":
    from .cli import main

    main()
