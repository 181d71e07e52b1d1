"""CLI commands that belong to the GraphQL layer, contributed to ``partnerships`` through the
``partnerships.commands`` entry-point group (core never imports schema)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from core.config import get_settings

SCHEMA_FILE = Path(__file__).resolve().parent / "schema.graphql"


@click.command("export-schema")
@click.option("--check", is_flag=True, help="Fail if the checked-in SDL differs from the code.")
def export_schema(check: bool) -> None:
    """Write the SDL to schema/schema.graphql (or check it is current)."""
    from schema.root import build_schema

    sdl = str(build_schema(get_settings())).rstrip() + "\n"
    if check:
        current = SCHEMA_FILE.read_text() if SCHEMA_FILE.exists() else ""
        if current != sdl:
            click.echo("schema/schema.graphql is out of date: run `partnerships export-schema`", err=True)
            sys.exit(1)
        click.echo("schema/schema.graphql is current")
        return
    SCHEMA_FILE.write_text(sdl)
    click.echo(f"wrote {SCHEMA_FILE.name}")
