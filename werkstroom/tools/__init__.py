"""Consultants' tools on top of the bound program: diagrams and the BC-style grid of a workflow, the
version diff (``tools.diff``), Business Central's workflow XML in and out (``tools.bcxml``), the
language server (``tools.lsp``), and the other editor and exchange tools. Nothing below this package
imports it."""
