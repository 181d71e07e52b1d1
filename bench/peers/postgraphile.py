"""PostGraphile 5 as the benchmark's peer.

Installed on demand (``npm ci`` in ``bench/peers/postgraphile``, versions pinned by its
``package-lock.json``), Node 22 included: PostGraphile 5 needs Node ≥ 22 and Debian ships
20, so the npm package ``node`` (a registry package carrying the platform's binary) is a
dependency there and the server runs with that binary. ``server.mjs`` serves the benchmark
database with PostGraphile's own schema (the Amber preset: its names, ``rowId`` for the
primary key, a ``nodeId`` of its own) in production mode, one process, no query logging.

The peer is asked for the same content as :data:`bench.queries.PAGE` and
:data:`bench.queries.LIST150`, in its own schema's words (:data:`PAGE`, :data:`LIST150`):
visibility as for an anonymous caller of the API (``condition: {confidential: false}`` on
groups and subgroups; seats in force, ``condition: {endedOn: null}``) and the API's order
(``orderBy``: groups, subgroups, seats and statutory partners by position, agencies by name
then id, partnerships by code). :func:`translate_page` and :func:`translate_list150` turn
its answer into the API's shape, so the harness compares the two field by field. Only one
difference is translated rather than asked for: identifiers. The peer returns primary keys
(``rowId``) and the translation encodes them as the API's global IDs (``Type:pk`` in
URL-safe base64), since PostGraphile's ``id`` is its own encoding of another string.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

DIR = Path(__file__).resolve().parent / "postgraphile"
NODE = DIR / "node_modules" / ".bin" / "node"
SERVER = DIR / "server.mjs"
_STAMP = DIR / "node_modules" / ".installed-stamp"


def installed() -> bool:
    """Whether ``npm ci`` has run since ``package-lock.json`` last changed."""
    lock = DIR / "package-lock.json"
    return _STAMP.exists() and NODE.exists() and _STAMP.stat().st_mtime >= lock.stat().st_mtime


def install() -> float:
    """``npm ci`` under ``bench/peers/postgraphile`` unless done already; seconds it took."""
    if installed():
        return 0.0
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is missing (the PostGraphile peer is installed with it): sudo apt-get install npm, "
                           "or run the benchmark with PEERS=0")
    t0 = time.perf_counter()
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=DIR,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0 or not NODE.exists():
        raise RuntimeError(f"npm ci in {DIR.name} failed ({done.returncode}):\n{(done.stdout + done.stderr)[-3000:]}")
    _STAMP.touch()
    return time.perf_counter() - t0


def versions() -> str:
    """``PostGraphile x, Node y`` as installed."""
    pg = json.loads((DIR / "node_modules" / "postgraphile" / "package.json").read_text())["version"]
    node = subprocess.run([str(NODE), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return f"PostGraphile {pg} on Node {node.lstrip('v')}"


def command(dsn: str, port: int) -> tuple[list[str], dict[str, str]]:
    """(argv, environment) that serve ``dsn`` on 127.0.0.1:``port``."""
    env = {**os.environ, "NODE_ENV": "production", "BENCH_PEER_DSN": dsn, "BENCH_PEER_PORT": str(port)}
    return [str(NODE), str(SERVER)], env


# ----------------------------------------------------------------------------- the queries

#: :data:`bench.queries.PAGE` in PostGraphile's schema.
PAGE = """
query Page($code: String!) {
  partnershipByCode(code: $code) {
    rowId code name localAuthority region population documentTitle documentPublished documentVersion
    statutoryPartnersByPartnershipId(orderBy: POSITION_ASC) {
      nodes { leadRole delegatedTo agencyByAgencyId { rowId code name kind } }
    }
    agenciesByPartnershipId(first: 100, orderBy: [NAME_ASC, ROW_ID_ASC]) { totalCount nodes { rowId code name kind } }
    groupsByPartnershipId(first: 100, orderBy: POSITION_ASC, condition: {confidential: false}) {
      totalCount
      nodes {
        rowId code name kind purpose cadence meetingsPerYear
        chairBasis chairOffice chairRotationStart chairRotation
        groupByParentId { rowId code }
        groupsByParentId(orderBy: POSITION_ASC, condition: {confidential: false}) { nodes { rowId code } }
        seatsByGroupId(first: 100, orderBy: POSITION_ASC, condition: {endedOn: null}) {
          totalCount
          nodes { rowId code role post agencyByAgencyId { rowId code name } personByPersonId { rowId roleTitle name } }
        }
      }
    }
  }
}"""

_LIST150_NODE = """
    totalCount
    nodes {
      rowId code name localAuthority region population documentTitle documentPublished documentVersion
      groupsByPartnershipId(first: 100, orderBy: POSITION_ASC, condition: {confidential: false}) {
        totalCount
        nodes { rowId code name kind purpose cadence meetingsPerYear groupByParentId { rowId code } }
      }
    }"""

#: :data:`bench.queries.LIST150` in PostGraphile's schema (its second page by offset: the
#: peer's cursors are its own).
LIST150 = f"""
query List150 {{
  first100: allPartnerships(first: 100, orderBy: CODE_ASC) {{{_LIST150_NODE}
  }}
  next50: allPartnerships(first: 50, offset: 100, orderBy: CODE_ASC) {{{_LIST150_NODE}
  }}
}}"""


def page_body(code: str) -> str:
    return json.dumps({"query": PAGE, "variables": {"code": code}, "operationName": "Page"})


def list150_body() -> str:
    return json.dumps({"query": LIST150, "variables": {}, "operationName": "List150"})


# ----------------------------------------------------------------------------- the answers


def gid(type_name: str, pk: int) -> str:
    """The API's global ID for a primary key (as ``schema.types.common.to_global_id``)."""
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def _ref(type_name: str, row: dict | None, *fields: str) -> dict | None:
    if row is None:
        return None
    return {"id": gid(type_name, row["rowId"]), **{f: row[f] for f in fields}}


