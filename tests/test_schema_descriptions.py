"""Every enum value and every argument of the published schema says what it means: clients
read the SDL (GraphiQL, generated code), not the Python behind it."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, build_schema

SDL = Path(__file__).resolve().parents[1] / "schema" / "schema.graphql"


def missing_descriptions() -> list[str]:
    schema = build_schema(SDL.read_text(encoding="utf-8"))
    missing = []
    for name, named in schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(named, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, v in named.values.items() if not (v.description or "").strip()]
        for field_name, field in (getattr(named, "fields", None) or {}).items():
            missing += [f"{name}.{field_name}({arg}:)" for arg, a in (getattr(field, "args", None) or {}).items()
                        if not (a.description or "").strip()]
    for directive in schema.directives:
        if directive.name in {"skip", "include", "deprecated", "specifiedBy", "oneOf"}:
            continue
        missing += [f"@{directive.name}({arg}:)" for arg, a in directive.args.items() if not (a.description or "").strip()]
    return sorted(missing)


def test_every_enum_value_and_argument_has_a_description():
    missing = missing_descriptions()
    assert not missing, f"{len(missing)} without a description: {', '.join(missing)}"
