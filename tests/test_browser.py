"""The overview page and a structure chart, as a person sees them: served by the real
server and rendered by headless Chromium (Debian's package, installed by `make test`)."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import IN_CI, load_all

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def server(tmp_path, registry):
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail("chromium is required under CI: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium not installed")
    url = f"sqlite+aiosqlite:///{tmp_path / 'browser.db'}"
    from core.migrate import upgrade

    await asyncio.to_thread(upgrade, url)
    await load_all(url, registry)
    port = free_port()
    env = os.environ | {"PARTNERSHIPS_DATABASE_URL": url}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "schema.app:create_app", "--factory",
                             "--port", str(port), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def chromium(*args: str, profile: Path) -> str:
    done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=60)
    return done.stdout


async def test_overview_page_and_structure_chart_render_in_chromium(server, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    dom = chromium("--dump-dom", f"{server}/", profile=tmp_path / "p1")
    for name in ["Merton", "Lewisham", "Sefton", "Sandwell"]:
        assert name in dom
    assert dom.count('structure.svg"') == 4  # one chart link per partnership
    assert "Who chairs the main board and the executive" in dom  # the comparison matrix
    assert "Independent Person" in dom and "Children's Trust" in dom

    chart = chromium("--dump-dom", f"{server}/partnerships/sefton/structure.svg", profile=tmp_path / "p2")
    for group in ["Strategic Leadership Team", "Sefton Safeguarding Forum", "Practice Review Group"]:
        assert group in chart

    shot = ARTIFACTS / "overview.png"
    shot.unlink(missing_ok=True)
    chromium(f"--screenshot={shot}", "--window-size=1400,900", f"{server}/", profile=tmp_path / "p3")
    assert shot.exists() and shot.stat().st_size > 10_000
    chart_shot = ARTIFACTS / "sefton-structure.png"
    chromium(f"--screenshot={chart_shot}", "--window-size=1400,1000", f"{server}/partnerships/sefton/structure.svg",
             profile=tmp_path / "p4")
    assert chart_shot.exists()
