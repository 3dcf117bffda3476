"""The standard library: Business Central's record types, events, responses and MS- templates, by area.

Each area module has a ``library()`` function that builds its ``Library``; nothing registers itself
on import. ``libraries()`` returns them in install order; they are installed together, so they may
refer to each other's events and record types (as partner libraries refer to the stdlib's).
"""

from __future__ import annotations

from ..extend import Library


def libraries() -> tuple[Library, ...]:
    """The stdlib's libraries, one per business area."""
    from . import (
        administration,
        approvals,
        incoming,
        integration,
        journals,
        masterdata,
        mstemplates,
        purchase,
        sales,
    )

    return (
        approvals.library(),
        purchase.library(),
        sales.library(),
        journals.library(),
        incoming.library(),
        masterdata.library(),
        administration.library(),
        integration.library(),
        mstemplates.library(),
    )