def _document(p: dict) -> dict:
    return {"title": p["documentTitle"], "published": p["documentPublished"], "version": p["documentVersion"]}


def _partnership_head(p: dict) -> dict:
    return {"id": gid("Partnership", p["rowId"]), "code": p["code"], "name": p["name"],
            "localAuthority": p["localAuthority"], "region": p["region"], "population": p["population"],
            "document": _document(p)}


def _group_head(g: dict) -> dict:
    return {"id": gid("Group", g["rowId"]), "code": g["code"], "name": g["name"], "kind": g["kind"],
            "purpose": g["purpose"], "cadence": g["cadence"], "meetingsPerYear": g["meetingsPerYear"]}


def _chairing_rule(g: dict) -> dict | None:
    """The API's ``chairingRule`` from the group's columns; the rotation is the stored list
    of agency codes (the API, like the floor, names only codes of existing agencies: every
    code in the benchmark's rotations is one)."""
    if g["chairBasis"] is None:
        return None
    rotation = g["chairRotation"]
    if isinstance(rotation, str):  # a JSON column read as text
        rotation = json.loads(rotation)
    return {"basis": g["chairBasis"], "office": g["chairOffice"], "rotationStart": g["chairRotationStart"],
            "rotation": [{"code": c} for c in rotation or []]}


def translate_page(answer: dict) -> dict:
    """The peer's answer to :data:`PAGE` in the shape of the API's answer to ``bench.queries.PAGE``."""
    p = answer["data"]["partnershipByCode"]
    if p is None:
        return {"data": {"partnership": None}}
    groups = p["groupsByPartnershipId"]
    agencies = p["agenciesByPartnershipId"]
    return {"data": {"partnership": {
        **_partnership_head(p),
        "statutoryPartners": [
            {"kind": sp["agencyByAgencyId"]["kind"], "leadRole": sp["leadRole"], "delegatedTo": sp["delegatedTo"],
             "agency": _ref("Agency", sp["agencyByAgencyId"], "code", "name")}
            for sp in p["statutoryPartnersByPartnershipId"]["nodes"]],
        "agencies": {"totalCount": agencies["totalCount"],
                     "nodes": [_ref("Agency", a, "code", "name", "kind") for a in agencies["nodes"]]},
        "groups": {"totalCount": groups["totalCount"], "nodes": [{
            **_group_head(g),
            "chairingRule": _chairing_rule(g),
            "accountableTo": _ref("Group", g["groupByParentId"], "code"),
            "subgroups": [_ref("Group", c, "code") for c in g["groupsByParentId"]["nodes"]],
            "seats": {"totalCount": g["seatsByGroupId"]["totalCount"], "nodes": [{
                "id": gid("Seat", s["rowId"]), "code": s["code"], "role": s["role"], "post": s["post"],
                "agency": _ref("Agency", s["agencyByAgencyId"], "code", "name"),
                "person": _ref("Person", s["personByPersonId"], "roleTitle", "name")}
                for s in g["seatsByGroupId"]["nodes"]]},
        } for g in groups["nodes"]]},
    }}}


def translate_list150(answer: dict) -> dict:
    """The peer's answer to :data:`LIST150` in the shape of the API's answer to ``bench.queries.LIST150``."""
    def page(conn: dict) -> dict:
        return {"totalCount": conn["totalCount"], "nodes": [{
            **_partnership_head(p),
            "groups": {"totalCount": p["groupsByPartnershipId"]["totalCount"], "nodes": [
                {**_group_head(g), "accountableTo": _ref("Group", g["groupByParentId"], "code")}
                for g in p["groupsByPartnershipId"]["nodes"]]},
        } for p in conn["nodes"]]}

    return {"data": {alias: page(answer["data"][alias]) for alias in ("first100", "next50")}}
