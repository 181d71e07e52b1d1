"""Merton: funding hooks — only where the document departs from the baseline."""
