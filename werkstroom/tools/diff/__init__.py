"""Version diff: the step-level changes between two versions of a workflow (``match``, ``changes``), the
verdict for its running instances (``verdict``) and a scenario replayed on both (``outcomes``);
``compare`` is the way in, ``render`` the text report. docs/tools.md, "Version diff", is the guide."""
