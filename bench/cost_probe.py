"""The cost limit against the query it was made for, on a real server.

Creates a PostgreSQL database, migrates it and loads the installed boroughs, serves it with
``partnerships serve`` (one worker), and sends the seat → group → partnership loop with six
aliases (``tests/test_limits.py`` LOOP) a few times. Prints each answer's time and size and
the server's resident memory before and after (VmRSS) and at its peak (VmHWM): the query
must be refused at validation, quickly, without the server growing.

    python -m bench.cost_probe [--pg postgresql://postgres@127.0.0.1:5432] [--times 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "import sys; from core.cli import main; sys.argv[0] = 'partnerships'; main()"]


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def main(pg: str, times: int) -> None:
    import asyncpg
    import httpx

    from tests.test_limits import LOOP

    name = f"cost_probe_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"{pg}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARTNERSHIPS_LOG_LEVEL": "WARNING",
           "PARTNERSHIPS_DATABASE_URL": f"{pg.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"}
    server = None
    try:
        for command in (["db", "upgrade"], ["load"]):
            subprocess.run(CLI + command, cwd=ROOT, env=env, check=True, capture_output=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(CLI + ["serve", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            for _ in range(600):
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            for _ in range(3):  # start-up allocations behind us
                await client.post("/graphql", json={"query": "{ partnerships { totalCount } }"})
            before, _ = memory_mb(server.pid)
            for _ in range(times):
                started = time.perf_counter()
                response = await client.post("/graphql", json={"query": LOOP})
                elapsed = time.perf_counter() - started
                errors = response.json().get("errors") or [{}]
                code = errors[0].get("extensions", {}).get("code", "none")
                print(f"{elapsed * 1000:8.1f} ms  HTTP {response.status_code}  {len(response.content):,} bytes  "
                      f"error code {code}", flush=True)
            after, peak = memory_mb(server.pid)
        print(f"server RSS before {before:.1f} MB, after {after:.1f} MB ({after - before:+.1f} MB), "
              f"peak {peak:.1f} MB; query of {len(LOOP)} characters")
    finally:
        if server is not None:
            server.terminate()
            server.wait()
        admin = await asyncpg.connect(f"{pg}/postgres")
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("PARTNERSHIPS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432"))
    parser.add_argument("--times", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.pg, args.times))
