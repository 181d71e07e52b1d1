"""Backups: `partnerships backup FILE` and `partnerships restore FILE`.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (their major version must be at
least the server's; ``PARTNERSHIPS_PG_BIN_DIR`` picks a directory other than PATH). The
connection details come from ``PARTNERSHIPS_DATABASE_URL`` and are passed to them in the
environment (``PGHOST``, ``PGPASSWORD``, …), never on the command line. Equivalent by hand::

    pg_dump --format=custom --no-owner --no-privileges --file=partnerships.dump DBNAME
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname=DBNAME partnerships.dump

SQLite: the online backup API (consistent while the server keeps writing) into a plain
SQLite file; restore copies it back page by page.

A backup is written to a temporary file beside FILE and renamed into place, so FILE is
either the old backup or a complete new one. Restore refuses a database that already holds
tables unless ``clean`` is given (then its contents are replaced), and answers with the
migration revision(s) the restored data is at — run ``partnerships db upgrade`` after
restoring an older backup into a newer release.

Restoring over a database never lets an id be handed out twice: each table's id counter
ends at least as high as it was before the restore (:func:`_id_counters`). An id is a
promise — a client holds a record's global ID, the response cache versions its answers by
event ids, an integration pages the feed by them — and an older backup would otherwise
number the records written after it with ids already issued for others.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Report:
    file: Path
    backend: str
    size: int
    revisions: tuple[str, ...] = ()


# --------------------------------------------------------------------------- helpers


def _backend(url: URL) -> str:
    name = url.get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _pg_env(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    for var, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[var] = str(value)
    return env


def _tool(name: str, bin_dir: str | None) -> str:
    path = shutil.which(name, path=bin_dir) if bin_dir else shutil.which(name)
    if path is None:
        where = f"in {bin_dir}" if bin_dir else "on PATH"
        raise BackupError(f"{name} not found {where}: install the PostgreSQL client tools of the "
                          f"server's major version (e.g. `apt install postgresql-client-15`) or set "
                          f"PARTNERSHIPS_PG_BIN_DIR")
    return path


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tool = Path(argv[0]).name
        raise BackupError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip() or done.stdout.strip()}")


def _kind_of(file: Path) -> str:
    with file.open("rb") as f:
        head = f.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{file} is neither a PostgreSQL custom-format dump nor a SQLite database")


async def _tables_and_revisions(url: str) -> tuple[list[str], tuple[str, ...]]:
    """The database's tables and its alembic revision(s)."""
    engine = create_async_engine(url)
    try:
        try:
            conn = await engine.connect()
        except Exception as exc:  # unreachable server, unknown database, bad credentials
            raise BackupError(f"cannot connect to the database: {type(exc).__name__}: {exc}") from exc
        try:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
            revisions: tuple[str, ...] = ()
            if "alembic_version" in tables:
                rows = await conn.exec_driver_sql("SELECT version_num FROM alembic_version")
                revisions = tuple(sorted(r[0] for r in rows))
            return tables, revisions
        finally:
            await conn.close()
    finally:
        await engine.dispose()


# --------------------------------------------------------------------------- backup


async def backup(url: str, file: Path, *, pg_bin_dir: str | None = None, overwrite: bool = False) -> Report:
    """Write a backup of the database at ``url`` to ``file``."""
    parsed = make_url(url)
    backend = _backend(parsed)
    file = Path(file)
    if file.exists() and not overwrite:
        raise BackupError(f"{file} exists; choose another name or pass --force to overwrite it")
    if not file.parent.is_dir():
        raise BackupError(f"directory {file.parent} does not exist")
    _tables, revisions = await _tables_and_revisions(url)
    partial = file.with_name(f".{file.name}.partial")
    try:
        if backend == "postgresql":
            argv = [_tool("pg_dump", pg_bin_dir), "--format=custom", "--no-owner", "--no-privileges",
                    f"--file={partial}", parsed.database or ""]
            await asyncio.to_thread(_run, argv, _pg_env(parsed))
        else:
            await asyncio.to_thread(_sqlite_copy, _sqlite_path(parsed), partial)
        partial.replace(file)
    finally:
        partial.unlink(missing_ok=True)
    return Report(file=file, backend=backend, size=file.stat().st_size, revisions=revisions)


