"""Models for reviews."""
