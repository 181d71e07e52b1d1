"""Sandwell: disputes hooks — only where the document departs from the baseline."""
