"""`python -m bench` (`make bench`): the all-England benchmark against the raw-SQL floor.

1. Generates N synthetic partnerships (:mod:`bench.dataset`), loads them into a fresh
   PostgreSQL database through the project's own services, and checks that the API's
   nested page and the floor's single statement return the same document.
2. Counts SQL statements per request of each kind in-process (a ``before_cursor_execute``
   listener on the app's engine, requests through the ASGI app).
3. Starts, one at a time, the floor (:mod:`bench.floor` under uvicorn) and
   ``partnerships serve`` (one worker; response cache on, then off where the setting
   exists), and loads each with :mod:`bench.client` in a separate process.
4. Side by side, cold: the floor, the API (cache off) and, with peers on (the default;
   ``PEERS=0`` or ``--no-peers`` turns them off), PostGraphile 5 (:mod:`bench.peers.postgraphile`,
   installed on first use, its answers checked equal to the API's) all up at once, loaded in
   turn — floor, API, peer, floor, … — for ``--rounds`` rounds of the page and of the
   150-partnership list; the median round of each is reported, as a ratio to the floor's.
5. Prints requests/s (and its ratio to the floor), p50/p99, statements per request and
   each server's peak RSS (VmHWM), and writes them to ``bench/RESULTS.md``.

The database is dropped and every process it started is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import shlex
import shutil
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench import harness
from bench.harness import (
    BIN,
    ROOT,
    Server,
    create_database,
    drop_database,
    free_port,
    prime,
    run_client,
)
from bench.harness import body as _body

RESULTS = ROOT / "bench" / "RESULTS.md"
#: In RESULTS.md, what follows this line is written by hand and kept by every run.
HAND_WRITTEN = "<!-- Written by hand below this line; `make bench` rewrites only what is above it. -->"


# ----------------------------------------------------------------------------- settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--partnerships", type=int, default=150, help="synthetic partnerships to generate (150)")
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of load per scenario (10)")
    ap.add_argument("--concurrency", type=int, default=8, help="concurrent client connections (8)")
    ap.add_argument("--warmup", type=float, default=None, help="seconds of unrecorded load first (duration/5, ≤2)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 10 partnerships, 2 s per scenario")
    ap.add_argument("--seed", type=int, default=2024, help="dataset seed (2024)")
    ap.add_argument("--pg", default=os.environ.get("PARTNERSHIPS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432"),
                    help="PostgreSQL server to create the benchmark database on")
    ap.add_argument("--port", type=int, default=0, help="first port to serve on (default: free ports)")
    ap.add_argument("--subscriptions", type=int, default=10_000,
                    help="open `events` subscriptions on one worker for the subscription scenario (10000; 0: skip)")
    ap.add_argument("--only-subscriptions", action="store_true", help="run the subscription scenario alone")
    ap.add_argument("--peers", action=argparse.BooleanOptionalAction, default=_env_flag("PEERS", True),
                    help="also measure PostGraphile 5 (bench/peers, installed by npm on first use) side by side "
                         "with the floor and the API (default: on; PEERS=0 in the environment turns it off)")
    ap.add_argument("--shared-tier", action=argparse.BooleanOptionalAction, default=_env_flag("SHARED_TIER", True),
                    help="also measure `serve --workers 4` with the response cache's shared Redis tier "
                         "(bench/shared_tier.py; default: on; SHARED_TIER=0 turns it off)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds of the side-by-side cold scenarios, servers interleaved; the median is reported (3)")
    ap.add_argument("--out", type=Path, default=None,
                    help=f"write the results here (default {RESULTS.relative_to(ROOT)}; --quick writes nothing)")
    args = ap.parse_args(argv)
    if args.quick:
        if "--partnerships" not in (argv or sys.argv):
            args.partnerships = 10
        if "--duration" not in (argv or sys.argv):
            args.duration = 2.0
        if "--subscriptions" not in (argv or sys.argv):
            args.subscriptions = 200
    if args.warmup is None:
        args.warmup = min(2.0, args.duration / 5)
    if args.out is None and not args.quick:
        args.out = RESULTS
    return args


def _env_flag(name: str, default: bool) -> bool:
    """``PEERS=1``/``PEERS=0`` as `make bench PEERS=…` passes it; unset or empty: ``default``."""
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value not in ("0", "false", "no", "off")


# ----------------------------------------------------------------------------- results


@dataclass
class Row:
    scenario: str
    server: str
    result: dict | None = None  # from the client
    statements: int | str | None = None
    note: str = ""

    @property
    def rps(self) -> float | None:
        return None if self.result is None else self.result["rps"]


@dataclass
class Report:
    args: argparse.Namespace
    rows: list[Row] = field(default_factory=list)
    servers: list[Server] = field(default_factory=list)
    dataset: str = ""
    load_start: str = field(default_factory=lambda: loadavg())
    notes: list[str] = field(default_factory=list)
    subscriptions: dict | None = None  # bench.subscriptions.measure's figures
    #: The side-by-side cold scenarios: scenario → server → one client result per round.
    sides: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    side_statements: dict[str, int | str | None] = field(default_factory=dict)  # scenario → the API's SQL/req
    side_objects: dict[str, int] = field(default_factory=dict)  # scenario → objects in the document
    peer: str | None = None  # "PostGraphile x on Node y", when measured
    shared: dict | None = None  # bench.shared_tier.measure's figures

    def median(self, scenario: str, server: str) -> dict | None:
        """The round with the median requests/s (the middle one of an odd number of rounds)."""
        rounds = sorted(self.sides.get(scenario, {}).get(server, []), key=lambda r: r["rps"])
        return rounds[(len(rounds) - 1) // 2] if rounds else None

    def side_ratio(self, scenario: str, server: str, over: str = "floor") -> float | None:
        top, bottom = self.median(scenario, server), self.median(scenario, over)
        return top["rps"] / bottom["rps"] if top and bottom and bottom["rps"] else None

    def side_table(self) -> str:
        """One row per cold scenario: each server's median req/s and its ratio to the floor."""
        if not self.sides:
            return ""
        peer = PEER_NAME if any(PEER_NAME in v for v in self.sides.values()) else None
        head = ["scenario (cold)", "objects", "floor req/s"]
        head += ["api, cache off req/s", "× floor"] + ([f"{peer} req/s", "× floor", "api ÷ peer"] if peer else [])
        head += ["p50 ms floor / api" + (" / peer" if peer else ""), "API SQL/req", "rounds (req/s, in order)", "errors"]
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        for scenario, servers in self.sides.items():
            f, a = self.median(scenario, "floor"), self.median(scenario, "api")
            cells = [scenario, _fmt(self.side_objects.get(scenario)), f"{f['rps']:.1f}" if f else "n/a",
                     f"{a['rps']:.1f}" if a else "n/a", _ratio(self.side_ratio(scenario, "api"))]
            names = ["floor", "api"]
            if peer:
                names.append(peer)
                pr = self.median(scenario, peer)
                cells += [f"{pr['rps']:.1f}" if pr else "n/a", _ratio(self.side_ratio(scenario, peer)),
                          _ratio(self.side_ratio(scenario, "api", peer))]
            cells.append(" / ".join(_ms(m["p50_ms"]) if (m := self.median(scenario, n)) else "n/a" for n in names))
            cells.append(_fmt(self.side_statements.get(scenario)))
            cells.append("; ".join(f"{n} " + "/".join(f"{r['rps']:.0f}" for r in servers.get(n, [])) for n in names))
            cells.append(str(sum(r["errors"] for n in names for r in servers.get(n, []))))
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def side_targets(self) -> str:
        """Issue 20's targets, from the side-by-side run (the cache hit over its page floor)."""
        lines = ["| target | measured | met |", "|---|---|---|"]

        def target(label: str, value: float | None, at_least: float) -> None:
            if value is None:
                lines.append(f"| {label} | n/a | n/a |")
            else:
                lines.append(f"| {label} | {value:.2f}× | {'yes' if value >= at_least else 'NO'} |")

        for scenario, floor_min in ((PAGE_COLD, 0.35), (LIST150_COLD, 0.5)):
            target(f"{scenario}: ≥ {floor_min}× the floor", self.side_ratio(scenario, "api"), floor_min)
            target(f"{scenario}: ≥ 1.3× PostGraphile", self.side_ratio(scenario, "api", PEER_NAME), 1.3)
        hit = next((r.rps for r in self.rows if r.scenario == "page (cache hit)" and r.result), None)
        floor = self.median(PAGE_COLD, "floor")
        target("cache hit, one partnership's page: ≥ 4× the floor (its side-by-side median)",
               hit / floor["rps"] if hit and floor and floor["rps"] else None, 4.0)
        if self.shared:
            cw, workers = self.shared["cross_worker"], self.shared["workers"]
            lines.append(f"| {workers} workers, shared tier: a page cached by one worker is a hit on the others | "
                         f"{cw['hits']} of {cw['requests']} fresh connections | "
                         f"{'yes' if cw['hits'] == cw['requests'] else 'NO'} |")
            target(f"{workers} workers, shared tier: page hit ≥ 3× the floor (same minutes)",
                   self.shared["shared"].get("ratio"), 3.0)
        return "\n".join(lines)

    def floor_rps(self) -> float | None:
        return next((r.rps for r in self.rows if r.server == "floor" and r.rps), None)

    def targets(self) -> str:
        """Issue 9's targets, each with what this run measured and whether it is met."""
        floor = self.floor_rps()

        def row(scenario: str):
            return next((r for r in self.rows if r.scenario.startswith(scenario) and r.result), None)

        lines = ["| target | measured | met |", "|---|---|---|"]

        def ratio(label: str, scenario: str, at_least: float) -> None:
            r = row(scenario)
            if r is None or not floor:
                lines.append(f"| {label} | n/a | n/a |")
            else:
                value = r.rps / floor
                lines.append(f"| {label} | {value:.2f}× | {'yes' if value >= at_least else 'NO'} |")

        def latency(label: str, scenario: str) -> None:
            r = row(scenario)
            if r is None:
                lines.append(f"| {label} | n/a | n/a |")
            else:
                p50 = r.result["p50_ms"]
                lines.append(f"| {label} | {_ms(p50)} ms p50 | {'yes' if p50 < 1000 else 'NO'} |")

        ratio("cache hit, one partnership's page: ≥ 3× the floor", "page (cache hit)", 3.0)
        ratio("cache miss, the same page: ≥ 0.1× the floor", "page (cache off)", 0.1)
        latency("`compare` over every partnership, cold: < 1 s", "compare over all")
        latency("`overdue` over every partnership, cold: < 1 s", "overdue over all")
        peaks = [s.peak_rss_kb for s in self.servers if s.name.startswith("api") and s.peak_rss_kb]
        if peaks:
            peak = max(peaks) / 1024
            lines.append(f"| peak RSS of one worker: < 300 MB | {peak:.0f} MB | {'yes' if peak < 300 else 'NO'} |")
        sub = self.subscriptions
        if sub is not None:
            n, rate, p99 = sub["subscriptions"], sub["statements_per_s"], sub["p99_ms"]
            lines.append(f"| {n:,} subscriptions on one worker: ≤ 2 database statements/s | {rate:.2f}/s | "
                         f"{'yes' if rate <= 2 else 'NO'} |")
            lines.append(f"| {n:,} subscriptions: event latency p99 < 2 s | "
                         f"{_ms(p99)} ms | {'yes' if p99 is not None and p99 < 2000 and not sub['missing'] else 'NO'} |")
        errors = sum(r.result["errors"] for r in self.rows if r.result)
        lines.append(f"| no failed requests | {errors} errors | {'yes' if errors == 0 else 'NO'} |")
        return "\n".join(lines)

    def table(self) -> str:
        floor = self.floor_rps()
        head = ["scenario", "server", "req/s", "× floor", "p50 ms", "p99 ms", "SQL/req", "errors"]
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        for r in self.rows:
            res = r.result
            if res is None:
                cells = [r.scenario, r.server, "n/a", "n/a", "n/a", "n/a", _fmt(r.statements), r.note or "n/a"]
            else:
                ratio = f"{res['rps'] / floor:.2f}×" if floor else "n/a"
                cells = [r.scenario, r.server, f"{res['rps']:.1f}", ratio, _ms(res["p50_ms"]), _ms(res["p99_ms"]),
                         _fmt(r.statements), str(res["errors"])]
            lines.append("| " + " | ".join(cells) + " |")
        sub = self.subscriptions
        if sub is not None:
            lines += ["", "| subscriptions | connections | events | delivered | statements/s | latency p50 ms | "
                      "p99 ms | max ms | errors |", "|---|---|---|---|---|---|---|---|---|",
                      f"| {sub['subscriptions']:,} | {sub['connections']} | {sub['events']} | "
                      f"{sub['delivered']:,} of {sub['expected']:,} | {sub['statements_per_s']:.2f} "
                      f"({sub['statements']} in {sub['window_s']:.0f} s) | {_ms(sub['p50_ms'])} | {_ms(sub['p99_ms'])} | "
                      f"{_ms(sub['max_ms'])} | {sub['errors']} |"]
        lines += ["", "| server | peak RSS (VmHWM) |", "|---|---|"]
        for s in self.servers:
            lines.append(f"| {s.name} | {s.peak_rss_kb / 1024:.0f} MB |" if s.peak_rss_kb else f"| {s.name} | n/a |")
        return "\n".join(lines)

    def markdown(self, command: str, started: str, wall: float) -> str:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), platform.processor() or "unknown")
        pg = self.notes_pg if hasattr(self, "notes_pg") else ""
        out = [
            "# Benchmark results", "",
            f"Command: `{command}`  ", f"Run: {started} UTC, {wall:.0f} s wall  ",
            f"Machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}; "
            f"Python {platform.python_version()}; {platform.system()} {platform.release()}  ",
            f"PostgreSQL: {pg}  " if pg else "",
            f"Machine load (1/5/15-min averages) at start: {self.load_start}; at end: {loadavg()}  ",
            f"Dataset: {self.dataset}  ",
            f"Load: {self.args.concurrency} concurrent keep-alive connections from one client process, "
            f"{self.args.duration:g} s per scenario after {self.args.warmup:g} s warm-up; one server process each, "
            "started one at a time; client, server and PostgreSQL share the machine.", "",
            self.table(), "", "Targets (issue 9):", "", self.targets(), "",
            *(["Side by side, cold: the servers interleaved (floor, api, peer, floor, …), "
               f"{self.args.rounds} rounds of {self.args.duration:g} s each after an unrecorded pass of "
               f"{self.args.duration / 2:g} s, the median round's req/s"
               + (f" ({self.peer})" if self.peer else " (peers off: `make bench PEERS=1` adds PostGraphile)") + ":",
               "", self.side_table(), "", "Targets (issue 20):", "", self.side_targets(), ""] if self.sides else []),
            *([f"One warm cache for many workers (`bench/shared_tier.py`): the floor and `partnerships serve "
               f"--workers {self.shared['workers']}` with `PARTNERSHIPS_RESPONSE_CACHE_URL` (Redis) up at once, "
               f"loaded in turn, {self.shared['rounds']} rounds:", "", shared_tier_report(self.shared), ""]
              if self.shared else []),
            "Scenarios: *page* = one partnership's full nested page (`bench/queries.py` PAGE; the floor returns the "
            "same document from one hand-written `json_agg` statement, checked equal before the run); *list* = "
            "`partnerships(first: 20)`; *addSeat* = one seat added per request with a business-unit token "
            "(writes spread over partnerships 2-11, so the first, whose page the page scenarios read, stays the "
            "document the floor returns); *mix* = 90% pages of the first 20 partnerships, 10% addSeat (so half "
            "the partnerships read are written to); "
            "*compare*/*overdue* = those root fields over every partnership, as a platform administrator, cache off "
            "(cold), **one request at a time** (so p50/p99 are the latency of one cold request, the target), each "
            "only where the field exists when the benchmark runs (`compare`: `bench/queries.py` COMPARE, every "
            "aspect and every cell in full; `overdue`: the required arguments filled in, scalars selected three "
            "levels deep from introspection). "
            "`× floor` = requests/s divided by the floor's. SQL/req counted in-process on one request of each kind "
            "(`before_cursor_execute`), including authentication and the cache's version read. "
            "*subscriptions* = `bench/subscriptions.py`: that many `subscription { events { cursor } }` open on one "
            "worker (100 to a WebSocket, every tenth WebSocket with a business-unit token, the rest public), one "
            "audited write a second made by the harness on its own connection; statements/s counted in the server "
            "process over the writes' window, latency from each write's commit to its arrival on every subscription. "
            "*page (cold)* = the page, *list150 (cold)* = `bench/queries.py` LIST150 (every partnership, up to 150, "
            "with its first 100 groups: two pages, 100 then 50, under aliases in one request, as `max_page_size` is "
            "100), each from the floor (one statement each), the API with its response cache off and PostGraphile "
            "(`bench/peers/postgraphile.py`: the same content in its schema's words, its answer translated and "
            "checked equal to the API's before the clock starts), all three up at once and loaded in turn.",
        ]
        if self.notes:
            out += ["", "Notes:", ""] + [f"- {n}" for n in self.notes]
        return "\n".join(x for x in out if x is not None) + "\n"


