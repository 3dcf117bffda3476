"""Who is asking, and what they may do: principals and API tokens (``tokens``), authenticating a
request with its rate limit on failures (``guard``), and the rules of who may do what (``policy``).

A principal is a host system (``kind`` "system", a name and scopes from events, records, admin) or a
user of the organisation's approval user setup (``kind`` "user", the user id; no scopes: a user acts
only as itself, and the approval administrator is the role the setup gives, which the engine checks).
"""

from __future__ import annotations

import attrs

SYSTEM = "system"
USER = "user"


@attrs.frozen
class Principal:
    """An authenticated caller: ``kind`` system or user, ``name`` (a system's name, or a user id),
    ``scopes`` (a system token's), and the id of the token it authenticated with."""

    kind: str
    name: str
    scopes: frozenset[str] = frozenset()
    token_id: str = ""

    @property
    def is_user(self) -> bool:
        return self.kind == USER

    def describe(self) -> str:
        """``user FINANCE`` or ``system erp (events, records)``, for messages and the log."""
        scopes = f" ({', '.join(sorted(self.scopes))})" if self.scopes else ""
        return f"{self.kind} {self.name}{scopes}"
