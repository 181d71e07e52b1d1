"""Subscriptions at scale: N open `events` subscriptions on one worker.

What it measures, on the benchmark's database:

- **database statements a second** while N subscriptions are open and events are being
  written: counted in the server process itself (a ``before_cursor_execute`` listener on
  its engine, written to a file the harness reads), so nothing but the subscriptions'
  work is counted — the writes are made by the harness, on its own connection;
- **event latency**: from the commit of a write to its arrival on each subscription, every
  (subscription, event) pair, p50/p99/max.

Three processes: the server (``python -m bench.subscriptions serve``: the app, as
``partnerships serve`` builds and runs it — uvicorn's event loop and WebSocket options — one
worker), the subscribing client (``python -m bench.subscriptions client``: WebSocket
connections in one process, a share of them with a member's token so the tokens are
re-checked; every subscription starts after the feed's newest event when the run begins,
however long the 10,000 starts take) and the harness, which writes one audited event a second
and reads the clock and the count. One client process is enough: at 10,000 subscriptions it
used ~10-20 % of a core while events were delivered (the server ~20 %), and splitting the
connections over two (``BENCH_SUBSCRIPTION_CLIENTS=2``) gave the same latencies, within the
noise of the poll's phase — it does not hold the deliveries back.

The latency includes the wait for the server's next poll (``events_poll_interval_s``, 1 s).
The harness starts writing as soon as the warm-up event has reached every subscription — just
after a poll — and then writes once a second, about the poll's own period, so most events
wait most of an interval: the figures are near the worst case of the poll's phase (p50 near
1 s is that wait; p99 minus p50 is the spread of the deliveries).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERY = "subscription ($after: String) { events(after: $after) { cursor } }"
#: Subscribing client processes (see the module's docstring).
CLIENTS = int(os.environ.get("BENCH_SUBSCRIPTION_CLIENTS", "1"))


# ----------------------------------------------------------------------------- the server


def serve(port: int, counts: Path) -> None:
    """The app on one worker, counting the statements its engine sends."""
    import uvicorn
    from sqlalchemy import event

    from core.cli import WEBSOCKET_OPTIONS
    from core.config import get_settings
    from schema.app import create_app

    app = create_app(get_settings())
    engine = app.state.partnerships.engine
    seen = [0]

    def on_execute(*_args) -> None:
        seen[0] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)

    async def report() -> None:
        while True:
            tmp = counts.with_suffix(".tmp")
            tmp.write_text(f"{seen[0]} {time.time()}")
            tmp.replace(counts)
            await asyncio.sleep(0.2)

    # As `partnerships serve` runs it: its WebSocket options, and uvicorn's choice of event
    # loop (uvloop when installed), not asyncio's default.
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws_max_queue=1024,
                            **WEBSOCKET_OPTIONS)

    async def main() -> None:
        server = uvicorn.Server(config)
        reporter = asyncio.create_task(report())
        try:
            await server.serve()
        finally:
            reporter.cancel()

    with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
        runner.run(main())


def read_count(counts: Path) -> int:
    return int(counts.read_text().split()[0])


# ----------------------------------------------------------------------------- the client


async def client(spec: dict) -> dict:
    """Open the subscriptions and say ``connected``; say ``ready`` once the harness's
    warm-up event has reached every one; then record each event's arrival until stdin closes."""
    from websockets.asyncio.client import connect

    url = f"ws://127.0.0.1:{spec['port']}/graphql"
    per = spec["per_connection"]
    mine = range(*spec["connections"])  # this process's share of the connections
    expected = sum(min(per, spec["subscriptions"] - i * per) for i in mine)
    tokens = spec.get("tokens") or []
    arrivals: dict[str, list[float]] = {}
    warmed: set[tuple[int, str]] = set()
    errors: list[str] = []
    everyone, live = asyncio.Event(), False

    async def run(i: int, ready: asyncio.Event) -> None:
        token = tokens[i % len(tokens)] if tokens and i % spec.get("token_every", 10) == 0 else None
        ws = await connect(url, subprotocols=["graphql-transport-ws"], proxy=None, max_queue=None,
                           open_timeout=60, ping_interval=None)
        await ws.send(json.dumps({"type": "connection_init",
                                  "payload": {"authorization": f"Bearer {token}"} if token else {}}))
        ack = json.loads(await ws.recv())
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"connection refused: {ack}")
        count = min(per, spec["subscriptions"] - i * per)
        for n in range(count):
            await ws.send(json.dumps({"id": str(n), "type": "subscribe",
                                      "payload": {"query": QUERY, "variables": {"after": spec["after"]}}}))
        ready.set()
        async for raw in ws:
            now = time.time()
            message = json.loads(raw)
            if message.get("type") != "next" or message["payload"].get("errors"):
                errors.append(str(message)[:300])
                continue
            if not live:  # the warm-up event: every subscription is on the poller
                warmed.add((i, message["id"]))
                if len(warmed) >= expected:
                    everyone.set()
                continue
            arrivals.setdefault(message["payload"]["data"]["events"]["cursor"], []).append(now)

    readies = [asyncio.Event() for _ in mine]
    tasks = []
    for n, i in enumerate(mine):
        tasks.append(asyncio.create_task(run(i, readies[n])))
        if n % 20 == 19:
            await asyncio.sleep(0.05)  # don't flood the accept queue
    while not all(r.is_set() for r in readies):
        for t in tasks:
            if t.done() and t.exception():
                raise t.exception()
        await asyncio.sleep(0.1)
    print("connected", flush=True)
    try:
        await asyncio.wait_for(everyone.wait(), 600)
    except TimeoutError:
        raise RuntimeError(f"the warm-up event reached {len(warmed)} of {expected} subscriptions; "
                           f"{len(errors)} errors: {errors[:3]}") from None
    live = True
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()  # until the harness closes stdin
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"arrivals": arrivals, "errors": errors[:20], "error_count": len(errors)}


