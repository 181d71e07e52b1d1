"""The conformance kit as a pytest plugin.

Enable it in a plugin's test suite with ``pytest_plugins = ["core.kit.pytest_plugin"]`` (or
``-p core.kit.pytest_plugin``); then::

    def test_my_borough(conformance):
        conformance("partnerships_croydon")      # a plugin module, or its name
        conformance(code="croydon")              # or an installed borough by its code

Each call runs every check and fails the test with every problem (file, path, fix).
"""

from __future__ import annotations

from types import ModuleType

import pytest

from core.kit.conformance import Report, check_installed, check_module


def assert_conformant(target: ModuleType | str | None = None, *, code: str | None = None,
                      checks=None) -> Report:
    """Run the kit on a plugin module (or module name) or an installed borough; raise on problems."""
    if code is not None:
        reports = check_installed([code])
        if not reports:
            raise AssertionError(f"no installed plugin provides {code!r}: pip install it first")
        report = reports[0]
    elif target is not None:
        report = check_module(target, checks=checks)
    else:
        raise TypeError("give a plugin module (or its name), or code=")
    if not report.ok:
        raise AssertionError(report.format())
    return report


@pytest.fixture
def conformance():
    """``conformance(module_or_name)`` / ``conformance(code=...)``: run the kit, fail on problems."""
    return assert_conformant
