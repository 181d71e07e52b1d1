"""Property-based fuzzing from the schema: generated queries and mutations, with valid and
invalid arguments, sent to the app in-process. Strawberry answers HTTP 200 even when a
resolver crashes, so every error that is not a validation error, a typed domain error or a
client error (NOT_FOUND, BAD_USER_INPUT …) counts — any masked internal error is a bug.

FUZZ_EXAMPLES sets the cases per mode and backend (default 300: 4 modes × 2 backends =
2,400 cases in CI).
"""

from __future__ import annotations

import os
import time

from hypothesis_graphql import Mode

from core.enums import Role
from tests.conftest import load_all, make_api
from tests.fuzzing import generate

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
INTERNAL = "Internal error"


def unexpected(body: dict) -> list[dict]:
    return [e for e in body.get("errors") or [] if INTERNAL in e.get("message", "")]


async def test_generated_queries_and_mutations_raise_no_unexpected_errors(empty_db, registry):
    await load_all(empty_db, registry)
    api = await make_api("fuzz", empty_db, registry)
    try:
        admin = await api.token(None, Role.ADMINISTRATOR)
        member = await api.token("merton", Role.MEMBER)
        failures, cases, executed, slowest = [], 0, 0, 0.0
        for kind, mode, token in [
            ("query", Mode.POSITIVE, None), ("query", Mode.NEGATIVE, member),
            ("mutation", Mode.POSITIVE, admin), ("mutation", Mode.NEGATIVE, admin),
        ]:
            for document in generate(kind, mode, EXAMPLES):
                cases += 1
                started = time.perf_counter()
                response = await api.post(document, token=token)
                slowest = max(slowest, time.perf_counter() - started)
                if response.status_code >= 500:
                    failures.append((document, response.status_code, response.text[:300]))
                    continue
                if response.status_code == 200 and response.json().get("data") is not None:
                    executed += 1  # passed validation and reached the resolvers
                if response.status_code == 200 and unexpected(response.json()):
                    failures.append((document, 200, unexpected(response.json())[:2]))
        print(f"fuzz: {cases} cases ({executed} executed), {len(failures)} unexpected errors, "
              f"slowest {slowest * 1000:.0f} ms")
        assert cases >= 4 * EXAMPLES * 0.9
        assert executed >= cases / 4, "most generated documents never reached a resolver"
        assert not failures, "\n\n".join(f"{d}\n-> {s} {detail}" for d, s, detail in failures[:5])
    finally:
        await api.client.aclose()
        await api.app.state.partnerships.engine.dispose()
