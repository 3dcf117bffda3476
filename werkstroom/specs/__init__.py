"""Behaviour specs: Werkstroom's Gherkin step library, shipped as a pytest plugin.

``werkstroom.specs.plugin`` is registered under the ``pytest11`` entry point; the steps live in
``steps_given``, ``steps_when`` and ``steps_then`` (declared with ``werkstroom.specs.library``), and run
against ``werkstroom.specs.world.World``: one engine, store and virtual clock per scenario.
``docs/specs.md`` lists every step (``python -m werkstroom.specs.docs`` writes it).
"""
