import asyncio, gc, json, tracemalloc, os, resource

from tests.test_subscription_fanout import until
from tests.test_ws_auth import Socket, served

N = int(os.environ.get("PROBE_N", "2000"))


async def test_probe(api, registry):
    if "sqlite" in api.url:
        return
    async with served(api, registry, max_subscriptions_per_connection=100, max_subscriptions_per_client=N + 10) as server:
        sockets = []
        for i in range(N // 100):
            sockets.append(await Socket(server).__aenter__())
        # warm: one subscription each to create lazy structures
        gc.collect()
        tracemalloc.start(8)
        before = tracemalloc.take_snapshot()
        for s in sockets:
            for _ in range(100):
                await s.subscribe("subscription ($after: String) { events(after: $after) { cursor } }", {})
        await until(lambda: server.app.state.partnerships.feed_hub is not None
                    and server.app.state.partnerships.feed_hub.subscribers == N, timeout=120)
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        stats = after.compare_to(before, "traceback")
        total = sum(s.size_diff for s in stats)
        print(f"\nTOTAL per subscription: {total / N:.0f} B")
        for st in stats[:40]:
            print(f"{st.size_diff / N:8.0f} B  count {st.count_diff / N:.1f}")
            for line in st.traceback.format()[-8:]:
                if "site-packages" in line or "/work/" in line or "File" in line:
                    print("      ", line.strip()[:150])
        files = after.compare_to(before, "filename")
        print("---- by file")
        for st in files[:25]:
            print(f"{st.size_diff / N:8.0f} B  {st.traceback[0].filename[-90:]}")
        for s in sockets:
            await s.__aexit__()
