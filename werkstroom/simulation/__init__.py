"""Simulation: scripts run against a scenario on a fresh store, and the timeline rendered for people."""
