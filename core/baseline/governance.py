"""Working Together 2018 baseline: governance hooks (trylast)."""
