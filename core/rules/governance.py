"""Pure rules for governance: domain values in, results with reasons and sources out."""
