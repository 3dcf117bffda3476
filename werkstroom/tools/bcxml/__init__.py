"""Business Central's XML workflow files (xmlport 1501 "Import / Export Workflow") in and out:
``wf import bc`` writes .wf scripts from a BC export, ``wf export bc`` writes BC's XML from scripts."""
