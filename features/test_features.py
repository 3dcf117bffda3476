"""Every .feature file under features/ becomes tests; the steps come from the werkstroom plugin."""

from pytest_bdd import scenarios

scenarios(".")
