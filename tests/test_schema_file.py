"""The checked-in SDL is what the code builds: clients diff it, so it must not drift."""

from __future__ import annotations

from pathlib import Path

from core.config import Settings
from schema.root import build_schema

SDL = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"


def test_schema_file_matches_the_code():
    built = str(build_schema(Settings())).rstrip() + "\n"
    assert SDL.read_text() == built, "schema/schema.graphql is stale: run `make schema` and commit it"


def test_every_type_and_field_has_a_description():
    schema = build_schema(Settings())._schema
    missing = []
    for name, gql_type in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not gql_type.description and name not in {"Query", "Mutation", "Subscription"}:
            missing.append(name)
        for field_name, field in (getattr(gql_type, "fields", None) or {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert not missing, f"add description= to: {', '.join(sorted(missing))}"
