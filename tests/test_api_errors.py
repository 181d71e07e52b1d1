"""Bad requests get clear errors — never a 500 or an unmasked traceback."""

from __future__ import annotations


async def test_unknown_partnership_code_is_a_not_found_error_listing_known_codes(api):
    body = await api.gql('{ partnership(code: "atlantis") { name } }', errors_ok=True)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "atlantis" in error["message"] and "merton" in error["message"]


async def test_over_deep_query_is_refused_at_validation(api):
    nested = "seats { nodes { group { " * 6 + "name" + " } } }" * 6
    response = await api.post(f'{{ partnership(code: "merton") {{ group(code: "mscp") {{ {nested} }} }} }}')
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_too_many_aliases_are_refused(api):
    aliases = " ".join(f"a{i}: partnerships {{ totalCount }}" for i in range(40))
    body = (await api.post(f"{{ {aliases} }}")).json()
    assert body["data"] is None
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_page_size_over_the_limit_is_a_bad_user_input_error(api):
    body = await api.gql("{ partnerships(first: 1000000000) { totalCount } }", errors_ok=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "first" in body["errors"][0]["message"]


async def test_garbage_cursor_and_node_id_are_client_errors(api):
    body = await api.gql('{ partnerships(after: "nonsense!") { totalCount } }', errors_ok=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = await api.gql('{ node(id: "%%%") { id } }', errors_ok=True)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_request_body_over_the_limit_is_refused_with_413(api):
    response = await api.client.post("/graphql", content=b"{" + b" " * 200_000 + b"}",
                                     headers={"content-type": "application/json"})
    assert response.status_code == 413


async def test_malformed_json_is_a_400_not_a_500(api):
    response = await api.client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400


async def test_nul_characters_are_refused_with_a_clear_error(api):
    response = await api.post("query ($c: String!) { partnership(code: $c) { name } }", {"c": "mer\u0000ton"})
    assert response.status_code == 400
    assert "NUL" in response.json()["errors"][0]["message"]
