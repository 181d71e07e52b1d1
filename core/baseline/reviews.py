"""Working Together 2018 baseline: reviews hooks (trylast)."""
