"""`partnerships`: serve the API, migrate, load the boroughs, issue tokens, export data.

Core never imports ``schema``: commands that belong to the GraphQL layer (``export-schema``)
are contributed from there through the ``partnerships.commands`` entry-point group and added
to this group when the CLI starts; ``serve`` names the app factory as a string for uvicorn.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from core.config import get_settings
from core.enums import Role

COMMANDS_GROUP = "partnerships.commands"


class _Cli(click.Group):
    """The command group, plus every command other packages contribute (entry points)."""

    def _contributed(self) -> None:
        if getattr(self, "_loaded", False):
            return
        self._loaded = True
        import importlib.metadata

        for ep in importlib.metadata.entry_points(group=COMMANDS_GROUP):
            if ep.name not in self.commands:
                self.add_command(ep.load(), ep.name)

    def list_commands(self, ctx):
        self._contributed()
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        self._contributed()
        return super().get_command(ctx, name)


@click.group(cls=_Cli)
def main() -> None:
    """Partnerships Graph: safeguarding children partnerships as live, rule-checked data."""


@main.group()
def db() -> None:
    """Database migrations."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (alembic upgrade heads)."""
    from core.migrate import upgrade

    upgrade(get_settings().database_url)
    click.echo("database at head")


async def _load(codes: tuple[str, ...]) -> int:
    from core.db import create_engine, session_factory
    from core.plugins import discover
    from core.services.load import load_partnership

    registry = discover()
    unknown = set(codes) - set(registry.codes())
    if unknown:
        raise click.UsageError(f"no plugin provides {', '.join(sorted(unknown))}; installed: {', '.join(registry.codes())}")
    engine = create_engine(get_settings())
    try:
        async with session_factory(engine)() as session, session.begin():
            for rules in registry:
                if codes and rules.code not in codes:
                    continue
                _echo_report(await load_partnership(session, rules))
    finally:
        await engine.dispose()
    return 0


def _echo_report(report) -> None:
    """A load's counts, then each change and each thing it left alone on purpose."""
    click.echo(f"{report.code}: {'changed' if report.changed else 'unchanged'} "
               f"(+{report.created} ~{report.updated} -{report.removed})")
    for line in report.details:
        click.echo(f"  {line}")


@main.command()
@click.argument("codes", nargs=-1)
def load(codes: tuple[str, ...]) -> None:
    """Load (or bring up to date) every installed borough's arrangements, or only CODES."""
    from core.plugins import PluginError

    try:
        asyncio.run(_load(codes))
    except PluginError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


#: uvicorn's WebSocket options for ``serve`` (and the benchmark's server, which must run as it
#: does). No permessage-deflate: a subscription's messages are ~100-byte ``next`` frames,
#: which deflate barely shrinks, and compressing each costs CPU per frame — ten thousand
#: frames an event on one worker — plus a zlib context (tens of KB) per connection.
WEBSOCKET_OPTIONS = {"ws_per_message_deflate": False}


