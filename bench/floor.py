"""The raw-SQL floor: one hand-written PostgreSQL statement returning a partnership's whole
nested page, served by starlette + asyncpg.

It answers ``POST /graphql`` with the very document the GraphQL API returns for
:data:`bench.queries.PAGE` (same fields, order, global IDs and visibility for an anonymous
caller), built in PostgreSQL with ``json_build_object``/``json_agg`` and sent as the text
PostgreSQL produced. It ignores the query text and reads only ``operationName`` (``List150``:
the statement for :data:`bench.queries.LIST150`; otherwise the page) and ``variables.code``:
it is the lower bound of what serving these documents can cost, not an API.

Run: ``BENCH_FLOOR_DSN=postgresql://… uvicorn bench.floor:app --port 8101``.
"""

from __future__ import annotations

import contextlib
import json
import os

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def gid(type_name: str, column: str) -> str:
    """SQL for the API's global ID: unpadded URL-safe base64 of ``Type:pk``."""
    return (f"rtrim(translate(encode(convert_to('{type_name}:' || {column}, 'UTF8'), 'base64'), '+/', '-_'), '=')")


# Visibility for an anonymous caller: confidential groups (and their seats) are left out.
PAGE_SQL = f"""
WITH p AS (SELECT * FROM partnership WHERE code = $1),
     g AS (SELECT g.* FROM "group" g JOIN p ON g.partnership_id = p.id WHERE NOT g.confidential)
SELECT json_build_object('data', json_build_object('partnership', (
  SELECT json_build_object(
    'id', {gid('Partnership', 'p.id')}, 'code', p.code, 'name', p.name, 'localAuthority', p.local_authority,
    'region', p.region, 'population', p.population,
    'document', json_build_object('title', p.document_title, 'published', p.document_published,
                                  'version', p.document_version),
    'statutoryPartners', COALESCE((
      SELECT json_agg(json_build_object(
               'kind', a.kind, 'leadRole', sp.lead_role, 'delegatedTo', sp.delegated_to,
               'agency', json_build_object('id', {gid('Agency', 'a.id')}, 'code', a.code, 'name', a.name))
             ORDER BY sp.position)
      FROM statutory_partner sp JOIN agency a ON a.id = sp.agency_id WHERE sp.partnership_id = p.id), '[]'),
    'agencies', (
      SELECT json_build_object('totalCount', count(*), 'nodes', COALESCE(json_agg(json_build_object(
               'id', {gid('Agency', 'a.id')}, 'code', a.code, 'name', a.name, 'kind', a.kind)
             ORDER BY a.name, a.id) FILTER (WHERE a.rn <= 100), '[]'))
      FROM (SELECT *, row_number() OVER (ORDER BY name, id) AS rn FROM agency WHERE partnership_id = p.id) a),
    'groups', json_build_object('totalCount', (SELECT count(*) FROM g), 'nodes', COALESCE((
      SELECT json_agg(json_build_object(
               'id', {gid('Group', 'g.id')}, 'code', g.code, 'name', g.name, 'kind', g.kind, 'purpose', g.purpose,
               'cadence', g.cadence, 'meetingsPerYear', g.meetings_per_year,
               'chairingRule', CASE WHEN g.chair_basis IS NULL THEN NULL ELSE json_build_object(
                 'basis', g.chair_basis, 'office', g.chair_office, 'rotationStart', g.chair_rotation_start,
                 'rotation', COALESCE((
                   SELECT json_agg(json_build_object('code', a.code) ORDER BY r.ord)
                   FROM json_array_elements_text(g.chair_rotation) WITH ORDINALITY AS r(code, ord)
                   JOIN agency a ON a.partnership_id = g.partnership_id AND a.code = r.code), '[]')) END,
               'accountableTo', (SELECT json_build_object('id', {gid('Group', 'up.id')}, 'code', up.code)
                                 FROM g up WHERE up.id = g.parent_id),
               'subgroups', COALESCE((SELECT json_agg(json_build_object('id', {gid('Group', 'c.id')}, 'code', c.code)
                                               ORDER BY c.position) FROM g c WHERE c.parent_id = g.id), '[]'),
               'seats', (
                 SELECT json_build_object('totalCount', count(*), 'nodes', COALESCE(json_agg(json_build_object(
                          'id', {gid('Seat', 's.id')}, 'code', s.code, 'role', s.role, 'post', s.post,
                          'agency', CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object(
                            'id', {gid('Agency', 'a.id')}, 'code', a.code, 'name', a.name) END,
                          'person', CASE WHEN pe.id IS NULL THEN NULL ELSE json_build_object(
                            'id', {gid('Person', 'pe.id')}, 'roleTitle', pe.role_title, 'name', pe.name) END)
                        ORDER BY s.position) FILTER (WHERE s.rn <= 100), '[]'))
                 FROM (SELECT *, row_number() OVER (ORDER BY position) AS rn FROM seat WHERE group_id = g.id) s
                 LEFT JOIN agency a ON a.id = s.agency_id
                 LEFT JOIN person pe ON pe.id = s.person_id))
             ORDER BY g.position)
      FROM g), '[]')))
  FROM p)))::text
"""



