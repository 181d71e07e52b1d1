"""Pure rules for funding: domain values in, results with reasons and sources out."""
