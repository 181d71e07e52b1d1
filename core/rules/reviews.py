"""Pure rules for reviews: domain values in, results with reasons and sources out."""
