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


# -- text the database cannot hold, numbers it cannot hold, bodies that are not requests --------

#: Raw JSON bodies, as a client sends them (a lone surrogate stays a JSON escape).
BAD_TEXT = {
    "NUL escaped in the document (\\u{0})": rb'{"query": "{ partnership(code: \"mer\\u{0}ton\") { name } }"}',
    "NUL escaped in the document (\\u0000)": rb'{"query": "{ partnership(code: \"mer\\u0000ton\") { name } }"}',
    "NUL behind a JSON-escaped backslash (\\u005Cu0000)":
        rb'{"query": "{ partnership(code: \"mer\u005Cu0000ton\") { name } }"}',
    "lone surrogate in a variable":
        rb'{"query": "query ($c: String!) { partnership(code: $c) { name } }", "variables": {"c": "\ud800"}}',
    "lone surrogate in the document": rb'{"query": "{ partnership(code: \"\ud800\") { name } }"}',
    "lone surrogate escaped in the document": rb'{"query": "{ partnership(code: \"\\ud800\") { name } }"}',
    "lone surrogate in a mutation input": (
        rb'{"query": "mutation ($i: AddSeatInput!) { addSeat(input: $i) { __typename } }", "variables": '
        rb'{"i": {"groupId": "R3JvdXA6MQ", "code": "x", "role": "MEMBER", "post": "a\udfffb"}}}'),
    "lone surrogate as the operation name":
        rb'{"query": "query A { partnerships { totalCount } }", "operationName": "\udc00"}',
}


async def test_nul_and_lone_surrogates_anywhere_are_a_400_bad_user_input(api):
    for name, body in BAD_TEXT.items():
        response = await api.client.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400, (name, response.status_code, response.text)
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", (name, error)


async def test_nul_and_lone_surrogates_in_get_parameters_are_a_400_bad_user_input(api):
    for params in [{"query": '{ partnership(code: "mer\u0000ton") { name } }'},
                   {"query": '{ partnership(code: "\\u{0}") { name } }'},
                   {"query": "query ($c: String!) { partnership(code: $c) { name } }", "variables": '{"c": "\\ud800"}'},
                   {"query": "{ partnerships { totalCount } }", "operationName": "\u0000"}]:
        response = await api.client.get("/graphql", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_ids_and_cursors_beyond_the_database_integer_range_are_client_errors(api):
    import base64

    def encode(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    for pk in (2**31, 2**63, 10**30):
        body = await api.gql("query ($id: ID!) { node(id: $id) { id } }", {"id": encode(f"Group:{pk}")}, errors_ok=True)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", body
        body = await api.gql("query ($id: ID!) { node(id: $id) { id } }", {"id": encode(f"Meeting:{pk}")}, errors_ok=True)
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND", body
        body = await api.gql("query ($a: String) { events(after: $a) { nodes { type } } }",
                             {"a": encode(f"ev:{pk}")}, errors_ok=True)
        assert body.get("errors") and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
        body = await api.gql("query ($a: String) { partnerships(after: $a) { totalCount } }",
                             {"a": encode(f"o:{pk}")}, errors_ok=True)
        assert not body.get("errors") or body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


async def test_bodies_that_are_not_a_request_object_are_a_400_json_error(api):
    bodies = [b'"a string"', b"null", b"[" * 10_000 + b"]" * 10_000, b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
              b'{"query": "{ partnerships { totalCount } }", "operationName": {}}',
              b'{"query": "{ partnerships { totalCount } }", "operationName": []}',
              b'{"query": "{ partnerships { totalCount } }", "variables": "x"}',
              b'{"query": {}}', b"12", b"true"]
    for body in bodies:
        response = await api.client.post("/graphql", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 400, (body[:40], response.status_code, response.text[:200])
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] in ("BAD_REQUEST", "BAD_USER_INPUT"), error


async def test_an_authorization_header_that_is_not_bearer_token_gets_401_with_the_reason(api):
    from core.enums import Role

    token = await api.token("merton", Role.MEMBER)
    for value in [f"Token {token}", "Basic dXNlcjpwYXNz", f"Bearer:{token}", token, f"Bearer\t{token}",
                  "Bearer", "Bearer ", f"Bearer {token} extra", f"Bearer{token}"]:
        response = await api.client.post("/graphql", json={"query": "{ partnerships { totalCount } }"},
                                         headers={"authorization": value})
        assert response.status_code == 401, (value, response.status_code)
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert "Bearer" in error["message"], error["message"]
        assert response.headers["www-authenticate"].startswith("Bearer")
    response = await api.client.post("/graphql", json={"query": "{ partnerships { totalCount } }"},
                                     headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200


async def test_the_open_data_routes_refuse_a_malformed_authorization_header_too(api):
    response = await api.client.get("/partnerships/merton/seats.csv", headers={"authorization": "Token abc"})
    assert response.status_code == 401 and "Bearer" in response.text
    assert (await api.client.get("/partnerships/merton/seats.csv")).status_code == 200
