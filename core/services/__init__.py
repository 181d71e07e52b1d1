"""Use cases: the only code that writes. One transaction each, one audit event per change."""
