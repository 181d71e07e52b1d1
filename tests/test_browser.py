"""The overview page, a structure chart and GraphiQL, as a person sees them: served by the
real server, started as `make run` starts it (`partnerships serve`), and rendered by
headless Chromium (Debian's package, installed by `make test`)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import websockets

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
    env = os.environ | {"PARTNERSHIPS_DATABASE_URL": url, "PARTNERSHIPS_PORT": str(port),
                        "PARTNERSHIPS_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "partnerships"), "serve"], env=env)
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
    # Merton's chair (§7.4) and Sandwell's fourth statutory partner (§2); who hosts Sandwell's money
    # in the current year is not stated (§24 covers 2021/22), so the Trust no longer appears there.
    assert "Independent Person" in dom and "4: local authority, childrens trust" in dom

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


#: Nothing but this machine: every name resolves to nothing and every connection goes to a
#: proxy that is not there (loopback is never proxied), as on a council network that
#: reaches only the server.
OFFLINE = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', "--proxy-server=http://127.0.0.1:9"]
QUERY = '{ partnership(code: "sandwell") { statutoryPartners { kind } } }'
#: Run in the page: wait for GraphiQL, press its run button, wait for the answer; then check
#: the outside network really is unreachable from the page.
SCRIPT = """(async () => {
  const until = async (find, ms) => {
    for (const end = Date.now() + ms; Date.now() < end; await new Promise(r => setTimeout(r, 100))) {
      const found = find(); if (found) return found;
    }
    return null;
  };
  const button = await until(() => document.querySelector(".graphiql-execute-button"), 30000);
  if (!button) return { error: "GraphiQL did not render", body: document.body.innerText.slice(0, 300) };
  button.click();
  const answer = await until(() => {
    const text = document.querySelector(".result-window")?.innerText || "";
    return text.includes("statutoryPartners") ? text : null;
  }, 30000);
  const resources = performance.getEntriesByType("resource").map(e => e.name);
  let outside = "reachable";
  try { await fetch("https://unpkg.com/react@18.3.1/umd/react.production.min.js", { mode: "no-cors" }); }
  catch (e) { outside = "blocked"; }
  return { answer, outside, resources };
})()"""


async def run_in_page(url: str, script: str, profile: Path) -> dict:
    """Open ``url`` in headless Chromium with the outside network blocked and evaluate
    ``script`` there (the DevTools protocol, over a WebSocket)."""
    port = free_port()
    browser = subprocess.Popen([CHROMIUM, *FLAGS, *OFFLINE, f"--user-data-dir={profile}",
                                f"--remote-debugging-port={port}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False) as devtools:
            for _ in range(100):
                try:
                    page = (await devtools.put("/json/new")).json()
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        async with websockets.connect(page["webSocketDebuggerUrl"], max_size=None) as ws:
            async def call(id_: int, method: str, wait_for: str | None = None, **params) -> dict:
                await ws.send(json.dumps({"id": id_, "method": method, "params": params}))
                answer = None
                while answer is None or (wait_for is not None and wait_for is not False):
                    message = json.loads(await asyncio.wait_for(ws.recv(), 90))
                    if message.get("id") == id_:
                        assert "error" not in message, message
                        answer = message["result"]
                    elif wait_for is not None and message.get("method") == wait_for:
                        wait_for = False
                return answer

            await call(1, "Page.enable")
            await call(2, "Page.navigate", wait_for="Page.loadEventFired", url=url)
            result = await call(3, "Runtime.evaluate", expression=script, awaitPromise=True, returnByValue=True)
            return result["result"]["value"]
    finally:
        browser.terminate()
        browser.wait(timeout=10)


async def test_graphiql_runs_a_query_with_the_outside_network_blocked(server, tmp_path):
    """GraphiQL's scripts and styles come from the app (npm packages `make install`
    installs), not a CDN: with nothing beyond this machine reachable, the page loads, runs
    the README's query and shows Sandwell's four statutory partners."""
    result = await run_in_page(f"{server}/graphql?q={quote(QUERY)}", SCRIPT, tmp_path / "graphiql")
    assert result.get("error") is None, result
    assert result["outside"] == "blocked", "the test's network block is not in force"
    assert all(name.startswith(server) for name in result["resources"]), result["resources"]
    shown = result["answer"].replace("\xa0", " ")  # the answer as GraphiQL's result pane shows it
    kinds = re.findall(r'"kind": "([A-Z_]+)"', shown)
    assert sorted(kinds) == ["CHILDRENS_TRUST", "HEALTH_COMMISSIONER", "LOCAL_AUTHORITY", "POLICE"], shown
    assert '"errors"' not in shown
