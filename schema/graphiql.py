"""GraphiQL, served by the app itself: its scripts and styles come from the npm packages
`make install` installs (package.json pins them), never from a CDN, so `/graphql` works in
a browser on a network that reaches nothing but this server."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from schema.errors import error_body

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
#: What the page loads, by the name it is served under: GraphiQL's UMD build (with its
#: WebSocket client for subscriptions) on React's UMD builds.
ASSETS = {
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql.min.css": "graphiql/graphiql.min.css",
}
PREFIX = "/graphiql/"
EXAMPLE = """# Partnerships Graph: England's safeguarding children partnerships, as published.
# Run with Ctrl-Enter; the Docs pane lists every type and field.
{
  partnership(code: "sandwell") {
    name
    statutoryPartners { kind agency { name } }
  }
}
"""

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partnerships Graph · GraphiQL</title>
<style>body {{ margin: 0; }} #graphiql {{ height: 100dvh; }}</style>
<link rel="stylesheet" href="{prefix}graphiql.min.css">
<script src="{prefix}react.production.min.js"></script>
<script src="{prefix}react-dom.production.min.js"></script>
<script src="{prefix}graphiql.min.js"></script>
</head>
<body>
<div id="graphiql">Loading…</div>
<script>
  const url = new URL(window.location.href);
  url.search = "";
  url.hash = "";
  const subscriptionUrl = url.toString().replace(/^http/, "ws");
  const fetcher = GraphiQL.createFetcher({{ url: url.toString(), subscriptionUrl }});
  const params = new URLSearchParams(window.location.search);
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{
      fetcher,
      defaultQuery: {example},
      query: params.get("q") || undefined,  // a shared link: /graphql?q=…
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      inputValueDeprecation: true,
    }}),
  );
</script>
</body>
</html>
"""

MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL is not installed</title></head>
<body><h1>GraphiQL is not installed</h1>
<p>Its files come from npm: run <code>make install</code> (or <code>npm ci</code> in the project directory).
The API itself answers at this address: POST a GraphQL request as JSON.</p></body></html>"""


def installed() -> bool:
    return all((NODE_MODULES / path).is_file() for path in ASSETS.values())


def page() -> Response:
    """The GraphiQL page; a page saying how to install it when its files are missing."""
    if not installed():
        return HTMLResponse(MISSING, status_code=503)
    return HTMLResponse(PAGE.format(prefix=PREFIX, example=json.dumps(EXAMPLE)),
                        headers={"Cache-Control": "no-cache"})


def routes() -> list[Route]:
    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        path = ASSETS.get(name)
        if path is None or not (NODE_MODULES / path).is_file():
            return JSONResponse(error_body(f"no GraphiQL file {name!r}", "NOT_FOUND"), status_code=404)
        # Versioned by package-lock.json, not by URL: a day's reuse, then revalidation by ETag.
        return FileResponse(NODE_MODULES / path, headers={"Cache-Control": "public, max-age=86400"})

    return [Route(PREFIX + "{name}", asset)]
