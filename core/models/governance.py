"""Models for governance."""
