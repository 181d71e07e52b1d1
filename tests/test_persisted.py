"""Persisted documents: Apollo's automatic persisted queries, and the trusted-documents mode
in which only the operations of the frontend's manifest run."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.conftest import make_api

PAGE = 'query Sandwell { partnership(code: "sandwell") { statutoryPartners { kind } } }'


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(text: str) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


async def test_the_automatic_persisted_query_round_trip(api):
    document = f"{PAGE} # {api.backend}"  # a document this worker has not been sent before
    unknown = await api.client.post("/graphql", json={"extensions": persisted(document)})
    assert unknown.status_code == 200  # what Apollo's link expects before it sends the document
    (error,) = unknown.json()["errors"]
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND" and "data" not in unknown.json()

    registered = await api.client.post("/graphql", json={"query": document, "extensions": persisted(document)})
    assert registered.status_code == 200 and not registered.json().get("errors")
    assert len(registered.json()["data"]["partnership"]["statutoryPartners"]) == 4

    by_hash = await api.client.post("/graphql", json={"extensions": persisted(document)})
    assert by_hash.status_code == 200 and by_hash.json()["data"] == registered.json()["data"]
    assert by_hash.headers["x-cache"] == "hit"  # the response cache keys on the document's hash

    by_get = await api.client.get("/graphql", params={"extensions": json.dumps(persisted(document))})
    assert by_get.status_code == 200 and by_get.json()["data"] == registered.json()["data"]


async def test_persisted_query_not_found_is_a_404_under_the_spec_media_type(api):
    document = f"{PAGE} # unknown {api.backend}"
    response = await api.client.post("/graphql", json={"extensions": persisted(document)},
                                     headers={"accept": "application/graphql-response+json"})
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_hash_that_is_not_the_documents_is_refused_and_not_stored(api):
    document = f"{PAGE} # mismatch {api.backend}"
    response = await api.client.post("/graphql", json={"query": document, "extensions": persisted("{ __typename }")})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    later = await api.client.post("/graphql", json={"extensions": persisted("{ __typename }")})
    assert later.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_automatic_persisted_queries_can_be_turned_off(api, registry):
    off = await make_api(api.backend, api.url, registry, automatic_persisted_queries=False)
    try:
        response = await off.client.post("/graphql", json={"query": PAGE, "extensions": persisted(PAGE)})
        assert response.status_code == 400
        assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"
    finally:
        await off.client.aclose()
        await off.app.state.partnerships.engine.dispose()


# -- trusted documents ----------------------------------------------------------------------------

#: Another operation of the same frontend, named in the manifest by a Relay-style id.
COUNT = "query Count { partnerships { totalCount } }"


@pytest.fixture
async def trusted(api, registry, tmp_path):
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({sha256(PAGE): PAGE, "a1b2c3": COUNT}))  # codegen's sha256 ids; Relay's own
    server = await make_api(api.backend, api.url, registry, production=True, trusted_documents=str(manifest))
    yield server
    await server.client.aclose()
    await server.app.state.partnerships.engine.dispose()


async def test_trusted_documents_run_by_id_or_exact_text(trusted):
    by_hash = await trusted.client.post("/graphql", json={"extensions": persisted(PAGE)})
    assert by_hash.status_code == 200 and len(by_hash.json()["data"]["partnership"]["statutoryPartners"]) == 4
    by_id = await trusted.client.post("/graphql", json={"documentId": "a1b2c3"})
    assert by_id.json()["data"]["partnerships"]["totalCount"] == 4
    by_text = await trusted.client.post("/graphql", json={"query": PAGE})
    assert by_text.status_code == 200 and by_text.json()["data"] == by_hash.json()["data"]


async def test_trusted_documents_refuse_any_other_operation(trusted):
    for body in ({"query": "{ partnerships { totalCount } }"},  # not the manifest's text
                 {"query": "{ __typename }", "extensions": persisted("{ __typename }")},  # APQ registration
                 {"extensions": persisted("{ __typename }")},  # an id the manifest lacks
                 {"documentId": "zzz"}):
        response = await trusted.client.post("/graphql", json=body)
        assert response.status_code == 403, (body, response.text)
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_LIST", (body, error)
        assert "data" not in response.json()
    tampered = await trusted.client.post("/graphql", json={"documentId": "a1b2c3", "query": "{ __typename }"})
    assert tampered.status_code == 400


def test_a_malformed_manifest_fails_at_start_up_naming_the_file(tmp_path):
    from schema.documents import PersistedDocuments

    manifest = tmp_path / "manifest.json"
    manifest.write_text('["not", "a", "map"]')
    with pytest.raises(ValueError, match="manifest.json"):
        PersistedDocuments(trusted=manifest)
    apollo = tmp_path / "apollo.json"
    apollo.write_text(json.dumps({"format": "apollo-persisted-query-manifest", "version": 1,
                                  "operations": [{"id": "x1", "name": "Count", "type": "query", "body": COUNT}]}))
    assert PersistedDocuments(trusted=apollo).trusted == {"x1": COUNT}


async def test_trusted_documents_hold_over_websockets_too(api, registry, tmp_path):
    from tests.test_ws_auth import Socket, code_of, served

    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(json.dumps({sha256(PAGE): PAGE}))
    async with served(api, registry, trusted_documents=str(manifest)) as server, Socket(server) as socket:
        refused = await socket.run("{ partnerships { totalCount } }")
        assert code_of(refused) == "PERSISTED_QUERY_NOT_IN_LIST"
        by_hash = await socket.run(None, raw=json.dumps({"id": "?", "type": "subscribe", "payload": {
            "extensions": persisted(PAGE)}}))
        assert len(by_hash["data"]["partnership"]["statutoryPartners"]) == 4
