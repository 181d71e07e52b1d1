"""Working Together 2018: the answers every partnership gets unless its plugin says otherwise.

Registered like any borough's plugin, into every partnership's plugin manager, with
``trylast=True`` on each rule hook so a borough's implementation is asked first. One
module per domain; this package re-exports their hookimpls so pluggy finds them.
"""

from core.baseline.disputes import *  # noqa: F403
from core.baseline.funding import *  # noqa: F403
from core.baseline.governance import *  # noqa: F403
from core.baseline.reviews import *  # noqa: F403

SOURCE_DOCUMENT = "Working Together to Safeguard Children 2018"