def shared_tier_report(results: dict) -> str:
    from bench.shared_tier import report

    return report(results)


def loadavg() -> str:
    """The machine's load averages: the benchmark shares its CPUs with whatever else runs."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def _fmt(v) -> str:
    return "n/a" if v is None else str(v)


def _ratio(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}×"


#: The side-by-side cold scenarios, and the peer's name in them.
PAGE_COLD, LIST150_COLD, PEER_NAME = "page (cold)", "list150 (cold)", "postgraphile"


def _ms(v) -> str:
    return "n/a" if v is None else (f"{v:.1f}" if v < 100 else f"{v:.0f}")


# ----------------------------------------------------------------------------- the run


@dataclass
class Fixture:
    """What the load scenarios need from the loaded database."""

    codes: list[str]
    writers: list[dict]  # {code, token, group_id, agency_id}
    admin_token: str  # compare/overdue run as a platform administrator: they see every kind
    statements: dict[str, int | str]
    extra_queries: dict[str, tuple[str, dict] | str]  # compare/overdue: (query, variables) or why n/a
    has_cache_setting: bool
    list150_after: str | None = None  # the cursor LIST150's second page starts after
    #: The API's answers to the side-by-side documents (the page, list150), for the peer's check.
    documents: dict[str, dict] = field(default_factory=dict)


async def prepare(url_asyncpg: str, dsn: str, registry, report: Report) -> Fixture:
    """Tokens, IDs for writes, the floor-equality check and statement counts, in-process."""
    import httpx
    from sqlalchemy import event, select

    from bench import floor, queries
    from core.config import Settings
    from core.enums import Role
    from core.models import Agency, Group, Partnership
    from core.services.identity import create_token
    from schema.app import create_app
    from schema.types.common import to_global_id

    for noisy in ("partnerships", "httpx"):  # the in-process app's request log: not benchmark output
        logging.getLogger(noisy).setLevel(logging.WARNING)
    has_cache = "response_cache" in Settings.model_fields
    settings = Settings(database_url=url_asyncpg, **({"response_cache": False} if has_cache else {}))
    app = create_app(settings, registry=registry)
    state = app.state.partnerships
    codes = registry.codes()
    writers = []
    async with state.sessions() as session, session.begin():
        # Writers work in partnerships 2-11: the page scenarios read the first, which must stay
        # the document the floor returns (writes to it would grow it as the run goes on).
        for code in codes[1: 11] or codes[:1]:
            pid = await session.scalar(select(Partnership.id).where(Partnership.code == code))
            group = (await session.execute(select(Group.id).where(Group.partnership_id == pid, Group.confidential.is_(False))
                                           .order_by(Group.position).offset(2).limit(1))).scalar_one()
            agency = (await session.execute(select(Agency.id).where(Agency.partnership_id == pid)
                                            .order_by(Agency.id).offset(5).limit(1))).scalar_one()
            issued = await create_token(session, role=Role.BUSINESS_UNIT, partnership_code=code, label="bench",
                                        lifetime_days=1, actor="bench")
            writers.append(dict(code=code, token=issued.secret, group_id=to_global_id("Group", group),
                                agency_id=to_global_id("Agency", agency)))
        admin = (await create_token(session, role=Role.ADMINISTRATOR, partnership_code=None, label="bench admin",
                                    lifetime_days=1, actor="bench")).secret

    seen: list[str] = []

    def on_execute(conn, cursor, statement, *a):
        seen.append(statement)

    event.listen(state.engine.sync_engine, "before_cursor_execute", on_execute)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=60)

    async def gql(query: str, variables: dict | None = None, token: str | None = None) -> dict:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        r = await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        if r.status_code != 200:
            raise RuntimeError(f"HTTP {r.status_code}: {r.text[:500]}")
        return r.json()

    async def count(query: str, variables: dict | None = None, token: str | None = None) -> tuple[int, dict]:
        await gql(query, variables, token)  # warm: the token's last-used write, parser caches
        seen.clear()
        body = await gql(query, variables, token)
        return len(seen), body

    statements: dict[str, int | str] = {}
    try:
        n, page = await count(queries.PAGE, {"code": codes[0]})
        if page.get("errors"):
            raise RuntimeError(f"the page query failed: {page['errors']}")
        statements["page"] = n
        page = {k: v for k, v in page.items() if k != "extensions"}  # the API adds its cost
        await _same_as_floor(report, dsn, "document", f"page for `{codes[0]}`", page, floor.PAGE_SQL, codes[0])
        statements["list"], _ = await count(queries.LIST)

        # list150: its second page starts after the first's endCursor, as a client would page
        after = (await gql(queries.LIST150_AFTER))["data"]["partnerships"]["pageInfo"]["endCursor"]
        statements["list150"], list150 = await count(queries.LIST150, {"after": after})
        if list150.get("errors"):
            raise RuntimeError(f"the list150 query failed: {list150['errors'][:3]}")
        list150 = {k: v for k, v in list150.items() if k != "extensions"}
        await _same_as_floor(report, dsn, "list150", "", list150, floor.LIST150_SQL)
        documents = {PAGE_COLD: page, LIST150_COLD: list150}
        w = writers[0]
        seen.clear()
        body = await gql(queries.ADD_SEAT, {"input": {"groupId": w["group_id"], "code": "bench-probe", "role": "MEMBER",
                                                     "post": "Probe", "agencyId": w["agency_id"]}}, w["token"])
        if body.get("errors") or body["data"]["addSeat"]["__typename"] != "SeatPayload":
            raise RuntimeError(f"addSeat failed: {body}")
        statements["addSeat"] = len(seen)

        # compare / overdue: only where those root fields exist when the benchmark runs
        root = (await gql(queries.INTROSPECT_ROOT))["data"]["__schema"]["queryType"]["fields"]
        extra: dict[str, tuple[str, dict] | str] = {}
        for name in ("compare", "overdue"):
            f = next((x for x in root if x["name"] == name), None)
            if f is None:
                extra[name] = "n/a: no such root field"
                continue
            if name == "compare" and not any(_required(a) for a in f["args"]):
                built = (queries.COMPARE, {})  # all partnerships, all aspects, every cell in full
            else:
                built = await queries.build_root_query(gql, f, codes)
            if built is None:
                extra[name] = "n/a: cannot build its arguments"
                continue
            n, body = await count(*built, token=admin)
            if body.get("errors"):
                extra[name] = f"n/a: {body['errors'][0].get('message', '')[:80]}"
                continue
            statements[name] = n
            extra[name] = built
    finally:
        event.remove(state.engine.sync_engine, "before_cursor_execute", on_execute)
        await client.aclose()
        await state.engine.dispose()

    if has_cache:  # a cache hit: the same page again with the cache on
        app = create_app(Settings(database_url=url_asyncpg, response_cache=True), registry=registry)
        state = app.state.partnerships
        seen.clear()
        event.listen(state.engine.sync_engine, "before_cursor_execute", on_execute)
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench", timeout=60)
        try:
            for q, key in ((queries.PAGE, "page (hit)"), (queries.LIST, "list (hit)")):
                variables = {"code": codes[0]} if q is queries.PAGE else {}
                await gql(q, variables)
                seen.clear()
                await gql(q, variables)
                statements[key] = len(seen)
        finally:
            event.remove(state.engine.sync_engine, "before_cursor_execute", on_execute)
            await client.aclose()
            await state.engine.dispose()
    return Fixture(codes=codes, writers=writers, admin_token=admin, statements=statements, extra_queries=extra,
                   has_cache_setting=has_cache, list150_after=after, documents=documents)


def _required(arg: dict) -> bool:
    return arg["type"]["kind"] == "NON_NULL"


#: Scenarios measured one request at a time: their target is the latency of one cold request.
ONE_AT_A_TIME = ("compare", "overdue")


async def _same_as_floor(report: Report, dsn: str, floor_name: str, api_name: str, answer: dict, sql: str,
                         *args) -> None:
    """Check the floor's document (``sql``) equals the API's ``answer``: the ratios compare
    like work only if it does; the run's notes say which."""
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        floor_doc = json.loads(await conn.fetchval(sql, *args))
    finally:
        await conn.close()
    theirs = f"the API's {api_name}".rstrip()
    if floor_doc != answer:
        report.notes.append(f"WARNING: the floor's {floor_name} differs from {theirs}; ratios compare unlike work")
        print(f"WARNING: the floor's {floor_name} differs from the GraphQL answer", file=sys.stderr)
    else:
        size = len(json.dumps(answer, separators=(",", ":")))
        report.notes.append(f"The floor's {floor_name} equals {theirs} "
                            f"({size / 1024:.0f} KB compact JSON, {_objects(answer)} objects).")


