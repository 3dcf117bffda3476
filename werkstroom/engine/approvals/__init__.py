"""Approvals: user setup, workflow user groups, approval entries and the actions on them (BC's
Approvals Mgmt.), plus the options beyond BC (quorum tiers, segregation of duties, timers).

Modules (the tables are in ``werkstroom.store.approvals``):
``rules`` (templates and sufficiency), ``service`` (ApprovalService, the
ApprovalsAPI of a response context), ``records`` (the ApprovalEntry record view), ``actions`` (approve,
reject, delegate), ``timers`` (automatic delegation and overdue notices), ``queries``, ``setup``.
"""
