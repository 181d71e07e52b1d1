"""Mutations: one `input`, a payload-or-typed-errors union, one transaction each."""
