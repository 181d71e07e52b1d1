"""Models for disputes."""
