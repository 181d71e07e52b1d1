"""Working Together 2018 baseline: funding hooks (trylast)."""
