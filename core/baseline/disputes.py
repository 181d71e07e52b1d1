"""Working Together 2018 baseline: disputes hooks (trylast)."""
