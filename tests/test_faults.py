"""Faults against the real PostgreSQL: the server restarts while writes are in flight.

Restarting the local cluster disturbs anything else using it, so this runs only when asked:
`make faults` (PARTNERSHIPS_FAULTS=1), and in CI, where the suite has the machine to itself.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.db import session_factory
from core.enums import Role
from core.models import AuditEvent, Seat
from tests.conftest import IN_CI, load_all, make_api

ENABLED = IN_CI or os.environ.get("PARTNERSHIPS_FAULTS") == "1"
ADD = """mutation ($input: AddSeatInput!) { addSeat(input: $input) { __typename } }"""


def pg_ctl(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True,
                   capture_output=True, timeout=60)


@pytest.fixture
async def pg_api(databases, registry):
    if not ENABLED:
        pytest.skip("fault injection restarts PostgreSQL: run `make faults` (CI runs it)")
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").exists():
        pytest.skip("no local PostgreSQL cluster to restart")
    url = await databases.new("postgresql")
    await load_all(url, registry)
    api = await make_api("postgresql", url, registry, pool_timeout_s=2.0)
    yield api
    await api.client.aclose()
    await api.app.state.partnerships.engine.dispose()


async def test_restart_during_writes_loses_no_acknowledged_write_and_recovers(pg_api):
    api = pg_api
    gid = (await api.gql('{ partnership(code: "sandwell") { group(code: "scsp") { id } } }'))[
        "data"]["partnership"]["group"]["id"]
    token = await api.token("sandwell", Role.BUSINESS_UNIT)
    acknowledged: list[str] = []
    failed, slowest, server_errors = 0, 0.0, 0
    stop = asyncio.Event()

    async def writer(w: int) -> None:
        nonlocal failed, slowest, server_errors
        i = 0
        while not stop.is_set():
            code = f"fault-{w}-{i}"
            i += 1
            started = time.perf_counter()
            try:
                response = await asyncio.wait_for(api.post(ADD, {"input": {
                    "groupId": gid, "code": code, "role": "CO_OPTED", "post": "Fault test"}}, token=token), 15)
            except TimeoutError:
                pytest.fail("a request hung for 15 s during the outage")
            slowest = max(slowest, time.perf_counter() - started)
            server_errors += response.status_code == 500  # an outage is a 503 to retry, not a crash
            body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
            if (body.get("data") or {}).get("addSeat", {}).get("__typename") == "SeatPayload":
                acknowledged.append(code)
            else:
                failed += 1
            await asyncio.sleep(0.01)

    writers = [asyncio.create_task(writer(w)) for w in range(4)]
    await asyncio.sleep(1.0)
    await asyncio.to_thread(pg_ctl, "stop")
    await asyncio.sleep(2.0)
    await asyncio.to_thread(pg_ctl, "start")
    await asyncio.sleep(3.0)
    stop.set()
    await asyncio.gather(*writers)

    # The API recovers by itself: a fresh write succeeds without restarting anything.
    for _ in range(30):
        body = (await api.post(ADD, {"input": {"groupId": gid, "code": "fault-after", "role": "CO_OPTED",
                                               "post": "After"}}, token=token)).json()
        if (body.get("data") or {}).get("addSeat", {}).get("__typename") == "SeatPayload":
            break
        await asyncio.sleep(1)
    else:
        pytest.fail("the API did not recover after PostgreSQL came back")

    async with session_factory(api.app.state.partnerships.engine)() as session:
        stored = set((await session.scalars(select(Seat.code).where(Seat.code.like("fault-%")))).all())
        events = await session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "seat.create"))
    lost = set(acknowledged) - stored
    print(f"faults: {len(acknowledged)} acknowledged, {failed} refused during the outage, {len(lost)} lost, "
          f"{server_errors} HTTP 500s, slowest answer {slowest:.1f}s")
    assert failed > 0, "the outage was not observed"
    assert server_errors == 0, f"{server_errors} requests crashed (HTTP 500) instead of answering 503"
    assert not lost
    assert events == len(stored)  # every stored seat has its audit event, no half-written aggregate