def _objects(doc) -> int:
    if isinstance(doc, dict):
        return 1 + sum(_objects(v) for v in doc.values())
    if isinstance(doc, list):
        return sum(_objects(v) for v in doc)
    return 0


def scenarios(fx: Fixture, cache: bool | None) -> list[tuple[str, list[dict], int | str | None]]:
    """(name, request kinds, statements) for one API server; cache None = no cache setting."""
    from bench import queries

    page = [{"body": _body(queries.PAGE, {"code": fx.codes[0]}), "expect": '"partnership"'}]
    lst = [{"body": _body(queries.LIST, {}), "expect": '"partnerships"'}]
    writes = [{"body": _body(queries.ADD_SEAT, {"input": {"groupId": w["group_id"], "code": "bench-__N__", "role": "MEMBER",
                                                          "post": "Benchmark seat", "agencyId": w["agency_id"]}}),
               "headers": {"Authorization": f"Bearer {w['token']}"}, "expect": "SeatPayload"} for w in fx.writers]
    mixed_pages = [{"body": _body(queries.PAGE, {"code": c}), "expect": '"partnership"', "weight": 9}
                   for c in fx.codes[:20]]
    for w in writes:
        w["weight"] = 1
    mix_writes = [dict(w, weight=len(mixed_pages) / len(writes)) for w in writes]  # 90% reads, 10% writes
    st = fx.statements
    if cache is True:
        return [("page (cache hit)", page, st.get("page (hit)")), ("list (cache hit)", lst, st.get("list (hit)")),
                ("addSeat", writes, st.get("addSeat")), ("mix 90% page / 10% addSeat", mixed_pages + mix_writes, None)]
    label = " (cache off)" if cache is False else ""
    rows = [(f"page{label}", page, st.get("page")), (f"list{label}", lst, st.get("list"))]
    for name in ("compare", "overdue"):
        built = fx.extra_queries.get(name)
        if isinstance(built, tuple):
            rows.append((f"{name} over all {len(fx.codes)}{label}", [
                {"body": _body(*built), "headers": {"Authorization": f"Bearer {fx.admin_token}"}}], st.get(name)))
    if cache is None:
        rows += [("addSeat", writes, st.get("addSeat")), ("mix 90% page / 10% addSeat", mixed_pages + mix_writes, None)]
    return rows


