"""Pure rules for disputes: domain values in, results with reasons and sources out."""
