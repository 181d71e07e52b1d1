"""`python -m bench.shared_tier`: one warm cache for many workers, against the raw-SQL floor.

1. Generates and loads the benchmark's synthetic dataset into a fresh PostgreSQL database
   (:mod:`bench.dataset`), as `python -m bench` does.
2. Starts, side by side: the floor (:mod:`bench.floor`, one process); ``partnerships serve``
   (one worker, the in-process cache alone: the ``page (cache hit)`` scenario of
   `python -m bench`); ``partnerships serve --workers N`` with the shared tier on
   (``PARTNERSHIPS_RESPONSE_CACHE_URL``).
3. Warms one partnership's page on the N workers through one connection, then sends it once
   on each of many fresh connections (the kernel hands each to any worker) and counts the
   ``X-Cache: hit`` answers.
4. Loads the three servers in turn, in rounds, with that page (:mod:`bench.client`).
5. Prints requests/s, the ratio to the floor (same minutes), and the cross-worker hits.

:func:`measure` runs steps 2-4 on a database already loaded (for `python -m bench`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import (
    BIN,
    ROOT,
    Server,
    create_database,
    drop_database,
    floor_server,
    free_port,
    prime,
    run_client,
)
from bench.harness import body as _body

DEFAULT_REDIS = os.environ.get("PARTNERSHIPS_BENCH_REDIS", "redis://127.0.0.1:6379/0")


def _one_request(port: int, body: str) -> dict[str, str]:
    """One POST on a new connection; the answer's headers (lower-case names)."""
    raw = body.encode()
    with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
        s.sendall((f"POST /graphql HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(raw)}\r\nConnection: close\r\n\r\n").encode() + raw)
        data = b""
        while chunk := s.recv(1 << 16):
            data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {"status": head[0].split(" ", 2)[1]}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


