"""Mutations: one `input`, a payload-or-typed-errors union, one transaction each. The shared
write path is base.py; each domain's mutations are in its own package (schema/<domain>/mutations.py)."""
