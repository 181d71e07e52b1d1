"""Models for funding."""
