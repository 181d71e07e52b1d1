"""What the domains' batch functions share: a DataLoader's batch answers one value per key,
in the order of the keys, from the rows of one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any


def grouped(rows: Iterable[Any], key: Callable[[Any], Any], keys: Sequence[Any]) -> list[list]:
    """The rows of each key, in the statement's order; an empty list for a key with none."""
    out: dict[Any, list] = defaultdict(list)
    for r in rows:
        out[key(r)].append(r)
    return [out.get(k, []) for k in keys]


def one_each(rows: Iterable[Any], key: Callable[[Any], Any], keys: Sequence[Any]) -> list:
    """The row of each key; None for a key with none."""
    found = {key(r): r for r in rows}
    return [found.get(k) for k in keys]
