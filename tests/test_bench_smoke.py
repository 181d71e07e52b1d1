"""The benchmark harness runs end to end (`python -m bench --quick`, shortened) and prints
every row. It checks the harness, not the figures: those depend on the machine.

Needs PostgreSQL (the benchmark's database lives there): skipped without it, except under
CI=true, where an unreachable PostgreSQL fails the run. The PostGraphile peer takes part only
where `make bench` has installed it already (``bench/peers/postgraphile/node_modules``): the
suite never downloads Node.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.peers import postgraphile
from tests.conftest import IN_CI, PG_SERVER, _pg_reachable

ROOT = Path(__file__).resolve().parent.parent


async def test_bench_quick_runs_end_to_end_and_prints_every_row(tmp_path):
    problem = await _pg_reachable()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI and is not reachable at {PG_SERVER}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}: {problem}")
    out = tmp_path / "RESULTS.md"
    peer = postgraphile.installed()
    env = {**os.environ, "PARTNERSHIPS_BENCH_PG": PG_SERVER, "PEERS": "1" if peer else "0"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--partnerships", "3", "--duration", "0.7", "--warmup", "0.2",
         "--concurrency", "2", "--rounds", "1", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = done.stdout
    assert "The floor's document equals the API's page" in text  # like is compared with like
    assert "The floor's list150 equals the API's" in text  # the second floor statement too
    if peer:
        for scenario in ("page (cold)", "list150 (cold)"):
            assert f"PostGraphile's {scenario} equals the API's, field by field" in text
    assert "WARNING" not in text
    table = text[text.index("| scenario |"):]
    for row in ("page (raw-SQL floor)", "page (cache hit)", "list (cache hit)", "addSeat", "mix 90% page / 10% addSeat",
                "page (cache off)", "list (cache off)", "compare over all 3", "overdue over all 3"):
        assert f"| {row}" in table, f"no row {row!r} in\n{table}"
    floor_row = next(line for line in table.splitlines() if line.startswith("| page (raw-SQL floor)"))
    assert "| 1.00× |" in floor_row
    scenarios, rss = table.split("\n\n", 1)[0], table.split("\n\n", 1)[1]
    for line in scenarios.splitlines()[2:]:
        if "n/a" not in line:
            assert line.rstrip().endswith("| 0 |"), f"errors in {line}"  # no failed request in any row
    assert "peak RSS" in rss and " MB |" in rss
    side = text[text.index("| scenario (cold) |"):].split("\n\n", 1)[0].splitlines()
    assert ("postgraphile req/s" in side[0]) == peer
    for scenario in ("page (cold)", "list150 (cold)"):
        row = next(line for line in side if line.startswith(f"| {scenario} |"))
        assert "n/a" not in row and row.rstrip().endswith("| 0 |"), row  # every server measured, none failed
    written = out.read_text()
    assert "Machine:" in written and "Command: `python -m bench --quick" in written and "| page (cache hit)" in written
    assert "| list150 (cold) |" in written and "Targets (issue 20):" in written
