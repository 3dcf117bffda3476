"""Werkstroom: approval workflows as text, checked and run like Business Central's."""
