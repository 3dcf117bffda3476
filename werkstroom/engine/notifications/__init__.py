"""Notifications: setup and schedules per user and type, entries created by responses, the dispatcher
that bundles digests per recipient and type, e-mail delivery over SMTP and notes on records.

Modules (the tables are in ``werkstroom.store.notifications``):
``service`` (NotificationService), ``text`` (placeholders), ``schedule``, ``delivery`` (SMTP),
``dispatcher``, ``queries`` (the waiting and sent lists). Importing the package declares the tables on
the shared ``Base``.
"""