# ----------------------------------------------------------------------------- the harness


async def measure(*, url: str, port: int, counts: Path, subscriptions: int, per_connection: int, tokens: list[str],
                  duration: float, partnership_id: int | None, clients: int = CLIENTS) -> dict:
    """Run the client processes (``clients``, each a share of the connections) against the
    server at ``port``; write one event a second for ``duration`` seconds; return
    statements/s and latency figures."""
    from core.config import Settings
    from core.db import create_engine, session_factory
    from core.services import audit
    from core.services.events import encode_cursor, latest_id

    engine = create_engine(Settings(database_url=url), url)
    sessions = session_factory(engine)

    async def write(tag: str) -> tuple[str, float]:
        async with sessions() as session, session.begin():
            row = await audit.record(session, actor="bench", action="bench.tick", entity_type="BenchTick",
                                     entity_id=tag, partnership_id=partnership_id, after={"tag": tag})
            await session.flush()
            event_id = row.id
        return encode_cursor(event_id), time.time()

    async with sessions() as session:  # every subscription starts here, however long the start takes
        after = encode_cursor(await latest_id(session))
    connections = -(-subscriptions // per_connection)
    shares = [(connections * k // clients, connections * (k + 1) // clients) for k in range(clients)]
    procs = [await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.subscriptions", "client",
        json.dumps(dict(port=port, subscriptions=subscriptions, per_connection=per_connection, tokens=tokens,
                        after=after, connections=share)),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}) for share in shares]

    async def said(word: bytes) -> None:
        for proc in procs:
            line = await asyncio.wait_for(proc.stdout.readline(), 600)
            if line.strip() != word:
                raise RuntimeError(f"subscription client: {line!r} {(await proc.stderr.read()).decode()[-3000:]}")

    try:
        t0 = time.perf_counter()
        await said(b"connected")
        connected_s = time.perf_counter() - t0
        await asyncio.sleep(3)  # every subscription past its start and on the poller
        await write("warm-up")
        await said(b"ready")
        ready_s = time.perf_counter() - t0
        start_count, start = read_count(counts), time.monotonic()
        written: dict[str, float] = {}
        for i in range(int(duration)):
            cursor, at = await write(f"tick-{i}")
            written[cursor] = at
            await asyncio.sleep(max(0.0, start + i + 1 - time.monotonic()))
        await asyncio.sleep(3)  # the last event's delivery
        await asyncio.sleep(0.3)  # the count file's next write
        statements = read_count(counts) - start_count
        window = time.monotonic() - start
        results = []
        for proc in procs:
            proc.stdin.close()
        for proc in procs:
            out, err = await asyncio.wait_for(proc.communicate(), 300)
            if proc.returncode != 0:
                raise RuntimeError(f"subscription client failed: {err.decode()[-3000:]}")
            results.append(json.loads(out.decode().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        await engine.dispose()
    arrivals = [(cursor, t) for result in results for cursor, times in result["arrivals"].items() for t in times]
    errors = [e for result in results for e in result["errors"]]
    latencies = sorted(t - written[c] for c, t in arrivals if c in written)
    delivered = len(latencies)
    expected = subscriptions * len(written)

    def pct(p: float) -> float | None:
        """Over every expected arrival: one still missing at the end is later than any seen
        (None when the percentile falls among those)."""
        index = int(p * expected)
        return latencies[index] * 1000 if index < delivered else None

    return {
        "subscriptions": subscriptions, "connections": -(-subscriptions // per_connection), "events": len(written),
        "statements": statements, "window_s": window, "statements_per_s": statements / window,
        "delivered": delivered, "expected": expected, "missing": expected - delivered,
        "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": latencies[-1] * 1000 if delivered else None,
        "mean_ms": statistics.fmean(latencies) * 1000 if delivered else None,
        "errors": sum(result["error_count"] for result in results), "first_errors": errors[:20],
        "clients": clients, "connect_s": connected_s,
        "ready_s": ready_s,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.subscriptions")
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--counts", type=Path, required=True)
    c = sub.add_parser("client")
    c.add_argument("spec")
    args = ap.parse_args(argv)
    if args.what == "serve":
        serve(args.port, args.counts)
    else:
        result = asyncio.run(client(json.loads(args.spec)))
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
