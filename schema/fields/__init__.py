"""Per-domain fields mixed into the structure types, so each domain owns its own module."""
