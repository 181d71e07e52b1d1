"""The benchmark's moving parts, shared by `python -m bench` and `python -m bench.shared_tier`:
servers started and stopped as processes, the load client run in its own process, and a
throwaway PostgreSQL database per run."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port(preferred: int = 0) -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", preferred))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    log: Path
    proc: subprocess.Popen | None = None
    peak_rss_kb: int | None = None

    def start(self, timeout: float = 180.0) -> None:
        self.proc = subprocess.Popen(self.argv, env=self.env, cwd=ROOT, stdout=self.log.open("wb"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /healthz within {timeout:.0f}s")

    def rss_kb(self) -> int | None:
        """The process's peak resident set (VmHWM), read from /proc."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except (OSError, AttributeError):
            return None
        return None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.peak_rss_kb = self.rss_kb() or self.peak_rss_kb
        self.proc.send_signal(signal.SIGTERM)  # only the process this harness started, by its pid
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def floor_server(name: str, dsn: str, port: int, log: Path) -> Server:
    """The raw-SQL floor (:mod:`bench.floor`) on ``port``, reading ``dsn``; not started."""
    return Server(name, [str(BIN / "python"), "-m", "uvicorn", "bench.floor:app", "--factory", "--host", "127.0.0.1",
                         "--port", str(port), "--no-access-log", "--log-level", "warning"],
                  {**os.environ, "BENCH_FLOOR_DSN": dsn, "PYTHONPATH": str(ROOT)}, port, log)


def prime(port: int, kind: dict) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=kind["body"].encode(), method="POST",
                                     headers={"Content-Type": "application/json", **kind.get("headers", {})})
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()


def run_client(spec: dict) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.client"], input=json.dumps(spec), capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          timeout=spec["duration"] + spec.get("warmup", 0) + 120)
    if done.returncode != 0:
        raise RuntimeError(f"load client failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


async def create_database(pg: str) -> tuple[str, str, str]:
    import asyncpg

    name = f"bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(f"{pg}/postgres", timeout=10)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        version = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
    return name, f"{pg}/{name}", version


async def drop_database(pg: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(f"{pg}/postgres", timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def body(query: str, variables: dict, operation: str | None = None) -> str:
    return json.dumps({"query": query, "variables": variables, **({"operationName": operation} if operation else {})})
