"""Plain HTTP beside GraphQL: open-data exports, structure charts, the schema's SDL and a
small overview page.

Visibility is the same as in GraphQL: a bearer token's members see confidential groups,
everyone else sees what the documents publish. Every export carries an ETag (a client
revalidates and gets 304), ``Cache-Control`` (``private`` when the answer depends on a
token) and ``Vary: Authorization``; every refusal is the API's JSON error with a code. Each
request counts against the caller's rate limit, the one GraphQL requests count against.
"""

from __future__ import annotations

import hashlib
import html
import json

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from core.auth import ANONYMOUS
from core.config import Settings
from core.errors import NotFound
from core.exports.chart import ChartUnavailable, render_svg
from core.exports.popolo import to_popolo
from core.exports.snapshot import snapshot
from core.exports.tables import TABLES, to_csv
from core.models import Partnership
from core.read_policy import ReadPolicy
from core.services.identity import AuthenticationError
from schema.context import AppState, Context, principal_for
from schema.errors import error_body
from schema.limits import client_key, rate_limited

OVERVIEW = """{ compare { financialYear rows { title cells { partnership { code name } summary
  sources { document section } } } } }"""


def cache_headers(request: Request, settings: Settings, vary: str = "Authorization") -> dict[str, str]:
    """``Cache-Control`` and ``Vary`` beside an ETag: an answer for a token is ``private`` (a
    shared cache must not hand it to anyone else), and reused for ``cache_control_max_age_s``
    or — by default — only after revalidating (any write can change it)."""
    scope = "private" if request.headers.get("authorization") else "public"
    age = settings.cache_control_max_age_s
    return {"Cache-Control": f"{scope}, max-age={age}" if age else f"{scope}, no-cache", "Vary": vary}


def cacheable(request: Request, settings: Settings, body: bytes | str, media_type: str,
              headers: dict[str, str] | None = None) -> Response:
    """An export with its ETag and cache headers; 304 when the client holds it already."""
    raw = body.encode() if isinstance(body, str) else body
    etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
    headers = {**(headers or {}), "ETag": etag, **cache_headers(request, settings)}
    if etag in {t.strip() for t in request.headers.get("if-none-match", "").split(",")}:
        return Response(status_code=304, headers={k: v for k, v in headers.items() if k != "Content-Disposition"})
    return Response(raw, media_type=media_type, headers=headers)


