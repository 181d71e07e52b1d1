"""`partnerships token list`, and one id for a token: the prefix printed at creation (the part
of the token after `pgt_`) is what `token list` shows and what `token revoke` takes."""

from __future__ import annotations

import re

import pytest

from core.config import Settings
from core.db import create_engine, session_factory
from core.services.identity import AuthenticationError, authenticate
from tests.conftest import load_all
from tests.test_input_small import _cli


async def _authenticate(url: str, secret: str):
    engine = create_engine(Settings(database_url=url), url)
    try:
        async with session_factory(engine)() as session, session.begin():
            return await authenticate(session, secret)
    finally:
        await engine.dispose()


async def test_the_printed_prefix_lists_and_revokes_the_token(empty_db, registry):
    await load_all(empty_db, registry)
    created = await _cli(empty_db, "token", "create", "--partnership", "merton", "--role", "member",
                         "--label", "merton website")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    prefix = re.fullmatch(r"pgt_([0-9a-f]+)_\S+", secret).group(1)
    assert f"token {prefix}" in created.stderr and f"partnerships token revoke {prefix}" in created.stderr
    other = (await _cli(empty_db, "token", "create", "--role", "administrator")).stdout.strip()

    listed = await _cli(empty_db, "token", "list")
    assert listed.exit_code == 0, listed.output
    [row] = [line for line in listed.stdout.splitlines() if line.startswith(prefix)]
    assert "member" in row and "merton" in row and "merton website" in row and "live" in row
    assert other.split("_")[1] in listed.stdout and secret not in listed.stdout  # never the secret

    revoked = await _cli(empty_db, "token", "revoke", prefix)
    assert revoked.exit_code == 0, revoked.output
    with pytest.raises(AuthenticationError, match="revoked"):
        await _authenticate(empty_db, secret)
    assert (await _authenticate(empty_db, other)).platform_admin
    [row] = [line for line in (await _cli(empty_db, "token", "list")).stdout.splitlines() if line.startswith(prefix)]
    assert "revoked" in row

    only_merton = await _cli(empty_db, "token", "list", "--partnership", "merton")
    assert prefix in only_merton.stdout and other.split("_")[1] not in only_merton.stdout
    again = await _cli(empty_db, "token", "revoke", prefix)
    assert again.exit_code == 2 and "no live token" in again.output


async def test_revoke_takes_the_whole_token_or_the_number_the_audit_trail_shows(empty_db):
    for form in ("whole", "number"):
        created = await _cli(empty_db, "token", "create", "--role", "administrator")
        secret = created.stdout.strip()
        number = re.search(r"number (\d+)", created.stderr).group(1)
        revoked = await _cli(empty_db, "token", "revoke", secret if form == "whole" else f"token:{number}")
        assert revoked.exit_code == 0, revoked.output
        assert secret not in revoked.output
        with pytest.raises(AuthenticationError, match="revoked"):
            await _authenticate(empty_db, secret)


async def test_revoking_an_unknown_token_says_so(empty_db):
    for ref in ("0000ffff", "pgt_0000ffff_nope", "token:999", "not a token"):
        result = await _cli(empty_db, "token", "revoke", ref)
        assert result.exit_code == 2 and "Traceback" not in result.output, (ref, result.output)
