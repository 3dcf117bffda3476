"""Skip this example's tests, with the reason, when the package is not installed in this environment."""

import pytest

pytest.importorskip(
    "werkstroom_expenses",
    reason="the partner example is not installed: python -m pip install -e examples/partner-extension",
)
