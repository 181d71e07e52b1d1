"""The benchmark harness runs end to end (`python -m bench --quick`, shortened) and prints
every row. It checks the harness, not the figures: those depend on the machine.

Needs PostgreSQL (the benchmark's database lives there): skipped without it, except under
CI=true, where an unreachable PostgreSQL fails the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI, PG_SERVER, _pg_reachable

ROOT = Path(__file__).resolve().parent.parent


async def test_bench_quick_runs_end_to_end_and_prints_every_row(tmp_path):
    problem = await _pg_reachable()
    if problem:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required under CI and is not reachable at {PG_SERVER}: {problem}")
        pytest.skip(f"PostgreSQL not reachable at {PG_SERVER}: {problem}")
    out = tmp_path / "RESULTS.md"
    env = {**os.environ, "PARTNERSHIPS_BENCH_PG": PG_SERVER}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--partnerships", "3", "--duration", "0.7", "--warmup", "0.2",
         "--concurrency", "2", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    text = done.stdout
    assert "The floor's document equals the API's page" in text  # like is compared with like
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
    written = out.read_text()
    assert "Machine:" in written and "Command: `python -m bench --quick" in written and "| page (cache hit)" in written