def _sqlite_copy(source: Path, target: Path) -> None:
    if not source.exists():
        raise BackupError(f"SQLite database {source} does not exist")
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # the online backup API: a consistent copy while others write
        finally:
            dst.close()
    finally:
        src.close()


# --------------------------------------------------------------------------- restore


async def restore(url: str, file: Path, *, clean: bool = False, pg_bin_dir: str | None = None) -> Report:
    """Restore ``file`` (made by :func:`backup`) into the database at ``url``."""
    parsed = make_url(url)
    backend = _backend(parsed)
    file = Path(file)
    if not file.is_file():
        raise BackupError(f"{file} does not exist")
    kind = _kind_of(file)
    if kind != backend:
        raise BackupError(f"{file} is a {kind} backup but the configured database is {backend}; "
                          f"restore it into a {kind} database (set PARTNERSHIPS_DATABASE_URL)")
    if backend == "sqlite":
        _sqlite_path(parsed).parent.mkdir(parents=True, exist_ok=True)
    tables, _ = await _tables_and_revisions(url)
    if tables and not clean:
        raise BackupError(f"the database already holds {len(tables)} table(s); restore into an empty "
                          f"database, or pass --clean to replace its contents")
    issued = await _id_counters(url) if tables else {}
    if backend == "postgresql":
        argv = [_tool("pg_restore", pg_bin_dir), "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction", *(["--clean", "--if-exists"] if tables else []),
                f"--dbname={parsed.database or ''}", str(file)]
        await asyncio.to_thread(_run, argv, _pg_env(parsed))
    else:
        await asyncio.to_thread(_sqlite_restore, file, _sqlite_path(parsed))
    if issued:
        await _id_counters(url, at_least=issued)
    _, revisions = await _tables_and_revisions(url)
    return Report(file=file, backend=backend, size=file.stat().st_size, revisions=revisions)


async def _id_counters(url: str, at_least: dict[str, int] | None = None) -> dict[str, int]:
    """Each id counter's high-water mark — the highest id it has handed out, deleted rows
    included: PostgreSQL's sequences, SQLite's ``sqlite_sequence`` (its AUTOINCREMENT
    tables). With ``at_least``, first raise each counter that is lower than its mark there."""
    sqlite = make_url(url).get_backend_name() == "sqlite"
    read = ("SELECT name, seq FROM sqlite_sequence" if sqlite else
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() "
            "AND last_value IS NOT NULL")
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            if sqlite:  # sqlite_sequence is SQLite's own: the inspector does not list it
                tables = {n for (n,) in (await conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table'")).all()}
                if "sqlite_sequence" not in tables:
                    return {}
            counters = {name: value for name, value in (await conn.exec_driver_sql(read)).all()}
            for name, mark in (at_least or {}).items():
                if counters.get(name, 0) >= mark:
                    continue
                if sqlite:
                    if name in tables:  # a table the restored schema still has
                        await conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
                        await conn.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                                                   (name, mark))
                else:
                    await conn.exec_driver_sql(
                        "SELECT setval(c.oid, $1) FROM pg_class c WHERE c.relkind = 'S' AND c.relname = $2 "
                        "AND c.relnamespace = current_schema()::regnamespace", (mark, name))
                counters[name] = mark
            return counters
    finally:
        await engine.dispose()


def _sqlite_restore(file: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        problem = src.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise BackupError(f"{file} is damaged: {problem}")
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # replaces every page of the target, under its write lock
        finally:
            dst.close()
    finally:
        src.close()
