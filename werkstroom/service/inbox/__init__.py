"""The approver's inbox: web pages served by `wf serve` under ``/inbox`` (docs/inbox.md).

Users of the organisation setup sign in with a password (`wf users set-password`) or a signed
one-time link from a notification e-mail, see the requests they must approve, open one (its document
and lines, the history of the whole request, the comments, the workflow step that made it), approve,
reject or delegate it with a comment, approve several at once, follow and cancel the requests they
sent, and, as the approval administrator, act on every open entry. The pages are rendered on the
server (Jinja2, autoescaped) in English or Dutch and work without JavaScript.

Modules: ``web`` (the ``Inbox``: engine, keys, templates, cookies), ``account`` (signing in and out,
signed links), ``desk`` (the pages and actions of a signed-in user), ``pages`` (what the pages show,
read from the engine), ``sessions``, ``passwords``, ``links``, ``secret``, ``texts``, ``errors``.
"""
