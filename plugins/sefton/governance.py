"""Sefton: governance hooks — only where the Arrangements 2021 depart from the baseline.

None are needed: the Strategic Leadership Team's chair rotates among the three key partners
(Governance Structure 2021), which the baseline reads from the chairing rule in the data
file; the document states no quorum, voting or attendance rule of its own.
"""

__all__: list[str] = []
