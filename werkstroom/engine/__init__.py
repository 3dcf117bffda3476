"""The engine: runs bound programs on the store (delivery, dispatch, step state, response context,
approvals, notifications, timers)."""
