"""Queries and mutations generated from the schema (hypothesis-graphql), shared by the fuzzer
(tests/test_fuzz.py) and the lean-execution differential test (tests/test_lean_differential.py).

Generation is derandomized, so a run's documents are the same every time, and cached per
process: both backends of a test get the same documents without generating them twice.
"""

from __future__ import annotations

from functools import lru_cache

import graphql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from core.config import Settings
from schema.root import build_schema


def scalar_strategies(schema: graphql.GraphQLSchema) -> dict:
    """Every custom scalar gets plausible and implausible strings: real dates and junk."""
    text = st.one_of(st.dates().map(lambda d: d.isoformat()), st.text(max_size=20))
    return {
        name: text.map(nodes.String)
        for name, t in schema.type_map.items()
        if isinstance(t, graphql.GraphQLScalarType) and name not in {"String", "Int", "Float", "Boolean", "ID"}
    }


@lru_cache
def generate(kind: str, mode: Mode, n: int) -> tuple[str, ...]:
    """``n`` documents of ``kind`` ("query" or "mutation"), valid (POSITIVE) or not (NEGATIVE)."""
    schema = build_schema(Settings())
    sdl = str(schema)
    documents: list[str] = []
    strategy = {"query": queries, "mutation": mutations}[kind]

    @settings(max_examples=n, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy(sdl, custom_scalars=scalar_strategies(schema._schema), mode=mode))
    def collect(document):
        documents.append(document)

    collect()
    return tuple(documents)