@main.command()
@click.option("--host", default=None, help="Listen address (default from settings).")
@click.option("--port", default=None, type=int, help="Port (default from settings).")
@click.option("--workers", default=1, show_default=True, help="Worker processes.")
@click.option("--reload", is_flag=True, help="Reload on code change (development).")
def serve(host: str | None, port: int | None, workers: int, reload: bool) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql outside production).

    Logs go to stderr in the configured format (uvicorn's access log is off: the app logs
    one line per request without query strings). With several workers, /metrics adds up
    every worker through PROMETHEUS_MULTIPROC_DIR (a fresh temporary directory if unset).
    """
    import os
    import tempfile

    import uvicorn

    settings = get_settings()
    if workers > 1 and settings.metrics_enabled and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="partnerships-metrics-")
    from core.logging import configure_logging

    configure_logging(settings)
    uvicorn.run(
        "schema.app:create_app", factory=True, host=host or settings.host, port=port or settings.port,
        workers=workers, reload=reload, log_level=settings.log_level.lower(), log_config=None, access_log=False,
        **WEBSOCKET_OPTIONS,
    )


@main.group()
def token() -> None:
    """API tokens (shown once; stored hashed)."""


async def _with_session(fn):
    from core.db import create_engine, session_factory

    engine = create_engine(get_settings())
    try:
        async with session_factory(engine)() as session, session.begin():
            return await fn(session)
    finally:
        await engine.dispose()


@token.command("create")
@click.option("--partnership", "partnership", default=None, help="Partnership code (omit for a platform administrator).")
@click.option("--role", type=click.Choice([r.value.lower() for r in Role if r != Role.PUBLIC]), required=True)
@click.option("--label", default="", help="Who or what the token is for.")
@click.option("--days", default=None, type=click.IntRange(min=1),
              help="Lifetime in days, at least 1 (default from settings). Every token expires.")
def token_create(partnership: str | None, role: str, label: str, days: int | None) -> None:
    """Issue a token and print it once."""
    from core.services.identity import TokenError, create_token

    lifetime = days if days is not None else get_settings().token_lifetime_days
    try:
        issued = asyncio.run(_with_session(lambda s: create_token(
            s, role=Role(role.upper()), partnership_code=partnership, label=label, lifetime_days=lifetime)))
    except TokenError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(issued.secret)
    click.echo(f"token {issued.prefix} (number {issued.id}), expires {issued.expires_at:%Y-%m-%d %H:%M} UTC; "
               f"revoke it with: partnerships token revoke {issued.prefix}", err=True)


@token.command("list")
@click.option("--partnership", "partnership", default=None, help="Only this partnership's tokens.")
def token_list(partnership: str | None) -> None:
    """List tokens: the prefix that names each (as `token revoke` takes it), role, partnership,
    label, dates and whether it is live, expired or revoked. Never a secret."""
    from core.models.base import utcnow
    from core.services.identity import list_tokens

    rows = asyncio.run(_with_session(lambda s: list_tokens(s, partnership)))
    now = utcnow()

    def day(value) -> str:
        return f"{value:%Y-%m-%d %H:%M}" if value is not None else "-"

    table = [("TOKEN", "NUMBER", "ROLE", "PARTNERSHIP", "STATUS", "CREATED", "EXPIRES", "LAST USED", "LABEL")]
    table += [(t.prefix, str(t.id), t.role.value.lower(), t.partnership or "(all)", t.status(now), day(t.created_at),
               day(t.expires_at), day(t.last_used_at), t.label) for t in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]) - 1)]
    for r in table:
        click.echo("  ".join([c.ljust(w) for c, w in zip(r, widths, strict=False)] + [r[-1]]).rstrip())
    click.echo(f"{len(rows)} token(s); times in UTC", err=True)


@token.command("revoke")
@click.argument("token")
def token_revoke(token: str) -> None:
    """Revoke a token: its prefix (as printed at creation and by `token list`), the whole
    token, or token:<number> as the audit trail names it."""
    from core.services.identity import TokenError, find_token, revoke_token

    async def revoke(session):
        token_id = await find_token(session, token)
        return token_id, await revoke_token(session, token_id)

    try:
        token_id, done = asyncio.run(_with_session(revoke))
    except TokenError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    name = token.split("_")[1] if token.startswith("pgt_") else token
    if not done:
        click.echo(f"error: no live token {name} (it is already revoked)", err=True)
        sys.exit(2)
    click.echo(f"token {name} (number {token_id}) revoked")


@main.command("export")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(["popolo", "csv"]), default="popolo", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="File (popolo) or directory (csv); popolo goes to stdout without it.")
@click.option("--include-confidential", is_flag=True, help="Include groups marked confidential.")
def export_cmd(code: str, fmt: str, out: Path | None, include_confidential: bool) -> None:
    """Export a partnership's structure as Popolo JSON or CSV tables."""
    import json

    from core.errors import NotFound
    from core.exports.snapshot import snapshot

    try:
        a = asyncio.run(_with_session(lambda s: snapshot(s, code, include_confidential=include_confidential)))
    except NotFound as exc:
        click.echo(f"error: {exc.message}", err=True)
        sys.exit(2)
    if fmt == "popolo":
        from core.exports.popolo import to_popolo

        text = json.dumps(to_popolo(a), indent=2, ensure_ascii=False) + "\n"
        if out is None:
            click.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
        return
    from core.exports.tables import TABLES, to_csv

    directory = out or Path(f"{code}-csv")
    directory.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        (directory / f"{table}.csv").write_text(to_csv(a, table), encoding="utf-8")
    click.echo(f"wrote {len(TABLES)} tables to {directory}")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace the published structure of a partnership already installed with the same code "
                   "(what users recorded is kept). Without it, such a file is refused.")
def import_cmd(file: Path, replace: bool) -> None:
    """Import a Popolo export (as written by `partnerships export`) into the database."""
    from core.arrangements import ArrangementsError
    from core.exports.service import import_popolo

    try:
        report = asyncio.run(_with_session(lambda s: import_popolo(s, file, replace_existing=replace)))
    except ArrangementsError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    _echo_report(report)


@main.group()
def webhooks() -> None:
    """Webhooks: the worker that sends queued deliveries."""


@webhooks.command("worker")
@click.option("--once", is_flag=True, help="Make one pass over due deliveries and exit.")
@click.option("--interval", default=None, type=float, help="Seconds between passes (default from settings).")
def webhooks_worker(once: bool, interval: float | None) -> None:
    """Send webhook deliveries, signed, in order per endpoint, retrying with backoff.

    Run one or more beside `partnerships serve`, with the same PARTNERSHIPS_DATABASE_URL.
    """
    from core.db import create_engine, session_factory
    from core.logging import configure_logging
    from core.services.webhooks import Worker

    configure_logging(get_settings())  # the same log format as the API

    async def run() -> None:
        engine = create_engine(get_settings())
        try:
            async with Worker(session_factory(engine)) as worker:
                if once:
                    click.echo(f"{await worker.run_once()} attempt(s) made")
                else:
                    import signal

                    stop = asyncio.Event()
                    for sig in (signal.SIGINT, signal.SIGTERM):  # finish the attempt in hand, then stop
                        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
                    click.echo(f"webhook worker {worker.worker_id} running; Ctrl-C to stop", err=True)
                    await worker.run(poll_interval_s=interval, stop=stop)
                    click.echo("webhook worker stopped", err=True)
        finally:
            await engine.dispose()

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        pass