async def main_async(args: argparse.Namespace) -> Report:
    import asyncpg

    from bench.dataset import check_round_trip, load_dataset, write_dataset
    from bench.synthetic import DATA_ENV, registry_for, write_distribution
    from core.migrate import upgrade

    report = Report(args)
    if args.peers and not args.only_subscriptions:
        from bench.peers import postgraphile

        took = postgraphile.install()
        report.peer = postgraphile.versions()
        report.notes.append(f"{report.peer}: " + (f"installed by `npm ci` in bench/peers/postgraphile in {took:.0f} s "
                                                  "(this run)" if took else "already installed (bench/peers/postgraphile)"))
        print(report.notes[-1], flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="partnerships-bench-"))
    db_name = None
    try:
        t0 = time.perf_counter()
        paths = write_dataset(tmp / "data", args.partnerships, args.seed)
        for i in (1, len(paths)):
            check_round_trip(paths[i - 1], i, args.seed)
        registry = registry_for(paths)
        site = tmp / "site"
        write_distribution(site, paths)
        print(f"generated {len(paths)} partnerships in {time.perf_counter() - t0:.1f}s", flush=True)

        db_name, dsn, version = await create_database(args.pg)
        report.notes_pg = version  # type: ignore[attr-defined]
        url = dsn.replace("postgresql://", "postgresql+asyncpg://", 1)
        t0 = time.perf_counter()
        await asyncio.to_thread(upgrade, url)
        summary = await load_dataset(url, registry, args.seed)
        load_s = time.perf_counter() - t0
        report.dataset = (f"{summary.partnerships} partnerships, {summary.agencies} agencies, {summary.groups} groups, "
                          f"{summary.seats} seats, {summary.people} people, {summary.contributions} contributions, "
                          f"{summary.meetings} meetings, {summary.decisions} decisions, {summary.reviews} incidents under review (seed {args.seed}; migrated and "
                          f"loaded through `load_partnership` and the domain services in {load_s:.0f} s)")
        for todo in dict.fromkeys(summary.todo):
            report.notes.append(f"TODO dataset: {todo}")
        print(f"loaded: {report.dataset}", flush=True)

        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute("ANALYZE")  # planner statistics for the freshly loaded tables
        finally:
            await conn.close()
        fx = await prepare(url, dsn, registry, report)
        print("statements per request: " + ", ".join(f"{k} {v}" for k, v in fx.statements.items()), flush=True)

        port = args.port or 0
        logs = tmp / "logs"
        logs.mkdir()

        def measure(server: Server, name: str, kinds: list[dict], duration: float | None = None) -> dict:
            for kind in kinds:  # each read once before the clock starts (a cache hit is then a hit)
                if "__N__" not in kind["body"]:
                    prime(server.port, kind)
            concurrency = 1 if name.startswith(ONE_AT_A_TIME) else args.concurrency
            spec = dict(host="127.0.0.1", port=server.port, path="/graphql", duration=duration or args.duration,
                        warmup=args.warmup, concurrency=concurrency, requests=kinds)
            result = run_client(spec)
            print(f"  {name:<36} {result['rps']:8.1f} req/s  p50 {_ms(result['p50_ms']):>6} ms  "
                  f"p99 {_ms(result['p99_ms']):>6} ms  errors {result['errors']}", flush=True)
            for e in result["first_errors"]:
                print(f"    error: {e}", flush=True)
            return result

        def load(server: Server, name: str, kinds: list[dict], statements) -> None:
            report.rows.append(Row(name, server.name, measure(server, name, kinds), statements))

        def floor_server(name: str, fport: int) -> Server:
            return harness.floor_server(name, dsn, fport, logs / f"{name}.log")

        def api_server(name: str, aport: int, cache: bool | None) -> Server:
            env = {**os.environ, "PARTNERSHIPS_DATABASE_URL": url, DATA_ENV: str(tmp / "data"),
                   "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
            env.pop("PARTNERSHIPS_PRODUCTION", None)
            env["PARTNERSHIPS_RATE_LIMIT"] = ""  # one client at full speed is the point; docs/limits.md
            if cache is not None:
                env["PARTNERSHIPS_RESPONSE_CACHE"] = "true" if cache else "false"
            return Server(name, [str(BIN / "partnerships"), "serve", "--host", "127.0.0.1", "--port", str(aport)],
                          env, aport, logs / f"{name}.log")

        if args.only_subscriptions:
            await run_subscriptions(args, report, url, fx, tmp, site, logs)
            return report

        # the floor
        fport = free_port(port)
        floor = floor_server("floor", fport)
        report.servers.append(floor)
        floor.start()
        print(f"floor (starlette + asyncpg, one statement) on :{fport}", flush=True)
        try:
            from bench import queries

            load(floor, "page (raw-SQL floor)",
                 [{"body": _body(queries.PAGE, {"code": fx.codes[0]}), "expect": '"partnership"'}], 1)
        finally:
            floor.stop()

        modes: list[bool | None] = [True, False] if fx.has_cache_setting else [None]
        for cache in modes:
            aport = free_port(port + 1 if port else 0)
            name = "api" if cache is None else "api, cache on" if cache else "api, cache off"
            server = api_server(name, aport, cache)
            report.servers.append(server)
            t0 = time.perf_counter()
            server.start()
            print(f"{name}: `partnerships serve` on :{aport} (ready in {time.perf_counter() - t0:.1f}s)", flush=True)
            try:
                for sname, kinds, statements in scenarios(fx, cache):
                    load(server, sname, kinds, statements)
            finally:
                server.stop()
        side_by_side(args, report, fx, dsn, floor_server, api_server, measure)
        if args.shared_tier:
            from bench import shared_tier

            print("shared tier: the floor and `partnerships serve --workers 4` with the Redis tier", flush=True)
            report.shared = shared_tier.measure(
                url=url, dsn=dsn, code=fx.codes[0], logs=logs, duration=args.duration, warmup=args.warmup,
                concurrency=args.concurrency, rounds=args.rounds, single=False,
                env_extra={DATA_ENV: str(tmp / "data"), "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])})
            print(shared_tier_report(report.shared), flush=True)
        if args.subscriptions:
            await run_subscriptions(args, report, url, fx, tmp, site, logs)
        for name, what in fx.extra_queries.items():
            if isinstance(what, str):
                report.rows.append(Row(f"{name} over all {len(fx.codes)}", "api", note=what))
        report.notes.append("`partnerships serve` runs with its defaults: uvicorn's access log is off, and the app writes its one "
                            "structured line per request (docs/deployment.md §6) at log level info — about a quarter of "
                            "a cache hit's cost; the floor logs nothing (`--no-access-log`).")
        return report
    finally:
        if db_name:
            await drop_database(args.pg, db_name)
        shutil.rmtree(tmp, ignore_errors=True)


def side_by_side(args, report: Report, fx: Fixture, dsn: str, floor_server, api_server, measure) -> None:
    """The cold scenarios with every server up at once and loaded in turn — floor, API (cache
    off), peer, floor, … — ``args.rounds`` rounds each, so a change in the machine's load
    falls on all of them alike; the report keeps every round and quotes the median.

    Each server first gets one unrecorded pass of each scenario (half a round): a process just
    started serves a new document slower for a while (V8 optimises hot code as it runs; the
    API's first requests fill its caches and grow its heap), and without it the first round
    measured that rather than the server (runs showed the API's round 1 at half its round 3)."""
    from bench import queries

    servers: list[tuple[str, Server, dict[str, list[dict]]]] = []
    page, after = {"code": fx.codes[0]}, {"after": fx.list150_after}
    scenarios = {  # scenario → (the API's request, the floor's request)
        PAGE_COLD: ({"body": _body(queries.PAGE, page, "Page"), "expect": '"partnership"'},
                    {"body": _body(queries.PAGE, page, "Page"), "expect": '"partnership"'}),
        LIST150_COLD: ({"body": _body(queries.LIST150, after, "List150"), "expect": '"first100"'},
                       {"body": _body(queries.LIST150, after, "List150"), "expect": '"first100"'}),
    }
    report.side_statements = {PAGE_COLD: fx.statements.get("page"), LIST150_COLD: fx.statements.get("list150")}
    report.side_objects = {name: _objects(doc) for name, doc in fx.documents.items()}
    try:
        floor = floor_server("floor, side by side", free_port(0))
        report.servers.append(floor)
        floor.start()
        servers.append(("floor", floor, {name: floor_kind for name, (_, floor_kind) in scenarios.items()}))
        api = api_server("api, cache off, side by side", free_port(0), False if fx.has_cache_setting else None)
        report.servers.append(api)
        api.start()
        servers.append(("api", api, {name: api_kind for name, (api_kind, _) in scenarios.items()}))
        if args.peers:
            from bench.peers import postgraphile

            argv, env = postgraphile.command(dsn, port := free_port(0))
            peer = Server(PEER_NAME, argv, env, port, api.log.with_name("postgraphile.log"))
            report.servers.append(peer)
            t0 = time.perf_counter()
            peer.start()
            print(f"{report.peer} on :{port} (ready in {time.perf_counter() - t0:.1f}s)", flush=True)
            check_peer(report, fx, port)
            servers.append((PEER_NAME, peer, {PAGE_COLD: {"body": postgraphile.page_body(fx.codes[0]),
                                                          "expect": '"partnershipByCode"'},
                                              LIST150_COLD: {"body": postgraphile.list150_body(),
                                                             "expect": '"first100"'}}))
        print(f"side by side, cold: {', '.join(n for n, _, _ in servers)} interleaved, {args.rounds} rounds",
              flush=True)
        for scenario in scenarios:
            for name, server, kinds in servers:
                measure(server, f"{scenario} {name} warm-up", [kinds[scenario]], duration=args.duration / 2)
        for scenario in scenarios:
            results = report.sides.setdefault(scenario, {})
            for i in range(args.rounds):
                for name, server, kinds in servers:
                    result = measure(server, f"{scenario} {name} #{i + 1}", [kinds[scenario]])
                    results.setdefault(name, []).append(result)
    finally:
        for _, server, _ in servers:
            server.stop()


def check_peer(report: Report, fx: Fixture, port: int) -> None:
    """The peer's answers, translated to the API's shape, equal the API's field by field
    (only the global IDs are made from the peer's primary keys: see bench.peers.postgraphile)."""
    from bench.peers import postgraphile

    for scenario, body, translate in ((PAGE_COLD, postgraphile.page_body(fx.codes[0]), postgraphile.translate_page),
                                      (LIST150_COLD, postgraphile.list150_body(), postgraphile.translate_list150)):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=body.encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.loads(response.read())
        if answer.get("errors"):
            raise RuntimeError(f"PostGraphile failed on {scenario}: {answer['errors'][:3]}")
        if translate(answer) != fx.documents[scenario]:
            report.notes.append(f"WARNING: PostGraphile's {scenario} differs from the API's; ratios compare unlike work")
            print(f"WARNING: PostGraphile's {scenario} differs from the API's", file=sys.stderr)
        else:
            report.notes.append(f"PostGraphile's {scenario} equals the API's, field by field (global IDs made from "
                                "its `rowId`s).")


async def run_subscriptions(args, report: Report, url: str, fx: Fixture, tmp: Path, site: Path, logs: Path) -> None:
    """`args.subscriptions` open subscriptions on one worker (bench.subscriptions)."""
    from bench import subscriptions
    from bench.synthetic import DATA_ENV

    port = free_port(0)
    counts = tmp / "statements.count"
    per_connection = 100
    env = {**os.environ, "PARTNERSHIPS_DATABASE_URL": url, DATA_ENV: str(tmp / "data"),
           "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]), "PARTNERSHIPS_RATE_LIMIT": "",
           "PARTNERSHIPS_MAX_SUBSCRIPTIONS_PER_CONNECTION": str(per_connection),
           "PARTNERSHIPS_MAX_SUBSCRIPTIONS_PER_CLIENT": str(max(args.subscriptions, 1)),
           "PARTNERSHIPS_LOG_LEVEL": "WARNING"}
    env.pop("PARTNERSHIPS_PRODUCTION", None)
    env.pop("PARTNERSHIPS_EVENTS_POLL_INTERVAL_S", None)  # the default: a poll a second
    server = Server("api, subscriptions", [str(BIN / "python"), "-m", "bench.subscriptions", "serve", "--port",
                                           str(port), "--counts", str(counts)], env, port, logs / "subscriptions.log")
    report.servers.append(server)
    server.start()
    print(f"subscriptions: one worker on :{port}, {args.subscriptions:,} subscriptions", flush=True)
    try:
        result = await subscriptions.measure(
            url=url, port=port, counts=counts, subscriptions=args.subscriptions, per_connection=per_connection,
            tokens=[w["token"] for w in fx.writers], duration=max(10.0, args.duration * 2), partnership_id=None)
    except Exception:
        print(f"server log (last lines):\n{server.log.read_text()[-3000:]}", file=sys.stderr)
        raise
    finally:
        server.stop()
    report.subscriptions = result
    print(f"  {result['subscriptions']:,} subscriptions: {result['statements_per_s']:.2f} statements/s, latency p50 "
          f"{_ms(result['p50_ms'])} ms p99 {_ms(result['p99_ms'])} ms max {_ms(result['max_ms'])} ms, delivered "
          f"{result['delivered']:,} of {result['expected']:,}, errors {result['errors']} "
          f"(connected in {result['connect_s']:.0f} s, all live in {result['ready_s']:.0f} s)", flush=True)
    for e in result["first_errors"]:
        print(f"    error: {e}", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    t0 = time.perf_counter()
    command = "python -m bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    print(f"{command.strip()}: {args.partnerships} partnerships, {args.duration:g}s per scenario, "
          f"concurrency {args.concurrency}", flush=True)
    report = asyncio.run(main_async(args))
    print()
    print(report.table())
    print()
    print(report.targets())
    if report.sides:
        print()
        print(report.side_table())
        print()
        print(report.side_targets())
    for note in report.notes:
        print(f"note: {note}")
    if args.out:
        text = report.markdown(command.strip(), started, time.perf_counter() - t0)
        if args.out.exists() and HAND_WRITTEN in (previous := args.out.read_text()):
            text += "\n" + HAND_WRITTEN + previous.split(HAND_WRITTEN, 1)[1]  # notes written by hand stay
        args.out.write_text(text)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