def routes(state: AppState, schema=None) -> list[Route]:
    settings = state.settings

    async def arrangements_for(request: Request):
        code = request.path_params["code"]
        principal = request.state.principal
        async with state.sessions() as session, session.begin():
            pid = await session.scalar(select(Partnership.id).where(Partnership.code == code))
            if pid is None:
                raise NotFound(f"no partnership with code {code!r}")
            return await snapshot(session, code, include_confidential=ReadPolicy(principal).sees_members_only(pid))

    def guarded(handler):
        """A plain HTTP route (an export, the overview, the SDL): its caller authenticated
        (`Token x`, a bare token …: 401 with the reason, as /graphql) and counted against the
        rate limit GraphQL requests count against — a request with a bad token against its
        address, as guessing is counted there."""

        async def endpoint(request: Request) -> Response:
            address = request.client.host if request.client else None
            try:
                principal = await principal_for(state, request.headers.get("authorization"))
            except AuthenticationError as exc:
                verdict = await state.limiter.hit(client_key(None, address))
                if not verdict.allowed:
                    return rate_limited(verdict)
                return JSONResponse(error_body(str(exc), "UNAUTHENTICATED"), status_code=401,
                                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"', **verdict.headers()})
            verdict = await state.limiter.hit(client_key(principal, address))
            if not verdict.allowed:
                return rate_limited(verdict)
            request.state.principal = principal
            try:
                response = await handler(request)
            except NotFound as exc:
                response = JSONResponse(error_body(exc.message, "NOT_FOUND"), status_code=404)
            response.headers.update(verdict.headers())
            return response

        return endpoint

    async def popolo(request: Request) -> Response:
        a = await arrangements_for(request)
        body = json.dumps(to_popolo(a), indent=2, ensure_ascii=False)
        return cacheable(request, settings, body, "application/json",
                         {"Content-Disposition": f'inline; filename="{a.partnership.code}-popolo.json"'})

    async def table(request: Request) -> Response:
        name = request.path_params["table"]
        if name not in TABLES:
            raise NotFound(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
        a = await arrangements_for(request)
        return cacheable(request, settings, to_csv(a, name), "text/csv; charset=utf-8",
                         {"Content-Disposition": f'attachment; filename="{a.partnership.code}-{name}.csv"'})

    async def chart(request: Request) -> Response:
        a = await arrangements_for(request)
        try:
            svg = render_svg(a)
        except ChartUnavailable as exc:
            return JSONResponse(error_body(str(exc), "SERVICE_UNAVAILABLE"), status_code=503)
        return cacheable(request, settings, svg, "image/svg+xml")

    async def rulebook(request: Request) -> Response:
        """The partnership's rulebook as Markdown — the page docs/rules/<code>.md holds."""
        from core.kit.rules_doc import render

        code = request.path_params["code"]
        async with state.sessions() as session:
            p = await session.scalar(select(Partnership).where(Partnership.code == code))
        if p is None:
            raise NotFound(f"no partnership with code {code!r}")
        rules = state.registry.rules_for(code, document=p.document_title)
        return cacheable(request, settings, render(rules), "text/markdown; charset=utf-8")

    sdl = str(schema).rstrip() + "\n" if schema is not None else ""

    async def schema_sdl(request: Request) -> Response:
        """The schema as SDL, for codegen and tools that read it from a URL; the same text as
        schema/schema.graphql in the repository."""
        if not settings.introspection:
            return JSONResponse(error_body("this server does not publish its schema (introspection is off)",
                                           "NOT_FOUND"), status_code=404)
        return cacheable(request, settings, sdl, "text/plain; charset=utf-8")

    async def index(request: Request) -> Response:
        async with state.sessions() as session:
            partnerships = (await session.scalars(select(Partnership).order_by(Partnership.code))).all()
        matrix = None
        if schema is not None:  # the same `compare` the API answers, as the public sees it
            result = await schema.execute(OVERVIEW, context_value=Context(state=state, principal=ANONYMOUS))
            matrix = None if result.errors else result.data["compare"]
        return HTMLResponse(render_index(state, partnerships, matrix))

    return [
        Route("/", guarded(index)),
        *([Route("/schema.graphql", guarded(schema_sdl))] if schema is not None else []),
        Route("/partnerships/{code}/popolo.json", guarded(popolo)),
        Route("/partnerships/{code}/structure.svg", guarded(chart)),
        Route("/partnerships/{code}/rulebook.md", guarded(rulebook)),
        Route("/partnerships/{code}/{table}.csv", guarded(table)),
    ]


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partnerships Graph</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }}
table {{ border-collapse: collapse; margin-top: 1rem; }}
th, td {{ border: 1px solid #ccd; padding: .4rem .6rem; vertical-align: top; text-align: left; }}
th {{ background: #eef3fb; }}
small {{ color: #555; }}
.scroll {{ overflow-x: auto; }}
@media (max-width: 40rem) {{ body {{ margin: 1rem; }} }}
</style></head>
<body>
<h1>Partnerships Graph</h1>
<p>The published arrangements of safeguarding children partnerships, side by side.
Query everything at <a href="/graphql">/graphql</a>.</p>
{body}
</body></html>"""


def render_index(state: AppState, partnerships, matrix: dict | None = None) -> str:
    head = "".join(f"<th id=\"p-{html.escape(p.code)}\">{html.escape(p.name)}</th>" for p in partnerships)
    rows = [
        "<tr><th>Structure chart</th>" + "".join(
            f'<td><a href="/partnerships/{p.code}/structure.svg">structure.svg</a></td>' for p in partnerships) + "</tr>",
        "<tr><th>Open data</th>" + "".join(
            f'<td><a href="/partnerships/{p.code}/popolo.json">Popolo JSON</a>, '
            f'<a href="/partnerships/{p.code}/seats.csv">seats.csv</a></td>' for p in partnerships) + "</tr>",
        "<tr><th>Rulebook</th>" + "".join(
            f'<td><a href="/partnerships/{p.code}/rulebook.md">every rule, with its status and section</a></td>'
            for p in partnerships) + "</tr>",
        "<tr><th>Source document</th>" + "".join(
            f"<td>{html.escape(p.document_title)}<br><small>{html.escape(p.document_published or '')}</small></td>"
            for p in partnerships) + "</tr>",
    ]
    for row in (matrix or {}).get("rows", []):
        cells = {c["partnership"]["code"]: c for c in row["cells"]}
        tds = []
        for p in partnerships:
            cell = cells.get(p.code)
            if cell is None:
                tds.append("<td></td>")
                continue
            cites = "; ".join(dict.fromkeys(html.escape(s["section"] or s["document"]) for s in cell["sources"]))
            tds.append(f"<td>{html.escape(cell['summary'])}" + (f"<br><small>{cites}</small>" if cites else "") + "</td>")
        rows.append(f"<tr><th>{html.escape(row['title'])}</th>{''.join(tds)}</tr>")
    year = f"<p>Chairs and funding for {html.escape(matrix['financialYear'])}.</p>" if matrix else ""
    body = (f"{year}<div class=\"scroll\"><table><thead><tr><th></th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")
    return PAGE.format(body=body)