def measure(*, url: str, dsn: str, code: str, env_extra: dict[str, str], logs: Path, duration: float = 10.0,
            warmup: float = 1.0, concurrency: int = 8, workers: int = 4, redis_url: str = DEFAULT_REDIS,
            rounds: int = 3, fresh_connections: int = 24, single: bool = True) -> dict:
    """Floor, one worker (in-process cache) and ``workers`` workers with the shared tier, on
    the page of partnership ``code`` of a loaded database. ``env_extra``: what the server
    needs to find the dataset's plugins (``PYTHONPATH``, ``PARTNERSHIPS_BENCH_DATA``).

    The servers run side by side (idle when not loaded) and are loaded in turn, ``rounds``
    times ``duration / rounds`` seconds each: on a machine shared with other work, each
    ratio to the floor then compares the same minutes."""
    from bench import queries

    page = {"body": _body(queries.PAGE, {"code": code}), "expect": '"partnership"'}
    env = {**os.environ, **env_extra, "PARTNERSHIPS_DATABASE_URL": url, "PARTNERSHIPS_RATE_LIMIT": "",
           "PARTNERSHIPS_RESPONSE_CACHE": "true"}
    env.pop("PARTNERSHIPS_PRODUCTION", None)
    env.pop("PARTNERSHIPS_RESPONSE_CACHE_URL", None)
    serve = [str(BIN / "partnerships"), "serve", "--host", "127.0.0.1", "--port"]
    port = free_port()
    servers = {"floor": floor_server("floor", dsn, port, logs / "floor.log")}
    if single:
        port = free_port()
        servers["one_worker"] = Server("api, 1 worker", [*serve, str(port)], env, port, logs / "api-1.log")
    port = free_port()
    servers["shared"] = Server(f"api, {workers} workers, shared tier", [*serve, str(port), "--workers", str(workers)],
                               {**env, "PARTNERSHIPS_RESPONSE_CACHE_URL": redis_url},  # keys name the run's database
                               port, logs / "api-shared.log")
    results: dict = {"workers": workers, "concurrency": concurrency, "duration": duration, "rounds": rounds}
    try:
        for server in servers.values():
            server.start()
        shared = servers["shared"].port
        time.sleep(2.0)  # every worker up (the first to answer /healthz is not the last)
        first = _one_request(shared, page["body"])
        outcomes = [_one_request(shared, page["body"]).get("x-cache") for _ in range(fresh_connections)]
        results["cross_worker"] = {"first": first.get("x-cache"), "hits": outcomes.count("hit"),
                                   "requests": len(outcomes)}
        for server in servers.values():
            prime(server.port, page)
        totals = {name: {"requests": 0, "seconds": 0.0, "errors": 0, "p50s": [], "p99s": []} for name in servers}
        for _ in range(rounds):
            for name, server in servers.items():
                r = run_client(dict(host="127.0.0.1", port=server.port, path="/graphql", duration=duration / rounds,
                                    warmup=warmup, concurrency=concurrency, requests=[page]))
                t = totals[name]
                t["requests"] += r["requests"]
                t["seconds"] += r["seconds"]
                t["errors"] += r["errors"]
                t["p50s"].append(r["p50_ms"])
                t["p99s"].append(r["p99_ms"])
        for name, t in totals.items():
            results[name] = {"rps": t["requests"] / t["seconds"], "requests": t["requests"], "errors": t["errors"],
                             "p50_ms": sorted(t["p50s"])[len(t["p50s"]) // 2], "p99_ms": max(t["p99s"])}
    finally:
        for server in servers.values():
            server.stop()
    floor_rps = results["floor"]["rps"]
    for name in ("one_worker", "shared"):
        if name in results and floor_rps:
            results[name]["ratio"] = results[name]["rps"] / floor_rps
    return results


def report(results: dict) -> str:
    floor = results["floor"]["rps"]
    lines = ["| server | req/s | × floor | p50 ms | p99 ms | errors |", "|---|---|---|---|---|---|"]
    rows = [("raw-SQL floor", results["floor"]), ("page (cache hit), 1 worker", results.get("one_worker")),
            (f"page (cache hit), {results['workers']} workers, shared tier", results.get("shared"))]
    for name, r in rows:
        if r is None:
            continue
        lines.append(f"| {name} | {r['rps']:.1f} | {r['rps'] / floor:.2f}× | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
                     f"{r['errors']} |")
    cw = results["cross_worker"]
    lines.append("")
    lines.append(f"Warmed through one connection (first answer: X-Cache {cw['first']}); then {cw['hits']} of "
                 f"{cw['requests']} fresh connections, spread over {results['workers']} workers, answered "
                 "`X-Cache: hit`.")
    return "\n".join(lines)


async def _prepare(pg: str, partnerships: int, seed: int, tmp: Path) -> tuple[str, str, str, list[str]]:
    import asyncpg

    from bench.dataset import load_dataset, write_dataset
    from bench.synthetic import registry_for, write_distribution
    from core.migrate import upgrade

    paths = write_dataset(tmp / "data", partnerships, seed)
    registry = registry_for(paths)
    write_distribution(tmp / "site", paths)
    name, dsn, _version = await create_database(pg)
    url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
    await asyncio.to_thread(upgrade, url)
    await load_dataset(url, registry, seed)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return name, dsn, url, registry.codes()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.shared_tier", description=__doc__.split("\n\n")[0])
    ap.add_argument("--partnerships", type=int, default=150, help="synthetic partnerships (150)")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of load per server, in all (10)")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds of unrecorded load before each turn (1)")
    ap.add_argument("--rounds", type=int, default=3, help="turns of load per server, interleaved (3)")
    ap.add_argument("--concurrency", type=int, default=8, help="concurrent client connections (8)")
    ap.add_argument("--workers", type=int, default=4, help="workers of the shared-tier server (4)")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--no-single", action="store_true", help="skip the one-worker, in-process-cache server")
    ap.add_argument("--pg", default=os.environ.get("PARTNERSHIPS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432"))
    ap.add_argument("--redis", default=DEFAULT_REDIS, help=f"the shared tier's Redis ({DEFAULT_REDIS})")
    args = ap.parse_args(argv)
    from bench.synthetic import DATA_ENV

    tmp = Path(tempfile.mkdtemp(prefix="partnerships-shared-tier-"))
    name = None
    try:
        t0 = time.perf_counter()
        name, dsn, url, codes = asyncio.run(_prepare(args.pg, args.partnerships, args.seed, tmp))
        print(f"loaded {len(codes)} partnerships in {time.perf_counter() - t0:.0f}s", flush=True)
        logs = tmp / "logs"
        logs.mkdir()
        env_extra = {DATA_ENV: str(tmp / "data"), "PYTHONPATH": os.pathsep.join([str(tmp / "site"), str(ROOT)])}
        results = measure(url=url, dsn=dsn, code=codes[0], env_extra=env_extra, logs=logs, duration=args.duration,
                          warmup=args.warmup, concurrency=args.concurrency, workers=args.workers, rounds=args.rounds,
                          redis_url=args.redis, single=not args.no_single)
        print(report(results))
        print(json.dumps(results), file=sys.stderr)
    finally:
        if name:
            asyncio.run(drop_database(args.pg, name))
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
