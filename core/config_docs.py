"""docs/configuration.md, generated from :class:`core.config.Settings` so it cannot drift.

``partnerships config-docs`` writes it; ``partnerships config-docs --check`` (and
tests/test_operability_config.py) fail when it differs from the code.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

from core.config import Settings

DOC = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"
REGENERATE = "partnerships config-docs"


def _type_name(annotation) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _type_name(typing.get_args(annotation)[0])
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):
        names = [_type_name(a) for a in typing.get_args(annotation) if a is not type(None)]
        optional = type(None) in typing.get_args(annotation)
        return " \\| ".join(names) + (" (optional)" if optional else "")
    return {bool: "boolean", int: "integer", float: "number", str: "string"}.get(annotation, str(annotation))


def _default(field: FieldInfo) -> str:
    value = field.get_default(call_default_factory=True)
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{json.dumps(value) if isinstance(value, str) else value}`"


def settings_classes() -> list[tuple[str, type[BaseSettings]]]:
    """Every settings class, with its section title (a test checks none is missing)."""
    from core.services.webhooks import IntegrationSettings

    return [("Service", Settings), ("Integrations: event feed and webhooks", IntegrationSettings)]


def env_var(cls: type[BaseSettings], name: str) -> str:
    return f"{cls.model_config.get('env_prefix', '')}{name}".upper()


def render() -> str:
    lines = [
        "# Configuration reference",
        "",
        f"<!-- Generated from the settings classes by `{REGENERATE}`; do not edit by hand. -->",
        "",
        "Every setting is read from an environment variable (or a `.env` file in the working",
        "directory). Names are case-insensitive; booleans accept `true`/`false`/`1`/`0`.",
        "Deployment advice is in [deployment.md](deployment.md).",
        "",
    ]
    for title, cls in settings_classes():
        lines += [f"## {title}", "", f"From `{cls.__module__}.{cls.__qualname__}`.", "",
                  "| environment variable | type | default | description |", "| --- | --- | --- | --- |"]
        for name, field in cls.model_fields.items():
            description = (field.description or "").replace("|", "\\|").replace("\n", " ")
            lines.append(f"| `{env_var(cls, name)}` | {_type_name(field.annotation)} | {_default(field)} | {description} |")
        lines.append("")
    lines += [
        "## Outside the settings classes",
        "",
        "| environment variable | description |",
        "| --- | --- |",
        "| `PROMETHEUS_MULTIPROC_DIR` | An empty directory shared by the worker processes, so `/metrics` "
        "adds up every worker; `partnerships serve --workers N` (N > 1) makes one if unset. |",
        "",
    ]
    return "\n".join(lines)


def is_current() -> bool:
    return DOC.exists() and DOC.read_text(encoding="utf-8") == render()


def write() -> Path:
    DOC.write_text(render(), encoding="utf-8")
    return DOC