@main.group()
def plugin() -> None:
    """Borough plugins: scaffold a new one, check installed ones against the conformance kit."""


@plugin.command("new")
@click.argument("code")
@click.option("--dir", "directory", type=click.Path(path_type=Path), default=None,
              help="Where to write it (default ./partnerships-CODE); must be outside the core repository.")
@click.option("--name", default=None, help="The area's name as published (default from CODE).")
def plugin_new(code: str, directory: Path | None, name: str | None) -> None:
    """Scaffold an installable plugin distribution for borough CODE."""
    from core.kit.scaffold import ScaffoldError, new_plugin

    try:
        made = new_plugin(code, directory, name=name)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for path in made.files:
        click.echo(f"wrote {path}")
    click.echo(f"next: edit {made.data_file}, then `pip install -e {made.directory}` and "
               f"`partnerships plugin check {code}`", err=True)


@plugin.command("check")
@click.argument("codes", nargs=-1)
@click.option("--notes", is_flag=True, help="Also show notes (skipped checks, accepted exceptions).")
def plugin_check(codes: tuple[str, ...], notes: bool) -> None:
    """Run the conformance kit on every installed borough, or only CODES."""
    from core.kit.conformance import check_installed
    from core.plugins import PluginError

    try:
        reports = check_installed(codes)
    except PluginError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    missing = set(codes) - {r.code for r in reports}
    if missing:
        click.echo(f"error: no installed plugin provides {', '.join(sorted(missing))}", err=True)
        sys.exit(2)
    for report in reports:
        click.echo(report.format(notes=notes))
    if not all(r.ok for r in reports):
        sys.exit(1)


@main.command("rules-doc")
@click.option("--check", is_flag=True, help="Fail if docs/rules/<code>.md differ from the rulebooks.")
def rules_doc(check: bool) -> None:
    """Write docs/rules/<code>.md, each installed borough's rulebook, from its rulebook.toml."""
    from core.kit import rules_doc as doc

    if check:
        stale = doc.stale()
        if stale:
            click.echo(f"out of date: {', '.join(p.name for p in stale)}: run `{doc.REGENERATE}`", err=True)
            sys.exit(1)
        click.echo("docs/rules is current")
        return
    for path in doc.write():
        click.echo(f"wrote docs/rules/{path.name}")


@main.command("hooks-doc")
@click.option("--check", is_flag=True, help="Fail if docs/hooks.md differs from core/hookspecs.py.")
def hooks_doc(check: bool) -> None:
    """Write docs/hooks.md, the hook reference, from the docstrings in core/hookspecs.py."""
    from core.kit import hooks_doc as doc

    if check:
        if not doc.is_current():
            click.echo(f"docs/hooks.md is out of date: run `{doc.REGENERATE}`", err=True)
            sys.exit(1)
        click.echo("docs/hooks.md is current")
        return
    click.echo(f"wrote {doc.write()}")


@main.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def backup_cmd(file: Path, force: bool) -> None:
    """Back up the database to FILE (PostgreSQL: pg_dump custom format; SQLite: online backup)."""
    from core.backup import BackupError, backup

    settings = get_settings()
    try:
        report = asyncio.run(backup(settings.database_url, file, pg_bin_dir=settings.pg_bin_dir, overwrite=force))
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"wrote {report.file} ({report.backend}, {report.size} bytes, "
               f"migrations {', '.join(report.revisions) or 'none'})")


@main.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--clean", is_flag=True, help="Replace the contents of a database that already holds tables.")
def restore_cmd(file: Path, clean: bool) -> None:
    """Restore a backup made by `partnerships backup` into the configured database."""
    from core.backup import BackupError, restore
    from core.migrate import head_revisions

    settings = get_settings()
    try:
        report = asyncio.run(restore(settings.database_url, file, clean=clean, pg_bin_dir=settings.pg_bin_dir))
    except BackupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"restored {report.file} ({report.backend}, migrations {', '.join(report.revisions) or 'none'})")
    if set(report.revisions) != head_revisions():
        click.echo("the restored data is behind this release's migrations: run `partnerships db upgrade`", err=True)


@main.command("config-docs")
@click.option("--check", is_flag=True, help="Fail if docs/configuration.md differs from core/config.py.")
def config_docs(check: bool) -> None:
    """Write docs/configuration.md, the settings reference, from core/config.py."""
    from core import config_docs as doc

    if check:
        if not doc.is_current():
            click.echo(f"docs/configuration.md is out of date: run `{doc.REGENERATE}`", err=True)
            sys.exit(1)
        click.echo("docs/configuration.md is current")
        return
    click.echo(f"wrote {doc.write()}")
