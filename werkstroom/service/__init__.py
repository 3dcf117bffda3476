"""The service: Werkstroom over HTTP for host systems and users (`wf serve`), webhooks out and the worker.

``app.create_app(engine, settings)`` builds the ASGI application (FastAPI) on an open engine: the JSON
API under ``/api/v1`` (``api/``), authentication by API token and the rules of who may do what
(``auth/``), errors as RFC 9457 problem details carrying the WF code (``problems``), health, readiness
and Prometheus metrics (``ops``, ``metrics``) and structured request logs (``logs``). ``serve`` runs it
with uvicorn. The service calls the engine's public methods only; the engine checks every value.
``webhooks/`` delivers outbox rows to the URLs host systems subscribe; ``worker`` runs timers,
notification dispatch and webhook delivery (`wf worker`).

Its modules need the ``[server]`` extra (FastAPI, uvicorn, argon2-cffi, prometheus-client, httpx, ...);
the command line imports them only for `wf serve`, `wf tokens`, `wf webhooks` and `wf worker`.
"""
