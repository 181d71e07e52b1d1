"""A bounded load client, run in its own process: N keep-alive HTTP/1.1 connections, each
sending its next request as soon as the last answer is read, for D seconds.

Plain asyncio streams rather than an HTTP library, so the client costs as little CPU as
possible on a machine it shares with the server and PostgreSQL.

    python -m bench.client < spec.json  > result.json

The spec: ``{"host", "port", "path", "duration", "warmup", "concurrency", "requests":
[{"weight", "body", "headers", "expect"}]}``. ``__N__`` in a body is replaced by a number
unique to the request (for writes that need fresh codes). An answer counts as an error if
its status is not 200, if it carries ``"errors"``, or if it lacks ``expect``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import sys
import time


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                parts.append(chunk[:-2])
            body = b"".join(parts)
        else:
            body = await self.reader.read()
            await self.close()
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def _raw(host: str, port: int, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    head = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Content-Type: application/json",
            "Accept: application/json", f"Content-Length: {len(body)}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def run(spec: dict) -> dict:
    host, port, path = spec["host"], spec["port"], spec.get("path", "/graphql")
    kinds = spec["requests"]
    weights = [k.get("weight", 1) for k in kinds]
    counter = itertools.count()
    tag = f"{os.getpid()}-{random.randrange(1 << 30)}"
    static = {i: _raw(host, port, path, k["body"].encode(), k.get("headers", {}))
              for i, k in enumerate(kinds) if "__N__" not in k["body"]}
    latencies: list[float] = []
    errors: list[str] = []
    counts = [0] * len(kinds)
    start = time.perf_counter()
    record_from = start + spec.get("warmup", 0.0)
    stop = record_from + spec["duration"]

    async def worker(w: int) -> None:
        conn = Connection(host, port)
        rng = random.Random(w)
        while True:
            now = time.perf_counter()
            if now >= stop:
                break
            i = rng.choices(range(len(kinds)), weights)[0] if len(kinds) > 1 else 0
            raw = static.get(i)
            if raw is None:
                body = kinds[i]["body"].replace("__N__", f"{tag}-{next(counter)}")
                raw = _raw(host, port, path, body.encode(), kinds[i].get("headers", {}))
            t0 = time.perf_counter()
            try:
                status, body = await conn.request(raw)
                problem = None
                if status != 200:
                    problem = f"HTTP {status}: {body[:300]!r}"
                elif b'"errors":' in body or (kinds[i].get("expect") and kinds[i]["expect"].encode() not in body):
                    problem = f"{body[:300]!r}"
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                await conn.close()
            t1 = time.perf_counter()
            if t0 >= record_from:
                latencies.append(t1 - t0)
                counts[i] += 1
                if problem:
                    errors.append(problem)
        await conn.close()

    await asyncio.gather(*(worker(w) for w in range(spec["concurrency"])))
    elapsed = time.perf_counter() - record_from
    latencies.sort()

    def pct(q: float) -> float | None:
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return {
        "requests": len(latencies), "seconds": elapsed, "rps": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": pct(0.50), "p99_ms": pct(0.99), "errors": len(errors), "first_errors": errors[:3],
        "per_kind": counts,
    }


def main() -> None:
    spec = json.load(sys.stdin)
    try:
        import uvloop  # uvicorn[standard] brings it; the client is then cheaper still

        runner = uvloop.run
    except ImportError:  # pragma: no cover
        runner = asyncio.run
    json.dump(runner(run(spec)), sys.stdout)


if __name__ == "__main__":
    main()