def _list150_page(low: int, high: int) -> str:
    """One alias of :data:`bench.queries.LIST150`: partnerships ``low < n <= high`` by code,
    each with its first 100 visible groups by position. The groups are read through the
    table's ``partnership_id`` index (a CTE of every group would be scanned per partnership)."""
    return f"""json_build_object(
    'totalCount', (SELECT count(*) FROM partnership),
    'nodes', COALESCE((SELECT json_agg(json_build_object(
      'id', {gid('Partnership', 'p.id')}, 'code', p.code, 'name', p.name, 'localAuthority', p.local_authority,
      'region', p.region, 'population', p.population,
      'document', json_build_object('title', p.document_title, 'published', p.document_published,
                                    'version', p.document_version),
      'groups', json_build_object(
        'totalCount', (SELECT count(*) FROM "group" c WHERE c.partnership_id = p.id AND NOT c.confidential),
        'nodes', COALESCE((SELECT json_agg(json_build_object(
            'id', {gid('Group', 'g.id')}, 'code', g.code, 'name', g.name, 'kind', g.kind, 'purpose', g.purpose,
            'cadence', g.cadence, 'meetingsPerYear', g.meetings_per_year,
            'accountableTo', (SELECT json_build_object('id', {gid('Group', 'up.id')}, 'code', up.code)
                              FROM "group" up WHERE up.id = g.parent_id AND NOT up.confidential))
          ORDER BY g.position)
          FROM (SELECT * FROM "group" WHERE partnership_id = p.id AND NOT confidential
                ORDER BY position LIMIT 100) g), '[]')))
      ORDER BY p.code)
      FROM (SELECT * FROM partnership ORDER BY code OFFSET {low} LIMIT {high - low}) p), '[]'))"""


#: :data:`bench.queries.LIST150` in one statement: two pages of partnerships (100, then 50)
#: with their groups, as an anonymous caller sees them.
LIST150_SQL = f"""
SELECT json_build_object('data', json_build_object(
  'first100', {_list150_page(0, 100)},
  'next50', {_list150_page(100, 150)}))::text
"""

#: The statement for each operation the floor answers (``operationName``; none: the page).
STATEMENTS = {"Page": PAGE_SQL, "List150": LIST150_SQL}


def create_app(dsn: str | None = None, pool_size: int = 10) -> Starlette:
    dsn = dsn or os.environ["BENCH_FLOOR_DSN"]
    state: dict = {}

    async def page(request: Request) -> Response:
        try:
            request_body = json.loads(await request.body())
            statement = STATEMENTS[request_body.get("operationName") or "Page"]
            args = (request_body["variables"]["code"],) if statement is PAGE_SQL else ()
        except (ValueError, KeyError, TypeError, AttributeError):
            return JSONResponse({"errors": [{"message": "send {\"operationName\": \"Page\" or \"List150\", "
                                                        "\"variables\": {\"code\": …}}"}]}, status_code=400)
        async with state["pool"].acquire() as conn:
            body = await conn.fetchval(statement, *args)
        return Response(body, media_type="application/json")

    async def healthz(_: Request) -> Response:
        return Response("ok", media_type="text/plain")

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        state["pool"] = await asyncpg.create_pool(dsn, min_size=pool_size, max_size=pool_size,
                                                  server_settings={"jit": "off"})
        yield
        await state["pool"].close()

    return Starlette(routes=[Route("/graphql", page, methods=["POST"]), Route("/healthz", healthz)], lifespan=lifespan)


def app() -> Starlette:  # uvicorn --factory bench.floor:app
    return create_app()
