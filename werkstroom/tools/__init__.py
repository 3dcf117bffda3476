"""Consultants' tools on top of the bound program: diagrams and the BC-style grid of a workflow (and the
other editor and exchange tools). Nothing below this package imports it."""
