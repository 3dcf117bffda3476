"""The .feature files under tests/features run as tests: Werkstroom's pytest plugin provides the
standard steps and registers this library's steps (werkstroom_expenses.steps) because the package is
installed."""

from pytest_bdd import scenarios

scenarios("features")
