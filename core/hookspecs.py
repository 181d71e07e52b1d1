"""The plugin contract: every hook a borough plugin may implement.

This module is the one place a plugin author reads. A borough plugin is a module (exposed
through the ``partnerships.plugins`` entry-point group) that implements
:func:`partnership_arrangements` and, where its published document departs from Working
Together 2018, the rule hooks below. The baseline (``core.baseline``) answers every rule
hook with ``trylast=True``; a borough overrides by implementing the same hook, and
returning ``None`` hands the question back to the baseline.

Hooks are synchronous and pure: domain values in, domain values out. They never touch a
database session, a request or a GraphQL type. Call them only through the typed helpers
in ``core.plugins``.
"""

from __future__ import annotations

from pathlib import Path

import pluggy

PROJECT = "partnerships"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec(firstresult=True)
def partnership_arrangements() -> Path | None:
    """Return the path of this borough's arrangements data file (TOML).

    Every borough plugin implements this; the baseline does not. The file is validated
    by :mod:`core.arrangements` when the plugin is loaded, so a malformed file stops
    start-up with the file, the path inside it and what is wrong.

    Example::

        @hookimpl
        def partnership_arrangements():
            return Path(__file__).with_name("arrangements.toml")
    """


# ---------------------------------------------------------------- governance hooks


# ---------------------------------------------------------------- disputes hooks


# ---------------------------------------------------------------- funding hooks


# ---------------------------------------------------------------- reviews hooks
