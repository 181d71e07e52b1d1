"""Working Together 2018: the answers every partnership gets unless its plugin says otherwise.

Registered like any borough's plugin, into every partnership's plugin manager, with
``trylast=True`` on each rule hook so a borough's implementation is asked first.
"""

from __future__ import annotations

SOURCE_DOCUMENT = "Working Together to Safeguard Children 2018"
